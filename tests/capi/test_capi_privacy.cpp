// Erasure and retention through the C ABI on a file database: the exact JSON
// of the report, the tombstones, the policies and the runs, what the
// customer's refs find afterwards, and every refusal with its code and
// field, leaving the file as it was.
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <string>

#include "capi_fixture.hpp"
#include "row_count.hpp"

using namespace capi_test;
using patron::testing::count_rows;

namespace {

constexpr const char* kRequest = R"({"requested_by":"the guest, by email","reason":"Art. 17 request"})";

struct Privacy : AnaAndBo {
  json erase(const char* ref, const char* request = kRequest) {
    return ok([&](char** o) { return patron_privacy_erase(db, ref, request, o); });
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(capi_privacy, Privacy)

BOOST_AUTO_TEST_CASE(an_erasure_as_json) {
  ok([&](char** o) { return patron_note_add(db, "ANA-01", "likes the corner table", "staff", 0, o); });
  now += ticks::kMinute;
  const json r = erase("ANA-01");
  const json& t = r["tombstone"];
  const std::string number = t["number"];
  BOOST_TEST(number.rfind("erased-", 0) == 0u);
  BOOST_TEST(number.size() == 32u);
  BOOST_TEST(t == json::parse(R"({"customer":")" + ana_id + R"(","number":")" + number +
                              R"(","erased_at":")" + ticks::kT1Text +
                              R"(","erased_by":"","requested_by":"the guest, by email",
                                 "reason":"Art. 17 request","merged_into":null})"));
  BOOST_TEST(r["customers"] == json::array({ana_id}));
  BOOST_TEST(r["removed"]["emails"] == 1);
  BOOST_TEST(r["removed"]["notes"] == 1);
  BOOST_TEST(r["removed"]["data_keys"] == 1);
  BOOST_TEST(r["kept"]["events"] == 2);  // created, note added
  BOOST_TEST(r["suppressed"] == 4);      // one email, four purposes

  fails(PATRON_ENOTFOUND, "ref", [&](char** o) { return patron_customer_get(db, "ANA-01", o); });
  fails(PATRON_ENOTFOUND, "ref", [&](char** o) { return patron_customer_get(db, ana_id.c_str(), o); });
  BOOST_TEST(ok([&](char** o) { return patron_identify(db, "ana@example.com", o); }) == json::array());
  BOOST_TEST(ok([&](char** o) { return patron_privacy_tombstone(db, ana_id.c_str(), o); }) == t);
  BOOST_TEST(ok([&](char** o) { return patron_privacy_tombstone(db, bo_id.c_str(), o); }) == json());
  BOOST_TEST(ok([&](char** o) { return patron_privacy_erasures(db, 10, 0, o); }) == json::array({t}));
  BOOST_TEST(ok([&](char** o) { return patron_stats(db, o); })["erased"] == 1);
  int suppressed = 0;
  BOOST_TEST(patron_consent_is_suppressed(db, "email", "ana@example.com", "service", &suppressed) == PATRON_OK);
  BOOST_TEST(suppressed == 1);
}

BOOST_AUTO_TEST_CASE(refusals_name_the_field_and_write_nothing) {
  ok([&](char** o) {
    return patron_purse_top_up(db, R"({"customer":"ANA-01","currency":"EUR","amount":700,"idempotency_key":"t-1"})",
                               o);
  });
  const int events = count_rows(path, "events");
  const auto erase_fails = [&](int code, const char* field, const char* ref, const char* request) {
    fails(code, field, [&](char** o) { return patron_privacy_erase(db, ref, request, o); });
  };
  erase_fails(PATRON_EPRECONDITION, "purses", "ANA-01", kRequest);
  erase_fails(PATRON_EINVAL, "requested_by", "ANA-01", R"({"reason":"why"})");
  erase_fails(PATRON_EINVAL, "reason", "ANA-01", R"({"requested_by":"guest","reason":" "})");
  erase_fails(PATRON_EINVAL, "by", "ANA-01", R"({"by":"guest","reason":"why"})");
  erase_fails(PATRON_EINVAL, "json", "ANA-01", "[1]");  // the document itself
  erase_fails(PATRON_EMISUSE, "request_json", "ANA-01", nullptr);
  erase_fails(PATRON_EMISUSE, "ref", nullptr, kRequest);
  erase_fails(PATRON_ENOTFOUND, "ref", "NOBODY-1", kRequest);
  fails(PATRON_EINVAL, "customer_id", [&](char** o) { return patron_privacy_tombstone(db, "ANA-01", o); });
  fails(PATRON_EINVAL, "limit", [&](char** o) { return patron_privacy_erasures(db, 0, 0, o); });
  BOOST_TEST(count_rows(path, "events") == events);
  BOOST_TEST(count_rows(path, "erasures") == 0);
  BOOST_TEST(ok([&](char** o) { return patron_customer_get(db, "ANA-01", o); })["id"] == ana_id);
}

BOOST_AUTO_TEST_CASE(an_access_export_as_json) {
  const std::string zip = dir.file("ana.zip");
  const json r = ok([&](char** o) { return patron_privacy_export(db, "ANA-01", zip.c_str(), o); });
  BOOST_TEST(r["bytes"].get<std::int64_t>() > 0);
  BOOST_TEST(r == json::parse(R"({"path":")" + zip + R"(","bytes":)" + std::to_string(r["bytes"].get<std::int64_t>()) +
                              R"(,"customer":")" + ana_id + R"(","merged":[],"events":1,"documents":0,"version":1})"));
  fails(PATRON_EEXIST, "path", [&](char** o) { return patron_privacy_export(db, "ANA-01", zip.c_str(), o); });
  fails(PATRON_EINVAL, "path", [&](char** o) { return patron_privacy_export(db, "ANA-01", "", o); });
  fails(PATRON_ENOTFOUND, "ref", [&](char** o) {
    return patron_privacy_export(db, "NOBODY-1", dir.file("x.zip").c_str(), o);
  });
  fails(PATRON_EMISUSE, "path", [&](char** o) { return patron_privacy_export(db, "ANA-01", nullptr, o); });
}

constexpr std::int64_t kDay = 24 * ticks::kHour;
constexpr const char* kPolicy = R"({"name":"inactive-1y","category":"inactive_customers","days":365})";

BOOST_AUTO_TEST_CASE(retention_policies_as_json) {
  const json p = ok([&](char** o) { return patron_privacy_set_retention_policy(db, kPolicy, o); });
  BOOST_TEST(p == json::parse(R"({"name":"inactive-1y","category":"inactive_customers","days":365,
                                  "document_kind":null,"description":"","created_at":")" + std::string(kT0Text) +
                              R"(","updated_at":")" + kT0Text + R"("})"));
  now += ticks::kMinute;
  const json scans = ok([&](char** o) {
    return patron_privacy_set_retention_policy(
        db, R"({"name":"id-scans","category":"documents","days":90,"document_kind":"identification",
               "description":"ID scans go after 90 days"})", o);
  });
  BOOST_TEST(scans["document_kind"] == "identification");
  BOOST_TEST(scans["created_at"] == ticks::kT1Text);
  BOOST_TEST(ok([&](char** o) { return patron_privacy_retention_policies(db, o); }) == json::array({scans, p}));

