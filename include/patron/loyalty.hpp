// Loyalty: programs, tiers, the points ledger and rewards.
//
// Programs. A program has a host-chosen id ("stars"), a name, the name of
// its points ("stars"), an earn rule — `earn_points` points per `per_amount`
// minor units of `currency` (1 per 100 = one point per pound), rounded
// down, to nearest (halves up) or up — an expiry policy (points expire
// `expiry_months` calendar months after they become spendable, or never)
// and a redemption order (soonest-expiring lots first by default, lots that
// never expire last; or oldest-earned first).
//
// Tiers. A tier of a program has a host-chosen id ("gold"), a name, a
// threshold in qualifying points, an earn multiplier (percent: 150 = 1.5×)
// and benefits text. Qualifying points are what earn entries (and
// adjustments marked qualifying) added over the program's rolling window of
// `tier_window_months` months up to now, net of reversals; pending points
// qualify from the day they are released. The tier a customer qualifies for
// is the one with the highest threshold at or below their qualifying points
// (none when no tier's threshold is reached). Upgrades take effect at once
// (on the write that earns the points, or at the next evaluation for
// released pending points); downgrades only at evaluate_tiers(), which the
// host runs (e.g. nightly). Every change is kept with its reason and can be
// read back; tier_at() answers for any past time.
//
// The ledger. One account per customer per program, made on first write.
// Entries are permanent and each carries its signed points, the balance
// after it, the actor and the time:
//   earn     +  with the order reference, or the amount and currency it was
//               computed from (rule × tier multiplier × best category
//               multiplier, see promotions.hpp; an amount too small for
//               a point still records an entry of 0, with no lot; more
//               than 10^12 points at once is refused naming "amount");
//               makes a lot; may be pending
//               (locked until `pending_until`: not spendable, not
//               qualifying, until then);
//   redeem   −  consumes spendable lots in the program's order (a reward
//               redemption names the reward);
//   adjust   ±  a manual correction, with a reason and an actor (both
//               required); + makes a lot, − consumes lots like a redemption;
//   expire   −  what was left of a lot past its expiry, written by expire();
//   reverse  ±  undoes (part of) an earn (−, taken from the earn's lot
//               first, then from other spendable lots) or of a redemption
//               (+, restoring the lots it drew on); never more than the
//               original, however many partial reversals arrive;
//   transfer ±  moves spendable points to another customer's account in the
//               same program: a − entry on the giver and a + entry on the
//               receiver, whose new lots keep the expiry of the lots drawn.
// The account keeps a checkpointed running balance, moved only with each
// entry (the storage verifies it against the ledger), so reading a balance
// is a few index probes whatever the ledger's length.
//
// Balances. `balance` is the ledger's running balance; `pending` what of it
// is still locked; `expired` what of it lies in lots past expiry that
// expire() has not written off yet; `spendable` = balance − pending −
// expired, never negative.
//
// Idempotency. Every ledger write carries an idempotency key (1-200
// characters, unique across all points writes). The same key with the same
// request returns the original entry and changes nothing; the same key with
// a different request is refused with conflict naming "idempotency_key".
//
// Concurrency: any number of threads and processes may write the same
// account; writes are serialised (one writer per file), so spendable points
// never go below zero and every entry counts once.
//
// Events (timeline, category payments, type payment): points.earned,
// points.redeemed, points.adjusted, points.expired, points.reversed,
// points.transferred, tier.changed, reward.redeemed; program, tier and
// reward definitions record organisation events (loyalty.program_saved,
// loyalty.tier_saved, loyalty.tier_removed, loyalty.reward_saved).
//
// Borrowed from a Database (db.loyalty()); thread-safe like it. Each call is
// one transaction: a refused call leaves nothing behind.
//
// Errors (patron::Error):
//   invalid_argument naming the field: "id" / "program" / "tier" / "reward"
//     (ids: 1-64 characters of A-Z a-z 0-9 . _ - : /), "name" (1-200),
//     "points_name" (1-50), "currency", "earn_points" (1 to 10^6),
//     "per_amount" (1 to 10^9), "expiry_months" (1 to 1200),
//     "tier_window_months" (1 to 120), "threshold" (0 to 10^12),
//     "earn_multiplier_percent" (0 to 10000), "benefits" (at most 2000),
//     "cost" (1 to 10^12), "active_until" (not after active_from),
//     "description" (at most 2000), "ref",
//     "points" (1 to 10^12; for adjust, nonzero within ±10^12), "amount"
//     (1 to 10^15), "reference" (at most 200), "reason" (adjust: 1-500;
//     others: at most 500), "actor" (adjust without any actor),
//     "idempotency_key", "to" (transfer to the same customer), "limit";
//     an earn with both or neither of points and amount names "points";
//   not_found naming "program", "tier", "reward", "ref", "to", "entry" (a
//     reversal of an unknown entry or one that is not an earn or redeem) or
//     "id" (entry());
//   already_exists naming "id" (create_program with a taken id) or
//     "threshold" (save_tier with another tier's threshold);
//   failed_precondition naming "points" (redeem, transfer, negative adjust
//     or earn reversal beyond the spendable points: the message says how
//     many are spendable; reversal beyond what is left of the original),
//     "currency" (earn by amount in another currency than the program's),
//     "reward" (inactive reward) or "tier" (remove_tier while accounts hold
//     it);
//   conflict naming "idempotency_key".
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

