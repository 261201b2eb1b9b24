// Door access through the C ABI on a file database: the exact JSON of doors,
// permissions and access decisions, windows under the injected clock,
// permissions that need a membership, opening a door with a credential, and
// every refusal with its code and field.
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <string>

#include "capi_fixture.hpp"

using namespace capi_test;
using namespace capi_test::ticks;

namespace {

// A database holding Ana ("ANA-01"), Bo ("BO-01") and the doors "front-gate"
// and "spa/2".
struct Site : AnaAndBo {
  json gate = create_door(R"({"id":"front-gate","name":"Front gate","notes":"north side"})");
  json spa = create_door(R"({"id":"spa/2","name":"Spa 2"})");

  json create_door(const std::string& js) {
    return ok([&](char** o) { return patron_door_create(db, js.c_str(), o); });
  }
  json door(const char* id) {
    return ok([&](char** o) { return patron_door_get(db, id, o); });
  }
  json doors() {
    return ok([&](char** o) { return patron_door_list(db, o); });
  }
  json grant(const std::string& js) {
    return ok([&](char** o) { return patron_permission_grant(db, js.c_str(), o); });
  }
  json of_customer(const std::string& ref) {
    return ok([&](char** o) { return patron_permission_of_customer(db, ref.c_str(), o); });
  }
  json of_door(const char* door, std::size_t limit = 50, std::size_t offset = 0) {
    return ok([&](char** o) { return patron_permission_of_door(db, door, limit, offset, o); });
  }
  json check(const std::string& ref, const char* door, const char* at = nullptr) {
    return ok([&](char** o) { return patron_door_check(db, ref.c_str(), door, at, o); });
  }
  json open_door(const std::string& token, const char* door, const char* at = nullptr) {
    return ok([&](char** o) { return patron_door_open(db, token.c_str(), door, at, o); });
  }
};

json door_json(const std::string& id, const std::string& name, const std::string& notes,
               const std::string& created = kT0Text, const std::string& updated = kT0Text) {
  return {{"id", id}, {"name", name}, {"notes", notes}, {"created_at", created}, {"updated_at", updated}};
}

json permission_json(std::int64_t id, const std::string& customer, const std::string& door, const json& starts,
                     const json& ends, const std::string& notes = "", const json& plan = nullptr) {
  return {{"id", id},       {"customer", customer}, {"door", door},          {"starts_at", starts},
          {"ends_at", ends}, {"notes", notes},       {"required_plan", plan}, {"created_at", kT0Text}};
}

json decision(bool allowed, const std::string& reason, const json& customer, const json& credential = nullptr,
              const json& permission = nullptr) {
  return {{"allowed", allowed},
          {"reason", reason},
          {"customer", customer},
          {"credential", credential},
          {"permission", permission}};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(capi_doors)

BOOST_AUTO_TEST_CASE(doors_on_a_file) {
  Site t;
  BOOST_TEST(t.gate == door_json("front-gate", "Front gate", "north side"), "got " << t.gate.dump());
  BOOST_TEST(t.spa == door_json("spa/2", "Spa 2", ""), "got " << t.spa.dump());
  t.now += kMinute;
  const json renamed = ok([&](char** o) { return patron_door_update(t.db, "spa/2", "Spa two", nullptr, o); });
  BOOST_TEST(renamed == door_json("spa/2", "Spa two", "", kT0Text, kT1Text), "got " << renamed.dump());
  const json noted = ok([&](char** o) { return patron_door_update(t.db, "front-gate", "Front gate", "", o); });
  BOOST_TEST(noted["notes"] == "");  // notes are replaced

  t.reopen();
  BOOST_TEST(t.door("spa/2") == renamed);
  BOOST_TEST(t.doors() == json::array({noted, renamed}));  // by id

  const auto refused = [&](int code, const char* field, const std::string& js) {
    fails(code, field, [&](char** o) { return patron_door_create(t.db, js.c_str(), o); });
  };
  refused(PATRON_EEXIST, "id", R"({"id":"front-gate","name":"Again"})");
  refused(PATRON_EINVAL, "id", R"({"id":"front gate","name":"Gate"})");
  refused(PATRON_EINVAL, "id", R"({"id":"","name":"Gate"})");
  refused(PATRON_EINVAL, "id", R"({"id":")" + std::string(65, 'a') + R"(","name":"Gate"})");
  refused(PATRON_EINVAL, "name", R"({"id":"back"})");
  refused(PATRON_EINVAL, "name", R"({"id":"back","name":")" + std::string(201, 'n') + R"("})");
  refused(PATRON_EINVAL, "notes", R"({"id":"back","name":"Back","notes":")" + std::string(2001, 'n') + R"("})");
  refused(PATRON_EINVAL, "name", R"({"id":"back","name":1})");
  refused(PATRON_EINVAL, "colour", R"({"id":"back","name":"Back","colour":1})");
  refused(PATRON_EINVAL, "json", "nope");
  BOOST_TEST(t.doors().size() == 2u);

  fails(PATRON_ENOTFOUND, "id", [&](char** o) { return patron_door_get(t.db, "back", o); });
  fails(PATRON_EINVAL, "id", [&](char** o) { return patron_door_get(t.db, "back door", o); });
  fails(PATRON_ENOTFOUND, "id", [&](char** o) { return patron_door_update(t.db, "back", "Back", nullptr, o); });
  fails(PATRON_EINVAL, "name", [&](char** o) { return patron_door_update(t.db, "spa/2", "", nullptr, o); });
  fails(PATRON_EMISUSE, "name", [&](char** o) { return patron_door_update(t.db, "spa/2", nullptr, nullptr, o); });
  fails(PATRON_EMISUSE, "id", [&](char** o) { return patron_door_get(t.db, nullptr, o); });
  fails(PATRON_EMISUSE, "db", [&](char** o) { return patron_door_list(nullptr, o); });
  BOOST_TEST(t.door("spa/2") == renamed);
}

BOOST_AUTO_TEST_CASE(permissions_grant_list_and_revoke) {
  Site t;
  const json always = t.grant(R"({"customer":"ana-01","door":"front-gate","notes":"staff"})");
  BOOST_TEST(always == permission_json(1, t.ana_id, "front-gate", nullptr, nullptr, "staff"), "got " << always.dump());
  const json evening = t.grant(R"({"customer":"ANA-01","door":"spa/2","starts_at":"2026-11-22T06:54:45.123456Z",)"
                               R"("ends_at":"2026-11-22T07:54:45.123456Z"})");
  BOOST_TEST(evening == permission_json(2, t.ana_id, "spa/2", kH1Text, kH2Text), "got " << evening.dump());
  const json bo_spa = t.grant(R"({"customer":")" + t.bo_id + R"(","door":"spa/2","ends_at":null})");
  const json ana_spa_open = t.grant(R"({"customer":"ANA-01","door":"spa/2"})");

  t.reopen();
  // By door, then start (unbounded first), then id.
  BOOST_TEST(t.of_customer("ANA-01") == json::array({always, ana_spa_open, evening}));
  BOOST_TEST(t.of_customer("BO-01") == json::array({bo_spa}));
  // By customer number, then start, then id; paged.
  BOOST_TEST(t.of_door("spa/2") == json::array({ana_spa_open, evening, bo_spa}));
  BOOST_TEST(t.of_door("spa/2", 1, 1) == json::array({evening}));
  BOOST_TEST(t.of_door("spa/2", 5, 3) == json::array());

  BOOST_TEST(patron_permission_revoke(t.db, 4) == PATRON_OK);
  BOOST_TEST(t.of_customer("ANA-01") == json::array({always, evening}));
  BOOST_TEST(patron_permission_revoke(t.db, 4) == PATRON_ENOTFOUND);
  BOOST_TEST(std::string(patron_errfield()) == "id");
  BOOST_TEST(patron_permission_revoke(nullptr, 1) == PATRON_EMISUSE);

  const auto refused = [&](int code, const char* field, const std::string& js) {
    fails(code, field, [&](char** o) { return patron_permission_grant(t.db, js.c_str(), o); });
  };
  refused(PATRON_ENOTFOUND, "door", R"({"customer":"ANA-01","door":"back"})");
  refused(PATRON_EINVAL, "door", R"({"customer":"ANA-01","door":"back door"})");
  refused(PATRON_ENOTFOUND, "customer", R"({"customer":"NOBODY-1","door":"spa/2"})");
  refused(PATRON_EINVAL, "customer", R"({"customer":"!!","door":"spa/2"})");
  refused(PATRON_ENOTFOUND, "required_plan", R"({"customer":"ANA-01","door":"spa/2","required_plan":9})");
  refused(PATRON_EINVAL, "required_plan", R"({"customer":"ANA-01","door":"spa/2","required_plan":"gold"})");
  refused(PATRON_EINVAL, "ends_at", R"({"customer":"ANA-01","door":"spa/2","starts_at":"2026-11-22T07:54:45.123456Z",)"
                                    R"("ends_at":"2026-11-22T06:54:45.123456Z"})");
  refused(PATRON_EINVAL, "starts_at", R"({"customer":"ANA-01","door":"spa/2","starts_at":"tomorrow"})");
  refused(PATRON_EINVAL, "notes", R"({"customer":"ANA-01","door":"spa/2","notes":")" + std::string(2001, 'n') + R"("})");
  refused(PATRON_EINVAL, "colour", R"({"customer":"ANA-01","door":"spa/2","colour":1})");
  BOOST_TEST(t.of_door("spa/2").size() == 2u);

  fails(PATRON_ENOTFOUND, "ref", [&](char** o) { return patron_permission_of_customer(t.db, "NOBODY-1", o); });
  fails(PATRON_ENOTFOUND, "door", [&](char** o) { return patron_permission_of_door(t.db, "back", 50, 0, o); });
  fails(PATRON_EINVAL, "limit", [&](char** o) { return patron_permission_of_door(t.db, "spa/2", 0, 0, o); });
  fails(PATRON_EINVAL, "limit", [&](char** o) { return patron_permission_of_door(t.db, "spa/2", 1001, 0, o); });
}

BOOST_AUTO_TEST_CASE(who_may_open_and_why_not) {
  Site t;
  const auto can_open = [&](const char* ref, const char* door, const char* at = nullptr) {
    return patron_door_can_open(t.db, ref, door, at);
  };
  BOOST_TEST(t.check("ANA-01", "spa/2") == decision(false, "no_permission", t.ana_id));
  BOOST_TEST(can_open("ANA-01", "spa/2") == 0);
  BOOST_TEST(t.check("ANA-01", "back") == decision(false, "unknown_door", t.ana_id));
  BOOST_TEST(can_open("ANA-01", "back") == 0);

  t.grant(R"({"customer":"ANA-01","door":"spa/2","starts_at":"2026-11-22T06:54:45.123456Z",)"
          R"("ends_at":"2026-11-22T07:54:45.123456Z"})");
  BOOST_TEST(t.check("ANA-01", "spa/2") == decision(false, "outside_window", t.ana_id));
  BOOST_TEST(t.check("ANA-01", "spa/2", kH1Text) == decision(true, "allowed", t.ana_id, nullptr, 1));
  BOOST_TEST(can_open("ANA-01", "spa/2", kH1Text) == 1);
  BOOST_TEST(can_open("ANA-01", "spa/2", kH2Text) == 0);
  t.now += kHour;
  BOOST_TEST(can_open(t.ana_id.c_str(), "spa/2") == 1);  // now inside the window

  // A permission may need a membership of a plan.
  const json gold = ok([&](char** o) { return patron_plan_create(t.db, R"({"name":"Gold"})", o); });
  t.grant(R"({"customer":"BO-01","door":"front-gate","required_plan":1})");
  BOOST_TEST(t.check("BO-01", "front-gate") == decision(false, "membership_required", t.bo_id));
  ok([&](char** o) { return patron_membership_add(t.db, R"({"plan":1,"customer":"BO-01"})", o); });
  BOOST_TEST(t.check("BO-01", "front-gate") == decision(true, "allowed", t.bo_id, nullptr, 2));
  BOOST_TEST(gold["id"] == 1);

  // A banned customer opens nothing.
  ok([&](char** o) { return patron_customer_ban(t.db, "BO-01", "fraud", "staff:1", o); });
  BOOST_TEST(t.check("BO-01", "front-gate") == decision(false, "banned", t.bo_id));
  BOOST_TEST(can_open("BO-01", "front-gate") == 0);

  BOOST_TEST(can_open("NOBODY-1", "spa/2") == PATRON_ENOTFOUND);
  BOOST_TEST(std::string(patron_errfield()) == "ref");
  BOOST_TEST(can_open("ANA-01", "spa/2", "later") == PATRON_EINVAL);
  BOOST_TEST(std::string(patron_errfield()) == "at");
  BOOST_TEST(can_open("ANA-01", nullptr) == PATRON_EMISUSE);
  BOOST_TEST(std::string(patron_errfield()) == "door");
  fails(PATRON_ENOTFOUND, "ref", [&](char** o) { return patron_door_check(t.db, "NOBODY-1", "spa/2", nullptr, o); });
  fails(PATRON_EINVAL, "at", [&](char** o) { return patron_door_check(t.db, "ANA-01", "spa/2", "x", o); });
}

BOOST_AUTO_TEST_CASE(opening_a_door_with_a_credential) {
  Site t;
  ok([&](char** o) {
    return patron_credential_issue(t.db, R"({"kind":"smart_card","value":"CARD-A","customer":"ANA-01"})", o);
  });
  ok([&](char** o) {
    return patron_credential_issue(t.db, R"({"kind":"key_fob","value":"FOB-B","customer":"BO-01",)"
                                         R"("valid_from":"2026-11-22T06:54:45.123456Z"})", o);
  });
  t.grant(R"({"customer":"ANA-01","door":"front-gate"})");
  t.grant(R"({"customer":"BO-01","door":"front-gate"})");

  BOOST_TEST(t.open_door("CARD-A", "front-gate") == decision(true, "allowed", t.ana_id, 1, 1));
  BOOST_TEST(t.open_door("CARD-A", "spa/2") == decision(false, "no_permission", t.ana_id, 1));
  BOOST_TEST(t.open_door("CARD-A", "back") == decision(false, "unknown_door", t.ana_id, 1));
  BOOST_TEST(t.open_door("NO-CARD", "front-gate") == decision(false, "unknown_credential", nullptr));
  // A credential that identifies nobody checks nobody.
  BOOST_TEST(t.open_door("FOB-B", "front-gate") == decision(false, "credential_not_yet_valid", nullptr, 2));
  BOOST_TEST(t.open_door("FOB-B", "front-gate", kH1Text) == decision(true, "allowed", t.bo_id, 2, 2));

  ok([&](char** o) { return patron_credential_set_status(t.db, 1, "blocked", o); });
  BOOST_TEST(t.open_door("CARD-A", "front-gate")["reason"] == "credential_blocked");
  BOOST_TEST(t.open_door("CARD-A", "front-gate")["allowed"] == false);
  ok([&](char** o) { return patron_credential_set_status(t.db, 1, "lost", o); });
  BOOST_TEST(t.open_door("CARD-A", "front-gate")["reason"] == "credential_lost");
  ok([&](char** o) { return patron_credential_set_status(t.db, 1, "active", o); });
  ok([&](char** o) { return patron_credential_replace(t.db, 1, R"({"value":"CARD-A2"})", o); });
  BOOST_TEST(t.open_door("CARD-A", "front-gate")["reason"] == "credential_replaced");
  BOOST_TEST(t.open_door("CARD-A2", "front-gate") == decision(true, "allowed", t.ana_id, 3, 1));
  ok([&](char** o) {
    return patron_credential_set_validity(t.db, 3, nullptr, "2026-11-22T06:54:45.123456Z", o);
  });
  BOOST_TEST(t.open_door("CARD-A2", "front-gate", kH1Text)["reason"] == "credential_expired");

  fails(PATRON_EINVAL, "token", [&](char** o) { return patron_door_open(t.db, "", "front-gate", nullptr, o); });
  fails(PATRON_EMISUSE, "token", [&](char** o) { return patron_door_open(t.db, nullptr, "front-gate", nullptr, o); });
  fails(PATRON_EINVAL, "at", [&](char** o) { return patron_door_open(t.db, "CARD-A2", "front-gate", "soon", o); });
}

BOOST_AUTO_TEST_SUITE_END()
