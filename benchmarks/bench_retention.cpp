// bench_retention: what a nightly retention run costs on a large customer
// base, each part beside its baseline on an identical copy of the file in
// the same run.
//
// Setup (once): N customers (PATRON_BENCH_RETENTION_CUSTOMERS, default
// 100,000) created through customers().create_many two years ago, each with
// an email and a note for every tenth; then all but I of them
// (PATRON_BENCH_RETENTION_INACTIVE, default 1,000, spread evenly) get a
// staff event today. The file is copied (Database::backup) for the
// baselines.
//
// Measured, wall clock:
//  - the dry run of "erase customers inactive for a year":
//    preview_retention() against the plain candidate query a host would
//    write (no event but automated ones since the cutoff), on the copy;
//  - the run: run_retention() erasing the I inactive customers (one
//    transaction each, the full-text indexes rewritten once per 100)
//    against I calls of privacy().erase() on the copy (what a host without
//    retention would call);
//  - "drop the details of events older than a year": run_retention()
//    dropping the details of the creation and note events of the customers
//    left (10,000 per transaction) against one raw UPDATE of the same rows
//    on the copy, then a checkpoint.
// A markdown table is printed at the end.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <benchmark/benchmark.h>
#include <sqlite3.h>
#include <unistd.h>  // getpid

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "bench_support.hpp"
#include "patron/patron.hpp"

