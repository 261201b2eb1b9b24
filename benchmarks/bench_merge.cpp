// bench_merge: merging two customers, each with E events on the timeline
// (PATRON_BENCH_MERGE_EVENTS, default 10,000) and L ledger entries
// (PATRON_BENCH_MERGE_ENTRIES, default 1,000: half points earns, half purse
// top-ups), plus 20 orders and 5 notes each.
//
// Setup (once), one file database (WAL, synchronous=NORMAL): P pairs
// (PATRON_BENCH_MERGE_PAIRS, default 10) of such customers, and the same
// rows again in a second file with plain tables (no triggers, no
// encryption): events, ledger entries, orders and notes, each indexed by
// customer.
//
// Measured under Google Benchmark, one merge per iteration (a merge is
// irreversible, so each iteration takes the next pair):
//  - patron/merge: Customers::merge of the pair: resolve both, merge the
//    profiles, move the records, hand the purse balance over through two
//    entries, move the points balance with its open lots through two
//    transfer entries, mark the merge, the events; one transaction;
//  - raw/rewrite: what a host without patron's read-time timeline would do
//    in plain SQL: UPDATE every table's customer column (events and ledger
//    entries too) from the absorbed customer to the survivor, one
//    transaction.
// A markdown table is printed at the end; the goal is a merge under 100 ms
// (wall time).
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <benchmark/benchmark.h>
#include <sqlite3.h>
#include <unistd.h>  // getpid

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "bench_support.hpp"
#include "patron/patron.hpp"

