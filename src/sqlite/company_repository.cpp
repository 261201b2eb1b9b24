#include "sqlite/company_repository.hpp"

#include <sqlite3.h>

#include "patron/error.hpp"
#include "sqlite/time_columns.hpp"

namespace patron::sqlite {
namespace {

#define PATRON_COMPANY_COLUMNS \
  "SELECT id, name, sector, contact_person, notes, created_at, updated_at FROM companies "
#define PATRON_LINK_COLUMNS                                                                                   \
  "SELECT l.company, c.id, l.source, l.role, l.billing, l.domain, l.linked_at FROM company_links l "          \
  "JOIN customers c ON c.seq = l.customer "


}  // namespace

std::int64_t CompanyRepository::customer_seq(const CustomerId& id) { return require_customer_seq(conn_, id.str()); }

Company CompanyRepository::read_company(SQLite::Statement& row) {
  Company c;
  c.id = row.getColumn(0).getInt64();
  c.name = row.getColumn(1).getString();
  c.sector = row.getColumn(2).getString();
  c.contact_person = row.getColumn(3).getString();
  c.notes = row.getColumn(4).getString();
  c.created_at = time_at(row, 5);
  c.updated_at = time_at(row, 6);
  auto& domains = conn_.statement("SELECT domain FROM company_domains WHERE company = ? ORDER BY domain");
  domains.bind(1, static_cast<int64_t>(c.id));
  while (domains.executeStep()) c.domains.push_back(domains.getColumn(0).getString());
  return c;
}

CompanyLink CompanyRepository::read_link(SQLite::Statement& row) {
  CompanyLink l;
  l.company = row.getColumn(0).getInt64();
  l.customer = CustomerId::parse(row.getColumn(1).getText());
  l.source = std::string_view(row.getColumn(2).getText()) == "manual" ? LinkSource::manual : LinkSource::email_domain;
  l.role = row.getColumn(3).getString();
  l.billing = row.getColumn(4).getInt() != 0;
  l.domain = row.getColumn(5).getString();
  l.linked_at = time_at(row, 6);
  return l;
}

void CompanyRepository::insert(Company& c, std::string_view name_key) {
  auto& st = conn_.statement(
      "INSERT INTO companies (name, name_key, sector, contact_person, notes, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)");
  st.bind(1, c.name);
  st.bind(2, std::string(name_key));
  st.bind(3, c.sector);
  st.bind(4, c.contact_person);
  st.bind(5, c.notes);
  st.bind(6, stored_micros(c.created_at));
  st.bind(7, stored_micros(c.updated_at));
  st.exec();
  c.id = conn_.db().getLastInsertRowid();
}

std::optional<Company> CompanyRepository::get(std::int64_t id) {
  auto& st = conn_.statement(PATRON_COMPANY_COLUMNS "WHERE id = ?");
  st.bind(1, static_cast<int64_t>(id));
  if (!st.executeStep()) return std::nullopt;
  return read_company(st);
}

void CompanyRepository::update(const Company& c, std::string_view name_key) {
  auto& st = conn_.statement(
      "UPDATE companies SET name = ?, name_key = ?, sector = ?, contact_person = ?, notes = ?, updated_at = ? "
      "WHERE id = ?");
  st.bind(1, c.name);
  st.bind(2, std::string(name_key));
  st.bind(3, c.sector);
  st.bind(4, c.contact_person);
  st.bind(5, c.notes);
  st.bind(6, stored_micros(c.updated_at));
  st.bind(7, static_cast<int64_t>(c.id));
  st.exec();
}

std::vector<Company> CompanyRepository::search(std::string_view prefix, Page page) {
  // Name keys are folded ASCII: every key starting with `prefix` sorts
  // between it and prefix + DEL.
  auto& st = conn_.statement(PATRON_COMPANY_COLUMNS
                             "WHERE name_key >= ?1 AND name_key < ?1 || char(127) ORDER BY name_key, id "
                             "LIMIT ?2 OFFSET ?3");
  st.bind(1, std::string(prefix));
  bind_page(st, 2, 3, page.limit, page.offset);
  std::vector<Company> out;
  // read_company runs a nested statement: collect ids first.
  std::vector<std::int64_t> ids;
  while (st.executeStep()) ids.push_back(st.getColumn(0).getInt64());
  for (auto id : ids) {
    if (auto c = get(id)) out.push_back(std::move(*c));
  }
  return out;
}

std::optional<std::int64_t> CompanyRepository::owner_of(std::string_view domain) {
  if (!any_domain_) {
    auto& any = conn_.statement("SELECT EXISTS (SELECT 1 FROM company_domains)");
    any_domain_ = any.executeStep() && any.getColumn(0).getInt() != 0;
  }
  if (!*any_domain_) return std::nullopt;
  auto& st = conn_.statement("SELECT company FROM company_domains WHERE domain = ?");
  st.bind(1, std::string(domain));
  if (!st.executeStep()) return std::nullopt;
  return st.getColumn(0).getInt64();
}

void CompanyRepository::add_domain(std::int64_t company, std::string_view domain, Timestamp at) {
  auto& st = conn_.statement("INSERT INTO company_domains (domain, company, added_at) VALUES (?, ?, ?)");
  st.bind(1, std::string(domain));
  st.bind(2, static_cast<int64_t>(company));
  st.bind(3, stored_micros(at));
  st.exec();
  any_domain_ = true;
}

void CompanyRepository::remove_domain(std::int64_t company, std::string_view domain) {
  auto& st = conn_.statement("DELETE FROM company_domains WHERE domain = ? AND company = ?");
  st.bind(1, std::string(domain));
  st.bind(2, static_cast<int64_t>(company));
  st.exec();
}

void CompanyRepository::set_email_domain(const CustomerId& customer, std::string_view address,
                                         std::string_view domain) {
  auto& st = conn_.statement(
      "INSERT INTO customer_email_domains (address, customer, domain) VALUES (?1, ?2, ?3) "
      "ON CONFLICT (address) DO UPDATE SET customer = ?2, domain = ?3");
  st.bind(1, std::string(address));
  st.bind(2, static_cast<int64_t>(customer_seq(customer)));
  st.bind(3, std::string(domain));
  st.exec();
}

bool CompanyRepository::email_domains_pending() {
  auto& st = conn_.statement("SELECT value FROM patron_meta WHERE key = 'email_domains_pending'");
  return st.executeStep() && st.getColumn(0).getInt64() != 0;
}

std::vector<std::pair<CustomerId, std::string>> CompanyRepository::emails_without_domain() {
  auto& st = conn_.statement(
      "SELECT c.id, e.address FROM customer_emails e JOIN customers c ON c.seq = e.customer "
      "WHERE NOT EXISTS (SELECT 1 FROM customer_email_domains d WHERE d.address = e.address)");
  std::vector<std::pair<CustomerId, std::string>> out;
  while (st.executeStep()) out.emplace_back(CustomerId::parse(st.getColumn(0).getText()), st.getColumn(1).getString());
  return out;
}

void CompanyRepository::clear_email_domains_pending() {
  conn_.statement("UPDATE patron_meta SET value = 0 WHERE key = 'email_domains_pending'").exec();
}

std::int64_t CompanyRepository::link_domain(std::int64_t company, std::string_view domain, Timestamp at) {
  // One pass over the (domain, customer) index; customers come in row order,
  // so the links' primary key grows at its end.
  auto& st = conn_.statement(
      "INSERT INTO company_links (company, customer, source, domain, linked_at) "
      "SELECT DISTINCT ?1, customer, 'email_domain', ?2, ?3 FROM customer_email_domains WHERE domain = ?2 "
      "ORDER BY customer ON CONFLICT DO NOTHING");
  st.bind(1, static_cast<int64_t>(company));
  st.bind(2, std::string(domain));
  st.bind(3, stored_micros(at));
  return st.exec();
}

std::int64_t CompanyRepository::link_customer(const CustomerId& customer, std::string_view domain, Timestamp at) {
  auto& st = conn_.statement(
      "INSERT INTO company_links (company, customer, source, domain, linked_at) "
      "SELECT company, ?1, 'email_domain', domain, ?3 FROM company_domains WHERE domain = ?2 "
      "ON CONFLICT DO NOTHING");
  st.bind(1, static_cast<int64_t>(customer_seq(customer)));
  st.bind(2, std::string(domain));
  st.bind(3, stored_micros(at));
  return st.exec();
}

std::int64_t CompanyRepository::unlink_domain(std::int64_t company, std::string_view domain) {
  auto& st = conn_.statement(
      "DELETE FROM company_links WHERE company = ? AND domain = ? AND source = 'email_domain'");
  st.bind(1, static_cast<int64_t>(company));
  st.bind(2, std::string(domain));
  return st.exec();
}

std::vector<CustomerId> CompanyRepository::domain_members(std::int64_t company, std::string_view domain) {
  auto& st = conn_.statement(
      "SELECT c.id FROM company_links l JOIN customers c ON c.seq = l.customer "
      "WHERE l.company = ?1 AND l.domain = ?2 AND l.source = 'email_domain' ORDER BY l.customer");
  st.bind(1, static_cast<int64_t>(company));
  st.bind(2, std::string(domain));
  std::vector<CustomerId> out;
  while (st.executeStep()) out.push_back(CustomerId::parse(st.getColumn(0).getText()));
  return out;
}

std::int64_t CompanyRepository::unlink_customer(const CustomerId& customer, std::string_view domain) {
  auto& st = conn_.statement(
      "DELETE FROM company_links WHERE customer = ? AND domain = ? AND source = 'email_domain'");
  st.bind(1, static_cast<int64_t>(customer_seq(customer)));
  st.bind(2, std::string(domain));
  return st.exec();
}

void CompanyRepository::put_manual_link(const CompanyLink& l) {
  auto& st = conn_.statement(
      "INSERT INTO company_links (company, customer, source, domain, role, billing, linked_at) "
      "VALUES (?1, ?2, 'manual', '', ?3, ?4, ?5) "
      "ON CONFLICT (company, customer, source, domain) DO UPDATE SET role = ?3, billing = ?4");
  st.bind(1, static_cast<int64_t>(l.company));
  st.bind(2, static_cast<int64_t>(customer_seq(l.customer)));
  st.bind(3, l.role);
  st.bind(4, l.billing ? 1 : 0);
  st.bind(5, stored_micros(l.linked_at));
  st.exec();
}

bool CompanyRepository::remove_manual_link(std::int64_t company, const CustomerId& customer) {
  auto& st = conn_.statement(
      "DELETE FROM company_links WHERE company = ? AND customer = ? AND source = 'manual' AND domain = ''");
  st.bind(1, static_cast<int64_t>(company));
  st.bind(2, static_cast<int64_t>(customer_seq(customer)));
  return st.exec() > 0;
}

std::vector<CompanyLink> CompanyRepository::links_of_company(std::int64_t company, Page page) {
  auto& st = conn_.statement(PATRON_LINK_COLUMNS
                             "WHERE l.company = ?1 ORDER BY c.number, l.source, l.domain LIMIT ?2 OFFSET ?3");
  st.bind(1, static_cast<int64_t>(company));
  bind_page(st, 2, 3, page.limit, page.offset);
  std::vector<CompanyLink> out;
  while (st.executeStep()) out.push_back(read_link(st));
  return out;
}

std::vector<CompanyLink> CompanyRepository::links_of_customer(const CustomerId& customer) {
  auto& st = conn_.statement(PATRON_LINK_COLUMNS "WHERE l.customer = ? ORDER BY l.company, l.source, l.domain");
  st.bind(1, static_cast<int64_t>(customer_seq(customer)));
  std::vector<CompanyLink> out;
  while (st.executeStep()) out.push_back(read_link(st));
  return out;
}

}  // namespace patron::sqlite
