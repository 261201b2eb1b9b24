// patron::Analytics: what a customer's orders say about them.
//
// Per customer: order count, spend and average order value per currency,
// first and last order. Across the base: RFM scores (recency, frequency,
// monetary quintiles and a named segment), recomputed on demand and stored;
// and the predictive model (BG/NBD + Gamma-Gamma, see patron/clv.hpp) fitted
// on every customer's purchase summary and stored with its fit time and
// calibration cut-off, from which each customer gets a probability of being
// alive, expected orders, a predicted lifetime value and an expected window
// for the next order.
//
// Conventions (those of the literature): cancelled orders do not count;
// orders on the same UTC calendar day form one purchase occasion; a model
// summary's frequency counts repeat occasions after the first, its recency
// and age run from the first occasion to the last one and to the cut-off in
// the chosen unit, and its monetary value is the mean spend of the repeat
// occasions. Spend is per currency: RFM and the model work on one currency.
//
// Borrowed from a Database (db.analytics()); thread-safe like it.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "patron/clv.hpp"
#include "patron/customer.hpp"
#include "patron/types.hpp"

namespace patron {

namespace detail {
struct DatabaseState;
}

struct CurrencyTotals {
  std::string currency{};
  std::int64_t orders = 0;
  std::int64_t spend = 0;                // minor units
  std::int64_t average_order_value = 0;  // minor units, rounded half away from zero
  friend bool operator==(const CurrencyTotals&, const CurrencyTotals&) = default;
};

struct CustomerStats {
  CustomerId customer{};
  std::int64_t orders = 0;  // every currency
  std::vector<CurrencyTotals> by_currency{};  // by currency code
  std::optional<Timestamp> first_order_at{};
  std::optional<Timestamp> last_order_at{};
  std::optional<std::int64_t> days_since_last_order{};  // whole days to now
  friend bool operator==(const CustomerStats&, const CustomerStats&) = default;
};

enum class RfmSegment {
  champions,
  loyal,
  potential_loyalist,
  new_customer,
  promising,
  need_attention,
  about_to_sleep,
  at_risk,
  cannot_lose,
  hibernating,
};
std::string_view to_string(RfmSegment v) noexcept;
RfmSegment parse_rfm_segment(std::string_view text, std::string_view field = "segment");
// The segment of recency and frequency scores (1-5 each), on the usual grid:
// R5 F4-5 champions; R3-4 F4-5 loyal; R4-5 F2-3 potential_loyalist; R5 F1
// new_customer; R4 F1 promising; R3 F3 need_attention; R3 F1-2
// about_to_sleep; R1-2 F3-4 at_risk; R1-2 F5 cannot_lose; R1-2 F1-2
// hibernating.
RfmSegment rfm_segment(int recency_score, int frequency_score) noexcept;

struct RfmScore {
  CustomerId customer{};
  std::string currency{};
  std::int64_t recency_days = 0;  // from the last order to the computation time
  std::int64_t frequency = 0;     // orders
  std::int64_t monetary = 0;      // spend, minor units
  // Quintiles by mid-rank (ties share a score; a lone customer scores 3).
  int recency_score = 0;          // 1-5: 5 = most recent fifth
  int frequency_score = 0;        // 1-5: 5 = most frequent fifth
  int monetary_score = 0;         // 1-5: 5 = highest spending fifth
  RfmSegment segment = RfmSegment::hibernating;
  Timestamp computed_at{};
  friend bool operator==(const RfmScore&, const RfmScore&) = default;
};

enum class TimeUnit { days, weeks };
std::string_view to_string(TimeUnit v) noexcept;
TimeUnit parse_time_unit(std::string_view text, std::string_view field = "unit");

struct ModelOptions {
  std::string currency{};
  std::optional<Timestamp> cutoff{};  // calibration end; now when absent
  TimeUnit unit = TimeUnit::weeks;
};

struct ModelFit {
  std::int64_t id = 0;
  std::string currency{};
  TimeUnit unit = TimeUnit::weeks;
  Timestamp cutoff{};
  Timestamp fitted_at{};
  std::int64_t customers = 0;  // summaries the model was fitted on
  clv::BgNbd bg_nbd{};
  clv::GammaGamma gamma_gamma{};
  friend bool operator==(const ModelFit&, const ModelFit&) = default;
};

struct PredictionOptions {
  std::string currency{};              // the latest fit of this currency is used
  std::optional<Timestamp> at{};       // history up to this time; now when absent
  std::chrono::days horizon{365};      // for expected orders and lifetime value
  std::chrono::days period{30};        // lifetime value is summed period by period
  double discount_rate = 0.01;         // per period
  double coverage = 0.8;               // of the next-order window
};

struct Prediction {
  CustomerId customer{};
  clv::Summary summary{};               // in the fit's unit, up to `at`
  double probability_alive = 0;
  double expected_orders = 0;           // within the horizon
  double expected_order_value = 0;      // minor units
  double lifetime_value = 0;            // minor units, discounted
  Timestamp next_order_from{};          // central window for the next order, if alive
  Timestamp next_order_until{};
  friend bool operator==(const Prediction&, const Prediction&) = default;
};

class Analytics {
 public:
  explicit Analytics(detail::DatabaseState& state) : state_(&state) {}

  CustomerStats stats(std::string_view customer_ref) const;

  // Scores every customer with an order in `currency` before `at` (now when
  // absent), replacing the stored scores of that currency in one
  // transaction. Returns how many were scored.
  std::int64_t recompute_rfm(std::string_view currency, std::optional<Timestamp> at = std::nullopt);
  std::optional<RfmScore> rfm(std::string_view customer_ref, std::string_view currency) const;
  // Stored scores of one segment, by customer number.
  std::vector<RfmScore> rfm_segment(std::string_view currency, RfmSegment segment, Page page = {}) const;

  // Purchase summaries of every customer with an order in the currency before
  // the cut-off, as the model sees them, in customer-number order.
  std::vector<std::pair<CustomerId, clv::Summary>> summaries(const ModelOptions& options) const;
  // Fits BG/NBD and Gamma-Gamma on every customer's summary and stores the fit.
  ModelFit fit_model(const ModelOptions& options);
  std::optional<ModelFit> latest_fit(std::string_view currency) const;
  // Needs a fit of the currency (failed_precondition otherwise).
  Prediction predict(std::string_view customer_ref, const PredictionOptions& options) const;
  // Every customer with an order in the currency, in customer-number order.
  std::vector<Prediction> predict_all(const PredictionOptions& options) const;

 private:
  detail::DatabaseState* state_;
};

}  // namespace patron
