// Duplicate detection of the C ABI: JSON in, JSON out.
#include <string_view>

#include "capi_internal.hpp"
#include "patron/json.hpp"

namespace {

using patron::capi::Args;
using patron::capi::c_names;
using patron::capi::json_call;
using patron::capi::optional_text;
namespace json = patron::json;

}  // namespace

extern "C" {

int patron_duplicates_similar_to(patron_db* db, const char* probe_json, const char* options_json, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& duplicates = a.db(db).duplicates();
    const patron::NewCustomer probe = json::decode_new_customer(a.text(probe_json, "probe_json"));
    const patron::SimilarOptions options = json::decode_similar_options(optional_text(options_json));
    return c_names({{"probe", "probe_json"}}, [&] { return json::encode(duplicates.similar_to(probe, options)); });
  });
}

int patron_duplicates_of(patron_db* db, const char* ref, const char* options_json, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& duplicates = a.db(db).duplicates();
    const std::string_view r = a.text(ref, "ref");
    const patron::SimilarOptions options = json::decode_similar_options(optional_text(options_json));
    return json::encode(duplicates.of(r, options));
  });
}

int patron_duplicates_scan(patron_db* db, const char* options_json, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& duplicates = a.db(db).duplicates();
    return json::encode(duplicates.scan(json::decode_scan_options(optional_text(options_json))));
  });
}

int patron_duplicates_dismiss(patron_db* db, const char* a_ref, const char* b_ref, const char* by) {
  const Args args(__func__);
  return patron::capi::guard([&]() -> int {
    auto& duplicates = args.db(db).duplicates();
    duplicates.dismiss(args.text(a_ref, "a"), args.text(b_ref, "b"), args.text(by, "by"));
    return PATRON_OK;
  });
}

int patron_duplicates_label(patron_db* db, const char* a_ref, const char* b_ref, int same, const char* by) {
  const Args args(__func__);
  return patron::capi::guard([&]() -> int {
    auto& duplicates = args.db(db).duplicates();
    duplicates.label(args.text(a_ref, "a"), args.text(b_ref, "b"), same != 0, args.text(by, "by"));
    return PATRON_OK;
  });
}

int patron_duplicates_train(patron_db* db, const char* options_json, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& duplicates = a.db(db).duplicates();
    return json::encode(duplicates.train(json::decode_train_options(a.text(options_json, "options_json"))));
  });
}

int patron_duplicates_model(patron_db* db, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) { return json::encode(a.db(db).duplicates().model()); });
}

}  // extern "C"
