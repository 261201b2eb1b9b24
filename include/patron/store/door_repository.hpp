// Port: doors and the permissions to open them, in domain terms. Handed out
// by a Transaction. Door ids are unique and matched exactly (the storage
// enforces it: insert() refuses a taken id with Error(already_exists) naming
// "id"). A permission's customer, door and required plan must exist.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "patron/doors.hpp"

namespace patron::store {

class DoorRepository {
 public:
  virtual ~DoorRepository() = default;

  virtual void insert(const Door& door) = 0;
  virtual std::optional<Door> get(std::string_view id) = 0;
  // Rewrites name, notes and updated_at.
  virtual void update(const Door& door) = 0;
  // By id.
  virtual std::vector<Door> list() = 0;

  // Assigns the id.
  virtual void insert_permission(Permission& permission) = 0;
  virtual std::optional<Permission> permission(std::int64_t id) = 0;
  // False when there was no such permission.
  virtual bool remove_permission(std::int64_t id) = 0;
  // A customer's permissions by door, then start (unbounded first), then id.
  virtual std::vector<Permission> permissions_of(const CustomerId& customer) = 0;
  // A customer's permissions for one door, by start (unbounded first), then id.
  virtual std::vector<Permission> permissions_of(const CustomerId& customer, std::string_view door) = 0;
  // A door's permissions by customer number, then start, then id; one page.
  virtual std::vector<Permission> permissions_of_door(std::string_view door, Page page) = 0;
};

}  // namespace patron::store
