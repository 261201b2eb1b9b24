#include "core/import_run.hpp"

#include <unicode/ucurr.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <filesystem>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <csv.h>

#include "core/bounded_json.hpp"
#include "core/rules.hpp"
#include "core/sealed.hpp"
#include "core/state.hpp"
#include "io/records.hpp"
#include "patron/activity.hpp"
#include "patron/error.hpp"
#include "text/text.hpp"

namespace patron::detail {

// ---- Cells ----

std::string header_key(std::string_view header) {
  std::string out;
  for (const char c : text::fold(header)) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out += c;
  }
  return out;
}

Error renamed(const Error& e, const std::string& field) {
  std::string message = e.what();
  if (message.starts_with(e.field())) message.replace(0, e.field().size(), field);
  return Error(e.code(), message, field);
}

void refuse_row(Errc code, const std::string& field, const std::string& rule) {
  throw Error(code, field + ": " + rule, field);
}

Date date_cell(std::string_view v, DateOrder order, const std::string& column) {
  const auto bad = [&]() -> Date {
    throw Error(Errc::invalid_argument,
                column + ": not a date (" + (order == DateOrder::day_first ? "DD/MM/YYYY" : "MM/DD/YYYY") +
                    " or YYYY-MM-DD)",
                column);
  };
  std::array<int, 3> parts{};
  std::array<std::size_t, 3> widths{};
  std::size_t n = 0;
  const char* p = v.data();
  const char* const end = v.data() + v.size();
  while (p < end && n < 3) {
    const char* start = p;
    const auto [next, ec] = std::from_chars(p, end, parts[n]);
    if (ec != std::errc() || next == start) return bad();
    widths[n++] = static_cast<std::size_t>(next - start);
    p = next;
    if (p < end) {
      if (n == 3 || (*p != '/' && *p != '.' && *p != '-')) return bad();
      ++p;
    }
  }
  if (n != 3 || p != end) return bad();
  int y = 0, m = 0, d = 0;
  if (widths[0] == 4) {
    y = parts[0], m = parts[1], d = parts[2];
  } else if (widths[2] == 4) {
    y = parts[2];
    m = order == DateOrder::day_first ? parts[1] : parts[0];
    d = order == DateOrder::day_first ? parts[0] : parts[1];
  } else {
    return bad();
  }
  // Checked before std::chrono::day, which keeps only 8 bits (257 is 1).
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1 || y > 9999) return bad();
  const Date date{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
                  std::chrono::day{static_cast<unsigned>(d)}};
  if (!date.ok()) return bad();
  return date;
}

Timestamp time_cell(std::string_view v, DateOrder order, const std::string& column) {
  // A date alone (ISO or not) is read as a date; anything longer is a timestamp.
  if (v.size() <= 10) return std::chrono::sys_days{date_cell(v, order, column)};
  try {
    return parse_timestamp(v, column);
  } catch (const Error&) {
    throw Error(Errc::invalid_argument, column + ": not a time (YYYY-MM-DDTHH:MM:SSZ, an offset may follow) or a date",
                column);
  }
}

std::vector<std::string> list_cell(std::string_view v) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= v.size(); ++i) {
    if (i == v.size() || v[i] == ',' || v[i] == ';' || v[i] == '|') {
      const std::string_view item = text::trim(v.substr(start, i - start));
      if (!item.empty()) out.emplace_back(item);
      start = i + 1;
    }
  }
  return out;
}

bool truth(std::string_view v, const std::string& column) {
  const std::string f = text::lower(v);
  if (f == "true" || f == "yes" || f == "y" || f == "1" || f == "x") return true;
  if (f == "false" || f == "no" || f == "n" || f == "0") return false;
  throw Error(Errc::invalid_argument, column + ": not true or false", column);
}

std::int64_t integer_cell(std::string_view v, std::int64_t min, std::int64_t max, const std::string& column) {
  std::int64_t n = 0;
  const char* begin = v.data() + (v.starts_with('+') ? 1 : 0);
  const auto [end, ec] = std::from_chars(begin, v.data() + v.size(), n);
  if (ec == std::errc::result_out_of_range || (ec == std::errc() && end == v.data() + v.size() && (n < min || n > max))) {
    throw Error(Errc::invalid_argument,
                column + ": must be " + std::to_string(min) + " to " + std::to_string(max), column);
  }
  if (ec != std::errc() || end != v.data() + v.size()) {
    throw Error(Errc::invalid_argument, column + ": not a whole number", column);
  }
  return n;
}

