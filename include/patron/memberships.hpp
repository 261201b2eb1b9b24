// Memberships: plans and who holds them.
//
// A plan has a name, a kind (personal, subscription, company), benefits text
// and, for subscriptions, a billing period. A membership is a plan held by a
// customer or by a company, with a start, an optional end and a status:
// active, paused or cancelled as set, and expired as soon as the end has
// passed (derived from the end and the clock, never stored). Subscriptions
// renew: renew() moves the end by one billing period.
//
// A customer's effective memberships are their own plus those of every
// company they belong to (see companies.hpp), each marked with where it
// comes from. has_active_membership(customer, plan, at) answers for a point
// in time: a membership counts when its status is active (not paused or
// cancelled) and start <= at < end.
//
// Borrowed from a Database (db.memberships()); thread-safe like it. Each call
// is one transaction: a refused call leaves nothing behind.
//
// Status as read: an active or paused membership whose end has passed reads
// as expired; a cancelled one stays cancelled. has_active_membership looks
// at the status as set (active) and the window, so it can answer for a past
// moment of a membership that has since expired.
//
// Renewal and a subscription's default end use calendar arithmetic in UTC,
// keeping the time of day: weekly = 7 days, monthly/quarterly/yearly = 1/3/12
// months, a day past the end of the target month clamped to its last day
// (Jan 31 + 1 month = Feb 28 or 29). Renewing a cancelled membership is
// refused (failed_precondition "status"); an expired one renews from its end.
//
// Errors (patron::Error): invalid_argument naming the field ("name",
// "benefits", "kind", "billing_period", "ends_at" when not after the start,
// "holder" for neither or both of customer and company, "ref" for a malformed
// customer reference); not_found naming "id" (plan, get, set_status, renew),
// "plan" (add, has_active_membership), "company" or "ref"; already_exists
// naming "name" for a plan name taken (ignoring case); failed_precondition
// naming "status" for an illegal move (cancelled is final, expired cannot be
// set or left; setting the current status changes nothing) and "plan" when
// renewing a membership whose plan is not a subscription.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "patron/customer.hpp"
#include "patron/types.hpp"

namespace patron {

namespace detail {
struct DatabaseState;
}

enum class PlanKind { personal, subscription, company };
enum class BillingPeriod { none, weekly, monthly, quarterly, yearly };
enum class MembershipStatus { active, paused, cancelled, expired };
std::string_view to_string(PlanKind v) noexcept;
std::string_view to_string(BillingPeriod v) noexcept;
std::string_view to_string(MembershipStatus v) noexcept;
PlanKind parse_plan_kind(std::string_view text, std::string_view field = "kind");
BillingPeriod parse_billing_period(std::string_view text, std::string_view field = "billing_period");
MembershipStatus parse_membership_status(std::string_view text, std::string_view field = "status");

struct Plan {
  std::int64_t id = 0;
  std::string name{};  // unique, ignoring case
  PlanKind kind = PlanKind::personal;
  std::string benefits{};
  BillingPeriod billing_period = BillingPeriod::none;  // subscriptions: not none; others: none
  Timestamp created_at{};
  friend bool operator==(const Plan&, const Plan&) = default;
};

struct NewPlan {
  std::string name{};
  PlanKind kind = PlanKind::personal;
  std::string benefits{};
  BillingPeriod billing_period = BillingPeriod::none;
};

// Who holds a membership: exactly one of a customer or a company.
struct Holder {
  std::optional<CustomerId> customer{};
  std::optional<std::int64_t> company{};
  friend bool operator==(const Holder&, const Holder&) = default;
};

struct Membership {
  std::int64_t id = 0;
  std::int64_t plan = 0;
  Holder holder{};
  Timestamp starts_at{};
  std::optional<Timestamp> ends_at{};
  // As read: active/paused/cancelled as set, or expired once ends_at has passed.
  MembershipStatus status = MembershipStatus::active;
  Timestamp created_at{};
  Timestamp updated_at{};
  friend bool operator==(const Membership&, const Membership&) = default;
};

struct NewMembership {
  std::int64_t plan = 0;
  std::string customer_ref{};            // give this or company
  std::optional<std::int64_t> company{};
  std::optional<Timestamp> starts_at{};  // now when absent
  std::optional<Timestamp> ends_at{};    // open-ended when absent; subscriptions: one period from start
};

// Where a customer's effective membership comes from.
struct EffectiveMembership {
  Membership membership{};
  std::optional<std::int64_t> via_company{};  // set when inherited from a company
  friend bool operator==(const EffectiveMembership&, const EffectiveMembership&) = default;
};

class Memberships {
 public:
  explicit Memberships(detail::DatabaseState& state) : state_(&state) {}

  Plan create_plan(const NewPlan& plan);
  Plan plan(std::int64_t id) const;
  std::vector<Plan> plans() const;  // by name

  Membership add(const NewMembership& membership);
  Membership get(std::int64_t id) const;
  // Moves between active, paused and cancelled (cancelled is final); expired
  // cannot be set. failed_precondition names both statuses.
  Membership set_status(std::int64_t id, MembershipStatus status);
  // Subscriptions only: moves the end by one billing period (from the current
  // end, or from now when it has none).
  Membership renew(std::int64_t id);

  // The customer's own memberships and those of their companies, by start.
  std::vector<EffectiveMembership> effective(std::string_view customer_ref) const;
  // A company's own memberships, by start.
  std::vector<Membership> of_company(std::int64_t company) const;
  bool has_active_membership(std::string_view customer_ref, std::int64_t plan,
                             std::optional<Timestamp> at = std::nullopt) const;

 private:
  detail::DatabaseState* state_;
};

}  // namespace patron
