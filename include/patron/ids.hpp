// CustomerId: the immutable identity of a customer.
//
// A UUIDv7 (time-ordered) written as 32 lower-case hex digits. Parsing accepts
// the hyphenated 8-4-4-4-12 form and upper case, and always yields the
// canonical form. A value type; thread-safe like any const object.
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>

#include "patron/types.hpp"

namespace patron {

class CustomerId {
 public:
  CustomerId() = default;  // empty: refers to nobody

  // Canonicalises `text`; throws Error(invalid_argument, field "id") when it
  // is not a UUID.
  static CustomerId parse(std::string_view text);
  static std::optional<CustomerId> try_parse(std::string_view text) noexcept;
  // A new UUIDv7 whose time part is `now`.
  static CustomerId generate(Timestamp now);

  const std::string& str() const noexcept { return hex_; }
  bool empty() const noexcept { return hex_.empty(); }
  // The creation time encoded in a UUIDv7 (millisecond precision).
  Timestamp timestamp() const;

  friend bool operator==(const CustomerId&, const CustomerId&) = default;
  friend auto operator<=>(const CustomerId&, const CustomerId&) = default;

 private:
  explicit CustomerId(std::string hex) : hex_(std::move(hex)) {}
  std::string hex_;
};

}  // namespace patron