std::int64_t money_cell(std::string_view v, const std::string& currency, const std::string& column) {
  const auto bad = [&](const std::string& rule) -> std::int64_t {
    throw Error(Errc::invalid_argument, column + ": " + rule, column);
  };
  // ICU knows each ISO 4217 currency's minor unit (2 for EUR, 0 for JPY, 3 for KWD).
  std::array<UChar, 4> code{};
  for (std::size_t i = 0; i < 3 && i < currency.size(); ++i) code[i] = static_cast<UChar>(currency[i]);
  UErrorCode status = U_ZERO_ERROR;
  const int digits = ucurr_getDefaultFractionDigits(code.data(), &status);
  if (U_FAILURE(status) || digits < 0 || digits > 4) return bad("no minor unit is known for " + currency);
  bool negative = false;
  std::string_view s = v;
  if (s.starts_with('-') || s.starts_with('+')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  const auto dot = s.find('.');
  const std::string_view whole = s.substr(0, dot);
  const std::string_view fraction = dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
  const auto all_digits = [](std::string_view d) {
    return std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (whole.empty() || !all_digits(whole) || !all_digits(fraction) || (dot != std::string_view::npos && fraction.empty())) {
    return bad("not an amount (digits, a point and at most " + std::to_string(digits) + " decimals, as 125.50)");
  }
  if (fraction.size() > static_cast<std::size_t>(digits)) {
    return bad(currency + " has " + std::to_string(digits) + " decimals at most");
  }
  if (whole.size() > 16) return bad("must be within ±10^15 minor units");
  std::int64_t minor = 0;
  for (const char c : whole) minor = minor * 10 + (c - '0');
  for (int i = 0; i < digits; ++i) {
    minor = minor * 10 + (static_cast<std::size_t>(i) < fraction.size() ? fraction[static_cast<std::size_t>(i)] - '0' : 0);
    if (minor > kMaxMoney) break;
  }
  if (minor > kMaxMoney) return bad("must be within ±10^15 minor units");
  return negative ? -minor : minor;
}

// The report as it stands, kept in the run between batches.
class ImportTally {
 public:
  ImportReport report;
  std::size_t max_listed = 0;

  void reject(std::uint64_t line, const Error& e) {
    ++report.rejected;
    if (report.rejected_rows.size() < max_listed) {
      report.rejected_rows.push_back(RejectedRow{line, e.field(), e.code(), e.what()});
    }
  }
  void same_as(std::uint64_t line, std::uint64_t earlier, const CustomerId& id) {
    ++report.same_as_earlier_line;
    if (report.same_as_rows.size() < max_listed) report.same_as_rows.push_back(SameAsRow{line, earlier, id});
  }
  void resembles(std::uint64_t line, const std::optional<CustomerId>& id, const CustomerId& other, double p) {
    ++report.possible_duplicates;
    if (report.possible_duplicate_rows.size() < max_listed) {
      report.possible_duplicate_rows.push_back(PossibleDuplicateRow{line, id, other, p});
    }
  }

  // Where the report stood before a batch, to go back to when the batch is
  // redone, and to tell what the batch listed.
  struct Mark {
    std::array<std::uint64_t, 6> counts{};
    std::size_t rejected_rows = 0, same_as_rows = 0, possible_duplicate_rows = 0;
  };
  Mark mark() const {
    const ImportReport& r = report;
    return Mark{{r.created, r.updated, r.unchanged, r.rejected, r.same_as_earlier_line, r.possible_duplicates},
                r.rejected_rows.size(),
                r.same_as_rows.size(),
                r.possible_duplicate_rows.size()};
  }
  void rewind(const Mark& m) {
    ImportReport& r = report;
    r.created = m.counts[0], r.updated = m.counts[1], r.unchanged = m.counts[2];
    r.rejected = m.counts[3], r.same_as_earlier_line = m.counts[4], r.possible_duplicates = m.counts[5];
    r.rejected_rows.resize(m.rejected_rows);
    r.same_as_rows.resize(m.same_as_rows);
    r.possible_duplicate_rows.resize(m.possible_duplicate_rows);
  }
  // The JSON of each entry listed since `m`, for the run.
  std::vector<std::string> listed_since(const Mark& m) const {
    std::vector<std::string> out;
    for (std::size_t i = m.rejected_rows; i < report.rejected_rows.size(); ++i) {
      const RejectedRow& e = report.rejected_rows[i];
      out.push_back(EventJson{{"k", "r"},
                                      {"line", e.line},
                                      {"field", e.field},
                                      {"code", static_cast<int>(e.code)},
                                      {"message", e.message}}
                        .dump());
    }
    for (std::size_t i = m.same_as_rows; i < report.same_as_rows.size(); ++i) {
      const SameAsRow& e = report.same_as_rows[i];
      out.push_back(
          EventJson{{"k", "s"}, {"line", e.line}, {"earlier", e.earlier_line}, {"customer", e.customer.str()}}
              .dump());
    }
    for (std::size_t i = m.possible_duplicate_rows; i < report.possible_duplicate_rows.size(); ++i) {
      const PossibleDuplicateRow& e = report.possible_duplicate_rows[i];
      out.push_back(EventJson{{"k", "d"},
                                      {"line", e.line},
                                      {"customer", e.customer ? EventJson(e.customer->str()) : EventJson()},
                                      {"resembles", e.resembles.str()},
                                      {"p", e.probability}}
                        .dump());
    }
    return out;
  }
  std::string counts() const {
    const ImportReport& r = report;
    return EventJson{{"created", r.created},     {"updated", r.updated},
                             {"unchanged", r.unchanged}, {"rejected", r.rejected},
                             {"same", r.same_as_earlier_line}, {"duplicates", r.possible_duplicates}}
        .dump();
  }

  void restore(const store::ImportRun& run) {
    const auto c = nlohmann::json::parse(run.counts);
    report.created = c.value("created", 0ULL);
    report.updated = c.value("updated", 0ULL);
    report.unchanged = c.value("unchanged", 0ULL);
    report.rejected = c.value("rejected", 0ULL);
    report.same_as_earlier_line = c.value("same", 0ULL);
    report.possible_duplicates = c.value("duplicates", 0ULL);
    for (const auto& text : run.listed) {
      const auto j = nlohmann::json::parse(text);
      const std::string kind = j.at("k");
      const std::uint64_t line = j.at("line");
      if (kind == "r") {
        report.rejected_rows.push_back(RejectedRow{line, j.at("field"), static_cast<Errc>(j.at("code").get<int>()),
                                                   j.at("message")});
      } else if (kind == "s") {
        report.same_as_rows.push_back(SameAsRow{line, j.at("earlier"), CustomerId::parse(j.at("customer").get<std::string>())});
      } else {
        std::optional<CustomerId> id;
        if (!j.at("customer").is_null()) id = CustomerId::parse(j.at("customer").get<std::string>());
        report.possible_duplicate_rows.push_back(
            PossibleDuplicateRow{line, id, CustomerId::parse(j.at("resembles").get<std::string>()), j.at("p")});
      }
    }
  }
};

namespace {

// The reject file: CSV (reject_line, reject_field, reject_code,
// reject_message, then the row's cells) or JSON Lines (the row's object
// with those four members added), flushed to disk before the batch that
// wrote it commits; a resumed run cuts it back to its last batch's length.
class RejectFile {
 public:
  RejectFile(const std::string& path, std::uint64_t keep, ImportFormat format, char delimiter,
             const std::vector<std::string>& header)
      : format_(format), delimiter_(delimiter == 0 ? ',' : delimiter) {
    // A reject file fed back in brings its own reject_* columns: they are
    // replaced, not kept beside the new ones.
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (!header[i].starts_with("reject_")) kept_.push_back(i);
    }
    header_size_ = header.size();
    if (path.empty()) return;
    std::error_code ec;
    if (keep > 0 && std::filesystem::exists(path, ec)) {
      std::filesystem::resize_file(path, std::min<std::uintmax_t>(keep, std::filesystem::file_size(path, ec)), ec);
      file_ = std::fopen(path.c_str(), "ab");
    } else {
      file_ = std::fopen(path.c_str(), "wb");
      keep = 0;
    }
    if (file_ == nullptr) {
      throw Error(Errc::invalid_argument, "rejects: cannot write " + text::printable(path), "rejects");
    }
    if (keep == 0 && format_ == ImportFormat::csv) {
      std::vector<std::string> cells{"reject_line", "reject_field", "reject_code", "reject_message"};
      for (const std::size_t i : kept_) cells.push_back(header[i]);
      write_cells(cells);
    }
  }
  ~RejectFile() {
    if (file_ != nullptr) std::fclose(file_);
  }
  RejectFile(const RejectFile&) = delete;
  RejectFile& operator=(const RejectFile&) = delete;

  void add(const io::Record& record, const Error& e) {
    if (file_ == nullptr) return;
    if (format_ == ImportFormat::csv) {
      std::vector<std::string> cells{std::to_string(record.line), e.field(), std::string(errc_name(e.code())),
                                     e.what()};
      // A record past the limits was not read whole: none of it is written.
      if (record.problem_field != "row") {
        for (std::size_t i = 0; i < record.cells.size(); ++i) {
          // Cells past the header are kept; so are the header's own columns.
          if (i >= header_size_ || std::binary_search(kept_.begin(), kept_.end(), i)) {
            cells.push_back(record.cells[i]);
          }
        }
      }
      write_cells(cells);
      return;
    }
    nlohmann::ordered_json j = nlohmann::ordered_json::object();
    j["reject_line"] = record.line;
    j["reject_field"] = e.field();
    j["reject_code"] = errc_name(e.code());
    j["reject_message"] = e.what();
    const std::string original_text = record.cells.empty() ? std::string() : record.cells.front();
    try {
      if (record.problem.empty()) {
        const auto original = detail::parse_bounded_json<nlohmann::ordered_json>(original_text, "line");
        for (const auto& [k, v] : original.items()) {
          if (!k.starts_with("reject_")) j[k] = v;
        }
      } else {
        j["reject_text"] = text::printable(original_text);
      }
    } catch (const Error&) {
      j["reject_text"] = text::printable(original_text);
    }
    const std::string line = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    put(line.data(), line.size());
  }

  // Makes what was added durable; the file's length.
  std::uint64_t sync() {
    if (file_ == nullptr) return 0;
    if (std::fflush(file_) != 0 || ::fsync(fileno(file_)) != 0) fail();
    return static_cast<std::uint64_t>(std::ftell(file_));
  }

 private:
  void write_cells(const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i > 0 && std::fputc(delimiter_, file_) == EOF) fail();
      if (csv_fwrite(file_, cells[i].data(), cells[i].size()) != 0) fail();
    }
    put("\r\n", 2);
  }
  void put(const char* data, std::size_t n) {
    if (std::fwrite(data, 1, n, file_) != n) fail();
  }
  [[noreturn]] static void fail() { throw Error(Errc::storage, "rejects: write error", "rejects"); }

  ImportFormat format_;
  char delimiter_;
  std::vector<std::size_t> kept_;  // header columns written back
  std::size_t header_size_ = 0;
  std::FILE* file_ = nullptr;
};


