// Custom fields: organisation-defined fields on customers.
//
// A definition has a key (1-64 characters of a-z 0-9 _, starting with a
// letter; unique), a label, a type, a required flag, an optional default,
// options (for select and multi_select: 1-200 distinct, non-empty, each at
// most 200 characters, kept in order) and a visibility: all staff (empty
// list) or the listed roles.
//
// Values and their types (CustomValue, in customer.hpp, holds one alternative):
//   text         std::string, at most 10,000 characters
//   number       double, finite
//   date         Date
//   select       std::string, one of the options
//   multi_select std::vector<std::string>, distinct options (kept in the
//                order of the definition's options)
//   checkbox     bool
//   url          std::string, an absolute http or https URL with a host
//   file         std::int64_t, the id of a document of the same customer
//                (see documents.hpp)
// A value of the wrong alternative is refused (invalid_argument naming
// "custom_fields.<key>").
//
// On create (Customers::create/create_many, NewCustomer::custom_fields):
// required fields with a default are filled; a required field without a
// default must be given. Customers created on the fly by a pushed order,
// booking or enquiry get the defaults, and are not refused for a missing
// required field (the till flow must not fail on it).
//
// Changing a definition (type, options, required without a default) that
// existing values would violate is refused with failed_precondition naming
// the field ("type", "options", "required") and the count of offending
// customers in the message. Removing a definition removes its values.
//
// Every change of a value records an edit-history entry ("custom.<key>")
// and a timeline event; definition changes record system events.
//
// Borrowed from a Database (db.custom_fields()); thread-safe like it. Each
// call is one transaction.
//
// Errors (patron::Error): invalid_argument naming the field ("key", "label"
// (1-200 characters), "type", "options", "options[i]", "default",
// "visible_to[i]" (1-64 characters), "custom_fields.<key>" for a bad value
// or an unknown key, "ref", "limit"); not_found naming "key" or "ref";
// already_exists naming "key"; failed_precondition as above.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "patron/customer.hpp"
#include "patron/types.hpp"

namespace patron {

namespace detail {
struct DatabaseState;
}

enum class FieldType { text, number, date, select, multi_select, checkbox, url, file };
std::string_view to_string(FieldType v) noexcept;
FieldType parse_field_type(std::string_view text, std::string_view field = "type");

struct FieldDefinition {
  std::string key{};
  std::string label{};
  FieldType type = FieldType::text;
  bool required = false;
  std::optional<CustomValue> default_value{};
  std::vector<std::string> options{};
  std::vector<std::string> visible_to{};  // roles; empty = all staff
  Timestamp created_at{};
  Timestamp updated_at{};
  friend bool operator==(const FieldDefinition&, const FieldDefinition&) = default;
};

struct NewFieldDefinition {
  std::string key{};
  std::string label{};
  FieldType type = FieldType::text;
  bool required = false;
  std::optional<CustomValue> default_value{};
  std::vector<std::string> options{};
  std::vector<std::string> visible_to{};
};

// Partial change of a definition: nullopt leaves a member; the key stays.
struct FieldDefinitionUpdate {
  std::optional<std::string> label{};
  std::optional<FieldType> type{};
  std::optional<bool> required{};
  std::optional<std::optional<CustomValue>> default_value{};  // engaged nullopt clears it
  std::optional<std::vector<std::string>> options{};
  std::optional<std::vector<std::string>> visible_to{};
};

class CustomFields {
 public:
  explicit CustomFields(detail::DatabaseState& state) : state_(&state) {}

  FieldDefinition define(const NewFieldDefinition& definition);
  FieldDefinition update(std::string_view key, const FieldDefinitionUpdate& changes);
  void remove(std::string_view key);
  FieldDefinition get(std::string_view key) const;
  std::vector<FieldDefinition> list() const;  // by key

  // The customer's values by key; with a role, only the fields visible to it.
  std::map<std::string, CustomValue> values(std::string_view customer_ref,
                                            std::optional<std::string_view> role = {}) const;
  // Sets one value (validated); returns all of the customer's values.
  std::map<std::string, CustomValue> set(std::string_view customer_ref, std::string_view key,
                                         const CustomValue& value);
  // Removes a value; refused (failed_precondition naming "required") for a
  // required field.
  std::map<std::string, CustomValue> clear(std::string_view customer_ref, std::string_view key);

  // Customers whose value equals `value` (multi_select: contains each of
  // its options), by customer number.
  std::vector<Customer> find(std::string_view key, const CustomValue& value, Page page = {}) const;

 private:
  detail::DatabaseState* state_;
};

}  // namespace patron
