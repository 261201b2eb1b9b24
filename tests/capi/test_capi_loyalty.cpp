// Loyalty through the C ABI on a file database: programs and tiers, the
// exact JSON of the ledger (earn, redeem, adjust, reverse, transfer,
// expire), idempotent replays and conflicting reuse of a key, batches that
// are all or nothing, tiers of customers, rewards, and every refusal with
// its code and field.
#include <boost/test/unit_test.hpp>

#include <algorithm>
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

constexpr std::int64_t kDay = 24 * kHour;

// A database holding Ana ("ANA-01") and Bo ("BO-01"), and the program
// "stars" (1 point per 100 GBP minor units, rounded down, never expiring).
struct Loyalty : AnaAndBo {
  json stars = program_create(R"({"id":"stars","name":"Stars","currency":"GBP"})");

  json program_create(const std::string& definition) {
    return ok([&](char** o) { return patron_loyalty_program_create(db, definition.c_str(), o); });
  }
  json program_update(const std::string& definition) {
    return ok([&](char** o) { return patron_loyalty_program_update(db, definition.c_str(), o); });
  }
  json program(const char* id) {
    return ok([&](char** o) { return patron_loyalty_program_get(db, id, o); });
  }
  json programs() {
    return ok([&](char** o) { return patron_loyalty_program_list(db, o); });
  }
  json tier_save(const std::string& definition) {
    return ok([&](char** o) { return patron_loyalty_tier_save(db, definition.c_str(), o); });
  }
  json tiers(const char* program = "stars") {
    return ok([&](char** o) { return patron_loyalty_tier_list(db, program, o); });
  }
  json earn(const std::string& request) {
    return ok([&](char** o) { return patron_points_earn(db, request.c_str(), o); });
  }
  json earn_many(const std::string& requests) {
    return ok([&](char** o) { return patron_points_earn_many(db, requests.c_str(), o); });
  }
  json redeem(const std::string& request) {
    return ok([&](char** o) { return patron_points_redeem(db, request.c_str(), o); });
  }
  json redeem_many(const std::string& requests) {
    return ok([&](char** o) { return patron_points_redeem_many(db, requests.c_str(), o); });
  }
  json adjust(const std::string& request) {
    return ok([&](char** o) { return patron_points_adjust(db, request.c_str(), o); });
  }
  json reverse(std::int64_t entry, std::int64_t points, const char* key, const char* reason = nullptr) {
    return ok([&](char** o) { return patron_points_reverse(db, entry, points, key, reason, o); });
  }
  json transfer(const std::string& request) {
    return ok([&](char** o) { return patron_points_transfer(db, request.c_str(), o); });
  }
  json expire(const char* at = nullptr, const char* program = "stars") {
    return ok([&](char** o) { return patron_points_expire(db, program, at, o); });
  }
  json account(const char* ref, const char* program = "stars") {
    return ok([&](char** o) { return patron_points_account(db, ref, program, o); });
  }
  json accounts(const char* ref) {
    return ok([&](char** o) { return patron_points_accounts(db, ref, o); });
  }
  json entry(std::int64_t id) {
    return ok([&](char** o) { return patron_points_entry(db, id, o); });
  }
  json entries(const char* ref, std::size_t limit = 50, std::size_t offset = 0, const char* program = "stars") {
    return ok([&](char** o) { return patron_points_entries(db, ref, program, limit, offset, o); });
  }
  json lots(const char* ref) {
    return ok([&](char** o) { return patron_points_lots(db, ref, "stars", o); });
  }
  json tier_of(const char* ref) {
    return ok([&](char** o) { return patron_loyalty_tier_of(db, ref, "stars", o); });
  }
  json tier_at(const char* ref, const char* at) {
    return ok([&](char** o) { return patron_loyalty_tier_at(db, ref, "stars", at, o); });
  }
  json progress(const char* ref) {
    return ok([&](char** o) { return patron_loyalty_progress(db, ref, "stars", o); });
  }
  json tier_history(const char* ref) {
    return ok([&](char** o) { return patron_loyalty_tier_history(db, ref, "stars", o); });
  }
  json evaluate(const char* at = nullptr) {
    return ok([&](char** o) { return patron_loyalty_evaluate_tiers(db, "stars", at, o); });
  }
  json reward_save(const std::string& definition) {
    return ok([&](char** o) { return patron_reward_save(db, definition.c_str(), o); });
  }
  json reward(const char* id) {
    return ok([&](char** o) { return patron_reward_get(db, id, o); });
  }
  json rewards(const char* active_at = nullptr) {
    return ok([&](char** o) { return patron_reward_list(db, "stars", active_at, o); });
  }
  json redeem_reward(const char* ref, const char* reward, const char* key) {
    return ok([&](char** o) { return patron_reward_redeem(db, ref, reward, key, o); });
  }
  json available(const char* ref) {
    return ok([&](char** o) { return patron_reward_available(db, ref, "stars", o); });
  }
  json redemptions(const char* ref, std::size_t limit = 50, std::size_t offset = 0) {
    return ok([&](char** o) { return patron_reward_redemptions(db, ref, "stars", limit, offset, o); });
  }
  std::size_t entry_count(const char* ref) { return entries(ref, 1000).size(); }
};

// An earn request by points.
std::string earn_points(const std::string& customer, std::int64_t points, const std::string& key,
                        const std::string& reference = "") {
  return json{{"customer", customer},
              {"program", "stars"},
              {"points", points},
              {"idempotency_key", key},
              {"reference", reference}}
      .dump();
}

// An earn request by amount (the program's currency).
std::string earn_amount(const std::string& customer, std::int64_t amount, const std::string& key) {
  return json{{"customer", customer}, {"program", "stars"}, {"amount", amount}, {"idempotency_key", key}}.dump();
}

std::string redeem_points(const std::string& customer, std::int64_t points, const std::string& key,
                          const std::string& reference = "") {
  return json{{"customer", customer},
              {"program", "stars"},
              {"points", points},
              {"idempotency_key", key},
              {"reference", reference}}
      .dump();
}

// An entry as patron.h documents it: an earn by points unless changed.
json entry_json(std::int64_t id, const std::string& customer, const std::string& kind, std::int64_t points,
                std::int64_t balance_after, const std::string& key, const std::string& at = kT0Text) {
  return {{"id", id},
          {"customer", customer},
          {"program", "stars"},
          {"kind", kind},
          {"points", points},
          {"balance_after", balance_after},
          {"amount", nullptr},
          {"currency", ""},
          {"pending_until", nullptr},
          {"expires_at", nullptr},
          {"reverses", nullptr},
          {"reversed", 0},
          {"counterpart", nullptr},
          {"reward", nullptr},
          {"qualifying", kind == "earn"},
          {"reference", ""},
          {"reason", ""},
          {"idempotency_key", key},
          {"actor", ""},
          {"at", at}};
}

json account_json(const std::string& customer, std::int64_t balance, std::int64_t pending = 0, std::int64_t expired = 0,
                  const json& tier = nullptr) {
  return {{"customer", customer}, {"program", "stars"}, {"balance", balance},
          {"pending", pending},   {"expired", expired}, {"spendable", balance - pending - expired},
          {"tier", tier}};
}

json program_json(const std::string& id, const std::string& name, const std::string& at = kT0Text) {
  return {{"id", id},
          {"name", name},
          {"points_name", "points"},
          {"currency", "GBP"},
          {"earn_points", 1},
          {"per_amount", 100},
          {"rounding", "down"},
          {"expiry_months", nullptr},
          {"redemption_order", "soonest_expiring"},
          {"tier_window_months", 12},
          {"created_at", at},
          {"updated_at", at}};
}

json tier_json(const std::string& id, const std::string& name, std::int64_t threshold, std::int64_t multiplier = 100,
               const std::string& benefits = "") {
  return {{"program", "stars"},
          {"id", id},
          {"name", name},
          {"threshold", threshold},
          {"earn_multiplier_percent", multiplier},
          {"benefits", benefits}};
}

