#include "sqlite/sqlite_store.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <condition_variable>
#include <limits>
#include <mutex>
#include <vector>

#include "patron/error.hpp"
#include "sqlite/activity_repository.hpp"
#include "sqlite/analytics_repository.hpp"
#include "sqlite/commerce_repository.hpp"
#include "sqlite/company_repository.hpp"
#include "sqlite/credential_repository.hpp"
#include "sqlite/custom_field_repository.hpp"
#include "sqlite/customer_repository.hpp"
#include "sqlite/door_repository.hpp"
#include "sqlite/graph_repository.hpp"
#include "sqlite/membership_repository.hpp"
#include "sqlite/duplicate_repository.hpp"
#include "sqlite/import_repository.hpp"
#include "sqlite/merge_repository.hpp"
#include "sqlite/document_repository.hpp"
#include "sqlite/note_repository.hpp"
#include "sqlite/loyalty_repository.hpp"
#include "sqlite/promotion_repository.hpp"
#include "sqlite/purse_repository.hpp"
#include "sqlite/visit_repository.hpp"
#include "sqlite/consent_repository.hpp"
#include "sqlite/privacy_repository.hpp"
#include "sqlite/maintenance.hpp"
#include "sqlite/schema.hpp"

namespace patron::sqlite {

Connection::Connection(const std::string& path, int flags, int busy_timeout_ms)
    : db_(path, flags | SQLITE_OPEN_NOMUTEX, busy_timeout_ms) {
  db_.exec("PRAGMA foreign_keys = ON");
}

SQLite::Statement& Connection::statement(const char* sql) {
  Cached& slot = cache_[sql];
  if (!slot.statement) {
    slot.statement = std::make_unique<SQLite::Statement>(db_, sql);
  } else {
    slot.statement->reset();
    slot.statement->clearBindings();
  }
  if (!slot.handed_out) {
    slot.handed_out = true;
    handed_out_.push_back(&slot);
  }
  return *slot.statement;
}

std::optional<std::int64_t> customer_seq(Connection& conn, const std::string& id) {
  if (const auto seq = conn.remembered_seq(id)) return seq;
  auto& st = conn.statement("SELECT seq FROM customers WHERE id = ?");
  st.bind(1, id);
  if (!st.executeStep()) return std::nullopt;
  // Not remembered: `id` may be a merged-away customer, and what is
  // remembered must lead to a live one (CustomerRepository::by_id).
  return st.getColumn(0).getInt64();
}

std::int64_t require_customer_seq(Connection& conn, const std::string& id) {
  const auto seq = customer_seq(conn, id);
  if (!seq) throw Error(Errc::not_found, "customer: no customer " + id, "customer");
  return *seq;
}

void bind_page(SQLite::Statement& st, int limit_index, int offset_index, std::size_t limit, std::size_t offset) {
  constexpr auto kMax = static_cast<std::size_t>(std::numeric_limits<int64_t>::max());
  st.bind(limit_index, static_cast<int64_t>(std::min(limit, kMax)));
  st.bind(offset_index, static_cast<int64_t>(std::min(offset, kMax)));
}

void Connection::reset_statements() noexcept {
  forget_customer();
  for (Cached* slot : handed_out_) {
    slot->statement->tryReset();
    slot->handed_out = false;
  }
  handed_out_.clear();
}

namespace {

[[noreturn]] void rethrow_as_patron_error();

class SqliteTransaction final : public store::Transaction {
 public:
  explicit SqliteTransaction(Connection& conn) : customers_(conn), commerce_(conn), analytics_(conn), companies_(conn), memberships_(conn), credentials_(conn), doors_(conn), connections_(conn), custom_fields_(conn), notes_(conn), documents_(conn), activity_(conn), purses_(conn), idempotency_(conn), loyalty_(conn), promotions_(conn), visits_(conn), consent_(conn), merges_(conn), duplicates_(conn), imports_(conn), privacy_(conn), conn_(conn) {
    conn.forget_customer();
  }
  store::CustomerRepository& customers() override { return customers_; }
  store::CommerceRepository& commerce() override { return commerce_; }
  store::AnalyticsRepository& analytics() override { return analytics_; }
  store::CompanyRepository& companies() override { return companies_; }
  store::MembershipRepository& memberships() override { return memberships_; }
  store::CredentialRepository& credentials() override { return credentials_; }
  store::DoorRepository& doors() override { return doors_; }
  store::ConnectionRepository& connections() override { return connections_; }
  store::CustomFieldRepository& custom_fields() override { return custom_fields_; }
  store::NoteRepository& notes() override { return notes_; }
  store::DocumentRepository& documents() override { return documents_; }
  store::ActivityRepository& activity() override { return activity_; }
  store::PurseRepository& purses() override { return purses_; }
  store::IdempotencyRepository& idempotency() override { return idempotency_; }
  store::LoyaltyRepository& loyalty() override { return loyalty_; }
  store::PromotionRepository& promotions() override { return promotions_; }
  store::VisitRepository& visits() override { return visits_; }
  store::ConsentRepository& consent() override { return consent_; }
  store::MergeRepository& merges() override { return merges_; }
  store::DuplicateRepository& duplicates() override { return duplicates_; }
  store::ImportRepository& imports() override { return imports_; }
  store::PrivacyRepository& privacy() override { return privacy_; }
  void step(const std::function<void()>& work) override {
    conn_.statement("SAVEPOINT step").exec();
    // What the customers repository keeps in memory goes back with the
    // rows (a number claimed by a step undone is claimed again).
    const auto numbers = customers_.number_state();
    try {
      work();
    } catch (...) {
      customers_.restore_number_state(numbers);
      conn_.reset_statements();
      // SQLite may have rolled the whole transaction back already (a full
      // disk): then there is no step to go back to, and the error stands.
      if (sqlite3_get_autocommit(conn_.db().getHandle()) == 0) {
        conn_.statement("ROLLBACK TO step").exec();
        conn_.statement("RELEASE step").exec();
      }
      rethrow_as_patron_error();
    }
    conn_.statement("RELEASE step").exec();
  }
  void flush() { customers_.flush(); }

