// Port: the activity log (permanent events), the customers' data keys and
// the edit-history index, in domain terms. Handed out by a Transaction.
//
// Events are append-only: the storage refuses to change or remove one (an
// attempt, even in SQL, fails with Error(failed_precondition)). Ids increase
// in commit order. Events name their customer by id, not by a storage row,
// and hold no reference the storage would cascade: they outlive the customer.
//
// The port stores details as given: the core seals a customer's details
// (nonce || ciphertext) under the customer's data key before append() and
// opens them after reading. A customer has at most one live key; each event
// names the key that sealed it, and reading hands the key back with the
// event while it exists. Destroying a customer's key is one statement and
// leaves every event in place, its details unreadable; a later event gets a
// new key.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "patron/activity.hpp"

namespace patron::store {

// A customer's data key: 32 secret bytes and their id in the storage.
struct DataKey {
  std::int64_t id = 0;
  std::string bytes{};
  friend bool operator==(const DataKey&, const DataKey&) = default;
};

// An event as stored: `event.details` are the stored bytes (sealed for a
// customer's event, the JSON text for an organisation's; details_erased is
// not used). `key_id` names the sealing key (0 for an organisation's event);
// reads fill `key` with it unless it was destroyed.
struct StoredEvent {
  Event event{};
  std::int64_t key_id = 0;
  std::optional<std::string> key{};
  friend bool operator==(const StoredEvent&, const StoredEvent&) = default;
};

// A timeline query: one customer's events, newest first (at, then id),
// filtered (`filter.text` lower-cased by the core and matched, ASCII
// case-insensitively, as a substring of the summary or the action), strictly
// before the (at, id) position `before` when given.
struct TimelineQuery {
  TimelineFilter filter{};
  std::optional<std::pair<Timestamp, std::int64_t>> before{};
  std::size_t limit = 50;
};

// One indexed field change: the `position`-th entry of its event's
// "changes", with the event it belongs to.
struct EditEntry {
  StoredEvent event{};
  std::string field{};
  int position = 0;
};

class ActivityRepository {
 public:
  virtual ~ActivityRepository() = default;

  // Events. append() assigns and returns the id.
  virtual std::int64_t append(const StoredEvent& event) = 0;
  // The events of `customers` (a customer and those merged into it) as one
  // timeline.
  virtual std::vector<StoredEvent> timeline(const std::vector<CustomerId>& customers, const TimelineQuery& query) = 0;
  // Every event with id > `after`, by id, at most `limit`.
  virtual std::vector<StoredEvent> after(std::int64_t after, std::size_t limit) = 0;
  // The newest event's id; 0 when there is none.
  virtual std::int64_t last_id() = 0;

  // The edit-history index: `fields[i]` is entry i of the event's changes.
  virtual void index_edits(std::int64_t event, const CustomerId& customer, const std::vector<std::string>& fields) = 0;
  // The indexed changes of `field` (all when empty) of `customers` (a
  // customer and those merged into it), newest event first, in order within
  // an event.
  virtual std::vector<EditEntry> edits(const std::vector<CustomerId>& customers, std::string_view field,
                                       std::size_t limit, std::size_t offset) = 0;

  // Data keys. The customer's live key; insert_data_key() refuses a second
  // live key for a customer (already_exists) and returns the new key's id
  // (never one a destroyed key had).
  virtual std::optional<DataKey> data_key(const CustomerId& customer) = 0;
  virtual std::int64_t insert_data_key(const CustomerId& customer, std::string_view bytes, Timestamp at) = 0;
  // Destroys the customer's key (one DELETE); whether there was one.
  virtual bool destroy_data_key(const CustomerId& customer) = 0;
};

}  // namespace patron::store