// The actions of the customer's timeline events in `category`, newest first.
std::vector<std::string> actions(patron_db* db, const char* ref, const std::string& category = "payments") {
  const json page = ok([&](char** o) { return patron_timeline(db, ref, nullptr, nullptr, 100, o); });
  std::vector<std::string> out;
  for (const auto& e : page["events"]) {
    if (e["category"] == category) out.push_back(e["action"]);
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(capi_loyalty)

BOOST_AUTO_TEST_CASE(programs) {
  Loyalty t;
  BOOST_TEST(t.stars == program_json("stars", "Stars"), "got " << t.stars.dump());
  t.now += kMinute;
  const json full = t.program_create(R"({"id":"club:2","name":"Club","points_name":"stars","currency":"eur",
      "earn_points":3,"per_amount":250,"rounding":"nearest","expiry_months":24,
      "redemption_order":"oldest_earned","tier_window_months":6})");
  json expected = program_json("club:2", "Club", kT1Text);
  expected["points_name"] = "stars";
  expected["currency"] = "EUR";
  expected["earn_points"] = 3;
  expected["per_amount"] = 250;
  expected["rounding"] = "nearest";
  expected["expiry_months"] = 24;
  expected["redemption_order"] = "oldest_earned";
  expected["tier_window_months"] = 6;
  BOOST_TEST(full == expected, "got " << full.dump());

  t.reopen();
  BOOST_TEST(t.program("stars") == t.stars);
  BOOST_TEST(t.program("club:2") == full);
  BOOST_TEST(t.programs() == json::array({full, t.stars}));  // by id

  // An update replaces everything but the id; null is the same as leaving a key out.
  t.now += kMinute;
  const json updated = t.program_update(R"({"id":"stars","name":"Stars+","currency":"GBP","earn_points":2,
      "expiry_months":null,"rounding":"up"})");
  json stars = program_json("stars", "Stars+");
  stars["earn_points"] = 2;
  stars["rounding"] = "up";
  stars["updated_at"] = "2026-11-22T05:56:45.123456Z";
  BOOST_TEST(updated == stars, "got " << updated.dump());
  BOOST_TEST(t.program("stars") == stars);

  fails(PATRON_EEXIST, "id", [&](char** o) {
    return patron_loyalty_program_create(t.db, R"({"id":"stars","name":"Again","currency":"GBP"})", o);
  });
  fails(PATRON_ENOTFOUND, "id", [&](char** o) {
    return patron_loyalty_program_update(t.db, R"({"id":"nope","name":"Nope","currency":"GBP"})", o);
  });
  fails(PATRON_ENOTFOUND, "program", [&](char** o) { return patron_loyalty_program_get(t.db, "nope", o); });

  const auto refused = [&](const char* field, const std::string& definition) {
    fails(PATRON_EINVAL, field, [&](char** o) { return patron_loyalty_program_create(t.db, definition.c_str(), o); });
  };
  refused("json", "{");
  refused("json", "[]");
  refused("colour", R"({"id":"p","name":"P","currency":"GBP","colour":"red"})");
  refused("id", R"({"id":"bad id","name":"P","currency":"GBP"})");
  refused("id", R"({"name":"P","currency":"GBP"})");
  refused("id", R"({"id":")" + std::string(65, 'p') + R"(","name":"P","currency":"GBP"})");
  refused("name", R"({"id":"p","name":"","currency":"GBP"})");
  refused("name", R"({"id":"p","name":")" + std::string(201, 'n') + R"(","currency":"GBP"})");
  refused("points_name", R"({"id":"p","name":"P","currency":"GBP","points_name":""})");
  refused("currency", R"({"id":"p","name":"P","currency":"XX"})");
  refused("currency", R"({"id":"p","name":"P"})");
  refused("earn_points", R"({"id":"p","name":"P","currency":"GBP","earn_points":0})");
  refused("earn_points", R"({"id":"p","name":"P","currency":"GBP","earn_points":1000001})");
  refused("earn_points", R"({"id":"p","name":"P","currency":"GBP","earn_points":1.5})");
  refused("per_amount", R"({"id":"p","name":"P","currency":"GBP","per_amount":0})");
  refused("per_amount", R"({"id":"p","name":"P","currency":"GBP","per_amount":1000000001})");
  refused("rounding", R"({"id":"p","name":"P","currency":"GBP","rounding":"sideways"})");
  refused("expiry_months", R"({"id":"p","name":"P","currency":"GBP","expiry_months":0})");
  refused("expiry_months", R"({"id":"p","name":"P","currency":"GBP","expiry_months":1201})");
  refused("expiry_months", R"({"id":"p","name":"P","currency":"GBP","expiry_months":10000000000})");
  refused("redemption_order", R"({"id":"p","name":"P","currency":"GBP","redemption_order":"newest"})");
  refused("tier_window_months", R"({"id":"p","name":"P","currency":"GBP","tier_window_months":0})");
  refused("tier_window_months", R"({"id":"p","name":"P","currency":"GBP","tier_window_months":121})");
  fails(PATRON_EINVAL, "name", [&](char** o) {
    return patron_loyalty_program_update(t.db, R"({"id":"stars","name":"","currency":"GBP"})", o);
  });
  BOOST_TEST(t.programs() == json::array({full, stars}));

  fails(PATRON_EMISUSE, "db", [&](char** o) { return patron_loyalty_program_list(nullptr, o); });
  fails(PATRON_EMISUSE, "json", [&](char** o) { return patron_loyalty_program_create(t.db, nullptr, o); });
  fails(PATRON_EMISUSE, "json", [&](char** o) { return patron_loyalty_program_update(t.db, nullptr, o); });
  fails(PATRON_EMISUSE, "program", [&](char** o) { return patron_loyalty_program_get(t.db, nullptr, o); });
  BOOST_TEST(patron_loyalty_program_list(t.db, nullptr) == PATRON_EMISUSE);
  BOOST_TEST(patron_errfield() == std::string("out_json"));
}

BOOST_AUTO_TEST_CASE(tier_definitions) {
  Loyalty t;
  BOOST_TEST(t.tiers() == json::array());
  const json gold = t.tier_save(R"({"program":"stars","id":"gold","name":"Gold","threshold":1000,
      "earn_multiplier_percent":150,"benefits":"lounge"})");
  BOOST_TEST(gold == tier_json("gold", "Gold", 1000, 150, "lounge"), "got " << gold.dump());
  const json silver = t.tier_save(R"({"program":"stars","id":"silver","name":"Silver","threshold":500})");
  BOOST_TEST(silver == tier_json("silver", "Silver", 500));
  t.reopen();
  BOOST_TEST(t.tiers() == json::array({silver, gold}));  // by threshold
  // Saving again replaces.
  const json gold2 = t.tier_save(R"({"program":"stars","id":"gold","name":"Gold","threshold":2000})");
  BOOST_TEST(t.tiers() == json::array({silver, gold2}));

  const auto refused = [&](int code, const char* field, const std::string& definition) {
    fails(code, field, [&](char** o) { return patron_loyalty_tier_save(t.db, definition.c_str(), o); });
  };
  refused(PATRON_EINVAL, "json", "{");
  refused(PATRON_EINVAL, "perks", R"({"program":"stars","id":"x","name":"X","perks":""})");
  refused(PATRON_ENOTFOUND, "program", R"({"program":"nope","id":"x","name":"X"})");
  refused(PATRON_EINVAL, "id", R"({"program":"stars","id":"x y","name":"X"})");
  refused(PATRON_EINVAL, "name", R"({"program":"stars","id":"x","name":""})");
  refused(PATRON_EINVAL, "threshold", R"({"program":"stars","id":"x","name":"X","threshold":-1})");
  refused(PATRON_EINVAL, "threshold", R"({"program":"stars","id":"x","name":"X","threshold":1000000000001})");
  refused(PATRON_EINVAL, "earn_multiplier_percent",
          R"({"program":"stars","id":"x","name":"X","earn_multiplier_percent":10001})");
  refused(PATRON_EINVAL, "benefits",
          R"({"program":"stars","id":"x","name":"X","benefits":")" + std::string(2001, 'b') + R"("})");
  // Thresholds are unique within a program.
  refused(PATRON_EEXIST, "threshold", R"({"program":"stars","id":"x","name":"X","threshold":500})");
  refused(PATRON_EEXIST, "threshold", R"({"program":"stars","id":"silver","name":"Silver","threshold":2000})");
  BOOST_TEST(t.tiers() == json::array({silver, gold2}));

  BOOST_TEST_REQUIRE(patron_loyalty_tier_remove(t.db, "stars", "silver") == PATRON_OK);
  BOOST_TEST(t.tiers() == json::array({gold2}));
  refused_call(PATRON_ENOTFOUND, "tier", [&] { return patron_loyalty_tier_remove(t.db, "stars", "silver"); });
  refused_call(PATRON_ENOTFOUND, "program", [&] { return patron_loyalty_tier_remove(t.db, "nope", "gold"); });
  fails(PATRON_ENOTFOUND, "program", [&](char** o) { return patron_loyalty_tier_list(t.db, "nope", o); });

  // A tier that accounts hold stays.
  t.earn(earn_points("ANA-01", 2000, "e1"));
  BOOST_TEST(t.account("ANA-01")["tier"] == "gold");
  refused_call(PATRON_EPRECONDITION, "tier", [&] { return patron_loyalty_tier_remove(t.db, "stars", "gold"); });
  BOOST_TEST(t.tiers() == json::array({gold2}));

  refused_call(PATRON_EMISUSE, "program", [&] { return patron_loyalty_tier_remove(t.db, nullptr, "gold"); });
  refused_call(PATRON_EMISUSE, "tier", [&] { return patron_loyalty_tier_remove(t.db, "stars", nullptr); });
  fails(PATRON_EMISUSE, "json", [&](char** o) { return patron_loyalty_tier_save(t.db, nullptr, o); });
  fails(PATRON_EMISUSE, "program", [&](char** o) { return patron_loyalty_tier_list(t.db, nullptr, o); });
}

