// The points ledger: earns, redemptions, adjustments, reversals, transfers
// and expiry, each one idempotent write (see loyalty.hpp).
#include "patron/loyalty.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <limits>
#include <map>

#include "core/customer_ops.hpp"
#include "core/event_builders.hpp"
#include "core/idempotency.hpp"
#include "core/loyalty_ops.hpp"
#include "core/merge_ops.hpp"
#include "core/membership_ops.hpp"
#include "core/promotion_ops.hpp"
#include "core/record_ops.hpp"
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

constexpr std::size_t kMaxReference = 200;
constexpr std::size_t kMaxReason = 500;
constexpr std::string_view kScope = detail::kPointsKeyScope;

std::int64_t points_value(std::int64_t v) { return rules::in_range(v, "points", 1, kMaxPoints, "1 to 10^12"); }

// When a lot becoming spendable at `from` expires under the program's policy.
std::optional<Timestamp> expiry(const Program& p, Timestamp from) {
  if (!p.expiry_months) return std::nullopt;
  return detail::add_months(from, *p.expiry_months);
}

EventJson entry_details(const PointsEntry& e) {
  EventJson d{{"entry", e.id},
              {"program", e.program},
              {"points", e.points},
              {"balance_after", e.balance_after}};
  if (!e.reference.empty()) d["reference"] = e.reference;
  if (!e.reason.empty()) d["reason"] = e.reason;
  if (e.amount) {
    d["amount"] = *e.amount;
    d["currency"] = e.currency;
  }
  if (e.pending_until) d["pending_until"] = format_timestamp(*e.pending_until);
  if (e.expires_at) d["expires_at"] = format_timestamp(*e.expires_at);
  if (e.reverses) d["reverses"] = *e.reverses;
  if (e.counterpart) d["counterpart"] = *e.counterpart;
  if (e.reward) d["reward"] = *e.reward;
  return d;
}

// The event of a new entry on its customer's timeline.
void record_entry(store::Transaction& tx, Timestamp now, const PointsEntry& e) {
  static constexpr std::array<const char*, 6> kActions{"points.earned",   "points.redeemed", "points.adjusted",
                                                       "points.expired",  "points.reversed", "points.transferred"};
  static constexpr std::array<const char*, 6> kSummaries{"Points earned",  "Points redeemed", "Points adjusted",
                                                         "Points expired", "Points reversed", "Points transferred"};
  const auto k = static_cast<std::size_t>(e.kind);
  const bool reward = e.reward.has_value();
  detail::record(tx, now,
                 detail::make_change(e.customer, EventCategory::payments, EventType::payment,
                                     reward ? "reward.redeemed" : kActions[k],
                                     reward ? "Reward redeemed" : kSummaries[k], entry_details(e)));
}

void refuse_beyond(std::int64_t points, std::int64_t spendable, const Program& p) {
  if (points > spendable) {
    throw Error(Errc::failed_precondition,
                "points: only " + std::to_string(spendable) + " " + p.points_name + " are spendable", "points");
  }
}

// Appends `e` (its points set) after the account's balance, stamped now.
void append(LoyaltyRepository& repo, PointsEntry& e, Timestamp now) {
  const store::PointsAccountHead a = detail::points_head(repo, e.customer, e.program);
  if (e.points > 0 && a.balance > std::numeric_limits<std::int64_t>::max() - e.points) {
    throw Error(Errc::failed_precondition, "points: the balance would exceed what it can hold", "points");
  }
  e.balance_after = a.balance + e.points;
  if (e.actor.empty()) e.actor = std::string(ActorScope::current_actor());
  e.at = now;
  repo.append(e);
}

void add_lot(LoyaltyRepository& repo, const PointsEntry& e, std::int64_t points, std::optional<Timestamp> pending,
             std::optional<Timestamp> expires, bool qualifying, Timestamp now) {
  PointsLot lot{0, e.id, points, points, now, pending, expires};
  repo.add_lot(lot, qualifying, pending.value_or(now));
}

// A − entry of `points` drawn from spendable lots in the program's order;
// `e` becomes the entry as written.
std::int64_t take(store::Transaction& tx, const Program& p, PointsEntry& e, std::int64_t points, Timestamp now) {
  auto& repo = tx.loyalty();
  refuse_beyond(points, detail::points_account(repo, e.customer, p.id, now).spendable, p);
  const auto draws = repo.plan_draw(e.customer, p.id, points, p.redemption_order, now, std::nullopt);
  e.points = -points;
  append(repo, e, now);
  repo.apply_draws(e.id, draws);
  record_entry(tx, now, e);
  return e.id;
}

