// bench_analytics: computing every customer's purchase summary from the
// orders in the database, against raw SQLite aggregating the same orders in
// the same run.
//
// Setup (once): C customers (PATRON_BENCH_CUSTOMERS, default 1,000,000) and
// O orders (PATRON_BENCH_ORDERS, default 10,000,000) in one file database
// with patron's schema (opened through patron, so the schema and indexes are
// exactly patron's). Rows are written with raw prepared inserts: the point is
// the read side, and pushing ten million orders through the API would only
// make the setup slow. Orders fall on random days of the two years before
// the cut-off, one currency, 3% cancelled.
//
// Measured, each three times (median):
//  - patron: db.analytics().summaries({currency, cutoff, weeks}) — the
//    occasions of every customer (orders on one UTC day merged), then
//    x, t_x, T and the mean repeat spend per customer;
//  - raw SQLite: one GROUP BY query doing the day merge in SQL
//    (SELECT customer, placed_at / 86400000000, sum(total) ... GROUP BY
//    customer, day) and the same per-customer arithmetic in C++.
// A markdown table is printed at the end.
#include <sqlite3.h>
#include <unistd.h>  // getpid

#include <algorithm>
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

using patron::bench::env_count;
using patron::bench::sqlite_check;

using Clock = std::chrono::steady_clock;

constexpr std::int64_t kDayUs = 86'400'000'000;

void fill(const std::string& path, std::size_t customers, std::size_t orders, std::int64_t cutoff_us) {
  sqlite3* db = nullptr;
  sqlite_check(sqlite3_open(path.c_str(), &db), db, "open");
  sqlite_check(sqlite3_exec(db, "PRAGMA synchronous = OFF; BEGIN", nullptr, nullptr, nullptr), db, "begin");
  sqlite3_stmt* c = nullptr;
  sqlite_check(sqlite3_prepare_v2(db,
                           "INSERT INTO customers (seq, id, number, first_name, last_name, created_at, updated_at) "
                           "VALUES (?, ?, ?, 'Bench', 'Customer', 0, 0)",
                           -1, &c, nullptr),
        db, "prepare customers");
  char id[33];
  char number[16];
  for (std::size_t i = 1; i <= customers; ++i) {
    std::snprintf(id, sizeof id, "%032zx", i);
    std::snprintf(number, sizeof number, "B%09zu", i);
    sqlite3_bind_int64(c, 1, static_cast<sqlite3_int64>(i));
    sqlite3_bind_text(c, 2, id, 32, SQLITE_STATIC);
    sqlite3_bind_text(c, 3, number, -1, SQLITE_STATIC);
    sqlite_check(sqlite3_step(c), db, "insert customer");
    sqlite3_reset(c);
  }
  sqlite3_finalize(c);
  sqlite3_stmt* o = nullptr;
  sqlite_check(sqlite3_prepare_v2(db,
                           "INSERT INTO orders (customer, source, external_ref, placed_at, status, currency, total, "
                           "paid, created_at, updated_at) VALUES (?, 'bench', ?, ?, ?, 'GBP', ?, 0, 0, 0)",
                           -1, &o, nullptr),
        db, "prepare orders");
  std::mt19937_64 rng(7);
  // Skewed: a few customers buy a lot, most a little.
  std::gamma_distribution<double> appetite(0.5, 2.0);
  std::uniform_int_distribution<std::int64_t> when(1, 730 * kDayUs);
  std::uniform_int_distribution<int> spend(500, 20000);
  std::uniform_int_distribution<int> percent(0, 99);
  std::vector<double> weight(customers);
  double total_weight = 0;
  for (auto& w : weight) total_weight += (w = appetite(rng) + 0.05);
  std::size_t written = 0;
  char ref[24];
  for (std::size_t i = 0; i < customers && written < orders; ++i) {
    std::size_t n = static_cast<std::size_t>(weight[i] / total_weight * static_cast<double>(orders) + 0.5);
    if (i + 1 == customers) n = orders - written;
    n = std::min(n, orders - written);
    for (std::size_t k = 0; k < n; ++k, ++written) {
      std::snprintf(ref, sizeof ref, "O%zu", written);
      sqlite3_bind_int64(o, 1, static_cast<sqlite3_int64>(i + 1));
      sqlite3_bind_text(o, 2, ref, -1, SQLITE_STATIC);
      sqlite3_bind_int64(o, 3, cutoff_us - when(rng));
      sqlite3_bind_text(o, 4, percent(rng) < 3 ? "cancelled" : "completed", -1, SQLITE_STATIC);
      sqlite3_bind_int64(o, 5, spend(rng));
      sqlite_check(sqlite3_step(o), db, "insert order");
      sqlite3_reset(o);
    }
  }
  sqlite3_finalize(o);
  sqlite_check(sqlite3_exec(db, "COMMIT; PRAGMA wal_checkpoint(TRUNCATE); ANALYZE", nullptr, nullptr, nullptr), db, "commit");
  sqlite3_close(db);
}

