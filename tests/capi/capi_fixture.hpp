// Shared helpers for the C ABI tests: a database in a temporary directory
// with an injected clock, and checked calls that parse the JSON results.
#pragma once

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "patron.h"
#include "temp_dir.hpp"

namespace capi_test {

using nlohmann::json;

// 2026-11-22T05:54:45.123456Z
inline constexpr std::int64_t kT0 = 1795326885123456;
inline constexpr const char* kT0Text = "2026-11-22T05:54:45.123456Z";

// Moments after kT0 for tests that move the clock (capi_test::ticks, so
// that files with constants of their own keep them).
namespace ticks {
inline constexpr std::int64_t kMinute = 60LL * 1000000;
inline constexpr std::int64_t kHour = 60 * kMinute;
inline constexpr const char* kT1Text = "2026-11-22T05:55:45.123456Z";  // kT0 + 1 minute
inline constexpr const char* kH1Text = "2026-11-22T06:54:45.123456Z";  // kT0 + 1 hour
inline constexpr const char* kH2Text = "2026-11-22T07:54:45.123456Z";  // kT0 + 2 hours
}  // namespace ticks

// A C string the library allocated, freed on scope exit.
class Owned {
 public:
  Owned() = default;
  ~Owned() { patron_free(p_); }
  Owned(const Owned&) = delete;
  Owned& operator=(const Owned&) = delete;
  char** out() { return &p_; }
  char* get() const { return p_; }

 private:
  char* p_ = nullptr;
};

inline std::string describe_failure(int rc) {
  return std::to_string(rc) + " (" + patron_errname(rc) + "): " + patron_errmsg() + " [field '" +
         patron_errfield() + "']";
}

// Runs `call(out)`, requires PATRON_OK and a non-NULL out string, frees it and
// returns it parsed.
inline json ok(const std::function<int(char**)>& call) {
  Owned out;
  const int rc = call(out.out());
  BOOST_TEST_REQUIRE(rc == PATRON_OK, "expected PATRON_OK, got " << describe_failure(rc));
  BOOST_TEST_REQUIRE(out.get() != nullptr);
  return json::parse(out.get());
}

struct Failure {
  int code;
  std::string message;
  std::string field;
};

// Runs `call(out)` with *out pre-set to a sentinel, requires the error `code`
// and `field`, that *out was set to NULL and that a message was set.
inline Failure fails(int code, std::string_view field, const std::function<int(char**)>& call) {
  static char sentinel[] = "sentinel";
  char* out = sentinel;
  const int rc = call(&out);
  BOOST_TEST(rc == code, "expected " << code << " (" << patron_errname(code) << "), got "
                                     << describe_failure(rc));
  BOOST_TEST(out == nullptr, "out-parameter not set to NULL on error");
  if (out != sentinel) patron_free(out);
  Failure f{rc, patron_errmsg(), patron_errfield()};
  BOOST_TEST(f.field == std::string(field), "errfield '" << f.field << "' != '" << field << "' ("
                                                         << f.message << ")");
  BOOST_TEST(!f.message.empty());
  return f;
}

// A file database in a temporary directory, default region GB, clock under
// the test's control (starts at kT0).
struct Db {
  patron::testing::TempDir dir;
  std::string path = dir.file("customers.db");
  std::atomic<std::int64_t> now{kT0};
  patron_db* db = nullptr;

  Db() { open(); }
  ~Db() { patron_close(db); }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  static std::int64_t clock(void* ctx) { return static_cast<Db*>(ctx)->now.load(); }

  void open() {
    patron_options opts;
    patron_options_init(&opts);
    opts.default_region = "GB";
    opts.clock = &Db::clock;
    opts.clock_ctx = this;
    const int rc = patron_open(&db, path.c_str(), &opts);
    BOOST_TEST_REQUIRE(rc == PATRON_OK, "patron_open: " << describe_failure(rc));
    BOOST_TEST_REQUIRE(db != nullptr);
  }
  void reopen() {
    patron_close(db);
    db = nullptr;
    open();
  }

  json create(const std::string& new_customer) {
    return ok([&](char** out) { return patron_customer_create(db, new_customer.c_str(), out); });
  }
  json get(const std::string& ref) {
    return ok([&](char** out) { return patron_customer_get(db, ref.c_str(), out); });
  }
  json find_by_email(const std::string& email) {
    return ok([&](char** out) { return patron_customer_find_by_email(db, email.c_str(), out); });
  }
};

// A Db holding Ana (number "ANA-01", ana@example.com) and Bo ("BO-01",
// bo@example.org).
struct AnaAndBo : Db {
  json ana = create(R"({"first_name":"Ana","last_name":"Silva","email":"ana@example.com","number":"ANA-01"})");
  json bo = create(R"({"first_name":"Bo","last_name":"Berg","email":"bo@example.org","number":"BO-01"})");
  std::string ana_id = ana["id"];
  std::string bo_id = bo["id"];
};

}  // namespace capi_test
