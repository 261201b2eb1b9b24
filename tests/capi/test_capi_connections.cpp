// The social graph through the C ABI on a file database: the exact JSON of
// connections, referrals, inference reports and neighbours, the DOT text,
// inference from companies and referrals, and every refusal with its code
// and field.
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <string>

#include "capi_fixture.hpp"

using namespace capi_test;
using namespace capi_test::ticks;

namespace {

// Ana ("ANA-01") and Cy ("CY-01") at acme.com, Bo ("BO-01") and Di ("DI-01")
// elsewhere.
struct Graph : Db {
  json ana = create(R"({"first_name":"Ana","last_name":"Silva","email":"ana@acme.com","number":"ANA-01"})");
  json bo = create(R"({"first_name":"Bo","last_name":"Berg","email":"bo@example.org","number":"BO-01"})");
  json cy = create(R"({"first_name":"Cy","last_name":"Cole","email":"cy@acme.com","number":"CY-01"})");
  json di = create(R"({"first_name":"Di","last_name":"Dunn","email":"di@example.net","number":"DI-01"})");
  std::string ana_id = ana["id"];
  std::string bo_id = bo["id"];
  std::string cy_id = cy["id"];
  std::string di_id = di["id"];

  json connect(const std::string& js) {
    return ok([&](char** o) { return patron_connection_connect(db, js.c_str(), o); });
  }
  json connection(std::int64_t id) {
    return ok([&](char** o) { return patron_connection_get(db, id, o); });
  }
  json of_customer(const std::string& ref, const char* type = nullptr) {
    return ok([&](char** o) { return patron_connection_of_customer(db, ref.c_str(), type, o); });
  }
  json refer(const char* referrer, const char* referred, const char* note = nullptr) {
    return ok([&](char** o) { return patron_referral_record(db, referrer, referred, note, o); });
  }
  json infer(const char* options = nullptr) {
    return ok([&](char** o) { return patron_connections_infer(db, options, o); });
  }
  json neighbours(const std::string& ref, unsigned hops = 1, std::size_t limit = 1000) {
    return ok([&](char** o) { return patron_connections_neighbours(db, ref.c_str(), hops, limit, o); });
  }
};

json connection_json(std::int64_t id, const std::string& from, const std::string& to, const std::string& type,
                     const std::string& source = "manual", const std::string& note = "",
                     const std::string& created = kT0Text) {
  return {{"id", id},         {"from", from}, {"to", to}, {"type", type}, {"source", source},
          {"note", note},     {"created_at", created}};
}

json report(std::int64_t colleagues, std::int64_t referrals, std::int64_t removed, std::int64_t skipped) {
  return {{"colleagues_added", colleagues},
          {"referrals_added", referrals},
          {"removed", removed},
          {"companies_skipped", skipped}};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(capi_connections)

BOOST_AUTO_TEST_CASE(connect_read_and_disconnect_on_a_file) {
  Graph t;
  BOOST_TEST(t.of_customer("ANA-01") == json::array());
  const json friends = t.connect(R"({"from":"ana-01","to":"BO-01","type":" Friend ","note":"met at the bar"})");
  BOOST_TEST(friends == connection_json(1, t.ana_id, t.bo_id, "friend", "manual", "met at the bar"),
             "got " << friends.dump());
  t.now += kMinute;
  const json relative = t.connect(R"({"from":")" + t.di_id + R"(","to":"ANA-01","type":"relative"})");
  BOOST_TEST(relative == connection_json(2, t.di_id, t.ana_id, "relative", "manual", "", kT1Text),
             "got " << relative.dump());
  // Another type between the same pair is another connection.
  const json colleague = t.connect(R"({"from":"BO-01","to":"ANA-01","type":"colleague"})");

  t.reopen();
  BOOST_TEST(t.connection(1) == friends);
  // Both ends see it; by type, then the other customer's number, then id.
  BOOST_TEST(t.of_customer("ANA-01") == json::array({colleague, friends, relative}));
  BOOST_TEST(t.of_customer("BO-01") == json::array({colleague, friends}));
  BOOST_TEST(t.of_customer("DI-01") == json::array({relative}));
  BOOST_TEST(t.of_customer("ANA-01", "FRIEND") == json::array({friends}));
  BOOST_TEST(t.of_customer("ANA-01", "") == t.of_customer("ANA-01"));
  BOOST_TEST(t.of_customer("CY-01") == json::array());

  const auto refused = [&](int code, const char* field, const std::string& js) {
    fails(code, field, [&](char** o) { return patron_connection_connect(t.db, js.c_str(), o); });
  };
  // One connection of a type per pair, whichever way round.
  refused(PATRON_EEXIST, "type", R"({"from":"BO-01","to":"ANA-01","type":"friend"})");
  refused(PATRON_EINVAL, "to", R"({"from":"ANA-01","to":"ana-01","type":"friend"})");
  refused(PATRON_ENOTFOUND, "from", R"({"from":"NOBODY-1","to":"ANA-01","type":"friend"})");
  refused(PATRON_ENOTFOUND, "to", R"({"from":"ANA-01","to":"NOBODY-1","type":"friend"})");
  refused(PATRON_EINVAL, "from", R"({"from":"!!","to":"ANA-01","type":"friend"})");
  refused(PATRON_EINVAL, "type", R"({"from":"ANA-01","to":"CY-01","type":"  "})");
  refused(PATRON_EINVAL, "type", R"({"from":"ANA-01","to":"CY-01","type":")" + std::string(65, 't') + R"("})");
  refused(PATRON_EINVAL, "type", R"({"from":"ANA-01","to":"CY-01","type":"a\u0007b"})");
  refused(PATRON_EINVAL, "note", R"({"from":"ANA-01","to":"CY-01","type":"friend","note":")" +
                                     std::string(2001, 'n') + R"("})");
  refused(PATRON_EINVAL, "colour", R"({"from":"ANA-01","to":"CY-01","type":"friend","colour":1})");
  refused(PATRON_EINVAL, "json", "[");
  BOOST_TEST(t.of_customer("CY-01") == json::array());

