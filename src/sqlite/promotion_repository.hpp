// store::PromotionRepository on one SQLite connection, inside a transaction the
// store opened.
#pragma once

#include "patron/store/promotion_repository.hpp"
#include "sqlite/connection.hpp"

namespace patron::sqlite {

class PromotionRepository final : public store::PromotionRepository {
 public:
  explicit PromotionRepository(Connection& conn) : conn_(conn) {}

 private:
  [[maybe_unused]] Connection& conn_;
};

}  // namespace patron::sqlite
