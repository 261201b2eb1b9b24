// Memberships through the C ABI: JSON in, JSON out.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "capi_internal.hpp"
#include "patron/json.hpp"
#include "patron/memberships.hpp"

namespace {

using patron::capi::Args;
using patron::capi::c_names;
using patron::capi::guard;
using patron::capi::json_call;
namespace json = patron::json;

}  // namespace

extern "C" {

int patron_plan_create(patron_db* db, const char* json, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& memberships = a.db(db).memberships();
    return json::encode(memberships.create_plan(json::decode_new_plan(a.text(json, "json"))));
  });
}

int patron_plan_get(patron_db* db, int64_t id, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& memberships = a.db(db).memberships();
    return c_names({{"plan", "id"}}, [&] { return json::encode(memberships.plan(id)); });
  });
}

int patron_plan_list(patron_db* db, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& memberships = a.db(db).memberships();
    return json::encode(memberships.plans());
  });
}

int patron_membership_add(patron_db* db, const char* json, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& memberships = a.db(db).memberships();
    const patron::NewMembership request = json::decode_new_membership(a.text(json, "json"));
    // The customer reference and the choice of holder are the document's "customer".
    return c_names({{"ref", "customer"}, {"holder", "customer"}},
                   [&] { return json::encode(memberships.add(request)); });
  });
}

int patron_membership_get(patron_db* db, int64_t id, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& memberships = a.db(db).memberships();
    return c_names({{"membership", "id"}}, [&] { return json::encode(memberships.get(id)); });
  });
}

int patron_membership_set_status(patron_db* db, int64_t id, const char* status, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& memberships = a.db(db).memberships();
    const patron::MembershipStatus s = patron::parse_membership_status(a.text(status, "status"), "status");
    return c_names({{"membership", "id"}}, [&] { return json::encode(memberships.set_status(id, s)); });
  });
}

int patron_membership_renew(patron_db* db, int64_t id, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& memberships = a.db(db).memberships();
    return c_names({{"membership", "id"}}, [&] { return json::encode(memberships.renew(id)); });
  });
}

int patron_membership_effective(patron_db* db, const char* ref, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& memberships = a.db(db).memberships();
    const std::string_view r = a.text(ref, "ref");
    return c_names({{"customer", "ref"}, {"customer_ref", "ref"}},
                   [&] { return json::encode(memberships.effective(r)); });
  });
}

int patron_membership_of_company(patron_db* db, int64_t company_id, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& memberships = a.db(db).memberships();
    return c_names({{"company", "company_id"}, {"id", "company_id"}},
                   [&] { return json::encode(memberships.of_company(company_id)); });
  });
}

int patron_membership_has_active(patron_db* db, const char* ref, int64_t plan, const char* at_iso) {
  const Args args(__func__);
  return guard([&]() -> int {
    const auto& memberships = args.db(db).memberships();
    const std::string_view r = args.text(ref, "ref");
    std::optional<patron::Timestamp> at;
    if (at_iso != nullptr) at = patron::parse_timestamp(at_iso, "at");
    const bool active = c_names({{"customer", "ref"}, {"customer_ref", "ref"}},
                                [&] { return memberships.has_active_membership(r, plan, at); });
    return active ? 1 : 0;
  });
}

}  // extern "C"