  BOOST_TEST(patron_connection_disconnect(t.db, 1) == PATRON_OK);
  BOOST_TEST(t.of_customer("BO-01") == json::array({colleague}));
  BOOST_TEST(patron_connection_disconnect(t.db, 1) == PATRON_ENOTFOUND);
  BOOST_TEST(std::string(patron_errfield()) == "id");
  BOOST_TEST(patron_connection_disconnect(nullptr, 1) == PATRON_EMISUSE);
  fails(PATRON_ENOTFOUND, "id", [&](char** o) { return patron_connection_get(t.db, 1, o); });
  fails(PATRON_ENOTFOUND, "ref", [&](char** o) { return patron_connection_of_customer(t.db, "NOBODY-1", nullptr, o); });
  fails(PATRON_EMISUSE, "ref", [&](char** o) { return patron_connection_of_customer(t.db, nullptr, nullptr, o); });
}

BOOST_AUTO_TEST_CASE(referrals) {
  Graph t;
  const json none = ok([&](char** o) { return patron_referral_referrer_of(t.db, "BO-01", o); });
  BOOST_TEST(none.is_null());
  const json bo = t.refer("ANA-01", "bo-01", "brought a friend");
  const json expected = {{"referrer", t.ana_id}, {"referred", t.bo_id}, {"note", "brought a friend"}, {"at", kT0Text}};
  BOOST_TEST(bo == expected, "got " << bo.dump());
  t.now += kMinute;
  const json cy = t.refer(t.ana_id.c_str(), "CY-01");
  BOOST_TEST(cy["note"] == "");
  BOOST_TEST(cy["at"] == kT1Text);

  t.reopen();
  BOOST_TEST(ok([&](char** o) { return patron_referral_referrer_of(t.db, "BO-01", o); }) == bo);
  BOOST_TEST(ok([&](char** o) { return patron_referral_by(t.db, "ANA-01", o); }) == json::array({bo, cy}));
  BOOST_TEST(ok([&](char** o) { return patron_referral_by(t.db, "BO-01", o); }) == json::array());

  const auto refused = [&](int code, const char* field, const char* referrer, const char* referred) {
    const Failure f = fails(code, field, [&](char** o) { return patron_referral_record(t.db, referrer, referred, nullptr, o); });
    return f.message;
  };
  // One referrer per customer; the message names the existing one.
  const std::string taken = refused(PATRON_EEXIST, "referred", "DI-01", "BO-01");
  BOOST_TEST(taken.find("ANA-01") != std::string::npos, taken);
  refused(PATRON_EINVAL, "referred", "DI-01", "di-01");
  refused(PATRON_ENOTFOUND, "referrer", "NOBODY-1", "DI-01");
  refused(PATRON_ENOTFOUND, "referred", "DI-01", "NOBODY-1");
  refused(PATRON_EINVAL, "referrer", "!!", "DI-01");
  refused(PATRON_EMISUSE, "referred", "DI-01", nullptr);
  fails(PATRON_ENOTFOUND, "ref", [&](char** o) { return patron_referral_referrer_of(t.db, "NOBODY-1", o); });
  fails(PATRON_ENOTFOUND, "ref", [&](char** o) { return patron_referral_by(t.db, "NOBODY-1", o); });
  // Recording a referral makes no connection until inference runs.
  BOOST_TEST(t.of_customer("DI-01") == json::array());
  BOOST_TEST(t.of_customer("BO-01") == json::array());
}