namespace {

using patron::bench::CapturingReporter;
using patron::bench::env_count;
using patron::bench::fixed;
using patron::bench::grouped;

constexpr std::size_t kOrders = 20;
constexpr std::size_t kNotes = 5;
constexpr std::size_t kBatch = 1000;

// One customer's history through patron's API.
void fill(patron::Database& db, const patron::Customer& c, std::size_t events, std::size_t entries,
          const std::string& tag) {
  std::vector<patron::NewEvent> batch;
  for (std::size_t i = 0; i < events; ++i) {
    patron::NewEvent e;
    e.customer_ref = c.id.str();
    e.category = patron::EventCategory::customers;
    e.type = patron::EventType::communication;
    e.action = "email.sent";
    e.summary = "Newsletter sent";
    e.details = R"({"campaign":"winter","opened":false,"n":)" + std::to_string(i) + "}";
    batch.push_back(std::move(e));
    if (batch.size() == kBatch || i + 1 == events) {
      db.activity().record_many(batch);
      batch.clear();
    }
  }
  std::vector<patron::EarnRequest> earns;
  for (std::size_t i = 0; i < entries / 2; ++i) {
    earns.push_back({.customer_ref = c.number, .program = "stars", .points = 10,
                     .idempotency_key = tag + "-e-" + std::to_string(i)});
  }
  for (std::size_t i = 0; i < earns.size(); i += kBatch) {
    std::vector<patron::EarnRequest> part(earns.begin() + static_cast<std::ptrdiff_t>(i),
                                          earns.begin() + static_cast<std::ptrdiff_t>(std::min(i + kBatch, earns.size())));
    db.loyalty().earn_many(part);
  }
  for (std::size_t i = 0; i < entries - entries / 2; ++i) {
    db.purses().top_up({c.number, "GBP", 100, tag + "-t-" + std::to_string(i), ""});
  }
  for (std::size_t i = 0; i < kOrders; ++i) {
    patron::NewOrder o;
    o.customer.ref = c.number;
    o.source = "pos";
    o.external_ref = tag + "-o-" + std::to_string(i);
    o.currency = "GBP";
    o.total = 2500;
    o.status = patron::OrderStatus::completed;
    db.orders().record(o);
  }
  for (std::size_t i = 0; i < kNotes; ++i) db.notes().add(c.number, "Prefers the window table", "jane");
}

int run(benchmark::ConsoleReporter::OutputOptions console) {
  const std::size_t events = env_count("PATRON_BENCH_MERGE_EVENTS", 10'000);
  const std::size_t entries = env_count("PATRON_BENCH_MERGE_ENTRIES", 1'000);
  const std::size_t pairs = env_count("PATRON_BENCH_MERGE_PAIRS", 10);
  const auto dir = std::filesystem::temp_directory_path() / ("patron-bench-merge-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);

  std::printf("setting up %zu pairs, each customer with %s events and %s ledger entries...\n", pairs,
              grouped(double(events)).c_str(), grouped(double(entries)).c_str());
  patron::Database db = patron::Database::open((dir / "patron.db").string());
  patron::Program stars;
  stars.id = "stars";
  stars.name = "Stars";
  stars.currency = "GBP";
  stars.expiry_months = 24;
  db.loyalty().create_program(stars);
  std::vector<std::pair<patron::Customer, patron::Customer>> people;
  for (std::size_t p = 0; p < pairs; ++p) {
    const std::string n = std::to_string(p);
    auto s = db.customers().create({.first_name = "Ana", .last_name = "Silva", .email = "ana" + n + "@example.com"});
    auto a = db.customers().create({.first_name = "Anna", .last_name = "Silva", .email = "anna" + n + "@example.com"});
    fill(db, s, events, entries, "s" + n);
    fill(db, a, events, entries, "a" + n);
    people.emplace_back(std::move(s), std::move(a));
  }

  // The plain tables, the same row counts.
  SQLite::Database raw((dir / "raw.db").string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  raw.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
  raw.exec(
      "CREATE TABLE events (id INTEGER PRIMARY KEY, customer INTEGER NOT NULL, at INTEGER NOT NULL, "
      "action TEXT NOT NULL, details BLOB NOT NULL);"
      "CREATE INDEX events_customer ON events (customer, at);"
      "CREATE TABLE ledger (id INTEGER PRIMARY KEY, customer INTEGER NOT NULL, amount INTEGER NOT NULL, "
      "balance_after INTEGER NOT NULL, key TEXT NOT NULL UNIQUE);"
      "CREATE INDEX ledger_customer ON ledger (customer, id);"
      "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer INTEGER NOT NULL, total INTEGER NOT NULL);"
      "CREATE INDEX orders_customer ON orders (customer);"
      "CREATE TABLE notes (id INTEGER PRIMARY KEY, customer INTEGER NOT NULL, body TEXT NOT NULL);"
      "CREATE INDEX notes_customer ON notes (customer);");
  {
    SQLite::Transaction tx(raw);
    SQLite::Statement ev(raw, "INSERT INTO events (customer, at, action, details) VALUES (?, ?, 'email.sent', ?)");
    SQLite::Statement le(raw, "INSERT INTO ledger (customer, amount, balance_after, key) VALUES (?, 10, ?, ?)");
    SQLite::Statement od(raw, "INSERT INTO orders (customer, total) VALUES (?, 2500)");
    SQLite::Statement nt(raw, "INSERT INTO notes (customer, body) VALUES (?, 'Prefers the window table')");
    const std::string details(96, 'x');  // about a sealed event's size
    for (std::int64_t c = 0; c < static_cast<std::int64_t>(2 * pairs); ++c) {
      for (std::size_t i = 0; i < events; ++i) {
        ev.bind(1, c);
        ev.bind(2, static_cast<std::int64_t>(i));
        ev.bind(3, details.data(), static_cast<int>(details.size()));
        ev.exec();
        ev.reset();
      }
      for (std::size_t i = 0; i < entries; ++i) {
        le.bind(1, c);
        le.bind(2, static_cast<std::int64_t>(10 * (i + 1)));
        le.bind(3, std::to_string(c) + "-" + std::to_string(i));
        le.exec();
        le.reset();
      }
      for (std::size_t i = 0; i < kOrders; ++i) {
        od.bind(1, c);
        od.exec();
        od.reset();
      }
      for (std::size_t i = 0; i < kNotes; ++i) {
        nt.bind(1, c);
        nt.exec();
        nt.reset();
      }
    }
    tx.commit();
  }
  const char* kRewrite[] = {"UPDATE events SET customer = ?1 WHERE customer = ?2",
                            "UPDATE ledger SET customer = ?1 WHERE customer = ?2",
                            "UPDATE orders SET customer = ?1 WHERE customer = ?2",
                            "UPDATE notes SET customer = ?1 WHERE customer = ?2"};
  std::vector<SQLite::Statement> rewrite;
  for (const char* sql : kRewrite) rewrite.emplace_back(raw, sql);

  std::size_t next_patron = 0;
  std::size_t next_raw = 0;
  patron::Customers& customers = db.customers();
  benchmark::RegisterBenchmark("patron/merge", [&](benchmark::State& state) {
    for (auto _ : state) {
      const auto& [s, a] = people.at(next_patron++);
      benchmark::DoNotOptimize(customers.merge(s.number, a.number, {.by = "bench"}));
    }
  })->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(static_cast<benchmark::IterationCount>(pairs));
  benchmark::RegisterBenchmark("raw/rewrite", [&](benchmark::State& state) {
    for (auto _ : state) {
      const std::int64_t s = static_cast<std::int64_t>(2 * next_raw);
      ++next_raw;
      SQLite::Transaction tx(raw, SQLite::TransactionBehavior::IMMEDIATE);
      for (auto& st : rewrite) {
        st.bind(1, s);
        st.bind(2, s + 1);
        benchmark::DoNotOptimize(st.exec());
        st.reset();
      }
      tx.commit();
    }
  })->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(static_cast<benchmark::IterationCount>(pairs));

  CapturingReporter reporter(console);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();

  const auto p = reporter.timing("patron/merge");
  const auto r = reporter.timing("raw/rewrite");
  bool met = false;
  if (p && r) {
    std::printf("\n| merge, each customer with %s events and %s ledger entries (SQLite %s) | patron | raw SQL "
                "rewrite | patron / raw | goal |\n",
                grouped(double(events)).c_str(), grouped(double(entries)).c_str(), sqlite3_libversion());
    std::printf("|---|---:|---:|---:|---|\n");
    std::printf("| one merge, wall time | %s ms | %s ms | %s× | < 100 ms |\n", fixed(p->wall_ns / 1e6, 1).c_str(),
                fixed(r->wall_ns / 1e6, 1).c_str(), fixed(p->wall_ns / r->wall_ns, 2).c_str());
    met = p->wall_ns / 1e6 < 100;
  }
  std::printf("\ngoal (a merge under 100 ms): %s\n", met ? "met" : "NOT met");
  std::filesystem::remove_all(dir);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // One merge per iteration and pair: the pairs are used up, so one repetition.
  return patron::bench::benchmark_main(argc, argv, "bench_merge", {"--benchmark_repetitions=1"}, run);
}
