// Duplicate detection steps shared by the services that use it inside
// their own transactions (duplicates, imports).
#pragma once

#include <optional>
#include <vector>

#include "core/match.hpp"
#include "patron/duplicates.hpp"
#include "patron/store/store.hpp"

namespace patron::detail {

// The comparison entry of a customer as the store keeps it.
store::MatchEntry match_entry_of(const Customer& c);
// Brings one batch of stale entries up to date (in a write transaction);
// false when none was left.
bool refresh_match_entries(store::Transaction& tx, Timestamp now);
// The stored customers resembling `probe` at `options.min_probability` or
// more, best first, at most `options.limit`; `self` and the customers
// dismissed with it are left out.
std::vector<DuplicateCandidate> candidates_of(store::Transaction& tx, const match::Record& probe,
                                              const std::optional<CustomerId>& self, const SimilarOptions& options);

}  // namespace patron::detail
