// Orders, bookings and enquiries through the C ABI on a file database: the
// exact JSON returned, every refusal with its code and field, customer
// resolution, and that refusals leave nothing behind.
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "capi_fixture.hpp"

using namespace capi_test;

namespace {

constexpr std::int64_t kMinute = 60LL * 1000000;

// kT0 shifted by whole days (kT0 is 2026-11-22T05:54:45.123456Z).
std::string day(int offset) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "2026-11-%02dT05:54:45.123456Z", 22 + offset);
  return buf;
}

// A database holding Ana (number "ANA-01", ana@example.com).
struct Shop : Db {
  json ana = create(R"({"first_name":"Ana","last_name":"Silva","email":"ana@example.com","number":"ANA-01"})");
  std::string ana_id = ana["id"];

  json record_order(const std::string& js) {
    return ok([&](char** o) { return patron_order_record(db, js.c_str(), o); });
  }
  json record_booking(const std::string& js) {
    return ok([&](char** o) { return patron_booking_record(db, js.c_str(), o); });
  }
  json record_enquiry(const std::string& js) {
    return ok([&](char** o) { return patron_enquiry_record(db, js.c_str(), o); });
  }
  json order(std::int64_t id) {
    return ok([&](char** o) { return patron_order_get(db, id, o); });
  }
  json orders(const char* filter = nullptr, size_t limit = 50, size_t offset = 0, const char* ref = "ANA-01") {
    return ok([&](char** o) { return patron_order_list(db, ref, filter, limit, offset, o); });
  }
  // Every customer, by name.
  json everyone() {
    return ok([&](char** o) { return patron_customer_search(db, "", 1000, 0, o); });
  }
  // A simple order of Ana's from the till.
  static std::string simple_order(const std::string& ref, const std::string& extra = "") {
    return R"({"customer":"ANA-01","source":"pos","external_ref":")" + ref + R"(","currency":"GBP","total":4200)" +
           extra + "}";
  }
};

std::vector<std::string> refs_of(const json& list) {
  std::vector<std::string> out;
  for (const auto& r : list) out.push_back(r["external_ref"]);
  return out;
}

using Refs = std::vector<std::string>;

}  // namespace

BOOST_AUTO_TEST_SUITE(capi_orders)

BOOST_AUTO_TEST_CASE(record_returns_the_pushed_record_and_reads_back) {
  Shop t;
  const json pushed = t.record_order(R"({
    "customer": "ana-01",
    "source": " pos ",
    "external_ref": "R-1",
    "placed_at": ")" + day(-2) + R"(",
    "currency": "gbp",
    "total": 5400,
    "items": [
      {"name": "Espresso", "quantity": 2, "unit_price": 250, "category": "drinks"},
      {"name": "Cake", "unit_price": 4900}
    ],
    "payments": [
      {"amount": 5000, "method": "card"},
      {"amount": 400, "method": "cash", "at": "2026-11-22T06:54:45.5+01:00"}
    ]
  })");
  const json expected = {
      {"customer_match", "given"},
      {"order",
       {
           {"id", 1},
           {"customer", t.ana_id},
           {"source", "pos"},
           {"external_ref", "R-1"},
           {"placed_at", day(-2)},
           {"status", "created"},
           {"currency", "GBP"},
           {"total", 5400},
           {"paid", 5400},
           {"items", json::parse(R"([
              {"name":"Espresso","quantity":2,"unit_price":250,"category":"drinks"},
              {"name":"Cake","quantity":1,"unit_price":4900,"category":""}])")},
           {"payments", json::parse(R"([
              {"amount":5000,"method":"card","at":"2026-11-22T05:54:45.123456Z"},
              {"amount":400,"method":"cash","at":"2026-11-22T05:54:45.500000Z"}])")},
           {"created_at", kT0Text},
           {"updated_at", kT0Text},
       }},
  };
  BOOST_TEST(pushed == expected, "got " << pushed.dump());
  const json& o = pushed["order"];
  BOOST_TEST(t.order(1) == o);
  BOOST_TEST(ok([&](char** out) { return patron_order_find(t.db, "pos", "R-1", out); }) == o);
  // Absence is not an error: "null".
  Owned none;
  BOOST_TEST(patron_order_find(t.db, "web", "R-1", none.out()) == PATRON_OK);
  BOOST_TEST_REQUIRE(none.get() != nullptr);
  BOOST_TEST(std::string(none.get()) == "null");
  // It is in the file.
  t.reopen();
  BOOST_TEST(t.order(1) == o);
  BOOST_TEST(t.orders() == json::array({o}));
}

BOOST_AUTO_TEST_CASE(defaults_and_paid_without_payments) {
  Shop t;
  const json o = t.record_order(R"({"customer":")" + t.ana_id +
                                R"(","source":"web","external_ref":"W-1","currency":"EUR","total":100,
                                    "placed_at":null,"status":null,"paid":null,"items":null,"payments":null})")["order"];
  BOOST_TEST(o["placed_at"] == kT0Text);
  BOOST_TEST(o["status"] == "created");
  BOOST_TEST(o["paid"] == 0);
  BOOST_TEST(o["items"] == json::array());
  BOOST_TEST(o["payments"] == json::array());
  const json paid = t.record_order(Shop::simple_order("W-2", R"(,"paid":1000,"status":"completed")"))["order"];
  BOOST_TEST(paid["paid"] == 1000);
  BOOST_TEST(paid["payments"] == json::array());
  BOOST_TEST(paid["status"] == "completed");
  BOOST_TEST(paid["id"] == 2);
}

