// The activity timeline: recording (and every refusal), record_many's
// atomicity, timeline order, filters and cursor paging, the feed, the
// actor scope, the edit history, and the storage rules behind them: events
// cannot be changed or deleted even in SQL, customers' details are not
// stored in clear, and destroying a customer's key erases their details
// while the log stays whole.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <set>
#include <thread>

#include "core/events.hpp"
#include "fixture.hpp"
#include "sqlite/sqlite_store.hpp"

using namespace patron;
using namespace std::chrono_literals;
using patron::testing::DbFixture;
using patron::testing::expect_error;

namespace patron {
inline std::ostream& operator<<(std::ostream& os, EventCategory v) { return os << to_string(v); }
inline std::ostream& operator<<(std::ostream& os, EventType v) { return os << to_string(v); }
inline std::ostream& operator<<(std::ostream& os, EventSource v) { return os << to_string(v); }
inline std::ostream& operator<<(std::ostream& os, const Event& e) {
  return os << "event " << e.id << " " << (e.customer ? e.customer->str() : "-") << " " << format_timestamp(e.at)
            << " " << e.action << " '" << e.summary << "' " << e.details << (e.details_erased ? " (erased)" : "");
}
inline std::ostream& operator<<(std::ostream& os, const FieldChange& c) {
  return os << "change " << c.event << " " << c.field << " " << c.old_value << " -> " << c.new_value
            << (c.erased ? " (erased)" : "");
}
}  // namespace patron

namespace {

// A well-formed id nobody has.
constexpr const char* kNobody = "0190f0c2a1b27c3d8e4f5a6b7c8d9e0f";

struct ActivityFixture : DbFixture {
  Customer ana = customers().create({.first_name = "Ana", .last_name = "Silva", .email = "ana@example.com"});
  Customer ben = customers().create({.first_name = "Ben", .last_name = "Okafor", .email = "ben@example.com"});
  // Events patron recorded itself (customer.created, ...) come before this.
  std::int64_t base = db.activity().last_event_id();

  Activity& activity() { return db.activity(); }

  Event note(const Customer& c, const std::string& action, const std::string& summary, NewEvent e = {}) {
    e.customer_ref = c.number;
    e.action = action;
    e.summary = summary;
    return activity().record(e);
  }

  // The ids of events recorded by the test (after `base`), in the order given.
  std::vector<std::int64_t> ids(const std::vector<Event>& events) const {
    std::vector<std::int64_t> out;
    for (const auto& e : events) {
      if (e.id > base) out.push_back(e.id);
    }
    return out;
  }

  // Every page of a timeline, followed by cursor.
  std::vector<Event> all_pages(const std::string& ref, const TimelineFilter& f, std::size_t limit) {
    std::vector<Event> out;
    std::string before;
    for (int guard = 0; guard < 1000; ++guard) {
      auto page = activity().timeline(ref, f, before, limit);
      BOOST_TEST(page.events.size() <= limit);
      out.insert(out.end(), page.events.begin(), page.events.end());
      if (!page.next) return out;
      BOOST_TEST(page.events.size() == limit);
      before = *page.next;
    }
    BOOST_FAIL("paging does not end");
    return out;
  }

