// store::ImportRepository on one SQLite connection, inside a transaction the
// store opened.
#pragma once

#include "patron/store/import_repository.hpp"
#include "sqlite/connection.hpp"

namespace patron::sqlite {

class ImportRepository final : public store::ImportRepository {
 public:
  explicit ImportRepository(Connection& conn) : conn_(conn) {}

  std::optional<store::ImportRun> run(std::string_view key) override;
  std::int64_t start(std::string_view key, std::string_view kind, Timestamp at) override;
  void advance(std::int64_t run, std::uint64_t from, std::uint64_t rows_done, std::uint64_t rejects_bytes,
               std::string_view counts, const std::vector<std::string>& listed, Timestamp at) override;
  void finish(std::int64_t run) override;
  std::optional<std::uint64_t> touched(std::int64_t run, const CustomerId& customer) override;
  void touch(std::int64_t run, const CustomerId& customer, std::uint64_t line) override;

 private:
  Connection& conn_;
};

}  // namespace patron::sqlite