BOOST_AUTO_TEST_CASE(status_moves_forward_only) {
  Shop t;
  t.record_order(Shop::simple_order("R-1"));
  t.now += kMinute;
  const json confirmed = ok([&](char** o) { return patron_order_set_status(t.db, 1, "confirmed", o); });
  BOOST_TEST(confirmed["status"] == "confirmed");
  BOOST_TEST(confirmed["updated_at"] == "2026-11-22T05:55:45.123456Z");
  BOOST_TEST(confirmed["created_at"] == kT0Text);
  const Failure back = fails(PATRON_EPRECONDITION, "status",
                             [&](char** o) { return patron_order_set_status(t.db, 1, "created", o); });
  BOOST_TEST(back.message.find("from confirmed to created") != std::string::npos, back.message);
  fails(PATRON_EPRECONDITION, "status", [&](char** o) { return patron_order_set_status(t.db, 1, "confirmed", o); });
  fails(PATRON_EINVAL, "status", [&](char** o) { return patron_order_set_status(t.db, 1, "shipped", o); });
  fails(PATRON_EINVAL, "status", [&](char** o) { return patron_order_set_status(t.db, 1, "Completed", o); });
  fails(PATRON_EINVAL, "status", [&](char** o) { return patron_order_set_status(t.db, 1, "", o); });
  fails(PATRON_ENOTFOUND, "id", [&](char** o) { return patron_order_set_status(t.db, 999, "confirmed", o); });
  BOOST_TEST(t.order(1) == confirmed);
  const json done = ok([&](char** o) { return patron_order_set_status(t.db, 1, "completed", o); });
  BOOST_TEST(done["status"] == "completed");
  for (const char* to : {"created", "confirmed", "cancelled"}) {
    const Failure f =
        fails(PATRON_EPRECONDITION, "status", [&](char** o) { return patron_order_set_status(t.db, 1, to, o); });
    BOOST_TEST(f.message.find(std::string("from completed to ") + to) != std::string::npos, f.message);
  }
  BOOST_TEST(t.order(1) == done);
  // created -> completed and created -> cancelled are allowed directly.
  t.record_order(Shop::simple_order("R-2"));
  BOOST_TEST(ok([&](char** o) { return patron_order_set_status(t.db, 2, "cancelled", o); })["status"] == "cancelled");
}

BOOST_AUTO_TEST_CASE(payments_raise_paid) {
  Shop t;
  t.record_order(Shop::simple_order("R-1", R"(,"total":1000)"));
  t.now += 5 * kMinute;
  const json paid =
      ok([&](char** o) { return patron_order_add_payment(t.db, 1, R"({"amount":600,"method":"card"})", o); });
  BOOST_TEST(paid["paid"] == 600);
  BOOST_TEST(paid["payments"] ==
             json::parse(R"([{"amount":600,"method":"card","at":"2026-11-22T05:59:45.123456Z"}])"));
  BOOST_TEST(paid["updated_at"] == "2026-11-22T05:59:45.123456Z");
  const json more = ok([&](char** o) {
    return patron_order_add_payment(t.db, 1, R"({"amount":400,"method":"voucher","at":"2026-11-21T10:00:00Z"})", o);
  });
  BOOST_TEST(more["paid"] == 1000);
  BOOST_TEST(more["payments"][1] ==
             json::parse(R"({"amount":400,"method":"voucher","at":"2026-11-21T10:00:00.000000Z"})"));
  BOOST_TEST(t.order(1) == more);

  auto pay_fails = [&](const char* payment, int code, const char* field, std::int64_t id = 1) {
    BOOST_TEST_CONTEXT("add_payment " << payment) {
      fails(code, field, [&](char** o) { return patron_order_add_payment(t.db, id, payment, o); });
      BOOST_TEST(t.order(1) == more);
    }
  };
  pay_fails(R"({"amount":0,"method":"card"})", PATRON_EINVAL, "payment.amount");
  pay_fails(R"({"amount":-5,"method":"card"})", PATRON_EINVAL, "payment.amount");
  pay_fails(R"({"amount":5})", PATRON_EINVAL, "payment.method");
  pay_fails(R"({"amount":"5","method":"card"})", PATRON_EINVAL, "payment.amount");
  pay_fails(R"({"amount":5.5,"method":"card"})", PATRON_EINVAL, "payment.amount");
  pay_fails(R"({"amount":5,"method":"card","at":"yesterday"})", PATRON_EINVAL, "payment.at");
  pay_fails(R"({"amount":5,"method":"card","tip":1})", PATRON_EINVAL, "payment.tip");
  pay_fails("[5]", PATRON_EINVAL, "payment");
  pay_fails("{", PATRON_EINVAL, "json");
  pay_fails(R"({"amount":5,"method":"card"})", PATRON_ENOTFOUND, "id", 42);
  ok([&](char** o) { return patron_order_set_status(t.db, 1, "cancelled", o); });
  const json cancelled = t.order(1);
  fails(PATRON_EPRECONDITION, "status",
        [&](char** o) { return patron_order_add_payment(t.db, 1, R"({"amount":1,"method":"card"})", o); });
  BOOST_TEST(t.order(1) == cancelled);
}

BOOST_AUTO_TEST_CASE(listing_filters_and_pages) {
  Shop t;
  for (int i = 0; i < 5; ++i) {
    t.record_order(Shop::simple_order("R-" + std::to_string(i), R"(,"placed_at":")" + day(-i) + R"(")"));
  }
  ok([&](char** o) { return patron_order_set_status(t.db, 2, "cancelled", o); });  // R-1
  BOOST_TEST(refs_of(t.orders()) == (Refs{"R-0", "R-1", "R-2", "R-3", "R-4"}));  // newest first
  BOOST_TEST(t.orders("") == t.orders());
  BOOST_TEST(t.orders("{}") == t.orders());
  BOOST_TEST(t.orders(nullptr, 50, 0, t.ana_id.c_str()) == t.orders());
  BOOST_TEST(refs_of(t.orders(R"({"statuses":["cancelled"]})")) == Refs{"R-1"});
  BOOST_TEST(refs_of(t.orders(R"({"statuses":["created","confirmed"]})")) == (Refs{"R-0", "R-2", "R-3", "R-4"}));
  BOOST_TEST(refs_of(t.orders(R"({"statuses":[]})")).size() == 5u);
  BOOST_TEST(refs_of(t.orders(("{\"from\":\"" + day(-3) + "\",\"until\":\"" + day(-1) + "\"}").c_str())) ==
             (Refs{"R-2", "R-3"}));
  BOOST_TEST(refs_of(t.orders(("{\"from\":\"" + day(-1) + "\"}").c_str())) == (Refs{"R-0", "R-1"}));
  BOOST_TEST(refs_of(t.orders(("{\"until\":\"" + day(-3) + "\",\"from\":null}").c_str())) == Refs{"R-4"});
  BOOST_TEST(refs_of(t.orders(nullptr, 2, 1)) == (Refs{"R-1", "R-2"}));
  BOOST_TEST(refs_of(t.orders(nullptr, 1000, 4)) == Refs{"R-4"});
  BOOST_TEST(t.orders(nullptr, 10, 5) == json::array());
  BOOST_TEST(t.orders(nullptr, 10, SIZE_MAX) == json::array());
  // Another customer has none.
  const json bo = t.create(R"({"first_name":"Bo","last_name":"Li"})");
  BOOST_TEST(t.orders(nullptr, 50, 0, bo["number"].get<std::string>().c_str()) == json::array());

  auto list_fails = [&](const char* ref, const std::string& filter, size_t limit, int code, const char* field) {
    BOOST_TEST_CONTEXT("list " << ref << " " << filter << " " << limit) {
      fails(code, field,
            [&](char** o) { return patron_order_list(t.db, ref, filter.c_str(), limit, 0, o); });
    }
  };
  list_fails("ANA-01", "", 0, PATRON_EINVAL, "limit");
  list_fails("ANA-01", "", 1001, PATRON_EINVAL, "limit");
  list_fails("ANA-01", "{\"from\":\"" + day(0) + "\",\"until\":\"" + day(-1) + "\"}", 10, PATRON_EINVAL, "until");
  list_fails("ANA-01", "{\"from\":\"" + day(0) + "\",\"until\":\"" + day(0) + "\"}", 10, PATRON_EINVAL, "until");
  list_fails("ANA-01", R"({"statuses":["created","shipped"]})", 10, PATRON_EINVAL, "statuses[1]");
  list_fails("ANA-01", R"({"statuses":["scheduled"]})", 10, PATRON_EINVAL, "statuses[0]");  // a booking status
  list_fails("ANA-01", R"({"statuses":"created"})", 10, PATRON_EINVAL, "statuses");
  list_fails("ANA-01", R"({"status":["created"]})", 10, PATRON_EINVAL, "status");  // unknown key
  list_fails("ANA-01", R"({"from":"last week"})", 10, PATRON_EINVAL, "from");
  list_fails("ANA-01", "[]", 10, PATRON_EINVAL, "json");
  list_fails("ANA-01", "{", 10, PATRON_EINVAL, "json");
  list_fails("NOBODY-1", "", 10, PATRON_ENOTFOUND, "ref");
  list_fails("0190c5a2e4b87c3d9a1b2c3d4e5f6a7b", "", 10, PATRON_ENOTFOUND, "ref");
  list_fails("no", "", 10, PATRON_EINVAL, "ref");
}

