// Port: the storage behind a Database.
//
// A Store runs units of work in transactions. write() runs one at a time
// (per store, and across processes sharing a file) and commits when `work`
// returns; when `work` throws, everything it did is rolled back and the
// exception propagates. read() sees one consistent snapshot and runs
// concurrently with a writer. The Transaction (and the repositories it hands
// out) is valid only inside `work`. Storage failures surface as
// Error(storage); a uniqueness rule broken at the storage level as
// Error(already_exists). A Store is thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "patron/store/activity_repository.hpp"
#include "patron/store/analytics_repository.hpp"
#include "patron/store/commerce_repository.hpp"
#include "patron/store/company_repository.hpp"
#include "patron/store/connection_repository.hpp"
#include "patron/store/consent_repository.hpp"
#include "patron/store/credential_repository.hpp"
#include "patron/store/custom_field_repository.hpp"
#include "patron/store/customer_repository.hpp"
#include "patron/store/door_repository.hpp"
#include "patron/store/duplicate_repository.hpp"
#include "patron/store/idempotency_repository.hpp"
#include "patron/store/import_repository.hpp"
#include "patron/store/loyalty_repository.hpp"
#include "patron/store/membership_repository.hpp"
#include "patron/store/merge_repository.hpp"
#include "patron/store/document_repository.hpp"
#include "patron/store/note_repository.hpp"
#include "patron/store/promotion_repository.hpp"
#include "patron/store/purse_repository.hpp"
#include "patron/store/visit_repository.hpp"

namespace patron::store {

class PrivacyRepository;  // privacy_repository.hpp: only erasure and access export use it

class Transaction {
 public:
  virtual ~Transaction() = default;
  virtual CustomerRepository& customers() = 0;
  virtual CommerceRepository& commerce() = 0;
  virtual AnalyticsRepository& analytics() = 0;
  virtual CompanyRepository& companies() = 0;
  virtual MembershipRepository& memberships() = 0;
  virtual CredentialRepository& credentials() = 0;
  virtual DoorRepository& doors() = 0;
  virtual ConnectionRepository& connections() = 0;
  virtual NoteRepository& notes() = 0;
  virtual DocumentRepository& documents() = 0;
  virtual ActivityRepository& activity() = 0;
  virtual CustomFieldRepository& custom_fields() = 0;
  virtual PurseRepository& purses() = 0;
  virtual IdempotencyRepository& idempotency() = 0;
  virtual LoyaltyRepository& loyalty() = 0;
  virtual PromotionRepository& promotions() = 0;
  virtual VisitRepository& visits() = 0;
  virtual ConsentRepository& consent() = 0;
  virtual MergeRepository& merges() = 0;
  virtual DuplicateRepository& duplicates() = 0;
  virtual ImportRepository& imports() = 0;
  virtual PrivacyRepository& privacy() = 0;
  // Runs `work` as one step inside this transaction: when it throws,
  // everything it did is undone and the exception propagates, and the
  // transaction goes on as it was before the step (a savepoint).
  virtual void step(const std::function<void()>& work) = 0;
};

using Work = std::function<void(Transaction&)>;

// What the store's own checks found (see Database::check).
struct StoreCheck {
  std::int64_t customers = 0;
  std::int64_t purse_accounts = 0;
  std::int64_t points_accounts = 0;
  std::vector<std::pair<std::string, std::string>> problems{};  // check, detail
};

// Counts for Database::stats (the schema version and file size are the
// caller's).
struct StoreStats {
  std::map<std::string, std::int64_t> counts{};  // "customers", "merged", "banned", "with_email", ...
  std::vector<std::tuple<std::string, std::int64_t, std::int64_t>> purses{};  // currency, accounts, balance
  std::vector<std::tuple<std::string, std::int64_t, std::int64_t>> points{};  // program, accounts, points
  std::int64_t file_bytes = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  virtual void read(const Work& work) = 0;
  virtual void write(const Work& work) = 0;
  virtual int schema_version() = 0;
  // A consistent copy of everything into a new file at `path` (which must
  // not exist), from one read snapshot. Returns its size in bytes.
  virtual std::int64_t backup(const std::string& path) = 0;
  // Integrity, references and every ledger checkpoint, in one snapshot; at
  // most `max_problems` problems.
  virtual StoreCheck check(bool quick, std::size_t max_problems) = 0;
  virtual StoreStats stats() = 0;
  // Moves every committed write from the write-ahead log into the file and
  // empties the log, so what a write overwrote is nowhere on disk (erasure).
  // Waits for readers up to the busy timeout; Error(storage) when it cannot.
  virtual void checkpoint() = 0;
};

}  // namespace patron::store
