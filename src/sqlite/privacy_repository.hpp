// store::PrivacyRepository on one SQLite connection, inside a transaction
// the store opened.
#pragma once

#include "patron/store/privacy_repository.hpp"
#include "sqlite/connection.hpp"

namespace patron::sqlite {

class PrivacyRepository final : public store::PrivacyRepository {
 public:
  explicit PrivacyRepository(Connection& conn) : conn_(conn) {}

  std::vector<store::MergedProfile> merged_profiles(const CustomerId& survivor) override;
  std::vector<std::pair<std::string, std::int64_t>> purse_money(const std::vector<CustomerId>& customers) override;
  bool import_open() override;
  std::vector<std::string> emails(const std::vector<CustomerId>& customers) override;
  std::vector<std::string> phones(const std::vector<CustomerId>& customers) override;
  void erase(const Tombstone& tombstone, std::map<std::string, std::int64_t>& removed,
             std::map<std::string, std::int64_t>& kept) override;
  void purge_search_indexes() override;
  std::optional<Tombstone> tombstone(const CustomerId& customer) override;
  std::vector<Tombstone> tombstones(Page page) override;

 private:
  Connection& conn_;
};

}  // namespace patron::sqlite
