// Customers: creation rules, numbers, contacts, updates, bans, presence,
// and that a refused operation leaves nothing behind.
#include <boost/test/unit_test.hpp>

#include "fixture.hpp"

using namespace patron;
using patron::testing::DbFixture;
using patron::testing::expect_error;

namespace {

NewCustomer named(std::string first, std::string last) {
  NewCustomer n;
  n.first_name = std::move(first);
  n.last_name = std::move(last);
  return n;
}

NewCustomer with_email(std::string email) {
  NewCustomer n;
  n.email = std::move(email);
  return n;
}

std::size_t count_all(Customers& customers) { return customers.search("", {.limit = 1000}).size(); }

}  // namespace

BOOST_FIXTURE_TEST_SUITE(creation, DbFixture)

BOOST_AUTO_TEST_CASE(three_creation_forms) {
  const auto a = customers().create({.first_name = "Ana", .last_name = "Silva", .email = "ana@example.com"});
  BOOST_TEST(a.first_name == "Ana");
  BOOST_TEST(a.emails.size() == 1u);
  BOOST_TEST(a.emails[0].address == "ana@example.com");
  BOOST_TEST(a.emails[0].primary);

  const auto b = customers().create(named("Bo", "Berg"));
  BOOST_TEST(b.emails.empty());

  const auto c = customers().create(with_email("Only@Example.org"));
  BOOST_TEST(c.emails[0].address == "only@example.org");
  BOOST_TEST(c.first_name.empty());

  NewCustomer d;
  d.first_name = "José";
  d.phone = "07911 123456";
  const auto dc = customers().create(d);
  BOOST_TEST(dc.phones.size() == 1u);
  BOOST_TEST(dc.phones[0].number == "+447911123456");
  BOOST_TEST(dc.phones[0].verified);
  BOOST_TEST(to_string(dc.phones[0].label) == "mobile");

  NewCustomer intl;
  intl.first_name = "Sam";
  intl.phone = "+1 650-253-0000";
  BOOST_TEST(customers().create(intl).phones[0].number == "+16502530000");
}

BOOST_AUTO_TEST_CASE(created_record_matches_what_is_read_back) {
  NewCustomer n = named("Ana", "Silva");
  n.title = "Dr";
  n.email = "ana@example.com";
  n.phone = "020 7946 0018";
  n.phone_label = PhoneLabel::work;
  n.date_of_birth = Date{std::chrono::year{1990}, std::chrono::April, std::chrono::day{1}};
  n.lifecycle_stage = "regular";
  n.tags = {"vip", "vegan"};
  n.addresses = {Address{.purpose = AddressPurpose::billing, .line1 = "1 High St", .city = "London", .country = "gb"}};
  n.emergency_contact = EmergencyContact{"Rui Silva", "020 7946 0019"};
  const auto created = customers().create(n);
  BOOST_TEST(created.id.str().size() == 32u);
  BOOST_TEST(created.id.str()[12] == '7');  // UUIDv7
  BOOST_TEST(created.number == "00001");
  BOOST_TEST(created.created_at == clock.now());
  BOOST_TEST(created.updated_at == clock.now());
  BOOST_TEST(created.addresses[0].id > 0);
  BOOST_TEST(created.addresses[0].country == "GB");
  BOOST_TEST(created.addresses[0].is_default);
  BOOST_TEST(created.emergency_contact->phone == "+442079460019");
  BOOST_TEST(created.status == CustomerStatus::active);
  BOOST_TEST(created.presence == Presence::offline);
  BOOST_TEST((customers().get(created.id.str()) == created));
  BOOST_TEST((customers().get("00001") == created));
}

BOOST_AUTO_TEST_CASE(creation_rule_refusals) {
  expect_error([&] { customers().create({}); }, Errc::invalid_argument, "customer",
               "first and last name, an email, or first name and a valid phone");
  expect_error([&] { customers().create(named("Ana", "")); }, Errc::invalid_argument, "customer");
  expect_error([&] { customers().create(named("", "Silva")); }, Errc::invalid_argument, "customer");
  NewCustomer bad_phone;
  bad_phone.first_name = "Ana";
  bad_phone.phone = "07700 900123";  // parses, but not a valid number
  expect_error([&] { customers().create(bad_phone); }, Errc::invalid_argument, "phone", "not a valid phone number");
  NewCustomer phone_only;
  phone_only.phone = "07911 123456";
  expect_error([&] { customers().create(phone_only); }, Errc::invalid_argument, "customer");
  expect_error([&] { customers().create(with_email("not-an-email")); }, Errc::invalid_argument, "email", "has no @");
  NewCustomer whitespace = named("   ", "Silva");
  expect_error([&] { customers().create(whitespace); }, Errc::invalid_argument, "customer");
  BOOST_TEST(count_all(customers()) == 0u);
}

