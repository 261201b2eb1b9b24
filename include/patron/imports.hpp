// patron::Imports: a customer base brought in from another system's file.
//
// Borrowed from a Database (db.imports()); thread-safe like it. An import
// streams the file (memory stays flat however long it is), validates every
// row with the same rules as create(), matches it against the customers
// already there, and commits in batches of rows, one transaction each. Every
// row ends in exactly one outcome, and the report says which; rejected rows
// can go to a reject file that is itself importable once corrected.
//
// Resumable: a run killed at any moment (or stopped by `progress`) and run
// again on the same file with the same options goes on after its last
// committed batch and ends exactly as one clean run would have, no row
// doubled and none lost. The checkpoint lives in the database, keyed by the
// file's bytes and the options; it is forgotten when the run completes.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "patron/error.hpp"
#include "patron/ids.hpp"

namespace patron {

namespace detail {
struct DatabaseState;
}

// create: new customers only (a row matching one is rejected, already_exists);
// update: existing customers only (a row matching none is rejected,
// not_found); upsert: either.
enum class ImportMode : std::uint8_t { create, update, upsert };
std::string_view to_string(ImportMode v) noexcept;
ImportMode parse_import_mode(std::string_view text, std::string_view field = "mode");

// detect: by extension (.jsonl, .ndjson: JSON Lines), else CSV.
enum class ImportFormat : std::uint8_t { detect, csv, jsonl };
std::string_view to_string(ImportFormat v) noexcept;
ImportFormat parse_import_format(std::string_view text, std::string_view field = "format");

// What a row does to a field an existing customer already holds: overwrite
// it, or fill it only when blank. Lists (emails, phones, addresses, tags)
// are always added to, never cleared; an empty cell never clears anything.
enum class FieldPolicy : std::uint8_t { overwrite, fill_blanks };
std::string_view to_string(FieldPolicy v) noexcept;
FieldPolicy parse_field_policy(std::string_view text, std::string_view field = "policy");

// A new row that resembles an existing customer without sharing a key with
// it (duplicate detection, duplicates.hpp): list it in the report and create
// the customer anyway, hold it back (rejected, conflict), or do not look.
enum class DuplicateCheck : std::uint8_t { list, hold, off };
std::string_view to_string(DuplicateCheck v) noexcept;
DuplicateCheck parse_duplicate_check(std::string_view text, std::string_view field = "duplicates");

// Which number comes first in a date like 03/04/1985 (ISO 1985-04-03 is
// always understood).
enum class DateOrder : std::uint8_t { day_first, month_first };
std::string_view to_string(DateOrder v) noexcept;
DateOrder parse_date_order(std::string_view text, std::string_view field = "date_order");

// Which column feeds which field. A target is one of: number, title,
// first_name, last_name, date_of_birth, lifecycle_stage, tags (several
// separated by , ; or |), email (any number of columns, the first becomes
// primary), phone, phone.mobile, phone.home, phone.work, phone.other (as
// many as wanted), address.line1, address.line2, address.city,
// address.region, address.postal_code, address.country (one contact
// address per row), custom.<key> (a defined custom field),
// consent.<channel>.<purpose> (granted or withdrawn: yes/no, true/false,
// 1/0, opt-in/opt-out, subscribed/unsubscribed; recorded through the
// consent log when it differs from the current state, so a second run
// writes nothing; a grant to an address on the suppression list rejects
// the row), consent.legal_basis / consent.source / consent.text_version
// (the terms of the row's grants: consent, "import" and none by default;
// no policy applies to consent), or ignore.
// Columns not named here map themselves by their header when it is a
// common name ("First Name", "given_name", "Surname", "E-mail", "Mobile",
// "DOB", "Postcode", "Newsletter", "Accepts Email Marketing", "SMS opt-in",
// …); any other column is reported as unknown and not imported. Columns named reject_* (a reject file fed back in) are skipped.
struct ImportMapping {
  std::map<std::string, std::string> columns{};   // header → target
  std::map<std::string, FieldPolicy> policies{};  // target → policy
  FieldPolicy default_policy = FieldPolicy::overwrite;

