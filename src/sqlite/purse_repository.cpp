#include "sqlite/purse_repository.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <string>

#include "patron/error.hpp"
#include "sqlite/time_columns.hpp"

namespace patron::sqlite {
namespace {

#define PATRON_ACCOUNT_COLUMNS \
  "SELECT c.id, a.currency, a.balance, a.credit_limit, a.category_credit_limit "    \
  "FROM purse_accounts a JOIN customers c ON c.seq = a.customer "
#define PATRON_ENTRY_COLUMNS                                                                    \
  "SELECT e.id, c.id, e.currency, e.kind, e.amount, e.balance_after, e.refund_of, "             \
  "(SELECT coalesce(sum(r.amount), 0) FROM purse_entries r WHERE r.refund_of = e.id), "         \
  "e.reference, e.idempotency_key, e.actor, e.at FROM purse_entries e JOIN customers c ON c.seq = e.customer "

PurseAccount read_account(SQLite::Statement& row) {
  PurseAccount a;
  a.customer = CustomerId::parse(row.getColumn(0).getText());
  a.currency = row.getColumn(1).getString();
  a.balance = row.getColumn(2).getInt64();
  a.credit_limit = row.getColumn(3).getInt64();
  a.category_credit_limit = row.getColumn(4).getInt64();
  a.available = a.balance + std::max(a.credit_limit, a.category_credit_limit);
  return a;
}

PurseEntry read_entry(SQLite::Statement& row) {
  PurseEntry e;
  e.id = row.getColumn(0).getInt64();
  e.customer = CustomerId::parse(row.getColumn(1).getText());
  e.currency = row.getColumn(2).getString();
  e.kind = parse_purse_entry_kind(row.getColumn(3).getText());
  e.amount = row.getColumn(4).getInt64();
  e.balance_after = row.getColumn(5).getInt64();
  e.refund_of = optional_int(row, 6);
  e.refunded = row.getColumn(7).getInt64();
  e.reference = row.getColumn(8).getString();
  e.idempotency_key = row.getColumn(9).getString();
  e.actor = row.getColumn(10).getString();
  e.at = time_at(row, 11);
  return e;
}

// Creates the account (balance 0, no credit) when missing.
void ensure_account(Connection& conn, std::int64_t seq, const std::string& currency) {
  auto& st = conn.statement("INSERT INTO purse_accounts (customer, currency) VALUES (?, ?) ON CONFLICT DO NOTHING");
  st.bind(1, static_cast<int64_t>(seq));
  st.bind(2, currency);
  st.exec();
}

}  // namespace

std::optional<PurseAccount> PurseRepository::account(const CustomerId& customer, std::string_view currency) {
  auto& st = conn_.statement(PATRON_ACCOUNT_COLUMNS "WHERE c.id = ? AND a.currency = ?");
  st.bind(1, customer.str());
  st.bind(2, std::string(currency));
  if (!st.executeStep()) return std::nullopt;
  return read_account(st);
}

std::vector<PurseAccount> PurseRepository::accounts(const CustomerId& customer) {
  auto& st = conn_.statement(PATRON_ACCOUNT_COLUMNS
                             "WHERE c.id = ? AND (a.credit_limit > 0 OR EXISTS (SELECT 1 FROM purse_entries e "
                             "WHERE e.customer = a.customer AND e.currency = a.currency)) ORDER BY a.currency");
  st.bind(1, customer.str());
  return read_rows(st, read_account);
}

void PurseRepository::set_credit_limit(const CustomerId& customer, std::string_view currency,
                                       std::int64_t credit_limit) {
  const std::int64_t seq = require_customer_seq(conn_, customer.str());
  const std::string code(currency);
  ensure_account(conn_, seq, code);
  auto& st = conn_.statement("UPDATE purse_accounts SET credit_limit = ? WHERE customer = ? AND currency = ?");
  st.bind(1, static_cast<int64_t>(credit_limit));
  st.bind(2, static_cast<int64_t>(seq));
  st.bind(3, code);
  st.exec();
}

void PurseRepository::set_category_credit_limit(const CustomerId& customer, std::string_view currency,
                                                std::int64_t category_credit_limit) {
  const std::int64_t seq = require_customer_seq(conn_, customer.str());
  const std::string code(currency);
  ensure_account(conn_, seq, code);
  auto& st =
      conn_.statement("UPDATE purse_accounts SET category_credit_limit = ? WHERE customer = ? AND currency = ?");
  st.bind(1, static_cast<int64_t>(category_credit_limit));
  st.bind(2, static_cast<int64_t>(seq));
  st.bind(3, code);
  st.exec();
}

void PurseRepository::append(PurseEntry& e) {
  const std::int64_t seq = require_customer_seq(conn_, e.customer.str());
  ensure_account(conn_, seq, e.currency);
  auto& st = conn_.statement(
      "INSERT INTO purse_entries (customer, currency, kind, amount, balance_after, refund_of, reference, "
      "idempotency_key, actor, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  st.bind(1, static_cast<int64_t>(seq));
  st.bind(2, e.currency);
  st.bind(3, std::string(to_string(e.kind)));
  st.bind(4, static_cast<int64_t>(e.amount));
  st.bind(5, static_cast<int64_t>(e.balance_after));
  bind_optional(st, 6, e.refund_of);
  st.bind(7, e.reference);
  st.bind(8, e.idempotency_key);
  st.bind(9, e.actor);
  bind_time(st, 10, e.at);
  try {
    st.exec();
  } catch (const SQLite::Exception& ex) {
    if (ex.getExtendedErrorCode() != SQLITE_CONSTRAINT_UNIQUE) throw;
    throw Error(Errc::already_exists, "idempotency_key: '" + e.idempotency_key + "' was already used",
                "idempotency_key");
  }
  e.id = conn_.db().getLastInsertRowid();
}

std::optional<PurseEntry> PurseRepository::entry(std::int64_t id) {
  auto& st = conn_.statement(PATRON_ENTRY_COLUMNS "WHERE e.id = ?");
  st.bind(1, static_cast<int64_t>(id));
  if (!st.executeStep()) return std::nullopt;
  return read_entry(st);
}

std::vector<PurseEntry> PurseRepository::entries(const CustomerId& customer, std::string_view currency, Page page) {
  auto& st = conn_.statement(PATRON_ENTRY_COLUMNS
                             "WHERE e.customer = (SELECT seq FROM customers WHERE id = ?) AND e.currency = ? "
                             "ORDER BY e.id DESC LIMIT ? OFFSET ?");
  st.bind(1, customer.str());
  st.bind(2, std::string(currency));
  bind_page(st, 3, 4, page.limit, page.offset);
  return read_rows(st, read_entry);
}

std::optional<store::IdempotencyRecord> IdempotencyRepository::find(std::string_view scope, std::string_view key) {
  auto& st = conn_.statement("SELECT request, entry FROM idempotency_keys WHERE scope = ? AND key = ?");
  st.bind(1, std::string(scope));
  st.bind(2, std::string(key));
  if (!st.executeStep()) return std::nullopt;
  return store::IdempotencyRecord{st.getColumn(0).getString(), st.getColumn(1).getInt64()};
}

void IdempotencyRepository::insert(std::string_view scope, std::string_view key,
                                   const store::IdempotencyRecord& record) {
  auto& st = conn_.statement("INSERT INTO idempotency_keys (scope, key, request, entry) VALUES (?, ?, ?, ?)");
  st.bind(1, std::string(scope));
  st.bind(2, std::string(key));
  st.bind(3, record.request);
  st.bind(4, static_cast<int64_t>(record.entry));
  try {
    st.exec();
  } catch (const SQLite::Exception& ex) {
    if (ex.getExtendedErrorCode() != SQLITE_CONSTRAINT_PRIMARYKEY) throw;
    throw Error(Errc::already_exists, "idempotency_key: '" + std::string(key) + "' was already used",
                "idempotency_key");
  }
}

}  // namespace patron::sqlite
