// Port: what duplicate detection keeps in the store and asks of it.
//
// The core computes, per customer, a comparison record (an opaque string to
// the store) and keys: blocking keys (starting with 'b') that candidate
// pairs share, and term keys (starting with 't') whose counts give term
// frequencies. The store marks a customer stale whenever its names, date of
// birth, number, emails, phones or addresses change, when it is created and
// when it is merged away, so no write path can forget; the core refreshes
// stale entries before it reads. Handles are the store's own stable
// numbers for customers, dense enough to index by, valid within a
// transaction.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "patron/ids.hpp"
#include "patron/types.hpp"

namespace patron::store {

struct MatchEntry {
  std::string record{};
  std::vector<std::string> keys{};
};

struct MatchDecision {
  std::int64_t a_handle = 0;
  std::int64_t b_handle = 0;
  CustomerId a{};
  CustomerId b{};
  bool same = false;
  std::string by{};
  Timestamp at{};
};

class DuplicateRepository {
 public:
  virtual ~DuplicateRepository() = default;

  // Up to `limit` customers marked stale (marks of customers that no longer
  // exist are dropped).
  virtual std::vector<CustomerId> stale(std::size_t limit) = 0;
  // Whether any customer is marked (a read: for read transactions).
  virtual bool any_stale() = 0;
  // Replaces each customer's entry and clears its mark; nullopt removes the
  // entry (a customer merged away). Given in batches, so that the store can
  // write the keys in its own order.
  using Put = std::pair<CustomerId, std::optional<MatchEntry>>;
  virtual void put(const std::vector<Put>& entries) = 0;

  virtual std::optional<std::string> record(const CustomerId& customer) = 0;
  // The customers holding `key`, with their records; none when more than
  // `limit` hold it (a key that common tells nothing).
  virtual std::vector<std::pair<CustomerId, std::string>> with_key(std::string_view key, std::size_t limit) = 0;
  // How many entries hold `key` (0 when none).
  virtual std::int64_t key_count(std::string_view key) = 0;
  // Every count of a key starting with `prefix`.
  virtual void each_key_count(std::string_view prefix,
                              const std::function<void(std::string_view key, std::int64_t count)>& visit) = 0;

  // Every entry, in ascending handle order.
  virtual void each_record(
      const std::function<void(std::int64_t handle, const CustomerId& customer, std::string_view record)>& visit) = 0;
  // Every blocking key of the given kinds (the letters after 'b'; all kinds
  // when empty) held by 2 to `max_block` entries: the handles holding it,
  // ascending. Keys held by more are skipped (and counted in the result).
  virtual std::size_t each_block(std::string_view kinds, std::size_t max_block,
                                 const std::function<void(std::span<const std::int64_t> handles)>& visit) = 0;

  // A decision about a pair (the latest one stands).
  virtual void decide(const CustomerId& a, const CustomerId& b, bool same, std::string_view by, Timestamp at) = 0;
  virtual std::vector<MatchDecision> decisions() = 0;
  // The customers decided "not the same" as `customer`.
  virtual std::vector<CustomerId> dismissed_with(const CustomerId& customer) = 0;

  // The trained model (the core's JSON), if any.
  virtual std::optional<std::string> model() = 0;
  virtual void store_model(std::string_view json) = 0;
};

}  // namespace patron::store
