// Port: custom field definitions and the customers' values, in domain
// terms. Handed out by a Transaction. A definition's key is unique (the
// storage enforces it: insert() refuses a taken key with
// Error(already_exists) naming "key"); a value belongs to an existing
// customer and an existing definition, at most one value per customer and
// field. Values are read back as the alternative the definition's current
// type takes (custom_fields.hpp); the core validates them before they are
// put. Removing a definition or a customer removes its values.
//
// Lookups by value (find) and the counts a definition change needs run
// inside the adapter, on an index, so they never walk the customers here.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "patron/custom_fields.hpp"

namespace patron::store {

class CustomFieldRepository {
 public:
  virtual ~CustomFieldRepository() = default;

  // Definitions.
  virtual void insert(const FieldDefinition& definition) = 0;
  virtual std::optional<FieldDefinition> get(std::string_view key) = 0;
  // Rewrites everything but the key and created_at.
  virtual void update(const FieldDefinition& definition) = 0;
  // Removes the definition and its values; false when there was none.
  virtual bool remove(std::string_view key) = 0;
  // By key.
  virtual std::vector<FieldDefinition> list() = 0;

  // Values. A customer's values by key.
  virtual std::map<std::string, CustomValue> values_of(const CustomerId& customer) = 0;
  virtual std::optional<CustomValue> value(const CustomerId& customer, std::string_view key) = 0;
  // Sets (or replaces) the customer's value of the field.
  virtual void put(const CustomerId& customer, std::string_view key, const CustomValue& value) = 0;
  // False when the customer had no value of the field.
  virtual bool erase(const CustomerId& customer, std::string_view key) = 0;

  // Every value of a field with its customer, by customer number (to check
  // a definition change against them).
  virtual std::vector<std::pair<CustomerId, CustomValue>> values_of_field(std::string_view key) = 0;
  // How many customers have no value of the field.
  virtual std::int64_t count_without(std::string_view key) = 0;
  // Customers whose value equals `value` (a multi_select value: holds each
  // of its options), by customer number; one page.
  virtual std::vector<CustomerId> find(std::string_view key, const CustomValue& value, Page page) = 0;
};

}  // namespace patron::store
