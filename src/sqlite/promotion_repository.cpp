#include "sqlite/promotion_repository.hpp"

namespace patron::sqlite {}  // namespace patron::sqlite
