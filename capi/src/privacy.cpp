// Privacy (access export, erasure, retention) through the C ABI: the request and the records as JSON.
#include <cstddef>
#include <string>

#include "capi_internal.hpp"
#include "patron/json.hpp"
#include "patron/privacy.hpp"

namespace {

using patron::capi::Args;
using patron::capi::json_call;
namespace json = patron::json;

}  // namespace

extern "C" {

int patron_privacy_export(patron_db* db, const char* ref, const char* path, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& privacy = a.db(db).privacy();
    const std::string_view r = a.text(ref, "ref");
    return json::encode(privacy.export_archive(r, std::string(a.text(path, "path"))));
  });
}

int patron_privacy_erase(patron_db* db, const char* ref, const char* request_json, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& privacy = a.db(db).privacy();
    const std::string_view r = a.text(ref, "ref");
    return json::encode(privacy.erase(r, json::decode_erasure_request(a.text(request_json, "request_json"))));
  });
}

int patron_privacy_tombstone(patron_db* db, const char* customer_id, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto t = a.db(db).privacy().tombstone(a.text(customer_id, "customer_id"));
    return t ? json::encode(*t) : std::string("null");
  });
}

int patron_privacy_erasures(patron_db* db, size_t limit, size_t offset, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    return json::encode(a.db(db).privacy().erasures(patron::Page{limit, offset}));
  });
}

int patron_privacy_set_retention_policy(patron_db* db, const char* policy_json, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& privacy = a.db(db).privacy();
    return json::encode(privacy.set_retention_policy(json::decode_retention_policy(a.text(policy_json, "policy_json"))));
  });
}

int patron_privacy_remove_retention_policy(patron_db* db, const char* name) {
  const Args args(__func__);
  return patron::capi::guard([&]() -> int {
    auto& privacy = args.db(db).privacy();
    privacy.remove_retention_policy(args.text(name, "name"));
    return PATRON_OK;
  });
}

int patron_privacy_retention_policies(patron_db* db, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) { return json::encode(a.db(db).privacy().retention_policies()); });
}

int patron_privacy_preview_retention(patron_db* db, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) { return json::encode(a.db(db).privacy().preview_retention()); });
}

int patron_privacy_run_retention(patron_db* db, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) { return json::encode(a.db(db).privacy().run_retention()); });
}

int patron_privacy_retention_runs(patron_db* db, size_t limit, size_t offset, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    return json::encode(a.db(db).privacy().retention_runs(patron::Page{limit, offset}));
  });
}

}  // extern "C"
