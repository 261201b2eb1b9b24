// Identification through the C ABI: the JSON form and the typed hot path.
#include <boost/test/unit_test.hpp>

#include <cctype>
#include <cstring>
#include <string>

#include "capi_fixture.hpp"

using namespace capi_test;

namespace {

// Ana: number ANA-01, ana@example.com, 07911 123456.
// Bo: number 07911123456 (looks like Ana's phone), the same phone.
struct People : Db {
  json ana = create(
      R"({"first_name":"Ana","last_name":"Silva","number":"ANA-01","email":"ana@example.com","phone":"07911 123456"})");
  json bo = create(R"({"first_name":"Bo","last_name":"Li","number":"07911123456","phone":"+44 7911 123456"})");
  std::string ana_id = ana["id"];
  std::string bo_id = bo["id"];

  json identify(const std::string& token) {
    return ok([&](char** o) { return patron_identify(db, token.c_str(), o); });
  }
  int identify_id(const char* token, std::string& id) {
    char buf[PATRON_ID_BUFSIZE];
    std::memset(buf, 'x', sizeof buf);
    const int rc = patron_identify_id(db, token, buf);
    BOOST_TEST_REQUIRE(std::memchr(buf, '\0', sizeof buf) != nullptr);  // always terminated
    id = buf;
    return rc;
  }
};

json match(const char* on, const json& customer) {
  return {{"matched_on", on}, {"credential", nullptr}, {"customer", customer}};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(capi_identify)

BOOST_AUTO_TEST_CASE(identify_by_id_in_any_form) {
  People t;
  BOOST_TEST(t.identify(t.ana_id) == json::array({match("id", t.ana)}));
  std::string upper = t.ana_id;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const std::string hyphenated = upper.substr(0, 8) + "-" + upper.substr(8, 4) + "-" + upper.substr(12, 4) + "-" +
                                 upper.substr(16, 4) + "-" + upper.substr(20);
  BOOST_TEST(t.identify(hyphenated) == json::array({match("id", t.ana)}));
  BOOST_TEST(t.identify(" " + t.ana_id + " ") == json::array({match("id", t.ana)}));
}

BOOST_AUTO_TEST_CASE(identify_by_number_email_and_phone) {
  People t;
  BOOST_TEST(t.identify("ana-01") == json::array({match("number", t.ana)}));
  BOOST_TEST(t.identify("ANA@Example.com") == json::array({match("email", t.ana)}));
  const json by_phone = t.identify("+44 (0)7911 123 456");
  BOOST_TEST_REQUIRE(by_phone.size() == 2u, by_phone.dump());
  BOOST_TEST(((by_phone[0] == match("phone", t.ana) && by_phone[1] == match("phone", t.bo)) ||
              (by_phone[0] == match("phone", t.bo) && by_phone[1] == match("phone", t.ana))));
  BOOST_TEST(t.identify("nobody@example.com") == json::array());
  BOOST_TEST(t.identify("NOBODY-1") == json::array());
}

BOOST_AUTO_TEST_CASE(identify_precedence_and_each_customer_once) {
  People t;
  // Bo's number is also the phone both hold: Bo by number first, Ana by phone,
  // Bo not again.
  BOOST_TEST(t.identify("07911123456") == json::array({match("number", t.bo), match("phone", t.ana)}));
  std::string id;
  BOOST_TEST(t.identify_id("07911123456", id) == 2);
  BOOST_TEST(id == t.bo_id);
}

BOOST_AUTO_TEST_CASE(identify_id_hot_path) {
  People t;
  std::string id;
  BOOST_TEST(t.identify_id(t.ana_id.c_str(), id) == 1);
  BOOST_TEST(id == t.ana_id);
  BOOST_TEST(t.identify_id("ana@EXAMPLE.com", id) == 1);
  BOOST_TEST(id == t.ana_id);
  BOOST_TEST(t.identify_id("ANA-01", id) == 1);
  BOOST_TEST(id == t.ana_id);
  BOOST_TEST(t.identify_id("07911 123456", id) == 2);
  BOOST_TEST((id == t.ana_id || id == t.bo_id));
  // Nothing matched: 0 and "".
  BOOST_TEST(t.identify_id("nobody@example.com", id) == 0);
  BOOST_TEST(id.empty());
  BOOST_TEST(t.identify_id("NOBODY-1", id) == 0);
  BOOST_TEST(id.empty());
  // It agrees with patron_identify on every token.
  for (const std::string& token : {t.ana_id, std::string("ANA-01"), std::string("ana@example.com"),
                                  std::string("07911123456"), std::string("zz@example.com")}) {
    const json full = t.identify(token);
    BOOST_TEST(t.identify_id(token.c_str(), id) == static_cast<int>(full.size()));
    BOOST_TEST(id == (full.empty() ? std::string() : full[0]["customer"]["id"].get<std::string>()));
  }
}

BOOST_AUTO_TEST_CASE(identify_errors) {
  People t;
  std::string id;
  BOOST_TEST(t.identify_id("", id) == PATRON_EINVAL);
  BOOST_TEST(id.empty());
  BOOST_TEST(std::string(patron_errfield()) == "token");
  BOOST_TEST(t.identify_id("   ", id) == PATRON_EINVAL);
  fails(PATRON_EINVAL, "token", [&](char** o) { return patron_identify(t.db, "", o); });

  char buf[PATRON_ID_BUFSIZE] = "untouched";
  BOOST_TEST(patron_identify_id(nullptr, "ANA-01", buf) == PATRON_EMISUSE);
  BOOST_TEST(std::string(patron_errfield()) == "db");
  BOOST_TEST(std::string(buf).empty());
  std::strcpy(buf, "untouched");
  BOOST_TEST(patron_identify_id(t.db, nullptr, buf) == PATRON_EMISUSE);
  BOOST_TEST(std::string(patron_errfield()) == "token");
  BOOST_TEST(std::string(buf).empty());
  BOOST_TEST(patron_identify_id(t.db, "ANA-01", nullptr) == PATRON_EMISUSE);
  BOOST_TEST(std::string(patron_errfield()) == "out_id");
  BOOST_TEST(std::string(patron_errmsg()).find("patron_identify_id") == 0u);
}

BOOST_AUTO_TEST_CASE(identify_sees_changes_and_survives_reopen) {
  People t;
  ok([&](char** o) { return patron_customer_set_number(t.db, t.ana_id.c_str(), "ANA-02", o); });
  ok([&](char** o) { return patron_customer_add_email(t.db, t.ana_id.c_str(), "ana.silva@example.com", 0, o); });
  t.reopen();
  std::string id;
  BOOST_TEST(t.identify_id("ANA-01", id) == 0);
  BOOST_TEST(t.identify_id("ana-02", id) == 1);
  BOOST_TEST(id == t.ana_id);
  BOOST_TEST(t.identify_id("Ana.Silva@example.com", id) == 1);
  BOOST_TEST(id == t.ana_id);
  const json m = t.identify("ana.silva@example.com");
  BOOST_TEST_REQUIRE(m.size() == 1u);
  BOOST_TEST(m[0]["matched_on"] == "email");
  BOOST_TEST(m[0]["customer"]["number"] == "ANA-02");
}

BOOST_AUTO_TEST_SUITE_END()
