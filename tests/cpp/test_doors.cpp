// Doors: door ids and records, permissions with windows and membership
// requirements, check()/can_open() with every reason in its order, and
// open_door() by credential (each refused credential state is a denial).
#include <boost/test/unit_test.hpp>
#include <chrono>

#include "fixture.hpp"

using namespace patron;
using namespace std::chrono_literals;
using patron::testing::DbFixture;
using patron::testing::expect_error;

namespace patron {
inline std::ostream& operator<<(std::ostream& os, AccessReason v) { return os << to_string(v); }
}  // namespace patron

namespace {

struct DoorFixture : DbFixture {
  Customer ana = customers().create({.first_name = "Ana", .last_name = "Silva", .email = "ana@acme.com"});
  Customer bob = customers().create({.first_name = "Bob", .last_name = "Jones", .email = "bob@example.com"});
  Doors& doors() { return db.doors(); }
  Door gate = doors().create({.id = "front-gate", .name = "Front gate"});
  Door spa = doors().create({.id = "spa/2", .name = "Spa 2", .notes = "Level 2"});

  AccessReason reason(const Customer& who, std::string_view door, std::optional<Timestamp> at = {}) {
    return doors().check(who.number, door, at).reason;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(doors, DoorFixture)

BOOST_AUTO_TEST_CASE(doors_are_created_found_updated_and_listed) {
  BOOST_TEST(gate.id == "front-gate");
  BOOST_TEST(gate.created_at == clock.now());
  BOOST_TEST((doors().get("spa/2") == spa));
  BOOST_TEST(!doors().find("Front-Gate").has_value());  // matched exactly
  BOOST_TEST(doors().find("front-gate").has_value());
  clock.advance(1min);
  const auto renamed = doors().update("spa/2", " Spa two ", "");
  BOOST_TEST(renamed.name == "Spa two");
  BOOST_TEST(renamed.notes.empty());
  BOOST_TEST(renamed.updated_at == clock.now());
  BOOST_TEST(renamed.created_at == spa.created_at);
  doors().create({.id = "A.b_c-d:e/1", .name = "Odd but fine"});
  const auto all = doors().list();
  BOOST_TEST_REQUIRE(all.size() == 3u);
  BOOST_TEST(all[0].id == "A.b_c-d:e/1");
  BOOST_TEST(all[1].id == "front-gate");
  BOOST_TEST(all[2].id == "spa/2");
}

BOOST_AUTO_TEST_CASE(every_bad_input_names_its_field) {
  expect_error([&] { doors().create({.id = "", .name = "X"}); }, Errc::invalid_argument, "id");
  expect_error([&] { doors().create({.id = "has space", .name = "X"}); }, Errc::invalid_argument, "id");
  expect_error([&] { doors().create({.id = std::string(65, 'd'), .name = "X"}); }, Errc::invalid_argument, "id");
  BOOST_TEST(doors().create({.id = std::string(64, 'd'), .name = "X"}).id.size() == 64u);
  expect_error([&] { doors().create({.id = "ok", .name = " "}); }, Errc::invalid_argument, "name");
  expect_error([&] { doors().create({.id = "ok", .name = std::string(201, 'n')}); }, Errc::invalid_argument, "name");
  expect_error([&] { doors().create({.id = "ok", .name = "N", .notes = std::string(2001, 'n')}); },
               Errc::invalid_argument, "notes");
  expect_error([&] { doors().create({.id = "front-gate", .name = "Again"}); }, Errc::already_exists, "id");
  expect_error([&] { doors().update("nope", "N", ""); }, Errc::not_found, "id");
  expect_error([&] { doors().update("bad id", "N", ""); }, Errc::invalid_argument, "id");
  expect_error([&] { doors().update("spa/2", "", ""); }, Errc::invalid_argument, "name");
  expect_error([&] { doors().get("nope"); }, Errc::not_found, "id");
  expect_error([&] { doors().find("bad id"); }, Errc::invalid_argument, "id");

  expect_error([&] { doors().grant({.customer_ref = ana.number, .door = "nope"}); }, Errc::not_found, "door");
  expect_error([&] { doors().grant({.customer_ref = ana.number, .door = "bad door"}); }, Errc::invalid_argument,
               "door");
  expect_error([&] { doors().grant({.customer_ref = "a b", .door = "spa/2"}); }, Errc::invalid_argument, "ref");
  expect_error([&] { doors().grant({.customer_ref = "99999", .door = "spa/2"}); }, Errc::not_found, "ref");
  expect_error(
      [&] {
        doors().grant({.customer_ref = ana.number, .door = "spa/2", .starts_at = clock.now(), .ends_at = clock.now()});
      },
      Errc::invalid_argument, "ends_at");
  expect_error([&] { doors().grant({.customer_ref = ana.number, .door = "spa/2", .notes = std::string(2001, 'x')}); },
               Errc::invalid_argument, "notes");
  expect_error([&] { doors().grant({.customer_ref = ana.number, .door = "spa/2", .required_plan = 77}); },
               Errc::not_found, "required_plan");
  expect_error([&] { doors().revoke(4242); }, Errc::not_found, "id");
  expect_error([&] { doors().permissions_of("99999"); }, Errc::not_found, "ref");
  expect_error([&] { doors().permissions_of_door("nope"); }, Errc::not_found, "door");
  expect_error([&] { doors().permissions_of_door("bad door"); }, Errc::invalid_argument, "door");
  expect_error([&] { doors().permissions_of_door("spa/2", {.limit = 0}); }, Errc::invalid_argument, "limit");
  expect_error([&] { doors().check("99999", "spa/2"); }, Errc::not_found, "ref");
  expect_error([&] { doors().check(ana.number, "bad door"); }, Errc::invalid_argument, "door");
  expect_error([&] { doors().open_door("", "spa/2"); }, Errc::invalid_argument, "token");
  expect_error([&] { doors().open_door("\xc3(", "spa/2"); }, Errc::invalid_argument, "token");
  expect_error([&] { doors().open_door("CARD", "bad door"); }, Errc::invalid_argument, "door");
  // Nothing was granted by the refused calls.
  BOOST_TEST(doors().permissions_of(ana.number).empty());
}

BOOST_AUTO_TEST_CASE(permissions_are_listed_in_order_and_revoked) {
  const auto t = clock.now();
  const auto late = doors().grant({.customer_ref = ana.number, .door = "spa/2", .starts_at = t + 1h});
  const auto open = doors().grant({.customer_ref = ana.number, .door = "spa/2", .notes = " any time "});
  const auto g = doors().grant({.customer_ref = ana.number, .door = "front-gate", .ends_at = t + 1h});
  const auto b = doors().grant({.customer_ref = bob.number, .door = "spa/2", .starts_at = t});
  BOOST_TEST(open.notes == "any time");
  BOOST_TEST(open.customer == ana.id);
  BOOST_TEST(open.created_at == t);
  const auto mine = doors().permissions_of(ana.id.str());
  BOOST_TEST_REQUIRE(mine.size() == 3u);
  BOOST_TEST(mine[0].id == g.id);     // front-gate first
  BOOST_TEST(mine[1].id == open.id);  // unbounded start first
  BOOST_TEST(mine[2].id == late.id);
  const auto at_spa = doors().permissions_of_door("spa/2");
  BOOST_TEST_REQUIRE(at_spa.size() == 3u);  // ana (00001) before bob (00002)
  BOOST_TEST(at_spa[0].id == open.id);
  BOOST_TEST(at_spa[1].id == late.id);
  BOOST_TEST(at_spa[2].id == b.id);
  const auto page = doors().permissions_of_door("spa/2", {.limit = 1, .offset = 2});
  BOOST_TEST_REQUIRE(page.size() == 1u);
  BOOST_TEST(page[0].id == b.id);
  doors().revoke(open.id);
  BOOST_TEST(doors().permissions_of(ana.number).size() == 2u);
  expect_error([&] { doors().revoke(open.id); }, Errc::not_found, "id");
}

BOOST_AUTO_TEST_CASE(check_gives_each_reason_in_order) {
  const auto t = clock.now();
  BOOST_TEST(reason(ana, "nope") == AccessReason::unknown_door);
  BOOST_TEST(reason(ana, "spa/2") == AccessReason::no_permission);
  const auto window = doors().grant(
      {.customer_ref = ana.number, .door = "spa/2", .starts_at = t + 1h, .ends_at = t + 2h});
  BOOST_TEST(reason(ana, "spa/2") == AccessReason::outside_window);
  // Window edges: start inclusive, end exclusive.
  BOOST_TEST(reason(ana, "spa/2", t + 1h - 1us) == AccessReason::outside_window);
  const auto inside = doors().check(ana.number, "spa/2", t + 1h);
  BOOST_TEST(inside.allowed);
  BOOST_TEST(inside.reason == AccessReason::allowed);
  BOOST_TEST((inside.permission == std::optional<std::int64_t>(window.id)));
  BOOST_TEST((inside.customer == std::optional<CustomerId>(ana.id)));
  BOOST_TEST(!inside.credential.has_value());
  BOOST_TEST(doors().can_open(ana.number, "spa/2", t + 2h - 1us));
  BOOST_TEST(!doors().can_open(ana.number, "spa/2", t + 2h));
  BOOST_TEST(!doors().can_open(ana.number, "spa/2"));  // now is before the window
  clock.advance(90min);
  BOOST_TEST(doors().can_open(ana.number, "spa/2"));  // at defaults to now
  // Banned comes first, even with a covering permission; an unknown door still says so.
  customers().ban(ana.number, "fight at the bar", "manager");
  BOOST_TEST(reason(ana, "spa/2") == AccessReason::banned);
  BOOST_TEST(reason(ana, "front-gate") == AccessReason::banned);
  BOOST_TEST(reason(ana, "nope") == AccessReason::unknown_door);
  customers().unban(ana.number);
  BOOST_TEST(doors().can_open(ana.number, "spa/2"));
}

BOOST_AUTO_TEST_CASE(membership_requirement_counts_own_and_company_memberships) {
  const auto t = clock.now();
  const auto gold = db.memberships().create_plan({.name = "Gold"});
  const auto corp = db.memberships().create_plan({.name = "Corporate", .kind = PlanKind::company});
  const auto p = doors().grant({.customer_ref = ana.number, .door = "spa/2", .required_plan = gold.id});
  BOOST_TEST((p.required_plan == std::optional<std::int64_t>(gold.id)));
  BOOST_TEST(reason(ana, "spa/2") == AccessReason::membership_required);
  const auto m = db.memberships().add({.plan = gold.id, .customer_ref = ana.number, .starts_at = t + 1h,
                                       .ends_at = t + 3h});
  BOOST_TEST(reason(ana, "spa/2") == AccessReason::membership_required);  // not started yet
  BOOST_TEST(doors().can_open(ana.number, "spa/2", t + 1h));
  BOOST_TEST(!doors().can_open(ana.number, "spa/2", t + 3h));
  db.memberships().set_status(m.id, MembershipStatus::paused);
  BOOST_TEST(reason(ana, "spa/2", t + 2h) == AccessReason::membership_required);

  // A company membership counts for every member of the company (ana@acme.com
  // is linked by her email domain).
  const auto acme = db.companies().create({.name = "Acme", .domains = {"acme.com"}});
  doors().grant({.customer_ref = ana.number, .door = "front-gate", .required_plan = corp.id});
  BOOST_TEST(reason(ana, "front-gate") == AccessReason::membership_required);
  db.memberships().add({.plan = corp.id, .company = acme.id});
  BOOST_TEST(doors().can_open(ana.number, "front-gate"));
  // Bob is not in Acme.
  doors().grant({.customer_ref = bob.number, .door = "front-gate", .required_plan = corp.id});
  BOOST_TEST(reason(bob, "front-gate") == AccessReason::membership_required);
  // One permission without a requirement is enough.
  const auto plain = doors().grant({.customer_ref = bob.number, .door = "front-gate"});
  const auto d = doors().check(bob.number, "front-gate");
  BOOST_TEST(d.allowed);
  BOOST_TEST((d.permission == std::optional<std::int64_t>(plain.id)));
}

BOOST_AUTO_TEST_CASE(open_door_identifies_the_credential_first) {
  const auto t = clock.now();
  auto& creds = db.credentials();
  doors().grant({.customer_ref = ana.number, .door = "spa/2"});
  const auto card = creds.issue({.value = "4000123412341234", .customer_ref = ana.number});
  auto open = [&](std::string_view token, std::optional<Timestamp> at = {}) {
    return doors().open_door(token, "spa/2", at);
  };
  const auto ok = open(" 4000123412341234 ");
  BOOST_TEST(ok.allowed);
  BOOST_TEST(ok.reason == AccessReason::allowed);
  BOOST_TEST((ok.customer == std::optional<CustomerId>(ana.id)));
  BOOST_TEST((ok.credential == std::optional<std::int64_t>(card.id)));
  BOOST_TEST(ok.permission.has_value());
  BOOST_TEST(doors().open_door("4000123412341234", "nope").reason == AccessReason::unknown_door);

  const auto unknown = open("0000000000000000");
  BOOST_TEST(!unknown.allowed);
  BOOST_TEST(unknown.reason == AccessReason::unknown_credential);
  BOOST_TEST(!unknown.credential.has_value());
  BOOST_TEST(!unknown.customer.has_value());
  // A customer number or an email is not a credential.
  BOOST_TEST(open(ana.number).reason == AccessReason::unknown_credential);
  BOOST_TEST(open("ana@acme.com").reason == AccessReason::unknown_credential);

  // Each refused state is a denial naming the credential.
  auto denied_as = [&](AccessReason expected, std::optional<Timestamp> at = {}) {
    const auto d = open("4000123412341234", at);
    BOOST_TEST(!d.allowed);
    BOOST_TEST(d.reason == expected);
    BOOST_TEST((d.credential == std::optional<std::int64_t>(card.id)));
    BOOST_TEST(!d.customer.has_value());
  };
  creds.set_status(card.id, CredentialStatus::blocked);
  denied_as(AccessReason::credential_blocked);
  creds.set_status(card.id, CredentialStatus::lost);
  denied_as(AccessReason::credential_lost);
  creds.set_status(card.id, CredentialStatus::active);
  creds.set_validity(card.id, t + 1h, t + 2h);
  denied_as(AccessReason::credential_not_yet_valid);
  denied_as(AccessReason::credential_expired, t + 2h);
  BOOST_TEST(open("4000123412341234", t + 1h).allowed);
  const auto next = creds.replace(card.id, {.value = "4000999988887777", .valid_until = t + 100h});
  denied_as(AccessReason::credential_replaced, t + 1h);
  BOOST_TEST((open("4000999988887777", t + 1h).credential == std::optional<std::int64_t>(next.id)));
  BOOST_TEST(open("4000999988887777", t + 1h).allowed);

  // A usable credential whose holder may not enter: the door check's reason.
  const auto bobs = creds.issue({.kind = CredentialKind::key_fob, .value = "FOB-7", .customer_ref = bob.number});
  const auto d = open("FOB-7");
  BOOST_TEST(d.reason == AccessReason::no_permission);
  BOOST_TEST((d.customer == std::optional<CustomerId>(bob.id)));
  BOOST_TEST((d.credential == std::optional<std::int64_t>(bobs.id)));
  // Two usable credentials of different kinds with one value: the allowed holder wins.
  const auto anas = creds.issue({.kind = CredentialKind::barcode, .value = "FOB-7", .customer_ref = ana.number});
  const auto both = open("FOB-7");
  BOOST_TEST(both.allowed);
  BOOST_TEST((both.customer == std::optional<CustomerId>(ana.id)));
  BOOST_TEST((both.credential == std::optional<std::int64_t>(anas.id)));
  // A phone credential opens by any spelling of the number.
  creds.issue({.kind = CredentialKind::phone, .value = "020 7946 0018", .customer_ref = ana.number});
  BOOST_TEST(open("+44 20 7946 0018").allowed);
}

BOOST_AUTO_TEST_SUITE_END()
