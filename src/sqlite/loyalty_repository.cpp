#include "sqlite/loyalty_repository.hpp"

namespace patron::sqlite {}  // namespace patron::sqlite
