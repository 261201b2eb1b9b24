// bench_customers: patron against raw SQLite, measured in the same run.
//
// Setup (done once): N customers (PATRON_BENCH_CUSTOMERS, default 1,000,000),
// each with a first and last name, an email and a GB mobile phone, are
// created twice, in two file databases under a fresh temporary directory:
//
//  - patron.db through patron's batch call, Customers::create_many, in
//    batches of PATRON_BENCH_BATCH (default 10,000), one transaction each;
//  - raw.db with the identical schema (a patron Database is opened on it once
//    to create it, then closed) filled through the sqlite3 C API with
//    prepared statements, one transaction per batch, inserting the same rows
//    already normalised (lower-case email, E.164 phone, folded name key,
//    UUIDv7 id and customer number generated beforehand): the same columns
//    of customers, customer_emails, customer_email_domains (each email's
//    registrable domain), customer_phones, the FTS5 customer_names row, the
//    customer.created event with its data key and edit-history rows, and the
//    number counter in patron_meta, with the same indexes and pragmas (WAL,
//    synchronous=NORMAL, foreign_keys=ON, cache_size 64 MiB).
//
// Batches alternate: patron batch k, raw batch k and libphonenumber parsing
// of the same batch's phone strings (Parse + IsValidNumber + Format E.164),
// so the three throughputs are measured under the same load and table sizes.
// The bound for patron is raw insert time + phone parse time.
//
// Lookups then run under Google Benchmark against the two files: random
// existing customers by email, given to patron in mixed case (so its
// normalisation runs) and to raw SQLite already lower-cased. The raw
// baseline runs, in one read transaction (BEGIN ... COMMIT, as patron does,
// so the five reads see one snapshot), the statements patron's adapter runs:
// email -> customer seq, the customer row (same 20 columns), its emails,
// phones and addresses, copying every value into a plain struct.
//
// A markdown summary with the ratios is printed at the end. Google Benchmark
// flags work as usual (defaults here: 3 repetitions, randomly interleaved,
// medians reported). PATRON_BENCH_DIR picks the parent of the temporary
// directory; PATRON_BENCH_KEEP=1 keeps the database files.
#include <benchmark/benchmark.h>

#include "bench_support.hpp"
#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>
#include <sqlite3.h>
#include <stdlib.h>  // mkdtemp
#include <time.h>    // clock_gettime
#include <unistd.h>  // isatty

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "patron/patron.hpp"

namespace {

using patron::bench::seconds_since;
using patron::bench::CapturingReporter;
using patron::bench::console_options;
using patron::bench::env_count;
using patron::bench::fixed;
using patron::bench::grouped;

namespace fs = std::filesystem;
using SteadyClock = std::chrono::steady_clock;
using i18n::phonenumbers::PhoneNumberUtil;

// ---------------------------------------------------------------------------
// Configuration

bool env_flag(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' && std::strcmp(v, "0") != 0;
}

// ---------------------------------------------------------------------------
// The data set: customer i, deterministic.

constexpr std::array<std::string_view, 24> kFirstNames{
    "Ana",  "Ben",  "Chloe",  "David", "Emma",    "Farid", "Grace", "Hugo", "Isla", "Jack", "Kemi", "Liam",
    "Maya", "Noah", "Olivia", "Priya", "Quentin", "Rosa",  "Sam",   "Tara", "Umar", "Vera", "Will", "Zoe"};
constexpr std::array<std::string_view, 25> kLastNames{
    "Silva", "Smith",  "Jones",  "Taylor",  "Brown",  "Williams", "Wilson",  "Johnson", "Davies",
    "Patel", "Wright", "Walker", "Khan",    "Evans",  "Thomas",   "Roberts", "Green",   "Hall",
    "Wood",  "Clarke", "Hughes", "Edwards", "Turner", "Hill",     "Moore"};
constexpr std::size_t kEmailDomains = 100;

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string zero_pad(std::size_t value, std::size_t width) {
  std::string s = std::to_string(value);
  if (s.size() < width) s.insert(0, width - s.size(), '0');
  return s;
}

// GB mobile prefixes 07400..07999 for which libphonenumber validates every
// number we generate (a few ranges are unallocated or need special digits).
std::vector<std::string> valid_mobile_prefixes() {
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  std::vector<std::string> out;
  for (int p = 400; p <= 999; ++p) {
    const std::string prefix = "07" + std::to_string(p);
    bool ok = true;
    for (const char* suffix : {"000000", "123456", "499999", "500000", "999999"}) {
      i18n::phonenumbers::PhoneNumber parsed;
      ok = util.Parse(prefix + " " + suffix, "GB", &parsed) == PhoneNumberUtil::NO_PARSING_ERROR &&
           util.IsValidNumber(parsed) && util.GetNumberType(parsed) == PhoneNumberUtil::MOBILE;
      if (!ok) break;
    }
    if (ok) out.push_back(prefix);
  }
  if (out.empty()) throw std::runtime_error("libphonenumber validates no GB mobile prefix 07400-07999");
  return out;
}

class Dataset {
 public:
  explicit Dataset(std::size_t n) : n_(n), prefixes_(valid_mobile_prefixes()) {
    if (n_ / prefixes_.size() >= 1000000) throw std::runtime_error("too many customers for the phone plan");
  }
  std::size_t size() const { return n_; }
  std::size_t prefix_count() const { return prefixes_.size(); }

