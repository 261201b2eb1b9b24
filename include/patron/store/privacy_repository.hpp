// Port: erasure's storage side (privacy.hpp). The core decides who is
// erased and what goes on the suppression list; the store removes and blanks
// the rows, keeps the tombstone, and scrubs its indexes.
#pragma once

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
};

}  // namespace patron::store