enum class Rounding { down, nearest, up };
std::string_view to_string(Rounding v) noexcept;
Rounding parse_rounding(std::string_view text, std::string_view field = "rounding");

enum class RedemptionOrder { soonest_expiring, oldest_earned };
std::string_view to_string(RedemptionOrder v) noexcept;
RedemptionOrder parse_redemption_order(std::string_view text, std::string_view field = "redemption_order");

enum class PointsEntryKind { earn, redeem, adjust, expire, reverse, transfer };
std::string_view to_string(PointsEntryKind v) noexcept;
PointsEntryKind parse_points_entry_kind(std::string_view text, std::string_view field = "kind");

// Why a customer's tier changed: an earn (or an evaluation) lifted them
// (qualified), or an evaluation found them below their tier (evaluation).
enum class TierChangeReason { qualified, evaluation };
std::string_view to_string(TierChangeReason v) noexcept;
TierChangeReason parse_tier_change_reason(std::string_view text, std::string_view field = "reason");

struct Program {
  std::string id{};
  std::string name{};
  std::string points_name = "points";
  std::string currency{};              // ISO 4217 of the earn rule
  std::int64_t earn_points = 1;        // points ...
  std::int64_t per_amount = 100;       // ... per this many minor units
  Rounding rounding = Rounding::down;
  std::optional<int> expiry_months{};  // never when absent
  RedemptionOrder redemption_order = RedemptionOrder::soonest_expiring;
  int tier_window_months = 12;
  Timestamp created_at{};  // set by patron
  Timestamp updated_at{};  // set by patron
  friend bool operator==(const Program&, const Program&) = default;
};

struct Tier {
  std::string program{};
  std::string id{};
  std::string name{};
  std::int64_t threshold = 0;  // qualifying points over the window
  std::int64_t earn_multiplier_percent = 100;
  std::string benefits{};
  friend bool operator==(const Tier&, const Tier&) = default;
};

struct PointsAccount {
  CustomerId customer{};
  std::string program{};
  std::int64_t balance = 0;    // running balance of the ledger
  std::int64_t pending = 0;    // locked until their release date
  std::int64_t expired = 0;    // past expiry, not yet written off by expire()
  std::int64_t spendable = 0;  // balance - pending - expired
  std::optional<std::string> tier{};
  friend bool operator==(const PointsAccount&, const PointsAccount&) = default;
};