  std::string_view first(std::size_t i) const { return kFirstNames[i % kFirstNames.size()]; }
  std::string_view last(std::size_t i) const { return kLastNames[(i / kFirstNames.size()) % kLastNames.size()]; }
  // "ana.silva.42@example42.com" (stored form).
  std::string email(std::size_t i) const {
    return ascii_lower(first(i)) + "." + ascii_lower(last(i)) + "." + std::to_string(i) + "@example" +
           std::to_string(i % kEmailDomains) + ".com";
  }
  // "Ana.Silva.42@Example42.COM": what a till would type; normalises to email(i).
  std::string email_mixed_case(std::size_t i) const {
    return std::string(first(i)) + "." + std::string(last(i)) + "." + std::to_string(i) + "@Example" +
           std::to_string(i % kEmailDomains) + ".COM";
  }
  // "07911 000042" as typed.
  std::string phone(std::size_t i) const {
    return prefixes_[i % prefixes_.size()] + " " + zero_pad(i / prefixes_.size(), 6);
  }
  // "+447911000042" (stored form).
  std::string phone_e164(std::size_t i) const {
    return "+44" + prefixes_[i % prefixes_.size()].substr(1) + zero_pad(i / prefixes_.size(), 6);
  }
  // The generated customer number of the i-th customer created: "00001", ...
  std::string number(std::size_t i) const { return zero_pad(i + 1, 5); }
  // patron's name key for search: folded first name, space, folded last name.
  std::string name_key(std::size_t i) const { return ascii_lower(first(i)) + " " + ascii_lower(last(i)); }

 private:
  std::size_t n_;
  std::vector<std::string> prefixes_;
};

// ---------------------------------------------------------------------------
// A thin RAII layer over the sqlite3 C API for the baseline.

class RawDb {
 public:
  RawDb(const std::string& path, int flags) {
    if (sqlite3_open_v2(path.c_str(), &db_, flags | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
      const std::string msg = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close_v2(db_);
      throw std::runtime_error("sqlite3_open_v2(" + path + "): " + msg);
    }
    sqlite3_busy_timeout(db_, 5000);
    // The same pragmas as patron's connections.
    exec("PRAGMA journal_mode = WAL");
    exec("PRAGMA synchronous = NORMAL");
    exec("PRAGMA foreign_keys = ON");
    exec("PRAGMA cache_size = -65536");  // patron's writer's
  }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;
  ~RawDb() {
    for (sqlite3_stmt* s : statements_) sqlite3_finalize(s);
    sqlite3_close_v2(db_);
  }

  void exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      const std::string msg = err != nullptr ? err : sqlite3_errmsg(db_);
      sqlite3_free(err);
      throw std::runtime_error(std::string(sql) + ": " + msg);
    }
  }
  sqlite3_stmt* prepare(const char* sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK) {
      throw std::runtime_error(std::string("prepare: ") + sql + ": " + sqlite3_errmsg(db_));
    }
    statements_.push_back(s);
    return s;
  }
  // Steps a statement that returns no row, then resets it.
  void run(sqlite3_stmt* s) {
    const int rc = sqlite3_step(s);
    if (rc != SQLITE_DONE) fail(s, rc);
    sqlite3_reset(s);
  }
  // Steps a query: true on a row, false when done.
  bool row(sqlite3_stmt* s) {
    const int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    fail(s, rc);
  }
  std::int64_t scalar(const char* sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, sql, -1, &s, nullptr) != SQLITE_OK) throw std::runtime_error(sqlite3_errmsg(db_));
    const std::int64_t v = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
    sqlite3_finalize(s);
    return v;
  }
  sqlite3* handle() const { return db_; }

 private:
  [[noreturn]] void fail(sqlite3_stmt* s, int rc) {
    const std::string msg = std::string(sqlite3_sql(s)) + ": " + sqlite3_errstr(rc) + ": " + sqlite3_errmsg(db_);
    sqlite3_reset(s);
    throw std::runtime_error(msg);
  }

  sqlite3* db_ = nullptr;
  std::vector<sqlite3_stmt*> statements_;
};

void bind_text(sqlite3_stmt* s, int index, std::string_view text) {
  sqlite3_bind_text(s, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
}

std::string column_text(sqlite3_stmt* s, int col) {
  const auto* p = sqlite3_column_text(s, col);
  if (p == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(s, col)));
}

std::optional<std::string> column_opt_text(sqlite3_stmt* s, int col) {
  if (sqlite3_column_type(s, col) == SQLITE_NULL) return std::nullopt;
  return column_text(s, col);
}

