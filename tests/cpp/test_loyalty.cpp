// Loyalty: programs, tiers, the points ledger (earns, redemptions,
// adjustments, expiry, reversals, transfers) and rewards, with their
// refusals, idempotent replays, lots consumed in both orders, pending and
// expiring points on a manual clock, tier upgrades and evaluations, the
// balance checkpoint against the ledger read straight from the file, and
// many threads and processes writing one account at once.
#include <SQLiteCpp/SQLiteCpp.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <sstream>

#include "fixture.hpp"
#include "row_count.hpp"
#include "workers.hpp"

using namespace patron;
using namespace std::chrono_literals;
using patron::testing::count_rows;
using patron::testing::DbFixture;
using patron::testing::expect_error;

namespace patron {
inline std::ostream& operator<<(std::ostream& os, PointsEntryKind v) { return os << to_string(v); }
inline std::ostream& operator<<(std::ostream& os, TierChangeReason v) { return os << to_string(v); }
}  // namespace patron

BOOST_TEST_DONT_PRINT_LOG_VALUE(PointsEntry)
BOOST_TEST_DONT_PRINT_LOG_VALUE(PointsLot)
BOOST_TEST_DONT_PRINT_LOG_VALUE(PointsAccount)
BOOST_TEST_DONT_PRINT_LOG_VALUE(Program)
BOOST_TEST_DONT_PRINT_LOG_VALUE(Tier)
BOOST_TEST_DONT_PRINT_LOG_VALUE(Reward)
BOOST_TEST_DONT_PRINT_LOG_VALUE(TierChange)
BOOST_TEST_DONT_PRINT_LOG_VALUE(TierProgress)
BOOST_TEST_DONT_PRINT_LOG_VALUE(std::optional<Tier>)
BOOST_TEST_DONT_PRINT_LOG_VALUE(std::vector<PointsLot>)
BOOST_TEST_DONT_PRINT_LOG_VALUE(std::vector<Reward>)
BOOST_TEST_DONT_PRINT_LOG_VALUE(std::vector<Tier>)
BOOST_TEST_DONT_PRINT_LOG_VALUE(std::optional<std::string>)
BOOST_TEST_DONT_PRINT_LOG_VALUE(std::optional<Timestamp>)

namespace {

constexpr std::int64_t kMaxPoints = 1'000'000'000'000;  // 10^12

Program stars_program(std::string id = "stars", std::optional<int> expiry_months = 12) {
  Program p;
  p.id = std::move(id);
  p.name = "Stars";
  p.points_name = "stars";
  p.currency = "GBP";
  p.expiry_months = expiry_months;
  return p;
}

struct LoyaltyFixture : DbFixture {
  Customer ana = customers().create({.first_name = "Ana", .last_name = "Silva", .email = "ana@example.com"});
  Customer bob = customers().create({.first_name = "Bob", .last_name = "Jones", .email = "bob@example.com"});
  Program stars = loyalty().create_program(stars_program());
  const Timestamp t0 = clock.now();

  Loyalty& loyalty() { return db.loyalty(); }

  PointsEntry earn(const Customer& who, std::int64_t points, std::string key, std::optional<Timestamp> pending = {},
                   std::string program = "stars") {
    return loyalty().earn(
        {.customer_ref = who.number, .program = program, .points = points, .pending_until = pending, .idempotency_key = key});
  }
  PointsEntry spend(const Customer& who, std::int64_t points, std::string key, std::string program = "stars") {
    return loyalty().redeem({who.number, std::move(program), points, "", std::move(key)});
  }
  PointsAccount account(const Customer& who, std::string program = "stars") {
    return loyalty().account(who.number, program);
  }
  std::int64_t remaining(const Customer& who, std::int64_t entry, std::string program = "stars") {
    for (const auto& l : loyalty().lots(who.number, program)) {
      if (l.entry == entry) return l.remaining;
    }
    return 0;
  }
  int rows(const std::string& table) { return count_rows(path, table); }
  int events(const std::string& action) {
    SQLite::Database file(path, SQLite::OPEN_READONLY);
    SQLite::Statement st(file, "SELECT count(*) FROM events WHERE action = ?");
    st.bind(1, action);
    st.executeStep();
    return st.getColumn(0).getInt();
  }
  // Rows of every ledger table: what a refused or replayed call must not add to.
  std::vector<int> ledger_rows() {
    return {rows("points_accounts"), rows("points_entries"), rows("points_lots"), rows("points_draws"),
            rows("tier_changes"),    rows("idempotency_keys"), rows("events")};
  }
};

Timestamp months_after(Timestamp t, int n) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  year_month_day ymd{day};
  ymd += months{n};
  return sys_days{ymd} + (t - day);
}

