#include "patron/exports.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <string>
#include <functional>
#include <optional>
#include <unordered_map>

#include <csv.h>

#include "core/customer_ops.hpp"
#include "core/enum_names.hpp"
#include "io/files.hpp"
#include "core/state.hpp"
#include "json/json_internal.hpp"
#include "patron/custom_fields.hpp"
#include "patron/error.hpp"
#include "text/text.hpp"

namespace patron {
namespace {

constexpr std::array<std::string_view, 3> kFormats{"detect", "jsonl", "csv"};

// The record's fields, in its order (json::internal::walk_export_record).
constexpr std::array<std::string_view, 19> kFields{
    "id",        "number",           "title",     "first_name",        "last_name",
    "date_of_birth", "lifecycle_stage", "tags",   "emails",            "phones",
    "addresses", "emergency_contact", "status",   "ban",               "custom_fields",
    "created_at", "updated_at",       "first_active_at", "last_active_at"};

constexpr std::size_t kPage = 500;

// The file being written, beside its destination under a name of its own;
// put in place when complete (io::put_in_place), removed when not.
class OutFile {
 public:
  OutFile(std::string path, bool overwrite)
      : path_(std::move(path)), partial_(io::partial_name(path_)), overwrite_(overwrite) {
    const int fd = io::create_partial(partial_, path_);
    file_ = ::fdopen(fd, "wb");
    if (file_ == nullptr) {
      ::close(fd);
      std::remove(partial_.c_str());
      throw Error(Errc::storage, "path: cannot write " + text::printable(path_), "path");
    }
    std::setvbuf(file_, nullptr, _IOFBF, 1 << 20);  // a million lines: few, large writes
  }
  ~OutFile() {
    if (file_ != nullptr) std::fclose(file_);
    if (!committed_) std::remove(partial_.c_str());
  }
  OutFile(const OutFile&) = delete;
  OutFile& operator=(const OutFile&) = delete;

  void put(std::string_view data) {
    if (std::fwrite(data.data(), 1, data.size(), file_) != data.size()) fail();
    bytes_ += data.size();
  }
  void cell(const std::string& value) {
    if (csv_fwrite(file_, value.data(), value.size()) != 0) fail();
    bytes_ += value.size() + 2 + static_cast<std::size_t>(std::count(value.begin(), value.end(), '"'));
  }
  std::uint64_t bytes() const { return bytes_; }

  void commit() {
    if (std::fflush(file_) != 0 || ::fsync(fileno(file_)) != 0) fail();
    const int closed = std::fclose(file_);
    file_ = nullptr;
    if (closed != 0) fail();
    io::put_in_place(partial_, path_, overwrite_);
    committed_ = true;
  }

 private:
  [[noreturn]] void fail() { throw Error(Errc::storage, "path: write error on " + text::printable(path_), "path"); }