std::optional<std::int64_t> column_opt_int(sqlite3_stmt* s, int col) {
  if (sqlite3_column_type(s, col) == SQLITE_NULL) return std::nullopt;
  return sqlite3_column_int64(s, col);
}

// ---------------------------------------------------------------------------
// Raw writer: the rows patron's adapter inserts for a customer with one
// email and one phone (see src/sqlite/customer_repository.cpp, insert()).

struct RawRow {
  std::string id;
  std::string number;
  std::string first_name;
  std::string last_name;
  std::string email;  // normalised
  std::string phone;  // E.164
  std::string name_key;
  std::string domain;  // the email's registrable domain ("example42.com")
};

// Bytes of a customer.created event's sealed details for a customer with a
// number, a name, an email and a phone: nonce (24) + JSON (287) + tag (16).
constexpr std::size_t kSealedDetailsBytes = 327;

class RawWriter {
 public:
  explicit RawWriter(const std::string& path)
      : db_(path, SQLITE_OPEN_READWRITE),
        begin_(db_.prepare("BEGIN IMMEDIATE")),
        commit_(db_.prepare("COMMIT")),
        customer_(db_.prepare(
            "INSERT INTO customers (title, first_name, last_name, date_of_birth, lifecycle_stage, tags, "
            "emergency_name, emergency_phone, status, ban_reason, banned_by, banned_at, online_until, updated_at, "
            "first_active_at, last_active_at, id, number, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")),
        email_(
            db_.prepare("INSERT INTO customer_emails (address, customer, is_primary, position) VALUES (?, ?, ?, ?)")),
        domain_(db_.prepare("INSERT INTO customer_email_domains (address, customer, domain) VALUES (?, ?, ?)")),
        phone_(db_.prepare("INSERT INTO customer_phones (customer, number, label, verified) VALUES (?, ?, ?, ?)")),
        name_(db_.prepare("INSERT INTO customer_names (rowid, name_key) VALUES (?, ?)")),
        key_(db_.prepare("INSERT INTO data_keys (customer, key, created_at) VALUES (?, ?, ?)")),
        event_(db_.prepare("INSERT INTO events (customer, at, category, type, source, actor, action, summary, "
                           "details, data_key) VALUES (?, ?, 'customers', 'data', 'api', '', 'customer.created', "
                           "'Customer created', ?, ?)")),
        edit_(db_.prepare("INSERT INTO event_edits (customer, field, event, position) VALUES (?, ?, ?, ?)")),
        counter_(db_.prepare("UPDATE patron_meta SET value = ? WHERE key = 'next_customer_number'")),
        sealed_(kSealedDetailsBytes, '\x5a'),
        key_bytes_(32, '\x42') {}

  void insert_batch(const std::vector<RawRow>& rows, std::int64_t now_us, std::int64_t next_number) {
    db_.run(begin_);
    for (const RawRow& r : rows) {
      sqlite3_stmt* c = customer_;
      bind_text(c, 1, "");  // title
      bind_text(c, 2, r.first_name);
      bind_text(c, 3, r.last_name);
      sqlite3_bind_null(c, 4);  // date_of_birth
      bind_text(c, 5, "");      // lifecycle_stage
      bind_text(c, 6, "[]");    // tags
      sqlite3_bind_null(c, 7);  // emergency_name
      sqlite3_bind_null(c, 8);  // emergency_phone
      bind_text(c, 9, "active");
      for (int i = 10; i <= 13; ++i) sqlite3_bind_null(c, i);  // ban reason/by/at, online_until
      sqlite3_bind_int64(c, 14, now_us);                       // updated_at
      sqlite3_bind_null(c, 15);                                // first_active_at
      sqlite3_bind_null(c, 16);                                // last_active_at
      bind_text(c, 17, r.id);
      bind_text(c, 18, r.number);
      sqlite3_bind_int64(c, 19, now_us);  // created_at
      db_.run(c);
      const std::int64_t seq = sqlite3_last_insert_rowid(db_.handle());

      bind_text(email_, 1, r.email);
      sqlite3_bind_int64(email_, 2, seq);
      sqlite3_bind_int(email_, 3, 1);
      sqlite3_bind_int(email_, 4, 1);
      db_.run(email_);
      // Each email's registrable domain (for companies' email domains).
      bind_text(domain_, 1, r.email);
      sqlite3_bind_int64(domain_, 2, seq);
      bind_text(domain_, 3, r.domain);
      db_.run(domain_);

      sqlite3_bind_int64(phone_, 1, seq);
      bind_text(phone_, 2, r.phone);
      bind_text(phone_, 3, "mobile");
      sqlite3_bind_int(phone_, 4, 1);
      db_.run(phone_);

      sqlite3_bind_int64(name_, 1, seq);
      bind_text(name_, 2, r.name_key);
      db_.run(name_);

      // The customer.created event patron appends: a data key, the sealed
      // details (same size; encryption itself is patron's cost) and one
      // edit-history row per field given.
      bind_text(key_, 1, r.id);
      sqlite3_bind_blob(key_, 2, key_bytes_.data(), static_cast<int>(key_bytes_.size()), SQLITE_STATIC);
      sqlite3_bind_int64(key_, 3, now_us);
      db_.run(key_);
      const std::int64_t key_id = sqlite3_last_insert_rowid(db_.handle());
      bind_text(event_, 1, r.id);
      sqlite3_bind_int64(event_, 2, now_us);
      sqlite3_bind_blob(event_, 3, sealed_.data(), static_cast<int>(sealed_.size()), SQLITE_STATIC);
      sqlite3_bind_int64(event_, 4, key_id);
      db_.run(event_);
      const std::int64_t event = sqlite3_last_insert_rowid(db_.handle());
      int position = 0;
      for (const char* field : {"number", "first_name", "last_name", "email", "phone"}) {
        bind_text(edit_, 1, r.id);
        bind_text(edit_, 2, field);
        sqlite3_bind_int64(edit_, 3, event);
        sqlite3_bind_int(edit_, 4, position++);
        db_.run(edit_);
      }
    }
    sqlite3_bind_int64(counter_, 1, next_number);
    db_.run(counter_);
    db_.run(commit_);
  }

