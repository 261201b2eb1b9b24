// store::PromotionRepository on one SQLite connection, inside a transaction the
// store opened.
#pragma once

#include "patron/store/promotion_repository.hpp"
#include "sqlite/connection.hpp"

namespace patron::sqlite {

class PromotionRepository final : public store::PromotionRepository {
 public:
  explicit PromotionRepository(Connection& conn) : conn_(conn) {}

  void insert(const PromotionCategory& category) override;
  std::optional<PromotionCategory> get(std::string_view id) override;
  void update(const PromotionCategory& category) override;
  void remove(std::string_view id) override;
  std::vector<PromotionCategory> list() override;
  bool assigned(std::string_view id) override;

  bool assign(std::string_view category, const CustomerId& customer, Timestamp at) override;
  bool unassign(std::string_view category, const CustomerId& customer) override;
  bool assign_to_company(std::string_view category, std::int64_t company, Timestamp at) override;
  bool unassign_from_company(std::string_view category, std::int64_t company) override;

  std::vector<std::string> of_customer(const CustomerId& customer) override;
  std::vector<std::string> of_company(std::int64_t company) override;
  std::vector<PromotionCategory> applying_to(const CustomerId& customer) override;
  std::vector<CustomerId> customers_in(std::string_view category, Page page) override;
  std::vector<std::int64_t> companies_in(std::string_view category) override;

 private:
  Connection& conn_;
};

}  // namespace patron::sqlite