  std::string path_;
  std::string partial_;
  std::FILE* file_ = nullptr;
  bool overwrite_;
  std::uint64_t bytes_ = 0;
  bool committed_ = false;
};

// Which of the record's fields to write, and which custom fields.
struct FieldChoice {
  std::array<bool, kFields.size()> field{};
  std::vector<std::string> custom;  // keys, sorted
  bool wants(std::string_view name) const {
    const auto it = std::find(kFields.begin(), kFields.end(), name);
    return field[static_cast<std::size_t>(it - kFields.begin())];
  }
};

FieldChoice choose(const std::vector<std::string>& fields, const std::vector<FieldDefinition>& definitions) {
  FieldChoice out;
  std::vector<std::string> keys;
  for (const auto& d : definitions) keys.push_back(d.key);
  std::sort(keys.begin(), keys.end());
  if (fields.empty()) {
    out.field.fill(true);
    out.custom = keys;
    return out;
  }
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const std::string& f = fields[i];
    const std::string at = "fields[" + std::to_string(i) + "]";
    if (f.starts_with("custom_fields.")) {
      const std::string key = f.substr(14);
      if (!std::binary_search(keys.begin(), keys.end(), key)) {
        throw Error(Errc::invalid_argument, at + ": no custom field '" + text::printable(key) + "' is defined", at);
      }
      out.field[14] = true;
      if (std::find(out.custom.begin(), out.custom.end(), key) == out.custom.end()) out.custom.push_back(key);
      continue;
    }
    const auto it = std::find(kFields.begin(), kFields.end(), f);
    if (it == kFields.end()) {
      throw Error(Errc::invalid_argument, at + ": '" + text::printable(f) + "' is not a field of the record", at);
    }
    const auto index = static_cast<std::size_t>(it - kFields.begin());
    out.field[index] = true;
    if (f == "custom_fields") out.custom = keys;
    if (f == "ban") out.field[12] = true;  // with its status: a ban alone does not import
  }
  std::sort(out.custom.begin(), out.custom.end());
  return out;
}

// The CSV header: the record's fields flattened as io::flatten_json names
// them (so an import maps them back), each list as long as the longest in the selection.
std::vector<std::string> csv_header(const FieldChoice& choice, const store::CustomerListSizes& sizes,
                                    const std::vector<FieldDefinition>& definitions) {
  std::vector<std::string> out;
  const auto numbered = [&](const std::string& list, std::size_t n, std::initializer_list<const char*> parts) {
    for (std::size_t i = 1; i <= n; ++i) {
      if (parts.size() == 0) out.push_back(list + "." + std::to_string(i));
      for (const char* p : parts) out.push_back(list + "." + std::to_string(i) + "." + p);
    }
  };
  for (std::size_t f = 0; f < kFields.size(); ++f) {
    if (!choice.field[f]) continue;
    const std::string name(kFields[f]);
    if (name == "tags") {
      numbered(name, sizes.tags, {});
    } else if (name == "emails") {
      numbered(name, sizes.emails, {"address", "primary"});
    } else if (name == "phones") {
      numbered(name, sizes.phones, {"number", "label", "verified"});
    } else if (name == "addresses") {
      numbered(name, sizes.addresses,
               {"purpose", "line1", "line2", "city", "region", "postal_code", "country", "is_default"});
    } else if (name == "emergency_contact") {
      out.insert(out.end(), {"emergency_contact.name", "emergency_contact.phone"});
    } else if (name == "ban") {
      out.insert(out.end(), {"ban.reason", "ban.by", "ban.at"});
    } else if (name == "custom_fields") {
      for (const auto& key : choice.custom) {
        const auto d = std::find_if(definitions.begin(), definitions.end(), [&](const auto& x) { return x.key == key; });
        if (d->type == FieldType::multi_select) {
          const auto it = sizes.options.find(key);
          numbered("custom_fields." + key, it == sizes.options.end() ? 0 : it->second, {});
        } else {
          out.push_back("custom_fields." + key);
        }
      }
    } else {
      out.push_back(name);
    }
  }
  return out;
}

// A record's members as CSV cells: each value to the column its flattened
// name ("emails.2.address", as io::flatten_json names it) heads.
class CsvCells final : public json::internal::RecordSink {
 public:
  explicit CsvCells(const std::vector<std::string>& header) : cells_(header.size()) {
    for (std::size_t i = 0; i < header.size(); ++i) column_at_.emplace(header[i], i);
  }
  std::vector<std::string>& start() {
    for (auto& c : cells_) c.clear();
    path_.clear();
    levels_.clear();
    return cells_;
  }

  void open(std::string_view key, bool array) override {
    const std::size_t length = path_.size();
    if (!levels_.empty()) enter(key);  // the record itself has no name
    levels_.push_back(Level{length, array, 0});
  }
  void close(bool) override {
    path_.resize(levels_.back().length);
    levels_.pop_back();
  }
  void text(std::string_view key, std::string_view value) override { put(key, value); }
  void boolean(std::string_view key, bool value) override { put(key, value ? "true" : "false"); }
  void null(std::string_view) override {}
  void raw(std::string_view key, std::string_view json_number) override { put(key, json_number); }

 private:
  struct Level {
    std::size_t length;  // of path_ before the level's name
    bool array;
    std::size_t count;   // entries so far (arrays)
  };
  void enter(std::string_view key) {
    if (!path_.empty()) path_ += '.';
    Level& in = levels_.back();
    if (in.array) {
      path_ += std::to_string(++in.count);
    } else {
      path_ += key;
    }
  }
  void put(std::string_view key, std::string_view value) {
    const std::size_t length = path_.size();
    enter(key);
    if (const auto it = column_at_.find(path_); it != column_at_.end()) cells_[it->second].assign(value);
    path_.resize(length);
  }

  std::vector<std::string> cells_;
  std::unordered_map<std::string, std::size_t> column_at_;
  std::string path_;
  std::vector<Level> levels_;
};

}  // namespace

std::string_view to_string(ExportFormat v) noexcept { return kFormats[static_cast<std::size_t>(v)]; }
ExportFormat parse_export_format(std::string_view text, std::string_view field) {
  return detail::parse_named<ExportFormat>(kFormats, text, field);
}