 private:
  RawDb db_;
  sqlite3_stmt* begin_;
  sqlite3_stmt* commit_;
  sqlite3_stmt* customer_;
  sqlite3_stmt* email_;
  sqlite3_stmt* domain_;
  sqlite3_stmt* phone_;
  sqlite3_stmt* name_;
  sqlite3_stmt* key_;
  sqlite3_stmt* event_;
  sqlite3_stmt* edit_;
  sqlite3_stmt* counter_;
  std::string sealed_;
  std::string key_bytes_;
};

// ---------------------------------------------------------------------------
// Raw reader: the reads patron's adapter runs for find_by_email (by_email ->
// load_seq -> load_contacts) and identify (id_by_email -> by_id), copied into
// plain structs as a hand-written C++ host would.

struct RawEmail {
  std::string address;
  bool primary = false;
};
struct RawPhone {
  std::string number;
  std::string label;
  bool verified = false;
};
struct RawAddress {
  std::int64_t id = 0;
  std::string purpose, line1, line2, city, region, postal_code, country;
  bool is_default = false;
};
struct RawCustomer {
  std::int64_t seq = 0;
  std::string id, number, title, first_name, last_name;
  std::optional<std::string> date_of_birth;
  std::string lifecycle_stage, tags;
  std::optional<std::string> emergency_name, emergency_phone;
  std::string status;
  std::optional<std::string> ban_reason, banned_by;
  std::optional<std::int64_t> banned_at, online_until;
  std::int64_t created_at = 0, updated_at = 0;
  std::optional<std::int64_t> first_active_at, last_active_at;
  std::vector<RawEmail> emails;
  std::vector<RawPhone> phones;
  std::vector<RawAddress> addresses;
};

#define BENCH_CUSTOMER_COLUMNS                                                                   \
  "SELECT seq, id, number, title, first_name, last_name, date_of_birth, lifecycle_stage, tags, " \
  "emergency_name, emergency_phone, status, ban_reason, banned_by, banned_at, online_until, "    \
  "created_at, updated_at, first_active_at, last_active_at FROM customers "

class RawReader {
 public:
  explicit RawReader(const std::string& path)
      : db_(path, SQLITE_OPEN_READWRITE),
        begin_(db_.prepare("BEGIN")),
        commit_(db_.prepare("COMMIT")),
        seq_by_email_(db_.prepare("SELECT customer FROM customer_emails WHERE address = ?")),
        id_by_email_(db_.prepare(
            "SELECT c.id FROM customer_emails e JOIN customers c ON c.seq = e.customer WHERE e.address = ?")),
        by_seq_(db_.prepare(BENCH_CUSTOMER_COLUMNS "WHERE seq = ?")),
        by_id_(db_.prepare(BENCH_CUSTOMER_COLUMNS "WHERE id = ?")),
        emails_(db_.prepare(
            "SELECT address, is_primary FROM customer_emails WHERE customer = ? ORDER BY is_primary DESC, position")),
        phones_(db_.prepare("SELECT number, label, verified FROM customer_phones WHERE customer = ? ORDER BY id")),
        addresses_(db_.prepare("SELECT id, purpose, line1, line2, city, region, postal_code, country, is_default "
                               "FROM customer_addresses WHERE customer = ? ORDER BY id")) {
    db_.exec("PRAGMA query_only = ON");
  }

  // find_by_email: email -> seq -> customer row -> contacts.
  std::optional<RawCustomer> find_by_email(std::string_view address, bool transaction) {
    if (transaction) db_.run(begin_);
    std::optional<RawCustomer> out;
    bind_text(seq_by_email_, 1, address);
    if (db_.row(seq_by_email_)) {
      const std::int64_t seq = sqlite3_column_int64(seq_by_email_, 0);
      sqlite3_reset(seq_by_email_);
      sqlite3_bind_int64(by_seq_, 1, seq);
      out = load(by_seq_);
    } else {
      sqlite3_reset(seq_by_email_);
    }
    if (transaction) db_.run(commit_);
    return out;
  }