BOOST_AUTO_TEST_CASE(earn_and_redeem_on_a_file) {
  Loyalty t;
  BOOST_TEST(t.account("ANA-01") == account_json(t.ana_id, 0));
  BOOST_TEST(t.accounts("ANA-01") == json::array());
  BOOST_TEST(t.entries("ANA-01") == json::array());
  BOOST_TEST(t.lots("ANA-01") == json::array());

  // By amount: 1 point per 100 minor units, rounded down.
  const json earned = t.earn(earn_amount("ana-01", 1099, "till-1/1"));
  json expected = entry_json(1, t.ana_id, "earn", 10, 10, "till-1/1");
  expected["amount"] = 1099;
  expected["currency"] = "GBP";
  BOOST_TEST(earned == expected, "got " << earned.dump());

  t.now += kMinute;
  // By points, with a reference; null is the same as leaving a key out.
  const json given = t.earn(R"({"customer":")" + t.ana_id + R"(","program":"stars","points":25,"amount":null,
      "idempotency_key":"till-1/2","reference":"R-2","pending_until":null})");
  expected = entry_json(2, t.ana_id, "earn", 25, 35, "till-1/2", kT1Text);
  expected["reference"] = "R-2";
  BOOST_TEST(given == expected, "got " << given.dump());

  t.now += kMinute;
  BOOST_TEST_REQUIRE(patron_actor_push("jane", nullptr) == PATRON_OK);
  const json redeemed = t.redeem(redeem_points("ANA-01", 30, "till-1/3", "R-3"));
  BOOST_TEST_REQUIRE(patron_actor_pop() == PATRON_OK);
  expected = entry_json(3, t.ana_id, "redeem", -30, 5, "till-1/3", "2026-11-22T05:56:45.123456Z");
  expected["reference"] = "R-3";
  expected["actor"] = "jane";
  BOOST_TEST(redeemed == expected, "got " << redeemed.dump());

  t.reopen();
  BOOST_TEST(t.entry(1) == earned);
  BOOST_TEST(t.entry(2) == given);
  BOOST_TEST(t.entry(3) == redeemed);
  BOOST_TEST(t.account("ANA-01") == account_json(t.ana_id, 5), "got " << t.account("ANA-01").dump());
  BOOST_TEST(t.accounts(t.ana_id.c_str()) == json::array({account_json(t.ana_id, 5)}));
  // Newest first, paged.
  BOOST_TEST(t.entries("ANA-01") == json::array({redeemed, given, earned}));
  BOOST_TEST(t.entries("ANA-01", 1, 1) == json::array({given}));
  BOOST_TEST(t.entries("ANA-01", 10, 3) == json::array());
  // Soonest-expiring first; none expire, so oldest first: the first lot was spent.
  const json lots = t.lots("ANA-01");
  BOOST_TEST_REQUIRE(lots.size() == 1U, "got " << lots.dump());
  BOOST_TEST(lots[0] == json({{"id", lots[0]["id"]},
                              {"entry", 2},
                              {"points", 25},
                              {"remaining", 5},
                              {"earned_at", kT1Text},
                              {"pending_until", nullptr},
                              {"expires_at", nullptr}}),
             "got " << lots.dump());
  // Others are untouched.
  BOOST_TEST(t.account("BO-01") == account_json(t.bo_id, 0));
  BOOST_TEST(t.accounts("BO-01") == json::array());

  BOOST_TEST(actions(t.db, "ANA-01") == (std::vector<std::string>{"points.redeemed", "points.earned", "points.earned"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(typed_earn_and_redeem_for_tills) {
  Loyalty t;
  std::int64_t entry = 0, points = 0, balance = 0;
  // By amount (the program's currency when NULL), then by points.
  BOOST_TEST(patron_points_earn_typed(t.db, "ANA-01", "stars", 0, 1099, nullptr, "R-1", "k1", &entry, &points,
                                      &balance) == PATRON_OK);
  BOOST_TEST(entry == 1);
  BOOST_TEST(points == 10);
  BOOST_TEST(balance == 10);
  json expected = entry_json(1, t.ana_id, "earn", 10, 10, "k1");
  expected["amount"] = 1099;
  expected["currency"] = "GBP";
  expected["reference"] = "R-1";
  BOOST_TEST(t.entry(1) == expected, "got " << t.entry(1).dump());
  BOOST_TEST(patron_points_earn_typed(t.db, t.ana_id.c_str(), "stars", 25, 0, nullptr, nullptr, "k2", &entry, nullptr,
                                      &balance) == PATRON_OK);
  BOOST_TEST(entry == 2);
  BOOST_TEST(balance == 35);
  BOOST_TEST(patron_points_redeem_typed(t.db, "ANA-01", "stars", 30, "till-7", "k3", &entry, &points, &balance) ==
             PATRON_OK);
  BOOST_TEST(entry == 3);
  BOOST_TEST(points == -30);
  BOOST_TEST(balance == 5);
  // A replayed key answers with the original entry and writes nothing.
  BOOST_TEST(patron_points_redeem_typed(t.db, "ANA-01", "stars", 30, "till-7", "k3", &entry, &points, &balance) ==
             PATRON_OK);
  BOOST_TEST(entry == 3);
  BOOST_TEST(balance == 5);
  BOOST_TEST(patron_points_earn_typed(t.db, "ANA-01", "stars", 25, 0, nullptr, nullptr, "k2", nullptr, nullptr,
                                      nullptr) == PATRON_OK);
  BOOST_TEST(t.entries("ANA-01").size() == 3u);

  // Each refusal with its code and field.
  refused_call(PATRON_ECONFLICT, "idempotency_key", [&] {
    return patron_points_redeem_typed(t.db, "ANA-01", "stars", 1, "till-7", "k3", nullptr, nullptr, nullptr);
  });
  refused_call(PATRON_EPRECONDITION, "points", [&] {
    return patron_points_redeem_typed(t.db, "ANA-01", "stars", 6, nullptr, "k4", nullptr, nullptr, nullptr);
  });
  BOOST_TEST(std::string(patron_errmsg()).find("only 5") != std::string::npos, patron_errmsg());
  refused_call(PATRON_EINVAL, "points", [&] {
    return patron_points_earn_typed(t.db, "ANA-01", "stars", 5, 500, nullptr, nullptr, "k4", nullptr, nullptr,
                                    nullptr);
  });
  refused_call(PATRON_EINVAL, "points", [&] {
    return patron_points_earn_typed(t.db, "ANA-01", "stars", 0, 0, nullptr, nullptr, "k4", nullptr, nullptr, nullptr);
  });
  refused_call(PATRON_EINVAL, "amount", [&] {
    return patron_points_earn_typed(t.db, "ANA-01", "stars", 0, -1, nullptr, nullptr, "k4", nullptr, nullptr, nullptr);
  });
  refused_call(PATRON_EPRECONDITION, "currency", [&] {
    return patron_points_earn_typed(t.db, "ANA-01", "stars", 0, 500, "EUR", nullptr, "k4", nullptr, nullptr, nullptr);
  });
  refused_call(PATRON_ENOTFOUND, "customer", [&] {
    return patron_points_earn_typed(t.db, "NOBODY-9", "stars", 5, 0, nullptr, nullptr, "k4", nullptr, nullptr,
                                    nullptr);
  });
  refused_call(PATRON_ENOTFOUND, "program", [&] {
    return patron_points_redeem_typed(t.db, "ANA-01", "moons", 1, nullptr, "k4", nullptr, nullptr, nullptr);
  });
  refused_call(PATRON_EINVAL, "idempotency_key", [&] {
    return patron_points_redeem_typed(t.db, "ANA-01", "stars", 1, nullptr, "", nullptr, nullptr, nullptr);
  });
  refused_call(PATRON_EMISUSE, "customer", [&] {
    return patron_points_earn_typed(t.db, nullptr, "stars", 5, 0, nullptr, nullptr, "k4", nullptr, nullptr, nullptr);
  });
  refused_call(PATRON_EMISUSE, "idempotency_key", [&] {
    return patron_points_redeem_typed(t.db, "ANA-01", "stars", 1, nullptr, nullptr, nullptr, nullptr, nullptr);
  });
  BOOST_TEST(t.entries("ANA-01").size() == 3u);
  BOOST_TEST(t.account("ANA-01")["balance"] == 5);
}

BOOST_AUTO_TEST_CASE(expiring_and_pending_points) {
  Loyalty t;
  t.program_create(R"({"id":"club","name":"Club","currency":"GBP","expiry_months":1})");
  const auto club_earn = [&](std::int64_t points, const std::string& key, const json& pending_until = nullptr) {
    return t.earn(json{
        {"customer", "ANA-01"},
        {"program", "club"},
        {"points", points},
        {"pending_until", pending_until},
        {"idempotency_key",
         key}}.dump());
  };
  const auto club_account = [&] { return t.account("ANA-01", "club"); };
  const json first = club_earn(100, "c1");
  BOOST_TEST(first["expires_at"] == "2026-12-22T05:54:45.123456Z", "got " << first.dump());
  BOOST_TEST(first["pending_until"] == nullptr);
  // Locked for an hour: not spendable until then; it expires a month after it is released.
  const json locked = club_earn(40, "c2", kH1Text);
  BOOST_TEST(locked["pending_until"] == kH1Text);
  BOOST_TEST(locked["expires_at"] == "2026-12-22T06:54:45.123456Z", "got " << locked.dump());
  json acct = club_account();
  BOOST_TEST(acct["balance"] == 140);
  BOOST_TEST(acct["pending"] == 40);
  BOOST_TEST(acct["spendable"] == 100, "got " << acct.dump());
  const Failure f = fails(PATRON_EPRECONDITION, "points", [&](char** o) {
    const std::string r = R"({"customer":"ANA-01","program":"club","points":101,"idempotency_key":"r1"})";
    return patron_points_redeem(t.db, r.c_str(), o);
  });
  BOOST_TEST(f.message.find("100") != std::string::npos, f.message);  // the spendable points
  t.now += kHour + kMinute;
  BOOST_TEST(club_account()["spendable"] == 140);
  BOOST_TEST(club_account()["pending"] == 0);

  // Past the first lot's expiry: counted as expired until expire() writes it off.
  BOOST_TEST(t.expire(nullptr, "club") == json({{"accounts", 0}, {"lots", 0}, {"points", 0}}));
  t.now += 30 * kDay - 30 * kMinute;  // between the two lots' expiry
  acct = club_account();
  BOOST_TEST(acct == json({{"customer", t.ana_id},
                           {"program", "club"},
                           {"balance", 140},
                           {"pending", 0},
                           {"expired", 100},
                           {"spendable", 40},
                           {"tier", nullptr}}),
             "got " << acct.dump());
  BOOST_TEST(t.expire(nullptr, "club") == json({{"accounts", 1}, {"lots", 1}, {"points", 100}}));
  BOOST_TEST(club_account()["balance"] == 40);
  BOOST_TEST(club_account()["expired"] == 0);
  const json written_off = t.entries("ANA-01", 1, 0, "club")[0];
  BOOST_TEST(written_off["kind"] == "expire");
  BOOST_TEST(written_off["points"] == -100);
  BOOST_TEST(written_off["balance_after"] == 40);
  // Nothing left to expire; an explicit time past the second lot's expiry takes it.
  BOOST_TEST(t.expire(nullptr, "club") == json({{"accounts", 0}, {"lots", 0}, {"points", 0}}));
  BOOST_TEST(t.expire("2027-01-01T00:00:00.000000Z", "club") == json({{"accounts", 1}, {"lots", 1}, {"points", 40}}));
  BOOST_TEST(club_account()["balance"] == 0);
  BOOST_TEST(actions(t.db, "ANA-01")[0] == "points.expired");

  fails(PATRON_EINVAL, "at", [&](char** o) { return patron_points_expire(t.db, "club", "yesterday", o); });
  fails(PATRON_ENOTFOUND, "program", [&](char** o) { return patron_points_expire(t.db, "nope", nullptr, o); });
  fails(PATRON_EMISUSE, "program", [&](char** o) { return patron_points_expire(t.db, nullptr, nullptr, o); });
}

BOOST_AUTO_TEST_CASE(idempotent_replay_and_conflict) {
  Loyalty t;
  const json earned = t.earn(earn_points("ANA-01", 100, "k-1", "R-1"));
  t.now += kMinute;
  // The same key and request: the original entry, nothing written.
  BOOST_TEST(t.earn(earn_points("ANA-01", 100, "k-1", "R-1")) == earned);
  BOOST_TEST(t.earn(earn_points(t.ana_id, 100, "k-1", "R-1")) == earned);  // the same customer, named otherwise
  const json redeemed = t.redeem(redeem_points("ANA-01", 10, "k-2"));
  BOOST_TEST(t.redeem(redeem_points("ANA-01", 10, "k-2")) == redeemed);
  const json reversed = t.reverse(earned["id"], 5, "k-3");
  BOOST_TEST(t.reverse(earned["id"], 5, "k-3") == reversed);
  const json reward = t.reward_save(R"({"id":"coffee","program":"stars","name":"Coffee","cost":20})");
  const json coffee = t.redeem_reward("ANA-01", "coffee", "k-4");
  BOOST_TEST(t.redeem_reward("ANA-01", "coffee", "k-4") == coffee);
  BOOST_TEST(t.account("ANA-01")["balance"] == 65);
  BOOST_TEST(t.entry_count("ANA-01") == 4U);

  const auto conflict = [&](const std::function<int(char**)>& call) {
    fails(PATRON_ECONFLICT, "idempotency_key", call);
  };
  const auto earn_conflict = [&](const std::string& js) {
    conflict([&](char** o) { return patron_points_earn(t.db, js.c_str(), o); });
  };
  earn_conflict(earn_points("ANA-01", 101, "k-1", "R-1"));
  earn_conflict(earn_points("ANA-01", 100, "k-1", "R-9"));
  earn_conflict(earn_points("BO-01", 100, "k-1", "R-1"));
  earn_conflict(earn_amount("ANA-01", 10000, "k-1"));
  earn_conflict(earn_points("ANA-01", 10, "k-2"));  // a redeem's key
  const std::string as_redeem = redeem_points("ANA-01", 100, "k-1", "R-1");
  conflict([&](char** o) { return patron_points_redeem(t.db, as_redeem.c_str(), o); });
  conflict([&](char** o) { return patron_points_reverse(t.db, earned["id"], 6, "k-3", nullptr, o); });
  conflict([&](char** o) { return patron_points_reverse(t.db, earned["id"], 5, "k-1", nullptr, o); });
  conflict([&](char** o) { return patron_reward_redeem(t.db, "BO-01", "coffee", "k-4", o); });
  conflict([&](char** o) { return patron_reward_redeem(t.db, "ANA-01", "coffee", "k-1", o); });
  BOOST_TEST(t.account("ANA-01")["balance"] == 65);
  BOOST_TEST(t.entry_count("ANA-01") == 4U);
  BOOST_TEST(t.accounts("BO-01") == json::array());
  BOOST_TEST(reward["cost"] == 20);
}

BOOST_AUTO_TEST_CASE(batches_are_all_or_nothing) {
  Loyalty t;
  const json earned = t.earn_many(
      json::array({json::parse(earn_points("ANA-01", 100, "b1")), json::parse(earn_amount("BO-01", 2550, "b2"))})
          .dump());
  BOOST_TEST_REQUIRE(earned.size() == 2U, "got " << earned.dump());
  BOOST_TEST(earned[0] == entry_json(1, t.ana_id, "earn", 100, 100, "b1"), "got " << earned.dump());
  json bo = entry_json(2, t.bo_id, "earn", 25, 25, "b2");
  bo["amount"] = 2550;
  bo["currency"] = "GBP";
  BOOST_TEST(earned[1] == bo, "got " << earned.dump());
  BOOST_TEST(t.earn_many("[]") == json::array());

  const json redeemed = t.redeem_many(
      json::array({json::parse(redeem_points("ANA-01", 60, "b3")), json::parse(redeem_points("ANA-01", 40, "b4"))})
          .dump());
  BOOST_TEST_REQUIRE(redeemed.size() == 2U);
  BOOST_TEST(redeemed[0] == entry_json(3, t.ana_id, "redeem", -60, 40, "b3"), "got " << redeemed.dump());
  BOOST_TEST(redeemed[1] == entry_json(4, t.ana_id, "redeem", -40, 0, "b4"), "got " << redeemed.dump());

  // A refusal names the element; nothing of the batch is written.
  const auto earn_refused = [&](int code, const char* field, const json& batch) {
    fails(code, field, [&](char** o) { return patron_points_earn_many(t.db, batch.dump().c_str(), o); });
  };
  const json good = json::parse(earn_points("BO-01", 5, "b5"));
  earn_refused(PATRON_EINVAL, "[1].points", json::array({good, json::parse(earn_points("ANA-01", 0, "b6"))}));
  earn_refused(PATRON_ENOTFOUND, "[1].customer", json::array({good, json::parse(earn_points("NOBODY", 1, "b6"))}));
  earn_refused(PATRON_EINVAL, "[0].tip", json::array({json{{"tip", 1}}, good}));
  earn_refused(PATRON_EINVAL, "[1].points",
               json::array({good, json{{"customer", "ANA-01"}, {"program", "stars"}, {"idempotency_key", "b6"}}}));
  earn_refused(PATRON_EINVAL, "json", json::object());
  fails(PATRON_EINVAL, "json", [&](char** o) { return patron_points_earn_many(t.db, "[", o); });
  const auto redeem_refused = [&](int code, const char* field, const json& batch) {
    fails(code, field, [&](char** o) { return patron_points_redeem_many(t.db, batch.dump().c_str(), o); });
  };
  // Each is affordable alone; together they are not.
  redeem_refused(
      PATRON_EPRECONDITION, "[1].points",
      json::array({json::parse(redeem_points("BO-01", 20, "b7")), json::parse(redeem_points("BO-01", 20, "b8"))}));
  redeem_refused(PATRON_EINVAL, "[0].points", json::array({json::parse(redeem_points("BO-01", -1, "b7"))}));
  BOOST_TEST(t.account("BO-01") == account_json(t.bo_id, 25));
  BOOST_TEST(t.entry_count("BO-01") == 1U);

  fails(PATRON_EMISUSE, "json_array", [&](char** o) { return patron_points_earn_many(t.db, nullptr, o); });
  fails(PATRON_EMISUSE, "json_array", [&](char** o) { return patron_points_redeem_many(t.db, nullptr, o); });
}

BOOST_AUTO_TEST_CASE(adjustments_need_a_reason_and_an_actor) {
  Loyalty t;
  const std::string grant =
      R"({"customer":"ANA-01","program":"stars","points":50,"reason":"goodwill","actor":"jane",
          "idempotency_key":"a1"})";
  const json granted = t.adjust(grant);
  json expected = entry_json(1, t.ana_id, "adjust", 50, 50, "a1");
  expected["reason"] = "goodwill";
  expected["actor"] = "jane";
  BOOST_TEST(granted == expected, "got " << granted.dump());
  BOOST_TEST(t.adjust(grant) == granted);

  // The pushed actor serves when the document names none; qualifying counts for tiers.
  BOOST_TEST_REQUIRE(patron_actor_push("sam", nullptr) == PATRON_OK);
  const json taken =
      t.adjust(R"({"customer":"ANA-01","program":"stars","points":-20,"reason":"typo","idempotency_key":"a2"})");
  const json qualifying = t.adjust(
      R"({"customer":"ANA-01","program":"stars","points":5,"reason":"bonus","qualifying":true,
          "idempotency_key":"a3"})");
  BOOST_TEST_REQUIRE(patron_actor_pop() == PATRON_OK);
  expected = entry_json(2, t.ana_id, "adjust", -20, 30, "a2");
  expected["reason"] = "typo";
  expected["actor"] = "sam";
  BOOST_TEST(taken == expected, "got " << taken.dump());
  BOOST_TEST(qualifying["qualifying"] == true);
  BOOST_TEST(qualifying["actor"] == "sam");
  BOOST_TEST(actions(t.db, "ANA-01")[0] == "points.adjusted");

  const auto refused = [&](int code, const char* field, const std::string& request) {
    fails(code, field, [&](char** o) { return patron_points_adjust(t.db, request.c_str(), o); });
  };
  refused(PATRON_EINVAL, "actor",
          R"({"customer":"ANA-01","program":"stars","points":1,"reason":"r","idempotency_key":"a9"})");
  refused(PATRON_EINVAL, "reason",
          R"({"customer":"ANA-01","program":"stars","points":1,"actor":"jane","idempotency_key":"a9"})");
  refused(PATRON_EINVAL, "reason",
          R"({"customer":"ANA-01","program":"stars","points":1,"actor":"jane","reason":")" + std::string(501, 'r') +
              R"(","idempotency_key":"a9"})");
  refused(PATRON_EINVAL, "points",
          R"({"customer":"ANA-01","program":"stars","points":0,"reason":"r","actor":"jane","idempotency_key":"a9"})");
  refused(PATRON_EINVAL, "points", R"({"customer":"ANA-01","program":"stars","points":1000000000001,"reason":"r",
      "actor":"jane","idempotency_key":"a9"})");
  refused(PATRON_EINVAL, "qualifying", R"({"customer":"ANA-01","program":"stars","points":1,"reason":"r",
      "actor":"jane","qualifying":"yes","idempotency_key":"a9"})");
  refused(PATRON_EPRECONDITION, "points",
          R"({"customer":"ANA-01","program":"stars","points":-36,"reason":"r","actor":"jane","idempotency_key":"a9"})");
  refused(PATRON_ENOTFOUND, "customer",
          R"({"customer":"NOBODY","program":"stars","points":1,"reason":"r","actor":"jane","idempotency_key":"a9"})");
  BOOST_TEST(t.account("ANA-01")["balance"] == 35);
  BOOST_TEST(t.entry_count("ANA-01") == 3U);
  fails(PATRON_EMISUSE, "request_json", [&](char** o) { return patron_points_adjust(t.db, nullptr, o); });
}

