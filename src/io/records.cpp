#include "io/records.hpp"

#include <csv.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <deque>
#include <exception>
#include <utility>

#include "core/bounded_json.hpp"
#include "core/sealed.hpp"
#include "patron/error.hpp"
#include "text/text.hpp"

namespace patron::io {
namespace {

constexpr std::size_t kChunk = 64 * 1024;
// libcsv keeps a whole field in memory: past this the file is refused (a
// field this long is an unclosed quote far more often than data).
constexpr std::size_t kMaxFieldBuffer = 4 * 1024 * 1024;

[[noreturn]] void bad_file(std::uint64_t line, const std::string& rule) {
  throw Error(Errc::invalid_argument, "file: line " + std::to_string(line) + ": " + rule, "file");
}

std::string with_commas(std::size_t n) {
  const std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// Bytes in the file's encoding to UTF-8. An empty name is UTF-8, unless a
// byte-order mark says UTF-16; a UTF-8 mark is dropped.
class Decoder {
 public:
  explicit Decoder(const std::string& encoding) : name_(encoding) {
    const std::string lower = text::lower(encoding);
    if (lower == "utf-8" || lower == "utf8") {
      name_ = "UTF-8";
    } else if (!encoding.empty()) {
      open(encoding);
    }
  }
  ~Decoder() {
    if (from_ != nullptr) ucnv_close(from_);
    if (to_ != nullptr) ucnv_close(to_);
  }
  Decoder(const Decoder&) = delete;
  Decoder& operator=(const Decoder&) = delete;

  const std::string& name() const { return name_; }
  bool passthrough() const { return from_ == nullptr; }

  // Appends the UTF-8 of `in` to `out`; `last` ends the stream.
  void decode(std::string_view in, bool last, std::string& out) {
    if (first_) {
      first_ = false;
      if (name_.empty()) {
        if (in.size() >= 2 && ((in[0] == '\xff' && in[1] == '\xfe') || (in[0] == '\xfe' && in[1] == '\xff'))) {
          open("UTF-16");
        } else {
          name_ = "UTF-8";
        }
      }
      if (passthrough() && in.substr(0, 3) == "\xef\xbb\xbf") in.remove_prefix(3);
    }
    if (passthrough()) {
      out.append(in);
      return;
    }
    const char* source = in.data();
    const char* const source_end = in.data() + in.size();
    std::array<char, 16 * 1024> buffer{};
    while (true) {
      char* target = buffer.data();
      UErrorCode err = U_ZERO_ERROR;
      ucnv_convertEx(to_, from_, &target, buffer.data() + buffer.size(), &source, source_end, pivot_.data(),
                     &pivot_source_, &pivot_target_, pivot_.data() + pivot_.size(), false, last, &err);
      out.append(buffer.data(), static_cast<std::size_t>(target - buffer.data()));
      if (at_start_ && !out.empty()) {
        // A byte-order mark the converter kept (UTF-16LE, UTF-32, ...) is not text.
        if (out.starts_with("\xef\xbb\xbf")) out.erase(0, 3);
        at_start_ = out.empty();
      }
      if (err == U_BUFFER_OVERFLOW_ERROR) continue;
      if (U_FAILURE(err)) {
        consumed_ += static_cast<std::uint64_t>(source - in.data());
        throw Error(Errc::invalid_argument,
                    "file: byte " + std::to_string(consumed_) + " is not " + name_ +
                        " text; name the file's encoding",
                    "file");
      }
      break;
    }
    consumed_ += in.size();
  }

 private:
  void open(const std::string& name) {
    UErrorCode err = U_ZERO_ERROR;
    from_ = ucnv_open(name.c_str(), &err);
    if (U_FAILURE(err)) {
      if (from_ != nullptr) ucnv_close(from_);
      from_ = nullptr;
      throw Error(Errc::invalid_argument, "encoding: unknown encoding '" + text::printable(name) + "'", "encoding");
    }
    err = U_ZERO_ERROR;
    ucnv_setToUCallBack(from_, UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &err);
    to_ = ucnv_open("UTF-8", &err);
    if (U_FAILURE(err)) throw Error(Errc::internal, "ICU has no UTF-8 converter");
    name_ = name;  // as the caller named it
    pivot_source_ = pivot_target_ = pivot_.data();
  }

  std::string name_;
  bool first_ = true;
  bool at_start_ = true;
  UConverter* from_ = nullptr;
  UConverter* to_ = nullptr;
  std::array<UChar, 4096> pivot_{};
  UChar* pivot_source_ = nullptr;
  UChar* pivot_target_ = nullptr;
  std::uint64_t consumed_ = 0;
};

// Spaces around a quoted field ("a, \"b\"") are padding; a tab may be the
// delimiter. Unquoted cells are trimmed again above.
int is_space(unsigned char c) { return c == ' ' ? 1 : 0; }

// A file's text as CSV or JSON Lines records, one pass.
class Pass {
 public:
  Pass(const std::string& path, ImportFormat format, const std::string& encoding, char delimiter)
      : format_(format), decoder_(encoding), delimiter_(delimiter) {
    file_ = std::fopen(path.c_str(), "rb");
    if (file_ == nullptr) {
      throw Error(Errc::not_found, "file: cannot open " + text::printable(path), "file");
    }
    if (format_ == ImportFormat::csv) {
      if (csv_init(&csv_, CSV_STRICT | CSV_REPALL_NL | CSV_STRICT_FINI) != 0) throw std::bad_alloc();
      csv_set_space_func(&csv_, is_space);
      csv_set_blk_size(&csv_, 64 * 1024);
      csv_ready_ = true;
    }
  }
  ~Pass() {
    if (csv_ready_) csv_free(&csv_);
    if (file_ != nullptr) std::fclose(file_);
  }
  Pass(const Pass&) = delete;
  Pass& operator=(const Pass&) = delete;

  const std::string& encoding() const { return decoder_.name(); }
  char delimiter() const { return delimiter_; }
  std::string digest() { return hash_.hex(); }

  // The next record of the file (header included); false at the end.
  bool next(Record& out) {
    while (ready_.empty()) {
      if (done_) return false;
      feed();
    }
    out = std::move(ready_.front());
    ready_.pop_front();
    return true;
  }

 private:
  void feed() {
    std::array<char, kChunk> raw{};
    const std::size_t n = std::fread(raw.data(), 1, raw.size(), file_);
    if (n < raw.size() && std::ferror(file_) != 0) {
      throw Error(Errc::storage, "file: read error", "file");
    }
    const bool last = n < raw.size();
    const std::string_view bytes(raw.data(), n);
    hash_.update(bytes);
    text_.clear();
    decoder_.decode(bytes, last, text_);
    if (text_.find('\0') != std::string::npos) {
      throw Error(Errc::invalid_argument,
                  "file: not a text file in " + decoder_.name() + " (it holds a NUL character)", "file");
    }
    if (format_ == ImportFormat::csv) {
      feed_csv(last);
    } else {
      feed_lines(last);
    }
    if (last) done_ = true;
  }

  // CSV ---------------------------------------------------------------------

  void feed_csv(bool last) {
    if (delimiter_ == 0) delimiter_ = detect_delimiter(text_);
    if (!delimiter_set_) {
      csv_set_delim(&csv_, static_cast<unsigned char>(delimiter_));
      delimiter_set_ = true;
    }
    const std::size_t parsed = csv_parse(&csv_, text_.data(), text_.size(), on_cell, on_row_end, this);
    rethrow_from_callback();
    if (parsed != text_.size()) malformed();
    if (csv_get_buffer_size(&csv_) > kMaxFieldBuffer) {
      bad_file(open_line(), "a field longer than " + with_commas(kMaxFieldBuffer) + " bytes (an unclosed quote?)");
    }
    if (last) {
      const int finished = csv_fini(&csv_, on_cell, on_row_end, this);
      rethrow_from_callback();
      if (finished != 0) malformed();
    }
  }

  // An exception may not cross libcsv's C frames: the callbacks keep it
  // here, and it is thrown once libcsv has returned.
  void rethrow_from_callback() {
    if (callback_error_) std::rethrow_exception(std::exchange(callback_error_, nullptr));
  }

  [[noreturn]] void malformed() {
    bad_file(open_line(), csv_error(&csv_) == CSV_EPARSE
                              ? "not valid CSV (a quote inside an unquoted field, text after a closing quote, "
                                "or a quote never closed)"
                              : std::string(csv_strerror(csv_error(&csv_))));
  }

  // Where the parser stands: the line of the record in progress plus the
  // newlines read inside it so far.
  std::uint64_t open_line() const { return line_ + embedded_; }

  // The delimiter the first line uses most among , ; and tab.
  static char detect_delimiter(std::string_view text) {
    const std::string_view first = text.substr(0, text.find('\n'));
    const auto count = [&](char c) { return std::count(first.begin(), first.end(), c); };
    const auto commas = count(','), semicolons = count(';'), tabs = count('\t');
    if (semicolons > commas && semicolons >= tabs) return ';';
    if (tabs > commas && tabs > semicolons) return '\t';
    return ',';
  }

  static void on_cell(void* data, std::size_t len, void* self) noexcept {
    auto& p = *static_cast<Pass*>(self);
    if (p.callback_error_) return;
    try {
      p.cell(data, len);
    } catch (...) {
      p.callback_error_ = std::current_exception();
    }
  }

  void cell(void* data, std::size_t len) {
    Pass& p = *this;
    const std::string_view cell(data == nullptr ? "" : static_cast<const char*>(data), data == nullptr ? 0 : len);
    p.embedded_ += static_cast<std::uint64_t>(std::count(cell.begin(), cell.end(), '\n'));
    p.bytes_ += cell.size();
    if (p.bytes_ > kMaxRecordBytes || p.cells_.size() >= kMaxRecordFields) {
      p.too_long_ = true;
      return;
    }
    p.cells_.emplace_back(cell);
  }

  static void on_row_end(int terminator, void* self) noexcept {
    auto& p = *static_cast<Pass*>(self);
    if (p.callback_error_) return;
    try {
      p.row_end(terminator);
    } catch (...) {
      p.callback_error_ = std::current_exception();
    }
  }

  void row_end(int terminator) {
    Pass& p = *this;
    const bool blank = !p.too_long_ && std::all_of(p.cells_.begin(), p.cells_.end(), [](const std::string& c) {
      return text::trim(c).empty();
    });
    if (blank && p.cells_.empty() && terminator == '\n' && p.last_terminator_ == '\r') {
      p.last_terminator_ = terminator;  // the LF of a CRLF
      return;
    }
    p.last_terminator_ = terminator;
    if (!blank) {
      Record r;
      r.line = p.line_;
      r.cells = std::move(p.cells_);
      if (p.too_long_) {
        r.problem_field = "row";
        r.problem = "longer than " + with_commas(kMaxRecordBytes) + " bytes or " + with_commas(kMaxRecordFields) +
                    " fields";
      }
      p.ready_.push_back(std::move(r));
    }
    p.line_ += 1 + p.embedded_;
    p.embedded_ = 0;
    p.bytes_ = 0;
    p.too_long_ = false;
    p.cells_.clear();
  }

  // JSON Lines ----------------------------------------------------------------

  void feed_lines(bool last) {
    std::string_view rest = text_;
    while (!rest.empty()) {
      const std::size_t nl = rest.find('\n');
      const std::string_view piece = rest.substr(0, nl);
      if (!too_long_) {
        if (pending_.size() + piece.size() > kMaxRecordBytes) {
          too_long_ = true;
          pending_.clear();
        } else {
          pending_.append(piece);
        }
      }
      if (nl == std::string_view::npos) break;
      end_line();
      rest.remove_prefix(nl + 1);
    }
    if (last && (!pending_.empty() || too_long_)) end_line();
  }

  void end_line() {
    if (!pending_.empty() && pending_.back() == '\r') pending_.pop_back();
    if (too_long_ || !text::trim(pending_).empty()) {
      Record r;
      r.line = line_;
      if (too_long_) {
        r.problem_field = "row";
        r.problem = "longer than " + with_commas(kMaxRecordBytes) + " bytes";
      } else {
        read_json_line(pending_, r);
        r.cells.push_back(std::move(pending_));
      }
      ready_.push_back(std::move(r));
    }
    ++line_;
    pending_.clear();
    too_long_ = false;
  }

  static void read_json_line(const std::string& line, Record& r) {
    nlohmann::ordered_json j;
    try {
      j = detail::parse_bounded_json<nlohmann::ordered_json>(line, "line");
    } catch (const Error& e) {
      r.problem_field = "line";
      r.problem = std::string("not JSON: ") + e.what();
      return;
    }
    if (!j.is_object()) {
      r.problem_field = "line";
      r.problem = "not a JSON object";
      return;
    }
    if (!flatten_json(j, r.fields)) {
      r.fields.clear();
      r.problem_field = "line";
      r.problem = "objects nested deeper than " + std::to_string(kMaxJsonLineDepth) + " levels";
    }
  }

  ImportFormat format_;
  Decoder decoder_;
  char delimiter_;
  detail::Blake2b hash_;
  std::FILE* file_ = nullptr;
  csv_parser csv_{};
  bool csv_ready_ = false;
  bool delimiter_set_ = false;
  bool done_ = false;
  std::string text_;
  std::deque<Record> ready_;
  std::exception_ptr callback_error_;
  // The record being read.
  std::uint64_t line_ = 1;
  std::uint64_t embedded_ = 0;
  std::size_t bytes_ = 0;
  bool too_long_ = false;
  int last_terminator_ = 0;
  std::vector<std::string> cells_;
  std::string pending_;
};

ImportFormat format_of(const std::string& path, ImportFormat given) {
  if (given != ImportFormat::detect) return given;
  const auto dot = path.rfind('.');
  const std::string ext = dot == std::string::npos ? "" : text::lower(path.substr(dot + 1));
  return ext == "jsonl" || ext == "ndjson" ? ImportFormat::jsonl : ImportFormat::csv;
}

// Header cells as column names: trimmed; an empty one is named by position.
std::vector<std::string> header_of(const std::vector<std::string>& cells) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    std::string name(text::trim(cells[i]));
    out.push_back(name.empty() ? "column " + std::to_string(i + 1) : std::move(name));
  }
  return out;
}

}  // namespace

