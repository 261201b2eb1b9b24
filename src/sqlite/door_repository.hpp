// store::DoorRepository on one SQLite connection, inside a transaction the
// store opened.
#pragma once

#include "patron/store/door_repository.hpp"
#include "sqlite/connection.hpp"

namespace patron::sqlite {

class DoorRepository final : public store::DoorRepository {
 public:
  explicit DoorRepository(Connection& conn) : conn_(conn) {}

  void insert(const Door& door) override;
  std::optional<Door> get(std::string_view id) override;
  void update(const Door& door) override;
  std::vector<Door> list() override;

  void insert_permission(Permission& permission) override;
  std::optional<Permission> permission(std::int64_t id) override;
  bool remove_permission(std::int64_t id) override;
  std::vector<Permission> permissions_of(const CustomerId& customer) override;
  std::vector<Permission> permissions_of(const CustomerId& customer, std::string_view door) override;
  std::vector<Permission> permissions_of_door(std::string_view door, Page page) override;

 private:
  Connection& conn_;
};

}  // namespace patron::sqlite
