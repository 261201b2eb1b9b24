// The behaviour every storage adapter owes the core, written against the
// ports (patron/store). Each adapter registers a factory below; today SQLite
// on a file and in memory.
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include "fixture.hpp"
#include "patron/store/store.hpp"
#include "sqlite/sqlite_store.hpp"

using namespace patron;
using patron::testing::expect_error;
using patron::testing::TempDir;

namespace {

struct Adapter {
  const char* name;
  std::unique_ptr<store::Store> (*open)(const TempDir& dir);
};

const Adapter kAdapters[] = {
    {"sqlite-file", [](const TempDir& dir) { return sqlite::open_store(dir.file("store.db"), Options{}); }},
    {"sqlite-memory", [](const TempDir&) { return sqlite::open_store(":memory:", Options{}); }},
};


const Timestamp kNow = from_micros(patron::testing::kStartMicros);

Customer sample(std::string number, std::string email) {
  Customer c;
  c.id = CustomerId::generate(kNow);
  c.number = std::move(number);
  c.first_name = "Ana";
  c.last_name = "Silva";
  if (!email.empty()) c.emails.push_back(Email{std::move(email), true});
  c.phones.push_back(Phone{"+447911123456", PhoneLabel::mobile, true});
  c.addresses.push_back(Address{.purpose = AddressPurpose::billing, .line1 = "1 High St", .country = "GB", .is_default = true});
  c.created_at = kNow;
  c.updated_at = kNow;
  return c;
}

}  // namespace

BOOST_TEST_DONT_PRINT_LOG_VALUE(Adapter)

BOOST_DATA_TEST_CASE(insert_then_read_back_in_every_way, boost::unit_test::data::make(kAdapters), adapter) {
  TempDir dir;
  auto st = adapter.open(dir);
  Customer c = sample("00042", "ana@example.com");
  st->write([&](store::Transaction& tx) { tx.customers().insert(c, "ana silva"); });
  BOOST_TEST(c.addresses[0].id > 0);
  st->read([&](store::Transaction& tx) {
    auto& repo = tx.customers();
    BOOST_TEST((repo.by_id(c.id, kNow) == c));
    BOOST_TEST((repo.by_number("00042", kNow) == c));
    BOOST_TEST((repo.by_email("ana@example.com", kNow) == c));
    BOOST_TEST(repo.by_phone("+447911123456", kNow).size() == 1u);
    BOOST_TEST(repo.search({"an", "sil"}, {}, kNow).size() == 1u);
    BOOST_TEST(repo.search({"bo"}, {}, kNow).empty());
    BOOST_TEST(repo.has_id(c.id));
    BOOST_TEST((repo.id_by_email("ana@example.com") == c.id));
    BOOST_TEST(repo.ids_by_phone("+447911123456").size() == 1u);
    BOOST_TEST(!repo.id_by_number("00043").has_value());
  });
}

BOOST_DATA_TEST_CASE(uniqueness_is_enforced_by_storage, boost::unit_test::data::make(kAdapters), adapter) {
  TempDir dir;
  auto st = adapter.open(dir);
  Customer a = sample("ABCDE", "ana@example.com");
  st->write([&](store::Transaction& tx) { tx.customers().insert(a, "ana silva"); });
  Customer same_email = sample("FGHIJ", "ana@example.com");
  expect_error([&] { st->write([&](store::Transaction& tx) { tx.customers().insert(same_email, "x"); }); },
               Errc::already_exists, "email", a.id.str());
  Customer same_number = sample("abcde", "");
  expect_error([&] { st->write([&](store::Transaction& tx) { tx.customers().insert(same_number, "x"); }); },
               Errc::already_exists, "number");
  // Neither refused insert left a row behind.
  st->read([&](store::Transaction& tx) {
    BOOST_TEST(!tx.customers().has_id(same_email.id));
    BOOST_TEST(!tx.customers().has_id(same_number.id));
    BOOST_TEST(tx.customers().search({}, {}, kNow).size() == 1u);
  });
}

