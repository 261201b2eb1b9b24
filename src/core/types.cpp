#include "patron/types.hpp"

// date.h trips a false -Wmaybe-uninitialized in GCC 12 when parsing seconds.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <date/date.h>

#include <sstream>

#include "patron/error.hpp"
#include "patron/version.hpp"

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

std::string format_timestamp(Timestamp t) { return date::format("%FT%TZ", t); }

std::string format_date(Date d) {
  return date::format("%F", date::year_month_day{date::sys_days{std::chrono::sys_days{d}.time_since_epoch()}});
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

Timestamp parse_timestamp(std::string_view text, std::string_view field) {
  const std::string s(text);
  for (const char* fmt : {"%FT%TZ", "%FT%T%Ez", "%F %TZ", "%F %T%Ez", "%FT%T"}) {
    std::istringstream in(s);
    date::sys_time<std::chrono::microseconds> t;
    in >> date::parse(fmt, t);
    if (!in.fail() && in.peek() == std::char_traits<char>::eof()) {
      // A sign where the year starts ("-001-…") is a year before 0001 too.
      if (s[0] < '0' || s[0] > '9') return checked_time(kEarliestTime - std::chrono::microseconds{1}, field);
      return checked_time(Timestamp{t.time_since_epoch()}, field);
    }
  }
  bad(field, "not an ISO 8601 timestamp (e.g. 2026-11-22T05:54:45Z)");
}

Date parse_date(std::string_view text, std::string_view field) {
  const std::string s(text);
  std::istringstream in(s);
  date::year_month_day ymd{};
  in >> date::parse("%F", ymd);
  if (in.fail() || in.peek() != std::char_traits<char>::eof() || !ymd.ok() || s.size() != 10) {
    bad(field, "not a date in the form YYYY-MM-DD");
  }
  if (s[0] < '0' || s[0] > '9') ymd = date::year{0} / 1 / 1;  // a sign where the year starts
  return checked_date(Date{std::chrono::sys_days{date::sys_days{ymd}.time_since_epoch()}}, field);
}

}  // namespace patron
