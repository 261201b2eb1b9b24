// Merges: everything of the absorbed customer moves to the survivor and no
// point or penny is made or lost (sums compared before and after, the
// ledgers read straight from the file); references to the absorbed customer
// lead to the survivor, through chains; the timeline and edit history show
// both; dry runs write nothing; each refusal names its field and writes
// nothing.
#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <set>

#include "fixture.hpp"
#include "row_count.hpp"

using namespace patron;
using namespace std::chrono_literals;
using patron::testing::count_rows;
using patron::testing::DbFixture;
using patron::testing::expect_error;

BOOST_TEST_DONT_PRINT_LOG_VALUE(MergeResult)
BOOST_TEST_DONT_PRINT_LOG_VALUE(Customer)
BOOST_TEST_DONT_PRINT_LOG_VALUE(std::optional<CustomerResolution>)
BOOST_TEST_DONT_PRINT_LOG_VALUE(std::optional<Timestamp>)
BOOST_TEST_DONT_PRINT_LOG_VALUE(std::optional<Date>)
BOOST_TEST_DONT_PRINT_LOG_VALUE(std::optional<std::string>)
BOOST_TEST_DONT_PRINT_LOG_VALUE(std::vector<std::string>)

namespace {

Program stars_program(std::string id) {
  Program p;
  p.id = std::move(id);
  p.name = "Stars";
  p.points_name = "stars";
  p.currency = "GBP";
  p.expiry_months = 12;
  return p;
}

// One value read straight from the file.
std::int64_t scalar(const std::string& path, const std::string& sql) {
  SQLite::Database file(path, SQLite::OPEN_READONLY);
  SQLite::Statement st(file, sql);
  st.executeStep();
  return st.getColumn(0).getInt64();
}

struct MergeFixture : DbFixture {
  // Two profiles of one guest, and someone else.
  Customer ana = customers().create({.first_name = "Ana",
                                     .last_name = "Silva",
                                     .email = "ana@example.com",
                                     .phone = "+447911123456",
                                     .tags = {"vip"}});
  Customer ana2 = customers().create({.title = "Dr",
                                      .first_name = "Anna",
                                      .last_name = "Silva",
                                      .email = "ana.silva@acme.co.uk",
                                      .phone = "+447911123456",
                                      .tags = {"VIP", "spa"}});
  Customer bob = customers().create({.first_name = "Bob", .last_name = "Jones", .email = "bob@example.com"});

  MergeResult merge(const Customer& survivor, const Customer& absorbed, std::vector<std::string> take = {},
                    bool dry_run = false) {
    return customers().merge(survivor.number, absorbed.number,
                             MergeOptions{.by = "desk-jane", .take = std::move(take), .dry_run = dry_run});
  }
  int events() { return count_rows(path, "events"); }

