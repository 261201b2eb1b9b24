// Door access through the C ABI: JSON in, JSON out, and a typed yes/no.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "capi_internal.hpp"
#include "patron/doors.hpp"
#include "patron/json.hpp"

namespace {

using patron::capi::Args;
using patron::capi::c_names;
using patron::capi::guard;
using patron::capi::json_call;
using patron::capi::optional_time;
namespace json = patron::json;

}  // namespace

extern "C" {

int patron_door_create(patron_db* db, const char* json, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& doors = a.db(db).doors();
    return json::encode(doors.create(json::decode_new_door(a.text(json, "json"))));
  });
}

int patron_door_update(patron_db* db, const char* id, const char* name, const char* notes, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& doors = a.db(db).doors();
    const std::string_view i = a.text(id, "id");
    const std::string_view n = a.text(name, "name");
    return json::encode(doors.update(i, n, notes == nullptr ? std::string_view() : std::string_view(notes)));
  });
}

int patron_door_get(patron_db* db, const char* id, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& doors = a.db(db).doors();
    return json::encode(doors.get(a.text(id, "id")));
  });
}

int patron_door_list(patron_db* db, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& doors = a.db(db).doors();
    return json::encode(doors.list());
  });
}

int patron_permission_grant(patron_db* db, const char* json, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& doors = a.db(db).doors();
    const patron::NewPermission request = json::decode_new_permission(a.text(json, "json"));
    // The customer reference is the document's "customer".
    return c_names({{"ref", "customer"}}, [&] { return json::encode(doors.grant(request)); });
  });
}

int patron_permission_revoke(patron_db* db, int64_t id) {
  const Args args(__func__);
  return guard([&]() -> int {
    args.db(db).doors().revoke(id);
    return PATRON_OK;
  });
}

int patron_permission_of_customer(patron_db* db, const char* ref, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& doors = a.db(db).doors();
    return json::encode(doors.permissions_of(a.text(ref, "ref")));
  });
}

int patron_permission_of_door(patron_db* db, const char* door, size_t limit, size_t offset, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& doors = a.db(db).doors();
    return json::encode(doors.permissions_of_door(a.text(door, "door"), patron::Page{limit, offset}));
  });
}

int patron_door_can_open(patron_db* db, const char* ref, const char* door, const char* at_iso) {
  const Args args(__func__);
  return guard([&]() -> int {
    const auto& doors = args.db(db).doors();
    const std::string_view r = args.text(ref, "ref");
    const std::string_view d = args.text(door, "door");
    return doors.can_open(r, d, optional_time(at_iso, "at")) ? 1 : 0;
  });
}

int patron_door_check(patron_db* db, const char* ref, const char* door, const char* at_iso, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& doors = a.db(db).doors();
    const std::string_view r = a.text(ref, "ref");
    const std::string_view d = a.text(door, "door");
    return json::encode(doors.check(r, d, optional_time(at_iso, "at")));
  });
}

int patron_door_open(patron_db* db, const char* token, const char* door, const char* at_iso, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& doors = a.db(db).doors();
    const std::string_view t = a.text(token, "token");
    const std::string_view d = a.text(door, "door");
    return json::encode(doors.open_door(t, d, optional_time(at_iso, "at")));
  });
}

}  // extern "C"
