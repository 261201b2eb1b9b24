// Opening, persistence, migrations, schema-level rules and threads.
#include <sqlite3.h>

#include <boost/test/unit_test.hpp>
#include <atomic>
#include <filesystem>
#include <set>
#include <thread>

#include "fixture.hpp"

using namespace patron;
using patron::testing::DbFixture;
using patron::testing::expect_error;
using patron::testing::TempDir;

namespace {

// Runs SQL directly on the file, as a bug or another program might.
int raw_exec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
  sqlite3_close(db);
  return rc;
}

}  // namespace

BOOST_AUTO_TEST_CASE(data_persists_across_reopen) {
  TempDir dir;
  const std::string path = dir.file("crm.db");
  std::string id;
  {
    auto db = Database::open(path);
    BOOST_TEST(db.schema_version() == 20);
    id = db.customers().create({.first_name = "Ana", .last_name = "Silva", .email = "ana@example.com"}).id.str();
  }
  auto db = Database::open(path);
  BOOST_TEST(db.customers().get(id).emails[0].address == "ana@example.com");
  BOOST_TEST(db.customers().create({.first_name = "Bo", .last_name = "Berg"}).number == "00002");
}

BOOST_AUTO_TEST_CASE(memory_databases_work) {
  auto db = Database::open(":memory:");
  const auto c = db.customers().create({.first_name = "Ana", .last_name = "Silva"});
  BOOST_TEST(db.customers().get(c.number).id == c.id);
  BOOST_TEST(db.identify_ids("00001").size() == 1u);
}

BOOST_AUTO_TEST_CASE(bad_options_and_paths_are_refused) {
  TempDir dir;
  Options bad_region;
  bad_region.default_region = "XX";
  expect_error([&] { Database::open(dir.file("a.db"), bad_region); }, Errc::invalid_argument, "default_region");
  Options no_readers;
  no_readers.max_readers = 0;
  expect_error([&] { Database::open(dir.file("a.db"), no_readers); }, Errc::invalid_argument, "max_readers");
  expect_error([&] { Database::open(dir.file("missing/dir/a.db")); }, Errc::storage, "");
}

BOOST_AUTO_TEST_CASE(a_newer_schema_is_refused) {
  TempDir dir;
  const std::string path = dir.file("crm.db");
  { auto db = Database::open(path); }
  BOOST_TEST(raw_exec(path, "PRAGMA user_version = 99") == SQLITE_OK);
  expect_error([&] { Database::open(path); }, Errc::failed_precondition, "", "newer than this patron");
}

// The first byte of SQLite's application_id says whose file it is.
int application_id(const std::string& path) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA application_id", -1, &st, nullptr);
  sqlite3_step(st);
  const int id = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return id;
}

BOOST_AUTO_TEST_CASE(an_empty_file_is_adopted_and_another_programs_refused) {
  TempDir dir;
  const std::string path = dir.file("empty.db");
  BOOST_TEST(raw_exec(path, "PRAGMA user_version = 0") == SQLITE_OK);  // an empty SQLite file
  {
    auto db = Database::open(path);
    BOOST_TEST(db.schema_version() == 20);
    BOOST_TEST(db.customers().create({.first_name = "Ana", .last_name = "Silva"}).number == "00001");
  }
  BOOST_TEST(application_id(path) == 0x50415452);  // "PATR"
  // A patron file from before the mark is patron's: it gets the mark.
  BOOST_TEST(raw_exec(path, "PRAGMA application_id = 0") == SQLITE_OK);
  { auto db = Database::open(path); }
  BOOST_TEST(application_id(path) == 0x50415452);
  // Another program's database is never adopted, by its tables or its mark.
  const std::string host = dir.file("host.db");
  BOOST_TEST(raw_exec(host, "CREATE TABLE host_table (x INTEGER)") == SQLITE_OK);
  expect_error([&] { Database::open(host); }, Errc::failed_precondition, "path", "not a patron database");
  const std::string marked = dir.file("marked.db");
  BOOST_TEST(raw_exec(marked, "PRAGMA application_id = 1234") == SQLITE_OK);
  expect_error([&] { Database::open(marked); }, Errc::failed_precondition, "path", "another program's data");
  BOOST_TEST(raw_exec(host, "SELECT count(*) FROM sqlite_schema WHERE name LIKE 'customers%'") == SQLITE_OK);
}

