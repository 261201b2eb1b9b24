// Promotion categories through the C ABI on a file database: the exact
// JSON of categories, assignments to customers and companies (idempotent),
// the best of each term when several apply, quotes, the category credit
// limit a purse honours, and every refusal with its code and field.
#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "capi_fixture.hpp"

using namespace capi_test;
using namespace capi_test::ticks;

namespace {

// A refused call that hands nothing out: its code, errfield and a message.
void refused_call(int code, std::string_view field, const std::function<int()>& call) {
  const int rc = call();
  BOOST_TEST(rc == code, "expected " << code << " (" << patron_errname(code) << "), got " << describe_failure(rc));
  BOOST_TEST(patron_errfield() == std::string(field), "errfield '" << patron_errfield() << "' != '" << field << "'");
  BOOST_TEST(patron_errmsg() != std::string());
}

// A database holding Ana ("ANA-01") and Bo ("BO-01"), the loyalty program
// "stars" (1 point per 100 GBP minor units) and the categories "staff"
// (12.5% off, double points, 50.00 GBP of credit) and "vip" (5% off, 150%
// points, 100.00 GBP of credit).
struct Promotions : AnaAndBo {
  json stars = ok([&](char** o) {
    return patron_loyalty_program_create(db, R"({"id":"stars","name":"Stars","currency":"GBP"})", o);
  });
  json staff = create(R"({"id":"staff","name":"Staff","discount_basis_points":1250,
      "earn_multiplier_percent":200,"credit_limit":5000,"credit_currency":"GBP"})");
  json vip = create(R"({"id":"vip","name":"VIP","discount_basis_points":500,
      "earn_multiplier_percent":150,"credit_limit":10000,"credit_currency":"gbp"})");

  json create(const std::string& definition) {
    return ok([&](char** o) { return patron_category_create(db, definition.c_str(), o); });
  }
  json update(const std::string& definition) {
    return ok([&](char** o) { return patron_category_update(db, definition.c_str(), o); });
  }
  json category(const char* id) {
    return ok([&](char** o) { return patron_category_get(db, id, o); });
  }
  json categories() {
    return ok([&](char** o) { return patron_category_list(db, o); });
  }
  void assign(const char* category, const char* ref) {
    const int rc = patron_category_assign(db, category, ref);
    BOOST_TEST_REQUIRE(rc == PATRON_OK, describe_failure(rc));
  }
  void unassign(const char* category, const char* ref) {
    const int rc = patron_category_unassign(db, category, ref);
    BOOST_TEST_REQUIRE(rc == PATRON_OK, describe_failure(rc));
  }
  void assign_company(const char* category, std::int64_t company) {
    const int rc = patron_category_assign_company(db, category, company);
    BOOST_TEST_REQUIRE(rc == PATRON_OK, describe_failure(rc));
  }
  void unassign_company(const char* category, std::int64_t company) {
    const int rc = patron_category_unassign_company(db, category, company);
    BOOST_TEST_REQUIRE(rc == PATRON_OK, describe_failure(rc));
  }
  json of_customer(const char* ref) {
    return ok([&](char** o) { return patron_category_of_customer(db, ref, o); });
  }
  json customers(const char* category, std::size_t limit = 50, std::size_t offset = 0) {
    return ok([&](char** o) { return patron_category_customers(db, category, limit, offset, o); });
  }
  json companies(const char* category) {
    return ok([&](char** o) { return patron_category_companies(db, category, o); });
  }
  json quote(const char* ref, std::int64_t amount, const char* currency, const char* program = nullptr) {
    return ok([&](char** o) { return patron_promotion_quote(db, ref, amount, currency, program, o); });
  }
  // A company "Acme" with Bo linked to it by hand; its id.
  std::int64_t acme_with_bo() {
    const json acme = ok([&](char** o) { return patron_company_create(db, R"({"name":"Acme"})", o); });
    const std::int64_t id = acme["id"];
    ok([&](char** o) { return patron_company_link(db, id, "BO-01", nullptr, 0, o); });
    return id;
  }
};