struct PointsEntry {
  std::int64_t id = 0;
  CustomerId customer{};
  std::string program{};
  PointsEntryKind kind = PointsEntryKind::earn;
  std::int64_t points = 0;  // signed: + adds to the balance, - takes from it
  std::int64_t balance_after = 0;
  std::optional<std::int64_t> amount{};     // earn by amount: minor units ...
  std::string currency{};                   // ... of this currency
  std::optional<Timestamp> pending_until{};  // earn: locked until then
  std::optional<Timestamp> expires_at{};     // earn, + adjust: its lot's expiry
  std::optional<std::int64_t> reverses{};    // reverse: the earn or redeem
  std::int64_t reversed = 0;                 // earn, redeem: reversed so far (as read)
  std::optional<std::int64_t> counterpart{};  // transfer: the other side's entry
  std::optional<std::string> reward{};       // redeem of a reward
  bool qualifying = false;                   // counts for tiers (earn; adjust when asked)
  std::string reference{};
  std::string reason{};
  std::string idempotency_key{};
  std::string actor{};
  Timestamp at{};
  friend bool operator==(const PointsEntry&, const PointsEntry&) = default;
};

// What is left of an earn or a + adjustment (or a transfer's received part).
struct PointsLot {
  std::int64_t id = 0;
  std::int64_t entry = 0;  // the entry that made it
  std::int64_t points = 0;     // as made, less reversals
  std::int64_t remaining = 0;  // not yet redeemed, expired or transferred
  Timestamp earned_at{};
  std::optional<Timestamp> pending_until{};
  std::optional<Timestamp> expires_at{};
  friend bool operator==(const PointsLot&, const PointsLot&) = default;
};

// An earn: either `points` (as given, no multiplier) or `amount` in
// `currency` (computed: rule × tier multiplier × best category multiplier).
struct EarnRequest {
  std::string customer_ref{};
  std::string program{};
  std::optional<std::int64_t> points{};
  std::optional<std::int64_t> amount{};
  std::string currency{};  // with amount; the program's when empty
  std::optional<Timestamp> pending_until{};
  std::string reference{};  // the order
  std::string idempotency_key{};
};

struct RedeemRequest {
  std::string customer_ref{};
  std::string program{};
  std::int64_t points = 0;
  std::string reference{};
  std::string idempotency_key{};
};

struct AdjustRequest {
  std::string customer_ref{};
  std::string program{};
  std::int64_t points = 0;  // nonzero: + grants, - takes away
  std::string reason{};     // required
  bool qualifying = false;  // + adjustments: count for tiers
  std::string actor{};      // ActorScope's actor when empty; required either way
  std::string idempotency_key{};
};

struct TransferRequest {
  std::string from_ref{};
  std::string to_ref{};
  std::string program{};
  std::int64_t points = 0;
  std::string reason{};
  std::string idempotency_key{};
};

struct TierChange {
  std::int64_t id = 0;
  CustomerId customer{};
  std::string program{};
  std::optional<std::string> from{};  // none: no tier
  std::optional<std::string> to{};
  TierChangeReason reason = TierChangeReason::qualified;
  std::int64_t qualifying_points = 0;  // at the change
  Timestamp at{};
  friend bool operator==(const TierChange&, const TierChange&) = default;
};

struct TierProgress {
  std::optional<std::string> tier{};       // held now
  std::optional<std::string> qualifies_for{};  // by qualifying points now
  std::int64_t qualifying_points = 0;
  Timestamp window_start{};  // qualifying points count from here up to now
  std::optional<std::string> next_tier{};  // the next tier above qualifies_for
  std::int64_t points_to_next = 0;         // 0 when there is no next tier
  friend bool operator==(const TierProgress&, const TierProgress&) = default;
};

struct TierEvaluation {
  std::int64_t accounts = 0;  // evaluated
  std::int64_t upgraded = 0;
  std::int64_t downgraded = 0;
  friend bool operator==(const TierEvaluation&, const TierEvaluation&) = default;
};

struct ExpiryRun {
  std::int64_t accounts = 0;  // with an expire entry written
  std::int64_t lots = 0;
  std::int64_t points = 0;
  friend bool operator==(const ExpiryRun&, const ExpiryRun&) = default;
};

