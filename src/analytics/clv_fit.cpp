// Maximum-likelihood fits of BG/NBD (Fader, Hardie & Lee 2005, eq. 6) and
// Gamma-Gamma (Fader & Hardie 2013) with NLopt's L-BFGS, analytic gradients,
// on log-parameters.
//
// BG/NBD, per customer (B = beta function):
//   LL = ln Γ(r+x) - ln Γ(r) + r ln α + ln B(a, b+x) - ln B(a, b)
//        + ln[ (α+T)^-(r+x) + [x>0] a/(b+x-1) (α+t_x)^-(r+x) ]
// The first line depends on x only and is computed once per distinct x; the
// logarithms of α+T and α+t_x once per distinct T and t_x; customers with the
// same (x, t_x, T) are one weighted row, in ascending (x, T, t_x) order
// whatever the input order; x = 0 rows reduce to one term per T. What is left
// per distinct row with x > 0 is one exp and one log (the log-sum-exp of the
// bracket).
//
// Gamma-Gamma, per customer with x > 0 and mean repeat spend m:
//   LL = ln Γ(px+q) - ln Γ(px) - ln Γ(q) + q ln γ + (px-1) ln m + px ln x - (px+q) ln(xm+γ)
// The gamma functions are grouped by x; per customer two logs.
//
// Sums run over fixed blocks of rows whose partial sums are added in block
// order, so the result does not depend on the number of threads (nor, for
// BG/NBD, on the order of the input).
#include <nlopt.h>

#include <array>
#include <boost/math/policies/error_handling.hpp>
#include <boost/math/policies/policy.hpp>
#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/gamma.hpp>  // lgamma, tgamma_delta_ratio
#include <cmath>
#include <cstdint>
#include <exception>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>

#include "analytics/clv_internal.hpp"
#include "patron/clv.hpp"
#include "patron/error.hpp"

