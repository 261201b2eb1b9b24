// The C ABI's frame: versions, error codes and names, per-thread error
// state, memory, options, opening, closing and persistence.
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "capi_fixture.hpp"

using namespace capi_test;

BOOST_AUTO_TEST_SUITE(capi_basics)

BOOST_AUTO_TEST_CASE(header_and_runtime_versions_agree) {
  BOOST_TEST(PATRON_VERSION_NUMBER ==
             PATRON_VERSION_MAJOR * 1000000 + PATRON_VERSION_MINOR * 1000 + PATRON_VERSION_PATCH);
  BOOST_TEST(patron_version_number() == PATRON_VERSION_NUMBER);
  BOOST_TEST(std::string(patron_version()) == PATRON_VERSION);
  BOOST_TEST(std::string(PATRON_VERSION) ==
             std::to_string(PATRON_VERSION_MAJOR) + "." + std::to_string(PATRON_VERSION_MINOR) + "." +
                 std::to_string(PATRON_VERSION_PATCH));
}

BOOST_AUTO_TEST_CASE(error_codes_are_stable) {
  // Part of the ABI: never renumbered.
  BOOST_TEST(PATRON_OK == 0);
  BOOST_TEST(PATRON_EINVAL == -1);
  BOOST_TEST(PATRON_ENOTFOUND == -2);
  BOOST_TEST(PATRON_EEXIST == -3);
  BOOST_TEST(PATRON_ECONFLICT == -4);
  BOOST_TEST(PATRON_EPRECONDITION == -5);
  BOOST_TEST(PATRON_ESTORAGE == -6);
  BOOST_TEST(PATRON_EINTERNAL == -7);
  BOOST_TEST(PATRON_ENOMEM == -8);
  BOOST_TEST(PATRON_EMISUSE == -9);
  BOOST_TEST(PATRON_ID_BUFSIZE == 33);
}

BOOST_AUTO_TEST_CASE(error_names) {
  BOOST_TEST(std::string(patron_errname(PATRON_OK)) == "ok");
  BOOST_TEST(std::string(patron_errname(PATRON_EINVAL)) == "invalid_argument");
  BOOST_TEST(std::string(patron_errname(PATRON_ENOTFOUND)) == "not_found");
  BOOST_TEST(std::string(patron_errname(PATRON_EEXIST)) == "already_exists");
  BOOST_TEST(std::string(patron_errname(PATRON_ECONFLICT)) == "conflict");
  BOOST_TEST(std::string(patron_errname(PATRON_EPRECONDITION)) == "failed_precondition");
  BOOST_TEST(std::string(patron_errname(PATRON_ESTORAGE)) == "storage");
  BOOST_TEST(std::string(patron_errname(PATRON_EINTERNAL)) == "internal");
  BOOST_TEST(std::string(patron_errname(PATRON_ENOMEM)) == "out_of_memory");
  BOOST_TEST(std::string(patron_errname(PATRON_EMISUSE)) == "misuse");
  BOOST_TEST(std::string(patron_errname(-10)) == "unknown");
  BOOST_TEST(std::string(patron_errname(1)) == "unknown");
}

BOOST_AUTO_TEST_CASE(free_and_close_are_safe_on_null) {
  // Nothing fails before this on a fresh thread: the message is "".
  std::string before;
  std::thread([&] { before = patron_errmsg(); }).join();
  BOOST_TEST(before.empty());
  patron_free(nullptr);
  patron_close(nullptr);
}

BOOST_AUTO_TEST_CASE(options_init_sets_version_and_defaults) {
  patron_options opts;
  std::memset(&opts, 0xAB, sizeof opts);
  patron_options_init(&opts);
  BOOST_TEST(opts.version == PATRON_OPTIONS_VERSION);
  BOOST_TEST(opts.default_region == nullptr);
  BOOST_TEST(opts.synchronous_full == 0);
  BOOST_TEST(opts.busy_timeout_ms == 5000);
  BOOST_TEST(opts.clock == nullptr);
  BOOST_TEST(opts.clock_ctx == nullptr);
  patron_options_init(nullptr);  // harmless
}

BOOST_AUTO_TEST_CASE(open_with_null_options_uses_defaults) {
  patron::testing::TempDir dir;
  const std::string path = dir.file("defaults.db");
  patron_db* db = nullptr;
  BOOST_TEST_REQUIRE(patron_open(&db, path.c_str(), nullptr) == PATRON_OK);
  BOOST_TEST_REQUIRE(db != nullptr);
  BOOST_TEST(patron_schema_version(db) > 0);
  // Default region GB: a national GB mobile is valid.
  const json c = ok([&](char** out) {
    return patron_customer_create(db, R"({"first_name":"Ana","phone":"07911 123456"})", out);
  });
  BOOST_TEST(c["phones"][0]["number"] == "+447911123456");
  BOOST_TEST(c["phones"][0]["verified"] == true);
  patron_close(db);
  BOOST_TEST(std::filesystem::exists(path));
}