  void order(const Customer& who, std::string ref, std::int64_t total) {
    NewOrder o;
    o.customer.ref = who.number;
    o.source = "pos";
    o.external_ref = std::move(ref);
    o.currency = "GBP";
    o.total = total;
    o.status = OrderStatus::completed;
    db.orders().record(o);
  }
};

BOOST_FIXTURE_TEST_SUITE(merge_records, MergeFixture)

BOOST_AUTO_TEST_CASE(everything_moves_and_nothing_is_lost) {
  // Profile and custom fields.
  customers().update(ana2.number, {.date_of_birth = std::optional<Date>(parse_date("1990-04-01", "date_of_birth"))});
  db.custom_fields().define({.key = "vip_level", .label = "VIP", .type = FieldType::text});
  db.custom_fields().define({.key = "diet", .label = "Diet", .type = FieldType::text});
  db.custom_fields().set(ana.number, "vip_level", std::string("gold"));
  db.custom_fields().set(ana2.number, "vip_level", std::string("silver"));
  db.custom_fields().set(ana2.number, "diet", std::string("vegan"));
  Address home{.purpose = AddressPurpose::contact, .line1 = "1 High St", .city = "London",
               .postal_code = "N1 1AA", .country = "GB", .is_default = true};
  customers().add_address(ana.number, home);
  customers().add_address(ana2.number, home);  // the same: stays once
  Address work = home;
  work.line1 = "2 Low St";
  customers().add_address(ana2.number, work);  // another default contact address: not default any more

  // Commerce, notes, documents, access, graph, companies, promotions.
  order(ana, "R-1", 4000);
  order(ana2, "R-2", 6000);
  order(ana2, "R-3", 1000);
  NewBooking b;
  b.customer.ref = ana2.number;
  b.source = "web";
  b.external_ref = "B-1";
  b.service = "massage";
  b.starts_at = clock.now() + 24h;
  b.ends_at = clock.now() + 25h;
  db.bookings().record(b);
  const Note note = db.notes().add(ana2.number, "Allergic to nuts", "jane");
  db.notes().edit(note.id, "Allergic to nuts and shellfish", "jane");
  const Document doc = db.documents().attach({.customer_ref = ana2.number, .name = "waiver.pdf"}, "%PDF-1.4");
  const Credential card = db.credentials().issue({.kind = CredentialKind::smart_card, .value = "04A1", .customer_ref = ana2.number});
  db.visits().record_presented("04A1", "spa");
  db.doors().create({.id = "gym", .name = "Gym"});
  db.doors().grant({.customer_ref = ana2.number, .door = "gym"});
  db.connections().connect({.from_ref = ana2.number, .to_ref = ana.number, .type = "friend"});  // between the two: goes
  db.connections().connect({.from_ref = ana.number, .to_ref = bob.number, .type = "friend"});
  db.connections().connect({.from_ref = bob.number, .to_ref = ana2.number, .type = "friend"});  // the same: once
  db.connections().connect({.from_ref = ana2.number, .to_ref = bob.number, .type = "colleague"});
  db.connections().record_referral(bob.number, ana2.number);
  const Company acme = db.companies().create({.name = "Acme", .domains = {"acme.co.uk"}});
  db.promotions().create_category({.id = "staff", .name = "Staff", .discount_basis_points = 1000});
  db.promotions().assign("staff", ana2.number);
  const Plan plan = db.memberships().create_plan({.name = "Gold"});
  const Membership membership = db.memberships().add({.plan = plan.id, .customer_ref = ana2.number});

  // Purses: both hold GBP, only ana2 EUR (on credit).
  db.purses().top_up({ana.number, "GBP", 2500, "t-1", ""});
  db.purses().top_up({ana2.number, "GBP", 700, "t-2", ""});
  db.purses().set_credit_limit(ana2.number, "EUR", 5000);
  db.purses().charge({ana2.number, "EUR", 1200, "t-3", ""});

  // Loyalty: both in "stars" (ana2 with a pending lot), ana2 alone in "club".
  db.loyalty().create_program(stars_program("stars"));
  db.loyalty().create_program(stars_program("club"));
  db.loyalty().save_tier({.program = "stars", .id = "gold", .name = "Gold", .threshold = 1000});
  db.loyalty().earn({.customer_ref = ana.number, .program = "stars", .points = 600, .idempotency_key = "e-1"});
  db.loyalty().earn({.customer_ref = ana2.number, .program = "stars", .points = 500, .idempotency_key = "e-2"});
  const Timestamp release = clock.now() + 72h;
  db.loyalty().earn({.customer_ref = ana2.number, .program = "stars", .points = 50, .pending_until = release,
                     .idempotency_key = "e-3"});
  db.loyalty().redeem({ana2.number, "stars", 100, "", "r-1"});
  db.loyalty().earn({.customer_ref = ana2.number, .program = "club", .points = 30, .idempotency_key = "e-4"});
  BOOST_TEST(!db.loyalty().account(ana.number, "stars").tier.has_value());

  const std::int64_t gbp_before = db.purses().account(ana.number, "GBP").balance + db.purses().account(ana2.number, "GBP").balance;
  const std::int64_t stars_before =
      db.loyalty().account(ana.number, "stars").balance + db.loyalty().account(ana2.number, "stars").balance;
  clock.advance(1h);
  const MergeResult r = merge(ana, ana2);

  // The survivor keeps its id, number and values; blanks are filled.
  const Customer& c = r.customer;
  BOOST_TEST(c.id == ana.id);
  BOOST_TEST(c.number == ana.number);
  BOOST_TEST(c.first_name == "Ana");
  BOOST_TEST(c.title == "Dr");
  BOOST_TEST((c.date_of_birth == std::optional<Date>(parse_date("1990-04-01", "date_of_birth"))));
  BOOST_TEST(c.tags == (std::vector<std::string>{"vip", "spa"}));
  BOOST_TEST(r.filled == (std::vector<std::string>{"title", "date_of_birth", "tags", "custom.diet"}));
  BOOST_TEST(r.taken.empty());
  BOOST_TEST(r.absorbed == ana2.id);
  BOOST_TEST(r.absorbed_number == ana2.number);
  BOOST_TEST(!r.dry_run);
  BOOST_TEST(r.event > 0);
  // Contacts: a union without duplicates; the survivor's primary stays.
  BOOST_TEST(c.emails.size() == 2u);
  BOOST_TEST(c.primary_email()->address == "ana@example.com");
  BOOST_TEST(c.phones.size() == 1u);
  BOOST_TEST(c.addresses.size() == 2u);
  BOOST_TEST(std::count_if(c.addresses.begin(), c.addresses.end(), [](const Address& a) { return a.is_default; }) == 1);
  auto values = db.custom_fields().values(ana.number);
  BOOST_TEST(std::get<std::string>(values.at("vip_level")) == "gold");
  BOOST_TEST(std::get<std::string>(values.at("diet")) == "vegan");

  // What moved, by kind.
  const std::map<std::string, std::int64_t> expected{
      {"addresses", 1},     {"bookings", 1},         {"connections", 1},     {"credentials", 1},
      {"documents", 1},     {"door_permissions", 1}, {"emails", 1},          {"memberships", 1},
      {"notes", 1},         {"orders", 2},           {"points_accounts", 2}, {"promotion_categories", 1},
      {"purse_accounts", 2}, {"referrals", 1},        {"company_links", 1},   {"visits", 1}};
  for (const auto& [kind, n] : expected) BOOST_TEST(r.moved.at(kind) == n, kind);
  BOOST_TEST(r.moved.size() == expected.size());

  // Every record is the survivor's now.
  BOOST_TEST(db.customers().history(ana.number).size() == 4u);  // 3 orders, 1 booking
  BOOST_TEST(db.analytics().stats(ana.number).orders == 3);
  BOOST_TEST(db.notes().of_customer(ana.number).size() == 1u);
  BOOST_TEST(db.notes().revisions(note.id).size() == 1u);
  BOOST_TEST(db.documents().read(doc.id) == "%PDF-1.4");
  BOOST_TEST(db.documents().get(doc.id).customer == ana.id);
  BOOST_TEST(db.credentials().get(card.id).customer == ana.id);
  BOOST_TEST(db.visits().count(ana.number) == 1);
  BOOST_TEST(db.doors().can_open(ana.number, "gym"));
  BOOST_TEST((db.memberships().get(membership.id).holder.customer == std::optional<CustomerId>(ana.id)));
  BOOST_TEST(db.connections().of_customer(ana.number).size() == 2u);  // bob as friend and as colleague
  BOOST_TEST(db.connections().of_customer(bob.number).size() == 2u);
  BOOST_TEST(db.connections().referrer_of(ana.number)->referrer == bob.id);
  BOOST_TEST(db.companies().companies_of(ana.number).size() == 1u);
  BOOST_TEST(db.companies().companies_of(ana.number)[0].company == acme.id);
  BOOST_TEST(db.promotions().categories_of(ana.number).size() == 1u);

  // Ledgers: the sums before and after, and the books straight from the file.
  BOOST_TEST(db.purses().account(ana.number, "GBP").balance == gbp_before);
  BOOST_TEST(db.purses().account(ana.number, "EUR").balance == -1200);
  BOOST_TEST(db.purses().account(ana.number, "EUR").credit_limit == 5000);
  BOOST_TEST(scalar(path, "SELECT sum(CASE kind WHEN 'charge' THEN -amount ELSE amount END) FROM purse_entries "
                          "WHERE currency = 'GBP'") == gbp_before);
  BOOST_TEST(scalar(path, "SELECT sum(balance) FROM purse_accounts WHERE currency = 'GBP'") == gbp_before);
  const PointsAccount stars = db.loyalty().account(ana.number, "stars");
  BOOST_TEST(stars.balance == stars_before);
  BOOST_TEST(stars.pending == 50);
  BOOST_TEST(scalar(path, "SELECT sum(points) FROM points_entries e JOIN points_accounts a ON a.id = e.account "
                          "WHERE a.program = 'stars'") == stars_before);
  BOOST_TEST(scalar(path, "SELECT sum(balance) FROM points_accounts WHERE program = 'stars'") == stars_before);
  BOOST_TEST(scalar(path, "SELECT sum(remaining) FROM points_lots l JOIN points_accounts a ON a.id = l.account "
                          "WHERE a.program = 'stars'") == stars_before);
  // The pending lot keeps its date: 50 become spendable at the release.
  const auto lots = db.loyalty().lots(ana.number, "stars");
  BOOST_TEST(std::count_if(lots.begin(), lots.end(), [&](const PointsLot& l) {
               return l.pending_until == std::optional<Timestamp>(release) && l.remaining == 50;
             }) == 1);
  // 600 + 550 qualifying points together reach gold.
  BOOST_TEST((stars.tier == std::optional<std::string>("gold")));
  BOOST_TEST(db.loyalty().account(ana.number, "club").balance == 30);
  BOOST_TEST((db.loyalty().account(ana.number, "club").tier == std::nullopt));
}

BOOST_AUTO_TEST_CASE(references_to_the_absorbed_customer_lead_to_the_survivor) {
  merge(ana, ana2);
  BOOST_TEST(customers().get(ana2.number).id == ana.id);
  BOOST_TEST(customers().get(ana2.id.str()).id == ana.id);
  BOOST_TEST(customers().find(ana2.number)->number == ana.number);
  const auto r = customers().resolve(ana2.number);
  BOOST_TEST(r->id == ana.id);
  BOOST_TEST(r->number == ana.number);
  BOOST_TEST((r->merged_from == std::optional<CustomerId>(ana2.id)));
  BOOST_TEST((r->merged_from_number == std::optional<std::string>(ana2.number)));
  const auto direct = customers().resolve(ana.id.str());
  BOOST_TEST(!direct->merged_from.has_value());
  BOOST_TEST(!customers().resolve("99999").has_value());
  expect_error([&] { customers().resolve("not a ref!"); }, Errc::invalid_argument, "ref");
  // Identification and service calls go to the survivor.
  BOOST_TEST(db.identify(ana2.id.str()).at(0).customer.id == ana.id);
  BOOST_TEST(db.identify(ana2.number).at(0).customer.id == ana.id);
  BOOST_TEST(db.identify("ana.silva@acme.co.uk").at(0).customer.id == ana.id);
  order(ana2, "R-9", 500);  // by the absorbed number
  BOOST_TEST(db.analytics().stats(ana.number).orders == 1);
  // The absorbed customer is no one's any more: not in search, its number
  // not free for another.
  const auto found = customers().search("silva");
  BOOST_TEST(found.size() == 1u);
  BOOST_TEST(found[0].id == ana.id);
  expect_error([&] { customers().create({.number = ana2.number, .first_name = "X", .last_name = "Y"}); },
               Errc::already_exists, "number");
  // Reopened, the same.
  Database again = Database::open(path, options());
  BOOST_TEST(again.customers().get(ana2.number).id == ana.id);
}

BOOST_AUTO_TEST_CASE(the_timeline_and_history_show_both_customers) {
  customers().update(ana2.number, {.lifecycle_stage = std::string("customer")});
  merge(ana, ana2, {"first_name"});
  const EventPage page = db.activity().timeline(ana.number, {}, {}, 100);
  const auto has = [&](std::string_view action, const CustomerId& who) {
    return std::any_of(page.events.begin(), page.events.end(),
                       [&](const Event& e) { return e.action == action && e.customer == who; });
  };
  BOOST_TEST(has("customer.created", ana.id));
  BOOST_TEST(has("customer.created", ana2.id));  // the absorbed customer's own events, readable
  BOOST_TEST(has("customer.merged", ana.id));
  const Event& merged = *std::find_if(page.events.begin(), page.events.end(),
                                      [](const Event& e) { return e.action == "customer.merged"; });
  BOOST_TEST(merged.actor == "desk-jane");
  const auto details = nlohmann::json::parse(merged.details);
  BOOST_TEST(details.at("absorbed").get<std::string>() == ana2.id.str());
  BOOST_TEST(details.at("taken") == nlohmann::json::array({"first_name"}));
  BOOST_TEST(details.at("moved").at("emails").get<int>() == 1);
  // Cursor paging over both customers' events gives each event once.
  std::set<std::int64_t> seen;
  std::string cursor;
  do {
    const EventPage p = db.activity().timeline(ana.number, {}, cursor, 3);
    for (const auto& e : p.events) BOOST_TEST(seen.insert(e.id).second);
    cursor = p.next.value_or("");
  } while (!cursor.empty());
  BOOST_TEST(seen.size() == page.events.size());
  // The edit history: the absorbed customer's changes and the merge's.
  const auto history = db.activity().history(ana.number, "lifecycle_stage");
  BOOST_TEST(history.size() == 2u);  // ana2 became a customer; the merge filled it in
  const auto names = db.activity().history(ana.number, "first_name");
  BOOST_TEST(names.front().new_value == "\"Anna\"");
}

BOOST_AUTO_TEST_CASE(a_dry_run_reports_the_merge_and_writes_nothing) {
  order(ana2, "R-2", 6000);
  db.notes().add(ana2.number, "Likes tea", "jane");
  const int before = events();
  const std::int64_t customers_file = count_rows(path, "customers");
  const MergeResult dry = merge(ana, ana2, {"first_name"}, true);
  BOOST_TEST(dry.dry_run);
  BOOST_TEST(dry.event == 0);
  BOOST_TEST(dry.customer.first_name == "Anna");
  BOOST_TEST(events() == before);
  BOOST_TEST(count_rows(path, "customers") == customers_file);
  BOOST_TEST(customers().get(ana2.number).id == ana2.id);  // still its own
  BOOST_TEST(!customers().resolve(ana2.number)->merged_from.has_value());
  const MergeResult real = merge(ana, ana2, {"first_name"});
  BOOST_TEST(real.moved == dry.moved);
  BOOST_TEST(real.filled == dry.filled);
  BOOST_TEST(real.taken == dry.taken);
  BOOST_TEST(real.customer.first_name == dry.customer.first_name);
  BOOST_TEST(real.taken == (std::vector<std::string>{"first_name"}));
}

BOOST_AUTO_TEST_CASE(chains_lead_to_the_last_survivor) {
  order(ana2, "R-2", 6000);
  merge(ana, ana2);  // ana2 into ana
  merge(bob, ana);   // then ana into bob
  BOOST_TEST(customers().get(ana2.number).id == bob.id);
  BOOST_TEST((customers().resolve(ana2.id.str())->merged_from == std::optional<CustomerId>(ana2.id)));
  BOOST_TEST(customers().resolve(ana2.id.str())->id == bob.id);
  BOOST_TEST(db.analytics().stats(bob.number).orders == 1);
  const EventPage page = db.activity().timeline(bob.number, {}, {}, 100);
  BOOST_TEST(std::count_if(page.events.begin(), page.events.end(),
                           [](const Event& e) { return e.action == "customer.created"; }) == 3);
  BOOST_TEST(scalar(path, "SELECT count(*) FROM customers WHERE merged_into = (SELECT seq FROM customers WHERE id = '" +
                              bob.id.str() + "')") == 2);
}

BOOST_AUTO_TEST_CASE(a_ban_and_debt_follow_the_person) {
  customers().ban(ana2.number, "fraud", "manager");
  db.purses().set_credit_limit(ana.number, "GBP", 100);
  db.purses().set_credit_limit(ana2.number, "GBP", 1000);
  db.purses().charge({ana.number, "GBP", 100, "c-1", ""});
  db.purses().charge({ana2.number, "GBP", 1000, "c-2", ""});
  const MergeResult r = merge(ana, ana2);
  BOOST_TEST(r.customer.status == CustomerStatus::banned);
  BOOST_TEST(r.customer.ban->reason == "fraud");
  const PurseAccount gbp = db.purses().account(ana.number, "GBP");
  BOOST_TEST(gbp.balance == -1100);
  BOOST_TEST(gbp.credit_limit == 1100);  // raised to hold the debt of both
  BOOST_TEST(db.purses().account(ana2.id.str(), "GBP").balance == -1100);  // the absorbed ref leads here too
  BOOST_TEST(scalar(path, "SELECT sum(balance) FROM purse_accounts") == -1100);
}

BOOST_AUTO_TEST_CASE(what_comes_back_after_the_merge_goes_to_the_survivor) {
  db.loyalty().create_program(stars_program("stars"));
  db.loyalty().earn({.customer_ref = ana.number, .program = "stars", .points = 100, .idempotency_key = "e-1"});
  const PointsEntry earned =
      db.loyalty().earn({.customer_ref = ana2.number, .program = "stars", .points = 300, .idempotency_key = "e-2"});
  const PointsEntry redeemed = db.loyalty().redeem({ana2.number, "stars", 120, "", "r-1"});
  db.purses().top_up({ana2.number, "GBP", 1000, "t-1", ""});
  const PurseEntry charge = db.purses().charge({ana2.number, "GBP", 400, "c-1", ""});
  merge(ana, ana2);
  BOOST_TEST(db.loyalty().account(ana.number, "stars").balance == 280);
  BOOST_TEST(db.purses().account(ana.number, "GBP").balance == 600);

  // A refund of the absorbed customer's charge, and a redemption given back.
  const PurseEntry refund = db.purses().refund(charge.id, 150, "rf-1");
  BOOST_TEST(refund.customer == ana2.id);  // on the charge's own account, then handed over
  BOOST_TEST(db.purses().account(ana.number, "GBP").balance == 750);
  BOOST_TEST(db.purses().refund(charge.id, 150, "rf-1").id == refund.id);  // a replay writes nothing
  BOOST_TEST(db.purses().account(ana.number, "GBP").balance == 750);
  db.loyalty().reverse(redeemed.id, 20, "rv-1", "meal refunded");
  BOOST_TEST(db.loyalty().account(ana.number, "stars").balance == 300);
  BOOST_TEST(scalar(path, "SELECT sum(balance) FROM purse_accounts") == 750);
  BOOST_TEST(scalar(path, "SELECT sum(balance) FROM points_accounts") == 300);
  // An earn of the absorbed customer went with the merge: adjust the survivor instead.
  expect_error([&] { db.loyalty().reverse(earned.id, 10, "rv-2", "mistake"); }, Errc::failed_precondition, "entry",
               "merged");
}

BOOST_AUTO_TEST_CASE(retries_balances_and_tiers_after_the_merge) {
  db.loyalty().create_program(stars_program("stars"));
  db.loyalty().save_tier({.program = "stars", .id = "bronze", .name = "Bronze", .threshold = 50});
  db.loyalty().save_tier({.program = "stars", .id = "gold", .name = "Gold", .threshold = 100});
  db.loyalty().earn({.customer_ref = ana.number, .program = "stars", .points = 50, .idempotency_key = "e-1"});
  const PointsEntry earned =
      db.loyalty().earn({.customer_ref = ana2.number, .program = "stars", .points = 60, .idempotency_key = "e-2"});
  const PurseEntry topped = db.purses().top_up({ana2.number, "GBP", 1000, "t-1", ""});
  BOOST_TEST((db.loyalty().account(ana2.number, "stars").tier == std::optional<std::string>("bronze")));
  merge(ana, ana2);
  BOOST_TEST((db.loyalty().account(ana.number, "stars").tier == std::optional<std::string>("gold")));
  // The absorbed account holds no tier any more: bronze can go.
  BOOST_CHECK_NO_THROW(db.loyalty().remove_tier("stars", "bronze"));

  // A till retrying a write it made before the merge, naming the absorbed
  // customer: the same write, not a conflict, and nothing written twice.
  BOOST_TEST(db.purses().top_up({ana2.number, "GBP", 1000, "t-1", ""}).id == topped.id);
  BOOST_TEST(db.loyalty()
                 .earn({.customer_ref = ana2.number, .program = "stars", .points = 60, .idempotency_key = "e-2"})
                 .id == earned.id);
  BOOST_TEST(db.purses().account(ana.number, "GBP").balance == 1000);
  BOOST_TEST(db.loyalty().account(ana.number, "stars").balance == 110);
  expect_error([&] { db.purses().top_up({ana2.number, "GBP", 999, "t-1", ""}); }, Errc::conflict, "idempotency_key");

  // The merge's own hand-over moved money, it sold nothing: not refundable.
  const std::int64_t out = scalar(path, "SELECT id FROM purse_entries WHERE idempotency_key LIKE 'merge:%:out'");
  expect_error([&] { db.purses().refund(out, 100, "rf-1"); }, Errc::failed_precondition, "charge", "merge");
  BOOST_TEST(db.purses().account(ana.number, "GBP").balance == 1000);
}

BOOST_AUTO_TEST_CASE(the_survivor_may_take_over_the_absorbed_number) {
  merge(ana, ana2);
  // Another customer may not have it; the survivor may.
  expect_error([&] { customers().set_number(bob.number, ana2.number); }, Errc::already_exists, "number");
  const Customer c = customers().set_number(ana.number, ana2.number);
  BOOST_TEST(c.id == ana.id);
  BOOST_TEST(c.number == ana2.number);
  BOOST_TEST(customers().get(ana2.number).id == ana.id);
  BOOST_TEST(!customers().resolve(ana2.number)->merged_from.has_value());  // held, not redirected
  const auto by_id = customers().resolve(ana2.id.str());
  BOOST_TEST((by_id->merged_from == std::optional<CustomerId>(ana2.id)));
  BOOST_TEST((by_id->merged_from_number == std::optional<std::string>("merged-" + ana2.id.str().substr(0, 25))));
  // The survivor's old number is free again.
  BOOST_TEST(!customers().find(ana.number).has_value());
  BOOST_TEST(customers().set_number(bob.number, ana.number).number == ana.number);
}

BOOST_AUTO_TEST_CASE(refusals_name_the_rule_and_write_nothing) {
  const int before = events();
  const auto by = [](std::string who) { return MergeOptions{.by = std::move(who)}; };
  expect_error([&] { customers().merge(ana.number, ana.number, by("jane")); }, Errc::invalid_argument, "absorbed",
               "itself");
  expect_error([&] { customers().merge(ana.number, ana.id.str(), by("jane")); }, Errc::invalid_argument, "absorbed");
  expect_error([&] { customers().merge(ana.number, ana2.number, by("")); }, Errc::invalid_argument, "by");
  expect_error([&] { customers().merge(ana.number, ana2.number, by("  ")); }, Errc::invalid_argument, "by");
  expect_error([&] { customers().merge("99999", ana2.number, by("jane")); }, Errc::not_found, "survivor");
  expect_error([&] { customers().merge(ana.number, "99999", by("jane")); }, Errc::not_found, "absorbed");
  expect_error([&] { customers().merge("??", ana2.number, by("jane")); }, Errc::invalid_argument, "survivor");
  expect_error(
      [&] { customers().merge(ana.number, ana2.number, MergeOptions{.by = "jane", .take = {"title", "email"}}); },
      Errc::invalid_argument, "take[1]", "not a field a merge takes");
  expect_error(
      [&] { customers().merge(ana.number, ana2.number, MergeOptions{.by = "jane", .take = {"custom.nope"}}); },
      Errc::invalid_argument, "take[0]", "no custom field 'nope'");
  expect_error(
      [&] { customers().merge(ana.number, ana2.number, MergeOptions{.by = "jane", .take = {"custom."}}); },
      Errc::invalid_argument, "take[0]");
  std::vector<std::string> many;
  for (int i = 0; i < 30; ++i) many.push_back("a" + std::to_string(i));
  customers().update(ana.number, {.tags = many});
  for (auto& t : many) t[0] = 'b';
  customers().update(ana2.number, {.tags = many});
  const int after_tags = events();
  expect_error([&] { merge(ana, ana2); }, Errc::failed_precondition, "tags", "60 tags");
  BOOST_TEST(events() == after_tags);
  BOOST_TEST(before + 2 == after_tags);
  BOOST_TEST(customers().get(ana2.number).id == ana2.id);

  customers().update(ana2.number, {.tags = std::vector<std::string>{}});
  merge(ana, ana2);
  expect_error([&] { merge(ana, ana2); }, Errc::failed_precondition, "absorbed", "already merged into customer " + ana.number);
  expect_error([&] { merge(bob, ana2); }, Errc::failed_precondition, "absorbed", "already merged");
  expect_error([&] { merge(ana2, bob); }, Errc::failed_precondition, "survivor", "merge into that one");
}

BOOST_AUTO_TEST_CASE(the_schema_keeps_a_merge_final) {
  merge(ana, ana2);
  SQLite::Database file(path, SQLite::OPEN_READWRITE);
  BOOST_CHECK_THROW(file.exec("UPDATE customers SET merged_into = NULL, merged_at = NULL WHERE id = '" + ana2.id.str() + "'"),
                    SQLite::Exception);
  // A merge leads to a customer not merged itself.
  BOOST_CHECK_THROW(file.exec("UPDATE customers SET merged_into = (SELECT seq FROM customers WHERE id = '" +
                              ana2.id.str() + "'), merged_at = 1 WHERE id = '" + bob.id.str() + "'"),
                    SQLite::Exception);
  // ... and to a customer that exists.
  BOOST_CHECK_THROW(file.exec("UPDATE customers SET merged_into = 999999, merged_at = 1 WHERE id = '" + bob.id.str() + "'"),
                    SQLite::Exception);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
