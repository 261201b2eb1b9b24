#include "sqlite/note_repository.hpp"

#include <nlohmann/json.hpp>

#include "sqlite/time_columns.hpp"

namespace patron::sqlite {
namespace {

#define PATRON_NOTE_COLUMNS                                                                         \
  "n.id, c.id, n.body, n.author, n.pinned, n.mentions, n.created_at, n.edited_at, "                 \
  "(SELECT count(*) FROM note_revisions r WHERE r.note = n.id)"
#define PATRON_NOTE_SELECT "SELECT " PATRON_NOTE_COLUMNS " FROM notes n JOIN customers c ON c.seq = n.customer "

std::string mentions_json(const std::vector<std::string>& mentions) {
  return mentions.empty() ? std::string("[]") : nlohmann::json(mentions).dump();
}

Note read_note(SQLite::Statement& row) {
  Note n;
  n.id = row.getColumn(0).getInt64();
  n.customer = CustomerId::parse(row.getColumn(1).getText());
  n.body = row.getColumn(2).getString();
  n.author = row.getColumn(3).getString();
  n.pinned = row.getColumn(4).getInt() != 0;
  const std::string mentions = row.getColumn(5).getString();
  if (mentions != "[]") n.mentions = nlohmann::json::parse(mentions).get<std::vector<std::string>>();
  n.created_at = time_at(row, 6);
  n.edited_at = optional_time_at(row, 7);
  n.revisions = row.getColumn(8).getInt64();
  return n;
}

// An FTS5 query in which every word is a quoted prefix ("word"*, quotes
// doubled), all required: nothing the user typed is read as FTS5 syntax.
std::string match_expression(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out += " AND ";
    out += '"';
    for (char ch : w) {
      if (ch == '"') out += '"';
      out += ch;
    }
    out += "\"*";
  }
  return out;
}

}  // namespace

void NoteRepository::insert(Note& note) {
  auto& st = conn_.statement(
      "INSERT INTO notes (customer, body, author, pinned, mentions, created_at, edited_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)");
  st.bind(1, static_cast<int64_t>(require_customer_seq(conn_, note.customer.str())));
  st.bind(2, note.body);
  st.bind(3, note.author);
  st.bind(4, note.pinned ? 1 : 0);
  st.bind(5, mentions_json(note.mentions));
  bind_time(st, 6, note.created_at);
  bind_time(st, 7, note.edited_at);
  st.exec();
  note.id = conn_.db().getLastInsertRowid();
  note.revisions = 0;
}

std::optional<Note> NoteRepository::get(std::int64_t id) {
  auto& st = conn_.statement(PATRON_NOTE_SELECT "WHERE n.id = ?");
  st.bind(1, static_cast<int64_t>(id));
  if (!st.executeStep()) return std::nullopt;
  return read_note(st);
}

void NoteRepository::replace_body(std::int64_t id, const std::string& body, const std::string& author,
                                  const std::vector<std::string>& mentions, Timestamp at) {
  auto& keep = conn_.statement(
      "INSERT INTO note_revisions (note, number, body, author, written_at, replaced_at) "
      "SELECT id, (SELECT count(*) + 1 FROM note_revisions WHERE note = ?1), body, author, "
      "coalesce(edited_at, created_at), ?2 FROM notes WHERE id = ?1");
  keep.bind(1, static_cast<int64_t>(id));
  bind_time(keep, 2, at);
  keep.exec();
  auto& st = conn_.statement("UPDATE notes SET body = ?, author = ?, mentions = ?, edited_at = ? WHERE id = ?");
  st.bind(1, body);
  st.bind(2, author);
  st.bind(3, mentions_json(mentions));
  bind_time(st, 4, at);
  st.bind(5, static_cast<int64_t>(id));
  st.exec();
}

void NoteRepository::set_pinned(std::int64_t id, bool pinned) {
  auto& st = conn_.statement("UPDATE notes SET pinned = ? WHERE id = ?");
  st.bind(1, pinned ? 1 : 0);
  st.bind(2, static_cast<int64_t>(id));
  st.exec();
}

bool NoteRepository::remove(std::int64_t id) {
  auto& st = conn_.statement("DELETE FROM notes WHERE id = ?");
  st.bind(1, static_cast<int64_t>(id));
  return st.exec() > 0;
}

std::vector<Note> NoteRepository::of_customer(const CustomerId& customer, std::size_t limit, std::size_t offset) {
  auto& st = conn_.statement(PATRON_NOTE_SELECT
                             "WHERE n.customer = ? ORDER BY n.pinned DESC, n.created_at DESC, n.id DESC "
                             "LIMIT ? OFFSET ?");
  st.bind(1, static_cast<int64_t>(require_customer_seq(conn_, customer.str())));
  bind_page(st, 2, 3, limit, offset);
  return read_rows(st, read_note);
}

std::vector<NoteRevision> NoteRepository::revisions(std::int64_t id) {
  auto& st = conn_.statement(
      "SELECT note, number, body, author, written_at, replaced_at FROM note_revisions WHERE note = ? "
      "ORDER BY number");
  st.bind(1, static_cast<int64_t>(id));
  return read_rows(st, [](SQLite::Statement& row) {
    return NoteRevision{row.getColumn(0).getInt64(), row.getColumn(1).getInt64(), row.getColumn(2).getString(),
                        row.getColumn(3).getString(), time_at(row, 4), time_at(row, 5)};
  });
}

std::vector<NoteHit> NoteRepository::search(const std::vector<std::string>& words,
                                            const std::optional<CustomerId>& customer, std::size_t limit,
                                            std::size_t offset) {
  // The snippet: up to 16 tokens of the body around the best matches.
  auto& st = conn_.statement(
      "SELECT " PATRON_NOTE_COLUMNS ", snippet(note_search, 0, '[', ']', '…', 16), note_search.rank "
      "FROM note_search JOIN notes n ON n.id = note_search.rowid JOIN customers c ON c.seq = n.customer "
      "WHERE note_search MATCH ?1 AND (?2 IS NULL OR n.customer = ?2) "
      "ORDER BY note_search.rank, n.id LIMIT ?3 OFFSET ?4");
  st.bind(1, match_expression(words));
  if (customer) st.bind(2, static_cast<int64_t>(require_customer_seq(conn_, customer->str())));
  bind_page(st, 3, 4, limit, offset);
  return read_rows(st, [](SQLite::Statement& row) {
    NoteHit hit;
    hit.note = read_note(row);
    hit.snippet = row.getColumn(9).getString();
    hit.rank = row.getColumn(10).getDouble();
    return hit;
  });
}

}  // namespace patron::sqlite