BOOST_AUTO_TEST_CASE(a_backup_is_a_consistent_copy_while_writers_go_on) {
  TempDir dir;
  const std::string path = dir.file("crm.db");
  auto db = Database::open(path);
  const auto ana = db.customers().create({.first_name = "Ana", .last_name = "Silva", .email = "ana@example.com"});
  db.purses().top_up({ana.number, "GBP", 1000, "t-1", ""});
  std::atomic<bool> stop{false};
  std::atomic<int> written{0};
  std::thread writer([&] {
    while (!stop) {
      db.customers().create({.email = "w" + std::to_string(written.load()) + "@example.com"});
      ++written;
    }
  });
  while (written < 20) std::this_thread::yield();
  const BackupReport r = db.backup(dir.file("copy.db"));
  stop = true;
  writer.join();
  BOOST_TEST(r.path == dir.file("copy.db"));
  BOOST_TEST(r.schema_version == 20);
  BOOST_TEST(r.bytes > 0);
  auto copy = Database::open(r.path);
  const auto in_copy = copy.customers().search("", {.limit = 1000}).size();
  BOOST_TEST(in_copy >= 21u);
  BOOST_TEST(in_copy <= static_cast<std::size_t>(written.load()) + 1);
  BOOST_TEST(copy.purses().account(ana.number, "GBP").balance == 1000);
  BOOST_TEST(copy.check().ok);
  expect_error([&] { db.backup(r.path); }, Errc::already_exists, "path", "never overwrites");
  expect_error([&] { db.backup(""); }, Errc::invalid_argument, "path");
  expect_error([&] { db.backup(dir.file("no/such/dir/copy.db")); }, Errc::invalid_argument, "path", "no directory");
  BOOST_TEST(!std::filesystem::exists(dir.file("no/such/dir")));
  // An in-memory database copies to a file too.
  auto memory = Database::open(":memory:");
  memory.customers().create({.email = "m@example.com"});
  BOOST_TEST(Database::open(memory.backup(dir.file("memory.db")).path).customers().find_by_email("m@example.com").has_value());
}

BOOST_AUTO_TEST_CASE(stats_count_what_the_file_holds) {
  DbFixture f;
  const DatabaseStats empty = f.db.stats();
  BOOST_TEST(empty.schema_version == f.db.schema_version());
  BOOST_TEST(empty.file_bytes > 0);
  BOOST_TEST(empty.customers == 0);
  BOOST_TEST(empty.purses.empty());
  const auto ana = f.db.customers().create({.first_name = "Ana", .last_name = "Silva", .email = "ana@example.com"});
  f.db.customers().create({.first_name = "Bo", .phone = "07400 123456"});
  const auto cy = f.db.customers().create({.first_name = "Cy", .last_name = "Dunn", .email = "cy@example.com"});
  const auto cy2 = f.db.customers().create({.first_name = "Cy", .last_name = "Dunn", .email = "cy2@example.com"});
  f.db.customers().merge(cy.number, cy2.number, MergeOptions{.by = "staff"});
  f.db.customers().ban(ana.number, "rude", "manager");
  f.db.purses().top_up({ana.number, "GBP", 1500, "t-1"});
  f.db.purses().top_up({cy.number, "GBP", 250, "t-2"});
  f.db.purses().top_up({cy.number, "EUR", 99, "t-3"});
  const DatabaseStats s = f.db.stats();
  BOOST_TEST(s.customers == 3);
  BOOST_TEST(s.merged == 1);
  BOOST_TEST(s.banned == 1);
  BOOST_TEST(s.with_email == 2);  // Cy holds both emails now
  BOOST_TEST(s.with_phone == 1);
  BOOST_TEST(s.orders == 0);
  BOOST_TEST(s.events > 0);
  BOOST_TEST_REQUIRE(s.purses.size() == 2u);
  BOOST_TEST(s.purses[0].currency == "EUR");
  BOOST_TEST(s.purses[0].balance == 99);
  BOOST_TEST(s.purses[1].currency == "GBP");
  BOOST_TEST(s.purses[1].accounts == 2);
  BOOST_TEST(s.purses[1].balance == 1750);
  BOOST_TEST(s.points.empty());
}

