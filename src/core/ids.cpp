#include "patron/ids.hpp"


#include <array>
#include <cstdint>

#include "core/sealed.hpp"
#include "patron/error.hpp"

namespace patron {
namespace {

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> canonical(std::string_view text) noexcept {
  if (text.size() != 32 && text.size() != 36) return std::nullopt;
  std::string out;
  out.reserve(32);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (text.size() == 36 && (i == 8 || i == 13 || i == 18 || i == 23)) {
      if (c != '-') return std::nullopt;
      continue;
    }
    const int v = hex_value(c);
    if (v < 0) return std::nullopt;
    out += "0123456789abcdef"[v];
  }
  return out;
}

}  // namespace

CustomerId CustomerId::parse(std::string_view text) {
  auto id = try_parse(text);
  if (!id) {
    throw Error(Errc::invalid_argument, "id: not a UUID (32 hex digits, optionally hyphenated)", "id");
  }
  return *id;
}

std::optional<CustomerId> CustomerId::try_parse(std::string_view text) noexcept {
  auto hex = canonical(text);
  if (!hex) return std::nullopt;
  return CustomerId(std::move(*hex));
}

CustomerId CustomerId::generate(Timestamp now) {
  // RFC 9562 UUIDv7: 48-bit Unix milliseconds, version 7, 74 random bits.
  // The random bits come from the kernel: a generator seeded in
  // the process would repeat itself in every process forked from it (a
  // pre-fork server's workers), and two of them creating a customer in the
  // same millisecond would draw the same id.
  const auto ms = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count());
  std::array<std::uint8_t, 16> b{};
  for (int i = 0; i < 6; ++i) b[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(ms >> (40 - 8 * i));
  detail::fill_random(b.data() + 6, 10);
  b[6] = static_cast<std::uint8_t>((b[6] & 0x0F) | 0x70);
  b[8] = static_cast<std::uint8_t>((b[8] & 0x3F) | 0x80);
  std::string hex(32, '0');
  for (std::size_t i = 0; i < 16; ++i) {
    hex[2 * i] = "0123456789abcdef"[b[i] >> 4];
    hex[2 * i + 1] = "0123456789abcdef"[b[i] & 0x0F];
  }
  return CustomerId(std::move(hex));
}

Timestamp CustomerId::timestamp() const {
  std::uint64_t ms = 0;
  for (std::size_t i = 0; i < 12 && i < hex_.size(); ++i) {
    ms = (ms << 4) | static_cast<std::uint64_t>(hex_value(hex_[i]));
  }
  return Timestamp{std::chrono::milliseconds{static_cast<std::int64_t>(ms)}};
}

}  // namespace patron
