// Bad input at the edges of the C++ API (issue 11): nesting of JSON details,
// times outside 0001-9999, money beyond 10^15 and sums that must not
// overflow. Each class has one rule in one place; these tests hold every
// entry point here to it, and show that a refusal writes nothing.
#include <boost/test/unit_test.hpp>
#include <date/date.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <chrono>
#include <random>
#include <array>
#include <cstdint>
#include <limits>
#include <string>

#include "fixture.hpp"
#include "row_count.hpp"

using namespace patron;
using patron::testing::DbFixture;
using patron::testing::expect_error;

namespace {

// {"a":{"a":...{"a":1}...}}, `depth` objects deep.
std::string nested(std::size_t depth) {
  std::string out;
  for (std::size_t i = 0; i < depth; ++i) out += "{\"a\":";
  out += "1";
  out.append(depth, '}');
  return out;
}

// "details" followed by `n` times ".a".
std::string path_of(std::size_t n) {
  std::string out = "details";
  for (std::size_t i = 0; i < n; ++i) out += ".a";
  return out;
}

struct Shop : DbFixture {
  Customer ana = customers().create({.first_name = "Ana", .last_name = "Silva", .email = "ana@example.com"});

  NewOrder order(std::string ref, std::int64_t total = 4200) {
    NewOrder o;
    o.customer.ref = ana.number;
    o.source = "pos";
    o.external_ref = std::move(ref);
    o.currency = "gbp";
    o.total = total;
    return o;
  }
  NewEvent event(std::string details) {
    NewEvent e;
    e.customer_ref = ana.number;
    e.action = "test.nested";
    e.summary = "Nested details";
    e.details = std::move(details);
    return e;
  }
  int rows(const char* table) { return patron::testing::count_rows(path, table); }
};

Timestamp ymd(int y, unsigned m, unsigned d) {
  return Timestamp{std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}}};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(time_range)

BOOST_AUTO_TEST_CASE(times_and_dates_are_written_as_date_writes_them_and_read_back) {
  // format_timestamp and format_date are written by hand for speed: the same
  // text as Howard Hinnant's date::format over the whole range.
  std::mt19937_64 rng(7);
  const std::int64_t lo = to_micros(kEarliestTime), hi = to_micros(kLatestTime);
  std::uniform_int_distribution<std::int64_t> any(lo, hi);
  for (int i = 0; i < 100000; ++i) {
    const Timestamp t = from_micros(i < 4 ? std::array<std::int64_t, 4>{lo, hi, 0, 1}[static_cast<std::size_t>(i)] : any(rng));
    const std::string text = format_timestamp(t);
    BOOST_TEST_REQUIRE(text == date::format("%FT%TZ", t));
    BOOST_TEST_REQUIRE(parse_timestamp(text, "t") == t);
    const Date d{std::chrono::floor<std::chrono::days>(t)};
    BOOST_TEST_REQUIRE(format_date(d) == date::format("%F", date::sys_days{std::chrono::sys_days{d}.time_since_epoch()}));
  }
}