  // identify's path for an email token: email -> id (join), then the
  // customer by id and its contacts.
  std::optional<RawCustomer> identify_path(std::string_view address) {
    db_.run(begin_);
    std::optional<RawCustomer> out;
    bind_text(id_by_email_, 1, address);
    if (db_.row(id_by_email_)) {
      const std::string id = column_text(id_by_email_, 0);
      sqlite3_reset(id_by_email_);
      bind_text(by_id_, 1, id);
      out = load(by_id_);
    } else {
      sqlite3_reset(id_by_email_);
    }
    db_.run(commit_);
    return out;
  }

  // identify_ids: email -> id.
  std::vector<std::string> ids_by_email(std::string_view address) {
    db_.run(begin_);
    std::vector<std::string> out;
    bind_text(id_by_email_, 1, address);
    if (db_.row(id_by_email_)) out.push_back(column_text(id_by_email_, 0));
    sqlite3_reset(id_by_email_);
    db_.run(commit_);
    return out;
  }

 private:
  std::optional<RawCustomer> load(sqlite3_stmt* st) {
    if (!db_.row(st)) {
      sqlite3_reset(st);
      return std::nullopt;
    }
    RawCustomer c;
    c.seq = sqlite3_column_int64(st, 0);
    c.id = column_text(st, 1);
    c.number = column_text(st, 2);
    c.title = column_text(st, 3);
    c.first_name = column_text(st, 4);
    c.last_name = column_text(st, 5);
    c.date_of_birth = column_opt_text(st, 6);
    c.lifecycle_stage = column_text(st, 7);
    c.tags = column_text(st, 8);
    c.emergency_name = column_opt_text(st, 9);
    c.emergency_phone = column_opt_text(st, 10);
    c.status = column_text(st, 11);
    c.ban_reason = column_opt_text(st, 12);
    c.banned_by = column_opt_text(st, 13);
    c.banned_at = column_opt_int(st, 14);
    c.online_until = column_opt_int(st, 15);
    c.created_at = sqlite3_column_int64(st, 16);
    c.updated_at = sqlite3_column_int64(st, 17);
    c.first_active_at = column_opt_int(st, 18);
    c.last_active_at = column_opt_int(st, 19);
    sqlite3_reset(st);

    sqlite3_bind_int64(emails_, 1, c.seq);
    while (db_.row(emails_)) c.emails.push_back(RawEmail{column_text(emails_, 0), sqlite3_column_int(emails_, 1) != 0});
    sqlite3_reset(emails_);
    sqlite3_bind_int64(phones_, 1, c.seq);
    while (db_.row(phones_)) {
      c.phones.push_back(
          RawPhone{column_text(phones_, 0), column_text(phones_, 1), sqlite3_column_int(phones_, 2) != 0});
    }
    sqlite3_reset(phones_);
    sqlite3_bind_int64(addresses_, 1, c.seq);
    while (db_.row(addresses_)) {
      RawAddress a;
      a.id = sqlite3_column_int64(addresses_, 0);
      a.purpose = column_text(addresses_, 1);
      a.line1 = column_text(addresses_, 2);
      a.line2 = column_text(addresses_, 3);
      a.city = column_text(addresses_, 4);
      a.region = column_text(addresses_, 5);
      a.postal_code = column_text(addresses_, 6);
      a.country = column_text(addresses_, 7);
      a.is_default = sqlite3_column_int(addresses_, 8) != 0;
      c.addresses.push_back(std::move(a));
    }
    sqlite3_reset(addresses_);
    return c;
  }

  RawDb db_;
  sqlite3_stmt* begin_;
  sqlite3_stmt* commit_;
  sqlite3_stmt* seq_by_email_;
  sqlite3_stmt* id_by_email_;
  sqlite3_stmt* by_seq_;
  sqlite3_stmt* by_id_;
  sqlite3_stmt* emails_;
  sqlite3_stmt* phones_;
  sqlite3_stmt* addresses_;
};

// ---------------------------------------------------------------------------
// Phone parsing alone: what patron's normalisation asks of libphonenumber.

std::size_t parse_phones(const std::vector<patron::NewCustomer>& batch, std::size_t& e164_bytes) {
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  std::size_t valid = 0;
  for (const auto& r : batch) {
    i18n::phonenumbers::PhoneNumber parsed;
    if (util.Parse(r.phone, "GB", &parsed) == PhoneNumberUtil::NO_PARSING_ERROR && util.IsValidNumber(parsed)) {
      std::string e164;
      util.Format(parsed, PhoneNumberUtil::E164, &e164);
      e164_bytes += e164.size();
      ++valid;
    }
  }
  return valid;
}

// ---------------------------------------------------------------------------
// Output helpers

std::string mib(std::uintmax_t bytes) { return fixed(static_cast<double>(bytes) / (1024.0 * 1024.0), 0) + " MiB"; }

