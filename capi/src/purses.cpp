// Purses through the C ABI: a request document or text arguments in, JSON
// out.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "capi_internal.hpp"
#include "patron/json.hpp"
#include "patron/purses.hpp"

namespace {

using patron::capi::Args;
using patron::capi::c_names;
using patron::capi::json_call;
using patron::capi::optional_text;
namespace json = patron::json;

// A top-up or a charge from a request document; the customer's reference
// is the document's "customer".
template <class Write>
int purse_write(patron_db* db, const char* request_json, char** out_json, const char* function, Write write) {
  return json_call(out_json, function, [&](const Args& a) {
    auto& purses = a.db(db).purses();
    const patron::PurseRequest request = json::decode_purse_request(a.text(request_json, "request_json"));
    return c_names({{"ref", "customer"}}, [&] { return json::encode(write(purses, request)); });
  });
}

}  // namespace

extern "C" {

int patron_purse_top_up(patron_db* db, const char* request_json, char** out_json) {
  return purse_write(db, request_json, out_json, __func__,
                     [](patron::Purses& p, const patron::PurseRequest& r) { return p.top_up(r); });
}

int patron_purse_charge(patron_db* db, const char* request_json, char** out_json) {
  return purse_write(db, request_json, out_json, __func__,
                     [](patron::Purses& p, const patron::PurseRequest& r) { return p.charge(r); });
}

int patron_purse_refund(patron_db* db, int64_t charge, int64_t amount, const char* idempotency_key,
                        const char* reference, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& purses = a.db(db).purses();
    const std::string_view key = a.text(idempotency_key, "idempotency_key");
    return json::encode(purses.refund(charge, amount, key, optional_text(reference)));
  });
}

int patron_purse_account(patron_db* db, const char* ref, const char* currency, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& purses = a.db(db).purses();
    const std::string_view r = a.text(ref, "ref");
    return json::encode(purses.account(r, a.text(currency, "currency")));
  });
}

int patron_purse_accounts(patron_db* db, const char* ref, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& purses = a.db(db).purses();
    return json::encode(purses.accounts(a.text(ref, "ref")));
  });
}

int patron_purse_set_credit_limit(patron_db* db, const char* ref, const char* currency, int64_t credit_limit,
                                  char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& purses = a.db(db).purses();
    const std::string_view r = a.text(ref, "ref");
    return json::encode(purses.set_credit_limit(r, a.text(currency, "currency"), credit_limit));
  });
}

int patron_purse_entry(patron_db* db, int64_t id, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) { return json::encode(a.db(db).purses().entry(id)); });
}

int patron_purse_entries(patron_db* db, const char* ref, const char* currency, size_t limit, size_t offset,
                         char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& purses = a.db(db).purses();
    const std::string_view r = a.text(ref, "ref");
    return json::encode(purses.entries(r, a.text(currency, "currency"), patron::Page{limit, offset}));
  });
}

}  // extern "C"
