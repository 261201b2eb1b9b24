// bench_imports: importing customers from a CSV file against create_many on
// the same records already in memory, in the same run.
//
// PATRON_BENCH_IMPORT_CUSTOMERS (default 1,000,000) synthetic customers,
// seeded: first and last name, a unique email, a valid UK mobile (written
// as a till types it, "07400 123456"), an address (street, city, postcode).
// glibc's heap trimming is off for the whole run (see main). In this order,
// each into a new file:
//  1. the CSV is written (not timed);
//  2. Imports::customers of the file (duplicates off, batches of 1,000),
//     wall time and the process's peak memory so far (nothing else is in
//     memory yet: the peak is the import's);
//  3. the same with the duplicate check on (duplicates "list") for the
//     first PATRON_BENCH_IMPORT_DUPLICATE_CUSTOMERS (100,000) rows, against
//     step 2's rate on the same rows;
//  4. the same records as NewCustomer values in memory, then create_many in
//     batches of 1,000, wall time (the goal: an import at 0.8 of its rate).
#include <malloc.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "bench_support.hpp"
#include "patron/patron.hpp"

namespace {

using patron::bench::env_count;
using patron::bench::fixed;
using patron::bench::grouped;
using Clock = std::chrono::steady_clock;

const char* kFirst[] = {"Oliver", "George", "Amelia", "Isla", "Noah", "Ava", "Leo", "Mia", "Jack", "Freya",
                        "Harry", "Lily", "Oscar", "Grace", "Arthur", "Sophia", "Theo", "Ella", "Finley", "Evie"};
const char* kLast[] = {"Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel",
                       "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall"};
const char* kCity[] = {"London", "Leeds", "York", "Bristol", "Bath", "Leicester", "Norwich", "Exeter"};

struct Person {
  std::string first, last, email, phone, street, city, postcode;
};

Person person(std::size_t i, std::mt19937_64& rng) {
  Person p;
  p.first = kFirst[rng() % std::size(kFirst)];
  p.last = kLast[rng() % std::size(kLast)];
  if (rng() % 3 == 0) p.last += "-" + std::string(kLast[rng() % std::size(kLast)]);
  p.email = "guest" + std::to_string(i) + "@example.com";
  char phone[32];
  std::snprintf(phone, sizeof phone, "07400 %06zu", i % 1000000);
  p.phone = phone;
  p.street = std::to_string(1 + rng() % 200) + " " + kLast[rng() % std::size(kLast)] + " Road";
  p.city = kCity[rng() % std::size(kCity)];
  char postcode[16];
  std::snprintf(postcode, sizeof postcode, "LS%u %u%c%c", static_cast<unsigned>(1 + rng() % 28),
                static_cast<unsigned>(rng() % 10), static_cast<char>('A' + rng() % 26),
                static_cast<char>('A' + rng() % 26));
  p.postcode = postcode;
  return p;
}

double peak_mib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;  // Linux: KiB
}

template <typename F>
double seconds(F&& f) {
  const auto start = Clock::now();
  f();
  return std::chrono::duration<double>(Clock::now() - start).count();
}

void write_csv(const std::string& path, std::size_t n) {
  std::ofstream out(path);
  out << "First Name,Last Name,Email,Mobile,Street,City,Postcode\n";
  std::mt19937_64 rng(42);
  for (std::size_t i = 0; i < n; ++i) {
    const Person p = person(i, rng);
    out << p.first << ',' << p.last << ',' << p.email << ',' << p.phone << ',' << p.street << ',' << p.city << ','
        << p.postcode << '\n';
  }
}

patron::Options options() {
  patron::Options o;
  o.default_region = "GB";
  return o;
}

}  // namespace

