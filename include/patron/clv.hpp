// patron::clv: the predictive customer model — BG/NBD for how often a customer
// buys and when they drop out (Fader, Hardie & Lee 2005, "Counting your
// customers the easy way"), Gamma-Gamma for how much they spend per order
// (Fader & Hardie 2013, "The Gamma-Gamma model of monetary value") — and what
// follows from them per customer: probability alive, expected orders over a
// horizon, expected order value, discounted customer lifetime value and a
// central interval for the time to the next order.
//
// The model works on per-customer summaries in the convention of that
// literature: `frequency` x counts repeat purchase occasions (orders on one
// calendar day are one occasion; the first occasion is not counted),
// `recency` t_x runs from the first occasion to the last one, `age` T from the
// first occasion to the calibration cut-off, and `monetary` is the mean spend
// of the repeat occasions. Any time unit works (days, weeks) as long as every
// summary, horizon and period length uses the same one; the fitted `alpha`
// is in that unit.
//
// Fitting is maximum likelihood with NLopt's L-BFGS and analytic gradients on
// the logarithms of the parameters (so they stay positive), finished with
// Newton steps that also serve as the convergence test. BG/NBD fits first
// collapse identical (x, t_x, T) summaries into weighted distinct rows and
// precompute everything that depends only on x, t_x or T, so the cost of each
// likelihood pass grows with the number of distinct rows, not customers;
// Gamma-Gamma fits use the customers with frequency > 0 only. The reported
// log-likelihood is the full one over every customer (the number the papers
// quote).
//
// Everything here is a pure function of its arguments: thread-safe, no
// global state, and deterministic — the same input gives bit-identical
// results whatever the thread count (and a BG/NBD fit whatever the order of
// the summaries). Bad input throws patron::Error with
// Errc::invalid_argument naming the field ("summaries[12].recency",
// "summary.frequency", "t", "bg_nbd.alpha", ...) and the rule; a fit that
// cannot converge (for example when no customer ever came back) throws
// Errc::failed_precondition.
#pragma once

#include <span>
#include <vector>

namespace patron::clv {

// One customer's purchase history, summarised (see above).
struct Summary {
  double frequency = 0;  // x: repeat purchase occasions, a whole number >= 0
  double recency = 0;    // t_x: first to last occasion; 0 if and only if frequency is 0; <= age
  double age = 0;        // T: first occasion to the calibration cut-off, >= 0
  double monetary = 0;   // mean spend of the repeat occasions; > 0 when frequency > 0 (spend models only)

  friend bool operator==(const Summary&, const Summary&) = default;
};

// BG/NBD parameters: purchase rate lambda ~ Gamma(shape r, rate alpha),
// drop-out probability after each purchase p ~ Beta(a, b).
struct BgNbd {
  double r = 0;
  double alpha = 0;
  double a = 0;
  double b = 0;
  double log_likelihood = 0;  // of the fit, summed over every customer (0 for hand-made parameters)

  friend bool operator==(const BgNbd&, const BgNbd&) = default;
};

// Gamma-Gamma parameters: an order's value ~ Gamma(shape p, rate nu) with
// nu ~ Gamma(shape q, rate gamma) per customer.
struct GammaGamma {
  double p = 0;
  double q = 0;
  double gamma = 0;
  double log_likelihood = 0;  // of the fit, over the customers with frequency > 0

  friend bool operator==(const GammaGamma&, const GammaGamma&) = default;
};

struct FitOptions {
  // Relative tolerance on the mean log-likelihood at which L-BFGS stops. The
  // fit is then polished with Newton steps and accepted once one would change
  // no parameter by more than max(tolerance, 1e-6) relative, or the mean
  // log-likelihood by less than `tolerance` relative. The default reproduces
  // published fits to 6 significant digits. In (0, 1).
  double tolerance = 1e-10;
  // Objective evaluations (each a pass over the distinct rows) before the fit
  // gives up with Errc::failed_precondition. At least 10.
  int max_evaluations = 1000;
  // Threads for the likelihood passes; 0 picks std::thread::hardware_concurrency().
  // The result does not depend on it.
  unsigned threads = 0;

