// bench_consent: may we contact this customer — patron's can_contact
// against one raw indexed SQLite lookup of the same state row, on the same
// file in the same run; and paging through everyone reachable.
//
// Setup (once): N customers (PATRON_BENCH_CONSENT_CUSTOMERS, default
// 1,000,000) created through customers().create_many in batches of 10,000,
// then 3 consent entries each (email/marketing granted, sms/marketing
// withdrawn, email/profiling granted) written in one raw SQL transaction
// into patron's consent_log (its trigger keeps the current states), and
// 10,000 more grants through Consent::grant (timed, one call each).
//
// Measured under Google Benchmark, random existing customers, the same
// sequence for every side:
//  - patron/can_contact: Consent::can_contact(id, email, marketing);
//  - patron/can_contact_number: the same by customer number;
//  - raw/state: one SQLiteCpp prepared statement on a second connection,
//    (customer id, channel, purpose) -> status through the state table's
//    primary key, the status compared with "granted".
// Then reachable(email, marketing) is walked to the end in pages of 1,000
// and timed beside the same keyset query in raw SQLite.
// A markdown table is printed at the end; the goal is can_contact within
// 1.5x of raw/state.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <benchmark/benchmark.h>
#include <sqlite3.h>
#include <unistd.h>  // getpid

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "bench_support.hpp"
#include "patron/patron.hpp"