int main() {
  // glibc gives the top of the heap back to the kernel whenever 128 KiB are
  // free there. create_many runs with a heap its 1,000,000 records keep
  // large, so it never does; the import starts from a small heap and would
  // (SQLite's CHECK (x IN (...)) lists open and close a small table per
  // insert): trimming off for both, so the two compare patron's own work.
  mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
  mallopt(M_TOP_PAD, 16 * 1024 * 1024);
  try {
    const std::size_t n = env_count("PATRON_BENCH_IMPORT_CUSTOMERS", 1'000'000);
    const std::size_t n_dup = std::min(n, env_count("PATRON_BENCH_IMPORT_DUPLICATE_CUSTOMERS", 100'000));
    const auto dir = std::filesystem::temp_directory_path() / ("patron-bench-imports-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    const std::string csv = (dir / "guests.csv").string();
    const std::string csv_dup = (dir / "guests-dup.csv").string();
    write_csv(csv, n);
    write_csv(csv_dup, n_dup);
    const double file_mib = static_cast<double>(std::filesystem::file_size(csv)) / (1024.0 * 1024.0);

    patron::ImportOptions off;
    off.duplicates = patron::DuplicateCheck::off;
    patron::ImportReport report;
    const double import_s = seconds([&] {
      auto db = patron::Database::open((dir / "import.db").string(), options());
      report = db.imports().customers(csv, off);
    });
    const double import_peak = peak_mib();
    if (report.created != n) throw std::runtime_error("the import created " + std::to_string(report.created));

    double off_small_s = 0, list_s = 0;
    {
      auto db = patron::Database::open((dir / "small-off.db").string(), options());
      off_small_s = seconds([&] { db.imports().customers(csv_dup, off); });
    }
    {
      auto db = patron::Database::open((dir / "small-list.db").string(), options());
      list_s = seconds([&] { db.imports().customers(csv_dup); });
    }

    std::vector<patron::NewCustomer> requests;
    requests.reserve(n);
    {
      std::mt19937_64 rng(42);
      for (std::size_t i = 0; i < n; ++i) {
        const Person p = person(i, rng);
        patron::NewCustomer c;
        c.first_name = p.first;
        c.last_name = p.last;
        c.email = p.email;
        c.phone = p.phone;
        patron::Address a;
        a.line1 = p.street;
        a.city = p.city;
        a.postal_code = p.postcode;
        a.country = "GB";
        c.addresses.push_back(std::move(a));
        requests.push_back(std::move(c));
      }
    }
    double create_s = 0;
    {
      auto db = patron::Database::open((dir / "create.db").string(), options());
      create_s = seconds([&] {
        for (std::size_t at = 0; at < n; at += 1000) {
          const std::vector<patron::NewCustomer> batch(
              requests.begin() + static_cast<std::ptrdiff_t>(at),
              requests.begin() + static_cast<std::ptrdiff_t>(std::min(n, at + 1000)));
          db.customers().create_many(batch);
        }
      });
    }
    std::filesystem::remove_all(dir);

    const double import_rate = static_cast<double>(n) / import_s;
    const double create_rate = static_cast<double>(n) / create_s;
    std::printf("\n| %s customers (%s MiB of CSV) | wall | customers/s | vs create_many | peak memory | goal |\n",
                grouped(static_cast<double>(n)).c_str(), fixed(file_mib, 0).c_str());
    std::printf("|---|---:|---:|---:|---:|---|\n");
    std::printf("| `imports().customers`, CSV, duplicates off | %s s | %s | **%s×** | %s MiB | ≥ 0.8×, < 256 MiB |\n",
                fixed(import_s, 1).c_str(), grouped(import_rate).c_str(), fixed(import_rate / create_rate, 2).c_str(),
                fixed(import_peak, 0).c_str());
    std::printf("| `create_many` (batches of 1,000), the same records in memory | %s s | %s | 1.00× | | |\n",
                fixed(create_s, 1).c_str(), grouped(create_rate).c_str());
    std::printf("\n| first %s rows | wall | customers/s | vs duplicates off |\n|---|---:|---:|---:|\n",
                grouped(static_cast<double>(n_dup)).c_str());
    std::printf("| import, duplicates off | %s s | %s | 1.00× |\n", fixed(off_small_s, 1).c_str(),
                grouped(static_cast<double>(n_dup) / off_small_s).c_str());
    std::printf("| import, duplicate check on (\"list\") | %s s | %s | %s× |\n", fixed(list_s, 1).c_str(),
                grouped(static_cast<double>(n_dup) / list_s).c_str(), fixed(off_small_s / list_s, 2).c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_imports: %s\n", e.what());
    return 1;
  }
}
