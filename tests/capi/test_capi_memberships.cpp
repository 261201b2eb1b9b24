// Memberships through the C ABI on a file database: the exact JSON returned
// for plans and memberships, status changes and renewals, expiry under the
// injected clock, memberships inherited from a company, and every refusal
// with its code and field.
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <functional>
#include <string>

#include "capi_fixture.hpp"

using namespace capi_test;

namespace {

constexpr std::int64_t kMinute = 60LL * 1000000;
constexpr const char* kT1Text = "2026-11-22T05:55:45.123456Z";  // kT0 + 1 minute

std::string text(const char* s) { return s == nullptr ? std::string() : std::string(s); }

// A database holding Ana (number "ANA-01", ana@acme.com) and Bo ("BO-01",
// bo@example.org), and no plan yet.
struct Clubs : Db {
  json ana = create(R"({"first_name":"Ana","last_name":"Silva","email":"ana@acme.com","number":"ANA-01"})");
  json bo = create(R"({"first_name":"Bo","last_name":"Berg","email":"bo@example.org","number":"BO-01"})");
  std::string ana_id = ana["id"];
  std::string bo_id = bo["id"];

  json create_plan(const std::string& js) {
    return ok([&](char** o) { return patron_plan_create(db, js.c_str(), o); });
  }
  json plan(std::int64_t id) {
    return ok([&](char** o) { return patron_plan_get(db, id, o); });
  }
  json plans() {
    return ok([&](char** o) { return patron_plan_list(db, o); });
  }
  json add(const std::string& js) {
    return ok([&](char** o) { return patron_membership_add(db, js.c_str(), o); });
  }
  json membership(std::int64_t id) {
    return ok([&](char** o) { return patron_membership_get(db, id, o); });
  }
  json set_status(std::int64_t id, const char* status) {
    return ok([&](char** o) { return patron_membership_set_status(db, id, status, o); });
  }
  json renew(std::int64_t id) {
    return ok([&](char** o) { return patron_membership_renew(db, id, o); });
  }
  json effective(const std::string& ref) {
    return ok([&](char** o) { return patron_membership_effective(db, ref.c_str(), o); });
  }
  json of_company(std::int64_t id) {
    return ok([&](char** o) { return patron_membership_of_company(db, id, o); });
  }
  int has_active(const std::string& ref, std::int64_t plan, const char* at = nullptr) {
    return patron_membership_has_active(db, ref.c_str(), plan, at);
  }
};

json plan_json(std::int64_t id, const std::string& name, const std::string& kind, const std::string& benefits,
               const std::string& period, const std::string& at = kT0Text) {
  return {{"id", id},         {"name", name}, {"kind", kind}, {"benefits", benefits}, {"billing_period", period},
          {"created_at", at}};
}

json membership_json(std::int64_t id, std::int64_t plan, const json& customer, const json& company,
                     const std::string& starts, const json& ends, const std::string& status,
                     const std::string& created = kT0Text, const std::string& updated = kT0Text) {
  return {{"id", id},         {"plan", plan},        {"customer", customer},  {"company", company},
          {"starts_at", starts}, {"ends_at", ends}, {"status", status}, {"created_at", created},
          {"updated_at", updated}};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(capi_memberships)

BOOST_AUTO_TEST_CASE(plans_on_a_file) {
  Clubs t;
  BOOST_TEST(t.plans() == json::array());
  const json gold = t.create_plan(R"({"name":"Gold","kind":"personal","benefits":"free coffee"})");
  BOOST_TEST(gold == plan_json(1, "Gold", "personal", "free coffee", "none"), "got " << gold.dump());
  const json club = t.create_plan(R"({"name":"Club","kind":"subscription","billing_period":"monthly"})");
  BOOST_TEST(club == plan_json(2, "Club", "subscription", "", "monthly"), "got " << club.dump());
  // Only the name is required; null is the same as leaving a key out.
  const json corp = t.create_plan(R"({"name":"Acme staff","kind":"company","benefits":null})");
  BOOST_TEST(corp == plan_json(3, "Acme staff", "company", "", "none"), "got " << corp.dump());
  const json basic = t.create_plan(R"({"name":"Basic"})");
  BOOST_TEST(basic == plan_json(4, "Basic", "personal", "", "none"), "got " << basic.dump());

  BOOST_TEST(t.plan(1) == gold);
  BOOST_TEST(t.plan(2) == club);
  // By name.
  BOOST_TEST(t.plans() == json::array({corp, basic, club, gold}));

  // Refusals: nothing is written.
  fails(PATRON_EEXIST, "name", [&](char** o) { return patron_plan_create(t.db, R"({"name":"GOLD"})", o); });
  fails(PATRON_EINVAL, "name", [&](char** o) { return patron_plan_create(t.db, R"({"kind":"personal"})", o); });
  fails(PATRON_EINVAL, "name", [&](char** o) { return patron_plan_create(t.db, R"({"name":7})", o); });
  fails(PATRON_EINVAL, "kind", [&](char** o) { return patron_plan_create(t.db, R"({"name":"X","kind":"vip"})", o); });
  fails(PATRON_EINVAL, "billing_period", [&](char** o) {
    return patron_plan_create(t.db, R"({"name":"X","kind":"subscription","billing_period":"daily"})", o);
  });
  fails(PATRON_EINVAL, "billing_period",
        [&](char** o) { return patron_plan_create(t.db, R"({"name":"X","kind":"subscription"})", o); });
  fails(PATRON_EINVAL, "billing_period", [&](char** o) {
    return patron_plan_create(t.db, R"({"name":"X","kind":"personal","billing_period":"yearly"})", o);
  });
  fails(PATRON_EINVAL, "colour", [&](char** o) { return patron_plan_create(t.db, R"({"name":"X","colour":1})", o); });
  fails(PATRON_EINVAL, "json", [&](char** o) { return patron_plan_create(t.db, "{", o); });
  fails(PATRON_EINVAL, "json", [&](char** o) { return patron_plan_create(t.db, "[]", o); });
  fails(PATRON_ENOTFOUND, "id", [&](char** o) { return patron_plan_get(t.db, 999, o); });
  BOOST_TEST(t.plans().size() == 4u);

  // NULL arguments.
  fails(PATRON_EMISUSE, "db", [&](char** o) { return patron_plan_create(nullptr, "{}", o); });
  fails(PATRON_EMISUSE, "json", [&](char** o) { return patron_plan_create(t.db, nullptr, o); });
  BOOST_TEST(patron_plan_list(t.db, nullptr) == PATRON_EMISUSE);
  BOOST_TEST(text(patron_errfield()) == "out_json");

  // It is in the file.
  t.reopen();
  BOOST_TEST(t.plans() == json::array({corp, basic, club, gold}));
}

BOOST_AUTO_TEST_CASE(memberships_status_and_renewal) {
  Clubs t;
  t.create_plan(R"({"name":"Gold"})");
  t.create_plan(R"({"name":"Weekly","kind":"subscription","billing_period":"weekly"})");
  t.create_plan(R"({"name":"Monthly","kind":"subscription","billing_period":"monthly"})");

  // A personal membership, open-ended, starting now; the customer by number.
  const json own = t.add(R"({"plan":1,"customer":"ANA-01"})");
  BOOST_TEST(own == membership_json(1, 1, t.ana_id, nullptr, kT0Text, nullptr, "active"), "got " << own.dump());
  BOOST_TEST(t.membership(1) == own);

  // Explicit window; null is the same as leaving a key out.
  const json window = t.add(R"({"plan":1,"customer":")" + t.bo_id +
                            R"(","company":null,"starts_at":"2026-01-01T00:00:00.000000Z","ends_at":"2027-01-01T00:00:00.000000Z"})");
  BOOST_TEST(window == membership_json(2, 1, t.bo_id, nullptr, "2026-01-01T00:00:00.000000Z",
                                       "2027-01-01T00:00:00.000000Z", "active"),
             "got " << window.dump());

