// Small pieces the Google Benchmark programs share.
#pragma once

#include <benchmark/benchmark.h>
#include <sqlite3.h>
#include <unistd.h>  // isatty

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "patron/customer.hpp"

namespace patron::bench {

// Wall-clock seconds since `start` (steady clock): a setup step's time.
inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// A count from the environment ("1_000_000" and "1,000,000" read as 1000000),
// `fallback` when unset or empty; anything but a positive integer stops the
// program with a message.
inline std::size_t env_count(const char* name, std::size_t fallback) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return fallback;
  std::string digits;
  for (const char* p = v; *p != '\0'; ++p) {
    if (*p == '_' || *p == ',') continue;
    if (*p < '0' || *p > '9') throw std::runtime_error(std::string(name) + ": not a positive integer: " + v);
    digits += *p;
  }
  const auto n = std::stoull(digits);
  if (n == 0) throw std::runtime_error(std::string(name) + ": must be at least 1");
  return static_cast<std::size_t>(n);
}

// Stops the program when a raw SQLite call failed.
inline void sqlite_check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(db));
    std::exit(1);
  }
}

// Checkpoints a raw connection's write-ahead log into the file and
// truncates it, as patron does after an erasure.
inline void checkpoint_truncate(sqlite3* db) {
  int log = 0;
  int moved = 0;
  sqlite_check(sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_TRUNCATE, &log, &moved), db, "checkpoint");
}

// Creates `n` customers ("Guest", "Number <i>", guest<i>@example.com)
// through create_many, 10,000 a call; `each(created, first)` sees each
// call's customers and the index of the first of them.
template <typename Database, typename Each>
void create_guests(Database& db, std::size_t n, Each&& each) {
  std::vector<patron::NewCustomer> batch;
  for (std::size_t i = 0; i < n; ++i) {
    patron::NewCustomer c;
    c.first_name = "Guest";
    c.last_name = "Number " + std::to_string(i);
    c.email = "guest" + std::to_string(i) + "@example.com";
    batch.push_back(std::move(c));
    if (batch.size() == 10'000 || i + 1 == n) {
      each(db.customers().create_many(batch), i + 1 - batch.size());
      batch.clear();
    }
  }
}

// `value` with `decimals` digits after the point.
inline std::string fixed(double value, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  return buf;
}

// Colour as Google Benchmark's own console reporter would choose it
// (--benchmark_color=auto|true|false).
inline benchmark::ConsoleReporter::OutputOptions console_options(const std::vector<char*>& args) {
  std::string color = "auto";
  for (const char* a : args) {
    const std::string_view arg(a);
    if (arg.rfind("--benchmark_color=", 0) == 0) color = arg.substr(std::strlen("--benchmark_color="));
  }
  const char* term = std::getenv("TERM");
  const bool tty = isatty(fileno(stdout)) != 0 && term != nullptr && std::strcmp(term, "dumb") != 0;
  const bool use = color == "true" || color == "yes" || color == "1" || (color == "auto" && tty);
  return use ? benchmark::ConsoleReporter::OO_ColorTabular : benchmark::ConsoleReporter::OO_Tabular;
}

// The main() of a benchmark program: Google Benchmark flags with `defaults`
// first (flags given on the command line come later and win), then
// run(console options). An exception is reported as "<program>: <what>"
// with exit status 1.
template <typename Run>
int benchmark_main(int argc, char** argv, const char* program, std::vector<std::string> defaults, Run&& run) {
  std::vector<char*> args{argv[0]};
  for (auto& d : defaults) args.push_back(d.data());
  for (int i = 1; i < argc; ++i) args.push_back(argv[i]);
  const auto console = console_options(args);
  int count = static_cast<int>(args.size());
  args.push_back(nullptr);
  benchmark::Initialize(&count, args.data());
  if (benchmark::ReportUnrecognizedArguments(count, args.data())) return 1;
  try {
    return run(console);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", program, e.what());
    return 1;
  }
}

// 1234567.8 -> "1,234,568".
inline std::string grouped(double value) {
  const bool negative = value < 0;
  const std::string digits = std::to_string(static_cast<long long>((negative ? -value : value) + 0.5));
  std::string out = negative ? "-" : "";
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// Time per operation, in nanoseconds: wall clock, and CPU time of the
// measuring thread (immune to other processes taking the CPU away).
struct Timing {
  double wall_ns = 0;
  double cpu_ns = 0;
};

// Keeps the console output and remembers each benchmark's median (or, with
// one repetition, its only) time per iteration.
class CapturingReporter : public benchmark::ConsoleReporter {
 public:
  explicit CapturingReporter(OutputOptions options) : ConsoleReporter(options) {}
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& r : runs) {
      if (r.error_occurred) continue;
      const std::string& name = r.run_name.function_name;
      // Adjusted times are in the benchmark's own unit: back to nanoseconds.
      const double to_ns = 1e9 / benchmark::GetTimeUnitMultiplier(r.time_unit);
      const Timing t{r.GetAdjustedRealTime() * to_ns, r.GetAdjustedCPUTime() * to_ns};
      if (r.run_type == Run::RT_Aggregate) {
        if (r.aggregate_name == "median") medians_[name] = t;
      } else {
        singles_[name].push_back(t);
      }
    }
    ConsoleReporter::ReportRuns(runs);
  }
  std::optional<Timing> timing(const std::string& name) const {
    if (auto it = medians_.find(name); it != medians_.end()) return it->second;
    if (auto it = singles_.find(name); it != singles_.end() && !it->second.empty()) {
      std::vector<Timing> v = it->second;
      auto median = [&](auto field) {
        std::sort(v.begin(), v.end(), [&](const Timing& a, const Timing& b) { return a.*field < b.*field; });
        return v[v.size() / 2].*field;
      };
      return Timing{median(&Timing::wall_ns), median(&Timing::cpu_ns)};
    }
    return std::nullopt;
  }

 private:
  std::map<std::string, Timing> medians_;
  std::map<std::string, std::vector<Timing>> singles_;
};

}  // namespace patron::bench
