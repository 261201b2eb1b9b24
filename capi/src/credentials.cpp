// Credentials through the C ABI: JSON in, JSON out.
#include <cstdint>
#include <optional>
#include <string_view>

#include "capi_internal.hpp"
#include "patron/credentials.hpp"
#include "patron/json.hpp"

namespace {

using patron::capi::Args;
using patron::capi::c_names;
using patron::capi::json_call;
using patron::capi::optional_time;
namespace json = patron::json;

}  // namespace

extern "C" {

int patron_credential_issue(patron_db* db, const char* json, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& credentials = a.db(db).credentials();
    const patron::NewCredential request = json::decode_new_credential(a.text(json, "json"));
    // The holder's reference is the document's "customer".
    return c_names({{"ref", "customer"}}, [&] { return json::encode(credentials.issue(request)); });
  });
}

int patron_credential_get(patron_db* db, int64_t id, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& credentials = a.db(db).credentials();
    return json::encode(credentials.get(id));
  });
}

int patron_credential_of_customer(patron_db* db, const char* ref, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& credentials = a.db(db).credentials();
    return json::encode(credentials.of_customer(a.text(ref, "ref")));
  });
}

int patron_credential_find(patron_db* db, const char* kind, const char* value, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& credentials = a.db(db).credentials();
    const patron::CredentialKind k = patron::parse_credential_kind(a.text(kind, "kind"), "kind");
    return json::encode(credentials.find(k, a.text(value, "value")));
  });
}

int patron_credential_set_status(patron_db* db, int64_t id, const char* status, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& credentials = a.db(db).credentials();
    const patron::CredentialStatus s = patron::parse_credential_status(a.text(status, "status"), "status");
    return json::encode(credentials.set_status(id, s));
  });
}

int patron_credential_replace(patron_db* db, int64_t id, const char* json, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& credentials = a.db(db).credentials();
    return json::encode(credentials.replace(id, json::decode_replacement(a.text(json, "json"))));
  });
}

int patron_credential_set_validity(patron_db* db, int64_t id, const char* valid_from_iso,
                                   const char* valid_until_iso, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& credentials = a.db(db).credentials();
    const auto from = optional_time(valid_from_iso, "valid_from");
    const auto until = optional_time(valid_until_iso, "valid_until");
    return json::encode(credentials.set_validity(id, from, until));
  });
}

int patron_credential_set_label(patron_db* db, int64_t id, const char* label, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& credentials = a.db(db).credentials();
    return json::encode(credentials.set_label(id, a.text(label, "label")));
  });
}

int patron_identify_credential(patron_db* db, const char* token, const char* at_iso, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const patron::Database& database = a.db(db);
    const std::string_view t = a.text(token, "token");
    return json::encode(database.identify_credential(t, optional_time(at_iso, "at")));
  });
}

}  // extern "C"
