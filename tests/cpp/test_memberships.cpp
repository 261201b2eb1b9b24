// Memberships: plan rules, memberships held by customers or companies,
// expiry following the clock, status moves, renewal by calendar periods,
// effective memberships inherited through companies, has_active_membership
// at points in time, and that a refused call leaves nothing behind.
#include <boost/test/unit_test.hpp>
#include <chrono>

#include "fixture.hpp"
#include "row_count.hpp"

using namespace patron;
using namespace std::chrono_literals;
using patron::testing::count_rows;
using patron::testing::DbFixture;
using patron::testing::expect_error;

namespace patron {
inline std::ostream& operator<<(std::ostream& os, PlanKind v) { return os << to_string(v); }
inline std::ostream& operator<<(std::ostream& os, BillingPeriod v) { return os << to_string(v); }
inline std::ostream& operator<<(std::ostream& os, MembershipStatus v) { return os << to_string(v); }
inline std::ostream& operator<<(std::ostream& os, const Plan& p) {
  return os << "plan " << p.id << " " << p.name << " " << to_string(p.kind) << " " << to_string(p.billing_period);
}
inline std::ostream& operator<<(std::ostream& os, const Membership& m) {
  os << "membership " << m.id << " plan " << m.plan << " " << to_string(m.status) << " from "
     << format_timestamp(m.starts_at);
  if (m.ends_at) os << " to " << format_timestamp(*m.ends_at);
  return os;
}
}  // namespace patron

