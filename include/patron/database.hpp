// patron::Database: the facade a host opens.
//
// Opening creates the file if needed and brings its schema up to date
// (forward-only numbered migrations, applied in one transaction). A Database
// is safe to share between threads: writes are serialised on one connection,
// reads run on a pool of reader connections and never wait for a writer
// (SQLite WAL). Several processes may open the same file.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "patron/activity.hpp"
#include "patron/analytics.hpp"
#include "patron/commerce.hpp"
#include "patron/companies.hpp"
#include "patron/connections.hpp"
#include "patron/consent.hpp"
#include "patron/credentials.hpp"
#include "patron/customer.hpp"
#include "patron/custom_fields.hpp"
#include "patron/customers.hpp"
#include "patron/documents.hpp"
#include "patron/doors.hpp"
#include "patron/duplicates.hpp"
#include "patron/exports.hpp"
#include "patron/imports.hpp"
#include "patron/loyalty.hpp"
#include "patron/memberships.hpp"
#include "patron/notes.hpp"
#include "patron/promotions.hpp"
#include "patron/purses.hpp"
#include "patron/types.hpp"
#include "patron/visits.hpp"

namespace patron {

enum class Synchronous { normal, full };

struct Options {
  // ISO 3166-1 region used to read phone numbers written without "+" and a
  // country code ("07911 123456" in "GB").
  std::string default_region = "GB";
  // "now" for every timestamp patron writes; the system clock when empty. A
  // time outside 0001-9999 fails the call that asked for it (invalid_argument,
  // field "clock").
  Clock clock{};
  // SQLite synchronous mode: normal (WAL-safe, may lose the last commits on
  // power loss) or full (durable at every commit).
  Synchronous synchronous = Synchronous::normal;
  // How long a write waits for another process holding the file.
  std::chrono::milliseconds busy_timeout{5000};
  // Reader connections kept open (file databases only).
  unsigned max_readers = 8;
  // Free-mail and ISP domains refused as company domains, on top of the
  // built-in list (gmail.com, outlook.com, yahoo.*, ...). open() stores them
  // as registrable domains ("mail.example.net" -> "example.net").
  std::vector<std::string> free_mail_domains{};
  // Largest document Documents accepts, in bytes.
  std::int64_t max_document_bytes = 25 * 1024 * 1024;
};

// What check() found: each failed check with what failed ("integrity":
// SQLite's own check of the file; "foreign_keys": a row naming one that is
// not there; "purse_balance", "points_balance": a balance checkpoint that is
// not its ledger's sum and last balance_after (or its open lots' points);
// "consent_state": a customer's current consent that its log does not give).
struct CheckProblem {
  std::string check{};
  std::string detail{};
  friend bool operator==(const CheckProblem&, const CheckProblem&) = default;
};

struct CheckReport {
  bool ok = true;       // no problem found
  bool quick = false;   // SQLite's quick_check instead of integrity_check
  std::int64_t customers = 0;
  std::int64_t purse_accounts = 0;   // accounts checked against their ledgers
  std::int64_t points_accounts = 0;
  std::vector<CheckProblem> problems{};  // at most 100
  friend bool operator==(const CheckReport&, const CheckReport&) = default;
};

// What the file holds (stats()), counted in one read snapshot.
struct CurrencyTotal {
  std::string currency{};
  std::int64_t accounts = 0;
  std::int64_t balance = 0;  // minor units, summed over the accounts
  friend bool operator==(const CurrencyTotal&, const CurrencyTotal&) = default;
};

struct ProgramTotal {
  std::string program{};
  std::int64_t accounts = 0;
  std::int64_t points = 0;  // outstanding, summed over the accounts
  friend bool operator==(const ProgramTotal&, const ProgramTotal&) = default;
};

struct DatabaseStats {
  int schema_version = 0;
  std::int64_t file_bytes = 0;  // the database file (its WAL not counted)
  std::int64_t customers = 0;   // live (merged-away and erased ones not counted)
  std::int64_t merged = 0;      // merged into another
  std::int64_t erased = 0;      // tombstones (privacy.hpp), merged-in ones too
  std::int64_t banned = 0;
  std::int64_t with_email = 0;  // live customers with at least one
  std::int64_t with_phone = 0;
  std::int64_t companies = 0;
  std::int64_t memberships = 0;
  std::int64_t credentials = 0;
  std::int64_t orders = 0;
  std::int64_t bookings = 0;
  std::int64_t enquiries = 0;
  std::int64_t visits = 0;
  std::int64_t notes = 0;
  std::int64_t documents = 0;
  std::int64_t events = 0;
  std::vector<CurrencyTotal> purses{};  // by currency
  std::vector<ProgramTotal> points{};   // by program
  friend bool operator==(const DatabaseStats&, const DatabaseStats&) = default;
};

struct BackupReport {
  std::string path{};
  std::int64_t bytes = 0;
  int schema_version = 0;
  friend bool operator==(const BackupReport&, const BackupReport&) = default;
};

namespace detail {
struct DatabaseState;
}

class Privacy;

class Database {
 public:
  // `path` is a file path or ":memory:". Throws Error(storage) when the file
  // cannot be opened, Error(invalid_argument) for bad options, and
  // Error(failed_precondition) when the file was written by a newer patron.
  static Database open(const std::string& path, Options options = {});

