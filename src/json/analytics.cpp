// Analytics as JSON: stats, RFM scores, model fits, predictions and their options.
#include "json/json_internal.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace patron::json {

using namespace internal;

namespace internal {

json to_json(const CustomerStats& s) {
  json by_currency = json::array();
  for (const auto& c : s.by_currency) {
    by_currency.push_back({{"currency", c.currency},
                           {"orders", c.orders},
                           {"spend", c.spend},
                           {"average_order_value", c.average_order_value}});
  }
  return {{"customer", s.customer.str()},
          {"orders", s.orders},
          {"by_currency", std::move(by_currency)},
          {"first_order_at", opt_time(s.first_order_at)},
          {"last_order_at", opt_time(s.last_order_at)},
          {"days_since_last_order", s.days_since_last_order ? json(*s.days_since_last_order) : json(nullptr)}};
}

json to_json(const RfmScore& s) {
  return {{"customer", s.customer.str()},       {"currency", s.currency},
          {"recency_days", s.recency_days},     {"frequency", s.frequency},
          {"monetary", s.monetary},             {"recency_score", s.recency_score},
          {"frequency_score", s.frequency_score}, {"monetary_score", s.monetary_score},
          {"segment", to_string(s.segment)},    {"computed_at", format_timestamp(s.computed_at)}};
}

json to_json(const ModelFit& f) {
  return {{"id", f.id},
          {"currency", f.currency},
          {"unit", to_string(f.unit)},
          {"cutoff", format_timestamp(f.cutoff)},
          {"fitted_at", format_timestamp(f.fitted_at)},
          {"customers", f.customers},
          {"bg_nbd",
           {{"r", f.bg_nbd.r}, {"alpha", f.bg_nbd.alpha}, {"a", f.bg_nbd.a}, {"b", f.bg_nbd.b},
            {"log_likelihood", f.bg_nbd.log_likelihood}}},
          {"gamma_gamma",
           {{"p", f.gamma_gamma.p}, {"q", f.gamma_gamma.q}, {"gamma", f.gamma_gamma.gamma},
            {"log_likelihood", f.gamma_gamma.log_likelihood}}}};
}

json to_json(const Prediction& p) {
  return {{"customer", p.customer.str()},
          {"summary",
           {{"frequency", p.summary.frequency}, {"recency", p.summary.recency}, {"age", p.summary.age},
            {"monetary", p.summary.monetary}}},
          {"probability_alive", p.probability_alive},
          {"expected_orders", p.expected_orders},
          {"expected_order_value", p.expected_order_value},
          {"lifetime_value", p.lifetime_value},
          {"next_order_from", format_timestamp(p.next_order_from)},
          {"next_order_until", format_timestamp(p.next_order_until)}};
}

}  // namespace internal

std::string encode(const CustomerStats& stats) { return to_json(stats).dump(); }
std::string encode(const RfmScore& score) { return to_json(score).dump(); }
std::string encode(const std::optional<RfmScore>& score) { return encode_optional(score); }
std::string encode(const std::vector<RfmScore>& scores) { return encode_list(scores); }
std::string encode(const ModelFit& fit) { return to_json(fit).dump(); }
std::string encode(const std::optional<ModelFit>& fit) { return encode_optional(fit); }
std::string encode(const Prediction& prediction) { return to_json(prediction).dump(); }
std::string encode(const std::vector<Prediction>& predictions) { return encode_list(predictions); }

ModelOptions decode_model_options(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"currency", "cutoff", "unit"});
  ModelOptions o;
  o.currency = get_string(j, "currency", "currency");
  o.cutoff = get_time(j, "cutoff", "cutoff");
  if (const std::string unit = get_string(j, "unit", "unit"); !unit.empty()) o.unit = parse_time_unit(unit);
  return o;
}

PredictionOptions decode_prediction_options(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"currency", "at", "horizon_days", "period_days", "discount_rate", "coverage"});
  PredictionOptions o;
  o.currency = get_string(j, "currency", "currency");
  o.at = get_time(j, "at", "at");
  o.horizon = std::chrono::days(get_int(j, "horizon_days", "horizon_days", o.horizon.count()));
  o.period = std::chrono::days(get_int(j, "period_days", "period_days", o.period.count()));
  o.discount_rate = get_number(j, "discount_rate", "discount_rate", o.discount_rate);
  o.coverage = get_number(j, "coverage", "coverage", o.coverage);
  return o;
}

}  // namespace patron::json
