// Doors, permissions and access decisions as JSON.
#include "json/json_internal.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace patron::json {

using namespace internal;

namespace {

json to_json(const AccessDecision& d) {
  return {{"allowed", d.allowed},
          {"reason", to_string(d.reason)},
          {"customer", d.customer ? json(d.customer->str()) : json(nullptr)},
          {"credential", opt_id(d.credential)},
          {"permission", opt_id(d.permission)}};
}

}  // namespace

namespace internal {

json to_json(const Door& d) {
  return {{"id", d.id},
          {"name", d.name},
          {"notes", d.notes},
          {"created_at", format_timestamp(d.created_at)},
          {"updated_at", format_timestamp(d.updated_at)}};
}

json to_json(const Permission& p) {
  return {{"id", p.id},
          {"customer", p.customer.str()},
          {"door", p.door},
          {"starts_at", opt_time(p.starts_at)},
          {"ends_at", opt_time(p.ends_at)},
          {"notes", p.notes},
          {"required_plan", opt_id(p.required_plan)},
          {"created_at", format_timestamp(p.created_at)}};
}

}  // namespace internal

std::string encode(const Door& door) { return to_json(door).dump(); }
std::string encode(const std::vector<Door>& doors) { return encode_list(doors); }
std::string encode(const Permission& permission) { return to_json(permission).dump(); }
std::string encode(const std::vector<Permission>& permissions) { return encode_list(permissions); }
std::string encode(const AccessDecision& decision) { return to_json(decision).dump(); }

NewDoor decode_new_door(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"id", "name", "notes"});
  return NewDoor{get_string(j, "id", "id"), get_string(j, "name", "name"), get_string(j, "notes", "notes")};
}

NewPermission decode_new_permission(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"customer", "door", "starts_at", "ends_at", "notes", "required_plan"});
  NewPermission p;
  p.customer_ref = get_string(j, "customer", "customer");
  p.door = get_string(j, "door", "door");
  p.starts_at = get_time(j, "starts_at", "starts_at");
  p.ends_at = get_time(j, "ends_at", "ends_at");
  p.notes = get_string(j, "notes", "notes");
  if (auto it = j.find("required_plan"); it != j.end() && !it->is_null()) {
    p.required_plan = get_int(j, "required_plan", "required_plan", 0);
  }
  return p;
}

}  // namespace patron::json
