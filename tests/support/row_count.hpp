// Counting rows straight from a database file, behind patron's back: what a
// refused call left behind; and trying a change there, to see the file's
// own rules refuse it.
#pragma once

#include <sqlite3.h>

#include <string>

namespace patron::testing {

// Rows in `table` of the SQLite file at `path`; -1 when it cannot be read.
inline int count_rows(const std::string& path, const std::string& table) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, ("SELECT count(*) FROM " + table).c_str(), -1, &st, nullptr);
  int n = -1;
  if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return n;
}

// Runs `sql` on the SQLite file at `path` directly, foreign keys on; true
// when SQLite refused it.
inline bool refused(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_exec(db, "PRAGMA foreign_keys = ON", nullptr, nullptr, nullptr);
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
  sqlite3_close(db);
  return rc != SQLITE_OK;
}

}  // namespace patron::testing
