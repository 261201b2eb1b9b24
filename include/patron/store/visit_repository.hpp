// Port: visits, in domain terms. Handed out by a Transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "patron/visits.hpp"

namespace patron::store {

class VisitRepository {
 public:
  virtual ~VisitRepository() = default;
};

}  // namespace patron::store
