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
#include <string>

namespace patron {

using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;
using Date = std::chrono::year_month_day;
using Clock = std::function<Timestamp()>;

// The system clock, truncated to microseconds.
Timestamp system_now();

// Microseconds since the Unix epoch, and back.
inline std::int64_t to_micros(Timestamp t) { return t.time_since_epoch().count(); }
inline Timestamp from_micros(std::int64_t us) { return Timestamp{std::chrono::microseconds{us}}; }

// ISO 8601 text: "2026-11-22T05:54:45.123456Z" and "1990-04-01".
std::string format_timestamp(Timestamp t);
std::string format_date(Date d);
// Parse the same forms (a timestamp may carry an offset, "+01:00"); throw
// Error(invalid_argument) naming `field` when the text is not such a value.
Timestamp parse_timestamp(std::string_view text, std::string_view field);
Date parse_date(std::string_view text, std::string_view field);

// An ISO 4217 currency code, upper case ("GBP"); throws Error(invalid_argument)
// naming `field` when `text` is not one (ICU's list of current codes).
std::string normalize_currency(std::string_view text, std::string_view field);

}  // namespace patron