 private:
  CustomerRepository customers_;
  CommerceRepository commerce_;
  AnalyticsRepository analytics_;
  CompanyRepository companies_;
  MembershipRepository memberships_;
  CredentialRepository credentials_;
  DoorRepository doors_;
  GraphRepository connections_;
  CustomFieldRepository custom_fields_;
  NoteRepository notes_;
  DocumentRepository documents_;
  ActivityRepository activity_;
  PurseRepository purses_;
  IdempotencyRepository idempotency_;
  LoyaltyRepository loyalty_;
  PromotionRepository promotions_;
  VisitRepository visits_;
  ConsentRepository consent_;
  MergeRepository merges_;
  DuplicateRepository duplicates_;
  ImportRepository imports_;
  PrivacyRepository privacy_;
  Connection& conn_;
};

// SQLite failures become patron errors; patron errors pass through.
[[noreturn]] void rethrow_as_patron_error() {
  try {
    throw;
  } catch (const Error&) {
    throw;
  } catch (const SQLite::Exception& e) {
    const int code = e.getExtendedErrorCode();
    if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY) {
      throw Error(Errc::already_exists, std::string("storage: ") + e.what());
    }
    if (code == SQLITE_CONSTRAINT_TRIGGER) throw Error(Errc::failed_precondition, e.what());
    throw Error(Errc::storage, std::string("storage: ") + e.what());
  }
}

void rollback(Connection& conn) noexcept {
  conn.reset_statements();
  if (sqlite3_get_autocommit(conn.db().getHandle()) != 0) return;  // SQLite already rolled back
  try {
    conn.exec("ROLLBACK");
  } catch (...) {
    // The connection stays usable; SQLite rolls back on the next BEGIN failure at worst.
  }
}

class SqliteStore final : public store::Store {
 public:
  SqliteStore(const std::string& path, const Options& options)
      : path_(path),
        memory_(path == ":memory:" || path.empty()),
        busy_timeout_ms_(static_cast<int>(options.busy_timeout.count())),
        max_readers_(options.max_readers) {
    writer_ = std::make_unique<Connection>(path_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, busy_timeout_ms_);
    if (!memory_) writer_->exec("PRAGMA journal_mode = WAL");
    writer_->exec(options.synchronous == Synchronous::full ? "PRAGMA synchronous = FULL"
                                                           : "PRAGMA synchronous = NORMAL");
    // A batch of writes touches pages all over the indexes of a large base;
    // with SQLite's default 2 MiB the writer spills them to the WAL and reads
    // them back within one transaction. 64 MiB at most, grown only as used.
    writer_->exec("PRAGMA cache_size = -65536");
    // Whatever a write deletes or overwrites is zeroed, in its page and in
    // pages it frees: an erased customer's data (privacy.hpp), a removed
    // note's old text, leave no stale copy behind in the file.
    writer_->exec("PRAGMA secure_delete = ON");
    schema_version_ = migrate(*writer_);
  }