BOOST_AUTO_TEST_CASE(the_range_is_years_0001_to_9999) {
  BOOST_TEST(format_timestamp(kEarliestTime) == "0001-01-01T00:00:00.000000Z");
  BOOST_TEST(format_timestamp(kLatestTime) == "9999-12-31T23:59:59.999999Z");
  BOOST_TEST(in_time_range(kEarliestTime));
  BOOST_TEST(in_time_range(kLatestTime));
  BOOST_TEST(!in_time_range(kEarliestTime - std::chrono::microseconds{1}));
  BOOST_TEST(!in_time_range(kLatestTime + std::chrono::microseconds{1}));
  BOOST_TEST(clamp_time(ymd(0, 6, 1)) == kEarliestTime);
  BOOST_TEST(clamp_time(ymd(12000, 1, 1)) == kLatestTime);
  BOOST_TEST(add_saturating(kLatestTime - std::chrono::hours{1}, 1e30) == kLatestTime);
  BOOST_TEST(add_saturating(kEarliestTime, -1e30) == kEarliestTime);
  BOOST_TEST(add_saturating(kEarliestTime, std::numeric_limits<double>::quiet_NaN()) == kEarliestTime);
  BOOST_TEST(add_saturating(ymd(2026, 1, 1), 86'400e6) == ymd(2026, 1, 2));
}

BOOST_AUTO_TEST_CASE(parsing_refuses_what_lies_outside) {
  BOOST_TEST(parse_timestamp("0001-01-01T00:00:00Z", "at") == kEarliestTime);
  BOOST_TEST(parse_timestamp("9999-12-31T23:59:59.999999Z", "at") == kLatestTime);
  const std::string rule = "must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999999Z";
  for (const char* text : {"0000-06-01T00:00:00Z", "0000-12-31T23:59:59.999999Z", "-001-06-01T00:00:00Z",
                           "0001-01-01T00:30:00+01:00", "9999-12-31T23:30:00-01:00"}) {
    BOOST_TEST_CONTEXT(text) { expect_error([&] { parse_timestamp(text, "at"); }, Errc::invalid_argument, "at", rule); }
  }
  // Read by hand, strictly: the texts on which date::parse had undefined
  // behaviour (a dangling offset sign; a format failing after its date) and
  // every other malformed shape are refused.
  BOOST_TEST(parse_timestamp("2026-11-22T06:54:45.5+01:00", "at") == parse_timestamp("2026-11-22T05:54:45.5Z", "at"));
  BOOST_TEST(parse_timestamp("2026-11-22 05:54:45Z", "at") == parse_timestamp("2026-11-22T05:54:45", "at"));
  for (const char* text : {"10000-01-01T00:00:00Z", "x", "", "2026-05-22T05:54:40-", "2026-13-01T00:00:00Z",
                           "2026-02-30T00:00:00Z", "2026-11-22D06:00:00Z", "2026-11-22 05:54:45",
                           "2026-11-22T05:54:45.1234567Z", "2026-11-22T24:00:00Z", "2026-11-22T05:54:45+0100",
                           "2026-11-22T05:54:45Zx", "2026-11-22T05:54:45.",
                           "2026-11-22T05:54:45.99999999999999999999999999Z"}) {
    BOOST_TEST_CONTEXT(text) { expect_error([&] { parse_timestamp(text, "at"); }, Errc::invalid_argument, "at"); }
  }
  BOOST_TEST(format_date(parse_date("0001-01-01", "dob")) == "0001-01-01");
  expect_error([] { parse_date("0000-01-01", "dob"); }, Errc::invalid_argument, "dob",
               "must be between 0001-01-01 and 9999-12-31");
  expect_error([] { checked_date(std::chrono::year{-5} / 1 / 1, "d"); }, Errc::invalid_argument, "d",
               "must be between 0001-01-01 and 9999-12-31");
  expect_error([] { checked_date(std::chrono::year{2026} / 2 / 30, "d"); }, Errc::invalid_argument, "d",
               "not a calendar date");
}

BOOST_FIXTURE_TEST_CASE(every_time_a_service_takes_is_checked, Shop) {
  const Timestamp year0 = ymd(0, 6, 1);
  const auto orders_before = rows("orders");
  NewOrder o = order("T-1");
  o.placed_at = year0;
  expect_error([&] { db.orders().record(o); }, Errc::invalid_argument, "placed_at");
  o.placed_at.reset();
  o.payments = {Payment{.amount = 100, .method = "card", .at = ymd(10000, 1, 1)}};
  expect_error([&] { db.orders().record(o); }, Errc::invalid_argument, "payments[0].at");
  BOOST_TEST(rows("orders") == orders_before);

  NewBooking b;
  b.customer.ref = ana.number;
  b.source = "spa";
  b.external_ref = "B-1";
  b.service = "massage";
  b.starts_at = year0;
  b.ends_at = year0 + std::chrono::hours{1};
  expect_error([&] { db.bookings().record(b); }, Errc::invalid_argument, "starts_at");

  const auto events_before = rows("events");
  NewEvent e = event("{}");
  e.at = year0;
  expect_error([&] { db.activity().record(e); }, Errc::invalid_argument, "at");
  expect_error([&] { db.activity().record_many({event("{}"), e}); }, Errc::invalid_argument, "[1].at");
  BOOST_TEST(rows("events") == events_before);

  const Plan plan = db.memberships().create_plan({.name = "Gym"});
  expect_error([&] { db.memberships().add({.plan = plan.id, .customer_ref = ana.number, .ends_at = ymd(-3, 1, 1)}); },
               Errc::invalid_argument, "ends_at");
  expect_error([&] { db.visits().record(ana.number, "spa", std::nullopt, ymd(10001, 1, 1)); },
               Errc::invalid_argument, "at");
  // The host's clock too: nothing is stamped with a time outside the range.
  const std::int64_t kept = clock.micros->load();
  clock.micros->store(to_micros(kLatestTime) + 1);
  expect_error([&] { customers().create({.first_name = "Late", .last_name = "Clock"}); }, Errc::invalid_argument,
               "clock");
  clock.micros->store(kept);
  // A query's time too, before it reaches the store.
  expect_error([&] { db.analytics().recompute_rfm("GBP", year0); }, Errc::invalid_argument, "at");
}

BOOST_FIXTURE_TEST_CASE(computed_times_saturate_at_the_end_of_the_range, Shop) {
  // A monthly subscription starting in the last month of 9999: its first
  // period would end in year 10000; it ends at the last moment patron has.
  const Plan monthly = db.memberships().create_plan(
      {.name = "Monthly", .kind = PlanKind::subscription, .billing_period = BillingPeriod::monthly});
  const Membership m =
      db.memberships().add({.plan = monthly.id, .customer_ref = ana.number, .starts_at = ymd(9999, 12, 15)});
  BOOST_TEST_REQUIRE(m.ends_at.has_value());
  BOOST_TEST(*m.ends_at == kLatestTime);
  BOOST_TEST(*m.ends_at > m.starts_at);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(json_nesting)

BOOST_FIXTURE_TEST_CASE(details_nest_at_most_64_levels, Shop) {
  const auto before = rows("events");
  const Event kept = db.activity().record(event(nested(64)));
  BOOST_TEST(kept.details == nested(64));
  expect_error([&] { db.activity().record(event(nested(65))); }, Errc::invalid_argument, path_of(64),
               "nested deeper than 64 levels");
  // Arrays count as levels too; the path names the element. 30,000 levels
  // fit in 60 KB, under the size limit: refused at level 65, the rest unread.
  std::string elements = "details.a";
  for (int i = 0; i < 63; ++i) elements += "[0]";
  for (const std::size_t depth : {70u, 30000u}) {
    const std::string arrays = "{\"a\":" + std::string(depth, '[') + std::string(depth, ']') + "}";
    expect_error([&] { db.activity().record(event(arrays)); }, Errc::invalid_argument, elements);
  }
  BOOST_TEST(rows("events") == before + 1);
  // What was kept reads back whole.
  const auto page = db.activity().timeline(ana.number);
  BOOST_TEST(page.events.front().details == nested(64));
}

BOOST_FIXTURE_TEST_CASE(numbers_out_of_range_are_refused_naming_the_place, Shop) {
  expect_error([&] { db.activity().record(event(R"({"x":{"y":[1,2,1e400]}})")); }, Errc::invalid_argument,
               "details.x.y[2]", "number out of range");
  expect_error([&] { db.activity().record(event(R"({"x":)")); }, Errc::invalid_argument, "details",
               "not valid JSON");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(money)

BOOST_FIXTURE_TEST_CASE(every_amount_is_at_most_10_to_the_15, Shop) {
  const auto before = rows("orders");
  expect_error([&] { db.orders().record(order("M-1", kMaxMoney + 1)); }, Errc::invalid_argument, "total",
               "must be 0 to 10^15 minor units");
  expect_error([&] { db.orders().record(order("M-1", -1)); }, Errc::invalid_argument, "total");
  NewOrder o = order("M-1");
  o.items = {OrderItem{"Gold", 1'000'000, 1'000'000'000'000, ""}};  // each bounded, the line 10^18
  expect_error([&] { db.orders().record(o); }, Errc::invalid_argument, "items[0].amount");
  o.items = {OrderItem{"Gold", 1'000'001, 1, ""}};
  expect_error([&] { db.orders().record(o); }, Errc::invalid_argument, "items[0].quantity", "1 to 10^6");
  o.items = {OrderItem{"Gold", 1, std::numeric_limits<std::int64_t>::max(), ""}};
  expect_error([&] { db.orders().record(o); }, Errc::invalid_argument, "items[0].unit_price");
  o.items.clear();
  o.payments = {Payment{.amount = kMaxMoney, .method = "card"}, Payment{.amount = 1, .method = "card"}};
  expect_error([&] { db.orders().record(o); }, Errc::invalid_argument, "payments");
  o.payments = {Payment{.amount = kMaxMoney + 1, .method = "card"}};
  expect_error([&] { db.orders().record(o); }, Errc::invalid_argument, "payments[0].amount");
  o.payments.clear();
  o.paid = std::numeric_limits<std::int64_t>::max();
  expect_error([&] { db.orders().record(o); }, Errc::invalid_argument, "paid");
  BOOST_TEST(rows("orders") == before);

  NewOrder full = order("M-2", kMaxMoney);
  full.paid = kMaxMoney;
  const Order kept = db.orders().record(full).record;
  expect_error([&] { db.orders().add_payment(kept.id, Payment{.amount = 1, .method = "cash"}); },
               Errc::invalid_argument, "payment.amount", "would pass 10^15");
  BOOST_TEST(db.orders().get(kept.id).paid == kMaxMoney);
}

BOOST_FIXTURE_TEST_CASE(sums_never_overflow, Shop) {
  db.orders().record(order("S-1", kMaxMoney));
  db.orders().record(order("S-2", kMaxMoney));
  const auto stats = db.analytics().stats(ana.number);
  BOOST_TEST_REQUIRE(stats.by_currency.size() == 1u);
  BOOST_TEST(stats.by_currency[0].spend == 2 * kMaxMoney);
  BOOST_TEST(stats.by_currency[0].average_order_value == kMaxMoney);

  // Rows written before the bound (a file from an older patron): two totals of
  // 2^63 - 1 used to make stats and RFM fail for the whole currency with
  // SQLite's "integer overflow". They now saturate.
  {
    SQLite::Database raw(path, SQLite::OPEN_READWRITE);
    raw.exec("UPDATE orders SET total = 9223372036854775807");
  }
  const auto saturated = db.analytics().stats(ana.number);
  BOOST_TEST(saturated.by_currency[0].spend == std::numeric_limits<std::int64_t>::max());
  BOOST_TEST(saturated.by_currency[0].average_order_value == std::numeric_limits<std::int64_t>::max() / 2 + 1);
  clock.advance(std::chrono::hours{1});  // RFM counts orders placed before now
  BOOST_TEST(db.analytics().recompute_rfm("GBP") == 1);
  BOOST_TEST(db.analytics().rfm(ana.number, "GBP")->monetary == std::numeric_limits<std::int64_t>::max());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(error_text)

BOOST_AUTO_TEST_CASE(messages_and_fields_are_printable_utf8) {
  const Error e(Errc::invalid_argument, std::string("a\xFF" "b: caf\xC3\xA9 \x01 \x7F", 14) + std::string(1, '\0') + "!",
                std::string("k\xC0\xAF", 3));
  BOOST_TEST(std::string(e.what()) == "a\xEF\xBF\xBD" "b: caf\xC3\xA9 \\u0001 \\u007f\\u0000!");
  BOOST_TEST(e.field() == "k\xEF\xBF\xBD\xEF\xBF\xBD");  // an overlong form: two bytes, neither valid
  const Error plain(Errc::not_found, "ref: no customer 'ANA-01'", "ref");
  BOOST_TEST(std::string(plain.what()) == "ref: no customer 'ANA-01'");
  BOOST_TEST(plain.field() == "ref");
}

BOOST_AUTO_TEST_SUITE_END()
