// Consent through the C ABI on a file database: the exact JSON of entries,
// states, pages, purposes and preferences; the typed hot path; double
// opt-in; the suppression list; and every refusal with its code and field,
// leaving the log as it was.
#include <boost/test/unit_test.hpp>
#include <sqlite3.h>

#include <algorithm>
#include <string>

#include "capi_fixture.hpp"
#include "row_count.hpp"

using namespace capi_test;
using patron::testing::count_rows;

namespace {

struct Consent : AnaAndBo {
  json grant(const char* ref, const char* channel, const char* purpose, const char* options) {
    return ok([&](char** o) { return patron_consent_grant(db, ref, channel, purpose, options, o); });
  }
  json withdraw(const char* ref, const char* channel, const char* purpose, const char* options) {
    return ok([&](char** o) { return patron_consent_withdraw(db, ref, channel, purpose, options, o); });
  }
  int can_contact(const char* ref, const char* channel, const char* purpose) {
    int allowed = -1;
    const int rc = patron_consent_can_contact(db, ref, channel, purpose, &allowed);
    BOOST_TEST_REQUIRE(rc == PATRON_OK, describe_failure(rc));
    return allowed;
  }
  int suppressed(const char* channel, const char* address, const char* purpose = nullptr) {
    int out = -1;
    const int rc = patron_consent_is_suppressed(db, channel, address, purpose, &out);
    BOOST_TEST_REQUIRE(rc == PATRON_OK, describe_failure(rc));
    return out;
  }
  int logged() { return count_rows(path, "consent_log"); }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(capi_consent, Consent)

BOOST_AUTO_TEST_CASE(a_grant_and_a_withdrawal_as_json) {
  BOOST_TEST(can_contact("ANA-01", "email", "marketing") == 0);
  const json e = grant("ANA-01", "email", "marketing",
                       R"({"legal_basis":"consent","source":"till","text_version":"v3","evidence":"form 42"})");
  BOOST_TEST(e == json::parse(R"({"id":1,"customer":")" + ana_id +
                              R"(","channel":"email","purpose":"marketing","status":"granted",
                                 "legal_basis":"consent","source":"till","text_version":"v3","evidence":"form 42",
                                 "recorded_by":"","at":")" + kT0Text +
                              R"(","expires_at":null,"confirms":null})"));
  BOOST_TEST(can_contact("ANA-01", "email", "marketing") == 1);
  BOOST_TEST(can_contact(ana_id.c_str(), "email", "marketing") == 1);
  BOOST_TEST(can_contact("BO-01", "email", "marketing") == 0);
  BOOST_TEST(can_contact("BO-01", "email", "service") == 1);

  now += ticks::kMinute;
  const json w = withdraw("ANA-01", "email", "marketing", R"({"source":"email_link"})");
  BOOST_TEST(w["status"] == "withdrawn");
  BOOST_TEST(w["legal_basis"].is_null());
  BOOST_TEST(can_contact("ANA-01", "email", "marketing") == 0);
  const json state = ok([&](char** o) { return patron_consent_state(db, "ANA-01", o); });
  BOOST_TEST(state == json::parse(R"([{"channel":"email","purpose":"marketing","status":"withdrawn",
                                       "can_contact":false,"entry":2,"since":")" +
                                  std::string(ticks::kT1Text) + R"("}])"));
  const json history = ok([&](char** o) { return patron_consent_history(db, "ANA-01", 10, 0, o); });
  BOOST_TEST(history.size() == 2U);
  BOOST_TEST(history[0]["id"] == 2);
  BOOST_TEST(history[1] == e);

  // The withdrawal suppressed the address.
  BOOST_TEST(suppressed("email", "ana@example.com") == 1);
  BOOST_TEST(suppressed("email", "ana@example.com", "profiling") == 0);
  const Failure f = fails(PATRON_EPRECONDITION, "channel", [&](char** o) {
    return patron_consent_grant(db, "ANA-01", "email", "marketing", R"({"legal_basis":"consent","source":"import"})",
                                o);
  });
  BOOST_TEST(f.message.find("only the person can grant it anew") != std::string::npos);
  grant("ANA-01", "email", "marketing", R"({"legal_basis":"consent","source":"till","reaffirmed":true})");
  BOOST_TEST(suppressed("email", "ana@example.com") == 0);
}