BOOST_AUTO_TEST_CASE(field_refusals) {
  auto with = [](auto&& set) {
    NewCustomer n = named("Ana", "Silva");
    set(n);
    return n;
  };
  expect_error([&] { customers().create(with([](NewCustomer& n) { n.first_name = std::string(101, 'a'); })); },
               Errc::invalid_argument, "first_name", "longer than 100");
  expect_error([&] { customers().create(with([](NewCustomer& n) { n.last_name = "Sil\xffva"; })); },
               Errc::invalid_argument, "last_name", "UTF-8");
  expect_error([&] { customers().create(with([](NewCustomer& n) { n.title = "Dr\n"; n.title += "x"; })); },
               Errc::invalid_argument, "title", "control");
  expect_error([&] { customers().create(with([](NewCustomer& n) { n.tags = {"vip", "VIP"}; })); },
               Errc::invalid_argument, "tags[1]", "duplicate");
  expect_error([&] { customers().create(with([](NewCustomer& n) { n.tags = {""}; })); }, Errc::invalid_argument,
               "tags[0]", "empty");
  expect_error(
      [&] {
        customers().create(with([](NewCustomer& n) {
          n.date_of_birth = Date{std::chrono::year{2030}, std::chrono::January, std::chrono::day{1}};
        }));
      },
      Errc::invalid_argument, "date_of_birth", "future");
  expect_error(
      [&] {
        customers().create(with([](NewCustomer& n) {
          n.date_of_birth = Date{std::chrono::year{2001}, std::chrono::February, std::chrono::day{29}};
        }));
      },
      Errc::invalid_argument, "date_of_birth", "calendar date");
  expect_error(
      [&] {
        customers().create(with([](NewCustomer& n) { n.addresses = {Address{.line1 = "1 High St", .country = "UK"}}; }));
      },
      Errc::invalid_argument, "addresses[0].country", "ISO 3166-1");
  expect_error(
      [&] { customers().create(with([](NewCustomer& n) { n.addresses = {Address{.country = "GB"}}; })); },
      Errc::invalid_argument, "addresses[0].line1", "line1, city or postal_code");
  expect_error(
      [&] { customers().create(with([](NewCustomer& n) { n.emergency_contact = EmergencyContact{"", "07911 123456"}; })); },
      Errc::invalid_argument, "emergency_contact.name", "empty");
  BOOST_TEST(count_all(customers()) == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(numbers, DbFixture)

BOOST_AUTO_TEST_CASE(generated_numbers_are_sequential_and_skip_imported_ones) {
  BOOST_TEST(customers().create(named("A", "One")).number == "00001");
  NewCustomer imported = named("B", "Two");
  imported.number = "00002";
  BOOST_TEST(customers().create(imported).number == "00002");
  BOOST_TEST(customers().create(named("C", "Three")).number == "00003");
  NewCustomer custom = named("D", "Four");
  custom.number = "MEM-2026/A.1_x";
  BOOST_TEST(customers().create(custom).number == "MEM-2026/A.1_x");
}

BOOST_AUTO_TEST_CASE(number_rules) {
  auto with_number = [](std::string number) {
    NewCustomer n = named("Ana", "Silva");
    n.number = std::move(number);
    return n;
  };
  expect_error([&] { customers().create(with_number("1234")); }, Errc::invalid_argument, "number", "at least 5");
  expect_error([&] { customers().create(with_number(std::string(33, '1'))); }, Errc::invalid_argument, "number",
               "at most 32");
  expect_error([&] { customers().create(with_number("AB 123")); }, Errc::invalid_argument, "number",
               "A-Z a-z 0-9 . _ - /");
  expect_error([&] { customers().create(with_number("ABC#123")); }, Errc::invalid_argument, "number");
  expect_error([&] { customers().create(with_number("NÚM123")); }, Errc::invalid_argument, "number");
  BOOST_TEST(customers().create(with_number(std::string(32, 'z'))).number == std::string(32, 'z'));
  const auto held = customers().create(with_number("VIP-001"));
  expect_error([&] { customers().create(with_number("vip-001")); }, Errc::already_exists, "number",
               held.id.str());
  BOOST_TEST(count_all(customers()) == 2u);
}

BOOST_AUTO_TEST_CASE(renaming) {
  const auto a = customers().create(named("Ana", "Silva"));
  const auto b = customers().create(named("Bo", "Berg"));
  clock.advance(std::chrono::seconds(5));
  const auto renamed = customers().set_number(a.id.str(), "GOLD-77");
  BOOST_TEST(renamed.number == "GOLD-77");
  BOOST_TEST(renamed.id == a.id);
  BOOST_TEST(renamed.updated_at == clock.now());
  BOOST_TEST(customers().get("gold-77").id == a.id);  // any case
  BOOST_TEST(!customers().find("00001").has_value());
  BOOST_TEST(customers().set_number("GOLD-77", "gold-77").number == "gold-77");  // own number, new case
  expect_error([&] { customers().set_number(b.number, "GOLD-77"); }, Errc::already_exists, "number");
  expect_error([&] { customers().set_number(b.number, "x"); }, Errc::invalid_argument, "number");
  BOOST_TEST(customers().get(b.id.str()).number == b.number);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(contacts, DbFixture)

BOOST_AUTO_TEST_CASE(emails_are_unique_across_customers) {
  const auto a = customers().create(with_email("ana@example.com"));
  const auto b = customers().create(named("Bo", "Berg"));
  expect_error([&] { customers().create(with_email(" ANA@EXAMPLE.COM")); }, Errc::already_exists, "email",
               "already held by customer " + a.id.str());
  expect_error([&] { customers().add_email(b.number, "Ana@Example.com"); }, Errc::already_exists, "email",
               a.id.str());
  expect_error([&] { customers().add_email(a.number, "ana@example.com"); }, Errc::already_exists, "email",
               "already has");
  BOOST_TEST(customers().get(b.number).emails.empty());
  BOOST_TEST(count_all(customers()) == 2u);
}

BOOST_AUTO_TEST_CASE(primary_email_moves_and_survives_removal) {
  const auto a = customers().create(named("Ana", "Silva"));
  auto c = customers().add_email(a.number, "first@example.com");
  BOOST_TEST(c.emails.size() == 1u);
  BOOST_TEST(c.emails[0].primary);  // the first becomes primary
  c = customers().add_email(a.number, "second@example.com");
  BOOST_TEST(c.primary_email()->address == "first@example.com");
  c = customers().add_email(a.number, "third@example.com", true);
  BOOST_TEST(c.primary_email()->address == "third@example.com");
  BOOST_TEST(c.emails[0].address == "third@example.com");  // primary first
  c = customers().set_primary_email(a.number, "SECOND@example.com");
  BOOST_TEST(c.primary_email()->address == "second@example.com");
  c = customers().remove_email(a.number, "second@example.com");
  BOOST_TEST(c.emails.size() == 2u);
  BOOST_TEST(c.primary_email() != nullptr);
  BOOST_TEST(c.primary_email()->address == "first@example.com");
  expect_error([&] { customers().remove_email(a.number, "nobody@example.com"); }, Errc::not_found, "email");
  expect_error([&] { customers().set_primary_email(a.number, "nobody@example.com"); }, Errc::not_found, "email");
  // A freed address can be taken by someone else.
  const auto b = customers().create(with_email("second@example.com"));
  BOOST_TEST(customers().find_by_email("second@example.com")->id == b.id);
}

BOOST_AUTO_TEST_CASE(removing_the_last_way_to_recognise_is_refused) {
  const auto a = customers().create(with_email("only@example.com"));
  expect_error([&] { customers().remove_email(a.number, "only@example.com"); }, Errc::failed_precondition, "customer");
  BOOST_TEST(customers().get(a.number).emails.size() == 1u);
  NewCustomer n;
  n.first_name = "Jo";
  n.phone = "07911 123456";
  const auto j = customers().create(n);
  expect_error([&] { customers().remove_phone(j.number, "+447911123456"); }, Errc::failed_precondition, "customer");
  expect_error([&] { customers().update(j.number, {.first_name = ""}); }, Errc::failed_precondition, "customer");
  BOOST_TEST(customers().get(j.number).first_name == "Jo");
}

BOOST_AUTO_TEST_CASE(phones_may_be_shared_and_keep_raw_text) {
  const auto a = customers().create(named("Ana", "Silva"));
  const auto b = customers().create(named("Bo", "Berg"));
  customers().add_phone(a.number, "07911 123456", PhoneLabel::home);
  auto c = customers().add_phone(b.number, "+44 7911 123456", PhoneLabel::work);
  BOOST_TEST(c.phones[0].number == "+447911123456");
  BOOST_TEST(to_string(c.phones[0].label) == "work");
  c = customers().add_phone(b.number, "reception ext 421");
  BOOST_TEST(c.phones[1].number == "reception ext 421");
  BOOST_TEST(!c.phones[1].verified);
  expect_error([&] { customers().add_phone(b.number, "07911123456"); }, Errc::already_exists, "phone");
  expect_error([&] { customers().add_phone(b.number, "no digits"); }, Errc::invalid_argument, "phone");
  c = customers().remove_phone(b.number, "0791 112 3456");
  BOOST_TEST(c.phones.size() == 1u);
  expect_error([&] { customers().remove_phone(b.number, "07911 123456"); }, Errc::not_found, "phone");
}

BOOST_AUTO_TEST_CASE(addresses_and_defaults) {
  const auto a = customers().create(named("Ana", "Silva"));
  auto c = customers().add_address(a.number, {.purpose = AddressPurpose::billing, .line1 = "1 High St", .country = "GB"});
  BOOST_TEST(c.addresses[0].is_default);
  c = customers().add_address(a.number, {.purpose = AddressPurpose::billing, .line1 = "2 Low St", .country = "GB"});
  BOOST_TEST(!c.addresses[1].is_default);
  c = customers().add_address(
      a.number, {.purpose = AddressPurpose::billing, .line1 = "3 Mid St", .country = "IE", .is_default = true});
  BOOST_TEST(!c.addresses[0].is_default);
  BOOST_TEST(c.addresses[2].is_default);
  c = customers().add_address(a.number, {.purpose = AddressPurpose::shipping, .postal_code = "1100-053", .country = "PT"});
  BOOST_TEST(c.addresses[3].is_default);  // first of its purpose
  const auto removed_id = c.addresses[2].id;
  c = customers().remove_address(a.number, removed_id);
  BOOST_TEST(c.addresses.size() == 3u);
  BOOST_TEST(c.addresses[0].is_default);  // the default passed to the next billing address
  expect_error([&] { customers().remove_address(a.number, removed_id); }, Errc::not_found, "address_id");
  expect_error([&] { customers().add_address(a.number, {.line1 = "x", .country = "ZZ"}); }, Errc::invalid_argument,
               "address.country");
  BOOST_TEST(customers().get(a.number).addresses.size() == 3u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(changes, DbFixture)

BOOST_AUTO_TEST_CASE(partial_update_touches_only_given_fields) {
  NewCustomer n = named("Ana", "Silva");
  n.title = "Ms";
  n.tags = {"vip"};
  n.date_of_birth = Date{std::chrono::year{1990}, std::chrono::April, std::chrono::day{1}};
  const auto a = customers().create(n);
  clock.advance(std::chrono::minutes(1));
  auto c = customers().update(a.number, {.last_name = "Souza", .lifecycle_stage = "regular"});
  BOOST_TEST(c.last_name == "Souza");
  BOOST_TEST(c.first_name == "Ana");
  BOOST_TEST(c.title == "Ms");
  BOOST_TEST(c.tags == std::vector<std::string>{"vip"});
  BOOST_TEST(c.lifecycle_stage == "regular");
  BOOST_TEST(c.updated_at == clock.now());
  BOOST_TEST(c.created_at == a.created_at);
  CustomerUpdate clear;
  clear.title = "";
  clear.date_of_birth.emplace();  // engaged, empty: clear
  clear.tags = std::vector<std::string>{};
  c = customers().update(a.number, clear);
  BOOST_TEST(c.title.empty());
  BOOST_TEST(!c.date_of_birth.has_value());
  BOOST_TEST(c.tags.empty());
  BOOST_TEST((customers().get(a.id.str()) == c));
  BOOST_TEST(customers().search("souza").size() == 1u);  // search follows renames
  BOOST_TEST(customers().search("silva").empty());
}

BOOST_AUTO_TEST_CASE(refused_update_changes_nothing) {
  const auto a = customers().create(named("Ana", "Silva"));
  expect_error([&] { customers().update(a.number, {.first_name = "Anna", .last_name = std::string(200, 'x')}); },
               Errc::invalid_argument, "last_name");
  BOOST_TEST((customers().get(a.number) == a));
  expect_error([&] { customers().update("99999", {.first_name = "X"}); }, Errc::not_found, "ref");
  expect_error([&] { customers().update("no", {.first_name = "X"}); }, Errc::invalid_argument, "ref");
}

BOOST_AUTO_TEST_CASE(ban_and_unban) {
  const auto a = customers().create(named("Ana", "Silva"));
  clock.advance(std::chrono::hours(1));
  auto c = customers().ban(a.number, "chargeback", "manager:kim");
  BOOST_TEST(c.status == CustomerStatus::banned);
  BOOST_TEST(c.ban->reason == "chargeback");
  BOOST_TEST(c.ban->by == "manager:kim");
  BOOST_TEST(c.ban->at == clock.now());
  BOOST_TEST((customers().get(a.number) == c));
  expect_error([&] { customers().ban(a.number, "again", "kim"); }, Errc::failed_precondition, "status",
               "already banned");
  c = customers().unban(a.number);
  BOOST_TEST(c.status == CustomerStatus::active);
  BOOST_TEST(!c.ban.has_value());
  expect_error([&] { customers().unban(a.number); }, Errc::failed_precondition, "status", "not banned");
  expect_error([&] { customers().ban(a.number, "", "kim"); }, Errc::invalid_argument, "reason");
  expect_error([&] { customers().ban(a.number, "why", " "); }, Errc::invalid_argument, "by");
}

BOOST_AUTO_TEST_CASE(presence_follows_the_clock) {
  const auto a = customers().create(named("Ana", "Silva"));
  BOOST_TEST(!a.first_active_at.has_value());
  const Timestamp t0 = clock.now();
  auto c = customers().set_online(a.number, std::chrono::minutes(10));
  BOOST_TEST(c.presence == Presence::online);
  BOOST_TEST(*c.online_until == t0 + std::chrono::minutes(10));
  BOOST_TEST(*c.first_active_at == t0);
  BOOST_TEST(*c.last_active_at == t0);
  clock.advance(std::chrono::minutes(9));
  BOOST_TEST(customers().get(a.number).presence == Presence::online);
  clock.advance(std::chrono::minutes(2));
  BOOST_TEST(customers().get(a.number).presence == Presence::offline);  // expired
  c = customers().set_online(a.number, std::chrono::minutes(10));
  BOOST_TEST(*c.first_active_at == t0);
  BOOST_TEST(*c.last_active_at == clock.now());
  c = customers().set_offline(a.number);
  BOOST_TEST(c.presence == Presence::offline);
  BOOST_TEST(!c.online_until.has_value());
  expect_error([&] { customers().set_online(a.number, std::chrono::seconds(0)); }, Errc::invalid_argument, "ttl");
  expect_error([&] { customers().set_online(a.number, std::chrono::hours(24 * 8)); }, Errc::invalid_argument, "ttl");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(batches, DbFixture)

BOOST_AUTO_TEST_CASE(create_many_is_all_or_nothing) {
  std::vector<NewCustomer> batch{named("A", "One"), with_email("two@example.com"), named("C", "Three")};
  const auto created = customers().create_many(batch);
  BOOST_TEST(created.size() == 3u);
  BOOST_TEST(created[2].number == "00003");
  BOOST_TEST((customers().get("00002") == created[1]));

  std::vector<NewCustomer> bad{named("D", "Four"), with_email("five@example.com"), with_email("TWO@example.com")};
  expect_error([&] { customers().create_many(bad); }, Errc::already_exists, "[2].email", "already held");
  std::vector<NewCustomer> dup{with_email("six@example.com"), with_email("six@example.com")};
  expect_error([&] { customers().create_many(dup); }, Errc::already_exists, "[1].email");
  std::vector<NewCustomer> invalid{named("E", "Five"), with_email("nope")};
  expect_error([&] { customers().create_many(invalid); }, Errc::invalid_argument, "[1].email");
  BOOST_TEST(count_all(customers()) == 3u);
  BOOST_TEST(!customers().find_by_email("five@example.com").has_value());
  // Numbers claimed by a rolled-back batch are handed out again.
  BOOST_TEST(customers().create(named("F", "Six")).number == "00004");
}

BOOST_AUTO_TEST_SUITE_END()
