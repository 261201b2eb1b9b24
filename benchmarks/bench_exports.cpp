// bench_exports: exporting customers to JSON Lines and CSV against a raw
// SQLite read of the same rows written out as text, in the same run.
//
// PATRON_BENCH_EXPORT_CUSTOMERS (default 1,000,000) synthetic customers,
// seeded (name, email, a valid UK mobile, an address, two tags), made with
// create_many in batches of 1,000 (not timed). Then, each from a warm file:
//  1. the baseline: one SQLite statement reading every live customer's
//     columns with its emails, phones and addresses (json_group_array
//     subqueries, by the same indexes), each row's text written to a file;
//  2. Exports::customers to JSON Lines, all fields;
//  3. Exports::customers to CSV, all fields (numbered columns).
// Wall time and customers per second; the goal is 100,000 a second.
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "bench_support.hpp"
#include "patron/patron.hpp"

namespace {

using patron::bench::env_count;
using patron::bench::fixed;
using patron::bench::grouped;
using patron::bench::sqlite_check;
using Clock = std::chrono::steady_clock;

const char* kFirst[] = {"Oliver", "George", "Amelia", "Isla", "Noah", "Ava", "Leo", "Mia", "Jack", "Freya"};
const char* kLast[] = {"Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel"};
const char* kCity[] = {"London", "Leeds", "York", "Bristol", "Bath", "Leicester", "Norwich", "Exeter"};

template <typename F>
double seconds(F&& f) {
  const auto start = Clock::now();
  f();
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// The baseline: the same rows through one raw statement, each written as a
// line of its columns' text.
std::size_t raw_export(const std::string& db_path, const std::string& out_path) {
  sqlite3* db = nullptr;
  sqlite_check(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), db, "open");
  const char* sql =
      "SELECT c.id, c.number, c.title, c.first_name, c.last_name, c.date_of_birth, c.lifecycle_stage, c.tags, "
      "c.status, c.created_at, c.updated_at, "
      "(SELECT json_group_array(json_object('address', address, 'primary', is_primary)) FROM customer_emails e "
      " WHERE e.customer = c.seq), "
      "(SELECT json_group_array(json_object('number', number, 'label', label, 'verified', verified)) "
      " FROM customer_phones p WHERE p.customer = c.seq), "
      "(SELECT json_group_array(json_object('purpose', purpose, 'line1', line1, 'line2', line2, 'city', city, "
      " 'region', region, 'postal_code', postal_code, 'country', country, 'is_default', is_default)) "
      " FROM customer_addresses a WHERE a.customer = c.seq) "
      "FROM customers c WHERE c.merged_into IS NULL ORDER BY c.seq";
  sqlite3_stmt* st = nullptr;
  sqlite_check(sqlite3_prepare_v2(db, sql, -1, &st, nullptr), db, "prepare");
  std::FILE* out = std::fopen(out_path.c_str(), "wb");
  std::size_t rows = 0;
  int rc = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    const int columns = sqlite3_column_count(st);
    for (int i = 0; i < columns; ++i) {
      const auto* text = sqlite3_column_text(st, i);
      if (i > 0) std::fputc('\t', out);
      if (text != nullptr) std::fwrite(text, 1, static_cast<std::size_t>(sqlite3_column_bytes(st, i)), out);
    }
    std::fputc('\n', out);
    ++rows;
  }
  sqlite_check(rc, db, "step");
  std::fclose(out);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return rows;
}

}  // namespace

int main() {
  try {
    const std::size_t n = env_count("PATRON_BENCH_EXPORT_CUSTOMERS", 1'000'000);
    const auto dir = std::filesystem::temp_directory_path() / ("patron-bench-exports-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    const std::string path = (dir / "crm.db").string();
    patron::Options options;
    options.default_region = "GB";
    {
      auto db = patron::Database::open(path, options);
      std::mt19937_64 rng(42);
      std::vector<patron::NewCustomer> batch;
      for (std::size_t i = 0; i < n; ++i) {
        patron::NewCustomer c;
        c.first_name = kFirst[rng() % std::size(kFirst)];
        c.last_name = kLast[rng() % std::size(kLast)];
        c.email = "guest" + std::to_string(i) + "@example.com";
        char phone[32];
        std::snprintf(phone, sizeof phone, "07400 %06zu", i % 1000000);
        c.phone = phone;
        c.tags = {"guest", i % 2 == 0 ? "even" : "odd"};
        patron::Address a;
        a.line1 = std::to_string(1 + rng() % 200) + " " + kLast[rng() % std::size(kLast)] + " Road";
        a.city = kCity[rng() % std::size(kCity)];
        a.postal_code = "LS1 1AA";
        a.country = "GB";
        c.addresses.push_back(std::move(a));
        batch.push_back(std::move(c));
        if (batch.size() == 1000 || i + 1 == n) {
          db.customers().create_many(batch);
          batch.clear();
        }
      }
    }
    std::size_t raw_rows = 0;
    raw_export(path, (dir / "warm.txt").string());  // the file in the page cache for everyone
    const double raw_s = seconds([&] { raw_rows = raw_export(path, (dir / "raw.txt").string()); });
    if (raw_rows != n) throw std::runtime_error("the baseline read " + std::to_string(raw_rows));
    auto db = patron::Database::open(path, options);
    patron::ExportReport jsonl, csv;
    const double jsonl_s = seconds([&] { jsonl = db.exports().customers((dir / "all.jsonl").string()); });
    const double csv_s = seconds([&] { csv = db.exports().customers((dir / "all.csv").string()); });
    if (jsonl.customers != n || csv.customers != n) throw std::runtime_error("an export missed customers");
    const auto mib = [](std::uint64_t bytes) { return fixed(static_cast<double>(bytes) / (1024.0 * 1024.0), 0); };
    const double raw_rate = static_cast<double>(n) / raw_s;
    std::printf("\n| %s customers | wall | customers/s | vs raw SQLite | file | goal |\n|---|---:|---:|---:|---:|---|\n",
                grouped(static_cast<double>(n)).c_str());
    std::printf("| raw SQLite: one statement, the rows' text written out | %s s | %s | 1.00× | %s MiB | |\n",
                fixed(raw_s, 1).c_str(), grouped(raw_rate).c_str(),
                mib(std::filesystem::file_size(dir / "raw.txt")).c_str());
    for (const auto& [name, s, r] : {std::tuple{"`exports().customers`, JSON Lines", jsonl_s, jsonl},
                                     std::tuple{"`exports().customers`, CSV", csv_s, csv}}) {
      const double rate = static_cast<double>(n) / s;
      std::printf("| %s | %s s | %s | %s× | %s MiB | ≥ 100,000/s |\n", name, fixed(s, 1).c_str(), grouped(rate).c_str(),
                  fixed(rate / raw_rate, 2).c_str(), mib(r.bytes).c_str());
    }
    std::filesystem::remove_all(dir);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_exports: %s\n", e.what());
    return 1;
  }
}