BOOST_DATA_TEST_CASE(work_that_throws_is_rolled_back, boost::unit_test::data::make(kAdapters), adapter) {
  TempDir dir;
  auto st = adapter.open(dir);
  Customer a = sample("", "ana@example.com");
  BOOST_CHECK_THROW(st->write([&](store::Transaction& tx) {
    a.number = tx.customers().claim_generated_number();
    tx.customers().insert(a, "ana silva");
    throw std::runtime_error("host failure mid-operation");
  }),
                    std::runtime_error);
  st->read([&](store::Transaction& tx) { BOOST_TEST(!tx.customers().has_id(a.id)); });
  std::string number;
  st->write([&](store::Transaction& tx) { number = tx.customers().claim_generated_number(); });
  BOOST_TEST(number == "00001");  // the rolled-back claim is handed out again
  st->write([&](store::Transaction& tx) { number = tx.customers().claim_generated_number(); });
  BOOST_TEST(number == "00002");
}

BOOST_DATA_TEST_CASE(records_are_unique_per_source_and_feed_the_aggregates, boost::unit_test::data::make(kAdapters),
                     adapter) {
  TempDir dir;
  auto st = adapter.open(dir);
  Customer a = sample("ABCDE", "ana@example.com");
  st->write([&](store::Transaction& tx) { tx.customers().insert(a, "silva ana"); });
  auto order = [&](std::string ref, Timestamp at, std::int64_t total, OrderStatus status) {
    Order o;
    o.customer = a.id;
    o.source = "pos";
    o.external_ref = std::move(ref);
    o.placed_at = at;
    o.status = status;
    o.currency = "GBP";
    o.total = total;
    o.items = {OrderItem{"Tea", 2, total / 2, "drinks"}};
    o.created_at = kNow;
    o.updated_at = kNow;
    return o;
  };
  const Timestamp day0 = kNow - std::chrono::days(10);
  st->write([&](store::Transaction& tx) {
    for (auto o : {order("R-1", day0, 100, OrderStatus::completed),
                   order("R-2", day0 + std::chrono::hours(2), 50, OrderStatus::completed),  // same day
                   order("R-3", day0 + std::chrono::days(3), 70, OrderStatus::completed),
                   order("R-4", day0 + std::chrono::days(4), 999, OrderStatus::cancelled)}) {
      tx.commerce().insert_order(o);
      BOOST_TEST(o.id > 0);
    }
  });
  auto dup = order("R-1", day0, 1, OrderStatus::created);
  expect_error([&] { st->write([&](store::Transaction& tx) { tx.commerce().insert_order(dup); }); },
               Errc::already_exists, "external_ref");
  st->read([&](store::Transaction& tx) {
    const auto back = tx.commerce().order_by_ref("pos", "R-1");
    BOOST_TEST_REQUIRE(back.has_value());
    BOOST_TEST((back->items == std::vector<OrderItem>{OrderItem{"Tea", 2, 50, "drinks"}}));
    BOOST_TEST(tx.commerce().orders_of(a.id, {}, {}).size() == 4u);
    BOOST_TEST(tx.commerce().orders_of(a.id, {.statuses = {OrderStatus::cancelled}}, {}).size() == 1u);
    const auto totals = tx.analytics().order_totals(a.id);
    BOOST_TEST_REQUIRE(totals.size() == 1u);
    BOOST_TEST(totals[0].orders == 3);  // not the cancelled one
    BOOST_TEST(totals[0].spend == 220);
    std::vector<std::vector<std::pair<std::int64_t, std::int64_t>>> seen;
    tx.analytics().for_each_history("GBP", kNow, std::nullopt,
                                    [&](const CustomerId& id, std::span<const store::Occasion> occasions) {
                                      BOOST_TEST(id == a.id);
                                      seen.emplace_back();
                                      for (const auto& o : occasions) seen.back().emplace_back(o.day, o.spend);
                                    });
    BOOST_TEST_REQUIRE(seen.size() == 1u);
    BOOST_TEST_REQUIRE(seen[0].size() == 2u);  // two occasions: the same-day orders merged
    BOOST_TEST(seen[0][0].second == 150);
    BOOST_TEST(seen[0][1].first - seen[0][0].first == 3);
  });
}

