#include "sqlite/import_repository.hpp"

#include "patron/error.hpp"
#include "sqlite/time_columns.hpp"

namespace patron::sqlite {

std::optional<store::ImportRun> ImportRepository::run(std::string_view key) {
  auto& st = conn_.statement("SELECT id, rows_done, rejects_bytes, counts FROM import_runs WHERE run_key = ?");
  st.bind(1, std::string(key));
  if (!st.executeStep()) return std::nullopt;
  store::ImportRun r;
  r.id = st.getColumn(0).getInt64();
  r.rows_done = static_cast<std::uint64_t>(st.getColumn(1).getInt64());
  r.rejects_bytes = static_cast<std::uint64_t>(st.getColumn(2).getInt64());
  r.counts = st.getColumn(3).getString();
  st.reset();
  auto& listed = conn_.statement("SELECT entry FROM import_listed WHERE run = ? ORDER BY seq");
  listed.bind(1, static_cast<int64_t>(r.id));
  while (listed.executeStep()) r.listed.push_back(listed.getColumn(0).getString());
  return r;
}

std::int64_t ImportRepository::start(std::string_view key, std::string_view kind, Timestamp at) {
  auto& st = conn_.statement(
      "INSERT INTO import_runs (run_key, kind, rows_done, rejects_bytes, counts, started_at, updated_at) "
      "VALUES (?1, ?2, 0, 0, '{}', ?3, ?3)");
  st.bind(1, std::string(key));
  st.bind(2, std::string(kind));
  bind_time(st, 3, at);
  st.exec();
  return conn_.db().getLastInsertRowid();
}

void ImportRepository::advance(std::int64_t run, std::uint64_t from, std::uint64_t rows_done,
                               std::uint64_t rejects_bytes, std::string_view counts,
                               const std::vector<std::string>& listed, Timestamp at) {
  auto& st = conn_.statement(
      "UPDATE import_runs SET rows_done = ?2, rejects_bytes = ?3, counts = ?4, updated_at = ?5 "
      "WHERE id = ?1 AND rows_done = ?6");
  st.bind(1, static_cast<int64_t>(run));
  st.bind(2, static_cast<int64_t>(rows_done));
  st.bind(3, static_cast<int64_t>(rejects_bytes));
  st.bind(4, std::string(counts));
  bind_time(st, 5, at);
  st.bind(6, static_cast<int64_t>(from));
  if (st.exec() != 1) {
    throw Error(Errc::conflict, "file: another import of the same file with the same options moved this run on",
                "file");
  }
  if (listed.empty()) return;
  auto& next = conn_.statement("SELECT coalesce(max(seq), 0) FROM import_listed WHERE run = ?");
  next.bind(1, static_cast<int64_t>(run));
  next.executeStep();
  std::int64_t seq = next.getColumn(0).getInt64();
  next.reset();
  auto& add = conn_.statement("INSERT INTO import_listed (run, seq, entry) VALUES (?, ?, ?)");
  for (const auto& entry : listed) {
    add.reset();
    add.bind(1, static_cast<int64_t>(run));
    add.bind(2, static_cast<int64_t>(++seq));
    add.bind(3, entry);
    add.exec();
  }
}

void ImportRepository::finish(std::int64_t run) {
  // The touches and listed entries go with it (ON DELETE CASCADE).
  auto& st = conn_.statement("DELETE FROM import_runs WHERE id = ?");
  st.bind(1, static_cast<int64_t>(run));
  st.exec();
}

std::optional<std::uint64_t> ImportRepository::touched(std::int64_t run, const CustomerId& customer) {
  auto& st = conn_.statement(
      "SELECT t.line FROM import_touches t JOIN customers c ON c.seq = t.customer WHERE t.run = ? AND c.id = ?");
  st.bind(1, static_cast<int64_t>(run));
  st.bind(2, customer.str());
  std::optional<std::uint64_t> line;
  if (st.executeStep()) line = static_cast<std::uint64_t>(st.getColumn(0).getInt64());
  st.reset();
  return line;
}

void ImportRepository::touch(std::int64_t run, const CustomerId& customer, std::uint64_t line) {
  auto& st = conn_.statement(
      "INSERT OR IGNORE INTO import_touches (run, customer, line) VALUES (?, ?, ?)");
  st.bind(1, static_cast<int64_t>(run));
  st.bind(2, static_cast<int64_t>(require_customer_seq(conn_, customer.str())));
  st.bind(3, static_cast<int64_t>(line));
  st.exec();
}

}  // namespace patron::sqlite
