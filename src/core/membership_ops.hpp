// Membership steps shared by the services that ask about memberships
// (memberships, doors, loyalty).
#pragma once

#include <chrono>
#include <cstdint>

#include "patron/customer.hpp"
#include "patron/store/store.hpp"

namespace patron::detail {

// Whether `customer` holds, at `at`, an active membership of `plan`: their
// own or one of a company they belong to, with the status as set (active,
// not paused or cancelled) and starts_at <= at < ends_at. The plan and the
// customer are not checked for existence.
bool holds_active_membership(store::Transaction& tx, const CustomerId& customer, std::int64_t plan, Timestamp at);

// `t` moved by `n` calendar months; a day past the end of the target month
// is clamped to its last day (Jan 31 + 1 month = Feb 28 or 29). The time of
// day is kept; the result saturates at the ends of patron's time range.
inline Timestamp add_months(Timestamp t, int n) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const auto time_of_day = t - day;
  year_month_day ymd{day};
  ymd += months{n};
  if (!ymd.ok()) ymd = ymd.year() / ymd.month() / last;
  return clamp_time(sys_days{ymd} + time_of_day);
}

}  // namespace patron::detail
