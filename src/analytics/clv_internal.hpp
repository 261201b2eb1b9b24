// Internals shared by the predictive-model translation units (clv.cpp: scoring,
// clv_fit.cpp: fitting). Not part of the public API.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "patron/clv.hpp"
#include "patron/error.hpp"

namespace patron::clv::detail {

[[noreturn]] void refuse(const std::string& field, std::string_view rule);

// Field prefix for the i-th element of a span argument: "summaries[12]".
std::string element(std::string_view name, std::size_t index);

// Checks one summary; `prefix` names it in errors ("summary", "summaries[3]").
// `spend` adds the spend models' rule: monetary > 0 when frequency > 0.
// The prefix is only built when something is wrong.
template <typename Prefix>
void check_summary(const Summary& s, bool spend, const Prefix& prefix);

// The rules themselves, as a code; 0 when the summary is fine.
int summary_problem(const Summary& s, bool spend) noexcept;
[[noreturn]] void refuse_summary(const Summary& s, int problem, const std::string& prefix);

template <typename Prefix>
void check_summary(const Summary& s, bool spend, const Prefix& prefix) {
  if (const int problem = summary_problem(s, spend); problem != 0) refuse_summary(s, problem, prefix());
}

void check_model(const BgNbd& m);
void check_model(const GammaGamma& m, bool need_finite_mean);

// E[purchases in (T, T + t] | alive at T, x, T] — the part of FHL 2005
// eq. (10) that does not depend on t_x. Throws invalid_argument on `field`
// when t is so long (relative to alpha + T) that the series cannot converge.
double alive_expected_orders(const BgNbd& m, double x, double age, double t, const char* field);

// P(alive at T | x, t_x, T).
double alive_probability(const BgNbd& m, double x, double recency, double age) noexcept;

// sum over i = 1..periods of (A(L*i) - A(L*(i-1))) / (1 + d)^i with A = alive_expected_orders.
// `field` names the input blamed when periods * period_length is too long.
double discounted_alive_orders(const BgNbd& m, double x, double age, int periods, double period_length,
                               double discount_rate, const char* field);

double conditional_order_value(const GammaGamma& m, double x, double monetary) noexcept;

Interval waiting_interval(const BgNbd& m, double x, double age, double coverage) noexcept;

// Bits of a double with -0.0 folded into 0.0, for hashing equal values alike.
inline std::uint64_t bits(double v) noexcept { return std::bit_cast<std::uint64_t>(v + 0.0); }

// Open-addressing hash index: keys of W 64-bit words to dense ids
// 0, 1, 2, ... in first-seen order (so the result is deterministic).
template <std::size_t W>
class KeyIndex {
 public:
  using Key = std::array<std::uint64_t, W>;

  explicit KeyIndex(std::size_t expected = 64) {
    std::size_t cap = 64;
    while (cap < expected * 2) cap *= 2;
    slots_.assign(cap, Slot{});
    mask_ = cap - 1;
    keys_.reserve(std::min<std::size_t>(expected, 1u << 20));
  }

  // The id of `key`, added if new.
  std::uint32_t insert(const Key& key) {
    const std::uint64_t h = hash(key);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (s.id == 0) {
        keys_.push_back(key);
        s = Slot{static_cast<std::uint32_t>(keys_.size()), static_cast<std::uint32_t>(h >> 32)};
        if (keys_.size() * 2 > slots_.size()) grow();
        return static_cast<std::uint32_t>(keys_.size() - 1);
      }
      if (s.tag == static_cast<std::uint32_t>(h >> 32) && same(keys_[s.id - 1], key)) return s.id - 1;
    }
  }

  std::size_t size() const noexcept { return keys_.size(); }
  const Key& key(std::uint32_t id) const noexcept { return keys_[id]; }

 private:
  struct Slot {
    std::uint32_t id = 0;   // 1 + index into keys_; 0 = empty
    std::uint32_t tag = 0;  // high hash bits, to skip most key comparisons
  };

  static bool same(const Key& l, const Key& r) noexcept {
    bool equal = true;
    for (std::size_t i = 0; i < W; ++i) equal &= l[i] == r[i];
    return equal;
  }
  static std::uint64_t mix(std::uint64_t z) noexcept {  // splitmix64 finaliser
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  static std::uint64_t hash(const Key& key) noexcept {
    std::uint64_t h = 0x9e3779b97f4a7c15ULL;
    for (std::uint64_t w : key) h = mix(h ^ w);
    return h;
  }
  void grow() {
    std::vector<Slot> old(slots_.size() * 2);
    old.swap(slots_);
    mask_ = slots_.size() - 1;
    for (std::size_t id = 0; id < keys_.size(); ++id) {
      const std::uint64_t h = hash(keys_[id]);
      std::size_t i = h & mask_;
      while (slots_[i].id != 0) i = (i + 1) & mask_;
      slots_[i] = Slot{static_cast<std::uint32_t>(id + 1), static_cast<std::uint32_t>(h >> 32)};
    }
  }

  std::vector<Slot> slots_;
  std::vector<Key> keys_;
  std::size_t mask_ = 0;
};

// Threads to use for `work_items` independent items given the caller's wish
// (0 = hardware concurrency).
inline unsigned thread_count(unsigned wanted, std::size_t work_items) {
  unsigned n = wanted != 0 ? wanted : std::max(1u, std::thread::hardware_concurrency());
  n = std::min<unsigned>(n, 64);
  if (work_items < n) n = static_cast<unsigned>(std::max<std::size_t>(1, work_items));
  return n;
}

// Runs f(begin, end) over [0, n) split into `threads` contiguous ranges, the
// first on the calling thread. Exceptions from any range are rethrown (the
// first range's first).
template <typename F>
void parallel_ranges(std::size_t n, unsigned threads, F&& f) {
  if (threads <= 1 || n < 2) {
    f(std::size_t{0}, n);
    return;
  }
  std::vector<std::exception_ptr> errors(threads);
  std::vector<std::thread> pool;
  pool.reserve(threads - 1);
  auto range = [&](unsigned t) {
    const std::size_t begin = n * t / threads;
    const std::size_t end = n * (t + 1) / threads;
    try {
      f(begin, end);
    } catch (...) {
      errors[t] = std::current_exception();
    }
  };
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(range, t);
  range(0);
  for (auto& th : pool) th.join();
  for (auto& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

}  // namespace patron::clv::detail
