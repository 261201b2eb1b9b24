// store::NoteRepository on one SQLite connection, inside a transaction the
// store opened. Search runs on the FTS5 table note_search (schema.cpp).
#pragma once

#include "patron/store/note_repository.hpp"
#include "sqlite/connection.hpp"

namespace patron::sqlite {

class NoteRepository final : public store::NoteRepository {
 public:
  explicit NoteRepository(Connection& conn) : conn_(conn) {}

  void insert(Note& note) override;
  std::optional<Note> get(std::int64_t id) override;
  void replace_body(std::int64_t id, const std::string& body, const std::string& author,
                    const std::vector<std::string>& mentions, Timestamp at) override;
  void set_pinned(std::int64_t id, bool pinned) override;
  bool remove(std::int64_t id) override;
  std::vector<Note> of_customer(const CustomerId& customer, std::size_t limit, std::size_t offset) override;
  std::vector<NoteRevision> revisions(std::int64_t id) override;
  std::vector<NoteHit> search(const std::vector<std::string>& words, const std::optional<CustomerId>& customer,
                              std::size_t limit, std::size_t offset) override;

 private:
  Connection& conn_;
};

}  // namespace patron::sqlite
