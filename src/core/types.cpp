#include "patron/types.hpp"

#include <date/date.h>

#include <optional>

#include "patron/error.hpp"
#include "patron/version.hpp"
#include "text/text.hpp"

namespace patron {

std::string_view errc_name(Errc code) noexcept {
  switch (code) {
    case Errc::invalid_argument: return "invalid_argument";
    case Errc::not_found: return "not_found";
    case Errc::already_exists: return "already_exists";
    case Errc::conflict: return "conflict";
    case Errc::failed_precondition: return "failed_precondition";
    case Errc::storage: return "storage";
    case Errc::internal: return "internal";
  }
  return "unknown";
}

Error::Error(Errc code, std::string_view message, std::string_view field)
    : std::runtime_error(text::printable(message)), code_(code), field_(text::printable(field)) {}

std::string indexed_field(std::string_view name, std::size_t index) {
  std::string out(name);
  out += '[';
  out += std::to_string(index);
  out += ']';
  return out;
}

int version_number() noexcept { return PATRON_CXX_VERSION_NUMBER; }
const char* version() noexcept { return PATRON_CXX_VERSION; }

Timestamp system_now() {
  return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}

namespace {

// `value` as `width` digits at `out` (value < 10^width).
char* digits(char* out, unsigned value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return out + width;
}

}  // namespace

// By hand rather than date::format (a stream and a locale each call): every
// record patron hands out carries two or three times, an export a million.
// Same text: "%FT%TZ" at microseconds, "%F".
std::string format_timestamp(Timestamp t) {
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd{day};
  const int year = static_cast<int>(ymd.year());
  if (year < 1 || year > 9999) return date::format("%FT%TZ", t);
  const auto us = static_cast<unsigned long long>((t - day).count());  // within the day
  char buf[27];
  char* p = digits(buf, static_cast<unsigned>(year), 4);
  *p++ = '-';
  p = digits(p, static_cast<unsigned>(ymd.month()), 2);
  *p++ = '-';
  p = digits(p, static_cast<unsigned>(ymd.day()), 2);
  *p++ = 'T';
  const unsigned long long seconds = us / 1000000;
  p = digits(p, static_cast<unsigned>(seconds / 3600), 2);
  *p++ = ':';
  p = digits(p, static_cast<unsigned>(seconds / 60 % 60), 2);
  *p++ = ':';
  p = digits(p, static_cast<unsigned>(seconds % 60), 2);
  *p++ = '.';
  p = digits(p, static_cast<unsigned>(us % 1000000), 6);
  *p++ = 'Z';
  return std::string(buf, p);
}

std::string format_date(Date d) {
  const int year = static_cast<int>(d.year());
  if (year < 0 || year > 9999 || !d.ok()) {
    return date::format("%F", date::year_month_day{date::sys_days{std::chrono::sys_days{d}.time_since_epoch()}});
  }
  char buf[10];
  char* p = digits(buf, static_cast<unsigned>(year), 4);
  *p++ = '-';
  p = digits(p, static_cast<unsigned>(d.month()), 2);
  *p++ = '-';
  p = digits(p, static_cast<unsigned>(d.day()), 2);
  return std::string(buf, p);
}

Timestamp add_saturating(Timestamp t, double us) noexcept {
  const double target = static_cast<double>(to_micros(t)) + us;
  if (!(target >= static_cast<double>(to_micros(kEarliestTime)))) return kEarliestTime;  // also NaN
  if (target >= static_cast<double>(to_micros(kLatestTime))) return kLatestTime;
  return from_micros(static_cast<std::int64_t>(target));
}

namespace {

[[noreturn]] void bad(std::string_view field, std::string_view what) {
  throw Error(Errc::invalid_argument, std::string(field) + ": " + std::string(what), std::string(field));
}

// The number written by the digits s[i, i + n), or -1 when they are not all digits.
int digits(std::string_view s, std::size_t i, std::size_t n) {
  if (s.size() < i + n) return -1;
  int v = 0;
  for (std::size_t k = i; k < i + n; ++k) {
    if (s[k] < '0' || s[k] > '9') return -1;
    v = v * 10 + (s[k] - '0');
  }
  return v;
}

// "YYYY-MM-DD" at the start of `s`, a calendar date; nullopt otherwise.
std::optional<Date> calendar_date(std::string_view s) {
  const int y = digits(s, 0, 4), mo = digits(s, 5, 2), d = digits(s, 8, 2);
  if (y < 0 || mo < 0 || d < 0 || s[4] != '-' || s[7] != '-') return std::nullopt;
  const Date ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(mo)},
                 std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  return ymd;
}

}  // namespace

