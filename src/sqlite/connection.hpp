// One SQLite connection with its cache of prepared statements. Used by one
// thread at a time (the store hands connections out under a lock).
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <memory>
#include <string>
#include <unordered_map>
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
  SQLite::Database& db() { return db_; }

 private:
  SQLite::Database db_;
  struct Cached {
    std::unique_ptr<SQLite::Statement> statement;
    bool handed_out = false;
  };
  std::unordered_map<const char*, Cached> cache_;
  std::vector<Cached*> handed_out_;
};

}  // namespace patron::sqlite