namespace patron::clv {
namespace {

using namespace detail;

// Plain double arithmetic for the special functions (no long double promotion),
// errors as exceptions (never met: every argument is positive and finite).
using Policy = boost::math::policies::policy<boost::math::policies::promote_double<false>>;
double lgamma(double v) { return boost::math::lgamma(v, Policy()); }
double digamma(double v) { return boost::math::digamma(v, Policy()); }

constexpr double kLogBound = 23.0;  // parameters stay within [1e-10, 1e10]
constexpr std::size_t kBlock = 4096;

template <std::size_t N>
using Vec = std::array<double, N>;

void check_options(const FitOptions& o) {
  if (!std::isfinite(o.tolerance) || !(o.tolerance > 0 && o.tolerance < 1)) {
    refuse("options.tolerance", "must be between 0 and 1 (exclusive)");
  }
  if (o.max_evaluations < 10) refuse("options.max_evaluations", "must be at least 10");
}

// ---------------------------------------------------------------------------
// NLopt driver

struct NloptDeleter {
  void operator()(nlopt_opt_s* o) const noexcept { nlopt_destroy(o); }
};

template <std::size_t N>
struct Problem {
  // Mean negative log-likelihood and its gradient with respect to the
  // log-parameters.
  virtual double objective(const Vec<N>& theta, Vec<N>& gradient) = 0;
  virtual ~Problem() = default;
};

template <std::size_t N>
struct Callback {
  Problem<N>* problem;
  nlopt_opt_s* opt;
  std::exception_ptr error;
  int evaluations = 0;
};

template <std::size_t N>
double nlopt_objective(unsigned n, const double* x, double* grad, void* data) {
  auto* cb = static_cast<Callback<N>*>(data);
  ++cb->evaluations;
  try {
    Vec<N> theta{};
    Vec<N> g{};
    for (unsigned i = 0; i < n; ++i) theta[i] = x[i];
    const double f = cb->problem->objective(theta, g);
    if (grad != nullptr) {
      for (unsigned i = 0; i < n; ++i) grad[i] = g[i];
    }
    return std::isfinite(f) ? f : std::numeric_limits<double>::max();
  } catch (...) {
    cb->error = std::current_exception();
    nlopt_force_stop(cb->opt);
    return 0;
  }
}

std::string describe(nlopt_result r) {
  switch (r) {
    case NLOPT_FAILURE: return "the optimiser failed";
    case NLOPT_INVALID_ARGS: return "invalid optimiser arguments";
    case NLOPT_OUT_OF_MEMORY: return "out of memory";
    case NLOPT_ROUNDOFF_LIMITED: return "round-off limited the optimiser";
    case NLOPT_MAXEVAL_REACHED: return "the evaluation limit was reached";
    case NLOPT_SUCCESS:
    case NLOPT_FTOL_REACHED:
    case NLOPT_XTOL_REACHED: return "L-BFGS stopped";
    default: return "optimiser result " + std::to_string(static_cast<int>(r));
  }
}

// The Newton step -H^-1 g at theta, with the Hessian H from finite
// differences of the analytic gradient. False when H is not positive definite
// (not near a minimum).
template <std::size_t N>
bool newton_step(Problem<N>& problem, const Vec<N>& theta, const Vec<N>& g, Vec<N>& step, int& evaluations) {
  // Forward differences: the Hessian only needs a few correct digits here.
  constexpr double h = 1e-6;
  std::array<Vec<N>, N> H{};
  for (std::size_t j = 0; j < N; ++j) {
    Vec<N> up = theta;
    up[j] += h;
    Vec<N> gu{};
    problem.objective(up, gu);
    ++evaluations;
    for (std::size_t i = 0; i < N; ++i) H[i][j] = (gu[i] - g[i]) / h;
  }
  // Cholesky of the symmetrised H, then two triangular solves.
  std::array<Vec<N>, N> L{};
  for (std::size_t i = 0; i < N; ++i) {
    for (std::size_t j = 0; j <= i; ++j) {
      double sum = (H[i][j] + H[j][i]) / 2;
      for (std::size_t k = 0; k < j; ++k) sum -= L[i][k] * L[j][k];
      if (i == j) {
        if (!(sum > 0) || !std::isfinite(sum)) return false;
        L[i][i] = std::sqrt(sum);
      } else {
        L[i][j] = sum / L[j][j];
      }
    }
  }
  Vec<N> y{};
  for (std::size_t i = 0; i < N; ++i) {
    double sum = -g[i];
    for (std::size_t k = 0; k < i; ++k) sum -= L[i][k] * y[k];
    y[i] = sum / L[i][i];
  }
  for (std::size_t i = N; i-- > 0;) {
    double sum = y[i];
    for (std::size_t k = i + 1; k < N; ++k) sum -= L[k][i] * step[k];
    step[i] = sum / L[i][i];
  }
  for (double v : step) {
    if (!std::isfinite(v)) return false;
  }
  return true;
}

// Minimises `problem` over log-parameters from `theta`: L-BFGS, then Newton
// steps (finite-difference Hessian of the analytic gradient) until a Newton
// step would move no parameter by more than max(tolerance, 1e-6) relative or
// would improve f (the mean log-likelihood per customer) by less than
// `tolerance` relative — the convergence test, whatever L-BFGS reported. (Along
// a flat ridge of the likelihood the second is what rounding allows; a move
// that small is far inside the parameters' standard errors.) When Newton cannot
// proceed (H not positive definite, no descent) L-BFGS restarts from there.
// `scale` gives each parameter's natural unit (1 for shapes, the data's time
// or money scale for rates): a parameter more than a million times above or
// below it is running off to a boundary, where the log-likelihood only
// flattens out, and there is no maximum-likelihood estimate to return.
template <std::size_t N>
Vec<N> minimise(Problem<N>& problem, Vec<N> theta, const FitOptions& options, const char* model,
                const std::array<const char*, N>& names, const Vec<N>& scale) {
  constexpr double kRunOff = 6 * 2.302585092994046;  // ln 1e6
  const double step_tolerance = std::max(options.tolerance, 1e-6);
  int evaluations = 0;
  nlopt_result last = NLOPT_SUCCESS;
  std::string newton = "no Newton step";
  auto check_run_off = [&] {
    for (std::size_t i = 0; i < N; ++i) {
      if (std::abs(theta[i] - std::log(scale[i])) > kRunOff || std::abs(theta[i]) >= kLogBound - 1e-3) {
        throw Error(Errc::failed_precondition,
                    std::string(model) + ": the fit did not converge: " + names[i] + " runs off to " +
                        (theta[i] > std::log(scale[i]) ? "infinity" : "0") +
                        ", so these data determine no maximum-likelihood estimate");
      }
    }
  };
  for (int attempt = 0; attempt < 4 && evaluations < options.max_evaluations; ++attempt) {
    std::unique_ptr<nlopt_opt_s, NloptDeleter> opt(nlopt_create(NLOPT_LD_LBFGS, N));
    if (!opt) throw Error(Errc::internal, std::string(model) + ": could not create the optimiser");
    Callback<N> cb{&problem, opt.get(), nullptr, 0};
    Vec<N> lower{};
    Vec<N> upper{};
    lower.fill(-kLogBound);
    upper.fill(kLogBound);
    nlopt_set_lower_bounds(opt.get(), lower.data());
    nlopt_set_upper_bounds(opt.get(), upper.data());
    nlopt_set_min_objective(opt.get(), &nlopt_objective<N>, &cb);
    nlopt_set_ftol_rel(opt.get(), options.tolerance);
    nlopt_set_xtol_abs1(opt.get(), options.tolerance);
    nlopt_set_maxeval(opt.get(), options.max_evaluations - evaluations);
    double fmin = 0;
    last = nlopt_optimize(opt.get(), theta.data(), &fmin);
    evaluations += cb.evaluations;
    if (cb.error) std::rethrow_exception(cb.error);
    if (last == NLOPT_INVALID_ARGS || last == NLOPT_OUT_OF_MEMORY) {
      throw Error(Errc::internal, std::string(model) + ": " + describe(last));
    }
    // Newton polish (and the convergence test).
    for (int it = 0; it < 20 && evaluations < options.max_evaluations; ++it) {
      Vec<N> g{};
      const double f = problem.objective(theta, g);
      ++evaluations;
      Vec<N> step{};
      if (!newton_step(problem, theta, g, step, evaluations)) {
        newton = "the Hessian is not positive definite there (a flat ridge or a saddle)";
        break;
      }
      double largest = 0;
      double decrement = 0;  // Newton decrement squared: the predicted decrease of f is half of it
      for (std::size_t i = 0; i < N; ++i) {
        largest = std::max(largest, std::abs(step[i]));
        decrement -= g[i] * step[i];
      }
      newton = "a Newton step would still move a parameter by " + std::to_string(largest) + " (log scale)";
      if (largest <= step_tolerance || decrement <= options.tolerance * std::max(1.0, std::abs(f))) {
        check_run_off();
        return theta;
      }
      bool moved = false;
      double t = 1;
      for (int k = 0; k < 30 && !moved; ++k, t /= 2) {
        Vec<N> trial{};
        for (std::size_t i = 0; i < N; ++i) trial[i] = std::clamp(theta[i] + t * step[i], -kLogBound, kLogBound);
        Vec<N> gt{};
        const double ft = problem.objective(trial, gt);
        ++evaluations;
        if (ft < f) {
          theta = trial;
          moved = true;
        }
      }
      if (!moved) break;
    }
  }
  check_run_off();
  throw Error(Errc::failed_precondition, std::string(model) + ": the fit did not converge after " +
                                            std::to_string(evaluations) + " evaluations (" + describe(last) +
                                            "; " + newton + ")");
}

// Adds per-block partial sums in block order.
template <std::size_t N, typename F>
Vec<N> blocked_sum(std::size_t rows, unsigned threads, F&& block_sum) {
  const std::size_t blocks = (rows + kBlock - 1) / kBlock;
  std::vector<Vec<N>> partial(blocks);
  parallel_ranges(blocks, thread_count(threads, blocks), [&](std::size_t b, std::size_t e) {
    for (std::size_t k = b; k < e; ++k) partial[k] = block_sum(k * kBlock, std::min(rows, (k + 1) * kBlock));
  });
  Vec<N> total{};
  for (const auto& p : partial) {
    for (std::size_t i = 0; i < N; ++i) total[i] += p[i];
  }
  return total;
}

// ---------------------------------------------------------------------------
// BG/NBD

struct BgData {
  double customers = 0;
  double total_age = 0;
  std::vector<double> x_values;     // distinct x > 0, ascending
  std::vector<double> x_weight;     // customers with that x
  std::vector<double> ages;         // distinct T
  std::vector<double> recencies;    // distinct t_x of rows with x > 0
  std::vector<double> zero_weight;  // per distinct T: customers with x = 0
  // Distinct rows with x > 0: indexes into the tables above, and weights.
  std::vector<std::uint32_t> xi;
  std::vector<std::uint32_t> ti;
  std::vector<std::uint32_t> Ti;
  std::vector<double> w;
};

// Distinct values of one field in ascending order, and each id's rank.
struct SortedValues {
  std::vector<double> values;
  std::vector<std::uint32_t> rank;  // by first-seen id
  int bits = 0;                     // to hold any rank