BOOST_AUTO_TEST_CASE(inference_from_companies_and_referrals) {
  Graph t;
  ok([&](char** o) { return patron_company_create(t.db, R"({"name":"Acme","domains":["acme.com"]})", o); });
  t.refer("ANA-01", "BO-01");
  BOOST_TEST(t.infer() == report(1, 1, 0, 0));
  const json colleagues = t.of_customer("CY-01");
  BOOST_TEST_REQUIRE(colleagues.size() == 1u, colleagues.dump());
  const json& inferred = colleagues[0];
  BOOST_TEST(inferred["type"] == "colleague");
  BOOST_TEST(inferred["source"] == "inferred");
  const json referral = t.of_customer("BO-01");
  BOOST_TEST_REQUIRE(referral.size() == 1u, referral.dump());
  BOOST_TEST(referral[0]["type"] == "referral");
  BOOST_TEST(referral[0]["source"] == "inferred");
  BOOST_TEST(referral[0]["from"] == t.ana_id);  // referrer -> referred
  BOOST_TEST(referral[0]["to"] == t.bo_id);
  // Running again adds nothing; "" and "{}" are the defaults.
  BOOST_TEST(t.infer("") == report(0, 0, 0, 0));
  BOOST_TEST(t.infer("{}") == report(0, 0, 0, 0));

  // A manual connection of the type takes the inferred one over, keeping its
  // id and creation time.
  t.now += kMinute;
  const json manual = t.connect(R"({"from":"CY-01","to":"ANA-01","type":"colleague","note":"same team"})");
  BOOST_TEST(manual["id"] == inferred["id"]);
  BOOST_TEST(manual["created_at"] == inferred["created_at"]);
  BOOST_TEST(manual["source"] == "manual");
  BOOST_TEST(manual["note"] == "same team");
  BOOST_TEST(t.infer() == report(0, 0, 0, 0));
  BOOST_TEST(t.connection(manual["id"].get<std::int64_t>())["source"] == "manual");

  // Companies larger than max_company_size are skipped and counted.
  t.create(R"({"first_name":"Ed","last_name":"Eve","email":"ed@acme.com","number":"ED-01"})");
  BOOST_TEST(t.infer(R"({"max_company_size":2})") == report(0, 0, 0, 1));
  BOOST_TEST(t.infer() == report(2, 0, 0, 0));

  fails(PATRON_EINVAL, "max_company_size", [&](char** o) { return patron_connections_infer(t.db, R"({"max_company_size":1})", o); });
  fails(PATRON_EINVAL, "max_company_size",
        [&](char** o) { return patron_connections_infer(t.db, R"({"max_company_size":"big"})", o); });
  fails(PATRON_EINVAL, "colour", [&](char** o) { return patron_connections_infer(t.db, R"({"colour":1})", o); });
  fails(PATRON_EINVAL, "json", [&](char** o) { return patron_connections_infer(t.db, "{", o); });
}

