#include "patron/doors.hpp"

#include <algorithm>
#include <array>

#include "core/credential_ops.hpp"
#include "core/customer_ops.hpp"
#include "core/event_builders.hpp"
#include "core/membership_ops.hpp"
#include "core/rules.hpp"
#include "core/state.hpp"
#include "patron/error.hpp"
#include "text/text.hpp"

namespace patron {
namespace {

using store::DoorRepository;

constexpr std::size_t kMaxName = 200;
constexpr std::size_t kMaxNotes = 2000;

constexpr std::array<std::string_view, 12> kReasons{
    "allowed",           "unknown_door",      "unknown_credential", "credential_blocked",
    "credential_lost",   "credential_replaced", "credential_not_yet_valid", "credential_expired",
    "banned",            "no_permission",     "outside_window",     "membership_required"};

// A door id as given: 1-64 of A-Z a-z 0-9 . _ - : /, matched exactly.
std::string door_id(std::string_view id, const char* field) { return rules::host_id(id, field, "a door id"); }

Door require_door(DoorRepository& repo, const std::string& id, const char* field) {
  auto d = repo.get(id);
  if (!d) throw Error(Errc::not_found, std::string(field) + ": no door '" + id + "'", field);
  return std::move(*d);
}

bool covers(const Permission& p, Timestamp at) {
  return (!p.starts_at || *p.starts_at <= at) && (!p.ends_at || at < *p.ends_at);
}

// May `customer` open `door` at `at`? The door id is well-formed.
AccessDecision decide(store::Transaction& tx, const Customer& customer, const std::string& door, Timestamp at) {
  AccessDecision d;
  d.customer = customer.id;
  auto deny = [&](AccessReason reason) {
    d.reason = reason;
    return d;
  };
  if (!tx.doors().get(door)) return deny(AccessReason::unknown_door);
  if (customer.status == CustomerStatus::banned) return deny(AccessReason::banned);
  const auto permissions = tx.doors().permissions_of(customer.id, door);
  if (permissions.empty()) return deny(AccessReason::no_permission);
  bool covered = false;
  for (const auto& p : permissions) {
    if (!covers(p, at)) continue;
    covered = true;
    if (!p.required_plan || detail::holds_active_membership(tx, customer.id, *p.required_plan, at)) {
      d.allowed = true;
      d.reason = AccessReason::allowed;
      d.permission = p.id;
      return d;
    }
  }
  return deny(covered ? AccessReason::membership_required : AccessReason::outside_window);
}

// "door.created" / "door.updated": the organisation's configuration.
void record_door(store::Transaction& tx, Timestamp now, const Door& d, const char* action, const char* summary,
                 detail::EventJson details = detail::EventJson::object()) {
  details["door"] = d.id;
  detail::record(tx, now, detail::configuration_change(action, summary, details));
}

// "door.permission_granted" / "door.permission_revoked" on the customer's timeline.
void record_permission(store::Transaction& tx, Timestamp now, const Permission& p, const char* action,
                       const char* summary) {
  detail::EventJson details{{"permission", p.id},
                            {"door", p.door},
                            {"starts_at", detail::time_value(p.starts_at)},
                            {"ends_at", detail::time_value(p.ends_at)}};
  details["required_plan"] = p.required_plan ? detail::EventJson(*p.required_plan) : detail::EventJson();
  detail::record(tx, now,
                 detail::make_change(p.customer, EventCategory::customers, EventType::access, action, summary,
                                     details));
}

AccessReason refusal(CredentialVerdict v) {
  switch (v) {
    case CredentialVerdict::blocked: return AccessReason::credential_blocked;
    case CredentialVerdict::lost: return AccessReason::credential_lost;
    case CredentialVerdict::replaced: return AccessReason::credential_replaced;
    case CredentialVerdict::not_yet_valid: return AccessReason::credential_not_yet_valid;
    case CredentialVerdict::expired: return AccessReason::credential_expired;
    case CredentialVerdict::accepted:
    case CredentialVerdict::unknown: break;
  }
  return AccessReason::unknown_credential;
}

}  // namespace

std::string_view to_string(AccessReason v) noexcept { return kReasons[static_cast<std::size_t>(v)]; }

Door Doors::create(const NewDoor& in) {
  const Timestamp now = state_->now();
  const Door d{door_id(in.id, "id"), text::clean_required(in.name, "name", kMaxName),
               text::clean(in.notes, "notes", kMaxNotes), now, now};
  return state_->write([&](store::Transaction& tx) {
    tx.doors().insert(d);
    record_door(tx, now, d, "door.created", "Door created", detail::EventJson{{"name", d.name}});
    return require_door(tx.doors(), d.id, "id");
  });
}

Door Doors::update(std::string_view id, std::string_view name, std::string_view notes) {
  const std::string key = door_id(id, "id");
  const std::string n = text::clean_required(name, "name", kMaxName);
  const std::string t = text::clean(notes, "notes", kMaxNotes);
  const Timestamp now = state_->now();
  return state_->write([&](store::Transaction& tx) {
    Door d = require_door(tx.doors(), key, "id");
    detail::EventJson fields = detail::EventJson::array();
    if (d.name != n) fields.push_back("name");
    if (d.notes != t) fields.push_back("notes");
    d.name = n;
    d.notes = t;
    d.updated_at = now;
    tx.doors().update(d);
    if (!fields.empty()) record_door(tx, now, d, "door.updated", "Door updated", detail::EventJson{{"fields", fields}});
    return require_door(tx.doors(), key, "id");
  });
}

std::optional<Door> Doors::find(std::string_view id) const {
  const std::string key = door_id(id, "id");
  return state_->read([&](store::Transaction& tx) { return tx.doors().get(key); });
}

Door Doors::get(std::string_view id) const {
  const std::string key = door_id(id, "id");
  return state_->read([&](store::Transaction& tx) { return require_door(tx.doors(), key, "id"); });
}

std::vector<Door> Doors::list() const {
  return state_->read([&](store::Transaction& tx) { return tx.doors().list(); });
}

Permission Doors::grant(const NewPermission& in) {
  const Timestamp now = state_->now();
  Permission p;
  p.door = door_id(in.door, "door");
  checked_time(in.starts_at, "starts_at");
  checked_time(in.ends_at, "ends_at");
  if (in.starts_at && in.ends_at && *in.ends_at <= *in.starts_at) {
    throw Error(Errc::invalid_argument, "ends_at: must be after starts_at", "ends_at");
  }
  p.starts_at = in.starts_at;
  p.ends_at = in.ends_at;
  p.notes = text::clean(in.notes, "notes", kMaxNotes);
  p.required_plan = in.required_plan;
  p.created_at = now;
  return state_->write([&](store::Transaction& tx) {
    p.customer = detail::require_customer(tx.customers(), in.customer_ref, now).id;
    require_door(tx.doors(), p.door, "door");
    if (p.required_plan && !tx.memberships().plan(*p.required_plan)) {
      throw Error(Errc::not_found, "required_plan: no plan " + std::to_string(*p.required_plan), "required_plan");
    }
    tx.doors().insert_permission(p);
    record_permission(tx, now, p, "door.permission_granted", "Door permission granted");
    return *tx.doors().permission(p.id);
  });
}

void Doors::revoke(std::int64_t permission) {
  const Timestamp now = state_->now();
  state_->write([&](store::Transaction& tx) {
    const auto p = tx.doors().permission(permission);
    if (!p || !tx.doors().remove_permission(permission)) {
      throw Error(Errc::not_found, "id: no permission " + std::to_string(permission), "id");
    }
    record_permission(tx, now, *p, "door.permission_revoked", "Door permission revoked");
  });
}

std::vector<Permission> Doors::permissions_of(std::string_view customer_ref) const {
  const Timestamp now = state_->now();
  return state_->read([&](store::Transaction& tx) {
    return tx.doors().permissions_of(detail::require_customer(tx.customers(), customer_ref, now).id);
  });
}

std::vector<Permission> Doors::permissions_of_door(std::string_view door, Page page) const {
  const std::string key = door_id(door, "door");
  rules::page(page);
  return state_->read([&](store::Transaction& tx) {
    require_door(tx.doors(), key, "door");
    return tx.doors().permissions_of_door(key, page);
  });
}

bool Doors::can_open(std::string_view customer_ref, std::string_view door, std::optional<Timestamp> at) const {
  return check(customer_ref, door, at).allowed;
}

AccessDecision Doors::check(std::string_view customer_ref, std::string_view door, std::optional<Timestamp> at) const {
  const std::string key = door_id(door, "door");
  const Timestamp now = state_->now();
  return state_->read([&](store::Transaction& tx) {
    const Customer c = detail::require_customer(tx.customers(), customer_ref, now);
    return decide(tx, c, key, checked_time(at, "at").value_or(now));
  });
}

AccessDecision Doors::open_door(std::string_view token, std::string_view door, std::optional<Timestamp> at) const {
  const detail::PresentedToken tok = detail::read_token(token, state_->options.default_region);
  const std::string key = door_id(door, "door");
  const Timestamp now = state_->now();
  const Timestamp when = checked_time(at, "at").value_or(now);
  return state_->read([&](store::Transaction& tx) {
    const auto holders = tx.credentials().usable_holders(tok.text, tok.credential_phone(), when);
    if (holders.empty()) {
      // Nothing usable: say why the credential the token names is refused.
      const CredentialCheck check = detail::check_token(tx, tok, when, now, false);
      AccessDecision d;
      d.reason = refusal(check.verdict);
      if (check.credential) d.credential = check.credential->id;
      return d;
    }
    std::optional<AccessDecision> first;
    for (const auto& h : holders) {
      auto customer = tx.customers().by_id(h.customer, now);
      if (!customer) continue;
      AccessDecision d = decide(tx, *customer, key, when);
      d.credential = h.credential;
      if (d.allowed) return d;
      if (!first) first = d;
    }
    return first.value_or(AccessDecision{false, AccessReason::unknown_credential});
  });
}

}  // namespace patron