  // Reads a mapping file, JSON or TOML by its extension (.json, .toml):
  //   {"columns": {"Vorname": "first_name", "Notes": "ignore"},
  //    "policy": "overwrite", "fill_blanks": ["title", "date_of_birth"]}
  // Error(invalid_argument, "mapping…") naming what is wrong in it.
  static ImportMapping load(const std::string& path);
  friend bool operator==(const ImportMapping&, const ImportMapping&) = default;
};

struct ImportProgress {
  std::uint64_t rows_done = 0;
  std::uint64_t rows_total = 0;
};

struct ImportOptions {
  ImportMapping mapping{};
  ImportFormat format = ImportFormat::detect;
  // Empty: UTF-8 (a byte-order mark may say UTF-8 or UTF-16); else any
  // converter name ICU knows ("windows-1252", "ISO-8859-1", "Shift_JIS").
  std::string encoding{};
  char delimiter = 0;  // CSV: 0 detects , ; or tab from the header line
  ImportMode mode = ImportMode::upsert;
  DuplicateCheck duplicates = DuplicateCheck::list;
  double duplicate_probability = 0.9;  // from this match probability a row resembles a customer
  DateOrder date_order = DateOrder::day_first;
  // Works everything out in one transaction and rolls it back: the same
  // report, nothing written to the database (the reject file is written).
  bool dry_run = false;
  std::string rejects{};  // path of the reject file; empty: none
  std::size_t batch_size = 1000;  // rows per transaction, 1..100,000
  std::size_t max_listed = 1000;  // entries per list of the report, 0..1,000,000; counts are always whole
  std::string by = "import";      // the actor of every event the import records
  // Called after each committed batch; returning false stops the run there
  // (the report says completed = false; the same call again resumes it).
  std::function<bool(const ImportProgress&)> progress{};
};

struct RejectedRow {
  std::uint64_t line = 0;
  std::string field{};  // the column (or "row", "line")
  Errc code = Errc::invalid_argument;
  std::string message{};
  friend bool operator==(const RejectedRow&, const RejectedRow&) = default;
};

// A row naming (by number, email, or phone and first name) the customer an
// earlier row of the same file created or matched: the two became one.
struct SameAsRow {
  std::uint64_t line = 0;
  std::uint64_t earlier_line = 0;
  CustomerId customer{};
  friend bool operator==(const SameAsRow&, const SameAsRow&) = default;
};

struct PossibleDuplicateRow {
  std::uint64_t line = 0;
  std::optional<CustomerId> customer{};  // the customer the row created; none when held back
  CustomerId resembles{};
  double probability = 0;
  friend bool operator==(const PossibleDuplicateRow&, const PossibleDuplicateRow&) = default;
};

struct ImportReport {
  std::string file{};
  ImportFormat format = ImportFormat::csv;
  std::string encoding{};
  char delimiter = 0;  // CSV
  bool dry_run = false;
  bool completed = false;          // false when stopped by `progress`
  std::uint64_t resumed_after = 0; // rows an earlier, interrupted run had done
  std::uint64_t rows = 0;          // data rows in the file
  std::uint64_t created = 0;
  std::uint64_t updated = 0;
  std::uint64_t unchanged = 0;
  std::uint64_t rejected = 0;
  std::uint64_t same_as_earlier_line = 0;
  std::uint64_t possible_duplicates = 0;  // rows listed (or held) as resembling a customer
  std::map<std::string, std::string> columns{};  // each column used → its target
  std::vector<std::string> unknown_columns{};    // in file order; not imported
  // The first max_listed entries of each kind, in line order.
  std::vector<RejectedRow> rejected_rows{};
  std::vector<SameAsRow> same_as_rows{};
  std::vector<PossibleDuplicateRow> possible_duplicate_rows{};
  friend bool operator==(const ImportReport&, const ImportReport&) = default;
};

class Imports {
 public:
  explicit Imports(detail::DatabaseState& state) : state_(&state) {}

  // Imports customers from a CSV or JSON Lines file. Each row is matched,
  // in this order, by customer number, by any of its emails, then by a
  // phone held by a customer of the same first name.
  // Throws (nothing written by the failing batch) for a file or options
  // that cannot be imported: invalid_argument naming "file" (not text, not
  // in the encoding, malformed CSV, with the line), "encoding", "mapping…",
  // "batch_size", "max_listed", "duplicate_probability", "by"; not_found
  // ("file") when there is no such file.
  ImportReport customers(const std::string& path, const ImportOptions& options = {});

  // The other files of a migration. Each row names its customer in a
  // "customer" column (an id or a customer number; merged-away customers
  // lead to the survivor) or a "customer.email" column, and adds one record
  // for them. A record already there (the same credential, opening balance,
  // membership or order) is `unchanged` when the row says the same of it,
  // else the row is rejected (conflict): a file never rewrites what patron
  // holds. Mode create rejects a row whose record is there
  // (already_exists), update one whose record is not (not_found). The
  // options policy, duplicates and duplicate_probability are the
  // customers file's; the mapping's targets are the file's own.
  //
  // credentials: kind (magnetic_card, smart_card, key_fob, barcode, qr_code,
  // phone), value, label, status (active, blocked, lost), valid_from,
  // valid_until. The same credential: the same kind, value and holder, in
  // the row's status when one holds it (a card lost since the file was made
  // stays lost; a row saying active is then a conflict). An active value
  // another customer holds actively: conflict.
  ImportReport credentials(const std::string& path, const ImportOptions& options = {});
  // Opening purse balances: currency, balance (in major units as a till
  // shows it, "125.50": at most the currency's decimals). A top-up whose
  // idempotency key is the customer's id and the currency (also looked for
  // under the customers merged into it since), so a second run, or a second
  // file, never adds it twice; 0 writes nothing
  // (unchanged); below 0 is refused.
  ImportReport purse_balances(const std::string& path, const ImportOptions& options = {});
  // Opening points balances: program (its id), points (a whole number),
  // qualifying (counts for tiers; false when absent). An adjustment with the
  // reason "opening balance", keyed by the customer's id and the program.
  ImportReport points_balances(const std::string& path, const ImportOptions& options = {});
  // Memberships: plan (its name, or its id), starts_at, ends_at (a plan
  // that bills: one period when absent), status (active, paused,
  // cancelled). The same membership: the same holder, plan and start.
  ImportReport memberships(const std::string& path, const ImportOptions& options = {});
  // Order history (for analytics and the timeline): external_ref (the
  // order number; unique per source), source ("import" when absent),
  // placed_at, status ("completed" when absent), currency, total and paid
  // in major units (paid: the total for a completed order, else 0, when
  // absent), and items as numbered columns items.N.name, items.N.quantity
  // (1 when absent), items.N.unit_price, items.N.category.
  ImportReport orders(const std::string& path, const ImportOptions& options = {});

 private:
  detail::DatabaseState* state_;
};

}  // namespace patron
