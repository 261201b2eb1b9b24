// Points arithmetic shared by the loyalty ledger and promotion quotes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "patron/customer.hpp"
#include "patron/loyalty.hpp"
#include "patron/store/loyalty_repository.hpp"
#include "patron/store/store.hpp"

namespace patron::detail {

// What paying `amount` minor units of `currency` would earn `customer` in
// `program` now: the program's rule × the tier multiplier held now × the
// category multiplier, rounded once by the program's rounding.
// Error(not_found, "program") for an unknown program;
// Error(failed_precondition, "currency") for another currency than the
// program's.
struct PointsQuote {
  std::int64_t points = 0;
  std::optional<std::string> tier{};
  std::int64_t tier_multiplier_percent = 100;
};
PointsQuote quote_points(store::Transaction& tx, const CustomerId& customer, std::string_view program,
                         std::int64_t amount, std::string_view currency, std::int64_t category_multiplier_percent);

// Steps the loyalty files share (loyalty.cpp: definitions, reads and tiers;
// loyalty_ledger.cpp: the ledger writes).

inline constexpr std::int64_t kMaxPoints = 1'000'000'000'000;  // 10^12

// By id (well-formed: Error(invalid_argument, `field`)); Error(not_found, `field`) when missing.
Program require_program(store::LoyaltyRepository& repo, std::string_view id, const char* field = "program");
PointsEntry require_points_entry(store::LoyaltyRepository& repo, std::int64_t id, const char* field);
Reward require_reward(store::LoyaltyRepository& repo, std::string_view id);
bool reward_active(const Reward& r, Timestamp at);
// The account at `now`, all zero when never written.
PointsAccount points_account(store::LoyaltyRepository& repo, const CustomerId& customer, const std::string& program,
                             Timestamp now);
// The balance and tier (0 and none when never written), one row.
store::PointsAccountHead points_head(store::LoyaltyRepository& repo, const CustomerId& customer,
                                     std::string_view program);
// quote_points on what the caller already read: the program, its tiers and
// the tier held.
PointsQuote quote_points(const Program& p, const std::vector<Tier>& tiers, const std::optional<std::string>& held,
                         std::int64_t amount, std::string_view currency, std::int64_t category_multiplier_percent);
// Moves the customer up at once when their qualifying points now reach a
// higher tier than the one held (never down: that waits for evaluate_tiers).
void upgrade_tier(store::Transaction& tx, const CustomerId& customer, const Program& p, Timestamp now);
// As above on the program's tiers and the tier held, already read.
// Ends the tier the account holds (its customer was merged away while the
// survivor kept an account of its own): a change to none, with its event.
void end_tier(store::Transaction& tx, const CustomerId& customer, const Program& p, Timestamp now);
void upgrade_tier(store::Transaction& tx, const CustomerId& customer, const Program& p, const std::vector<Tier>& tiers,
                  const std::optional<std::string>& held, Timestamp now);

}  // namespace patron::detail