BOOST_AUTO_TEST_CASE(open_in_memory) {
  patron_db* db = nullptr;
  BOOST_TEST_REQUIRE(patron_open(&db, ":memory:", nullptr) == PATRON_OK);
  const json c = ok([&](char** out) {
    return patron_customer_create(db, R"({"email":"mem@example.com"})", out);
  });
  BOOST_TEST(c["emails"][0]["address"] == "mem@example.com");
  patron_close(db);
}

BOOST_AUTO_TEST_CASE(open_misuse_and_bad_options) {
  patron::testing::TempDir dir;
  const std::string path = dir.file("x.db");
  patron_db* db = nullptr;

  BOOST_TEST(patron_open(nullptr, path.c_str(), nullptr) == PATRON_EMISUSE);
  BOOST_TEST(std::string(patron_errfield()) == "out");
  BOOST_TEST(std::string(patron_errmsg()).find("patron_open") != std::string::npos);

  db = reinterpret_cast<patron_db*>(&dir);  // garbage to be overwritten
  BOOST_TEST(patron_open(&db, nullptr, nullptr) == PATRON_EMISUSE);
  BOOST_TEST(db == nullptr);
  BOOST_TEST(std::string(patron_errfield()) == "path");

  patron_options opts;
  patron_options_init(&opts);
  opts.version = 0;  // not initialised by patron_options_init
  BOOST_TEST(patron_open(&db, path.c_str(), &opts) == PATRON_EINVAL);
  BOOST_TEST(db == nullptr);
  BOOST_TEST(std::string(patron_errfield()) == "version");
  opts.version = PATRON_OPTIONS_VERSION + 1;
  BOOST_TEST(patron_open(&db, path.c_str(), &opts) == PATRON_EINVAL);
  BOOST_TEST(std::string(patron_errfield()) == "version");

  patron_options_init(&opts);
  opts.busy_timeout_ms = -1;
  BOOST_TEST(patron_open(&db, path.c_str(), &opts) == PATRON_EINVAL);
  BOOST_TEST(std::string(patron_errfield()) == "busy_timeout_ms");

  patron_options_init(&opts);
  opts.default_region = "ZZ";
  BOOST_TEST(patron_open(&db, path.c_str(), &opts) == PATRON_EINVAL);
  BOOST_TEST(db == nullptr);
  BOOST_TEST(std::string(patron_errfield()) == "default_region");
}

BOOST_AUTO_TEST_CASE(open_unopenable_path_is_a_storage_error) {
  patron::testing::TempDir dir;
  const std::string path = dir.file("no/such/dir/x.db");
  patron_db* db = nullptr;
  BOOST_TEST(patron_open(&db, path.c_str(), nullptr) == PATRON_ESTORAGE);
  BOOST_TEST(db == nullptr);
  BOOST_TEST(!std::string(patron_errmsg()).empty());
}

BOOST_AUTO_TEST_CASE(synchronous_full_and_busy_timeout_options_open) {
  patron::testing::TempDir dir;
  const std::string path = dir.file("full.db");
  patron_options opts;
  patron_options_init(&opts);
  opts.synchronous_full = 1;
  opts.busy_timeout_ms = 0;
  opts.default_region = "US";
  patron_db* db = nullptr;
  BOOST_TEST_REQUIRE(patron_open(&db, path.c_str(), &opts) == PATRON_OK);
  // Default region US: a national US number is valid, a national GB one is not.
  const json us = ok([&](char** out) {
    return patron_customer_create(db, R"({"first_name":"Sam","phone":"(650) 253-0000"})", out);
  });
  BOOST_TEST(us["phones"][0]["number"] == "+16502530000");
  fails(PATRON_EINVAL, "phone", [&](char** out) {
    return patron_customer_create(db, R"({"first_name":"Ana","phone":"07911 123456"})", out);
  });
  patron_close(db);
}

BOOST_AUTO_TEST_CASE(injected_clock_stamps_every_time) {
  Db t;
  const json c = t.create(R"({"first_name":"Ana","last_name":"Silva"})");
  BOOST_TEST(c["created_at"] == kT0Text);
  BOOST_TEST(c["updated_at"] == kT0Text);

  t.now = kT0 + 1'000'000;  // one second later
  const json banned = ok([&](char** out) {
    return patron_customer_ban(t.db, c["id"].get<std::string>().c_str(), "abuse", "staff:7", out);
  });
  BOOST_TEST(banned["ban"]["at"] == "2026-11-22T05:54:46.123456Z");
  BOOST_TEST(banned["updated_at"] == "2026-11-22T05:54:46.123456Z");
  BOOST_TEST(banned["created_at"] == kT0Text);
}

BOOST_AUTO_TEST_CASE(data_persists_across_reopen) {
  Db t;
  const json a = t.create(
      R"({"first_name":"Ana","last_name":"Silva","email":"ana@example.com","phone":"07911 123456",)"
      R"("tags":["vip"],"addresses":[{"purpose":"billing","line1":"1 High St","city":"London","country":"gb"}]})");
  const std::string id = a["id"];
  t.reopen();
  const json again = t.get(id);
  BOOST_TEST(again == a);
  BOOST_TEST(t.find_by_email("ANA@example.com") == a);
  // The sequence of generated numbers continues.
  const json b = t.create(R"({"email":"bob@example.com"})");
  BOOST_TEST(b["number"] == "00002");
}

