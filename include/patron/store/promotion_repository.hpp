// Port: promotion categories and their assignments to customers and companies, in domain terms. Handed out by a Transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "patron/promotions.hpp"

namespace patron::store {

class PromotionRepository {
 public:
  virtual ~PromotionRepository() = default;
};

}  // namespace patron::store
