// The SQLite adapter: opens a file (or ":memory:") as a store::Store.
#pragma once

#include <memory>
#include <string>

#include "patron/database.hpp"
#include "patron/store/store.hpp"

namespace patron::sqlite {

std::unique_ptr<store::Store> open_store(const std::string& path, const Options& options);

}  // namespace patron::sqlite
