// Door access: which customer may open which door, when.
//
// A door has a host-chosen id ("front-gate", "spa/2") and a name. A
// permission lets one customer open one door within an optional window
// [starts_at, ends_at), with notes, and may require an active membership of
// a plan (the customer's own or one inherited from a company, as
// Memberships::has_active_membership counts it at that moment).
//
// can_open(customer, door, at) is false for an unknown door, a banned
// customer, no permission covering `at`, or a missing membership.
// check() gives the same answer with the reason; open_door(token, door, at)
// identifies the credential first (Database::identify_credential) and
// answers allowed or denied with the reason — an unknown, blocked, lost,
// replaced, not-yet-valid or expired credential is denied as such.
// When a customer is denied, the reason is the first that applies in this
// order: banned, no_permission (no permission for the door at all),
// outside_window (none covers `at`), membership_required (every covering
// permission needs a membership the customer lacks at `at`).
//
// Door ids: 1-64 characters of A-Z a-z 0-9 . _ - : /, matched exactly.
//
// Borrowed from a Database (db.doors()); thread-safe like it. Each call is
// one transaction: a refused call leaves nothing behind.
//
// Errors (patron::Error): invalid_argument naming the field ("id" or "door"
// for a malformed door id, "name" (1-200 characters), "notes" (at most 2000),
// "ends_at" when not after starts_at, "ref" for a malformed customer
// reference, "limit"); not_found naming "id" (door or permission), "door"
// (grant, permissions_of_door), "ref" (unknown customer) or "required_plan";
// already_exists naming "id" for a door id taken.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "patron/customer.hpp"
#include "patron/types.hpp"

namespace patron {

namespace detail {
struct DatabaseState;
}

struct Door {
  std::string id{};
  std::string name{};
  std::string notes{};
  Timestamp created_at{};
  Timestamp updated_at{};
  friend bool operator==(const Door&, const Door&) = default;
};

struct NewDoor {
  std::string id{};
  std::string name{};
  std::string notes{};
};

struct Permission {
  std::int64_t id = 0;
  CustomerId customer{};
  std::string door{};
  std::optional<Timestamp> starts_at{};  // inclusive; unbounded when absent
  std::optional<Timestamp> ends_at{};    // exclusive; unbounded when absent
  std::string notes{};
  std::optional<std::int64_t> required_plan{};
  Timestamp created_at{};
  friend bool operator==(const Permission&, const Permission&) = default;
};

struct NewPermission {
  std::string customer_ref{};
  std::string door{};
  std::optional<Timestamp> starts_at{};
  std::optional<Timestamp> ends_at{};
  std::string notes{};
  std::optional<std::int64_t> required_plan{};
};

enum class AccessReason {
  allowed,
  unknown_door,
  unknown_credential,
  credential_blocked,
  credential_lost,
  credential_replaced,
  credential_not_yet_valid,
  credential_expired,
  banned,
  no_permission,
  outside_window,
  membership_required,
};
std::string_view to_string(AccessReason v) noexcept;

struct AccessDecision {
  bool allowed = false;
  AccessReason reason = AccessReason::no_permission;
  std::optional<CustomerId> customer{};       // who was checked (identified, for open_door)
  std::optional<std::int64_t> credential{};   // open_door: the credential presented, when known
  std::optional<std::int64_t> permission{};   // allowed: the permission that allowed it
  friend bool operator==(const AccessDecision&, const AccessDecision&) = default;
};

class Doors {
 public:
  explicit Doors(detail::DatabaseState& state) : state_(&state) {}

  Door create(const NewDoor& door);
  // Renames the door and replaces its notes.
  Door update(std::string_view id, std::string_view name, std::string_view notes);
  std::optional<Door> find(std::string_view id) const;
  Door get(std::string_view id) const;
  std::vector<Door> list() const;  // by id

  Permission grant(const NewPermission& permission);
  void revoke(std::int64_t permission);
  // By door, then start (unbounded first), then id.
  std::vector<Permission> permissions_of(std::string_view customer_ref) const;
  // By customer number, then start, then id.
  std::vector<Permission> permissions_of_door(std::string_view door, Page page = {}) const;

  // `at` defaults to now.
  bool can_open(std::string_view customer_ref, std::string_view door, std::optional<Timestamp> at = {}) const;
  AccessDecision check(std::string_view customer_ref, std::string_view door,
                       std::optional<Timestamp> at = {}) const;
  // An unknown credential or door is a denial, not an error (an empty or
  // non-UTF-8 token is invalid_argument naming "token"). Several
  // usable credentials with the value (of different kinds): the first whose
  // holder is allowed wins, else the first one's reason.
  AccessDecision open_door(std::string_view token, std::string_view door, std::optional<Timestamp> at = {}) const;

 private:
  detail::DatabaseState* state_;
};

}  // namespace patron
