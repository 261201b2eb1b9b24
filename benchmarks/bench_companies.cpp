// bench_companies: linking a new company domain to every existing customer
// with a matching email, against raw SQLite doing the same insert in the
// same run.
//
// Setup (once): N customers (PATRON_BENCH_COMPANY_CUSTOMERS, default 100,000)
// with emails staff<i>@eu.acme.co.uk (a sub-domain: the registrable domain
// acme.co.uk matches), plus N/4 customers at other domains (gmail.com,
// example.org), all created through db.customers().create_many in batches of
// 10,000 in one file database.
//
// Measured, each three times (median), each from the same state (no links,
// WAL checkpointed):
//  - patron: db.companies().add_domain(acme, "acme.co.uk") — validation
//    (public suffix list, free mail), the domain row and one link per
//    matching customer, in one transaction;
//  - raw SQLite, same index: one INSERT ... SELECT over patron's
//    customer_email_domains (domain, customer) index, in one transaction;
//  - raw SQLite, address suffix: one INSERT ... SELECT scanning every email
//    address with LIKE '%@acme.co.uk' OR LIKE '%.acme.co.uk' (what a host
//    without a registrable-domain index would run).
// A markdown table is printed at the end.
#include <sqlite3.h>
#include <unistd.h>  // getpid

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "bench_support.hpp"
#include "patron/patron.hpp"

namespace {

using patron::bench::seconds_since;
using patron::bench::env_count;
using patron::bench::sqlite_check;

using Clock = std::chrono::steady_clock;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Runs `sql` (with ?1 = company id) in one write transaction; returns the
// seconds and the rows it changed.
std::pair<double, std::int64_t> raw_run(sqlite3* db, const char* sql, std::int64_t company) {
  const auto start = Clock::now();
  sqlite_check(sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), db, "begin");
  sqlite3_stmt* st = nullptr;
  sqlite_check(sqlite3_prepare_v2(db, sql, -1, &st, nullptr), db, "prepare");
  sqlite3_bind_int64(st, 1, company);
  sqlite_check(sqlite3_step(st), db, "step");
  sqlite3_finalize(st);
  const std::int64_t changed = sqlite3_changes(db);
  sqlite_check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db, "commit");
  return {seconds_since(start), changed};
}

void raw_exec(sqlite3* db, const std::string& sql) {
  sqlite_check(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), db, sql.c_str());
}

}  // namespace

int main() {
  const std::size_t n = env_count("PATRON_BENCH_COMPANY_CUSTOMERS", 100'000);
  const std::size_t others = n / 4;
  constexpr int kRuns = 3;
  const auto dir = std::filesystem::temp_directory_path() / ("patron-bench-companies-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "companies.db").string();

  auto db = patron::Database::open(path);
  const auto setup_start = Clock::now();
  constexpr std::size_t kBatch = 10'000;
  std::vector<patron::NewCustomer> batch;
  for (std::size_t i = 0; i < n + others; ++i) {
    patron::NewCustomer c;
    c.first_name = "Staff";
    c.last_name = std::to_string(i);
    if (i < n) {
      c.email = "staff" + std::to_string(i) + "@eu.acme.co.uk";
    } else {
      c.email = "person" + std::to_string(i) + (i % 2 == 0 ? "@gmail.com" : "@example.org");
    }
    batch.push_back(std::move(c));
    if (batch.size() == kBatch || i + 1 == n + others) {
      db.customers().create_many(batch);
      batch.clear();
    }
  }
  const double setup = seconds_since(setup_start);
  std::printf("setup: %zu customers through create_many in %.2f s\n", n + others, setup);

  const auto acme = db.companies().create({.name = "Acme"});
  const auto same_index = db.companies().create({.name = "Baseline (same index)"});
  const auto suffix = db.companies().create({.name = "Baseline (address suffix)"});

  sqlite3* raw = nullptr;
  sqlite_check(sqlite3_open(path.c_str(), &raw), raw, "open");
  raw_exec(raw, "PRAGMA busy_timeout = 5000");

  std::vector<double> patron_s, patron_remove_s, index_s, suffix_s;
  std::int64_t patron_linked = 0, index_linked = 0, suffix_linked = 0;
  // Every measured step starts from the same state: no links, the WAL
  // checkpointed (so no step pays for another's checkpoint).
  const auto settle = [&] { raw_exec(raw, "PRAGMA wal_checkpoint(TRUNCATE)"); };
  const auto drop = [&](std::int64_t company) {
    raw_exec(raw, "DELETE FROM company_links WHERE company = " + std::to_string(company));
    settle();
  };
  for (int run = 0; run < kRuns; ++run) {
    settle();
    auto start = Clock::now();
    patron_linked = db.companies().add_domain(acme.id, "acme.co.uk");
    patron_s.push_back(seconds_since(start));
    settle();
    start = Clock::now();
    db.companies().remove_domain(acme.id, "acme.co.uk");
    patron_remove_s.push_back(seconds_since(start));
    settle();

    auto [ti, ci] = raw_run(raw,
                            "INSERT INTO company_links (company, customer, source, domain, linked_at) "
                            "SELECT DISTINCT ?1, customer, 'email_domain', 'acme.co.uk', 0 "
                            "FROM customer_email_domains WHERE domain = 'acme.co.uk' ORDER BY customer "
                            "ON CONFLICT DO NOTHING",
                            same_index.id);
    index_s.push_back(ti);
    index_linked = ci;
    drop(same_index.id);

    auto [ts, cs] = raw_run(raw,
                            "INSERT INTO company_links (company, customer, source, domain, linked_at) "
                            "SELECT DISTINCT ?1, customer, 'email_domain', 'acme.co.uk', 0 "
                            "FROM customer_emails WHERE address LIKE '%@acme.co.uk' OR address LIKE '%.acme.co.uk' "
                            "ORDER BY customer ON CONFLICT DO NOTHING",
                            suffix.id);
    suffix_s.push_back(ts);
    suffix_linked = cs;
    drop(suffix.id);
  }
  sqlite3_close(raw);

  const double p = median(patron_s);
  const double b = median(index_s);
  std::printf("\n| %zu customers (%zu matching) | seconds (median of %d) | linked | vs same-index SQL |\n",
              n + others, n, kRuns);
  std::printf("|---|---:|---:|---:|\n");
  std::printf("| patron add_domain(\"acme.co.uk\") | %.3f | %lld | %.2fx |\n", p,
              static_cast<long long>(patron_linked), p / b);
  std::printf("| raw SQL INSERT...SELECT, same (domain, customer) index | %.3f | %lld | 1.00x |\n", b,
              static_cast<long long>(index_linked));
  std::printf("| raw SQL INSERT...SELECT, LIKE on addresses | %.3f | %lld | %.2fx |\n", median(suffix_s),
              static_cast<long long>(suffix_linked), median(suffix_s) / b);
  std::printf("| patron remove_domain(\"acme.co.uk\") | %.3f | %lld | |\n", median(patron_remove_s),
              static_cast<long long>(patron_linked));
  std::printf("\ngoal: add_domain under 2 s for 100,000 matching customers: %s\n", p < 2.0 ? "met" : "NOT met");

  std::filesystem::remove_all(dir);
  return p < 2.0 && patron_linked == static_cast<std::int64_t>(n) ? 0 : 1;
}
