// store::LoyaltyRepository on one SQLite connection, inside a transaction the
// store opened.
#pragma once

#include "patron/store/loyalty_repository.hpp"
#include "sqlite/connection.hpp"

namespace patron::sqlite {

class LoyaltyRepository final : public store::LoyaltyRepository {
 public:
  explicit LoyaltyRepository(Connection& conn) : conn_(conn) {}

  void insert_program(const Program& program) override;
  void update_program(const Program& program) override;
  std::optional<Program> program(std::string_view id) override;
  std::vector<Program> programs() override;

  void save_tier(const Tier& tier) override;
  void remove_tier(std::string_view program, std::string_view id) override;
  std::vector<Tier> tiers(std::string_view program) override;
  std::int64_t tier_holders(std::string_view program, std::string_view tier) override;

  std::optional<PointsAccount> account(const CustomerId& customer, std::string_view program, Timestamp now) override;
  std::vector<PointsAccount> accounts(const CustomerId& customer, Timestamp now) override;
  std::optional<store::PointsAccountHead> head(const CustomerId& customer, std::string_view program) override;
  std::vector<CustomerId> holders(std::string_view program) override;
  std::vector<CustomerId> holders_with_expired(std::string_view program, Timestamp at) override;
  void set_tier(const CustomerId& customer, std::string_view program, const std::optional<std::string>& tier) override;

  void append(PointsEntry& entry) override;
  std::optional<PointsEntry> entry(std::int64_t id) override;
  std::vector<PointsEntry> entries(const CustomerId& customer, std::string_view program, Page page,
                                   bool rewards_only) override;

  void add_lot(PointsLot& lot, bool qualifying, Timestamp qualifies_at) override;
  std::optional<PointsLot> lot_of(std::int64_t entry) override;
  std::vector<PointsLot> lots(const CustomerId& customer, std::string_view program, RedemptionOrder order) override;
  std::vector<store::LotDraw> plan_draw(const CustomerId& customer, std::string_view program, std::int64_t points,
                                        RedemptionOrder order, Timestamp at, std::optional<std::int64_t> first) override;
  std::vector<store::LotDraw> expired_lots(const CustomerId& customer, std::string_view program, Timestamp at) override;
  void apply_draws(std::int64_t entry, const std::vector<store::LotDraw>& draws) override;
  std::vector<store::LotDraw> draws(std::int64_t entry) override;
  void restore(std::int64_t lot, std::int64_t points) override;
  void reduce_lot(std::int64_t lot, std::int64_t points) override;
  std::int64_t qualifying_points(const CustomerId& customer, std::string_view program, Timestamp after,
                                 Timestamp until) override;

  void add_tier_change(TierChange& change) override;
  std::vector<TierChange> tier_changes(const CustomerId& customer, std::string_view program) override;
  std::optional<TierChange> tier_change_at(const CustomerId& customer, std::string_view program,
                                           Timestamp at) override;

  void save_reward(const Reward& reward) override;
  std::optional<Reward> reward(std::string_view id) override;
  std::vector<Reward> rewards(std::string_view program, std::optional<Timestamp> active_at) override;

 private:
  // The account's rowid, created when missing (`create`), else 0 when missing.
  std::int64_t account_id(const CustomerId& customer, std::string_view program, bool create);

  Connection& conn_;
};

}  // namespace patron::sqlite
