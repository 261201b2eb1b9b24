// store::MembershipRepository on one SQLite connection, inside a transaction
// the store opened.
#pragma once

#include "patron/store/membership_repository.hpp"
#include "sqlite/connection.hpp"

namespace patron::sqlite {

class MembershipRepository final : public store::MembershipRepository {
 public:
  explicit MembershipRepository(Connection& conn) : conn_(conn) {}

  void insert_plan(Plan& plan) override;
  std::optional<Plan> plan(std::int64_t id) override;
  std::optional<std::int64_t> plan_named(std::string_view name) override;
  std::vector<Plan> plans() override;

  void insert(Membership& membership) override;
  std::optional<Membership> get(std::int64_t id) override;
  void update(const Membership& membership) override;
  std::vector<Membership> of_customer(const CustomerId& customer) override;
  std::vector<Membership> of_company(std::int64_t company) override;

 private:
  std::int64_t customer_seq(const CustomerId& id);

  Connection& conn_;
};

}  // namespace patron::sqlite
