// Bad input through the C ABI (issue 11): JSON nested without end, numbers
// the parser cannot hold, integers past 2^63, times outside 0001-9999 and
// money beyond 10^15 are refused with PATRON_EINVAL naming the place, and
// nothing is written. A details document stored before nesting was bounded
// no longer crashes the reads that meet it.
#include <boost/test/unit_test.hpp>

#include <pthread.h>
#include <sqlite3.h>

#include <functional>
#include <string>

#include "capi_fixture.hpp"

using namespace capi_test;

namespace {

// `open` objects (or arrays) deep, with `leaf` inside.
std::string nested(std::size_t depth, char open = '{') {
  std::string out;
  for (std::size_t i = 0; i < depth; ++i) out += open == '{' ? "{\"a\":" : "[";
  out += "1";
  out.append(depth, open == '{' ? '}' : ']');
  return out;
}

std::string event_with(const std::string& details) {
  return R"({"customer":"ANA-01","action":"test.nested","summary":"Nested","details":)" + details + "}";
}

// Runs `f` on a thread with a 256 KiB stack: a reader that met unbounded
// nesting would recurse past it.
void on_small_stack(const std::function<void()>& f) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 256 * 1024);
  pthread_t thread;
  auto run = [](void* p) -> void* {
    (*static_cast<const std::function<void()>*>(p))();
    return nullptr;
  };
  BOOST_TEST_REQUIRE(pthread_create(&thread, &attr, run, const_cast<std::function<void()>*>(&f)) == 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
}

