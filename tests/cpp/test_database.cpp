// Opening, persistence, migrations, schema-level rules and threads.
#include <sqlite3.h>

#include <boost/test/unit_test.hpp>
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
    BOOST_TEST(db.schema_version() == 17);
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

BOOST_AUTO_TEST_CASE(an_old_file_is_upgraded_in_place) {
  TempDir dir;
  const std::string path = dir.file("old.db");
  BOOST_TEST(raw_exec(path, "CREATE TABLE host_table (x INTEGER)") == SQLITE_OK);  // version 0, host data
  auto db = Database::open(path);
  BOOST_TEST(db.schema_version() == 17);
  BOOST_TEST(db.customers().create({.first_name = "Ana", .last_name = "Silva"}).number == "00001");
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
