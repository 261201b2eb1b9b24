// Visits through the C ABI on a file database: the exact JSON of visits
// recorded by customer and by presented credential, the verdicts that
// refuse a presented token, counts and lists filtered by place and time,
// and every refusal with its code and field.
#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "capi_fixture.hpp"

using namespace capi_test;
using namespace capi_test::ticks;

namespace {

// A database holding Ana ("ANA-01") with the smart card "04A1" (id 1) and
// Bo ("BO-01") with the key fob "F-77" (id 2).
struct Visits : AnaAndBo {
  json card = issue(R"({"kind":"smart_card","value":"04A1","customer":"ANA-01"})");
  json fob = issue(R"({"kind":"key_fob","value":"F-77","customer":"BO-01"})");

  json issue(const std::string& credential) {
    return ok([&](char** o) { return patron_credential_issue(db, credential.c_str(), o); });
  }
  json record(const char* ref, const char* place, std::int64_t credential = 0, const char* at = nullptr) {
    return ok([&](char** o) { return patron_visit_record(db, ref, place, credential, at, o); });
  }
  json presented(const char* token, const char* place, const char* at = nullptr) {
    return ok([&](char** o) { return patron_visit_record_presented(db, token, place, at, o); });
  }
  std::int64_t count(const char* ref, const char* place = nullptr, const char* from = nullptr,
                     const char* to = nullptr) {
    std::int64_t n = -1;
    const int rc = patron_visit_count(db, ref, place, from, to, &n);
    BOOST_TEST_REQUIRE(rc == PATRON_OK, describe_failure(rc));
    return n;
  }
  json list(const char* ref, const char* place = nullptr, const char* from = nullptr, const char* to = nullptr,
            std::size_t limit = 50, std::size_t offset = 0) {
    return ok([&](char** o) { return patron_visit_list(db, ref, place, from, to, limit, offset, o); });
  }
  json at_place(const char* place, const char* from = nullptr, const char* to = nullptr, std::size_t limit = 50,
                std::size_t offset = 0) {
    return ok([&](char** o) { return patron_visit_at_place(db, place, from, to, limit, offset, o); });
  }
};

json visit_json(std::int64_t id, const std::string& customer, const std::string& place, const json& credential,
                const std::string& at) {
  return {{"id", id}, {"customer", customer}, {"place", place}, {"credential", credential}, {"at", at}};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(capi_visits)

BOOST_AUTO_TEST_CASE(visits_on_a_file) {
  Visits t;
  const std::int64_t card = t.card["id"];
  BOOST_TEST(t.list("ANA-01") == json::array());
  BOOST_TEST(t.count("ANA-01") == 0);

  const json walk_in = t.record("ana-01", "spa");
  BOOST_TEST(walk_in == visit_json(1, t.ana_id, "spa", nullptr, kT0Text), "got " << walk_in.dump());
  t.now += kMinute;
  const json carded = t.presented("04A1", "front-gate");
  BOOST_TEST(carded == visit_json(2, t.ana_id, "front-gate", card, kT1Text), "got " << carded.dump());
  // At a given time, with the credential the customer presented.
  const json earlier = t.record(t.ana_id.c_str(), "spa", card, "2026-11-21T10:00:00.000000Z");
  BOOST_TEST(earlier == visit_json(3, t.ana_id, "spa", card, "2026-11-21T10:00:00.000000Z"), "got " << earlier.dump());
  const json bo = t.presented("F-77", "spa", kH1Text);
  BOOST_TEST(bo == visit_json(4, t.bo_id, "spa", t.fob["id"], kH1Text), "got " << bo.dump());

  t.reopen();
  // Newest first, filtered by place and [from, to).
  BOOST_TEST(t.list("ANA-01") == json::array({carded, walk_in, earlier}));
  BOOST_TEST(t.count("ANA-01") == 3);
  BOOST_TEST(t.list("ANA-01", "spa") == json::array({walk_in, earlier}));
  BOOST_TEST(t.count("ANA-01", "spa") == 2);
  BOOST_TEST(t.list("ANA-01", nullptr, kT0Text) == json::array({carded, walk_in}));
  BOOST_TEST(t.list("ANA-01", nullptr, nullptr, kT1Text) == json::array({walk_in, earlier}));
  BOOST_TEST(t.list("ANA-01", "spa", kT0Text, kT1Text) == json::array({walk_in}));
  BOOST_TEST(t.count("ANA-01", "spa", kT0Text, kT1Text) == 1);
  BOOST_TEST(t.count("ANA-01", "bar") == 0);
  BOOST_TEST(t.list("ANA-01", nullptr, nullptr, nullptr, 1, 1) == json::array({walk_in}));
  BOOST_TEST(t.list("ANA-01", nullptr, nullptr, nullptr, 10, 3) == json::array());
  BOOST_TEST(t.list("BO-01") == json::array({bo}));
  // A place's visits, any customer, newest first.
  BOOST_TEST(t.at_place("spa") == json::array({bo, walk_in, earlier}));
  BOOST_TEST(t.at_place("spa", kT0Text) == json::array({bo, walk_in}));
  BOOST_TEST(t.at_place("spa", nullptr, kT0Text, 1) == json::array({earlier}));
  BOOST_TEST(t.at_place("front-gate") == json::array({carded}));
  BOOST_TEST(t.at_place("bar") == json::array());

  // Each visit is on the customer's timeline.
  const json page = ok([&](char** o) { return patron_timeline(t.db, "ANA-01", nullptr, nullptr, 100, o); });
  std::vector<std::string> visits;
  for (const auto& e : page["events"]) {
    if (e["action"] == "visit.recorded") {
      BOOST_TEST(e["category"] == "customers");
      BOOST_TEST(e["type"] == "visit");
      BOOST_TEST(e["source"] == "physical");
      visits.push_back(e["at"]);
    }
  }
  BOOST_TEST(visits.size() == 3U);
}

BOOST_AUTO_TEST_CASE(presented_tokens_that_are_not_accepted) {
  Visits t;
  const std::int64_t card = t.card["id"];
  const auto refused = [&](const char* token, const std::string& verdict, const char* at = nullptr) {
    const Failure f = fails(PATRON_EPRECONDITION, "token",
                            [&](char** o) { return patron_visit_record_presented(t.db, token, "spa", at, o); });
    BOOST_TEST(f.message.find(verdict) != std::string::npos, f.message);
  };
  refused("NO-SUCH-CARD", "unknown");
  ok([&](char** o) { return patron_credential_set_status(t.db, card, "blocked", o); });
  refused("04A1", "blocked");
  ok([&](char** o) { return patron_credential_set_status(t.db, card, "lost", o); });
  refused("04A1", "lost");
  t.issue(R"({"kind":"barcode","value":"B-1","customer":"ANA-01","valid_from":"2026-12-01T00:00:00.000000Z",
      "valid_until":"2027-01-01T00:00:00.000000Z"})");
  refused("B-1", "not_yet_valid");
  refused("B-1", "expired", "2027-02-01T00:00:00.000000Z");
  BOOST_TEST(t.presented("B-1", "spa", "2026-12-02T00:00:00.000000Z")["customer"] == t.ana_id);
  BOOST_TEST(t.count("ANA-01") == 1);
  BOOST_TEST(t.at_place("spa").size() == 1U);

  fails(PATRON_EINVAL, "token", [&](char** o) { return patron_visit_record_presented(t.db, "", "spa", nullptr, o); });
  fails(PATRON_EINVAL, "place", [&](char** o) { return patron_visit_record_presented(t.db, "F-77", "", nullptr, o); });
  fails(PATRON_EINVAL, "at", [&](char** o) { return patron_visit_record_presented(t.db, "F-77", "spa", "now", o); });
  fails(PATRON_EMISUSE, "token",
        [&](char** o) { return patron_visit_record_presented(t.db, nullptr, "spa", nullptr, o); });
  fails(PATRON_EMISUSE, "place",
        [&](char** o) { return patron_visit_record_presented(t.db, "F-77", nullptr, nullptr, o); });
  BOOST_TEST(t.count("BO-01") == 0);
}

BOOST_AUTO_TEST_CASE(argument_refusals) {
  Visits t;
  const std::int64_t fob = t.fob["id"];
  const auto refused = [&](int code, const char* field, const char* ref, const char* place, std::int64_t credential,
                           const char* at = nullptr) {
    fails(code, field, [&](char** o) { return patron_visit_record(t.db, ref, place, credential, at, o); });
  };
  refused(PATRON_ENOTFOUND, "ref", "NOBODY", "spa", 0);
  refused(PATRON_EINVAL, "ref", "", "spa", 0);
  refused(PATRON_EINVAL, "place", "ANA-01", "", 0);
  refused(PATRON_EINVAL, "place", "ANA-01", "the spa", 0);
  refused(PATRON_EINVAL, "place", "ANA-01", std::string(65, 'p').c_str(), 0);
  refused(PATRON_ENOTFOUND, "credential", "ANA-01", "spa", fob);  // Bo's
  refused(PATRON_ENOTFOUND, "credential", "ANA-01", "spa", 999);
  refused(PATRON_EINVAL, "at", "ANA-01", "spa", 0, "2026-13-01T00:00:00Z");
  refused(PATRON_EMISUSE, "ref", nullptr, "spa", 0);
  refused(PATRON_EMISUSE, "place", "ANA-01", nullptr, 0);
  // The longest place is fine.
  const std::string longest(64, 'p');
  BOOST_TEST(t.record("ANA-01", longest.c_str())["place"] == longest);
  BOOST_TEST(t.count("ANA-01") == 1);

  const auto count_fails = [&](int code, const char* field, const char* ref, const char* place, const char* from,
                               const char* to) {
    std::int64_t n = -1;
    const int rc = patron_visit_count(t.db, ref, place, from, to, &n);
    BOOST_TEST(rc == code, describe_failure(rc));
    BOOST_TEST(patron_errfield() == std::string(field));
    BOOST_TEST(n == 0);
  };
  count_fails(PATRON_ENOTFOUND, "ref", "NOBODY", nullptr, nullptr, nullptr);
  count_fails(PATRON_EINVAL, "to", "ANA-01", nullptr, kT1Text, kT0Text);
  count_fails(PATRON_EINVAL, "to", "ANA-01", nullptr, kT0Text, kT0Text);
  count_fails(PATRON_EINVAL, "from", "ANA-01", nullptr, "yesterday", nullptr);
  count_fails(PATRON_EINVAL, "to", "ANA-01", nullptr, nullptr, "tomorrow");
  count_fails(PATRON_EMISUSE, "ref", nullptr, nullptr, nullptr, nullptr);
  BOOST_TEST(patron_visit_count(t.db, "ANA-01", nullptr, nullptr, nullptr, nullptr) == PATRON_EMISUSE);
  BOOST_TEST(patron_errfield() == std::string("out_count"));

  fails(PATRON_ENOTFOUND, "ref",
        [&](char** o) { return patron_visit_list(t.db, "NOBODY", nullptr, nullptr, nullptr, 10, 0, o); });
  fails(PATRON_EINVAL, "to",
        [&](char** o) { return patron_visit_list(t.db, "ANA-01", nullptr, kT1Text, kT0Text, 10, 0, o); });
  fails(PATRON_EINVAL, "limit",
        [&](char** o) { return patron_visit_list(t.db, "ANA-01", nullptr, nullptr, nullptr, 0, 0, o); });
  fails(PATRON_EINVAL, "limit",
        [&](char** o) { return patron_visit_list(t.db, "ANA-01", nullptr, nullptr, nullptr, 1001, 0, o); });
  fails(PATRON_EINVAL, "place", [&](char** o) { return patron_visit_at_place(t.db, "", nullptr, nullptr, 10, 0, o); });
  fails(PATRON_EINVAL, "to", [&](char** o) { return patron_visit_at_place(t.db, "spa", kT1Text, kT0Text, 10, 0, o); });
  fails(PATRON_EINVAL, "limit",
        [&](char** o) { return patron_visit_at_place(t.db, "spa", nullptr, nullptr, 0, 0, o); });
  fails(PATRON_EMISUSE, "ref",
        [&](char** o) { return patron_visit_list(t.db, nullptr, nullptr, nullptr, nullptr, 10, 0, o); });
  fails(PATRON_EMISUSE, "place",
        [&](char** o) { return patron_visit_at_place(t.db, nullptr, nullptr, nullptr, 10, 0, o); });
  fails(PATRON_EMISUSE, "db",
        [&](char** o) { return patron_visit_list(nullptr, "ANA-01", nullptr, nullptr, nullptr, 10, 0, o); });
  BOOST_TEST(patron_visit_list(t.db, "ANA-01", nullptr, nullptr, nullptr, 10, 0, nullptr) == PATRON_EMISUSE);
  BOOST_TEST(patron_errfield() == std::string("out_json"));
  BOOST_TEST(t.count("ANA-01") == 1);
}

BOOST_AUTO_TEST_SUITE_END()