BOOST_DATA_TEST_CASE(company_domains_and_links_are_unique_in_storage, boost::unit_test::data::make(kAdapters),
                     adapter) {
  TempDir dir;
  auto st = adapter.open(dir);
  Customer ana = sample("00001", "ana@eu.acme.com");
  Company acme{.name = "Acme", .created_at = kNow, .updated_at = kNow};
  Company beta{.name = "Beta", .created_at = kNow, .updated_at = kNow};
  st->write([&](store::Transaction& tx) {
    tx.customers().insert(ana, "silva ana");
    auto& repo = tx.companies();
    repo.insert(acme, "acme");
    repo.insert(beta, "beta");
    repo.set_email_domain(ana.id, "ana@eu.acme.com", "acme.com");
    repo.add_domain(acme.id, "acme.com", kNow);
    BOOST_TEST(repo.link_domain(acme.id, "acme.com", kNow) == 1);
    BOOST_TEST(repo.link_domain(acme.id, "acme.com", kNow) == 0);  // already linked
    BOOST_TEST(repo.link_customer(ana.id, "acme.com", kNow) == 0);
    repo.put_manual_link({acme.id, ana.id, LinkSource::manual, "employee", true, "", kNow});
    repo.put_manual_link({acme.id, ana.id, LinkSource::manual, "owner", false, "", kNow});  // replaces
  });
  // A domain belongs to one company, whatever the core checks.
  expect_error(
      [&] { st->write([&](store::Transaction& tx) { tx.companies().add_domain(beta.id, "acme.com", kNow); }); },
      Errc::already_exists, "");
  st->read([&](store::Transaction& tx) {
    auto& repo = tx.companies();
    BOOST_TEST(repo.owner_of("acme.com").value_or(0) == acme.id);
    BOOST_TEST(repo.get(acme.id)->domains == (std::vector<std::string>{"acme.com"}));
    const auto links = repo.links_of_customer(ana.id);
    BOOST_TEST_REQUIRE(links.size() == 2u);
    BOOST_TEST(to_string(links[0].source) == "email_domain");
    BOOST_TEST(links[0].domain == "acme.com");
    BOOST_TEST(to_string(links[1].source) == "manual");
    BOOST_TEST(links[1].role == "owner");
    BOOST_TEST(!links[1].billing);
    BOOST_TEST(repo.links_of_company(acme.id, {}).size() == 2u);
    BOOST_TEST(repo.search("ac", {}).size() == 1u);
    BOOST_TEST(repo.search("", {}).size() == 2u);
  });
  // Removing the email drops its domain index row with it.
  st->write([&](store::Transaction& tx) {
    tx.customers().remove_email(ana.id, "ana@eu.acme.com");
    BOOST_TEST(tx.companies().link_domain(beta.id, "acme.com", kNow) == 0);
    BOOST_TEST(tx.companies().unlink_customer(ana.id, "acme.com") == 1);
    BOOST_TEST(tx.companies().remove_manual_link(acme.id, ana.id));
    BOOST_TEST(tx.companies().links_of_customer(ana.id).empty());
  });
}

