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

// Credentials in identify(), identify_ids() and identify_credential().
using namespace std::chrono_literals;

BOOST_FIXTURE_TEST_SUITE(credential_identification, People)

BOOST_AUTO_TEST_CASE(identify_matches_an_active_valid_credential_and_names_it) {
  const auto card = db.credentials().issue({.value = "4000123412341234", .customer_ref = ana.number});
  const auto found = db.identify(" 4000123412341234 ");
  BOOST_TEST_REQUIRE(found.size() == 1u);
  BOOST_TEST(found[0].customer.id == ana.id);
  BOOST_TEST(to_string(found[0].matched_on) == "credential");
  BOOST_TEST((found[0].credential == std::optional<std::int64_t>(card.id)));
  BOOST_TEST(db.identify_ids("4000123412341234") == std::vector<CustomerId>{ana.id});
  // Exact: another case or a prefix is not the value.
  db.credentials().issue({.kind = CredentialKind::qr_code, .value = "QrXy", .customer_ref = jose.number});
  BOOST_TEST(db.identify("QrXy").size() == 1u);
  BOOST_TEST(db.identify("qrxy").empty());
  BOOST_TEST(db.identify("400012341234").empty());
  // A phone credential matches any spelling of the number.
  db.credentials().issue({.kind = CredentialKind::phone, .value = "020 7946 0018", .customer_ref = guest.number});
  BOOST_TEST(db.identify_ids("+44 20 7946 0018") == std::vector<CustomerId>{guest.id});
  BOOST_TEST(to_string(db.identify("02079460018")[0].matched_on) == "credential");
  // Other matches carry no credential.
  BOOST_TEST(!db.identify("ana@example.com")[0].credential.has_value());
}

BOOST_AUTO_TEST_CASE(precedence_is_id_number_credential_email_phone) {
  // A barcode equal to guest's number, held by José: number first.
  db.credentials().issue({.kind = CredentialKind::barcode, .value = "G-12345", .customer_ref = jose.number});
  auto found = db.identify("G-12345");
  BOOST_TEST_REQUIRE(found.size() == 2u);
  BOOST_TEST(found[0].customer.id == guest.id);
  BOOST_TEST(to_string(found[0].matched_on) == "number");
  BOOST_TEST(found[1].customer.id == jose.id);
  BOOST_TEST(to_string(found[1].matched_on) == "credential");
  // A barcode equal to ana's email, held by Müller: credential before email.
  db.credentials().issue({.kind = CredentialKind::barcode, .value = "ana@example.com", .customer_ref = muller.number});
  found = db.identify("ana@example.com");
  BOOST_TEST_REQUIRE(found.size() == 2u);
  BOOST_TEST(found[0].customer.id == muller.id);
  BOOST_TEST(found[1].customer.id == ana.id);
  BOOST_TEST(to_string(found[1].matched_on) == "email");
  // A caller id held by guest, whose number José and Müller have as a phone:
  // credential before phone.
  db.credentials().issue({.kind = CredentialKind::phone, .value = "07911 123456", .customer_ref = guest.number});
  BOOST_TEST((db.identify_ids("07911 123456") == std::vector<CustomerId>{guest.id, jose.id, muller.id}));
  // Müller holds the caller id too? No: an active value is unique per kind.
  // Matched twice (credential and phone): listed once, as credential.
  db.credentials().issue({.kind = CredentialKind::key_fob, .value = "07911 123456", .customer_ref = jose.number});
  found = db.identify("07911 123456");
  BOOST_TEST_REQUIRE(found.size() == 3u);
  BOOST_TEST(found[0].customer.id == guest.id);
  BOOST_TEST(found[1].customer.id == jose.id);
  BOOST_TEST(to_string(found[1].matched_on) == "credential");
  BOOST_TEST(to_string(found[2].matched_on) == "phone");
  // The customer's id as a credential value still matches as id first.
  db.credentials().issue({.kind = CredentialKind::barcode, .value = ana.id.str(), .customer_ref = jose.number});
  BOOST_TEST((db.identify_ids(ana.id.str()) == std::vector<CustomerId>{ana.id, jose.id}));
}

BOOST_AUTO_TEST_CASE(a_refused_credential_identifies_nobody) {
  auto& creds = db.credentials();
  const auto t = clock.now();
  const auto c = creds.issue({.value = "CARD-1", .customer_ref = ana.number});
  creds.set_status(c.id, CredentialStatus::blocked);
  BOOST_TEST(db.identify("CARD-1").empty());
  creds.set_status(c.id, CredentialStatus::lost);
  BOOST_TEST(db.identify_ids("CARD-1").empty());
  creds.set_status(c.id, CredentialStatus::active);
  creds.set_validity(c.id, t + 1h, t + 2h);
  BOOST_TEST(db.identify("CARD-1").empty());  // not yet valid
  clock.advance(1h);
  BOOST_TEST(db.identify_ids("CARD-1") == std::vector<CustomerId>{ana.id});  // start inclusive
  clock.advance(1h);
  BOOST_TEST(db.identify("CARD-1").empty());  // end exclusive: expired
  creds.set_validity(c.id, std::nullopt, std::nullopt);
  creds.replace(c.id, {.value = "CARD-2"});
  BOOST_TEST(db.identify("CARD-1").empty());
  BOOST_TEST(db.identify_ids("CARD-2") == std::vector<CustomerId>{ana.id});
}