BOOST_AUTO_TEST_CASE(error_state_is_per_thread) {
  Db t;
  // This thread: a not-found error.
  fails(PATRON_ENOTFOUND, "ref", [&](char** out) { return patron_customer_get(t.db, "NOPE-1", out); });
  const std::string main_message = patron_errmsg();

  std::string other_message;
  std::string other_field;
  std::string other_initial;
  std::thread other([&] {
    other_initial = patron_errmsg();  // nothing failed on this thread yet
    char* out = nullptr;
    const int rc = patron_customer_create(t.db, R"({"email":"not an email"})", &out);
    BOOST_TEST(rc == PATRON_EINVAL);
    other_message = patron_errmsg();
    other_field = patron_errfield();
  });
  other.join();

  BOOST_TEST(other_initial.empty());
  BOOST_TEST(other_field == "email");
  BOOST_TEST(other_message != main_message);
  // This thread still sees its own error.
  BOOST_TEST(std::string(patron_errmsg()) == main_message);
  BOOST_TEST(std::string(patron_errfield()) == "ref");
}

BOOST_AUTO_TEST_CASE(success_leaves_the_last_error_in_place) {
  Db t;
  fails(PATRON_EINVAL, "email", [&](char** out) {
    return patron_customer_create(t.db, R"({"email":"nope"})", out);
  });
  const std::string message = patron_errmsg();
  t.create(R"({"email":"yes@example.com"})");
  BOOST_TEST(std::string(patron_errmsg()) == message);
  BOOST_TEST(std::string(patron_errfield()) == "email");
}

BOOST_AUTO_TEST_CASE(handle_is_shared_between_threads) {
  Db t;
  constexpr int kThreads = 4;
  constexpr int kEach = 25;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      for (int j = 0; j < kEach; ++j) {
        const std::string js =
            R"({"email":"t)" + std::to_string(i) + "-" + std::to_string(j) + R"(@example.com"})";
        char* out = nullptr;
        if (patron_customer_create(t.db, js.c_str(), &out) != PATRON_OK) ++failures;
        patron_free(out);
        char id[PATRON_ID_BUFSIZE];
        const std::string email = "t" + std::to_string(i) + "-" + std::to_string(j) + "@example.com";
        if (patron_identify_id(t.db, email.c_str(), id) != 1) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  BOOST_TEST(failures.load() == 0);
  const json last = t.create(R"({"email":"last@example.com"})");
  BOOST_TEST(last["number"] == "00101");
}

BOOST_AUTO_TEST_CASE(backup_and_check_hand_out_their_documents) {
  AnaAndBo t;
  const std::string copy = t.dir.file("copy.db");
  const json backup = ok([&](char** o) { return patron_backup(t.db, copy.c_str(), o); });
  BOOST_TEST(backup["path"] == copy);
  BOOST_TEST(backup["schema_version"] == patron_schema_version(t.db));
  BOOST_TEST(backup["bytes"].get<std::int64_t>() == static_cast<std::int64_t>(std::filesystem::file_size(copy)));
  const json check = ok([&](char** o) { return patron_check(t.db, 1, o); });
  BOOST_TEST(check == json::parse(R"({"ok": true, "quick": true, "customers": 2, "purse_accounts": 0,
                                      "points_accounts": 0, "problems": []})"));
  fails(PATRON_EEXIST, "path", [&](char** o) { return patron_backup(t.db, copy.c_str(), o); });
  fails(PATRON_EINVAL, "path", [&](char** o) { return patron_backup(t.db, "", o); });
  fails(PATRON_EMISUSE, "path", [&](char** o) { return patron_backup(t.db, nullptr, o); });
  // The copy is a patron database of its own.
  patron_db* other = nullptr;
  BOOST_TEST_REQUIRE(patron_open(&other, copy.c_str(), nullptr) == PATRON_OK);
  char* found = nullptr;
  BOOST_TEST(patron_customer_get(other, "ANA-01", &found) == PATRON_OK);
  patron_free(found);
  patron_close(other);
}

BOOST_AUTO_TEST_CASE(stats_hand_out_their_document) {
  AnaAndBo t;
  json s = ok([&](char** o) { return patron_stats(t.db, o); });
  BOOST_TEST(s["file_bytes"].get<std::int64_t>() > 0);
  BOOST_TEST(s["events"].get<std::int64_t>() > 0);
  s.erase("file_bytes");
  s.erase("events");
  BOOST_TEST(s == json::parse(R"({"schema_version": )" + std::to_string(patron_schema_version(t.db)) + R"(,
      "customers": 2, "merged": 0, "erased": 0, "banned": 0, "with_email": 2, "with_phone": 0, "companies": 0,
      "memberships": 0, "credentials": 0, "orders": 0, "bookings": 0, "enquiries": 0, "visits": 0, "notes": 0,
      "documents": 0, "purses": [], "points": []})"),
             s.dump());
  fails(PATRON_EMISUSE, "db", [&](char** o) { return patron_stats(nullptr, o); });
}

BOOST_AUTO_TEST_SUITE_END()