struct RecordReader::Impl {
  std::string path;
  ImportFormat format;
  std::string encoding;
  char delimiter = 0;
  std::vector<std::string> header;
  std::uint64_t records = 0;
  std::string digest;
  std::unique_ptr<Pass> pass;
  bool ended = false;
};

namespace {

bool flatten_into(const nlohmann::ordered_json& j, const std::string& name, std::size_t depth,
                  std::vector<std::pair<std::string, std::string>>& out) {
  if (depth > kMaxJsonLineDepth) return false;
  const auto member = [&](const std::string& key) { return name.empty() ? key : name + "." + key; };
  switch (j.type()) {
    case nlohmann::json::value_t::object:
      for (const auto& [key, value] : j.items()) {
        if (!flatten_into(value, member(key), depth + 1, out)) return false;
      }
      return true;
    case nlohmann::json::value_t::array:
      for (std::size_t i = 0; i < j.size(); ++i) {
        if (!flatten_into(j[i], member(std::to_string(i + 1)), depth + 1, out)) return false;
      }
      return true;
    case nlohmann::json::value_t::null:
      return true;
    case nlohmann::json::value_t::string:
      out.emplace_back(name, j.get<std::string>());
      return true;
    default:
      out.emplace_back(name, j.dump());
      return true;
  }
}

}  // namespace

