// Merges through the C ABI on a file database: the exact JSON of a merge
// result and of a resolution, a dry run that writes nothing, references to
// the absorbed customer leading to the survivor after a reopen, and the
// options document's refusals.
#include <boost/test/unit_test.hpp>

#include <string>

#include "capi_fixture.hpp"

using namespace capi_test;

namespace {

struct Merge : AnaAndBo {
  json cy = create(R"({"first_name":"Cy","last_name":"Silva","title":"Dr","email":"cy@example.com","number":"CY-01"})");
  std::string cy_id = cy["id"];

  json merge(const char* survivor, const char* absorbed, const char* options) {
    return ok([&](char** o) { return patron_customer_merge(db, survivor, absorbed, options, o); });
  }
  json resolve(const char* ref) {
    return ok([&](char** o) { return patron_customer_resolve(db, ref, o); });
  }
  std::int64_t last_event() {
    std::int64_t id = -1;
    BOOST_TEST_REQUIRE(patron_last_event_id(db, &id) == PATRON_OK);
    return id;
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(capi_merge)

BOOST_AUTO_TEST_CASE(merge_and_resolve) {
  Merge t;
  ok([&](char** o) {
    return patron_order_record(
        t.db, R"({"customer":"CY-01","source":"pos","external_ref":"R-1","currency":"GBP","total":1500})", o);
  });
  ok([&](char** o) {
    return patron_purse_top_up(t.db, R"({"customer":"CY-01","currency":"GBP","amount":700,"idempotency_key":"t-1"})", o);
  });

  const std::int64_t before = t.last_event();
  const json dry = t.merge("ANA-01", "CY-01", R"({"by":"desk-jane","take":["last_name"],"dry_run":true})");
  BOOST_TEST(t.last_event() == before);
  BOOST_TEST(dry["dry_run"] == true);
  BOOST_TEST(dry["event"] == 0);

  const json r = t.merge("ANA-01", t.cy_id.c_str(), R"({"by":"desk-jane","take":["last_name"]})");
  BOOST_TEST(r["customer"]["id"] == t.ana_id);
  BOOST_TEST(r["customer"]["title"] == "Dr");
  BOOST_TEST(r["customer"]["emails"].size() == 2u);
  BOOST_TEST(r["absorbed"] == t.cy_id);
  BOOST_TEST(r["absorbed_number"] == "CY-01");
  BOOST_TEST(r["moved"] == json::parse(R"({"emails":1,"orders":1,"purse_accounts":1})"));
  BOOST_TEST(r["filled"] == json::parse(R"(["title"])"));
  BOOST_TEST(r["taken"] == json::array());  // Silva = Silva: nothing to take
  BOOST_TEST(r["dry_run"] == false);
  BOOST_TEST(r["event"] == t.last_event());
  BOOST_TEST(dry["moved"] == r["moved"]);

  const json rs = t.resolve("CY-01");
  BOOST_TEST(rs == json({{"id", t.ana_id}, {"number", "ANA-01"}, {"merged_from", t.cy_id},
                          {"merged_from_number", "CY-01"}}));
  BOOST_TEST(t.resolve("ANA-01") == json({{"id", t.ana_id}, {"number", "ANA-01"}, {"merged_from", nullptr},
                                          {"merged_from_number", nullptr}}));
  BOOST_TEST(t.resolve("ZZ-404") == json(nullptr));

  t.reopen();
  BOOST_TEST(t.get("CY-01")["id"] == t.ana_id);
  const json purse = ok([&](char** o) { return patron_purse_account(t.db, t.cy_id.c_str(), "GBP", o); });
  BOOST_TEST(purse["customer"] == t.ana_id);
  BOOST_TEST(purse["balance"] == 700);

  // Bo may not take the absorbed number; the survivor may take it over.
  fails(PATRON_EEXIST, "number", [&](char** o) { return patron_customer_set_number(t.db, "BO-01", "CY-01", o); });
  const json renamed = ok([&](char** o) { return patron_customer_set_number(t.db, "ANA-01", "cy-01", o); });
  BOOST_TEST(renamed["number"] == "cy-01");
  BOOST_TEST(t.resolve("CY-01")["merged_from"] == nullptr);
  BOOST_TEST(t.resolve(t.cy_id.c_str())["merged_from_number"] == "merged-" + t.cy_id.substr(0, 25));
}

BOOST_AUTO_TEST_CASE(options_are_checked) {
  Merge t;
  fails(PATRON_EINVAL, "dry_run", [&](char** o) {
    return patron_customer_merge(t.db, "ANA-01", "CY-01", R"({"by":"jane","dry_run":"yes"})", o);
  });
  fails(PATRON_EINVAL, "colour", [&](char** o) {
    return patron_customer_merge(t.db, "ANA-01", "CY-01", R"({"by":"jane","colour":1})", o);
  });
  fails(PATRON_EINVAL, "take[0]", [&](char** o) {
    return patron_customer_merge(t.db, "ANA-01", "CY-01", R"({"by":"jane","take":[1]})", o);
  });
  fails(PATRON_EINVAL, "by", [&](char** o) { return patron_customer_merge(t.db, "ANA-01", "CY-01", "{}", o); });
  fails(PATRON_EMISUSE, "options_json",
        [&](char** o) { return patron_customer_merge(t.db, "ANA-01", "CY-01", nullptr, o); });
  fails(PATRON_EMISUSE, "absorbed",
        [&](char** o) { return patron_customer_merge(t.db, "ANA-01", nullptr, R"({"by":"jane"})", o); });
  BOOST_TEST(t.get("CY-01")["id"] == t.cy_id);
}

BOOST_AUTO_TEST_SUITE_END()