// The main database file (a WAL file keeps its high-water size while open).
std::uintmax_t file_bytes(const fs::path& db) {
  std::error_code ec;
  const auto size = fs::file_size(db, ec);
  return ec ? 0 : size;
}

// ---------------------------------------------------------------------------

struct TempDir {
  fs::path path;
  bool keep = false;
  TempDir(const fs::path& parent, bool keep_files) : keep(keep_files) {
    std::string templ = (parent / "patron-bench-XXXXXX").string();
    if (mkdtemp(templ.data()) == nullptr) throw std::runtime_error("mkdtemp in " + parent.string() + " failed");
    path = templ;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    if (keep) {
      std::fprintf(stderr, "kept the databases in %s\n", path.c_str());
      return;
    }
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

// Seconds spent, wall clock and CPU time of this thread (patron, raw SQLite
// and libphonenumber all work on the calling thread).
struct Spent {
  double wall = 0;
  double cpu = 0;
};

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

template <typename F>
void timed(Spent& into, F&& f) {
  const double cpu0 = thread_cpu_seconds();
  const auto t0 = SteadyClock::now();
  f();
  into.wall += seconds_since(t0);
  into.cpu += thread_cpu_seconds() - cpu0;
}

struct CreationTimes {
  Spent patron;
  Spent raw;
  Spent parse;
};

CreationTimes create_customers(const Dataset& data, std::size_t batch_size, patron::Database& db, RawWriter& raw) {
  CreationTimes t;
  const std::size_t n = data.size();
  std::size_t e164_bytes = 0;
  std::size_t next_report = n / 10;
  const auto started = SteadyClock::now();
  std::vector<patron::NewCustomer> requests;
  std::vector<RawRow> rows;
  for (std::size_t begin = 0, k = 0; begin < n; begin += batch_size, ++k) {
    const std::size_t end = std::min(n, begin + batch_size);
    // Inputs are built outside the timed regions.
    requests.clear();
    rows.clear();
    const patron::Timestamp now = patron::system_now();
    for (std::size_t i = begin; i < end; ++i) {
      patron::NewCustomer r;
      r.first_name = std::string(data.first(i));
      r.last_name = std::string(data.last(i));
      r.email = data.email(i);
      r.phone = data.phone(i);
      requests.push_back(std::move(r));
      rows.push_back(RawRow{patron::CustomerId::generate(now).str(), data.number(i), std::string(data.first(i)),
                            std::string(data.last(i)), data.email(i), data.phone_e164(i), data.name_key(i),
                            data.email(i).substr(data.email(i).find('@') + 1)});
    }
    const std::int64_t now_us = patron::to_micros(now);
    const auto next_number = static_cast<std::int64_t>(end + 1);

    std::size_t created = 0;
    std::size_t valid = 0;
    auto time_patron = [&] {
      timed(t.patron, [&] { created = db.customers().create_many(requests).size(); });
      if (created != requests.size()) throw std::runtime_error("create_many returned a short batch");
    };
    auto time_raw = [&] { timed(t.raw, [&] { raw.insert_batch(rows, now_us, next_number); }); };
    auto time_parse = [&] {
      timed(t.parse, [&] { valid = parse_phones(requests, e164_bytes); });
      if (valid != requests.size()) throw std::runtime_error("libphonenumber refused a generated phone");
    };
    // Alternate the order so neither side always runs first.
    if (k % 2 == 0) {
      time_patron();
      time_raw();
    } else {
      time_raw();
      time_patron();
    }
    time_parse();

    if (end >= next_report || end == n) {
      std::fprintf(stderr, "  created %s / %s customers in each database (%.0f s)\n", grouped(double(end)).c_str(),
                   grouped(double(n)).c_str(), seconds_since(started));
      next_report = end + n / 10;
    }
  }
  benchmark::DoNotOptimize(e164_bytes);
  return t;
}

// Both files hold the same data: same counts, and the same customer
// behind sampled emails.
void verify(const Dataset& data, const fs::path& patron_path, const fs::path& raw_path, patron::Database& db,
            RawReader& reader, const std::vector<std::size_t>& sample) {
  for (const char* table : {"customers", "customer_emails", "customer_phones", "customer_names", "data_keys", "events"}) {
    const std::string sql = std::string("SELECT count(*) FROM ") + table;
    RawDb p(patron_path.string(), SQLITE_OPEN_READONLY);
    RawDb r(raw_path.string(), SQLITE_OPEN_READONLY);
    const auto pc = p.scalar(sql.c_str());
    const auto rc = r.scalar(sql.c_str());
    if (pc != static_cast<std::int64_t>(data.size()) || rc != pc) {
      throw std::runtime_error(std::string("row counts differ in ") + table + ": patron " + std::to_string(pc) +
                               ", raw " + std::to_string(rc));
    }
  }
  for (std::size_t i : sample) {
    const auto c = db.customers().find_by_email(data.email_mixed_case(i));
    const auto r = reader.find_by_email(data.email(i), true);
    if (!c || !r) throw std::runtime_error("customer " + std::to_string(i) + " not found");
    const bool same = c->first_name == r->first_name && c->last_name == r->last_name && c->number == r->number &&
                      c->emails.size() == 1 && r->emails.size() == 1 && c->emails[0].address == r->emails[0].address &&
                      c->emails[0].primary && r->emails[0].primary && c->phones.size() == 1 && r->phones.size() == 1 &&
                      c->phones[0].number == r->phones[0].number && c->phones[0].verified && r->phones[0].verified &&
                      r->phones[0].label == "mobile" && c->addresses.empty() && r->addresses.empty() &&
                      r->tags == "[]" && r->status == "active" && c->number == data.number(i) &&
                      c->phones[0].number == data.phone_e164(i) && c->emails[0].address == data.email(i);
    if (!same) throw std::runtime_error("patron and raw rows differ for customer " + std::to_string(i));
    const auto ids = db.identify_ids(data.email_mixed_case(i));
    if (ids.size() != 1 || ids[0] != c->id) throw std::runtime_error("identify_ids disagrees for " + std::to_string(i));
  }
}

int run(benchmark::ConsoleReporter::OutputOptions console) {
  const std::size_t n = env_count("PATRON_BENCH_CUSTOMERS", 1000000);
  const std::size_t batch = std::min(n, env_count("PATRON_BENCH_BATCH", 10000));
  const char* dir_env = std::getenv("PATRON_BENCH_DIR");
  const fs::path parent = dir_env != nullptr && *dir_env != '\0' ? fs::path(dir_env) : fs::temp_directory_path();

  const Dataset data(n);
  TempDir dir(parent, env_flag("PATRON_BENCH_KEEP"));
  const fs::path patron_path = dir.path / "patron.db";
  const fs::path raw_path = dir.path / "raw.db";

  std::fprintf(stderr, "bench_customers: %s customers, batches of %s, in %s (SQLite %s, %zu GB mobile prefixes)\n",
               grouped(double(n)).c_str(), grouped(double(batch)).c_str(), dir.path.c_str(), sqlite3_libversion(),
               data.prefix_count());

  patron::Database db = patron::Database::open(patron_path.string());
  // The baseline gets patron's exact schema (tables, indexes, FTS5, triggers).
  { patron::Database::open(raw_path.string()); }

  CreationTimes created;
  {
    RawWriter raw(raw_path.string());
    created = create_customers(data, batch, db, raw);
  }

  // Lookup keys: random existing customers, the same sequence for both sides.
  constexpr std::size_t kKeys = 1 << 16;
  std::mt19937_64 rng(20240607);
  std::uniform_int_distribution<std::size_t> pick(0, n - 1);
  std::vector<std::size_t> key_index(kKeys);
  std::vector<std::string> keys_mixed(kKeys);
  std::vector<std::string> keys_lower(kKeys);
  for (std::size_t k = 0; k < kKeys; ++k) {
    key_index[k] = pick(rng);
    keys_mixed[k] = data.email_mixed_case(key_index[k]);
    keys_lower[k] = data.email(key_index[k]);
  }

  RawReader reader(raw_path.string());
  verify(data, patron_path, raw_path, db, reader,
         std::vector<std::size_t>(key_index.begin(), key_index.begin() + std::min<std::size_t>(200, kKeys)));
  std::fprintf(stderr, "  verified: both files hold the same %s customers (patron.db %s, raw.db %s)\n",
               grouped(double(n)).c_str(), mib(file_bytes(patron_path)).c_str(), mib(file_bytes(raw_path)).c_str());

  // --- Lookups, under Google Benchmark -----------------------------------
  const patron::Database& cdb = db;
  auto lookup = [&](const char* name, auto&& one) {
    auto body = [&, one](benchmark::State& state) {
      std::size_t k = 0;
      for (auto _ : state) {
        if (!one(k++ & (kKeys - 1))) {
          state.SkipWithError("a lookup found nobody");
          break;
        }
      }
      state.SetItemsProcessed(state.iterations());
    };
    benchmark::RegisterBenchmark(name, body)->Unit(benchmark::kNanosecond)->UseRealTime();
  };
  lookup("patron/find_by_email", [&](std::size_t k) {
    auto c = cdb.customers().find_by_email(keys_mixed[k]);
    benchmark::DoNotOptimize(c);
    return c.has_value();
  });
  lookup("patron/identify", [&](std::size_t k) {
    auto r = cdb.identify(keys_mixed[k]);
    benchmark::DoNotOptimize(r);
    return r.size() == 1;
  });
  lookup("patron/identify_ids", [&](std::size_t k) {
    auto r = cdb.identify_ids(keys_mixed[k]);
    benchmark::DoNotOptimize(r);
    return r.size() == 1;
  });
  lookup("raw/find_by_email", [&](std::size_t k) {
    auto c = reader.find_by_email(keys_lower[k], true);
    benchmark::DoNotOptimize(c);
    return c.has_value();
  });
  lookup("raw/find_by_email_autocommit", [&](std::size_t k) {
    auto c = reader.find_by_email(keys_lower[k], false);
    benchmark::DoNotOptimize(c);
    return c.has_value();
  });
  lookup("raw/identify_path", [&](std::size_t k) {
    auto c = reader.identify_path(keys_lower[k]);
    benchmark::DoNotOptimize(c);
    return c.has_value();
  });
  lookup("raw/ids_by_email", [&](std::size_t k) {
    auto r = reader.ids_by_email(keys_lower[k]);
    benchmark::DoNotOptimize(r);
    return r.size() == 1;
  });

  CapturingReporter reporter(console);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();

  // --- Summary -------------------------------------------------------------
  const auto dn = static_cast<double>(n);
  std::printf("\n## patron vs raw SQLite: %s customers (email + phone each), file databases\n\n", grouped(dn).c_str());
  std::printf(
      "SQLite %s, WAL, synchronous=NORMAL, foreign_keys=ON, one thread. CPU = CPU time of the measuring "
      "thread (robust on a shared machine), wall = elapsed time; lookups are medians of the Google "
      "Benchmark repetitions.\n\n",
      sqlite3_libversion());
  std::printf(
      "| Lookup by email (random existing customer) | patron, CPU | raw SQLite, CPU | patron / raw, CPU | "
      "patron / raw, wall | goal |\n");
  std::printf("|---|---:|---:|---:|---:|---|\n");
  auto lookup_row = [&](const char* label, const char* p, const char* r) {
    const auto pt = reporter.timing(p);
    const auto rt = reporter.timing(r);
    if (!pt || !rt) {
      std::printf("| %s | %s | %s | (not run) | | ≤ 1.5× |\n", label, pt ? (grouped(pt->cpu_ns) + " ns").c_str() : "-",
                  rt ? (grouped(rt->cpu_ns) + " ns").c_str() : "-");
      return;
    }
    std::printf("| %s | %s ns | %s ns | **%s×** | %s× | ≤ 1.5× |\n", label, grouped(pt->cpu_ns).c_str(),
                grouped(rt->cpu_ns).c_str(), fixed(pt->cpu_ns / rt->cpu_ns, 2).c_str(),
                fixed(pt->wall_ns / rt->wall_ns, 2).c_str());
  };
  lookup_row("`customers().find_by_email` → full customer", "patron/find_by_email", "raw/find_by_email");
  lookup_row("`identify(email)` → full customer", "patron/identify", "raw/find_by_email");
  lookup_row("`identify_ids(email)` → id only", "patron/identify_ids", "raw/ids_by_email");
  const auto autocommit = reporter.timing("raw/find_by_email_autocommit");
  const auto identify_path = reporter.timing("raw/identify_path");
  if (autocommit || identify_path) {
    std::printf("\nFor reference (raw SQLite, CPU):");
    if (autocommit) {
      std::printf(" the five find_by_email reads without BEGIN/COMMIT %s ns;", grouped(autocommit->cpu_ns).c_str());
    }
    if (identify_path) {
      std::printf(" identify's own read path (email → id join, customer by id, contacts) %s ns.",
                  grouped(identify_path->cpu_ns).c_str());
    }
    std::printf("\n");
  }

  auto rate = [&](double seconds) { return grouped(dn / seconds); };
  const Spent bound{created.raw.wall + created.parse.wall, created.raw.cpu + created.parse.cpu};
  std::printf(
      "\n| Bulk creation, `create_many` of %s per call (one transaction each) | customers/s, wall | "
      "customers/s, CPU |\n",
      grouped(double(batch)).c_str());
  std::printf("|---|---:|---:|\n");
  std::printf("| patron `create_many` (validation, normalisation, ids, numbers, insert) | %s | %s |\n",
              rate(created.patron.wall).c_str(), rate(created.patron.cpu).c_str());
  std::printf("| raw SQLite insert of the same pre-normalised rows | %s | %s |\n", rate(created.raw.wall).c_str(),
              rate(created.raw.cpu).c_str());
  std::printf("| libphonenumber alone (Parse + IsValidNumber + Format E.164) | %s | %s |\n",
              rate(created.parse.wall).c_str(), rate(created.parse.cpu).c_str());
  std::printf("| bound: raw insert + phone parsing | %s | %s |\n", rate(bound.wall).c_str(), rate(bound.cpu).c_str());
  std::printf("| **patron / bound** (goal ≥ 0.8) | **%s** | **%s** |\n",
              fixed(bound.wall / created.patron.wall, 2).c_str(), fixed(bound.cpu / created.patron.cpu, 2).c_str());
  std::printf("\nFiles: patron.db %s, raw.db %s (main files, same schema and rows).\n",
              mib(file_bytes(patron_path)).c_str(), mib(file_bytes(raw_path)).c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // Defaults that suit a shared machine.
  return patron::bench::benchmark_main(argc, argv, "bench_customers",
                                       {"--benchmark_repetitions=3", "--benchmark_enable_random_interleaving=true",
                                        "--benchmark_display_aggregates_only=true", "--benchmark_min_time=1"}, run);
}