  explicit SortedValues(const KeyIndex<1>& index) : values(index.size()), rank(index.size()) {
    std::vector<std::uint32_t> order(index.size());
    for (std::uint32_t id = 0; id < order.size(); ++id) order[id] = id;
    auto value = [&](std::uint32_t id) { return std::bit_cast<double>(index.key(id)[0]); };
    std::sort(order.begin(), order.end(), [&](auto l, auto r) { return value(l) < value(r); });
    for (std::uint32_t k = 0; k < order.size(); ++k) {
      rank[order[k]] = k;
      values[k] = value(order[k]);
    }
    while ((std::size_t{1} << bits) < values.size()) ++bits;
  }
};

// LSD radix sort of 64-bit codes below 2^bits.
void radix_sort(std::vector<std::uint64_t>& codes, int bits) {
  constexpr int kDigit = 11;
  std::vector<std::uint64_t> buffer(codes.size());
  for (int shift = 0; shift < bits; shift += kDigit) {
    std::vector<std::size_t> start((std::size_t{1} << kDigit) + 1, 0);
    for (std::uint64_t c : codes) ++start[((c >> shift) & ((1u << kDigit) - 1)) + 1];
    for (std::size_t d = 1; d < start.size(); ++d) start[d] += start[d - 1];
    for (std::uint64_t c : codes) buffer[start[(c >> shift) & ((1u << kDigit) - 1)]++] = c;
    codes.swap(buffer);
  }
}

// Validates the summaries and collapses them into weighted distinct rows, in
// ascending (x, T, t_x) order whatever the input order: each field's values
// get small ranks (hash tables that stay in cache), the three ranks one
// integer code per customer, and a radix sort of the codes brings equal
// summaries together.
BgData collapse(std::span<const Summary> summaries) {
  BgData d;
  const std::size_t n = summaries.size();
  KeyIndex<1> xs;
  KeyIndex<1> ages;
  KeyIndex<1> recencies;
  std::vector<std::array<std::uint32_t, 3>> ids(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Summary& s = summaries[i];
    check_summary(s, false, [i] { return element("summaries", i); });
    ids[i] = {xs.insert({bits(s.frequency)}), ages.insert({bits(s.age)}), recencies.insert({bits(s.recency)})};
  }
  d.customers = static_cast<double>(n);
  const SortedValues x(xs);
  const SortedValues T(ages);
  const SortedValues t(recencies);
  d.ages = T.values;
  d.recencies = t.values;
  d.zero_weight.assign(T.values.size(), 0);
  const bool has_zero = x.values.front() == 0;
  d.x_values.assign(x.values.begin() + (has_zero ? 1 : 0), x.values.end());
  d.x_weight.assign(d.x_values.size(), 0);
  auto add = [&](std::uint32_t xr, std::uint32_t Tr, std::uint32_t tr, double count) {
    d.total_age += count * d.ages[Tr];  // summed in canonical order, like everything else
    if (has_zero && xr == 0) {
      d.zero_weight[Tr] += count;
      return;
    }
    const std::uint32_t j = xr - (has_zero ? 1 : 0);
    d.x_weight[j] += count;
    d.xi.push_back(j);
    d.Ti.push_back(Tr);
    d.ti.push_back(tr);
    d.w.push_back(count);
  };
  if (x.bits + T.bits + t.bits <= 63) {
    std::vector<std::uint64_t> codes(n);
    const int tb = t.bits;
    const int Tb = T.bits + tb;
    for (std::size_t i = 0; i < n; ++i) {
      const auto& id = ids[i];
      codes[i] = (std::uint64_t{x.rank[id[0]]} << Tb) | (std::uint64_t{T.rank[id[1]]} << tb) | t.rank[id[2]];
    }
    std::vector<std::array<std::uint32_t, 3>>().swap(ids);
    radix_sort(codes, x.bits + Tb);
    const std::uint64_t t_mask = (std::uint64_t{1} << tb) - 1;
    const std::uint64_t T_mask = (std::uint64_t{1} << T.bits) - 1;
    for (std::size_t i = 0; i < n;) {
      std::size_t j = i + 1;
      while (j < n && codes[j] == codes[i]) ++j;
      const std::uint64_t c = codes[i];
      add(static_cast<std::uint32_t>(c >> Tb), static_cast<std::uint32_t>((c >> tb) & T_mask),
          static_cast<std::uint32_t>(c & t_mask), static_cast<double>(j - i));
      i = j;
    }
  } else {  // billions of distinct values: sort the rank triples themselves
    for (auto& id : ids) id = {x.rank[id[0]], T.rank[id[1]], t.rank[id[2]]};
    std::sort(ids.begin(), ids.end());
    for (std::size_t i = 0; i < n;) {
      std::size_t j = i + 1;
      while (j < n && ids[j] == ids[i]) ++j;
      add(ids[i][0], ids[i][1], ids[i][2], static_cast<double>(j - i));
      i = j;
    }
  }
  return d;
}

// The log-likelihood is written so that no large terms cancel (which would
// leave rounding noise in it as r, alpha, a or b grow): with
// l1(T) = log1p(T/α) and l(T) = ln(α+T) = ln α + l1(T),
//   r ln α - (r+x) ln(α+T) = -r l1(T) - x l(T),
// and for whole x the gamma-function ratios are sums over k < x:
//   ln Γ(r+x) - ln Γ(r) = Σ ln(r+k),   ln B(a,b+x) - ln B(a,b) = -Σ log1p(a/(b+k)).
class BgProblem final : public Problem<4> {
 public:
  BgProblem(const BgData& d, unsigned threads)
      : d_(d),
        threads_(threads),
        c_(d.x_values.size()),
        ib_(d.x_values.size()),
        l1T_(d.ages.size()),
        lT_(d.ages.size()),
        iT_(d.ages.size()),
        l1t_(d.recencies.size()),
        lt_(d.recencies.size()),
        it_(d.recencies.size()) {
    repeat_customers_ = d.customers;
    for (double w : d.zero_weight) repeat_customers_ -= w;
  }