BOOST_AUTO_TEST_CASE(refusals_leave_nothing_behind) {
  Shop t;
  const json first = t.record_order(Shop::simple_order("R-1"))["order"];
  auto record_fails = [&](const std::string& js, int code, const std::string& field) {
    Failure f{};
    BOOST_TEST_CONTEXT("record " << js) {
      f = fails(code, field, [&](char** o) { return patron_order_record(t.db, js.c_str(), o); });
      BOOST_TEST(t.orders() == json::array({first}));
      BOOST_TEST(t.everyone() == json::array({t.ana}));
    }
    return f;
  };
  const Failure currency = record_fails(Shop::simple_order("R-2", R"(,"currency":"GBX")"), PATRON_EINVAL, "currency");
  BOOST_TEST(currency.message.find("ISO 4217") != std::string::npos, currency.message);
  record_fails(Shop::simple_order("R-2", R"(,"currency":"")"), PATRON_EINVAL, "currency");
  record_fails(R"({"customer":"ANA-01","source":"pos","external_ref":"R-2","total":1})", PATRON_EINVAL, "currency");
  const Failure dup = record_fails(Shop::simple_order("R-1"), PATRON_EEXIST, "external_ref");
  BOOST_TEST(dup.message.find("already recorded") != std::string::npos, dup.message);
  record_fails(Shop::simple_order(" R-1 "), PATRON_EEXIST, "external_ref");  // trimmed, the same reference
  record_fails(Shop::simple_order("R-2", R"(,"coupon":"X")"), PATRON_EINVAL, "coupon");
  record_fails(Shop::simple_order("R-2", R"(,"id":7)"), PATRON_EINVAL, "id");
  record_fails(Shop::simple_order("R-2", R"(,"status":"shipped")"), PATRON_EINVAL, "status");
  record_fails(Shop::simple_order("R-2", R"(,"total":-1)"), PATRON_EINVAL, "total");
  record_fails(Shop::simple_order("R-2", R"(,"total":"42")"), PATRON_EINVAL, "total");
  record_fails(Shop::simple_order("R-2", R"(,"placed_at":"yesterday")"), PATRON_EINVAL, "placed_at");
  record_fails(Shop::simple_order("R-2", R"(,"paid":-1)"), PATRON_EINVAL, "paid");
  record_fails(Shop::simple_order("R-2", R"(,"paid":200,"payments":[{"amount":100,"method":"card"}])"),
               PATRON_EINVAL, "paid");
  record_fails(Shop::simple_order("R-2", R"(,"items":[{"name":"Tea","quantity":0}])"), PATRON_EINVAL,
               "items[0].quantity");
  record_fails(Shop::simple_order("R-2", R"(,"items":[{"name":"Tea"},{"name":""}])"), PATRON_EINVAL,
               "items[1].name");
  record_fails(Shop::simple_order("R-2", R"(,"items":[{"name":"Tea","unit_price":-1}])"), PATRON_EINVAL,
               "items[0].unit_price");
  record_fails(Shop::simple_order("R-2", R"(,"items":[{"name":"Tea","size":"L"}])"), PATRON_EINVAL,
               "items[0].size");
  record_fails(Shop::simple_order("R-2", R"(,"items":{"name":"Tea"})"), PATRON_EINVAL, "items");
  record_fails(Shop::simple_order("R-2", R"(,"payments":[{"amount":0,"method":"card"}])"), PATRON_EINVAL,
               "payments[0].amount");
  record_fails(Shop::simple_order("R-2", R"(,"payments":[{"amount":1,"method":"card","x":1}])"), PATRON_EINVAL,
               "payments[0].x");
  record_fails(R"({"customer":"ANA-01","source":"pos","external_ref":"","currency":"GBP"})", PATRON_EINVAL,
               "external_ref");
  record_fails(R"({"customer":"ANA-01","external_ref":"R-2","currency":"GBP"})", PATRON_EINVAL, "source");
  record_fails(R"({"customer":"NOBODY-1","source":"pos","external_ref":"R-2","currency":"GBP"})", PATRON_ENOTFOUND,
               "customer");
  record_fails(R"({"customer":"no","source":"pos","external_ref":"R-2","currency":"GBP"})", PATRON_EINVAL,
               "customer");
  record_fails(R"({"source":"pos","external_ref":"R-2","currency":"GBP"})", PATRON_EINVAL, "customer");
  record_fails(R"({"customer":null,"source":"pos","external_ref":"R-2","currency":"GBP"})", PATRON_EINVAL,
               "customer");
  record_fails(R"({"customer":5,"source":"pos","external_ref":"R-2","currency":"GBP"})", PATRON_EINVAL, "customer");
  record_fails("", PATRON_EINVAL, "json");
  record_fails("[]", PATRON_EINVAL, "json");
  record_fails(Shop::simple_order("R-2") + " trailing", PATRON_EINVAL, "json");
  BOOST_TEST(t.order(1) == first);
  fails(PATRON_ENOTFOUND, "id", [&](char** o) { return patron_order_get(t.db, 999, o); });
  fails(PATRON_ENOTFOUND, "id", [&](char** o) { return patron_order_get(t.db, 0, o); });
  fails(PATRON_ENOTFOUND, "id", [&](char** o) { return patron_order_get(t.db, -1, o); });
  fails(PATRON_EINVAL, "source", [&](char** o) { return patron_order_find(t.db, "", "R-1", o); });
  fails(PATRON_EINVAL, "external_ref", [&](char** o) { return patron_order_find(t.db, "pos", " ", o); });
  // The next accepted order takes the next id: nothing was consumed.
  BOOST_TEST(t.record_order(Shop::simple_order("R-2"))["order"]["id"] == 2);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(capi_customer_resolution)

BOOST_AUTO_TEST_CASE(finds_by_email_then_phone_else_creates) {
  Shop t;
  auto with_details = [&](const std::string& ref, const std::string& details) {
    return t.record_order(R"({"customer":)" + details + R"(,"source":"pos","external_ref":")" + ref +
                          R"(","currency":"GBP","total":100})");
  };
  const json by_email = with_details("E-1", R"({"first_name":"Someone","email":"ANA@example.com"})");
  BOOST_TEST(by_email["customer_match"] == "email");
  BOOST_TEST(by_email["order"]["customer"] == t.ana_id);

  ok([&](char** o) { return patron_customer_add_phone(t.db, "ANA-01", "07911 123456", nullptr, o); });
  const json by_phone = with_details("P-1", R"({"first_name":"ÁNA","phone":"+44 7911 123456"})");
  BOOST_TEST(by_phone["customer_match"] == "phone");
  BOOST_TEST(by_phone["order"]["customer"] == t.ana_id);

  // The same phone with another first name: a new customer.
  const json created = with_details("C-1", R"({"first_name":"Bruno","last_name":null,"phone":"07911 123456"})");
  BOOST_TEST(created["customer_match"] == "created");
  const std::string bruno_id = created["order"]["customer"];
  BOOST_TEST(bruno_id != t.ana_id);
  const json bruno = t.get(bruno_id);
  BOOST_TEST(bruno["first_name"] == "Bruno");
  BOOST_TEST(bruno["number"] == "00001");
  BOOST_TEST(bruno["phones"] == json::parse(R"([{"number":"+447911123456","label":"mobile","verified":true}])"));
  BOOST_TEST(bruno["created_at"] == kT0Text);
  BOOST_TEST(ok([&](char** o) { return patron_order_list(t.db, bruno_id.c_str(), nullptr, 50, 0, o); }) ==
             json::array({created["order"]}));

  // An unknown email: created with it, and found by it next time.
  const json new_email = with_details("N-1", R"({"email":"Cy@Example.org","first_name":"Cy"})");
  BOOST_TEST(new_email["customer_match"] == "created");
  const json cy = t.find_by_email("cy@example.org");
  BOOST_TEST(cy["id"] == new_email["order"]["customer"]);
  BOOST_TEST(cy["first_name"] == "Cy");
  const json again = with_details("N-2", R"({"email":"cy@example.org"})");
  BOOST_TEST(again["customer_match"] == "email");
  BOOST_TEST(again["order"]["customer"] == cy["id"]);
  // A reference given as an id, hyphenated, is "given".
  const std::string hyphenated = t.ana_id.substr(0, 8) + "-" + t.ana_id.substr(8, 4) + "-" +
                                 t.ana_id.substr(12, 4) + "-" + t.ana_id.substr(16, 4) + "-" + t.ana_id.substr(20);
  const json given = with_details("G-1", "\"" + hyphenated + "\"");
  BOOST_TEST(given["customer_match"] == "given");
  BOOST_TEST(given["order"]["customer"] == t.ana_id);
}

