// Notes through the C ABI on a file database: the exact JSON of notes,
// revisions and search hits, mentions, pinning and order, full-text search,
// the timeline events, and every refusal with its code and field.
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <string>

#include "capi_fixture.hpp"

using namespace capi_test;
using namespace capi_test::ticks;

namespace {

struct Notebook : AnaAndBo {
  json add(const std::string& ref, const std::string& body, const char* author = "jane", int pinned = 0) {
    return ok([&](char** o) { return patron_note_add(db, ref.c_str(), body.c_str(), author, pinned, o); });
  }
  json note(std::int64_t id) {
    return ok([&](char** o) { return patron_note_get(db, id, o); });
  }
  json edit(std::int64_t id, const std::string& body, const char* editor) {
    return ok([&](char** o) { return patron_note_edit(db, id, body.c_str(), editor, o); });
  }
  json of_customer(const std::string& ref, std::size_t limit = 50, std::size_t offset = 0) {
    return ok([&](char** o) { return patron_note_of_customer(db, ref.c_str(), limit, offset, o); });
  }
  json search(const std::string& query, const char* ref = nullptr) {
    return ok([&](char** o) { return patron_note_search(db, query.c_str(), ref, 50, 0, o); });
  }
  json ids(const json& notes) {
    json out = json::array();
    for (const auto& n : notes) out.push_back(n.contains("note") ? n["note"]["id"] : n["id"]);
    return out;
  }
};

json note_json(std::int64_t id, const std::string& customer, const std::string& body, const std::string& author,
               const json& mentions = json::array(), bool pinned = false, const std::string& created = kT0Text,
               const json& edited = nullptr, std::int64_t revisions = 0) {
  return {{"id", id},         {"customer", customer}, {"body", body},       {"author", author},
          {"pinned", pinned}, {"mentions", mentions}, {"created_at", created}, {"edited_at", edited},
          {"revisions", revisions}};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(capi_notes)

BOOST_AUTO_TEST_CASE(add_edit_and_read_back_on_a_file) {
  Notebook t;
  BOOST_TEST(t.of_customer("ANA-01") == json::array());
  const std::string body = "Prefers the window table. Ask @Jane or @front-desk; mail ana@example.com. @jane again";
  const json first = t.add("ana-01", body, "bo");
  BOOST_TEST(first == note_json(1, t.ana_id, body, "bo", json::array({"jane", "front-desk"})), "got " << first.dump());

  t.now += kMinute;
  const json edited = t.edit(1, "Prefers the **corner** table", "cy");
  BOOST_TEST(edited == note_json(1, t.ana_id, "Prefers the **corner** table", "cy", json::array(), false, kT0Text,
                                 kT1Text, 1),
             "got " << edited.dump());
  // An unchanged body changes nothing.
  t.now += kMinute;
  BOOST_TEST(t.edit(1, "Prefers the **corner** table", "di") == edited);
  const json revisions = ok([&](char** o) { return patron_note_revisions(t.db, 1, o); });
  BOOST_TEST(revisions == json::array({{{"note", 1},
                                        {"number", 1},
                                        {"body", body},
                                        {"author", "bo"},
                                        {"written_at", kT0Text},
                                        {"replaced_at", kT1Text}}}),
             "got " << revisions.dump());

  const json second = t.add("ANA-01", "Allergic to nuts", "jane");
  const json pinned = t.add("ANA-01", "VIP: greet by name", "jane", 1);
  BOOST_TEST(pinned["pinned"] == true);
  t.add("BO-01", "Bo's note", "jane");

  t.reopen();
  BOOST_TEST(t.note(1) == edited);
  // Pinned first, then newest first (created_at, then id).
  BOOST_TEST(t.ids(t.of_customer("ANA-01")) == json::array({3, 2, 1}));
  BOOST_TEST(t.ids(t.of_customer("ANA-01", 2, 1)) == json::array({2, 1}));
  const json unpinned = ok([&](char** o) { return patron_note_set_pinned(t.db, 3, 0, o); });
  BOOST_TEST(unpinned["pinned"] == false);
  const json repinned = ok([&](char** o) { return patron_note_set_pinned(t.db, 1, 1, o); });
  BOOST_TEST(repinned["pinned"] == true);
  BOOST_TEST(t.ids(t.of_customer("ANA-01")) == json::array({1, 3, 2}));
  BOOST_TEST(ok([&](char** o) { return patron_note_revisions(t.db, 2, o); }) == json::array());
  BOOST_TEST(second["revisions"] == 0);

  BOOST_TEST(patron_note_remove(t.db, 2) == PATRON_OK);
  fails(PATRON_ENOTFOUND, "id", [&](char** o) { return patron_note_get(t.db, 2, o); });
  BOOST_TEST(t.ids(t.of_customer("ANA-01")) == json::array({1, 3}));

  // Each change recorded its event on Ana's timeline.
  const json page = ok([&](char** o) {
    return patron_timeline(t.db, "ANA-01", R"({"text":"note."})", nullptr, 50, o);
  });
  json actions = json::array();
  for (const auto& e : page["events"]) actions.push_back(e["action"]);
  BOOST_TEST(actions == json::array({"note.removed", "note.pinned", "note.unpinned", "note.added", "note.added",
                                     "note.edited", "note.added"}),
             "got " << actions.dump());
}

BOOST_AUTO_TEST_CASE(full_text_search) {
  Notebook t;
  t.add("ANA-01", "Booked the conference room for the Café launch");
  t.add("ANA-01", "Prefers the window table");
  t.add("BO-01", "Conference call about the Cafe menu");

  const json hits = t.search("cafe");
  const json hit_ids = t.ids(hits);
  BOOST_TEST((hit_ids == json::array({1, 3}) || hit_ids == json::array({3, 1})), "got " << hits.dump());
  for (const auto& h : hits) {
    BOOST_TEST(h["rank"].is_number());
    BOOST_TEST(h["snippet"].get<std::string>().find('[') != std::string::npos, "got " << h.dump());
  }
  BOOST_TEST(hits[0]["rank"].get<double>() <= hits[1]["rank"].get<double>());
  const json ana_only = t.search("CONF", "ANA-01");  // a prefix, any case
  BOOST_TEST_REQUIRE(ana_only.size() == 1U);
  BOOST_TEST(ana_only[0]["note"] == t.note(1));
  BOOST_TEST(ana_only[0]["snippet"].get<std::string>().find("[conference]") != std::string::npos,
             "got " << ana_only.dump());
  BOOST_TEST(t.search("window", "") == t.search("window"));
  BOOST_TEST(t.search("window", "BO-01") == json::array());
  BOOST_TEST(t.search("\"window*") .size() == 1U);  // search syntax is plain words
  BOOST_TEST(t.search("window OR nothing") == json::array());  // every word must match
  BOOST_TEST(t.search("nothing") == json::array());
}

BOOST_AUTO_TEST_CASE(refusals) {
  Notebook t;
  const auto add_refused = [&](int code, const char* field, const char* ref, const char* body, const char* author) {
    fails(code, field, [&](char** o) { return patron_note_add(t.db, ref, body, author, 0, o); });
  };
  add_refused(PATRON_EINVAL, "body", "ANA-01", "", "jane");
  add_refused(PATRON_EINVAL, "body", "ANA-01", std::string(100001, 'x').c_str(), "jane");
  add_refused(PATRON_EINVAL, "author", "ANA-01", "Hello", "");
  add_refused(PATRON_EINVAL, "author", "ANA-01", "Hello", std::string(201, 'x').c_str());
  add_refused(PATRON_ENOTFOUND, "ref", "NOBODY-1", "Hello", "jane");
  add_refused(PATRON_EMISUSE, "body", "ANA-01", nullptr, "jane");
  add_refused(PATRON_EMISUSE, "author", "ANA-01", "Hello", nullptr);
  add_refused(PATRON_EMISUSE, "ref", nullptr, "Hello", "jane");
  BOOST_TEST(t.of_customer("ANA-01") == json::array());

  t.add("ANA-01", "Hello");
  fails(PATRON_ENOTFOUND, "id", [&](char** o) { return patron_note_edit(t.db, 9, "Hi", "jane", o); });
  fails(PATRON_EINVAL, "body", [&](char** o) { return patron_note_edit(t.db, 1, "", "jane", o); });
  fails(PATRON_EINVAL, "editor", [&](char** o) { return patron_note_edit(t.db, 1, "Hi", "", o); });
  fails(PATRON_ENOTFOUND, "id", [&](char** o) { return patron_note_set_pinned(t.db, 9, 1, o); });
  fails(PATRON_ENOTFOUND, "id", [&](char** o) { return patron_note_revisions(t.db, 9, o); });
  BOOST_TEST(patron_note_remove(t.db, 9) == PATRON_ENOTFOUND);
  BOOST_TEST(std::string(patron_errfield()) == "id");
  fails(PATRON_EINVAL, "query", [&](char** o) { return patron_note_search(t.db, "  ?! ", nullptr, 50, 0, o); });
  fails(PATRON_ENOTFOUND, "ref", [&](char** o) { return patron_note_search(t.db, "hello", "NOBODY-1", 50, 0, o); });
  fails(PATRON_EINVAL, "limit", [&](char** o) { return patron_note_of_customer(t.db, "ANA-01", 0, 0, o); });
  fails(PATRON_EINVAL, "limit", [&](char** o) { return patron_note_search(t.db, "hello", nullptr, 1001, 0, o); });
  BOOST_TEST(t.note(1)["body"] == "Hello");
}

BOOST_AUTO_TEST_SUITE_END()
