#include "sqlite/promotion_repository.hpp"

#include <sqlite3.h>

#include <string>

#include "patron/error.hpp"
#include "sqlite/time_columns.hpp"

namespace patron::sqlite {
namespace {

#define PATRON_CATEGORY_COLUMNS                                                                             \
  "SELECT id, name, discount_basis_points, earn_multiplier_percent, credit_limit, credit_currency, created_at, " \
  "updated_at FROM promotion_categories "

PromotionCategory read_category(SQLite::Statement& row) {
  PromotionCategory c;
  c.id = row.getColumn(0).getString();
  c.name = row.getColumn(1).getString();
  c.discount_basis_points = row.getColumn(2).getInt64();
  c.earn_multiplier_percent = row.getColumn(3).getInt64();
  c.credit_limit = row.getColumn(4).getInt64();
  c.credit_currency = row.getColumn(5).getString();
  c.created_at = time_at(row, 6);
  c.updated_at = time_at(row, 7);
  return c;
}

std::string read_text(SQLite::Statement& row) { return row.getColumn(0).getString(); }

// Binds the terms (name to credit currency) from index 1 on.
void bind_terms(SQLite::Statement& st, const PromotionCategory& c) {
  st.bind(1, c.name);
  st.bind(2, static_cast<int64_t>(c.discount_basis_points));
  st.bind(3, static_cast<int64_t>(c.earn_multiplier_percent));
  st.bind(4, static_cast<int64_t>(c.credit_limit));
  st.bind(5, c.credit_currency);
}

}  // namespace

void PromotionRepository::insert(const PromotionCategory& c) {
  auto& st = conn_.statement(
      "INSERT INTO promotion_categories (name, discount_basis_points, earn_multiplier_percent, credit_limit, "
      "credit_currency, id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  bind_terms(st, c);
  st.bind(6, c.id);
  bind_time(st, 7, c.created_at);
  bind_time(st, 8, c.updated_at);
  try {
    st.exec();
  } catch (const SQLite::Exception& e) {
    if (e.getExtendedErrorCode() != SQLITE_CONSTRAINT_PRIMARYKEY) throw;
    throw Error(Errc::already_exists, "id: category '" + c.id + "' already exists", "id");
  }
}

std::optional<PromotionCategory> PromotionRepository::get(std::string_view id) {
  auto& st = conn_.statement(PATRON_CATEGORY_COLUMNS "WHERE id = ?");
  st.bind(1, std::string(id));
  if (!st.executeStep()) return std::nullopt;
  return read_category(st);
}

void PromotionRepository::update(const PromotionCategory& c) {
  auto& st = conn_.statement(
      "UPDATE promotion_categories SET name = ?, discount_basis_points = ?, earn_multiplier_percent = ?, "
      "credit_limit = ?, credit_currency = ?, updated_at = ? WHERE id = ?");
  bind_terms(st, c);
  bind_time(st, 6, c.updated_at);
  st.bind(7, c.id);
  st.exec();
}

void PromotionRepository::remove(std::string_view id) {
  auto& st = conn_.statement("DELETE FROM promotion_categories WHERE id = ?");
  st.bind(1, std::string(id));
  st.exec();
}

std::vector<PromotionCategory> PromotionRepository::list() {
  auto& st = conn_.statement(PATRON_CATEGORY_COLUMNS "ORDER BY id");
  return read_rows(st, read_category);
}

bool PromotionRepository::assigned(std::string_view id) {
  auto& st = conn_.statement(
      "SELECT EXISTS (SELECT 1 FROM category_customers WHERE category = ?1) "
      "OR EXISTS (SELECT 1 FROM category_companies WHERE category = ?1)");
  st.bind(1, std::string(id));
  st.executeStep();
  return st.getColumn(0).getInt() != 0;
}

bool PromotionRepository::assign(std::string_view category, const CustomerId& customer, Timestamp at) {
  const std::int64_t seq = require_customer_seq(conn_, customer.str());
  auto& st = conn_.statement(
      "INSERT INTO category_customers (category, customer, assigned_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
  st.bind(1, std::string(category));
  st.bind(2, static_cast<int64_t>(seq));
  bind_time(st, 3, at);
  return st.exec() > 0;
}

bool PromotionRepository::unassign(std::string_view category, const CustomerId& customer) {
  auto& st = conn_.statement(
      "DELETE FROM category_customers WHERE category = ? AND customer = (SELECT seq FROM customers WHERE id = ?)");
  st.bind(1, std::string(category));
  st.bind(2, customer.str());
  return st.exec() > 0;
}

bool PromotionRepository::assign_to_company(std::string_view category, std::int64_t company, Timestamp at) {
  auto& st = conn_.statement(
      "INSERT INTO category_companies (category, company, assigned_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
  st.bind(1, std::string(category));
  st.bind(2, static_cast<int64_t>(company));
  bind_time(st, 3, at);
  return st.exec() > 0;
}

bool PromotionRepository::unassign_from_company(std::string_view category, std::int64_t company) {
  auto& st = conn_.statement("DELETE FROM category_companies WHERE category = ? AND company = ?");
  st.bind(1, std::string(category));
  st.bind(2, static_cast<int64_t>(company));
  return st.exec() > 0;
}

std::vector<std::string> PromotionRepository::of_customer(const CustomerId& customer) {
  auto& st = conn_.statement(
      "SELECT category FROM category_customers WHERE customer = (SELECT seq FROM customers WHERE id = ?) "
      "ORDER BY category");
  st.bind(1, customer.str());
  return read_rows(st, read_text);
}

std::vector<std::string> PromotionRepository::of_company(std::int64_t company) {
  auto& st = conn_.statement("SELECT category FROM category_companies WHERE company = ? ORDER BY category");
  st.bind(1, static_cast<int64_t>(company));
  return read_rows(st, read_text);
}

std::vector<PromotionCategory> PromotionRepository::applying_to(const CustomerId& customer) {
  auto& st = conn_.statement("WITH s (seq) AS (SELECT seq FROM customers WHERE id = ?) " PATRON_CATEGORY_COLUMNS
                             "WHERE id IN (SELECT d.category FROM s JOIN category_customers d ON d.customer = s.seq "
                             "UNION SELECT cc.category FROM s JOIN company_links l ON l.customer = s.seq "
                             "JOIN category_companies cc ON cc.company = l.company) ORDER BY id");
  st.bind(1, customer.str());
  return read_rows(st, read_category);
}

std::vector<CustomerId> PromotionRepository::customers_in(std::string_view category, Page page) {
  auto& st = conn_.statement(
      "SELECT c.id FROM category_customers a JOIN customers c ON c.seq = a.customer WHERE a.category = ? "
      "ORDER BY c.number LIMIT ? OFFSET ?");
  st.bind(1, std::string(category));
  bind_page(st, 2, 3, page.limit, page.offset);
  return read_rows(st, [](SQLite::Statement& row) { return CustomerId::parse(row.getColumn(0).getText()); });
}

std::vector<std::int64_t> PromotionRepository::companies_in(std::string_view category) {
  auto& st = conn_.statement("SELECT company FROM category_companies WHERE category = ? ORDER BY company");
  st.bind(1, std::string(category));
  return read_rows(st, [](SQLite::Statement& row) { return static_cast<std::int64_t>(row.getColumn(0).getInt64()); });
}

}  // namespace patron::sqlite
