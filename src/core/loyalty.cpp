#include "patron/loyalty.hpp"

#include "core/loyalty_ops.hpp"
#include "patron/error.hpp"

namespace patron::detail {

// Placeholder until the ledger lands (the loyalty helper replaces this file).
PointsQuote quote_points(store::Transaction&, const CustomerId&, std::string_view, std::int64_t, std::string_view,
                         std::int64_t, Timestamp) {
  throw Error(Errc::failed_precondition, "loyalty: not built yet");
}

}  // namespace patron::detail