BOOST_AUTO_TEST_CASE(double_opt_in_through_the_token) {
  const json req = grant("BO-01", "sms", "marketing",
                         R"({"legal_basis":"consent","source":"web_form","double_opt_in":true,
                             "valid_for_seconds":3600})");
  BOOST_TEST(req["status"] == "pending");
  BOOST_TEST(req["expires_at"] == ticks::kH1Text);
  const std::string token = req["token"];
  BOOST_TEST(token.size() == 64U);
  BOOST_TEST(can_contact("BO-01", "sms", "marketing") == 0);
  now += ticks::kMinute;
  const json ok_entry = ok([&](char** o) { return patron_consent_confirm(db, token.c_str(), o); });
  BOOST_TEST(ok_entry["status"] == "granted");
  BOOST_TEST(ok_entry["confirms"] == req["id"]);
  BOOST_TEST(ok_entry["at"] == ticks::kT1Text);
  BOOST_TEST(ok_entry.count("token") == 0U);
  BOOST_TEST(can_contact("BO-01", "sms", "marketing") == 1);

  const int before = logged();
  fails(PATRON_EPRECONDITION, "token", [&](char** o) { return patron_consent_confirm(db, token.c_str(), o); });
  fails(PATRON_ENOTFOUND, "token",
        [&](char** o) { return patron_consent_confirm(db, std::string(64, '0').c_str(), o); });
  fails(PATRON_EINVAL, "token", [&](char** o) { return patron_consent_confirm(db, "abc", o); });
  fails(PATRON_EMISUSE, "token", [&](char** o) { return patron_consent_confirm(db, nullptr, o); });
  BOOST_TEST(logged() == before);
}

BOOST_AUTO_TEST_CASE(refusals_name_the_field_and_write_nothing) {
  const int before = logged();
  const auto grant_fails = [&](int code, const char* field, const char* ref, const char* channel,
                               const char* purpose, const char* options) {
    fails(code, field, [&](char** o) { return patron_consent_grant(db, ref, channel, purpose, options, o); });
  };
  grant_fails(PATRON_EINVAL, "channel", "ANA-01", "fax", "marketing", R"({"legal_basis":"consent","source":"x"})");
  grant_fails(PATRON_ENOTFOUND, "purpose", "ANA-01", "email", "newsletter",
              R"({"legal_basis":"consent","source":"x"})");
  grant_fails(PATRON_EINVAL, "purpose", "ANA-01", "email", "Mark eting", R"({"legal_basis":"consent","source":"x"})");
  grant_fails(PATRON_EINVAL, "legal_basis", "ANA-01", "email", "marketing", R"({"source":"till"})");
  grant_fails(PATRON_EINVAL, "legal_basis", "ANA-01", "email", "marketing", R"({"legal_basis":"whim","source":"x"})");
  grant_fails(PATRON_EINVAL, "source", "ANA-01", "email", "marketing", R"({"legal_basis":"consent"})");
  grant_fails(PATRON_EINVAL, "valid_for_seconds", "ANA-01", "email", "marketing",
              R"({"legal_basis":"consent","source":"x","double_opt_in":true,"valid_for_seconds":7776001})");
  grant_fails(PATRON_EINVAL, "colour", "ANA-01", "email", "marketing", R"({"colour":"red"})");
  grant_fails(PATRON_ENOTFOUND, "ref", "NOBODY-1", "email", "marketing", R"({"legal_basis":"consent","source":"x"})");
  grant_fails(PATRON_EMISUSE, "channel", "ANA-01", nullptr, "marketing", nullptr);
  grant_fails(PATRON_EMISUSE, "purpose", "ANA-01", "email", nullptr, nullptr);
  fails(PATRON_EINVAL, "source",
        [&](char** o) { return patron_consent_withdraw(db, "ANA-01", "email", "marketing", nullptr, o); });
  BOOST_TEST(logged() == before);

  int allowed = 7;
  BOOST_TEST(patron_consent_can_contact(db, "ANA-01", "pigeon", "marketing", &allowed) == PATRON_EINVAL);
  BOOST_TEST(std::string(patron_errfield()) == "channel");
  BOOST_TEST(allowed == 0);
  BOOST_TEST(patron_consent_can_contact(db, "ANA-01", "email", "marketing", nullptr) == PATRON_EMISUSE);
  BOOST_TEST(std::string(patron_errfield()) == "out_allowed");
  BOOST_TEST(patron_consent_suppress(db, "post", "1 High St", nullptr) == PATRON_EINVAL);
  BOOST_TEST(std::string(patron_errfield()) == "channel");
  BOOST_TEST(patron_consent_suppress(db, "email", "nope", nullptr) == PATRON_EINVAL);
  BOOST_TEST(std::string(patron_errfield()) == "address");
}

