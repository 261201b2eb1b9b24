// store::CustomFieldRepository on one SQLite connection, inside a
// transaction the store opened.
#pragma once

#include "patron/store/custom_field_repository.hpp"
#include "sqlite/connection.hpp"

namespace patron::sqlite {

class CustomFieldRepository final : public store::CustomFieldRepository {
 public:
  explicit CustomFieldRepository(Connection& conn) : conn_(conn) {}

  void insert(const FieldDefinition& definition) override;
  std::optional<FieldDefinition> get(std::string_view key) override;
  void update(const FieldDefinition& definition) override;
  bool remove(std::string_view key) override;
  std::vector<FieldDefinition> list() override;

  std::map<std::string, CustomValue> values_of(const CustomerId& customer) override;
  std::optional<CustomValue> value(const CustomerId& customer, std::string_view key) override;
  void put(const CustomerId& customer, std::string_view key, const CustomValue& value) override;
  bool erase(const CustomerId& customer, std::string_view key) override;

  std::vector<std::pair<CustomerId, CustomValue>> values_of_field(std::string_view key) override;
  std::int64_t count_without(std::string_view key) override;
  std::vector<CustomerId> find(std::string_view key, const CustomValue& value, Page page) override;

 private:
  FieldDefinition read_definition(SQLite::Statement& row);
  void put_default(const FieldDefinition& definition);

  Connection& conn_;
};

}  // namespace patron::sqlite