struct Reward {
  std::string id{};
  std::string program{};
  std::string name{};
  std::int64_t cost = 0;  // points
  std::optional<Timestamp> active_from{};   // inclusive; unbounded when absent
  std::optional<Timestamp> active_until{};  // exclusive; unbounded when absent
  std::string description{};
  friend bool operator==(const Reward&, const Reward&) = default;
};

class Loyalty {
 public:
  explicit Loyalty(detail::DatabaseState& state) : state_(&state) {}

  // Programs. update_program changes everything but the id; rule and expiry
  // changes apply to later earns only.
  Program create_program(const Program& program);
  Program update_program(const Program& program);
  Program program(std::string_view id) const;
  std::vector<Program> programs() const;  // by id

  // Tiers: save_tier creates or replaces (program, id); thresholds are
  // unique within a program.
  Tier save_tier(const Tier& tier);
  void remove_tier(std::string_view program, std::string_view id);
  std::vector<Tier> tiers(std::string_view program) const;  // by threshold

  // The ledger.
  PointsEntry earn(const EarnRequest& request);
  // Earns in one transaction: all or nothing; errors name "[i].field".
  std::vector<PointsEntry> earn_many(const std::vector<EarnRequest>& requests);
  PointsEntry redeem(const RedeemRequest& request);
  std::vector<PointsEntry> redeem_many(const std::vector<RedeemRequest>& requests);
  PointsEntry adjust(const AdjustRequest& request);
  // Reverses `points` of earn or redeem entry `entry`. Of a customer since
  // merged into another: a redemption given back goes on to the survivor
  // (two transfer entries, as the merge's); an earn is refused
  // (failed_precondition, "entry": its points went with the merge, so
  // adjust the survivor's instead).
  PointsEntry reverse(std::int64_t entry, std::int64_t points, std::string_view idempotency_key,
                      std::string_view reason = {});
  // The giver's entry; its counterpart is the receiver's.
  PointsEntry transfer(const TransferRequest& request);
  // Writes off what is left of every lot of the program whose expiry is at
  // or before `at` (now when absent): one expire entry per account.
  ExpiryRun expire(std::string_view program, std::optional<Timestamp> at = {});

  // The account (all zero and no tier when never written).
  PointsAccount account(std::string_view customer_ref, std::string_view program) const;
  std::vector<PointsAccount> accounts(std::string_view customer_ref) const;  // by program
  PointsEntry entry(std::int64_t id) const;
  std::vector<PointsEntry> entries(std::string_view customer_ref, std::string_view program,
                                   Page page = {}) const;  // newest first
  // Lots with points left, in the program's redemption order.
  std::vector<PointsLot> lots(std::string_view customer_ref, std::string_view program) const;

  // Tiers of customers.
  std::optional<Tier> tier(std::string_view customer_ref, std::string_view program) const;
  std::optional<Tier> tier_at(std::string_view customer_ref, std::string_view program, Timestamp at) const;
  TierProgress progress(std::string_view customer_ref, std::string_view program) const;
  std::vector<TierChange> tier_history(std::string_view customer_ref, std::string_view program) const;  // newest first
  // Moves every account of the program to the tier its qualifying points
  // at `at` (now when absent) give: up or down.
  TierEvaluation evaluate_tiers(std::string_view program, std::optional<Timestamp> at = {});

  // Rewards: save_reward creates or replaces (id is unique across programs).
  Reward save_reward(const Reward& reward);
  Reward reward(std::string_view id) const;
  // The program's rewards by cost then id; only those active at `active_at`
  // when given.
  std::vector<Reward> rewards(std::string_view program, std::optional<Timestamp> active_at = {}) const;
  // A redeem entry for the reward's cost, naming it; refused when inactive.
  PointsEntry redeem_reward(std::string_view customer_ref, std::string_view reward, std::string_view idempotency_key);
  // Active now and affordable with the spendable points, by cost then id.
  std::vector<Reward> available_rewards(std::string_view customer_ref, std::string_view program) const;
  // The customer's reward redemptions, newest first.
  std::vector<PointsEntry> reward_redemptions(std::string_view customer_ref, std::string_view program,
                                              Page page = {}) const;

 private:
  detail::DatabaseState* state_;
};

}  // namespace patron
