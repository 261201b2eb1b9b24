// store::VisitRepository on one SQLite connection, inside a transaction the
// store opened.
#pragma once

#include "patron/store/visit_repository.hpp"
#include "sqlite/connection.hpp"

namespace patron::sqlite {

class VisitRepository final : public store::VisitRepository {
 public:
  explicit VisitRepository(Connection& conn) : conn_(conn) {}

 private:
  [[maybe_unused]] Connection& conn_;
};

}  // namespace patron::sqlite
