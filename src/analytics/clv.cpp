// Scoring with fitted BG/NBD and Gamma-Gamma models: probability alive,
// expected orders (FHL 2005 eq. 10), expected order value, discounted CLV and
// the next-order interval, one customer at a time or in bulk.
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "analytics/clv_internal.hpp"
#include "patron/clv.hpp"
#include "patron/error.hpp"

namespace patron::clv {
namespace detail {

void refuse(const std::string& field, std::string_view rule) {
  throw Error(Errc::invalid_argument, field + ": " + std::string(rule), field);
}

std::string element(std::string_view name, std::size_t index) {
  std::string out(name);
  out += '[';
  out += std::to_string(index);
  out += ']';
  return out;
}

namespace {

enum Problem : int {
  kFine = 0,
  kFrequencyNotFinite,
  kFrequencyNegative,
  kFrequencyNotWhole,
  kFrequencyTooLarge,
  kRecencyNotFinite,
  kRecencyNegative,
  kAgeNotFinite,
  kAgeNegative,
  kMonetaryNotFinite,
  kMonetaryNegative,
  kRecencyAfterAge,
  kRecencyWithoutRepeat,
  kRepeatWithoutRecency,
  kMonetaryNotPositive,
};

constexpr double kMaxFrequency = 1e9;

}  // namespace

int summary_problem(const Summary& s, bool spend) noexcept {
  if (!std::isfinite(s.frequency)) return kFrequencyNotFinite;
  if (s.frequency < 0) return kFrequencyNegative;
  if (std::floor(s.frequency) != s.frequency) return kFrequencyNotWhole;
  if (s.frequency > kMaxFrequency) return kFrequencyTooLarge;
  if (!std::isfinite(s.recency)) return kRecencyNotFinite;
  if (s.recency < 0) return kRecencyNegative;
  if (!std::isfinite(s.age)) return kAgeNotFinite;
  if (s.age < 0) return kAgeNegative;
  if (!std::isfinite(s.monetary)) return kMonetaryNotFinite;
  if (s.monetary < 0) return kMonetaryNegative;
  if (s.recency > s.age) return kRecencyAfterAge;
  if (s.frequency == 0 && s.recency != 0) return kRecencyWithoutRepeat;
  // A repeat occasion at the very time of the first would make the BG/NBD
  // likelihood unbounded (alpha -> 0); occasions are distinct days anyway.
  if (s.frequency > 0 && s.recency == 0) return kRepeatWithoutRecency;
  if (spend && s.frequency > 0 && s.monetary <= 0) return kMonetaryNotPositive;
  return kFine;
}

void refuse_summary(const Summary& s, int problem, const std::string& prefix) {
  switch (problem) {
    case kFrequencyNotFinite: refuse(prefix + ".frequency", "must be a finite number");
    case kFrequencyNegative: refuse(prefix + ".frequency", "must not be negative");
    case kFrequencyNotWhole: refuse(prefix + ".frequency", "must be a whole number of repeat purchase occasions");
    case kFrequencyTooLarge: refuse(prefix + ".frequency", "must be at most 1000000000");
    case kRecencyNotFinite: refuse(prefix + ".recency", "must be a finite number");
    case kRecencyNegative: refuse(prefix + ".recency", "must not be negative");
    case kAgeNotFinite: refuse(prefix + ".age", "must be a finite number");
    case kAgeNegative: refuse(prefix + ".age", "must not be negative");
    case kMonetaryNotFinite: refuse(prefix + ".monetary", "must be a finite number");
    case kMonetaryNegative: refuse(prefix + ".monetary", "must not be negative");
    case kRecencyAfterAge:
      refuse(prefix + ".recency", "must not exceed age (" + std::to_string(s.recency) + " > " +
                                      std::to_string(s.age) + ")");
    case kRecencyWithoutRepeat: refuse(prefix + ".recency", "must be 0 when frequency is 0");
    case kRepeatWithoutRecency:
      refuse(prefix + ".recency", "must be greater than 0 when frequency > 0 (repeat occasions come after the first)");
    case kMonetaryNotPositive:
      refuse(prefix + ".monetary", "must be positive when frequency > 0 (mean spend of the repeat purchases)");
    default: throw Error(Errc::internal, "unknown summary problem " + std::to_string(problem));
  }
}

namespace {

void check_parameter(double v, const char* field) {
  if (!std::isfinite(v) || !(v > 0)) refuse(field, "must be a finite number greater than 0");
}

void check_time(double v, const char* field) {
  if (!std::isfinite(v)) refuse(field, "must be a finite number");
  if (v < 0) refuse(field, "must not be negative");
}

}  // namespace

void check_model(const BgNbd& m) {
  check_parameter(m.r, "bg_nbd.r");
  check_parameter(m.alpha, "bg_nbd.alpha");
  check_parameter(m.a, "bg_nbd.a");
  check_parameter(m.b, "bg_nbd.b");
}

void check_model(const GammaGamma& m, bool need_finite_mean) {
  check_parameter(m.p, "gamma_gamma.p");
  check_parameter(m.q, "gamma_gamma.q");
  check_parameter(m.gamma, "gamma_gamma.gamma");
  if (need_finite_mean && !(m.q > 1)) {
    refuse("gamma_gamma.q", "must be greater than 1 for a finite expected order value");
  }
}

namespace {

// A horizon longer than this many (alpha + T) needs millions of series terms
// (z = t / (alpha + T + t) too close to 1); nobody needs that in practice.
constexpr double kMaxHorizonRatio = 1e5;
constexpr long kMaxTerms = 20'000'000;

// sum over n >= 1 of term_n, where term_1 = first and
// term_{n+1} = term_n (A + n)(B + n) z / ((C + n)(n + 1)) — the tail of a
// Gauss hypergeometric series 2F1(A, B; C; z) up to a constant factor.
// Preconditions (true at every call below): 0 <= z < 1, C > -1,
// gap = C + 1 - A - B > 0. Then from n* = max(0, (AB - C)/gap, -A, -B) on
// every ratio lies in [0, z], so the tail after term_n is at most
// |term_n| z / (1 - z): the sum stops when that bound is below 1e-16 of it.
double hypergeometric_tail(double A, double B, double C, double z, double first) {
  if (first == 0 || z == 0) return 0;
  const double gap = C + 1 - A - B;
  const double n_star = std::max({0.0, (A * B - C) / gap, -A, -B});
  const double tail_factor = z / (1 - z);
  double term = first;
  double sum = first;
  for (long n = 1; n < kMaxTerms; ++n) {
    const auto dn = static_cast<double>(n);
    term *= (A + dn) * (B + dn) * z / ((C + dn) * (dn + 1));
    sum += term;
    if (dn + 1 > n_star && std::abs(term) * tail_factor <= 1e-16 * std::abs(sum) + 1e-300) return sum;
  }
  throw Error(Errc::failed_precondition, "clv: hypergeometric series did not converge");
}

}  // namespace

double alive_expected_orders(const BgNbd& m, double x, double age, double t, const char* field) {
  if (t == 0) return 0;
  const double s = m.alpha + age;
  if (t > kMaxHorizonRatio * s) {
    refuse(field, "horizon too long for this customer: more than 100000 times (alpha + age)");
  }
  const double z = t / (s + t);
  const double log1mz = -std::log1p(t / s);  // log(1 - z), exact even when z is close to 1
  const double k = m.r + x;
  const double c = m.a + m.b + x - 1;
  const double eps = m.a - 1;
  double e;
  if (eps <= k) {
    // Euler's transformation: (1-z)^k 2F1(k, b+x; c; z) = (1-z)^eps 2F1(c-k, eps; c; z)
    //                                                  = (1-z)^eps (1 + eps S),
    // so E = c/eps (1 - G) = -c expm1(eps L)/eps - (1-z)^eps c S, with no
    // division by eps (a = 1 is fine) and terms that do not blow up with x.
    // c S is summed directly (first term (c-k) z), so c near 0 is fine too.
    const double A = c - k;  // a + b - 1 - r
    const double cS = hypergeometric_tail(A, eps, c, z, A * z);
    const double eL = eps * log1mz;
    const double em = eps == 0 ? log1mz : std::expm1(eL) / eps;
    e = -(c * em + std::exp(eL) * cS);
  } else {
    // a - 1 > r + x: the plain series decays; 1 - G = -expm1(kL) - (1-z)^k Σ.
    const double beta = m.b + x;
    const double tail = hypergeometric_tail(k, beta, c, z, k * beta * z / c);
    e = c / eps * (-std::expm1(k * log1mz) - std::exp(k * log1mz) * tail);
  }
  if (!std::isfinite(e)) {
    throw Error(Errc::failed_precondition, "clv: expected orders out of numerical range for these parameters");
  }
  return std::max(e, 0.0);
}

double alive_probability(const BgNbd& m, double x, double recency, double age) noexcept {
  if (x == 0) return 1;
  // 1 / (1 + a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x))
  const double d = std::log(m.a) - std::log(m.b + x - 1) + (m.r + x) * std::log1p((age - recency) / (m.alpha + recency));
  return 1 / (1 + std::exp(d));
}

double discounted_alive_orders(const BgNbd& m, double x, double age, int periods, double period_length,
                               double discount_rate, const char* field) {
  double sum = 0;
  double previous = 0;
  for (int i = 1; i <= periods; ++i) {
    const double current = alive_expected_orders(m, x, age, period_length * i, field);
    sum += (current - previous) / std::pow(1 + discount_rate, i);
    previous = current;
  }
  return sum;
}

double conditional_order_value(const GammaGamma& m, double x, double monetary) noexcept {
  if (x == 0) return m.p * m.gamma / (m.q - 1);
  return (m.gamma + x * monetary) * m.p / (m.p * x + m.q - 1);
}

Interval waiting_interval(const BgNbd& m, double x, double age, double coverage) noexcept {
  // P(W <= s) = u  <=>  s = (alpha + T) ((1 - u)^(-1/k) - 1)
  const double k = m.r + x;
  const double s = m.alpha + age;
  auto quantile = [&](double one_minus_u) { return s * std::expm1(-std::log(one_minus_u) / k); };
  return Interval{quantile((1 + coverage) / 2), quantile((1 - coverage) / 2)};
}

}  // namespace detail

using namespace detail;

namespace {

void check_coverage(double coverage, const char* field) {
  if (!std::isfinite(coverage) || !(coverage > 0 && coverage < 1)) {
    refuse(field, "must be between 0 and 1 (exclusive)");
  }
}

void check_clv_inputs(int periods, double period_length, double discount_rate, const char* periods_field,
                      const char* length_field, const char* rate_field) {
  if (periods < 0 || periods > 100'000) refuse(periods_field, "must be between 0 and 100000");
  if (!std::isfinite(period_length) || !(period_length > 0)) refuse(length_field, "must be a finite number greater than 0");
  if (!std::isfinite(discount_rate)) refuse(rate_field, "must be a finite number");
  if (discount_rate < 0) refuse(rate_field, "must not be negative");
}

auto summary_prefix = [] { return std::string("summary"); };

}  // namespace

double probability_alive(const BgNbd& model, const Summary& summary) {
  check_model(model);
  check_summary(summary, false, summary_prefix);
  return alive_probability(model, summary.frequency, summary.recency, summary.age);
}

double expected_orders(const BgNbd& model, const Summary& summary, double t) {
  check_model(model);
  check_summary(summary, false, summary_prefix);
  check_time(t, "t");
  const double alive = alive_probability(model, summary.frequency, summary.recency, summary.age);
  return alive_expected_orders(model, summary.frequency, summary.age, t, "t") * alive;
}

double expected_order_value(const GammaGamma& model, const Summary& summary) {
  check_model(model, true);
  check_summary(summary, true, summary_prefix);
  return conditional_order_value(model, summary.frequency, summary.monetary);
}

double customer_lifetime_value(const BgNbd& bg_nbd, const GammaGamma& gamma_gamma, const Summary& summary,
                               int periods, double period_length, double discount_rate) {
  check_model(bg_nbd);
  check_model(gamma_gamma, true);
  check_summary(summary, true, summary_prefix);
  check_clv_inputs(periods, period_length, discount_rate, "periods", "period_length", "discount_rate");
  const double value = conditional_order_value(gamma_gamma, summary.frequency, summary.monetary);
  const double alive = alive_probability(bg_nbd, summary.frequency, summary.recency, summary.age);
  const double orders =
      discounted_alive_orders(bg_nbd, summary.frequency, summary.age, periods, period_length, discount_rate, "periods");
  return value * alive * orders;
}

Interval next_order_interval(const BgNbd& model, const Summary& summary, double coverage) {
  check_model(model);
  check_summary(summary, false, summary_prefix);
  check_coverage(coverage, "coverage");
  return waiting_interval(model, summary.frequency, summary.age, coverage);
}

std::vector<Score> score(const BgNbd& bg_nbd, const GammaGamma& gamma_gamma, std::span<const Summary> summaries,
                         const ScoreOptions& options) {
  check_model(bg_nbd);
  check_model(gamma_gamma, true);
  check_time(options.horizon, "options.horizon");
  check_clv_inputs(options.periods, options.period_length, options.discount_rate, "options.periods",
                   "options.period_length", "options.discount_rate");
  check_coverage(options.coverage, "options.coverage");

  // Validate, and give every customer the id of its (frequency, age) pair:
  // the horizon-dependent terms depend on nothing else.
  const std::size_t n = summaries.size();
  std::vector<std::uint32_t> pair(n);
  KeyIndex<2> pairs(std::min<std::size_t>(n, 1u << 16));
  for (std::size_t i = 0; i < n; ++i) {
    const Summary& s = summaries[i];
    check_summary(s, true, [i] { return element("summaries", i); });
    pair[i] = pairs.insert({bits(s.frequency), bits(s.age)});
  }

  struct PairTerms {
    double orders = 0;      // alive_expected_orders over the horizon
    double discounted = 0;  // discounted_alive_orders over the periods
    Interval next;
  };
  std::vector<PairTerms> terms(pairs.size());
  parallel_ranges(terms.size(), thread_count(options.threads, terms.size() / 8), [&](std::size_t b, std::size_t e) {
    for (std::size_t k = b; k < e; ++k) {
      const auto& key = pairs.key(static_cast<std::uint32_t>(k));
      const double x = std::bit_cast<double>(key[0]);
      const double age = std::bit_cast<double>(key[1]);
      terms[k].orders = alive_expected_orders(bg_nbd, x, age, options.horizon, "options.horizon");
      terms[k].discounted =
          discounted_alive_orders(bg_nbd, x, age, options.periods, options.period_length, options.discount_rate,
                                  "options.periods");
      terms[k].next = waiting_interval(bg_nbd, x, age, options.coverage);
    }
  });

  std::vector<Score> out(n);
  parallel_ranges(n, thread_count(options.threads, n / 65536), [&](std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i) {
      const Summary& s = summaries[i];
      const PairTerms& t = terms[pair[i]];
      Score& o = out[i];
      o.probability_alive = alive_probability(bg_nbd, s.frequency, s.recency, s.age);
      o.expected_orders = t.orders * o.probability_alive;
      o.expected_order_value = conditional_order_value(gamma_gamma, s.frequency, s.monetary);
      o.lifetime_value = o.expected_order_value * o.probability_alive * t.discounted;
      o.next_order = t.next;
    }
  });
  return out;
}

}  // namespace patron::clv