BOOST_AUTO_TEST_CASE(check_finds_a_ledger_that_does_not_add_up) {
  TempDir dir;
  const std::string path = dir.file("crm.db");
  {
    auto db = Database::open(path);
    const auto ana = db.customers().create({.number = "ANA-01", .first_name = "Ana", .last_name = "Silva"});
    db.purses().top_up({ana.number, "GBP", 1000, "t-1", ""});
    db.purses().charge({ana.number, "GBP", 300, "c-1", ""});
    db.loyalty().create_program({.id = "stars", .name = "Stars", .currency = "GBP"});
    db.loyalty().earn({.customer_ref = ana.number, .program = "stars", .points = 50, .idempotency_key = "e-1"});
    const CheckReport ok = db.check();
    BOOST_TEST(ok.ok);
    BOOST_TEST(!ok.quick);
    BOOST_TEST(ok.customers == 1);
    BOOST_TEST(ok.purse_accounts == 1);
    BOOST_TEST(ok.points_accounts == 1);
    BOOST_TEST(ok.problems.empty());
    BOOST_TEST(db.check(true).quick);
  }
  // Behind patron's back, as a bug or another program might.
  BOOST_TEST(raw_exec(path, "DROP TRIGGER purse_accounts_balance_is_the_ledger; "
                            "UPDATE purse_accounts SET balance = 900") == SQLITE_OK);
  BOOST_TEST(raw_exec(path, "PRAGMA foreign_keys = OFF; INSERT INTO visits (customer, place, at) VALUES (999, 'spa', 1)") ==
             SQLITE_OK);
  auto db = Database::open(path);
  const CheckReport bad = db.check();
  BOOST_TEST(!bad.ok);
  BOOST_TEST_REQUIRE(bad.problems.size() == 2u);
  BOOST_TEST(bad.problems[0].check == "foreign_keys");
  BOOST_TEST(bad.problems[0].detail == "visits row 1 names a missing customers row");
  BOOST_TEST(bad.problems[1].check == "purse_balance");
  BOOST_TEST(bad.problems[1].detail == "customer ANA-01 GBP: balance 900, entries sum to 700, last balance_after 700");
}

BOOST_FIXTURE_TEST_CASE(the_schema_enforces_the_rules_too, DbFixture) {
  const auto a = customers().create({.first_name = "Ana", .last_name = "Silva", .email = "ana@example.com"});
  NewCustomer bo;
  bo.first_name = "Bo";
  bo.last_name = "Berg";
  bo.number = "BERG1";
  customers().create(bo);
  BOOST_TEST(raw_exec(path, "UPDATE customers SET id = '" + std::string(32, 'a') + "'") == SQLITE_CONSTRAINT);
  BOOST_TEST(raw_exec(path, "UPDATE customers SET number = 'berg1' WHERE number = '00001'") == SQLITE_CONSTRAINT);
  BOOST_TEST(raw_exec(path, "UPDATE customers SET number = 'a b c d' WHERE number = '00001'") == SQLITE_CONSTRAINT);
  BOOST_TEST(raw_exec(path, "INSERT INTO customer_emails VALUES ('ana@example.com', 2, 0, 9)") == SQLITE_CONSTRAINT);
  BOOST_TEST(raw_exec(path, "UPDATE customers SET status = 'gone'") == SQLITE_CONSTRAINT);
  BOOST_TEST((customers().get(a.number) == a));
}

BOOST_FIXTURE_TEST_CASE(threads_share_one_database, DbFixture) {
  constexpr int kThreads = 4;
  constexpr int kEach = 50;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      try {
        for (int i = 0; i < kEach; ++i) {
          const std::string email = "t" + std::to_string(t) + "-" + std::to_string(i) + "@example.com";
          const auto c = db.customers().create({.email = email});
          if (db.customers().find_by_email(email)->id != c.id) ++failures;
          if (db.identify_ids(c.number).size() != 1u) ++failures;
        }
      } catch (...) {
        ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  BOOST_TEST(failures.load() == 0);
  const auto all = db.customers().search("", {.limit = 1000});
  BOOST_TEST(all.size() == static_cast<std::size_t>(kThreads * kEach));
  std::set<std::string> numbers;
  for (const auto& c : all) numbers.insert(c.number);
  BOOST_TEST(numbers.size() == all.size());  // every generated number distinct
}

BOOST_AUTO_TEST_CASE(two_handles_on_one_file_see_each_other) {
  TempDir dir;
  const std::string path = dir.file("shared.db");
  auto till1 = Database::open(path);
  auto till2 = Database::open(path);
  const auto c = till1.customers().create({.email = "ana@example.com"});
  BOOST_TEST(till2.customers().find_by_email("ana@example.com")->id == c.id);
  expect_error([&] { till2.customers().create({.email = "ANA@example.com"}); }, Errc::already_exists, "email");
  BOOST_TEST(till2.customers().create({.email = "bo@example.com"}).number == "00002");
}