BOOST_DATA_TEST_CASE(connections_are_unique_per_pair_whichever_way_round_in_storage,
                     boost::unit_test::data::make(kAdapters), adapter) {
  TempDir dir;
  auto st = adapter.open(dir);
  Customer ana = sample("00001", "ana@example.com");
  Customer ben = sample("00002", "ben@example.com");
  Customer cy = sample("00003", "");
  cy.first_name = "Cy";
  Connection friends{0, ben.id, ana.id, "friend", ConnectionSource::manual, "school", kNow};
  st->write([&](store::Transaction& tx) {
    for (auto* c : {&ana, &ben, &cy}) tx.customers().insert(*c, "silva ana");
    tx.connections().insert(friends);
  });
  BOOST_TEST(friends.id > 0);
  auto insert = [&](Connection c) { st->write([&](store::Transaction& tx) { tx.connections().insert(c); }); };
  // The storage itself refuses a second friend connection either way round,
  // and a customer connected to itself.
  expect_error([&] { insert({0, ana.id, ben.id, "friend", ConnectionSource::inferred, "", kNow}); },
               Errc::already_exists, "");
  expect_error([&] { insert({0, ben.id, ana.id, "friend", ConnectionSource::manual, "", kNow}); },
               Errc::already_exists, "");
  expect_error([&] { insert({0, cy.id, cy.id, "friend", ConnectionSource::manual, "", kNow}); }, Errc::storage, "");
  st->read([&](store::Transaction& tx) {
    auto& repo = tx.connections();
    BOOST_TEST((repo.get(friends.id) == std::optional<Connection>(friends)));  // from/to as given
    BOOST_TEST((repo.between(ana.id, ben.id, "friend") == std::optional<Connection>(friends)));
    BOOST_TEST((repo.between(ben.id, ana.id, "friend") == std::optional<Connection>(friends)));
    BOOST_TEST(!repo.between(ana.id, ben.id, "relative").has_value());
    BOOST_TEST((repo.of_customer(ana.id, "") == std::vector<Connection>{friends}));
    BOOST_TEST((repo.of_customer(ben.id, "friend") == std::vector<Connection>{friends}));
    BOOST_TEST(repo.of_customer(cy.id, "").empty());
    BOOST_TEST((repo.adjacent(ana.id) == std::vector<store::GraphNode>{{ben.id, "00002", "Ana", "Silva"}}));
    BOOST_TEST(repo.node(cy.id).value_or(store::GraphNode{}).first_name == "Cy");
  });

  // Referrals: one referrer per customer, never oneself.
  const Referral brought{ana.id, cy.id, "spa", kNow};
  st->write([&](store::Transaction& tx) { tx.connections().insert_referral(brought); });
  expect_error([&] { st->write([&](store::Transaction& tx) { tx.connections().insert_referral({ben.id, cy.id}); }); },
               Errc::already_exists, "");
  expect_error([&] { st->write([&](store::Transaction& tx) { tx.connections().insert_referral({ben.id, ben.id}); }); },
               Errc::storage, "");
  st->read([&](store::Transaction& tx) {
    BOOST_TEST((tx.connections().referral_of(cy.id) == std::optional<Referral>(brought)));
    BOOST_TEST(!tx.connections().referral_of(ana.id).has_value());
    BOOST_TEST((tx.connections().referrals_by(ana.id) == std::vector<Referral>{brought}));
  });

  // Inference: colleagues paired inside the adapter from company links.
  Company acme{.name = "Acme", .created_at = kNow, .updated_at = kNow};
  st->write([&](store::Transaction& tx) {
    tx.companies().insert(acme, "acme");
    for (auto* c : {&ana, &ben, &cy}) {
      tx.companies().put_manual_link({acme.id, c->id, LinkSource::manual, "", false, "", kNow});
    }
    auto& repo = tx.connections();
    BOOST_TEST(repo.companies_larger_than(2) == 1);
    BOOST_TEST(repo.companies_larger_than(3) == 0);
    BOOST_TEST(repo.add_inferred_colleagues(2, kNow) == 0);
    BOOST_TEST(repo.add_inferred_colleagues(3, kNow) == 3);
    BOOST_TEST(repo.add_inferred_colleagues(3, kNow) == 0);
    BOOST_TEST(repo.add_inferred_referrals(kNow) == 1);
    BOOST_TEST(repo.add_inferred_referrals(kNow) == 0);
    const auto ana_cy = repo.between(cy.id, ana.id, "colleague");
    BOOST_TEST_REQUIRE(ana_cy.has_value());
    BOOST_TEST((ana_cy->source == ConnectionSource::inferred));
    repo.make_manual(ana_cy->id, "desk");
    BOOST_TEST((repo.get(ana_cy->id)->source == ConnectionSource::manual));
    BOOST_TEST(repo.get(ana_cy->id)->note == "desk");
    const auto referral = repo.between(cy.id, ana.id, "referral");
    BOOST_TEST_REQUIRE(referral.has_value());
    BOOST_TEST((referral->from == ana.id));
    BOOST_TEST((referral->to == cy.id));
    BOOST_TEST(referral->note == "spa");
    // Cy leaves: only the inferred Ben-Cy colleague goes.
    BOOST_TEST(tx.companies().remove_manual_link(acme.id, cy.id));
    BOOST_TEST(repo.remove_stale_colleagues() == 1);
    BOOST_TEST(repo.remove_stale_colleagues() == 0);
    BOOST_TEST(repo.of_customer(cy.id, "colleague").size() == 1u);
    BOOST_TEST(repo.remove(ana_cy->id));
    BOOST_TEST(!repo.remove(ana_cy->id));
    BOOST_TEST(repo.adjacent(cy.id).size() == 1u);  // Ana, by referral
  });
}