  friend bool operator==(const FitOptions&, const FitOptions&) = default;
};

// Maximum-likelihood BG/NBD fit. Needs at least one customer with
// frequency > 0. When the likelihood has no maximum — a parameter runs off to
// 0 or infinity, e.g. when nobody ever drops out — the fit fails with
// Errc::failed_precondition naming that parameter. Monetary values are not
// used (they must only be finite and not negative).
BgNbd fit_bg_nbd(std::span<const Summary> summaries, const FitOptions& options = {});

// Maximum-likelihood Gamma-Gamma fit on the customers with frequency > 0: the
// likelihood of each one's mean spend `monetary` over its x repeat occasions.
// Customers with frequency 0 are skipped (but validated); fewer than two
// customers with frequency > 0, or no maximum (e.g. every customer spending
// the same), fail with Errc::failed_precondition.
GammaGamma fit_gamma_gamma(std::span<const Summary> summaries, const FitOptions& options = {});

// P(alive at T | x, t_x, T): 1 when frequency is 0 (BG/NBD customers can only
// drop out right after a purchase).
double probability_alive(const BgNbd& model, const Summary& summary);

// E[number of purchases in (T, T + t] | x, t_x, T], FHL 2005 eq. (10).
// t >= 0 in the summaries' time unit, and at most 100,000 × (alpha + age)
// (the hypergeometric series would need millions of terms beyond that).
double expected_orders(const BgNbd& model, const Summary& summary, double t);

// E[mean order value | x, monetary] under Gamma-Gamma: a weighted mean of the
// population mean p*gamma/(q-1) and the customer's own mean spend; the
// population mean when frequency is 0. Needs q > 1.
double expected_order_value(const GammaGamma& model, const Summary& summary);

// Discounted customer lifetime value over `periods` periods of
// `period_length` time units each, discounted at `discount_rate` per period:
//   sum over i = 1..periods of expected_order_value
//     * (E[N(period_length*i)] - E[N(period_length*(i-1))]) / (1 + discount_rate)^i
// where E[N(t)] = expected_orders(model, summary, t).
// 0 <= periods <= 100,000; period_length > 0; discount_rate >= 0.
double customer_lifetime_value(const BgNbd& bg_nbd, const GammaGamma& gamma_gamma, const Summary& summary,
                               int periods, double period_length, double discount_rate);

struct Interval {
  double low = 0;
  double high = 0;

  friend bool operator==(const Interval&, const Interval&) = default;
};

// Central interval of the time from the cut-off T to the next purchase,
// assuming the customer is alive: given alive, lambda | data ~ Gamma(r + x,
// alpha + T), so the waiting time W is Lomax with
// P(W > s) = ((alpha + T) / (alpha + T + s))^(r + x); the interval runs from
// its (1 - coverage)/2 to its (1 + coverage)/2 quantile (closed form).
// 0 < coverage < 1. Combine with probability_alive for the unconditional view.
Interval next_order_interval(const BgNbd& model, const Summary& summary, double coverage = 0.8);

// Everything above for one customer, computed in bulk.
struct Score {
  double probability_alive = 0;
  double expected_orders = 0;       // over (T, T + ScoreOptions::horizon]
  double expected_order_value = 0;
  double lifetime_value = 0;        // customer_lifetime_value with the ScoreOptions periods
  Interval next_order;              // next_order_interval with ScoreOptions::coverage

  friend bool operator==(const Score&, const Score&) = default;
};

struct ScoreOptions {
  double horizon = 0;         // for expected_orders, >= 0
  int periods = 0;            // lifetime value: number of periods, 0..100,000
  double period_length = 1;   // lifetime value: length of a period, > 0
  double discount_rate = 0;   // lifetime value: per period, >= 0
  double coverage = 0.8;      // next_order interval, in (0, 1)
  unsigned threads = 0;       // 0 picks std::thread::hardware_concurrency()

  friend bool operator==(const ScoreOptions&, const ScoreOptions&) = default;
};

// Scores every summary: exactly the numbers the single-customer functions
// give, but the horizon-dependent terms are computed once per distinct
// (frequency, age) pair and the work is spread over threads, so a million
// customers take a fraction of a second. Validation is that of the
// single-customer functions, with fields named "summaries[i].…"; nothing is
// returned when any summary is invalid.
std::vector<Score> score(const BgNbd& bg_nbd, const GammaGamma& gamma_gamma, std::span<const Summary> summaries,
                         const ScoreOptions& options);

}  // namespace patron::clv
