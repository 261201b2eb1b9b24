#include "sqlite/maintenance.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <memory>

#include "io/files.hpp"
#include "patron/error.hpp"
#include "text/text.hpp"

namespace patron::sqlite {
namespace {

struct Closer {
  void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
using Handle = std::unique_ptr<sqlite3, Closer>;

[[noreturn]] void storage(const std::string& what, sqlite3* db) {
  throw Error(Errc::storage, "storage: backup: " + what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

Handle open_file(const std::string& path, int flags) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  Handle h(db);
  if (rc != SQLITE_OK) storage("cannot open " + text::printable(path), db);
  return h;
}

// The first column of each row of `sql` on `db`.
std::vector<std::string> rows_of(sqlite3* db, const char* sql) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK) storage("prepare", db);
  std::vector<std::string> out;
  while (sqlite3_step(st) == SQLITE_ROW) {
    const auto* text = sqlite3_column_text(st, 0);
    out.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
  }
  sqlite3_finalize(st);
  return out;
}

}  // namespace

std::int64_t backup_into(Connection& source, const std::string& path) {
  namespace fs = std::filesystem;
  io::check_destination(path, false, "; a backup never overwrites");
  std::error_code ec;
  const std::string partial = io::partial_name(path);
  ::close(io::create_partial(partial, path));  // ours, empty: SQLite writes the copy into it
  try {
    {
      Handle dest = open_file(partial, SQLITE_OPEN_READWRITE);
      sqlite3_backup* b = sqlite3_backup_init(dest.get(), "main", source.db().getHandle(), "main");
      if (b == nullptr) storage("start", dest.get());
      const int rc = sqlite3_backup_step(b, -1);  // every page, from one snapshot
      sqlite3_backup_finish(b);
      if (rc != SQLITE_DONE) storage("copy", dest.get());
      const auto verdict = rows_of(dest.get(), "PRAGMA quick_check");
      if (verdict.size() != 1 || verdict[0] != "ok") {
        throw Error(Errc::storage, "storage: backup: the copy fails its check: " + verdict.at(0));
      }
    }
    io::put_in_place(partial, path, false);  // never over a file, not even one made meanwhile
  } catch (...) {
    fs::remove(partial, ec);
    fs::remove(partial + "-wal", ec);
    fs::remove(partial + "-shm", ec);
    fs::remove(partial + "-journal", ec);
    throw;
  }
  return static_cast<std::int64_t>(fs::file_size(path, ec));
}

store::StoreCheck check_file(Connection& conn, bool quick, std::size_t max_problems) {
  store::StoreCheck out;
  const auto problem = [&](const char* check, std::string detail) {
    if (out.problems.size() < max_problems) out.problems.emplace_back(check, std::move(detail));
  };
  {
    auto& st = conn.statement(quick ? "PRAGMA quick_check(100)" : "PRAGMA integrity_check(100)");
    while (st.executeStep()) {
      const std::string row = st.getColumn(0).getString();
      if (row != "ok") problem("integrity", row);
    }
  }
  {
    auto& st = conn.statement("PRAGMA foreign_key_check");
    while (st.executeStep()) {
      problem("foreign_keys", st.getColumn(0).getString() + " row " + st.getColumn(1).getString() +
                                  " names a missing " + st.getColumn(2).getString() + " row");
    }
  }
  {
    auto& st = conn.statement("SELECT count(*) FROM customers WHERE merged_into IS NULL AND erased_at IS NULL");
    st.executeStep();
    out.customers = st.getColumn(0).getInt64();
  }
  // A purse account's balance is its ledger: the sum of its entries and the
  // last entry's balance_after.
  {
    auto& st = conn.statement(
        "SELECT c.number, a.currency, a.balance, "
        "(SELECT coalesce(sum(CASE kind WHEN 'charge' THEN -amount ELSE amount END), 0) "
        " FROM purse_entries e WHERE e.customer = a.customer AND e.currency = a.currency), "
        "coalesce((SELECT balance_after FROM purse_entries e WHERE e.customer = a.customer AND "
        " e.currency = a.currency ORDER BY id DESC LIMIT 1), 0) "
        "FROM purse_accounts a JOIN customers c ON c.seq = a.customer");
    while (st.executeStep()) {
      ++out.purse_accounts;
      const std::int64_t balance = st.getColumn(2).getInt64();
      const std::int64_t sum = st.getColumn(3).getInt64();
      const std::int64_t last = st.getColumn(4).getInt64();
      if (balance != sum || balance != last) {
        problem("purse_balance", "customer " + st.getColumn(0).getString() + " " + st.getColumn(1).getString() +
                                     ": balance " + std::to_string(balance) + ", entries sum to " +
                                     std::to_string(sum) + ", last balance_after " + std::to_string(last));
      }
    }
  }
  // A points account's balance is the sum of its entries, the last
  // balance_after, and what its open lots hold (pending and expired ones
  // too: both are in the balance until released or written off).
  {
    auto& st = conn.statement(
        "SELECT c.number, a.program, a.balance, "
        "(SELECT coalesce(sum(points), 0) FROM points_entries e WHERE e.account = a.id), "
        "coalesce((SELECT balance_after FROM points_entries e WHERE e.account = a.id ORDER BY id DESC LIMIT 1), 0), "
        "(SELECT coalesce(sum(remaining), 0) FROM points_lots l WHERE l.account = a.id AND remaining > 0) "
        "FROM points_accounts a JOIN customers c ON c.seq = a.customer");
    while (st.executeStep()) {
      ++out.points_accounts;
      const std::int64_t balance = st.getColumn(2).getInt64();
      const std::int64_t sum = st.getColumn(3).getInt64();
      const std::int64_t last = st.getColumn(4).getInt64();
      const std::int64_t lots = st.getColumn(5).getInt64();
      if (balance != sum || balance != last || balance != lots) {
        problem("points_balance", "customer " + st.getColumn(0).getString() + " " + st.getColumn(1).getString() +
                                      ": balance " + std::to_string(balance) + ", entries sum to " +
                                      std::to_string(sum) + ", last balance_after " + std::to_string(last) +
                                      ", open lots hold " + std::to_string(lots));
      }
    }
  }
  // A live customer's current consent is what its log gives: the latest
  // granted or withdrawn entry of the channel and purpose, else the latest
  // request; nothing else has a state (a merge drops the absorbed one's).
  {
    auto& st = conn.statement(
        "WITH expected AS ("
        " SELECT c.id AS customer, l.channel, l.purpose,"
        "  coalesce(max(CASE WHEN l.status <> 'pending' THEN l.id END), max(l.id)) AS entry"
        " FROM consent_log l JOIN customers c ON c.seq = l.customer WHERE c.merged_into IS NULL"
        " GROUP BY l.customer, l.channel, l.purpose) "
        "SELECT e.customer, e.channel, e.purpose, e.entry, l.status, cc.entry, cc.status"
        " FROM expected e JOIN consent_log l ON l.id = e.entry LEFT JOIN consent_current cc"
        " ON cc.customer = e.customer AND cc.channel = e.channel AND cc.purpose = e.purpose"
        " WHERE cc.entry IS NOT e.entry OR cc.status IS NOT l.status OR cc.since IS NOT l.at "
        "UNION ALL SELECT cc.customer, cc.channel, cc.purpose, NULL, NULL, cc.entry, cc.status"
        " FROM consent_current cc WHERE NOT EXISTS (SELECT 1 FROM expected e WHERE e.customer = cc.customer"
        " AND e.channel = cc.channel AND e.purpose = cc.purpose)");
    while (st.executeStep()) {
      const auto entry = [&](int i) {
        if (st.getColumn(i).isNull()) return std::string("none");
        return "entry " + st.getColumn(i).getString() + " (" + st.getColumn(i + 1).getString() + ")";
      };
      problem("consent_state", "customer " + st.getColumn(0).getString() + " " + st.getColumn(1).getString() +
                                   "/" + st.getColumn(2).getString() + ": the log gives " + entry(3) +
                                   ", the state holds " + entry(5));
    }
  }
  return out;
}

store::StoreStats stats_of(Connection& conn) {
  store::StoreStats out;
  // One statement: each count a subquery, all in the caller's snapshot.
  auto& st = conn.statement(
      "SELECT "
      "(SELECT count(*) FROM customers WHERE merged_into IS NULL AND erased_at IS NULL), "
      "(SELECT count(*) FROM customers WHERE merged_into IS NOT NULL AND erased_at IS NULL), "
      "(SELECT count(*) FROM customers WHERE erased_at IS NOT NULL), "
      "(SELECT count(*) FROM customers WHERE merged_into IS NULL AND status = 'banned'), "
      "(SELECT count(DISTINCT customer) FROM customer_emails), "
      "(SELECT count(DISTINCT customer) FROM customer_phones), "
      "(SELECT count(*) FROM companies), (SELECT count(*) FROM memberships), (SELECT count(*) FROM credentials), "
      "(SELECT count(*) FROM orders), (SELECT count(*) FROM bookings), (SELECT count(*) FROM enquiries), "
      "(SELECT count(*) FROM visits), (SELECT count(*) FROM notes), (SELECT count(*) FROM documents), "
      "(SELECT count(*) FROM events), "
      "(SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size())");
  st.executeStep();
  constexpr const char* kNames[] = {"customers", "merged", "erased", "banned",    "with_email", "with_phone",
                                    "companies", "memberships", "credentials", "orders", "bookings",
                                    "enquiries", "visits",  "notes",     "documents",  "events"};
  int i = 0;
  for (const char* name : kNames) out.counts.emplace(name, st.getColumn(i++).getInt64());
  out.file_bytes = st.getColumn(i).getInt64();
  auto& purses = conn.statement(
      "SELECT currency, count(*), sum(balance) FROM purse_accounts GROUP BY currency ORDER BY currency");
  while (purses.executeStep()) {
    out.purses.emplace_back(purses.getColumn(0).getString(), purses.getColumn(1).getInt64(),
                            purses.getColumn(2).getInt64());
  }
  auto& points = conn.statement(
      "SELECT program, count(*), sum(balance) FROM points_accounts GROUP BY program ORDER BY program");
  while (points.executeStep()) {
    out.points.emplace_back(points.getColumn(0).getString(), points.getColumn(1).getInt64(),
                            points.getColumn(2).getInt64());
  }
  return out;
}

}  // namespace patron::sqlite
