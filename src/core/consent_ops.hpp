// Consent steps other services take inside their own transaction.
#pragma once

#include <cstdint>

#include "patron/ids.hpp"
#include "patron/store/store.hpp"
#include "patron/types.hpp"

namespace patron::detail {

// A merge: every state of `from` (granted or withdrawn) that is newer than
// `to`'s state of the same channel and purpose, or that `to` lacks, becomes
// an entry of `to`'s log (source "merge", the evidence naming the entry it
// came from); from's contact preferences go to `to` when it has none.
// Returns the number of states carried.
std::int64_t merge_consent(store::Transaction& tx, const CustomerId& from, const CustomerId& to, Timestamp now);

}  // namespace patron::detail
