// store::ActivityRepository on one SQLite connection, inside a transaction
// the store opened.
#pragma once

#include "patron/store/activity_repository.hpp"
#include "sqlite/connection.hpp"

namespace patron::sqlite {

class ActivityRepository final : public store::ActivityRepository {
 public:
  explicit ActivityRepository(Connection& conn) : conn_(conn) {}

  std::int64_t append(const store::StoredEvent& event) override;
  std::vector<store::StoredEvent> timeline(const std::vector<CustomerId>& customers,
                                           const store::TimelineQuery& query) override;
  std::vector<store::StoredEvent> after(std::int64_t after, std::size_t limit) override;
  std::int64_t last_id() override;

  void index_edits(std::int64_t event, const CustomerId& customer, const std::vector<std::string>& fields) override;
  std::vector<store::EditEntry> edits(const std::vector<CustomerId>& customers, std::string_view field,
                                      std::size_t limit, std::size_t offset) override;

  std::optional<store::DataKey> data_key(const CustomerId& customer) override;
  std::int64_t insert_data_key(const CustomerId& customer, std::string_view bytes, Timestamp at) override;
  bool destroy_data_key(const CustomerId& customer) override;

 private:
  Connection& conn_;
};

}  // namespace patron::sqlite