ExportReport Exports::customers(const std::string& path, const ExportOptions& options) {
  io::check_destination(path, options.overwrite, " (overwrite replaces it)");
  if (options.delimiter != ',' && options.delimiter != ';' && options.delimiter != '\t') {
    throw Error(Errc::invalid_argument, "delimiter: must be one of , ; tab", "delimiter");
  }
  ExportFormat format = options.format;
  if (format == ExportFormat::detect) {
    const std::string ext = text::lower(std::filesystem::path(path).extension().string());
    format = ext == ".csv" ? ExportFormat::csv : ExportFormat::jsonl;
  }
  const ExportSelection& select = options.select;
  store::CustomerFilter filter;
  filter.company = select.company;
  filter.created_since = select.created_since;
  filter.changed_since = select.changed_since;
  if (select.rfm_segment.has_value() != !select.rfm_currency.empty()) {
    throw Error(Errc::invalid_argument, "select.rfm_currency: an RFM segment and its currency go together",
                "select.rfm_currency");
  }
  if (select.rfm_segment) {
    filter.rfm.emplace(normalize_currency(select.rfm_currency, "select.rfm_currency"),
                       std::string(to_string(*select.rfm_segment)));
  }
  for (const auto& [t, field] : {std::pair{select.created_since, "select.created_since"},
                                 std::pair{select.changed_since, "select.changed_since"}}) {
    if (t && !in_time_range(*t)) throw Error(Errc::invalid_argument, std::string(field) + ": out of range", field);
  }

  ExportReport report;
  report.file = path;
  report.format = format;
  state_->read([&](store::Transaction& tx) {
    report = ExportReport{path, format};
    auto& repo = tx.customers();
    if (!select.customers.empty()) {
      std::vector<CustomerId> ids;
      for (std::size_t i = 0; i < select.customers.size(); ++i) {
        ids.push_back(
            detail::require_customer_id(repo, select.customers[i], "select.customers[" + std::to_string(i) + "]"));
      }
      filter.ids = std::move(ids);
    }
    if (select.company && !tx.companies().get(*select.company)) {
      throw Error(Errc::not_found, "select.company: no company " + std::to_string(*select.company), "select.company");
    }
    const auto definitions = tx.custom_fields().list();
    const FieldChoice choice = choose(options.fields, definitions);
    const store::CustomerListSizes sizes = repo.list_sizes(filter);
    const bool csv = format == ExportFormat::csv;
    const bool all_fields = options.fields.empty();
    const bool with_custom = choice.wants("custom_fields") && !choice.custom.empty();

    OutFile out(path, options.overwrite);
    const std::string delimiter(1, options.delimiter);
    std::optional<CsvCells> csv_cells;
    if (csv) {
      report.columns = csv_header(choice, sizes, definitions);
      for (std::size_t i = 0; i < report.columns.size(); ++i) {
        if (i > 0) out.put(delimiter);
        out.cell(report.columns[i]);
      }
      out.put("\r\n");
      csv_cells.emplace(report.columns);
    }
    std::function<bool(std::string_view)> wanted;
    if (!all_fields) wanted = [&](std::string_view key) { return choice.wants(key); };
    std::string line;
    json::internal::JsonLineSink json_line(line);
    const Timestamp now = state_->now();
    std::int64_t after = 0;
    while (true) {
      store::CustomerScan page = repo.scan(filter, after, kPage, now);
      if (page.customers.empty()) break;
      after = page.next;
      for (const Customer& c : page.customers) {
        std::map<std::string, CustomValue> custom;
        if (with_custom) {
          for (auto& [key, value] : tx.custom_fields().values_of(c.id)) {
            if (std::binary_search(choice.custom.begin(), choice.custom.end(), key)) custom.emplace(key, std::move(value));
          }
        }
        if (csv) {
          std::vector<std::string>& cells = csv_cells->start();
          json::internal::walk_export_record(c, custom, wanted, *csv_cells);
          for (std::size_t i = 0; i < cells.size(); ++i) {
            if (i > 0) out.put(delimiter);
            out.cell(cells[i]);
          }
          out.put("\r\n");
        } else {
          line.clear();
          json::internal::walk_export_record(c, custom, wanted, json_line);
          line += '\n';
          out.put(line);
        }
        ++report.customers;
      }
      if (options.progress &&
          !options.progress(ExportProgress{report.customers, static_cast<std::uint64_t>(sizes.customers)})) {
        return;  // stopped: the partial file goes with `out`
      }
    }
    out.commit();
    report.completed = true;
    report.bytes = out.bytes();
  });
  return report;
}

}  // namespace patron
