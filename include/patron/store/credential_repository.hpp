// Port: credentials (cards, fobs, barcodes, wallet passes, caller ids), in
// domain terms. Handed out by a Transaction. An active value is unique per
// kind: the storage enforces it and insert()/update() refuse a clash with
// Error(already_exists) naming "value". A replaced credential is final: the
// storage refuses to move it out of replaced (Error(failed_precondition)).
// Values reach the port already normalised (E.164 for phone credentials).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "patron/credentials.hpp"

namespace patron::store {

// A usable credential's holder, as identification needs it.
struct CredentialHolder {
  CustomerId customer{};
  std::int64_t credential = 0;
};

class CredentialRepository {
 public:
  virtual ~CredentialRepository() = default;

  // Assigns the id; the holder (credential.customer) must exist.
  virtual void insert(Credential& credential) = 0;
  virtual std::optional<Credential> get(std::int64_t id) = 0;
  // Rewrites status, valid_from, valid_until, label, replaced_by and
  // updated_at (kind, value, holder, wallet data and replaces never change).
  virtual void update(const Credential& credential) = 0;
  // Newest first (by id, descending).
  virtual std::vector<Credential> of_customer(const CustomerId& customer) = 0;
  // Every credential of `kind` holding `value`, newest first.
  virtual std::vector<Credential> find(CredentialKind kind, std::string_view value) = 0;

  // What a presented token names: every credential of a kind other than
  // phone holding `value`, plus every phone credential holding `phone`
  // (none when absent), whatever the status, most recently changed first.
  virtual std::vector<Credential> named_by(std::string_view value, std::optional<std::string_view> phone) = 0;
  // The hot path: the holders of the credentials named_by() would return
  // that are usable at `at` (active, valid_from <= at < valid_until), oldest
  // credential first.
  virtual std::vector<CredentialHolder> usable_holders(std::string_view value, std::optional<std::string_view> phone,
                                                       Timestamp at) = 0;
};

}  // namespace patron::store