// A + entry that makes a lot spendable now (adjustments).
std::int64_t grant(store::Transaction& tx, const Program& p, PointsEntry e, Timestamp now) {
  auto& repo = tx.loyalty();
  e.expires_at = expiry(p, now);
  append(repo, e, now);
  add_lot(repo, e, e.points, std::nullopt, e.expires_at, e.qualifying, now);
  record_entry(tx, now, e);
  if (e.qualifying) detail::upgrade_tier(tx, e.customer, p, now);
  return e.id;
}

PointsEntry new_entry(const CustomerId& customer, const Program& p, PointsEntryKind kind, const std::string& key) {
  PointsEntry e;
  e.customer = customer;
  e.program = p.id;
  e.kind = kind;
  e.idempotency_key = key;
  return e;
}

// ---- earn ----

struct EarnWrite {
  std::string customer_ref;
  std::string program;
  std::optional<std::int64_t> points;
  std::optional<std::int64_t> amount;
  std::string currency;
  std::optional<Timestamp> pending_until;
  std::string reference;
  std::string key;
};

EarnWrite validated(const EarnRequest& in) {
  if (in.points.has_value() == in.amount.has_value()) {
    throw Error(Errc::invalid_argument, "points: give either points or an amount to earn on", "points");
  }
  EarnWrite w{in.customer_ref, rules::host_id(in.program, "program", "a program id"), {}, {}, {}, checked_time(in.pending_until, "pending_until"),
              text::clean(in.reference, "reference", kMaxReference), detail::idempotency_key(in.idempotency_key)};
  if (in.points) w.points = points_value(*in.points);
  if (in.amount) {
    w.amount = rules::money(*in.amount, "amount", 1);
    if (!text::trim(in.currency).empty()) w.currency = normalize_currency(in.currency, "currency");
  }
  return w;
}

// What the earns of one transaction share, read once: customers by
// reference, programs with their tiers, customers' category multipliers.
// None of them changes within an earn transaction.
class EarnReads {
 public:
  explicit EarnReads(store::Transaction& tx) : tx_(tx) {}

  const CustomerId& customer(const std::string& ref) {
    auto it = customers_.find(ref);
    if (it == customers_.end()) it = customers_.emplace(ref, detail::require_customer_id(tx_.customers(), ref)).first;
    return it->second;
  }
  const Program& program(const std::string& id) { return program_tiers(id).first; }
  const std::vector<Tier>& tiers(const std::string& id) { return program_tiers(id).second; }
  std::int64_t category_multiplier(const CustomerId& customer) {
    auto it = multipliers_.find(customer.str());
    if (it == multipliers_.end()) {
      it = multipliers_.emplace(customer.str(), detail::category_terms(tx_, customer).earn_multiplier_percent).first;
    }
    return it->second;
  }

 private:
  const std::pair<Program, std::vector<Tier>>& program_tiers(const std::string& id) {
    auto it = programs_.find(id);
    if (it == programs_.end()) {
      Program p = detail::require_program(tx_.loyalty(), id);
      auto tiers = tx_.loyalty().tiers(p.id);
      it = programs_.emplace(id, std::pair{std::move(p), std::move(tiers)}).first;
    }
    return it->second;
  }

  store::Transaction& tx_;
  std::map<std::string, CustomerId> customers_;
  std::map<std::string, std::pair<Program, std::vector<Tier>>> programs_;
  std::map<std::string, std::int64_t> multipliers_;
};