  // Full log-likelihood (summed over customers) and its gradient in (r, α, a, b).
  double log_likelihood(double r, double alpha, double a, double b, Vec<4>& g) {
    g = {};
    double ll = 0;
    const double log_a = std::log(a);
    const double log_alpha = std::log(alpha);
    // Terms that depend on x only: running sums over k = 0, 1, ... up to each
    // distinct x (ascending); beyond kRunningSumLimit, gamma-function differences.
    constexpr double kRunningSumLimit = 4096;
    double k = 0;
    double sum_log_r = 0, sum_log_ab = 0, sum_inv_r = 0, sum_inv_b = 0, sum_inv_ab = 0;
    for (std::size_t j = 0; j < d_.x_values.size(); ++j) {
      const double x = d_.x_values[j];
      const double W = d_.x_weight[j];
      double lg_r, lg_ab, dg_r, dg_a, dg_b;
      if (x <= kRunningSumLimit) {
        for (; k < x; k += 1) {
          sum_log_r += std::log(r + k);
          sum_log_ab -= std::log1p(a / (b + k));
          sum_inv_r += 1 / (r + k);
          sum_inv_b += 1 / (b + k);
          sum_inv_ab += 1 / (a + b + k);
        }
        lg_r = sum_log_r;
        lg_ab = sum_log_ab;
        dg_r = sum_inv_r;
        dg_a = -sum_inv_ab;
        dg_b = sum_inv_b - sum_inv_ab;
      } else {
        lg_r = lgamma(r + x) - lgamma(r);
        lg_ab = lgamma(a + b) + lgamma(b + x) - lgamma(b) - lgamma(a + b + x);
        const double dg_abx = digamma(a + b + x) - digamma(a + b);
        dg_r = digamma(r + x) - digamma(r);
        dg_a = -dg_abx;
        dg_b = digamma(b + x) - digamma(b) - dg_abx;
      }
      ll += W * (lg_r + lg_ab);
      g[0] += W * dg_r;
      g[2] += W * dg_a;
      g[3] += W * dg_b;
      c_[j] = log_a - std::log(b + x - 1);
      ib_[j] = 1 / (b + x - 1);
    }
    for (std::size_t T = 0; T < d_.ages.size(); ++T) {
      l1T_[T] = std::log1p(d_.ages[T] / alpha);
      lT_[T] = log_alpha + l1T_[T];
      iT_[T] = 1 / (alpha + d_.ages[T]);
      // x = 0: the whole bracket term is -r l1(T).
      const double W = d_.zero_weight[T];
      ll -= W * r * l1T_[T];
      g[0] -= W * l1T_[T];
      g[1] += W * r * (1 / alpha - iT_[T]);
    }
    for (std::size_t t = 0; t < d_.recencies.size(); ++t) {
      l1t_[t] = std::log1p(d_.recencies[t] / alpha);
      lt_[t] = log_alpha + l1t_[t];
      it_[t] = 1 / (alpha + d_.recencies[t]);
    }
    // Rows with x > 0: ln[e^u + e^v] with u = -r l1(T) - x l(T) and
    // v = ln(a/(b+x-1)) - r l1(t_x) - x l(t_x); s = e^v / (e^u + e^v).
    const Vec<5> rows = blocked_sum<5>(d_.w.size(), threads_, [&](std::size_t begin, std::size_t end) {
      double sll = 0, sr = 0, salpha = 0, sa = 0, sb = 0;
      for (std::size_t i = begin; i < end; ++i) {
        const std::uint32_t j = d_.xi[i];
        const std::uint32_t T = d_.Ti[i];
        const std::uint32_t t = d_.ti[i];
        const double x = d_.x_values[j];
        const double u = -(r * l1T_[T] + x * lT_[T]);
        const double v = c_[j] - (r * l1t_[t] + x * lt_[t]);
        const double diff = v - u;
        const double e = std::exp(-std::abs(diff));
        const double s = diff > 0 ? 1 / (1 + e) : e / (1 + e);
        const double wi = d_.w[i];
        // log(1 + e) rather than log1p: e is in (0, 1] and only the absolute
        // error matters in this sum; log is several times faster.
        sll += wi * (std::max(u, v) + std::log(1 + e));
        sr -= wi * (l1T_[T] + s * (l1t_[t] - l1T_[T]));
        salpha -= wi * (r + x) * (iT_[T] + s * (it_[t] - iT_[T]));
        sa += wi * s;
        sb -= wi * s * ib_[j];
      }
      return Vec<5>{sll, sr, salpha, sa, sb};
    });
    ll += rows[0];
    g[0] += rows[1];
    g[1] += rows[2] + repeat_customers_ * r / alpha;  // the r ln α of rows with x > 0
    g[2] += rows[3] / a;
    g[3] += rows[4];
    return ll;
  }

