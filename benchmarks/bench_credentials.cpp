// bench_credentials: identifying a customer by a card, patron against a raw
// SQLite indexed lookup of the same credential, on the same file in the
// same run.
//
// Setup (once): N customers (PATRON_BENCH_CREDENTIAL_CUSTOMERS, default
// 100,000) created through customers().create_many in batches of 10,000,
// each with a name, an email and a GB mobile, then one magnetic card each
// (a 16-digit numeric value, "4" + 15 digits) issued through
// credentials().issue, in one file database (WAL, synchronous=NORMAL).
//
// Measured under Google Benchmark, random existing cards, the same
// sequence for every side:
//  - patron/credential_holder: Database::credential_holder(card) -> id;
//  - patron/identify_ids: Database::identify_ids(card) -> ids (the token is
//    tried as an id, a customer number, a credential, an email and a phone);
//  - patron/identify_credential: Database::identify_credential(card) -> the
//    verdict, the credential and the holder's full profile;
//  - patron/identify: Database::identify(card) -> full customer;
//  - raw/holder_id: one SQLiteCpp prepared statement on a second connection
//    to the same file, value -> active credential in its window -> holder id
//    (credentials_value index, join to customers), copied into a string.
// A markdown table is printed at the end; the goal is credential_holder
// (the card-reader hot path: credentials only) within 1.5x of raw.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <benchmark/benchmark.h>
#include <sqlite3.h>
#include <unistd.h>  // getpid

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "bench_support.hpp"
#include "patron/patron.hpp"

