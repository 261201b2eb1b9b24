// Programs, tiers and rewards, the reads of accounts and tiers, tier
// evaluation, and the steps the ledger writes (loyalty_ledger.cpp) share.
#include "patron/loyalty.hpp"

#include <algorithm>
#include <array>

#include "core/customer_ops.hpp"
#include "core/enum_names.hpp"
#include "core/event_builders.hpp"
#include "core/loyalty_ops.hpp"
#include "core/membership_ops.hpp"
#include "core/rules.hpp"
#include "core/state.hpp"
#include "patron/activity.hpp"
#include "patron/error.hpp"
#include "text/text.hpp"

namespace patron {
namespace {

using detail::EventJson;
using detail::kMaxPoints;
using store::LoyaltyRepository;

constexpr std::array<std::string_view, 3> kRoundings{"down", "nearest", "up"};
constexpr std::array<std::string_view, 2> kOrders{"soonest_expiring", "oldest_earned"};
constexpr std::array<std::string_view, 6> kKinds{"earn", "redeem", "adjust", "expire", "reverse", "transfer"};
constexpr std::array<std::string_view, 2> kChangeReasons{"qualified", "evaluation"};

constexpr std::size_t kMaxName = 200;
constexpr std::size_t kMaxPointsName = 50;
constexpr std::size_t kMaxBenefits = 2000;

std::optional<Tier> find_tier(const std::vector<Tier>& tiers, const std::optional<std::string>& id) {
  if (!id) return std::nullopt;
  for (const auto& t : tiers) {
    if (t.id == *id) return t;
  }
  return std::nullopt;
}

// The tier `points` qualify for: the highest threshold at or below them.
std::optional<Tier> tier_for(const std::vector<Tier>& tiers, std::int64_t points) {
  std::optional<Tier> out;
  for (const auto& t : tiers) {  // by threshold
    if (t.threshold <= points) out = t;
  }
  return out;
}

std::int64_t threshold_of(const std::vector<Tier>& tiers, const std::optional<std::string>& id) {
  const auto t = find_tier(tiers, id);
  return t ? t->threshold : -1;
}

Timestamp window_start(const Program& p, Timestamp at) { return detail::add_months(at, -p.tier_window_months); }

std::int64_t qualifying_at(LoyaltyRepository& repo, const CustomerId& customer, const Program& p, Timestamp at) {
  return repo.qualifying_points(customer, p.id, window_start(p, at), at);
}

// Moves the account to `to` and keeps the change with its event.
void change_tier(store::Transaction& tx, const CustomerId& customer, const Program& p,
                 const std::optional<std::string>& from, const std::optional<std::string>& to,
                 TierChangeReason reason, std::int64_t qualifying, Timestamp now) {
  auto& repo = tx.loyalty();
  repo.set_tier(customer, p.id, to);
  TierChange c{0, customer, p.id, from, to, reason, qualifying, now};
  repo.add_tier_change(c);
  detail::record(tx, now,
                 detail::make_change(customer, EventCategory::payments, EventType::payment, "tier.changed",
                                     "Tier changed",
                                     EventJson{{"program", p.id},
                                               {"from", from ? EventJson(*from) : EventJson()},
                                               {"to", to ? EventJson(*to) : EventJson()},
                                               {"reason", std::string(to_string(reason))},
                                               {"qualifying_points", qualifying}}));
}

}  // namespace

namespace detail {

Program require_program(store::LoyaltyRepository& repo, std::string_view id, const char* field) {
  const std::string key = rules::host_id(id, field, "a program id");
  auto p = repo.program(key);
  if (!p) throw Error(Errc::not_found, std::string(field) + ": no loyalty program '" + key + "'", field);
  return std::move(*p);
}

PointsEntry require_points_entry(store::LoyaltyRepository& repo, std::int64_t id, const char* field) {
  auto e = repo.entry(id);
  if (!e) throw Error(Errc::not_found, std::string(field) + ": no points entry " + std::to_string(id), field);
  return std::move(*e);
}

PointsAccount points_account(store::LoyaltyRepository& repo, const CustomerId& customer, const std::string& program,
                             Timestamp now) {
  if (auto a = repo.account(customer, program, now)) return std::move(*a);
  return PointsAccount{customer, program, 0, 0, 0, 0, std::nullopt};
}

bool reward_active(const Reward& r, Timestamp at) {
  return (!r.active_from || *r.active_from <= at) && (!r.active_until || at < *r.active_until);
}

Reward require_reward(store::LoyaltyRepository& repo, std::string_view id) {
  const std::string key = rules::host_id(id, "reward", "a reward id");
  auto r = repo.reward(key);
  if (!r) throw Error(Errc::not_found, "reward: no reward '" + key + "'", "reward");
  return std::move(*r);
}

store::PointsAccountHead points_head(store::LoyaltyRepository& repo, const CustomerId& customer,
                                     std::string_view program) {
  if (auto h = repo.head(customer, program)) return std::move(*h);
  return {};
}

void upgrade_tier(store::Transaction& tx, const CustomerId& customer, const Program& p, Timestamp now) {
  auto& repo = tx.loyalty();
  upgrade_tier(tx, customer, p, repo.tiers(p.id), points_head(repo, customer, p.id).tier, now);
}

void upgrade_tier(store::Transaction& tx, const CustomerId& customer, const Program& p, const std::vector<Tier>& tiers,
                  const std::optional<std::string>& held, Timestamp now) {
  auto& repo = tx.loyalty();
  const std::int64_t held_threshold = threshold_of(tiers, held);
  // At the top already: no need to add up the window.
  if (tiers.empty() || tiers.back().threshold <= held_threshold) return;
  const std::int64_t q = qualifying_at(repo, customer, p, now);
  const auto target = tier_for(tiers, q);
  if (target && target->threshold > held_threshold) {
    change_tier(tx, customer, p, held, target->id, TierChangeReason::qualified, q, now);
  }
}

void end_tier(store::Transaction& tx, const CustomerId& customer, const Program& p, Timestamp now) {
  const auto held = points_head(tx.loyalty(), customer, p.id).tier;
  if (held) change_tier(tx, customer, p, held, std::nullopt, TierChangeReason::evaluation, 0, now);
}

}  // namespace detail

// ---- enums ----

std::string_view to_string(Rounding v) noexcept { return kRoundings[static_cast<std::size_t>(v)]; }
Rounding parse_rounding(std::string_view text, std::string_view field) {
  return detail::parse_named<Rounding>(kRoundings, text, field);
}
std::string_view to_string(RedemptionOrder v) noexcept { return kOrders[static_cast<std::size_t>(v)]; }
RedemptionOrder parse_redemption_order(std::string_view text, std::string_view field) {
  return detail::parse_named<RedemptionOrder>(kOrders, text, field);
}
std::string_view to_string(PointsEntryKind v) noexcept { return kKinds[static_cast<std::size_t>(v)]; }
PointsEntryKind parse_points_entry_kind(std::string_view text, std::string_view field) {
  return detail::parse_named<PointsEntryKind>(kKinds, text, field);
}
std::string_view to_string(TierChangeReason v) noexcept { return kChangeReasons[static_cast<std::size_t>(v)]; }
TierChangeReason parse_tier_change_reason(std::string_view text, std::string_view field) {
  return detail::parse_named<TierChangeReason>(kChangeReasons, text, field);
}

namespace detail {

PointsQuote quote_points(store::Transaction& tx, const CustomerId& customer, std::string_view program,
                         std::int64_t amount, std::string_view currency, std::int64_t category_multiplier_percent) {
  auto& repo = tx.loyalty();
  const Program p = detail::require_program(repo, program);
  return quote_points(p, repo.tiers(p.id), points_head(repo, customer, p.id).tier, amount, currency,
                      category_multiplier_percent);
}

PointsQuote quote_points(const Program& p, const std::vector<Tier>& tiers, const std::optional<std::string>& tier,
                         std::int64_t amount, std::string_view currency, std::int64_t category_multiplier_percent) {
  if (currency != p.currency && normalize_currency(currency, "currency") != p.currency) {
    throw Error(Errc::failed_precondition,
                "currency: program '" + p.id + "' earns on " + p.currency + ", not " + std::string(currency),
                "currency");
  }
  PointsQuote q;
  if (const auto held = find_tier(tiers, tier)) {
    q.tier = held->id;
    q.tier_multiplier_percent = held->earn_multiplier_percent;
  }
  // One rounding over the whole product; 128 bits hold 10^15 × 10^6 × 10^4 × 10^4.
  __extension__ using Wide = __int128;
  const Wide num = static_cast<Wide>(amount) * p.earn_points * q.tier_multiplier_percent *
                       std::max<std::int64_t>(category_multiplier_percent, 0);
  const Wide den = static_cast<Wide>(p.per_amount) * 100 * 100;
  Wide points = 0;
  switch (p.rounding) {
    case Rounding::down:
      points = num / den;
      break;
    case Rounding::nearest:
      points = (2 * num + den) / (2 * den);
      break;
    case Rounding::up:
      points = (num + den - 1) / den;
      break;
  }
  if (points > kMaxPoints) {
    throw Error(Errc::invalid_argument, "amount: would earn more than 10^12 points at once", "amount");
  }
  q.points = static_cast<std::int64_t>(points);
  return q;
}

}  // namespace detail

// ---- programs ----

namespace {

Program validated(const Program& in, Timestamp now) {
  Program p = in;
  p.id = rules::host_id(in.id, "id", "a program id");
  p.name = text::clean_required(in.name, "name", kMaxName);
  p.points_name = text::clean_required(in.points_name, "points_name", kMaxPointsName);
  p.currency = normalize_currency(in.currency, "currency");
  rules::in_range(in.earn_points, "earn_points", 1, 1'000'000, "1 to 10^6");
  rules::in_range(in.per_amount, "per_amount", 1, 1'000'000'000, "1 to 10^9");
  if (static_cast<std::size_t>(in.rounding) >= kRoundings.size()) {
    throw Error(Errc::invalid_argument, "rounding: must be down, nearest or up", "rounding");
  }
  if (static_cast<std::size_t>(in.redemption_order) >= kOrders.size()) {
    throw Error(Errc::invalid_argument, "redemption_order: must be soonest_expiring or oldest_earned",
                "redemption_order");
  }
  if (in.expiry_months) rules::in_range(*in.expiry_months, "expiry_months", 1, 1200, "1 to 1200");
  rules::in_range(in.tier_window_months, "tier_window_months", 1, 120, "1 to 120");
  p.created_at = now;
  p.updated_at = now;
  return p;
}

EventJson program_details(const Program& p) {
  return EventJson{{"program", p.id},
                   {"name", p.name},
                   {"currency", p.currency},
                   {"earn_points", p.earn_points},
                   {"per_amount", p.per_amount},
                   {"rounding", std::string(to_string(p.rounding))},
                   {"expiry_months", p.expiry_months ? EventJson(*p.expiry_months) : EventJson()},
                   {"redemption_order", std::string(to_string(p.redemption_order))},
                   {"tier_window_months", p.tier_window_months}};
}

}  // namespace

Program Loyalty::create_program(const Program& program) {
  const Timestamp now = state_->now();
  const Program p = validated(program, now);
  state_->write([&](store::Transaction& tx) {
    tx.loyalty().insert_program(p);
    detail::record(tx, now,
                   detail::configuration_change("loyalty.program_saved", "Loyalty program created",
                                                program_details(p)));
  });
  return p;
}

Program Loyalty::update_program(const Program& program) {
  const Timestamp now = state_->now();
  Program p = validated(program, now);
  return state_->write([&](store::Transaction& tx) {
    auto& repo = tx.loyalty();
    p.created_at = detail::require_program(repo, p.id, "id").created_at;
    repo.update_program(p);
    detail::record(tx, now,
                   detail::configuration_change("loyalty.program_saved", "Loyalty program updated",
                                                program_details(p)));
    return p;
  });
}

Program Loyalty::program(std::string_view id) const {
  return state_->read([&](store::Transaction& tx) { return detail::require_program(tx.loyalty(), id); });
}

std::vector<Program> Loyalty::programs() const {
  return state_->read([&](store::Transaction& tx) { return tx.loyalty().programs(); });
}

// ---- tiers ----

Tier Loyalty::save_tier(const Tier& tier) {
  Tier t = tier;
  t.program = rules::host_id(tier.program, "program", "a program id");
  t.id = rules::host_id(tier.id, "id", "a tier id");
  t.name = text::clean_required(tier.name, "name", kMaxName);
  rules::in_range(tier.threshold, "threshold", 0, kMaxPoints, "0 to 10^12");
  rules::in_range(tier.earn_multiplier_percent, "earn_multiplier_percent", 0, 10'000, "0 to 10000");
  t.benefits = text::clean(tier.benefits, "benefits", kMaxBenefits);
  const Timestamp now = state_->now();
  state_->write([&](store::Transaction& tx) {
    auto& repo = tx.loyalty();
    detail::require_program(repo, t.program);
    repo.save_tier(t);
    detail::record(tx, now,
                   detail::configuration_change("loyalty.tier_saved", "Loyalty tier saved",
                                                EventJson{{"program", t.program},
                                                          {"tier", t.id},
                                                          {"name", t.name},
                                                          {"threshold", t.threshold},
                                                          {"earn_multiplier_percent", t.earn_multiplier_percent}}));
  });
  return t;
}

void Loyalty::remove_tier(std::string_view program, std::string_view id) {
  const std::string tier = rules::host_id(id, "tier", "a tier id");
  const Timestamp now = state_->now();
  state_->write([&](store::Transaction& tx) {
    auto& repo = tx.loyalty();
    const Program p = detail::require_program(repo, program);
    if (!find_tier(repo.tiers(p.id), tier)) {
      throw Error(Errc::not_found, "tier: program '" + p.id + "' has no tier '" + tier + "'", "tier");
    }
    if (const auto n = repo.tier_holders(p.id, tier); n > 0) {
      throw Error(Errc::failed_precondition,
                  "tier: " + std::to_string(n) + " account(s) hold tier '" + tier + "'", "tier");
    }
    repo.remove_tier(p.id, tier);
    detail::record(tx, now,
                   detail::configuration_change("loyalty.tier_removed", "Loyalty tier removed",
                                                EventJson{{"program", p.id}, {"tier", tier}}));
  });
}

std::vector<Tier> Loyalty::tiers(std::string_view program) const {
  return state_->read([&](store::Transaction& tx) {
    auto& repo = tx.loyalty();
    return repo.tiers(detail::require_program(repo, program).id);
  });
}

PointsAccount Loyalty::account(std::string_view customer_ref, std::string_view program) const {
  const Timestamp now = state_->now();
  return state_->read([&](store::Transaction& tx) {
    const CustomerId customer = detail::require_customer_id(tx.customers(), customer_ref);
    return detail::points_account(tx.loyalty(), customer, detail::require_program(tx.loyalty(), program).id, now);
  });
}

std::vector<PointsAccount> Loyalty::accounts(std::string_view customer_ref) const {
  const Timestamp now = state_->now();
  return state_->read([&](store::Transaction& tx) {
    return tx.loyalty().accounts(detail::require_customer_id(tx.customers(), customer_ref), now);
  });
}

PointsEntry Loyalty::entry(std::int64_t id) const {
  return state_->read([&](store::Transaction& tx) { return detail::require_points_entry(tx.loyalty(), id, "id"); });
}

std::vector<PointsEntry> Loyalty::entries(std::string_view customer_ref, std::string_view program, Page page) const {
  rules::page(page);
  return state_->read([&](store::Transaction& tx) {
    const CustomerId customer = detail::require_customer_id(tx.customers(), customer_ref);
    return tx.loyalty().entries(customer, detail::require_program(tx.loyalty(), program).id, page, false);
  });
}

std::vector<PointsLot> Loyalty::lots(std::string_view customer_ref, std::string_view program) const {
  return state_->read([&](store::Transaction& tx) {
    const CustomerId customer = detail::require_customer_id(tx.customers(), customer_ref);
    const Program p = detail::require_program(tx.loyalty(), program);
    return tx.loyalty().lots(customer, p.id, p.redemption_order);
  });
}

// ---- tiers of customers ----

std::optional<Tier> Loyalty::tier(std::string_view customer_ref, std::string_view program) const {
  return state_->read([&](store::Transaction& tx) {
    auto& repo = tx.loyalty();
    const CustomerId customer = detail::require_customer_id(tx.customers(), customer_ref);
    const Program p = detail::require_program(repo, program);
    return find_tier(repo.tiers(p.id), detail::points_head(repo, customer, p.id).tier);
  });
}

std::optional<Tier> Loyalty::tier_at(std::string_view customer_ref, std::string_view program, Timestamp at) const {
  return state_->read([&](store::Transaction& tx) -> std::optional<Tier> {
    auto& repo = tx.loyalty();
    const CustomerId customer = detail::require_customer_id(tx.customers(), customer_ref);
    const Program p = detail::require_program(repo, program);
    const auto change = repo.tier_change_at(customer, p.id, at);
    if (!change) return std::nullopt;
    return find_tier(repo.tiers(p.id), change->to);
  });
}

TierProgress Loyalty::progress(std::string_view customer_ref, std::string_view program) const {
  const Timestamp now = state_->now();
  return state_->read([&](store::Transaction& tx) {
    auto& repo = tx.loyalty();
    const CustomerId customer = detail::require_customer_id(tx.customers(), customer_ref);
    const Program p = detail::require_program(repo, program);
    const auto tiers = repo.tiers(p.id);
    TierProgress out;
    out.tier = detail::points_head(repo, customer, p.id).tier;
    out.qualifying_points = qualifying_at(repo, customer, p, now);
    out.window_start = window_start(p, now);
    const auto qualifies = tier_for(tiers, out.qualifying_points);
    if (qualifies) out.qualifies_for = qualifies->id;
    const std::int64_t reached = qualifies ? qualifies->threshold : -1;
    for (const auto& t : tiers) {  // by threshold: the first above
      if (t.threshold > reached) {
        out.next_tier = t.id;
        out.points_to_next = t.threshold - out.qualifying_points;
        break;
      }
    }
    return out;
  });
}

std::vector<TierChange> Loyalty::tier_history(std::string_view customer_ref, std::string_view program) const {
  return state_->read([&](store::Transaction& tx) {
    const CustomerId customer = detail::require_customer_id(tx.customers(), customer_ref);
    return tx.loyalty().tier_changes(customer, detail::require_program(tx.loyalty(), program).id);
  });
}

TierEvaluation Loyalty::evaluate_tiers(std::string_view program, std::optional<Timestamp> at) {
  const Timestamp now = state_->now();
  const Timestamp when = checked_time(at, "at").value_or(now);
  return state_->write([&](store::Transaction& tx) {
    auto& repo = tx.loyalty();
    const Program p = detail::require_program(repo, program);
    const auto tiers = repo.tiers(p.id);
    TierEvaluation out;
    for (const auto& customer : repo.holders(p.id)) {
      ++out.accounts;
      const std::int64_t q = qualifying_at(repo, customer, p, when);
      const auto target = tier_for(tiers, q);
      const std::optional<std::string> to = target ? std::optional<std::string>(target->id) : std::nullopt;
      const auto held = detail::points_head(repo, customer, p.id).tier;
      if (to == held) continue;
      const bool up = threshold_of(tiers, to) > threshold_of(tiers, held);
      change_tier(tx, customer, p, held, to, up ? TierChangeReason::qualified : TierChangeReason::evaluation, q, now);
      ++(up ? out.upgraded : out.downgraded);
    }
    return out;
  });
}

// ---- rewards ----

Reward Loyalty::save_reward(const Reward& reward) {
  Reward r = reward;
  r.id = rules::host_id(reward.id, "id", "a reward id");
  r.program = rules::host_id(reward.program, "program", "a program id");
  r.name = text::clean_required(reward.name, "name", kMaxName);
  rules::in_range(reward.cost, "cost", 1, kMaxPoints, "1 to 10^12");
  checked_time(r.active_from, "active_from");
  checked_time(r.active_until, "active_until");
  if (r.active_from && r.active_until && *r.active_until <= *r.active_from) {
    throw Error(Errc::invalid_argument, "active_until: must be after active_from", "active_until");
  }
  r.description = text::clean(reward.description, "description", kMaxBenefits);
  const Timestamp now = state_->now();
  state_->write([&](store::Transaction& tx) {
    auto& repo = tx.loyalty();
    detail::require_program(repo, r.program);
    repo.save_reward(r);
    detail::record(tx, now,
                   detail::configuration_change("loyalty.reward_saved", "Loyalty reward saved",
                                                EventJson{{"reward", r.id},
                                                          {"program", r.program},
                                                          {"name", r.name},
                                                          {"cost", r.cost},
                                                          {"active_from", detail::time_value(r.active_from)},
                                                          {"active_until", detail::time_value(r.active_until)}}));
  });
  return r;
}

Reward Loyalty::reward(std::string_view id) const {
  return state_->read([&](store::Transaction& tx) { return detail::require_reward(tx.loyalty(), id); });
}

std::vector<Reward> Loyalty::rewards(std::string_view program, std::optional<Timestamp> active_at) const {
  return state_->read([&](store::Transaction& tx) {
    auto& repo = tx.loyalty();
    return repo.rewards(detail::require_program(repo, program).id, active_at);
  });
}

std::vector<Reward> Loyalty::available_rewards(std::string_view customer_ref, std::string_view program) const {
  const Timestamp now = state_->now();
  return state_->read([&](store::Transaction& tx) {
    auto& repo = tx.loyalty();
    const CustomerId customer = detail::require_customer_id(tx.customers(), customer_ref);
    const Program p = detail::require_program(repo, program);
    const std::int64_t spendable = detail::points_account(repo, customer, p.id, now).spendable;
    auto out = repo.rewards(p.id, now);
    std::erase_if(out, [&](const Reward& r) { return r.cost > spendable; });
    return out;
  });
}

std::vector<PointsEntry> Loyalty::reward_redemptions(std::string_view customer_ref, std::string_view program,
                                                     Page page) const {
  rules::page(page);
  return state_->read([&](store::Transaction& tx) {
    const CustomerId customer = detail::require_customer_id(tx.customers(), customer_ref);
    return tx.loyalty().entries(customer, detail::require_program(tx.loyalty(), program).id, page, true);
  });
}

}  // namespace patron
