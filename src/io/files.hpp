// Files patron writes for a host (exports, backups): first beside their
// destination under a name no one else uses, then put in place whole.
#pragma once

#include <string>
#include <string_view>

namespace patron::io {

// Refuses a destination a write cannot use, naming "path": empty
// (invalid_argument); there already (already_exists, the message ending in
// `exists_note`), unless `overwrite`, when only a non-regular file is refused
// (invalid_argument); in a folder that does not exist (invalid_argument).
void check_destination(const std::string& path, bool overwrite, std::string_view exists_note);

// `path` + ".partial-" + 16 random hex digits: unique to this write, even
// between threads of one process.
std::string partial_name(const std::string& path);

// Creates `partial` for writing: a new regular file (never an existing one,
// never through a symbolic link), readable by others as a normal file is.
// Returns its descriptor; Error(invalid_argument, "path") when it cannot.
int create_partial(const std::string& partial, const std::string& path);

// Moves the finished `partial` to `path`. Without `overwrite` an existing
// `path` is never replaced, not even one that appeared meanwhile
// (Error(already_exists, "path")); with it, the old file is replaced in one
// step. `partial` is gone afterwards either way.
void put_in_place(const std::string& partial, const std::string& path, bool overwrite);

}  // namespace patron::io
