#include "sqlite/membership_repository.hpp"

#include <sqlite3.h>

#include "patron/error.hpp"
#include "sqlite/time_columns.hpp"

namespace patron::sqlite {
namespace {

#define PATRON_PLAN_COLUMNS "SELECT id, name, kind, benefits, billing_period, created_at FROM membership_plans "
#define PATRON_MEMBERSHIP_COLUMNS                                                                   \
  "SELECT m.id, m.plan, c.id, m.company, m.starts_at, m.ends_at, m.status, m.created_at, m.updated_at " \
  "FROM memberships m LEFT JOIN customers c ON c.seq = m.customer "


Plan read_plan(SQLite::Statement& row) {
  Plan p;
  p.id = row.getColumn(0).getInt64();
  p.name = row.getColumn(1).getString();
  p.kind = parse_plan_kind(row.getColumn(2).getText());
  p.benefits = row.getColumn(3).getString();
  p.billing_period = parse_billing_period(row.getColumn(4).getText());
  p.created_at = time_at(row, 5);
  return p;
}

// The stored status: active, paused or cancelled (never expired).
Membership read_membership(SQLite::Statement& row) {
  Membership m;
  m.id = row.getColumn(0).getInt64();
  m.plan = row.getColumn(1).getInt64();
  if (!row.getColumn(2).isNull()) m.holder.customer = CustomerId::parse(row.getColumn(2).getText());
  if (!row.getColumn(3).isNull()) m.holder.company = row.getColumn(3).getInt64();
  m.starts_at = time_at(row, 4);
  if (!row.getColumn(5).isNull()) m.ends_at = time_at(row, 5);
  m.status = parse_membership_status(row.getColumn(6).getText());
  m.created_at = time_at(row, 7);
  m.updated_at = time_at(row, 8);
  return m;
}

void bind_end(SQLite::Statement& st, int i, const std::optional<Timestamp>& end) {
  if (end) {
    st.bind(i, stored_micros(*end));
  } else {
    st.bind(i);
  }
}

}  // namespace

std::int64_t MembershipRepository::customer_seq(const CustomerId& id) {
  const auto seq = sqlite::customer_seq(conn_, id.str());
  if (!seq) throw Error(Errc::not_found, "ref: no customer " + id.str(), "ref");
  return *seq;
}

void MembershipRepository::insert_plan(Plan& p) {
  auto& st = conn_.statement(
      "INSERT INTO membership_plans (name, kind, benefits, billing_period, created_at) VALUES (?, ?, ?, ?, ?)");
  st.bind(1, p.name);
  st.bind(2, std::string(to_string(p.kind)));
  st.bind(3, p.benefits);
  st.bind(4, std::string(to_string(p.billing_period)));
  st.bind(5, stored_micros(p.created_at));
  st.exec();
  p.id = conn_.db().getLastInsertRowid();
}

std::optional<Plan> MembershipRepository::plan(std::int64_t id) {
  auto& st = conn_.statement(PATRON_PLAN_COLUMNS "WHERE id = ?");
  st.bind(1, static_cast<int64_t>(id));
  if (!st.executeStep()) return std::nullopt;
  return read_plan(st);
}

std::optional<std::int64_t> MembershipRepository::plan_named(std::string_view name) {
  // The column collates NOCASE: this compares ignoring case, on the unique index.
  auto& st = conn_.statement("SELECT id FROM membership_plans WHERE name = ?");
  st.bind(1, std::string(name));
  if (!st.executeStep()) return std::nullopt;
  return st.getColumn(0).getInt64();
}

std::vector<Plan> MembershipRepository::plans() {
  auto& st = conn_.statement(PATRON_PLAN_COLUMNS "ORDER BY name, id");
  std::vector<Plan> out;
  while (st.executeStep()) out.push_back(read_plan(st));
  return out;
}

void MembershipRepository::insert(Membership& m) {
  auto& st = conn_.statement(
      "INSERT INTO memberships (plan, customer, company, starts_at, ends_at, status, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  st.bind(1, static_cast<int64_t>(m.plan));
  if (m.holder.customer) {
    st.bind(2, static_cast<int64_t>(customer_seq(*m.holder.customer)));
  } else {
    st.bind(2);
  }
  if (m.holder.company) {
    st.bind(3, static_cast<int64_t>(*m.holder.company));
  } else {
    st.bind(3);
  }
  st.bind(4, stored_micros(m.starts_at));
  bind_end(st, 5, m.ends_at);
  st.bind(6, std::string(to_string(m.status)));
  st.bind(7, stored_micros(m.created_at));
  st.bind(8, stored_micros(m.updated_at));
  st.exec();
  m.id = conn_.db().getLastInsertRowid();
}

std::optional<Membership> MembershipRepository::get(std::int64_t id) {
  auto& st = conn_.statement(PATRON_MEMBERSHIP_COLUMNS "WHERE m.id = ?");
  st.bind(1, static_cast<int64_t>(id));
  if (!st.executeStep()) return std::nullopt;
  return read_membership(st);
}

void MembershipRepository::update(const Membership& m) {
  auto& st = conn_.statement("UPDATE memberships SET ends_at = ?, status = ?, updated_at = ? WHERE id = ?");
  bind_end(st, 1, m.ends_at);
  st.bind(2, std::string(to_string(m.status)));
  st.bind(3, stored_micros(m.updated_at));
  st.bind(4, static_cast<int64_t>(m.id));
  st.exec();
}

std::vector<Membership> MembershipRepository::of_customer(const CustomerId& customer) {
  auto& st = conn_.statement(PATRON_MEMBERSHIP_COLUMNS "WHERE m.customer = ? ORDER BY m.starts_at, m.id");
  st.bind(1, static_cast<int64_t>(customer_seq(customer)));
  std::vector<Membership> out;
  while (st.executeStep()) out.push_back(read_membership(st));
  return out;
}

std::vector<Membership> MembershipRepository::of_company(std::int64_t company) {
  auto& st = conn_.statement(PATRON_MEMBERSHIP_COLUMNS "WHERE m.company = ? ORDER BY m.starts_at, m.id");
  st.bind(1, static_cast<int64_t>(company));
  std::vector<Membership> out;
  while (st.executeStep()) out.push_back(read_membership(st));
  return out;
}

}  // namespace patron::sqlite
