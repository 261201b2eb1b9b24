// Analytics over orders: per-customer totals, RFM, and the predictive model
// fitted from the database (the model's own numbers are in test_clv).
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <fstream>
#include <random>
#include <sstream>

#include "fixture.hpp"

using namespace patron;
using patron::testing::DbFixture;
using patron::testing::expect_error;

namespace {

Timestamp day(int d, int hour = 12) {
  return from_micros(patron::testing::kStartMicros) + std::chrono::days(d) + std::chrono::hours(hour) -
         std::chrono::hours(10);
}

struct Shop : DbFixture {
  int next_ref = 0;
  Customer make(std::string first, std::string last) {
    return customers().create({.first_name = std::move(first), .last_name = std::move(last)});
  }
  Order buy(const Customer& c, Timestamp at, std::int64_t total, std::string currency = "GBP",
            OrderStatus status = OrderStatus::completed) {
    NewOrder o;
    o.customer.ref = c.number;
    o.source = "pos";
    o.external_ref = "R-" + std::to_string(++next_ref);
    o.placed_at = at;
    o.currency = std::move(currency);
    o.total = total;
    o.status = status;
    return db.orders().record(o).record;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(stats, Shop)

BOOST_AUTO_TEST_CASE(totals_per_currency_without_cancelled_orders) {
  const auto ana = make("Ana", "Silva");
  buy(ana, day(-30), 1000);
  buy(ana, day(-20), 2001);
  buy(ana, day(-10), 9999, "GBP", OrderStatus::cancelled);
  buy(ana, day(-5), 500, "EUR");
  const auto s = db.analytics().stats(ana.number);
  BOOST_TEST(s.customer == ana.id);
  BOOST_TEST(s.orders == 3);
  BOOST_TEST_REQUIRE(s.by_currency.size() == 2u);
  BOOST_TEST(s.by_currency[0].currency == "EUR");
  BOOST_TEST(s.by_currency[1].currency == "GBP");
  BOOST_TEST(s.by_currency[1].orders == 2);
  BOOST_TEST(s.by_currency[1].spend == 3001);
  BOOST_TEST(s.by_currency[1].average_order_value == 1501);  // 1500.5 rounds half away from zero
  BOOST_TEST(*s.first_order_at == day(-30));
  BOOST_TEST(*s.last_order_at == day(-5));
  BOOST_TEST(*s.days_since_last_order == 4);  // clock at day 0 10:00, last order day -5 12:00

  const auto bo = make("Bo", "Berg");
  const auto none = db.analytics().stats(bo.id.str());
  BOOST_TEST(none.orders == 0);
  BOOST_TEST(none.by_currency.empty());
  BOOST_TEST(!none.days_since_last_order.has_value());
  expect_error([&] { db.analytics().stats("99999"); }, Errc::not_found, "ref");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(rfm, Shop)

BOOST_AUTO_TEST_CASE(quintiles_and_segments) {
  // Ten customers: customer i bought i+1 times, the last time i days ago.
  std::vector<Customer> people;
  for (int i = 0; i < 10; ++i) {
    people.push_back(make("P" + std::to_string(i), "Person"));
    for (int k = 0; k <= i; ++k) buy(people.back(), day(-i - 10 * k, 8), 1000 * (i + 1));
  }
  const auto euro = make("Euro", "Only");
  buy(euro, day(-1), 100, "EUR");
  BOOST_TEST(db.analytics().recompute_rfm("EUR") == 1);
  const auto alone = db.analytics().rfm(euro.number, "EUR").value();  // mid-rank: a lone customer is in the middle
  BOOST_TEST(alone.recency_score == 3);
  BOOST_TEST(alone.frequency_score == 3);
  BOOST_TEST(alone.monetary_score == 3);
  BOOST_TEST_REQUIRE(db.analytics().recompute_rfm("gbp") == 10);
  const auto newest = db.analytics().rfm(people[0].number, "GBP").value();
  BOOST_TEST(newest.recency_days == 0);
  BOOST_TEST(newest.frequency == 1);
  BOOST_TEST(newest.monetary == 1000);
  BOOST_TEST(newest.recency_score == 5);
  BOOST_TEST(newest.frequency_score == 1);
  BOOST_TEST(newest.monetary_score == 1);
  BOOST_TEST(to_string(newest.segment) == "new_customer");
  BOOST_TEST(newest.computed_at == clock.now());
  const auto oldest = db.analytics().rfm(people[9].number, "GBP").value();
  BOOST_TEST(oldest.recency_days == 9);
  BOOST_TEST(oldest.frequency == 10);
  BOOST_TEST(oldest.recency_score == 1);
  BOOST_TEST(oldest.frequency_score == 5);
  BOOST_TEST(oldest.monetary_score == 5);
  BOOST_TEST(to_string(oldest.segment) == "cannot_lose");
  const auto middle = db.analytics().rfm(people[5].number, "GBP").value();
  BOOST_TEST(middle.recency_score == 3);
  BOOST_TEST(middle.frequency_score == 3);
  BOOST_TEST(to_string(middle.segment) == "need_attention");
  BOOST_TEST(!db.analytics().rfm(people[0].number, "EUR").has_value());  // not computed for EUR
  const auto lost = db.analytics().rfm_segment("GBP", RfmSegment::cannot_lose);
  BOOST_TEST_REQUIRE(lost.size() == 2u);  // people 8 and 9
  BOOST_TEST(lost[0].customer == people[8].id);
  // Recomputing replaces, it does not add.
  BOOST_TEST(db.analytics().recompute_rfm("GBP") == 10);
  BOOST_TEST(db.analytics().rfm_segment("GBP", RfmSegment::cannot_lose).size() == 2u);
  expect_error([&] { db.analytics().recompute_rfm("XYZ"); }, Errc::invalid_argument, "currency");
}

BOOST_AUTO_TEST_CASE(segment_grid) {
  BOOST_TEST(to_string(rfm_segment(5, 5)) == "champions");
  BOOST_TEST(to_string(rfm_segment(4, 5)) == "loyal");
  BOOST_TEST(to_string(rfm_segment(3, 4)) == "loyal");
  BOOST_TEST(to_string(rfm_segment(5, 2)) == "potential_loyalist");
  BOOST_TEST(to_string(rfm_segment(4, 1)) == "promising");
  BOOST_TEST(to_string(rfm_segment(3, 1)) == "about_to_sleep");
  BOOST_TEST(to_string(rfm_segment(2, 4)) == "at_risk");
  BOOST_TEST(to_string(rfm_segment(1, 2)) == "hibernating");
  BOOST_TEST(to_string(parse_rfm_segment("at_risk")) == "at_risk");
  expect_error([] { parse_rfm_segment("lost"); }, Errc::invalid_argument, "segment");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(model, Shop)

BOOST_AUTO_TEST_CASE(summaries_follow_the_conventions) {
  const auto ana = make("Ana", "Silva");
  buy(ana, day(-70, 9), 1000);   // first occasion
  buy(ana, day(-70, 18), 500);   // same day: same occasion
  buy(ana, day(-42), 3000);      // repeat occasion 1
  buy(ana, day(-14, 8), 1000);   // repeat occasion 2 (two orders)
  buy(ana, day(-14, 20), 2000);
  buy(ana, day(-7), 9999, "GBP", OrderStatus::cancelled);  // does not count
  buy(ana, day(-1), 5000, "EUR");                          // other currency
  const auto bo = make("Bo", "Berg");
  buy(bo, day(-21), 1500);
  const auto rows = db.analytics().summaries({.currency = "GBP", .cutoff = day(0, 0)});
  BOOST_TEST_REQUIRE(rows.size() == 2u);
  BOOST_TEST(rows[0].first == ana.id);
  const auto& s = rows[0].second;
  BOOST_TEST(s.frequency == 2.0);
  BOOST_TEST(s.recency == 8.0);   // 56 days in weeks
  BOOST_TEST(s.age == 10.0);      // 70 days in weeks
  BOOST_TEST(s.monetary == 3000.0);  // (3000 + 3000) / 2
  BOOST_TEST(rows[1].second.frequency == 0.0);
  BOOST_TEST(rows[1].second.age == 3.0);
  const auto in_days = db.analytics().summaries({.currency = "GBP", .cutoff = day(0, 0), .unit = TimeUnit::days});
  BOOST_TEST(in_days[0].second.age == 70.0);
  // The cut-off excludes later orders.
  BOOST_TEST(db.analytics().summaries({.currency = "GBP", .cutoff = day(-30, 0)})[0].second.frequency == 1.0);
}

BOOST_AUTO_TEST_CASE(fit_store_and_predict) {
  // A base drawn from the BG/NBD story itself (fixed seed): each customer
  // buys at a gamma-distributed rate and may drop out after each purchase.
  std::mt19937_64 rng(42);
  std::gamma_distribution<double> rate(1.5, 1.0 / 40.0);  // purchases per day
  std::gamma_distribution<double> beta_a(1.0, 1.0);
  std::gamma_distribution<double> beta_b(4.0, 1.0);
  std::gamma_distribution<double> spend_scale(4.0, 1.0 / 15.0);  // Gamma-Gamma: nu ~ Gamma(q, gamma)
  for (int i = 0; i < 60; ++i) {
    const auto c = make("C" + std::to_string(i), "Fit");
    std::gamma_distribution<double> order_value(6.0, 1.0 / spend_scale(rng));
    auto spend = [&](std::mt19937_64& g) { return static_cast<std::int64_t>(100 * order_value(g)) + 1; };
    const double lambda = rate(rng);
    const double x = beta_a(rng);
    const double dropout = x / (x + beta_b(rng));
    double t = -364.0 + (i % 60);
    buy(c, day(static_cast<int>(t)), spend(rng));
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    while (unit(rng) >= dropout) {
      t += -std::log(1.0 - unit(rng)) / lambda;
      if (t >= -1.0) break;
      buy(c, day(static_cast<int>(t), 8), spend(rng));
    }
  }
  expect_error([&] { db.analytics().predict("00001", {.currency = "GBP"}); }, Errc::failed_precondition, "currency",
               "no model");
  const ModelOptions options{.currency = "gbp", .cutoff = day(0, 0)};
  const auto fit = db.analytics().fit_model(options);
  BOOST_TEST(fit.id > 0);
  BOOST_TEST(fit.currency == "GBP");
  BOOST_TEST(fit.customers == 60);
  BOOST_TEST(fit.fitted_at == clock.now());
  BOOST_TEST(fit.cutoff == day(0, 0));
  // The stored fit is the model's own fit of the same summaries.
  std::vector<clv::Summary> all;
  std::vector<clv::Summary> spenders;
  for (const auto& [id, s] : db.analytics().summaries(options)) {
    all.push_back(s);
    if (s.frequency > 0) spenders.push_back(s);
  }
  BOOST_TEST((fit.bg_nbd == clv::fit_bg_nbd(all)));
  BOOST_TEST((fit.gamma_gamma == clv::fit_gamma_gamma(spenders)));
  BOOST_TEST((*db.analytics().latest_fit("GBP") == fit));
  BOOST_TEST(!db.analytics().latest_fit("EUR").has_value());

  // A prediction is the model's functions on the customer's summary at `at`.
  const PredictionOptions p{.currency = "GBP", .at = day(0, 0), .horizon = std::chrono::days(364),
                            .period = std::chrono::days(28), .discount_rate = 0.01, .coverage = 0.8};
  const auto pred = db.analytics().predict("00012", p);
  const auto& s = pred.summary;
  BOOST_TEST(pred.probability_alive == clv::probability_alive(fit.bg_nbd, s), boost::test_tools::tolerance(1e-9));
  BOOST_TEST(pred.expected_orders == clv::expected_orders(fit.bg_nbd, s, 52.0), boost::test_tools::tolerance(1e-9));
  BOOST_TEST(pred.lifetime_value == clv::customer_lifetime_value(fit.bg_nbd, fit.gamma_gamma, s, 13, 4.0, 0.01),
             boost::test_tools::tolerance(1e-9));
  const auto window = clv::next_order_interval(fit.bg_nbd, s, 0.8);
  const auto expected_from = to_micros(day(0, 0)) + static_cast<std::int64_t>(window.low * 7 * 86400e6);
  BOOST_TEST(std::llabs(to_micros(pred.next_order_from) - expected_from) <= 1);
  BOOST_TEST(pred.next_order_until > pred.next_order_from);
  const auto all_predictions = db.analytics().predict_all(p);
  BOOST_TEST(all_predictions.size() == 60u);
  BOOST_TEST(all_predictions[11].customer == pred.customer);
  BOOST_TEST(all_predictions[11].lifetime_value == pred.lifetime_value, boost::test_tools::tolerance(1e-9));

  const auto nobody = make("No", "Orders");
  expect_error([&] { db.analytics().predict(nobody.number, p); }, Errc::failed_precondition, "ref");
  expect_error([&] { db.analytics().predict("00012", {.currency = "GBP", .coverage = 1.0}); }, Errc::invalid_argument,
               "coverage");
  expect_error(
      [&] {
        db.analytics().predict("00012", {.currency = "GBP", .horizon = std::chrono::days(10'000'000),
                                         .period = std::chrono::days(1)});
      },
      Errc::invalid_argument, "horizon");
  expect_error([&] { db.analytics().predict("00012", {.currency = "GBP", .discount_rate = INFINITY}); },
               Errc::invalid_argument, "discount_rate");
  expect_error([&] { db.analytics().fit_model({.currency = "EUR"}); }, Errc::failed_precondition, "currency");
}

BOOST_AUTO_TEST_SUITE_END()
