// store::PurseRepository and store::IdempotencyRepository on one SQLite
// connection, inside a transaction the store opened.
#pragma once

#include "patron/store/idempotency_repository.hpp"
#include "patron/store/purse_repository.hpp"
#include "sqlite/connection.hpp"

namespace patron::sqlite {

class PurseRepository final : public store::PurseRepository {
 public:
  explicit PurseRepository(Connection& conn) : conn_(conn) {}

  std::optional<PurseAccount> account(const CustomerId& customer, std::string_view currency) override;
  std::vector<PurseAccount> accounts(const CustomerId& customer) override;
  void set_credit_limit(const CustomerId& customer, std::string_view currency, std::int64_t credit_limit) override;
  void set_category_credit_limit(const CustomerId& customer, std::string_view currency,
                                 std::int64_t category_credit_limit) override;

  void append(PurseEntry& entry) override;
  std::optional<PurseEntry> entry(std::int64_t id) override;
  std::vector<PurseEntry> entries(const CustomerId& customer, std::string_view currency, Page page) override;

 private:
  Connection& conn_;
};

class IdempotencyRepository final : public store::IdempotencyRepository {
 public:
  explicit IdempotencyRepository(Connection& conn) : conn_(conn) {}

  std::optional<store::IdempotencyRecord> find(std::string_view scope, std::string_view key) override;
  void insert(std::string_view scope, std::string_view key, const store::IdempotencyRecord& record) override;

 private:
  Connection& conn_;
};

}  // namespace patron::sqlite
