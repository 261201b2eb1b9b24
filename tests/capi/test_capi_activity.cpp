// The activity timeline through the C ABI on a file database: the exact
// JSON of events, pages and field changes, the feed, timeline filters and
// cursors, the actor of the calling thread, and every refusal with its code
// and field.
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <string>
#include <thread>

#include "capi_fixture.hpp"

using namespace capi_test;
using namespace capi_test::ticks;

namespace {

struct Timeline : AnaAndBo {
  std::int64_t base = last_id();  // the events of creating Ana and Bo come before

  std::int64_t last_id() {
    std::int64_t id = -1;
    const int rc = patron_last_event_id(db, &id);
    BOOST_TEST_REQUIRE(rc == PATRON_OK, describe_failure(rc));
    return id;
  }
  json record(const std::string& js) {
    return ok([&](char** o) { return patron_event_record(db, js.c_str(), o); });
  }
  json feed(std::int64_t after, std::size_t limit = 100) {
    return ok([&](char** o) { return patron_feed(db, after, limit, o); });
  }
  json timeline(const std::string& ref, const char* filter = nullptr, const char* before = nullptr,
                std::size_t limit = 50) {
    return ok([&](char** o) { return patron_timeline(db, ref.c_str(), filter, before, limit, o); });
  }
  json history(const std::string& ref, const char* field = nullptr) {
    return ok([&](char** o) { return patron_history(db, ref.c_str(), field, 50, 0, o); });
  }
};

// An event as patron.h documents it.
json event(std::int64_t id, const json& customer, const std::string& action, const std::string& summary,
           const json& details = json::object(), const std::string& at = kT0Text, const std::string& category = "customers",
           const std::string& type = "data", const std::string& source = "api", const std::string& actor = "") {
  return {{"id", id},           {"customer", customer}, {"at", at},         {"category", category},
          {"type", type},       {"source", source},     {"actor", actor},   {"action", action},
          {"summary", summary}, {"details", details},   {"details_erased", false}};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(capi_activity)

BOOST_AUTO_TEST_CASE(record_and_read_back_on_a_file) {
  Timeline t;
  BOOST_TEST(t.base >= 2);  // patron's own events for creating Ana and Bo
  BOOST_TEST(t.feed(t.base) == json::array());

  const json sent = t.record(R"({"customer":"ana-01","category":"customers","type":"communication",)"
                             R"("source":"integration","actor":"mailer","action":"email.sent",)"
                             R"("summary":"Welcome email sent","details":{"campaign":"welcome","step":2}})");
  BOOST_TEST(sent == event(t.base + 1, t.ana_id, "email.sent", "Welcome email sent",
                           {{"campaign", "welcome"}, {"step", 2}}, kT0Text, "customers", "communication",
                           "integration", "mailer"),
             "got " << sent.dump());

  t.now += kMinute;
  // Without a customer: about the organisation; defaults for the rest; null is as absent.
  const json org = t.record(R"({"action":"report.exported","summary":"Monthly report","details":null,"actor":null})");
  BOOST_TEST(org == event(t.base + 2, nullptr, "report.exported", "Monthly report", json::object(), kT1Text),
             "got " << org.dump());
  // A given time.
  const json past = t.record(R"({"customer":"BO-01","action":"visit","summary":"Visited","type":"visit",)"
                             R"("category":"bookings","source":"physical","at":"2026-11-21T05:54:45.123456Z"})");
  BOOST_TEST(past == event(t.base + 3, t.bo_id, "visit", "Visited", json::object(), "2026-11-21T05:54:45.123456Z",
                           "bookings", "visit", "physical"),
             "got " << past.dump());

  t.reopen();
  BOOST_TEST(t.last_id() == t.base + 3);
  BOOST_TEST(t.feed(t.base) == json::array({sent, org, past}));
  BOOST_TEST(t.feed(t.base, 2) == json::array({sent, org}));
  BOOST_TEST(t.feed(t.base + 1) == json::array({org, past}));
  BOOST_TEST(t.feed(t.base + 3) == json::array());
  // The feed from 0 holds patron's own events first.
  const json all = t.feed(0, 1000);
  BOOST_TEST(all.size() == static_cast<std::size_t>(t.base + 3));
  BOOST_TEST(all[0]["customer"] == t.ana_id);
  BOOST_TEST(all[0]["source"] == "api");
  BOOST_TEST(all[0]["details"].is_object());
}

BOOST_AUTO_TEST_CASE(record_many_is_all_or_none) {
  Timeline t;
  const json both = ok([&](char** o) {
    return patron_event_record_many(
        t.db, R"([{"customer":"ANA-01","action":"sms.sent","summary":"SMS sent","type":"communication"},)"
              R"({"customer":"BO-01","action":"scan","summary":"Card scanned","type":"scan"}])",
        o);
  });
  BOOST_TEST(both == json::array({event(t.base + 1, t.ana_id, "sms.sent", "SMS sent", json::object(), kT0Text,
                                        "customers", "communication"),
                                  event(t.base + 2, t.bo_id, "scan", "Card scanned", json::object(), kT0Text,
                                        "customers", "scan")}),
             "got " << both.dump());
  BOOST_TEST(ok([&](char** o) { return patron_event_record_many(t.db, "[]", o); }) == json::array());

  const auto refused = [&](int code, const char* field, const char* js) {
    fails(code, field, [&](char** o) { return patron_event_record_many(t.db, js, o); });
  };
  refused(PATRON_EINVAL, "[1].action",
          R"([{"action":"a","summary":"A"},{"action":"Not An Action!","summary":"B"}])");
  refused(PATRON_EINVAL, "[0].colour", R"([{"action":"a","summary":"A","colour":"red"}])");
  refused(PATRON_EINVAL, "[1].type", R"([{"action":"a","summary":"A"},{"action":"b","summary":"B","type":"x"}])");
  refused(PATRON_EINVAL, "json", R"({"action":"a","summary":"A"})");
  refused(PATRON_ENOTFOUND, "[1].customer", R"([{"action":"a","summary":"A"},{"customer":"NOBODY-1","action":"b","summary":"B"}])");
  BOOST_TEST(t.last_id() == t.base + 2);  // nothing written
}

BOOST_AUTO_TEST_CASE(timeline_pages_and_filters) {
  Timeline t;
  // Five of Ana's events a minute apart; the newest first.
  for (int i = 1; i <= 5; ++i) {
    t.now += kMinute;
    const std::string type = i % 2 == 0 ? "visit" : "communication";
    const std::string actor = i <= 2 ? "jane" : "bo";
    t.record(R"({"customer":"ANA-01","source":"staff","type":")" + type + R"(","actor":")" + actor +
             R"(","action":"step.)" + std::to_string(i) + R"(","summary":"Step )" + std::to_string(i) + R"("})");
  }
  const char* staff = R"({"sources":["staff"]})";
  const json first = t.timeline("ANA-01", staff, nullptr, 2);
  BOOST_TEST(first["events"].size() == 2U);
  BOOST_TEST(first["events"][0]["action"] == "step.5");
  BOOST_TEST(first["events"][1]["action"] == "step.4");
  BOOST_TEST_REQUIRE(first["next"].is_string());
  const std::string cursor = first["next"];
  const json second = t.timeline("ANA-01", staff, cursor.c_str(), 2);
  BOOST_TEST(second["events"][0]["action"] == "step.3");
  BOOST_TEST(second["events"][1]["action"] == "step.2");
  const std::string cursor2 = second["next"];
  const json last = t.timeline("ANA-01", staff, cursor2.c_str(), 2);
  BOOST_TEST(last["events"].size() == 1U);
  BOOST_TEST(last["events"][0]["action"] == "step.1");
  BOOST_TEST(last["next"].is_null());

