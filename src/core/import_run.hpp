// The run of an import, whatever its file holds (imports.cpp: customers;
// import_records.cpp: credentials, opening balances, memberships, orders).
// The file is locked and read once before any write; rows go in batches, one
// transaction each, with the checkpoint that lets a stopped or killed run go
// on; a dry run rolls back; rejected rows go to the reject file; the report
// counts every row once.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/event_builders.hpp"
#include "patron/imports.hpp"
#include "patron/store/store.hpp"

namespace patron::io {
struct Record;
class RecordReader;
}  // namespace patron::io

namespace patron::detail {

struct DatabaseState;
class ImportTally;

// ---- Cells: what every kind of file reads the same way ----

// A header as the common names compare it: folded, with everything but
// letters and digits dropped ("E-Mail Address" -> "emailaddress").
std::string header_key(std::string_view header);
[[noreturn]] void refuse_row(Errc code, const std::string& field, const std::string& rule);
// `e` naming `field` instead of the field it names (a column instead of the
// rule's field name), in its message's lead too.
Error renamed(const Error& e, const std::string& field);
// ISO (1985-04-03), else day and month in `order` with / . or - between them
// and a four-digit year.
Date date_cell(std::string_view v, DateOrder order, const std::string& column);
// An ISO 8601 timestamp (an offset may follow), else a date as date_cell
// reads it, at midnight UTC.
Timestamp time_cell(std::string_view v, DateOrder order, const std::string& column);
// Items separated by , ; or |, trimmed, empty ones dropped.
std::vector<std::string> list_cell(std::string_view v);
// true/yes/y/1/x or false/no/n/0, any case.
bool truth(std::string_view v, const std::string& column);
// An amount of `currency` as a legacy file writes it, in major units
// ("125.50", "-3", "1250"): at most as many decimals as the currency has
// (ISO 4217, through ICU), into minor units within ±10^15.
std::int64_t money_cell(std::string_view v, const std::string& currency, const std::string& column);
// A whole number within [min, max].
std::int64_t integer_cell(std::string_view v, std::int64_t min, std::int64_t max, const std::string& column);

// ---- One row ----

// What the kind's row handler works with, and how it tells what the row
// did: exactly one of created, updated, unchanged or same_as; an Error
// thrown instead rejects the row (nothing of it is kept).
class ImportRow {
 public:
  ImportRow(store::Transaction& transaction, std::int64_t run_id, const io::Record& row, Timestamp at,
            ImportTally& tally)
      : tx(transaction), run(run_id), record(row), now(at), tally_(&tally) {}

  store::Transaction& tx;
  const std::int64_t run;  // for tx.imports().touched/touch
  const io::Record& record;
  const Timestamp now;

  // Says the row is about to write: a refusal after it redoes the batch with
  // a savepoint per row (a refusal before it costs nothing).
  void writes() noexcept { writing_ = true; }
  bool writing() const noexcept { return writing_; }

  void created();
  void updated();
  void unchanged();
  void same_as(std::uint64_t earlier_line, const CustomerId& customer);
  // Besides its outcome: the row resembles another customer (customers).
  void resembles(const std::optional<CustomerId>& customer, const CustomerId& other, double probability);

 private:
  ImportTally* tally_;
  bool writing_ = false;
};

// ---- The kind of file ----

struct ImportKind {
  std::string_view name;     // "customers": the checkpoint's kind and the event "<name>.imported"
  std::string_view summary;  // the event's summary, "Customers imported"
  // What else makes two runs of one file the same run (the file, the
  // format, the mapping, the mode and the other common options are in).
  EventJson options = EventJson::object();
  // The file is open: its CSV header is known.
  std::function<void(const io::RecordReader&)> opened{};
  // A row an earlier run of the same import did, read again (not imported)
  // for the columns it names.
  std::function<void(const io::Record&)> skipped{};
  // Before the first batch, in transactions of its own; before each batch,
  // in the batch's transaction.
  std::function<void()> before_run{};
  std::function<void(store::Transaction&, Timestamp)> before_batch{};
  // One row, inside the batch's transaction and ActorScope.
  std::function<void(ImportRow&)> row{};
  // The columns used and unknown, for the report.
  std::function<void(ImportReport&)> finish{};
};

// Runs the import of `path` (validating the common options: batch_size,
// max_listed, by, rejects) and returns its report.
ImportReport run_import(const DatabaseState& state, const std::string& path, const ImportOptions& options,
                        const ImportKind& kind);

}  // namespace patron::detail
