// Enums whose stable lower-case names sit in an array indexed by value.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "patron/error.hpp"

namespace patron::detail {

// The enum value named `text`; Error(invalid_argument) naming `field` and
// listing the allowed names otherwise.
template <typename Enum, std::size_t N>
Enum parse_named(const std::array<std::string_view, N>& names, std::string_view text, std::string_view field) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == text) return static_cast<Enum>(i);
  }
  std::string allowed;
  for (auto n : names) allowed += (allowed.empty() ? "" : ", ") + std::string(n);
  throw Error(Errc::invalid_argument, std::string(field) + ": must be one of " + allowed, std::string(field));
}

}  // namespace patron::detail