bool flatten_json(const nlohmann::ordered_json& j, std::vector<std::pair<std::string, std::string>>& out) {
  return flatten_into(j, "", 0, out);
}

RecordReader::RecordReader(const std::string& path, ImportFormat format, const std::string& encoding, char delimiter)
    : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.path = path;
  m.format = format_of(path, format);
  // The checking pass: every record read, nothing kept but the header.
  Pass scan(path, m.format, encoding, delimiter);
  Record r;
  bool header = m.format == ImportFormat::csv;
  while (scan.next(r)) {
    if (scan.encoding() == "UTF-8") {
      for (const auto& cell : r.cells) {
        if (!text::is_valid_utf8(cell)) {
          bad_file(r.line, "not valid UTF-8; name the file's encoding (for example windows-1252)");
        }
      }
    }
    if (header) {
      if (!r.problem.empty()) bad_file(r.line, "the header row is " + r.problem);
      m.header = header_of(r.cells);
      header = false;
      continue;
    }
    ++m.records;
  }
  if (m.format == ImportFormat::csv && m.header.empty()) {
    throw Error(Errc::invalid_argument, "file: empty (no header row)", "file");
  }
  m.encoding = scan.encoding();
  m.delimiter = m.format == ImportFormat::csv ? scan.delimiter() : 0;
  m.digest = scan.digest();
  m.pass = std::make_unique<Pass>(path, m.format, m.encoding, m.delimiter);
  if (m.format == ImportFormat::csv) m.pass->next(r);  // the header, known already
}

RecordReader::~RecordReader() = default;

ImportFormat RecordReader::format() const noexcept { return impl_->format; }
const std::string& RecordReader::encoding() const noexcept { return impl_->encoding; }
char RecordReader::delimiter() const noexcept { return impl_->delimiter; }
const std::vector<std::string>& RecordReader::header() const noexcept { return impl_->header; }
std::uint64_t RecordReader::records() const noexcept { return impl_->records; }
const std::string& RecordReader::digest() const noexcept { return impl_->digest; }

bool RecordReader::next(Record& out) {
  Impl& m = *impl_;
  if (m.ended) return false;
  if (!m.pass->next(out)) {
    m.ended = true;
    if (m.pass->digest() != m.digest) {
      throw Error(Errc::conflict, "file: changed while it was being imported; run the import again", "file");
    }
    return false;
  }
  if (m.format == ImportFormat::csv && out.problem.empty()) {
    for (std::size_t i = 0; i < out.cells.size(); ++i) {
      std::string column = i < m.header.size() ? m.header[i] : "column " + std::to_string(i + 1);
      out.fields.emplace_back(std::move(column), out.cells[i]);
    }
  }
  return true;
}

}  // namespace patron::io
