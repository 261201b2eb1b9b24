// Port: idempotency keys, for any ledger whose writes a client may retry
// (purses today, the points ledger next). A key belongs to a scope ("purse",
// ...) and remembers the canonical text of the request that first used it
// and the entry that request wrote. Keys are permanent: never changed or
// deleted (the storage enforces it). Handed out by a Transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace patron::store {

struct IdempotencyRecord {
  std::string request;  // canonical request text
  std::int64_t entry = 0;
  friend bool operator==(const IdempotencyRecord&, const IdempotencyRecord&) = default;
};

class IdempotencyRepository {
 public:
  virtual ~IdempotencyRepository() = default;

  virtual std::optional<IdempotencyRecord> find(std::string_view scope, std::string_view key) = 0;
  // Error(already_exists) naming "idempotency_key" when (scope, key) is taken.
  virtual void insert(std::string_view scope, std::string_view key, const IdempotencyRecord& record) = 0;
};

}  // namespace patron::store