BOOST_AUTO_TEST_CASE(a_refused_record_creates_no_customer) {
  Shop t;
  t.record_order(Shop::simple_order("X-2"));
  const json before = t.orders();
  auto refused = [&](const std::string& js, int code, const std::string& field) {
    BOOST_TEST_CONTEXT(js) {
      fails(code, field, [&](char** o) { return patron_order_record(t.db, js.c_str(), o); });
      BOOST_TEST(t.everyone() == json::array({t.ana}));
      BOOST_TEST(t.find_by_email("nova@example.com").is_null());
      BOOST_TEST(t.orders() == before);
    }
  };
  const std::string nova = R"({"first_name":"Nova","last_name":"Person","email":"nova@example.com"})";
  refused(R"({"customer":)" + nova + R"(,"source":"pos","external_ref":"X-1","currency":"GBP","total":-5})",
          PATRON_EINVAL, "total");
  // The duplicate is found after the customer insert: that insert is rolled back too.
  refused(R"({"customer":)" + nova + R"(,"source":"pos","external_ref":"X-2","currency":"GBP"})", PATRON_EEXIST,
          "external_ref");
  refused(R"({"customer":)" + nova + R"(,"source":"pos","external_ref":"X-3","currency":"XXX1"})", PATRON_EINVAL,
          "currency");
  // Details that do not make a recognisable customer.
  refused(R"({"customer":{"first_name":"Nova"},"source":"pos","external_ref":"X-3","currency":"GBP"})",
          PATRON_EINVAL, "customer");
  refused(R"({"customer":{},"source":"pos","external_ref":"X-3","currency":"GBP"})", PATRON_EINVAL,
          "customer");
  refused(R"({"customer":{"email":"not-an-email"},"source":"pos","external_ref":"X-3","currency":"GBP"})",
          PATRON_EINVAL, "customer.email");
  refused(R"({"customer":{"first_name":"Nova","phone":"07700 900123"},"source":"pos","external_ref":"X-3","currency":"GBP"})",
          PATRON_EINVAL, "customer.phone");
  refused(R"({"customer":{"first_name":"Nova","last_name":"Person","nickname":"N"},"source":"pos","external_ref":"X-3","currency":"GBP"})",
          PATRON_EINVAL, "customer.nickname");
  refused(R"({"customer":{"first_name":7,"last_name":"Person"},"source":"pos","external_ref":"X-3","currency":"GBP"})",
          PATRON_EINVAL, "customer.first_name");
  // Bookings and enquiries too.
  fails(PATRON_EINVAL, "party_size", [&](char** o) {
    const std::string js = R"({"customer":)" + nova + R"(,"source":"spa","external_ref":"B-1","service":"sauna",
        "starts_at":")" + day(1) + R"(","ends_at":")" + day(2) + R"(","party_size":0})";
    return patron_booking_record(t.db, js.c_str(), o);
  });
  fails(PATRON_ENOTFOUND, "order_external_ref", [&](char** o) {
    const std::string js = R"({"customer":)" + nova + R"(,"source":"spa","external_ref":"B-1","service":"sauna",
        "starts_at":")" + day(1) + R"(","ends_at":")" + day(2) + R"(","order_external_ref":"nope"})";
    return patron_booking_record(t.db, js.c_str(), o);
  });
  fails(PATRON_EINVAL, "channel", [&](char** o) {
    const std::string js = R"({"customer":)" + nova + R"(,"source":"web","external_ref":"Q-1","channel":" "})";
    return patron_enquiry_record(t.db, js.c_str(), o);
  });
  BOOST_TEST(t.everyone() == json::array({t.ana}));
  // The same details, once the record is right, create Nova.
  const json ok_now = t.record_order(R"({"customer":)" + nova +
                                     R"(,"source":"pos","external_ref":"X-1","currency":"GBP","total":5})");
  BOOST_TEST(ok_now["customer_match"] == "created");
  BOOST_TEST(t.find_by_email("nova@example.com")["id"] == ok_now["order"]["customer"]);
  BOOST_TEST(t.find_by_email("nova@example.com")["number"] == "00001");  // no number was consumed
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(capi_bookings)

