// Whole-file work of the SQLite adapter: the online backup and the checks.
// Both run on a connection inside a read transaction the store opened.
#pragma once

#include <cstdint>
#include <string>

#include "patron/store/store.hpp"
#include "sqlite/connection.hpp"

namespace patron::sqlite {

// Copies the database `source` reads into a new file at `path` with
// SQLite's backup API, in one step (so from one snapshot): written to a
// temporary file beside `path`, quick-checked, then renamed into place.
// Returns the copy's size in bytes.
std::int64_t backup_into(Connection& source, const std::string& path);

store::StoreCheck check_file(Connection& conn, bool quick, std::size_t max_problems);

// The counts of Database::stats, read on `conn` (in the caller's snapshot).
store::StoreStats stats_of(Connection& conn);

}  // namespace patron::sqlite
