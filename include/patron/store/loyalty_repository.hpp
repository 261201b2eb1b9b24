// Port: the loyalty ledger (programs, tiers, accounts, entries, lots, tier changes, rewards), in domain terms. Handed out by a Transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "patron/loyalty.hpp"

namespace patron::store {

class LoyaltyRepository {
 public:
  virtual ~LoyaltyRepository() = default;
};

}  // namespace patron::store