BOOST_AUTO_TEST_CASE(identify_credential_says_why) {
  auto& creds = db.credentials();
  const auto t = clock.now();
  auto verdict = [&](std::string_view token, std::optional<Timestamp> at = {}) {
    return std::string(to_string(db.identify_credential(token, at).verdict));
  };
  const auto unknown = db.identify_credential("NO-SUCH-CARD");
  BOOST_TEST(to_string(unknown.verdict) == "unknown");
  BOOST_TEST(!unknown.credential.has_value());
  BOOST_TEST(!unknown.customer.has_value());
  // Customers' numbers and emails are not credentials.
  BOOST_TEST(verdict(guest.number) == "unknown");
  BOOST_TEST(verdict("ana@example.com") == "unknown");

  const auto c = creds.issue({.value = "CARD-9", .customer_ref = ana.number, .valid_from = t, .valid_until = t + 1h});
  const auto ok = db.identify_credential("CARD-9");
  BOOST_TEST(to_string(ok.verdict) == "accepted");
  BOOST_TEST_REQUIRE(ok.credential.has_value());
  BOOST_TEST(ok.credential->id == c.id);
  BOOST_TEST_REQUIRE(ok.customer.has_value());
  BOOST_TEST(ok.customer->id == ana.id);
  BOOST_TEST(verdict("CARD-9", t - 1us) == "not_yet_valid");
  BOOST_TEST(verdict("CARD-9", t + 1h) == "expired");
  BOOST_TEST(verdict("CARD-9", t + 1h - 1us) == "accepted");
  const auto refused = db.identify_credential("CARD-9", t + 1h);
  BOOST_TEST(refused.credential->id == c.id);
  BOOST_TEST(!refused.customer.has_value());
  creds.set_status(c.id, CredentialStatus::blocked);
  BOOST_TEST(verdict("CARD-9") == "blocked");
  clock.advance(1s);
  creds.set_status(c.id, CredentialStatus::lost);
  BOOST_TEST(verdict("CARD-9") == "lost");
  clock.advance(1s);
  const auto next = creds.replace(c.id, {.value = "CARD-10"});
  BOOST_TEST(verdict("CARD-9") == "replaced");
  BOOST_TEST((db.identify_credential("CARD-9").credential->replaced_by == std::optional<std::int64_t>(next.id)));
  // Reissued under the old value: the usable one is accepted, whatever changed last.
  clock.advance(1s);
  const auto again = creds.issue({.value = "CARD-9", .customer_ref = jose.number});
  const auto now_ok = db.identify_credential("CARD-9");
  BOOST_TEST(to_string(now_ok.verdict) == "accepted");
  BOOST_TEST(now_ok.credential->id == again.id);
  BOOST_TEST(now_ok.customer->id == jose.id);
  // None usable: the most recently changed one says why.
  clock.advance(1s);
  creds.set_status(again.id, CredentialStatus::blocked);
  const auto latest = db.identify_credential("CARD-9");
  BOOST_TEST(to_string(latest.verdict) == "blocked");
  BOOST_TEST(latest.credential->id == again.id);

  expect_error([&] { db.identify_credential(""); }, Errc::invalid_argument, "token");
  expect_error([&] { db.identify_credential(" \t "); }, Errc::invalid_argument, "token");
  expect_error([&] { db.identify_credential("\xc3("); }, Errc::invalid_argument, "token");
}

BOOST_AUTO_TEST_CASE(credential_holder_is_the_card_reader_hot_path) {
  auto& creds = db.credentials();
  const auto t = clock.now();
  BOOST_TEST(!db.credential_holder("4000123412341234").has_value());
  // Only credentials: a customer number, email or profile phone finds nobody.
  BOOST_TEST(!db.credential_holder(guest.number).has_value());
  BOOST_TEST(!db.credential_holder("ana@example.com").has_value());
  BOOST_TEST(!db.credential_holder("07911 123456").has_value());
  const auto card = creds.issue({.value = "4000123412341234", .customer_ref = ana.number, .valid_until = t + 1h});
  BOOST_TEST((db.credential_holder(" 4000123412341234 ") == std::optional<CustomerId>(ana.id)));
  BOOST_TEST(!db.credential_holder("4000123412341234", t + 1h).has_value());  // expired then
  // A caller id matches any spelling of the number; a card value with the
  // same digits as a phone credential does not match it, nor the reverse.
  creds.issue({.kind = CredentialKind::phone, .value = "020 7946 0018", .customer_ref = guest.number});
  BOOST_TEST((db.credential_holder("+44 20 7946 0018") == std::optional<CustomerId>(guest.id)));
  // Several kinds share the value: the first issued wins.
  creds.issue({.kind = CredentialKind::key_fob, .value = "02079460018", .customer_ref = jose.number});
  BOOST_TEST((db.credential_holder("02079460018") == std::optional<CustomerId>(guest.id)));
  creds.set_status(card.id, CredentialStatus::lost);
  BOOST_TEST(!db.credential_holder("4000123412341234").has_value());
  expect_error([&] { db.credential_holder(""); }, Errc::invalid_argument, "token");
  expect_error([&] { db.credential_holder("\xc3("); }, Errc::invalid_argument, "token");
}

BOOST_AUTO_TEST_SUITE_END()
