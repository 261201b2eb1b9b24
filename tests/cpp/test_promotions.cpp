// Promotion categories: their definitions and refusals, assignment to
// customers and companies (idempotent), what applies to a customer (best of
// each term, no stacking), quotes (exact arithmetic, points through the
// loyalty program, purse credit, no writes), category credit on purses (the
// core's checks and the schema's), timeline events, and migration 13
// rebuilding purse_accounts under existing ledgers.
#include <SQLiteCpp/SQLiteCpp.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <nlohmann/json.hpp>

#include "fixture.hpp"
#include "row_count.hpp"

using namespace patron;
using patron::testing::refused;
using namespace std::chrono_literals;
using patron::testing::count_rows;
using patron::testing::DbFixture;
using patron::testing::expect_error;
using Json = nlohmann::json;

namespace {

constexpr std::int64_t kMax = 1'000'000'000'000'000;  // 10^15

PromotionCategory category(std::string id, std::int64_t discount, std::int64_t multiplier, std::int64_t credit = 0,
                           std::string currency = "") {
  PromotionCategory c;
  c.id = std::move(id);
  c.name = "Category " + c.id;
  c.discount_basis_points = discount;
  c.earn_multiplier_percent = multiplier;
  c.credit_limit = credit;
  c.credit_currency = std::move(currency);
  return c;
}

struct PromoFixture : DbFixture {
  Customer ana = customers().create({.first_name = "Ana", .last_name = "Silva", .email = "ana@example.com"});
  Customer bob = customers().create({.first_name = "Bob", .last_name = "Jones", .email = "bob@example.com"});
  Customer cy = customers().create({.first_name = "Cy", .last_name = "Young", .email = "cy@example.com"});
  Promotions& promotions() { return db.promotions(); }
  int rows(const std::string& table) { return count_rows(path, table); }
  // Rows of every table a promotions call may write.
  std::vector<int> all_rows() {
    return {rows("promotion_categories"), rows("category_customers"), rows("category_companies"), rows("events"),
            rows("purse_accounts"), rows("purse_entries")};
  }
  std::int64_t company(const std::string& name) { return db.companies().create({.name = name}).id; }
  // Organisation events (no customer) recorded after event id `after`.
  std::vector<Event> org_events(std::int64_t after) {
    std::vector<Event> out;
    for (auto& e : db.activity().feed(after, 1000)) {
      if (!e.customer) out.push_back(std::move(e));
    }
    return out;
  }
  PurseEntry charge(const Customer& who, std::int64_t amount, std::string key, std::string currency = "GBP") {
    return db.purses().charge({who.number, std::move(currency), amount, std::move(key), ""});
  }
  PurseEntry top_up(const Customer& who, std::int64_t amount, std::string key, std::string currency = "GBP") {
    return db.purses().top_up({who.number, std::move(currency), amount, std::move(key), ""});
  }
  // purse_accounts.category_credit_limit as stored, read behind patron's back.
  std::int64_t stored_category_limit(const Customer& who, const std::string& currency) {
    SQLite::Database file(path, SQLite::OPEN_READONLY);
    SQLite::Statement st(file,
                         "SELECT a.category_credit_limit FROM purse_accounts a JOIN customers c ON c.seq = a.customer "
                         "WHERE c.id = ? AND a.currency = ?");
    st.bind(1, who.id.str());
    st.bind(2, currency);
    return st.executeStep() ? st.getColumn(0).getInt64() : -1;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(promotions, PromoFixture)

BOOST_AUTO_TEST_CASE(categories_are_created_read_updated_and_removed) {
  const Timestamp t0 = clock.now();
  PromotionCategory in = category("staff", 1250, 200, 5000, " gbp ");
  in.name = "  Staff  ";
  in.created_at = t0 - 1h;  // set by patron
  const PromotionCategory staff = promotions().create_category(in);
  BOOST_TEST(staff.id == "staff");
  BOOST_TEST(staff.name == "Staff");
  BOOST_TEST(staff.discount_basis_points == 1250);
  BOOST_TEST(staff.earn_multiplier_percent == 200);
  BOOST_TEST(staff.credit_limit == 5000);
  BOOST_TEST(staff.credit_currency == "GBP");
  BOOST_TEST(staff.created_at == t0);
  BOOST_TEST(staff.updated_at == t0);
  BOOST_TEST((promotions().category("staff") == staff));

  // A currency without a limit means nothing and is not kept; the edges are allowed.
  const PromotionCategory vip = promotions().create_category(category("VIP:gold/1", 10000, 10000, 0, "eur"));
  BOOST_TEST(vip.credit_currency.empty());
  const PromotionCategory plain = promotions().create_category(category("a.b_c-d", 0, 0, kMax, "USD"));
  BOOST_TEST(plain.credit_limit == kMax);
  BOOST_TEST(plain.earn_multiplier_percent == 0);
  BOOST_TEST((promotions().categories() == std::vector<PromotionCategory>{vip, plain, staff}));  // by id (byte order)

  clock.advance(1min);
  PromotionCategory changed = category("staff", 1500, 150, 0, "");
  changed.name = "Staff members";
  const PromotionCategory updated = promotions().update_category(changed);
  BOOST_TEST(updated.name == "Staff members");
  BOOST_TEST(updated.discount_basis_points == 1500);
  BOOST_TEST(updated.earn_multiplier_percent == 150);
  BOOST_TEST(updated.credit_limit == 0);
  BOOST_TEST(updated.credit_currency.empty());
  BOOST_TEST(updated.created_at == t0);
  BOOST_TEST(updated.updated_at == t0 + 1min);
  // The same terms again change nothing, not even updated_at.
  clock.advance(1min);
  BOOST_TEST((promotions().update_category(changed) == updated));

  promotions().remove_category("staff");
  expect_error([&] { promotions().category("staff"); }, Errc::not_found, "id");
  BOOST_TEST(promotions().categories().size() == 2u);
  // The id is free again.
  BOOST_TEST(promotions().create_category(category("staff", 0, 100)).discount_basis_points == 0);
}

BOOST_AUTO_TEST_CASE(definitions_are_refused_naming_the_field_and_leave_nothing) {
  promotions().create_category(category("staff", 1000, 100));
  const auto before = all_rows();
  const auto refused_as = [&](PromotionCategory c, Errc code, const std::string& field) {
    expect_error([&] { promotions().create_category(c); }, code, field);
  };
  refused_as(category("", 0, 100), Errc::invalid_argument, "id");
  refused_as(category(std::string(65, 'a'), 0, 100), Errc::invalid_argument, "id");
  refused_as(category("staff members", 0, 100), Errc::invalid_argument, "id");
  refused_as(category("café", 0, 100), Errc::invalid_argument, "id");
  PromotionCategory unnamed = category("x", 0, 100);
  unnamed.name = "   ";
  refused_as(unnamed, Errc::invalid_argument, "name");
  PromotionCategory long_name = category("x", 0, 100);
  long_name.name = std::string(201, 'n');
  refused_as(long_name, Errc::invalid_argument, "name");
  refused_as(category("x", -1, 100), Errc::invalid_argument, "discount_basis_points");
  refused_as(category("x", 10001, 100), Errc::invalid_argument, "discount_basis_points");
  refused_as(category("x", 0, -1), Errc::invalid_argument, "earn_multiplier_percent");
  refused_as(category("x", 0, 10001), Errc::invalid_argument, "earn_multiplier_percent");
  refused_as(category("x", 0, 100, -1, "GBP"), Errc::invalid_argument, "credit_limit");
  refused_as(category("x", 0, 100, kMax + 1, "GBP"), Errc::invalid_argument, "credit_limit");
  refused_as(category("x", 0, 100, 500, ""), Errc::invalid_argument, "credit_currency");
  refused_as(category("x", 0, 100, 500, " "), Errc::invalid_argument, "credit_currency");
  refused_as(category("x", 0, 100, 500, "XXX"), Errc::invalid_argument, "credit_currency");
  refused_as(category("x", 0, 100, 0, "pounds"), Errc::invalid_argument, "credit_currency");
  refused_as(category("staff", 0, 100), Errc::already_exists, "id");

  expect_error([&] { promotions().update_category(category("nobody", 0, 100)); }, Errc::not_found, "id");
  expect_error([&] { promotions().update_category(category("staff", 20000, 100)); }, Errc::invalid_argument,
               "discount_basis_points");
  expect_error([&] { promotions().remove_category("nobody"); }, Errc::not_found, "id");
  expect_error([&] { promotions().remove_category("no body"); }, Errc::invalid_argument, "id");
  expect_error([&] { promotions().category("nobody"); }, Errc::not_found, "id");
  expect_error([&] { promotions().category(""); }, Errc::invalid_argument, "id");

  // Not while assigned, to a customer or to a company.
  promotions().assign("staff", ana.number);
  const auto assigned = all_rows();
  expect_error([&] { promotions().remove_category("staff"); }, Errc::failed_precondition, "category");
  promotions().unassign("staff", ana.number);
  const std::int64_t acme = company("Acme");
  promotions().assign_to_company("staff", acme);
  expect_error([&] { promotions().remove_category("staff"); }, Errc::failed_precondition, "category");
  BOOST_TEST(promotions().category("staff").discount_basis_points == 1000);
  BOOST_TEST(assigned[0] == before[0]);
  BOOST_TEST(rows("promotion_categories") == before[0]);
  BOOST_TEST(rows("category_companies") == 1);
  promotions().unassign_from_company("staff", acme);
  promotions().remove_category("staff");
  BOOST_TEST(rows("promotion_categories") == before[0] - 1);
}

BOOST_AUTO_TEST_CASE(the_schema_keeps_categories_whole) {
  promotions().create_category(category("staff", 1000, 100));
  promotions().assign("staff", ana.number);
  BOOST_TEST(refused(path, "DELETE FROM promotion_categories WHERE id = 'staff'"));  // assigned
  BOOST_TEST(refused(path, "UPDATE promotion_categories SET discount_basis_points = 10001"));
  BOOST_TEST(refused(path, "UPDATE promotion_categories SET credit_limit = 5"));  // without a currency
  BOOST_TEST(refused(path, "UPDATE promotion_categories SET credit_currency = 'GBP'"));  // without a limit
  BOOST_TEST(refused(path, "UPDATE promotion_categories SET id = 'no spaces'"));
  BOOST_TEST(refused(path, "INSERT INTO category_customers VALUES ('nope', 1, 0)"));
  BOOST_TEST(refused(path, "INSERT INTO category_companies VALUES ('staff', 999, 0)"));
}

BOOST_AUTO_TEST_CASE(categories_apply_directly_and_through_any_company_link) {
  promotions().create_category(category("staff", 1000, 150));
  promotions().create_category(category("partner", 500, 300));
  promotions().create_category(category("vip", 2500, 120));
  const std::int64_t acme = company("Acme");
  const std::int64_t beta = company("Beta");
  db.companies().link(acme, bob.number, "employee");
  db.companies().link(beta, bob.number);
  db.companies().add_domain(beta, "cy-corp.com");
  const Customer dee =
      customers().create({.first_name = "Dee", .last_name = "Doe", .email = "dee@cy-corp.com"});  // domain link
  db.companies().link(beta, dee.number);  // and a manual one: the company counts once

  promotions().assign("staff", ana.number);
  promotions().assign("vip", ana.id.str());
  promotions().assign("staff", bob.number);
  promotions().assign_to_company("partner", acme);
  promotions().assign_to_company("partner", beta);
  promotions().assign_to_company("vip", beta);

  const auto of_ana = promotions().categories_of(ana.number);
  BOOST_REQUIRE(of_ana.size() == 2u);
  BOOST_TEST((of_ana[0] == AppliedCategory{promotions().category("staff"), true, {}}));
  BOOST_TEST((of_ana[1] == AppliedCategory{promotions().category("vip"), true, {}}));
  const auto of_bob = promotions().categories_of(bob.number);
  BOOST_REQUIRE(of_bob.size() == 3u);
  BOOST_TEST(of_bob[0].category.id == "partner");
  BOOST_TEST(!of_bob[0].direct);
  BOOST_TEST((of_bob[0].companies == std::vector<std::int64_t>{acme, beta}));
  BOOST_TEST(of_bob[1].category.id == "staff");
  BOOST_TEST(of_bob[1].direct);
  BOOST_TEST(of_bob[1].companies.empty());
  BOOST_TEST(of_bob[2].category.id == "vip");
  BOOST_TEST((of_bob[2].companies == std::vector<std::int64_t>{beta}));
  const auto of_dee = promotions().categories_of(dee.id.str());
  BOOST_REQUIRE(of_dee.size() == 2u);
  BOOST_TEST((of_dee[0].companies == std::vector<std::int64_t>{beta}));
  BOOST_TEST((of_dee[1].companies == std::vector<std::int64_t>{beta}));
  BOOST_TEST(promotions().categories_of(cy.number).empty());

  BOOST_TEST((promotions().customers_in("staff") == std::vector<CustomerId>{ana.id, bob.id}));  // by number
  BOOST_TEST((promotions().customers_in("staff", {.limit = 1, .offset = 1}) == std::vector<CustomerId>{bob.id}));
  BOOST_TEST(promotions().customers_in("partner").empty());
  BOOST_TEST((promotions().companies_in("partner") == std::vector<std::int64_t>{acme, beta}));
  BOOST_TEST(promotions().companies_in("staff").empty());

  // Unlinking from the company takes its categories away.
  db.companies().unlink(acme, bob.number);
  BOOST_TEST((promotions().categories_of(bob.number)[0].companies == std::vector<std::int64_t>{beta}));
  promotions().unassign("vip", ana.number);
  promotions().unassign_from_company("vip", beta);
  BOOST_TEST(promotions().categories_of(ana.number).size() == 1u);
  BOOST_TEST(promotions().categories_of(bob.number).size() == 2u);
}

BOOST_AUTO_TEST_CASE(assignment_refusals_name_the_field_and_leave_nothing) {
  promotions().create_category(category("staff", 1000, 150));
  const std::int64_t acme = company("Acme");
  const auto before = all_rows();
  expect_error([&] { promotions().assign("nope", ana.number); }, Errc::not_found, "category");
  expect_error([&] { promotions().assign("no pe", ana.number); }, Errc::invalid_argument, "category");
  expect_error([&] { promotions().assign("staff", "00999"); }, Errc::not_found, "ref");
  expect_error([&] { promotions().assign("staff", "x"); }, Errc::invalid_argument, "ref");
  expect_error([&] { promotions().unassign("nope", ana.number); }, Errc::not_found, "category");
  expect_error([&] { promotions().unassign("staff", "00999"); }, Errc::not_found, "ref");
  expect_error([&] { promotions().assign_to_company("staff", acme + 1); }, Errc::not_found, "company");
  expect_error([&] { promotions().assign_to_company("nope", acme); }, Errc::not_found, "category");
  expect_error([&] { promotions().unassign_from_company("staff", 0); }, Errc::not_found, "company");
  expect_error([&] { promotions().categories_of("00999"); }, Errc::not_found, "ref");
  expect_error([&] { promotions().customers_in("nope"); }, Errc::not_found, "category");
  expect_error([&] { promotions().customers_in("staff", {.limit = 0}); }, Errc::invalid_argument, "limit");
  expect_error([&] { promotions().customers_in("staff", {.limit = 1001}); }, Errc::invalid_argument, "limit");
  expect_error([&] { promotions().companies_in("nope"); }, Errc::not_found, "category");
  BOOST_TEST((all_rows() == before));
}

BOOST_AUTO_TEST_CASE(changes_are_on_the_timelines_and_repeats_record_nothing) {
  promotions().create_category(category("staff", 1000, 150));
  const std::int64_t acme = company("Acme");
  ActorScope scope("manager-1");
  std::int64_t mark = db.activity().last_event_id();

  promotions().assign("staff", ana.number);
  const std::int64_t after_assign = db.activity().last_event_id();
  promotions().assign("staff", ana.id.str());  // already: nothing
  promotions().unassign("staff", bob.number);  // not assigned: nothing
  BOOST_TEST(db.activity().last_event_id() == after_assign);
  clock.advance(1s);
  promotions().unassign("staff", ana.number);
  promotions().unassign("staff", ana.number);
  const auto page = db.activity().timeline(ana.number, {.text = "category."});
  BOOST_REQUIRE(page.events.size() == 2u);
  const Event& unassigned = page.events[0];
  BOOST_TEST(unassigned.action == "category.unassigned");
  BOOST_TEST(unassigned.summary == "Category unassigned");
  BOOST_TEST(unassigned.at == clock.now());
  BOOST_TEST(Json::parse(unassigned.details) == Json({{"category", "staff"}}));
  const Event& assigned = page.events[1];
  BOOST_TEST(assigned.action == "category.assigned");
  BOOST_TEST(assigned.summary == "Category assigned");
  BOOST_TEST(assigned.actor == "manager-1");
  BOOST_TEST(Json::parse(assigned.details) == Json({{"category", "staff"}}));
  for (const auto& e : page.events) {
    BOOST_TEST((e.category == EventCategory::customers));
    BOOST_TEST((e.type == EventType::data));
    BOOST_TEST((e.source == EventSource::staff));
  }
  BOOST_TEST(org_events(mark).empty());

  // Organisation events: company assignments and definitions.
  mark = db.activity().last_event_id();
  promotions().assign_to_company("staff", acme);
  promotions().assign_to_company("staff", acme);
  promotions().unassign_from_company("staff", acme);
  promotions().unassign_from_company("staff", acme);
  promotions().create_category(category("vip", 2000, 100, 700, "EUR"));
  PromotionCategory vip = category("vip", 2500, 100, 700, "EUR");
  promotions().update_category(vip);
  promotions().update_category(vip);  // no change
  promotions().remove_category("vip");
  const auto org = org_events(mark);
  BOOST_REQUIRE(org.size() == 5u);
  BOOST_TEST(org[0].action == "category.company_assigned");
  BOOST_TEST(org[0].summary == "Category assigned to a company");
  BOOST_TEST((org[0].category == EventCategory::customers));
  BOOST_TEST((org[0].type == EventType::data));
  BOOST_TEST(Json::parse(org[0].details) == Json({{"category", "staff"}, {"company", acme}}));
  BOOST_TEST(org[1].action == "category.company_unassigned");
  BOOST_TEST(Json::parse(org[1].details) == Json({{"category", "staff"}, {"company", acme}}));
  BOOST_TEST(org[2].action == "promotions.category_saved");
  BOOST_TEST(org[2].summary == "Promotion category created");
  BOOST_TEST((org[2].category == EventCategory::system));
  BOOST_TEST((org[2].type == EventType::configuration));
  BOOST_TEST(org[2].actor == "manager-1");
  BOOST_TEST(Json::parse(org[2].details) == Json({{"category", "vip"},
                                                  {"name", "Category vip"},
                                                  {"discount_basis_points", 2000},
                                                  {"earn_multiplier_percent", 100},
                                                  {"credit_limit", 700},
                                                  {"credit_currency", "EUR"}}));
  BOOST_TEST(org[3].action == "promotions.category_saved");
  BOOST_TEST(org[3].summary == "Promotion category updated");
  const Json updated = Json::parse(org[3].details);
  BOOST_TEST(updated["discount_basis_points"] == 2500);
  BOOST_TEST(updated["fields"] == Json::array({"discount_basis_points"}));
  BOOST_TEST(org[4].action == "promotions.category_removed");
  BOOST_TEST(org[4].summary == "Promotion category removed");
  BOOST_TEST((org[4].type == EventType::configuration));
  BOOST_TEST(Json::parse(org[4].details) == Json({{"category", "vip"}, {"name", "Category vip"}}));
}

BOOST_AUTO_TEST_CASE(the_best_of_each_term_applies_without_stacking) {
  promotions().create_category(category("staff", 1000, 150, 5000, "GBP"));
  promotions().create_category(category("vip", 2500, 120, 20000, "EUR"));
  promotions().create_category(category("partner", 500, 300, 8000, "GBP"));
  promotions().create_category(category("none", 0, 0));
  const std::int64_t acme = company("Acme");
  db.companies().link(acme, ana.number);
  promotions().assign("staff", ana.number);
  promotions().assign("vip", ana.number);
  promotions().assign_to_company("partner", acme);

  const Quote gbp = promotions().quote(ana.number, 10000, "GBP");
  BOOST_TEST(gbp.discount_basis_points == 2500);      // vip's
  BOOST_TEST(gbp.discount == 2500);
  BOOST_TEST(gbp.category_multiplier_percent == 300);  // partner's
  BOOST_TEST(gbp.credit_limit == 8000);                // partner's, not 5000 + 8000
  BOOST_TEST((gbp.categories == std::vector<std::string>{"partner", "staff", "vip"}));
  BOOST_TEST(promotions().quote(ana.number, 10000, "EUR").credit_limit == 20000);
  BOOST_TEST(promotions().quote(ana.number, 10000, "USD").credit_limit == 0);
  BOOST_TEST(db.purses().account(ana.number, "GBP").category_credit_limit == 8000);
  BOOST_TEST(db.purses().account(ana.number, "EUR").category_credit_limit == 20000);

  // A category alone is its own terms, even below the neutral ones.
  promotions().assign("none", bob.number);
  const Quote low = promotions().quote(bob.number, 10000, "GBP");
  BOOST_TEST(low.discount == 0);
  BOOST_TEST(low.category_multiplier_percent == 0);
  // No category: the neutral terms.
  const Quote plain = promotions().quote(cy.number, 10000, "GBP");
  BOOST_TEST(plain.discount_basis_points == 0);
  BOOST_TEST(plain.category_multiplier_percent == 100);
  BOOST_TEST(plain.categories.empty());
}

BOOST_AUTO_TEST_CASE(a_quote_is_exact_and_writes_nothing) {
  promotions().create_category(category("staff", 1250, 150, 8000, "GBP"));
  promotions().assign("staff", ana.number);
  db.purses().set_credit_limit(ana.number, "GBP", 3000);
  top_up(ana, 1000, "t-1");

  const auto before = all_rows();
  const Quote q = promotions().quote(ana.number, 12345, "gbp");
  BOOST_TEST(q.amount == 12345);
  BOOST_TEST(q.currency == "GBP");
  BOOST_TEST(q.discount_basis_points == 1250);
  BOOST_TEST(q.discount == 1543);  // 1543.125 rounded down
  BOOST_TEST(q.to_pay == 10802);
  BOOST_TEST(!q.program.has_value());
  BOOST_TEST(q.points == 0);
  BOOST_TEST(!q.tier.has_value());
  BOOST_TEST(q.tier_multiplier_percent == 100);
  BOOST_TEST(q.category_multiplier_percent == 150);
  BOOST_TEST(q.credit_limit == 8000);       // the category's, above the purse's own 3000
  BOOST_TEST(q.credit_available == 9000);  // balance 1000 + 8000
  BOOST_TEST((q.categories == std::vector<std::string>{"staff"}));
  BOOST_TEST((all_rows() == before));

  // The edges of the arithmetic.
  promotions().update_category(category("staff", 9999, 150, 8000, "GBP"));
  const Quote top = promotions().quote(ana.number, kMax, "GBP");
  BOOST_TEST(top.discount == 999'900'000'000'000);
  BOOST_TEST(top.to_pay == 100'000'000'000);
  BOOST_TEST(promotions().quote(ana.number, 1, "GBP").discount == 0);
  BOOST_TEST(promotions().quote(ana.number, 0, "GBP").to_pay == 0);
  promotions().update_category(category("staff", 10000, 150, 8000, "GBP"));
  BOOST_TEST(promotions().quote(ana.number, 777, "GBP").to_pay == 0);

  // Own limit above the category's; another currency; a customer with nothing.
  db.purses().set_credit_limit(ana.number, "GBP", 9000);
  BOOST_TEST(promotions().quote(ana.number, 100, "GBP").credit_limit == 9000);
  BOOST_TEST(promotions().quote(ana.number, 100, "GBP").credit_available == 10000);
  const Quote eur = promotions().quote(ana.number, 100, "EUR");
  BOOST_TEST(eur.credit_limit == 0);
  BOOST_TEST(eur.credit_available == 0);
  const Quote none = promotions().quote(bob.id.str(), 500, "GBP");
  BOOST_TEST((none == Quote{500, "GBP", 0, 0, 500, std::nullopt, 0, std::nullopt, 100, 100, 0, 0, {}}));

  const auto still = all_rows();
  expect_error([&] { promotions().quote(ana.number, -1, "GBP"); }, Errc::invalid_argument, "amount");
  expect_error([&] { promotions().quote(ana.number, kMax + 1, "GBP"); }, Errc::invalid_argument, "amount");
  expect_error([&] { promotions().quote(ana.number, 100, "XXX"); }, Errc::invalid_argument, "currency");
  expect_error([&] { promotions().quote(ana.number, 100, ""); }, Errc::invalid_argument, "currency");
  expect_error([&] { promotions().quote(ana.number, 100, "GBP", "no such"); }, Errc::invalid_argument, "program");
  expect_error([&] { promotions().quote("00999", 100, "GBP"); }, Errc::not_found, "ref");
  expect_error([&] { promotions().quote("", 100, "GBP"); }, Errc::invalid_argument, "ref");
  BOOST_TEST((all_rows() == still));
}

BOOST_AUTO_TEST_CASE(a_quote_with_a_program_earns_on_the_amount_to_pay) {
  Program stars;
  stars.id = "stars";
  stars.name = "Stars";
  stars.currency = "GBP";
  stars.earn_points = 1;
  stars.per_amount = 100;
  db.loyalty().create_program(stars);
  promotions().create_category(category("staff", 1000, 150));
  promotions().assign("staff", ana.number);

  // 10000 less 10% = 9000: 90 points × 1.5 = 135.
  const Quote q = promotions().quote(ana.number, 10000, "GBP", "stars");
  BOOST_TEST(q.to_pay == 9000);
  BOOST_TEST(q.program.value() == "stars");
  BOOST_TEST(q.points == 135);
  BOOST_TEST(!q.tier.has_value());
  BOOST_TEST(q.tier_multiplier_percent == 100);
  BOOST_TEST(q.category_multiplier_percent == 150);
  // Rounded once: 10100 less 1010 = 9090 → 90.9 × 1.5 = 136.35, down to 136
  // (not 90 × 1.5 = 135).
  BOOST_TEST(promotions().quote(ana.number, 10100, "GBP", "stars").points == 136);
  BOOST_TEST(promotions().quote(bob.number, 10000, "GBP", "stars").points == 100);

  // The tier held now multiplies too.
  Tier gold;
  gold.program = "stars";
  gold.id = "gold";
  gold.name = "Gold";
  gold.threshold = 50;
  gold.earn_multiplier_percent = 200;
  db.loyalty().save_tier(gold);
  EarnRequest earn;
  earn.customer_ref = ana.number;
  earn.program = "stars";
  earn.points = 60;
  earn.idempotency_key = "e-1";
  db.loyalty().earn(earn);
  const auto before = all_rows();
  const int points_rows = rows("points_entries");
  const Quote golden = promotions().quote(ana.number, 10000, "GBP", "stars");
  BOOST_TEST(golden.tier.value() == "gold");
  BOOST_TEST(golden.tier_multiplier_percent == 200);
  BOOST_TEST(golden.points == 270);  // 90 × 2 × 1.5
  BOOST_TEST((all_rows() == before));
  BOOST_TEST(rows("points_entries") == points_rows);

  // An earn by amount gets the best category multiplier too (through a
  // company here), and agrees with the quote.
  promotions().create_category(category("partner", 0, 300));
  const std::int64_t acme = company("Acme");
  db.companies().link(acme, bob.number);
  promotions().assign_to_company("partner", acme);
  BOOST_TEST(promotions().quote(bob.number, 10000, "GBP", "stars").points == 300);
  EarnRequest by_amount;
  by_amount.customer_ref = bob.number;
  by_amount.program = "stars";
  by_amount.amount = 10000;
  by_amount.idempotency_key = "e-2";
  BOOST_TEST(db.loyalty().earn(by_amount).points == 300);

  expect_error([&] { promotions().quote(ana.number, 100, "GBP", "moons"); }, Errc::not_found, "program");
  expect_error([&] { promotions().quote(ana.number, 100, "EUR", "stars"); }, Errc::failed_precondition, "currency");
}

BOOST_AUTO_TEST_CASE(category_credit_lets_a_purse_go_below_zero) {
  promotions().create_category(category("staff", 0, 100, 5000, "GBP"));
  promotions().create_category(category("euro", 0, 100, 900, "EUR"));
  promotions().assign("staff", ana.number);
  promotions().assign("euro", ana.number);
  BOOST_TEST((db.purses().account(ana.number, "GBP") == PurseAccount{ana.id, "GBP", 0, 0, 5000, 5000}));
  BOOST_TEST(db.purses().accounts(ana.number).empty());  // nothing written yet

  const PurseEntry c = charge(ana, 5000, "c-1");
  BOOST_TEST(c.balance_after == -5000);
  BOOST_TEST(stored_category_limit(ana, "GBP") == 5000);
  const auto before = std::vector<int>{rows("purse_entries"), rows("events")};
  expect_error([&] { charge(ana, 1, "c-2"); }, Errc::failed_precondition, "amount", "only 0 GBP is available");
  BOOST_TEST((std::vector<int>{rows("purse_entries"), rows("events")} == before));
  BOOST_TEST((db.purses().accounts(ana.number) ==
              std::vector<PurseAccount>{{ana.id, "GBP", -5000, 0, 5000, 0}}));

  // The own limit may be set below the balance while the category covers it.
  BOOST_TEST((db.purses().set_credit_limit(ana.number, "GBP", 100) ==
              PurseAccount{ana.id, "GBP", -5000, 100, 5000, 0}));
  // Another currency has its own category limit.
  BOOST_TEST(charge(ana, 900, "e-1", "EUR").balance_after == -900);
  expect_error([&] { charge(ana, 1, "e-2", "EUR"); }, Errc::failed_precondition, "amount");

  // Without the category the balance stays, and nothing more is available.
  promotions().unassign("staff", ana.number);
  BOOST_TEST((db.purses().account(ana.number, "GBP") == PurseAccount{ana.id, "GBP", -5000, 100, 0, -4900}));
  expect_error([&] { charge(ana, 1, "c-3"); }, Errc::failed_precondition, "amount", "only -4900 GBP is available");
  expect_error([&] { db.purses().set_credit_limit(ana.number, "GBP", 200); }, Errc::failed_precondition,
               "credit_limit", "below minus 200");
  BOOST_TEST(db.purses().account(ana.number, "GBP").credit_limit == 100);
  top_up(ana, 5000, "t-1");
  BOOST_TEST(charge(ana, 100, "c-4").balance_after == -100);
  BOOST_TEST(stored_category_limit(ana, "GBP") == 0);  // the charge wrote the limit of now

  // Through a company too.
  const std::int64_t acme = company("Acme");
  db.companies().link(acme, bob.number);
  promotions().assign_to_company("staff", acme);
  BOOST_TEST(charge(bob, 4000, "b-1").balance_after == -4000);
  BOOST_TEST(db.purses().account(bob.number, "GBP").available == 1000);
}

BOOST_AUTO_TEST_CASE(limits_change_in_an_order_the_schema_accepts) {
  // Raised before: the own limit drops below the balance, the category's
  // (not yet stored) covers it.
  db.purses().set_credit_limit(ana.number, "GBP", 1000);
  charge(ana, 800, "c-1");
  BOOST_TEST(stored_category_limit(ana, "GBP") == 0);
  promotions().create_category(category("staff", 0, 100, 900, "GBP"));
  promotions().assign("staff", ana.number);
  BOOST_TEST((db.purses().set_credit_limit(ana.number, "GBP", 100) ==
              PurseAccount{ana.id, "GBP", -800, 100, 900, 100}));
  BOOST_TEST(stored_category_limit(ana, "GBP") == 900);

  // Lowered after: the own limit rises to cover what the category stops covering.
  promotions().unassign("staff", ana.number);
  BOOST_TEST((db.purses().set_credit_limit(ana.number, "GBP", 1000) ==
              PurseAccount{ana.id, "GBP", -800, 1000, 0, 200}));
  BOOST_TEST(stored_category_limit(ana, "GBP") == 0);
}

BOOST_AUTO_TEST_CASE(the_schema_holds_the_balance_to_the_larger_limit) {
  promotions().create_category(category("staff", 0, 100, 900, "GBP"));
  promotions().assign("staff", ana.number);
  db.purses().set_credit_limit(ana.number, "GBP", 100);
  charge(ana, 800, "c-1");
  const std::string account = "WHERE currency = 'GBP' AND customer = (SELECT seq FROM customers WHERE id = '" +
                              ana.id.str() + "')";
  BOOST_TEST(refused(path, "UPDATE purse_accounts SET category_credit_limit = 0 " + account));
  BOOST_TEST(refused(path, "UPDATE purse_accounts SET category_credit_limit = -1 " + account));
  BOOST_TEST(refused(path, "UPDATE purse_accounts SET category_credit_limit = 1000000000000001 " + account));
  BOOST_TEST(refused(path, "DELETE FROM purse_accounts " + account));   // permanent
  BOOST_TEST(refused(path, "UPDATE purse_accounts SET balance = 0 " + account));  // the ledger's
  // A charge entry beyond the stored limits is refused by the storage.
  BOOST_TEST(refused(path, "INSERT INTO purse_entries (customer, currency, kind, amount, balance_after, reference, "
                           "idempotency_key, actor, at) SELECT seq, 'GBP', 'charge', 101, -901, '', 'x-1', '', 0 "
                           "FROM customers WHERE id = '" + ana.id.str() + "'"));
  BOOST_TEST(!refused(path, "UPDATE purse_accounts SET category_credit_limit = 800 " + account));
  BOOST_TEST(db.purses().account(ana.number, "GBP").balance == -800);
}

BOOST_AUTO_TEST_SUITE_END()

// Migration 13 rebuilds purse_accounts under the ledger that references it:
// a file from before it (version 12: migration 11's table, no category
// tables) keeps every account and entry and the rules that guard them.
BOOST_AUTO_TEST_CASE(migration_13_keeps_purses_and_their_rules) {
  patron::testing::TempDir dir;
  const std::string path = dir.file("old.db");
  CustomerId ana;
  {
    auto db = Database::open(path);
    ana = db.customers().create({.first_name = "Ana", .last_name = "Silva"}).id;
    db.purses().set_credit_limit(ana.str(), "GBP", 500);
    db.purses().top_up({ana.str(), "GBP", 1000, "t-1", ""});
    db.purses().charge({ana.str(), "GBP", 1400, "c-1", ""});
    db.purses().top_up({ana.str(), "EUR", 70, "t-2", ""});
  }
  {
    // Back to version 12 as it was: purse_accounts as migration 11 made it.
    SQLite::Database file(path, SQLite::OPEN_READWRITE);
    file.exec(R"sql(
BEGIN;
PRAGMA defer_foreign_keys = ON;
DROP TRIGGER customers_erasure_is_final;
DROP TRIGGER data_keys_not_for_erased;
DROP TRIGGER customer_emails_not_for_erased;
DROP TRIGGER customer_phones_not_for_erased;
DROP TRIGGER notes_not_for_erased;
DROP TRIGGER documents_not_for_erased;
DROP TRIGGER events_are_permanent_update;
CREATE TRIGGER events_are_permanent_update BEFORE UPDATE ON events
BEGIN
  SELECT RAISE(ABORT, 'events: an event is permanent and cannot be changed');
END;
DROP TABLE retention_items;
DROP TABLE retention_outcomes;
DROP TABLE retention_runs;
DROP TABLE retention_policies;
ALTER TABLE events DROP COLUMN details_dropped_at;
DROP TABLE erasures;
DROP TABLE contact_preferences;
DROP TABLE patron_keys;
DROP TABLE consent_suppressions;
DROP TABLE consent_current;
DROP TABLE consent_log;
DROP TABLE consent_purposes;
ALTER TABLE customers DROP COLUMN erased_at;
DROP TABLE import_listed;
DROP TABLE import_touches;
DROP TABLE import_runs;
DROP TRIGGER match_stale_created;
DROP TRIGGER match_stale_profile;
DROP TRIGGER match_stale_email_added;
DROP TRIGGER match_stale_email_removed;
DROP TRIGGER match_stale_email_moved;
DROP TRIGGER match_stale_phone_added;
DROP TRIGGER match_stale_phone_removed;
DROP TRIGGER match_stale_phone_changed;
DROP TRIGGER match_stale_address_added;
DROP TRIGGER match_stale_address_removed;
DROP TRIGGER match_stale_address_changed;
DROP TABLE match_model;
DROP TABLE match_decisions;
DROP TABLE match_keys;
DROP TABLE match_key_counts;
DROP TABLE match_entries;
DROP TABLE match_stale;
DROP TRIGGER customers_merge_is_final;
DROP INDEX customers_merged_into;
ALTER TABLE customers DROP COLUMN merged_at;
ALTER TABLE customers DROP COLUMN merged_into;
DROP TABLE visits;
DROP TABLE category_customers;
DROP TABLE category_companies;
DROP TABLE promotion_categories;
CREATE TABLE old_rows AS SELECT customer, currency, balance, credit_limit FROM purse_accounts;
DROP TABLE purse_accounts;
CREATE TABLE purse_accounts (
  customer     INTEGER NOT NULL REFERENCES customers (seq),
  currency     TEXT NOT NULL CHECK (length(currency) = 3 AND currency NOT GLOB '*[^A-Z]*'),
  balance      INTEGER NOT NULL DEFAULT 0,
  credit_limit INTEGER NOT NULL DEFAULT 0 CHECK (credit_limit BETWEEN 0 AND 1000000000000000),
  CHECK (balance >= -credit_limit),
  PRIMARY KEY (customer, currency)
) STRICT, WITHOUT ROWID;
INSERT INTO purse_accounts SELECT * FROM old_rows;
DROP TABLE old_rows;
PRAGMA user_version = 12;
COMMIT;
)sql");
  }
  auto db = Database::open(path);
  BOOST_TEST(db.schema_version() == 20);
  BOOST_TEST((db.purses().account(ana.str(), "GBP") == PurseAccount{ana, "GBP", -400, 500, 0, 100}));
  BOOST_TEST(db.purses().account(ana.str(), "EUR").balance == 70);
  BOOST_TEST(db.purses().entries(ana.str(), "GBP").size() == 2u);
  // The ledger still moves the checkpoint, and the rules still hold.
  BOOST_TEST(db.purses().charge({ana.str(), "GBP", 100, "c-2", ""}).balance_after == -500);
  expect_error([&] { db.purses().charge({ana.str(), "GBP", 1, "c-3", ""}); }, Errc::failed_precondition, "amount");
  BOOST_TEST(db.purses().refund(db.purses().entries(ana.str(), "GBP")[0].id, 100, "r-1").balance_after == -400);
  BOOST_TEST(refused(path, "DELETE FROM purse_accounts"));
  BOOST_TEST(refused(path, "UPDATE purse_accounts SET balance = 5"));
  BOOST_TEST(refused(path, "INSERT INTO purse_accounts (customer, currency, balance) VALUES (1, 'USD', 5)"));
  SQLite::Database file(path, SQLite::OPEN_READONLY);
  SQLite::Statement check(file, "PRAGMA foreign_key_check");
  BOOST_TEST(!check.executeStep());
  SQLite::Statement integrity(file, "PRAGMA integrity_check");
  BOOST_TEST_REQUIRE(integrity.executeStep());
  BOOST_TEST(integrity.getColumn(0).getString() == "ok");
  BOOST_TEST(
      file.execAndGet("SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'purse_accounts'")
          .getInt() == 3);
  BOOST_TEST(file.execAndGet("SELECT count(*) FROM sqlite_schema WHERE name = 'purse_accounts_rows'").getInt() == 0);
}
