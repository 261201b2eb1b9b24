#include "sqlite/door_repository.hpp"

#include <sqlite3.h>

#include "patron/error.hpp"
#include "sqlite/time_columns.hpp"

namespace patron::sqlite {
namespace {

#define PATRON_DOOR_COLUMNS "SELECT id, name, notes, created_at, updated_at FROM doors "
#define PATRON_PERMISSION_COLUMNS                                                                          \
  "SELECT p.id, c.id, p.door, p.starts_at, p.ends_at, p.notes, p.required_plan, p.created_at "             \
  "FROM door_permissions p JOIN customers c ON c.seq = p.customer "

Door read_door(SQLite::Statement& row) {
  return Door{row.getColumn(0).getString(), row.getColumn(1).getString(), row.getColumn(2).getString(),
              time_at(row, 3), time_at(row, 4)};
}

Permission read_permission(SQLite::Statement& row) {
  Permission p;
  p.id = row.getColumn(0).getInt64();
  p.customer = CustomerId::parse(row.getColumn(1).getText());
  p.door = row.getColumn(2).getString();
  p.starts_at = optional_time_at(row, 3);
  p.ends_at = optional_time_at(row, 4);
  p.notes = row.getColumn(5).getString();
  if (!row.getColumn(6).isNull()) p.required_plan = row.getColumn(6).getInt64();
  p.created_at = time_at(row, 7);
  return p;
}

std::vector<Permission> read_permissions(SQLite::Statement& st) { return read_rows(st, read_permission); }

}  // namespace

void DoorRepository::insert(const Door& d) {
  auto& st = conn_.statement("INSERT INTO doors (id, name, notes, created_at, updated_at) VALUES (?, ?, ?, ?, ?)");
  st.bind(1, d.id);
  st.bind(2, d.name);
  st.bind(3, d.notes);
  bind_time(st, 4, d.created_at);
  bind_time(st, 5, d.updated_at);
  try {
    st.exec();
  } catch (const SQLite::Exception& e) {
    if (e.getExtendedErrorCode() != SQLITE_CONSTRAINT_PRIMARYKEY) throw;
    throw Error(Errc::already_exists, "id: door '" + d.id + "' already exists", "id");
  }
}

std::optional<Door> DoorRepository::get(std::string_view id) {
  auto& st = conn_.statement(PATRON_DOOR_COLUMNS "WHERE id = ?");
  st.bind(1, std::string(id));
  if (!st.executeStep()) return std::nullopt;
  return read_door(st);
}

void DoorRepository::update(const Door& d) {
  auto& st = conn_.statement("UPDATE doors SET name = ?, notes = ?, updated_at = ? WHERE id = ?");
  st.bind(1, d.name);
  st.bind(2, d.notes);
  bind_time(st, 3, d.updated_at);
  st.bind(4, d.id);
  st.exec();
}

std::vector<Door> DoorRepository::list() {
  auto& st = conn_.statement(PATRON_DOOR_COLUMNS "ORDER BY id");
  return read_rows(st, read_door);
}

void DoorRepository::insert_permission(Permission& p) {
  const std::int64_t seq = require_customer_seq(conn_, p.customer.str());
  auto& st = conn_.statement(
      "INSERT INTO door_permissions (customer, door, starts_at, ends_at, notes, required_plan, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)");
  st.bind(1, static_cast<int64_t>(seq));
  st.bind(2, p.door);
  bind_time(st, 3, p.starts_at);
  bind_time(st, 4, p.ends_at);
  st.bind(5, p.notes);
  if (p.required_plan) {
    st.bind(6, static_cast<int64_t>(*p.required_plan));
  } else {
    st.bind(6);
  }
  bind_time(st, 7, p.created_at);
  st.exec();
  p.id = conn_.db().getLastInsertRowid();
}

std::optional<Permission> DoorRepository::permission(std::int64_t id) {
  auto& st = conn_.statement(PATRON_PERMISSION_COLUMNS "WHERE p.id = ?");
  st.bind(1, static_cast<int64_t>(id));
  if (!st.executeStep()) return std::nullopt;
  return read_permission(st);
}

bool DoorRepository::remove_permission(std::int64_t id) {
  auto& st = conn_.statement("DELETE FROM door_permissions WHERE id = ?");
  st.bind(1, static_cast<int64_t>(id));
  return st.exec() > 0;
}

std::vector<Permission> DoorRepository::permissions_of(const CustomerId& customer) {
  auto& st = conn_.statement(PATRON_PERMISSION_COLUMNS "WHERE c.id = ? ORDER BY p.door, p.starts_at, p.id");
  st.bind(1, customer.str());
  return read_permissions(st);
}

std::vector<Permission> DoorRepository::permissions_of(const CustomerId& customer, std::string_view door) {
  auto& st = conn_.statement(PATRON_PERMISSION_COLUMNS "WHERE c.id = ? AND p.door = ? ORDER BY p.starts_at, p.id");
  st.bind(1, customer.str());
  st.bind(2, std::string(door));
  return read_permissions(st);
}

std::vector<Permission> DoorRepository::permissions_of_door(std::string_view door, Page page) {
  auto& st = conn_.statement(PATRON_PERMISSION_COLUMNS
                             "WHERE p.door = ? ORDER BY c.number, p.starts_at, p.id LIMIT ? OFFSET ?");
  st.bind(1, std::string(door));
  bind_page(st, 2, 3, page.limit, page.offset);
  return read_permissions(st);
}

}  // namespace patron::sqlite
