// Notes on customers, with revisions and full-text search.
//
// A note has a body (rich text as Markdown), an author, a pinned flag, its
// creation time and, once edited, its edit time. @mentions of staff
// ("@jane", "@front-desk"; an @ at the start or after a space or
// punctuation, so an email address is not a mention) are extracted into
// `mentions`, lower-cased, each once, in order of appearance. Editing keeps
// every earlier body as a revision (who wrote it, when). A customer's notes
// list pinned first, then newest first.
//
// Search: SQLite FTS5 over the bodies (tokenizer unicode61 with diacritics
// removed: "cafe" finds "Café", case-insensitive), per customer or across all
// customers, ranked by bm25, with a snippet around the matches (matches in
// [brackets], "…" where text was cut). The query is words, each a prefix
// ("conf" finds "conference"); FTS5 syntax in it is taken as plain words.
//
// Every change is one transaction and records its event in the timeline
// (note.added, note.edited, note.pinned, note.unpinned, note.removed).
//
// Borrowed from a Database (db.notes()); thread-safe like it.
//
// Errors (patron::Error): invalid_argument naming the field ("body": 1-100,000
// characters, "author"/"editor": 1-200 characters, "query" when it has no
// word, "ref", "limit"); not_found naming "id" or "ref".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "patron/customer.hpp"
#include "patron/types.hpp"

namespace patron {

namespace detail {
struct DatabaseState;
}

struct Note {
  std::int64_t id = 0;
  CustomerId customer{};
  std::string body{};
  std::string author{};  // who wrote the current body
  bool pinned = false;
  std::vector<std::string> mentions{};
  Timestamp created_at{};
  std::optional<Timestamp> edited_at{};
  std::int64_t revisions = 0;  // earlier bodies kept
  friend bool operator==(const Note&, const Note&) = default;
};

// An earlier body of a note: who wrote it and when it was written.
struct NoteRevision {
  std::int64_t note = 0;
  std::int64_t number = 0;  // 1 = the first body
  std::string body{};
  std::string author{};
  Timestamp written_at{};
  Timestamp replaced_at{};  // when an edit replaced it
  friend bool operator==(const NoteRevision&, const NoteRevision&) = default;
};

struct NoteHit {
  Note note{};
  std::string snippet{};
  double rank = 0;  // bm25: lower is better; hits come best first
  friend bool operator==(const NoteHit&, const NoteHit&) = default;
};

class Notes {
 public:
  explicit Notes(detail::DatabaseState& state) : state_(&state) {}

  Note add(std::string_view customer_ref, std::string_view body, std::string_view author, bool pinned = false);
  // Replaces the body, keeping the old one as a revision; the editor becomes
  // the author. An unchanged body changes nothing.
  Note edit(std::int64_t id, std::string_view body, std::string_view editor);
  Note set_pinned(std::int64_t id, bool pinned);
  // Removes the note and its revisions (the timeline keeps that it existed).
  void remove(std::int64_t id);

  Note get(std::int64_t id) const;
  // Pinned first, then newest first (created_at, then id).
  std::vector<Note> of_customer(std::string_view customer_ref, Page page = {}) const;
  // Oldest first.
  std::vector<NoteRevision> revisions(std::int64_t id) const;

  // Best first; `customer_ref` empty searches every customer's notes.
  std::vector<NoteHit> search(std::string_view query, std::string_view customer_ref = {}, Page page = {}) const;

 private:
  detail::DatabaseState* state_;
};

}  // namespace patron