namespace {

Timestamp at(std::string_view text) { return parse_timestamp(text, "at"); }

struct MemFixture : DbFixture {
  Memberships& memberships() { return db.memberships(); }
  Customer person(const std::string& first, const std::string& email) {
    return customers().create({.first_name = first, .last_name = "Test", .email = email});
  }
  Plan gold() { return memberships().create_plan({.name = "Gold", .kind = PlanKind::personal, .benefits = "Spa"}); }
  Plan monthly() {
    return memberships().create_plan(
        {.name = "Monthly", .kind = PlanKind::subscription, .billing_period = BillingPeriod::monthly});
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(plans, MemFixture)

BOOST_AUTO_TEST_CASE(enum_names_round_trip) {
  BOOST_TEST(to_string(PlanKind::subscription) == "subscription");
  BOOST_TEST(to_string(BillingPeriod::quarterly) == "quarterly");
  BOOST_TEST(to_string(MembershipStatus::expired) == "expired");
  BOOST_TEST(parse_plan_kind("company") == PlanKind::company);
  BOOST_TEST(parse_billing_period("none") == BillingPeriod::none);
  BOOST_TEST(parse_membership_status("paused") == MembershipStatus::paused);
  expect_error([] { parse_plan_kind("gold"); }, Errc::invalid_argument, "kind",
               "kind: must be one of personal, subscription, company");
  expect_error([] { parse_billing_period("daily"); }, Errc::invalid_argument, "billing_period");
  expect_error([] { parse_membership_status("Active", "s"); }, Errc::invalid_argument, "s");
}

BOOST_AUTO_TEST_CASE(create_and_read_plans) {
  const Plan g = memberships().create_plan({.name = "  Gold ", .kind = PlanKind::personal, .benefits = "Spa"});
  BOOST_TEST(g.id > 0);
  BOOST_TEST(g.name == "Gold");
  BOOST_TEST(g.kind == PlanKind::personal);
  BOOST_TEST(g.benefits == "Spa");
  BOOST_TEST(g.billing_period == BillingPeriod::none);
  BOOST_TEST(g.created_at == clock.now());
  const Plan a = memberships().create_plan({.name = "annual", .kind = PlanKind::subscription,
                                             .billing_period = BillingPeriod::yearly});
  const Plan c = memberships().create_plan({.name = "Corporate", .kind = PlanKind::company});
  BOOST_TEST(memberships().plan(g.id) == g);
  BOOST_TEST(memberships().plan(a.id).billing_period == BillingPeriod::yearly);
  const auto all = memberships().plans();
  BOOST_TEST_REQUIRE(all.size() == 3u);
  BOOST_TEST(all[0].name == "annual");  // by name, ignoring case
  BOOST_TEST(all[1] == c);
  BOOST_TEST(all[2] == g);
}

BOOST_AUTO_TEST_CASE(plan_rules) {
  expect_error([&] { memberships().create_plan({.name = " "}); }, Errc::invalid_argument, "name");
  expect_error([&] { memberships().create_plan({.name = std::string(201, 'n')}); }, Errc::invalid_argument, "name");
  expect_error([&] { memberships().create_plan({.name = "X", .kind = static_cast<PlanKind>(7)}); },
               Errc::invalid_argument, "kind");
  expect_error([&] { memberships().create_plan({.name = "X", .benefits = "bad\x01"}); }, Errc::invalid_argument,
               "benefits");
  expect_error([&] { memberships().create_plan({.name = "X", .kind = PlanKind::subscription}); },
               Errc::invalid_argument, "billing_period", "needs a billing period");
  expect_error(
      [&] {
        memberships().create_plan({.name = "X", .kind = PlanKind::company, .billing_period = BillingPeriod::weekly});
      },
      Errc::invalid_argument, "billing_period", "only subscriptions");
  gold();
  expect_error([&] { memberships().create_plan({.name = "GOLD"}); }, Errc::already_exists, "name");
  expect_error([&] { memberships().plan(999); }, Errc::not_found, "id");
  BOOST_TEST(memberships().plans().size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(memberships_of_holders, MemFixture)

BOOST_AUTO_TEST_CASE(add_for_a_customer_with_exact_values) {
  const auto ana = person("Ana", "ana@example.org");
  const Plan g = gold();
  clock.advance(1h);
  const Membership m = memberships().add({.plan = g.id, .customer_ref = ana.number});
  BOOST_TEST(m.id > 0);
  BOOST_TEST(m.plan == g.id);
  BOOST_TEST((m.holder == Holder{.customer = ana.id}));
  BOOST_TEST(m.starts_at == clock.now());
  BOOST_TEST(!m.ends_at.has_value());
  BOOST_TEST(m.status == MembershipStatus::active);
  BOOST_TEST(m.created_at == clock.now());
  BOOST_TEST(m.updated_at == clock.now());
  BOOST_TEST(memberships().get(m.id) == m);
  // By id too.
  const auto by_id = memberships().add({.plan = g.id, .customer_ref = ana.id.str(),
                                        .starts_at = at("2027-01-01T00:00:00Z"),
                                        .ends_at = at("2028-01-01T00:00:00Z")});
  BOOST_TEST(by_id.starts_at == at("2027-01-01T00:00:00Z"));
  BOOST_TEST(*by_id.ends_at == at("2028-01-01T00:00:00Z"));
}

BOOST_AUTO_TEST_CASE(a_subscription_ends_one_period_from_its_start) {
  const auto ana = person("Ana", "ana@example.org");
  const Plan mo = monthly();
  const auto m = memberships().add({.plan = mo.id, .customer_ref = ana.number, .starts_at = at("2027-01-31T09:30:00Z")});
  BOOST_TEST(*m.ends_at == at("2027-02-28T09:30:00Z"));
  const auto given = memberships().add({.plan = mo.id, .customer_ref = ana.number,
                                        .starts_at = at("2027-01-01T00:00:00Z"), .ends_at = at("2027-01-05T00:00:00Z")});
  BOOST_TEST(*given.ends_at == at("2027-01-05T00:00:00Z"));
}

BOOST_AUTO_TEST_CASE(add_errors) {
  const auto ana = person("Ana", "ana@example.org");
  const auto co = db.companies().create({.name = "Acme"});
  const Plan g = gold();
  expect_error([&] { memberships().add({.plan = g.id}); }, Errc::invalid_argument, "holder");
  expect_error([&] { memberships().add({.plan = g.id, .customer_ref = ana.number, .company = co.id}); },
               Errc::invalid_argument, "holder");
  expect_error(
      [&] {
        memberships().add({.plan = g.id, .customer_ref = ana.number, .starts_at = at("2027-01-01T00:00:00Z"),
                           .ends_at = at("2027-01-01T00:00:00Z")});
      },
      Errc::invalid_argument, "ends_at");
  expect_error([&] { memberships().add({.plan = 999, .customer_ref = ana.number}); }, Errc::not_found, "plan");
  expect_error([&] { memberships().add({.plan = g.id, .customer_ref = "C-99999"}); }, Errc::not_found, "ref");
  expect_error([&] { memberships().add({.plan = g.id, .company = 999}); }, Errc::not_found, "company");
  expect_error([&] { memberships().get(999); }, Errc::not_found, "id");
  expect_error([&] { memberships().of_company(999); }, Errc::not_found, "company");
  expect_error([&] { memberships().effective("C-99999"); }, Errc::not_found, "ref");
  BOOST_TEST(count_rows(path, "memberships") == 0);
}

BOOST_AUTO_TEST_CASE(expiry_follows_the_clock) {
  const auto ana = person("Ana", "ana@example.org");
  const Plan g = gold();
  const auto m = memberships().add({.plan = g.id, .customer_ref = ana.number, .ends_at = clock.now() + 24h});
  BOOST_TEST(memberships().get(m.id).status == MembershipStatus::active);
  clock.advance(24h - 1us);
  BOOST_TEST(memberships().get(m.id).status == MembershipStatus::active);
  clock.advance(1us);
  BOOST_TEST(memberships().get(m.id).status == MembershipStatus::expired);
  BOOST_TEST(memberships().effective(ana.number).at(0).membership.status == MembershipStatus::expired);
}

BOOST_AUTO_TEST_CASE(status_moves) {
  const auto ana = person("Ana", "ana@example.org");
  const Plan g = gold();
  const auto m = memberships().add({.plan = g.id, .customer_ref = ana.number, .ends_at = clock.now() + 48h});
  clock.advance(1h);
  auto p = memberships().set_status(m.id, MembershipStatus::paused);
  BOOST_TEST(p.status == MembershipStatus::paused);
  BOOST_TEST(p.updated_at == clock.now());
  BOOST_TEST(p.created_at == m.created_at);
  BOOST_TEST(memberships().set_status(m.id, MembershipStatus::active).status == MembershipStatus::active);
  expect_error([&] { memberships().set_status(m.id, MembershipStatus::expired); }, Errc::failed_precondition,
               "status", "status: a membership cannot move from active to expired");
  BOOST_TEST(memberships().set_status(m.id, MembershipStatus::cancelled).status == MembershipStatus::cancelled);
  expect_error([&] { memberships().set_status(m.id, MembershipStatus::active); }, Errc::failed_precondition, "status",
               "from cancelled to active");
  expect_error([&] { memberships().set_status(m.id, MembershipStatus::paused); }, Errc::failed_precondition, "status");
  expect_error([&] { memberships().set_status(999, MembershipStatus::paused); }, Errc::not_found, "id");

  // An expired membership cannot be left.
  const auto e = memberships().add({.plan = g.id, .customer_ref = ana.number, .ends_at = clock.now() + 1h});
  clock.advance(1h);
  expect_error([&] { memberships().set_status(e.id, MembershipStatus::active); }, Errc::failed_precondition, "status",
               "from expired to active");
  expect_error([&] { memberships().set_status(e.id, MembershipStatus::paused); }, Errc::failed_precondition, "status");
  BOOST_TEST(memberships().get(e.id).status == MembershipStatus::expired);
}

BOOST_AUTO_TEST_CASE(renew_moves_the_end_by_calendar_periods) {
  const auto ana = person("Ana", "ana@example.org");
  const Plan mo = monthly();
  auto m = memberships().add({.plan = mo.id, .customer_ref = ana.number, .starts_at = at("2027-12-31T08:00:00Z"),
                              .ends_at = at("2028-01-31T08:00:00Z")});
  m = memberships().renew(m.id);
  BOOST_TEST(*m.ends_at == at("2028-02-29T08:00:00Z"));  // leap year clamp
  BOOST_TEST(m.updated_at == clock.now());
  m = memberships().renew(m.id);
  BOOST_TEST(*m.ends_at == at("2028-03-29T08:00:00Z"));
  const auto jan = memberships().add({.plan = mo.id, .customer_ref = ana.number,
                                      .starts_at = at("2026-12-31T00:00:00Z"), .ends_at = at("2027-01-31T00:00:00Z")});
  BOOST_TEST(*memberships().renew(jan.id).ends_at == at("2027-02-28T00:00:00Z"));

  const Plan wk = memberships().create_plan({.name = "Weekly", .kind = PlanKind::subscription,
                                             .billing_period = BillingPeriod::weekly});
  const Plan qu = memberships().create_plan({.name = "Quarterly", .kind = PlanKind::subscription,
                                             .billing_period = BillingPeriod::quarterly});
  const Plan yr = memberships().create_plan({.name = "Yearly", .kind = PlanKind::subscription,
                                             .billing_period = BillingPeriod::yearly});
  const auto w = memberships().add({.plan = wk.id, .customer_ref = ana.number, .starts_at = at("2027-03-01T00:00:00Z")});
  BOOST_TEST(*w.ends_at == at("2027-03-08T00:00:00Z"));
  BOOST_TEST(*memberships().renew(w.id).ends_at == at("2027-03-15T00:00:00Z"));
  const auto q = memberships().add({.plan = qu.id, .customer_ref = ana.number, .starts_at = at("2027-11-30T00:00:00Z")});
  BOOST_TEST(*q.ends_at == at("2028-02-29T00:00:00Z"));
  BOOST_TEST(*memberships().renew(q.id).ends_at == at("2028-05-29T00:00:00Z"));
  const auto y = memberships().add({.plan = yr.id, .customer_ref = ana.number, .starts_at = at("2028-02-29T00:00:00Z")});
  BOOST_TEST(*y.ends_at == at("2029-02-28T00:00:00Z"));

  // An expired subscription renews from its end: still expired if that is past.
  clock.advance(24h * 365 * 4);
  const auto again = memberships().renew(jan.id);
  BOOST_TEST(*again.ends_at == at("2027-03-28T00:00:00Z"));
  BOOST_TEST(again.status == MembershipStatus::expired);
}

BOOST_AUTO_TEST_CASE(renew_errors) {
  const auto ana = person("Ana", "ana@example.org");
  const Plan g = gold();
  const Plan mo = monthly();
  const auto m = memberships().add({.plan = g.id, .customer_ref = ana.number});
  expect_error([&] { memberships().renew(m.id); }, Errc::failed_precondition, "plan");
  expect_error([&] { memberships().renew(999); }, Errc::not_found, "id");
  const auto s = memberships().add({.plan = mo.id, .customer_ref = ana.number});
  memberships().set_status(s.id, MembershipStatus::cancelled);
  expect_error([&] { memberships().renew(s.id); }, Errc::failed_precondition, "status");
  BOOST_TEST((memberships().get(s.id).ends_at == s.ends_at));
  BOOST_TEST(!memberships().get(m.id).ends_at.has_value());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(effective_memberships, MemFixture)

BOOST_AUTO_TEST_CASE(inherited_through_a_company) {
  const auto co = db.companies().create({.name = "Acme", .domains = {"acme.com"}});
  const auto ana = person("Ana", "ana@acme.com");
  const auto bob = person("Bob", "bob@example.org");
  const Plan g = gold();
  const Plan corp = memberships().create_plan({.name = "Corporate", .kind = PlanKind::company});
  const auto own = memberships().add({.plan = g.id, .customer_ref = ana.number, .starts_at = clock.now() + 1h});
  const auto theirs = memberships().add({.plan = corp.id, .company = co.id, .starts_at = clock.now() - 1h});
  BOOST_TEST((theirs.holder == Holder{.company = co.id}));

  const auto eff = memberships().effective(ana.number);
  BOOST_TEST_REQUIRE(eff.size() == 2u);
  BOOST_TEST(eff[0].membership == theirs);  // by start
  BOOST_TEST(*eff[0].via_company == co.id);
  BOOST_TEST(eff[1].membership == own);
  BOOST_TEST(!eff[1].via_company.has_value());

  const auto of_co = memberships().of_company(co.id);
  BOOST_TEST_REQUIRE(of_co.size() == 1u);
  BOOST_TEST(of_co[0] == theirs);

  BOOST_TEST(memberships().effective(bob.number).empty());
  // A manual link inherits too, once per company.
  db.companies().link(co.id, bob.number, "guest");
  BOOST_TEST(memberships().effective(bob.number).size() == 1u);
  db.companies().link(co.id, ana.number, "employee");
  BOOST_TEST(memberships().effective(ana.number).size() == 2u);
}

BOOST_AUTO_TEST_CASE(has_active_membership_at_points_in_time) {
  const auto co = db.companies().create({.name = "Acme", .domains = {"acme.com"}});
  const auto ana = person("Ana", "ana@acme.com");
  const auto bob = person("Bob", "bob@example.org");
  const Plan g = gold();
  const Plan corp = memberships().create_plan({.name = "Corporate", .kind = PlanKind::company});
  const Timestamp t0 = clock.now();
  const auto m = memberships().add({.plan = g.id, .customer_ref = bob.number, .starts_at = t0 + 1h,
                                    .ends_at = t0 + 10h});
  BOOST_TEST(!memberships().has_active_membership(bob.number, g.id));                 // now: before start
  BOOST_TEST(!memberships().has_active_membership(bob.number, g.id, t0 + 1h - 1us));  // before start
  BOOST_TEST(memberships().has_active_membership(bob.number, g.id, t0 + 1h));          // at start
  BOOST_TEST(memberships().has_active_membership(bob.number, g.id, t0 + 10h - 1us));
  BOOST_TEST(!memberships().has_active_membership(bob.number, g.id, t0 + 10h));       // at the end
  BOOST_TEST(!memberships().has_active_membership(bob.number, corp.id, t0 + 2h));     // other plan
  clock.advance(2h);
  BOOST_TEST(memberships().has_active_membership(bob.number, g.id));
  memberships().set_status(m.id, MembershipStatus::paused);
  BOOST_TEST(!memberships().has_active_membership(bob.number, g.id));
  memberships().set_status(m.id, MembershipStatus::active);
  BOOST_TEST(memberships().has_active_membership(bob.number, g.id));
  // Asked about a past moment after the membership expired: it was active then.
  clock.advance(20h);
  BOOST_TEST(!memberships().has_active_membership(bob.number, g.id));
  BOOST_TEST(memberships().has_active_membership(bob.number, g.id, t0 + 5h));
  // Paused, then past its end: not active at a moment inside the window either.
  const auto paused = memberships().add({.plan = corp.id, .customer_ref = bob.number, .starts_at = t0,
                                         .ends_at = t0 + 23h});
  memberships().set_status(paused.id, MembershipStatus::paused);
  BOOST_TEST(memberships().has_active_membership(bob.number, corp.id, t0 + 23h - 1us) == false);
  clock.advance(1h);
  BOOST_TEST(memberships().get(paused.id).status == MembershipStatus::expired);
  BOOST_TEST(!memberships().has_active_membership(bob.number, corp.id, t0 + 2h));
  memberships().add({.plan = corp.id, .company = co.id, .starts_at = t0});
  BOOST_TEST(memberships().has_active_membership(ana.number, corp.id));  // via company
  BOOST_TEST(!memberships().has_active_membership(ana.number, g.id));
  const auto cancelled = memberships().add({.plan = g.id, .customer_ref = ana.number, .starts_at = t0});
  BOOST_TEST(memberships().has_active_membership(ana.id.str(), g.id));
  memberships().set_status(cancelled.id, MembershipStatus::cancelled);
  BOOST_TEST(!memberships().has_active_membership(ana.number, g.id));
  expect_error([&] { memberships().has_active_membership(ana.number, 999); }, Errc::not_found, "plan");
  expect_error([&] { memberships().has_active_membership("C-99999", g.id); }, Errc::not_found, "ref");
}

BOOST_AUTO_TEST_CASE(refused_calls_leave_nothing_behind) {
  const auto ana = person("Ana", "ana@example.org");
  const Plan g = gold();
  expect_error([&] { memberships().create_plan({.name = "gold"}); }, Errc::already_exists, "name");
  BOOST_TEST(count_rows(path, "membership_plans") == 1);
  // A plan that exists, a holder that does not: the membership is not stored.
  expect_error([&] { memberships().add({.plan = g.id, .company = 42}); }, Errc::not_found, "company");
  expect_error([&] { memberships().add({.plan = g.id, .customer_ref = "C-00042"}); }, Errc::not_found, "ref");
  BOOST_TEST(count_rows(path, "memberships") == 0);
  const auto m = memberships().add({.plan = g.id, .customer_ref = ana.number});
  BOOST_TEST(count_rows(path, "memberships") == 1);
  expect_error([&] { memberships().renew(m.id); }, Errc::failed_precondition, "plan");
  BOOST_TEST(memberships().get(m.id) == m);
  // The storage refuses what the core would: a membership with two holders.
  sqlite3* raw = nullptr;
  sqlite3_open(path.c_str(), &raw);
  const int rc = sqlite3_exec(raw,
                              "INSERT INTO memberships (plan, customer, company, starts_at, status, created_at, "
                              "updated_at) VALUES (1, 1, 1, 0, 'active', 0, 0)",
                              nullptr, nullptr, nullptr);
  sqlite3_close(raw);
  BOOST_TEST(rc == SQLITE_CONSTRAINT);
  BOOST_TEST(count_rows(path, "memberships") == 1);
}

BOOST_AUTO_TEST_SUITE_END()