  Database(Database&&) noexcept;
  Database& operator=(Database&&) noexcept;
  ~Database();

  Customers& customers();
  const Customers& customers() const;
  Orders& orders();
  const Orders& orders() const;
  Bookings& bookings();
  const Bookings& bookings() const;
  Enquiries& enquiries();
  const Enquiries& enquiries() const;
  Analytics& analytics();
  const Analytics& analytics() const;
  Companies& companies();
  const Companies& companies() const;
  Memberships& memberships();
  const Memberships& memberships() const;
  Credentials& credentials();
  const Credentials& credentials() const;
  Doors& doors();
  const Doors& doors() const;
  Connections& connections();
  const Connections& connections() const;
  Activity& activity();
  const Activity& activity() const;
  Notes& notes();
  const Notes& notes() const;
  Documents& documents();
  const Documents& documents() const;
  CustomFields& custom_fields();
  const CustomFields& custom_fields() const;
  Purses& purses();
  const Purses& purses() const;
  Loyalty& loyalty();
  const Loyalty& loyalty() const;
  Promotions& promotions();
  const Promotions& promotions() const;
  Visits& visits();
  const Visits& visits() const;
  // Consent and communication preferences (consent.hpp).
  Consent& consent();
  const Consent& consent() const;
  Duplicates& duplicates();
  const Duplicates& duplicates() const;
  // Bringing customers in from another system's files (imports.hpp).
  Imports& imports();
  // Writing the customer base, or a selection, to a file (exports.hpp).
  Exports& exports();
  // Subject access export, erasure and retention (privacy.hpp; declared
  // here only, so that a change there rebuilds only what includes it).
  Privacy& privacy();

  // Finds customers by a token from a till, door or form: an id, a customer
  // number, a credential (active and valid now; see credentials.hpp), an
  // email or a phone. Each customer appears once, with what it matched on
  // (in that order of precedence) and, for a credential, which one.
  std::vector<Identification> identify(std::string_view token) const;
  // The hot path: ids only, no profile load. Same precedence.
  std::vector<CustomerId> identify_ids(std::string_view token) const;
  // The credential a token names and whether it identifies its holder at
  // `at` (now when absent) or why not: unknown, blocked, lost, replaced,
  // not_yet_valid, expired. Throws only for an empty or non-UTF-8 token
  // (invalid_argument naming "token").
  CredentialCheck identify_credential(std::string_view token, std::optional<Timestamp> at = {}) const;
  // The hot path for card readers and tills that know the token is a
  // credential: the holder of the usable credential it names at `at` (now
  // when absent), the first issued when several kinds share the value; no
  // profile load, no id/number/email/phone matching. Errors as above.
  std::optional<CustomerId> credential_holder(std::string_view token, std::optional<Timestamp> at = {}) const;

  // Schema version of the open file.
  int schema_version() const;

  // A consistent copy of the whole database in a new file at `path`, taken
  // from one snapshot while tills keep writing (SQLite's online backup API,
  // from a reader connection; writers are never held up). The copy is
  // written beside `path` and renamed into place when complete, then
  // checked (quick_check). Error(already_exists, "path") when the file
  // exists; Error(invalid_argument, "path") when it is empty or its
  // directory cannot be written.
  BackupReport backup(const std::string& path) const;
  // Checks the file in one read snapshot: SQLite's integrity_check (or the
  // faster quick_check), its foreign keys, and every purse and points
  // account's balance against its ledger (and points against open lots).
  CheckReport check(bool quick = false) const;
  // How much the file holds: customers (live, merged, banned, reachable),
  // records of each kind, purse money per currency and outstanding points
  // per program, all from one read snapshot.
  DatabaseStats stats() const;
  const Options& options() const;

 private:
  explicit Database(std::unique_ptr<detail::DatabaseState> state);
  // The services borrow *state_; they live together in one block.
  struct Services;
  std::unique_ptr<detail::DatabaseState> state_;
  std::unique_ptr<Services> services_;
};

}  // namespace patron