  // Without a filter Ana's own creation event comes last; Bo's never.
  const json everything = t.timeline(t.ana_id);
  BOOST_TEST(everything["events"].size() > 5U);
  BOOST_TEST(everything["next"].is_null());
  for (const auto& e : everything["events"]) BOOST_TEST(e["customer"] == t.ana_id);
  BOOST_TEST(t.timeline("ANA-01", "") == everything);
  BOOST_TEST(t.timeline("ANA-01", "{}") == everything);

  const auto actions = [&](const char* filter) {
    const json page = t.timeline("ANA-01", filter);
    json out = json::array();
    for (const auto& e : page["events"]) out.push_back(e["action"]);
    return out;
  };
  BOOST_TEST(actions(R"({"types":["visit"]})") == json::array({"step.4", "step.2"}));
  BOOST_TEST(actions(R"({"actor":"jane"})") == json::array({"step.2", "step.1"}));
  BOOST_TEST(actions(R"({"text":"STEP 3"})") == json::array({"step.3"}));  // the summary, any case
  BOOST_TEST(actions(R"({"text":"step.4"})") == json::array({"step.4"}));  // the action
  BOOST_TEST(actions(R"({"sources":["staff"],"from":"2026-11-22T05:56:45.123456Z","until":"2026-11-22T05:58:45.123456Z"})") ==
             json::array({"step.3", "step.2"}));
  BOOST_TEST(actions(R"({"categories":["orders"]})") == json::array());
  BOOST_TEST(actions(R"({"categories":[],"types":[],"sources":[],"actor":"","text":""})").size() > 5U);
}

