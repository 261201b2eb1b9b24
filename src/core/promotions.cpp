#include "patron/promotions.hpp"

#include "core/promotion_ops.hpp"

namespace patron::detail {

// Placeholder until promotions land (the promotions helper replaces this
// file): no category applies.
CategoryTerms category_terms(store::Transaction&, const CustomerId&) { return {}; }
std::int64_t category_credit_limit(store::Transaction&, const CustomerId&, std::string_view) { return 0; }

}  // namespace patron::detail