PointsEntry earn_in(store::Transaction& tx, EarnReads& reads, const EarnWrite& w, Timestamp now) {
  auto& repo = tx.loyalty();
  const CustomerId& customer = reads.customer(w.customer_ref);
  const Program& p = reads.program(w.program);
  const std::string currency = w.amount ? (w.currency.empty() ? p.currency : w.currency) : std::string();
  const EventJson request{{"kind", "earn"},
                          {"customer", customer.str()},
                          {"program", p.id},
                          {"points", w.points ? EventJson(*w.points) : EventJson()},
                          {"amount", w.amount ? EventJson(*w.amount) : EventJson()},
                          {"currency", currency},
                          {"pending_until", detail::time_value(w.pending_until)},
                          {"reference", w.reference}};
  // The entry as written; a replay reads the original back instead.
  std::optional<PointsEntry> written;
  const std::int64_t id = detail::write_once(tx, kScope, w.key, request.dump(), [&] {
    PointsEntry e = new_entry(customer, p, PointsEntryKind::earn, w.key);
    e.reference = w.reference;
    e.qualifying = true;
    const auto& tiers = reads.tiers(p.id);
    const auto held = detail::points_head(repo, customer, p.id).tier;
    if (w.amount) {
      e.points =
          detail::quote_points(p, tiers, held, *w.amount, currency, reads.category_multiplier(customer)).points;
      e.amount = w.amount;
      e.currency = currency;
    } else {
      e.points = *w.points;
    }
    // A release date already past locks nothing.
    const std::optional<Timestamp> pending =
        w.pending_until && *w.pending_until > now ? w.pending_until : std::optional<Timestamp>();
    e.pending_until = pending;
    if (e.points > 0) e.expires_at = expiry(p, pending.value_or(now));
    append(repo, e, now);
    if (e.points > 0) add_lot(repo, e, e.points, pending, e.expires_at, true, now);
    record_entry(tx, now, e);
    if (!pending && e.points > 0) detail::upgrade_tier(tx, customer, p, tiers, held, now);
    written = e;
    return e.id;
  });
  return written ? std::move(*written) : detail::require_points_entry(repo, id, "idempotency_key");
}

// ---- redeem ----

struct RedeemWrite {
  std::string customer_ref;
  std::string program;
  std::int64_t points;
  std::string reference;
  std::string key;
};

RedeemWrite validated(const RedeemRequest& in) {
  return RedeemWrite{in.customer_ref, rules::host_id(in.program, "program", "a program id"), points_value(in.points),
                     text::clean(in.reference, "reference", kMaxReference),
                     detail::idempotency_key(in.idempotency_key)};
}

PointsEntry redeem_in(store::Transaction& tx, const RedeemWrite& w, Timestamp now) {
  auto& repo = tx.loyalty();
  const CustomerId customer = detail::require_customer_id(tx.customers(), w.customer_ref);
  const Program p = detail::require_program(repo, w.program);
  const EventJson request{{"kind", "redeem"},     {"customer", customer.str()}, {"program", p.id},
                          {"points", w.points},   {"reference", w.reference},   {"reward", EventJson()}};
  std::optional<PointsEntry> written;  // a replay reads the original back instead
  const std::int64_t id = detail::write_once(tx, kScope, w.key, request.dump(), [&] {
    written = new_entry(customer, p, PointsEntryKind::redeem, w.key);
    written->reference = w.reference;
    return take(tx, p, *written, w.points, now);
  });
  return written ? std::move(*written) : detail::require_points_entry(repo, id, "idempotency_key");
}

// Hands `balance` points of from's account in `p` over to to's account (a
// merge): a pair of transfer entries keyed `key`, from's open lots copied to
// `to` with their dates and drawn empty.
void hand_over(store::Transaction& tx, const CustomerId& from, const CustomerId& to, const Program& p,
               std::int64_t balance, const std::string& key, Timestamp now) {
  auto& repo = tx.loyalty();
  PointsEntry out = new_entry(from, p, PointsEntryKind::transfer, key);
  out.reason = "merge";
  out.points = -balance;
  append(repo, out, now);
  PointsEntry in = new_entry(to, p, PointsEntryKind::transfer, key);
  in.reason = "merge";
  in.points = balance;
  in.counterpart = out.id;
  append(repo, in, now);
  const std::int64_t drawn = tx.merges().move_points_lots(from, to, p.id, out.id, in.id);
  if (drawn != balance) {
    throw Error(Errc::internal, "merge: the lots of program '" + p.id + "' hold " + std::to_string(drawn) +
                                    " points, the balance " + std::to_string(balance));
  }
  out.counterpart = in.id;
  record_entry(tx, now, out);
  record_entry(tx, now, in);
}

}  // namespace

// ---- the ledger ----

PointsEntry Loyalty::earn(const EarnRequest& request) {
  const EarnWrite w = validated(request);
  const Timestamp now = state_->now();
  return state_->write([&](store::Transaction& tx) {
    EarnReads reads(tx);
    return earn_in(tx, reads, w, now);
  });
}