BOOST_AUTO_TEST_CASE(reversals_never_exceed_the_original) {
  Loyalty t;
  const json earned = t.earn(earn_points("ANA-01", 100, "e1"));
  const std::int64_t id = earned["id"];
  t.now += kMinute;
  const json back = t.reverse(id, 30, "v1", "returned");
  json expected = entry_json(2, t.ana_id, "reverse", -30, 70, "v1", kT1Text);
  expected["reverses"] = id;
  expected["reason"] = "returned";
  expected["qualifying"] = false;
  BOOST_TEST(back == expected, "got " << back.dump());
  BOOST_TEST(t.entry(id)["reversed"] == 30);
  const Failure f = fails(PATRON_EPRECONDITION, "points",
                          [&](char** o) { return patron_points_reverse(t.db, id, 71, "v2", nullptr, o); });
  BOOST_TEST(f.message.find("70") != std::string::npos, f.message);
  BOOST_TEST(t.reverse(id, 70, "v2")["balance_after"] == 0);  // the refused key is free to use
  BOOST_TEST(t.entry(id)["reversed"] == 100);
  fails(PATRON_EPRECONDITION, "points", [&](char** o) { return patron_points_reverse(t.db, id, 1, "v3", nullptr, o); });

  // A redemption reversed gives the points back.
  t.earn(earn_points("ANA-01", 50, "e2"));
  const json spent = t.redeem(redeem_points("ANA-01", 20, "r1"));
  const json given_back = t.reverse(spent["id"], 20, "v4");
  BOOST_TEST(given_back["points"] == 20);
  BOOST_TEST(given_back["reverses"] == spent["id"]);
  BOOST_TEST(t.account("ANA-01") == account_json(t.ana_id, 50));

  // Only an earn or a redemption can be reversed.
  fails(PATRON_ENOTFOUND, "entry", [&](char** o) { return patron_points_reverse(t.db, 999, 1, "v5", nullptr, o); });
  fails(PATRON_ENOTFOUND, "entry",
        [&](char** o) { return patron_points_reverse(t.db, back["id"], 1, "v5", nullptr, o); });
  fails(PATRON_EINVAL, "points",
        [&](char** o) { return patron_points_reverse(t.db, spent["id"], 0, "v5", nullptr, o); });
  fails(PATRON_EINVAL, "idempotency_key",
        [&](char** o) { return patron_points_reverse(t.db, spent["id"], 1, "", nullptr, o); });
  const std::string long_reason(501, 'r');
  fails(PATRON_EINVAL, "reason",
        [&](char** o) { return patron_points_reverse(t.db, spent["id"], 1, "v5", long_reason.c_str(), o); });
  fails(PATRON_EMISUSE, "idempotency_key",
        [&](char** o) { return patron_points_reverse(t.db, spent["id"], 1, nullptr, nullptr, o); });
  BOOST_TEST(t.account("ANA-01") == account_json(t.ana_id, 50));
  BOOST_TEST(actions(t.db, "ANA-01")[0] == "points.reversed");
}