  // Subscriptions end one period after the start unless told otherwise.
  const json weekly = t.add(R"({"plan":2,"customer":"BO-01"})");
  BOOST_TEST(weekly == membership_json(3, 2, t.bo_id, nullptr, kT0Text, "2026-11-29T05:54:45.123456Z", "active"),
             "got " << weekly.dump());
  const json monthly = t.add(R"({"plan":3,"customer":"BO-01"})");
  BOOST_TEST(monthly["ends_at"] == "2026-12-22T05:54:45.123456Z", "got " << monthly.dump());

  // Renewal moves the end by one period.
  t.now += kMinute;
  const json renewed = t.renew(3);
  BOOST_TEST(renewed == membership_json(3, 2, t.bo_id, nullptr, kT0Text, "2026-12-06T05:54:45.123456Z", "active",
                                        kT0Text, kT1Text),
             "got " << renewed.dump());
  BOOST_TEST(t.renew(3)["ends_at"] == "2026-12-13T05:54:45.123456Z");
  fails(PATRON_EPRECONDITION, "plan", [&](char** o) { return patron_membership_renew(t.db, 1, o); });
  fails(PATRON_ENOTFOUND, "id", [&](char** o) { return patron_membership_renew(t.db, 999, o); });

  // Status: active <-> paused, then cancelled for good.
  const json paused = t.set_status(1, "paused");
  json expected = own;
  expected["status"] = "paused";
  expected["updated_at"] = kT1Text;
  BOOST_TEST(paused == expected, "got " << paused.dump());
  BOOST_TEST(t.has_active("ANA-01", 1) == 0);
  BOOST_TEST(t.set_status(1, "active")["status"] == "active");
  BOOST_TEST(t.has_active("ANA-01", 1) == 1);
  BOOST_TEST(t.set_status(1, "cancelled")["status"] == "cancelled");
  BOOST_TEST(t.has_active("ANA-01", 1) == 0);
  const Failure final_state =
      fails(PATRON_EPRECONDITION, "status", [&](char** o) { return patron_membership_set_status(t.db, 1, "active", o); });
  BOOST_TEST(final_state.message.find("cancelled") != std::string::npos, final_state.message);
  BOOST_TEST(final_state.message.find("active") != std::string::npos, final_state.message);
  fails(PATRON_EPRECONDITION, "status", [&](char** o) { return patron_membership_set_status(t.db, 2, "expired", o); });
  fails(PATRON_EINVAL, "status", [&](char** o) { return patron_membership_set_status(t.db, 2, "frozen", o); });
  fails(PATRON_EMISUSE, "status", [&](char** o) { return patron_membership_set_status(t.db, 2, nullptr, o); });
  fails(PATRON_ENOTFOUND, "id", [&](char** o) { return patron_membership_set_status(t.db, 999, "paused", o); });
  fails(PATRON_ENOTFOUND, "id", [&](char** o) { return patron_membership_get(t.db, 999, o); });
  BOOST_TEST(t.membership(2) == window);