namespace {

Credential stored_credential(const CustomerId& holder, CredentialKind kind, std::string value) {
  Credential c;
  c.kind = kind;
  c.value = std::move(value);
  c.customer = holder;
  c.created_at = kNow;
  c.updated_at = kNow;
  return c;
}

}  // namespace

BOOST_DATA_TEST_CASE(credentials_round_trip_and_active_values_are_unique_per_kind,
                     boost::unit_test::data::make(kAdapters), adapter) {
  TempDir dir;
  auto st = adapter.open(dir);
  Customer ana = sample("00001", "ana@example.com");
  Customer ben = sample("00002", "ben@example.com");
  Credential card = stored_credential(ana.id, CredentialKind::magnetic_card, "4000123412341234");
  card.valid_from = kNow;
  card.valid_until = kNow + std::chrono::hours(1);
  card.label = "Main";
  Credential pass = stored_credential(ben.id, CredentialKind::wallet_pass, "4000123412341234");
  pass.wallet = WalletPass{WalletProvider::google, "S-1", PassType::access};
  Credential phone = stored_credential(ben.id, CredentialKind::phone, "+447911123456");
  st->write([&](store::Transaction& tx) {
    tx.customers().insert(ana, "silva ana");
    tx.customers().insert(ben, "silva ben");
    for (auto* c : {&card, &pass, &phone}) tx.credentials().insert(*c);
  });
  st->read([&](store::Transaction& tx) {
    auto& repo = tx.credentials();
    BOOST_TEST((repo.get(card.id) == card));
    BOOST_TEST((repo.get(pass.id) == pass));
    BOOST_TEST(!repo.get(9999).has_value());
    BOOST_TEST(repo.of_customer(ben.id).size() == 2u);
    BOOST_TEST(repo.of_customer(ben.id)[0].id == phone.id);  // newest first
    BOOST_TEST(repo.find(CredentialKind::magnetic_card, "4000123412341234").size() == 1u);
    // A token names non-phone values as given and phone values by E.164 only.
    BOOST_TEST(repo.named_by("4000123412341234", std::nullopt).size() == 2u);
    BOOST_TEST(repo.named_by("+447911123456", std::nullopt).empty());
    BOOST_TEST(repo.named_by("07911123456", std::string_view("+447911123456")).size() == 1u);
    const auto holders = repo.usable_holders("4000123412341234", std::nullopt, kNow);
    BOOST_TEST_REQUIRE(holders.size() == 2u);
    BOOST_TEST(holders[0].customer == ana.id);  // oldest credential first
    BOOST_TEST(holders[0].credential == card.id);
    BOOST_TEST(repo.usable_holders("4000123412341234", std::nullopt, kNow + std::chrono::hours(1)).size() == 1u);
    BOOST_TEST(repo.usable_holders("4000123412341234", std::nullopt, kNow - std::chrono::microseconds(1)).size() ==
               1u);
  });
  // The storage refuses a second active value of a kind, and a reactivation into a clash.
  Credential twin = stored_credential(ben.id, CredentialKind::magnetic_card, "4000123412341234");
  expect_error([&] { st->write([&](store::Transaction& tx) { tx.credentials().insert(twin); }); },
               Errc::already_exists, "value");
  card.status = CredentialStatus::lost;
  st->write([&](store::Transaction& tx) {
    tx.credentials().update(card);
    tx.credentials().insert(twin);
  });
  card.status = CredentialStatus::active;
  expect_error([&] { st->write([&](store::Transaction& tx) { tx.credentials().update(card); }); },
               Errc::already_exists, "value");
  // Replaced is final at the storage level too.
  card.status = CredentialStatus::replaced;
  card.replaced_by = twin.id;
  st->write([&](store::Transaction& tx) { tx.credentials().update(card); });
  card.status = CredentialStatus::blocked;
  card.replaced_by.reset();
  expect_error([&] { st->write([&](store::Transaction& tx) { tx.credentials().update(card); }); },
               Errc::failed_precondition, "");
  st->read([&](store::Transaction& tx) {
    BOOST_TEST((tx.credentials().get(card.id)->status == CredentialStatus::replaced));
    BOOST_TEST(tx.credentials().named_by("4000123412341234", std::nullopt).size() == 3u);
  });
}

