// bench_clv: the predictive model (patron/clv.hpp) on a million customers,
// against a plain reference implementation measured in the same run.
//
// Data: N customers (PATRON_BENCH_CLV_CUSTOMERS, default 1,000,000) drawn with
// a fixed seed from the BG/NBD and Gamma-Gamma models with the CDNOW
// parameters (r = 0.2426, alpha = 4.4135 per week, a = 0.7929, b = 2.4258;
// p = 6.2488, q = 3.7446, gamma = 15.4477): each customer's first purchase
// falls on a day spread uniformly over the first 12 weeks (cohorts), then
// purchases follow the model in continuous time up to the end of a 78-week
// window; purchases on one day form one occasion (day resolution). Summaries
// are in weeks: x repeat occasions, t_x and T from the first day, mean spend
// of the repeat occasions.
//
// Measured (Google Benchmark, wall clock, one fit or pass per iteration):
//  - fit_bg_nbd/patron: patron::clv::fit_bg_nbd with default options
//    (collapsing identical summaries, L-BFGS with analytic gradients, all
//    hardware threads); fit_bg_nbd/patron_1_thread the same on one thread;
//  - fit_bg_nbd/reference: the baseline, the textbook way (as in the
//    `lifetimes` Python package): the per-customer log-likelihood of FHL 2005
//    eq. (6) with lgamma per row, no grouping, one thread, minimised over
//    log-parameters by NLopt's derivative-free Nelder-Mead, from the same
//    start, to the same relative tolerance on the log-likelihood;
//  - fit_gamma_gamma/patron;
//  - score/patron: patron::clv::score (probability alive, expected orders over
//    39 weeks, expected order value, 12-month CLV at 1% a month, next-order
//    interval) for every customer; score/per_customer_calls: the baseline,
//    probability_alive + customer_lifetime_value called per customer.
//
// A markdown summary is printed at the end. PATRON_BENCH_CLV_BASELINE=0 skips
// the (slow) reference fit. Google Benchmark flags work as usual (defaults:
// 3 repetitions, medians reported).
#include <benchmark/benchmark.h>

#include "bench_support.hpp"
#include <nlopt.h>
#include <unistd.h>  // isatty

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <unordered_set>
#include <vector>

#include "patron/clv.hpp"
#include "patron/error.hpp"

