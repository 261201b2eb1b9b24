// Port: erasure's and retention's storage side (privacy.hpp). The core
// decides who is erased and what goes on the suppression list; the store
// removes and blanks the rows, keeps the tombstone, and scrubs its indexes;
// it finds what a retention policy reaches and keeps the policies and the
// record of each run.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "patron/customer.hpp"
#include "patron/privacy.hpp"
#include "patron/types.hpp"

namespace patron::store {

// What the row of a customer merged into another still holds (its contacts
// and records moved to the survivor; its profile's values stayed).
struct MergedProfile {
  CustomerId id{};
  std::string number{};
  std::string title{};
  std::string first_name{};
  std::string last_name{};
  std::string date_of_birth{};  // YYYY-MM-DD or ""
  std::string lifecycle_stage{};
  std::string tags{};  // a JSON array
  std::string emergency_name{};
  std::string emergency_phone{};
  Timestamp created_at{};
  Timestamp merged_at{};
};

class PrivacyRepository {
 public:
  virtual ~PrivacyRepository() = default;

  // The customers merged into `survivor`, in the order they were merged.
  virtual std::vector<MergedProfile> merged_profiles(const CustomerId& survivor) = 0;

  // Accounts of these customers holding money (balance not 0): currency, balance.
  virtual std::vector<std::pair<std::string, std::int64_t>> purse_money(const std::vector<CustomerId>& customers) = 0;
  // Whether an import run is unfinished (it may bring a customer back).
  virtual bool import_open() = 0;
  // Every email address and phone number these customers hold.
  virtual std::vector<std::string> emails(const std::vector<CustomerId>& customers) = 0;
  virtual std::vector<std::string> phones(const std::vector<CustomerId>& customers) = 0;

  // Erases one customer in the caller's transaction: marks and blanks its
  // row (number `tombstone.number`), records the tombstone, removes its
  // personal data (the data key too) and the rows that only served it,
  // blanks its events' summaries, detaches what the law keeps. Adds to
  // `removed` and `kept` the rows of each kind.
  virtual void erase(const Tombstone& tombstone, std::map<std::string, std::int64_t>& removed,
                     std::map<std::string, std::int64_t>& kept) = 0;
  // After erase(), in the same transaction: rewrites the full-text indexes
  // so that no segment still holds an erased word.
  virtual void purge_search_indexes() = 0;

  virtual std::optional<Tombstone> tombstone(const CustomerId& customer) = 0;
  virtual std::vector<Tombstone> tombstones(Page page) = 0;

  // Retention policies. put_retention_policy() inserts the policy or
  // replaces the one of its name, keeping that one's created_at.
  virtual void put_retention_policy(const RetentionPolicy& policy) = 0;
  virtual bool remove_retention_policy(const std::string& name) = 0;
  virtual std::vector<RetentionPolicy> retention_policies() = 0;

  // Live customers, merged into none, with no activity since `cutoff`
  // (privacy.hpp: no event but automated ones on its timeline or those of
  // the customers merged into it, not created, not online since), in row
  // order; each with what keeps it at `now` ("banned", "purses",
  // "memberships", "bookings") or "" when nothing does. `only`: that
  // customer alone, when it still is one.
  virtual std::vector<RetentionSkip> inactive_customers(Timestamp cutoff, Timestamp now,
                                                        const std::optional<CustomerId>& only) = 0;
  // Documents of `kind` uploaded before `cutoff`, by id, after id `after`;
  // at most `limit`.
  virtual std::vector<std::int64_t> documents_before(DocumentKind kind, Timestamp cutoff, std::int64_t after,
                                                     std::size_t limit) = 0;
  // Customers' events from before `cutoff` whose details are still there
  // (and readable: an erased customer's are not counted).
  virtual std::int64_t count_event_details(Timestamp cutoff) = 0;
  // Drops the details of at most `limit` of those events, in id order after
  // id `after`, stamping `now`: the number dropped and the last id reached.
  virtual std::pair<std::int64_t, std::int64_t> drop_event_details(Timestamp cutoff, Timestamp now, std::int64_t after,
                                                                   std::size_t limit) = 0;

  // The record of retention runs: a run, then per policy its outcome (the
  // policy as applied, its cutoff, `held`), grown in the transaction of each
  // step by what the step did — so a run stopped half way still says what
  // it did.
  virtual std::int64_t begin_retention_run(const std::string& actor, Timestamp at) = 0;
  virtual void begin_retention_outcome(std::int64_t run, const RetentionOutcome& outcome) = 0;
  virtual void add_retention_items(std::int64_t run, const std::string& policy,
                                   const std::vector<CustomerId>& customers,
                                   const std::vector<std::int64_t>& documents,
                                   const std::vector<RetentionSkip>& skipped) = 0;
  virtual void add_retention_events(std::int64_t run, const std::string& policy, std::int64_t events) = 0;
  virtual void hold_retention_outcome(std::int64_t run, const std::string& policy, const std::string& held) = 0;
  virtual void finish_retention_run(std::int64_t run, Timestamp at) = 0;
  virtual std::vector<RetentionRun> retention_runs(Page page) = 0;
};

}  // namespace patron::store