// What makes two runs the same run: the file's bytes and every option that
// changes what the rows do or where rejects go.
std::string run_key(const io::RecordReader& reader, const ImportOptions& o, const std::string& by,
                    const DatabaseState& state, const ImportKind& kind) {
  EventJson mapping = EventJson::object();
  for (const auto& [column, target] : o.mapping.columns) mapping["c:" + column] = target;
  for (const auto& [target, policy] : o.mapping.policies) mapping["p:" + target] = to_string(policy);
  const EventJson key{{"kind", kind.name},
                      {"file", reader.digest()},
                      {"format", to_string(reader.format())},
                      {"encoding", reader.encoding()},
                      {"delimiter", std::string(1, reader.delimiter())},
                      {"mapping", mapping},
                      {"default_policy", to_string(o.mapping.default_policy)},
                      {"mode", to_string(o.mode)},
                      {"date_order", to_string(o.date_order)},
                      {"rejects", o.rejects},
                      {"max_listed", o.max_listed},
                      {"by", by},
                      {"region", state.options.default_region},
                      {"dry_run", o.dry_run},
                      {"options", kind.options}};
  Blake2b hash;
  hash.update(key.dump());
  return hash.hex();
}

// One import of a file at a time: two runs of the same file and options
// would share one checkpoint and one reject file. Held (flock) for the
// whole run; released when the process dies.
class FileLock {
 public:
  explicit FileLock(const std::string& path) : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {
    if (fd_ < 0) throw Error(Errc::not_found, "file: cannot open " + text::printable(path), "file");
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      ::close(fd_);
      throw Error(Errc::conflict, "file: another import of this file is running", "file");
    }
  }
  ~FileLock() { ::close(fd_); }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_;
};