BOOST_AUTO_TEST_CASE(purposes_reachable_pages_and_preferences) {
  const json p = ok([&](char** o) {
    return patron_consent_define_purpose(db, "wine-club", "Wine club tastings", 0, o);
  });
  BOOST_TEST(p == json::parse(R"({"name":"wine-club","description":"Wine club tastings","opt_out":false,
                                  "built_in":false})"));
  fails(PATRON_EEXIST, "name",
        [&](char** o) { return patron_consent_define_purpose(db, "wine-club", "again", 0, o); });
  const json all = ok([&](char** o) { return patron_consent_purposes(db, o); });
  BOOST_TEST(all.size() == 5U);
  BOOST_TEST(all[0]["name"] == "marketing");
  BOOST_TEST(all[4]["name"] == "wine-club");

  grant("ANA-01", "email", "wine-club", R"({"legal_basis":"consent","source":"till"})");
  grant("BO-01", "email", "wine-club", R"({"legal_basis":"consent","source":"till"})");
  // Pages go by id: the cursor is the last id of a page.
  const std::string low = std::min(ana_id, bo_id);
  const std::string high = std::max(ana_id, bo_id);
  const json first = ok([&](char** o) { return patron_consent_reachable(db, "email", "wine-club", nullptr, 1, o); });
  BOOST_TEST(first == json::parse(R"({"customers":[")" + low + R"("],"next":")" + low + R"("})"));
  const std::string next = first["next"];
  const json second =
      ok([&](char** o) { return patron_consent_reachable(db, "email", "wine-club", next.c_str(), 1, o); });
  // The last page is full, and says there is no more.
  BOOST_TEST(second == json::parse(R"({"customers":[")" + high + R"("],"next":null})"));
  fails(PATRON_EINVAL, "after",
        [&](char** o) { return patron_consent_reachable(db, "email", "wine-club", "-1", 10, o); });
  fails(PATRON_EINVAL, "limit", [&](char** o) { return patron_consent_reachable(db, "email", "wine-club", "", 0, o); });

  BOOST_TEST(ok([&](char** o) { return patron_consent_preferences(db, "ANA-01", o); }) ==
             json::parse(R"({"channel":null,"language":"","time_zone":"","windows":[]})"));
  const json prefs = ok([&](char** o) {
    return patron_consent_set_preferences(
        db, "ANA-01",
        R"({"channel":"sms","language":"pt-br","time_zone":"Europe/Lisbon",
            "windows":[{"days":["sat","mon"],"from":"09:00","to":"18:00"}]})",
        o);
  });
  BOOST_TEST(prefs == json::parse(R"({"channel":"sms","language":"pt-BR","time_zone":"Europe/Lisbon",
                                      "windows":[{"days":["mon","sat"],"from":"09:00","to":"18:00"}]})"));
  BOOST_TEST(ok([&](char** o) { return patron_consent_preferences(db, "ANA-01", o); }) == prefs);
  fails(PATRON_EINVAL, "windows[0].days[0]", [&](char** o) {
    return patron_consent_set_preferences(db, "ANA-01", R"({"windows":[{"days":["funday"]}]})", o);
  });
  fails(PATRON_EINVAL, "windows[0].to", [&](char** o) {
    return patron_consent_set_preferences(db, "ANA-01",
                                          R"({"windows":[{"days":["mon"],"from":"10:00","to":"09:00"}]})", o);
  });
  fails(PATRON_EINVAL, "channel", [&](char** o) {
    return patron_consent_set_preferences(db, "ANA-01", R"({"channel":"fax"})", o);
  });
  BOOST_TEST(ok([&](char** o) { return patron_consent_preferences(db, "ANA-01", o); }) == prefs);
}

BOOST_AUTO_TEST_CASE(check_reports_a_state_its_log_does_not_give) {
  grant("ANA-01", "email", "marketing", R"({"legal_basis":"consent","source":"till"})");
  BOOST_TEST(ok([&](char** o) { return patron_check(db, 1, o); })["ok"] == true);
  sqlite3* raw = nullptr;
  BOOST_TEST_REQUIRE(sqlite3_open(path.c_str(), &raw) == SQLITE_OK);
  BOOST_TEST(sqlite3_exec(raw, "DELETE FROM consent_current", nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(raw);
  const json r = ok([&](char** o) { return patron_check(db, 1, o); });
  BOOST_TEST(r["problems"] == json::parse(R"x([{"check": "consent_state", "detail": "customer )x" + ana_id +
                                          R"x( email/marketing: the log gives entry 1 (granted), the state holds none"}])x"));
}

BOOST_AUTO_TEST_SUITE_END()
