// bench_privacy: erasing a customer with 10,000 timeline events, 100 notes
// and 10 documents — patron's Privacy::erase against the same removal
// written by hand in raw SQLite, on the same file in the same run.
//
// Setup (once): N other customers (PATRON_BENCH_PRIVACY_CUSTOMERS, default
// 100,000; created through customers().create_many, one note for every
// tenth), then 2 x T targets (PATRON_BENCH_PRIVACY_TARGETS, default 10)
// with an email, a phone, 10,000 events (Activity::record_many), 100 notes
// and 10 documents of 100 KiB each.
//
// Measured, wall clock per customer, targets alternating between the sides:
//  - patron: Privacy::erase (one transaction: blanks the row, removes the
//    contacts, notes, revisions, documents, the data key and the rest,
//    replaces the events' summaries, suppresses the addresses, rewrites the
//    full-text indexes; then checkpoints the WAL);
//  - raw: a second connection with secure_delete on, one transaction of
//    hand-written statements doing the same core removal (row blanked,
//    emails, phones, notes and revisions, documents and their bytes, the
//    data key, the events' summaries, the name's index entry, both
//    full-text indexes optimised), then wal_checkpoint(TRUNCATE).
// A markdown table is printed at the end; the goal is patron under 200 ms.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <benchmark/benchmark.h>
#include <sqlite3.h>
#include <unistd.h>  // getpid

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "bench_support.hpp"
#include "patron/patron.hpp"

