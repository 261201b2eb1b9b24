// Port: what a resumable import keeps in the store.
//
// A run exists while an import of one file with one set of options (its
// key, computed by the core) is unfinished. Each batch commits its rows and
// moves the run on in the same transaction, so a run killed at any moment
// resumes exactly where its last committed batch ended. The run also
// remembers which line first resolved to each customer (a later line
// naming the same customer is "the same as line N") and the entries the
// report lists so far. finish() forgets the run.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "patron/ids.hpp"
#include "patron/types.hpp"

namespace patron::store {

struct ImportRun {
  std::int64_t id = 0;
  std::uint64_t rows_done = 0;      // records of the file already imported
  std::uint64_t rejects_bytes = 0;  // length of the reject file after them
  std::string counts{};             // the core's JSON of the report's counts
  std::vector<std::string> listed{};  // the core's JSON of each listed entry, in order
};

class ImportRepository {
 public:
  virtual ~ImportRepository() = default;

  virtual std::optional<ImportRun> run(std::string_view key) = 0;
  virtual std::int64_t start(std::string_view key, std::string_view kind, Timestamp at) = 0;
  // Moves the run on after a batch, from `from` rows done to `rows_done`;
  // `listed` are the batch's new entries. Error(conflict, "file") when the
  // run no longer stands at `from` (another process ran the same import).
  virtual void advance(std::int64_t run, std::uint64_t from, std::uint64_t rows_done, std::uint64_t rejects_bytes,
                       std::string_view counts, const std::vector<std::string>& listed, Timestamp at) = 0;
  virtual void finish(std::int64_t run) = 0;

  // The line that first resolved to `customer` in the run, if any.
  virtual std::optional<std::uint64_t> touched(std::int64_t run, const CustomerId& customer) = 0;
  virtual void touch(std::int64_t run, const CustomerId& customer, std::uint64_t line) = 0;
};

}  // namespace patron::store
