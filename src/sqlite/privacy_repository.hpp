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
  void put_retention_policy(const RetentionPolicy& policy) override;
  bool remove_retention_policy(const std::string& name) override;
  std::vector<RetentionPolicy> retention_policies() override;
  std::vector<RetentionSkip> inactive_customers(Timestamp cutoff, Timestamp now,
                                                const std::optional<CustomerId>& only) override;
  std::vector<std::int64_t> documents_before(DocumentKind kind, Timestamp cutoff, std::int64_t after,
                                             std::size_t limit) override;
  std::int64_t count_event_details(Timestamp cutoff) override;
  std::pair<std::int64_t, std::int64_t> drop_event_details(Timestamp cutoff, Timestamp now, std::int64_t after,
                                                           std::size_t limit) override;
  std::int64_t begin_retention_run(const std::string& actor, Timestamp at) override;
  void begin_retention_outcome(std::int64_t run, const RetentionOutcome& outcome) override;
  void add_retention_items(std::int64_t run, const std::string& policy, const std::vector<CustomerId>& customers,
                           const std::vector<std::int64_t>& documents,
                           const std::vector<RetentionSkip>& skipped) override;
  void add_retention_events(std::int64_t run, const std::string& policy, std::int64_t events) override;
  void hold_retention_outcome(std::int64_t run, const std::string& policy, const std::string& held) override;
  void finish_retention_run(std::int64_t run, Timestamp at) override;
  std::vector<RetentionRun> retention_runs(Page page) override;

 private:
  Connection& conn_;
};

}  // namespace patron::sqlite
