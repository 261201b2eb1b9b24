// The social graph through the C ABI: JSON in, JSON (or DOT text) out.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "capi_internal.hpp"
#include "patron/connections.hpp"
#include "patron/json.hpp"

namespace {

using patron::capi::Args;
using patron::capi::guard;
using patron::capi::json_call;
using patron::capi::optional_text;
using patron::capi::to_c_string;
namespace json = patron::json;

}  // namespace

extern "C" {

int patron_connection_connect(patron_db* db, const char* json, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& connections = a.db(db).connections();
    return json::encode(connections.connect(json::decode_new_connection(a.text(json, "json"))));
  });
}

int patron_connection_disconnect(patron_db* db, int64_t id) {
  const Args args(__func__);
  return guard([&]() -> int {
    args.db(db).connections().disconnect(id);
    return PATRON_OK;
  });
}

int patron_connection_get(patron_db* db, int64_t id, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& connections = a.db(db).connections();
    return json::encode(connections.get(id));
  });
}

int patron_connection_of_customer(patron_db* db, const char* ref, const char* type, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& connections = a.db(db).connections();
    return json::encode(connections.of_customer(a.text(ref, "ref"), optional_text(type)));
  });
}

int patron_referral_record(patron_db* db, const char* referrer, const char* referred, const char* note,
                           char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& connections = a.db(db).connections();
    const std::string_view from = a.text(referrer, "referrer");
    const std::string_view to = a.text(referred, "referred");
    return json::encode(connections.record_referral(from, to, optional_text(note)));
  });
}

int patron_referral_referrer_of(patron_db* db, const char* ref, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& connections = a.db(db).connections();
    return json::encode(connections.referrer_of(a.text(ref, "ref")));
  });
}

int patron_referral_by(patron_db* db, const char* ref, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& connections = a.db(db).connections();
    return json::encode(connections.referrals_by(a.text(ref, "ref")));
  });
}

int patron_connections_infer(patron_db* db, const char* options_json, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& connections = a.db(db).connections();
    return json::encode(connections.infer(json::decode_inference_options(optional_text(options_json))));
  });
}

int patron_connections_neighbours(patron_db* db, const char* ref, unsigned hops, size_t limit, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& connections = a.db(db).connections();
    return json::encode(connections.neighbours(a.text(ref, "ref"), hops, limit));
  });
}

int patron_connections_dot(patron_db* db, const char* ref, unsigned hops, size_t limit, char** out_dot) {
  const Args args(__func__);
  return guard([&]() -> int {
    args.need(out_dot, "out_dot");
    *out_dot = nullptr;
    const auto& connections = args.db(db).connections();
    *out_dot = to_c_string(connections.to_dot(args.text(ref, "ref"), hops, limit));
    return PATRON_OK;
  });
}

}  // extern "C"