// The raw baseline: the same summaries from a GROUP BY in SQL.
std::vector<patron::clv::Summary> raw_summaries(const std::string& path, std::int64_t cutoff_us) {
  sqlite3* db = nullptr;
  sqlite_check(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), db, "open");
  sqlite3_stmt* st = nullptr;
  sqlite_check(sqlite3_prepare_v2(db,
                           "SELECT customer, placed_at / 86400000000 AS day, sum(total) FROM orders "
                           "WHERE currency = 'GBP' AND status <> 'cancelled' AND placed_at < ? "
                           "GROUP BY customer, day ORDER BY customer, day",
                           -1, &st, nullptr),
        db, "prepare");
  sqlite3_bind_int64(st, 1, cutoff_us);
  const std::int64_t cutoff_day = cutoff_us / kDayUs;
  std::vector<patron::clv::Summary> out;
  std::int64_t current = -1, first = 0, last = 0, count = 0, repeat_spend = 0;
  auto emit = [&] {
    if (current < 0) return;
    patron::clv::Summary s;
    s.frequency = static_cast<double>(count - 1);
    s.recency = static_cast<double>(last - first) / 7.0;
    s.age = static_cast<double>(cutoff_day - first) / 7.0;
    s.monetary = count > 1 ? static_cast<double>(repeat_spend) / s.frequency : 0.0;
    out.push_back(s);
  };
  while (sqlite3_step(st) == SQLITE_ROW) {
    const std::int64_t customer = sqlite3_column_int64(st, 0);
    const std::int64_t day = sqlite3_column_int64(st, 1);
    const std::int64_t spend = sqlite3_column_int64(st, 2);
    if (customer != current) {
      emit();
      current = customer;
      first = day;
      count = 0;
      repeat_spend = 0;
    } else {
      repeat_spend += spend;
    }
    last = day;
    ++count;
  }
  emit();
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

template <typename F>
double median_seconds(F&& f) {
  std::vector<double> runs;
  for (int i = 0; i < 3; ++i) {
    const auto t0 = Clock::now();
    f();
    runs.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
  }
  std::sort(runs.begin(), runs.end());
  return runs[1];
}

}  // namespace

int main() {
  const std::size_t customers = env_count("PATRON_BENCH_CUSTOMERS", 1'000'000);
  const std::size_t orders = env_count("PATRON_BENCH_ORDERS", 10'000'000);
  const auto dir = std::filesystem::temp_directory_path() / ("patron-bench-analytics-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "orders.db").string();
  const patron::Timestamp cutoff = patron::from_micros(1'795'341'600'000'000);  // 2026-11-22T10:00Z
  { auto db = patron::Database::open(path); }  // patron's schema
  std::fprintf(stderr, "filling %zu customers and %zu orders...\n", customers, orders);
  const auto t0 = Clock::now();
  fill(path, customers, orders, patron::to_micros(cutoff));
  std::fprintf(stderr, "filled in %.1f s\n", std::chrono::duration<double>(Clock::now() - t0).count());

  auto db = patron::Database::open(path);
  const patron::ModelOptions options{.currency = "GBP", .cutoff = cutoff, .unit = patron::TimeUnit::weeks};
  std::size_t patron_rows = 0, raw_rows = 0;
  double patron_check = 0, raw_check = 0;
  const double patron_s = median_seconds([&] {
    const auto rows = db.analytics().summaries(options);
    patron_rows = rows.size();
    patron_check = 0;
    for (const auto& [id, s] : rows) patron_check += s.frequency + s.recency + s.monetary;
  });
  const double raw_s = median_seconds([&] {
    const auto rows = raw_summaries(path, patron::to_micros(cutoff));
    raw_rows = rows.size();
    raw_check = 0;
    for (const auto& s : rows) raw_check += s.frequency + s.recency + s.monetary;
  });
  if (patron_rows != raw_rows || std::abs(patron_check - raw_check) > 1e-6 * std::abs(raw_check)) {
    std::fprintf(stderr, "patron and raw summaries differ: %zu vs %zu rows, checksum %.6f vs %.6f\n", patron_rows,
                 raw_rows, patron_check, raw_check);
    return 1;
  }
  std::filesystem::remove_all(dir);
  std::printf("\n| summaries from %zu orders (%zu customers) | seconds | goal |\n|---|---:|---|\n", orders, patron_rows);
  std::printf("| patron `analytics().summaries` | %.2f | < 5 |\n", patron_s);
  std::printf("| raw SQLite GROUP BY (customer, day) + the same arithmetic | %.2f | |\n", raw_s);
  std::printf("| patron / raw | %.2f× | |\n", patron_s / raw_s);
  return 0;
}