namespace {

using patron::bench::seconds_since;
using patron::bench::CapturingReporter;
using patron::bench::env_count;
using patron::bench::fixed;
using patron::bench::grouped;
using SteadyClock = std::chrono::steady_clock;

int run(benchmark::ConsoleReporter::OutputOptions console) {
  const std::size_t n = env_count("PATRON_BENCH_CONSENT_CUSTOMERS", 1'000'000);
  const auto dir = std::filesystem::temp_directory_path() / ("patron-bench-consent-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "consent.db").string();

  auto db = patron::Database::open(path);
  auto start = SteadyClock::now();
  std::vector<std::string> ids;
  std::vector<std::string> numbers;
  ids.reserve(n);
  numbers.reserve(n);
  patron::bench::create_guests(db, n, [&](const std::vector<patron::Customer>& created, std::size_t) {
    for (const auto& c : created) {
      ids.push_back(c.id.str());
      numbers.push_back(c.number);
    }
  });
  const double customers_s = seconds_since(start);

  start = SteadyClock::now();
  {
    SQLite::Database raw(path, SQLite::OPEN_READWRITE);
    raw.exec("PRAGMA busy_timeout = 60000");
    SQLite::Transaction tx(raw);
    raw.exec(
        "INSERT INTO consent_log (customer, channel, purpose, status, legal_basis, source, text_version, evidence, "
        "recorded_by, at) "
        "SELECT seq, 'email', 'marketing', 'granted', 'consent', 'bench', 'v1', '', '', created_at FROM customers "
        "UNION ALL SELECT seq, 'sms', 'marketing', 'withdrawn', NULL, 'bench', '', '', '', created_at FROM customers "
        "UNION ALL SELECT seq, 'email', 'profiling', 'granted', 'consent', 'bench', 'v1', '', '', created_at "
        "FROM customers ORDER BY 1");
    tx.commit();
  }
  const double entries_s = seconds_since(start);

  // Grants through the API: one write transaction and one timeline event each.
  const std::size_t grants = std::min<std::size_t>(n, 10'000);
  start = SteadyClock::now();
  for (std::size_t i = 0; i < grants; ++i) {
    db.consent().grant(ids[i], patron::Channel::post, "marketing",
                       {.legal_basis = patron::LegalBasis::consent, .source = "bench"});
  }
  const double grants_s = seconds_since(start);
  std::fprintf(stderr,
               "setup: %s customers in %.1f s; %s consent entries (raw SQL) in %.1f s; %s grants through "
               "Consent::grant in %.2f s (%s/s)\n",
               grouped(double(n)).c_str(), customers_s, grouped(3.0 * double(n)).c_str(), entries_s,
               grouped(double(grants)).c_str(), grants_s, grouped(double(grants) / grants_s).c_str());

  constexpr std::size_t kKeys = 1 << 16;
  std::mt19937_64 rng(20261207);
  std::uniform_int_distribution<std::size_t> pick(0, n - 1);
  std::vector<std::size_t> keys(kKeys);
  for (auto& k : keys) k = pick(rng);

  SQLite::Database raw(path, SQLite::OPEN_READONLY);
  // The same row patron reads: the state of (customer id, channel,
  // purpose), through the state table's primary key.
  SQLite::Statement state_row(raw,
                          "SELECT status FROM consent_current WHERE customer = ? AND channel = ? AND purpose = ?");
  auto raw_state = [&](std::size_t i) {
    state_row.reset();
    state_row.bind(1, ids[i]);
    state_row.bind(2, "email");
    state_row.bind(3, "marketing");
    return state_row.executeStep() && state_row.getColumn(0).getString() == "granted";
  };
  const patron::Database& cdb = db;
  for (std::size_t k = 0; k < 200; ++k) {
    const bool p = cdb.consent().can_contact(ids[keys[k]], patron::Channel::email, "marketing");
    if (p != raw_state(keys[k]) || !p ||
        cdb.consent().can_contact(ids[keys[k]], patron::Channel::sms, "marketing")) {
      std::fprintf(stderr, "patron and raw SQLite disagree on %s\n", ids[keys[k]].c_str());
      return 1;
    }
  }

  auto lookup = [&](const char* name, auto&& one) {
    auto body = [&, one](benchmark::State& state) {
      std::size_t k = 0;
      for (auto _ : state) {
        if (!one(keys[k++ & (kKeys - 1)])) {
          state.SkipWithError("a customer could not be contacted");
          break;
        }
      }
      state.SetItemsProcessed(state.iterations());
    };
    benchmark::RegisterBenchmark(name, body)->Unit(benchmark::kNanosecond)->UseRealTime();
  };
  lookup("patron/can_contact", [&](std::size_t i) {
    return cdb.consent().can_contact(ids[i], patron::Channel::email, "marketing");
  });
  lookup("patron/can_contact_number", [&](std::size_t i) {
    return cdb.consent().can_contact(numbers[i], patron::Channel::email, "marketing");
  });
  lookup("raw/state", raw_state);

  CapturingReporter reporter(console);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();

  // Everyone reachable, page by page: patron, then the same keyset query raw.
  start = SteadyClock::now();
  std::size_t walked = 0;
  std::size_t pages = 0;
  std::string after;
  do {
    const auto page = cdb.consent().reachable(patron::Channel::email, "marketing", after, 1000);
    walked += page.customers.size();
    after = page.next;
    ++pages;
  } while (!after.empty());
  const double walk_s = seconds_since(start);
  start = SteadyClock::now();
  std::size_t raw_walked = 0;
  {
    SQLite::Statement page(raw,
                           "SELECT customer FROM consent_current WHERE channel = 'email' AND purpose = 'marketing' "
                           "AND status = 'granted' AND customer > ? ORDER BY customer LIMIT 1000");
    std::string last;
    for (;;) {
      page.reset();
      page.bind(1, last);
      std::size_t got = 0;
      std::vector<std::string> out;
      while (page.executeStep()) {
        out.push_back(page.getColumn(0).getString());
        ++got;
      }
      if (!out.empty()) last = out.back();
      raw_walked += got;
      if (got < 1000) break;
    }
  }
  const double raw_walk_s = seconds_since(start);
  if (walked != n || raw_walked != n) {
    std::fprintf(stderr, "reachable: patron walked %zu, raw %zu, expected %zu\n", walked, raw_walked, n);
    return 1;
  }

  const auto base = reporter.timing("raw/state");
  std::printf("\n| %s customers, 3 consent entries each (SQLite %s) | CPU per call | patron / raw, CPU | "
              "patron / raw, wall | goal |\n",
              grouped(double(n)).c_str(), sqlite3_libversion());
  std::printf("|---|---:|---:|---:|---|\n");
  bool met = false;
  auto row = [&](const char* label, const char* name, const char* goal) {
    const auto t = reporter.timing(name);
    if (!t || !base) return;
    std::printf("| %s | %s ns | **%s×** | %s× | %s |\n", label, grouped(t->cpu_ns).c_str(),
                fixed(t->cpu_ns / base->cpu_ns, 2).c_str(), fixed(t->wall_ns / base->wall_ns, 2).c_str(), goal);
    if (std::string(name) == "patron/can_contact") met = t->cpu_ns <= 1.5 * base->cpu_ns;
  };
  row("`can_contact(id, email, marketing)`", "patron/can_contact", "≤ 1.5×");
  row("`can_contact(number, email, marketing)`", "patron/can_contact_number", "");
  row("raw SQLite: (id, channel, purpose) → status, one primary-key probe", "raw/state", "");
  std::printf("| `reachable(email, marketing)` walked to the end, pages of 1,000 | %s pages in %.2f s | | | |\n",
              grouped(double(pages)).c_str(), walk_s);
  std::printf("| raw SQLite: the same keyset query | %.2f s (patron / raw: %s×) | | | |\n", raw_walk_s,
              fixed(walk_s / raw_walk_s, 2).c_str());
  std::printf("| `grant` through the API (a write transaction and a timeline event each) | %s ns | | | |\n",
              grouped(grants_s / double(grants) * 1e9).c_str());
  std::printf("\ngoal: can_contact within 1.5x of the raw lookup: %s\n", met ? "met" : "NOT met");
  std::filesystem::remove_all(dir);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return patron::bench::benchmark_main(argc, argv, "bench_consent",
                                       {"--benchmark_repetitions=3", "--benchmark_enable_random_interleaving=true",
                                        "--benchmark_display_aggregates_only=true", "--benchmark_min_time=1"}, run);
}
