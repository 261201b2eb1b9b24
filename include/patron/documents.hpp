// Documents attached to customers: agreements, IDs, waivers, images, ...
//
// A document has a name (a file name: 1-255 characters, no control
// characters, no "/" or "\"), a media type ("application/pdf": type/subtype
// as RFC 6838 spells them, lower-cased; parameters such as "; charset=utf-8"
// kept), a kind, its size in bytes and the SHA-256 of its bytes (lower-case
// hex, libsodium). The bytes live in the database (a BLOB written and read
// in chunks with SQLite's incremental I/O, so a file streamed from a path
// is never held whole in memory). Reading back returns the exact bytes.
//
// Size limit: Options::max_document_bytes (default 25 MiB); a larger
// document is refused with invalid_argument naming "bytes" (or "path") and
// the limit in the message. An empty document is allowed.
//
// Attaching and removing record their events in the timeline
// (document.attached, document.removed: name, kind, size, SHA-256).
//
// Borrowed from a Database (db.documents()); thread-safe like it. Each call
// is one transaction: a refused or failed attach leaves nothing behind.
//
// Errors (patron::Error): invalid_argument naming the field ("name",
// "media_type", "kind", "bytes", "path" — also when the file cannot be read,
// with the system's reason — "ref"); not_found naming "id" or "ref".
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "patron/customer.hpp"
#include "patron/types.hpp"

namespace patron {

namespace detail {
struct DatabaseState;
}

enum class DocumentKind { agreement, contract, identification, waiver, consent_form, image, other };
std::string_view to_string(DocumentKind v) noexcept;
DocumentKind parse_document_kind(std::string_view text, std::string_view field = "kind");

struct Document {
  std::int64_t id = 0;
  CustomerId customer{};
  std::string name{};
  std::string media_type{};
  DocumentKind kind = DocumentKind::other;
  std::int64_t size = 0;  // bytes
  std::string sha256{};   // 64 lower-case hex digits
  Timestamp created_at{};
  friend bool operator==(const Document&, const Document&) = default;
};

struct NewDocument {
  std::string customer_ref{};
  std::string name{};
  std::string media_type{};  // "application/octet-stream" when empty
  DocumentKind kind = DocumentKind::other;
};

class Documents {
 public:
  explicit Documents(detail::DatabaseState& state) : state_(&state) {}

  // `bytes` is binary data (any byte values).
  Document attach(const NewDocument& document, std::string_view bytes);
  // Streams the file at `path` in chunks.
  Document attach_file(const NewDocument& document, const std::filesystem::path& path);

  Document get(std::int64_t id) const;
  // Newest first (created_at, then id).
  std::vector<Document> of_customer(std::string_view customer_ref) const;
  // The exact bytes.
  std::string read(std::int64_t id) const;
  // Streams the bytes to `path` (created or truncated); returns the size.
  std::int64_t read_to_file(std::int64_t id, const std::filesystem::path& path) const;
  void remove(std::int64_t id);

 private:
  detail::DatabaseState* state_;
};

}  // namespace patron
