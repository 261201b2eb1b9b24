// patron::Exports: the customer base, or a part of it, out to a file.
//
// Borrowed from a Database (db.exports()); thread-safe like it. An export
// reads one snapshot of the database (tills keep writing meanwhile; what
// they write after it began is not in the file), streams the customers in
// the order they were created, and writes the file beside its destination
// before renaming it into place: a file is there complete or not at all.
//
// JSON Lines: one customer per line, the complete record as nested JSON
// (the customer document of the C ABI without presence, and with its custom
// fields). CSV: one column per field, the lists numbered ("emails.1.address",
// "phones.2.label", "tags.3"), as many of each as the most any exported
// customer holds. Both are what Imports::customers takes: exported, imported
// into an empty database (custom fields defined alike) and exported again,
// a file comes out byte for byte the same, ids, numbers and times kept.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "patron/analytics.hpp"
#include "patron/types.hpp"

namespace patron {

namespace detail {
struct DatabaseState;
}

// detect: by extension (.csv: CSV), else JSON Lines.
enum class ExportFormat : std::uint8_t { detect, jsonl, csv };
std::string_view to_string(ExportFormat v) noexcept;
ExportFormat parse_export_format(std::string_view text, std::string_view field = "format");

// Which customers: all of them (merged-away ones never), or those meeting
// every criterion given.
struct ExportSelection {
  std::vector<std::string> customers{};  // refs (id or number); each must name a customer
  std::optional<std::int64_t> company{};  // linked to this company
  // Scored in this RFM segment in this currency (Analytics::recompute_rfm).
  std::string rfm_currency{};
  std::optional<RfmSegment> rfm_segment{};
  std::optional<Timestamp> created_since{};
  std::optional<Timestamp> changed_since{};  // updated at or after
};

struct ExportProgress {
  std::uint64_t rows_done = 0;
  std::uint64_t rows_total = 0;
};

struct ExportOptions {
  ExportFormat format = ExportFormat::detect;
  ExportSelection select{};
  // The record's fields to write, in the record's order whatever the order
  // here: id, number, title, first_name, last_name, date_of_birth,
  // lifecycle_stage, tags, emails, phones, addresses, emergency_contact,
  // status, ban, custom_fields (or custom_fields.<key> for one),
  // created_at, updated_at, first_active_at, last_active_at. Empty: all.
  std::vector<std::string> fields{};
  char delimiter = ',';    // CSV: , ; or tab
  bool overwrite = false;  // replace an existing file
  // Called after each page of customers; returning false stops the export,
  // and no file is written (the report says completed = false).
  std::function<bool(const ExportProgress&)> progress{};
};

struct ExportReport {
  std::string file{};
  ExportFormat format = ExportFormat::jsonl;
  bool completed = false;
  std::uint64_t customers = 0;
  std::uint64_t bytes = 0;
  std::vector<std::string> columns{};  // CSV: the header, in order
  friend bool operator==(const ExportReport&, const ExportReport&) = default;
};

class Exports {
 public:
  explicit Exports(detail::DatabaseState& state) : state_(&state) {}

  // Writes the selected customers to `path`. Refused before anything is
  // written: invalid_argument naming "path" (empty, no such directory, not
  // writable), "format", "fields[i]" (not a field of the record, or an
  // undefined custom field), "delimiter", "select.rfm_currency" (a segment
  // without a currency, or the reverse); already_exists ("path") unless
  // `overwrite`; not_found ("select.customers[i]", "select.company").
  ExportReport customers(const std::string& path, const ExportOptions& options = {});

 private:
  detail::DatabaseState* state_;
};

}  // namespace patron