  const int rows = count_rows(path, "retention_policies");
  const int events = count_rows(path, "events");
  const auto set_fails = [&](int code, const char* field, const char* policy) {
    fails(code, field, [&](char** o) { return patron_privacy_set_retention_policy(db, policy, o); });
  };
  set_fails(PATRON_EINVAL, "name", R"({"category":"timeline_details","days":9})");
  set_fails(PATRON_EINVAL, "name", R"({"name":"a b","category":"timeline_details","days":9})");
  set_fails(PATRON_EINVAL, "category", R"({"name":"x","category":"forever","days":9})");
  set_fails(PATRON_EINVAL, "days", R"({"name":"x","category":"timeline_details"})");
  set_fails(PATRON_EINVAL, "days", R"({"name":"x","category":"timeline_details","days":36501})");
  set_fails(PATRON_EINVAL, "days", R"({"name":"x","category":"timeline_details","days":99999999999})");
  set_fails(PATRON_EINVAL, "days", R"({"name":"x","category":"timeline_details","days":1.5})");
  set_fails(PATRON_EINVAL, "document_kind", R"({"name":"x","category":"documents","days":9})");
  set_fails(PATRON_EINVAL, "document_kind",
            R"({"name":"x","category":"documents","days":9,"document_kind":"passport"})");
  set_fails(PATRON_EINVAL, "document_kind",
            R"({"name":"x","category":"timeline_details","days":9,"document_kind":"image"})");
  set_fails(PATRON_EINVAL, "description",
            (R"({"name":"x","category":"timeline_details","days":9,"description":")" + std::string(501, 'd') +
             R"("})").c_str());
  set_fails(PATRON_EINVAL, "years", R"({"name":"x","category":"timeline_details","years":9})");
  set_fails(PATRON_EINVAL, "json", "[1]");
  set_fails(PATRON_EMISUSE, "policy_json", nullptr);
  BOOST_TEST(patron_privacy_remove_retention_policy(db, "nope") == PATRON_ENOTFOUND);
  BOOST_TEST(std::string(patron_errfield()) == "name");
  BOOST_TEST(patron_privacy_remove_retention_policy(db, nullptr) == PATRON_EMISUSE);
  BOOST_TEST(std::string(patron_errfield()) == "name");
  BOOST_TEST(count_rows(path, "retention_policies") == rows);
  BOOST_TEST(count_rows(path, "events") == events);

