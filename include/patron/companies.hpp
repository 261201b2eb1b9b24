// Companies: organisations customers belong to, recognised by the email
// domains they own.
//
// A company owns any number of email domains, each reduced to its
// registrable domain with the public suffix list (libpsl): "eu.acme.co.uk"
// and "acme.co.uk" are one company domain; a bare public suffix ("co.uk") is
// refused, and so are free-mail and ISP domains (gmail.com, outlook.com,
// yahoo.*, icloud.com, ...: a built-in list a host can extend through
// Options::free_mail_domains). A domain belongs to one company.
//
// A customer whose email's registrable domain is a company domain is linked
// to that company automatically: when the email is added, when the customer
// is created, and when the domain is added to the company later (every
// existing customer with a matching email, in one transaction). Removing the
// email or the domain removes the links it made, never a manual link. Manual
// links carry a role and a billing-relationship flag. Customers may belong to
// several companies.
//
// Borrowed from a Database (db.companies()); thread-safe like it. Each call
// is one transaction: a refused call leaves nothing behind.
//
// Errors (patron::Error): invalid_argument naming the field ("name",
// "sector", "contact_person", "notes", "role", "domain" — "domains[i]" in
// create — and "limit"); not_found naming "id" (get, update) or "company"
// (the other calls) for an unknown company, "customer" for an unknown
// customer reference (or no manual link to remove), "domain" for a domain the
// company does not have; already_exists naming "domain"/"domains[i]" for a
// domain another company (named in the message) or this one already owns.
//
// Email registrable domains are kept next to each stored email (SQLite
// table customer_email_domains, schema 4), so linking a domain to every
// matching customer is one indexed INSERT ... SELECT.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "patron/customer.hpp"
#include "patron/types.hpp"

namespace patron {

namespace detail {
struct DatabaseState;
}

struct Company {
  std::int64_t id = 0;
  std::string name{};
  std::string sector{};          // business domain: "hospitality", "law", ...
  std::string contact_person{};
  std::string notes{};
  std::vector<std::string> domains{};  // registrable domains, sorted
  Timestamp created_at{};
  Timestamp updated_at{};
  friend bool operator==(const Company&, const Company&) = default;
};

struct NewCompany {
  std::string name{};
  std::string sector{};
  std::string contact_person{};
  std::string notes{};
  std::vector<std::string> domains{};
};

// Partial update: nullopt leaves a field; an empty string clears it.
struct CompanyUpdate {
  std::optional<std::string> name{};
  std::optional<std::string> sector{};
  std::optional<std::string> contact_person{};
  std::optional<std::string> notes{};
};

// How a customer came to belong to a company.
enum class LinkSource { email_domain, manual };
std::string_view to_string(LinkSource v) noexcept;

struct CompanyLink {
  std::int64_t company = 0;
  CustomerId customer{};
  LinkSource source = LinkSource::manual;
  std::string role{};             // manual links: "employee", "billing contact", ...
  bool billing = false;           // manual links: a billing relationship
  std::string domain{};           // email_domain links: the domain that made it
  Timestamp linked_at{};
  friend bool operator==(const CompanyLink&, const CompanyLink&) = default;
};

class Companies {
 public:
  explicit Companies(detail::DatabaseState& state) : state_(&state) {}

  // Creating a company with domains links the matching customers at once.
  // Domains that reduce to the same registrable domain are kept once.
  Company create(const NewCompany& company);
  Company get(std::int64_t id) const;
  Company update(std::int64_t id, const CompanyUpdate& changes);
  // Companies whose name starts with `text` (accent- and case-insensitive,
  // punctuation ignored: "acme sons" finds "Acme & Sons"); all when empty.
  // Ordered by folded name, then id.
  std::vector<Company> search(std::string_view text, Page page = {}) const;
  // The company owning the registrable domain of `domain_or_email`, if any
  // (free-mail domains simply find nothing).
  std::optional<Company> find_by_domain(std::string_view domain_or_email) const;

  // Adds a domain and links every customer with an email at it; returns how
  // many customers were newly linked.
  std::int64_t add_domain(std::int64_t company, std::string_view domain);
  // Removes the domain and the links it made; returns how many were removed.
  std::int64_t remove_domain(std::int64_t company, std::string_view domain);

  // A manual link (or an update of the manual link's role and flag, keeping
  // its linked_at). `role` is free text, at most 100 characters.
  CompanyLink link(std::int64_t company, std::string_view customer_ref, std::string_view role = {},
                   bool billing = false);
  // Removes the manual link; links made by email domains stay.
  void unlink(std::int64_t company, std::string_view customer_ref);

  // A company's customers, each once per link, by customer number (then
  // email_domain links before the manual one, then domain).
  std::vector<CompanyLink> customers_of(std::int64_t company, Page page = {}) const;
  // A customer's companies with how each link was made: by company id, then
  // email_domain links before the manual one, then domain.
  std::vector<CompanyLink> companies_of(std::string_view customer_ref) const;

  // The registrable domain patron would store for `domain_or_email`, or the
  // refusal (invalid_argument naming "domain"), without writing anything.
  std::string registrable_domain(std::string_view domain_or_email) const;

 private:
  detail::DatabaseState* state_;
};

}  // namespace patron