BOOST_AUTO_TEST_CASE(record_move_and_link_orders) {
  Shop t;
  t.record_order(Shop::simple_order("R-9"));
  const std::string js = R"({"customer":"ANA-01","source":"pos","external_ref":"B-1","service":" massage 60 ",
      "starts_at":")" + day(3) + R"(","ends_at":"2026-11-25T07:54:45.123456+01:00","party_size":2,
      "order_external_ref":"R-9"})";
  const json pushed = t.record_booking(js);
  const json expected = {
      {"customer_match", "given"},
      {"booking",
       {
           {"id", 1},
           {"customer", t.ana_id},
           {"source", "pos"},
           {"external_ref", "B-1"},
           {"service", "massage 60"},
           {"starts_at", day(3)},
           {"ends_at", "2026-11-25T06:54:45.123456Z"},
           {"status", "scheduled"},
           {"party_size", 2},
           {"order_id", 1},
           {"created_at", kT0Text},
           {"updated_at", kT0Text},
       }},
  };
  BOOST_TEST(pushed == expected, "got " << pushed.dump());
  const json b = pushed["booking"];
  BOOST_TEST(ok([&](char** o) { return patron_booking_get(t.db, 1, o); }) == b);
  BOOST_TEST(ok([&](char** o) { return patron_booking_find(t.db, "pos", "B-1", o); }) == b);
  BOOST_TEST(ok([&](char** o) { return patron_booking_find(t.db, "spa", "B-1", o); }).is_null());

  t.now += kMinute;
  const json moved = ok([&](char** o) {
    return patron_booking_reschedule(t.db, 1, day(4).c_str(), "2026-11-26T07:24:45.123456Z", o);
  });
  BOOST_TEST(moved["status"] == "rescheduled");
  BOOST_TEST(moved["starts_at"] == day(4));
  BOOST_TEST(moved["ends_at"] == "2026-11-26T07:24:45.123456Z");
  BOOST_TEST(moved["updated_at"] == "2026-11-22T05:55:45.123456Z");
  BOOST_TEST(moved["order_id"] == 1);
  // Rescheduling a rescheduled booking again is allowed.
  BOOST_TEST(ok([&](char** o) {
               return patron_booking_reschedule(t.db, 1, day(4).c_str(), "2026-11-26T07:24:45.123456Z", o);
             })["status"] == "rescheduled");
  fails(PATRON_EINVAL, "ends_at",
        [&](char** o) { return patron_booking_reschedule(t.db, 1, day(5).c_str(), day(5).c_str(), o); });
  fails(PATRON_EINVAL, "ends_at",
        [&](char** o) { return patron_booking_reschedule(t.db, 1, day(5).c_str(), day(4).c_str(), o); });
  fails(PATRON_EINVAL, "starts_at",
        [&](char** o) { return patron_booking_reschedule(t.db, 1, "tomorrow", day(4).c_str(), o); });
  fails(PATRON_EINVAL, "ends_at", [&](char** o) { return patron_booking_reschedule(t.db, 1, day(4).c_str(), "", o); });
  fails(PATRON_ENOTFOUND, "id",
        [&](char** o) { return patron_booking_reschedule(t.db, 7, day(4).c_str(), day(5).c_str(), o); });
  BOOST_TEST(ok([&](char** o) { return patron_booking_get(t.db, 1, o); }) == moved);

  BOOST_TEST(ok([&](char** o) { return patron_booking_set_status(t.db, 1, "checked_in", o); })["status"] ==
             "checked_in");
  fails(PATRON_EPRECONDITION, "status", [&](char** o) { return patron_booking_set_status(t.db, 1, "scheduled", o); });
  fails(PATRON_EPRECONDITION, "status", [&](char** o) { return patron_booking_set_status(t.db, 1, "no_show", o); });
  fails(PATRON_EINVAL, "status", [&](char** o) { return patron_booking_set_status(t.db, 1, "checked in", o); });
  fails(PATRON_EINVAL, "status", [&](char** o) { return patron_booking_set_status(t.db, 1, "confirmed", o); });
  fails(PATRON_ENOTFOUND, "id", [&](char** o) { return patron_booking_set_status(t.db, 9, "completed", o); });
  const json done = ok([&](char** o) { return patron_booking_set_status(t.db, 1, "completed", o); });
  BOOST_TEST(done["status"] == "completed");
  const Failure late = fails(PATRON_EPRECONDITION, "status", [&](char** o) {
    return patron_booking_reschedule(t.db, 1, day(5).c_str(), day(6).c_str(), o);
  });
  BOOST_TEST(late.message.find("from completed to rescheduled") != std::string::npos, late.message);
  BOOST_TEST(ok([&](char** o) { return patron_booking_get(t.db, 1, o); }) == done);
  fails(PATRON_ENOTFOUND, "id", [&](char** o) { return patron_booking_get(t.db, 2, o); });
}