  double objective(const Vec<4>& theta, Vec<4>& gradient) override {
    const Vec<4> p{std::exp(theta[0]), std::exp(theta[1]), std::exp(theta[2]), std::exp(theta[3])};
    Vec<4> g{};
    const double ll = log_likelihood(p[0], p[1], p[2], p[3], g);
    for (std::size_t i = 0; i < 4; ++i) gradient[i] = -g[i] * p[i] / d_.customers;
    return -ll / d_.customers;
  }

 private:
  const BgData& d_;
  unsigned threads_;
  double repeat_customers_ = 0;         // customers with x > 0
  std::vector<double> c_, ib_;         // per distinct x: ln(a/(b+x-1)), 1/(b+x-1)
  std::vector<double> l1T_, lT_, iT_;  // per distinct T: log1p(T/α), ln(α+T), 1/(α+T)
  std::vector<double> l1t_, lt_, it_;  // per distinct t_x
};

// ---------------------------------------------------------------------------
// Gamma-Gamma

struct GgData {
  double customers = 0;
  std::vector<double> x_values;  // distinct x
  std::vector<double> x_count;   // customers with that x
  double total_log_m = 0;        // sum of ln m
  std::vector<double> x;         // per customer
  std::vector<double> xm;        // per customer: x * m (total repeat spend)
  double mean_m = 0;
};

GgData gather(std::span<const Summary> summaries) {
  GgData d;
  KeyIndex<1> xs;
  for (std::size_t i = 0; i < summaries.size(); ++i) {
    const Summary& s = summaries[i];
    check_summary(s, true, [i] { return element("summaries", i); });
    if (s.frequency == 0) continue;
    const std::uint32_t j = xs.insert({bits(s.frequency)});
    if (j == d.x_values.size()) {
      d.x_values.push_back(s.frequency);
      d.x_count.push_back(0);
    }
    d.x_count[j] += 1;
    d.total_log_m += std::log(s.monetary);
    d.x.push_back(s.frequency);
    d.xm.push_back(s.frequency * s.monetary);
    d.mean_m += s.monetary;
  }
  d.customers = static_cast<double>(d.x.size());
  if (d.customers > 0) d.mean_m /= d.customers;
  return d;
}

// Written, like BG/NBD's, so that no large terms cancel:
//   q ln γ + px ln x + (px-1) ln m - (px+q) ln(xm+γ)
//     = -q log1p(xm/γ) - px log1p(γ/(xm)) - ln m,
// and ln Γ(px+q) - ln Γ(px) from Boost's tgamma_delta_ratio where it is in range.
class GgProblem final : public Problem<3> {
 public:
  GgProblem(const GgData& d, unsigned threads) : d_(d), threads_(threads) {}

