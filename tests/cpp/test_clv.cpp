// The predictive model (patron/clv.hpp): the published CDNOW fits and
// per-customer figures, the hypergeometric expectation against Boost.Math,
// the next-order interval, bulk scoring, every validation rule, fit failures
// and determinism.
#include <patron/clv.hpp>

#include <algorithm>
// Boost 1.74's hypergeometric_pFq.hpp uses lgamma and expm1 without including them.
#include <boost/math/special_functions/expm1.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/special_functions/hypergeometric_pFq.hpp>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <fstream>
#include <limits>
#include <ostream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "fixture.hpp"

namespace patron::clv {
// Printers so failed assertions show values.
std::ostream& operator<<(std::ostream& os, const BgNbd& m) {
  return os << "{r=" << m.r << " alpha=" << m.alpha << " a=" << m.a << " b=" << m.b << " LL=" << m.log_likelihood
            << "}";
}
std::ostream& operator<<(std::ostream& os, const GammaGamma& m) {
  return os << "{p=" << m.p << " q=" << m.q << " gamma=" << m.gamma << " LL=" << m.log_likelihood << "}";
}
std::ostream& operator<<(std::ostream& os, const Interval& i) { return os << "[" << i.low << ", " << i.high << "]"; }
}  // namespace patron::clv

using namespace patron;
using namespace patron::clv;
using patron::testing::expect_error;

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
}  // namespace

namespace {

// ---------------------------------------------------------------------------
// CDNOW sample (tests/data/cdnow, see its README.md)

struct CdnowRow {
  int id = 0;
  Summary summary;
};

std::vector<CdnowRow> load_cdnow() {
  const std::string path = std::string(PATRON_TEST_DATA_DIR) + "/cdnow/summary.csv";
  std::ifstream in(path);
  BOOST_REQUIRE_MESSAGE(in, "cannot open " << path);
  std::string line;
  auto next = [&] {
    if (!std::getline(in, line)) return false;
    if (!line.empty() && line.back() == '\r') line.pop_back();  // the file has CRLF line ends
    return true;
  };
  next();
  BOOST_REQUIRE_EQUAL(line, "ID,x,t_x,T,zbar");
  std::vector<CdnowRow> rows;
  while (next()) {
    if (line.empty()) continue;
    std::stringstream ss(line);
    std::string cell;
    std::vector<double> v;
    while (std::getline(ss, cell, ',')) v.push_back(std::stod(cell));
    BOOST_REQUIRE_EQUAL(v.size(), 5u);
    rows.push_back({static_cast<int>(v[0]), Summary{v[1], v[2], v[3], v[4]}});
  }
  return rows;
}

const std::vector<CdnowRow>& cdnow() {
  static const std::vector<CdnowRow> rows = load_cdnow();
  return rows;
}

std::vector<Summary> cdnow_summaries() {
  std::vector<Summary> out;
  for (const auto& r : cdnow()) out.push_back(r.summary);
  return out;
}

// The published maximum-likelihood fits (README of the data folder).
const BgNbd kCdnowBg{0.242593, 4.413532, 0.792886, 2.425752, 0};
const GammaGamma kCdnowGg{6.248802, 3.744588, 15.447748, 0};

struct ReferenceRow {
  int id;
  double p_alive, expected_orders_39, expected_order_value, clv_12_months;
};
const ReferenceRow kReference[] = {
    {1, 0.726609, 1.225910, 24.658616, 36.278496},     {2, 0.212227, 0.203251, 18.911480, 4.637466},
    {3, 1.000000, 0.194781, 35.171002, 8.344093},      {18, 0.310915, 0.297764, 17.674697, 6.349622},
    {42, 1.000000, 0.195965, 35.171002, 8.393664},     {100, 0.646988, 0.626795, 28.951652, 21.886299},
    {1516, 0.968920, 20.750570, 39.890277, 972.125563}, {2357, 1.000000, 0.258978, 35.171002, 11.017136},
};

constexpr double kMonth = 4.345;  // weeks

bool within(double value, double expected, double relative) {
  return std::abs(value - expected) <= relative * std::abs(expected);
}

#define CHECK_WITHIN(value, expected, relative)                                                       \
  BOOST_TEST(within((value), (expected), (relative)), #value << " = " << (value) << ", expected "     \
                                                              << (expected) << " within " << (relative))

// ---------------------------------------------------------------------------
// Simulated BG/NBD customers (exact, continuous time)

std::vector<Summary> simulate(const BgNbd& m, const GammaGamma& g, std::size_t n, double min_age, double max_age,
                              std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::gamma_distribution<double> lambda_dist(m.r, 1 / m.alpha);
  std::gamma_distribution<double> pa(m.a, 1.0);
  std::gamma_distribution<double> pb(m.b, 1.0);
  std::gamma_distribution<double> nu_dist(g.q, 1 / g.gamma);
  std::uniform_real_distribution<double> age_dist(min_age, max_age);
  std::uniform_real_distribution<double> unit(0, 1);
  std::vector<Summary> out(n);
  for (auto& s : out) {
    const double lambda = lambda_dist(rng);
    const double ga = pa(rng);
    const double p = ga / (ga + pb(rng));
    const double nu = nu_dist(rng);
    std::gamma_distribution<double> spend(g.p, 1 / nu);
    s.age = std::round(age_dist(rng) * 100) / 100;
    double t = 0;
    double total = 0;
    for (;;) {
      t += -std::log1p(-unit(rng)) / lambda;
      if (t > s.age) break;
      s.frequency += 1;
      s.recency = t;
      total += spend(rng);
      if (unit(rng) < p) break;
    }
    s.recency = std::round(s.recency * 100) / 100;
    if (s.frequency > 0) {
      s.recency = std::clamp(s.recency, 0.01, s.age);
      s.monetary = total / s.frequency;
    }
  }
  return out;
}

// FHL 2005 eq. (10) written out with Boost.Math's generic pFq.
double reference_expected_orders(const BgNbd& m, const Summary& s, double t) {
  const double x = s.frequency;
  const double z = t / (m.alpha + s.age + t);
  const double f = boost::math::hypergeometric_pFq({m.r + x, m.b + x}, {m.a + m.b + x - 1}, z);
  const double numerator =
      (m.a + m.b + x - 1) / (m.a - 1) * (1 - std::pow((m.alpha + s.age) / (m.alpha + s.age + t), m.r + x) * f);
  const double denominator =
      1 + (x > 0 ? m.a / (m.b + x - 1) * std::pow((m.alpha + s.age) / (m.alpha + s.recency), m.r + x) : 0);
  return numerator / denominator;
}

}  // namespace

