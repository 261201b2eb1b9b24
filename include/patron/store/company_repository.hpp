// Port: companies, their email domains and the links to customers, in
// domain terms. Handed out by a Transaction. A domain belongs to one company,
// and a company has at most one manual link per customer and one email-domain
// link per (customer, domain): the storage enforces both (already_exists).
//
// The registrable domain of every customer email is computed by the core
// (public suffix list) and kept here next to the email, so that linking a
// company domain to every matching customer is one indexed query.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "patron/companies.hpp"

namespace patron::store {

class CompanyRepository {
 public:
  virtual ~CompanyRepository() = default;

  // Companies. insert() assigns the id and stores no domains; `name_key` is
  // the folded search text of the name. Returned companies carry their domains.
  virtual void insert(Company& company, std::string_view name_key) = 0;
  virtual std::optional<Company> get(std::int64_t id) = 0;
  // Rewrites name, sector, contact person, notes and updated_at.
  virtual void update(const Company& company, std::string_view name_key) = 0;
  // Companies whose name key starts with `prefix` (all when empty), by name key then id.
  virtual std::vector<Company> search(std::string_view prefix, Page page) = 0;

  // Domains.
  virtual std::optional<std::int64_t> owner_of(std::string_view domain) = 0;
  virtual void add_domain(std::int64_t company, std::string_view domain, Timestamp at) = 0;
  virtual void remove_domain(std::int64_t company, std::string_view domain) = 0;

  // The registrable domain of a customer's (stored) email.
  virtual void set_email_domain(const CustomerId& customer, std::string_view address, std::string_view domain) = 0;
  // Whether emails stored before this index existed still wait for their
  // domain; the emails concerned (customer, address); and the end of it.
  virtual bool email_domains_pending() = 0;
  virtual std::vector<std::pair<CustomerId, std::string>> emails_without_domain() = 0;
  virtual void clear_email_domains_pending() = 0;

  // Email-domain links. Each returns how many links it added or removed.
  // Links every customer with an email at `domain` to `company`.
  virtual std::int64_t link_domain(std::int64_t company, std::string_view domain, Timestamp at) = 0;
  // Links `customer` to the company owning `domain`, if any.
  virtual std::int64_t link_customer(const CustomerId& customer, std::string_view domain, Timestamp at) = 0;
  virtual std::int64_t unlink_domain(std::int64_t company, std::string_view domain) = 0;
  virtual std::int64_t unlink_customer(const CustomerId& customer, std::string_view domain) = 0;
  // The customers `company` is linked to through `domain` (email-domain
  // links), in link order: whom link_domain linked, or unlink_domain will unlink.
  virtual std::vector<CustomerId> domain_members(std::int64_t company, std::string_view domain) = 0;

  // Manual links: insert or replace the role and flag; remove.
  virtual void put_manual_link(const CompanyLink& link) = 0;
  virtual bool remove_manual_link(std::int64_t company, const CustomerId& customer) = 0;

  // By customer number, then source and domain.
  virtual std::vector<CompanyLink> links_of_company(std::int64_t company, Page page) = 0;
  // By company id, then source and domain.
  virtual std::vector<CompanyLink> links_of_customer(const CustomerId& customer) = 0;
};

}  // namespace patron::store
