#include "sqlite/visit_repository.hpp"

namespace patron::sqlite {}  // namespace patron::sqlite
