// Notes: adding, editing with revisions kept in order (who, when), pinning
// and list order, @mentions (never email addresses), full-text search
// (accents and case ignored, prefixes, per customer or everyone, bm25
// order, snippets, FTS5 syntax taken as plain words, following edits and
// removals), every refusal with its code and field, and the timeline.
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <chrono>

#include "fixture.hpp"
#include "row_count.hpp"

using namespace patron;
using namespace std::chrono_literals;
using patron::testing::count_rows;
using patron::testing::DbFixture;
using patron::testing::expect_error;

namespace {

constexpr const char* kNobody = "0190f0c2a1b27c3d8e4f5a6b7c8d9e0f";
using Strings = std::vector<std::string>;

struct NotesFixture : DbFixture {
  Customer ana = customers().create({.first_name = "Ana", .last_name = "Silva"});
  Customer ben = customers().create({.first_name = "Ben", .last_name = "Okafor"});
  Notes& notes() { return db.notes(); }
  Note add(const Customer& c, const std::string& body, bool pinned = false) {
    return notes().add(c.number, body, "jane", pinned);
  }
  // The bodies of the hits of `query`, best first.
  Strings found(const std::string& query, std::string_view ref = {}) {
    Strings out;
    for (const auto& h : notes().search(query, ref)) out.push_back(h.note.body);
    return out;
  }
  Strings listed(const Customer& c, Page page = {}) {
    Strings out;
    for (const auto& n : notes().of_customer(c.number, page)) out.push_back(n.body);
    return out;
  }
  Strings actions(const Customer& c) {
    Strings out;
    for (const auto& e : db.activity().timeline(c.number).events) {
      if (e.action.starts_with("note.")) out.push_back(e.action);
    }
    return out;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(notes, NotesFixture)

BOOST_AUTO_TEST_CASE(add_and_read_back) {
  const Note n = notes().add(ana.id.str(), "  Prefers the **window** table.\n\tAsk @Jane.  ", " Jane Doe ");
  BOOST_TEST(n.id > 0);
  BOOST_TEST(n.customer == ana.id);
  BOOST_TEST(n.body == "Prefers the **window** table.\n\tAsk @Jane.");
  BOOST_TEST(n.author == "Jane Doe");
  BOOST_TEST(!n.pinned);
  BOOST_TEST(n.mentions == Strings{"jane"});
  BOOST_TEST(n.created_at == clock.now());
  BOOST_TEST(!n.edited_at.has_value());
  BOOST_TEST(n.revisions == 0);
  BOOST_TEST((notes().get(n.id) == n));
  BOOST_TEST(notes().of_customer(ana.number).size() == 1u);
  BOOST_TEST(notes().of_customer(ben.number).empty());
  BOOST_TEST(notes().revisions(n.id).empty());
}

BOOST_AUTO_TEST_CASE(refusals_name_the_field_and_leave_nothing) {
  const auto add_body = [&](const std::string& body) { return [&, body] { notes().add(ana.number, body, "jane"); }; };
  expect_error(add_body(""), Errc::invalid_argument, "body", "body: must be 1 to 100000 characters");
  expect_error(add_body(" \n\t "), Errc::invalid_argument, "body");
  expect_error(add_body(std::string(100001, 'x')), Errc::invalid_argument, "body");
  expect_error(add_body("bell \a"), Errc::invalid_argument, "body", "control characters");
  expect_error(add_body("bad \xff utf-8"), Errc::invalid_argument, "body", "UTF-8");
  expect_error([&] { notes().add(ana.number, "hi", ""); }, Errc::invalid_argument, "author");
  expect_error([&] { notes().add(ana.number, "hi", std::string(201, 'a')); }, Errc::invalid_argument, "author");
  expect_error([&] { notes().add(kNobody, "hi", "jane"); }, Errc::not_found, "ref");
  expect_error([&] { notes().add("?", "hi", "jane"); }, Errc::invalid_argument, "ref");
  BOOST_TEST(count_rows(path, "notes") == 0);

  // 100,000 characters (not bytes) are allowed.
  const std::string longest = std::string(99999, 'x') + "é";
  BOOST_TEST(notes().add(ana.number, longest, "jane").body == longest);

  const Note n = add(ana, "hello");
  expect_error([&] { notes().edit(n.id, "", "ben"); }, Errc::invalid_argument, "body");
  expect_error([&] { notes().edit(n.id, "new", " "); }, Errc::invalid_argument, "editor");
  expect_error([&] { notes().edit(n.id + 100, "new", "ben"); }, Errc::not_found, "id", "no note");
  expect_error([&] { notes().set_pinned(n.id + 100, true); }, Errc::not_found, "id");
  expect_error([&] { notes().remove(n.id + 100); }, Errc::not_found, "id");
  expect_error([&] { notes().get(n.id + 100); }, Errc::not_found, "id");
  expect_error([&] { notes().revisions(n.id + 100); }, Errc::not_found, "id");
  expect_error([&] { notes().of_customer(kNobody); }, Errc::not_found, "ref");
  expect_error([&] { notes().of_customer(ana.number, {.limit = 0}); }, Errc::invalid_argument, "limit");
  expect_error([&] { notes().of_customer(ana.number, {.limit = 1001}); }, Errc::invalid_argument, "limit");
  expect_error([&] { notes().search(""); }, Errc::invalid_argument, "query");
  expect_error([&] { notes().search(" \"*\" () - ^ : "); }, Errc::invalid_argument, "query", "word");
  expect_error([&] { notes().search("hello", kNobody); }, Errc::not_found, "ref");
  expect_error([&] { notes().search("hello", {}, {.limit = 0}); }, Errc::invalid_argument, "limit");
  BOOST_TEST(notes().get(n.id).body == "hello");  // the refused edit changed nothing
  BOOST_TEST(count_rows(path, "note_revisions") == 0);
}

BOOST_AUTO_TEST_CASE(mentions_are_names_after_an_at_never_email_addresses) {
  const Note n = add(ana, "@Ops: ask @Jane and @front-desk (cc ana@example.com, @jane again), thanks @Zoë. "
                          "Also @bob_s's table; not @ alone or @-x.");
  BOOST_TEST(n.mentions == (Strings{"ops", "jane", "front-desk", "zoë", "bob_s"}));
  BOOST_TEST(add(ana, "mail ana@example.com or bo.b@x.org").mentions.empty());
  BOOST_TEST(notes().get(n.id).mentions == n.mentions);
  // Editing re-reads them.
  BOOST_TEST(notes().edit(n.id, "now for @Sam", "jane").mentions == Strings{"sam"});
}

BOOST_AUTO_TEST_CASE(edits_keep_every_earlier_body_in_order_with_who_and_when) {
  const Timestamp t0 = clock.now();
  const Note n = notes().add(ana.number, "first body", "ana");
  clock.advance(1min);
  const Timestamp t1 = clock.now();
  Note e = notes().edit(n.id, "second body", "ben");
  BOOST_TEST(e.body == "second body");
  BOOST_TEST(e.author == "ben");
  BOOST_TEST(e.created_at == t0);
  BOOST_TEST((e.edited_at == t1));
  BOOST_TEST(e.revisions == 1);
  clock.advance(1h);
  const Timestamp t2 = clock.now();
  e = notes().edit(n.id, "third body", "cara");
  BOOST_TEST(e.revisions == 2);
  BOOST_TEST((notes().get(n.id) == e));

  const auto revs = notes().revisions(n.id);
  BOOST_TEST_REQUIRE(revs.size() == 2u);
  BOOST_TEST((revs[0] == NoteRevision{n.id, 1, "first body", "ana", t0, t1}));
  BOOST_TEST((revs[1] == NoteRevision{n.id, 2, "second body", "ben", t1, t2}));

  // An unchanged body (after trimming) changes nothing: no revision, no new editor or time.
  clock.advance(1h);
  const Note same = notes().edit(n.id, "  third body \n", "dan");
  BOOST_TEST((same == e));
  BOOST_TEST(notes().revisions(n.id).size() == 2u);
}

BOOST_AUTO_TEST_CASE(pinned_first_then_newest_first) {
  const Note n1 = add(ana, "one");
  clock.advance(1s);
  const Note n2 = add(ana, "two");
  clock.advance(1s);
  add(ana, "three");
  clock.advance(1s);
  const Note n4 = add(ana, "four", true);
  BOOST_TEST(n4.pinned);
  const Note pinned = notes().set_pinned(n2.id, true);
  BOOST_TEST(pinned.pinned);
  BOOST_TEST((notes().set_pinned(n2.id, true) == pinned));  // already pinned: unchanged
  BOOST_TEST(listed(ana) == (Strings{"four", "two", "three", "one"}));
  notes().set_pinned(n4.id, false);
  BOOST_TEST(listed(ana) == (Strings{"two", "four", "three", "one"}));
  BOOST_TEST(listed(ana, {.limit = 2, .offset = 1}) == (Strings{"four", "three"}));
  // Same time: the later id first.
  const Note n5 = add(ana, "five");
  BOOST_TEST(n5.created_at == n4.created_at);
  BOOST_TEST(listed(ana) == (Strings{"two", "five", "four", "three", "one"}));
  (void)n1;
}

BOOST_AUTO_TEST_CASE(search_ignores_accents_and_case_and_takes_prefixes) {
  add(ana, "Loves the Café au lait at the CONFERENCE bar");
  add(ben, "Allergic to nuts");
  BOOST_TEST(found("cafe") == Strings{"Loves the Café au lait at the CONFERENCE bar"});
  BOOST_TEST(found("CAFÉ").size() == 1u);
  BOOST_TEST(found("caf").size() == 1u);
  BOOST_TEST(found("conf").size() == 1u);
  BOOST_TEST(found("Conference LAIT").size() == 1u);  // every word must match
  BOOST_TEST(found("conference nuts").empty());
  BOOST_TEST(found("nut") == Strings{"Allergic to nuts"});
  BOOST_TEST(found("tea").empty());
}

BOOST_AUTO_TEST_CASE(search_per_customer_or_everyone) {
  add(ana, "Likes red wine");
  add(ben, "Brought his own wine");
  add(ben, "Prefers beer");
  BOOST_TEST(found("wine").size() == 2u);
  BOOST_TEST(found("wine", ana.number) == Strings{"Likes red wine"});
  BOOST_TEST(found("wine", ben.id.str()) == Strings{"Brought his own wine"});
  BOOST_TEST(found("beer", ana.number).empty());
  const auto hits = notes().search("wine", ana.number);
  BOOST_TEST(hits[0].note.customer == ana.id);
  BOOST_TEST((hits[0].note == notes().get(hits[0].note.id)));
}

BOOST_AUTO_TEST_CASE(hits_come_best_first_by_bm25) {
  add(ana, "The regular table by the window; ordered wine once, mostly water, sometimes juice and tea");
  add(ana, "Wine, wine and more wine");
  add(ana, "Wine list request");
  const auto hits = notes().search("wine");
  BOOST_TEST_REQUIRE(hits.size() == 3u);
  BOOST_TEST(hits[0].note.body == "Wine, wine and more wine");
  BOOST_TEST(hits[1].note.body == "Wine list request");
  BOOST_TEST(hits[2].note.body.starts_with("The regular table"));
  BOOST_TEST(hits[0].rank < hits[1].rank);
  BOOST_TEST(hits[1].rank < hits[2].rank);
  BOOST_TEST(hits[2].rank < 0.0);  // bm25: lower is better
  const auto second = notes().search("wine", {}, {.limit = 1, .offset = 1});
  BOOST_TEST_REQUIRE(second.size() == 1u);
  BOOST_TEST(second[0].note.body == "Wine list request");
}

BOOST_AUTO_TEST_CASE(snippets_bracket_matches_and_mark_cuts) {
  add(ana, "Met at the Lisbon conférence; talked about port wine");
  BOOST_TEST(notes().search("conference")[0].snippet == "Met at the Lisbon [conférence]; talked about port wine");
  BOOST_TEST(notes().search("lis WINE")[0].snippet == "Met at the [Lisbon] conférence; talked about port [wine]");
  add(ben,
      "One two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
      "seventeen eighteen nineteen twenty twentyone twentytwo twentythree twentyfour twentyfive anniversary dinner "
      "booked for thirty guests in the garden room with live music and a cake");
  // At most 16 words, cut on both sides.
  BOOST_TEST(notes().search("anniversary")[0].snippet ==
             "…nineteen twenty twentyone twentytwo twentythree twentyfour twentyfive [anniversary] dinner booked for "
             "thirty guests in the garden…");
}

BOOST_AUTO_TEST_CASE(fts_syntax_in_a_query_is_plain_words) {
  add(ana, "Likes red wine");
  add(ben, "Nothing NEAR the door");
  for (const char* q : {"wine*", "\"wine", "wine\"", "(wine)", "^wine", "-wine", "wine:", "+wine", "{wine}",
                        "wine'", "w\"i\"ne"}) {
    BOOST_TEST_CONTEXT("query " << q) {
      if (std::string_view(q) == "w\"i\"ne") {
        BOOST_TEST(found(q).empty());  // three words: "w", "i", "ne"
      } else {
        BOOST_TEST(found(q) == Strings{"Likes red wine"});
      }
    }
  }
  // Operators are words too.
  BOOST_TEST(found("NEAR") == Strings{"Nothing NEAR the door"});
  BOOST_TEST(found("NOT") == Strings{"Nothing NEAR the door"});  // prefix of "Nothing"
  BOOST_TEST(found("wine OR door").empty());                      // "or" is a word neither has
  BOOST_TEST(found("red AND wine").empty());                      // nor "and"
  BOOST_TEST(found("body:door") .empty());                        // "body" is a word, not a column
}

BOOST_AUTO_TEST_CASE(search_follows_edits_and_removals) {
  const Note n = add(ana, "Asked for the quiet corner");
  BOOST_TEST(found("quiet").size() == 1u);
  notes().edit(n.id, "Asked for the terrace", "ben");
  BOOST_TEST(found("quiet").empty());
  BOOST_TEST(found("corner").empty());
  BOOST_TEST(found("terrace").size() == 1u);
  BOOST_TEST(notes().search("terrace")[0].note.revisions == 1);
  notes().remove(n.id);
  BOOST_TEST(found("terrace").empty());
  BOOST_TEST(found("asked").empty());
  expect_error([&] { notes().get(n.id); }, Errc::not_found, "id");
  BOOST_TEST(count_rows(path, "notes") == 0);
  BOOST_TEST(count_rows(path, "note_revisions") == 0);
  // A new note never takes a removed note's id.
  BOOST_TEST(add(ana, "again").id > n.id);
}

BOOST_AUTO_TEST_CASE(every_change_records_its_event) {
  const Note n = add(ana, "hello @sam");
  notes().edit(n.id, "hello again", "ben");
  notes().edit(n.id, "hello again", "ben");  // unchanged: no event
  notes().set_pinned(n.id, true);
  notes().set_pinned(n.id, true);  // unchanged: no event
  notes().set_pinned(n.id, false);
  notes().remove(n.id);
  BOOST_TEST(actions(ana) == (Strings{"note.removed", "note.unpinned", "note.pinned", "note.edited", "note.added"}));
  BOOST_TEST(actions(ben).empty());
  const auto events = db.activity().timeline(ana.number).events;
  const auto added =
      std::find_if(events.begin(), events.end(), [](const Event& e) { return e.action == "note.added"; });
  BOOST_TEST_REQUIRE((added != events.end()));
  BOOST_TEST(added->summary == "Note added");
  for (const std::string& part : {"\"note\":" + std::to_string(n.id), std::string("\"author\":\"jane\""),
                                 std::string("\"pinned\":false"), std::string("\"mentions\":[\"sam\"]")}) {
    BOOST_TEST(added->details.find(part) != std::string::npos, added->details << " should have " << part);
  }
}

BOOST_AUTO_TEST_SUITE_END()
