// Customer analytics through the C ABI on a file database: per-customer
// totals, RFM scores on a constructed base, purchase summaries, a model fit
// on a simulated base with its stored round trip and predictions, and every
// refusal with its code and field. (The model's own numbers are checked
// against the CDNOW reference in tests/cpp/test_clv.cpp and
// tests/python/test_analytics.py.)
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "capi_fixture.hpp"

using namespace capi_test;

namespace {

constexpr std::int64_t kSecond = 1000000;
constexpr std::int64_t kHour = 3600 * kSecond;
constexpr std::int64_t kDay = 24 * kHour;
// Midnight (UTC) of kT0's day, 2026-11-22.
constexpr std::int64_t kMidnight = kT0 - kT0 % kDay;

// TIMESTAMP text of a time in microseconds since the epoch.
std::string ts(std::int64_t micros) {
  const std::time_t seconds = static_cast<std::time_t>(micros / kSecond);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[80];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(micros % kSecond));
  return buf;
}

// Day `d` (relative to kT0's day) at `hour` o'clock UTC.
std::int64_t at(int d, int hour = 12) { return kMidnight + d * kDay + hour * kHour; }

std::string text(const char* p) { return p == nullptr ? std::string("(null)") : std::string(p); }

// A database and a till that records orders.
struct Shop : Db {
  int next_ref = 0;

  json person(const std::string& first, const std::string& last) {
    return create(R"({"first_name":")" + first + R"(","last_name":")" + last + R"("})");
  }
  json buy(const json& customer, std::int64_t placed_at, std::int64_t total, const std::string& currency = "GBP",
           const std::string& status = "completed") {
    const json order = {{"customer", customer["id"]},
                        {"source", "pos"},
                        {"external_ref", "R-" + std::to_string(++next_ref)},
                        {"placed_at", ts(placed_at)},
                        {"currency", currency},
                        {"total", total},
                        {"status", status}};
    const std::string js = order.dump();
    return ok([&](char** o) { return patron_order_record(db, js.c_str(), o); })["order"];
  }

  json stats(const std::string& ref) {
    return ok([&](char** o) { return patron_analytics_stats(db, ref.c_str(), o); });
  }
  std::int64_t recompute(const char* currency, const char* when = nullptr) {
    std::int64_t count = -1;
    const int rc = patron_analytics_recompute_rfm(db, currency, when, &count);
    BOOST_TEST_REQUIRE(rc == PATRON_OK, "recompute_rfm: " << describe_failure(rc));
    return count;
  }
  json rfm(const std::string& ref, const char* currency = "GBP") {
    return ok([&](char** o) { return patron_analytics_rfm(db, ref.c_str(), currency, o); });
  }
  json segment(const char* name, size_t limit = 50, size_t offset = 0, const char* currency = "GBP") {
    return ok([&](char** o) { return patron_analytics_rfm_segment(db, currency, name, limit, offset, o); });
  }
  json summaries(const json& options) {
    const std::string js = options.dump();
    return ok([&](char** o) { return patron_analytics_summaries(db, js.c_str(), o); });
  }
  json fit(const json& options) {
    const std::string js = options.dump();
    return ok([&](char** o) { return patron_analytics_fit_model(db, js.c_str(), o); });
  }
  json latest_fit(const char* currency) {
    return ok([&](char** o) { return patron_analytics_latest_fit(db, currency, o); });
  }
  json predict(const std::string& ref, const json& options) {
    const std::string js = options.dump();
    return ok([&](char** o) { return patron_analytics_predict(db, ref.c_str(), js.c_str(), o); });
  }
  json predict_all(const json& options) {
    const std::string js = options.dump();
    return ok([&](char** o) { return patron_analytics_predict_all(db, js.c_str(), o); });
  }
};

// Requires patron_analytics_recompute_rfm to fail with `code` and `field`,
// setting the count to 0.
void recompute_fails(patron_db* db, const char* currency, const char* when, int code, const std::string& field) {
  std::int64_t count = 77;
  const int rc = patron_analytics_recompute_rfm(db, currency, when, &count);
  BOOST_TEST(rc == code, "expected " << code << ", got " << describe_failure(rc));
  BOOST_TEST(count == 0);
  BOOST_TEST(std::string(patron_errfield()) == field, "errfield '" << patron_errfield() << "' != '" << field << "'");
}