BOOST_AUTO_TEST_CASE(actor_of_the_calling_thread) {
  Timeline t;
  const char* plain = R"({"customer":"ANA-01","action":"note.read","summary":"Read"})";
  BOOST_TEST_REQUIRE(patron_actor_push("jane", nullptr) == PATRON_OK);  // source defaults to staff
  json e = t.record(plain);
  BOOST_TEST(e["actor"] == "jane");
  BOOST_TEST(e["source"] == "staff");

  BOOST_TEST_REQUIRE(patron_actor_push("sync-bot", "automated") == PATRON_OK);
  e = t.record(plain);
  BOOST_TEST(e["actor"] == "sync-bot");
  BOOST_TEST(e["source"] == "automated");
  // Given values win over the scope.
  e = t.record(R"({"action":"x","summary":"X","actor":"api-client","source":"webhook"})");
  BOOST_TEST(e["actor"] == "api-client");
  BOOST_TEST(e["source"] == "webhook");

  // Another thread has no actor.
  json other;
  std::thread([&] { other = t.record(plain); }).join();
  BOOST_TEST(other["actor"] == "");
  BOOST_TEST(other["source"] == "api");

  // patron's own events carry it: an update of Ana's profile.
  ok([&](char** o) { return patron_customer_update(t.db, "ANA-01", R"({"first_name":"Anna"})", o); });
  const json change = t.history("ANA-01", "first_name");  // newest first; the creation last
  BOOST_TEST_REQUIRE(change.size() == 2U, "got " << change.dump());
  BOOST_TEST(change[0]["actor"] == "sync-bot");
  BOOST_TEST(change[0]["source"] == "automated");

  BOOST_TEST(patron_actor_pop() == PATRON_OK);
  e = t.record(plain);
  BOOST_TEST(e["actor"] == "jane");
  BOOST_TEST(patron_actor_pop() == PATRON_OK);
  e = t.record(plain);
  BOOST_TEST(e["actor"] == "");
  BOOST_TEST(e["source"] == "api");

  BOOST_TEST(patron_actor_pop() == PATRON_EPRECONDITION);
  BOOST_TEST(std::string(patron_errfield()) == "actor");
  BOOST_TEST(patron_actor_push("jane", "butler") == PATRON_EINVAL);
  BOOST_TEST(std::string(patron_errfield()) == "source");
  BOOST_TEST(patron_actor_push(nullptr, "staff") == PATRON_EMISUSE);
  BOOST_TEST(std::string(patron_errfield()) == "actor");
  BOOST_TEST(patron_actor_pop() == PATRON_EPRECONDITION);  // the refused pushes pushed nothing

  // A thread may end with actors still pushed.
  std::thread([] { BOOST_TEST(patron_actor_push("left-over", "staff") == PATRON_OK); }).join();
  e = t.record(plain);
  BOOST_TEST(e["actor"] == "");
}

