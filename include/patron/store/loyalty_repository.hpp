// Port: the loyalty ledger (programs, tiers, accounts, entries, lots, tier changes, rewards), in domain terms. Handed out by a Transaction.
//
// The storage keeps each account's balance as a checkpoint of its ledger:
// append() writes the entry and moves the checkpoint to its balance_after in
// one step, and refuses (the schema enforces it) an entry whose
// balance_after is not the balance plus its points, a negative balance, a
// reversal of anything but an earn or redeem of the same account in the
// other direction, and reversals adding up to more than their entry.
// Entries, draws and tier changes are never changed or deleted.
//
// Lots are what + entries made; draws record what each − entry took from
// which lot, in the order it took them. The core plans draws (plan_draw,
// expired_lots) and applies them after appending their entry.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "patron/loyalty.hpp"

namespace patron::store {

// Points taken from (or given back to) one lot.
struct LotDraw {
  std::int64_t lot = 0;
  std::int64_t points = 0;
  std::optional<Timestamp> expires_at{};  // the lot's
  friend bool operator==(const LotDraw&, const LotDraw&) = default;
};

// What a ledger write needs of an account: its balance and tier, one row.
struct PointsAccountHead {
  std::int64_t balance = 0;
  std::optional<std::string> tier{};
};

class LoyaltyRepository {
 public:
  virtual ~LoyaltyRepository() = default;

  // Programs. insert_program: Error(already_exists, "id") when taken.
  virtual void insert_program(const Program& program) = 0;
  virtual void update_program(const Program& program) = 0;
  virtual std::optional<Program> program(std::string_view id) = 0;
  virtual std::vector<Program> programs() = 0;  // by id

  // Tiers. save_tier creates or replaces (program, id); Error(already_exists,
  // "threshold") when another tier of the program has its threshold.
  virtual void save_tier(const Tier& tier) = 0;
  virtual void remove_tier(std::string_view program, std::string_view id) = 0;
  virtual std::vector<Tier> tiers(std::string_view program) = 0;  // by threshold
  // How many accounts hold the tier.
  virtual std::int64_t tier_holders(std::string_view program, std::string_view tier) = 0;

  // The account with its balance split at `now`, or nothing when never written.
  virtual std::optional<PointsAccount> account(const CustomerId& customer, std::string_view program,
                                               Timestamp now) = 0;
  virtual std::vector<PointsAccount> accounts(const CustomerId& customer, Timestamp now) = 0;  // by program
  // The balance and tier without the split, or nothing when never written.
  virtual std::optional<PointsAccountHead> head(const CustomerId& customer, std::string_view program) = 0;
  // The customers with an account in the program.
  virtual std::vector<CustomerId> holders(std::string_view program) = 0;
  // The customers of the program with points left in lots expiring at or before `at`.
  virtual std::vector<CustomerId> holders_with_expired(std::string_view program, Timestamp at) = 0;
  // Sets the tier held (creating the account when missing).
  virtual void set_tier(const CustomerId& customer, std::string_view program,
                        const std::optional<std::string>& tier) = 0;

  // Appends the entry (creating the account when missing), assigns its id
  // and moves the account's balance to entry.balance_after. An entry with an
  // empty idempotency key (expire) has none.
  virtual void append(PointsEntry& entry) = 0;
  virtual std::optional<PointsEntry> entry(std::int64_t id) = 0;
  // Newest first (by id), one page; only reward redemptions when asked.
  virtual std::vector<PointsEntry> entries(const CustomerId& customer, std::string_view program, Page page,
                                           bool rewards_only) = 0;

  // Makes the lot of `lot.entry` (assigns lot.id); it counts for tiers from
  // `qualifies_at` when `qualifying`.
  virtual void add_lot(PointsLot& lot, bool qualifying, Timestamp qualifies_at) = 0;
  // The lot `entry` made.
  virtual std::optional<PointsLot> lot_of(std::int64_t entry) = 0;
  // Lots with points left, in `order`.
  virtual std::vector<PointsLot> lots(const CustomerId& customer, std::string_view program,
                                      RedemptionOrder order) = 0;
  // Which lots `points` would come from at `at`: all of lot `first` can give
  // (whatever its state), then lots spendable at `at` (released, not
  // expired) in `order`. Fewer points when there are not enough.
  virtual std::vector<LotDraw> plan_draw(const CustomerId& customer, std::string_view program, std::int64_t points,
                                         RedemptionOrder order, Timestamp at, std::optional<std::int64_t> first) = 0;
  // Everything left in lots expiring at or before `at`, by lot.
  virtual std::vector<LotDraw> expired_lots(const CustomerId& customer, std::string_view program, Timestamp at) = 0;
  // Takes the draws from their lots, recorded against − entry `entry` in order.
  virtual void apply_draws(std::int64_t entry, const std::vector<LotDraw>& draws) = 0;
  // What − entry `entry` took, in the order it took it.
  virtual std::vector<LotDraw> draws(std::int64_t entry) = 0;
  // Gives points back to a lot (a reversed redemption).
  virtual void restore(std::int64_t lot, std::int64_t points) = 0;
  // Lowers the lot's points as made (a reversed earn).
  virtual void reduce_lot(std::int64_t lot, std::int64_t points) = 0;
  // Points of qualifying lots with qualifies_at in (`after`, `until`].
  virtual std::int64_t qualifying_points(const CustomerId& customer, std::string_view program, Timestamp after,
                                         Timestamp until) = 0;

  // Tier changes. add_tier_change assigns change.id.
  virtual void add_tier_change(TierChange& change) = 0;
  virtual std::vector<TierChange> tier_changes(const CustomerId& customer, std::string_view program) = 0;  // newest first
  // The last change at or before `at`.
  virtual std::optional<TierChange> tier_change_at(const CustomerId& customer, std::string_view program,
                                                   Timestamp at) = 0;

  // Rewards: save_reward creates or replaces by id.
  virtual void save_reward(const Reward& reward) = 0;
  virtual std::optional<Reward> reward(std::string_view id) = 0;
  // By cost then id; only those active at `active_at` when given.
  virtual std::vector<Reward> rewards(std::string_view program, std::optional<Timestamp> active_at) = 0;
};

}  // namespace patron::store