  double log_likelihood(double p, double q, double gamma, Vec<3>& g) const {
    g = {};
    const double lg_q = lgamma(q);
    const double dg_q = digamma(q);
    double ll = -d_.total_log_m;
    for (std::size_t j = 0; j < d_.x_values.size(); ++j) {
      const double x = d_.x_values[j];
      const double n = d_.x_count[j];
      const double px = p * x;
      double delta = lgamma(px + q) - lgamma(px);
      if (std::abs(delta) < 600) delta = -std::log(boost::math::tgamma_delta_ratio(px, q, Policy()));
      const double dg_pxq = digamma(px + q);
      ll += n * (delta - lg_q);
      g[0] += n * x * (dg_pxq - digamma(px));
      g[1] += n * (dg_pxq - dg_q);
    }
    const Vec<4> rows = blocked_sum<4>(d_.x.size(), threads_, [&](std::size_t begin, std::size_t end) {
      double s1 = 0, s2 = 0, s3 = 0, s4 = 0;
      for (std::size_t i = begin; i < end; ++i) {
        const double x = d_.x[i];
        const double xm = d_.xm[i];
        const double inv = 1 / (xm + gamma);
        // l1 = log1p(y) and l2 = log1p(1/y) from two logs: the one with the
        // smaller argument directly (its absolute error is what counts), the
        // other as it plus or minus ln y (terms of one sign: nothing cancels).
        const double y = xm / gamma;
        double l1, l2;
        if (y <= 1) {
          l1 = std::log(1 + y);
          l2 = l1 - std::log(y);
        } else {
          l2 = std::log(1 + gamma / xm);
          l1 = l2 + std::log(y);
        }
        s1 += l1;
        s2 += x * l2;
        s3 += xm * inv;
        s4 += x * inv;
      }
      return Vec<4>{s1, s2, s3, s4};
    });
    ll -= q * rows[0] + p * rows[1];
    g[0] -= rows[1];
    g[1] -= rows[0];
    g[2] += q / gamma * rows[2] - p * rows[3];
    return ll;
  }

