// Merges of the C ABI: JSON in, JSON out.
#include <string_view>

#include "capi_internal.hpp"
#include "patron/json.hpp"

namespace {

using patron::capi::Args;
using patron::capi::json_call;
namespace json = patron::json;

}  // namespace

extern "C" {

int patron_customer_merge(patron_db* db, const char* survivor, const char* absorbed, const char* options_json,
                          char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& customers = a.customers(db);
    const std::string_view s = a.text(survivor, "survivor");
    const std::string_view b = a.text(absorbed, "absorbed");
    const patron::MergeOptions options = json::decode_merge_options(a.text(options_json, "options_json"));
    return json::encode(customers.merge(s, b, options));
  });
}

int patron_customer_resolve(patron_db* db, const char* ref, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& customers = a.customers(db);
    return json::encode(customers.resolve(a.text(ref, "ref")));
  });
}

}  // extern "C"
