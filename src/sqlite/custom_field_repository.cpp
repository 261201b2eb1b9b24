#include "sqlite/custom_field_repository.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <type_traits>

#include "patron/error.hpp"
#include "sqlite/time_columns.hpp"

namespace patron::sqlite {
namespace {

#define PATRON_FIELD_COLUMNS \
  "SELECT key, label, type, required, options, visible_to, created_at, updated_at FROM custom_fields "
// A multi_select's rows in the order of the definition's options.
#define PATRON_OPTION_POSITION(table) "(SELECT j.key FROM json_each(f.options) j WHERE j.value = " table ".value)"

std::string strings_json(const std::vector<std::string>& v) {
  return v.empty() ? std::string("[]") : nlohmann::json(v).dump();
}

std::vector<std::string> strings_from_json(const std::string& text) {
  if (text == "[]") return {};
  return nlohmann::json::parse(text).get<std::vector<std::string>>();
}

// Binds label, type, required, options and visible_to from index `i` on.
void bind_settings(SQLite::Statement& st, int i, const FieldDefinition& d) {
  st.bind(i, d.label);
  st.bind(i + 1, std::string(to_string(d.type)));
  st.bind(i + 2, d.required ? 1 : 0);
  st.bind(i + 3, strings_json(d.options));
  st.bind(i + 4, strings_json(d.visible_to));
}

// The stored scalars of a value: a multi_select's options, or the value.
std::vector<CustomValue> scalars(const CustomValue& v) {
  if (const auto* options = std::get_if<std::vector<std::string>>(&v)) {
    return {options->begin(), options->end()};
  }
  return {v};
}

void bind_scalar(SQLite::Statement& st, int i, const CustomValue& v) {
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, Date>) {
          st.bind(i, format_date(x));
        } else if constexpr (std::is_same_v<T, bool>) {
          st.bind(i, x ? 1 : 0);
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          st.bind(i, static_cast<int64_t>(x));
        } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
          throw Error(Errc::internal, "a multi_select value is stored option by option");
        } else {
          st.bind(i, x);
        }
      },
      v);
}

CustomValue scalar(FieldType type, const SQLite::Column& c) {
  switch (type) {
    case FieldType::number:
      return c.getDouble();
    case FieldType::date:
      return parse_date(c.getText(), "value");
    case FieldType::checkbox:
      return c.getInt64() != 0;
    case FieldType::file:
      return static_cast<std::int64_t>(c.getInt64());
    default:
      return c.getString();
  }
}

// Folds one stored row into `into` (empty before a value's first row).
void fold_row(std::optional<CustomValue>& into, FieldType type, const SQLite::Column& c) {
  if (type != FieldType::multi_select) {
    into = scalar(type, c);
    return;
  }
  if (!into) into.emplace(std::vector<std::string>{});
  std::get<std::vector<std::string>>(*into).push_back(c.getString());
}

// Rows of (owner, type, value), each owner's rows together: one value per owner.
template <typename ReadOwner>
auto read_values(SQLite::Statement& st, ReadOwner&& read_owner) {
  using Owner = decltype(read_owner(st));
  std::vector<std::pair<Owner, CustomValue>> out;
  std::optional<Owner> owner;
  std::optional<CustomValue> value;
  while (st.executeStep()) {
    Owner o = read_owner(st);
    if (owner && *owner != o) {
      out.emplace_back(std::move(*owner), std::move(*value));
      value.reset();
    }
    owner = std::move(o);
    fold_row(value, parse_field_type(st.getColumn(1).getText()), st.getColumn(2));
  }
  if (owner) out.emplace_back(std::move(*owner), std::move(*value));
  return out;
}

std::string key_at(SQLite::Statement& row) { return row.getColumn(0).getString(); }
CustomerId customer_at(SQLite::Statement& row) { return CustomerId::parse(row.getColumn(0).getText()); }

}  // namespace

FieldDefinition CustomFieldRepository::read_definition(SQLite::Statement& row) {
  FieldDefinition d;
  d.key = row.getColumn(0).getString();
  d.label = row.getColumn(1).getString();
  d.type = parse_field_type(row.getColumn(2).getText());
  d.required = row.getColumn(3).getInt() != 0;
  d.options = strings_from_json(row.getColumn(4).getString());
  d.visible_to = strings_from_json(row.getColumn(5).getString());
  d.created_at = time_at(row, 6);
  d.updated_at = time_at(row, 7);
  return d;
}

