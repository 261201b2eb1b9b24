// The schema as forward-only numbered migrations compiled into the library.
#pragma once

#include "sqlite/connection.hpp"

namespace patron::sqlite {

// The newest schema version this build knows.
int latest_schema_version() noexcept;
// Brings the file up to date in one write transaction; refuses a file from a
// newer patron, and another program's database (application_id, or tables
// of its own), with Error(failed_precondition). Returns the version.
int migrate(Connection& conn);

}  // namespace patron::sqlite