struct Till : AnaAndBo {
  std::int64_t last_event() {
    std::int64_t id = -1;
    BOOST_TEST_REQUIRE(patron_last_event_id(db, &id) == PATRON_OK);
    return id;
  }
  json order(const std::string& js) {
    return ok([&](char** o) { return patron_order_record(db, js.c_str(), o); });
  }
  Failure refused_order(const std::string& field, const std::string& js) {
    return fails(PATRON_EINVAL, field, [&](char** o) { return patron_order_record(db, js.c_str(), o); });
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(capi_hardening)

BOOST_AUTO_TEST_CASE(nesting_is_bounded_at_every_json_entry) {
  Till t;
  const std::int64_t before = t.last_event();
  // The record is level 1 and its details level 2: 63 objects of details fit.
  ok([&](char** o) { return patron_event_record(t.db, event_with(nested(63)).c_str(), o); });
  for (const std::size_t depth : {64u, 30000u, 50000u}) {
    BOOST_TEST_CONTEXT(depth) {
      std::string field = "details";
      for (int i = 0; i < 63; ++i) field += ".a";
      const Failure f = fails(PATRON_EINVAL, field, [&](char** o) {
        return patron_event_record(t.db, event_with(nested(depth)).c_str(), o);
      });
      BOOST_TEST(f.message.find("nested deeper than 64 levels") != std::string::npos, f.message);
    }
  }
  // A batch names the element; arrays count as levels (batch, record,
  // details: 61 arrays fit under the bound).
  std::string in_batch = "[0].details.a";
  for (int i = 0; i < 61; ++i) in_batch += "[0]";
  fails(PATRON_EINVAL, in_batch, [&](char** o) {
    const std::string batch = "[" + event_with("{\"a\":" + nested(100, '[') + "}") + "]";
    return patron_event_record_many(t.db, batch.c_str(), o);
  });
  // Records of every kind go through the same parser.
  std::string arrays;
  for (int i = 0; i < 64; ++i) arrays += "[0]";
  fails(PATRON_EINVAL, arrays, [&](char** o) {
    return patron_customer_create_many(t.db, ("[" + nested(80, '[') + "]").c_str(), o);
  });
  BOOST_TEST(t.last_event() == before + 1);
  // Every read of what was kept works on a small stack.
  on_small_stack([&] {
    const json feed = ok([&](char** o) { return patron_feed(t.db, before, 10, o); });
    BOOST_TEST(feed.size() == 1u);
    BOOST_TEST(feed[0]["details"].dump() == nested(63));
  });
}

BOOST_AUTO_TEST_CASE(details_stored_by_an_older_patron_read_back_as_text) {
  Till t;
  const std::int64_t before = t.last_event();
  // An organisation event (details in clear) nested 30,000 deep, as an older
  // patron stored it: every later read of the feed used to crash.
  const std::string poison = nested(30000);
  {
    sqlite3* raw = nullptr;
    BOOST_TEST_REQUIRE(sqlite3_open(t.path.c_str(), &raw) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    BOOST_TEST_REQUIRE(sqlite3_prepare_v2(raw,
                                          "INSERT INTO events (at, category, type, source, actor, action, summary, "
                                          "details) VALUES (0, 'system', 'data', 'api', '', 'legacy.nested', "
                                          "'Legacy', ?)",
                                          -1, &st, nullptr) == SQLITE_OK,
                       sqlite3_errmsg(raw));
    sqlite3_bind_blob(st, 1, poison.data(), static_cast<int>(poison.size()), SQLITE_TRANSIENT);  // as patron stores it
    const int rc = sqlite3_step(st);
    BOOST_TEST_REQUIRE(rc == SQLITE_DONE, rc << ": " << sqlite3_errmsg(raw));
    sqlite3_finalize(st);
    sqlite3_close(raw);
  }
  on_small_stack([&] {
    const json feed = ok([&](char** o) { return patron_feed(t.db, before, 10, o); });
    BOOST_TEST_REQUIRE(feed.size() == 1u);
    BOOST_TEST(feed[0]["details"] == json(poison));  // handed over as text, never walked
  });
}

BOOST_AUTO_TEST_CASE(numbers_at_the_edges) {
  Till t;
  const std::string head = R"({"customer":"ANA-01","source":"pos","external_ref":"N-1","currency":"GBP",)";
  // 1e400 was PATRON_EINTERNAL with the parser's raw message and no field.
  Failure f = t.refused_order("total", head + R"("total":1e400})");
  BOOST_TEST(f.message == "total: number out of range (a JSON number must fit a 64-bit float or integer)");
  t.refused_order("items[1].unit_price",
                  head + R"("total":1,"items":[{"name":"a","unit_price":1},{"name":"b","unit_price":-1e999}]})");
  // 2^63 was read as -2^63.
  f = t.refused_order("total", head + R"("total":9223372036854775808})");
  BOOST_TEST(f.message == "total: must be an integer below 2^63");
  t.refused_order("total", head + R"("total":18446744073709551616})");  // past 2^64: a float
  t.refused_order("payments[0].amount", head + R"("total":1,"payments":[{"amount":18446744073709551615,"method":"x"}]})");
  // Not JSON at all: the parser's reason, without its internal tag.
  f = fails(PATRON_EINVAL, "json", [&](char** o) { return patron_order_record(t.db, "{\"total\":", o); });
  BOOST_TEST(f.message.rfind("json: not valid JSON (parse error", 0) == 0, f.message);
  BOOST_TEST(f.message.find("[json.exception") == std::string::npos, f.message);
  // Money: one bound everywhere.
  f = t.refused_order("total", head + R"("total":1000000000000001})");
  BOOST_TEST(f.message == "total: must be 0 to 10^15 minor units");
  t.refused_order("items[0].amount",
                  head + R"("total":1,"items":[{"name":"gold","quantity":1000000,"unit_price":1000000000000}]})");
  json none = ok([&](char** o) { return patron_order_list(t.db, "ANA-01", nullptr, 50, 0, o); });
  BOOST_TEST(none == json::array());
  // At the bound, sums stay exact.
  t.order(head + R"("total":1000000000000000})");
  t.order(R"({"customer":"ANA-01","source":"pos","external_ref":"N-2","currency":"GBP","total":1000000000000000})");
  const json stats = ok([&](char** o) { return patron_analytics_stats(t.db, "ANA-01", o); });
  BOOST_TEST(stats["by_currency"][0]["spend"] == 2000000000000000);
}

BOOST_AUTO_TEST_CASE(times_outside_0001_to_9999_are_refused) {
  Till t;
  const std::string rule = "must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999999Z";
  const std::string head = R"({"customer":"ANA-01","source":"pos","external_ref":"T-1","currency":"GBP","total":1,)";
  for (const char* at : {"0000-06-01T00:00:00Z", "-001-06-01T00:00:00Z", "0001-01-01T00:00:00+00:01",
                         "10000-01-01T00:00:00Z"}) {
    BOOST_TEST_CONTEXT(at) {
      const Failure f = t.refused_order("placed_at", head + "\"placed_at\":\"" + at + "\"}");
      if (std::string(at) != "10000-01-01T00:00:00Z") BOOST_TEST(f.message == "placed_at: " + rule);
    }
  }
  t.refused_order("payments[0].at",
                  head + R"("payments":[{"amount":1,"method":"card","at":"0000-01-01T00:00:00Z"}]})");
  fails(PATRON_EINVAL, "at", [&](char** o) {
    return patron_event_record(
        t.db, R"({"customer":"ANA-01","action":"a.b","summary":"s","at":"0000-01-01T00:00:00Z"})", o);
  });
  fails(PATRON_EINVAL, "date_of_birth", [&](char** o) {
    return patron_customer_create(t.db, R"({"first_name":"Old","last_name":"Man","date_of_birth":"0000-01-01"})", o);
  });
  // A host clock outside the range stamps nothing.
  t.now = -62135596800000000 - 1;  // 0000-12-31T23:59:59.999999Z
  fails(PATRON_EINVAL, "clock", [&](char** o) {
    return patron_customer_create(t.db, R"({"first_name":"Late","last_name":"Clock"})", o);
  });
  t.now = kT0;
  // The ends of the range are accepted and read back exactly.
  const json first = t.order(head + R"("placed_at":"0001-01-01T00:00:00Z"})");
  BOOST_TEST(first["order"]["placed_at"] == "0001-01-01T00:00:00.000000Z");
  const json last = t.order(
      R"({"customer":"ANA-01","source":"pos","external_ref":"T-2","currency":"GBP","total":1,"placed_at":"9999-12-31T23:59:59.999999Z"})");
  BOOST_TEST(last["order"]["placed_at"] == "9999-12-31T23:59:59.999999Z");
}

BOOST_AUTO_TEST_CASE(error_messages_are_whole_utf8_text) {
  // Messages quote the input at fault, which may be any bytes: an invalid
  // byte reads as U+FFFD and a control character as \u00XX, so errmsg and
  // errfield are valid UTF-8 and never cut short at a NUL.
  Till t;
  const Failure bad_key = fails(PATRON_EINVAL, "json", [&](char** o) {
    return patron_customer_create(t.db, "{\"i\xEF_default\":true}", o);
  });
  BOOST_TEST(bad_key.message.find("\xEF\xBF\xBD") != std::string::npos, bad_key.message);
  const Failure nul_key = fails(PATRON_EINVAL, "\\u0000x", [&](char** o) {
    return patron_customer_create(t.db, R"({"first_name":"A","last_name":"B","\u0000x":0})", o);
  });
  BOOST_TEST(nul_key.message == "\\u0000x: unknown field");
  const Failure field = fails(PATRON_ENOTFOUND, "key", [&](char** o) {
    return patron_field_set(t.db, "ANA-01", "a\xFF", "1", o);
  });
  BOOST_TEST(field.message.find("a\xEF\xBF\xBD") != std::string::npos, field.message);
}

BOOST_AUTO_TEST_SUITE_END()