  double objective(const Vec<3>& theta, Vec<3>& gradient) override {
    const Vec<3> v{std::exp(theta[0]), std::exp(theta[1]), std::exp(theta[2])};
    Vec<3> g{};
    const double ll = log_likelihood(v[0], v[1], v[2], g);
    for (std::size_t i = 0; i < 3; ++i) gradient[i] = -g[i] * v[i] / d_.customers;
    return -ll / d_.customers;
  }

 private:
  const GgData& d_;
  unsigned threads_;
};

}  // namespace

namespace {

// Boost.Math reports results out of range as std exceptions; they can only
// come from extreme parameter values the optimiser tried.
template <typename F>
auto numerically(const char* model, F&& fit) {
  auto out_of_range = [&](const std::exception& e) {
    return Error(Errc::failed_precondition, std::string(model) + ": the fit left the numerical range (" + e.what() + ")");
  };
  try {
    return fit();
  } catch (const std::domain_error& e) {
    throw out_of_range(e);
  } catch (const std::overflow_error& e) {
    throw out_of_range(e);
  } catch (const std::underflow_error& e) {
    throw out_of_range(e);
  } catch (const boost::math::evaluation_error& e) {
    throw out_of_range(e);
  }
}

BgNbd fit_bg_nbd_impl(std::span<const Summary> summaries, const FitOptions& options) {
  check_options(options);
  if (summaries.empty()) refuse("summaries", "must not be empty");
  const BgData data = collapse(summaries);
  if (data.w.empty()) {
    throw Error(Errc::failed_precondition,
                "fit_bg_nbd: no customer has a repeat purchase (frequency > 0), so the model cannot be fitted");
  }
  const unsigned threads = thread_count(options.threads, (data.w.size() + kBlock - 1) / kBlock);
  BgProblem problem(data, threads);
  // Start: r = 1, α such that r/α is the mean repeat rate, a = b = 1.
  double total_x = 0;
  for (std::size_t j = 0; j < data.x_values.size(); ++j) total_x += data.x_values[j] * data.x_weight[j];
  const double alpha0 = std::max(data.total_age, 1e-6) / std::max(total_x, 1.0);
  const Vec<4> start{0.0, std::clamp(std::log(alpha0), -10.0, 10.0), 0.0, 0.0};
  const double time_scale = data.total_age > 0 ? data.total_age / data.customers : 1.0;
  const Vec<4> theta =
      minimise<4>(problem, start, options, "fit_bg_nbd", {"r", "alpha", "a", "b"}, {1, time_scale, 1, 1});
  BgNbd m{std::exp(theta[0]), std::exp(theta[1]), std::exp(theta[2]), std::exp(theta[3]), 0};
  Vec<4> g{};
  m.log_likelihood = problem.log_likelihood(m.r, m.alpha, m.a, m.b, g);
  return m;
}

GammaGamma fit_gamma_gamma_impl(std::span<const Summary> summaries, const FitOptions& options) {
  check_options(options);
  if (summaries.empty()) refuse("summaries", "must not be empty");
  const GgData data = gather(summaries);
  if (data.customers < 2) {
    throw Error(Errc::failed_precondition,
                "fit_gamma_gamma: needs at least 2 customers with repeat purchases (frequency > 0), found " +
                    std::to_string(static_cast<long long>(data.customers)));
  }
  const unsigned threads = thread_count(options.threads, (data.x.size() + kBlock - 1) / kBlock);
  GgProblem problem(data, threads);
  // Start: p = 1, q = 2, γ = mean spend (so the population mean pγ/(q-1) matches it).
  const Vec<3> start{0.0, std::log(2.0), std::clamp(std::log(data.mean_m), -10.0, 10.0)};
  const Vec<3> theta =
      minimise<3>(problem, start, options, "fit_gamma_gamma", {"p", "q", "gamma"}, {1, 1, data.mean_m});
  GammaGamma m{std::exp(theta[0]), std::exp(theta[1]), std::exp(theta[2]), 0};
  Vec<3> g{};
  m.log_likelihood = problem.log_likelihood(m.p, m.q, m.gamma, g);
  return m;
}

}  // namespace

BgNbd fit_bg_nbd(std::span<const Summary> summaries, const FitOptions& options) {
  return numerically("fit_bg_nbd", [&] { return fit_bg_nbd_impl(summaries, options); });
}

GammaGamma fit_gamma_gamma(std::span<const Summary> summaries, const FitOptions& options) {
  return numerically("fit_gamma_gamma", [&] { return fit_gamma_gamma_impl(summaries, options); });
}

}  // namespace patron::clv