std::vector<PointsEntry> Loyalty::earn_many(const std::vector<EarnRequest>& requests) {
  std::vector<EarnWrite> writes;
  writes.reserve(requests.size());
  for (std::size_t i = 0; i < requests.size(); ++i) {
    writes.push_back(rules::at_index(i, [&] { return validated(requests[i]); }));
  }
  const Timestamp now = state_->now();
  return state_->write([&](store::Transaction& tx) {
    EarnReads reads(tx);
    std::vector<PointsEntry> out;
    out.reserve(writes.size());
    for (std::size_t i = 0; i < writes.size(); ++i) {
      out.push_back(rules::at_index(i, [&] { return earn_in(tx, reads, writes[i], now); }));
    }
    return out;
  });
}

PointsEntry Loyalty::redeem(const RedeemRequest& request) {
  const RedeemWrite w = validated(request);
  const Timestamp now = state_->now();
  return state_->write([&](store::Transaction& tx) { return redeem_in(tx, w, now); });
}

std::vector<PointsEntry> Loyalty::redeem_many(const std::vector<RedeemRequest>& requests) {
  std::vector<RedeemWrite> writes;
  writes.reserve(requests.size());
  for (std::size_t i = 0; i < requests.size(); ++i) {
    writes.push_back(rules::at_index(i, [&] { return validated(requests[i]); }));
  }
  const Timestamp now = state_->now();
  return state_->write([&](store::Transaction& tx) {
    std::vector<PointsEntry> out;
    out.reserve(writes.size());
    for (std::size_t i = 0; i < writes.size(); ++i) {
      out.push_back(rules::at_index(i, [&] { return redeem_in(tx, writes[i], now); }));
    }
    return out;
  });
}

PointsEntry Loyalty::adjust(const AdjustRequest& request) {
  const AdjustRequest checked = detail::checked_adjustment(request);
  const Timestamp now = state_->now();
  return state_->write([&](store::Transaction& tx) { return detail::adjust_points(tx, checked, now); });
}

PointsEntry Loyalty::reverse(std::int64_t entry, std::int64_t points, std::string_view idempotency_key,
                             std::string_view reason) {
  points_value(points);
  const std::string key = detail::idempotency_key(idempotency_key);
  const std::string why = text::clean(reason, "reason", kMaxReason);
  const Timestamp now = state_->now();
  return state_->write([&](store::Transaction& tx) {
    auto& repo = tx.loyalty();
    const EventJson text{{"kind", "reverse"}, {"entry", entry}, {"points", points}, {"reason", why}};
    const std::int64_t id = detail::write_once(tx, kScope, key, text.dump(), [&] {
      const auto original = repo.entry(entry);
      if (!original || (original->kind != PointsEntryKind::earn && original->kind != PointsEntryKind::redeem)) {
        throw Error(Errc::not_found, "entry: no earn or redeem entry " + std::to_string(entry), "entry");
      }
      // A merged-away customer's entry: an earn's points went with the
      // merge; a redemption given back goes on to the survivor.
      const std::optional<CustomerId> live = tx.customers().live_id(original->customer);
      const bool merged = live && *live != original->customer;
      if (merged && original->kind == PointsEntryKind::earn) {
        throw Error(Errc::failed_precondition,
                    "entry: earn " + std::to_string(entry) +
                        " was made for a customer since merged into another; adjust that customer's points instead",
                    "entry");
      }
      const std::int64_t left = std::abs(original->points) - original->reversed;
      if (points > left) {
        throw Error(Errc::failed_precondition,
                    "points: only " + std::to_string(left) + " of entry " + std::to_string(entry) +
                        " are left to reverse",
                    "points");
      }
      const Program p = detail::require_program(repo, original->program);
      PointsEntry e = new_entry(original->customer, p, PointsEntryKind::reverse, key);
      e.reverses = original->id;
      e.reason = why;
      if (original->kind == PointsEntryKind::earn) {
        // From the earn's own lot first (whatever its state), then from
        // other spendable lots.
        const PointsLot lot = *repo.lot_of(original->id);
        const PointsAccount a = detail::points_account(repo, e.customer, p.id, now);
        const bool lot_spendable = (!lot.pending_until || *lot.pending_until <= now) &&
                                   (!lot.expires_at || *lot.expires_at > now);
        refuse_beyond(points, a.spendable + (lot_spendable ? 0 : lot.remaining), p);
        const auto draws = repo.plan_draw(e.customer, p.id, points, p.redemption_order, now, lot.id);
        e.points = -points;
        append(repo, e, now);
        repo.apply_draws(e.id, draws);
        repo.reduce_lot(lot.id, points);
      } else {
        // Gives back the redemption's draws in reverse order, after what
        // earlier reversals gave back.
        const auto draws = repo.draws(original->id);
        e.points = points;
        append(repo, e, now);
        std::int64_t skip = original->reversed;
        std::int64_t give = points;
        for (auto it = draws.rbegin(); it != draws.rend() && give > 0; ++it) {
          std::int64_t n = it->points;
          const std::int64_t skipped = std::min(skip, n);
          skip -= skipped;
          n -= skipped;
          n = std::min(n, give);
          if (n > 0) repo.restore(it->lot, n);
          give -= n;
        }
      }
      record_entry(tx, now, e);
      if (merged) hand_over(tx, e.customer, *live, p, points, "merge:" + e.customer.str() + ":" + p.id + ":" +
                                                            std::to_string(e.id), now);
      return e.id;
    });
    return detail::require_points_entry(repo, id, "idempotency_key");
  });
}