BOOST_AUTO_TEST_CASE(refusals_and_listing) {
  Shop t;
  auto booking = [](const std::string& ref, const std::string& start, const std::string& extra = "") {
    return R"({"customer":"ANA-01","source":"spa","external_ref":")" + ref + R"(","service":"sauna","starts_at":")" +
           start + R"(","ends_at":")" + start.substr(0, 11) + "23:59:59Z\"" + extra + "}";
  };
  const json b1 = t.record_booking(booking("B-1", day(1)))["booking"];
  BOOST_TEST(b1["party_size"] == 1);
  BOOST_TEST(b1["order_id"].is_null());
  BOOST_TEST(b1["status"] == "scheduled");
  auto list = [&](const char* filter = nullptr, size_t limit = 50, size_t offset = 0) {
    return ok([&](char** o) { return patron_booking_list(t.db, "ANA-01", filter, limit, offset, o); });
  };
  auto record_fails = [&](const std::string& js, int code, const std::string& field) {
    BOOST_TEST_CONTEXT(js) {
      fails(code, field, [&](char** o) { return patron_booking_record(t.db, js.c_str(), o); });
      BOOST_TEST(list() == json::array({b1}));
    }
  };
  record_fails(booking("B-1", day(2)), PATRON_EEXIST, "external_ref");
  record_fails(booking("B-2", day(2), R"(,"party_size":0)"), PATRON_EINVAL, "party_size");
  record_fails(booking("B-2", day(2), R"(,"party_size":10001)"), PATRON_EINVAL, "party_size");
  record_fails(booking("B-2", day(2), R"(,"order_external_ref":"nope")"), PATRON_ENOTFOUND, "order_external_ref");
  record_fails(booking("B-2", day(2), R"(,"status":"booked")"), PATRON_EINVAL, "status");
  record_fails(booking("B-2", day(2), R"(,"table":4)"), PATRON_EINVAL, "table");
  record_fails(R"({"customer":"ANA-01","source":"spa","external_ref":"B-2","service":"sauna","ends_at":")" + day(2) +
                   R"("})",
               PATRON_EINVAL, "starts_at");
  record_fails(R"({"customer":"ANA-01","source":"spa","external_ref":"B-2","service":"sauna","starts_at":")" +
                   day(2) + R"(","ends_at":")" + day(2) + R"("})",
               PATRON_EINVAL, "ends_at");
  record_fails(R"({"customer":"ANA-01","source":"spa","external_ref":"B-2","service":"","starts_at":")" + day(2) +
                   R"(","ends_at":")" + day(3) + R"("})",
               PATRON_EINVAL, "service");
  record_fails(R"({"customer":"ANA-01","source":"spa","external_ref":"B-2","service":"sauna","starts_at":"soon","ends_at":")" +
                   day(3) + R"("})",
               PATRON_EINVAL, "starts_at");
  BOOST_TEST(t.everyone() == json::array({t.ana}));

  const json b2 = t.record_booking(booking("B-2", day(3), R"(,"status":"checked_in")"))["booking"];
  const json b3 = t.record_booking(booking("B-3", day(-1)))["booking"];
  BOOST_TEST(refs_of(list()) == (Refs{"B-2", "B-1", "B-3"}));  // latest start first
  BOOST_TEST(refs_of(list(R"({"statuses":["scheduled"]})")) == (Refs{"B-1", "B-3"}));
  BOOST_TEST(refs_of(list(R"({"statuses":["checked_in","no_show"]})")) == Refs{"B-2"});
  BOOST_TEST(refs_of(list(("{\"from\":\"" + day(0) + "\"}").c_str())) == (Refs{"B-2", "B-1"}));
  BOOST_TEST(refs_of(list(("{\"until\":\"" + day(1) + "\"}").c_str())) == Refs{"B-3"});
  BOOST_TEST(refs_of(list(nullptr, 1, 1)) == Refs{"B-1"});
  fails(PATRON_EINVAL, "statuses[0]",
        [&](char** o) { return patron_booking_list(t.db, "ANA-01", R"({"statuses":["created"]})", 10, 0, o); });
  fails(PATRON_EINVAL, "limit", [&](char** o) { return patron_booking_list(t.db, "ANA-01", nullptr, 0, 0, o); });
  fails(PATRON_ENOTFOUND, "ref", [&](char** o) { return patron_booking_list(t.db, "NOBODY-1", nullptr, 10, 0, o); });
  BOOST_TEST(list()[1] == b1);
  BOOST_TEST(list()[2] == b3);
  BOOST_TEST(list()[0] == b2);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(capi_enquiries)

BOOST_AUTO_TEST_CASE(record_with_new_customer_and_move) {
  Shop t;
  const json pushed = t.record_enquiry(R"({
    "customer": {"email": "new.guest@example.org"},
    "source": "web",
    "external_ref": "Q-1",
    "channel": "web form",
    "subject": "Wedding in June",
    "body": "Hello,\nwe are 80 guests.\n"
  })");
  BOOST_TEST(pushed["customer_match"] == "created");
  const json guest = t.find_by_email("new.guest@example.org");
  BOOST_TEST_REQUIRE(guest.is_object());
  const json expected = {
      {"customer_match", "created"},
      {"enquiry",
       {
           {"id", 1},
           {"customer", guest["id"]},
           {"source", "web"},
           {"external_ref", "Q-1"},
           {"channel", "web form"},
           {"subject", "Wedding in June"},
           {"body", "Hello,\nwe are 80 guests.\n"},
           {"status", "open"},
           {"received_at", kT0Text},
           {"created_at", kT0Text},
           {"updated_at", kT0Text},
       }},
  };
  BOOST_TEST(pushed == expected, "got " << pushed.dump());
  const json e = pushed["enquiry"];
  BOOST_TEST(ok([&](char** o) { return patron_enquiry_get(t.db, 1, o); }) == e);
  BOOST_TEST(ok([&](char** o) { return patron_enquiry_find(t.db, "web", "Q-1", o); }) == e);
  BOOST_TEST(ok([&](char** o) { return patron_enquiry_find(t.db, "web", "Q-2", o); }).is_null());

  BOOST_TEST(ok([&](char** o) { return patron_enquiry_set_status(t.db, 1, "resolved", o); })["status"] == "resolved");
  BOOST_TEST(ok([&](char** o) { return patron_enquiry_set_status(t.db, 1, "open", o); })["status"] == "open");
  BOOST_TEST(ok([&](char** o) { return patron_enquiry_set_status(t.db, 1, "in_progress", o); })["status"] ==
             "in_progress");
  fails(PATRON_EPRECONDITION, "status", [&](char** o) { return patron_enquiry_set_status(t.db, 1, "open", o); });
  const json closed = ok([&](char** o) { return patron_enquiry_set_status(t.db, 1, "closed", o); });
  BOOST_TEST(closed["status"] == "closed");
  for (const char* to : {"open", "in_progress", "resolved", "closed"}) {
    fails(PATRON_EPRECONDITION, "status", [&](char** o) { return patron_enquiry_set_status(t.db, 1, to, o); });
  }
  fails(PATRON_EINVAL, "status", [&](char** o) { return patron_enquiry_set_status(t.db, 1, "reopened", o); });
  fails(PATRON_ENOTFOUND, "id", [&](char** o) { return patron_enquiry_set_status(t.db, 5, "closed", o); });
  fails(PATRON_ENOTFOUND, "id", [&](char** o) { return patron_enquiry_get(t.db, 5, o); });
  BOOST_TEST(ok([&](char** o) { return patron_enquiry_get(t.db, 1, o); }) == closed);
  const std::string guest_id = guest["id"];
  BOOST_TEST(ok([&](char** o) { return patron_enquiry_list(t.db, guest_id.c_str(), nullptr, 50, 0, o); }) ==
             json::array({closed}));
}