json category_json(const std::string& id, const std::string& name, std::int64_t discount, std::int64_t multiplier,
                   std::int64_t credit_limit, const std::string& credit_currency, const std::string& created = kT0Text,
                   const std::string& updated = kT0Text) {
  return {{"id", id},
          {"name", name},
          {"discount_basis_points", discount},
          {"earn_multiplier_percent", multiplier},
          {"credit_limit", credit_limit},
          {"credit_currency", credit_currency},
          {"created_at", created},
          {"updated_at", updated}};
}

json applied(const json& category, bool direct, const json& companies = json::array()) {
  return {{"category", category}, {"direct", direct}, {"companies", companies}};
}

json quote_json(std::int64_t amount, std::int64_t discount_basis_points, std::int64_t discount) {
  return {{"amount", amount},
          {"currency", "GBP"},
          {"discount_basis_points", discount_basis_points},
          {"discount", discount},
          {"to_pay", amount - discount},
          {"program", nullptr},
          {"points", 0},
          {"tier", nullptr},
          {"tier_multiplier_percent", 100},
          {"category_multiplier_percent", 100},
          {"credit_limit", 0},
          {"credit_available", 0},
          {"categories", json::array()}};
}

// The actions of the customer's timeline events in category "customers", newest first.
std::vector<std::string> category_actions(patron_db* db, const char* ref) {
  const json page = ok([&](char** o) { return patron_timeline(db, ref, nullptr, nullptr, 100, o); });
  std::vector<std::string> out;
  for (const auto& e : page["events"]) {
    const std::string action = e["action"];
    if (action.rfind("category.", 0) == 0) out.push_back(action);
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(capi_promotions)

BOOST_AUTO_TEST_CASE(categories_on_a_file) {
  Promotions t;
  BOOST_TEST(t.staff == category_json("staff", "Staff", 1250, 200, 5000, "GBP"), "got " << t.staff.dump());
  BOOST_TEST(t.vip == category_json("vip", "VIP", 500, 150, 10000, "GBP"), "got " << t.vip.dump());
  t.now += kMinute;
  // Absent terms are neutral.
  const json plain = t.create(R"({"id":"friends/2026","name":"Friends"})");
  BOOST_TEST(plain == category_json("friends/2026", "Friends", 0, 100, 0, "", kT1Text, kT1Text),
             "got " << plain.dump());
  t.reopen();
  BOOST_TEST(t.category("staff") == t.staff);
  BOOST_TEST(t.categories() == json::array({plain, t.staff, t.vip}));  // by id

  t.now += kMinute;
  const json changed = t.update(R"({"id":"staff","name":"Staff, all sites","discount_basis_points":1000})");
  BOOST_TEST(
      changed == category_json("staff", "Staff, all sites", 1000, 100, 0, "", kT0Text, "2026-11-22T05:56:45.123456Z"),
      "got " << changed.dump());
  BOOST_TEST(t.category("staff") == changed);

  fails(PATRON_EEXIST, "id", [&](char** o) { return patron_category_create(t.db, R"({"id":"vip","name":"V"})", o); });
  fails(PATRON_ENOTFOUND, "id",
        [&](char** o) { return patron_category_update(t.db, R"({"id":"nope","name":"N"})", o); });
  fails(PATRON_ENOTFOUND, "category", [&](char** o) { return patron_category_get(t.db, "nope", o); });

  const auto refused = [&](const char* field, const std::string& definition) {
    fails(PATRON_EINVAL, field, [&](char** o) { return patron_category_create(t.db, definition.c_str(), o); });
  };
  refused("json", "{");
  refused("json", "[]");
  refused("colour", R"({"id":"c","name":"C","colour":"red"})");
  refused("id", R"({"id":"c d","name":"C"})");
  refused("id", R"({"name":"C"})");
  refused("name", R"({"id":"c","name":""})");
  refused("name", R"({"id":"c","name":")" + std::string(201, 'n') + R"("})");
  refused("discount_basis_points", R"({"id":"c","name":"C","discount_basis_points":10001})");
  refused("discount_basis_points", R"({"id":"c","name":"C","discount_basis_points":-1})");
  refused("discount_basis_points", R"({"id":"c","name":"C","discount_basis_points":12.5})");
  refused("earn_multiplier_percent", R"({"id":"c","name":"C","earn_multiplier_percent":10001})");
  refused("earn_multiplier_percent", R"({"id":"c","name":"C","earn_multiplier_percent":-1})");
  refused("credit_limit", R"({"id":"c","name":"C","credit_limit":-1,"credit_currency":"GBP"})");
  refused("credit_limit", R"({"id":"c","name":"C","credit_limit":1000000000000001,"credit_currency":"GBP"})");
  refused("credit_currency", R"({"id":"c","name":"C","credit_limit":100})");
  refused("credit_currency", R"({"id":"c","name":"C","credit_limit":100,"credit_currency":"XX"})");
  fails(PATRON_EINVAL, "name", [&](char** o) { return patron_category_update(t.db, R"({"id":"vip","name":""})", o); });
  BOOST_TEST(t.categories() == json::array({plain, changed, t.vip}));

  // Removing: refused while assigned, fine once not.
  t.assign("vip", "ANA-01");
  refused_call(PATRON_EPRECONDITION, "category", [&] { return patron_category_remove(t.db, "vip"); });
  t.unassign("vip", "ANA-01");
  BOOST_TEST_REQUIRE(patron_category_remove(t.db, "vip") == PATRON_OK);
  refused_call(PATRON_ENOTFOUND, "category", [&] { return patron_category_remove(t.db, "vip"); });
  BOOST_TEST(t.categories() == json::array({plain, changed}));

  fails(PATRON_EMISUSE, "db", [&](char** o) { return patron_category_list(nullptr, o); });
  fails(PATRON_EMISUSE, "json", [&](char** o) { return patron_category_create(t.db, nullptr, o); });
  fails(PATRON_EMISUSE, "json", [&](char** o) { return patron_category_update(t.db, nullptr, o); });
  fails(PATRON_EMISUSE, "category", [&](char** o) { return patron_category_get(t.db, nullptr, o); });
  refused_call(PATRON_EMISUSE, "category", [&] { return patron_category_remove(t.db, nullptr); });
  BOOST_TEST(patron_category_list(t.db, nullptr) == PATRON_EMISUSE);
  BOOST_TEST(patron_errfield() == std::string("out_json"));
}

BOOST_AUTO_TEST_CASE(assignments_to_customers_and_companies) {
  Promotions t;
  BOOST_TEST(t.of_customer("ANA-01") == json::array());
  t.assign("staff", "ana-01");
  t.assign("staff", "ANA-01");  // again: a no-op
  BOOST_TEST(t.of_customer("ANA-01") == json::array({applied(t.staff, true)}),
             "got " << t.of_customer("ANA-01").dump());
  BOOST_TEST(t.customers("staff") == json::array({t.ana_id}));
  BOOST_TEST(category_actions(t.db, "ANA-01") == std::vector<std::string>{"category.assigned"},
             boost::test_tools::per_element());

  // Through a company: every linked customer enjoys it.
  const std::int64_t acme = t.acme_with_bo();
  t.assign_company("vip", acme);
  t.assign_company("vip", acme);
  t.assign("vip", "BO-01");
  BOOST_TEST(t.of_customer("BO-01") == json::array({applied(t.vip, true, json::array({acme}))}),
             "got " << t.of_customer("BO-01").dump());
  t.unassign("vip", "BO-01");
  t.unassign("vip", "BO-01");  // again: a no-op
  BOOST_TEST(t.of_customer("BO-01") == json::array({applied(t.vip, false, json::array({acme}))}));
  BOOST_TEST(category_actions(t.db, "BO-01") == (std::vector<std::string>{"category.unassigned", "category.assigned"}),
             boost::test_tools::per_element());
  BOOST_TEST(t.companies("vip") == json::array({acme}));
  BOOST_TEST(t.companies("staff") == json::array());
  BOOST_TEST(t.customers("vip") == json::array());

  // Both apply to Ana now, by id.
  ok([&](char** o) { return patron_company_link(t.db, acme, "ANA-01", nullptr, 0, o); });
  BOOST_TEST(t.of_customer("ANA-01") ==
             json::array({applied(t.staff, true), applied(t.vip, false, json::array({acme}))}));
  t.assign("vip", "ANA-01");
  BOOST_TEST(t.customers("vip") == json::array({t.ana_id}));
  t.assign("vip", "BO-01");
  BOOST_TEST(t.customers("vip") == json::array({t.ana_id, t.bo_id}));  // by customer number
  BOOST_TEST(t.customers("vip", 1, 1) == json::array({t.bo_id}));
  t.unassign_company("vip", acme);
  t.unassign_company("vip", acme);
  BOOST_TEST(t.companies("vip") == json::array());

  const auto refused = refused_call;
  refused(PATRON_ENOTFOUND, "category", [&] { return patron_category_assign(t.db, "nope", "ANA-01"); });
  refused(PATRON_ENOTFOUND, "ref", [&] { return patron_category_assign(t.db, "staff", "NOBODY"); });
  refused(PATRON_EINVAL, "ref", [&] { return patron_category_assign(t.db, "staff", ""); });
  refused(PATRON_ENOTFOUND, "category", [&] { return patron_category_unassign(t.db, "nope", "ANA-01"); });
  refused(PATRON_ENOTFOUND, "ref", [&] { return patron_category_unassign(t.db, "staff", "NOBODY"); });
  refused(PATRON_ENOTFOUND, "company", [&] { return patron_category_assign_company(t.db, "staff", 999); });
  refused(PATRON_ENOTFOUND, "category", [&] { return patron_category_assign_company(t.db, "nope", acme); });
  refused(PATRON_ENOTFOUND, "company", [&] { return patron_category_unassign_company(t.db, "staff", 999); });
  refused(PATRON_EMISUSE, "category", [&] { return patron_category_assign(t.db, nullptr, "ANA-01"); });
  refused(PATRON_EMISUSE, "ref", [&] { return patron_category_assign(t.db, "staff", nullptr); });
  refused(PATRON_EMISUSE, "ref", [&] { return patron_category_unassign(t.db, "staff", nullptr); });
  refused(PATRON_EMISUSE, "category", [&] { return patron_category_assign_company(t.db, nullptr, acme); });
  refused(PATRON_EMISUSE, "db", [&] { return patron_category_unassign_company(nullptr, "staff", acme); });
  fails(PATRON_ENOTFOUND, "ref", [&](char** o) { return patron_category_of_customer(t.db, "NOBODY", o); });
  fails(PATRON_ENOTFOUND, "category", [&](char** o) { return patron_category_customers(t.db, "nope", 10, 0, o); });
  fails(PATRON_EINVAL, "limit", [&](char** o) { return patron_category_customers(t.db, "staff", 0, 0, o); });
  fails(PATRON_ENOTFOUND, "category", [&](char** o) { return patron_category_companies(t.db, "nope", o); });
  fails(PATRON_EMISUSE, "ref", [&](char** o) { return patron_category_of_customer(t.db, nullptr, o); });
  fails(PATRON_EMISUSE, "category", [&](char** o) { return patron_category_customers(t.db, nullptr, 10, 0, o); });
  fails(PATRON_EMISUSE, "category", [&](char** o) { return patron_category_companies(t.db, nullptr, o); });
  BOOST_TEST(t.of_customer("ANA-01") == json::array({applied(t.staff, true), applied(t.vip, true)}));
}

BOOST_AUTO_TEST_CASE(quotes_take_the_best_of_each_term) {
  Promotions t;
  // No category: nothing off, the rule alone.
  BOOST_TEST(t.quote("ANA-01", 10000, "GBP") == quote_json(10000, 0, 0),
             "got " << t.quote("ANA-01", 10000, "GBP").dump());
  json expected = quote_json(10000, 0, 0);
  expected["program"] = "stars";
  expected["points"] = 100;
  BOOST_TEST(t.quote("ANA-01", 10000, "gbp", "stars") == expected,
             "got " << t.quote("ANA-01", 10000, "gbp", "stars").dump());

  // Staff: 12.5% off, double points on what is paid, 50.00 of credit.
  t.assign("staff", "ANA-01");
  expected = quote_json(10000, 1250, 1250);
  expected["program"] = "stars";
  expected["points"] = 175;
  expected["category_multiplier_percent"] = 200;
  expected["credit_limit"] = 5000;
  expected["credit_available"] = 5000;
  expected["categories"] = json::array({"staff"});
  json got = t.quote("ANA-01", 10000, "GBP", "stars");
  BOOST_TEST(got == expected, "got " << got.dump());
  // The discount is rounded down to a minor unit.
  BOOST_TEST(t.quote("ANA-01", 999, "GBP")["discount"] == 124);
  BOOST_TEST(t.quote("ANA-01", 0, "GBP")["to_pay"] == 0);

  // With VIP too: the best of each term, not their sum.
  t.assign("vip", "ANA-01");
  got = t.quote("ANA-01", 10000, "GBP", "stars");
  BOOST_TEST(got["discount_basis_points"] == 1250);
  BOOST_TEST(got["category_multiplier_percent"] == 200);
  BOOST_TEST(got["credit_limit"] == 10000);
  BOOST_TEST(got["categories"] == json::array({"staff", "vip"}));
  // Credit is in its currency only.
  BOOST_TEST(t.quote("ANA-01", 10000, "EUR")["credit_limit"] == 0);

  // Earning by amount applies the category multiplier.
  const json earned = ok([&](char** o) {
    return patron_points_earn(t.db, R"({"customer":"ANA-01","program":"stars","amount":1000,"idempotency_key":"e1"})",
                              o);
  });
  BOOST_TEST(earned["points"] == 20, "got " << earned.dump());

  fails(PATRON_ENOTFOUND, "ref",
        [&](char** o) { return patron_promotion_quote(t.db, "NOBODY", 1, "GBP", nullptr, o); });
  fails(PATRON_EINVAL, "amount",
        [&](char** o) { return patron_promotion_quote(t.db, "ANA-01", -1, "GBP", nullptr, o); });
  fails(PATRON_EINVAL, "amount",
        [&](char** o) { return patron_promotion_quote(t.db, "ANA-01", 1000000000000001, "GBP", nullptr, o); });
  fails(PATRON_EINVAL, "currency",
        [&](char** o) { return patron_promotion_quote(t.db, "ANA-01", 1, "XX", nullptr, o); });
  fails(PATRON_ENOTFOUND, "program",
        [&](char** o) { return patron_promotion_quote(t.db, "ANA-01", 1, "GBP", "nope", o); });
  fails(PATRON_EINVAL, "program", [&](char** o) { return patron_promotion_quote(t.db, "ANA-01", 1, "GBP", "", o); });
  fails(PATRON_EPRECONDITION, "currency",
        [&](char** o) { return patron_promotion_quote(t.db, "ANA-01", 1, "EUR", "stars", o); });
  fails(PATRON_EMISUSE, "ref", [&](char** o) { return patron_promotion_quote(t.db, nullptr, 1, "GBP", nullptr, o); });
  fails(PATRON_EMISUSE, "currency",
        [&](char** o) { return patron_promotion_quote(t.db, "ANA-01", 1, nullptr, nullptr, o); });
}

BOOST_AUTO_TEST_CASE(category_credit_in_the_purse) {
  Promotions t;
  const auto account = [&](const char* ref) {
    return ok([&](char** o) { return patron_purse_account(t.db, ref, "GBP", o); });
  };
  const auto charge = [&](const char* ref, std::int64_t amount, const std::string& key) {
    const std::string request =
        json{{"customer", ref}, {"currency", "GBP"}, {"amount", amount}, {"idempotency_key", key}}.dump();
    return [=, &t](char** o) { return patron_purse_charge(t.db, request.c_str(), o); };
  };
  t.assign("staff", "ANA-01");
  BOOST_TEST(account("ANA-01") == json({{"customer", t.ana_id},
                                        {"currency", "GBP"},
                                        {"balance", 0},
                                        {"credit_limit", 0},
                                        {"category_credit_limit", 5000},
                                        {"available", 5000}}),
             "got " << account("ANA-01").dump());
  BOOST_TEST(ok(charge("ANA-01", 3000, "c1"))["balance_after"] == -3000);
  fails(PATRON_EPRECONDITION, "amount", charge("ANA-01", 2001, "c2"));
  // The larger of the account's own limit and the categories' counts.
  ok([&](char** o) { return patron_purse_set_credit_limit(t.db, "ANA-01", "GBP", 8000, o); });
  BOOST_TEST(account("ANA-01")["available"] == 5000);
  BOOST_TEST(account("ANA-01")["category_credit_limit"] == 5000);
  // Through a company.
  const std::int64_t acme = t.acme_with_bo();
  t.assign_company("vip", acme);
  BOOST_TEST(account("BO-01")["category_credit_limit"] == 10000);
  BOOST_TEST(ok(charge("BO-01", 10000, "c3"))["balance_after"] == -10000);
}

BOOST_AUTO_TEST_SUITE_END()
