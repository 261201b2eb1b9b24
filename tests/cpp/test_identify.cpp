// Finding customers: get, find_by_email, find_by_phone, search, identify.
#include <boost/test/unit_test.hpp>

#include "fixture.hpp"

using namespace patron;
using patron::testing::DbFixture;
using patron::testing::expect_error;

namespace {

struct People : DbFixture {
  Customer ana, jose, muller, guest;
  People() {
    ana = customers().create({.first_name = "Ana", .last_name = "Silva", .email = "ana@example.com"});
    NewCustomer j;
    j.first_name = "José";
    j.last_name = "Álvarez";
    j.phone = "07911 123456";
    jose = customers().create(j);
    NewCustomer m;
    m.first_name = "Jürgen";
    m.last_name = "Müller";
    m.email = "jurgen@bücher.de";
    m.phone = "+44 7911 123456";  // shares José's phone
    muller = customers().create(m);
    NewCustomer g;
    g.email = "guest@example.org";
    g.number = "G-12345";
    guest = customers().create(g);
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(lookups, People)

BOOST_AUTO_TEST_CASE(get_by_any_id_form_or_number) {
  const std::string hex = ana.id.str();
  std::string hyphenated = hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
                           hex.substr(16, 4) + "-" + hex.substr(20);
  std::string upper = hyphenated;
  for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  BOOST_TEST(customers().get(hex).id == ana.id);
  BOOST_TEST(customers().get(hyphenated).id == ana.id);
  BOOST_TEST(customers().get(upper).id == ana.id);
  BOOST_TEST(customers().get(" 00001 ").id == ana.id);
  BOOST_TEST(customers().get("g-12345").id == guest.id);
  expect_error([&] { customers().get("00099"); }, Errc::not_found, "ref", "no customer '00099'");
  expect_error([&] { customers().get(std::string(32, '0')); }, Errc::not_found, "ref");
  expect_error([&] { customers().get(""); }, Errc::invalid_argument, "ref");
  expect_error([&] { customers().get("a b"); }, Errc::invalid_argument, "ref");
  BOOST_TEST(!customers().find("00099").has_value());
}

BOOST_AUTO_TEST_CASE(find_by_email_in_any_form) {
  BOOST_TEST(customers().find_by_email("ANA@Example.COM")->id == ana.id);
  BOOST_TEST(customers().find_by_email(" jurgen@BÜCHER.de")->id == muller.id);
  BOOST_TEST(customers().find_by_email("jurgen@xn--bcher-kva.de")->id == muller.id);
  BOOST_TEST(!customers().find_by_email("nobody@example.com").has_value());
  expect_error([&] { customers().find_by_email("nobody"); }, Errc::invalid_argument, "email");
}

BOOST_AUTO_TEST_CASE(find_by_phone_returns_every_holder) {
  for (const char* form : {"07911 123456", "+447911123456", "+44 (0) 7911-123-456", "0044 7911 123456"}) {
    BOOST_TEST_CONTEXT(form) {
      const auto found = customers().find_by_phone(form);
      BOOST_TEST_REQUIRE(found.size() == 2u);
      BOOST_TEST(found[0].id == jose.id);
      BOOST_TEST(found[1].id == muller.id);
    }
  }
  BOOST_TEST(customers().find_by_phone("07911 999999").empty());
  expect_error([&] { customers().find_by_phone("x"); }, Errc::invalid_argument, "phone");
}

BOOST_AUTO_TEST_CASE(search_is_accent_and_case_insensitive_with_prefixes) {
  auto ids = [&](std::string_view text, Page page = {}) {
    std::vector<std::string> out;
    for (const auto& c : customers().search(text, page)) out.push_back(c.number);
    return out;
  };
  BOOST_TEST(ids("jose") == std::vector<std::string>{jose.number});
  BOOST_TEST(ids("JOSÉ") == std::vector<std::string>{jose.number});
  BOOST_TEST(ids("muller") == std::vector<std::string>{muller.number});
  BOOST_TEST(ids("mül") == std::vector<std::string>{muller.number});
  BOOST_TEST(ids("alv jo") == std::vector<std::string>{jose.number});
  BOOST_TEST(ids("silva ana") == std::vector<std::string>{ana.number});
  BOOST_TEST(ids("j").size() == 2u);  // José and Jürgen
  BOOST_TEST(ids("zzz").empty());
  // All customers, by last name then first name: guest (no name), Álvarez, Müller, Silva.
  const std::vector<std::string> all{guest.number, jose.number, muller.number, ana.number};
  BOOST_TEST(ids("") == all);
  BOOST_TEST(ids("", {.limit = 2, .offset = 1}) == (std::vector<std::string>{jose.number, muller.number}));
  expect_error([&] { customers().search("a", {.limit = 0}); }, Errc::invalid_argument, "limit");
  expect_error([&] { customers().search("a", {.limit = 1001}); }, Errc::invalid_argument, "limit");
  expect_error([&] { customers().search("\xff"); }, Errc::invalid_argument, "text");
}

BOOST_AUTO_TEST_CASE(identify_tries_id_number_email_and_phone) {
  auto only = [&](std::string_view token, const Customer& who, MatchKind kind) {
    const auto found = db.identify(token);
    BOOST_TEST_REQUIRE(found.size() == 1u, "token " << token);
    BOOST_TEST(found[0].customer.id == who.id);
    BOOST_TEST(to_string(found[0].matched_on) == to_string(kind));
    BOOST_TEST(db.identify_ids(token) == std::vector<CustomerId>{who.id});
  };
  only(ana.id.str(), ana, MatchKind::id);
  std::string upper = guest.id.str();
  for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  only(upper, guest, MatchKind::id);
  only("G-12345", guest, MatchKind::number);
  only("ANA@example.com", ana, MatchKind::email);
  only("jurgen@bücher.de", muller, MatchKind::email);
  const auto by_phone = db.identify("07911 123456");
  BOOST_TEST_REQUIRE(by_phone.size() == 2u);
  BOOST_TEST(by_phone[0].customer.id == jose.id);
  BOOST_TEST(to_string(by_phone[1].matched_on) == "phone");
  BOOST_TEST(db.identify("nobody@example.com").empty());
  BOOST_TEST(db.identify("ZZZZZZ").empty());
  BOOST_TEST(db.identify_ids("ZZZZZZ").empty());
  expect_error([&] { db.identify("   "); }, Errc::invalid_argument, "token");
  expect_error([&] { db.identify("\xc3("); }, Errc::invalid_argument, "token");
}

BOOST_AUTO_TEST_CASE(identify_orders_by_precedence_and_lists_each_customer_once) {
  // A customer number that is also someone's phone: number first, then phone.
  NewCustomer n;
  n.first_name = "Phone";
  n.last_name = "Number";
  n.number = "07911123456";
  const auto numbered = customers().create(n);
  const auto found = db.identify("07911123456");
  BOOST_TEST_REQUIRE(found.size() == 3u);
  BOOST_TEST(found[0].customer.id == numbered.id);
  BOOST_TEST(to_string(found[0].matched_on) == "number");
  BOOST_TEST(to_string(found[1].matched_on) == "phone");
  // Own number equal to own phone: listed once.
  customers().add_phone(numbered.number, "07911 123456");
  BOOST_TEST(db.identify("07911123456").size() == 3u);
}

BOOST_AUTO_TEST_SUITE_END()
