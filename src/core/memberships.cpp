#include "patron/memberships.hpp"

#include <algorithm>
#include <array>
#include <chrono>

#include "core/customer_ops.hpp"
#include "core/enum_names.hpp"
#include "core/event_builders.hpp"
#include "core/membership_ops.hpp"
#include "core/record_ops.hpp"
#include "core/state.hpp"
#include "patron/error.hpp"
#include "text/text.hpp"

namespace patron {
namespace {

using detail::parse_named;

using store::MembershipRepository;
using detail::EventJson;

constexpr std::size_t kMaxName = 200;
constexpr std::size_t kMaxBenefits = 5000;

constexpr std::array<std::string_view, 3> kPlanKinds{"personal", "subscription", "company"};
constexpr std::array<std::string_view, 5> kBillingPeriods{"none", "weekly", "monthly", "quarterly", "yearly"};
constexpr std::array<std::string_view, 4> kStatuses{"active", "paused", "cancelled", "expired"};

using detail::add_months;

// `t` moved by one billing period.
Timestamp one_period(Timestamp t, BillingPeriod period) {
  switch (period) {
    case BillingPeriod::weekly:
      return t + std::chrono::days{7};
    case BillingPeriod::monthly:
      return add_months(t, 1);
    case BillingPeriod::quarterly:
      return add_months(t, 3);
    case BillingPeriod::yearly:
      return add_months(t, 12);
    case BillingPeriod::none:
      break;
  }
  return t;
}

// The status as read: active and paused memberships whose end has passed
// are expired; cancelled stays cancelled (final).
Membership as_read(Membership m, Timestamp now) {
  if (m.status != MembershipStatus::cancelled && m.ends_at && *m.ends_at <= now) {
    m.status = MembershipStatus::expired;
  }
  return m;
}

std::vector<Membership> as_read(std::vector<Membership> ms, Timestamp now) {
  for (auto& m : ms) m = as_read(std::move(m), now);
  return ms;
}

Plan require_plan(MembershipRepository& repo, std::int64_t id, const char* field) {
  auto p = repo.plan(id);
  if (!p) throw Error(Errc::not_found, std::string(field) + ": no plan " + std::to_string(id), field);
  return std::move(*p);
}

Membership require_membership(MembershipRepository& repo, std::int64_t id) {
  auto m = repo.get(id);
  if (!m) throw Error(Errc::not_found, "id: no membership " + std::to_string(id), "id");
  return std::move(*m);
}

void require_company(store::Transaction& tx, std::int64_t id) {
  if (!tx.companies().get(id)) {
    throw Error(Errc::not_found, "company: no company " + std::to_string(id), "company");
  }
}

// An event about a membership: on the holder customer's timeline, or the
// organisation's for a company's membership (details name the company).
void record_membership(store::Transaction& tx, Timestamp now, const Membership& m, const char* action,
                       const char* summary, EventJson details) {
  details["membership"] = m.id;
  details["plan"] = m.plan;
  if (m.holder.company) details["company"] = *m.holder.company;
  detail::record(tx, now,
                 detail::make_change(m.holder.customer, EventCategory::customers, EventType::data, action, summary,
                                     details));
}

[[noreturn]] void illegal_move(MembershipStatus from, MembershipStatus to) {
  throw Error(Errc::failed_precondition,
              "status: a membership cannot move from " + std::string(to_string(from)) + " to " +
                  std::string(to_string(to)),
              "status");
}

// Own memberships, then those of each company the customer belongs to
// (once per company, whatever the number of links), by start then id, with
// the status as stored (never expired).
std::vector<EffectiveMembership> effective_of(store::Transaction& tx, const CustomerId& customer) {
  auto& repo = tx.memberships();
  std::vector<EffectiveMembership> out;
  for (auto& m : repo.of_customer(customer)) out.push_back({std::move(m), std::nullopt});
  std::vector<std::int64_t> companies;
  for (const auto& l : tx.companies().links_of_customer(customer)) {
    if (std::find(companies.begin(), companies.end(), l.company) == companies.end()) companies.push_back(l.company);
  }
  for (auto company : companies) {
    for (auto& m : repo.of_company(company)) out.push_back({std::move(m), company});
  }
  std::stable_sort(out.begin(), out.end(), [](const EffectiveMembership& a, const EffectiveMembership& b) {
    if (a.membership.starts_at != b.membership.starts_at) return a.membership.starts_at < b.membership.starts_at;
    return a.membership.id < b.membership.id;
  });
  return out;
}

}  // namespace

std::string_view to_string(PlanKind v) noexcept { return kPlanKinds[static_cast<std::size_t>(v)]; }
std::string_view to_string(BillingPeriod v) noexcept { return kBillingPeriods[static_cast<std::size_t>(v)]; }
std::string_view to_string(MembershipStatus v) noexcept { return kStatuses[static_cast<std::size_t>(v)]; }

PlanKind parse_plan_kind(std::string_view text, std::string_view field) {
  return parse_named<PlanKind>(kPlanKinds, text, field);
}
BillingPeriod parse_billing_period(std::string_view text, std::string_view field) {
  return parse_named<BillingPeriod>(kBillingPeriods, text, field);
}
MembershipStatus parse_membership_status(std::string_view text, std::string_view field) {
  return parse_named<MembershipStatus>(kStatuses, text, field);
}

Plan Memberships::create_plan(const NewPlan& in) {
  Plan p;
  p.name = text::clean_required(in.name, "name", kMaxName);
  if (static_cast<std::size_t>(in.kind) >= kPlanKinds.size()) {
    throw Error(Errc::invalid_argument, "kind: not a plan kind", "kind");
  }
  if (static_cast<std::size_t>(in.billing_period) >= kBillingPeriods.size()) {
    throw Error(Errc::invalid_argument, "billing_period: not a billing period", "billing_period");
  }
  p.kind = in.kind;
  p.benefits = text::clean(in.benefits, "benefits", kMaxBenefits);
  p.billing_period = in.billing_period;
  if (p.kind == PlanKind::subscription && p.billing_period == BillingPeriod::none) {
    throw Error(Errc::invalid_argument, "billing_period: a subscription needs a billing period", "billing_period");
  }
  if (p.kind != PlanKind::subscription && p.billing_period != BillingPeriod::none) {
    throw Error(Errc::invalid_argument, "billing_period: only subscriptions have a billing period",
                "billing_period");
  }
  p.created_at = state_->now();
  return state_->write([&](store::Transaction& tx) {
    auto& repo = tx.memberships();
    if (auto other = repo.plan_named(p.name)) {
      throw Error(Errc::already_exists, "name: plan " + std::to_string(*other) + " is already named " + p.name,
                  "name");
    }
    repo.insert_plan(p);
    detail::record(tx, p.created_at,
                   detail::configuration_change(
                       "plan.created", "Membership plan created",
                       EventJson{{"plan", p.id},
                                 {"name", p.name},
                                 {"kind", std::string(to_string(p.kind))},
                                 {"billing_period", std::string(to_string(p.billing_period))}}));
    return p;
  });
}

Plan Memberships::plan(std::int64_t id) const {
  return state_->read([&](store::Transaction& tx) { return require_plan(tx.memberships(), id, "id"); });
}

std::vector<Plan> Memberships::plans() const {
  return state_->read([&](store::Transaction& tx) { return tx.memberships().plans(); });
}

Membership Memberships::add(const NewMembership& in) {
  const Timestamp now = state_->now();
  const Membership m = detail::checked_membership(in, MembershipStatus::active, now);
  return state_->write([&](store::Transaction& tx) { return detail::add_membership(tx, m, in.customer_ref, now); });
}

Membership Memberships::get(std::int64_t id) const {
  const Timestamp now = state_->now();
  return state_->read([&](store::Transaction& tx) { return as_read(require_membership(tx.memberships(), id), now); });
}

Membership Memberships::set_status(std::int64_t id, MembershipStatus status) {
  const Timestamp now = state_->now();
  if (static_cast<std::size_t>(status) >= kStatuses.size()) {
    throw Error(Errc::invalid_argument, "status: not a membership status", "status");
  }
  return state_->write([&](store::Transaction& tx) {
    auto& repo = tx.memberships();
    Membership m = as_read(require_membership(repo, id), now);
    if (m.status == status && status != MembershipStatus::expired) return m;  // nothing to do
    if (status == MembershipStatus::expired || m.status == MembershipStatus::expired ||
        m.status == MembershipStatus::cancelled) {
      illegal_move(m.status, status);
    }
    const MembershipStatus from = m.status;
    m.status = status;
    m.updated_at = now;
    repo.update(m);
    record_membership(tx, now, m, "membership.status_changed", "Membership status changed",
                      EventJson{{"from", std::string(to_string(from))}, {"to", std::string(to_string(status))}});
    return as_read(require_membership(repo, id), now);
  });
}

Membership Memberships::renew(std::int64_t id) {
  const Timestamp now = state_->now();
  return state_->write([&](store::Transaction& tx) {
    auto& repo = tx.memberships();
    Membership m = require_membership(repo, id);
    const Plan p = require_plan(repo, m.plan, "plan");
    if (p.kind != PlanKind::subscription) {
      throw Error(Errc::failed_precondition,
                  "plan: only subscriptions renew (plan " + std::to_string(p.id) + " is " +
                      std::string(to_string(p.kind)) + ")",
                  "plan");
    }
    if (m.status == MembershipStatus::cancelled) {
      throw Error(Errc::failed_precondition, "status: a cancelled membership cannot be renewed", "status");
    }
    const std::optional<Timestamp> old_end = m.ends_at;
    m.ends_at = one_period(m.ends_at.value_or(now), p.billing_period);
    m.updated_at = now;
    repo.update(m);
    record_membership(tx, now, m, "membership.renewed", "Membership renewed",
                      EventJson{{"from", detail::time_value(old_end)}, {"to", detail::time_value(m.ends_at)}});
    return as_read(require_membership(repo, id), now);
  });
}

std::vector<EffectiveMembership> Memberships::effective(std::string_view customer_ref) const {
  const Timestamp now = state_->now();
  return state_->read([&](store::Transaction& tx) {
    const Customer c = detail::require_customer(tx.customers(), customer_ref, now);
    auto out = effective_of(tx, c.id);
    for (auto& e : out) e.membership = as_read(std::move(e.membership), now);
    return out;
  });
}

std::vector<Membership> Memberships::of_company(std::int64_t company) const {
  const Timestamp now = state_->now();
  return state_->read([&](store::Transaction& tx) {
    require_company(tx, company);
    return as_read(tx.memberships().of_company(company), now);
  });
}

bool Memberships::has_active_membership(std::string_view customer_ref, std::int64_t plan,
                                        std::optional<Timestamp> at) const {
  const Timestamp now = state_->now();
  const Timestamp when = checked_time(at, "at").value_or(now);
  return state_->read([&](store::Transaction& tx) {
    require_plan(tx.memberships(), plan, "plan");
    const Customer c = detail::require_customer(tx.customers(), customer_ref, now);
    return detail::holds_active_membership(tx, c.id, plan, when);
  });
}

bool detail::holds_active_membership(store::Transaction& tx, const CustomerId& customer, std::int64_t plan,
                                     Timestamp at) {
  const auto all = effective_of(tx, customer);
  // The status as set (not as read now, which may say expired): the window
  // decides for `at`.
  return std::any_of(all.begin(), all.end(), [&](const EffectiveMembership& e) {
    const Membership& m = e.membership;
    return m.plan == plan && m.status == MembershipStatus::active && m.starts_at <= at &&
           (!m.ends_at || at < *m.ends_at);
  });
}

namespace detail {

Membership checked_membership(const NewMembership& in, MembershipStatus status, Timestamp now) {
  if (status != MembershipStatus::active && status != MembershipStatus::paused &&
      status != MembershipStatus::cancelled) {
    throw Error(Errc::invalid_argument, "status: a membership starts active, paused or cancelled", "status");
  }
  if (in.customer_ref.empty() == !in.company.has_value()) {
    throw Error(Errc::invalid_argument, "holder: give either a customer or a company", "holder");
  }
  Membership m;
  m.plan = in.plan;
  m.holder.company = in.company;
  m.starts_at = checked_time(in.starts_at, "starts_at").value_or(now);
  m.ends_at = checked_time(in.ends_at, "ends_at");
  if (m.ends_at && *m.ends_at <= m.starts_at) {
    throw Error(Errc::invalid_argument, "ends_at: must be after starts_at", "ends_at");
  }
  m.status = status;
  m.created_at = now;
  m.updated_at = now;
  return m;
}

Membership add_membership(store::Transaction& tx, Membership m, std::string_view customer_ref, Timestamp now) {
  auto& repo = tx.memberships();
  const Plan p = require_plan(repo, m.plan, "plan");
  if (m.holder.company) {
    require_company(tx, *m.holder.company);
  } else {
    m.holder.customer = detail::require_customer(tx.customers(), customer_ref, now).id;
  }
  if (!m.ends_at && p.kind == PlanKind::subscription) m.ends_at = one_period(m.starts_at, p.billing_period);
  repo.insert(m);
  EventJson details{{"starts_at", format_timestamp(m.starts_at)}, {"ends_at", detail::time_value(m.ends_at)}};
  if (m.status != MembershipStatus::active) details["status"] = std::string(to_string(m.status));
  record_membership(tx, now, m, "membership.added", "Membership added", details);
  return as_read(require_membership(repo, m.id), now);
}

}  // namespace detail

}  // namespace patron