// ===========================================================================
BOOST_AUTO_TEST_SUITE(cdnow_reference)

BOOST_AUTO_TEST_CASE(data_file_is_the_published_sample) {
  BOOST_TEST(cdnow().size() == 2357u);
  const auto repeaters = std::count_if(cdnow().begin(), cdnow().end(), [](const CdnowRow& r) {
    return r.summary.frequency > 0;
  });
  BOOST_TEST(repeaters == 946);
}

BOOST_AUTO_TEST_CASE(bg_nbd_fit_matches_the_paper) {
  const auto summaries = cdnow_summaries();
  const BgNbd m = fit_bg_nbd(summaries);
  BOOST_TEST_MESSAGE("BG/NBD r=" << m.r << " alpha=" << m.alpha << " a=" << m.a << " b=" << m.b
                                 << " LL=" << m.log_likelihood);
  // The figures, within 0.5%.
  CHECK_WITHIN(m.r, 0.2426, 0.005);
  CHECK_WITHIN(m.alpha, 4.4135, 0.005);
  CHECK_WITHIN(m.a, 0.7929, 0.005);
  CHECK_WITHIN(m.b, 2.4258, 0.005);
  BOOST_TEST(std::abs(m.log_likelihood - -9582.4) <= 0.1);
  // And the six-digit maximum-likelihood values, to 1e-5.
  CHECK_WITHIN(m.r, kCdnowBg.r, 1e-5);
  CHECK_WITHIN(m.alpha, kCdnowBg.alpha, 1e-5);
  CHECK_WITHIN(m.a, kCdnowBg.a, 1e-5);
  CHECK_WITHIN(m.b, kCdnowBg.b, 1e-5);
  BOOST_TEST(std::abs(m.log_likelihood - -9582.43) <= 0.01);
}

BOOST_AUTO_TEST_CASE(gamma_gamma_fit_matches_the_reference) {
  const GammaGamma g = fit_gamma_gamma(cdnow_summaries());
  BOOST_TEST_MESSAGE("Gamma-Gamma p=" << g.p << " q=" << g.q << " gamma=" << g.gamma << " LL=" << g.log_likelihood);
  CHECK_WITHIN(g.p, 6.2488, 0.005);
  CHECK_WITHIN(g.q, 3.7446, 0.005);
  CHECK_WITHIN(g.gamma, 15.4477, 0.005);
  CHECK_WITHIN(g.p, kCdnowGg.p, 1e-5);
  CHECK_WITHIN(g.q, kCdnowGg.q, 1e-5);
  CHECK_WITHIN(g.gamma, kCdnowGg.gamma, 1e-5);
  BOOST_TEST(g.log_likelihood < 0);
}

BOOST_AUTO_TEST_CASE(gamma_gamma_ignores_customers_without_repeat_orders) {
  auto all = cdnow_summaries();
  std::vector<Summary> repeaters;
  std::copy_if(all.begin(), all.end(), std::back_inserter(repeaters), [](const Summary& s) { return s.frequency > 0; });
  BOOST_TEST(repeaters.size() == 946u);
  BOOST_TEST(fit_gamma_gamma(all) == fit_gamma_gamma(repeaters));
}

void check_reference_rows(const BgNbd& bg, const GammaGamma& gg, double tolerance) {
  std::map<int, Summary> by_id;
  for (const auto& r : cdnow()) by_id[r.id] = r.summary;
  for (const auto& ref : kReference) {
    BOOST_TEST_CONTEXT("customer " << ref.id) {
      const Summary& s = by_id.at(ref.id);
      CHECK_WITHIN(probability_alive(bg, s), ref.p_alive, tolerance);
      CHECK_WITHIN(expected_orders(bg, s, 39), ref.expected_orders_39, tolerance);
      CHECK_WITHIN(expected_order_value(gg, s), ref.expected_order_value, tolerance);
      CHECK_WITHIN(customer_lifetime_value(bg, gg, s, 12, kMonth, 0.01), ref.clv_12_months, tolerance);
    }
  }
}