namespace {

using patron::bench::CapturingReporter;
using patron::bench::console_options;
using patron::bench::env_count;
using patron::bench::fixed;
using patron::bench::grouped;

using patron::clv::BgNbd;
using patron::clv::GammaGamma;
using patron::clv::Summary;

const BgNbd kTruth{0.242593, 4.413532, 0.792886, 2.425752, 0};
const GammaGamma kSpendTruth{6.248802, 3.744588, 15.447748, 0};
constexpr int kWindowDays = 78 * 7;
constexpr int kCohortDays = 12 * 7;
constexpr double kMonth = 4.345;  // weeks

// ---------------------------------------------------------------------------
// Configuration and output helpers

bool env_off(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr && (std::strcmp(v, "0") == 0 || std::strcmp(v, "false") == 0 || std::strcmp(v, "no") == 0);
}

std::string seconds(double s) { return fixed(s, 3) + " s"; }

// ---------------------------------------------------------------------------
// Simulated customers

std::vector<Summary> simulate(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::gamma_distribution<double> lambda_dist(kTruth.r, 1 / kTruth.alpha);  // purchases per week
  std::gamma_distribution<double> beta_a(kTruth.a, 1.0);
  std::gamma_distribution<double> beta_b(kTruth.b, 1.0);
  std::gamma_distribution<double> nu_dist(kSpendTruth.q, 1 / kSpendTruth.gamma);
  std::uniform_int_distribution<int> cohort(0, kCohortDays - 1);
  std::uniform_real_distribution<double> unit(0, 1);
  std::vector<Summary> out(n);
  for (Summary& s : out) {
    const double lambda = lambda_dist(rng) / 7;  // per day
    const double ga = beta_a(rng);
    const double p = ga / (ga + beta_b(rng));
    std::gamma_distribution<double> spend(kSpendTruth.p, 1 / nu_dist(rng));
    const int first_day = cohort(rng);
    double t = first_day + unit(rng);  // the first purchase, somewhere in its day
    int last_day = first_day;
    int occasions = 0;
    double occasion_spend = 0;
    for (;;) {
      t += -std::log1p(-unit(rng)) / lambda;
      if (!(t < kWindowDays)) break;
      const int day = static_cast<int>(t);
      if (day != last_day) {
        ++occasions;
        last_day = day;
      }
      occasion_spend += spend(rng);
      if (unit(rng) < p) break;  // drops out after this purchase
    }
    s.frequency = occasions;
    s.recency = (last_day - first_day) / 7.0;
    s.age = (kWindowDays - first_day) / 7.0;
    s.monetary = occasions > 0 ? occasion_spend / occasions : 0;
  }
  return out;
}

std::size_t distinct_rows(const std::vector<Summary>& data) {
  struct Hash {
    std::size_t operator()(const std::tuple<double, double, double>& k) const noexcept {
      const auto [x, t, T] = k;
      return std::hash<double>()(x) * 1000003u ^ std::hash<double>()(t) * 31u ^ std::hash<double>()(T);
    }
  };
  std::unordered_set<std::tuple<double, double, double>, Hash> seen;
  for (const auto& s : data) seen.emplace(s.frequency, s.recency, s.age);
  return seen.size();
}

// ---------------------------------------------------------------------------
// The reference fit: per-customer log-likelihood, Nelder-Mead.

struct Reference {
  const std::vector<Summary>* data = nullptr;
  long evaluations = 0;
};

double reference_objective(unsigned, const double* theta, double*, void* raw) {
  auto* ref = static_cast<Reference*>(raw);
  ++ref->evaluations;
  const double r = std::exp(theta[0]);
  const double alpha = std::exp(theta[1]);
  const double a = std::exp(theta[2]);
  const double b = std::exp(theta[3]);
  const double lg_r = std::lgamma(r);
  const double lg_ab = std::lgamma(a + b);
  const double lg_b = std::lgamma(b);
  const double log_alpha = std::log(alpha);
  const double log_a = std::log(a);
  double sum = 0;
  for (const Summary& s : *ref->data) {
    const double x = s.frequency;
    const double A1 = std::lgamma(r + x) - lg_r + r * log_alpha;
    const double A2 = lg_ab + std::lgamma(b + x) - lg_b - std::lgamma(a + b + x);
    const double A3 = -(r + x) * std::log(alpha + s.age);
    const double A4 = log_a - std::log(b + std::max(x, 1.0) - 1) - (r + x) * std::log(alpha + s.recency);
    const double m = x > 0 ? std::max(A3, A4) : A3;
    sum += A1 + A2 + m + std::log(std::exp(A3 - m) + (x > 0 ? std::exp(A4 - m) : 0));
  }
  return -sum / static_cast<double>(ref->data->size());
}

struct ReferenceFit {
  BgNbd model;
  long evaluations = 0;
};

ReferenceFit reference_fit(const std::vector<Summary>& data) {
  Reference ref{&data, 0};
  nlopt_opt opt = nlopt_create(NLOPT_LN_NELDERMEAD, 4);
  nlopt_set_min_objective(opt, &reference_objective, &ref);
  nlopt_set_ftol_rel(opt, 1e-10);  // patron's default tolerance
  nlopt_set_maxeval(opt, 100000);
  // The start patron uses: r = 1, alpha = sum T / sum x, a = b = 1.
  double sum_t = 0;
  double sum_x = 0;
  for (const auto& s : data) {
    sum_t += s.age;
    sum_x += s.frequency;
  }
  double theta[4] = {0, std::log(sum_t / sum_x), 0, 0};
  double f = 0;
  const nlopt_result result = nlopt_optimize(opt, theta, &f);
  nlopt_destroy(opt);
  if (result < 0) throw std::runtime_error("reference fit failed: NLopt result " + std::to_string(result));
  ReferenceFit out;
  out.model = {std::exp(theta[0]), std::exp(theta[1]), std::exp(theta[2]), std::exp(theta[3]),
               -f * static_cast<double>(data.size())};
  out.evaluations = ref.evaluations;
  return out;
}

// ---------------------------------------------------------------------------

int run(benchmark::ConsoleReporter::OutputOptions console) {
  const std::size_t n = env_count("PATRON_BENCH_CLV_CUSTOMERS", 1000000);
  const bool baseline = !env_off("PATRON_BENCH_CLV_BASELINE");
  const unsigned hw = std::max(1u, std::thread::hardware_concurrency());

  const std::vector<Summary> data = simulate(n, 20240607);
  const auto repeaters = std::count_if(data.begin(), data.end(), [](const Summary& s) { return s.frequency > 0; });
  const std::size_t rows = distinct_rows(data);
  std::fprintf(stderr, "bench_clv: %s simulated customers, %s with repeat purchases, %s distinct (x, t_x, T), %u threads\n",
               grouped(double(n)).c_str(), grouped(double(repeaters)).c_str(), grouped(double(rows)).c_str(), hw);

  // Results kept for the summary (each benchmark recomputes them).
  BgNbd fitted{};
  GammaGamma spend{};
  std::optional<ReferenceFit> reference;
  patron::clv::ScoreOptions score_options;
  score_options.horizon = 39;
  score_options.periods = 12;
  score_options.period_length = kMonth;
  score_options.discount_rate = 0.01;
  score_options.coverage = 0.8;
  double total_clv = 0;
  double total_clv_calls = 0;

  auto one_shot = [](benchmark::internal::Benchmark* b) {
    return b->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();
  };
  one_shot(benchmark::RegisterBenchmark("fit_bg_nbd/patron", [&](benchmark::State& state) {
    for (auto _ : state) fitted = patron::clv::fit_bg_nbd(data);
  }));
  one_shot(benchmark::RegisterBenchmark("fit_bg_nbd/patron_1_thread", [&](benchmark::State& state) {
    patron::clv::FitOptions o;
    o.threads = 1;
    for (auto _ : state) benchmark::DoNotOptimize(patron::clv::fit_bg_nbd(data, o));
  }));
  if (baseline) {
    one_shot(benchmark::RegisterBenchmark("fit_bg_nbd/reference", [&](benchmark::State& state) {
      for (auto _ : state) reference = reference_fit(data);
    }))->Repetitions(1);
  }
  one_shot(benchmark::RegisterBenchmark("fit_gamma_gamma/patron", [&](benchmark::State& state) {
    for (auto _ : state) spend = patron::clv::fit_gamma_gamma(data);
  }));
  one_shot(benchmark::RegisterBenchmark("score/patron", [&](benchmark::State& state) {
    const BgNbd bg = fitted.r > 0 ? fitted : kTruth;
    const GammaGamma gg = spend.p > 0 ? spend : kSpendTruth;
    for (auto _ : state) {
      const auto scores = patron::clv::score(bg, gg, data, score_options);
      total_clv = 0;
      for (const auto& s : scores) total_clv += s.lifetime_value;
    }
  }));
  one_shot(benchmark::RegisterBenchmark("score/per_customer_calls", [&](benchmark::State& state) {
    const BgNbd bg = fitted.r > 0 ? fitted : kTruth;
    const GammaGamma gg = spend.p > 0 ? spend : kSpendTruth;
    for (auto _ : state) {
      double alive = 0;
      total_clv_calls = 0;
      for (const auto& s : data) {
        alive += patron::clv::probability_alive(bg, s);
        total_clv_calls += patron::clv::customer_lifetime_value(bg, gg, s, 12, kMonth, 0.01);
      }
      benchmark::DoNotOptimize(alive);
    }
  }))->Repetitions(1);

  CapturingReporter reporter(console);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();

  // --- Summary -------------------------------------------------------------
  const double dn = static_cast<double>(n);
  auto per_million = [&](double s) { return seconds(s * 1e6 / dn); };
  std::printf("\n## Predictive model: %s simulated customers (CDNOW parameters, 78 weeks, day resolution)\n\n",
              grouped(dn).c_str());
  std::printf("%s with repeat purchases; %s distinct (x, t_x, T) rows. Wall clock, %u hardware threads; medians of "
              "the Google Benchmark repetitions (the reference fit and per-customer scoring run once).\n\n",
              grouped(double(repeaters)).c_str(), grouped(double(rows)).c_str(), hw);
  std::printf("| Task | patron | baseline | speed-up | goal |\n");
  std::printf("|---|---:|---:|---:|---|\n");
  // Median wall time per iteration, in seconds.
  auto wall = [&](const char* name) -> std::optional<double> {
    const auto t = reporter.timing(name);
    if (!t) return std::nullopt;
    return t->wall_ns / 1e9;
  };
  const auto fit = wall("fit_bg_nbd/patron");
  const auto fit1 = wall("fit_bg_nbd/patron_1_thread");
  const auto ref = wall("fit_bg_nbd/reference");
  const auto gg = wall("fit_gamma_gamma/patron");
  const auto sc = wall("score/patron");
  const auto calls = wall("score/per_customer_calls");
  auto cell = [](const std::optional<double>& s) { return s ? seconds(*s) : std::string("(not run)"); };
  auto ratio = [](const std::optional<double>& base, const std::optional<double>& ours) {
    return base && ours ? "**" + fixed(*base / *ours, 1) + "×**" : std::string("");
  };
  std::printf("| Fit BG/NBD (`fit_bg_nbd`, %u threads) | %s | %s | %s | < 0.7 s per million |\n", hw, cell(fit).c_str(),
              cell(ref).c_str(), ratio(ref, fit).c_str());
  std::printf("| Fit BG/NBD, one thread | %s | %s | %s | |\n", cell(fit1).c_str(), cell(ref).c_str(),
              ratio(ref, fit1).c_str());
  std::printf("| Fit Gamma-Gamma (`fit_gamma_gamma`, %s customers) | %s | | | |\n",
              grouped(double(repeaters)).c_str(), cell(gg).c_str());
  std::printf("| Score every customer (`score`: P(alive), 39-week orders, order value, 12-month CLV, next-order "
              "interval) | %s | %s | %s | < 0.5 s per million |\n",
              cell(sc).c_str(), cell(calls).c_str(), ratio(calls, sc).c_str());
  if (sc) std::printf("\nScoring per million customers: %s.\n", per_million(*sc).c_str());
  std::printf("\nBaselines: the fit is the per-customer log-likelihood with lgamma per row, no grouping, one thread, "
              "minimised by NLopt's derivative-free Nelder-Mead, like the `lifetimes` Python package; scoring is probability_alive + "
              "customer_lifetime_value called for each customer.\n");

  std::printf("\n| Parameters | r | alpha | a | b | log-likelihood |\n|---|---:|---:|---:|---:|---:|\n");
  std::printf("| simulated with | %.4f | %.4f | %.4f | %.4f | |\n", kTruth.r, kTruth.alpha, kTruth.a, kTruth.b);
  std::printf("| patron | %.4f | %.4f | %.4f | %.4f | %.2f |\n", fitted.r, fitted.alpha, fitted.a, fitted.b,
              fitted.log_likelihood);
  if (reference) {
    const BgNbd& m = reference->model;
    std::printf("| reference (%ld evaluations) | %.4f | %.4f | %.4f | %.4f | %.2f |\n", reference->evaluations, m.r,
                m.alpha, m.a, m.b, m.log_likelihood);
  }
  std::printf("\nGamma-Gamma: p = %.4f, q = %.4f, gamma = %.4f (simulated with %.4f, %.4f, %.4f). Total 12-month CLV: "
              "%s (score) vs %s (per-customer calls).\n",
              spend.p, spend.q, spend.gamma, kSpendTruth.p, kSpendTruth.q, kSpendTruth.gamma,
              fixed(total_clv, 2).c_str(), fixed(total_clv_calls, 2).c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return patron::bench::benchmark_main(argc, argv, "bench_clv",
                                       {"--benchmark_repetitions=3", "--benchmark_display_aggregates_only=true"}, run);
}
