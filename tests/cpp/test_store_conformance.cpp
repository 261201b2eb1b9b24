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
    BOOST_TEST((repo.live_id(c.id) == c.id));
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
    BOOST_TEST(!tx.customers().live_id(same_email.id).has_value());
    BOOST_TEST(!tx.customers().live_id(same_number.id).has_value());
    BOOST_TEST(tx.customers().search({}, {}, kNow).size() == 1u);
  });
}

BOOST_DATA_TEST_CASE(a_merge_moves_records_and_leads_references_on, boost::unit_test::data::make(kAdapters),
                     adapter) {
  TempDir dir;
  auto st = adapter.open(dir);
  Customer a = sample("AAAAA", "a@example.com");
  Customer b = sample("BBBBB", "b@example.com");
  Customer c = sample("CCCCC", "c@example.com");
  st->write([&](store::Transaction& tx) {
    for (Customer* x : {&a, &b, &c}) tx.customers().insert(*x, "ana silva");
    const auto moved = tx.merges().move_records(b.id, a.id);
    // b's email moves (not primary: a has one); the phone and address both hold stay once.
    BOOST_TEST((moved == std::map<std::string, std::int64_t>{{"emails", 1}}));
    tx.merges().mark_merged(b.id, a.id, kNow);
    expect_error([&] { tx.merges().mark_merged(b.id, c.id, kNow); }, Errc::failed_precondition, "absorbed");
  });
  st->read([&](store::Transaction& tx) {
    auto& repo = tx.customers();
    BOOST_TEST((repo.live_id(b.id) == a.id));
    BOOST_TEST((repo.id_by_number("BBBBB") == a.id));
    BOOST_TEST(repo.by_id(b.id, kNow)->id == a.id);
    BOOST_TEST(repo.by_number("bbbbb", kNow)->id == a.id);
    const auto r = repo.resolve_number("BBBBB");
    BOOST_TEST((r == CustomerResolution{a.id, "AAAAA", b.id, "BBBBB"}));
    BOOST_TEST((repo.resolve_id(a.id) == CustomerResolution{a.id, "AAAAA", std::nullopt, std::nullopt}));
    BOOST_TEST((repo.merged_into(a.id) == std::vector<CustomerId>{b.id}));
    const Customer now_a = *repo.by_id(a.id, kNow);
    BOOST_TEST(now_a.emails.size() == 2u);
    BOOST_TEST(now_a.emails[0].address == "a@example.com");
    BOOST_TEST(now_a.phones.size() == 1u);
    BOOST_TEST(now_a.addresses.size() == 1u);
    BOOST_TEST(repo.search({"silva"}, {}, kNow).size() == 2u);  // a and c: b left the search
  });
  // A chain: a into c leads b on to c too.
  st->write([&](store::Transaction& tx) {
    tx.merges().move_records(a.id, c.id);
    tx.merges().mark_merged(a.id, c.id, kNow + std::chrono::seconds(1));
  });
  st->read([&](store::Transaction& tx) {
    BOOST_TEST((tx.customers().live_id(b.id) == c.id));
    BOOST_TEST((tx.customers().merged_into(c.id) == std::vector<CustomerId>{b.id, a.id}));
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
  st->read([&](store::Transaction& tx) { BOOST_TEST(!tx.customers().live_id(a.id).has_value()); });
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

BOOST_DATA_TEST_CASE(custom_fields_round_trip, boost::unit_test::data::make(kAdapters), adapter) {
  using Choices = std::vector<std::string>;
  TempDir dir;
  auto st = adapter.open(dir);
  Customer ana = sample("00001", "ana@example.com");
  Customer ben = sample("00002", "ben@example.com");
  Customer cy = sample("00003", "cy@example.com");
  const Date day{std::chrono::year{2026}, std::chrono::month{1}, std::chrono::day{31}};
  const FieldDefinition diet{"diet", "Diet", FieldType::multi_select, true, CustomValue(Choices{"vegan", "halal"}),
                             {"vegan", "halal", "kosher"}, {"manager"}, kNow, kNow};
  const FieldDefinition since{"since", "Since", FieldType::date, false, CustomValue(day), {}, {}, kNow, kNow};
  const FieldDefinition score{"score", "Score", FieldType::number, false, std::nullopt, {}, {}, kNow, kNow};
  const FieldDefinition vip{"vip", "VIP", FieldType::checkbox, false, CustomValue(false), {}, {}, kNow, kNow};
  const FieldDefinition scan{"scan", "Scan", FieldType::file, false, std::nullopt, {}, {}, kNow, kNow};
  st->write([&](store::Transaction& tx) {
    for (auto* c : {&ana, &ben, &cy}) tx.customers().insert(*c, "x");
    for (const auto* d : {&diet, &since, &score, &vip, &scan}) tx.custom_fields().insert(*d);
    auto& repo = tx.custom_fields();
    repo.put(ana.id, "diet", Choices{"vegan", "halal"});
    repo.put(ben.id, "diet", Choices{"halal"});
    repo.put(cy.id, "diet", Choices{"halal", "kosher"});
    repo.put(ana.id, "since", day);
    repo.put(ana.id, "score", 2.5);
    repo.put(ben.id, "score", 2.5);
    repo.put(cy.id, "score", 3.0);
    repo.put(ana.id, "vip", true);
    repo.put(ben.id, "scan", std::int64_t{1} << 40);
  });
  expect_error([&] { st->write([&](store::Transaction& tx) { tx.custom_fields().insert(vip); }); },
               Errc::already_exists, "key");
  // A value needs its customer and its definition.
  Customer ghost = sample("00009", "");
  BOOST_CHECK_THROW(st->write([&](store::Transaction& tx) { tx.custom_fields().put(ghost.id, "vip", true); }), Error);
  BOOST_CHECK_THROW(st->write([&](store::Transaction& tx) { tx.custom_fields().put(ana.id, "nope", true); }), Error);
  st->read([&](store::Transaction& tx) {
    auto& repo = tx.custom_fields();
    BOOST_TEST((repo.get("diet") == diet));
    BOOST_TEST((repo.get("since") == since));
    BOOST_TEST((repo.get("score") == score));
    BOOST_TEST((repo.get("vip") == vip));
    BOOST_TEST(!repo.get("Diet").has_value());
    const auto all = repo.list();
    BOOST_TEST_REQUIRE(all.size() == 5u);
    BOOST_TEST(all[0].key == "diet");
    BOOST_TEST(all[4].key == "vip");
    const auto anas = repo.values_of(ana.id);
    BOOST_TEST_REQUIRE(anas.size() == 4u);
    BOOST_TEST((anas.at("diet") == CustomValue(Choices{"vegan", "halal"})));  // the options' order
    BOOST_TEST((anas.at("since") == CustomValue(day)));
    BOOST_TEST((anas.at("score") == CustomValue(2.5)));
    BOOST_TEST((anas.at("vip") == CustomValue(true)));
    BOOST_TEST((repo.value(ben.id, "scan") == CustomValue(std::int64_t{1} << 40)));
    BOOST_TEST(!repo.value(cy.id, "vip").has_value());
    const auto diets = repo.values_of_field("diet");
    BOOST_TEST_REQUIRE(diets.size() == 3u);
    BOOST_TEST(diets[0].first == ana.id);  // by customer number
    BOOST_TEST((diets[2].second == CustomValue(Choices{"halal", "kosher"})));
    BOOST_TEST(repo.count_without("vip") == 2);
    BOOST_TEST(repo.count_without("diet") == 0);
    BOOST_TEST((repo.find("score", 2.5, {}) == std::vector<CustomerId>{ana.id, ben.id}));
    BOOST_TEST((repo.find("score", 2.5, {.limit = 1, .offset = 1}) == std::vector<CustomerId>{ben.id}));
    BOOST_TEST((repo.find("since", day, {}) == std::vector<CustomerId>{ana.id}));
    BOOST_TEST((repo.find("vip", true, {}) == std::vector<CustomerId>{ana.id}));
    BOOST_TEST((repo.find("diet", Choices{"halal"}, {}) == std::vector<CustomerId>{ana.id, ben.id, cy.id}));
    BOOST_TEST((repo.find("diet", Choices{"kosher", "halal"}, {}) == std::vector<CustomerId>{cy.id}));
    BOOST_TEST(repo.find("diet", Choices{"vegan", "kosher"}, {}).empty());
  });
  st->write([&](store::Transaction& tx) {
    auto& repo = tx.custom_fields();
    repo.put(ana.id, "diet", Choices{"kosher"});  // replaces every option
    BOOST_TEST(repo.erase(ana.id, "vip"));
    BOOST_TEST(!repo.erase(ana.id, "vip"));
    FieldDefinition changed = diet;
    changed.label = "Dietary needs";
    changed.options = {"kosher", "halal", "vegan"};
    changed.default_value.reset();
    changed.updated_at = kNow + std::chrono::seconds(1);
    repo.update(changed);
    BOOST_TEST((repo.get("diet") == changed));
    BOOST_TEST((repo.value(cy.id, "diet") == CustomValue(Choices{"kosher", "halal"})));  // the new order
    BOOST_TEST(repo.remove("score"));
    BOOST_TEST(!repo.remove("score"));
  });
  st->read([&](store::Transaction& tx) {
    auto& repo = tx.custom_fields();
    BOOST_TEST((repo.value(ana.id, "diet") == CustomValue(Choices{"kosher"})));
    BOOST_TEST(repo.values_of(ana.id).size() == 2u);  // diet, since
    BOOST_TEST(repo.values_of(cy.id).size() == 1u);   // its score went with the definition
    BOOST_TEST(repo.values_of_field("score").empty());
  });
}

BOOST_DATA_TEST_CASE(notes_keep_revisions_and_their_index_follows_them, boost::unit_test::data::make(kAdapters),
                     adapter) {
  TempDir dir;
  auto st = adapter.open(dir);
  Customer ana = sample("NOTE1", "ana@example.com");
  Customer ben = sample("NOTE2", "ben@example.com");
  const Timestamp later = kNow + std::chrono::minutes(5);
  Note first{.customer = ana.id, .body = "Café regular, likes the window", .author = "jane", .created_at = kNow};
  Note second{.customer = ana.id, .body = "Pinned: allergic to nuts", .author = "sam", .pinned = true,
              .mentions = {"jane"}, .created_at = kNow};
  Note other{.customer = ben.id, .body = "Window seat please", .author = "jane", .created_at = later};
  st->write([&](store::Transaction& tx) {
    tx.customers().insert(ana, "silva ana");
    tx.customers().insert(ben, "silva ben");
    for (Note* n : {&first, &second, &other}) tx.notes().insert(*n);
  });
  BOOST_TEST(first.id > 0);
  BOOST_TEST(second.id > first.id);
  st->write([&](store::Transaction& tx) {
    auto& repo = tx.notes();
    BOOST_TEST((repo.get(second.id) == second));
    BOOST_TEST(!repo.get(other.id + 1).has_value());
    repo.replace_body(first.id, "Terrace regular", "ben", {"ops"}, later);
    // The index follows within the transaction.
    BOOST_TEST(repo.search({"terr"}, std::nullopt, 10, 0).size() == 1u);
  });
  st->read([&](store::Transaction& tx) {
    auto& repo = tx.notes();
    const auto edited = repo.get(first.id);
    BOOST_TEST_REQUIRE(edited.has_value());
    BOOST_TEST(edited->body == "Terrace regular");
    BOOST_TEST(edited->author == "ben");
    BOOST_TEST((edited->mentions == std::vector<std::string>{"ops"}));
    BOOST_TEST((edited->edited_at == later));
    BOOST_TEST(edited->revisions == 1);
    BOOST_TEST((repo.revisions(first.id) ==
                std::vector<NoteRevision>{{first.id, 1, "Café regular, likes the window", "jane", kNow, later}}));
    const auto listed = repo.of_customer(ana.id, 10, 0);
    BOOST_TEST_REQUIRE(listed.size() == 2u);
    BOOST_TEST(listed[0].id == second.id);  // pinned first
    BOOST_TEST(repo.of_customer(ana.id, 1, 1).at(0).id == first.id);
    BOOST_TEST(repo.search({"cafe"}, std::nullopt, 10, 0).empty());  // the old body is gone from the index
    BOOST_TEST(repo.search({"window"}, std::nullopt, 10, 0).size() == 1u);
    BOOST_TEST(repo.search({"window"}, ana.id, 10, 0).empty());
    const auto hits = repo.search({"NUT", "\"*"}, ana.id, 10, 0);  // words are never query syntax
    BOOST_TEST(hits.empty());
    const auto nuts = repo.search({"NUT"}, ana.id, 10, 0);
    BOOST_TEST_REQUIRE(nuts.size() == 1u);
    BOOST_TEST(nuts[0].snippet == "Pinned: allergic to [nuts]");
    BOOST_TEST((nuts[0].note == second));
  });
  st->write([&](store::Transaction& tx) {
    BOOST_TEST(tx.notes().remove(first.id));
    BOOST_TEST(!tx.notes().remove(first.id));
    BOOST_TEST(tx.notes().revisions(first.id).empty());
    BOOST_TEST(tx.notes().search({"terrace"}, std::nullopt, 10, 0).empty());
  });
}

BOOST_DATA_TEST_CASE(documents_stream_their_bytes_in_and_out, boost::unit_test::data::make(kAdapters), adapter) {
  TempDir dir;
  auto st = adapter.open(dir);
  Customer ana = sample("DOCS1", "ana@example.com");
  // Longer than one chunk of any reasonable size, with every byte value.
  std::string bytes(300000, '\0');
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>((i * 7 + i / 256) & 0xFF);
  const std::string kHash(64, 'a');
  Document d{.customer = ana.id, .name = "a.bin", .media_type = "application/octet-stream",
             .kind = DocumentKind::waiver, .size = static_cast<std::int64_t>(bytes.size()), .sha256 = kHash,
             .created_at = kNow};
  Document empty{.customer = ana.id, .name = "e.bin", .media_type = "text/plain", .size = 0, .sha256 = kHash,
                 .created_at = kNow + std::chrono::seconds(1)};
  st->write([&](store::Transaction& tx) {
    tx.customers().insert(ana, "silva ana");
    auto& repo = tx.documents();
    std::size_t at = 0;
    std::size_t calls = 0;
    const auto content = repo.write_content(d.size, [&](std::span<char> chunk) {
      BOOST_TEST_REQUIRE(at + chunk.size() <= bytes.size());
      std::copy_n(bytes.data() + at, chunk.size(), chunk.data());
      at += chunk.size();
      ++calls;
    });
    BOOST_TEST(at == bytes.size());
    BOOST_TEST(calls > 1u);  // in chunks
    repo.insert(d, content);
    repo.insert(empty, repo.write_content(0, [](std::span<char>) { BOOST_FAIL("no bytes to pull"); }));
  });
  BOOST_TEST(d.id > 0);
  // A record whose size is not its content's is refused.
  Document wrong = d;
  expect_error(
      [&] {
        st->write([&](store::Transaction& tx) {
          auto& repo = tx.documents();
          const auto content = repo.write_content(3, [](std::span<char> c) { std::fill(c.begin(), c.end(), 'x'); });
          repo.insert(wrong, content);
        });
      },
      Errc::failed_precondition, "");
  st->read([&](store::Transaction& tx) {
    auto& repo = tx.documents();
    BOOST_TEST((repo.get(d.id) == d));
    BOOST_TEST((repo.of_customer(ana.id) == std::vector<Document>{empty, d}));  // newest first
    std::string back;
    BOOST_TEST(repo.read_content(d.id, [&](std::string_view chunk) { back += chunk; }));
    BOOST_TEST((back == bytes));
    back.clear();
    BOOST_TEST(repo.read_content(empty.id, [&](std::string_view chunk) { back += chunk; }));
    BOOST_TEST(back.empty());
    BOOST_TEST(!repo.read_content(empty.id + 1, [](std::string_view) {}));
  });
  st->write([&](store::Transaction& tx) {
    BOOST_TEST(tx.documents().remove(d.id));
    BOOST_TEST(!tx.documents().remove(d.id));
    BOOST_TEST(!tx.documents().get(d.id).has_value());
    BOOST_TEST(tx.documents().of_customer(ana.id).size() == 1u);
  });
}

BOOST_DATA_TEST_CASE(activity_appends_events_and_reads_them_back, boost::unit_test::data::make(kAdapters), adapter) {
  TempDir dir;
  auto st = adapter.open(dir);
  const CustomerId ana = CustomerId::generate(kNow);
  const CustomerId ben = CustomerId::generate(kNow);
  const auto event = [&](std::optional<CustomerId> customer, Timestamp at, std::string action, std::int64_t key_id) {
    return store::StoredEvent{{0, customer, at, EventCategory::orders, EventType::order, EventSource::integration,
                               "pos", std::move(action), "Order paid", std::string(40, '\x01'), false},
                              key_id,
                              std::nullopt};
  };
  std::vector<store::StoredEvent> stored;
  st->write([&](store::Transaction& tx) {
    auto& repo = tx.activity();
    BOOST_TEST(repo.last_id() == 0);
    BOOST_TEST(!repo.data_key(ana).has_value());
    const std::string bytes(32, '\x07');
    const std::int64_t key = repo.insert_data_key(ana, bytes, kNow);
    BOOST_TEST((repo.data_key(ana) == store::DataKey{key, bytes}));
    expect_error([&] { repo.insert_data_key(ana, bytes, kNow); }, Errc::already_exists, "customer");
    stored = {event(ana, kNow, "order.paid", key), event(ana, kNow - std::chrono::hours(1), "email.sent", key),
              event(std::nullopt, kNow, "settings.changed", 0), event(ana, kNow, "order.refunded", key)};
    stored[2].event.details = "{}";
    for (auto& e : stored) {
      e.event.id = repo.append(e);
      if (e.event.customer) e.key = bytes;
    }
    BOOST_TEST(stored[0].event.id < stored[1].event.id);
    BOOST_TEST(repo.last_id() == stored[3].event.id);
  });
  st->read([&](store::Transaction& tx) {
    auto& repo = tx.activity();
    BOOST_TEST((repo.after(0, 10) == stored));
    BOOST_TEST((repo.after(stored[1].event.id, 1) == std::vector<store::StoredEvent>{stored[2]}));
    // Newest first: by time, then id; a position continues after itself.
    BOOST_TEST((repo.timeline({ana}, {}) == std::vector<store::StoredEvent>{stored[3], stored[0], stored[1]}));
    BOOST_TEST((repo.timeline({ana}, {.before = std::pair{kNow, stored[3].event.id}}) ==
                std::vector<store::StoredEvent>{stored[0], stored[1]}));
    BOOST_TEST((repo.timeline({ana}, {.filter = {.text = "email"}}) == std::vector<store::StoredEvent>{stored[1]}));
    BOOST_TEST((repo.timeline({ana}, {.limit = 1}) == std::vector<store::StoredEvent>{stored[3]}));
    BOOST_TEST(repo.timeline({ben}, {}).empty());
  });
  // Destroying the key: the events stay, without it; a new key has a new id.
  st->write([&](store::Transaction& tx) {
    auto& repo = tx.activity();
    const std::int64_t old_key = repo.data_key(ana)->id;
    BOOST_TEST(repo.destroy_data_key(ana));
    BOOST_TEST(!repo.destroy_data_key(ana));
    BOOST_TEST(!repo.data_key(ana).has_value());
    for (auto& e : stored) e.key.reset();
    BOOST_TEST((repo.after(0, 10) == stored));
    BOOST_TEST(repo.insert_data_key(ana, std::string(32, '\x08'), kNow) > old_key);
  });
}

BOOST_DATA_TEST_CASE(activity_indexes_edits_for_history, boost::unit_test::data::make(kAdapters), adapter) {
  TempDir dir;
  auto st = adapter.open(dir);
  const CustomerId ana = CustomerId::generate(kNow);
  st->write([&](store::Transaction& tx) {
    auto& repo = tx.activity();
    const std::int64_t key = repo.insert_data_key(ana, std::string(32, '\x07'), kNow);
    store::StoredEvent e{{0, ana, kNow, EventCategory::customers, EventType::data, EventSource::staff, "desk",
                          "customer.updated", "Profile updated", std::string(40, '\x02'), false},
                         key,
                         std::nullopt};
    const std::int64_t first = repo.append(e);
    repo.index_edits(first, ana, {"first_name", "tags"});
    const std::int64_t second = repo.append(e);
    repo.index_edits(second, ana, {"email"});
    const auto edits = repo.edits({ana}, {}, 10, 0);
    BOOST_REQUIRE(edits.size() == 3u);
    BOOST_TEST(edits[0].event.event.id == second);
    BOOST_TEST(edits[0].field == "email");
    BOOST_TEST(edits[1].event.event.id == first);
    BOOST_TEST(edits[1].field == "first_name");
    BOOST_TEST(edits[1].position == 0);
    BOOST_TEST(edits[2].field == "tags");
    BOOST_TEST(edits[2].position == 1);
    BOOST_TEST(edits[2].event.event.actor == "desk");
    BOOST_TEST(edits[2].event.key.value() == std::string(32, '\x07'));
    BOOST_TEST(repo.edits({ana}, "tags", 10, 0).size() == 1u);
    BOOST_TEST(repo.edits({ana}, {}, 1, 2).at(0).field == "tags");
    BOOST_TEST(repo.edits({CustomerId::generate(kNow)}, {}, 10, 0).empty());
  });
}

BOOST_DATA_TEST_CASE(purses_keep_a_ledger_and_its_checkpoint, boost::unit_test::data::make(kAdapters), adapter) {
  TempDir dir;
  auto st = adapter.open(dir);
  Customer ana = sample("00042", "ana@example.com");
  const auto entry = [&](PurseEntryKind kind, std::int64_t amount, std::int64_t balance_after, std::string key,
                         std::optional<std::int64_t> refund_of = std::nullopt) {
    PurseEntry e;
    e.customer = ana.id;
    e.currency = "GBP";
    e.kind = kind;
    e.amount = amount;
    e.balance_after = balance_after;
    e.refund_of = refund_of;
    e.reference = "receipt";
    e.idempotency_key = std::move(key);
    e.actor = "till";
    e.at = kNow;
    return e;
  };
  PurseEntry top_up = entry(PurseEntryKind::top_up, 1000, 1000, "t-1");
  PurseEntry charge = entry(PurseEntryKind::charge, 400, 600, "c-1");
  st->write([&](store::Transaction& tx) {
    tx.customers().insert(ana, "ana silva");
    auto& repo = tx.purses();
    BOOST_TEST(!repo.account(ana.id, "GBP").has_value());
    BOOST_TEST(repo.accounts(ana.id).empty());
    repo.append(top_up);
    repo.append(charge);
    BOOST_TEST(charge.id > top_up.id);
  });
  st->read([&](store::Transaction& tx) {
    auto& repo = tx.purses();
    BOOST_TEST((repo.account(ana.id, "GBP") == PurseAccount{ana.id, "GBP", 600, 0, 0, 600}));
    BOOST_TEST((repo.entry(top_up.id) == top_up));
    BOOST_TEST(!repo.entry(charge.id + 1).has_value());
    BOOST_TEST((repo.entries(ana.id, "GBP", {}) == std::vector<PurseEntry>{charge, top_up}));
    BOOST_TEST((repo.entries(ana.id, "GBP", {.limit = 1, .offset = 1}) == std::vector<PurseEntry>{top_up}));
    BOOST_TEST(repo.entries(ana.id, "EUR", {}).empty());
  });
  // A refund counts against its charge; the storage refuses what breaks the ledger.
  PurseEntry refund = entry(PurseEntryKind::refund, 150, 750, "r-1", charge.id);
  st->write([&](store::Transaction& tx) { tx.purses().append(refund); });
  charge.refunded = 150;
  const auto refused = [&](PurseEntry e) {
    BOOST_CHECK_THROW(st->write([&](store::Transaction& tx) { tx.purses().append(e); }), Error);
  };
  refused(entry(PurseEntryKind::top_up, 10, 9999, "x-1"));                   // balance_after off the balance
  refused(entry(PurseEntryKind::charge, 751, -1, "x-2"));                    // below the credit limit
  refused(entry(PurseEntryKind::refund, 251, 1001, "x-3", charge.id));       // more than is left of the charge
  refused(entry(PurseEntryKind::refund, 10, 760, "x-4", top_up.id));         // not a charge
  expect_error([&] { st->write([&](store::Transaction& tx) {
                 auto e = entry(PurseEntryKind::top_up, 10, 760, "t-1");
                 tx.purses().append(e);
               }); },
               Errc::already_exists, "idempotency_key");
  st->write([&](store::Transaction& tx) {
    auto& repo = tx.purses();
    repo.set_credit_limit(ana.id, "GBP", 800);
    repo.set_credit_limit(ana.id, "EUR", 50);
    PurseEntry deep = entry(PurseEntryKind::charge, 1550, -800, "c-2");
    repo.append(deep);
    BOOST_TEST((repo.entry(charge.id) == charge));
    BOOST_TEST((repo.entries(ana.id, "GBP", {}).at(1) == refund));
    BOOST_TEST((repo.accounts(ana.id) == std::vector<PurseAccount>{{ana.id, "EUR", 0, 50, 0, 50},
                                                                    {ana.id, "GBP", -800, 800, 0, 0}}));
  });
}

BOOST_DATA_TEST_CASE(idempotency_keys_are_kept_per_scope, boost::unit_test::data::make(kAdapters), adapter) {
  TempDir dir;
  auto st = adapter.open(dir);
  st->write([&](store::Transaction& tx) {
    auto& repo = tx.idempotency();
    BOOST_TEST(!repo.find("purse", "k-1").has_value());
    repo.insert("purse", "k-1", {R"({"amount":5})", 7});
    repo.insert("points", "k-1", {R"({"points":5})", 9});
    expect_error([&] { repo.insert("purse", "k-1", {"{}", 8}); }, Errc::already_exists, "idempotency_key");
  });
  st->read([&](store::Transaction& tx) {
    auto& repo = tx.idempotency();
    BOOST_TEST((repo.find("purse", "k-1") == store::IdempotencyRecord{R"({"amount":5})", 7}));
    BOOST_TEST((repo.find("points", "k-1") == store::IdempotencyRecord{R"({"points":5})", 9}));
    BOOST_TEST(!repo.find("purse", "K-1").has_value());  // matched exactly
  });
}

BOOST_DATA_TEST_CASE(promotion_categories_and_their_assignments_round_trip, boost::unit_test::data::make(kAdapters),
                     adapter) {
  TempDir dir;
  auto st = adapter.open(dir);
  Customer ana = sample("00042", "ana@example.com");
  Customer ben = sample("00007", "ben@example.com");
  Company acme{.name = "Acme", .created_at = kNow, .updated_at = kNow};
  PromotionCategory staff{"staff", "Staff", 1000, 150, 5000, "GBP", kNow, kNow};
  const PromotionCategory vip{"vip", "VIP", 2500, 100, 0, "", kNow, kNow};
  st->write([&](store::Transaction& tx) {
    tx.customers().insert(ana, "silva ana");
    tx.customers().insert(ben, "silva ben");
    tx.companies().insert(acme, "acme");
    auto& repo = tx.promotions();
    repo.insert(vip);
    repo.insert(staff);
    BOOST_TEST(!repo.assigned("staff"));
    BOOST_TEST(repo.assign("staff", ana.id, kNow));
    BOOST_TEST(!repo.assign("staff", ana.id, kNow));  // already
    BOOST_TEST(repo.assign("staff", ben.id, kNow));
    BOOST_TEST(repo.assign("vip", ana.id, kNow));
    BOOST_TEST(repo.assign_to_company("vip", acme.id, kNow));
    BOOST_TEST(!repo.assign_to_company("vip", acme.id, kNow));
  });
  expect_error([&] { st->write([&](store::Transaction& tx) { tx.promotions().insert(staff); }); },
               Errc::already_exists, "id");
  // Assigned categories stay; assignments name what exists.
  BOOST_CHECK_THROW(st->write([&](store::Transaction& tx) { tx.promotions().remove("staff"); }), Error);
  BOOST_CHECK_THROW(st->write([&](store::Transaction& tx) { tx.promotions().assign("nope", ana.id, kNow); }), Error);
  BOOST_CHECK_THROW(st->write([&](store::Transaction& tx) { tx.promotions().assign_to_company("vip", 999, kNow); }),
                    Error);
  st->read([&](store::Transaction& tx) {
    auto& repo = tx.promotions();
    BOOST_TEST((repo.get("staff") == std::optional<PromotionCategory>(staff)));
    BOOST_TEST(!repo.get("STAFF").has_value());  // matched exactly
    BOOST_TEST((repo.list() == std::vector<PromotionCategory>{staff, vip}));
    BOOST_TEST(repo.assigned("staff"));
    BOOST_TEST((repo.of_customer(ana.id) == std::vector<std::string>{"staff", "vip"}));
    BOOST_TEST((repo.of_customer(ben.id) == std::vector<std::string>{"staff"}));
    BOOST_TEST((repo.of_company(acme.id) == std::vector<std::string>{"vip"}));
    BOOST_TEST(repo.of_company(acme.id + 1).empty());
    BOOST_TEST((repo.customers_in("staff", {}) == std::vector<CustomerId>{ben.id, ana.id}));  // by number
    BOOST_TEST((repo.customers_in("staff", {.limit = 1, .offset = 1}) == std::vector<CustomerId>{ana.id}));
    BOOST_TEST((repo.companies_in("vip") == std::vector<std::int64_t>{acme.id}));
    BOOST_TEST(repo.companies_in("staff").empty());
  });
  st->write([&](store::Transaction& tx) {
    auto& repo = tx.promotions();
    staff.name = "Staff members";
    staff.credit_limit = 0;
    staff.credit_currency = "";
    staff.updated_at = kNow + std::chrono::hours(1);
    repo.update(staff);
    BOOST_TEST(repo.unassign("staff", ana.id));
    BOOST_TEST(!repo.unassign("staff", ana.id));
    BOOST_TEST(repo.unassign("staff", ben.id));
    BOOST_TEST(!repo.assigned("staff"));
    repo.remove("staff");
    BOOST_TEST(repo.unassign_from_company("vip", acme.id));
    BOOST_TEST(!repo.unassign_from_company("vip", acme.id));
    BOOST_TEST(repo.assigned("vip"));  // still ana's
  });
  st->read([&](store::Transaction& tx) {
    BOOST_TEST((tx.promotions().list() == std::vector<PromotionCategory>{vip}));
    BOOST_TEST(tx.promotions().companies_in("vip").empty());
  });
}

BOOST_DATA_TEST_CASE(purse_accounts_keep_the_category_credit_limit, boost::unit_test::data::make(kAdapters),
                     adapter) {
  TempDir dir;
  auto st = adapter.open(dir);
  Customer ana = sample("00042", "ana@example.com");
  PurseEntry charge;
  charge.customer = ana.id;
  charge.currency = "GBP";
  charge.kind = PurseEntryKind::charge;
  charge.amount = 700;
  charge.balance_after = -700;
  charge.idempotency_key = "c-1";
  charge.at = kNow;
  st->write([&](store::Transaction& tx) { tx.customers().insert(ana, "ana silva"); });
  BOOST_CHECK_THROW(st->write([&](store::Transaction& tx) { tx.purses().append(charge); }), Error);  // no credit
  st->write([&](store::Transaction& tx) {
    auto& repo = tx.purses();
    repo.set_category_credit_limit(ana.id, "GBP", 1000);  // creates the account
    repo.set_credit_limit(ana.id, "GBP", 200);
    repo.append(charge);
    BOOST_TEST((repo.account(ana.id, "GBP") == PurseAccount{ana.id, "GBP", -700, 200, 1000, 300}));
  });
  // Neither limit may drop below the balance while the other does not cover it.
  BOOST_CHECK_THROW(
      st->write([&](store::Transaction& tx) { tx.purses().set_category_credit_limit(ana.id, "GBP", 600); }), Error);
  st->write([&](store::Transaction& tx) {
    tx.purses().set_credit_limit(ana.id, "GBP", 700);
    tx.purses().set_category_credit_limit(ana.id, "GBP", 0);
  });
  st->read([&](store::Transaction& tx) {
    BOOST_TEST((tx.purses().accounts(ana.id) == std::vector<PurseAccount>{{ana.id, "GBP", -700, 700, 0, 0}}));
  });
}

BOOST_DATA_TEST_CASE(visits_round_trip_newest_first, boost::unit_test::data::make(kAdapters), adapter) {
  TempDir dir;
  auto st = adapter.open(dir);
  using std::chrono::hours;
  Customer ana = sample("00001", "ana@example.com");
  Customer ben = sample("00002", "ben@example.com");
  Credential fob = stored_credential(ana.id, CredentialKind::key_fob, "FOB-1");
  Visit a1{0, ana.id, "spa", std::nullopt, kNow - hours(2)};
  Visit a2{0, ana.id, "gym", std::nullopt, kNow - hours(1)};
  Visit a3{0, ana.id, "spa", std::nullopt, kNow - hours(1)};
  Visit b1{0, ben.id, "spa", std::nullopt, kNow};
  st->write([&](store::Transaction& tx) {
    tx.customers().insert(ana, "silva ana");
    tx.customers().insert(ben, "silva ben");
    tx.credentials().insert(fob);
    a1.credential = fob.id;
    for (Visit* v : {&a1, &a2, &a3, &b1}) tx.visits().insert(*v);
    BOOST_TEST(a1.id > 0);
    BOOST_TEST(b1.id > a3.id);
  });
  // Only the customer's own credential.
  Visit wrong{0, ben.id, "spa", fob.id, kNow};
  BOOST_CHECK_THROW(st->write([&](store::Transaction& tx) { tx.visits().insert(wrong); }), Error);
  st->read([&](store::Transaction& tx) {
    auto& repo = tx.visits();
    using Visits = std::vector<Visit>;
    BOOST_TEST((repo.of_customer(ana.id, {}, {}) == Visits{a3, a2, a1}));
    BOOST_TEST((repo.of_customer(ana.id, {}, {.limit = 1, .offset = 1}) == Visits{a2}));
    BOOST_TEST((repo.of_customer(ana.id, {.place = "spa"}, {}) == Visits{a3, a1}));
    BOOST_TEST((repo.of_customer(ana.id, {.from = kNow - hours(1)}, {}) == Visits{a3, a2}));
    BOOST_TEST((repo.of_customer(ana.id, {.to = kNow - hours(1)}, {}) == Visits{a1}));
    BOOST_TEST(repo.count(ana.id, {}) == 3);
    BOOST_TEST(repo.count(ana.id, {.place = "gym"}) == 1);
    BOOST_TEST(repo.count(ben.id, {.to = kNow}) == 0);
    BOOST_TEST((repo.at_place("spa", {}, {}) == Visits{b1, a3, a1}));
    BOOST_TEST((repo.at_place("spa", {.from = kNow}, {}) == Visits{b1}));
    BOOST_TEST((repo.at_place("spa", {.place = "gym"}, {}) == Visits{}));
    BOOST_TEST((repo.at_place("gym", {}, {.limit = 5, .offset = 1}) == Visits{}));
  });
}

BOOST_DATA_TEST_CASE(loyalty_keeps_a_ledger_its_lots_and_its_checkpoint, boost::unit_test::data::make(kAdapters),
                     adapter) {
  TempDir dir;
  auto st = adapter.open(dir);
  Customer ana = sample("00042", "ana@example.com");
  const Program stars{.id = "stars", .name = "Stars", .currency = "GBP", .created_at = kNow, .updated_at = kNow};
  const auto entry = [&](PointsEntryKind kind, std::int64_t points, std::int64_t balance_after, std::string key) {
    PointsEntry e;
    e.customer = ana.id;
    e.program = "stars";
    e.kind = kind;
    e.points = points;
    e.balance_after = balance_after;
    e.idempotency_key = std::move(key);
    e.actor = "till";
    e.at = kNow;
    return e;
  };
  PointsEntry earn = entry(PointsEntryKind::earn, 100, 100, "e-1");
  earn.qualifying = true;
  PointsEntry redeem = entry(PointsEntryKind::redeem, -30, 70, "r-1");
  PointsLot lot{0, 0, 100, 100, kNow, std::nullopt, kNow + std::chrono::hours(24)};
  st->write([&](store::Transaction& tx) {
    tx.customers().insert(ana, "silva ana");
    auto& repo = tx.loyalty();
    repo.insert_program(stars);
    expect_error([&] { repo.insert_program(stars); }, Errc::already_exists, "id");
    repo.save_tier({"stars", "silver", "Silver", 50, 100, ""});
    expect_error([&] { repo.save_tier({"stars", "gold", "Gold", 50, 100, ""}); }, Errc::already_exists, "threshold");
    BOOST_TEST(!repo.account(ana.id, "stars", kNow).has_value());
    repo.append(earn);
    lot.entry = earn.id;
    repo.add_lot(lot, true, kNow);
    const auto draws = repo.plan_draw(ana.id, "stars", 30, RedemptionOrder::soonest_expiring, kNow, std::nullopt);
    BOOST_TEST((draws == std::vector<store::LotDraw>{{lot.id, 30, lot.expires_at}}));
    repo.append(redeem);
    repo.apply_draws(redeem.id, draws);
    repo.set_tier(ana.id, "stars", std::string("silver"));
  });
  st->read([&](store::Transaction& tx) {
    auto& repo = tx.loyalty();
    BOOST_TEST((repo.program("stars") == stars));
    BOOST_TEST((repo.account(ana.id, "stars", kNow) == PointsAccount{ana.id, "stars", 70, 0, 0, 70, "silver"}));
    // Past the lot's expiry its points are expired, not spendable.
    BOOST_TEST((repo.account(ana.id, "stars", kNow + std::chrono::hours(24)) ==
                PointsAccount{ana.id, "stars", 70, 0, 70, 0, "silver"}));
    BOOST_TEST((repo.entry(earn.id) == earn));
    BOOST_TEST((repo.entries(ana.id, "stars", {}, false) == std::vector<PointsEntry>{redeem, earn}));
    BOOST_TEST((repo.draws(redeem.id) == std::vector<store::LotDraw>{{lot.id, 30, lot.expires_at}}));
    BOOST_TEST(repo.lot_of(earn.id)->remaining == 70);
    BOOST_TEST(repo.qualifying_points(ana.id, "stars", kNow - std::chrono::hours(1), kNow) == 100);
    BOOST_TEST(repo.qualifying_points(ana.id, "stars", kNow, kNow) == 0);
    BOOST_TEST(repo.tier_holders("stars", "silver") == 1);
    BOOST_TEST((repo.expired_lots(ana.id, "stars", kNow + std::chrono::hours(24)) ==
                std::vector<store::LotDraw>{{lot.id, 70, lot.expires_at}}));
  });
  const auto refused = [&](PointsEntry e) {
    BOOST_CHECK_THROW(st->write([&](store::Transaction& tx) { tx.loyalty().append(e); }), Error);
  };
  refused(entry(PointsEntryKind::earn, 10, 9999, "x-1"));     // balance_after off the balance
  refused(entry(PointsEntryKind::redeem, -71, -1, "x-2"));    // below zero
  PointsEntry over = entry(PointsEntryKind::reverse, -101, -31, "x-3");
  over.reverses = earn.id;
  refused(over);                                              // more than its earn
  PointsEntry wrong = entry(PointsEntryKind::reverse, 5, 75, "x-4");
  wrong.reverses = earn.id;
  refused(wrong);                                             // an earn's reversal takes points away
  expect_error([&] { st->write([&](store::Transaction& tx) {
                 auto e = entry(PointsEntryKind::earn, 10, 80, "e-1");
                 tx.loyalty().append(e);
               }); },
               Errc::already_exists, "idempotency_key");
  st->read([&](store::Transaction& tx) {
    BOOST_TEST(tx.loyalty().entries(ana.id, "stars", {}, false).size() == 2u);
  });
}