bool close(double a, double b, double rel = 1e-9) {
  return std::fabs(a - b) <= rel * std::max({1.0, std::fabs(a), std::fabs(b)});
}

// Two Prediction documents agree: the same customer, summary and window,
// and the same figures to rounding.
void check_same_prediction(const json& a, const json& b) {
  BOOST_TEST(a["customer"] == b["customer"]);
  BOOST_TEST(a["summary"] == b["summary"], a["summary"].dump() << " vs " << b["summary"].dump());
  for (const char* key : {"probability_alive", "expected_orders", "expected_order_value", "lifetime_value"}) {
    BOOST_TEST(close(a[key].get<double>(), b[key].get<double>()), key << ": " << a[key] << " vs " << b[key]);
  }
  BOOST_TEST(a["next_order_from"] == b["next_order_from"]);
  BOOST_TEST(a["next_order_until"] == b["next_order_until"]);
}

// A base drawn from the BG/NBD story itself with a fixed seed (the generator
// of tests/cpp/test_analytics.cpp): each customer buys at a gamma-distributed
// rate, may drop out after each purchase, and spends per Gamma-Gamma.
// Returns the 60 customers, numbers 00001..00060.
std::vector<json> simulate(Shop& t) {
  std::mt19937_64 rng(42);
  std::gamma_distribution<double> rate(1.5, 1.0 / 40.0);  // purchases per day
  std::gamma_distribution<double> beta_a(1.0, 1.0);
  std::gamma_distribution<double> beta_b(4.0, 1.0);
  std::gamma_distribution<double> spend_scale(4.0, 1.0 / 15.0);  // nu ~ Gamma(q, gamma)
  std::vector<json> people;
  for (int i = 0; i < 60; ++i) {
    people.push_back(t.person("C" + std::to_string(i), "Fit"));
    std::gamma_distribution<double> order_value(6.0, 1.0 / spend_scale(rng));
    auto spend = [&](std::mt19937_64& g) { return static_cast<std::int64_t>(100 * order_value(g)) + 1; };
    const double lambda = rate(rng);
    const double x = beta_a(rng);
    const double dropout = x / (x + beta_b(rng));
    double d = -364.0 + (i % 60);
    t.buy(people.back(), at(static_cast<int>(d)), spend(rng));
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    while (unit(rng) >= dropout) {
      d += -std::log(1.0 - unit(rng)) / lambda;
      if (d >= -1.0) break;
      t.buy(people.back(), at(static_cast<int>(d), 8), spend(rng));
    }
  }
  return people;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(capi_analytics_stats)

BOOST_AUTO_TEST_CASE(totals_per_currency_without_cancelled_orders) {
  Shop t;
  const json ana = t.person("Ana", "Silva");
  t.buy(ana, kT0 - 30 * kDay, 1000);
  t.buy(ana, kT0 - 20 * kDay, 2001);
  t.buy(ana, kT0 - 10 * kDay, 9999, "GBP", "cancelled");
  t.buy(ana, kT0 - 5 * kDay - kHour, 500, "eur", "created");
  const json expected = {
      {"customer", ana["id"]},
      {"orders", 3},
      {"by_currency", json::parse(R"([
          {"currency":"EUR","orders":1,"spend":500,"average_order_value":500},
          {"currency":"GBP","orders":2,"spend":3001,"average_order_value":1501}])")},  // 1500.5 rounds up
      {"first_order_at", ts(kT0 - 30 * kDay)},
      {"last_order_at", ts(kT0 - 5 * kDay - kHour)},
      {"days_since_last_order", 5},
  };
  BOOST_TEST(t.stats("00001") == expected, "got " << t.stats("00001").dump());
  BOOST_TEST(t.stats(ana["id"]) == expected);
  // Time passes: whole days since the last order.
  t.now += 2 * kDay;
  BOOST_TEST(t.stats("00001")["days_since_last_order"] == 7);
  // It is in the file.
  t.reopen();
  BOOST_TEST(t.stats("00001")["by_currency"] == expected["by_currency"]);

  const json bo = t.person("Bo", "Berg");
  const json none = {{"customer", bo["id"]},          {"orders", 0},          {"by_currency", json::array()},
                     {"first_order_at", nullptr},     {"last_order_at", nullptr},
                     {"days_since_last_order", nullptr}};
  BOOST_TEST(t.stats(bo["id"]) == none, "got " << t.stats(bo["id"]).dump());

  fails(PATRON_ENOTFOUND, "ref", [&](char** o) { return patron_analytics_stats(t.db, "99999", o); });
  fails(PATRON_EINVAL, "ref", [&](char** o) { return patron_analytics_stats(t.db, "not a ref!", o); });
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(capi_analytics_rfm)

BOOST_AUTO_TEST_CASE(quintiles_and_segments) {
  Shop t;
  // Ten customers: customer i bought i+1 times for 1000*(i+1) each, the last
  // time i days (and an hour) ago, earlier ones 10 days apart.
  std::vector<json> people;
  for (int i = 0; i < 10; ++i) {
    people.push_back(t.person("P" + std::to_string(i), "Person"));
    for (int k = 0; k <= i; ++k) t.buy(people.back(), kT0 - (i + 10 * k) * kDay - kHour, 1000 * (i + 1));
  }
  const json euro = t.person("Euro", "Only");
  t.buy(euro, kT0 - kDay, 100, "EUR");

  BOOST_TEST(t.recompute("gbp") == 10);
  const char* segments[] = {"new_customer",   "new_customer", "potential_loyalist", "potential_loyalist",
                            "need_attention", "need_attention", "at_risk",          "at_risk",
                            "cannot_lose",    "cannot_lose"};
  std::vector<json> scores;
  for (std::size_t i = 0; i < 10; ++i) {
    BOOST_TEST_CONTEXT("customer " << i) {
      const json expected = {{"customer", people[i]["id"]},
                             {"currency", "GBP"},
                             {"recency_days", i},
                             {"frequency", i + 1},
                             {"monetary", 1000 * (i + 1) * (i + 1)},
                             {"recency_score", 1 + 5 * (9 - i) / 10},
                             {"frequency_score", 1 + 5 * i / 10},
                             {"monetary_score", 1 + 5 * i / 10},
                             {"segment", segments[i]},
                             {"computed_at", kT0Text}};
      const json got = t.rfm(people[i]["number"]);
      BOOST_TEST(got == expected, "got " << got.dump());
      scores.push_back(got);
    }
  }
  BOOST_TEST(t.rfm(people[0]["id"], "gbp") == scores[0]);
  // Not computed for EUR yet, nor for a customer without GBP orders.
  BOOST_TEST(t.rfm(people[0]["number"], "EUR") == json(nullptr));
  BOOST_TEST(t.rfm(euro["number"], "GBP") == json(nullptr));

  BOOST_TEST(t.segment("cannot_lose") == json::array({scores[8], scores[9]}));
  BOOST_TEST(t.segment("at_risk", 1, 1) == json::array({scores[7]}));
  BOOST_TEST(t.segment("champions") == json::array());
  BOOST_TEST(t.segment("cannot_lose", 50, 0, "EUR") == json::array());

  // Recomputing replaces the stored scores; `at` moves the computation time
  // and only orders before it count.
  t.now += kHour;
  BOOST_TEST(t.recompute("GBP", ts(kT0 - 5 * kDay).c_str()) == 9);  // P0 had no order before then
  BOOST_TEST(t.rfm(people[0]["number"]) == json(nullptr));
  const json earlier = t.rfm(people[9]["number"]);
  BOOST_TEST(earlier["computed_at"] == ts(kT0 - 5 * kDay));
  BOOST_TEST(earlier["recency_days"] == 4);  // its last order was 9 days and an hour before kT0
  BOOST_TEST(t.recompute("GBP") == 10);
  BOOST_TEST(t.segment("cannot_lose").size() == 2u);
  BOOST_TEST(t.rfm(people[0]["number"])["computed_at"] == ts(kT0 + kHour));
  BOOST_TEST(t.recompute("EUR") == 1);
  // Alone in EUR: scored by mid-rank, a lone customer sits in the middle.
  const json alone = t.rfm(euro["number"], "EUR");
  BOOST_TEST(alone["recency_days"] == 1);
  BOOST_TEST(alone["recency_score"] == 3);
  BOOST_TEST(alone["frequency_score"] == 3);
  BOOST_TEST(alone["segment"] == "need_attention");
  // It is in the file.
  t.reopen();
  BOOST_TEST(t.segment("cannot_lose").size() == 2u);
  BOOST_TEST(t.rfm(people[9]["number"])["computed_at"] == ts(kT0 + kHour));

  // Refusals leave the stored scores alone.
  const json before = t.segment("need_attention");
  recompute_fails(t.db, "XYZ", nullptr, PATRON_EINVAL, "currency");
  recompute_fails(t.db, "pounds", nullptr, PATRON_EINVAL, "currency");
  recompute_fails(t.db, "GBP", "yesterday", PATRON_EINVAL, "at");
  BOOST_TEST(t.segment("need_attention") == before);
  fails(PATRON_EINVAL, "currency", [&](char** o) { return patron_analytics_rfm(t.db, "00001", "XYZ", o); });
  fails(PATRON_ENOTFOUND, "ref", [&](char** o) { return patron_analytics_rfm(t.db, "99999", "GBP", o); });
  fails(PATRON_EINVAL, "segment",
        [&](char** o) { return patron_analytics_rfm_segment(t.db, "GBP", "lost", 10, 0, o); });
  fails(PATRON_EINVAL, "segment",
        [&](char** o) { return patron_analytics_rfm_segment(t.db, "GBP", "At_Risk", 10, 0, o); });
  fails(PATRON_EINVAL, "currency",
        [&](char** o) { return patron_analytics_rfm_segment(t.db, "XYZ", "at_risk", 10, 0, o); });
  fails(PATRON_EINVAL, "limit", [&](char** o) { return patron_analytics_rfm_segment(t.db, "GBP", "at_risk", 0, 0, o); });
  fails(PATRON_EINVAL, "limit",
        [&](char** o) { return patron_analytics_rfm_segment(t.db, "GBP", "at_risk", 1001, 0, o); });
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(capi_analytics_model)

BOOST_AUTO_TEST_CASE(summaries_follow_the_conventions) {
  Shop t;
  const json ana = t.person("Ana", "Silva");
  t.buy(ana, at(-70, 9), 1000);   // first occasion
  t.buy(ana, at(-70, 18), 500);   // same day: same occasion
  t.buy(ana, at(-42), 3000);      // repeat occasion 1
  t.buy(ana, at(-14, 8), 1000);   // repeat occasion 2 (two orders)
  t.buy(ana, at(-14, 20), 2000);
  t.buy(ana, at(-7), 9999, "GBP", "cancelled");  // does not count
  t.buy(ana, at(-1), 5000, "EUR");                // other currency
  const json bo = t.person("Bo", "Berg");
  t.buy(bo, at(-21), 1500);
  t.person("No", "Orders");

  const json weeks = json::array({
      {{"customer", ana["id"]}, {"frequency", 2.0}, {"recency", 8.0}, {"age", 10.0}, {"monetary", 3000.0}},
      {{"customer", bo["id"]}, {"frequency", 0.0}, {"recency", 0.0}, {"age", 3.0}, {"monetary", 0.0}},
  });
  const json got = t.summaries({{"currency", "gbp"}, {"cutoff", ts(at(0, 0))}, {"unit", "weeks"}});
  BOOST_TEST(got == weeks, "got " << got.dump());
  // Defaults: weeks, cut-off now (kT0 is on day 0).
  BOOST_TEST(t.summaries({{"currency", "GBP"}}) == weeks);
  BOOST_TEST(t.summaries({{"currency", "GBP"}, {"cutoff", nullptr}, {"unit", nullptr}}) == weeks);
  const json days = t.summaries({{"currency", "GBP"}, {"cutoff", ts(at(0, 0))}, {"unit", "days"}});
  BOOST_TEST(days[0] ==
             json({{"customer", ana["id"]}, {"frequency", 2.0}, {"recency", 56.0}, {"age", 70.0}, {"monetary", 3000.0}}));
  // The cut-off excludes later orders (and customers without earlier ones).
  const json early = t.summaries({{"currency", "GBP"}, {"cutoff", ts(at(-30, 0))}});
  BOOST_TEST(early == json::array({{{"customer", ana["id"]},
                                    {"frequency", 1.0},
                                    {"recency", 4.0},
                                    {"age", 40.0 / 7.0},
                                    {"monetary", 3000.0}}}),
             "got " << early.dump());
  BOOST_TEST(t.summaries({{"currency", "USD"}}) == json::array());

  auto refused = [&](const char* options, int code, const char* field) {
    BOOST_TEST_CONTEXT("summaries " << options) {
      fails(code, field, [&](char** o) { return patron_analytics_summaries(t.db, options, o); });
    }
  };
  refused(R"({"currency":"GBP","unit":"months"})", PATRON_EINVAL, "unit");
  refused(R"({"currency":"GBP","unit":"Weeks"})", PATRON_EINVAL, "unit");
  refused(R"({"currency":"GBP","unit":7})", PATRON_EINVAL, "unit");
  refused(R"({"currency":"GBP","cutoff":"soon"})", PATRON_EINVAL, "cutoff");
  refused(R"({"currency":"GBP","horizon_days":30})", PATRON_EINVAL, "horizon_days");
  refused(R"({"currency":"XYZ"})", PATRON_EINVAL, "currency");
  refused(R"({})", PATRON_EINVAL, "currency");
  refused(R"({"currency":12})", PATRON_EINVAL, "currency");
  refused(R"(["GBP"])", PATRON_EINVAL, "json");
  refused(R"(GBP)", PATRON_EINVAL, "json");
  refused("", PATRON_EINVAL, "json");
}

BOOST_AUTO_TEST_CASE(fit_store_and_predict) {
  Shop t;
  const std::vector<json> people = simulate(t);
  const json no_orders = t.person("No", "Orders");
  const json prediction_options = {{"currency", "GBP"},    {"at", ts(at(0, 0))},   {"horizon_days", 364},
                                   {"period_days", 28},    {"discount_rate", 0.01}, {"coverage", 0.8}};
  const std::string p_text = prediction_options.dump();

  // Nothing to predict with before a fit.
  BOOST_TEST(t.latest_fit("GBP") == json(nullptr));
  fails(PATRON_EPRECONDITION, "currency",
        [&](char** o) { return patron_analytics_predict(t.db, "00012", p_text.c_str(), o); });
  fails(PATRON_EPRECONDITION, "currency",
        [&](char** o) { return patron_analytics_predict_all(t.db, p_text.c_str(), o); });

  t.now += kHour;
  const json options = {{"currency", "gbp"}, {"cutoff", ts(at(0, 0))}};
  const json fit = t.fit(options);
  BOOST_TEST(fit["id"] == 1);
  BOOST_TEST(fit["currency"] == "GBP");
  BOOST_TEST(fit["unit"] == "weeks");
  BOOST_TEST(fit["cutoff"] == ts(at(0, 0)));
  BOOST_TEST(fit["fitted_at"] == ts(kT0 + kHour));
  BOOST_TEST(fit["customers"] == 60);
  BOOST_TEST(t.summaries(options).size() == 60u);
  for (const char* key : {"r", "alpha", "a", "b"}) {
    BOOST_TEST(fit["bg_nbd"][key].get<double>() > 0, key);
  }
  BOOST_TEST(fit["bg_nbd"]["log_likelihood"].get<double>() < 0);
  for (const char* key : {"p", "q", "gamma"}) {
    BOOST_TEST(fit["gamma_gamma"][key].get<double>() > 0, key);
  }
  BOOST_TEST(fit["gamma_gamma"]["q"].get<double>() > 1);  // a finite expected order value
  BOOST_TEST(fit["gamma_gamma"]["log_likelihood"].is_number());
  BOOST_TEST(fit.size() == 8u);
  BOOST_TEST(fit["bg_nbd"].size() == 5u);
  BOOST_TEST(fit["gamma_gamma"].size() == 4u);

  // The stored fit is the returned one, exactly; also after reopening.
  BOOST_TEST(t.latest_fit("GBP") == fit, "got " << t.latest_fit("GBP").dump() << " vs " << fit.dump());
  BOOST_TEST(t.latest_fit("gbp") == fit);
  BOOST_TEST(t.latest_fit("EUR") == json(nullptr));
  t.reopen();
  BOOST_TEST(t.latest_fit("GBP") == fit);

  // One prediction, and the same customer within predict_all.
  const json one = t.predict("00012", prediction_options);
  BOOST_TEST(one["customer"] == people[11]["id"]);
  const json all = t.predict_all(prediction_options);
  BOOST_TEST_REQUIRE(all.size() == 60u);
  check_same_prediction(all[11], one);
  const json rows = t.summaries(options);
  for (std::size_t i = 0; i < all.size(); ++i) {
    BOOST_TEST_CONTEXT("customer " << i) {
      const json& p = all[i];
      BOOST_TEST(p.size() == 8u);
      BOOST_TEST(p["customer"] == people[i]["id"]);
      // The model's view of the customer is their summary at `at`, in the fit's unit.
      json summary = rows[i];
      summary.erase("customer");
      BOOST_TEST(p["summary"] == summary);
      const double alive = p["probability_alive"];
      BOOST_TEST(alive >= 0.0);
      BOOST_TEST(alive <= 1.0);
      if (p["summary"]["frequency"] == 0.0) BOOST_TEST(alive == 1.0);  // BG/NBD: drop-out follows a purchase
      BOOST_TEST(p["expected_orders"].get<double>() >= 0.0);
      BOOST_TEST(p["expected_order_value"].get<double>() > 0.0);
      BOOST_TEST(p["lifetime_value"].get<double>() >= 0.0);
      BOOST_TEST(p["next_order_from"].get<std::string>() >= ts(at(0, 0)));
      BOOST_TEST(p["next_order_until"].get<std::string>() > p["next_order_from"].get<std::string>());
      check_same_prediction(t.predict(people[i]["number"], prediction_options), p);
    }
  }

  // Defaults: at = now, 365 days, 30-day periods, 1% per period, 80% window.
  const json defaults = t.predict("00012", {{"currency", "GBP"}});
  check_same_prediction(defaults, t.predict("00012", {{"currency", "gbp"},
                                                      {"at", ts(t.now)},
                                                      {"horizon_days", 365},
                                                      {"period_days", 30},
                                                      {"discount_rate", 0.01},
                                                      {"coverage", 0.8}}));
  // One undiscounted period: the lifetime value is expected orders x value.
  const json flat = t.predict("00012", {{"currency", "GBP"}, {"at", ts(at(0, 0))}, {"horizon_days", 364},
                                        {"period_days", 364}, {"discount_rate", 0.0}});
  BOOST_TEST(close(flat["lifetime_value"].get<double>(),
                   flat["expected_orders"].get<double>() * flat["expected_order_value"].get<double>()),
             flat.dump());
  BOOST_TEST(close(flat["expected_orders"].get<double>(), one["expected_orders"].get<double>()));
  // Nothing is expected within no time; a wider window is wider.
  const json now_only = t.predict("00012", {{"currency", "GBP"}, {"at", ts(at(0, 0))}, {"horizon_days", 0}});
  BOOST_TEST(now_only["expected_orders"] == 0.0);
  BOOST_TEST(now_only["lifetime_value"] == 0.0);
  const json wide = t.predict("00012", {{"currency", "GBP"}, {"at", ts(at(0, 0))}, {"coverage", 0.95}});
  BOOST_TEST(wide["next_order_from"].get<std::string>() < one["next_order_from"].get<std::string>());
  BOOST_TEST(wide["next_order_until"].get<std::string>() > one["next_order_until"].get<std::string>());

  // Refusals.
  auto predict_fails = [&](const std::string& ref, const std::string& opts, int code, const char* field) {
    BOOST_TEST_CONTEXT("predict " << ref << " " << opts) {
      fails(code, field, [&](char** o) { return patron_analytics_predict(t.db, ref.c_str(), opts.c_str(), o); });
    }
  };
  const std::string no_orders_number = no_orders["number"];
  predict_fails(no_orders_number, R"({"currency":"GBP"})", PATRON_EPRECONDITION, "ref");
  predict_fails("99999", R"({"currency":"GBP"})", PATRON_ENOTFOUND, "ref");
  predict_fails("00012", R"({"currency":"EUR"})", PATRON_EPRECONDITION, "currency");
  predict_fails("00012", R"({"currency":"XYZ"})", PATRON_EINVAL, "currency");
  predict_fails("00012", R"({})", PATRON_EINVAL, "currency");
  predict_fails("00012", R"({"currency":"GBP","coverage":1.0})", PATRON_EINVAL, "coverage");
  predict_fails("00012", R"({"currency":"GBP","coverage":0})", PATRON_EINVAL, "coverage");
  predict_fails("00012", R"({"currency":"GBP","coverage":"high"})", PATRON_EINVAL, "coverage");
  predict_fails("00012", R"({"currency":"GBP","discount_rate":-0.01})", PATRON_EINVAL, "discount_rate");
  predict_fails("00012", R"({"currency":"GBP","horizon_days":-1})", PATRON_EINVAL, "horizon_days");
  predict_fails("00012", R"({"currency":"GBP","horizon_days":1.5})", PATRON_EINVAL, "horizon_days");
  predict_fails("00012", R"({"currency":"GBP","period_days":0})", PATRON_EINVAL, "period_days");
  predict_fails("00012", R"({"currency":"GBP","at":"now"})", PATRON_EINVAL, "at");
  predict_fails("00012", R"({"currency":"GBP","unit":"days"})", PATRON_EINVAL, "unit");
  predict_fails("00012", R"({"currency":"GBP","horizon":365})", PATRON_EINVAL, "horizon");
  predict_fails("00012", R"({"currency":"GBP")", PATRON_EINVAL, "json");
  const Failure message = fails(PATRON_EINVAL, "horizon_days", [&](char** o) {
    return patron_analytics_predict_all(t.db, R"({"currency":"GBP","horizon_days":-7})", o);
  });
  BOOST_TEST(message.message.find("horizon_days") == 0u, message.message);
  fails(PATRON_EINVAL, "coverage", [&](char** o) {
    return patron_analytics_predict_all(t.db, R"({"currency":"GBP","coverage":1.5})", o);
  });
  fails(PATRON_EPRECONDITION, "currency",
        [&](char** o) { return patron_analytics_predict_all(t.db, R"({"currency":"EUR"})", o); });

  // Fits that cannot be made store nothing.
  auto fit_fails = [&](const char* opts, int code, const char* field) {
    BOOST_TEST_CONTEXT("fit_model " << opts) {
      fails(code, field, [&](char** o) { return patron_analytics_fit_model(t.db, opts, o); });
    }
  };
  fit_fails(R"({"currency":"EUR"})", PATRON_EPRECONDITION, "currency");  // no orders
  fit_fails(R"({"currency":"GBP","cutoff":"2020-01-01T00:00:00Z"})", PATRON_EPRECONDITION, "currency");
  fit_fails(R"({"currency":"GBP","unit":"months"})", PATRON_EINVAL, "unit");
  fit_fails(R"({"currency":"GBP","coverage":0.8})", PATRON_EINVAL, "coverage");
  fit_fails(R"({"currency":"XYZ"})", PATRON_EINVAL, "currency");
  t.buy(no_orders, at(-3), 100, "USD");  // one customer, no repeat purchase: no maximum
  const Failure degenerate = fails(PATRON_EPRECONDITION, "",
                                   [&](char** o) { return patron_analytics_fit_model(t.db, R"({"currency":"USD"})", o); });
  BOOST_TEST(degenerate.message.find("repeat") != std::string::npos, degenerate.message);
  BOOST_TEST(t.latest_fit("USD") == json(nullptr));
  BOOST_TEST(t.latest_fit("EUR") == json(nullptr));
  BOOST_TEST(t.latest_fit("GBP") == fit);

  // Refitting on demand: a new fit becomes the latest, in its own unit.
  t.now += kHour;
  const json daily = t.fit({{"currency", "GBP"}, {"cutoff", ts(at(0, 0))}, {"unit", "days"}});
  BOOST_TEST(daily["id"] == 2);
  BOOST_TEST(daily["unit"] == "days");
  BOOST_TEST(daily["fitted_at"] == ts(kT0 + 2 * kHour));
  BOOST_TEST(t.latest_fit("GBP") == daily);
  // The model is the same whatever the unit: alpha scales with it.
  BOOST_TEST(close(daily["bg_nbd"]["r"].get<double>(), fit["bg_nbd"]["r"].get<double>(), 1e-4));
  BOOST_TEST(close(daily["bg_nbd"]["alpha"].get<double>(), 7 * fit["bg_nbd"]["alpha"].get<double>(), 1e-4));
  const json in_days = t.predict("00012", prediction_options);
  BOOST_TEST(in_days["summary"]["age"].get<double>() == 7 * one["summary"]["age"].get<double>());
  BOOST_TEST(close(in_days["probability_alive"].get<double>(), one["probability_alive"].get<double>(), 1e-4));
}

// Core bug, reported: Analytics::predict names clv::ScoreOptions fields
// ("options.periods") when the horizon holds more than 100,000 periods,
// instead of the option at fault. Remove expected_failures once fixed.
BOOST_AUTO_TEST_CASE(option_limits_name_the_option) {
  Shop t;
  simulate(t);
  t.fit({{"currency", "GBP"}, {"cutoff", ts(at(0, 0))}});
  fails(PATRON_EINVAL, "horizon_days", [&](char** o) {
    return patron_analytics_predict(t.db, "00012", R"({"currency":"GBP","horizon_days":10000000,"period_days":1})", o);
  });
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(capi_analytics_misuse)

BOOST_AUTO_TEST_CASE(null_handle_arguments_and_out_parameters) {
  Shop t;
  t.buy(t.person("Ana", "Silva"), kT0 - kDay, 100);
  patron_db* db = t.db;
  const char* model = R"({"currency":"GBP"})";
  struct Case {
    const char* what;
    std::function<int(char**)> call;
    const char* field;
  };
  const std::vector<Case> cases = {
      {"stats db", [&](char** o) { return patron_analytics_stats(nullptr, "00001", o); }, "db"},
      {"stats ref", [&](char** o) { return patron_analytics_stats(db, nullptr, o); }, "ref"},
      {"rfm db", [&](char** o) { return patron_analytics_rfm(nullptr, "00001", "GBP", o); }, "db"},
      {"rfm ref", [&](char** o) { return patron_analytics_rfm(db, nullptr, "GBP", o); }, "ref"},
      {"rfm currency", [&](char** o) { return patron_analytics_rfm(db, "00001", nullptr, o); }, "currency"},
      {"rfm_segment db", [&](char** o) { return patron_analytics_rfm_segment(nullptr, "GBP", "loyal", 10, 0, o); },
       "db"},
      {"rfm_segment currency",
       [&](char** o) { return patron_analytics_rfm_segment(db, nullptr, "loyal", 10, 0, o); }, "currency"},
      {"rfm_segment segment", [&](char** o) { return patron_analytics_rfm_segment(db, "GBP", nullptr, 10, 0, o); },
       "segment"},
      {"summaries db", [&](char** o) { return patron_analytics_summaries(nullptr, model, o); }, "db"},
      {"summaries options", [&](char** o) { return patron_analytics_summaries(db, nullptr, o); }, "options_json"},
      {"fit_model db", [&](char** o) { return patron_analytics_fit_model(nullptr, model, o); }, "db"},
      {"fit_model options", [&](char** o) { return patron_analytics_fit_model(db, nullptr, o); }, "options_json"},
      {"latest_fit db", [&](char** o) { return patron_analytics_latest_fit(nullptr, "GBP", o); }, "db"},
      {"latest_fit currency", [&](char** o) { return patron_analytics_latest_fit(db, nullptr, o); }, "currency"},
      {"predict db", [&](char** o) { return patron_analytics_predict(nullptr, "00001", model, o); }, "db"},
      {"predict ref", [&](char** o) { return patron_analytics_predict(db, nullptr, model, o); }, "ref"},
      {"predict options", [&](char** o) { return patron_analytics_predict(db, "00001", nullptr, o); },
       "options_json"},
      {"predict_all db", [&](char** o) { return patron_analytics_predict_all(nullptr, model, o); }, "db"},
      {"predict_all options", [&](char** o) { return patron_analytics_predict_all(db, nullptr, o); },
       "options_json"},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.what) {
      const Failure f = fails(PATRON_EMISUSE, c.field, c.call);
      BOOST_TEST(f.message.find("must not be NULL") != std::string::npos, f.message);
      BOOST_TEST(f.message.find("patron_analytics_") == 0u, f.message);
      BOOST_TEST(c.call(nullptr) == PATRON_EMISUSE);
      BOOST_TEST(std::string(patron_errfield()) == "out_json");
    }
  }

  // patron_analytics_recompute_rfm: NULL `at` means now; the rest must be given.
  std::int64_t count = 5;
  BOOST_TEST(patron_analytics_recompute_rfm(nullptr, "GBP", nullptr, &count) == PATRON_EMISUSE);
  BOOST_TEST(text(patron_errfield()) == "db");
  BOOST_TEST(count == 0);
  count = 5;
  BOOST_TEST(patron_analytics_recompute_rfm(db, nullptr, nullptr, &count) == PATRON_EMISUSE);
  BOOST_TEST(text(patron_errfield()) == "currency");
  BOOST_TEST(count == 0);
  BOOST_TEST(patron_analytics_recompute_rfm(db, "GBP", nullptr, nullptr) == PATRON_EMISUSE);
  BOOST_TEST(text(patron_errfield()) == "out_count");
  BOOST_TEST(text(patron_errmsg()).find("patron_analytics_recompute_rfm: out_count must not be NULL") == 0u);
  // Nothing was scored by the refused calls.
  BOOST_TEST(t.rfm("00001") == json(nullptr));
  BOOST_TEST(t.recompute("GBP") == 1);
}

BOOST_AUTO_TEST_SUITE_END()
