// store::DuplicateRepository on one SQLite connection, inside a transaction
// the store opened. Handles are customers.seq.
#pragma once

#include "patron/store/duplicate_repository.hpp"
#include "sqlite/connection.hpp"

namespace patron::sqlite {

class DuplicateRepository final : public store::DuplicateRepository {
 public:
  explicit DuplicateRepository(Connection& conn) : conn_(conn) {}

  std::vector<CustomerId> stale(std::size_t limit) override;
  bool any_stale() override;
  void put(const std::vector<Put>& entries) override;
  std::optional<std::string> record(const CustomerId& customer) override;
  std::vector<std::pair<CustomerId, std::string>> with_key(std::string_view key, std::size_t limit) override;
  std::int64_t key_count(std::string_view key) override;
  void each_key_count(std::string_view prefix,
                      const std::function<void(std::string_view key, std::int64_t count)>& visit) override;
  void each_record(const std::function<void(std::int64_t handle, const CustomerId& customer,
                                            std::string_view record)>& visit) override;
  std::size_t each_block(std::string_view kinds, std::size_t max_block,
                         const std::function<void(std::span<const std::int64_t> handles)>& visit) override;
  void decide(const CustomerId& a, const CustomerId& b, bool same, std::string_view by, Timestamp at) override;
  std::vector<store::MatchDecision> decisions() override;
  std::vector<CustomerId> dismissed_with(const CustomerId& customer) override;
  std::optional<std::string> model() override;
  void store_model(std::string_view json) override;

 private:
  Connection& conn_;
};

}  // namespace patron::sqlite
