// store::CompanyRepository on one SQLite connection, inside a transaction
// the store opened.
#pragma once

#include "patron/store/company_repository.hpp"
#include "sqlite/connection.hpp"

namespace patron::sqlite {

class CompanyRepository final : public store::CompanyRepository {
 public:
  explicit CompanyRepository(Connection& conn) : conn_(conn) {}

  void insert(Company& company, std::string_view name_key) override;
  std::optional<Company> get(std::int64_t id) override;
  void update(const Company& company, std::string_view name_key) override;
  std::vector<Company> search(std::string_view prefix, Page page) override;

  std::optional<std::int64_t> owner_of(std::string_view domain) override;
  void add_domain(std::int64_t company, std::string_view domain, Timestamp at) override;
  void remove_domain(std::int64_t company, std::string_view domain) override;

  void set_email_domain(const CustomerId& customer, std::string_view address, std::string_view domain) override;
  bool email_domains_pending() override;
  std::vector<std::pair<CustomerId, std::string>> emails_without_domain() override;
  void clear_email_domains_pending() override;

  std::int64_t link_domain(std::int64_t company, std::string_view domain, Timestamp at) override;
  std::int64_t link_customer(const CustomerId& customer, std::string_view domain, Timestamp at) override;
  std::int64_t unlink_domain(std::int64_t company, std::string_view domain) override;
  std::int64_t unlink_customer(const CustomerId& customer, std::string_view domain) override;
  std::vector<CustomerId> domain_members(std::int64_t company, std::string_view domain) override;

  void put_manual_link(const CompanyLink& link) override;
  bool remove_manual_link(std::int64_t company, const CustomerId& customer) override;

  std::vector<CompanyLink> links_of_company(std::int64_t company, Page page) override;
  std::vector<CompanyLink> links_of_customer(const CustomerId& customer) override;

 private:
  std::int64_t customer_seq(const CustomerId& id);
  Company read_company(SQLite::Statement& row);
  CompanyLink read_link(SQLite::Statement& row);

  Connection& conn_;
  // Whether any company has a domain, read once per transaction: most
  // organisations have none, and every new email asks (owner_of). Set when
  // this transaction adds one; a step undone may leave it true (then a
  // probe answers).
  std::optional<bool> any_domain_;
};

}  // namespace patron::sqlite