BOOST_AUTO_TEST_CASE(transfers_between_customers) {
  Loyalty t;
  t.earn(earn_points("ANA-01", 100, "e1"));
  const json gave = t.transfer(
      R"({"from":"ANA-01","to":"BO-01","program":"stars","points":40,"reason":"gift","idempotency_key":"g1"})");
  const std::int64_t other = gave["counterpart"].is_number_integer() ? gave["counterpart"].get<std::int64_t>() : 0;
  json expected = entry_json(gave["id"], t.ana_id, "transfer", -40, 60, "g1");
  expected["counterpart"] = other;
  expected["reason"] = "gift";
  BOOST_TEST(gave == expected, "got " << gave.dump());
  BOOST_TEST_REQUIRE(other > 0);
  json received = entry_json(other, t.bo_id, "transfer", 40, 40, "g1");
  received["counterpart"] = gave["id"];
  received["reason"] = "gift";
  const json got = t.entry(other);
  // The receiver's side carries its own key or the giver's: only what is documented is checked.
  received["idempotency_key"] = got["idempotency_key"];
  BOOST_TEST(got == received, "got " << got.dump());
  BOOST_TEST(t.account("ANA-01") == account_json(t.ana_id, 60));
  BOOST_TEST(t.account("BO-01") == account_json(t.bo_id, 40));
  BOOST_TEST(t.transfer(R"({"from":"ANA-01","to":"BO-01","program":"stars","points":40,"reason":"gift",
      "idempotency_key":"g1"})") == gave);
  BOOST_TEST(actions(t.db, "ANA-01")[0] == "points.transferred");

  const auto refused = [&](int code, const char* field, const std::string& request) {
    fails(code, field, [&](char** o) { return patron_points_transfer(t.db, request.c_str(), o); });
  };
  refused(PATRON_EPRECONDITION, "points",
          R"({"from":"ANA-01","to":"BO-01","program":"stars","points":61,"idempotency_key":"g2"})");
  refused(PATRON_EINVAL, "to",
          R"({"from":"ANA-01","to":"ana-01","program":"stars","points":1,"idempotency_key":"g2"})");
  refused(PATRON_ENOTFOUND, "to",
          R"({"from":"ANA-01","to":"NOBODY","program":"stars","points":1,"idempotency_key":"g2"})");
  refused(PATRON_ENOTFOUND, "from",
          R"({"from":"NOBODY","to":"BO-01","program":"stars","points":1,"idempotency_key":"g2"})");
  refused(PATRON_ENOTFOUND, "program",
          R"({"from":"ANA-01","to":"BO-01","program":"nope","points":1,"idempotency_key":"g2"})");
  refused(PATRON_EINVAL, "points",
          R"({"from":"ANA-01","to":"BO-01","program":"stars","points":0,"idempotency_key":"g2"})");
  refused(PATRON_EINVAL, "to", R"({"from":"ANA-01","to":5,"program":"stars","points":1,"idempotency_key":"g2"})");
  refused(PATRON_EINVAL, "customer",
          R"({"customer":"ANA-01","to":"BO-01","program":"stars","points":1,"idempotency_key":"g2"})");
  refused(PATRON_ECONFLICT, "idempotency_key",
          R"({"from":"ANA-01","to":"BO-01","program":"stars","points":41,"idempotency_key":"g1"})");
  BOOST_TEST(t.account("ANA-01") == account_json(t.ana_id, 60));
  BOOST_TEST(t.account("BO-01") == account_json(t.bo_id, 40));
  fails(PATRON_EMISUSE, "request_json", [&](char** o) { return patron_points_transfer(t.db, nullptr, o); });
}