BOOST_AUTO_TEST_CASE(edit_history) {
  Timeline t;
  // Creating Ana recorded her first values.
  const json created = t.history("ANA-01", "first_name");
  BOOST_TEST_REQUIRE(created.size() == 1U, "got " << created.dump());
  const std::int64_t created_event = created[0]["event"];
  BOOST_TEST(created_event <= t.base);
  BOOST_TEST(created[0] == json({{"event", created_event},
                                 {"at", kT0Text},
                                 {"actor", ""},
                                 {"source", "api"},
                                 {"field", "first_name"},
                                 {"old", nullptr},
                                 {"new", "Ana"},
                                 {"erased", false}}),
             "got " << created.dump());
  t.now += kMinute;
  BOOST_TEST_REQUIRE(patron_actor_push("jane", "staff") == PATRON_OK);
  ok([&](char** o) { return patron_customer_update(t.db, "ANA-01", R"({"first_name":"Anna","tags":["vip"]})", o); });
  BOOST_TEST_REQUIRE(patron_actor_pop() == PATRON_OK);

  const json names = t.history("ANA-01", "first_name");
  BOOST_TEST_REQUIRE(names.size() == 2U);
  BOOST_TEST(names[1] == created[0]);
  const std::int64_t event_id = names[0]["event"];
  BOOST_TEST(event_id > t.base);
  BOOST_TEST(names[0] == json({{"event", event_id},
                               {"at", kT1Text},
                               {"actor", "jane"},
                               {"source", "staff"},
                               {"field", "first_name"},
                               {"old", "Ana"},
                               {"new", "Anna"},
                               {"erased", false}}),
             "got " << names.dump());
  const json tags = t.history("ANA-01", "tags");
  BOOST_TEST_REQUIRE(!tags.empty());
  BOOST_TEST(tags[0]["new"] == json::array({"vip"}), "got " << tags.dump());  // an embedded JSON value
  const json all = t.history(t.ana_id);
  BOOST_TEST(all.size() >= 3U);
  BOOST_TEST(all[0]["at"] == kT1Text);
  const json bo = t.history("BO-01", "first_name");
  BOOST_TEST_REQUIRE(bo.size() == 1U);
  BOOST_TEST(bo[0]["new"] == "Bo");
  BOOST_TEST(t.history("ANA-01", "") == all);
}

