// Time and clock types shared by every part of patron.
//
// Timestamp is UTC with microsecond precision (stored as integer microseconds
// since the Unix epoch). Dates without a time (a date of birth) are
// std::chrono::year_month_day. A Clock is injectable so hosts and tests can
// control "now"; it must be callable from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace patron {

using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;
using Date = std::chrono::year_month_day;
using Clock = std::function<Timestamp()>;

// The system clock, truncated to microseconds.
Timestamp system_now();

// Microseconds since the Unix epoch, and back.
inline std::int64_t to_micros(Timestamp t) { return t.time_since_epoch().count(); }
inline Timestamp from_micros(std::int64_t us) { return Timestamp{std::chrono::microseconds{us}}; }

// The range of every time and date patron accepts, stores or computes: the
// years 0001 to 9999 of ISO 8601, UTC. A time given outside it is refused
// (Error(invalid_argument) naming the field); a computed one (an expiry, a
// renewal, a predicted next order) saturates at its ends.
inline constexpr Timestamp kEarliestTime{std::chrono::sys_days{std::chrono::year{1} / 1 / 1}};
inline constexpr Timestamp kLatestTime{std::chrono::sys_days{std::chrono::year{9999} / 12 / 31} +
                                       std::chrono::days{1} - std::chrono::microseconds{1}};
inline constexpr bool in_time_range(Timestamp t) noexcept { return t >= kEarliestTime && t <= kLatestTime; }
inline constexpr bool in_date_range(Date d) noexcept {
  return d.ok() && d.year() >= std::chrono::year{1} && d.year() <= std::chrono::year{9999};
}
// `t` moved into the range.
inline constexpr Timestamp clamp_time(Timestamp t) noexcept {
  return t < kEarliestTime ? kEarliestTime : (t > kLatestTime ? kLatestTime : t);
}
// `t` (or `d`) when within the range, else Error(invalid_argument) naming
// `field`: the rule every entry point applies to every time it is given.
Timestamp checked_time(Timestamp t, std::string_view field);
std::optional<Timestamp> checked_time(const std::optional<Timestamp>& t, std::string_view field);
Date checked_date(Date d, std::string_view field);
// `t` + `us` microseconds (a double: may be huge or not finite), saturating.
Timestamp add_saturating(Timestamp t, double us) noexcept;

// ISO 8601 text: "2026-11-22T05:54:45.123456Z" and "1990-04-01".
std::string format_timestamp(Timestamp t);
std::string format_date(Date d);
// Parse the same forms (a timestamp may carry an offset, "+01:00"); throw
// Error(invalid_argument) naming `field` when the text is not such a value
// or lies outside the years 0001-9999.
Timestamp parse_timestamp(std::string_view text, std::string_view field);
Date parse_date(std::string_view text, std::string_view field);

// The most money patron takes in one amount anywhere (an order total, a
// price, a payment, a purse amount, a credit limit): 10^15 minor units. Sums
// of amounts are computed saturating, never wrapped.
inline constexpr std::int64_t kMaxMoney = 1'000'000'000'000'000;

// a + b, held at the ends of int64 instead of overflowing.
constexpr std::int64_t saturating_add(std::int64_t a, std::int64_t b) noexcept {
  std::int64_t out = 0;
  if (!__builtin_add_overflow(a, b, &out)) return out;
  return b > 0 ? INT64_MAX : INT64_MIN;
}

// An ISO 4217 currency code, upper case ("GBP"); throws Error(invalid_argument)
// naming `field` when `text` is not one (ICU's list of current codes).
std::string normalize_currency(std::string_view text, std::string_view field);

}  // namespace patron
