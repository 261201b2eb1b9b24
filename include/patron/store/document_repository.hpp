// Port: documents attached to customers, in domain terms. Handed out by a
// Transaction. A document's bytes go in and come out in chunks, so neither
// side ever holds a large document whole; listing documents never reads
// their bytes.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "patron/documents.hpp"

namespace patron::store {

// Fills the whole of `chunk` with the next bytes of a document.
using ByteSource = std::function<void(std::span<char> chunk)>;
// Takes the next bytes of a document.
using ByteSink = std::function<void(std::string_view chunk)>;

class DocumentRepository {
 public:
  virtual ~DocumentRepository() = default;

  // Stores `size` bytes pulled from `source` in order, chunk by chunk, as
  // content not yet attached to a document; returns its handle for insert().
  virtual std::int64_t write_content(std::int64_t size, const ByteSource& source) = 0;
  // Inserts the document (assigning its id) with `content` as its bytes; the
  // customer must exist and `document.size` must be the content's size.
  virtual void insert(Document& document, std::int64_t content) = 0;
  virtual std::optional<Document> get(std::int64_t id) = 0;
  // Newest first (created_at, then id).
  virtual std::vector<Document> of_customer(const CustomerId& customer) = 0;
  // Pushes the document's bytes to `sink` in order, chunk by chunk; false
  // when there is no such document.
  virtual bool read_content(std::int64_t id, const ByteSink& sink) = 0;
  // Removes the document and its bytes; whether there was such a document.
  virtual bool remove(std::int64_t id) = 0;
};

}  // namespace patron::store
