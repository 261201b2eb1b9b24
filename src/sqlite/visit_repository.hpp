// store::VisitRepository on one SQLite connection, inside a transaction the
// store opened.
#pragma once

#include "patron/store/visit_repository.hpp"
#include "sqlite/connection.hpp"

namespace patron::sqlite {

class VisitRepository final : public store::VisitRepository {
 public:
  explicit VisitRepository(Connection& conn) : conn_(conn) {}

  void insert(Visit& visit) override;
  std::int64_t count(const CustomerId& customer, const VisitFilter& filter) override;
  std::vector<Visit> of_customer(const CustomerId& customer, const VisitFilter& filter, Page page) override;
  std::vector<Visit> at_place(std::string_view place, const VisitFilter& filter, Page page) override;

 private:
  Connection& conn_;
};

}  // namespace patron::sqlite