namespace {

using patron::bench::seconds_since;
using patron::bench::CapturingReporter;
using patron::bench::console_options;
using patron::bench::env_count;
using patron::bench::fixed;
using patron::bench::grouped;
using SteadyClock = std::chrono::steady_clock;

// "4" + 15 digits: 16-digit card numbers, spread over the key space.
std::string card(std::size_t i) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "4%015llu", static_cast<unsigned long long>((i * 7919) % 1'000'000'000'000'000ULL));
  return buf;
}

int run(benchmark::ConsoleReporter::OutputOptions console) {
  const std::size_t n = env_count("PATRON_BENCH_CREDENTIAL_CUSTOMERS", 100'000);
  const auto dir =
      std::filesystem::temp_directory_path() / ("patron-bench-credentials-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "credentials.db").string();

  auto db = patron::Database::open(path);
  auto start = SteadyClock::now();
  std::vector<patron::NewCustomer> batch;
  std::vector<std::string> numbers;
  numbers.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    patron::NewCustomer c;
    c.first_name = "Card";
    c.last_name = "Holder " + std::to_string(i);
    c.email = "holder" + std::to_string(i) + "@example.com";
    c.phone = "07911 " + std::string(6 - std::to_string(i % 1'000'000).size(), '0') + std::to_string(i % 1'000'000);
    batch.push_back(std::move(c));
    if (batch.size() == 10'000 || i + 1 == n) {
      for (auto& created : db.customers().create_many(batch)) numbers.push_back(created.number);
      batch.clear();
    }
  }
  const double customers_s = seconds_since(start);
  start = SteadyClock::now();
  for (std::size_t i = 0; i < n; ++i) {
    db.credentials().issue({.kind = patron::CredentialKind::magnetic_card, .value = card(i), .customer_ref = numbers[i]});
  }
  const double issue_s = seconds_since(start);
  std::fprintf(stderr, "setup: %s customers in %.1f s, %s cards issued one call each in %.1f s (%s/s)\n",
               grouped(double(n)).c_str(), customers_s, grouped(double(n)).c_str(), issue_s,
               grouped(double(n) / issue_s).c_str());

  constexpr std::size_t kKeys = 1 << 16;
  std::mt19937_64 rng(20261122);
  std::uniform_int_distribution<std::size_t> pick(0, n - 1);
  std::vector<std::string> keys(kKeys);
  for (auto& k : keys) k = card(pick(rng));

  SQLite::Database raw(path, SQLite::OPEN_READONLY);
  SQLite::Statement holder(raw,
                           "SELECT c.id FROM credentials cr JOIN customers c ON c.seq = cr.customer "
                           "WHERE cr.value = ? AND cr.status = 'active' "
                           "AND (cr.valid_from IS NULL OR cr.valid_from <= ?2) "
                           "AND (cr.valid_until IS NULL OR ?2 < cr.valid_until)");
  auto raw_holder = [&](const std::string& key) {
    holder.reset();
    holder.bind(1, key);
    holder.bind(2, static_cast<int64_t>(patron::to_micros(patron::system_now())));
    std::string id;
    if (holder.executeStep()) id = holder.getColumn(0).getString();
    return id;
  };
  // Both sides find the same holder.
  for (std::size_t k = 0; k < 200; ++k) {
    const auto ids = db.identify_ids(keys[k]);
    if (ids.size() != 1 || ids[0].str() != raw_holder(keys[k])) {
      std::fprintf(stderr, "patron and raw SQLite disagree on %s\n", keys[k].c_str());
      return 1;
    }
  }

  const patron::Database& cdb = db;
  auto lookup = [&](const char* name, auto&& one) {
    auto body = [&, one](benchmark::State& state) {
      std::size_t k = 0;
      for (auto _ : state) {
        if (!one(keys[k++ & (kKeys - 1)])) {
          state.SkipWithError("a lookup found nobody");
          break;
        }
      }
      state.SetItemsProcessed(state.iterations());
    };
    benchmark::RegisterBenchmark(name, body)->Unit(benchmark::kNanosecond)->UseRealTime();
  };
  lookup("patron/identify_ids", [&](const std::string& key) {
    auto r = cdb.identify_ids(key);
    benchmark::DoNotOptimize(r);
    return r.size() == 1;
  });
  lookup("patron/credential_holder", [&](const std::string& key) {
    auto r = cdb.credential_holder(key);
    benchmark::DoNotOptimize(r);
    return r.has_value();
  });
  lookup("patron/identify_credential", [&](const std::string& key) {
    auto r = cdb.identify_credential(key);
    benchmark::DoNotOptimize(r);
    return r.verdict == patron::CredentialVerdict::accepted;
  });
  lookup("patron/identify", [&](const std::string& key) {
    auto r = cdb.identify(key);
    benchmark::DoNotOptimize(r);
    return r.size() == 1;
  });
  lookup("raw/holder_id", [&](const std::string& key) {
    auto id = raw_holder(key);
    benchmark::DoNotOptimize(id);
    return !id.empty();
  });

  CapturingReporter reporter(console);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();

  const auto base = reporter.timing("raw/holder_id");
  std::printf("\n| %s customers, one 16-digit card each (SQLite %s) | CPU per lookup | patron / raw, CPU | "
              "patron / raw, wall | goal |\n",
              grouped(double(n)).c_str(), sqlite3_libversion());
  std::printf("|---|---:|---:|---:|---|\n");
  bool met = false;
  auto row = [&](const char* label, const char* name, const char* goal) {
    const auto t = reporter.timing(name);
    if (!t || !base) return;
    std::printf("| %s | %s ns | **%s×** | %s× | %s |\n", label, grouped(t->cpu_ns).c_str(),
                fixed(t->cpu_ns / base->cpu_ns, 2).c_str(), fixed(t->wall_ns / base->wall_ns, 2).c_str(), goal);
    if (std::string(name) == "patron/credential_holder") met = t->cpu_ns <= 1.5 * base->cpu_ns;
  };
  row("`identify_ids(card)` → ids", "patron/identify_ids", "");
  row("`credential_holder(card)` → holder id", "patron/credential_holder", "≤ 1.5×");
  row("`identify_credential(card)` → verdict, credential, holder's profile", "patron/identify_credential", "");
  row("`identify(card)` → full customer", "patron/identify", "");
  row("raw SQLite: value → active credential → holder id (one prepared statement)", "raw/holder_id", "");
  std::printf("\ngoal: credential_holder within 1.5x of the raw lookup: %s\n", met ? "met" : "NOT met");
  std::filesystem::remove_all(dir);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // Defaults that suit a shared machine.
  return patron::bench::benchmark_main(argc, argv, "bench_credentials",
                                       {"--benchmark_repetitions=3", "--benchmark_enable_random_interleaving=true",
                                        "--benchmark_display_aggregates_only=true", "--benchmark_min_time=1"}, run);
}
