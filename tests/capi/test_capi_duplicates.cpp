// Duplicate detection through the C ABI: the exact shape of candidates,
// scans, explanations and the model; dismissals and labels; training; the
// options documents' refusals.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <string>

#include "capi_fixture.hpp"

using namespace capi_test;

namespace {

struct Guests : AnaAndBo {
  // Ana Silva (ANA-01) and her twin from a booking site; Bo Berg has none.
  json twin = create(
      R"({"first_name":"Ana","last_name":"Silvaa","email":"ana@booking.example","number":"ANA-02","date_of_birth":"1990-04-12"})");
  std::string twin_id = twin["id"];

  json similar(const char* probe, const char* options = nullptr) {
    return ok([&](char** o) { return patron_duplicates_similar_to(db, probe, options, o); });
  }
  json of(const char* ref, const char* options = nullptr) {
    return ok([&](char** o) { return patron_duplicates_of(db, ref, options, o); });
  }
  json scan(const char* options = nullptr) {
    return ok([&](char** o) { return patron_duplicates_scan(db, options, o); });
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(capi_duplicates)

BOOST_AUTO_TEST_CASE(similar_to_and_of_explain_each_candidate) {
  Guests t;
  const json found = t.similar("{\"first_name\":\"ana\",\"last_name\":\"SILVA\",\"email\":\"ana@other.example\"}",
                               R"({"min_probability":0.1})");
  BOOST_TEST_REQUIRE(found.size() == 2u);
  const json& best = found[0];
  BOOST_TEST(best["customer"] == t.ana_id);
  BOOST_TEST(best["number"] == "ANA-01");
  BOOST_TEST(best["first_name"] == "Ana");
  BOOST_TEST(best["last_name"] == "Silva");
  BOOST_TEST(found[1]["customer"] == t.twin_id);
  BOOST_TEST_REQUIRE(best["fields"].size() == 9u);
  const char* names[] = {"first_name", "last_name", "email", "phone", "date_of_birth", "postcode", "street", "city", "number"};
  double sum = best["prior_weight"];
  for (std::size_t i = 0; i < 9; ++i) {
    BOOST_TEST(best["fields"][i]["field"] == names[i]);
    sum += best["fields"][i]["weight"].get<double>();
  }
  BOOST_TEST(std::abs(sum - best["weight"].get<double>()) < 1e-9);
  BOOST_TEST(best["fields"][0]["level"] == "exact");
  BOOST_TEST(best["fields"][2]["level"] == "same_local_part");
  BOOST_TEST(best["fields"][3]["level"] == "missing");
  BOOST_TEST(best["fields"][3]["weight"] == 0.0);
  BOOST_TEST(best["fields"][0]["term_frequency"].is_null());  // fewer than 500 profiles
  BOOST_TEST(best.contains("probability"));

  const json from_ana = t.of("ANA-01", "");
  BOOST_TEST_REQUIRE(from_ana.size() == 1u);
  BOOST_TEST(from_ana[0]["customer"] == t.twin_id);
  BOOST_TEST(from_ana[0]["fields"][1]["level"] == "close");
  BOOST_TEST(t.of("BO-01").empty());
}

BOOST_AUTO_TEST_CASE(scan_pages_and_dismissals) {
  Guests t;
  const json all = t.scan(R"({"min_probability":0.5})");
  BOOST_TEST(all["customers"] == 3);
  BOOST_TEST(all["total_pairs"] == 1);
  BOOST_TEST(all["candidate_pairs"].get<int>() >= 1);
  BOOST_TEST_REQUIRE(all["pairs"].size() == 1u);
  const std::string a = all["pairs"][0]["a"];
  const std::string b = all["pairs"][0]["b"];
  BOOST_TEST(a < b);
  BOOST_TEST(((a == t.ana_id && b == t.twin_id) || (a == t.twin_id && b == t.ana_id)));
  BOOST_TEST(all["clusters"].size() == 1u);
  BOOST_TEST(all["clusters"][0].size() == 2u);
  BOOST_TEST(t.scan(R"({"min_probability":0.5,"offset":1})")["pairs"].empty());

  BOOST_TEST(patron_duplicates_dismiss(t.db, "ANA-01", "ANA-02", "desk-jane") == PATRON_OK);
  const json feed = ok([&](char** o) { return patron_feed(t.db, 0, 1000, o); });
  BOOST_TEST_REQUIRE(feed.size() >= 2u);
  const json& last = feed[feed.size() - 1];
  BOOST_TEST(last["action"] == "customer.duplicate_dismissed");
  BOOST_TEST(last["actor"] == "desk-jane");
  BOOST_TEST(feed[feed.size() - 2]["action"] == "customer.duplicate_dismissed");
  const json after = t.scan(R"({"min_probability":0.5})");
  BOOST_TEST(after["total_pairs"] == 0);
  BOOST_TEST(after["clusters"].empty());
  BOOST_TEST(t.of("ANA-01").empty());
  // A later "the same" label stands instead.
  BOOST_TEST(patron_duplicates_label(t.db, "ANA-02", "ANA-01", 1, "manager") == PATRON_OK);
  BOOST_TEST(t.of("ANA-01").size() == 1u);
}

BOOST_AUTO_TEST_CASE(train_and_model) {
  Guests t;
  const json before = ok([&](char** o) { return patron_duplicates_model(t.db, o); });
  BOOST_TEST(before["trained_at"].is_null());
  BOOST_TEST(before["prior"] == 1e-4);
  BOOST_TEST(before["fields"].size() == 9u);
  BOOST_TEST(before["fields"][0]["levels"][0] == json::parse(R"({"level":"exact","m":0.8,"u":0.01})"));
  const json trained =
      ok([&](char** o) { return patron_duplicates_train(t.db, R"({"by":"nightly","random_pairs":1000})", o); });
  BOOST_TEST(trained["trained_by"] == "nightly");
  BOOST_TEST(trained["trained_at"] == "2026-11-22T05:54:45.123456Z");  // the fixture's clock
  BOOST_TEST(trained["profiles"] == 3);
  BOOST_TEST(trained["random_pairs"] == 3);  // all the pairs there are
  const json now = ok([&](char** o) { return patron_duplicates_model(t.db, o); });
  BOOST_TEST(now == trained);
}

BOOST_AUTO_TEST_CASE(refusals) {
  Guests t;
  fails(PATRON_EINVAL, "probe_json", [&](char** o) { return patron_duplicates_similar_to(t.db, "{}", nullptr, o); });
  fails(PATRON_EINVAL, "email",
        [&](char** o) { return patron_duplicates_similar_to(t.db, R"({"email":"nope"})", nullptr, o); });
  fails(PATRON_EINVAL, "json", [&](char** o) { return patron_duplicates_similar_to(t.db, "{", nullptr, o); });
  fails(PATRON_EINVAL, "min_probability", [&](char** o) {
    return patron_duplicates_similar_to(t.db, R"({"last_name":"Silva"})", R"({"min_probability":"high"})", o);
  });
  fails(PATRON_EINVAL, "limit",
        [&](char** o) { return patron_duplicates_of(t.db, "ANA-01", R"({"limit":-1})", o); });
  fails(PATRON_EINVAL, "limit",
        [&](char** o) { return patron_duplicates_of(t.db, "ANA-01", R"({"limit":5000})", o); });
  fails(PATRON_EINVAL, "max", [&](char** o) { return patron_duplicates_of(t.db, "ANA-01", R"({"max":1})", o); });
  fails(PATRON_ENOTFOUND, "ref", [&](char** o) { return patron_duplicates_of(t.db, "ZZ-404", nullptr, o); });
  fails(PATRON_EINVAL, "offset", [&](char** o) { return patron_duplicates_scan(t.db, R"({"offset":-2})", o); });
  fails(PATRON_EINVAL, "by", [&](char** o) { return patron_duplicates_train(t.db, "{}", o); });
  fails(PATRON_EMISUSE, "options_json", [&](char** o) { return patron_duplicates_train(t.db, nullptr, o); });
  BOOST_TEST(patron_duplicates_dismiss(t.db, "ANA-01", "ANA-01", "jane") == PATRON_EINVAL);
  BOOST_TEST(std::string(patron_errfield()) == "b");
  BOOST_TEST(patron_duplicates_dismiss(t.db, "ANA-01", "ZZ-404", "jane") == PATRON_ENOTFOUND);
  BOOST_TEST(std::string(patron_errfield()) == "b");
  BOOST_TEST(patron_duplicates_label(t.db, "ANA-01", "BO-01", 0, "") == PATRON_EINVAL);
  BOOST_TEST(std::string(patron_errfield()) == "by");
  BOOST_TEST(patron_duplicates_dismiss(t.db, nullptr, "BO-01", "jane") == PATRON_EMISUSE);
  BOOST_TEST(std::string(patron_errfield()) == "a");
}

BOOST_AUTO_TEST_SUITE_END()
