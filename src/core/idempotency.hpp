// Idempotent writes for any ledger a till may retry (purses today, the
// points ledger next): a write carries a key, and the same key with the same
// request returns the entry the first write made instead of writing again.
// Keys live per scope ("purse", ...) in store::IdempotencyRepository.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/merge_ops.hpp"
#include "patron/error.hpp"
#include "patron/store/store.hpp"
#include "text/text.hpp"

namespace patron::detail {

// An idempotency key as given (trimmed): 1-200 characters, no control
// characters; Error(invalid_argument, `field`) otherwise.
inline std::string idempotency_key(std::string_view text, std::string_view field = "idempotency_key") {
  return text::clean_required(text, field, 200);
}

// Inside a write transaction: when (`scope`, `key`) was used before, the id
// of the entry it wrote — if with the same `request` (canonical text), else
// Error(conflict, "idempotency_key"). Otherwise calls `write()`, which makes
// the entry and returns its id, and remembers the key for it.
template <typename Write>
std::int64_t write_once(store::Transaction& tx, std::string_view scope, const std::string& key,
                        const std::string& request, Write&& write) {
  auto& keys = tx.idempotency();
  if (const auto earlier = keys.find(scope, key)) {
    if (earlier->request != request && !same_request(tx, earlier->request, request)) {
      throw Error(Errc::conflict,
                  "idempotency_key: '" + key + "' was already used for a different request", "idempotency_key");
    }
    return earlier->entry;
  }
  const std::int64_t entry = write();
  keys.insert(scope, key, store::IdempotencyRecord{request, entry});
  return entry;
}

}  // namespace patron::detail
