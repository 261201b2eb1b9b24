// Privacy: answering "what do you hold on me?" (GDPR Art. 15) and "delete
// me" (Art. 17) provably and without breaking the accounts the law makes a
// business keep. (Retention policies are to come: see the README.)
//
// Subject access export: export_archive(ref, path) writes everything patron
// holds on a customer, and on every customer merged into it, as one zip:
// `customer.json` (a versioned, documented JSON document: the profile,
// contacts, custom fields, companies, memberships, credentials, door
// permissions, connections and referrals, the whole timeline with its
// details decrypted, the edit history, notes with their revisions,
// documents, purse and points ledgers, orders, bookings, enquiries, visits,
// promotion categories, the consent log, states and preferences, analytics
// and predictions, the customers merged in — and the Art. 15 information:
// purposes, legal bases, sources, recipients, retention, rights),
// `README.txt` (what each part means) and `documents/<id>-<name>` (each
// document's bytes). The parts are read one after another; when the
// customer's timeline moved meanwhile (every write to a customer records an
// event) they are read again, so the archive shows one state. It is written
// beside `path` and put in place complete or not at all; an existing `path`
// is never replaced. The export is recorded as "customer.access_exported"
// on the customer's timeline.
//
// Erasure: erase(ref, request) removes, in one transaction, the customer's
// personal data — profile fields, emails, phones, addresses, notes and their
// revisions, documents and their bytes, custom field values, credentials,
// door permissions, memberships, company links, connections and referrals,
// enquiries, promotion categories, RFM scores, the consent log and
// preferences, the full-text index entries, duplicate-review state, and the
// data key of its timeline (every event's details and every edit-history
// value become unreadable; the log itself stays whole, each summary replaced
// by "erased") — for it and for every customer merged into it.
// What the law makes a business keep stays, anonymous, under a tombstone
// ("erased at ... by ... because ..."): orders, bookings and their amounts
// and dates, purse and points ledgers, visits' times, the events' types and
// times. Each erased email and phone number goes on the suppression list for
// every purpose on every channel it serves, so no import or form grants it
// consent again unless the person grants anew (consent.hpp). The customer's
// number becomes "erased-" and 25 hex digits. Afterwards no call finds the
// customer by id, number, email, phone, credential or name (not_found);
// tombstone() answers for its id. patron writes with SQLite's secure_delete
// on (what a write deletes is zeroed), erasure rewrites the full-text
// indexes and checkpoints the write-ahead log into the file, so the erased
// bytes are gone from the database file and its WAL (a host's own backups
// still hold them: see the README). The erasure is recorded as
// "customer.erased" on the organisation's timeline (type compliance).
//
// Refused (failed_precondition) while the customer holds money in a purse
// (field "purses": refund or settle it first) or while an import is running
// (field "imports": it could bring the customer back).
//
// Borrowed from a Database (db.privacy()); thread-safe like it.
//
// Errors (patron::Error): invalid_argument naming "path", "ref", "requested_by"
// (1-200 characters), "reason" (1-500 characters), "customer_id";
// not_found naming "ref"; already_exists naming "path"; failed_precondition
// naming "purses" or "imports".
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "patron/customer.hpp"
#include "patron/types.hpp"

namespace patron {

namespace detail {
struct DatabaseState;
}

// The version of customer.json's format (its "version" member).
inline constexpr int access_export_version = 1;

struct AccessExport {
  std::string path{};
  std::int64_t bytes = 0;  // the archive's size
  CustomerId customer{};
  std::vector<CustomerId> merged{};  // customers merged into it, included
  std::int64_t events = 0;
  std::int64_t documents = 0;  // document files in the archive
  int version = access_export_version;
  friend bool operator==(const AccessExport&, const AccessExport&) = default;
};

struct ErasureRequest {
  std::string requested_by{};  // who asked: "the guest, by email", "staff: J. Doe"
  std::string reason{};        // "Art. 17 request of 2026-12-01", "duplicate test record"
};

// What an erased customer leaves.
struct Tombstone {
  CustomerId customer{};
  std::string number{};  // its placeholder number
  Timestamp erased_at{};
  std::string erased_by{};  // the actor of the call
  std::string requested_by{};
  std::string reason{};
  // The customer it had been merged into, when erased with it.
  std::optional<CustomerId> merged_into{};
  friend bool operator==(const Tombstone&, const Tombstone&) = default;
};

struct ErasureReport {
  Tombstone tombstone{};
  std::vector<CustomerId> customers{};  // erased: the customer, then those merged into it
  // Rows removed or blanked, by kind ("emails", "notes", "documents", "data_keys",
  // "event_summaries", ...).
  std::map<std::string, std::int64_t> removed{};
  // Rows kept anonymous under the tombstone ("orders", "purse_entries", ...).
  std::map<std::string, std::int64_t> kept{};
  std::int64_t suppressed = 0;  // address hashes added to the suppression list
  friend bool operator==(const ErasureReport&, const ErasureReport&) = default;
};

class Privacy {
 public:
  explicit Privacy(detail::DatabaseState& state) : state_(&state) {}

  // Writes the subject access archive (a zip) at `path`, which must not
  // exist. (`export` is a C++ keyword: Python and C call it export.)
  AccessExport export_archive(std::string_view customer_ref, const std::string& path) const;

  ErasureReport erase(std::string_view customer_ref, const ErasureRequest& request);
  // The tombstone of an erased customer, by its id (or a merged-in one's).
  std::optional<Tombstone> tombstone(std::string_view customer_id) const;
  // Every erasure, newest first: the register a data-protection officer keeps.
  std::vector<Tombstone> erasures(Page page = {}) const;

 private:
  detail::DatabaseState* state_;
};

}  // namespace patron