// SUM of the ledger and the checkpoint of every account, read behind patron's back.
std::vector<std::pair<std::int64_t, std::int64_t>> ledgers_and_checkpoints(const std::string& path) {
  SQLite::Database file(path, SQLite::OPEN_READONLY);
  SQLite::Statement st(file,
                       "SELECT (SELECT coalesce(sum(points), 0) FROM points_entries e WHERE e.account = a.id), "
                       "a.balance FROM points_accounts a ORDER BY a.id");
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  while (st.executeStep()) out.emplace_back(st.getColumn(0).getInt64(), st.getColumn(1).getInt64());
  return out;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(loyalty, LoyaltyFixture)

BOOST_AUTO_TEST_CASE(programs_are_created_read_updated_and_listed) {
  BOOST_TEST(stars.id == "stars");
  BOOST_TEST(stars.created_at == t0);
  BOOST_TEST((loyalty().program("stars") == stars));
  Program coins = stars_program("coins", std::nullopt);
  coins.rounding = Rounding::up;
  coins.redemption_order = RedemptionOrder::oldest_earned;
  coins = loyalty().create_program(coins);
  BOOST_TEST((loyalty().programs() == std::vector<Program>{coins, stars}));

  clock.advance(1h);
  Program changed = stars;
  changed.name = "Gold Stars";
  changed.earn_points = 2;
  const Program updated = loyalty().update_program(changed);
  BOOST_TEST(updated.name == "Gold Stars");
  BOOST_TEST(updated.created_at == t0);
  BOOST_TEST(updated.updated_at == t0 + 1h);
  BOOST_TEST((loyalty().program("stars") == updated));
  BOOST_TEST(events("loyalty.program_saved") == 3);

  const auto before = ledger_rows();
  const auto refused = [&](Program p, Errc code, const std::string& field) {
    expect_error([&] { loyalty().create_program(p); }, code, field);
  };
  Program p = stars_program("new");
  refused(stars_program("stars"), Errc::already_exists, "id");
  refused(stars_program("bad id"), Errc::invalid_argument, "id");
  refused(stars_program(std::string(65, 'a')), Errc::invalid_argument, "id");
  p.name = " ";
  refused(p, Errc::invalid_argument, "name");
  p = stars_program("new");
  p.points_name = std::string(51, 'p');
  refused(p, Errc::invalid_argument, "points_name");
  p = stars_program("new");
  p.currency = "XYZ";
  refused(p, Errc::invalid_argument, "currency");
  p = stars_program("new");
  p.earn_points = 0;
  refused(p, Errc::invalid_argument, "earn_points");
  p.earn_points = 1'000'001;
  refused(p, Errc::invalid_argument, "earn_points");
  p = stars_program("new");
  p.per_amount = 0;
  refused(p, Errc::invalid_argument, "per_amount");
  p.per_amount = 1'000'000'001;
  refused(p, Errc::invalid_argument, "per_amount");
  p = stars_program("new", 0);
  refused(p, Errc::invalid_argument, "expiry_months");
  p = stars_program("new", 1201);
  refused(p, Errc::invalid_argument, "expiry_months");
  p = stars_program("new");
  p.tier_window_months = 121;
  refused(p, Errc::invalid_argument, "tier_window_months");
  p.tier_window_months = 0;
  refused(p, Errc::invalid_argument, "tier_window_months");
  expect_error([&] { loyalty().update_program(stars_program("nope")); }, Errc::not_found, "id");
  expect_error([&] { loyalty().program("nope"); }, Errc::not_found, "program");
  expect_error([&] { loyalty().program("no pe"); }, Errc::invalid_argument, "program");
  BOOST_TEST((ledger_rows() == before));
  BOOST_TEST(loyalty().programs().size() == 2u);
}

BOOST_AUTO_TEST_CASE(an_earn_makes_an_entry_and_a_lot) {
  const PointsEntry e = earn(ana, 100, "e-1");
  BOOST_TEST(e.id > 0);
  BOOST_TEST((e.customer == ana.id));
  BOOST_TEST(e.program == "stars");
  BOOST_TEST(e.kind == PointsEntryKind::earn);
  BOOST_TEST(e.points == 100);
  BOOST_TEST(e.balance_after == 100);
  BOOST_TEST(!e.amount.has_value());
  BOOST_TEST(e.qualifying);
  BOOST_TEST(e.idempotency_key == "e-1");
  BOOST_TEST(e.at == t0);
  BOOST_TEST((e.expires_at == std::optional<Timestamp>(months_after(t0, 12))));
  BOOST_TEST((loyalty().entry(e.id) == e));
  BOOST_TEST((account(ana) == PointsAccount{ana.id, "stars", 100, 0, 0, 100, std::nullopt}));
  BOOST_TEST((loyalty().lots(ana.number, "stars") ==
              std::vector<PointsLot>{{1, e.id, 100, 100, t0, std::nullopt, months_after(t0, 12)}}));
  BOOST_TEST((loyalty().accounts(ana.id.str()) == std::vector<PointsAccount>{account(ana)}));
  BOOST_TEST((account(bob) == PointsAccount{bob.id, "stars", 0, 0, 0, 0, std::nullopt}));
  BOOST_TEST(loyalty().accounts(bob.number).empty());
  BOOST_TEST(events("points.earned") == 1);
  {
    ActorScope scope("till-7");
    BOOST_TEST(earn(ana, 5, "e-2").actor == "till-7");
  }
  BOOST_TEST(loyalty().entries(ana.number, "stars").size() == 2u);
  BOOST_TEST(loyalty().entries(ana.number, "stars", {.limit = 1}).front().idempotency_key == "e-2");
  expect_error([&] { loyalty().entry(999); }, Errc::not_found, "id");
  expect_error([&] { loyalty().entries(ana.number, "stars", {.limit = 0}); }, Errc::invalid_argument, "limit");
}

BOOST_AUTO_TEST_CASE(an_earn_by_amount_follows_the_rule_and_its_rounding) {
  const auto by_amount = [&](std::string program, std::int64_t amount, std::string key, std::string currency = "") {
    return loyalty().earn({.customer_ref = ana.number, .program = program, .amount = amount, .currency = currency,
                           .reference = "order-1", .idempotency_key = key});
  };
  const PointsEntry down = by_amount("stars", 1250, "a-1");
  BOOST_TEST(down.points == 12);
  BOOST_TEST((down.amount == std::optional<std::int64_t>(1250)));
  BOOST_TEST(down.currency == "GBP");
  BOOST_TEST(down.reference == "order-1");
  Program nearest = stars_program("nearest");
  nearest.rounding = Rounding::nearest;
  nearest.earn_points = 3;
  nearest.per_amount = 200;
  loyalty().create_program(nearest);
  BOOST_TEST(by_amount("nearest", 1250, "a-2").points == 19);  // 18.75
  BOOST_TEST(by_amount("nearest", 1000, "a-3", "gbp").points == 15);
  Program up = stars_program("up");
  up.rounding = Rounding::up;
  loyalty().create_program(up);
  BOOST_TEST(by_amount("up", 1201, "a-4").points == 13);
  // Too little to earn anything still records the payment.
  const PointsEntry nothing = by_amount("stars", 99, "a-5");
  BOOST_TEST(nothing.points == 0);
  BOOST_TEST(nothing.balance_after == 12);
  BOOST_TEST(remaining(ana, nothing.id) == 0);
  const auto before = ledger_rows();
  expect_error([&] { by_amount("stars", 1000, "a-6", "EUR"); }, Errc::failed_precondition, "currency", "GBP");
  BOOST_TEST((ledger_rows() == before));
}

BOOST_AUTO_TEST_CASE(refused_earns_name_their_field_and_leave_nothing) {
  earn(ana, 10, "seed");
  const auto before = ledger_rows();
  const auto refused = [&](EarnRequest r, Errc code, const std::string& field) {
    expect_error([&] { loyalty().earn(r); }, code, field);
  };
  const EarnRequest ok{.customer_ref = ana.number, .program = "stars", .points = 5, .idempotency_key = "k"};
  EarnRequest r = ok;
  r.amount = 100;
  refused(r, Errc::invalid_argument, "points");  // both
  r.points.reset();
  r.amount.reset();
  refused(r, Errc::invalid_argument, "points");  // neither
  r = ok;
  r.points = 0;
  refused(r, Errc::invalid_argument, "points");
  r.points = kMaxPoints + 1;
  refused(r, Errc::invalid_argument, "points");
  r = ok;
  r.points.reset();
  r.amount = 0;
  refused(r, Errc::invalid_argument, "amount");
  r.amount = 1'000'000'000'000'001;
  refused(r, Errc::invalid_argument, "amount");
  r.amount = 100;
  r.currency = "XX";
  refused(r, Errc::invalid_argument, "currency");
  r = ok;
  r.reference = std::string(201, 'r');
  refused(r, Errc::invalid_argument, "reference");
  r = ok;
  r.idempotency_key = "";
  refused(r, Errc::invalid_argument, "idempotency_key");
  r.idempotency_key = std::string(201, 'k');
  refused(r, Errc::invalid_argument, "idempotency_key");
  r = ok;
  r.program = "nope";
  refused(r, Errc::not_found, "program");
  r.program = "no pe";
  refused(r, Errc::invalid_argument, "program");
  r = ok;
  r.customer_ref = "99999";
  refused(r, Errc::not_found, "ref");
  BOOST_TEST((ledger_rows() == before));
}

BOOST_AUTO_TEST_CASE(reads_and_jobs_refuse_unknown_or_malformed_names) {
  earn(ana, 10, "seed");
  const auto before = ledger_rows();
  expect_error([&] { loyalty().account(ana.number, "nope"); }, Errc::not_found, "program");
  expect_error([&] { loyalty().account("99999", "stars"); }, Errc::not_found, "ref");
  expect_error([&] { loyalty().accounts("99999"); }, Errc::not_found, "ref");
  expect_error([&] { loyalty().lots(ana.number, "n o"); }, Errc::invalid_argument, "program");
  expect_error([&] { loyalty().tiers("nope"); }, Errc::not_found, "program");
  expect_error([&] { loyalty().tier(ana.number, "nope"); }, Errc::not_found, "program");
  expect_error([&] { loyalty().progress(ana.number, "nope"); }, Errc::not_found, "program");
  expect_error([&] { loyalty().tier_history("99999", "stars"); }, Errc::not_found, "ref");
  expect_error([&] { loyalty().tier_at(ana.number, "nope", t0); }, Errc::not_found, "program");
  expect_error([&] { loyalty().evaluate_tiers("nope"); }, Errc::not_found, "program");
  expect_error([&] { loyalty().expire("n o"); }, Errc::invalid_argument, "program");
  expect_error([&] { loyalty().remove_tier("nope", "silver"); }, Errc::not_found, "program");
  expect_error([&] { loyalty().remove_tier("stars", "s s"); }, Errc::invalid_argument, "tier");
  expect_error([&] { loyalty().rewards("nope"); }, Errc::not_found, "program");
  expect_error([&] { loyalty().reward("r r"); }, Errc::invalid_argument, "reward");
  expect_error([&] { loyalty().available_rewards(ana.number, "nope"); }, Errc::not_found, "program");
  expect_error([&] { loyalty().reward_redemptions(ana.number, "stars", {.limit = 1001}); }, Errc::invalid_argument,
               "limit");
  expect_error([&] { loyalty().redeem_reward(ana.number, "r r", "k"); }, Errc::invalid_argument, "reward");
  expect_error([&] { loyalty().redeem_reward(ana.number, "coffee", ""); }, Errc::invalid_argument,
               "idempotency_key");
  expect_error([&] { loyalty().redeem_reward("99999", "coffee", "k"); }, Errc::not_found, "ref");
  expect_error([&] { loyalty().save_reward({"x", "stars", "", 1, {}, {}, ""}); }, Errc::invalid_argument, "name");
  expect_error([&] { loyalty().save_reward({"x", "stars", "X", 1, {}, {}, std::string(2001, 'd')}); },
               Errc::invalid_argument, "description");
  expect_error([&] { loyalty().save_reward({"x", "stars", "X", kMaxPoints + 1, {}, {}, ""}); },
               Errc::invalid_argument, "cost");
  expect_error([&] { loyalty().adjust({ana.number, "nope", 5, "why", false, "m", "k"}); }, Errc::not_found,
               "program");
  expect_error([&] { loyalty().adjust({"99999", "stars", 5, "why", false, "m", "k"}); }, Errc::not_found, "ref");
  expect_error([&] { loyalty().adjust({ana.number, "stars", 5, std::string(501, 'w'), false, "m", "k"}); },
               Errc::invalid_argument, "reason");
  expect_error([&] { loyalty().transfer({ana.number, bob.number, "stars", 1, std::string(501, 'w'), "k"}); },
               Errc::invalid_argument, "reason");
  expect_error([&] { loyalty().redeem({ana.number, "stars", 1, std::string(201, 'r'), "k"}); },
               Errc::invalid_argument, "reference");
  BOOST_TEST((ledger_rows() == before));
}

BOOST_AUTO_TEST_CASE(a_replayed_key_returns_the_original_and_a_reused_key_conflicts) {
  const PointsEntry first = earn(ana, 100, "k-1");
  const auto before = ledger_rows();
  clock.advance(1min);
  // The same request by another form of the customer reference.
  BOOST_TEST((loyalty().earn({.customer_ref = ana.id.str(), .program = "stars", .points = 100,
                              .idempotency_key = "k-1"}) == first));
  BOOST_TEST((ledger_rows() == before));
  expect_error([&] { earn(ana, 101, "k-1"); }, Errc::conflict, "idempotency_key");
  expect_error([&] { earn(bob, 100, "k-1"); }, Errc::conflict, "idempotency_key");
  expect_error([&] { spend(ana, 100, "k-1"); }, Errc::conflict, "idempotency_key");
  BOOST_TEST((ledger_rows() == before));

  const PointsEntry r = spend(ana, 40, "r-1");
  const auto after = ledger_rows();
  BOOST_TEST((spend(ana, 40, "r-1") == r));
  // A replay answers even once the request could no longer be made.
  spend(ana, 60, "r-2");
  BOOST_TEST((spend(ana, 40, "r-1") == r));
  BOOST_TEST(rows("points_entries") == after[1] + 1);
}

BOOST_AUTO_TEST_CASE(redeeming_beyond_the_spendable_points_is_refused) {
  earn(ana, 100, "e-1");
  earn(ana, 50, "e-2", t0 + 24h);  // pending
  const auto before = ledger_rows();
  expect_error([&] { spend(ana, 101, "r-1"); }, Errc::failed_precondition, "points", "only 100 stars are spendable");
  expect_error([&] { spend(ana, 0, "r-1"); }, Errc::invalid_argument, "points");
  expect_error([&] { spend(bob, 1, "r-1"); }, Errc::failed_precondition, "points", "only 0 stars");
  BOOST_TEST((ledger_rows() == before));
  const PointsEntry r = spend(ana, 100, "r-1");
  BOOST_TEST(r.kind == PointsEntryKind::redeem);
  BOOST_TEST(r.points == -100);
  BOOST_TEST(r.balance_after == 50);
  BOOST_TEST((account(ana) == PointsAccount{ana.id, "stars", 50, 50, 0, 0, std::nullopt}));
  BOOST_TEST(events("points.redeemed") == 1);
}

BOOST_AUTO_TEST_CASE(soonest_expiring_lots_go_first_and_never_expiring_last) {
  // Earned first but never expiring (the program had no expiry then).
  Program open = stars;
  open.expiry_months.reset();
  loyalty().update_program(open);
  const PointsEntry never = earn(ana, 30, "n");
  loyalty().update_program(stars);
  const PointsEntry late = earn(ana, 100, "late", t0 + 24h * 60);  // released in 60 days, expires after
  clock.advance(24h * 10);
  const PointsEntry soon = earn(ana, 50, "soon");
  clock.advance(24h * 60);
  BOOST_TEST((loyalty().lots(ana.number, "stars") ==
              std::vector<PointsLot>{{3, soon.id, 50, 50, t0 + 24h * 10, std::nullopt, months_after(t0 + 24h * 10, 12)},
                                     {2, late.id, 100, 100, t0, t0 + 24h * 60, months_after(t0 + 24h * 60, 12)},
                                     {1, never.id, 30, 30, t0, std::nullopt, std::nullopt}}));
  spend(ana, 60, "r-1");
  BOOST_TEST(remaining(ana, soon.id) == 0);
  BOOST_TEST(remaining(ana, late.id) == 90);
  BOOST_TEST(remaining(ana, never.id) == 30);
  spend(ana, 100, "r-2");
  BOOST_TEST(remaining(ana, late.id) == 0);
  BOOST_TEST(remaining(ana, never.id) == 20);
}

BOOST_AUTO_TEST_CASE(oldest_earned_lots_go_first_when_the_program_says_so) {
  Program p = stars_program("old");
  p.redemption_order = RedemptionOrder::oldest_earned;
  loyalty().create_program(p);
  const PointsEntry a = earn(ana, 100, "a", t0 + 24h * 60, "old");  // expires later
  const PointsEntry b = earn(ana, 50, "b", {}, "old");
  clock.advance(24h * 61);
  BOOST_TEST(loyalty().lots(ana.number, "old").front().entry == a.id);
  spend(ana, 120, "r", "old");
  BOOST_TEST(remaining(ana, a.id, "old") == 0);
  BOOST_TEST(remaining(ana, b.id, "old") == 30);
}

BOOST_AUTO_TEST_CASE(pending_points_are_neither_spendable_nor_qualifying_until_released) {
  loyalty().save_tier({"stars", "silver", "Silver", 100, 100, ""});
  const PointsEntry e = earn(ana, 100, "p-1", t0 + 24h * 7);
  BOOST_TEST((e.pending_until == std::optional<Timestamp>(t0 + 24h * 7)));
  BOOST_TEST((e.expires_at == std::optional<Timestamp>(months_after(t0 + 24h * 7, 12))));
  BOOST_TEST((account(ana) == PointsAccount{ana.id, "stars", 100, 100, 0, 0, std::nullopt}));
  BOOST_TEST(loyalty().progress(ana.number, "stars").qualifying_points == 0);
  expect_error([&] { spend(ana, 1, "r-1"); }, Errc::failed_precondition, "points", "only 0 stars");
  clock.advance(24h * 7);
  BOOST_TEST((account(ana) == PointsAccount{ana.id, "stars", 100, 0, 0, 100, std::nullopt}));
  BOOST_TEST(loyalty().progress(ana.number, "stars").qualifying_points == 100);
  // Released points lift the tier at the next evaluation.
  BOOST_TEST(!loyalty().tier(ana.number, "stars").has_value());
  BOOST_TEST((loyalty().evaluate_tiers("stars") == TierEvaluation{1, 1, 0}));
  BOOST_TEST(loyalty().tier(ana.number, "stars")->id == "silver");
  // A release date already past locks nothing.
  BOOST_TEST(!earn(ana, 5, "p-2", t0).pending_until.has_value());
}

BOOST_AUTO_TEST_CASE(points_expire_and_are_written_off_by_the_expiry_job) {
  const PointsEntry a = earn(ana, 100, "a");
  const PointsEntry b = earn(ana, 40, "b");
  spend(ana, 30, "r");
  clock.advance(24h * 40);
  const PointsEntry c = earn(ana, 25, "c");
  earn(bob, 10, "d");
  BOOST_TEST((loyalty().expire("stars") == ExpiryRun{0, 0, 0}));
  clock.micros->store(to_micros(*a.expires_at));
  BOOST_TEST((account(ana) == PointsAccount{ana.id, "stars", 135, 0, 110, 25, std::nullopt}));
  expect_error([&] { spend(ana, 26, "r-2"); }, Errc::failed_precondition, "points", "only 25 stars");
  BOOST_TEST((loyalty().expire("stars") == ExpiryRun{1, 2, 110}));
  const PointsEntry x = loyalty().entries(ana.number, "stars", {.limit = 1}).front();
  BOOST_TEST(x.kind == PointsEntryKind::expire);
  BOOST_TEST(x.points == -110);
  BOOST_TEST(x.balance_after == 25);
  BOOST_TEST(x.idempotency_key.empty());
  BOOST_TEST((account(ana) == PointsAccount{ana.id, "stars", 25, 0, 0, 25, std::nullopt}));
  BOOST_TEST(remaining(ana, b.id) == 0);
  BOOST_TEST(remaining(ana, c.id) == 25);
  BOOST_TEST((loyalty().expire("stars") == ExpiryRun{0, 0, 0}));
  // The run may name a later time.
  BOOST_TEST((loyalty().expire("stars", *c.expires_at) == ExpiryRun{2, 2, 35}));
  BOOST_TEST(events("points.expired") == 3);
  expect_error([&] { loyalty().expire("nope"); }, Errc::not_found, "program");
}

BOOST_AUTO_TEST_CASE(reversing_a_redemption_restores_the_lots_it_drew_in_reverse_order) {
  const PointsEntry a = earn(ana, 100, "a");
  clock.advance(1h);
  const PointsEntry b = earn(ana, 100, "b");
  const PointsEntry r = spend(ana, 150, "r");  // a: 100, then b: 50
  BOOST_TEST(remaining(ana, a.id) == 0);
  BOOST_TEST(remaining(ana, b.id) == 50);
  const PointsEntry first = loyalty().reverse(r.id, 40, "rv-1", "wrong item");
  BOOST_TEST(first.kind == PointsEntryKind::reverse);
  BOOST_TEST(first.points == 40);
  BOOST_TEST(first.balance_after == 90);
  BOOST_TEST((first.reverses == std::optional<std::int64_t>(r.id)));
  BOOST_TEST(first.reason == "wrong item");
  BOOST_TEST(remaining(ana, b.id) == 90);
  loyalty().reverse(r.id, 70, "rv-2");  // the last 10 of b, then 60 of a
  BOOST_TEST(remaining(ana, b.id) == 100);
  BOOST_TEST(remaining(ana, a.id) == 60);
  BOOST_TEST(loyalty().entry(r.id).reversed == 110);
  const auto before = ledger_rows();
  expect_error([&] { loyalty().reverse(r.id, 41, "rv-3"); }, Errc::failed_precondition, "points", "only 40");
  expect_error([&] { loyalty().reverse(r.id, 0, "rv-3"); }, Errc::invalid_argument, "points");
  expect_error([&] { loyalty().reverse(first.id, 1, "rv-3"); }, Errc::not_found, "entry");
  expect_error([&] { loyalty().reverse(999, 1, "rv-3"); }, Errc::not_found, "entry");
  expect_error([&] { loyalty().reverse(r.id, 1, "rv-3", std::string(501, 'x')); }, Errc::invalid_argument, "reason");
  expect_error([&] { loyalty().reverse(r.id, 1, ""); }, Errc::invalid_argument, "idempotency_key");
  expect_error([&] { loyalty().reverse(r.id, 2, "rv-1"); }, Errc::conflict, "idempotency_key");
  BOOST_TEST((ledger_rows() == before));
  BOOST_TEST((loyalty().reverse(r.id, 40, "rv-1", "wrong item") == loyalty().entry(first.id)));
  BOOST_TEST((ledger_rows() == before));
  loyalty().reverse(r.id, 40, "rv-4");
  BOOST_TEST(remaining(ana, a.id) == 100);
  BOOST_TEST(account(ana).balance == 200);
  BOOST_TEST(events("points.reversed") == 3);
}

BOOST_AUTO_TEST_CASE(reversing_an_earn_takes_its_own_lot_first_and_lowers_its_qualifying_points) {
  const PointsEntry other = earn(ana, 100, "o");
  const PointsEntry e = earn(ana, 80, "e");
  spend(ana, 150, "r");  // all of o, 50 of e
  BOOST_TEST(remaining(ana, e.id) == 30);
  const PointsEntry rv = loyalty().reverse(e.id, 20, "rv-1");
  BOOST_TEST(rv.points == -20);
  BOOST_TEST(rv.balance_after == 10);
  BOOST_TEST(remaining(ana, e.id) == 10);
  BOOST_TEST(loyalty().lots(ana.number, "stars").front().points == 60);
  BOOST_TEST(loyalty().progress(ana.number, "stars").qualifying_points == 160);
  expect_error([&] { loyalty().reverse(e.id, 11, "rv-2"); }, Errc::failed_precondition, "points",
               "only 10 stars are spendable");
  earn(ana, 5, "more");
  // Beyond its own lot the rest comes from other spendable lots.
  loyalty().reverse(e.id, 15, "rv-2");
  BOOST_TEST(account(ana).balance == 0);
  BOOST_TEST(loyalty().entry(e.id).reversed == 35);
  BOOST_TEST(remaining(ana, other.id) == 0);

  // A pending earn can be reversed, in part, and whole.
  const PointsEntry p = earn(bob, 100, "p", t0 + 24h);
  loyalty().reverse(p.id, 30, "rv-p1");
  BOOST_TEST((account(bob) == PointsAccount{bob.id, "stars", 70, 70, 0, 0, std::nullopt}));
  loyalty().reverse(p.id, 70, "rv-p2");
  expect_error([&] { loyalty().reverse(p.id, 1, "rv-p3"); }, Errc::failed_precondition, "points", "only 0");
  clock.advance(25h);
  BOOST_TEST(loyalty().progress(bob.number, "stars").qualifying_points == 0);
}

BOOST_AUTO_TEST_CASE(a_transfer_moves_spendable_points_keeping_their_expiry) {
  const PointsEntry a = earn(ana, 100, "a");
  clock.advance(24h);
  const PointsEntry b = earn(ana, 50, "b");
  const TransferRequest request{ana.number, bob.id.str(), "stars", 120, "gift", "t-1"};
  const PointsEntry out = loyalty().transfer(request);
  BOOST_TEST(out.kind == PointsEntryKind::transfer);
  BOOST_TEST((out.customer == ana.id));
  BOOST_TEST(out.points == -120);
  BOOST_TEST(out.balance_after == 30);
  BOOST_TEST(out.reason == "gift");
  BOOST_TEST(out.counterpart.has_value());
  const PointsEntry in = loyalty().entry(*out.counterpart);
  BOOST_TEST((in.customer == bob.id));
  BOOST_TEST(in.points == 120);
  BOOST_TEST(in.balance_after == 120);
  BOOST_TEST((in.counterpart == std::optional<std::int64_t>(out.id)));
  BOOST_TEST(in.idempotency_key == "t-1");
  const auto lots = loyalty().lots(bob.number, "stars");
  BOOST_REQUIRE(lots.size() == 2u);
  BOOST_TEST(lots[0].remaining == 100);
  BOOST_TEST((lots[0].expires_at == a.expires_at));
  BOOST_TEST(lots[1].remaining == 20);
  BOOST_TEST((lots[1].expires_at == b.expires_at));
  BOOST_TEST(loyalty().progress(bob.number, "stars").qualifying_points == 0);
  BOOST_TEST(events("points.transferred") == 2);

  const auto before = ledger_rows();
  BOOST_TEST((loyalty().transfer(request) == out));
  BOOST_TEST((ledger_rows() == before));
  TransferRequest r = request;
  r.idempotency_key = "t-2";
  r.points = 31;
  expect_error([&] { loyalty().transfer(r); }, Errc::failed_precondition, "points", "only 30 stars");
  r.points = 1;
  r.to_ref = ana.id.str();
  expect_error([&] { loyalty().transfer(r); }, Errc::invalid_argument, "to");
  r.to_ref = "99999";
  expect_error([&] { loyalty().transfer(r); }, Errc::not_found, "to");
  r.to_ref = bob.number;
  r.from_ref = "99999";
  expect_error([&] { loyalty().transfer(r); }, Errc::not_found, "ref");
  r.from_ref = ana.number;
  r.points = 0;
  expect_error([&] { loyalty().transfer(r); }, Errc::invalid_argument, "points");
  r.points = 2;
  r.idempotency_key = "t-1";
  expect_error([&] { loyalty().transfer(r); }, Errc::conflict, "idempotency_key");
  expect_error([&] { loyalty().reverse(out.id, 1, "x"); }, Errc::not_found, "entry");
  BOOST_TEST((ledger_rows() == before));
}

BOOST_AUTO_TEST_CASE(adjustments_need_a_reason_and_an_actor) {
  const auto before = ledger_rows();
  AdjustRequest r{ana.number, "stars", 50, "goodwill", false, "manager-1", "adj-1"};
  AdjustRequest bad = r;
  bad.reason = " ";
  expect_error([&] { loyalty().adjust(bad); }, Errc::invalid_argument, "reason");
  bad = r;
  bad.actor = "";
  expect_error([&] { loyalty().adjust(bad); }, Errc::invalid_argument, "actor");
  bad = r;
  bad.points = 0;
  expect_error([&] { loyalty().adjust(bad); }, Errc::invalid_argument, "points");
  bad.points = -kMaxPoints - 1;
  expect_error([&] { loyalty().adjust(bad); }, Errc::invalid_argument, "points");
  bad = r;
  bad.points = -1;
  expect_error([&] { loyalty().adjust(bad); }, Errc::failed_precondition, "points", "only 0 stars");
  BOOST_TEST((ledger_rows() == before));

  const PointsEntry plus = loyalty().adjust(r);
  BOOST_TEST(plus.kind == PointsEntryKind::adjust);
  BOOST_TEST(plus.points == 50);
  BOOST_TEST(plus.actor == "manager-1");
  BOOST_TEST(plus.reason == "goodwill");
  BOOST_TEST(!plus.qualifying);
  BOOST_TEST((plus.expires_at == std::optional<Timestamp>(months_after(t0, 12))));
  BOOST_TEST(remaining(ana, plus.id) == 50);
  BOOST_TEST(loyalty().progress(ana.number, "stars").qualifying_points == 0);
  {
    ActorScope scope("manager-2");
    bad = r;
    bad.actor = "";
    bad.points = -20;
    bad.idempotency_key = "adj-2";
    const PointsEntry minus = loyalty().adjust(bad);
    BOOST_TEST(minus.actor == "manager-2");
    BOOST_TEST(minus.points == -20);
    BOOST_TEST(minus.balance_after == 30);
  }
  r.idempotency_key = "adj-3";
  r.qualifying = true;
  BOOST_TEST(loyalty().adjust(r).qualifying);
  BOOST_TEST(loyalty().progress(ana.number, "stars").qualifying_points == 50);
  BOOST_TEST(events("points.adjusted") == 3);
}

BOOST_AUTO_TEST_CASE(many_earns_and_redemptions_are_all_or_nothing) {
  const std::vector<EarnRequest> earns{
      {.customer_ref = ana.number, .program = "stars", .points = 10, .idempotency_key = "m-1"},
      {.customer_ref = bob.number, .program = "stars", .points = 20, .idempotency_key = "m-2"}};
  auto bad = earns;
  bad[1].points = 0;
  expect_error([&] { loyalty().earn_many(bad); }, Errc::invalid_argument, "[1].points");
  bad = earns;
  bad[1].customer_ref = "99999";
  expect_error([&] { loyalty().earn_many(bad); }, Errc::not_found, "[1].ref");
  BOOST_TEST(rows("points_entries") == 0);
  BOOST_TEST(rows("idempotency_keys") == 0);
  const auto written = loyalty().earn_many(earns);
  BOOST_REQUIRE(written.size() == 2u);
  BOOST_TEST(written[1].points == 20);
  BOOST_TEST((loyalty().earn_many(earns) == written));

  std::vector<RedeemRequest> redeems{{ana.number, "stars", 5, "", "mr-1"}, {bob.number, "stars", 21, "", "mr-2"}};
  expect_error([&] { loyalty().redeem_many(redeems); }, Errc::failed_precondition, "[1].points");
  BOOST_TEST(rows("points_entries") == 2);
  redeems[1].points = 20;
  const auto spent = loyalty().redeem_many(redeems);
  BOOST_TEST(spent[0].balance_after == 5);
  BOOST_TEST(spent[1].balance_after == 0);
}

BOOST_AUTO_TEST_CASE(tiers_upgrade_at_once_and_downgrade_only_at_evaluation) {
  const Tier silver = loyalty().save_tier({"stars", "silver", "Silver", 100, 100, "Free coffee"});
  const Tier gold = loyalty().save_tier({"stars", "gold", "Gold", 500, 150, ""});
  BOOST_TEST((loyalty().tiers("stars") == std::vector<Tier>{silver, gold}));
  const auto before = ledger_rows();
  expect_error([&] { loyalty().save_tier({"stars", "bronze", "Bronze", 100, 100, ""}); }, Errc::already_exists,
               "threshold");
  expect_error([&] { loyalty().save_tier({"nope", "bronze", "Bronze", 1, 100, ""}); }, Errc::not_found, "program");
  expect_error([&] { loyalty().save_tier({"stars", "b b", "Bronze", 1, 100, ""}); }, Errc::invalid_argument, "id");
  expect_error([&] { loyalty().save_tier({"stars", "b", "", 1, 100, ""}); }, Errc::invalid_argument, "name");
  expect_error([&] { loyalty().save_tier({"stars", "b", "B", -1, 100, ""}); }, Errc::invalid_argument, "threshold");
  expect_error([&] { loyalty().save_tier({"stars", "b", "B", 1, 10001, ""}); }, Errc::invalid_argument,
               "earn_multiplier_percent");
  expect_error([&] { loyalty().save_tier({"stars", "b", "B", 1, 100, std::string(2001, 'x')}); },
               Errc::invalid_argument, "benefits");
  BOOST_TEST((ledger_rows() == before));

  earn(ana, 60, "e-1");
  BOOST_TEST(!loyalty().tier(ana.number, "stars").has_value());
  clock.advance(24h * 30);
  earn(ana, 60, "e-2");  // 120: silver at once
  BOOST_TEST((loyalty().tier(ana.number, "stars") == std::optional<Tier>(silver)));
  BOOST_TEST(account(ana).tier == std::optional<std::string>("silver"));
  const Timestamp silver_at = clock.now();
  // Gold multiplies later earns by amount: 400 GBP = 400 points × 1.0 at silver.
  loyalty().earn({.customer_ref = ana.number, .program = "stars", .amount = 40000, .idempotency_key = "e-3"});
  BOOST_TEST(loyalty().tier(ana.number, "stars")->id == "gold");
  BOOST_TEST(loyalty().earn({.customer_ref = ana.number, .program = "stars", .amount = 1000, .idempotency_key = "e-4"})
                 .points == 15);
  const TierProgress at_gold = loyalty().progress(ana.number, "stars");
  BOOST_TEST((at_gold == TierProgress{"gold", "gold", 535, months_after(clock.now(), -12), std::nullopt, 0}));
  expect_error([&] { loyalty().remove_tier("stars", "gold"); }, Errc::failed_precondition, "tier");
  expect_error([&] { loyalty().remove_tier("stars", "platinum"); }, Errc::not_found, "tier");

  // A year on, the first earns leave the window: no downgrade until evaluated.
  clock.micros->store(to_micros(months_after(t0, 12)) + 1);
  BOOST_TEST(loyalty().progress(ana.number, "stars").qualifying_points == 475);
  BOOST_TEST(loyalty().tier(ana.number, "stars")->id == "gold");
  clock.micros->store(to_micros(months_after(silver_at, 12)) + 1);
  const TierProgress p = loyalty().progress(ana.number, "stars");
  BOOST_TEST((p == TierProgress{"gold", std::nullopt, 0, months_after(clock.now(), -12), "silver", 100}));
  earn(bob, 150, "bob-1");
  BOOST_TEST((loyalty().evaluate_tiers("stars") == TierEvaluation{2, 0, 1}));
  BOOST_TEST(!loyalty().tier(ana.number, "stars").has_value());
  BOOST_TEST(loyalty().tier(bob.number, "stars")->id == "silver");
  BOOST_TEST((loyalty().evaluate_tiers("stars") == TierEvaluation{2, 0, 0}));

  const auto history = loyalty().tier_history(ana.number, "stars");
  BOOST_REQUIRE(history.size() == 3u);
  BOOST_TEST((history[0].from == std::optional<std::string>("gold")));
  BOOST_TEST(!history[0].to.has_value());
  BOOST_TEST(history[0].reason == TierChangeReason::evaluation);
  BOOST_TEST(history[0].qualifying_points == 0);
  BOOST_TEST((history[1].to == std::optional<std::string>("gold")));
  BOOST_TEST(history[1].reason == TierChangeReason::qualified);
  BOOST_TEST(history[1].qualifying_points == 520);
  BOOST_TEST((history[2] == TierChange{history[2].id, ana.id, "stars", std::nullopt, "silver",
                                       TierChangeReason::qualified, 120, silver_at}));
  BOOST_TEST(!loyalty().tier_at(ana.number, "stars", t0).has_value());
  BOOST_TEST((loyalty().tier_at(ana.number, "stars", silver_at) == std::optional<Tier>(gold)));
  BOOST_TEST((loyalty().tier_at(ana.number, "stars", silver_at - 1us) == std::optional<Tier>()));
  BOOST_TEST(!loyalty().tier_at(ana.number, "stars", clock.now()).has_value());
  BOOST_TEST(events("tier.changed") == 4);

  loyalty().remove_tier("stars", "gold");
  BOOST_TEST((loyalty().tiers("stars") == std::vector<Tier>{silver}));
  BOOST_TEST(events("loyalty.tier_saved") == 2);
  BOOST_TEST(events("loyalty.tier_removed") == 1);
}

BOOST_AUTO_TEST_CASE(rewards_are_redeemed_when_active_and_affordable) {
  const Reward coffee = loyalty().save_reward(
      {"coffee", "stars", "Coffee", 50, t0 + 24h, t0 + 24h * 30, "A flat white"});
  const Reward cake = loyalty().save_reward({"cake", "stars", "Cake", 80, std::nullopt, std::nullopt, ""});
  BOOST_TEST((loyalty().reward("coffee") == coffee));
  BOOST_TEST((loyalty().rewards("stars") == std::vector<Reward>{coffee, cake}));
  BOOST_TEST((loyalty().rewards("stars", t0) == std::vector<Reward>{cake}));
  BOOST_TEST(events("loyalty.reward_saved") == 2);
  const auto before = ledger_rows();
  expect_error([&] { loyalty().save_reward({"x", "stars", "X", 0, {}, {}, ""}); }, Errc::invalid_argument, "cost");
  expect_error([&] { loyalty().save_reward({"x", "stars", "X", 1, t0, t0, ""}); }, Errc::invalid_argument,
               "active_until");
  expect_error([&] { loyalty().save_reward({"x y", "stars", "X", 1, {}, {}, ""}); }, Errc::invalid_argument, "id");
  expect_error([&] { loyalty().save_reward({"x", "nope", "X", 1, {}, {}, ""}); }, Errc::not_found, "program");
  expect_error([&] { loyalty().reward("nope"); }, Errc::not_found, "reward");
  BOOST_TEST((ledger_rows() == before));

  earn(ana, 100, "e-1");
  BOOST_TEST((loyalty().available_rewards(ana.number, "stars") == std::vector<Reward>{cake}));
  expect_error([&] { loyalty().redeem_reward(ana.number, "coffee", "rw-1"); }, Errc::failed_precondition, "reward");
  expect_error([&] { loyalty().redeem_reward(ana.number, "nope", "rw-1"); }, Errc::not_found, "reward");
  clock.advance(24h);
  BOOST_TEST((loyalty().available_rewards(ana.number, "stars") == std::vector<Reward>{coffee, cake}));
  const PointsEntry r = loyalty().redeem_reward(ana.number, "coffee", "rw-1");
  BOOST_TEST(r.kind == PointsEntryKind::redeem);
  BOOST_TEST(r.points == -50);
  BOOST_TEST((r.reward == std::optional<std::string>("coffee")));
  BOOST_TEST((loyalty().redeem_reward(ana.number, "coffee", "rw-1") == r));
  BOOST_TEST((loyalty().available_rewards(ana.number, "stars") == std::vector<Reward>{coffee}));
  expect_error([&] { loyalty().redeem_reward(ana.number, "cake", "rw-2"); }, Errc::failed_precondition, "points",
               "only 50 stars");
  spend(ana, 10, "plain");
  BOOST_TEST((loyalty().reward_redemptions(ana.number, "stars") == std::vector<PointsEntry>{r}));
  BOOST_TEST(events("reward.redeemed") == 1);
  clock.advance(24h * 30);
  BOOST_TEST(loyalty().available_rewards(ana.number, "stars").empty());
}

BOOST_AUTO_TEST_CASE(the_checkpoint_is_the_ledger_and_the_schema_keeps_entries_permanent) {
  const PointsEntry a = earn(ana, 100, "a");
  spend(ana, 30, "r");
  earn(bob, 70, "b");
  loyalty().transfer({bob.number, ana.number, "stars", 20, "", "t"});
  loyalty().reverse(a.id, 10, "rv");
  const auto sums = ledgers_and_checkpoints(path);
  BOOST_REQUIRE(sums.size() == 2u);
  for (const auto& [ledger, checkpoint] : sums) BOOST_TEST(ledger == checkpoint);
  BOOST_TEST(sums[0].second == 80);
  BOOST_TEST(sums[1].second == 50);

  SQLite::Database file(path, SQLite::OPEN_READWRITE);
  const auto refused = [&](const char* sql) { BOOST_CHECK_THROW(file.exec(sql), SQLite::Exception); };
  refused("UPDATE points_entries SET points = 1000");
  refused("DELETE FROM points_entries");
  refused("UPDATE points_accounts SET balance = balance + 1");
  refused("DELETE FROM points_draws");
  refused("DELETE FROM points_lots");
  // An entry whose balance_after is not the balance moved by its points.
  refused("INSERT INTO points_entries (account, kind, points, balance_after, qualifying, reference, reason, "
          "idempotency_key, actor, at) VALUES (1, 'earn', 5, 1000, 1, '', '', 'x-1', '', 0)");
  // Reversals beyond their entry, or of a redemption in the wrong direction.
  refused("INSERT INTO points_entries (account, kind, points, balance_after, reverses, qualifying, reference, "
          "reason, idempotency_key, actor, at) VALUES (1, 'reverse', -91, -11, 1, 0, '', '', 'x-2', '', 0)");
  refused("INSERT INTO points_entries (account, kind, points, balance_after, reverses, qualifying, reference, "
          "reason, idempotency_key, actor, at) VALUES (1, 'reverse', 5, 85, 1, 0, '', '', 'x-3', '', 0)");
  BOOST_TEST(file.execAndGet("SELECT count(*) FROM points_entries").getInt() == 6);
}

BOOST_AUTO_TEST_SUITE_END()

// ---- many writers ----

namespace {

constexpr int kThreads = 3;
constexpr int kProcesses = 3;
constexpr int kRounds = 24;

// Earns 10 on every third round, redeems 7-9 on the others; retries some keys.
bool run_worker(Database& db, const std::string& who, const std::string& name, std::ostream& out) {
  try {
    for (int i = 0; i < kRounds; ++i) {
      const std::string key = name + "-" + std::to_string(i);
      PointsEntry e;
      const EarnRequest earn{.customer_ref = who, .program = "stars", .points = 10, .idempotency_key = key};
      const RedeemRequest redeem{who, "stars", 7 + i % 3, "", key};
      if (i % 3 == 0) {
        e = db.loyalty().earn(earn);
      } else {
        try {
          e = db.loyalty().redeem(redeem);
        } catch (const Error& err) {
          if (err.code() != Errc::failed_precondition || err.field() != "points") throw;
          out << key << " refused\n";
          continue;
        }
      }
      if (e.balance_after < 0) return false;
      if (i % 4 == 0) {
        const PointsEntry again = i % 3 == 0 ? db.loyalty().earn(earn) : db.loyalty().redeem(redeem);
        if (again != e) return false;
      }
      if (db.loyalty().account(who, "stars").spendable < 0) return false;
      out << key << " " << e.id << "\n";
    }
    return true;
  } catch (const std::exception& e) {
    out << "error " << e.what() << "\n";
    return false;
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(loyalty_writers)

BOOST_AUTO_TEST_CASE(threads_and_processes_share_one_account) {
  patron::testing::TempDir dir;
  const std::string path = dir.file("crm.db");
  std::string who;
  {
    Database db = Database::open(path);
    who = db.customers().create({.first_name = "Ana", .last_name = "Silva"}).id.str();
    db.loyalty().create_program(stars_program());
  }
  const patron::testing::WorkerReports reports = patron::testing::run_workers(
      dir, path, kProcesses, kThreads,
      [&](Database& db, const std::string& name, std::ostream& out) { return run_worker(db, who, name, out); });
  const auto& written = reports.written;
  const auto& refused_keys = reports.refused;
  const std::size_t workers = kProcesses + kThreads;
  BOOST_TEST(written.size() + refused_keys.size() == workers * kRounds);

  // Straight from the file: one entry per written key, each balance_after
  // following the one before, never below zero, and the checkpoint and the
  // open lots both equal to the sum.
  Database db = Database::open(path);
  SQLite::Database file(path, SQLite::OPEN_READONLY);
  SQLite::Statement st(file, "SELECT id, idempotency_key, points, balance_after FROM points_entries ORDER BY id");
  std::int64_t sum = 0;
  std::size_t count = 0;
  while (st.executeStep()) {
    ++count;
    const std::string k = st.getColumn(1).getString();
    const auto it = written.find(k);
    BOOST_TEST((it != written.end() && it->second == st.getColumn(0).getInt64()), k);
    sum += st.getColumn(2).getInt64();
    BOOST_TEST(st.getColumn(3).getInt64() == sum);
    BOOST_TEST(sum >= 0);
  }
  BOOST_TEST(count == written.size());
  BOOST_TEST(file.execAndGet("SELECT count(*) FROM idempotency_keys").getInt64() == static_cast<std::int64_t>(count));
  BOOST_TEST(file.execAndGet("SELECT balance FROM points_accounts").getInt64() == sum);
  BOOST_TEST(file.execAndGet("SELECT sum(remaining) FROM points_lots").getInt64() == sum);
  BOOST_TEST(db.loyalty().account(who, "stars").spendable == sum);
  for (const auto& k : refused_keys) BOOST_TEST(written.count(k) == 0u, k);
  const auto earns = file.execAndGet("SELECT count(*) FROM points_entries WHERE kind = 'earn'").getInt64();
  BOOST_TEST(earns == static_cast<std::int64_t>(workers * ((kRounds + 2) / 3)));
}

BOOST_AUTO_TEST_SUITE_END()