BOOST_DATA_TEST_CASE(doors_and_permissions_round_trip, boost::unit_test::data::make(kAdapters), adapter) {
  TempDir dir;
  auto st = adapter.open(dir);
  Customer ana = sample("00001", "ana@example.com");
  Customer ben = sample("00002", "ben@example.com");
  const Door gate{"front-gate", "Front gate", "", kNow, kNow};
  Permission later{0, ben.id, "front-gate", kNow, std::nullopt, "", std::nullopt, kNow};
  Permission always{0, ben.id, "front-gate", std::nullopt, std::nullopt, "any time", std::nullopt, kNow};
  Permission anas{0, ana.id, "front-gate", std::nullopt, kNow + std::chrono::hours(1), "", std::nullopt, kNow};
  st->write([&](store::Transaction& tx) {
    tx.customers().insert(ana, "silva ana");
    tx.customers().insert(ben, "silva ben");
    tx.doors().insert(gate);
    tx.doors().insert({"a-door", "A", "", kNow, kNow});
    for (auto* p : {&later, &always, &anas}) tx.doors().insert_permission(*p);
  });
  expect_error([&] { st->write([&](store::Transaction& tx) { tx.doors().insert(gate); }); }, Errc::already_exists,
               "id");
  st->write([&](store::Transaction& tx) {
    Door renamed = gate;
    renamed.name = "Gate";
    tx.doors().update(renamed);
  });
  st->read([&](store::Transaction& tx) {
    auto& repo = tx.doors();
    BOOST_TEST(repo.get("front-gate")->name == "Gate");
    BOOST_TEST(!repo.get("Front-Gate").has_value());
    BOOST_TEST(repo.list().size() == 2u);
    BOOST_TEST(repo.list()[0].id == "a-door");
    BOOST_TEST((*repo.permission(always.id) == always));
    const auto bens = repo.permissions_of(ben.id, "front-gate");
    BOOST_TEST_REQUIRE(bens.size() == 2u);
    BOOST_TEST(bens[0].id == always.id);  // unbounded start first
    BOOST_TEST(repo.permissions_of(ben.id, "a-door").empty());
    const auto at_gate = repo.permissions_of_door("front-gate", {.limit = 2, .offset = 0});
    BOOST_TEST_REQUIRE(at_gate.size() == 2u);
    BOOST_TEST(at_gate[0].id == anas.id);  // by customer number
    BOOST_TEST(at_gate[1].id == always.id);
    BOOST_TEST(repo.permissions_of_door("front-gate", {.limit = 5, .offset = 2}).size() == 1u);
  });
  st->write([&](store::Transaction& tx) {
    BOOST_TEST(tx.doors().remove_permission(always.id));
    BOOST_TEST(!tx.doors().remove_permission(always.id));
  });
  // A permission for a door that does not exist is refused by the storage.
  Permission nowhere{0, ana.id, "nowhere", std::nullopt, std::nullopt, "", std::nullopt, kNow};
  BOOST_CHECK_THROW(st->write([&](store::Transaction& tx) { tx.doors().insert_permission(nowhere); }), Error);
  st->read([&](store::Transaction& tx) { BOOST_TEST(tx.doors().permissions_of(ana.id).size() == 1u); });
}