Timestamp checked_time(Timestamp t, std::string_view field) {
  if (!in_time_range(t)) bad(field, "must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999999Z");
  return t;
}

std::optional<Timestamp> checked_time(const std::optional<Timestamp>& t, std::string_view field) {
  if (t) checked_time(*t, field);
  return t;
}

Date checked_date(Date d, std::string_view field) {
  if (!d.ok()) bad(field, "not a calendar date");
  if (!in_date_range(d)) bad(field, "must be between 0001-01-01 and 9999-12-31");
  return d;
}

// Read by hand, strictly: "YYYY-MM-DD", "T" or " ", "HH:MM:SS", optional
// ".f" (1-6 digits), then "Z", an offset "+HH:MM" / "-HH:MM", or (after
// "T" only) nothing, meaning UTC. Not date::parse: on a text that fails one
// of its formats it reads uninitialised seconds, and a dangling offset sign
// makes it negate INT64_MIN (undefined behaviour the fuzzers found).
Timestamp parse_timestamp(std::string_view text, std::string_view field) {
  const std::string_view s = text;
  const auto refuse = [&] { bad(field, "not an ISO 8601 timestamp (e.g. 2026-11-22T05:54:45Z)"); };
  // A sign where the year starts ("-001-…") is a year before 0001.
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    return checked_time(kEarliestTime - std::chrono::microseconds{1}, field);
  }
  const std::optional<Date> ymd = calendar_date(s);
  const int h = digits(s, 11, 2), mi = digits(s, 14, 2), sec = digits(s, 17, 2);
  if (!ymd || h < 0 || mi < 0 || sec < 0 || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':' ||
      h > 23 || mi > 59 || sec > 59) {
    refuse();
  }
  std::size_t i = 19;
  std::int64_t micros = 0;
  if (i < s.size() && s[i] == '.') {
    std::size_t n = 0;
    for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, ++n) {
      if (n < 6) micros = micros * 10 + (s[i] - '0');  // a longer run is refused below, never accumulated
    }
    if (n == 0 || n > 6) refuse();
    for (; n < 6; ++n) micros *= 10;
  }
  std::chrono::minutes offset{0};
  if (i == s.size()) {
    if (s[10] != 'T') refuse();  // "YYYY-MM-DD HH:MM:SS" needs its zone
  } else if (s[i] == 'Z') {
    if (i + 1 != s.size()) refuse();
  } else if (s[i] == '+' || s[i] == '-') {
    const int oh = digits(s, i + 1, 2), om = digits(s, i + 4, 2);
    if (s.size() != i + 6 || oh < 0 || om < 0 || s[i + 3] != ':' || oh > 23 || om > 59) refuse();
    offset = std::chrono::minutes{(oh * 60 + om) * (s[i] == '-' ? -1 : 1)};
  } else {
    refuse();
  }
  const Timestamp local = Timestamp{std::chrono::sys_days{*ymd}} + std::chrono::hours{h} + std::chrono::minutes{mi} +
                          std::chrono::seconds{sec} + std::chrono::microseconds{micros};
  return checked_time(local - offset, field);
}

// Read by hand like timestamps: exactly "YYYY-MM-DD".
Date parse_date(std::string_view text, std::string_view field) {
  // A sign where the year starts ("-001-…") is a year before 0001.
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    return checked_date(std::chrono::year{0} / 1 / 1, field);
  }
  const std::optional<Date> d = text.size() == 10 ? calendar_date(text) : std::nullopt;
  if (!d) bad(field, "not a date in the form YYYY-MM-DD");
  return checked_date(*d, field);
}

}  // namespace patron
