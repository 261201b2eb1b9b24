// Retention: policies the host sets per category of data, a dry run that
// lists what would go and writes nothing, and a run that applies them and
// records what it did — erasing inactive customers (keeping, with the
// reason, those it must), dropping old events' details, deleting documents
// of a kind some days after upload.
#include <boost/test/unit_test.hpp>
#include <SQLiteCpp/SQLiteCpp.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <zip.h>

#include "fixture.hpp"
#include "row_count.hpp"

using namespace patron;
using namespace std::chrono_literals;
using patron::testing::count_rows;
using patron::testing::DbFixture;
using patron::testing::expect_error;
using Json = nlohmann::json;

namespace {

constexpr auto kYear = std::chrono::days(365);

struct RetentionFixture : DbFixture {
  Privacy& privacy() { return db.privacy(); }
  Customer create(const char* first) { return customers().create({.first_name = first, .last_name = "Test"}); }

  RetentionPolicy policy(const char* name, RetentionCategory category, int days,
                         std::optional<DocumentKind> kind = std::nullopt) {
    return privacy().set_retention_policy({.name = name, .category = category, .days = days, .document_kind = kind});
  }

  bool refused(const std::string& sql) { return patron::testing::refused(path, sql); }
  // Integrity, foreign keys and both full-text indexes, straight from the file.
  void file_is_sound() {
    SQLite::Database file(path, SQLite::OPEN_READWRITE);
    BOOST_TEST(file.execAndGet("PRAGMA integrity_check").getString() == "ok");
    SQLite::Statement fk(file, "PRAGMA foreign_key_check");
    BOOST_TEST(!fk.executeStep());
    file.exec("INSERT INTO customer_names (customer_names) VALUES ('integrity-check')");
    file.exec("INSERT INTO note_search (note_search) VALUES ('integrity-check')");
  }
  std::int64_t scalar(const std::string& sql) {
    SQLite::Database file(path, SQLite::OPEN_READONLY);
    return file.execAndGet(sql).getInt64();
  }
};

std::string zip_entry(const std::string& path, const char* name) {
  int error = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_RDONLY, &error);
  BOOST_TEST_REQUIRE(z != nullptr);
  zip_stat_t st;
  BOOST_TEST_REQUIRE(zip_stat(z, name, 0, &st) == 0);
  std::string bytes(st.size, '\0');
  zip_file_t* f = zip_fopen(z, name, 0);
  BOOST_TEST_REQUIRE(zip_fread(f, bytes.data(), st.size) == static_cast<zip_int64_t>(st.size));
  zip_fclose(f);
  zip_close(z);
  return bytes;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(retention, RetentionFixture)

BOOST_AUTO_TEST_CASE(policies_are_checked_named_and_replaced) {
  const Timestamp t0 = clock.now();
  const auto first = privacy().set_retention_policy({.name = "inactive-3y",
                                                     .category = RetentionCategory::inactive_customers,
                                                     .days = 1095,
                                                     .description = "  We keep guests' files for three years.  "});
  BOOST_TEST(first.created_at == t0);
  BOOST_TEST(first.updated_at == t0);
  BOOST_TEST(first.description == "We keep guests' files for three years.");
  clock.advance(1h);
  policy("id-scans", RetentionCategory::documents, 90, DocumentKind::identification);
  const auto replaced = policy("inactive-3y", RetentionCategory::inactive_customers, 730);
  BOOST_TEST(replaced.created_at == t0);
  BOOST_TEST(replaced.updated_at == t0 + 1h);
  BOOST_TEST(replaced.description.empty());
  const auto all = privacy().retention_policies();
  BOOST_TEST_REQUIRE(all.size() == 2u);
  BOOST_TEST(all[0].name == "id-scans");
  BOOST_TEST((all[0].document_kind == std::optional<DocumentKind>(DocumentKind::identification)));
  BOOST_TEST((all[1] == replaced));

  const int rows = count_rows(path, "retention_policies");
  const int events = count_rows(path, "events");
  const auto bad = [&](RetentionPolicy p, const std::string& field, const std::string& message = {}) {
    expect_error([&] { privacy().set_retention_policy(p); }, Errc::invalid_argument, field, message);
  };
  const RetentionPolicy ok{.name = "p", .category = RetentionCategory::timeline_details, .days = 30};
  auto p = ok;
  p.name = "";
  bad(p, "name", "1-64 characters");
  p.name = "two words";
  bad(p, "name");
  p.name = std::string(65, 'a');
  bad(p, "name");
  p = ok;
  p.days = 0;
  bad(p, "days", "1 to 36500 days");
  p.days = 36501;
  bad(p, "days");
  p.days = -5;
  bad(p, "days");
  p = ok;
  p.category = static_cast<RetentionCategory>(7);
  bad(p, "category");
  p = ok;
  p.document_kind = DocumentKind::identification;
  bad(p, "document_kind", "only a documents policy");
  p = ok;
  p.category = RetentionCategory::documents;
  bad(p, "document_kind", "names the kind");
  p.document_kind = static_cast<DocumentKind>(42);
  bad(p, "document_kind");
  p = ok;
  p.description = std::string(501, 'x');
  bad(p, "description");
  p.description = "\xff\xfe";
  bad(p, "description");
  expect_error([] { parse_retention_category("forever"); }, Errc::invalid_argument, "category",
               "inactive_customers, timeline_details, documents");
  BOOST_TEST(count_rows(path, "retention_policies") == rows);
  BOOST_TEST(count_rows(path, "events") == events);

  expect_error([&] { privacy().remove_retention_policy("nope"); }, Errc::not_found, "name");
  expect_error([&] { privacy().remove_retention_policy("two words"); }, Errc::invalid_argument, "name");
  privacy().remove_retention_policy("id-scans");
  BOOST_TEST(privacy().retention_policies().size() == 1u);
  // Each change is on the organisation's timeline.
  int set = 0, removed = 0;
  for (const auto& e : db.activity().feed(0, 1000)) {
    set += e.action == "retention.policy_set";
    removed += e.action == "retention.policy_removed";
  }
  BOOST_TEST(set == 3);
  BOOST_TEST(removed == 1);
  // The file holds the same rules.
  BOOST_TEST(refused("INSERT INTO retention_policies VALUES ('x', 'documents', 10, NULL, '', 0, 0)"));
  BOOST_TEST(refused("INSERT INTO retention_policies VALUES ('x', 'timeline_details', 0, NULL, '', 0, 0)"));
  BOOST_TEST(refused("INSERT INTO retention_policies VALUES ('a b', 'timeline_details', 10, NULL, '', 0, 0)"));
}

BOOST_AUTO_TEST_CASE(inactive_customers_are_erased_after_a_dry_run_and_the_run_is_recorded) {
  const Customer ana = create("Ana");    // nothing since she was created: erased
  const Customer carl = create("Carl");  // money in his purse: kept
  db.purses().top_up({carl.number, "GBP", 500, "t-1", ""});
  const Customer dee = create("Dee");  // a membership that has not ended: kept
  const auto plan = db.memberships().create_plan({.name = "Gold"});
  db.memberships().add({.plan = plan.id, .customer_ref = dee.number, .starts_at = clock.now()});
  const Customer eve = create("Eve");  // a booking three years ahead: kept
  db.bookings().record({.customer = {eve.number}, .source = "pms", .external_ref = "B-1", .service = "suite",
                        .starts_at = clock.now() + 3 * kYear, .ends_at = clock.now() + 3 * kYear + 2h});
  const Customer fay = create("Fay");  // only newsletters since: erased
  const Customer gus = create("Gus");  // called by staff since: kept, not listed
  clock.advance(kYear + std::chrono::days(300));
  db.activity().record({.customer_ref = fay.number, .source = EventSource::automated, .action = "email.sent",
                        .summary = "Newsletter sent"});
  db.activity().record({.customer_ref = gus.number, .action = "call.made", .summary = "Called"});
  clock.advance(std::chrono::days(100));
  const Customer hal = create("Hal");  // new: kept, not listed
  policy("inactive-1y", RetentionCategory::inactive_customers, 365);

  const Timestamp now = clock.now();
  const int events = count_rows(path, "events");
  const RetentionRun preview = privacy().preview_retention();
  BOOST_TEST(preview.dry_run);
  BOOST_TEST(preview.id == 0);
  BOOST_TEST(preview.actor == "retention");
  BOOST_TEST(preview.started_at == now);
  BOOST_TEST(!preview.finished_at);
  BOOST_TEST_REQUIRE(preview.outcomes.size() == 1u);
  const RetentionOutcome& would = preview.outcomes[0];
  BOOST_TEST(would.policy.name == "inactive-1y");
  BOOST_TEST(would.cutoff == now - kYear);
  BOOST_TEST((would.customers == std::vector<CustomerId>{ana.id, fay.id}));
  BOOST_TEST((would.skipped == std::vector<RetentionSkip>{{carl.id, "purses"}, {dee.id, "memberships"},
                                                           {eve.id, "bookings"}}));
  BOOST_TEST(would.held.empty());
  // The dry run wrote nothing.
  BOOST_TEST(count_rows(path, "events") == events);
  BOOST_TEST(count_rows(path, "retention_runs") == 0);
  BOOST_TEST(count_rows(path, "erasures") == 0);

  clock.advance(1min);
  RetentionRun run;
  {
    const ActorScope nightly("ops:nightly");
    run = privacy().run_retention();
  }
  BOOST_TEST(!run.dry_run);
  BOOST_TEST(run.id > 0);
  BOOST_TEST(run.actor == "ops:nightly");
  BOOST_TEST((run.finished_at == std::optional<Timestamp>(clock.now())));
  BOOST_TEST_REQUIRE(run.outcomes.size() == 1u);
  BOOST_TEST((run.outcomes[0].customers == would.customers));
  BOOST_TEST((run.outcomes[0].skipped == would.skipped));
  // Erased as by erase(), requested by the policy.
  for (const auto& c : {ana, fay}) {
    expect_error([&] { customers().get(c.number); }, Errc::not_found, "ref");
    const auto t = privacy().tombstone(c.id.str());
    BOOST_TEST_REQUIRE(t.has_value());
    BOOST_TEST(t->requested_by == "retention policy inactive-1y");
    BOOST_TEST(t->erased_by == "ops:nightly");
    BOOST_TEST(t->reason.find("no activity for 365 days") != std::string::npos);
    BOOST_TEST(t->reason.find("retention run " + std::to_string(run.id)) != std::string::npos);
  }
  for (const auto& c : {carl, dee, eve, gus, hal}) BOOST_TEST(customers().get(c.number).id == c.id);

  // The record reads back as the run returned it.
  const auto runs = privacy().retention_runs();
  BOOST_TEST_REQUIRE(runs.size() == 1u);
  BOOST_TEST((runs[0] == run));
  // And the organisation's timeline has it, with the erasures.
  int erased = 0, recorded = 0;
  for (const auto& e : db.activity().feed(0, 1000)) {
    erased += e.action == "customer.erased";
    if (e.action == "retention.run") {
      ++recorded;
      BOOST_TEST((e.source == EventSource::automated));
      const Json d = Json::parse(e.details);
      BOOST_TEST(d["run"] == run.id);
      BOOST_TEST(d["outcomes"][0]["customers"] == 2);
      BOOST_TEST(d["outcomes"][0]["skipped"] == 3);
    }
  }
  BOOST_TEST(erased == 2);
  BOOST_TEST(recorded == 1);

  // Nothing more to do the next night; the record is permanent.
  clock.advance(24h);
  const RetentionRun again = privacy().run_retention();
  BOOST_TEST(again.outcomes[0].customers.empty());
  BOOST_TEST(again.outcomes[0].skipped.size() == 3u);
  BOOST_TEST(again.actor == "retention");
  const auto newest = privacy().retention_runs(Page{1, 0});
  BOOST_TEST_REQUIRE(newest.size() == 1u);
  BOOST_TEST(newest[0].id == again.id);
  expect_error([&] { privacy().retention_runs(Page{0, 0}); }, Errc::invalid_argument, "limit");
  BOOST_TEST(refused("DELETE FROM retention_runs"));
  BOOST_TEST(refused("UPDATE retention_runs SET finished_at = NULL"));
  BOOST_TEST(refused("UPDATE retention_outcomes SET cutoff = 0"));
  BOOST_TEST(refused("UPDATE retention_outcomes SET events = events - 1"));
  BOOST_TEST(refused("DELETE FROM retention_items"));
}

BOOST_AUTO_TEST_CASE(an_unfinished_import_holds_back_the_inactive_customers_policy) {
  const Customer ana = create("Ana");
  clock.advance(2 * kYear);
  policy("inactive-1y", RetentionCategory::inactive_customers, 365);
  {
    SQLite::Database file(path, SQLite::OPEN_READWRITE);
    file.exec("INSERT INTO import_runs (run_key, kind, rows_done, rejects_bytes, counts, started_at, updated_at) "
              "VALUES ('" + std::string(64, 'a') + "', 'customers', 0, 0, '{}', 0, 0)");
  }
  const RetentionRun preview = privacy().preview_retention();
  BOOST_TEST(preview.outcomes[0].held.find("imports:") == 0u);
  BOOST_TEST(preview.outcomes[0].customers.empty());
  const RetentionRun run = privacy().run_retention();
  BOOST_TEST(run.outcomes[0].held == preview.outcomes[0].held);
  BOOST_TEST(customers().get(ana.number).id == ana.id);
  BOOST_TEST(privacy().retention_runs()[0].outcomes[0].held == run.outcomes[0].held);
  {
    SQLite::Database file(path, SQLite::OPEN_READWRITE);
    file.exec("DELETE FROM import_runs");
  }
  BOOST_TEST((privacy().run_retention().outcomes[0].customers == std::vector<CustomerId>{ana.id}));
}

BOOST_AUTO_TEST_CASE(old_events_lose_their_details_and_keep_their_place) {
  const Customer ana = customers().create({.first_name = "Ana", .last_name = "Silva"});
  db.activity().record({.customer_ref = ana.number, .action = "call.made", .summary = "Called",
                        .details = R"({"topic": "the marina suite"})"});
  clock.advance(400 * 24h);
  customers().update(ana.number, {.last_name = std::string("Sousa")});
  db.activity().record({.customer_ref = ana.number, .action = "call.made", .summary = "Called again",
                        .details = R"({"topic": "the spa"})"});
  policy("details-1y", RetentionCategory::timeline_details, 365);
  const auto timeline = [&] { return db.activity().timeline(ana.number, {}, "", 100).events; };
  const auto before = timeline();
  std::int64_t old = 0;
  for (const auto& e : before) old += e.at < clock.now() - kYear;
  BOOST_TEST_REQUIRE(old >= 2);  // the creation and the first call

  BOOST_TEST(privacy().preview_retention().outcomes[0].events == old);
  BOOST_TEST(count_rows(path, "events WHERE details_dropped_at IS NOT NULL") == 0);
  const RetentionRun run = privacy().run_retention();
  BOOST_TEST(run.outcomes[0].events == old);
  BOOST_TEST(run.outcomes[0].customers.empty());

  const auto after = timeline();
  BOOST_TEST_REQUIRE(after.size() == before.size());
  for (std::size_t i = 0; i < after.size(); ++i) {
    BOOST_TEST(after[i].id == before[i].id);
    BOOST_TEST(after[i].action == before[i].action);
    BOOST_TEST(after[i].summary == before[i].summary);
    const bool dropped = before[i].at < clock.now() - kYear;
    BOOST_TEST(after[i].details_erased == dropped);
    BOOST_TEST(after[i].details == (dropped ? std::string() : before[i].details));
  }
  // The edit history keeps its entries; the old values went with the details.
  const auto history = db.activity().history(ana.number, "last_name");
  BOOST_TEST_REQUIRE(history.size() == 2u);
  BOOST_TEST(history[0].new_value == "\"Sousa\"");  // newest first, kept
  BOOST_TEST(history[1].erased);
  BOOST_TEST(history[1].new_value.empty());
  // No byte of the sealed details is left; the customer is still whole.
  BOOST_TEST(scalar("SELECT count(*) FROM events WHERE details = zeroblob(40)") == old);
  BOOST_TEST(customers().get(ana.number).last_name == "Sousa");
  // Done once: the next run has nothing to drop.
  BOOST_TEST(privacy().run_retention().outcomes[0].events == 0);

  // The file allows exactly that change and no other.
  const std::string old_one = "WHERE details_dropped_at IS NOT NULL";
  const std::string live = "WHERE details_dropped_at IS NULL AND customer IS NOT NULL";
  BOOST_TEST(refused("UPDATE events SET details = randomblob(60) " + old_one));
  BOOST_TEST(refused("UPDATE events SET details_dropped_at = NULL " + old_one));
  BOOST_TEST(refused("UPDATE events SET details = zeroblob(40), details_dropped_at = 1, summary = 'x' " + live));
  BOOST_TEST(refused("UPDATE events SET details = zeroblob(41), details_dropped_at = 1 " + live));
  BOOST_TEST(refused("UPDATE events SET details = zeroblob(40), details_dropped_at = 1 WHERE customer IS NULL"));
  BOOST_TEST(!refused("UPDATE events SET details = zeroblob(40), details_dropped_at = 1 " + live));
}

BOOST_AUTO_TEST_CASE(documents_of_a_kind_go_some_days_after_upload) {
  const Customer ana = create("Ana");
  const Customer bob = create("Bob");
  const auto scan = db.documents().attach({ana.number, "passport.jpg", "image/jpeg", DocumentKind::identification},
                                          "PASSPORT-BYTES-ANA");
  const auto contract = db.documents().attach({ana.number, "contract.pdf", "application/pdf",
                                               DocumentKind::contract},
                                              "CONTRACT-BYTES");
  clock.advance(std::chrono::days(80));
  const auto recent = db.documents().attach({bob.number, "licence.jpg", "image/jpeg", DocumentKind::identification},
                                            "LICENCE-BYTES-BOB");
  clock.advance(std::chrono::days(20));
  policy("id-scans", RetentionCategory::documents, 90, DocumentKind::identification);

  const RetentionOutcome would = privacy().preview_retention().outcomes[0];
  BOOST_TEST((would.documents == std::vector<std::int64_t>{scan.id}));
  BOOST_TEST((would.customers == std::vector<CustomerId>{ana.id}));
  BOOST_TEST(db.documents().get(scan.id).id == scan.id);  // the dry run left it

  const RetentionOutcome did = privacy().run_retention().outcomes[0];
  BOOST_TEST((did.documents == would.documents));
  BOOST_TEST((did.customers == would.customers));
  expect_error([&] { db.documents().get(scan.id); }, Errc::not_found, "id");
  BOOST_TEST(db.documents().get(contract.id).id == contract.id);
  BOOST_TEST(db.documents().get(recent.id).id == recent.id);
  BOOST_TEST(count_rows(path, "document_contents") == 2);
  // On Ana's timeline, as the scheduled job's doing.
  const auto newest = db.activity().timeline(ana.number, {}, "", 1).events.at(0);
  BOOST_TEST(newest.action == "document.removed");
  BOOST_TEST((newest.source == EventSource::automated));
  BOOST_TEST(newest.actor == "retention");
  const Json d = Json::parse(newest.details);
  BOOST_TEST(d["document"] == scan.id);
  BOOST_TEST(d["retention_policy"] == "id-scans");
  // A deletion is not activity: Ana is no more active for it.
  policy("inactive-90d", RetentionCategory::inactive_customers, 90);
  const auto outcomes = privacy().preview_retention().outcomes;
  BOOST_TEST_REQUIRE(outcomes.size() == 2u);
  BOOST_TEST(outcomes[1].policy.name == "inactive-90d");
  BOOST_TEST((outcomes[1].customers == std::vector<CustomerId>{ana.id}));
}

BOOST_AUTO_TEST_CASE(the_access_export_names_the_policies) {
  const Customer ana = create("Ana");
  privacy().set_retention_policy({.name = "inactive-3y",
                                  .category = RetentionCategory::inactive_customers,
                                  .days = 1095,
                                  .description = "Three years after your last stay"});
  policy("id-scans", RetentionCategory::documents, 90, DocumentKind::identification);
  const std::string file = dir.file("ana.zip");
  privacy().export_archive(ana.number, file);
  const Json info = Json::parse(zip_entry(file, "customer.json"))["information"];
  const std::string text = info["retention"];
  BOOST_TEST(text.find("Documents of kind identification are deleted 90 days after upload") != std::string::npos);
  BOOST_TEST(text.find("Customers with no activity for 1095 days are erased") != std::string::npos);
  BOOST_TEST_REQUIRE(info["retention_policies"].size() == 2u);
  BOOST_TEST(info["retention_policies"][0]["policy"] == "id-scans");
  BOOST_TEST(info["retention_policies"][0]["document_kind"] == "identification");
  BOOST_TEST(info["retention_policies"][1]["days"] == 1095);
  BOOST_TEST(info["retention_policies"][1]["description"] == "Three years after your last stay");
}

BOOST_AUTO_TEST_CASE(what_keeps_a_customer_and_what_goes_with_one) {
  const Customer banned = create("Ban");
  customers().ban(banned.number, "fights", "staff:lee");
  const Customer staying = create("Stay");
  const Customer survivor = create("Sam");
  const Customer absorbed = create("Samuel");
  customers().merge(survivor.number, absorbed.number, {.by = "staff:lee"});
  clock.advance(kYear);
  // Booked a year ahead: the stay began yesterday and is not over.
  db.bookings().record({.customer = {staying.number}, .source = "pms", .external_ref = "B-9", .service = "suite",
                        .starts_at = clock.now() + kYear - 24h, .ends_at = clock.now() + kYear + 24h});
  clock.advance(kYear + 1min);
  policy("inactive-1y", RetentionCategory::inactive_customers, 365);
  const RetentionOutcome o = privacy().run_retention().outcomes.at(0);
  BOOST_TEST((o.customers == std::vector<CustomerId>{survivor.id}));
  BOOST_TEST((o.skipped == std::vector<RetentionSkip>{{banned.id, "banned"}, {staying.id, "bookings"}}));
  // The customer merged in goes with its survivor, with its own tombstone.
  const auto t = privacy().tombstone(absorbed.id.str());
  BOOST_TEST_REQUIRE(t.has_value());
  BOOST_TEST((t->merged_into == std::optional<CustomerId>(survivor.id)));
  BOOST_TEST((customers().get(banned.number).status == CustomerStatus::banned));
}

BOOST_AUTO_TEST_CASE(a_run_crosses_its_batches_and_records_every_item) {
  std::vector<NewCustomer> batch;
  for (int i = 0; i < 230; ++i) batch.push_back({.first_name = "Guest", .last_name = "Number" + std::to_string(i)});
  const auto made = customers().create_many(batch);
  std::vector<std::int64_t> scans;
  for (int i = 0; i < 150; ++i) {
    scans.push_back(db.documents()
                        .attach({made[static_cast<std::size_t>(i)].number, "id.jpg", "image/jpeg",
                                 DocumentKind::identification},
                                "ID-" + std::to_string(i))
                        .id);
  }
  std::vector<NewEvent> events;
  for (int i = 0; i < 10'500; ++i) {
    events.push_back({.customer_ref = made[static_cast<std::size_t>(i % 7)].number, .action = "visit.made",
                      .summary = "Visited", .details = R"({"n": )" + std::to_string(i) + "}"});
  }
  db.activity().record_many(events);
  clock.advance(2 * kYear);
  policy("details-1y", RetentionCategory::timeline_details, 365);
  policy("id-scans", RetentionCategory::documents, 90, DocumentKind::identification);
  policy("inactive-1y", RetentionCategory::inactive_customers, 365);
  const std::int64_t old_events = scalar("SELECT count(*) FROM events WHERE customer IS NOT NULL");

  const RetentionRun preview = privacy().preview_retention();
  BOOST_TEST(preview.outcomes[0].events == old_events);
  BOOST_TEST((preview.outcomes[1].documents == scans));
  BOOST_TEST(preview.outcomes[1].customers.size() == 150u);
  BOOST_TEST(preview.outcomes[2].customers.size() == 230u);

  const RetentionRun run = privacy().run_retention();
  BOOST_TEST(run.outcomes[0].events == old_events);
  BOOST_TEST((run.outcomes[1].documents == scans));
  BOOST_TEST((run.outcomes[1].customers == preview.outcomes[1].customers));
  BOOST_TEST((run.outcomes[2].customers == preview.outcomes[2].customers));
  BOOST_TEST((privacy().retention_runs().at(0) == run));
  BOOST_TEST(count_rows(path, "erasures") == 230);
  BOOST_TEST(count_rows(path, "documents") == 0);
  BOOST_TEST(count_rows(path, "customers WHERE erased_at IS NULL") == 0);
  // Erasing after the details were dropped: the events keep both marks.
  BOOST_TEST(scalar("SELECT count(*) FROM events WHERE details_dropped_at IS NOT NULL AND summary = 'erased'") ==
             old_events);
  // An erased customer's events are not counted again (their key is gone).
  clock.advance(24h);
  BOOST_TEST(privacy().preview_retention().outcomes[0].events == 0);
  file_is_sound();
}

BOOST_AUTO_TEST_CASE(a_run_stopped_half_way_says_what_it_did) {
  std::vector<NewCustomer> batch;
  for (int i = 0; i < 6; ++i) batch.push_back({.first_name = "Guest", .last_name = "Number" + std::to_string(i)});
  const auto made = customers().create_many(batch);
  clock.advance(2 * kYear);
  policy("inactive-1y", RetentionCategory::inactive_customers, 365);
  // A clock that fails on its fourth reading: the run's start, two
  // erasures, then the third erasure's stamp.
  auto calls = std::make_shared<std::atomic<int>>(0);
  Options failing = options();
  failing.clock = [c = clock, calls] {
    return ++*calls == 4 ? Timestamp{std::chrono::years(9000)} : c.now();
  };
  {
    auto db2 = Database::open(path, failing);
    expect_error([&] { db2.privacy().run_retention(); }, Errc::invalid_argument, "clock");
  }
  const auto runs = privacy().retention_runs();
  BOOST_TEST_REQUIRE(runs.size() == 1u);
  BOOST_TEST(!runs[0].finished_at);
  BOOST_TEST_REQUIRE(runs[0].outcomes.size() == 1u);
  BOOST_TEST((runs[0].outcomes[0].customers == std::vector<CustomerId>{made[0].id, made[1].id}));
  BOOST_TEST(count_rows(path, "erasures") == 2);
  // The next run goes on from where the data stands.
  const RetentionRun next = privacy().run_retention();
  BOOST_TEST(next.outcomes[0].customers.size() == 4u);
  BOOST_TEST(count_rows(path, "erasures") == 6);
  file_is_sound();
}

BOOST_AUTO_TEST_SUITE_END()