BOOST_AUTO_TEST_CASE(per_customer_figures_under_the_published_fit) {
  // The README's figures are rounded to 6 decimals (and its parameters too).
  check_reference_rows(kCdnowBg, kCdnowGg, 1e-5);
}

BOOST_AUTO_TEST_CASE(per_customer_figures_under_our_fit) {
  const auto summaries = cdnow_summaries();
  check_reference_rows(fit_bg_nbd(summaries), fit_gamma_gamma(summaries), 0.005);
}

BOOST_AUTO_TEST_CASE(sums_over_every_customer) {
  const auto summaries = cdnow_summaries();
  const BgNbd bg = fit_bg_nbd(summaries);
  const GammaGamma gg = fit_gamma_gamma(summaries);
  for (const auto& [b, g, tolerance] : {std::tuple{kCdnowBg, kCdnowGg, 1e-6}, std::tuple{bg, gg, 0.005}}) {
    double orders = 0;
    double clv = 0;
    for (const auto& s : summaries) {
      orders += expected_orders(b, s, 39);
      clv += customer_lifetime_value(b, g, s, 12, kMonth, 0.01);
    }
    CHECK_WITHIN(orders, 1653.4233, tolerance);
    CHECK_WITHIN(clv, 71509.8993, tolerance);
  }
}

BOOST_AUTO_TEST_SUITE_END()

// ===========================================================================
BOOST_AUTO_TEST_SUITE(expectations)

