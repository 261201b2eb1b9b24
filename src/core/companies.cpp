#include "patron/companies.hpp"

#include <algorithm>

#include "core/company_ops.hpp"
#include "core/customer_ops.hpp"
#include "core/event_builders.hpp"
#include "core/rules.hpp"
#include "core/state.hpp"
#include "patron/error.hpp"
#include "text/text.hpp"

namespace patron {
namespace {

using store::CompanyRepository;
using detail::EventJson;

constexpr std::size_t kMaxName = 200;
constexpr std::size_t kMaxSector = 100;
constexpr std::size_t kMaxContact = 200;
constexpr std::size_t kMaxNotes = 5000;
constexpr std::size_t kMaxRole = 100;
constexpr std::size_t kMaxDomains = 100;

// Folded words joined by one space: "Müller & Söhne" -> "muller sohne".
std::string name_key(std::string_view text) {
  std::string key;
  for (const auto& w : text::fold_words(text)) {
    if (!key.empty()) key += ' ';
    key += w;
  }
  return key;
}

// A registrable domain a company may own.
std::string company_domain(std::string_view input, const Options& options, const std::string& field) {
  std::string d = text::registrable_domain(input, field);
  if (text::is_free_mail_domain(d, options.free_mail_domains)) {
    throw Error(Errc::invalid_argument, field + ": " + d + " is a free-mail domain and cannot identify a company",
                field);
  }
  return d;
}

Company require_company(CompanyRepository& repo, std::int64_t id, const char* field) {
  auto c = repo.get(id);
  if (!c) {
    throw Error(Errc::not_found, std::string(field) + ": no company " + std::to_string(id), field);
  }
  return std::move(*c);
}

// A customer reference in a companies call is its "customer" argument.
Customer require_member(store::CustomerRepository& repo, std::string_view ref, Timestamp now) {
  return detail::require_customer(repo, ref, now, "customer");
}

// An event about a company (no customer: the organisation's timeline).
detail::Change company_event(std::int64_t company, const char* action, const char* summary, EventJson details) {
  details["company"] = company;
  return detail::make_change(std::nullopt, EventCategory::customers, EventType::data, action, summary, details);
}

// "company.linked" / "company.unlinked" on the timeline of each customer an
// email-domain link was made to or removed from.
void record_domain_links(store::Transaction& tx, Timestamp now, std::int64_t company, const std::string& domain,
                         const std::vector<CustomerId>& customers, bool linked) {
  for (const auto& customer : customers) {
    detail::record(tx, now,
                   detail::company_link_change(customer, company, linked ? "company.linked" : "company.unlinked",
                                               linked ? "Linked to a company" : "Unlinked from a company",
                                               LinkSource::email_domain, domain));
  }
}

// Adds a domain the company does not hold yet, links the customers it
// matches (each link recorded on the customer's timeline) and returns how
// many it linked.
std::int64_t attach_domain(store::Transaction& tx, const Company& company, const std::string& domain,
                           const std::string& field, Timestamp now) {
  CompanyRepository& repo = tx.companies();
  if (auto owner = repo.owner_of(domain)) {
    if (*owner == company.id) {
      throw Error(Errc::already_exists,
                  field + ": company " + std::to_string(company.id) + " already has " + domain, field);
    }
    const auto holder = repo.get(*owner);
    throw Error(Errc::already_exists,
                field + ": " + domain + " already belongs to company " + std::to_string(*owner) +
                    (holder ? " (" + holder->name + ")" : std::string()),
                field);
  }
  repo.add_domain(company.id, domain, now);
  const std::int64_t linked = repo.link_domain(company.id, domain, now);
  if (linked > 0) record_domain_links(tx, now, company.id, domain, repo.domain_members(company.id, domain), true);
  return linked;
}

}  // namespace

std::string_view to_string(LinkSource v) noexcept {
  return v == LinkSource::manual ? "manual" : "email_domain";
}

namespace detail {

void email_added(store::Transaction& tx, const CustomerId& customer, std::string_view address, Timestamp now) {
  const auto domain = text::email_registrable_domain(address);
  if (!domain) return;
  auto& repo = tx.companies();
  repo.set_email_domain(customer, address, *domain);
  // Most domains belong to no company: one probe, no insert to prepare.
  const auto owner = repo.owner_of(*domain);
  if (!owner || repo.link_customer(customer, *domain, now) == 0) return;
  record(tx, now,
         company_link_change(customer, *owner, "company.linked", "Linked to a company", LinkSource::email_domain,
                             *domain));
}

void email_removed(store::Transaction& tx, const Customer& c, std::string_view address, Timestamp now) {
  const auto domain = text::email_registrable_domain(address);
  if (!domain) return;
  const bool still_matched = std::any_of(c.emails.begin(), c.emails.end(), [&](const Email& e) {
    return text::email_registrable_domain(e.address) == domain;
  });
  if (still_matched) return;
  auto& repo = tx.companies();
  const auto owner = repo.owner_of(*domain);
  if (repo.unlink_customer(c.id, *domain) == 0 || !owner) return;
  record(tx, now,
         company_link_change(c.id, *owner, "company.unlinked", "Unlinked from a company", LinkSource::email_domain,
                             *domain));
}

void index_pending_email_domains(store::Store& store) {
  bool pending = false;
  store.read([&](store::Transaction& tx) { pending = tx.companies().email_domains_pending(); });
  if (!pending) return;
  store.write([&](store::Transaction& tx) {
    auto& repo = tx.companies();
    if (!repo.email_domains_pending()) return;  // another process did it
    for (const auto& [customer, address] : repo.emails_without_domain()) {
      if (auto domain = text::email_registrable_domain(address)) repo.set_email_domain(customer, address, *domain);
    }
    repo.clear_email_domains_pending();
  });
}

}  // namespace detail

Company Companies::create(const NewCompany& in) {
  const Timestamp now = state_->now();
  Company c;
  c.name = text::clean_required(in.name, "name", kMaxName);
  c.sector = text::clean(in.sector, "sector", kMaxSector);
  c.contact_person = text::clean(in.contact_person, "contact_person", kMaxContact);
  c.notes = text::clean(in.notes, "notes", kMaxNotes);
  if (in.domains.size() > kMaxDomains) {
    throw Error(Errc::invalid_argument, "domains: at most 100 domains", "domains");
  }
  std::vector<std::pair<std::string, std::string>> domains;  // (domain, field)
  for (std::size_t i = 0; i < in.domains.size(); ++i) {
    const std::string field = indexed_field("domains", i);
    std::string d = company_domain(in.domains[i], state_->options, field);
    // "eu.acme.co.uk" and "acme.co.uk" are one domain: listed once.
    if (std::none_of(domains.begin(), domains.end(), [&](const auto& p) { return p.first == d; })) {
      domains.emplace_back(std::move(d), field);
    }
  }
  c.created_at = now;
  c.updated_at = now;
  const std::string key = name_key(c.name);
  return state_->write([&](store::Transaction& tx) {
    auto& repo = tx.companies();
    repo.insert(c, key);
    EventJson names = EventJson::array();
    for (const auto& d : domains) names.push_back(d.first);
    detail::record(tx, now, company_event(c.id, "company.created", "Company created", EventJson{{"domains", names}}));
    for (const auto& [domain, field] : domains) attach_domain(tx, c, domain, field, now);
    return require_company(repo, c.id, "id");
  });
}

Company Companies::get(std::int64_t id) const {
  return state_->read([&](store::Transaction& tx) { return require_company(tx.companies(), id, "id"); });
}

Company Companies::update(std::int64_t id, const CompanyUpdate& changes) {
  const Timestamp now = state_->now();
  CompanyUpdate u;
  if (changes.name) u.name = text::clean_required(*changes.name, "name", kMaxName);
  if (changes.sector) u.sector = text::clean(*changes.sector, "sector", kMaxSector);
  if (changes.contact_person) u.contact_person = text::clean(*changes.contact_person, "contact_person", kMaxContact);
  if (changes.notes) u.notes = text::clean(*changes.notes, "notes", kMaxNotes);
  return state_->write([&](store::Transaction& tx) {
    auto& repo = tx.companies();
    Company c = require_company(repo, id, "id");
    // The event names the fields that changed, not their values (a contact
    // person is personal data, and organisation events are not encrypted).
    EventJson fields = EventJson::array();
    const auto set = [&](std::string& field, const std::optional<std::string>& value, const char* name) {
      if (!value || *value == field) return;
      field = *value;
      fields.push_back(name);
    };
    set(c.name, u.name, "name");
    set(c.sector, u.sector, "sector");
    set(c.contact_person, u.contact_person, "contact_person");
    set(c.notes, u.notes, "notes");
    c.updated_at = now;
    repo.update(c, name_key(c.name));
    if (!fields.empty()) {
      detail::record(tx, now, company_event(id, "company.updated", "Company updated", EventJson{{"fields", fields}}));
    }
    return require_company(repo, id, "id");
  });
}

std::vector<Company> Companies::search(std::string_view text, Page page) const {
  rules::page(page);
  const std::string prefix = name_key(text::clean(text, "text", kMaxName));
  return state_->read([&](store::Transaction& tx) { return tx.companies().search(prefix, page); });
}

std::optional<Company> Companies::find_by_domain(std::string_view domain_or_email) const {
  const std::string domain = text::registrable_domain(domain_or_email, "domain");
  return state_->read([&](store::Transaction& tx) -> std::optional<Company> {
    auto& repo = tx.companies();
    const auto owner = repo.owner_of(domain);
    if (!owner) return std::nullopt;
    return repo.get(*owner);
  });
}

std::int64_t Companies::add_domain(std::int64_t company, std::string_view domain) {
  const std::string d = company_domain(domain, state_->options, "domain");
  const Timestamp now = state_->now();
  return state_->write([&](store::Transaction& tx) {
    auto& repo = tx.companies();
    Company c = require_company(repo, company, "company");
    const std::int64_t linked = attach_domain(tx, c, d, "domain", now);
    c.updated_at = now;
    repo.update(c, name_key(c.name));
    detail::record(tx, now,
                   company_event(company, "company.domain_added", "Company domain added",
                                 EventJson{{"domain", d}, {"linked", linked}}));
    return linked;
  });
}

std::int64_t Companies::remove_domain(std::int64_t company, std::string_view domain) {
  // No free-mail check: a domain that was accepted can always be removed.
  const std::string d = text::registrable_domain(domain, "domain");
  const Timestamp now = state_->now();
  return state_->write([&](store::Transaction& tx) {
    auto& repo = tx.companies();
    Company c = require_company(repo, company, "company");
    if (std::find(c.domains.begin(), c.domains.end(), d) == c.domains.end()) {
      throw Error(Errc::not_found, "domain: company " + std::to_string(company) + " has no domain " + d, "domain");
    }
    const std::vector<CustomerId> members = repo.domain_members(company, d);
    const std::int64_t removed = repo.unlink_domain(company, d);
    repo.remove_domain(company, d);
    c.updated_at = now;
    repo.update(c, name_key(c.name));
    record_domain_links(tx, now, company, d, members, false);
    detail::record(tx, now,
                   company_event(company, "company.domain_removed", "Company domain removed",
                                 EventJson{{"domain", d}, {"unlinked", removed}}));
    return removed;
  });
}

CompanyLink Companies::link(std::int64_t company, std::string_view customer_ref, std::string_view role,
                            bool billing) {
  const std::string r = text::clean(role, "role", kMaxRole);
  const Timestamp now = state_->now();
  return state_->write([&](store::Transaction& tx) {
    require_company(tx.companies(), company, "company");
    const Customer c = require_member(tx.customers(), customer_ref, now);
    auto& repo = tx.companies();
    const auto manual_event = [&](const char* action, const char* summary) {
      detail::Change e = detail::company_link_change(c.id, company, action, summary, LinkSource::manual, "");
      e.details = EventJson{{"company", company}, {"source", "manual"}, {"role", r}, {"billing", billing}}.dump();
      detail::record(tx, now, e);
    };
    for (const auto& l : repo.links_of_customer(c.id)) {
      if (l.company == company && l.source == LinkSource::manual) {
        CompanyLink changed = l;
        changed.role = r;
        changed.billing = billing;
        repo.put_manual_link(changed);
        if (l.role != r || l.billing != billing) manual_event("company.link_updated", "Company link updated");
        return changed;
      }
    }
    CompanyLink l{company, c.id, LinkSource::manual, r, billing, {}, now};
    repo.put_manual_link(l);
    manual_event("company.linked", "Linked to a company");
    return l;
  });
}

void Companies::unlink(std::int64_t company, std::string_view customer_ref) {
  const Timestamp now = state_->now();
  state_->write([&](store::Transaction& tx) {
    require_company(tx.companies(), company, "company");
    const Customer c = require_member(tx.customers(), customer_ref, now);
    if (!tx.companies().remove_manual_link(company, c.id)) {
      throw Error(Errc::not_found,
                  "customer: customer " + c.number + " has no manual link to company " + std::to_string(company),
                  "customer");
    }
    detail::record(tx, now,
                   detail::company_link_change(c.id, company, "company.unlinked", "Unlinked from a company",
                                               LinkSource::manual, ""));
  });
}

std::vector<CompanyLink> Companies::customers_of(std::int64_t company, Page page) const {
  rules::page(page);
  return state_->read([&](store::Transaction& tx) {
    require_company(tx.companies(), company, "company");
    return tx.companies().links_of_company(company, page);
  });
}

std::vector<CompanyLink> Companies::companies_of(std::string_view customer_ref) const {
  const Timestamp now = state_->now();
  return state_->read([&](store::Transaction& tx) {
    const Customer c = require_member(tx.customers(), customer_ref, now);
    return tx.companies().links_of_customer(c.id);
  });
}

std::string Companies::registrable_domain(std::string_view domain_or_email) const {
  return company_domain(domain_or_email, state_->options, "domain");
}

}  // namespace patron
