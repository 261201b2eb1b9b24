// Consent through the C ABI: names as text, options and records as JSON,
// the hot path (can_contact) typed.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "capi_internal.hpp"
#include "patron/consent.hpp"
#include "patron/json.hpp"

namespace {

using patron::capi::Args;
using patron::capi::c_names;
using patron::capi::guard;
using patron::capi::json_call;
using patron::capi::optional_text;
namespace json = patron::json;

// A NULL options document means the defaults ({}).
std::string_view document(const char* text) { return text == nullptr ? std::string_view("{}") : text; }

// A NULL purpose means "marketing".
std::string_view purpose_or_marketing(const char* purpose) {
  return purpose == nullptr ? std::string_view("marketing") : std::string_view(purpose);
}

}  // namespace

extern "C" {

int patron_consent_grant(patron_db* db, const char* ref, const char* channel, const char* purpose,
                         const char* grant_json, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& consent = a.db(db).consent();
    const std::string_view r = a.text(ref, "ref");
    const patron::Channel c = patron::parse_channel(a.text(channel, "channel"));
    const std::string_view p = a.text(purpose, "purpose");
    const patron::ConsentGrant g = json::decode_consent_grant(document(grant_json));
    // The document's member is in seconds.
    return json::encode(c_names({{"valid_for", "valid_for_seconds"}}, [&] { return consent.grant(r, c, p, g); }));
  });
}

int patron_consent_withdraw(patron_db* db, const char* ref, const char* channel, const char* purpose,
                            const char* withdrawal_json, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& consent = a.db(db).consent();
    const std::string_view r = a.text(ref, "ref");
    const patron::Channel c = patron::parse_channel(a.text(channel, "channel"));
    const std::string_view p = a.text(purpose, "purpose");
    return json::encode(consent.withdraw(r, c, p, json::decode_consent_withdrawal(document(withdrawal_json))));
  });
}

int patron_consent_confirm(patron_db* db, const char* token, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& consent = a.db(db).consent();
    return json::encode(consent.confirm(a.text(token, "token")));
  });
}

int patron_consent_can_contact(patron_db* db, const char* ref, const char* channel, const char* purpose,
                               int* out_allowed) {
  const Args args(__func__);
  return guard([&]() -> int {
    args.need(out_allowed, "out_allowed");
    *out_allowed = 0;
    const auto& consent = args.db(db).consent();
    const std::string_view r = args.text(ref, "ref");
    const patron::Channel c = patron::parse_channel(args.text(channel, "channel"));
    *out_allowed = consent.can_contact(r, c, args.text(purpose, "purpose")) ? 1 : 0;
    return PATRON_OK;
  });
}

int patron_consent_state(patron_db* db, const char* ref, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& consent = a.db(db).consent();
    return json::encode(consent.state(a.text(ref, "ref")));
  });
}

int patron_consent_history(patron_db* db, const char* ref, size_t limit, size_t offset, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& consent = a.db(db).consent();
    return json::encode(consent.history(a.text(ref, "ref"), patron::Page{limit, offset}));
  });
}

int patron_consent_reachable(patron_db* db, const char* channel, const char* purpose, const char* after,
                             size_t limit, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& consent = a.db(db).consent();
    const patron::Channel c = patron::parse_channel(a.text(channel, "channel"));
    const std::string_view p = a.text(purpose, "purpose");
    return json::encode(consent.reachable(c, p, optional_text(after), limit));
  });
}

int patron_consent_define_purpose(patron_db* db, const char* name, const char* description, int opt_out,
                                  char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& consent = a.db(db).consent();
    const std::string_view n = a.text(name, "name");
    return json::encode(consent.define_purpose(n, a.text(description, "description"), opt_out != 0));
  });
}

int patron_consent_purposes(patron_db* db, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) { return json::encode(a.db(db).consent().purposes()); });
}

int patron_consent_suppress(patron_db* db, const char* channel, const char* address, const char* purpose) {
  const Args args(__func__);
  return guard([&]() -> int {
    auto& consent = args.db(db).consent();
    const patron::Channel c = patron::parse_channel(args.text(channel, "channel"));
    consent.suppress(c, args.text(address, "address"), purpose_or_marketing(purpose));
    return PATRON_OK;
  });
}

int patron_consent_is_suppressed(patron_db* db, const char* channel, const char* address, const char* purpose,
                                 int* out_suppressed) {
  const Args args(__func__);
  return guard([&]() -> int {
    args.need(out_suppressed, "out_suppressed");
    *out_suppressed = 0;
    const auto& consent = args.db(db).consent();
    const patron::Channel c = patron::parse_channel(args.text(channel, "channel"));
    *out_suppressed = consent.is_suppressed(c, args.text(address, "address"), purpose_or_marketing(purpose)) ? 1 : 0;
    return PATRON_OK;
  });
}

int patron_consent_set_preferences(patron_db* db, const char* ref, const char* preferences_json, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& consent = a.db(db).consent();
    const std::string_view r = a.text(ref, "ref");
    const auto p = json::decode_contact_preferences(a.text(preferences_json, "preferences_json"));
    return json::encode(consent.set_preferences(r, p));
  });
}

int patron_consent_preferences(patron_db* db, const char* ref, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& consent = a.db(db).consent();
    return json::encode(consent.preferences(a.text(ref, "ref")));
  });
}

}  // extern "C"