PointsEntry Loyalty::transfer(const TransferRequest& request) {
  const std::string program = rules::host_id(request.program, "program", "a program id");
  const std::int64_t points = points_value(request.points);
  const std::string reason = text::clean(request.reason, "reason", kMaxReason);
  const std::string key = detail::idempotency_key(request.idempotency_key);
  const Timestamp now = state_->now();
  return state_->write([&](store::Transaction& tx) {
    auto& repo = tx.loyalty();
    const CustomerId from = detail::require_customer_id(tx.customers(), request.from_ref);
    const CustomerId to = detail::require_customer_id(tx.customers(), request.to_ref, "to");
    if (from == to) throw Error(Errc::invalid_argument, "to: points cannot move to the same customer", "to");
    const Program p = detail::require_program(repo, program);
    const EventJson text{{"kind", "transfer"}, {"customer", from.str()}, {"to", to.str()},
                         {"program", p.id},    {"points", points},       {"reason", reason}};
    const std::int64_t id = detail::write_once(tx, kScope, key, text.dump(), [&] {
      refuse_beyond(points, detail::points_account(repo, from, p.id, now).spendable, p);
      const auto draws = repo.plan_draw(from, p.id, points, p.redemption_order, now, std::nullopt);
      PointsEntry out = new_entry(from, p, PointsEntryKind::transfer, key);
      out.reason = reason;
      out.points = -points;
      append(repo, out, now);
      repo.apply_draws(out.id, draws);
      PointsEntry in = new_entry(to, p, PointsEntryKind::transfer, key);
      in.reason = reason;
      in.points = points;
      in.counterpart = out.id;
      append(repo, in, now);
      // The received lots keep the expiry of the lots drawn.
      for (const auto& d : draws) add_lot(repo, in, d.points, std::nullopt, d.expires_at, false, now);
      out.counterpart = in.id;
      record_entry(tx, now, out);
      record_entry(tx, now, in);
      return out.id;
    });
    return detail::require_points_entry(repo, id, "idempotency_key");
  });
}

ExpiryRun Loyalty::expire(std::string_view program, std::optional<Timestamp> at) {
  const Timestamp now = state_->now();
  const Timestamp cutoff = checked_time(at, "at").value_or(now);
  return state_->write([&](store::Transaction& tx) {
    auto& repo = tx.loyalty();
    const Program p = detail::require_program(repo, program);
    ExpiryRun run;
    for (const auto& customer : repo.holders_with_expired(p.id, cutoff)) {
      const auto lots = repo.expired_lots(customer, p.id, cutoff);
      std::int64_t total = 0;
      for (const auto& l : lots) total += l.points;
      PointsEntry e = new_entry(customer, p, PointsEntryKind::expire, "");
      e.points = -total;
      append(repo, e, now);
      repo.apply_draws(e.id, lots);
      record_entry(tx, now, e);
      ++run.accounts;
      run.lots += static_cast<std::int64_t>(lots.size());
      run.points += total;
    }
    return run;
  });
}

