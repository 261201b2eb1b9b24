// Port: visits, in domain terms. Handed out by a Transaction.
//
// The storage refuses a visit naming a credential that is not the
// customer's.
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

  // Assigns the id.
  virtual void insert(Visit& visit) = 0;
  // The customer's visits matching the filter: how many; one page, newest
  // first (by time, then id).
  virtual std::int64_t count(const CustomerId& customer, const VisitFilter& filter) = 0;
  virtual std::vector<Visit> of_customer(const CustomerId& customer, const VisitFilter& filter, Page page) = 0;
  // Every customer's visits at `place` matching the filter, newest first.
  virtual std::vector<Visit> at_place(std::string_view place, const VisitFilter& filter, Page page) = 0;
};

}  // namespace patron::store