  BOOST_TEST(patron_privacy_remove_retention_policy(db, "id-scans") == PATRON_OK);
  BOOST_TEST(ok([&](char** o) { return patron_privacy_retention_policies(db, o); }) == json::array({p}));
}

BOOST_AUTO_TEST_CASE(a_retention_run_as_json) {
  ok([&](char** o) {
    return patron_purse_top_up(db, R"({"customer":"BO-01","currency":"EUR","amount":700,"idempotency_key":"t-1"})",
                               o);
  });
  now += 400 * kDay;
  const json p = ok([&](char** o) { return patron_privacy_set_retention_policy(db, kPolicy, o); });
  const json expected_outcome = {{"policy", p},
                                 {"cutoff", "2026-12-27T05:54:45.123456Z"},
                                 {"customers", json::array({ana_id})},
                                 {"documents", json::array()},
                                 {"events", 0},
                                 {"skipped", json::array({json{{"customer", bo_id}, {"reason", "purses"}}})},
                                 {"held", ""}};
  const json preview = ok([&](char** o) { return patron_privacy_preview_retention(db, o); });
  BOOST_TEST(preview == json::parse(R"({"id":0,"dry_run":true,"actor":"retention",
                                        "started_at":"2027-12-27T05:54:45.123456Z","finished_at":null,
                                        "outcomes":[)" + expected_outcome.dump() + "]}"));
  BOOST_TEST(count_rows(path, "retention_runs") == 0);
  BOOST_TEST(get("ANA-01")["id"] == ana_id);

  const json run = ok([&](char** o) { return patron_privacy_run_retention(db, o); });
  BOOST_TEST(run == json::parse(R"({"id":1,"dry_run":false,"actor":"retention",
                                    "started_at":"2027-12-27T05:54:45.123456Z",
                                    "finished_at":"2027-12-27T05:54:45.123456Z",
                                    "outcomes":[)" + expected_outcome.dump() + "]}"));
  fails(PATRON_ENOTFOUND, "ref", [&](char** o) { return patron_customer_get(db, "ANA-01", o); });
  BOOST_TEST(ok([&](char** o) { return patron_privacy_tombstone(db, ana_id.c_str(), o); })["requested_by"] ==
             "retention policy inactive-1y");
  BOOST_TEST(ok([&](char** o) { return patron_privacy_retention_runs(db, 10, 0, o); }) == json::array({run}));
  BOOST_TEST(ok([&](char** o) { return patron_privacy_retention_runs(db, 10, 1, o); }) == json::array());
  fails(PATRON_EINVAL, "limit", [&](char** o) { return patron_privacy_retention_runs(db, 0, 0, o); });
  BOOST_TEST(patron_privacy_run_retention(db, nullptr) == PATRON_EMISUSE);
  BOOST_TEST(std::string(patron_errfield()) == "out_json");
  fails(PATRON_EMISUSE, "db", [&](char** o) { return patron_privacy_preview_retention(nullptr, o); });
}

BOOST_AUTO_TEST_SUITE_END()