BOOST_AUTO_TEST_CASE(refusals_and_listing) {
  Shop t;
  auto enquiry = [](const std::string& ref, const std::string& extra = "") {
    return R"({"customer":"ANA-01","source":"web","external_ref":")" + ref + R"(","channel":"email")" + extra + "}";
  };
  const json q1 = t.record_enquiry(enquiry("Q-1", R"(,"received_at":")" + day(-1) + R"(")"))["enquiry"];
  BOOST_TEST(q1["subject"] == "");
  BOOST_TEST(q1["body"] == "");
  auto list = [&](const char* filter = nullptr) {
    return ok([&](char** o) { return patron_enquiry_list(t.db, "ANA-01", filter, 50, 0, o); });
  };
  auto record_fails = [&](const std::string& js, int code, const std::string& field) {
    BOOST_TEST_CONTEXT(js) {
      fails(code, field, [&](char** o) { return patron_enquiry_record(t.db, js.c_str(), o); });
      BOOST_TEST(list() == json::array({q1}));
    }
  };
  record_fails(enquiry("Q-1"), PATRON_EEXIST, "external_ref");
  record_fails(enquiry("Q-2", R"(,"channel":"")"), PATRON_EINVAL, "channel");
  record_fails(enquiry("Q-2", R"(,"subject":")" + std::string(301, 's') + "\""), PATRON_EINVAL, "subject");
  record_fails(enquiry("Q-2", R"(,"body":")" + std::string(20001, 'b') + "\""), PATRON_EINVAL, "body");
  record_fails(enquiry("Q-2", ",\"body\":\"caf\xff\""), PATRON_EINVAL, "json");  // invalid UTF-8
  record_fails(enquiry("Q-2", R"(,"status":"pending")"), PATRON_EINVAL, "status");
  record_fails(enquiry("Q-2", R"(,"received_at":"now")"), PATRON_EINVAL, "received_at");
  record_fails(enquiry("Q-2", R"(,"priority":1)"), PATRON_EINVAL, "priority");
  // The limits themselves are fine.
  const json q2 = t.record_enquiry(enquiry("Q-2", R"(,"body":")" + std::string(20000, 'b') +
                                                      R"(","status":"in_progress","subject":")" +
                                                      std::string(300, 's') + "\""))["enquiry"];
  BOOST_TEST(q2["status"] == "in_progress");
  BOOST_TEST(q2["body"].get<std::string>().size() == 20000u);
  BOOST_TEST(refs_of(list()) == (Refs{"Q-2", "Q-1"}));  // newest first
  BOOST_TEST(refs_of(list(R"({"statuses":["open"]})")) == Refs{"Q-1"});
  BOOST_TEST(refs_of(list(("{\"until\":\"" + day(0) + "\"}").c_str())) == Refs{"Q-1"});
  fails(PATRON_EINVAL, "statuses[0]",
        [&](char** o) { return patron_enquiry_list(t.db, "ANA-01", R"({"statuses":["cancelled"]})", 10, 0, o); });
  fails(PATRON_EINVAL, "limit", [&](char** o) { return patron_enquiry_list(t.db, "ANA-01", "", 1001, 0, o); });
  fails(PATRON_ENOTFOUND, "ref", [&](char** o) { return patron_enquiry_list(t.db, "NOBODY-1", "", 10, 0, o); });
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(capi_commerce_misuse)

