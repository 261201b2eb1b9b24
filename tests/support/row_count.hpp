// Counting rows straight from a database file, behind patron's back: what a
// refused call left behind.
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

}  // namespace patron::testing