  // Refused additions.
  fails(PATRON_ENOTFOUND, "plan", [&](char** o) { return patron_membership_add(t.db, R"({"plan":99,"customer":"ANA-01"})", o); });
  fails(PATRON_ENOTFOUND, "customer",
        [&](char** o) { return patron_membership_add(t.db, R"({"plan":1,"customer":"NOBODY-1"})", o); });
  fails(PATRON_ENOTFOUND, "company", [&](char** o) { return patron_membership_add(t.db, R"({"plan":1,"company":42})", o); });
  fails(PATRON_EINVAL, "customer", [&](char** o) { return patron_membership_add(t.db, R"({"plan":1})", o); });
  fails(PATRON_EINVAL, "customer", [&](char** o) {
    return patron_membership_add(t.db, R"({"plan":1,"customer":"ANA-01","company":1})", o);
  });
  fails(PATRON_EINVAL, "ends_at", [&](char** o) {
    return patron_membership_add(
        t.db, R"({"plan":1,"customer":"ANA-01","starts_at":"2026-06-01T00:00:00Z","ends_at":"2026-05-01T00:00:00Z"})", o);
  });
  fails(PATRON_EINVAL, "starts_at", [&](char** o) {
    return patron_membership_add(t.db, R"({"plan":1,"customer":"ANA-01","starts_at":"yesterday"})", o);
  });
  fails(PATRON_EINVAL, "plan", [&](char** o) { return patron_membership_add(t.db, R"({"plan":"1","customer":"ANA-01"})", o); });
  fails(PATRON_EINVAL, "since", [&](char** o) { return patron_membership_add(t.db, R"({"plan":1,"customer":"ANA-01","since":1})", o); });
  fails(PATRON_EINVAL, "json", [&](char** o) { return patron_membership_add(t.db, "nope", o); });
  fails(PATRON_EMISUSE, "json", [&](char** o) { return patron_membership_add(t.db, nullptr, o); });

