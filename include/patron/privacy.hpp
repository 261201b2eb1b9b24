// Privacy: answering "what do you hold on me?" (GDPR Art. 15) and "delete
// me" (Art. 17) provably and without breaking the accounts the law makes a
// business keep, and keeping nothing longer than the business decided
// (retention, Art. 5(1)(e)).
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
// Retention: policies the host sets, one per name, each keeping one
// category of data for a number of days:
//   inactive_customers  erase (as above) every customer with no activity for
//                       `days`: nothing on its timeline (or on those of the
//                       customers merged into it) but automated events (a
//                       newsletter sent is not the customer's activity), not
//                       created, not online since. Kept, and listed as
//                       skipped with the reason, are customers who are
//                       banned ("banned": erasing would lift the ban), whose
//                       purse holds money ("purses"), who hold a membership
//                       that has not ended ("memberships") or a booking not
//                       over ("bookings"). While an import is unfinished the
//                       policy waits (held "imports: ..."); an import begun
//                       during a run stops it there (held, with what it
//                       erased before listed).
//   timeline_details    drop the details of customers' events older than
//                       `days` (the event stays: type, time, actor, summary;
//                       its details read as erased, details_erased, and so
//                       do the edit-history values it held).
//   documents           delete documents of `document_kind` `days` after
//                       upload (each "document.removed" on its customer's
//                       timeline).
// preview_retention() is the dry run: what a run now would do, writing
// nothing (each policy is previewed on today's data: a document of a
// customer an inactive-customers policy would erase is listed by a
// documents policy too). run_retention() applies every policy, by name,
// and records the run: when, by whom, and per policy what went (erased
// customers, deleted documents, the number of events whose details were
// dropped, who was skipped and why). The host schedules it (nightly, say).
// Each erasure, each 100 documents and each 10,000 events is its own
// transaction, which also records what it did, so a run never holds the
// file for long; the full-text indexes are rewritten after every 100
// erasures and at the end. A run stopped half way is listed without
// finished_at, with what it did, and the next run goes on from where the
// data stands. Erased customers appear in erasures(), requested by
// "retention policy <name>". The access export's information part lists
// the policies. A run is recorded as "retention.run" on the organisation's
// timeline.
//
// Borrowed from a Database (db.privacy()); thread-safe like it.
//
// Errors (patron::Error): invalid_argument naming "path", "ref", "requested_by"
// (1-200 characters), "reason" (1-500 characters), "customer_id", "name"
// (1-64 characters of A-Z a-z 0-9 . _ - : /), "category", "days"
// (1-36500), "document_kind" (required by a documents policy, refused by
// the others), "description" (at most 500 characters), "limit" (1-1000);
// not_found naming "ref" or "name"; already_exists naming "path";
// failed_precondition naming "purses" or "imports".
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "patron/customer.hpp"
#include "patron/documents.hpp"
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

enum class RetentionCategory { inactive_customers, timeline_details, documents };
std::string_view to_string(RetentionCategory v) noexcept;
RetentionCategory parse_retention_category(std::string_view text, std::string_view field = "category");

struct RetentionPolicy {
  std::string name{};  // the host's: "inactive-3y", "id-scans"
  RetentionCategory category = RetentionCategory::inactive_customers;
  int days = 0;  // how long the data is kept
  std::optional<DocumentKind> document_kind{};  // documents: the kind it applies to
  std::string description{};  // why, in words a guest reads in an access export
  Timestamp created_at{};     // set by patron
  Timestamp updated_at{};
  friend bool operator==(const RetentionPolicy&, const RetentionPolicy&) = default;
};

// A customer a policy would have touched but kept: "banned", "purses",
// "memberships" or "bookings".
struct RetentionSkip {
  CustomerId customer{};
  std::string reason{};
  friend bool operator==(const RetentionSkip&, const RetentionSkip&) = default;
};

// What one policy did (or, in a dry run, would do).
struct RetentionOutcome {
  RetentionPolicy policy{};  // the whole policy, as applied
  Timestamp cutoff{};        // data from before this time went
  // inactive_customers: the customers erased; documents: the customers
  // whose documents were deleted (each once); timeline_details: none.
  std::vector<CustomerId> customers{};
  std::vector<std::int64_t> documents{};  // documents: the documents deleted
  std::int64_t events = 0;                // timeline_details: events whose details were dropped
  std::vector<RetentionSkip> skipped{};
  // Why the policy waited or stopped ("imports: ..."; what it did before
  // is listed); empty when it ran through.
  std::string held{};
  friend bool operator==(const RetentionOutcome&, const RetentionOutcome&) = default;
};

struct RetentionRun {
  std::int64_t id = 0;  // 0 for a dry run
  bool dry_run = false;
  std::string actor{};
  Timestamp started_at{};
  std::optional<Timestamp> finished_at{};  // absent: a dry run, or stopped half way, or running
  std::vector<RetentionOutcome> outcomes{};  // one per policy, by name
  friend bool operator==(const RetentionRun&, const RetentionRun&) = default;
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

  // Creates the policy or replaces the one of that name.
  RetentionPolicy set_retention_policy(const RetentionPolicy& policy);
  void remove_retention_policy(std::string_view name);
  std::vector<RetentionPolicy> retention_policies() const;  // by name
  RetentionRun preview_retention() const;  // the dry run
  RetentionRun run_retention();
  std::vector<RetentionRun> retention_runs(Page page = {}) const;  // newest first

 private:
  detail::DatabaseState* state_;
};

}  // namespace patron
