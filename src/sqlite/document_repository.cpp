#include "sqlite/document_repository.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <vector>

#include "sqlite/time_columns.hpp"

namespace patron::sqlite {
namespace {

#define PATRON_DOCUMENT_SELECT                                                                     \
  "SELECT d.id, c.id, d.name, d.media_type, d.kind, d.size, d.sha256, d.created_at FROM documents d " \
  "JOIN customers c ON c.seq = d.customer "

Document read_document(SQLite::Statement& row) {
  Document d;
  d.id = row.getColumn(0).getInt64();
  d.customer = CustomerId::parse(row.getColumn(1).getText());
  d.name = row.getColumn(2).getString();
  d.media_type = row.getColumn(3).getString();
  d.kind = parse_document_kind(row.getColumn(4).getText());
  d.size = row.getColumn(5).getInt64();
  d.sha256 = row.getColumn(6).getString();
  d.created_at = time_at(row, 7);
  return d;
}

// An open handle on the bytes of one document_contents row.
class Blob {
 public:
  Blob(Connection& conn, std::int64_t content, bool writable) : db_(conn.db().getHandle()) {
    check(sqlite3_blob_open(db_, "main", "document_contents", "bytes", content, writable ? 1 : 0, &blob_));
  }
  ~Blob() { sqlite3_blob_close(blob_); }
  Blob(const Blob&) = delete;
  Blob& operator=(const Blob&) = delete;

  std::int64_t size() const { return sqlite3_blob_bytes(blob_); }
  void write(const char* data, std::size_t n, std::int64_t at) {
    check(sqlite3_blob_write(blob_, data, static_cast<int>(n), static_cast<int>(at)));
  }
  void read(char* data, std::size_t n, std::int64_t at) {
    check(sqlite3_blob_read(blob_, data, static_cast<int>(n), static_cast<int>(at)));
  }

 private:
  void check(int rc) const {
    if (rc != SQLITE_OK) throw SQLite::Exception(db_, rc);
  }
  sqlite3* db_;
  sqlite3_blob* blob_ = nullptr;
};

// Calls `f(chunk, at)` for each kChunkBytes-long (the last one shorter)
// stretch of `size` bytes, in order, with one buffer to fill or empty.
template <typename F>
void for_each_chunk(std::int64_t size, F&& f) {
  constexpr auto kChunk = static_cast<std::int64_t>(DocumentRepository::kChunkBytes);
  std::vector<char> buffer(static_cast<std::size_t>(std::min(size, kChunk)));
  for (std::int64_t at = 0; at < size; at += kChunk) {
    f(std::span<char>(buffer.data(), static_cast<std::size_t>(std::min(size - at, kChunk))), at);
  }
}

}  // namespace

std::int64_t DocumentRepository::write_content(std::int64_t size, const store::ByteSource& source) {
  auto& st = conn_.statement("INSERT INTO document_contents (bytes) VALUES (zeroblob(?))");
  st.bind(1, static_cast<int64_t>(size));
  st.exec();
  const std::int64_t content = conn_.db().getLastInsertRowid();
  if (size == 0) return content;
  Blob blob(conn_, content, true);
  for_each_chunk(size, [&](std::span<char> chunk, std::int64_t at) {
    source(chunk);
    blob.write(chunk.data(), chunk.size(), at);
  });
  return content;
}

void DocumentRepository::insert(Document& d, std::int64_t content) {
  auto& st = conn_.statement(
      "INSERT INTO documents (customer, content, name, media_type, kind, size, sha256, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  st.bind(1, static_cast<int64_t>(require_customer_seq(conn_, d.customer.str())));
  st.bind(2, static_cast<int64_t>(content));
  st.bind(3, d.name);
  st.bind(4, d.media_type);
  st.bind(5, std::string(to_string(d.kind)));
  st.bind(6, static_cast<int64_t>(d.size));
  st.bind(7, d.sha256);
  bind_time(st, 8, d.created_at);
  st.exec();
  d.id = conn_.db().getLastInsertRowid();
}

std::optional<Document> DocumentRepository::get(std::int64_t id) {
  auto& st = conn_.statement(PATRON_DOCUMENT_SELECT "WHERE d.id = ?");
  st.bind(1, static_cast<int64_t>(id));
  if (!st.executeStep()) return std::nullopt;
  return read_document(st);
}

std::vector<Document> DocumentRepository::of_customer(const CustomerId& customer) {
  auto& st = conn_.statement(PATRON_DOCUMENT_SELECT "WHERE d.customer = ? ORDER BY d.created_at DESC, d.id DESC");
  st.bind(1, static_cast<int64_t>(require_customer_seq(conn_, customer.str())));
  return read_rows(st, read_document);
}

bool DocumentRepository::read_content(std::int64_t id, const store::ByteSink& sink) {
  auto& st = conn_.statement("SELECT content FROM documents WHERE id = ?");
  st.bind(1, static_cast<int64_t>(id));
  if (!st.executeStep()) return false;
  const std::int64_t content = st.getColumn(0).getInt64();
  st.reset();
  Blob blob(conn_, content, false);
  for_each_chunk(blob.size(), [&](std::span<char> chunk, std::int64_t at) {
    blob.read(chunk.data(), chunk.size(), at);
    sink(std::string_view(chunk.data(), chunk.size()));
  });
  return true;
}

bool DocumentRepository::remove(std::int64_t id) {
  auto& st = conn_.statement("DELETE FROM documents WHERE id = ?");
  st.bind(1, static_cast<int64_t>(id));
  return st.exec() > 0;
}

}  // namespace patron::sqlite
