// store::ConnectionRepository (the social graph) on one SQLite connection,
// inside a transaction the store opened. Named for the graph so it is not
// confused with sqlite::Connection.
#pragma once

#include "patron/store/connection_repository.hpp"
#include "sqlite/connection.hpp"

namespace patron::sqlite {

class GraphRepository final : public store::ConnectionRepository {
 public:
  explicit GraphRepository(Connection& conn) : conn_(conn) {}

  void insert(patron::Connection& connection) override;
  std::optional<patron::Connection> get(std::int64_t id) override;
  std::optional<patron::Connection> between(const CustomerId& a, const CustomerId& b, std::string_view type) override;
  void make_manual(std::int64_t id, std::string_view note) override;
  bool remove(std::int64_t id) override;
  std::vector<patron::Connection> of_customer(const CustomerId& customer, std::string_view type) override;
  std::vector<store::GraphNode> adjacent(const CustomerId& customer) override;
  std::optional<store::GraphNode> node(const CustomerId& customer) override;

  void insert_referral(const Referral& referral) override;
  std::optional<Referral> referral_of(const CustomerId& referred) override;
  std::vector<Referral> referrals_by(const CustomerId& referrer) override;

  std::int64_t companies_larger_than(std::size_t max_size) override;
  std::int64_t add_inferred_colleagues(std::size_t max_company_size, Timestamp at) override;
  std::int64_t remove_stale_colleagues() override;
  std::int64_t add_inferred_referrals(Timestamp at) override;

 private:
  std::int64_t customer_seq(const CustomerId& id) { return require_customer_seq(conn_, id.str()); }

  Connection& conn_;
};

}  // namespace patron::sqlite