  // The port on the same file, for what the public API does not offer.
  std::unique_ptr<store::Store> port() { return sqlite::open_store(path, Options{}); }
};

std::string raw_details(const std::string& path, std::int64_t id) {
  SQLite::Database raw(path, SQLite::OPEN_READONLY);
  SQLite::Statement st(raw, "SELECT details FROM events WHERE id = ?");
  st.bind(1, static_cast<int64_t>(id));
  BOOST_REQUIRE(st.executeStep());
  return st.getColumn(0).getString();
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(activity, ActivityFixture)

BOOST_AUTO_TEST_CASE(enum_names_round_trip) {
  BOOST_TEST(to_string(EventType::export_) == "export");
  BOOST_TEST(parse_event_type("export") == EventType::export_);
  BOOST_TEST(parse_event_category("payments") == EventCategory::payments);
  BOOST_TEST(parse_event_source("physical") == EventSource::physical);
  expect_error([] { parse_event_type("export_"); }, Errc::invalid_argument, "type");
  expect_error([] { parse_event_category("Orders"); }, Errc::invalid_argument, "category");
  expect_error([] { parse_event_source("x", "[2].source"); }, Errc::invalid_argument, "[2].source");
}

BOOST_AUTO_TEST_CASE(record_returns_the_event_and_reads_back) {
  clock.advance(5s);
  const Timestamp at = clock.now() - 1h;
  Event e = activity().record({.customer_ref = ana.id.str(),
                               .at = at,
                               .category = EventCategory::orders,
                               .type = EventType::communication,
                               .source = EventSource::integration,
                               .actor = "mailer",
                               .action = "email.sent",
                               .summary = "Receipt sent",
                               .details = R"({ "template" : "receipt", "n": [1, 2] })"});
  BOOST_TEST(e.id > base);
  BOOST_TEST(e.customer.value() == ana.id);
  BOOST_TEST(e.at == at);
  BOOST_TEST(e.category == EventCategory::orders);
  BOOST_TEST(e.type == EventType::communication);
  BOOST_TEST(e.source == EventSource::integration);
  BOOST_TEST(e.actor == "mailer");
  BOOST_TEST(e.details == R"({"n":[1,2],"template":"receipt"})");
  BOOST_TEST(!e.details_erased);
  BOOST_TEST(activity().last_event_id() == e.id);
  auto feed = activity().feed(e.id - 1, 10);
  BOOST_REQUIRE(feed.size() == 1u);
  BOOST_TEST(feed[0] == e);
  auto page = activity().timeline(ana.number, {.types = {EventType::communication}});
  BOOST_REQUIRE(page.events.size() == 1u);
  BOOST_TEST(page.events[0] == e);
}

BOOST_AUTO_TEST_CASE(record_defaults) {
  Event e = note(ana, "visit", "Visited");
  BOOST_TEST(e.at == clock.now());
  BOOST_TEST(e.source == EventSource::api);
  BOOST_TEST(e.actor == "");
  BOOST_TEST(e.details == "{}");
  BOOST_TEST(e.category == EventCategory::customers);
  BOOST_TEST(e.type == EventType::data);
  {
    ActorScope scope("till-3", EventSource::physical);
    Event scoped = note(ana, "visit", "Visited");
    BOOST_TEST(scoped.actor == "till-3");
    BOOST_TEST(scoped.source == EventSource::physical);
    Event overridden = note(ana, "visit", "Visited", {.source = EventSource::webhook, .actor = "hook"});
    BOOST_TEST(overridden.actor == "hook");
    BOOST_TEST(overridden.source == EventSource::webhook);
  }
  BOOST_TEST(activity().feed(base, 10).size() == 3u);
  BOOST_TEST(activity().feed(base, 1)[0] == e);
}

BOOST_AUTO_TEST_CASE(record_refusals_name_the_field_and_write_nothing) {
  const auto refuse = [&](NewEvent e, Errc code, const std::string& field) {
    if (e.customer_ref.empty()) e.customer_ref = ana.number;
    if (e.action.empty()) e.action = "ok";
    if (e.summary.empty()) e.summary = "Ok";
    expect_error([&] { activity().record(e); }, code, field);
  };
  refuse({.action = "Email.Sent"}, Errc::invalid_argument, "action");
  refuse({.action = "email sent"}, Errc::invalid_argument, "action");
  refuse({.action = std::string(101, 'a')}, Errc::invalid_argument, "action");
  refuse({.summary = "   "}, Errc::invalid_argument, "summary");
  refuse({.summary = std::string(501, 's')}, Errc::invalid_argument, "summary");
  refuse({.summary = "bad\x01"}, Errc::invalid_argument, "summary");
  refuse({.details = "[1]"}, Errc::invalid_argument, "details");
  refuse({.details = "{\"a\":"}, Errc::invalid_argument, "details");
  refuse({.details = "\"text\""}, Errc::invalid_argument, "details");
  refuse({.details = "{\"a\":\"" + std::string(64 * 1024, 'x') + "\"}"}, Errc::invalid_argument, "details");
  refuse({.actor = std::string(201, 'a')}, Errc::invalid_argument, "actor");
  refuse({.customer_ref = "no such thing!"}, Errc::invalid_argument, "ref");
  refuse({.customer_ref = kNobody}, Errc::not_found, "ref");
  BOOST_TEST(activity().last_event_id() == base);
  // The limits themselves are allowed.
  BOOST_TEST(note(ana, std::string(100, 'a'), std::string(500, 's'), {.actor = std::string(200, 'a')}).id > base);
}

BOOST_AUTO_TEST_CASE(organisation_events_have_no_customer_and_plain_details) {
  Event e = activity().record({.category = EventCategory::system,
                               .type = EventType::configuration,
                               .action = "settings.changed",
                               .summary = "Settings changed",
                               .details = R"({"setting":"org-plain-marker"})"});
  BOOST_TEST(!e.customer.has_value());
  BOOST_TEST(raw_details(path, e.id).find("org-plain-marker") != std::string::npos);
  BOOST_TEST(activity().feed(base, 10) == std::vector<Event>{e});
}

BOOST_AUTO_TEST_CASE(customer_details_are_not_stored_in_clear) {
  Event e = note(ana, "email.sent", "Email sent", {.details = R"({"to":"secret-plaintext-marker"})"});
  const std::string raw = raw_details(path, e.id);
  BOOST_TEST(raw.find("secret-plaintext-marker") == std::string::npos);
  BOOST_TEST(raw.find("to") == std::string::npos);
  BOOST_TEST(raw.size() == e.details.size() + 40);
  BOOST_TEST(activity().feed(base, 1)[0].details == R"({"to":"secret-plaintext-marker"})");
  // Another event of the same customer uses a fresh nonce.
  Event again = note(ana, "email.sent", "Email sent", {.details = R"({"to":"secret-plaintext-marker"})"});
  BOOST_TEST(raw_details(path, again.id) != raw);
}

BOOST_AUTO_TEST_CASE(record_many_is_all_or_nothing) {
  const auto batch = [&](std::vector<NewEvent> events) {
    for (auto& e : events) {
      if (e.customer_ref.empty()) e.customer_ref = ana.number;
      if (e.summary.empty()) e.summary = "Scanned";
    }
    return events;
  };
  expect_error([&] { activity().record_many(batch({{.action = "scan"}, {.action = "BAD"}})); },
               Errc::invalid_argument, "[1].action");
  expect_error([&] { activity().record_many(batch({{.action = "scan"}, {.action = "scan", .details = "[]"}})); },
               Errc::invalid_argument, "[1].details");
  expect_error(
      [&] {
        activity().record_many(batch({{.action = "scan"}, {.action = "scan"}, {.customer_ref = kNobody, .action = "scan"}}));
      },
      Errc::not_found, "[2].ref");
  BOOST_TEST(activity().last_event_id() == base);

  auto events = activity().record_many(batch({{.action = "scan"}, {.customer_ref = ben.id.str(), .action = "scan"}, {.action = "visit"}}));
  BOOST_REQUIRE(events.size() == 3u);
  BOOST_TEST(events[0].id == base + 1);
  BOOST_TEST(events[1].id == base + 2);
  BOOST_TEST(events[2].id == base + 3);
  BOOST_TEST(events[1].customer.value() == ben.id);
  BOOST_TEST(activity().feed(base, 10) == events);
  BOOST_TEST(activity().record_many({}).empty());
}

BOOST_AUTO_TEST_CASE(timeline_is_newest_first_by_time_then_id) {
  const Timestamp t = clock.now();
  Event a = note(ana, "a", "A", {.at = t - 2h});
  Event b = note(ana, "b", "B", {.at = t - 1h});
  Event c = note(ana, "c", "C", {.at = t - 3h});
  Event d = note(ana, "d", "D", {.at = t - 1h});
  note(ben, "x", "Ben's");
  auto page = activity().timeline(ana.id.str());
  BOOST_TEST(ids(page.events) == (std::vector<std::int64_t>{d.id, b.id, a.id, c.id}));
  BOOST_TEST(!page.next.has_value());
  expect_error([&] { activity().timeline(kNobody); }, Errc::not_found, "ref");
  expect_error([&] { activity().timeline("??"); }, Errc::invalid_argument, "ref");
  expect_error([&] { activity().timeline(ana.number, {}, {}, 0); }, Errc::invalid_argument, "limit");
  expect_error([&] { activity().timeline(ana.number, {}, {}, 1001); }, Errc::invalid_argument, "limit");
  BOOST_TEST(activity().timeline(ana.number, {}, {}, 1000).events.size() >= 4u);
}

BOOST_AUTO_TEST_CASE(timeline_filters) {
  const Timestamp t = clock.now();
  Event order = note(ana, "order.paid", "Order paid",
                     {.at = t - 3h, .category = EventCategory::orders, .type = EventType::order,
                      .source = EventSource::integration, .actor = "pos"});
  Event mail = note(ana, "email.sent", "Receipt EMAILED",
                    {.at = t - 2h, .category = EventCategory::orders, .type = EventType::communication,
                     .source = EventSource::system, .actor = "mailer"});
  Event door = note(ana, "door.opened", "Front gate",
                    {.at = t - 1h, .category = EventCategory::customers, .type = EventType::access,
                     .source = EventSource::physical, .actor = "gate-1"});
  const auto filtered = [&](const TimelineFilter& f) { return ids(activity().timeline(ana.number, f).events); };
  using V = std::vector<std::int64_t>;
  BOOST_TEST(filtered({.categories = {EventCategory::orders}}) == (V{mail.id, order.id}));
  BOOST_TEST(filtered({.categories = {EventCategory::bookings}}) == V{});
  BOOST_TEST(filtered({.types = {EventType::order, EventType::access}}) == (V{door.id, order.id}));
  BOOST_TEST(filtered({.sources = {EventSource::physical, EventSource::system}}) == (V{door.id, mail.id}));
  BOOST_TEST(filtered({.from = t - 2h}) == (V{door.id, mail.id}));
  BOOST_TEST(filtered({.until = t - 2h}) == (V{order.id}));
  BOOST_TEST(filtered({.from = t - 2h, .until = t - 1h}) == (V{mail.id}));
  BOOST_TEST(filtered({.actor = "pos"}) == (V{order.id}));
  BOOST_TEST(filtered({.actor = "PoS"}) == V{});
  // Text: the summary or the action, ignoring case.
  BOOST_TEST(filtered({.text = "emailed"}) == (V{mail.id}));
  BOOST_TEST(filtered({.text = "EMAIL"}) == (V{mail.id}));
  BOOST_TEST(filtered({.text = "Opened"}) == (V{door.id}));
  BOOST_TEST(filtered({.text = "gate"}) == (V{door.id}));
  BOOST_TEST(filtered({.text = "%"}) == V{});
  BOOST_TEST(filtered({.text = "  receipt "}) == (V{mail.id}));
  expect_error([&] { activity().timeline(ana.number, {.text = "bad\xff"}); }, Errc::invalid_argument, "text");
  BOOST_TEST(filtered({.categories = {EventCategory::orders}, .sources = {EventSource::integration}, .text = "paid"}) ==
             (V{order.id}));
  expect_error([&] { activity().timeline(ana.number, {.from = t, .until = t}); }, Errc::invalid_argument, "until");
  expect_error([&] { activity().timeline(ana.number, {.from = t, .until = t - 1s}); }, Errc::invalid_argument,
               "until");
}

BOOST_AUTO_TEST_CASE(paging_by_cursor_has_no_gaps_or_repeats) {
  std::vector<std::int64_t> expected;
  const Timestamp t = clock.now();
  for (int i = 0; i < 23; ++i) {
    // Some share a time: the id breaks the tie.
    expected.push_back(note(ana, "scan", "Scan " + std::to_string(i), {.at = t + std::chrono::seconds(i / 3)}).id);
  }
  std::reverse(expected.begin(), expected.end());
  for (std::size_t limit : {1u, 4u, 5u, 23u, 50u}) {
    auto all = all_pages(ana.number, {.types = {EventType::data}, .text = "scan"}, limit);
    BOOST_TEST(ids(all) == expected, "limit " << limit);
  }
  // Filtered paging: every other event by text.
  auto odd = all_pages(ana.number, {.text = "scan 1"}, 2);  // 1, 10..19
  BOOST_TEST(odd.size() == 11u);
  // A cursor continues the same way after new events arrive.
  auto first = activity().timeline(ana.number, {.text = "scan"}, {}, 5);
  note(ana, "scan", "Scan late", {.at = t + 1h});
  auto second = activity().timeline(ana.number, {.text = "scan"}, *first.next, 5);
  BOOST_TEST(second.events.front().id == expected[5]);
}

BOOST_AUTO_TEST_CASE(an_invalid_cursor_is_refused) {
  note(ana, "scan", "Scan");
  for (const char* bad : {"abc", "1", "1.", ".5", "1.0", "1.-2", "1.2.3", "x.1", "1.2 ", " 1.2", "99999999999999999999.1"}) {
    expect_error([&] { activity().timeline(ana.number, {}, bad); }, Errc::invalid_argument, "before");
  }
  BOOST_TEST(activity().timeline(ana.number, {}, "-5.1").events.empty());
}

BOOST_AUTO_TEST_CASE(feed_resumes_exactly_where_it_stopped) {
  std::vector<std::int64_t> recorded;
  for (int i = 0; i < 10; ++i) {
    recorded.push_back(note(i % 2 ? ana : ben, "scan", "Scan", {.at = clock.now() - std::chrono::hours(i)}).id);
  }
  recorded.push_back(activity().record({.action = "org.thing", .summary = "Organisation event"}).id);
  std::vector<std::int64_t> seen;
  std::int64_t cursor = base;
  for (int round = 0; round < 20; ++round) {
    auto batch = activity().feed(cursor, 3);
    if (batch.empty()) break;
    for (auto& e : batch) seen.push_back(e.id);
    cursor = batch.back().id;
  }
  BOOST_TEST(seen == recorded);
  BOOST_TEST(activity().last_event_id() == recorded.back());
  BOOST_TEST(activity().feed(activity().last_event_id()).empty());
  // Events recorded later appear after the cursor, and only they.
  Event later = note(ana, "scan", "Later");
  BOOST_TEST(activity().feed(cursor) == std::vector<Event>{later});
  expect_error([&] { activity().feed(0, 0); }, Errc::invalid_argument, "limit");
  expect_error([&] { activity().feed(0, 1001); }, Errc::invalid_argument, "limit");
  BOOST_TEST(activity().feed(0, 1000).size() == static_cast<std::size_t>(later.id));
}

BOOST_AUTO_TEST_CASE(events_cannot_be_changed_or_deleted_in_sql) {
  Event e = note(ana, "scan", "Scan");
  SQLite::Database raw(path, SQLite::OPEN_READWRITE);
  const auto refused = [&](const char* sql) {
    try {
      raw.exec(sql);
    } catch (const SQLite::Exception& ex) {
      BOOST_TEST(ex.getExtendedErrorCode() == SQLITE_CONSTRAINT_TRIGGER);
      BOOST_TEST(std::string(ex.what()).find("permanent") != std::string::npos, ex.what());
      return;
    }
    BOOST_FAIL("SQLite accepted: " << sql);
  };
  refused("UPDATE events SET summary = 'changed'");
  refused("UPDATE events SET customer = NULL, data_key = NULL");
  refused("DELETE FROM events");
  refused(("DELETE FROM events WHERE id = " + std::to_string(e.id)).c_str());
  BOOST_TEST(activity().feed(e.id - 1, 1)[0] == e);
  BOOST_TEST(activity().last_event_id() == e.id);
}

BOOST_AUTO_TEST_CASE(destroying_a_key_erases_details_and_keeps_the_log) {
  Event a = note(ana, "email.sent", "Email sent", {.details = R"({"to":"ana@example.com"})"});
  Event b = note(ben, "email.sent", "Email sent", {.details = R"({"to":"ben@example.com"})"});
  Event org = activity().record({.action = "org.thing", .summary = "Org", .details = R"({"k":1})"});
  const auto before = activity().feed(0, 1000);
  bool destroyed = false;
  port()->write([&](store::Transaction& tx) { destroyed = tx.activity().destroy_data_key(ana.id); });
  BOOST_TEST(destroyed);
  const auto after = activity().feed(0, 1000);
  BOOST_REQUIRE(after.size() == before.size());
  for (std::size_t i = 0; i < after.size(); ++i) {
    Event expected = before[i];
    if (expected.customer == ana.id) {
      expected.details = "";
      expected.details_erased = true;
    }
    BOOST_TEST(after[i] == expected);
  }
  BOOST_TEST(activity().feed(b.id - 1, 1)[0].details == R"({"to":"ben@example.com"})");
  BOOST_TEST(activity().feed(org.id - 1, 1)[0].details == R"({"k":1})");
  auto page = activity().timeline(ana.number, {.text = "email"});
  BOOST_REQUIRE(page.events.size() == 1u);
  BOOST_TEST(page.events[0].id == a.id);
  BOOST_TEST(page.events[0].details_erased);
  BOOST_TEST(page.events[0].summary == "Email sent");
  // A later event gets a new key; the old ones stay unreadable.
  Event later = note(ana, "visit", "Visited", {.details = R"({"n":1})"});
  BOOST_TEST(activity().feed(later.id - 1, 1)[0].details == R"({"n":1})");
  BOOST_TEST(activity().feed(a.id - 1, 1)[0].details_erased);
}

BOOST_AUTO_TEST_CASE(actor_scopes_nest_and_stay_on_their_thread) {
  BOOST_TEST(ActorScope::current_actor() == "");
  BOOST_TEST(ActorScope::current_source() == EventSource::api);
  {
    ActorScope outer("manager-1");
    BOOST_TEST(ActorScope::current_actor() == "manager-1");
    BOOST_TEST(ActorScope::current_source() == EventSource::staff);
    {
      ActorScope inner("client-9", EventSource::api);
      BOOST_TEST(ActorScope::current_actor() == "client-9");
      BOOST_TEST(ActorScope::current_source() == EventSource::api);
      std::string other_actor = "unset";
      EventSource other_source = EventSource::system;
      Event other_event;
      std::thread([&] {
        other_actor = std::string(ActorScope::current_actor());
        other_source = ActorScope::current_source();
        ActorScope own("worker", EventSource::automated);
        other_event = note(ana, "job.ran", "Job ran");
      }).join();
      BOOST_TEST(other_actor == "");
      BOOST_TEST(other_source == EventSource::api);
      BOOST_TEST(other_event.actor == "worker");
      BOOST_TEST(other_event.source == EventSource::automated);
      BOOST_TEST(ActorScope::current_actor() == "client-9");
    }
    BOOST_TEST(ActorScope::current_actor() == "manager-1");
    BOOST_TEST(note(ana, "visit", "Visited").actor == "manager-1");
  }
  BOOST_TEST(ActorScope::current_actor() == "");
  expect_error([] { ActorScope bad(std::string(201, 'x')); }, Errc::invalid_argument, "actor");
  BOOST_TEST(ActorScope::current_actor() == "");
}

BOOST_AUTO_TEST_CASE(edit_history_from_recorded_changes) {
  auto st = port();
  std::int64_t first = 0;
  std::int64_t second = 0;
  {
    ActorScope scope("desk-2");
    st->write([&](store::Transaction& tx) {
      first = detail::record_event(tx, clock.now(), {.customer = ana.id, .action = "customer.updated",
                                                     .summary = "Profile updated",
                                                     .details = R"({"via":"desk"})",
                                                     .edits = {{"first_name", "\"Ana\"", "\"Anna\""},
                                                               {"tags", "[]", "[\"vip\"]"}}});
    });
  }
  clock.advance(1min);
  st->write([&](store::Transaction& tx) {
    second = detail::record_event(tx, clock.now(), {.customer = ana.id, .action = "email.added",
                                                    .summary = "Email added",
                                                    .edits = {{"email", "null", "\"a2@example.com\""}}});
    detail::record_event(tx, clock.now(), {.customer = ben.id, .action = "customer.updated",
                                           .summary = "Profile updated",
                                           .edits = {{"first_name", "\"Ben\"", "\"Benjamin\""}}});
  });
  // Only the changes recorded here (creating the customers may have recorded some).
  const auto recent = [&](std::vector<FieldChange> all) {
    std::erase_if(all, [&](const FieldChange& c) { return c.event <= base; });
    return all;
  };
  auto history = recent(activity().history(ana.number));
  BOOST_REQUIRE(history.size() == 3u);
  BOOST_TEST(history[0] == (FieldChange{second, clock.now(), "", EventSource::api, "email", "null",
                                        "\"a2@example.com\"", false}));
  BOOST_TEST(history[1] == (FieldChange{first, clock.now() - 1min, "desk-2", EventSource::staff, "first_name",
                                        "\"Ana\"", "\"Anna\"", false}));
  BOOST_TEST(history[2].field == "tags");
  BOOST_TEST(history[2].new_value == "[\"vip\"]");
  BOOST_TEST(recent(activity().history(ana.number, "tags")).size() == 1u);
  BOOST_TEST(activity().history(ana.number, "no_such_field").empty());
  BOOST_TEST(activity().history(ana.number, {}, {.limit = 1, .offset = 1}) == std::vector<FieldChange>{history[1]});
  expect_error([&] { activity().history(ana.number, {}, {.limit = 0}); }, Errc::invalid_argument, "limit");
  expect_error([&] { activity().history(kNobody); }, Errc::not_found, "ref");
  // The event carries the changes in its details.
  auto event = activity().feed(first - 1, 1)[0];
  BOOST_TEST(event.actor == "desk-2");
  BOOST_TEST(event.details ==
             R"({"changes":[{"field":"first_name","new":"Anna","old":"Ana"},{"field":"tags","new":["vip"],"old":[]}],"via":"desk"})");
  // Erased: the log of changes stays, their values are gone.
  st->write([&](store::Transaction& tx) { tx.activity().destroy_data_key(ana.id); });
  auto erased = recent(activity().history(ana.number));
  BOOST_REQUIRE(erased.size() == 3u);
  for (std::size_t i = 0; i < erased.size(); ++i) {
    BOOST_TEST(erased[i].erased);
    BOOST_TEST(erased[i].old_value == "");
    BOOST_TEST(erased[i].new_value == "");
    BOOST_TEST(erased[i].field == history[i].field);
    BOOST_TEST(erased[i].event == history[i].event);
  }
  BOOST_TEST(activity().history(ben.number, "first_name").at(0).new_value == "\"Benjamin\"");
}

BOOST_AUTO_TEST_CASE(record_event_for_the_organisation_keeps_changes_in_clear) {
  std::int64_t id = 0;
  port()->write([&](store::Transaction& tx) {
    id = detail::record_event(tx, clock.now(), {.category = EventCategory::system, .type = EventType::settings,
                                                .action = "custom_field.defined", .summary = "Field defined",
                                                .edits = {{"custom.vip_level", "null", "{\"type\":\"int\"}"}}});
  });
  auto e = activity().feed(id - 1, 1).at(0);
  BOOST_TEST(!e.customer.has_value());
  BOOST_TEST(e.details == R"({"changes":[{"field":"custom.vip_level","new":{"type":"int"},"old":null}]})");
}

BOOST_AUTO_TEST_SUITE_END()