// Stops a dry run's transaction after its report is made.
struct RollBack {};

// A row refused after its first write, outside a savepoint: the batch is
// rolled back and redone with a savepoint per row.
struct WroteHalf {};

// The records of one batch (one transaction) and the ones it rejected.
struct Batch {
  std::vector<io::Record> records;
  std::vector<std::pair<const io::Record*, Error>> rejected;
};

}  // namespace

void ImportRow::created() { ++tally_->report.created; }
void ImportRow::updated() { ++tally_->report.updated; }
void ImportRow::unchanged() { ++tally_->report.unchanged; }
void ImportRow::same_as(std::uint64_t earlier_line, const CustomerId& customer) {
  tally_->same_as(record.line, earlier_line, customer);
}
void ImportRow::resembles(const std::optional<CustomerId>& customer, const CustomerId& other, double probability) {
  tally_->resembles(record.line, customer, other, probability);
}

ImportReport run_import(const DatabaseState& state, const std::string& path, const ImportOptions& options,
                        const ImportKind& kind) {
  if (options.batch_size < 1 || options.batch_size > 100000) {
    throw Error(Errc::invalid_argument, "batch_size: must be 1 to 100000", "batch_size");
  }
  if (options.max_listed > 1000000) {
    throw Error(Errc::invalid_argument, "max_listed: must be 0 to 1000000", "max_listed");
  }
  const std::string by = text::clean_required(options.by, "by", rules::kMaxActor);
  const FileLock lock(path);
  if (!options.rejects.empty()) {
    std::error_code ec;
    if (std::filesystem::equivalent(options.rejects, path, ec)) {
      throw Error(Errc::invalid_argument, "rejects: is the file being imported", "rejects");
    }
  }
  io::RecordReader reader(path, options.format, options.encoding, options.delimiter);
  if (kind.opened) kind.opened(reader);

  ImportTally tally;
  tally.max_listed = options.max_listed;
  ImportReport& report = tally.report;
  report.file = path;
  report.format = reader.format();
  report.encoding = reader.encoding();
  report.delimiter = reader.delimiter();
  report.dry_run = options.dry_run;
  report.rows = reader.records();
  const std::string key = run_key(reader, options, by, state, kind);

  // One row: all of it or, rejected, none of it. Every refusal a row can
  // meet should come before its first write, but some only a write finds:
  // `guarded` runs the row in a savepoint; unguarded (the fast way: a
  // savepoint copies every page the row touches), a refusal after a write
  // throws WroteHalf, and the caller redoes the batch guarded.
  const auto import_row = [&](store::Transaction& tx, std::int64_t run, const io::Record& record, Batch& batch,
                              Timestamp now, bool guarded) {
    ImportRow row(tx, run, record, now, tally);
    const auto body = [&] {
      if (!record.problem.empty()) refuse_row(Errc::invalid_argument, record.problem_field, record.problem);
      kind.row(row);
    };
    try {
      if (guarded) {
        tx.step(body);
      } else {
        body();
      }
    } catch (const Error& e) {
      if (e.code() == Errc::storage || e.code() == Errc::internal) throw;
      if (row.writing() && !guarded) throw WroteHalf{};
      tally.reject(record.line, e);
      batch.rejected.emplace_back(&record, e);
    }
  };

  // Imports one batch of records in `tx`, then writes its rejected rows to
  // the reject file (durably, before the transaction commits).
  const auto import_batch = [&](store::Transaction& tx, std::int64_t run, Batch& batch, RejectFile& rejects,
                                bool guarded) {
    const ActorScope scope(by, EventSource::integration);
    const Timestamp now = state.now();
    if (kind.before_batch) kind.before_batch(tx, now);
    batch.rejected.clear();
    for (const auto& record : batch.records) import_row(tx, run, record, batch, now, guarded);
    for (const auto& [record, error] : batch.rejected) rejects.add(*record, error);
    return rejects.sync();
  };

  std::uint64_t done = 0;
  Batch batch;
  const auto read_batch = [&] {
    batch.records.clear();
    io::Record record;
    while (batch.records.size() < options.batch_size && reader.next(record)) batch.records.push_back(std::move(record));
    done += batch.records.size();
    return !batch.records.empty();
  };

  if (options.dry_run) {
    RejectFile rejects(options.rejects, 0, reader.format(), reader.delimiter(), reader.header());
    try {
      state.write([&](store::Transaction& tx) {
        const std::int64_t run = tx.imports().start(key, kind.name, state.now());
        report.completed = true;
        while (read_batch()) {
          import_batch(tx, run, batch, rejects, true);
          if (done < report.rows && options.progress && !options.progress(ImportProgress{done, report.rows})) {
            report.completed = false;
            break;
          }
        }
        throw RollBack{};
      });
    } catch (const RollBack&) {
    }
  } else {
    auto run = state.read([&](store::Transaction& tx) { return tx.imports().run(key); });
    RejectFile rejects(options.rejects, run ? run->rejects_bytes : 0, reader.format(), reader.delimiter(),
                       reader.header());
    if (run) {
      tally.restore(*run);
      report.resumed_after = run->rows_done;
      io::Record skipped;
      while (done < run->rows_done && reader.next(skipped)) {
        ++done;
        if (kind.skipped) kind.skipped(skipped);
      }
    } else {
      run.emplace();
      run->id = state.write([&](store::Transaction& tx) { return tx.imports().start(key, kind.name, state.now()); });
    }
    if (kind.before_run) kind.before_run();
    report.completed = true;
    while (read_batch()) {
      const ImportTally::Mark mark = tally.mark();
      const std::uint64_t from = done - batch.records.size();
      const auto commit = [&](bool guarded) {
        state.write([&](store::Transaction& tx) {
          const std::uint64_t rejects_bytes = import_batch(tx, run->id, batch, rejects, guarded);
          tx.imports().advance(run->id, from, done, rejects_bytes, tally.counts(), tally.listed_since(mark),
                               state.now());
        });
      };
      try {
        commit(false);
      } catch (const WroteHalf&) {
        tally.rewind(mark);
        commit(true);
      }
      if (done < report.rows && options.progress && !options.progress(ImportProgress{done, report.rows})) {
        report.completed = false;
        break;
      }
    }
    if (report.completed) {
      state.write([&](store::Transaction& tx) {
        const ActorScope scope(by, EventSource::integration);
        tx.imports().finish(run->id);
        record(tx, state.now(),
               make_change(std::nullopt, EventCategory::system, EventType::integration,
                           std::string(kind.name) + ".imported", std::string(kind.summary),
                           EventJson{{"file", std::filesystem::path(path).filename().string()},
                                     {"rows", report.rows},
                                     {"created", report.created},
                                     {"updated", report.updated},
                                     {"unchanged", report.unchanged},
                                     {"rejected", report.rejected},
                                     {"same_as_earlier_line", report.same_as_earlier_line},
                                     {"possible_duplicates", report.possible_duplicates}}));
      });
    }
    if (options.progress && report.completed) options.progress(ImportProgress{done, report.rows});
  }
  if (kind.finish) kind.finish(report);
  return report;
}

}  // namespace patron::detail
