// store::DocumentRepository on one SQLite connection, inside a transaction
// the store opened. Bytes are written and read with SQLite's incremental
// BLOB I/O in chunks of kChunkBytes.
#pragma once

#include <cstddef>

#include "patron/store/document_repository.hpp"
#include "sqlite/connection.hpp"

namespace patron::sqlite {

class DocumentRepository final : public store::DocumentRepository {
 public:
  static constexpr std::size_t kChunkBytes = 64 * 1024;

  explicit DocumentRepository(Connection& conn) : conn_(conn) {}

  std::int64_t write_content(std::int64_t size, const store::ByteSource& source) override;
  void insert(Document& document, std::int64_t content) override;
  std::optional<Document> get(std::int64_t id) override;
  std::vector<Document> of_customer(const CustomerId& customer) override;
  bool read_content(std::int64_t id, const store::ByteSink& sink) override;
  bool remove(std::int64_t id) override;

 private:
  Connection& conn_;
};

}  // namespace patron::sqlite