BOOST_AUTO_TEST_CASE(expected_orders_match_boost_hypergeometric) {
  // Both internal forms (Euler-transformed when a - 1 <= r + x, plain
  // otherwise), small and large x, z up to 0.9.
  const BgNbd models[] = {
      kCdnowBg,
      {0.5, 10, 0.3, 5, 0},
      {1.2, 2, 1.5, 0.8, 0},
      {2.0, 30, 4.0, 12, 0},   // a - 1 > r + x for x <= 0
      {0.3, 7, 9.0, 40, 0},    // a - 1 > r + x for x <= 7
      {5.0, 1, 0.05, 0.2, 0},
  };
  const Summary customers[] = {
      {0, 0, 38.86, 0}, {1, 1.71, 38.86, 0}, {2, 30.43, 38.86, 0}, {5, 20, 25, 0}, {26, 30.86, 31, 0}, {0, 0, 0, 0},
  };
  for (const auto& m : models) {
    for (const auto& s : customers) {
      for (double t : {0.5, 4.345, 39.0, 150.0}) {
        if (t / (m.alpha + s.age + t) > 0.9) continue;
        BOOST_TEST_CONTEXT("r=" << m.r << " alpha=" << m.alpha << " a=" << m.a << " b=" << m.b << " x="
                                << s.frequency << " T=" << s.age << " t=" << t) {
          CHECK_WITHIN(expected_orders(m, s, t), reference_expected_orders(m, s, t), 1e-9);
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(expected_orders_is_continuous_at_a_equal_one) {
  // The textbook form divides by a - 1; ours does not.
  const Summary s{3, 20, 30, 0};
  const BgNbd at{0.4, 5, 1.0, 3, 0};
  const BgNbd below{0.4, 5, 1.0 - 1e-7, 3, 0};
  const BgNbd above{0.4, 5, 1.0 + 1e-7, 3, 0};
  const double e = expected_orders(at, s, 52);
  BOOST_TEST(std::isfinite(e));
  BOOST_TEST(e > 0);
  CHECK_WITHIN(expected_orders(below, s, 52), e, 1e-6);
  CHECK_WITHIN(expected_orders(above, s, 52), e, 1e-6);
}

BOOST_AUTO_TEST_CASE(expected_orders_far_horizon_tends_to_the_expected_lifetime_count) {
  // For a > 1 and a long horizon, E[Y(t) | alive] -> E[1/p] = (a+b+x-1)/(a-1),
  // with z = 1 - 1e-5: millions of series terms, in both internal forms.
  for (const BgNbd& m : {BgNbd{2.0, 3, 3, 4, 0}, BgNbd{1.5, 3, 3, 4, 0}}) {
    const Summary s{0, 0, 10, 0};
    const double t = 99999 * (m.alpha + s.age);
    CHECK_WITHIN(expected_orders(m, s, t), (m.a + m.b - 1) / (m.a - 1), 1e-6);
  }
}

BOOST_AUTO_TEST_CASE(expected_orders_basic_properties) {
  const Summary s{2, 30.43, 38.86, 22.35};
  BOOST_TEST(expected_orders(kCdnowBg, s, 0) == 0.0);
  double previous = 0;
  for (double t = 1; t < 2000; t *= 1.7) {
    const double e = expected_orders(kCdnowBg, s, t);
    BOOST_TEST(e > previous);
    previous = e;
  }
  // For a small horizon it is the posterior purchase rate times t, times P(alive).
  const double rate = (kCdnowBg.r + s.frequency) / (kCdnowBg.alpha + s.age);
  CHECK_WITHIN(expected_orders(kCdnowBg, s, 1e-6), rate * 1e-6 * probability_alive(kCdnowBg, s), 1e-5);
}

BOOST_AUTO_TEST_CASE(probability_alive_properties) {
  BOOST_TEST(probability_alive(kCdnowBg, Summary{0, 0, 38.86, 0}) == 1.0);
  BOOST_TEST(probability_alive(kCdnowBg, Summary{0, 0, 0, 0}) == 1.0);
  // Bought at the very end: almost surely alive; long silence: less so.
  const double recent = probability_alive(kCdnowBg, Summary{5, 38, 38, 0});
  const double silent = probability_alive(kCdnowBg, Summary{5, 2, 38, 0});
  // t_x = T: only the chance of having dropped out right after the last purchase.
  CHECK_WITHIN(recent, 1 / (1 + kCdnowBg.a / (kCdnowBg.b + 4)), 1e-15);
  BOOST_TEST(silent < recent);
  BOOST_TEST(probability_alive(kCdnowBg, Summary{500, 1, 1e6, 0}) >= 0.0);
}

BOOST_AUTO_TEST_CASE(expected_order_value_is_a_weighted_mean) {
  const GammaGamma& g = kCdnowGg;
  const double population = g.p * g.gamma / (g.q - 1);
  CHECK_WITHIN(expected_order_value(g, Summary{0, 0, 10, 0}), population, 1e-15);
  const double v = expected_order_value(g, Summary{3, 5, 10, 100});
  BOOST_TEST(v > population);
  BOOST_TEST(v < 100);
  const double weight = g.p * 3 / (g.p * 3 + g.q - 1);
  CHECK_WITHIN(v, (1 - weight) * population + weight * 100, 1e-12);
}

BOOST_AUTO_TEST_CASE(lifetime_value_definition) {
  const Summary s{2, 30.43, 38.86, 22.35};
  BOOST_TEST(customer_lifetime_value(kCdnowBg, kCdnowGg, s, 0, kMonth, 0.01) == 0.0);
  // Undiscounted, the sum telescopes to value x E[N(periods * length)].
  CHECK_WITHIN(customer_lifetime_value(kCdnowBg, kCdnowGg, s, 12, kMonth, 0),
               expected_order_value(kCdnowGg, s) * expected_orders(kCdnowBg, s, 12 * kMonth), 1e-12);
  // Written out.
  double expected = 0;
  for (int i = 1; i <= 12; ++i) {
    expected += expected_order_value(kCdnowGg, s) *
                (expected_orders(kCdnowBg, s, kMonth * i) - expected_orders(kCdnowBg, s, kMonth * (i - 1))) /
                std::pow(1.01, i);
  }
  CHECK_WITHIN(customer_lifetime_value(kCdnowBg, kCdnowGg, s, 12, kMonth, 0.01), expected, 1e-12);
  BOOST_TEST(customer_lifetime_value(kCdnowBg, kCdnowGg, s, 12, kMonth, 0.05) <
             customer_lifetime_value(kCdnowBg, kCdnowGg, s, 12, kMonth, 0.01));
}

BOOST_AUTO_TEST_SUITE_END()

// ===========================================================================
BOOST_AUTO_TEST_SUITE(next_order)

BOOST_AUTO_TEST_CASE(closed_form_at_a_point) {
  const Summary s{2, 30.43, 38.86, 22.35};
  const double k = kCdnowBg.r + 2;
  const double scale = kCdnowBg.alpha + 38.86;
  const Interval i = next_order_interval(kCdnowBg, s, 0.8);
  // P(W > s) = (scale / (scale + s))^k: 0.9 at the low end, 0.1 at the high end.
  CHECK_WITHIN(std::pow(scale / (scale + i.low), k), 0.9, 1e-12);
  CHECK_WITHIN(std::pow(scale / (scale + i.high), k), 0.1, 1e-12);
  CHECK_WITHIN(i.low, scale * (std::pow(0.9, -1 / k) - 1), 1e-12);
  CHECK_WITHIN(i.high, scale * (std::pow(0.1, -1 / k) - 1), 1e-12);
  // The default coverage is 80%.
  BOOST_TEST(next_order_interval(kCdnowBg, s) == i);
}

BOOST_AUTO_TEST_CASE(wider_coverage_gives_a_wider_nested_interval) {
  for (const Summary& s : {Summary{0, 0, 38.86, 0}, Summary{26, 30.86, 31, 40}, Summary{1, 1.71, 38.86, 11}}) {
    Interval previous{0, 0};
    bool first = true;
    for (double c : {0.1, 0.5, 0.8, 0.9, 0.99}) {
      const Interval i = next_order_interval(kCdnowBg, s, c);
      BOOST_TEST(i.low >= 0.0);
      BOOST_TEST(i.low < i.high);
      if (!first) {
        BOOST_TEST(i.low < previous.low);
        BOOST_TEST(i.high > previous.high);
      }
      previous = i;
      first = false;
    }
  }
}

BOOST_AUTO_TEST_CASE(frequent_buyers_come_back_sooner) {
  const Interval frequent = next_order_interval(kCdnowBg, Summary{26, 30.86, 31, 40});
  const Interval rare = next_order_interval(kCdnowBg, Summary{1, 30.86, 31, 40});
  BOOST_TEST(frequent.high < rare.high);
  BOOST_TEST(frequent.low < rare.low);
}

BOOST_AUTO_TEST_SUITE_END()

// ===========================================================================
BOOST_AUTO_TEST_SUITE(bulk_scoring)

BOOST_AUTO_TEST_CASE(score_equals_the_single_customer_functions) {
  const auto summaries = cdnow_summaries();
  ScoreOptions o;
  o.horizon = 39;
  o.periods = 12;
  o.period_length = kMonth;
  o.discount_rate = 0.01;
  o.coverage = 0.9;
  const auto scores = score(kCdnowBg, kCdnowGg, summaries, o);
  BOOST_REQUIRE_EQUAL(scores.size(), summaries.size());
  double orders = 0;
  double clv = 0;
  for (std::size_t i = 0; i < summaries.size(); ++i) {
    const Summary& s = summaries[i];
    const Score& c = scores[i];
    BOOST_TEST_CONTEXT("customer " << i + 1) {
      BOOST_TEST(c.probability_alive == probability_alive(kCdnowBg, s));
      BOOST_TEST(c.expected_orders == expected_orders(kCdnowBg, s, 39));
      BOOST_TEST(c.expected_order_value == expected_order_value(kCdnowGg, s));
      BOOST_TEST(c.lifetime_value == customer_lifetime_value(kCdnowBg, kCdnowGg, s, 12, kMonth, 0.01));
      BOOST_TEST(c.next_order == next_order_interval(kCdnowBg, s, 0.9));
    }
    orders += c.expected_orders;
    clv += c.lifetime_value;
  }
  CHECK_WITHIN(orders, 1653.4233, 1e-6);
  CHECK_WITHIN(clv, 71509.8993, 1e-6);
  for (unsigned threads : {1u, 2u, 3u, 8u}) {
    o.threads = threads;
    BOOST_TEST((score(kCdnowBg, kCdnowGg, summaries, o) == scores), "threads " << threads);
  }
}

BOOST_AUTO_TEST_CASE(score_of_nothing_is_nothing) {
  BOOST_TEST(score(kCdnowBg, kCdnowGg, {}, ScoreOptions{}).empty());
}

BOOST_AUTO_TEST_SUITE_END()

// ===========================================================================
BOOST_AUTO_TEST_SUITE(fitting)

BOOST_AUTO_TEST_CASE(fits_are_deterministic_whatever_the_thread_count) {
  const auto summaries = cdnow_summaries();
  const BgNbd once = fit_bg_nbd(summaries);
  BOOST_TEST(fit_bg_nbd(summaries) == once);
  const GammaGamma g = fit_gamma_gamma(summaries);
  BOOST_TEST(fit_gamma_gamma(summaries) == g);
  // Enough distinct rows for several blocks, so the thread count matters.
  const auto many = simulate(kCdnowBg, kCdnowGg, 40000, 20, 52, 7);
  FitOptions o;
  o.threads = 1;
  const BgNbd one = fit_bg_nbd(many, o);
  const GammaGamma gone = fit_gamma_gamma(many, o);
  for (unsigned threads : {2u, 3u, 7u}) {
    o.threads = threads;
    BOOST_TEST((fit_bg_nbd(many, o) == one), "threads " << threads);
    BOOST_TEST((fit_gamma_gamma(many, o) == gone), "threads " << threads);
  }
}

BOOST_AUTO_TEST_CASE(input_order_does_not_matter) {
  auto summaries = cdnow_summaries();
  const BgNbd m = fit_bg_nbd(summaries);
  const GammaGamma g = fit_gamma_gamma(summaries);
  std::mt19937 rng(42);
  std::shuffle(summaries.begin(), summaries.end(), rng);
  // BG/NBD works on distinct rows in a canonical order: bit-identical.
  BOOST_TEST(fit_bg_nbd(summaries) == m);
  // Gamma-Gamma sums customers in input order: equal to rounding.
  const GammaGamma shuffled = fit_gamma_gamma(summaries);
  CHECK_WITHIN(shuffled.p, g.p, 1e-7);
  CHECK_WITHIN(shuffled.q, g.q, 1e-7);
  CHECK_WITHIN(shuffled.gamma, g.gamma, 1e-7);
  CHECK_WITHIN(shuffled.log_likelihood, g.log_likelihood, 1e-12);
}

BOOST_AUTO_TEST_CASE(duplicated_customers_give_the_same_parameters) {
  // Fitting works on weighted distinct rows; doubling every customer doubles
  // the weights and the log-likelihood, not the estimates.
  auto summaries = cdnow_summaries();
  const BgNbd m = fit_bg_nbd(summaries);
  const GammaGamma g = fit_gamma_gamma(summaries);
  const auto copy = summaries;
  summaries.insert(summaries.end(), copy.begin(), copy.end());
  const BgNbd m2 = fit_bg_nbd(summaries);
  const GammaGamma g2 = fit_gamma_gamma(summaries);
  CHECK_WITHIN(m2.r, m.r, 1e-6);
  CHECK_WITHIN(m2.alpha, m.alpha, 1e-6);
  CHECK_WITHIN(m2.a, m.a, 1e-6);
  CHECK_WITHIN(m2.b, m.b, 1e-6);
  CHECK_WITHIN(m2.log_likelihood, 2 * m.log_likelihood, 1e-10);
  CHECK_WITHIN(g2.p, g.p, 1e-6);
  CHECK_WITHIN(g2.q, g.q, 1e-6);
  CHECK_WITHIN(g2.gamma, g.gamma, 1e-6);
  CHECK_WITHIN(g2.log_likelihood, 2 * g.log_likelihood, 1e-10);
}

BOOST_AUTO_TEST_CASE(the_time_unit_only_rescales_alpha) {
  auto days = cdnow_summaries();
  for (auto& s : days) {
    s.recency *= 7;
    s.age *= 7;
  }
  const BgNbd w = fit_bg_nbd(cdnow_summaries());
  const BgNbd d = fit_bg_nbd(days);
  CHECK_WITHIN(d.r, w.r, 1e-5);
  CHECK_WITHIN(d.alpha, 7 * w.alpha, 1e-5);
  CHECK_WITHIN(d.a, w.a, 1e-5);
  CHECK_WITHIN(d.b, w.b, 1e-5);
}

BOOST_AUTO_TEST_CASE(recovers_simulated_parameters) {
  // 100,000 customers drawn from known models, several regimes.
  const std::tuple<BgNbd, GammaGamma> truths[] = {
      {kCdnowBg, kCdnowGg},
      {{1.5, 20, 2.5, 6, 0}, {3, 8, 40, 0}},
      {{0.8, 3, 0.4, 0.9, 0}, {12, 5, 100, 0}},
  };
  std::uint64_t seed = 1;
  for (const auto& [truth, gtruth] : truths) {
    const auto data = simulate(truth, gtruth, 100000, 26, 78, seed++);
    const BgNbd m = fit_bg_nbd(data);
    const GammaGamma g = fit_gamma_gamma(data);
    BOOST_TEST_MESSAGE("truth r=" << truth.r << " alpha=" << truth.alpha << " a=" << truth.a << " b=" << truth.b
                                  << "; fit r=" << m.r << " alpha=" << m.alpha << " a=" << m.a << " b=" << m.b
                                  << "; gg truth p=" << gtruth.p << " q=" << gtruth.q << " gamma=" << gtruth.gamma
                                  << "; fit p=" << g.p << " q=" << g.q << " gamma=" << g.gamma);
    // Ratios the data pin down well: mean purchase rate, mean drop-out, mean spend.
    CHECK_WITHIN(m.r / m.alpha, truth.r / truth.alpha, 0.05);
    CHECK_WITHIN(m.a / (m.a + m.b), truth.a / (truth.a + truth.b), 0.1);
    CHECK_WITHIN(g.p * g.gamma / (g.q - 1), gtruth.p * gtruth.gamma / (gtruth.q - 1), 0.05);
    CHECK_WITHIN(m.r, truth.r, 0.1);
    CHECK_WITHIN(g.p, gtruth.p, 0.1);
  }
}

BOOST_AUTO_TEST_CASE(a_fit_that_cannot_converge_says_so) {
  // Nobody came back: no repeat purchases at all.
  const std::vector<Summary> none{{0, 0, 10, 0}, {0, 0, 20, 0}};
  expect_error([&] { fit_bg_nbd(none); }, Errc::failed_precondition, "", "repeat purchase");
  expect_error([&] { fit_gamma_gamma(none); }, Errc::failed_precondition, "", "at least 2");
  expect_error([&] { fit_gamma_gamma(std::vector<Summary>{{1, 1, 2, 5}}); }, Errc::failed_precondition, "",
               "at least 2");
  // Everyone bought at a steady pace right up to the cut-off: nobody ever
  // drops out, so a runs off to 0 (or b to infinity).
  std::vector<Summary> loyal;
  for (int i = 1; i <= 50; ++i) loyal.push_back({static_cast<double>(i), 40, 40, 10});
  expect_error([&] { fit_bg_nbd(loyal); }, Errc::failed_precondition, "", "did not converge");
  // Every spend identical: no spread between customers, q runs off.
  std::vector<Summary> same;
  for (int i = 1; i <= 50; ++i) same.push_back({static_cast<double>(1 + i % 4), 10, 40, 10});
  expect_error([&] { fit_gamma_gamma(same); }, Errc::failed_precondition, "", "did not converge");
  // Too few evaluations allowed.
  FitOptions few;
  few.max_evaluations = 10;
  expect_error([&] { fit_bg_nbd(cdnow_summaries(), few); }, Errc::failed_precondition, "", "did not converge");
}

BOOST_AUTO_TEST_SUITE_END()

// ===========================================================================
BOOST_AUTO_TEST_SUITE(validation)

struct BadSummary {
  Summary summary;
  const char* field;    // after the prefix
  const char* message;  // part of the message
  bool spend_only;      // only the spend models (Gamma-Gamma, CLV) refuse it
};

const BadSummary kBad[] = {
    {{kNaN, 0, 1, 0}, "frequency", "finite", false},
    {{kInf, 0, 1, 0}, "frequency", "finite", false},
    {{-1, 0, 1, 0}, "frequency", "negative", false},
    {{1.5, 0.5, 1, 3}, "frequency", "whole number", false},
    {{2e9, 0.5, 1, 3}, "frequency", "at most", false},
    {{1, kNaN, 1, 3}, "recency", "finite", false},
    {{1, -0.5, 1, 3}, "recency", "negative", false},
    {{1, 0.5, -kInf, 3}, "age", "finite", false},
    {{0, 0, -1, 0}, "age", "negative", false},
    {{1, 0.5, 1, kNaN}, "monetary", "finite", false},
    {{0, 0, 1, -2}, "monetary", "negative", false},
    {{1, 2, 1, 3}, "recency", "must not exceed age", false},
    {{0, 0.5, 1, 0}, "recency", "must be 0 when frequency is 0", false},
    {{2, 0, 1, 3}, "recency", "greater than 0 when frequency > 0", false},
    {{1, 0.5, 1, 0}, "monetary", "positive when frequency > 0", true},
};

BOOST_AUTO_TEST_CASE(single_customer_functions_name_the_field) {
  const Summary good{1, 0.5, 1, 3};
  for (const auto& bad : kBad) {
    BOOST_TEST_CONTEXT("summary." << bad.field << " " << bad.message) {
      const std::string field = std::string("summary.") + bad.field;
      const Summary& s = bad.summary;
      if (bad.spend_only) {
        BOOST_TEST(probability_alive(kCdnowBg, s) > 0);
        BOOST_TEST(expected_orders(kCdnowBg, s, 10) > 0);
        BOOST_TEST(next_order_interval(kCdnowBg, s).high > 0);
      } else {
        expect_error([&] { probability_alive(kCdnowBg, s); }, Errc::invalid_argument, field, bad.message);
        expect_error([&] { expected_orders(kCdnowBg, s, 10); }, Errc::invalid_argument, field, bad.message);
        expect_error([&] { next_order_interval(kCdnowBg, s); }, Errc::invalid_argument, field, bad.message);
      }
      expect_error([&] { expected_order_value(kCdnowGg, s); }, Errc::invalid_argument, field, bad.message);
      expect_error([&] { customer_lifetime_value(kCdnowBg, kCdnowGg, s, 12, kMonth, 0.01); },
                   Errc::invalid_argument, field, bad.message);
    }
    BOOST_TEST(probability_alive(kCdnowBg, good) > 0);
  }
}

BOOST_AUTO_TEST_CASE(bulk_functions_name_the_element) {
  auto summaries = cdnow_summaries();
  ScoreOptions o;
  o.horizon = 39;
  o.periods = 12;
  o.period_length = kMonth;
  for (const auto& bad : kBad) {
    BOOST_TEST_CONTEXT(bad.field << " " << bad.message) {
      auto data = summaries;
      data[12] = bad.summary;
      const std::string field = std::string("summaries[12].") + bad.field;
      if (bad.spend_only) {
        BOOST_TEST(fit_bg_nbd(data).r > 0);
      } else {
        expect_error([&] { fit_bg_nbd(data); }, Errc::invalid_argument, field, bad.message);
      }
      expect_error([&] { fit_gamma_gamma(data); }, Errc::invalid_argument, field, bad.message);
      expect_error([&] { score(kCdnowBg, kCdnowGg, data, o); }, Errc::invalid_argument, field, bad.message);
    }
  }
  // The first bad element is the one named.
  summaries[7].age = -1;
  summaries[3].frequency = -1;
  expect_error([&] { fit_bg_nbd(summaries); }, Errc::invalid_argument, "summaries[3].frequency");
}

BOOST_AUTO_TEST_CASE(empty_input) {
  expect_error([] { fit_bg_nbd({}); }, Errc::invalid_argument, "summaries", "must not be empty");
  expect_error([] { fit_gamma_gamma({}); }, Errc::invalid_argument, "summaries", "must not be empty");
}

BOOST_AUTO_TEST_CASE(model_parameters) {
  const Summary s{2, 30.43, 38.86, 22.35};
  const char* names[] = {"bg_nbd.r", "bg_nbd.alpha", "bg_nbd.a", "bg_nbd.b"};
  for (int i = 0; i < 4; ++i) {
    for (double v : {0.0, -1.0, kNaN, kInf}) {
      BgNbd m = kCdnowBg;
      double* fields[] = {&m.r, &m.alpha, &m.a, &m.b};
      *fields[i] = v;
      expect_error([&] { probability_alive(m, s); }, Errc::invalid_argument, names[i], "greater than 0");
      expect_error([&] { expected_orders(m, s, 1); }, Errc::invalid_argument, names[i]);
      expect_error([&] { next_order_interval(m, s); }, Errc::invalid_argument, names[i]);
      expect_error([&] { customer_lifetime_value(m, kCdnowGg, s, 1, 1, 0); }, Errc::invalid_argument, names[i]);
      expect_error([&] { score(m, kCdnowGg, std::vector<Summary>{s}, ScoreOptions{}); }, Errc::invalid_argument,
                   names[i]);
    }
  }
  const char* gnames[] = {"gamma_gamma.p", "gamma_gamma.q", "gamma_gamma.gamma"};
  for (int i = 0; i < 3; ++i) {
    GammaGamma g = kCdnowGg;
    double* fields[] = {&g.p, &g.q, &g.gamma};
    *fields[i] = -1;
    expect_error([&] { expected_order_value(g, s); }, Errc::invalid_argument, gnames[i], "greater than 0");
    expect_error([&] { customer_lifetime_value(kCdnowBg, g, s, 1, 1, 0); }, Errc::invalid_argument, gnames[i]);
  }
  GammaGamma heavy = kCdnowGg;
  heavy.q = 1;
  expect_error([&] { expected_order_value(heavy, s); }, Errc::invalid_argument, "gamma_gamma.q", "greater than 1");
}

BOOST_AUTO_TEST_CASE(horizons_periods_and_coverage) {
  const Summary s{2, 30.43, 38.86, 22.35};
  expect_error([&] { expected_orders(kCdnowBg, s, -1); }, Errc::invalid_argument, "t", "negative");
  expect_error([&] { expected_orders(kCdnowBg, s, kNaN); }, Errc::invalid_argument, "t", "finite");
  expect_error([&] { expected_orders(kCdnowBg, s, 2e5 * (kCdnowBg.alpha + s.age)); }, Errc::invalid_argument, "t",
               "too long");
  expect_error([&] { customer_lifetime_value(kCdnowBg, kCdnowGg, s, -1, kMonth, 0); }, Errc::invalid_argument,
               "periods", "between 0 and 100000");
  expect_error([&] { customer_lifetime_value(kCdnowBg, kCdnowGg, s, 100001, kMonth, 0); }, Errc::invalid_argument,
               "periods");
  expect_error([&] { customer_lifetime_value(kCdnowBg, kCdnowGg, s, 100000, 1e6, 0); }, Errc::invalid_argument,
               "periods", "too long");
  expect_error([&] { customer_lifetime_value(kCdnowBg, kCdnowGg, s, 12, 0, 0); }, Errc::invalid_argument,
               "period_length", "greater than 0");
  expect_error([&] { customer_lifetime_value(kCdnowBg, kCdnowGg, s, 12, kInf, 0); }, Errc::invalid_argument,
               "period_length");
  expect_error([&] { customer_lifetime_value(kCdnowBg, kCdnowGg, s, 12, kMonth, -0.01); }, Errc::invalid_argument,
               "discount_rate", "negative");
  expect_error([&] { customer_lifetime_value(kCdnowBg, kCdnowGg, s, 12, kMonth, kNaN); }, Errc::invalid_argument,
               "discount_rate", "finite");
  for (double c : {0.0, 1.0, -0.5, 1.5, kNaN}) {
    expect_error([&] { next_order_interval(kCdnowBg, s, c); }, Errc::invalid_argument, "coverage", "between 0 and 1");
  }

  const std::vector<Summary> one{s};
  auto with = [&](auto change) {
    ScoreOptions o;
    o.horizon = 39;
    o.periods = 12;
    o.period_length = kMonth;
    change(o);
    return o;
  };
  expect_error([&] { score(kCdnowBg, kCdnowGg, one, with([](ScoreOptions& o) { o.horizon = -1; })); },
               Errc::invalid_argument, "options.horizon", "negative");
  expect_error([&] { score(kCdnowBg, kCdnowGg, one, with([](ScoreOptions& o) { o.horizon = 1e9; })); },
               Errc::invalid_argument, "options.horizon", "too long");
  expect_error([&] { score(kCdnowBg, kCdnowGg, one, with([](ScoreOptions& o) { o.periods = -1; })); },
               Errc::invalid_argument, "options.periods");
  expect_error([&] { score(kCdnowBg, kCdnowGg, one, with([](ScoreOptions& o) { o.period_length = 0; })); },
               Errc::invalid_argument, "options.period_length");
  expect_error([&] { score(kCdnowBg, kCdnowGg, one, with([](ScoreOptions& o) { o.discount_rate = -1; })); },
               Errc::invalid_argument, "options.discount_rate");
  expect_error([&] { score(kCdnowBg, kCdnowGg, one, with([](ScoreOptions& o) { o.coverage = 1; })); },
               Errc::invalid_argument, "options.coverage");
}

BOOST_AUTO_TEST_CASE(fit_options) {
  const auto summaries = cdnow_summaries();
  FitOptions o;
  o.tolerance = 0;
  expect_error([&] { fit_bg_nbd(summaries, o); }, Errc::invalid_argument, "options.tolerance");
  o.tolerance = kNaN;
  expect_error([&] { fit_gamma_gamma(summaries, o); }, Errc::invalid_argument, "options.tolerance");
  o = FitOptions{};
  o.max_evaluations = 0;
  expect_error([&] { fit_bg_nbd(summaries, o); }, Errc::invalid_argument, "options.max_evaluations");
}

BOOST_AUTO_TEST_SUITE_END()
