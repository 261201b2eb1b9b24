// Customer analytics through the C ABI: totals, RFM and the predictive model,
// JSON out (and JSON options in).
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "capi_internal.hpp"
#include "patron/analytics.hpp"
#include "patron/json.hpp"

namespace {

using patron::capi::Args;
using patron::capi::json_call;
namespace json = patron::json;

// Purchase summaries as [{"customer": id, "frequency": .., "recency": ..,
// "age": .., "monetary": ..}, ...] (patron::json has no form for them: they
// are the model's input, not a stored record).
std::string encode_summaries(const std::vector<std::pair<patron::CustomerId, patron::clv::Summary>>& rows) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& [id, s] : rows) {
    out.push_back({{"customer", id.str()},
                   {"frequency", s.frequency},
                   {"recency", s.recency},
                   {"age", s.age},
                   {"monetary", s.monetary}});
  }
  return out.dump();
}

// The prediction options' lengths are named after their C++ members by the
// core ("horizon", "period"); in the JSON document they are "horizon_days"
// and "period_days", and errfield names the key of the document.
template <class Body>
auto with_option_keys(Body&& body) {
  try {
    return std::forward<Body>(body)();
  } catch (const patron::Error& e) {
    for (const auto& [member, key] : {std::pair<std::string_view, std::string_view>{"horizon", "horizon_days"},
                                      std::pair<std::string_view, std::string_view>{"period", "period_days"}}) {
      if (e.field() != member) continue;
      std::string message = e.what();
      if (message.rfind(member, 0) == 0) message = std::string(key) + message.substr(member.size());
      throw patron::Error(e.code(), std::move(message), std::string(key));
    }
    throw;
  }
}

}  // namespace

extern "C" {

int patron_analytics_stats(patron_db* db, const char* ref, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& analytics = a.db(db).analytics();
    return json::encode(analytics.stats(a.text(ref, "ref")));
  });
}

int patron_analytics_recompute_rfm(patron_db* db, const char* currency, const char* at, int64_t* out_count) {
  const Args args(__func__);
  return patron::capi::guard([&]() -> int {
    args.need(out_count, "out_count");
    *out_count = 0;
    auto& analytics = args.db(db).analytics();
    const std::string_view code = args.text(currency, "currency");
    std::optional<patron::Timestamp> when;
    if (at != nullptr) when = patron::parse_timestamp(at, "at");
    *out_count = analytics.recompute_rfm(code, when);
    return PATRON_OK;
  });
}

int patron_analytics_rfm(patron_db* db, const char* ref, const char* currency, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& analytics = a.db(db).analytics();
    const std::string_view r = a.text(ref, "ref");
    return json::encode(analytics.rfm(r, a.text(currency, "currency")));
  });
}

int patron_analytics_rfm_segment(patron_db* db, const char* currency, const char* segment, size_t limit,
                                 size_t offset, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& analytics = a.db(db).analytics();
    const std::string_view code = a.text(currency, "currency");
    const patron::RfmSegment s = patron::parse_rfm_segment(a.text(segment, "segment"), "segment");
    return json::encode(analytics.rfm_segment(code, s, patron::Page{limit, offset}));
  });
}

int patron_analytics_summaries(patron_db* db, const char* options_json, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& analytics = a.db(db).analytics();
    return encode_summaries(analytics.summaries(json::decode_model_options(a.text(options_json, "options_json"))));
  });
}

int patron_analytics_fit_model(patron_db* db, const char* options_json, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& analytics = a.db(db).analytics();
    return json::encode(analytics.fit_model(json::decode_model_options(a.text(options_json, "options_json"))));
  });
}

int patron_analytics_latest_fit(patron_db* db, const char* currency, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& analytics = a.db(db).analytics();
    return json::encode(analytics.latest_fit(a.text(currency, "currency")));
  });
}

int patron_analytics_predict(patron_db* db, const char* ref, const char* options_json, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& analytics = a.db(db).analytics();
    const std::string_view r = a.text(ref, "ref");
    const patron::PredictionOptions options =
        json::decode_prediction_options(a.text(options_json, "options_json"));
    return with_option_keys([&] { return json::encode(analytics.predict(r, options)); });
  });
}

int patron_analytics_predict_all(patron_db* db, const char* options_json, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& analytics = a.db(db).analytics();
    const patron::PredictionOptions options =
        json::decode_prediction_options(a.text(options_json, "options_json"));
    return with_option_keys([&] { return json::encode(analytics.predict_all(options)); });
  });
}

}  // extern "C"