namespace {

using patron::bench::seconds_since;
using patron::bench::env_count;
using patron::bench::fixed;
using patron::bench::grouped;
using SteadyClock = std::chrono::steady_clock;

constexpr std::size_t kEvents = 10'000;
constexpr std::size_t kNotes = 100;
constexpr std::size_t kDocuments = 10;
constexpr std::size_t kDocumentBytes = 100 * 1024;

patron::Customer make_target(patron::Database& db, std::size_t i) {
  const std::string tag = std::to_string(i);
  auto c = db.customers().create({.first_name = "Target", .last_name = "Person " + tag,
                                  .email = "target" + tag + "@example.net",
                                  .phone = "07700 9" + std::string(5 - std::min<std::size_t>(5, tag.size()), '0') +
                                           tag});
  std::vector<patron::NewEvent> events;
  for (std::size_t e = 0; e < kEvents; ++e) {
    events.push_back({.customer_ref = c.id.str(), .action = "bench.visit",
                      .summary = "Visited the spa, room " + std::to_string(e),
                      .details = R"({"room": )" + std::to_string(e) + "}"});
    if (events.size() == 1000) {
      db.activity().record_many(events);
      events.clear();
    }
  }
  for (std::size_t n = 0; n < kNotes; ++n) {
    db.notes().add(c.id.str(), "Prefers the quiet corner, visit " + std::to_string(n) + " of target " + tag,
                   "staff");
  }
  const std::string bytes(kDocumentBytes, static_cast<char>('a' + i % 26));
  for (std::size_t d = 0; d < kDocuments; ++d) {
    db.documents().attach({c.id.str(), "scan-" + std::to_string(d) + ".bin", "application/octet-stream",
                           patron::DocumentKind::other},
                          bytes);
  }
  return c;
}

// The hand-written removal: what a host would write itself for the core of it.
void raw_erase(SQLite::Database& raw, const patron::Customer& c) {
  {
    SQLite::Transaction tx(raw);
    const std::string seq =
        raw.execAndGet("SELECT seq FROM customers WHERE id = '" + c.id.str() + "'").getString();
    const std::string id = "'" + c.id.str() + "'";
    raw.exec("UPDATE customers SET number = 'erased-raw-" + seq +
             "', first_name = '', last_name = '', title = '', tags = '[]' WHERE seq = " + seq);
    raw.exec("DELETE FROM customer_emails WHERE customer = " + seq);
    raw.exec("DELETE FROM customer_phones WHERE customer = " + seq);
    raw.exec("DELETE FROM customer_names WHERE rowid = " + seq);
    raw.exec("DELETE FROM note_revisions WHERE note IN (SELECT id FROM notes WHERE customer = " + seq + ")");
    raw.exec("DELETE FROM notes WHERE customer = " + seq);
    raw.exec("DELETE FROM documents WHERE customer = " + seq);
    raw.exec("DELETE FROM data_keys WHERE customer = " + id);
    raw.exec("DELETE FROM match_stale WHERE customer = " + seq);
    tx.commit();
  }
  // The events' summaries: patron's trigger allows it only for an erased
  // customer, so the raw side writes them in a table of its own the same size.
  {
    SQLite::Transaction tx(raw);
    raw.exec("UPDATE raw_summaries SET summary = 'erased' WHERE customer = '" + c.id.str() + "'");
    raw.exec("INSERT INTO customer_names (customer_names) VALUES ('optimize')");
    raw.exec("INSERT INTO note_search (note_search) VALUES ('optimize')");
    tx.commit();
  }
  patron::bench::checkpoint_truncate(raw.getHandle());
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

int run(benchmark::ConsoleReporter::OutputOptions) {
  const std::size_t n = env_count("PATRON_BENCH_PRIVACY_CUSTOMERS", 100'000);
  const std::size_t targets = env_count("PATRON_BENCH_PRIVACY_TARGETS", 10);
  const auto dir = std::filesystem::temp_directory_path() / ("patron-bench-privacy-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "privacy.db").string();

  auto db = patron::Database::open(path);
  auto start = SteadyClock::now();
  patron::bench::create_guests(db, n, [&](const std::vector<patron::Customer>& created, std::size_t) {
    for (std::size_t k = 0; k < created.size(); k += 10) {
      db.notes().add(created[k].id.str(), "Guest note about " + created[k].last_name, "staff");
    }
  });
  const double customers_s = seconds_since(start);

  start = SteadyClock::now();
  std::vector<patron::Customer> mine;
  std::vector<patron::Customer> raws;
  for (std::size_t t = 0; t < targets; ++t) {
    mine.push_back(make_target(db, 2 * t));
    raws.push_back(make_target(db, 2 * t + 1));
  }
  const double targets_s = seconds_since(start);
  std::fprintf(stderr, "setup: %s customers in %.1f s; %s targets (10,000 events, 100 notes, 10 documents each) "
               "in %.1f s; file %s MB\n",
               grouped(double(n)).c_str(), customers_s, grouped(double(2 * targets)).c_str(), targets_s,
               grouped(double(std::filesystem::file_size(path)) / 1e6).c_str());

  SQLite::Database raw(path, SQLite::OPEN_READWRITE);
  raw.exec("PRAGMA busy_timeout = 60000");
  raw.exec("PRAGMA secure_delete = ON");
  raw.exec("CREATE TABLE raw_summaries AS SELECT customer, summary FROM events WHERE customer IS NOT NULL");
  raw.exec("CREATE INDEX raw_summaries_customer ON raw_summaries (customer)");

  std::vector<double> patron_ms;
  std::vector<double> raw_ms;
  for (std::size_t t = 0; t < targets; ++t) {
    start = SteadyClock::now();
    const auto report = db.privacy().erase(mine[t].id.str(), {"bench", "benchmark erasure"});
    patron_ms.push_back(seconds_since(start) * 1e3);
    if (report.kept.at("events") < static_cast<std::int64_t>(kEvents) ||
        report.removed.at("notes") != static_cast<std::int64_t>(kNotes) ||
        report.removed.at("documents") != static_cast<std::int64_t>(kDocuments)) {
      std::fprintf(stderr, "erase removed less than the target holds\n");
      return 1;
    }
    start = SteadyClock::now();
    raw_erase(raw, raws[t]);
    raw_ms.push_back(seconds_since(start) * 1e3);
  }

  const double p = median(patron_ms);
  const double r = median(raw_ms);
  std::printf("\n| erasing one customer: 10,000 events, 100 notes, 10 documents of 100 KiB, among %s customers "
              "(SQLite %s) | median | slowest | patron / raw | goal |\n",
              grouped(double(n)).c_str(), sqlite3_libversion());
  std::printf("|---|---:|---:|---:|---|\n");
  std::printf("| `privacy().erase` (one transaction, then the WAL checkpointed) | %s ms | %s ms | **%s×** | "
              "< 200 ms |\n",
              fixed(p, 1).c_str(), fixed(*std::max_element(patron_ms.begin(), patron_ms.end()), 1).c_str(),
              fixed(p / r, 2).c_str());
  std::printf("| raw SQLite: the same core removal by hand, secure_delete on, then checkpointed | %s ms | %s ms | "
              "| |\n",
              fixed(r, 1).c_str(), fixed(*std::max_element(raw_ms.begin(), raw_ms.end()), 1).c_str());
  std::printf("\ngoal: erasure under 200 ms: %s\n", p < 200 ? "met" : "NOT met");
  std::filesystem::remove_all(dir);
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return patron::bench::benchmark_main(argc, argv, "bench_privacy", {}, run); }