  // It is in the file.
  t.reopen();
  BOOST_TEST(t.membership(2) == window);
  BOOST_TEST(t.membership(3)["ends_at"] == "2026-12-13T05:54:45.123456Z");
}

BOOST_AUTO_TEST_CASE(expiry_follows_the_clock) {
  Clubs t;
  t.create_plan(R"({"name":"Gold"})");
  t.create_plan(R"({"name":"Silver"})");
  const json m = t.add(R"({"plan":1,"customer":"ANA-01","ends_at":"2026-11-22T05:55:45.123456Z"})");
  BOOST_TEST(m == membership_json(1, 1, t.ana_id, nullptr, kT0Text, kT1Text, "active"), "got " << m.dump());
  BOOST_TEST(t.has_active("ANA-01", 1) == 1);
  BOOST_TEST(t.has_active(t.ana_id, 1, "2026-11-22T05:55:00Z") == 1);
  // The end is exclusive, the start inclusive.
  BOOST_TEST(t.has_active("ANA-01", 1, kT1Text) == 0);
  BOOST_TEST(t.has_active("ANA-01", 1, kT0Text) == 1);
  BOOST_TEST(t.has_active("ANA-01", 1, "2026-11-22T05:54:45.123455Z") == 0);

  t.now += 2 * kMinute;
  BOOST_TEST(t.membership(1)["status"] == "expired");
  BOOST_TEST(t.has_active("ANA-01", 1) == 0);
  BOOST_TEST(t.has_active("ANA-01", 1, "2026-11-22T05:55:00Z") == 1);
  BOOST_TEST(t.effective("ANA-01")[0]["membership"]["status"] == "expired");
  // Another plan, or another customer, holds nothing.
  BOOST_TEST(t.has_active("ANA-01", 2, "2026-11-22T05:55:00Z") == 0);
  BOOST_TEST(t.has_active("BO-01", 1, "2026-11-22T05:55:00Z") == 0);
  // Expired cannot be set.
  fails(PATRON_EPRECONDITION, "status", [&](char** o) { return patron_membership_set_status(t.db, 1, "expired", o); });
}

