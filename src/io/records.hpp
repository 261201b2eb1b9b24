// The records of a file another system exported: CSV (RFC 4180, parsed by
// libcsv: quoted fields, embedded newlines, CRLF or LF, `,` `;` or tab) or
// JSON Lines, in UTF-8 or any encoding ICU's converters know. Streams: only
// the current chunk and record are in memory.
//
// Opening a file reads it once whole before the first record is handed out:
// it checks the encoding and the CSV structure (so a file that cannot be
// imported is refused before anything is written), counts the records and
// hashes the bytes (BLAKE2b, libsodium) for the import's checkpoint.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "patron/imports.hpp"

namespace patron::io {

// At most this many bytes of fields in one record, and this many fields:
// a longer record is handed out with a problem (a rejected row).
inline constexpr std::size_t kMaxRecordBytes = 64 * 1024;
inline constexpr std::size_t kMaxRecordFields = 1000;
// Nested JSON objects and arrays in a line are flattened to this depth at most.
inline constexpr std::size_t kMaxJsonLineDepth = 8;

struct Record {
  // Where the record starts: the line of the file (1 is the first; a CSV
  // header is line 1), counting the newlines inside quoted fields.
  std::uint64_t line = 0;
  // Column and value, in file order. CSV: one per cell, named by the header
  // ("column 7" when the header cell is empty or missing). JSON Lines: as
  // flatten_json names them.
  std::vector<std::pair<std::string, std::string>> fields{};
  // The record as read, for a reject file: CSV cells, or the JSON line.
  std::vector<std::string> cells{};
  // Set when the record cannot be read as a row (too long, not a JSON
  // object): the field to blame ("row", "line") and the rule.
  std::string problem_field{};
  std::string problem{};
};

// A JSON object as the fields of a record, in its order: nested objects
// named with dots ("address.city"), the elements of an array numbered from 1
// ("tags.2", "phones.1.number"), null left out, text as it is, numbers and
// booleans as JSON writes them. An export's CSV names its columns the same
// way. False when nested deeper than kMaxJsonLineDepth.
bool flatten_json(const nlohmann::ordered_json& j, std::vector<std::pair<std::string, std::string>>& out);

class RecordReader {
 public:
  // Error(not_found, "file") when the file cannot be opened;
  // Error(invalid_argument, "file") naming the line when it is not text, not
  // in the encoding, not CSV; Error(invalid_argument, "encoding") for an
  // encoding ICU does not know.
  RecordReader(const std::string& path, ImportFormat format, const std::string& encoding, char delimiter);
  ~RecordReader();
  RecordReader(const RecordReader&) = delete;
  RecordReader& operator=(const RecordReader&) = delete;

  ImportFormat format() const noexcept;
  const std::string& encoding() const noexcept;  // as used: "UTF-8", "UTF-16", or the name given
  char delimiter() const noexcept;                // CSV
  const std::vector<std::string>& header() const noexcept;  // CSV
  std::uint64_t records() const noexcept;         // data records (CSV: after the header)
  const std::string& digest() const noexcept;     // 64 hex digits

  // The next data record; false at the end.
  bool next(Record& out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace patron::io