PointsEntry Loyalty::redeem_reward(std::string_view customer_ref, std::string_view reward,
                                   std::string_view idempotency_key) {
  const std::string reward_id = rules::host_id(reward, "reward", "a reward id");
  const std::string key = detail::idempotency_key(idempotency_key);
  const Timestamp now = state_->now();
  return state_->write([&](store::Transaction& tx) {
    auto& repo = tx.loyalty();
    const CustomerId customer = detail::require_customer_id(tx.customers(), customer_ref);
    const Reward r = detail::require_reward(repo, reward_id);
    const Program p = detail::require_program(repo, r.program);
    const EventJson text{{"kind", "redeem"}, {"customer", customer.str()}, {"program", p.id},
                         {"reward", r.id}};
    const std::int64_t id = detail::write_once(tx, kScope, key, text.dump(), [&] {
      if (!detail::reward_active(r, now)) throw Error(Errc::failed_precondition, "reward: '" + r.id + "' is not active", "reward");
      PointsEntry e = new_entry(customer, p, PointsEntryKind::redeem, key);
      e.reward = r.id;
      return take(tx, p, e, r.cost, now);
    });
    return detail::require_points_entry(repo, id, "idempotency_key");
  });
}

namespace detail {

std::int64_t move_points(store::Transaction& tx, const CustomerId& from, const CustomerId& to, Timestamp now) {
  auto& repo = tx.loyalty();
  std::int64_t moved = 0;
  for (const PointsAccount& a : repo.accounts(from, now)) {
    const Program p = require_program(repo, a.program);
    if (!repo.head(to, p.id)) {
      tx.merges().move_points_account(from, to, p.id);
      ++moved;
    } else {
      if (a.balance > 0) {
        hand_over(tx, from, to, p, a.balance, "merge:" + from.str() + ":" + p.id, now);
        ++moved;
      }
      end_tier(tx, from, p, now);  // the absorbed account holds no tier any more
    }
    // Even from an empty account, from's qualifying history now counts for to.
    upgrade_tier(tx, to, p, now);
  }
  return moved;
}

AdjustRequest checked_adjustment(const AdjustRequest& request) {
  AdjustRequest out;
  out.customer_ref = request.customer_ref;
  out.program = rules::host_id(request.program, "program", "a program id");
  out.points = request.points;
  if (out.points == 0 || out.points < -kMaxPoints || out.points > kMaxPoints) {
    throw Error(Errc::invalid_argument, "points: must be nonzero within -10^12 to 10^12", "points");
  }
  out.reason = text::clean_required(request.reason, "reason", kMaxReason);
  out.actor =
      text::clean(text::trim(request.actor).empty() ? ActorScope::current_actor() : std::string_view(request.actor),
                  "actor", rules::kMaxActor);
  if (out.actor.empty()) throw Error(Errc::invalid_argument, "actor: an adjustment needs an actor", "actor");
  out.idempotency_key = detail::idempotency_key(request.idempotency_key);
  out.qualifying = out.points > 0 && request.qualifying;
  return out;
}

PointsEntry adjust_points(store::Transaction& tx, const AdjustRequest& checked, Timestamp now) {
  const std::string& program = checked.program;
  const std::int64_t points = checked.points;
  const std::string& reason = checked.reason;
  const std::string& actor = checked.actor;
  const std::string& key = checked.idempotency_key;
  const bool qualifying = checked.qualifying;
  const AdjustRequest& request = checked;
  auto& repo = tx.loyalty();
  const CustomerId customer = detail::require_customer_id(tx.customers(), request.customer_ref);
  const Program p = detail::require_program(repo, program);
  const EventJson text{{"kind", "adjust"}, {"customer", customer.str()}, {"program", p.id}, {"points", points},
                       {"reason", reason}, {"qualifying", qualifying},   {"actor", actor}};
  const std::int64_t id = detail::write_once(tx, kScope, key, text.dump(), [&] {
    PointsEntry e = new_entry(customer, p, PointsEntryKind::adjust, key);
    e.reason = reason;
    e.actor = actor;
    if (points < 0) return take(tx, p, e, -points, now);
    e.points = points;
    e.qualifying = qualifying;
    return grant(tx, p, e, now);
  });
  return detail::require_points_entry(repo, id, "idempotency_key");
}


}  // namespace detail

}  // namespace patron