namespace {

using patron::bench::env_count;
using patron::bench::fixed;
using patron::bench::grouped;
using patron::bench::seconds_since;
using SteadyClock = std::chrono::steady_clock;

constexpr auto kYear = std::chrono::days(365);

// 2024-12-01T00:00:00Z: when the base was created.
constexpr std::int64_t kCreatedMicros = 1733011200000000;

struct Row {
  std::string what;
  double patron_s;
  double baseline_s;
  std::string baseline;
  std::string per;
  double per_n;
};

int run(benchmark::ConsoleReporter::OutputOptions) {
  const std::size_t n = env_count("PATRON_BENCH_RETENTION_CUSTOMERS", 100'000);
  const std::size_t inactive = std::min(n, env_count("PATRON_BENCH_RETENTION_INACTIVE", 1'000));
  const auto dir = std::filesystem::temp_directory_path() / ("patron-bench-retention-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "retention.db").string();
  const std::string copy_path = (dir / "copy.db").string();

  auto micros = std::make_shared<std::atomic<std::int64_t>>(kCreatedMicros);
  patron::Options options;
  options.clock = [micros] { return patron::from_micros(micros->load()); };
  auto db = patron::Database::open(path, options);

  auto start = SteadyClock::now();
  std::vector<patron::CustomerId> ids;
  patron::bench::create_guests(db, n, [&](const std::vector<patron::Customer>& created, std::size_t first) {
    for (std::size_t k = 0; k < created.size(); ++k) {
      ids.push_back(created[k].id);
      if (k % 10 == 0) {
        db.notes().add(created[k].id.str(), "Guest note about number " + std::to_string(first + k), "staff");
      }
    }
  });
  // Two years on, everyone but every (n / inactive)-th customer came back.
  *micros += std::chrono::duration_cast<std::chrono::microseconds>(2 * kYear).count();
  const std::size_t step = n / inactive;
  std::vector<patron::CustomerId> idle;
  std::vector<patron::NewEvent> events;
  for (std::size_t i = 0; i < n; ++i) {
    if (i % step == 0 && idle.size() < inactive) {
      idle.push_back(ids[i]);
      continue;
    }
    events.push_back({.customer_ref = ids[i].str(), .action = "visit.made", .summary = "Visited",
                      .details = R"({"place": "spa"})"});
    if (events.size() == 1000) {
      db.activity().record_many(events);
      events.clear();
    }
  }
  if (!events.empty()) db.activity().record_many(events);
  db.backup(copy_path);
  const double setup_s = seconds_since(start);
  std::fprintf(stderr, "setup: %s customers, %s of them inactive, in %.1f s; file %s MB\n", grouped(double(n)).c_str(),
               grouped(double(idle.size())).c_str(), setup_s,
               grouped(double(std::filesystem::file_size(path)) / 1e6).c_str());

  auto copy = patron::Database::open(copy_path, options);
  SQLite::Database raw(copy_path, SQLite::OPEN_READWRITE);
  raw.exec("PRAGMA busy_timeout = 60000");
  raw.exec("PRAGMA secure_delete = ON");
  const std::int64_t now = micros->load();
  const std::int64_t cutoff = now - std::chrono::duration_cast<std::chrono::microseconds>(kYear).count();
  std::vector<Row> rows;

  // 1. The dry run against the plain candidate query.
  db.privacy().set_retention_policy({.name = "inactive-1y",
                                     .category = patron::RetentionCategory::inactive_customers,
                                     .days = 365});
  start = SteadyClock::now();
  const auto preview = db.privacy().preview_retention();
  const double preview_s = seconds_since(start);
  start = SteadyClock::now();
  SQLite::Statement candidates(raw,
                               "SELECT c.id FROM customers c WHERE c.erased_at IS NULL AND c.merged_into IS NULL "
                               "AND c.created_at < ?1 AND NOT EXISTS (SELECT 1 FROM events e WHERE e.customer = c.id "
                               "AND e.at >= ?1 AND e.source <> 'automated')");
  candidates.bind(1, static_cast<int64_t>(cutoff));
  std::size_t found = 0;
  while (candidates.executeStep()) ++found;
  const double candidates_s = seconds_since(start);
  if (preview.outcomes.at(0).customers.size() != idle.size() || found != idle.size()) {
    std::fprintf(stderr, "the dry run found %zu and the query %zu inactive customers, not %zu\n",
                 preview.outcomes.at(0).customers.size(), found, idle.size());
    return 1;
  }
  rows.push_back({"dry run: find the inactive customers among " + grouped(double(n)), preview_s, candidates_s,
                  "the plain candidate query", "", 0});

  // 2. The run against one erase() per customer.
  start = SteadyClock::now();
  const auto erased = db.privacy().run_retention();
  const double run_s = seconds_since(start);
  start = SteadyClock::now();
  for (const auto& id : idle) copy.privacy().erase(id.str(), {"retention", "inactive for a year"});
  const double erase_s = seconds_since(start);
  if (erased.outcomes.at(0).customers.size() != idle.size()) {
    std::fprintf(stderr, "the run erased %zu customers, not %zu\n", erased.outcomes.at(0).customers.size(),
                 idle.size());
    return 1;
  }
  rows.push_back({"run: erase " + grouped(double(idle.size())) + " inactive customers", run_s, erase_s,
                  grouped(double(idle.size())) + " calls of `privacy().erase()`", "per customer",
                  double(idle.size())});

  // 3. Dropping old details against one raw UPDATE.
  db.privacy().remove_retention_policy("inactive-1y");
  db.privacy().set_retention_policy({.name = "details-1y",
                                     .category = patron::RetentionCategory::timeline_details,
                                     .days = 365});
  start = SteadyClock::now();
  const auto dropped = db.privacy().run_retention();
  const double drop_s = seconds_since(start);
  start = SteadyClock::now();
  {
    SQLite::Transaction tx(raw);
    SQLite::Statement update(raw,
                             "UPDATE events SET details = zeroblob(40), details_dropped_at = ?1 WHERE customer IS "
                             "NOT NULL AND details_dropped_at IS NULL AND at < ?2 "
                             "AND data_key IN (SELECT id FROM data_keys)");
    update.bind(1, static_cast<int64_t>(now));
    update.bind(2, static_cast<int64_t>(cutoff));
    update.exec();
    tx.commit();
  }
  patron::bench::checkpoint_truncate(raw.getHandle());
  const double update_s = seconds_since(start);
  const auto events_dropped = dropped.outcomes.at(0).events;
  rows.push_back({"run: drop the details of " + grouped(double(events_dropped)) + " events older than a year",
                  drop_s, update_s, "one raw `UPDATE` of the same rows, then checkpointed", "per 1,000 events",
                  double(events_dropped) / 1000});

  std::printf("\n| nightly retention among %s customers (SQLite %s) | patron | baseline | patron / baseline | "
              "per unit, patron |\n",
              grouped(double(n)).c_str(), sqlite3_libversion());
  std::printf("|---|---:|---:|---:|---:|\n");
  for (const auto& r : rows) {
    const std::string per =
        r.per.empty() ? "" : fixed(r.patron_s * 1e3 / r.per_n, 2) + " ms " + r.per;
    std::printf("| %s (baseline: %s) | %s s | %s s | **%s×** | %s |\n", r.what.c_str(), r.baseline.c_str(),
                fixed(r.patron_s, 3).c_str(), fixed(r.baseline_s, 3).c_str(),
                fixed(r.patron_s / r.baseline_s, 2).c_str(), per.c_str());
  }
  std::filesystem::remove_all(dir);
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return patron::bench::benchmark_main(argc, argv, "bench_retention", {}, run); }