BOOST_AUTO_TEST_CASE(null_handle_arguments_and_out_parameters) {
  Shop t;
  t.record_order(Shop::simple_order("R-1"));
  const json before = t.orders();
  patron_db* db = t.db;
  const char* r = "ANA-01";
  const char* order = R"({"customer":"ANA-01","source":"pos","external_ref":"R-2","currency":"GBP"})";
  const char* pay = R"({"amount":1,"method":"card"})";
  const std::string start = day(1);
  const std::string end = day(2);
  const char* s = start.c_str();
  const char* e = end.c_str();
  struct Case {
    const char* what;
    std::function<int(char**)> call;
    const char* field;
  };
  const std::vector<Case> cases = {
      {"order_record db", [&](char** o) { return patron_order_record(nullptr, order, o); }, "db"},
      {"order_record json", [&](char** o) { return patron_order_record(db, nullptr, o); }, "json"},
      {"order_get db", [&](char** o) { return patron_order_get(nullptr, 1, o); }, "db"},
      {"order_find db", [&](char** o) { return patron_order_find(nullptr, "pos", "R-1", o); }, "db"},
      {"order_find source", [&](char** o) { return patron_order_find(db, nullptr, "R-1", o); }, "source"},
      {"order_find ref", [&](char** o) { return patron_order_find(db, "pos", nullptr, o); }, "external_ref"},
      {"order_set_status db", [&](char** o) { return patron_order_set_status(nullptr, 1, "confirmed", o); }, "db"},
      {"order_set_status status", [&](char** o) { return patron_order_set_status(db, 1, nullptr, o); }, "status"},
      {"order_add_payment db", [&](char** o) { return patron_order_add_payment(nullptr, 1, pay, o); }, "db"},
      {"order_add_payment json", [&](char** o) { return patron_order_add_payment(db, 1, nullptr, o); },
       "payment_json"},
      {"order_list db", [&](char** o) { return patron_order_list(nullptr, r, nullptr, 10, 0, o); }, "db"},
      {"order_list ref", [&](char** o) { return patron_order_list(db, nullptr, nullptr, 10, 0, o); }, "ref"},
      {"booking_record db", [&](char** o) { return patron_booking_record(nullptr, "{}", o); }, "db"},
      {"booking_record json", [&](char** o) { return patron_booking_record(db, nullptr, o); }, "json"},
      {"booking_get db", [&](char** o) { return patron_booking_get(nullptr, 1, o); }, "db"},
      {"booking_find db", [&](char** o) { return patron_booking_find(nullptr, "spa", "B-1", o); }, "db"},
      {"booking_find source", [&](char** o) { return patron_booking_find(db, nullptr, "B-1", o); }, "source"},
      {"booking_find ref", [&](char** o) { return patron_booking_find(db, "spa", nullptr, o); }, "external_ref"},
      {"booking_set_status db", [&](char** o) { return patron_booking_set_status(nullptr, 1, "cancelled", o); },
       "db"},
      {"booking_set_status status", [&](char** o) { return patron_booking_set_status(db, 1, nullptr, o); },
       "status"},
      {"booking_reschedule db", [&](char** o) { return patron_booking_reschedule(nullptr, 1, s, e, o); }, "db"},
      {"booking_reschedule starts_at", [&](char** o) { return patron_booking_reschedule(db, 1, nullptr, e, o); },
       "starts_at"},
      {"booking_reschedule ends_at", [&](char** o) { return patron_booking_reschedule(db, 1, s, nullptr, o); },
       "ends_at"},
      {"booking_list db", [&](char** o) { return patron_booking_list(nullptr, r, nullptr, 10, 0, o); }, "db"},
      {"booking_list ref", [&](char** o) { return patron_booking_list(db, nullptr, nullptr, 10, 0, o); }, "ref"},
      {"enquiry_record db", [&](char** o) { return patron_enquiry_record(nullptr, "{}", o); }, "db"},
      {"enquiry_record json", [&](char** o) { return patron_enquiry_record(db, nullptr, o); }, "json"},
      {"enquiry_get db", [&](char** o) { return patron_enquiry_get(nullptr, 1, o); }, "db"},
      {"enquiry_find db", [&](char** o) { return patron_enquiry_find(nullptr, "web", "Q-1", o); }, "db"},
      {"enquiry_find source", [&](char** o) { return patron_enquiry_find(db, nullptr, "Q-1", o); }, "source"},
      {"enquiry_find ref", [&](char** o) { return patron_enquiry_find(db, "web", nullptr, o); }, "external_ref"},
      {"enquiry_set_status db", [&](char** o) { return patron_enquiry_set_status(nullptr, 1, "closed", o); }, "db"},
      {"enquiry_set_status status", [&](char** o) { return patron_enquiry_set_status(db, 1, nullptr, o); },
       "status"},
      {"enquiry_list db", [&](char** o) { return patron_enquiry_list(nullptr, r, nullptr, 10, 0, o); }, "db"},
      {"enquiry_list ref", [&](char** o) { return patron_enquiry_list(db, nullptr, nullptr, 10, 0, o); }, "ref"},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.what) {
      const Failure f = fails(PATRON_EMISUSE, c.field, c.call);
      BOOST_TEST(f.message.find("must not be NULL") != std::string::npos, f.message);
      BOOST_TEST(f.message.find("patron_") == 0u, f.message);
      BOOST_TEST(c.call(nullptr) == PATRON_EMISUSE);
      BOOST_TEST(std::string(patron_errfield()) == "out_json");
    }
  }
  BOOST_TEST(t.orders() == before);
  BOOST_TEST(t.everyone() == json::array({t.ana}));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(capi_history)

BOOST_AUTO_TEST_CASE(one_list_across_kinds_filtered_by_kind_status_and_time) {
  Shop t;
  const json first =
      t.record_order(Shop::simple_order("R-1", R"(,"total":1500,"placed_at":")" + day(-3) + R"(")"))["order"];
  t.record_booking(R"({"customer":"ANA-01","source":"spa","external_ref":"B-1","service":"massage 60","starts_at":")" +
                   day(-2) + R"(","ends_at":")" + day(-1) + R"("})");
  t.record_enquiry(R"({"customer":"ANA-01","source":"web","external_ref":"Q-1","channel":"email",)"
                   R"("subject":"Allergies","received_at":")" + day(-1) + R"("})");
  t.record_order(Shop::simple_order("R-2", R"(,"status":"cancelled","placed_at":")" + day(-4) + R"(")"));
  auto history = [&](const char* filter, size_t limit = 50, size_t offset = 0) {
    return ok([&](char** o) { return patron_customer_history(t.db, "ANA-01", filter, limit, offset, o); });
  };
  auto lines = [&](const json& list) {
    std::vector<std::string> out;
    for (const auto& r : list) out.push_back(r["kind"].get<std::string>() + ":" + r["external_ref"].get<std::string>());
    return out;
  };
  BOOST_TEST(lines(history(nullptr)) == (Refs{"enquiry:Q-1", "booking:B-1", "order:R-1", "order:R-2"}));
  BOOST_TEST(lines(history("")) == lines(history("{}")));
  BOOST_TEST(lines(history(R"({"kinds":["order"]})")) == (Refs{"order:R-1", "order:R-2"}));
  BOOST_TEST(lines(history(R"({"statuses":["cancelled","open"]})")) == (Refs{"enquiry:Q-1", "order:R-2"}));
  const std::string window = R"({"from":")" + day(-3) + R"(","until":")" + day(-1) + R"("})";
  BOOST_TEST(lines(history(window.c_str())) == (Refs{"booking:B-1", "order:R-1"}));
  BOOST_TEST(lines(history(nullptr, 1, 1)) == Refs{"booking:B-1"});
  const json row = history(R"({"kinds":["order"]})", 1)[0];
  BOOST_TEST(row == (json{{"kind", "order"},       {"id", first["id"]}, {"source", "pos"},  {"external_ref", "R-1"},
                          {"at", day(-3)},         {"status", "created"}, {"label", ""},   {"total", 1500},
                          {"currency", "GBP"}}));
  auto history_fails = [&](const char* filter, int code, const char* field, const char* ref = "ANA-01") {
    fails(code, field, [&](char** o) { return patron_customer_history(t.db, ref, filter, 50, 0, o); });
  };
  history_fails(R"({"kinds":["order","invoice"]})", PATRON_EINVAL, "kinds[1]");
  history_fails(R"({"statuses":["open","gone"]})", PATRON_EINVAL, "statuses[1]");
  history_fails(R"({"colour":"red"})", PATRON_EINVAL, "colour");
  history_fails(nullptr, PATRON_ENOTFOUND, "ref", "NOBODY-1");
  history_fails(nullptr, PATRON_EMISUSE, "ref", nullptr);
  fails(PATRON_EMISUSE, "db", [&](char** o) { return patron_customer_history(nullptr, "ANA-01", nullptr, 50, 0, o); });
  BOOST_TEST(patron_customer_history(t.db, "ANA-01", nullptr, 50, 0, nullptr) == PATRON_EMISUSE);
}

BOOST_AUTO_TEST_SUITE_END()