void CustomFieldRepository::put_default(const FieldDefinition& d) {
  auto& clear = conn_.statement("DELETE FROM custom_field_defaults WHERE key = ?");
  clear.bind(1, d.key);
  clear.exec();
  if (!d.default_value) return;
  for (const auto& s : scalars(*d.default_value)) {
    auto& st = conn_.statement("INSERT INTO custom_field_defaults (key, value) VALUES (?, ?)");
    st.bind(1, d.key);
    bind_scalar(st, 2, s);
    st.exec();
  }
}

void CustomFieldRepository::insert(const FieldDefinition& d) {
  auto& st = conn_.statement(
      "INSERT INTO custom_fields (key, label, type, required, options, visible_to, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  st.bind(1, d.key);
  bind_settings(st, 2, d);
  bind_time(st, 7, d.created_at);
  bind_time(st, 8, d.updated_at);
  try {
    st.exec();
  } catch (const SQLite::Exception& e) {
    if (e.getExtendedErrorCode() != SQLITE_CONSTRAINT_PRIMARYKEY) throw;
    throw Error(Errc::already_exists, "key: custom field '" + d.key + "' already exists", "key");
  }
  put_default(d);
}

std::optional<FieldDefinition> CustomFieldRepository::get(std::string_view key) {
  auto& st = conn_.statement(PATRON_FIELD_COLUMNS "WHERE key = ?");
  st.bind(1, std::string(key));
  if (!st.executeStep()) return std::nullopt;
  FieldDefinition d = read_definition(st);
  auto& def = conn_.statement(
      "SELECT d.key, f.type, d.value FROM custom_field_defaults d JOIN custom_fields f ON f.key = d.key "
      "WHERE d.key = ? ORDER BY " PATRON_OPTION_POSITION("d"));
  def.bind(1, d.key);
  auto values = read_values(def, key_at);
  if (!values.empty()) d.default_value = std::move(values.front().second);
  return d;
}

void CustomFieldRepository::update(const FieldDefinition& d) {
  auto& st = conn_.statement(
      "UPDATE custom_fields SET label = ?, type = ?, required = ?, options = ?, visible_to = ?, updated_at = ? "
      "WHERE key = ?");
  bind_settings(st, 1, d);
  bind_time(st, 6, d.updated_at);
  st.bind(7, d.key);
  st.exec();
  put_default(d);
}

bool CustomFieldRepository::remove(std::string_view key) {
  // The foreign keys remove its default and values.
  auto& st = conn_.statement("DELETE FROM custom_fields WHERE key = ?");
  st.bind(1, std::string(key));
  return st.exec() > 0;
}

std::vector<FieldDefinition> CustomFieldRepository::list() {
  // Two statements whatever the number of fields: list() runs for every customer created.
  auto& st = conn_.statement(PATRON_FIELD_COLUMNS "ORDER BY key");
  auto out = read_rows(st, [&](SQLite::Statement& row) { return read_definition(row); });
  if (out.empty()) return out;
  auto& def = conn_.statement(
      "SELECT d.key, f.type, d.value FROM custom_field_defaults d JOIN custom_fields f ON f.key = d.key "
      "ORDER BY d.key, " PATRON_OPTION_POSITION("d"));
  for (auto& [key, value] : read_values(def, key_at)) {
    const auto it = std::lower_bound(out.begin(), out.end(), key,
                                     [](const FieldDefinition& d, const std::string& k) { return d.key < k; });
    if (it != out.end() && it->key == key) it->default_value = std::move(value);
  }
  return out;
}

std::map<std::string, CustomValue> CustomFieldRepository::values_of(const CustomerId& customer) {
  auto& st = conn_.statement(
      "SELECT v.key, f.type, v.value FROM custom_field_values v JOIN custom_fields f ON f.key = v.key "
      "WHERE v.customer = (SELECT seq FROM customers WHERE id = ?) ORDER BY v.key, " PATRON_OPTION_POSITION("v"));
  st.bind(1, customer.str());
  auto values = read_values(st, key_at);
  return {std::make_move_iterator(values.begin()), std::make_move_iterator(values.end())};
}

std::optional<CustomValue> CustomFieldRepository::value(const CustomerId& customer, std::string_view key) {
  auto& st = conn_.statement(
      "SELECT v.key, f.type, v.value FROM custom_field_values v JOIN custom_fields f ON f.key = v.key "
      "WHERE v.customer = (SELECT seq FROM customers WHERE id = ?) AND v.key = ? "
      "ORDER BY " PATRON_OPTION_POSITION("v"));
  st.bind(1, customer.str());
  st.bind(2, std::string(key));
  auto values = read_values(st, key_at);
  if (values.empty()) return std::nullopt;
  return std::move(values.front().second);
}

void CustomFieldRepository::put(const CustomerId& customer, std::string_view key, const CustomValue& value) {
  const std::int64_t seq = require_customer_seq(conn_, customer.str());
  auto& clear = conn_.statement("DELETE FROM custom_field_values WHERE customer = ? AND key = ?");
  clear.bind(1, static_cast<int64_t>(seq));
  clear.bind(2, std::string(key));
  clear.exec();
  for (const auto& s : scalars(value)) {
    auto& st = conn_.statement("INSERT INTO custom_field_values (customer, key, value) VALUES (?, ?, ?)");
    st.bind(1, static_cast<int64_t>(seq));
    st.bind(2, std::string(key));
    bind_scalar(st, 3, s);
    st.exec();
  }
}

bool CustomFieldRepository::erase(const CustomerId& customer, std::string_view key) {
  auto& st = conn_.statement(
      "DELETE FROM custom_field_values WHERE customer = (SELECT seq FROM customers WHERE id = ?) AND key = ?");
  st.bind(1, customer.str());
  st.bind(2, std::string(key));
  return st.exec() > 0;
}

std::vector<std::pair<CustomerId, CustomValue>> CustomFieldRepository::values_of_field(std::string_view key) {
  auto& st = conn_.statement(
      "SELECT c.id, f.type, v.value FROM custom_field_values v JOIN custom_fields f ON f.key = v.key "
      "JOIN customers c ON c.seq = v.customer WHERE v.key = ? "
      "ORDER BY c.number, c.seq, " PATRON_OPTION_POSITION("v"));
  st.bind(1, std::string(key));
  return read_values(st, customer_at);
}

std::int64_t CustomFieldRepository::count_without(std::string_view key) {
  auto& st = conn_.statement(
      "SELECT count(*) FROM customers c WHERE c.merged_into IS NULL AND c.erased_at IS NULL AND NOT EXISTS "
      "(SELECT 1 FROM custom_field_values v WHERE v.customer = c.seq AND v.key = ?)");
  st.bind(1, std::string(key));
  st.executeStep();
  return st.getColumn(0).getInt64();
}

std::vector<CustomerId> CustomFieldRepository::find(std::string_view key, const CustomValue& value, Page page) {
  if (const auto* options = std::get_if<std::vector<std::string>>(&value)) {
    // Customers holding every option: one index lookup per option.
    auto& st = conn_.statement(
        "SELECT c.id FROM customers c WHERE c.seq IN ("
        "  SELECT v.customer FROM json_each(?1) j JOIN custom_field_values v ON v.key = ?2 AND v.value = j.value "
        "  GROUP BY v.customer HAVING count(*) = json_array_length(?1)) "
        "ORDER BY c.number LIMIT ?3 OFFSET ?4");
    st.bind(1, strings_json(*options));
    st.bind(2, std::string(key));
    bind_page(st, 3, 4, page.limit, page.offset);
    return read_rows(st, customer_at);
  }
  auto& st = conn_.statement(
      "SELECT c.id FROM custom_field_values v JOIN customers c ON c.seq = v.customer "
      "WHERE v.key = ? AND v.value = ? ORDER BY c.number LIMIT ? OFFSET ?");
  st.bind(1, std::string(key));
  bind_scalar(st, 2, value);
  bind_page(st, 3, 4, page.limit, page.offset);
  return read_rows(st, customer_at);
}

}  // namespace patron::sqlite