BOOST_AUTO_TEST_CASE(neighbours_and_dot) {
  Graph t;
  // Ana - Bo - Cy - Di, and Ana referred Di.
  t.connect(R"({"from":"ANA-01","to":"BO-01","type":"friend"})");
  t.connect(R"({"from":"BO-01","to":"CY-01","type":"friend"})");
  t.connect(R"({"from":"CY-01","to":"DI-01","type":"relative"})");
  BOOST_TEST(t.neighbours("ANA-01") == json::array({{{"id", t.bo_id}, {"distance", 1}, {"via", t.ana_id}}}));
  BOOST_TEST(t.neighbours("ANA-01", 3) == json::array({{{"id", t.bo_id}, {"distance", 1}, {"via", t.ana_id}},
                                                      {{"id", t.cy_id}, {"distance", 2}, {"via", t.bo_id}},
                                                      {{"id", t.di_id}, {"distance", 3}, {"via", t.cy_id}}}));
  BOOST_TEST(t.neighbours("ANA-01", 6, 2).size() == 2u);
  // Nearest first, then by customer number.
  const json from_bo = t.neighbours("BO-01", 2);
  BOOST_TEST_REQUIRE(from_bo.size() == 3u);
  BOOST_TEST(from_bo[0]["id"] == t.ana_id);
  BOOST_TEST(from_bo[1]["id"] == t.cy_id);
  BOOST_TEST(from_bo[2]["id"] == t.di_id);
  BOOST_TEST(t.neighbours("ANA-01", 1).size() == 1u);

  fails(PATRON_EINVAL, "hops", [&](char** o) { return patron_connections_neighbours(t.db, "ANA-01", 0, 10, o); });
  fails(PATRON_EINVAL, "hops", [&](char** o) { return patron_connections_neighbours(t.db, "ANA-01", 7, 10, o); });
  fails(PATRON_EINVAL, "limit", [&](char** o) { return patron_connections_neighbours(t.db, "ANA-01", 1, 0, o); });
  fails(PATRON_EINVAL, "limit", [&](char** o) { return patron_connections_neighbours(t.db, "ANA-01", 1, 10001, o); });
  fails(PATRON_ENOTFOUND, "ref", [&](char** o) { return patron_connections_neighbours(t.db, "NOBODY-1", 1, 10, o); });

  t.refer("ANA-01", "DI-01");
  t.infer();
  Owned dot;
  BOOST_TEST_REQUIRE(patron_connections_dot(t.db, "ANA-01", 1, 200, dot.out()) == PATRON_OK);
  const std::string text = dot.get();
  BOOST_TEST(text.rfind("graph", 0) == 0, text);
  BOOST_TEST(text.find(t.ana_id) != std::string::npos, text);
  BOOST_TEST(text.find(t.bo_id) != std::string::npos, text);
  BOOST_TEST(text.find(t.di_id) != std::string::npos, text);   // the referral is one hop
  BOOST_TEST(text.find(t.cy_id) == std::string::npos, text);   // two hops away
  BOOST_TEST(text.find("friend") != std::string::npos, text);
  BOOST_TEST(text.find("referral") != std::string::npos, text);
  BOOST_TEST(text.find("dashed") != std::string::npos, text);  // the inferred referral

  char* out = nullptr;
  BOOST_TEST(patron_connections_dot(t.db, "ANA-01", 1, 200, nullptr) == PATRON_EMISUSE);
  BOOST_TEST(std::string(patron_errfield()) == "out_dot");
  BOOST_TEST(patron_connections_dot(t.db, "ANA-01", 9, 200, &out) == PATRON_EINVAL);
  BOOST_TEST(std::string(patron_errfield()) == "hops");
  BOOST_TEST(out == nullptr);
  BOOST_TEST(patron_connections_dot(t.db, "NOBODY-1", 1, 200, &out) == PATRON_ENOTFOUND);
  BOOST_TEST(std::string(patron_errfield()) == "ref");
}

BOOST_AUTO_TEST_SUITE_END()