  void read(const store::Work& work) override {
    snapshot([&](Connection& conn) {
      SqliteTransaction tx(conn);
      work(tx);
    });
  }

  std::int64_t backup(const std::string& path) override {
    std::int64_t bytes = 0;
    snapshot([&](Connection& conn) { bytes = backup_into(conn, path); });
    return bytes;
  }

  store::StoreStats stats() override {
    store::StoreStats out;
    snapshot([&](Connection& conn) { out = stats_of(conn); });
    return out;
  }

  store::StoreCheck check(bool quick, std::size_t max_problems) override {
    store::StoreCheck out;
    snapshot([&](Connection& conn) { out = check_file(conn, quick, max_problems); });
    return out;
  }

  void write(const store::Work& work) override {
    std::lock_guard lock(write_mutex_);
    try {
      writer_->statement("BEGIN IMMEDIATE").exec();
    } catch (...) {
      rethrow_as_patron_error();
    }
    try {
      SqliteTransaction tx(*writer_);
      work(tx);
      tx.flush();
      writer_->reset_statements();
      writer_->statement("COMMIT").exec();
    } catch (...) {
      rollback(*writer_);
      rethrow_as_patron_error();
    }
  }

  int schema_version() override { return schema_version_; }

  void checkpoint() override {
    if (memory_) return;
    std::lock_guard lock(write_mutex_);
    int log_frames = 0;
    int moved = 0;
    const int rc = sqlite3_wal_checkpoint_v2(writer_->db().getHandle(), nullptr, SQLITE_CHECKPOINT_TRUNCATE,
                                             &log_frames, &moved);
    if (rc != SQLITE_OK) {
      throw Error(Errc::storage, std::string("storage: the write-ahead log could not be checkpointed: ") +
                                     sqlite3_errstr(rc));
    }
  }

 private:
  // Runs `f` on a reader connection inside one read transaction: one
  // snapshot, concurrent with the writer. An in-memory database has one
  // connection: the writer's, under its lock.
  template <typename F>
  void snapshot(F&& f) {
    if (memory_) {
      std::lock_guard lock(write_mutex_);
      try {
        writer_->statement("BEGIN").exec();
        f(*writer_);
        writer_->reset_statements();
        writer_->statement("COMMIT").exec();
      } catch (...) {
        rollback(*writer_);
        rethrow_as_patron_error();
      }
      return;
    }
    std::unique_ptr<Connection> conn = acquire_reader();
    try {
      conn->statement("BEGIN").exec();
      f(*conn);
      conn->reset_statements();
      conn->statement("COMMIT").exec();
    } catch (...) {
      rollback(*conn);
      release_reader(std::move(conn));
      rethrow_as_patron_error();
    }
    release_reader(std::move(conn));
  }

  std::unique_ptr<Connection> acquire_reader() {
    std::unique_lock lock(pool_mutex_);
    pool_cv_.wait(lock, [&] { return !free_readers_.empty() || open_readers_ < max_readers_; });
    if (!free_readers_.empty()) {
      auto conn = std::move(free_readers_.back());
      free_readers_.pop_back();
      return conn;
    }
    ++open_readers_;
    lock.unlock();
    try {
      auto conn = std::make_unique<Connection>(path_, SQLITE_OPEN_READWRITE, busy_timeout_ms_);
      conn->exec("PRAGMA query_only = ON");
      return conn;
    } catch (...) {
      std::lock_guard relock(pool_mutex_);
      --open_readers_;
      pool_cv_.notify_one();
      rethrow_as_patron_error();
    }
  }

  void release_reader(std::unique_ptr<Connection> conn) {
    {
      std::lock_guard lock(pool_mutex_);
      free_readers_.push_back(std::move(conn));
    }
    pool_cv_.notify_one();
  }

  std::string path_;
  bool memory_;
  int busy_timeout_ms_;
  unsigned max_readers_;
  int schema_version_ = 0;

  std::mutex write_mutex_;
  std::unique_ptr<Connection> writer_;

  std::mutex pool_mutex_;
  std::condition_variable pool_cv_;
  std::vector<std::unique_ptr<Connection>> free_readers_;
  unsigned open_readers_ = 0;
};

}  // namespace

std::unique_ptr<store::Store> open_store(const std::string& path, const Options& options) {
  try {
    return std::make_unique<SqliteStore>(path, options);
  } catch (...) {
    rethrow_as_patron_error();
  }
}

}  // namespace patron::sqlite
