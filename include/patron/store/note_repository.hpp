// Port: customers' notes, their revisions and their full-text index, in
// domain terms. Handed out by a Transaction. The index follows the notes by
// itself (an inserted, edited or removed note is found, re-found or no
// longer found by search within the same transaction).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "patron/notes.hpp"

namespace patron::store {

class NoteRepository {
 public:
  virtual ~NoteRepository() = default;

  // Assigns the id; the customer must exist. `note.revisions` is taken as 0.
  virtual void insert(Note& note) = 0;
  virtual std::optional<Note> get(std::int64_t id) = 0;
  // Keeps the current body (with its author and when it was written) as the
  // next revision, then gives the note `body`, `author` and `mentions`,
  // edited at `at`.
  virtual void replace_body(std::int64_t id, const std::string& body, const std::string& author,
                            const std::vector<std::string>& mentions, Timestamp at) = 0;
  virtual void set_pinned(std::int64_t id, bool pinned) = 0;
  // Removes the note and its revisions; whether there was such a note.
  virtual bool remove(std::int64_t id) = 0;
  // Pinned first, then newest first (created_at, then id).
  virtual std::vector<Note> of_customer(const CustomerId& customer, std::size_t limit, std::size_t offset) = 0;
  // Oldest first.
  virtual std::vector<NoteRevision> revisions(std::int64_t id) = 0;
  // Notes whose body has, for every word of `words`, a word starting with it
  // (accents and case ignored), of `customer` or of everyone; best first,
  // with a snippet around the matches: matches in [brackets], "…" where the
  // text was cut. Words are plain text: nothing in them is query syntax.
  virtual std::vector<NoteHit> search(const std::vector<std::string>& words, const std::optional<CustomerId>& customer,
                                      std::size_t limit, std::size_t offset) = 0;
};

}  // namespace patron::store
