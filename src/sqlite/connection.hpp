// One SQLite connection with its cache of prepared statements. Used by one
// thread at a time (the store hands connections out under a lock).
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace patron::sqlite {

class Connection {
 public:
  Connection(const std::string& path, int flags, int busy_timeout_ms);

  // The prepared statement for `sql` (a string literal: cached by address),
  // reset and with its bindings cleared.
  SQLite::Statement& statement(const char* sql);
  // Resets every statement handed out since the last call. A statement left
  // mid-result would pin its read snapshot past the end of the transaction.
  void reset_statements() noexcept;
  void exec(const char* sql) { db_.exec(sql); }

  // The live customer touched last in this transaction (id ->
  // customers.seq): the rows that follow a customer's insert or lookup name
  // it without an index probe. A seq never changes, and no customer row is deleted, but a
  // rolled-back insert frees its seq: forgotten with the statements (the end
  // of a transaction, a step undone) and when a transaction begins.
  void remember_customer(std::string id, std::int64_t seq) { last_customer_.emplace(std::move(id), seq); }
  std::optional<std::int64_t> remembered_seq(const std::string& id) const {
    if (last_customer_ && last_customer_->first == id) return last_customer_->second;
    return std::nullopt;
  }
  void forget_customer() noexcept { last_customer_.reset(); }
  SQLite::Database& db() { return db_; }

 private:
  SQLite::Database db_;
  struct Cached {
    std::unique_ptr<SQLite::Statement> statement;
    bool handed_out = false;
  };
  std::unordered_map<const char*, Cached> cache_;
  std::vector<Cached*> handed_out_;
  std::optional<std::pair<std::string, std::int64_t>> last_customer_;
};

// The row id (customers.seq) of a customer, which every table references.
std::optional<std::int64_t> customer_seq(Connection& conn, const std::string& id);
// As customer_seq; Error(not_found, "customer") when there is no such customer.
std::int64_t require_customer_seq(Connection& conn, const std::string& id);

// Binds a page's limit and offset. An offset past what SQLite can count is
// clamped (a negative OFFSET would mean "from the start").
void bind_page(SQLite::Statement& st, int limit_index, int offset_index, std::size_t limit, std::size_t offset);

}  // namespace patron::sqlite