BOOST_AUTO_TEST_CASE(inherited_through_a_company) {
  Clubs t;
  t.create_plan(R"({"name":"Acme staff","kind":"company"})");
  t.create_plan(R"({"name":"Gold"})");
  // Ana (ana@acme.com) is linked to Acme by her email domain.
  const json acme = ok([&](char** o) { return patron_company_create(t.db, R"({"name":"Acme","domains":["acme.com"]})", o); });
  BOOST_TEST_REQUIRE(acme["id"] == 1);
  BOOST_TEST(t.effective("ANA-01") == json::array());
  BOOST_TEST(t.of_company(1) == json::array());

  const json corp = t.add(R"({"plan":1,"company":1,"starts_at":"2026-01-01T00:00:00Z"})");
  BOOST_TEST(corp == membership_json(1, 1, nullptr, 1, "2026-01-01T00:00:00.000000Z", nullptr, "active"),
             "got " << corp.dump());
  const json own = t.add(R"({"plan":2,"customer":"ANA-01"})");
  BOOST_TEST(t.of_company(1) == json::array({corp}));

  // Ana's own and Acme's, by start.
  const json eff = t.effective("ANA-01");
  BOOST_TEST(eff == json::array({json{{"membership", corp}, {"via_company", 1}},
                                 json{{"membership", own}, {"via_company", nullptr}}}),
             "got " << eff.dump());
  BOOST_TEST(t.effective(t.ana_id) == eff);
  BOOST_TEST(t.effective("BO-01") == json::array());
  BOOST_TEST(t.has_active("ANA-01", 1) == 1);
  BOOST_TEST(t.has_active("ANA-01", 2) == 1);
  BOOST_TEST(t.has_active("BO-01", 1) == 0);
  BOOST_TEST(t.has_active("ANA-01", 1, "2025-12-31T23:59:59Z") == 0);

  // A customer who joins the company later inherits too.
  t.create(R"({"first_name":"Cy","last_name":"Dean","email":"cy@acme.com","number":"CY-01"})");
  BOOST_TEST(t.has_active("CY-01", 1) == 1);
  BOOST_TEST(t.effective("CY-01") == json::array({json{{"membership", corp}, {"via_company", 1}}}));

  // A paused company membership counts for nobody.
  t.set_status(1, "paused");
  BOOST_TEST(t.has_active("ANA-01", 1) == 0);
  BOOST_TEST(t.effective("ANA-01")[0]["membership"]["status"] == "paused");

  // Refusals.
  fails(PATRON_ENOTFOUND, "company_id", [&](char** o) { return patron_membership_of_company(t.db, 999, o); });
  fails(PATRON_ENOTFOUND, "ref", [&](char** o) { return patron_membership_effective(t.db, "NOBODY-1", o); });
  fails(PATRON_EINVAL, "ref", [&](char** o) { return patron_membership_effective(t.db, "", o); });
  fails(PATRON_EMISUSE, "ref", [&](char** o) { return patron_membership_effective(t.db, nullptr, o); });
  BOOST_TEST(t.has_active("ANA-01", 99) == PATRON_ENOTFOUND);
  BOOST_TEST(text(patron_errfield()) == "plan");
  BOOST_TEST(t.has_active("NOBODY-1", 1) == PATRON_ENOTFOUND);
  BOOST_TEST(text(patron_errfield()) == "ref");
  BOOST_TEST(t.has_active("", 1) == PATRON_EINVAL);
  BOOST_TEST(text(patron_errfield()) == "ref");
  BOOST_TEST(t.has_active("ANA-01", 1, "soon") == PATRON_EINVAL);
  BOOST_TEST(text(patron_errfield()) == "at");
  BOOST_TEST(patron_membership_has_active(t.db, nullptr, 1, nullptr) == PATRON_EMISUSE);
  BOOST_TEST(text(patron_errfield()) == "ref");
  BOOST_TEST(patron_membership_has_active(nullptr, "ANA-01", 1, nullptr) == PATRON_EMISUSE);
  BOOST_TEST(text(patron_errfield()) == "db");

  t.reopen();
  BOOST_TEST(t.of_company(1)[0]["status"] == "paused");
}

BOOST_AUTO_TEST_CASE(null_arguments_are_misuse) {
  Clubs t;
  fails(PATRON_EMISUSE, "db", [&](char** o) { return patron_plan_get(nullptr, 1, o); });
  fails(PATRON_EMISUSE, "db", [&](char** o) { return patron_plan_list(nullptr, o); });
  fails(PATRON_EMISUSE, "db", [&](char** o) { return patron_membership_add(nullptr, "{}", o); });
  fails(PATRON_EMISUSE, "db", [&](char** o) { return patron_membership_get(nullptr, 1, o); });
  fails(PATRON_EMISUSE, "db", [&](char** o) { return patron_membership_set_status(nullptr, 1, "paused", o); });
  fails(PATRON_EMISUSE, "db", [&](char** o) { return patron_membership_renew(nullptr, 1, o); });
  fails(PATRON_EMISUSE, "db", [&](char** o) { return patron_membership_effective(nullptr, "ANA-01", o); });
  fails(PATRON_EMISUSE, "db", [&](char** o) { return patron_membership_of_company(nullptr, 1, o); });
  for (auto call : {+[](patron_db* db) { return patron_plan_get(db, 1, nullptr); },
                    +[](patron_db* db) { return patron_membership_get(db, 1, nullptr); },
                    +[](patron_db* db) { return patron_membership_renew(db, 1, nullptr); },
                    +[](patron_db* db) { return patron_membership_effective(db, "ANA-01", nullptr); },
                    +[](patron_db* db) { return patron_membership_of_company(db, 1, nullptr); }}) {
    BOOST_TEST(call(t.db) == PATRON_EMISUSE);
    BOOST_TEST(text(patron_errfield()) == "out_json");
  }
}

BOOST_AUTO_TEST_SUITE_END()
