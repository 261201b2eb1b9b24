// A zip archive patron writes for a host (the subject access export),
// through libzip: entries added from memory or from files, written on
// close() to `path` (a new file; libzip writes beside it and renames).
#pragma once

#include <deque>
#include <string>

struct zip;

namespace patron::io {

class ZipWriter {
 public:
  // Creates the archive at `path`, which must not exist (Error(invalid_argument,
  // "path") when it cannot be created).
  explicit ZipWriter(const std::string& path);
  // Discards the archive unless close() succeeded.
  ~ZipWriter();
  ZipWriter(const ZipWriter&) = delete;
  ZipWriter& operator=(const ZipWriter&) = delete;

  // Adds `bytes` as entry `name` (UTF-8, '/' separating folders).
  void add(const std::string& name, std::string bytes);
  // Adds the file at `file` as entry `name`; it is read on close().
  void add_file(const std::string& name, const std::string& file);
  // Writes the archive; Error(storage, "path") when it cannot.
  void close();

 private:
  void added(long long index, const std::string& name);

  std::string path_;
  ::zip* archive_ = nullptr;
  std::deque<std::string> held_;  // the bytes of add(), alive until close()
};

}  // namespace patron::io
