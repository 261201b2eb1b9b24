#include "patron/analytics.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "core/customer_ops.hpp"
#include "core/rules.hpp"
#include "core/state.hpp"
#include "patron/error.hpp"

namespace patron {
namespace {

constexpr std::array<std::string_view, 10> kSegments{
    "champions", "loyal",          "potential_loyalist", "new_customer", "promising",
    "need_attention", "about_to_sleep", "at_risk",       "cannot_lose",  "hibernating"};

constexpr std::chrono::microseconds kDay = std::chrono::days(1);

std::int64_t day_of(Timestamp t) { return std::chrono::floor<std::chrono::days>(t).time_since_epoch().count(); }

double unit_days(TimeUnit unit) { return unit == TimeUnit::weeks ? 7.0 : 1.0; }

std::string currency_of(std::string_view currency) { return normalize_currency(currency, "currency"); }

// The model's view of one customer's occasions up to `cutoff_day`.
clv::Summary summarize(std::span<const store::Occasion> occasions, std::int64_t cutoff_day, double unit) {
  clv::Summary s;
  const auto first = occasions.front().day;
  s.frequency = static_cast<double>(occasions.size() - 1);
  s.recency = static_cast<double>(occasions.back().day - first) / unit;
  s.age = static_cast<double>(cutoff_day - first) / unit;
  if (occasions.size() > 1) {
    std::int64_t repeat_spend = 0;
    for (std::size_t i = 1; i < occasions.size(); ++i) repeat_spend = saturating_add(repeat_spend, occasions[i].spend);
    s.monetary = static_cast<double>(repeat_spend) / s.frequency;
  }
  return s;
}

std::vector<std::pair<CustomerId, clv::Summary>> collect(store::AnalyticsRepository& repo, const std::string& currency,
                                                         Timestamp cutoff, TimeUnit unit,
                                                         const std::optional<CustomerId>& only) {
  std::vector<std::pair<CustomerId, clv::Summary>> out;
  const std::int64_t cutoff_day = day_of(cutoff);
  const double unit_length = unit_days(unit);
  repo.for_each_history(currency, cutoff, only, [&](const CustomerId& id, std::span<const store::Occasion> occasions) {
    out.emplace_back(id, summarize(occasions, cutoff_day, unit_length));
  });
  return out;
}

// Quintile score 1-5 of `value` among `sorted` (ascending), by mid-rank:
// the values below it plus half of those equal to it, in fifths. Ties share
// a score, and a lone or all-equal base scores 3 (the middle), not 1.
int quintile(const std::vector<std::int64_t>& sorted, std::int64_t value) {
  const auto [lo, hi] = std::equal_range(sorted.begin(), sorted.end(), value);
  const auto below = lo - sorted.begin();
  const auto equal = hi - lo;
  // floor(5 * (below + equal / 2) / n) without fractions.
  return 1 + static_cast<int>((5 * (2 * below + equal)) / (2 * static_cast<std::ptrdiff_t>(sorted.size())));
}

// Every option is checked here, under its own name, so the model's own
// limits (at most 100,000 periods, finite rates) are never what refuses it.
clv::ScoreOptions score_options(const PredictionOptions& o, TimeUnit unit) {
  constexpr std::int64_t kMaxHorizonDays = 100 * 366;  // a century
  if (o.horizon.count() < 0 || o.horizon.count() > kMaxHorizonDays) {
    throw Error(Errc::invalid_argument, "horizon: must be between 0 and 36,600 days", "horizon");
  }
  if (o.period.count() <= 0 || o.period.count() > kMaxHorizonDays) {
    throw Error(Errc::invalid_argument, "period: must be between 1 and 36,600 days", "period");
  }
  if (!(o.discount_rate >= 0 && o.discount_rate <= 1)) {
    throw Error(Errc::invalid_argument, "discount_rate: must be between 0 and 1 per period", "discount_rate");
  }
  if (!(o.coverage > 0 && o.coverage < 1)) throw Error(Errc::invalid_argument, "coverage: must be in (0, 1)", "coverage");
  const double unit_length = unit_days(unit);
  clv::ScoreOptions s;
  s.horizon = static_cast<double>(o.horizon.count()) / unit_length;
  s.periods = static_cast<int>((o.horizon.count() + o.period.count() - 1) / o.period.count());
  s.period_length = static_cast<double>(o.period.count()) / unit_length;
  s.discount_rate = o.discount_rate;
  s.coverage = o.coverage;
  return s;
}

ModelFit require_fit(store::AnalyticsRepository& repo, const std::string& currency) {
  auto fit = repo.latest_fit(currency);
  if (!fit) {
    throw Error(Errc::failed_precondition, "currency: no model has been fitted for " + currency + " (call fit_model)",
                "currency");
  }
  return std::move(*fit);
}

std::vector<Prediction> predictions(const ModelFit& fit, std::vector<std::pair<CustomerId, clv::Summary>> rows,
                                    const PredictionOptions& o, Timestamp at) {
  const clv::ScoreOptions options = score_options(o, fit.unit);
  std::vector<clv::Summary> summaries;
  summaries.reserve(rows.size());
  for (auto& [id, s] : rows) {
    clv::Summary scored = s;
    // Repeat orders that cost nothing: the spend model needs a positive mean;
    // a vanishing one gives the honest answer (an expected value near zero).
    if (scored.frequency > 0 && scored.monetary <= 0) scored.monetary = 1e-9;
    summaries.push_back(scored);
  }
  const auto scores = clv::score(fit.bg_nbd, fit.gamma_gamma, summaries, options);
  const double unit_us = unit_days(fit.unit) * static_cast<double>(kDay.count());
  std::vector<Prediction> out;
  out.reserve(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& sc = scores[i];
    Prediction p;
    p.customer = rows[i].first;
    p.summary = rows[i].second;
    p.probability_alive = sc.probability_alive;
    p.expected_orders = sc.expected_orders;
    p.expected_order_value = sc.expected_order_value;
    p.lifetime_value = sc.lifetime_value;
    // Saturating: near the end of the time range the window ends at 9999-12-31
    // rather than wrapping to before its start.
    p.next_order_from = add_saturating(at, sc.next_order.low * unit_us);
    p.next_order_until = add_saturating(at, sc.next_order.high * unit_us);
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace

std::string_view to_string(RfmSegment v) noexcept { return kSegments[static_cast<std::size_t>(v)]; }

RfmSegment parse_rfm_segment(std::string_view text, std::string_view field) {
  for (std::size_t i = 0; i < kSegments.size(); ++i) {
    if (kSegments[i] == text) return static_cast<RfmSegment>(i);
  }
  throw Error(Errc::invalid_argument, std::string(field) + ": not an RFM segment", std::string(field));
}

RfmSegment rfm_segment(int r, int f) noexcept {
  if (r <= 2) return f == 5 ? RfmSegment::cannot_lose : f >= 3 ? RfmSegment::at_risk : RfmSegment::hibernating;
  if (r == 3) {
    if (f >= 4) return RfmSegment::loyal;
    return f == 3 ? RfmSegment::need_attention : RfmSegment::about_to_sleep;
  }
  if (f >= 4) return r == 5 ? RfmSegment::champions : RfmSegment::loyal;
  if (f >= 2) return RfmSegment::potential_loyalist;
  return r == 5 ? RfmSegment::new_customer : RfmSegment::promising;
}

std::string_view to_string(TimeUnit v) noexcept { return v == TimeUnit::days ? "days" : "weeks"; }

TimeUnit parse_time_unit(std::string_view text, std::string_view field) {
  if (text == "days") return TimeUnit::days;
  if (text == "weeks") return TimeUnit::weeks;
  throw Error(Errc::invalid_argument, std::string(field) + ": must be one of days, weeks", std::string(field));
}

CustomerStats Analytics::stats(std::string_view customer_ref) const {
  const Timestamp now = state_->now();
  return state_->read([&](store::Transaction& tx) {
    CustomerStats s;
    s.customer = detail::require_customer(tx.customers(), customer_ref, now).id;
    for (const auto& t : tx.analytics().order_totals(s.customer)) {
      // Average rounded half away from zero, in integer arithmetic.
      // Rounded half up, in 128 bits: 2 × spend may pass int64.
      __extension__ using Wide = __int128;
      const auto average = static_cast<std::int64_t>((2 * static_cast<Wide>(t.spend) + t.orders) / (2 * t.orders));
      s.by_currency.push_back(CurrencyTotals{t.currency, t.orders, t.spend, average});
      s.orders += t.orders;
      s.first_order_at = s.first_order_at ? std::min(*s.first_order_at, t.first_order_at) : t.first_order_at;
      s.last_order_at = s.last_order_at ? std::max(*s.last_order_at, t.last_order_at) : t.last_order_at;
    }
    if (s.last_order_at) {
      s.days_since_last_order = std::max<std::int64_t>(0, (now - *s.last_order_at) / kDay);
    }
    return s;
  });
}

std::int64_t Analytics::recompute_rfm(std::string_view currency, std::optional<Timestamp> at) {
  const std::string code = currency_of(currency);
  const Timestamp when = checked_time(at, "at").value_or(state_->now());
  return state_->write([&](store::Transaction& tx) {
    const auto inputs = tx.analytics().rfm_inputs(code, when);
    std::vector<std::int64_t> recency;  // negated days: larger is better
    std::vector<std::int64_t> frequency;
    std::vector<std::int64_t> monetary;
    for (const auto& in : inputs) {
      recency.push_back(-((when - in.last_order_at) / kDay));
      frequency.push_back(in.orders);
      monetary.push_back(in.spend);
    }
    const auto recency_values = recency;
    for (auto* v : {&recency, &frequency, &monetary}) std::sort(v->begin(), v->end());
    std::vector<RfmScore> scores;
    scores.reserve(inputs.size());
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      RfmScore s;
      s.customer = inputs[i].customer;
      s.currency = code;
      s.recency_days = -recency_values[i];
      s.frequency = inputs[i].orders;
      s.monetary = inputs[i].spend;
      s.recency_score = quintile(recency, recency_values[i]);
      s.frequency_score = quintile(frequency, inputs[i].orders);
      s.monetary_score = quintile(monetary, inputs[i].spend);
      s.segment = patron::rfm_segment(s.recency_score, s.frequency_score);
      s.computed_at = when;
      scores.push_back(std::move(s));
    }
    tx.analytics().replace_rfm(code, scores);
    return static_cast<std::int64_t>(scores.size());
  });
}

std::optional<RfmScore> Analytics::rfm(std::string_view customer_ref, std::string_view currency) const {
  const std::string code = currency_of(currency);
  const Timestamp now = state_->now();
  return state_->read([&](store::Transaction& tx) {
    const Customer c = detail::require_customer(tx.customers(), customer_ref, now);
    return tx.analytics().rfm(c.id, code);
  });
}

std::vector<RfmScore> Analytics::rfm_segment(std::string_view currency, RfmSegment segment, Page page) const {
  const std::string code = currency_of(currency);
  rules::page(page);
  return state_->read([&](store::Transaction& tx) { return tx.analytics().rfm_segment(code, segment, page); });
}

std::vector<std::pair<CustomerId, clv::Summary>> Analytics::summaries(const ModelOptions& options) const {
  const std::string code = currency_of(options.currency);
  const Timestamp cutoff = checked_time(options.cutoff, "cutoff").value_or(state_->now());
  return state_->read(
      [&](store::Transaction& tx) { return collect(tx.analytics(), code, cutoff, options.unit, std::nullopt); });
}

ModelFit Analytics::fit_model(const ModelOptions& options) {
  const std::string code = currency_of(options.currency);
  const Timestamp now = state_->now();
  ModelFit fit;
  fit.currency = code;
  fit.unit = options.unit;
  fit.cutoff = checked_time(options.cutoff, "cutoff").value_or(now);
  fit.fitted_at = now;
  // Read and fit outside the write transaction: fitting takes a while and
  // must not hold the writer.
  const auto rows = summaries(options);
  std::vector<clv::Summary> all;
  std::vector<clv::Summary> spenders;
  all.reserve(rows.size());
  for (const auto& [id, s] : rows) {
    all.push_back(s);
    if (s.frequency > 0 && s.monetary > 0) spenders.push_back(s);
  }
  if (all.empty()) {
    throw Error(Errc::failed_precondition, "currency: no orders in " + code + " before the cut-off", "currency");
  }
  fit.customers = static_cast<std::int64_t>(all.size());
  fit.bg_nbd = clv::fit_bg_nbd(all);
  fit.gamma_gamma = clv::fit_gamma_gamma(spenders);
  state_->write([&](store::Transaction& tx) { tx.analytics().insert_fit(fit); });
  return fit;
}

std::optional<ModelFit> Analytics::latest_fit(std::string_view currency) const {
  const std::string code = currency_of(currency);
  return state_->read([&](store::Transaction& tx) { return tx.analytics().latest_fit(code); });
}

Prediction Analytics::predict(std::string_view customer_ref, const PredictionOptions& options) const {
  const std::string code = currency_of(options.currency);
  const Timestamp at = checked_time(options.at, "at").value_or(state_->now());
  return state_->read([&](store::Transaction& tx) {
    const ModelFit fit = require_fit(tx.analytics(), code);
    const Customer c = detail::require_customer(tx.customers(), customer_ref, at);
    auto rows = collect(tx.analytics(), code, at, fit.unit, c.id);
    if (rows.empty()) {
      throw Error(Errc::failed_precondition, "ref: the customer has no orders in " + code + " to predict from", "ref");
    }
    return predictions(fit, std::move(rows), options, at).front();
  });
}

std::vector<Prediction> Analytics::predict_all(const PredictionOptions& options) const {
  const std::string code = currency_of(options.currency);
  const Timestamp at = checked_time(options.at, "at").value_or(state_->now());
  return state_->read([&](store::Transaction& tx) {
    const ModelFit fit = require_fit(tx.analytics(), code);
    return predictions(fit, collect(tx.analytics(), code, at, fit.unit, std::nullopt), options, at);
  });
}

}  // namespace patron
