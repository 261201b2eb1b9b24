// Port: the consent log, its current states, purposes, the suppression list
// and communication preferences, in domain terms. Handed out by a
// Transaction.
//
// The storage keeps the current state of each customer, channel and purpose
// from the log itself (the latest granted or withdrawn entry; a pending one
// only where there is no state), refuses to change or delete an entry, and
// refuses a second confirmation of one request.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "patron/consent.hpp"

namespace patron::store {

// The current state of one channel and purpose of a customer, as stored.
struct CurrentConsent {
  ConsentStatus status = ConsentStatus::granted;
  std::int64_t entry = 0;
  Timestamp since{};
};

class ConsentRepository {
 public:
  virtual ~ConsentRepository() = default;

  // Appends the entry (assigns the id). `token_hash`: a request's token
  // hash, unique; empty otherwise.
  virtual void append(ConsentEntry& entry, const std::string& token_hash) = 0;
  virtual std::optional<ConsentEntry> get(std::int64_t id) = 0;
  // The request whose token hashes to `token_hash`.
  virtual std::optional<ConsentEntry> request_by_token(const std::string& token_hash) = 0;
  // The confirmation of request `request`, when there is one.
  virtual std::optional<std::int64_t> confirmation_of(std::int64_t request) = 0;
  // Whether the customer withdrew `channel`/`purpose` after entry `entry`.
  virtual bool withdrawn_after(const CustomerId& customer, Channel channel, std::string_view purpose,
                               std::int64_t entry) = 0;

  // The hot path, one probe: the state of `channel`/`purpose` of the live
  // customer `customer`; nullopt when there is none (no entry, or no live
  // customer has the id: a merged-away customer's states are dropped).
  virtual std::optional<CurrentConsent> current(const CustomerId& customer, Channel channel,
                                                std::string_view purpose) = 0;
  // Drops the current states of a customer merged away (its log stays).
  virtual void drop_states(const CustomerId& customer) = 0;
  // Every current state of the customer, by channel then purpose.
  virtual std::vector<std::pair<std::pair<Channel, std::string>, CurrentConsent>> states(
      const CustomerId& customer) = 0;
  // The log of the customer and those merged into it, newest first.
  virtual std::vector<ConsentEntry> history(const CustomerId& customer, Page page) = 0;
  // Live customers reachable on `channel` for `purpose` whose id sorts
  // after `after` ("" from the start), at most `limit`, by id. Opt-in: those
  // whose state is granted; opt-out: every live customer but those whose
  // state is withdrawn.
  virtual std::vector<CustomerId> reachable(Channel channel, std::string_view purpose, bool opt_out,
                                            const std::string& after, std::size_t limit) = 0;

  // Host-defined purposes.
  virtual void insert_purpose(const ConsentPurpose& purpose, Timestamp at) = 0;
  virtual std::optional<ConsentPurpose> purpose(std::string_view name) = 0;
  virtual std::vector<ConsentPurpose> purposes() = 0;

  // A key patron made for itself (the suppression list's), by name.
  virtual std::optional<std::string> secret(std::string_view name) = 0;
  virtual void insert_secret(std::string_view name, const std::string& value) = 0;
  virtual void suppress(const std::string& hash, std::string_view purpose, Timestamp at) = 0;
  virtual void lift(const std::string& hash, std::string_view purpose) = 0;
  virtual bool suppressed(const std::string& hash, std::string_view purpose) = 0;

  virtual void save_preferences(const CustomerId& customer, const ContactPreferences& preferences,
                                Timestamp at) = 0;
  virtual std::optional<ContactPreferences> preferences(const CustomerId& customer) = 0;
};

}  // namespace patron::store