BOOST_AUTO_TEST_CASE(request_refusals_write_nothing) {
  Loyalty t;
  t.program_create(R"({"id":"euros","name":"Euros","currency":"EUR"})");
  const auto refused = [&](int code, const char* field, const std::string& js) {
    fails(code, field, [&](char** o) { return patron_points_earn(t.db, js.c_str(), o); });
  };
  refused(PATRON_EINVAL, "json", "{");
  refused(PATRON_EINVAL, "json", "[]");
  refused(PATRON_EINVAL, "tip", R"({"customer":"ANA-01","program":"stars","points":1,"idempotency_key":"k","tip":5})");
  refused(PATRON_ENOTFOUND, "customer", earn_points("NOBODY", 1, "k"));
  refused(PATRON_EINVAL, "customer", R"({"program":"stars","points":1,"idempotency_key":"k"})");
  refused(PATRON_ENOTFOUND, "program", R"({"customer":"ANA-01","program":"nope","points":1,"idempotency_key":"k"})");
  refused(PATRON_EINVAL, "program", R"({"customer":"ANA-01","points":1,"idempotency_key":"k"})");
  // Exactly one of points and amount.
  refused(PATRON_EINVAL, "points", R"({"customer":"ANA-01","program":"stars","idempotency_key":"k"})");
  refused(PATRON_EINVAL, "points",
          R"({"customer":"ANA-01","program":"stars","points":1,"amount":100,"idempotency_key":"k"})");
  refused(PATRON_EINVAL, "points", earn_points("ANA-01", 0, "k"));
  refused(PATRON_EINVAL, "points", earn_points("ANA-01", -1, "k"));
  refused(PATRON_EINVAL, "points", earn_points("ANA-01", 1000000000001, "k"));
  refused(PATRON_EINVAL, "points", R"({"customer":"ANA-01","program":"stars","points":1.5,"idempotency_key":"k"})");
  refused(PATRON_EINVAL, "amount", earn_amount("ANA-01", 0, "k"));
  refused(PATRON_EINVAL, "amount", earn_amount("ANA-01", 1000000000000001, "k"));
  refused(PATRON_EINVAL, "amount", R"({"customer":"ANA-01","program":"stars","amount":"100","idempotency_key":"k"})");
  refused(PATRON_EINVAL, "currency",
          R"({"customer":"ANA-01","program":"stars","amount":100,"currency":"XX","idempotency_key":"k"})");
  refused(PATRON_EPRECONDITION, "currency",
          R"({"customer":"ANA-01","program":"stars","amount":100,"currency":"EUR","idempotency_key":"k"})");
  refused(PATRON_EINVAL, "pending_until",
          R"({"customer":"ANA-01","program":"stars","points":1,"pending_until":"soon","idempotency_key":"k"})");
  refused(PATRON_EINVAL, "idempotency_key", earn_points("ANA-01", 1, ""));
  refused(PATRON_EINVAL, "idempotency_key", earn_points("ANA-01", 1, std::string(201, 'k')));
  refused(PATRON_EINVAL, "reference", earn_points("ANA-01", 1, "k", std::string(201, 'r')));
  const auto redeem_refused = [&](int code, const char* field, const std::string& js) {
    fails(code, field, [&](char** o) { return patron_points_redeem(t.db, js.c_str(), o); });
  };
  redeem_refused(PATRON_EINVAL, "points", redeem_points("ANA-01", 0, "k"));
  redeem_refused(PATRON_EINVAL, "points", R"({"customer":"ANA-01","program":"stars","idempotency_key":"k"})");
  redeem_refused(PATRON_EINVAL, "amount",
                 R"({"customer":"ANA-01","program":"stars","points":1,"amount":1,"idempotency_key":"k"})");
  redeem_refused(PATRON_EPRECONDITION, "points", redeem_points("ANA-01", 1, "k"));
  redeem_refused(PATRON_ENOTFOUND, "customer", redeem_points("NOBODY", 1, "k"));
  redeem_refused(PATRON_EINVAL, "idempotency_key", redeem_points("ANA-01", 1, ""));
  BOOST_TEST(t.accounts("ANA-01") == json::array());
  BOOST_TEST(actions(t.db, "ANA-01").empty());

  // The bounds themselves are allowed; an amount in the program's currency, named in any case.
  BOOST_TEST(t.earn(earn_points("ANA-01", 1000000000000, std::string(200, 'k'),
                                std::string(200, 'r')))["balance_after"] == 1000000000000);
  BOOST_TEST(t.earn(R"({"customer":"ANA-01","program":"stars","amount":100000000000000,"currency":"gbp",
      "idempotency_key":"big"})")["points"] == 1000000000000);
  // An earn computes at most 10^12 points at once.
  refused(PATRON_EINVAL, "amount", earn_amount("ANA-01", 1000000000000000, "k"));
  fails(PATRON_EMISUSE, "request_json", [&](char** o) { return patron_points_earn(t.db, nullptr, o); });
  fails(PATRON_EMISUSE, "request_json", [&](char** o) { return patron_points_redeem(t.db, nullptr, o); });
  fails(PATRON_EMISUSE, "db", [&](char** o) { return patron_points_earn(nullptr, "{}", o); });
}

