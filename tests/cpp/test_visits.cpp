// Visits: recording for a customer (with their credential or none) and from
// a presented token (the credential verdicts of identify_credential), the
// refusals and what they leave behind, counting and listing with filters
// and pages, per place across customers, and the visit.recorded event.
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <nlohmann/json.hpp>

#include "fixture.hpp"
#include "row_count.hpp"

using namespace patron;
using namespace std::chrono_literals;
using patron::testing::count_rows;
using patron::testing::DbFixture;
using patron::testing::expect_error;
using Json = nlohmann::json;

namespace {

struct VisitFixture : DbFixture {
  Customer ana = customers().create({.first_name = "Ana", .last_name = "Silva", .email = "ana@example.com"});
  Customer bob = customers().create({.first_name = "Bob", .last_name = "Jones", .email = "bob@example.com"});
  Visits& visits() { return db.visits(); }
  Credential card(const Customer& who, std::string value) {
    return db.credentials().issue(
        {.kind = CredentialKind::key_fob, .value = std::move(value), .customer_ref = who.number});
  }
  std::vector<int> rows() { return {count_rows(path, "visits"), count_rows(path, "events")}; }
};

std::vector<std::int64_t> ids(const std::vector<Visit>& visits) {
  std::vector<std::int64_t> out;
  for (const auto& v : visits) out.push_back(v.id);
  return out;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(visits, VisitFixture)

BOOST_AUTO_TEST_CASE(a_visit_is_recorded_for_a_customer) {
  const Timestamp t0 = clock.now();
  const Visit v = visits().record(ana.number, "spa");
  BOOST_TEST(v.id > 0);
  BOOST_TEST(v.customer == ana.id);
  BOOST_TEST(v.place == "spa");
  BOOST_TEST(!v.credential.has_value());
  BOOST_TEST(v.at == t0);

  const Credential fob = card(ana, "FOB-1");
  const Visit with = visits().record(ana.id.str(), "front-gate/2", fob.id, t0 - 1h);
  BOOST_TEST(with.credential.value() == fob.id);
  BOOST_TEST(with.at == t0 - 1h);
  BOOST_TEST((visits().list(ana.number) == std::vector<Visit>{v, with}));  // newest first
  BOOST_TEST(visits().count(ana.number) == 2);
  BOOST_TEST(visits().count(bob.number) == 0);
  BOOST_TEST(visits().list(bob.number).empty());
}

BOOST_AUTO_TEST_CASE(a_presented_token_records_a_visit_when_its_credential_is_accepted) {
  const Timestamp t = clock.now();
  const Credential fob = db.credentials().issue({.kind = CredentialKind::key_fob,
                                                 .value = "FOB-9",
                                                 .customer_ref = ana.number,
                                                 .valid_from = t,
                                                 .valid_until = t + 1h});
  const Visit v = visits().record_presented(" FOB-9 ", "spa");
  BOOST_TEST(v.customer == ana.id);
  BOOST_TEST(v.credential.value() == fob.id);
  BOOST_TEST(v.place == "spa");
  BOOST_TEST(v.at == t);
  // Judged at the time given.
  BOOST_TEST(visits().record_presented("FOB-9", "spa", t + 1h - 1us).at == t + 1h - 1us);

  const auto before = rows();
  const auto refused_because = [&](std::string_view token, const std::string& verdict,
                                   std::optional<Timestamp> at = {}) {
    expect_error([&] { visits().record_presented(token, "spa", at); }, Errc::failed_precondition, "token", verdict);
  };
  refused_because("NO-SUCH-FOB", "unknown");
  refused_because(ana.number, "unknown");  // a customer number is not a credential
  refused_because("FOB-9", "not_yet_valid", t - 1us);
  refused_because("FOB-9", "expired", t + 1h);
  db.credentials().set_status(fob.id, CredentialStatus::blocked);
  const auto blocked_rows = rows();
  refused_because("FOB-9", "blocked");
  clock.advance(1s);
  db.credentials().set_status(fob.id, CredentialStatus::lost);
  const auto lost_rows = rows();
  refused_because("FOB-9", "lost");
  clock.advance(1s);
  db.credentials().replace(fob.id, {.value = "FOB-10"});
  const auto replaced_rows = rows();
  refused_because("FOB-9", "replaced");
  BOOST_TEST((rows() == replaced_rows));
  BOOST_TEST(blocked_rows[0] == before[0]);
  BOOST_TEST(lost_rows[0] == before[0]);
  BOOST_TEST(count_rows(path, "visits") == 2);

  expect_error([&] { visits().record_presented("", "spa"); }, Errc::invalid_argument, "token");
  expect_error([&] { visits().record_presented("\xc3(", "spa"); }, Errc::invalid_argument, "token");
  expect_error([&] { visits().record_presented("FOB-10", ""); }, Errc::invalid_argument, "place");
  expect_error([&] { visits().record_presented("FOB-10", "the spa"); }, Errc::invalid_argument, "place");
  BOOST_TEST((rows() == replaced_rows));
  // The successor works.
  BOOST_TEST(visits().record_presented("FOB-10", "spa").customer == ana.id);
}

BOOST_AUTO_TEST_CASE(record_refusals_name_the_field_and_leave_nothing) {
  const Credential bobs = card(bob, "FOB-B");
  const auto before = rows();
  expect_error([&] { visits().record(ana.number, "spa", bobs.id); }, Errc::not_found, "credential");
  expect_error([&] { visits().record(ana.number, "spa", bobs.id + 100); }, Errc::not_found, "credential");
  expect_error([&] { visits().record("00999", "spa"); }, Errc::not_found, "ref");
  expect_error([&] { visits().record("x", "spa"); }, Errc::invalid_argument, "ref");
  expect_error([&] { visits().record(ana.number, ""); }, Errc::invalid_argument, "place");
  expect_error([&] { visits().record(ana.number, std::string(65, 'p')); }, Errc::invalid_argument, "place");
  expect_error([&] { visits().record(ana.number, "spä"); }, Errc::invalid_argument, "place");
  BOOST_TEST((rows() == before));
  BOOST_TEST(visits().record(ana.number, std::string(64, 'p')).place == std::string(64, 'p'));

  const Timestamp t = clock.now();
  expect_error([&] { visits().count("00999"); }, Errc::not_found, "ref");
  expect_error([&] { visits().list("00999"); }, Errc::not_found, "ref");
  expect_error([&] { visits().count(ana.number, {.from = t, .to = t}); }, Errc::invalid_argument, "to");
  expect_error([&] { visits().list(ana.number, {.from = t, .to = t - 1us}); }, Errc::invalid_argument, "to");
  expect_error([&] { visits().at_place("spa", {.from = t, .to = t}); }, Errc::invalid_argument, "to");
  expect_error([&] { visits().list(ana.number, {.place = "no place"}); }, Errc::invalid_argument, "place");
  expect_error([&] { visits().at_place("no place"); }, Errc::invalid_argument, "place");
  expect_error([&] { visits().list(ana.number, {}, {.limit = 0}); }, Errc::invalid_argument, "limit");
  expect_error([&] { visits().at_place("spa", {}, {.limit = 1001}); }, Errc::invalid_argument, "limit");
}

BOOST_AUTO_TEST_CASE(visits_are_counted_and_listed_with_filters_and_pages) {
  const Timestamp t = clock.now();
  const Visit a1 = visits().record(ana.number, "spa", std::nullopt, t - 3h);
  const Visit a2 = visits().record(ana.number, "gym", std::nullopt, t - 2h);
  const Visit a3 = visits().record(ana.number, "spa", std::nullopt, t - 1h);
  const Visit a4 = visits().record(ana.number, "spa", std::nullopt, t - 1h);  // same time: by id
  const Visit b1 = visits().record(bob.number, "spa", std::nullopt, t - 90min);
  const Visit b2 = visits().record(bob.number, "gym", std::nullopt, t);

  using Ids = std::vector<std::int64_t>;
  BOOST_TEST(ids(visits().list(ana.number)) == (Ids{a4.id, a3.id, a2.id, a1.id}));
  BOOST_TEST(ids(visits().list(ana.number, {}, {.limit = 2, .offset = 1})) == (Ids{a3.id, a2.id}));
  BOOST_TEST(ids(visits().list(ana.number, {}, {.limit = 2, .offset = 4})).empty());
  BOOST_TEST(ids(visits().list(ana.number, {.place = "spa"})) == (Ids{a4.id, a3.id, a1.id}));
  BOOST_TEST(ids(visits().list(ana.number, {.from = t - 2h})) == (Ids{a4.id, a3.id, a2.id}));  // inclusive
  BOOST_TEST(ids(visits().list(ana.number, {.to = t - 1h})) == (Ids{a2.id, a1.id}));           // exclusive
  BOOST_TEST(ids(visits().list(ana.number, {.place = "spa", .from = t - 3h, .to = t - 1h})) == (Ids{a1.id}));
  BOOST_TEST(visits().count(ana.number) == 4);
  BOOST_TEST(visits().count(ana.number, {.place = "spa"}) == 3);
  BOOST_TEST(visits().count(ana.number, {.place = "gym", .from = t - 2h, .to = t - 2h + 1us}) == 1);
  BOOST_TEST(visits().count(ana.number, {.place = "pool"}) == 0);
  BOOST_TEST(visits().count(bob.id.str()) == 2);

  BOOST_TEST(ids(visits().at_place("spa")) == (Ids{a4.id, a3.id, b1.id, a1.id}));
  BOOST_TEST(ids(visits().at_place("spa", {.from = t - 90min})) == (Ids{a4.id, a3.id, b1.id}));
  BOOST_TEST(ids(visits().at_place("spa", {}, {.limit = 1, .offset = 2})) == (Ids{b1.id}));
  BOOST_TEST(ids(visits().at_place("gym")) == (Ids{b2.id, a2.id}));
  BOOST_TEST(ids(visits().at_place("gym", {.place = "spa"})).empty());
  BOOST_TEST(visits().at_place("pool").empty());
  BOOST_TEST((visits().at_place("gym")[0] == b2));
}

BOOST_AUTO_TEST_CASE(every_visit_is_on_the_timeline_from_a_physical_source) {
  const Credential fob = card(ana, "FOB-1");
  ActorScope scope("door-7");
  clock.advance(1s);
  const Visit v = visits().record_presented("FOB-1", "front-gate", clock.now() - 1min);
  clock.advance(1s);
  const Visit w = visits().record(ana.number, "spa");
  const auto page = db.activity().timeline(ana.number, {.types = {EventType::visit}});
  BOOST_REQUIRE(page.events.size() == 2u);
  const Event& spa = page.events[0];
  BOOST_TEST(spa.action == "visit.recorded");
  BOOST_TEST(spa.summary == "Visit recorded");
  BOOST_TEST(spa.at == w.at);
  BOOST_TEST(Json::parse(spa.details) ==
             Json({{"visit", w.id}, {"place", "spa"}, {"at", format_timestamp(w.at)}, {"credential", nullptr}}));
  const Event& gate = page.events[1];
  BOOST_TEST(gate.at == v.at + 1min);  // recorded now, about a visit a minute earlier
  BOOST_TEST(Json::parse(gate.details) ==
             Json({{"visit", v.id}, {"place", "front-gate"}, {"at", format_timestamp(v.at)}, {"credential", fob.id}}));
  for (const auto& e : page.events) {
    BOOST_TEST((e.category == EventCategory::customers));
    BOOST_TEST((e.type == EventType::visit));
    BOOST_TEST((e.source == EventSource::physical));
    BOOST_TEST(e.actor == "door-7");
  }
  // The caller's own source is back after the visit.
  BOOST_TEST((ActorScope::current_source() == EventSource::staff));
  db.customers().update(ana.number, {.first_name = "Anna"});
  BOOST_TEST((db.activity().timeline(ana.number).events[0].source == EventSource::staff));
  BOOST_TEST(db.activity().timeline(bob.number, {.types = {EventType::visit}}).events.empty());
}

BOOST_AUTO_TEST_SUITE_END()