BOOST_AUTO_TEST_CASE(refusals) {
  Timeline t;
  const auto refused = [&](int code, const char* field, const std::string& js) {
    fails(code, field, [&](char** o) { return patron_event_record(t.db, js.c_str(), o); });
  };
  refused(PATRON_EINVAL, "json", "{");
  refused(PATRON_EINVAL, "json", "[]");
  refused(PATRON_EINVAL, "colour", R"({"action":"a","summary":"A","colour":"red"})");
  refused(PATRON_EINVAL, "category", R"({"action":"a","summary":"A","category":"food"})");
  refused(PATRON_EINVAL, "type", R"({"action":"a","summary":"A","type":"Export"})");
  refused(PATRON_EINVAL, "source", R"({"action":"a","summary":"A","source":7})");
  refused(PATRON_EINVAL, "details", R"({"action":"a","summary":"A","details":"text"})");
  refused(PATRON_EINVAL, "details", R"({"action":"a","summary":"A","details":[1]})");
  refused(PATRON_EINVAL, "at", R"({"action":"a","summary":"A","at":"yesterday"})");
  refused(PATRON_EINVAL, "action", R"({"summary":"A"})");
  refused(PATRON_EINVAL, "action", R"({"action":"Email Sent","summary":"A"})");
  refused(PATRON_EINVAL, "summary", R"({"action":"a"})");
  refused(PATRON_EINVAL, "summary", R"({"action":"a","summary":")" + std::string(501, 'x') + R"("})");
  refused(PATRON_EINVAL, "actor", R"({"action":"a","summary":"A","actor":")" + std::string(201, 'x') + R"("})");
  refused(PATRON_ENOTFOUND, "customer", R"({"customer":"NOBODY-1","action":"a","summary":"A"})");
  refused(PATRON_EINVAL, "customer", R"({"customer":"no!","action":"a","summary":"A"})");
  fails(PATRON_EMISUSE, "json", [&](char** o) { return patron_event_record(t.db, nullptr, o); });
  fails(PATRON_EMISUSE, "db", [&](char** o) { return patron_event_record(nullptr, "{}", o); });
  BOOST_TEST(t.last_id() == t.base);  // nothing written

  const auto timeline_refused = [&](int code, const char* field, const char* ref, const char* filter,
                                    const char* before, std::size_t limit) {
    fails(code, field, [&](char** o) { return patron_timeline(t.db, ref, filter, before, limit, o); });
  };
  timeline_refused(PATRON_EINVAL, "colour", "ANA-01", R"({"colour":"red"})", nullptr, 50);
  timeline_refused(PATRON_EINVAL, "categories[1]", "ANA-01", R"({"categories":["orders","food"]})", nullptr, 50);
  timeline_refused(PATRON_EINVAL, "types[0]", "ANA-01", R"({"types":[3]})", nullptr, 50);
  timeline_refused(PATRON_EINVAL, "sources[0]", "ANA-01", R"({"sources":["butler"]})", nullptr, 50);
  timeline_refused(PATRON_EINVAL, "until", "ANA-01",
                   R"({"from":"2026-11-22T05:54:45Z","until":"2026-11-22T05:54:45Z"})", nullptr, 50);
  timeline_refused(PATRON_EINVAL, "json", "ANA-01", "{", nullptr, 50);
  timeline_refused(PATRON_EINVAL, "before", "ANA-01", nullptr, "not a cursor", 50);
  timeline_refused(PATRON_EINVAL, "limit", "ANA-01", nullptr, nullptr, 0);
  timeline_refused(PATRON_EINVAL, "limit", "ANA-01", nullptr, nullptr, 1001);
  timeline_refused(PATRON_ENOTFOUND, "ref", "NOBODY-1", nullptr, nullptr, 50);
  timeline_refused(PATRON_EMISUSE, "ref", nullptr, nullptr, nullptr, 50);

  fails(PATRON_EINVAL, "limit", [&](char** o) { return patron_feed(t.db, 0, 0, o); });
  fails(PATRON_EINVAL, "limit", [&](char** o) { return patron_feed(t.db, 0, 1001, o); });
  fails(PATRON_ENOTFOUND, "ref", [&](char** o) { return patron_history(t.db, "NOBODY-1", nullptr, 50, 0, o); });
  fails(PATRON_EINVAL, "limit", [&](char** o) { return patron_history(t.db, "ANA-01", nullptr, 0, 0, o); });

  BOOST_TEST(patron_last_event_id(t.db, nullptr) == PATRON_EMISUSE);
  BOOST_TEST(std::string(patron_errfield()) == "out_id");
  std::int64_t id = 7;
  BOOST_TEST(patron_last_event_id(nullptr, &id) == PATRON_EMISUSE);
  BOOST_TEST(std::string(patron_errfield()) == "db");
}

BOOST_AUTO_TEST_SUITE_END()