BOOST_AUTO_TEST_CASE(tiers_of_customers) {
  Loyalty t;
  const json silver = t.tier_save(R"({"program":"stars","id":"silver","name":"Silver","threshold":100})");
  const json gold =
      t.tier_save(R"({"program":"stars","id":"gold","name":"Gold","threshold":500,"earn_multiplier_percent":200})");
  BOOST_TEST(t.tier_of("ANA-01") == json(nullptr));
  BOOST_TEST(t.progress("ANA-01") == json({{"tier", nullptr},
                                           {"qualifies_for", nullptr},
                                           {"qualifying_points", 0},
                                           {"window_start", "2025-11-22T05:54:45.123456Z"},
                                           {"next_tier", "silver"},
                                           {"points_to_next", 100}}),
             "got " << t.progress("ANA-01").dump());

  // An earn lifts at once.
  t.earn(earn_points("ANA-01", 150, "e1"));
  BOOST_TEST(t.tier_of("ANA-01") == silver);
  BOOST_TEST(t.account("ANA-01") == account_json(t.ana_id, 150, 0, 0, "silver"));
  BOOST_TEST(t.progress("ANA-01") == json({{"tier", "silver"},
                                           {"qualifies_for", "silver"},
                                           {"qualifying_points", 150},
                                           {"window_start", "2025-11-22T05:54:45.123456Z"},
                                           {"next_tier", "gold"},
                                           {"points_to_next", 350}}),
             "got " << t.progress("ANA-01").dump());
  // Redemptions do not lower qualifying points.
  t.redeem(redeem_points("ANA-01", 100, "r1"));
  BOOST_TEST(t.progress("ANA-01")["qualifying_points"] == 150);

  // Silver earns at the rule; gold at twice it.
  t.now += kMinute;
  BOOST_TEST(t.earn(earn_amount("ANA-01", 40000, "e2"))["points"] == 400);
  BOOST_TEST(t.tier_of("ANA-01") == gold);
  BOOST_TEST(t.earn(earn_amount("ANA-01", 1000, "e3"))["points"] == 20);
  const json history = t.tier_history("ANA-01");
  BOOST_TEST(history == json::array({{{"id", history[0]["id"]},
                                      {"customer", t.ana_id},
                                      {"program", "stars"},
                                      {"from", "silver"},
                                      {"to", "gold"},
                                      {"reason", "qualified"},
                                      {"qualifying_points", 550},
                                      {"at", kT1Text}},
                                     {{"id", history[1]["id"]},
                                      {"customer", t.ana_id},
                                      {"program", "stars"},
                                      {"from", nullptr},
                                      {"to", "silver"},
                                      {"reason", "qualified"},
                                      {"qualifying_points", 150},
                                      {"at", kT0Text}}}),
             "got " << history.dump());
  BOOST_TEST(t.tier_at("ANA-01", "2026-11-22T05:00:00.000000Z") == json(nullptr));
  BOOST_TEST(t.tier_at("ANA-01", kT0Text) == silver);
  BOOST_TEST(t.tier_at("ANA-01", kT1Text) == gold);
  BOOST_TEST(actions(t.db, "ANA-01")[0] == "points.earned");
  const auto all = actions(t.db, "ANA-01");
  BOOST_TEST(std::count(all.begin(), all.end(), "tier.changed") == 2);

  // Downgrades wait for an evaluation: a year on, nothing qualifies.
  t.now += 400 * kDay;
  BOOST_TEST(t.tier_of("ANA-01") == gold);
  BOOST_TEST(t.progress("ANA-01")["qualifies_for"] == nullptr);
  BOOST_TEST(t.evaluate() == json({{"accounts", 1}, {"upgraded", 0}, {"downgraded", 1}}));
  BOOST_TEST(t.tier_of("ANA-01") == json(nullptr));
  BOOST_TEST(t.tier_history("ANA-01")[0]["reason"] == "evaluation");
  BOOST_TEST(t.tier_history("ANA-01")[0]["to"] == nullptr);
  BOOST_TEST(t.evaluate() == json({{"accounts", 1}, {"upgraded", 0}, {"downgraded", 0}}));
  BOOST_TEST(t.tier_history("BO-01") == json::array());

  fails(PATRON_EINVAL, "at", [&](char** o) { return patron_loyalty_tier_at(t.db, "ANA-01", "stars", "then", o); });
  fails(PATRON_EMISUSE, "at", [&](char** o) { return patron_loyalty_tier_at(t.db, "ANA-01", "stars", nullptr, o); });
  fails(PATRON_EINVAL, "at", [&](char** o) { return patron_loyalty_evaluate_tiers(t.db, "stars", "then", o); });
  fails(PATRON_ENOTFOUND, "program", [&](char** o) { return patron_loyalty_evaluate_tiers(t.db, "nope", nullptr, o); });
  fails(PATRON_ENOTFOUND, "program", [&](char** o) { return patron_loyalty_tier_of(t.db, "ANA-01", "nope", o); });
  fails(PATRON_ENOTFOUND, "program", [&](char** o) { return patron_loyalty_progress(t.db, "ANA-01", "nope", o); });
  fails(PATRON_ENOTFOUND, "ref", [&](char** o) { return patron_loyalty_tier_of(t.db, "NOBODY", "stars", o); });
  fails(PATRON_ENOTFOUND, "ref", [&](char** o) { return patron_loyalty_progress(t.db, "NOBODY", "stars", o); });
  fails(PATRON_ENOTFOUND, "ref", [&](char** o) { return patron_loyalty_tier_history(t.db, "NOBODY", "stars", o); });
  fails(PATRON_EMISUSE, "ref", [&](char** o) { return patron_loyalty_tier_of(t.db, nullptr, "stars", o); });
  fails(PATRON_EMISUSE, "program", [&](char** o) { return patron_loyalty_progress(t.db, "ANA-01", nullptr, o); });
  fails(PATRON_EMISUSE, "program", [&](char** o) { return patron_loyalty_tier_history(t.db, "ANA-01", nullptr, o); });
  fails(PATRON_EMISUSE, "program", [&](char** o) { return patron_loyalty_evaluate_tiers(t.db, nullptr, nullptr, o); });
}

BOOST_AUTO_TEST_CASE(pending_points_qualify_once_released) {
  Loyalty t;
  const json silver = t.tier_save(R"({"program":"stars","id":"silver","name":"Silver","threshold":100})");
  const json locked = t.earn(json{{"customer", "ANA-01"},
                                  {"program", "stars"},
                                  {"points", 150},
                                  {"pending_until", kH1Text},
                                  {"idempotency_key", "p1"}}
                                 .dump());
  BOOST_TEST(locked["pending_until"] == kH1Text);
  BOOST_TEST(t.account("ANA-01") == account_json(t.ana_id, 150, 150));
  BOOST_TEST(t.progress("ANA-01")["qualifying_points"] == 0);
  BOOST_TEST(t.tier_of("ANA-01") == json(nullptr));
  // Released: they qualify, and the next evaluation lifts the customer.
  t.now += kHour + kMinute;
  BOOST_TEST(t.progress("ANA-01")["qualifying_points"] == 150);
  BOOST_TEST(t.progress("ANA-01")["qualifies_for"] == "silver");
  BOOST_TEST(t.evaluate() == json({{"accounts", 1}, {"upgraded", 1}, {"downgraded", 0}}));
  BOOST_TEST(t.tier_of("ANA-01") == silver);
  const json change = t.tier_history("ANA-01")[0];
  BOOST_TEST(change["from"] == nullptr);
  BOOST_TEST(change["to"] == "silver");
  BOOST_TEST(change["reason"] == "qualified");
  BOOST_TEST(change["qualifying_points"] == 150);
  BOOST_TEST(t.account("ANA-01") == account_json(t.ana_id, 150, 0, 0, "silver"));
}

