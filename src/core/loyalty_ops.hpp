// Points arithmetic shared by the loyalty ledger and promotion quotes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "patron/customer.hpp"
#include "patron/loyalty.hpp"
#include "patron/store/store.hpp"

namespace patron::detail {

// What paying `amount` minor units of `currency` would earn `customer` in
// `program` now: the program's rule × the tier multiplier held now × the
// category multiplier, rounded once by the program's rounding.
// Error(not_found, "program") for an unknown program;
// Error(failed_precondition, "currency") for another currency than the
// program's.
struct PointsQuote {
  std::int64_t points = 0;
  std::optional<std::string> tier{};
  std::int64_t tier_multiplier_percent = 100;
};
PointsQuote quote_points(store::Transaction& tx, const CustomerId& customer, std::string_view program,
                         std::int64_t amount, std::string_view currency, std::int64_t category_multiplier_percent,
                         Timestamp now);

}  // namespace patron::detail
