// store::LoyaltyRepository on one SQLite connection, inside a transaction the
// store opened.
#pragma once

#include "patron/store/loyalty_repository.hpp"
#include "sqlite/connection.hpp"

namespace patron::sqlite {

class LoyaltyRepository final : public store::LoyaltyRepository {
 public:
  explicit LoyaltyRepository(Connection& conn) : conn_(conn) {}

 private:
  [[maybe_unused]] Connection& conn_;
};

}  // namespace patron::sqlite