BOOST_AUTO_TEST_CASE(rewards) {
  Loyalty t;
  const json coffee = t.reward_save(R"({"id":"coffee","program":"stars","name":"Coffee","cost":50})");
  BOOST_TEST(coffee == json({{"id", "coffee"},
                             {"program", "stars"},
                             {"name", "Coffee"},
                             {"cost", 50},
                             {"active_from", nullptr},
                             {"active_until", nullptr},
                             {"description", ""}}),
             "got " << coffee.dump());
  const json cake = t.reward_save(R"({"id":"cake","program":"stars","name":"Cake","cost":50,
      "active_from":"2026-11-22T06:00:00.000000Z","active_until":"2026-11-23T00:00:00.000000Z",
      "description":"a slice"})");
  BOOST_TEST(cake["active_from"] == "2026-11-22T06:00:00.000000Z");
  BOOST_TEST(cake["description"] == "a slice");
  const json spa = t.reward_save(R"({"id":"spa","program":"stars","name":"Spa","cost":500})");
  t.reopen();
  BOOST_TEST(t.reward("coffee") == coffee);
  BOOST_TEST(t.rewards() == json::array({cake, coffee, spa}));  // by cost then id
  BOOST_TEST(t.rewards(kT0Text) == json::array({coffee, spa}));
  BOOST_TEST(t.rewards("2026-11-22T12:00:00.000000Z") == json::array({cake, coffee, spa}));

  t.earn(earn_points("ANA-01", 120, "e1"));
  BOOST_TEST(t.available("ANA-01") == json::array({coffee}));  // cake is not active yet, spa too dear
  const json redeemed = t.redeem_reward("ANA-01", "coffee", "w1");
  json expected = entry_json(2, t.ana_id, "redeem", -50, 70, "w1");
  expected["reward"] = "coffee";
  BOOST_TEST(redeemed == expected, "got " << redeemed.dump());
  BOOST_TEST(t.redemptions("ANA-01") == json::array({redeemed}));
  const auto done = actions(t.db, "ANA-01");
  BOOST_TEST((std::find(done.begin(), done.end(), "reward.redeemed") != done.end()));

  fails(PATRON_EPRECONDITION, "reward",
        [&](char** o) { return patron_reward_redeem(t.db, "ANA-01", "cake", "w2", o); });
  fails(PATRON_EPRECONDITION, "points", [&](char** o) { return patron_reward_redeem(t.db, "ANA-01", "spa", "w2", o); });
  fails(PATRON_ENOTFOUND, "reward", [&](char** o) { return patron_reward_redeem(t.db, "ANA-01", "nope", "w2", o); });
  fails(PATRON_ENOTFOUND, "ref", [&](char** o) { return patron_reward_redeem(t.db, "NOBODY", "coffee", "w2", o); });
  fails(PATRON_EINVAL, "idempotency_key",
        [&](char** o) { return patron_reward_redeem(t.db, "ANA-01", "coffee", "", o); });
  t.now += kHour;
  BOOST_TEST(t.available("ANA-01") == json::array({cake, coffee}));
  const json second = t.redeem_reward("ANA-01", "cake", "w2");
  BOOST_TEST(t.redemptions("ANA-01") == json::array({second, redeemed}));
  BOOST_TEST(t.redemptions("ANA-01", 1, 1) == json::array({redeemed}));
  BOOST_TEST(t.account("ANA-01")["balance"] == 20);
  BOOST_TEST(t.available("ANA-01") == json::array());

  const auto refused = [&](int code, const char* field, const std::string& definition) {
    fails(code, field, [&](char** o) { return patron_reward_save(t.db, definition.c_str(), o); });
  };
  refused(PATRON_EINVAL, "json", "{");
  refused(PATRON_EINVAL, "price", R"({"id":"x","program":"stars","name":"X","cost":1,"price":1})");
  refused(PATRON_ENOTFOUND, "program", R"({"id":"x","program":"nope","name":"X","cost":1})");
  refused(PATRON_EINVAL, "id", R"({"id":"","program":"stars","name":"X","cost":1})");
  refused(PATRON_EINVAL, "name", R"({"id":"x","program":"stars","name":"","cost":1})");
  refused(PATRON_EINVAL, "cost", R"({"id":"x","program":"stars","name":"X","cost":0})");
  refused(PATRON_EINVAL, "cost", R"({"id":"x","program":"stars","name":"X"})");
  refused(PATRON_EINVAL, "cost", R"({"id":"x","program":"stars","name":"X","cost":1000000000001})");
  refused(PATRON_EINVAL, "active_from", R"({"id":"x","program":"stars","name":"X","cost":1,"active_from":"now"})");
  refused(PATRON_EINVAL, "active_until", R"({"id":"x","program":"stars","name":"X","cost":1,
      "active_from":"2026-11-22T06:00:00.000000Z","active_until":"2026-11-22T05:00:00.000000Z"})");
  BOOST_TEST(t.rewards().size() == 3U);
  fails(PATRON_ENOTFOUND, "reward", [&](char** o) { return patron_reward_get(t.db, "nope", o); });
  fails(PATRON_EINVAL, "active_at", [&](char** o) { return patron_reward_list(t.db, "stars", "then", o); });
  fails(PATRON_ENOTFOUND, "program", [&](char** o) { return patron_reward_list(t.db, "nope", nullptr, o); });
  fails(PATRON_EINVAL, "limit", [&](char** o) { return patron_reward_redemptions(t.db, "ANA-01", "stars", 0, 0, o); });
  fails(PATRON_ENOTFOUND, "ref", [&](char** o) { return patron_reward_available(t.db, "NOBODY", "stars", o); });
  fails(PATRON_EMISUSE, "json", [&](char** o) { return patron_reward_save(t.db, nullptr, o); });
  fails(PATRON_EMISUSE, "reward", [&](char** o) { return patron_reward_get(t.db, nullptr, o); });
  fails(PATRON_EMISUSE, "program", [&](char** o) { return patron_reward_list(t.db, nullptr, nullptr, o); });
  fails(PATRON_EMISUSE, "reward", [&](char** o) { return patron_reward_redeem(t.db, "ANA-01", nullptr, "k", o); });
  fails(PATRON_EMISUSE, "idempotency_key",
        [&](char** o) { return patron_reward_redeem(t.db, "ANA-01", "coffee", nullptr, o); });
  fails(PATRON_EMISUSE, "program", [&](char** o) { return patron_reward_available(t.db, "ANA-01", nullptr, o); });
  fails(PATRON_EMISUSE, "ref", [&](char** o) { return patron_reward_redemptions(t.db, nullptr, "stars", 1, 0, o); });
}

BOOST_AUTO_TEST_CASE(argument_refusals) {
  Loyalty t;
  t.earn(earn_points("ANA-01", 10, "e1"));
  fails(PATRON_ENOTFOUND, "ref", [&](char** o) { return patron_points_account(t.db, "NOBODY", "stars", o); });
  fails(PATRON_EINVAL, "ref", [&](char** o) { return patron_points_account(t.db, "", "stars", o); });
  fails(PATRON_ENOTFOUND, "program", [&](char** o) { return patron_points_account(t.db, "ANA-01", "nope", o); });
  fails(PATRON_ENOTFOUND, "ref", [&](char** o) { return patron_points_accounts(t.db, "NOBODY", o); });
  fails(PATRON_ENOTFOUND, "ref", [&](char** o) { return patron_points_entries(t.db, "NOBODY", "stars", 10, 0, o); });
  fails(PATRON_ENOTFOUND, "program", [&](char** o) { return patron_points_entries(t.db, "ANA-01", "nope", 10, 0, o); });
  fails(PATRON_EINVAL, "limit", [&](char** o) { return patron_points_entries(t.db, "ANA-01", "stars", 0, 0, o); });
  fails(PATRON_EINVAL, "limit", [&](char** o) { return patron_points_entries(t.db, "ANA-01", "stars", 1001, 0, o); });
  fails(PATRON_ENOTFOUND, "ref", [&](char** o) { return patron_points_lots(t.db, "NOBODY", "stars", o); });
  fails(PATRON_ENOTFOUND, "id", [&](char** o) { return patron_points_entry(t.db, 999, o); });

  fails(PATRON_EMISUSE, "db", [&](char** o) { return patron_points_account(nullptr, "ANA-01", "stars", o); });
  fails(PATRON_EMISUSE, "ref", [&](char** o) { return patron_points_account(t.db, nullptr, "stars", o); });
  fails(PATRON_EMISUSE, "program", [&](char** o) { return patron_points_account(t.db, "ANA-01", nullptr, o); });
  fails(PATRON_EMISUSE, "ref", [&](char** o) { return patron_points_accounts(t.db, nullptr, o); });
  fails(PATRON_EMISUSE, "program", [&](char** o) { return patron_points_entries(t.db, "ANA-01", nullptr, 1, 0, o); });
  fails(PATRON_EMISUSE, "program", [&](char** o) { return patron_points_lots(t.db, "ANA-01", nullptr, o); });
  fails(PATRON_EMISUSE, "db", [&](char** o) { return patron_points_entry(nullptr, 1, o); });
  BOOST_TEST(patron_points_entry(t.db, 1, nullptr) == PATRON_EMISUSE);
  BOOST_TEST(patron_errfield() == std::string("out_json"));
  BOOST_TEST(t.account("ANA-01") == account_json(t.ana_id, 10));
}

BOOST_AUTO_TEST_SUITE_END()
