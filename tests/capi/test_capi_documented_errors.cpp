// Every error patron.h documents, with the field it documents: one row per
// (condition -> code, errfield) the header states, in its ERROR FIELDS
// section or in a function's comment, triggered through the C ABI. Each row
// asserts the exact code and errfield, that the out-parameter was set to
// NULL, and that nothing was written (no new event in the log, and the
// area's records unchanged). A row's name quotes the header line it checks,
// so a failure says which documented line broke.
//
// The other test_capi_*.cpp files test the same refusals among the
// behaviour of their area; this file is the header's checklist.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "capi_fixture.hpp"

using namespace capi_test;

namespace {

using Call = std::function<int(char**)>;

// One documented error: `doc` names the patron.h section and quotes the
// line; `in_message`, when set, must appear in the message.
struct Row {
  std::string doc;
  int code;
  std::string field;
  Call call;
  std::string in_message = {};
};

// A call that hands nothing out through a char** (an int result, a count,
// an id buffer) as a Call: the out-parameter fails() watches is cleared.
template <class F>
Call plain(F f) {
  return [f](char** out) {
    if (out != nullptr) *out = nullptr;
    return f();
  };
}

std::int64_t last_event(patron_db* db) {
  std::int64_t id = -1;
  const int rc = patron_last_event_id(db, &id);
  BOOST_TEST_REQUIRE(rc == PATRON_OK, describe_failure(rc));
  return id;
}

// Runs every row on `db`; `state` is what a refused call must leave as it
// was, besides the event log.
void check(patron_db* db, const std::vector<Row>& rows, const std::function<json()>& state) {
  for (const Row& r : rows) {
    BOOST_TEST_CONTEXT("patron.h " << r.doc) {
      const std::int64_t events = last_event(db);
      const json before = state();
      const Failure f = fails(r.code, r.field, r.call);
      if (!r.in_message.empty()) {
        BOOST_TEST(f.message.find(r.in_message) != std::string::npos,
                   "message '" << f.message << "' lacks '" << r.in_message << "'");
      }
      BOOST_TEST(last_event(db) == events, "an event was recorded");
      BOOST_TEST(state() == before, "something was written");
    }
  }
}

constexpr std::int64_t kSecond = 1000000;
constexpr std::int64_t kHour = 3600 * kSecond;
constexpr std::int64_t kDay = 24 * kHour;

// TIMESTAMP text of a time in microseconds since the epoch.
std::string ts(std::int64_t micros) {
  const auto seconds = static_cast<std::time_t>(micros / kSecond);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[80];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(micros % kSecond));
  return buf;
}
std::string day(int d) { return ts(kT0 + d * kDay); }

// Ana and Bo, and Cy ("CY-01"): first and last name only, no email.
struct People : AnaAndBo {
  json cy = create(R"({"first_name":"Cy","last_name":"Cole","number":"CY-01"})");

  json call(const Call& c) { return ok(c); }
  json everyone() {
    return ok([&](char** o) { return patron_customer_search(db, "", 1000, 0, o); });
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(capi_documented_errors)

// ---------------------------------------------------------------- CONVENTIONS, patron_open

BOOST_AUTO_TEST_CASE(conventions_and_open) {
  People t;
  patron_db* db = t.db;
  const std::vector<Row> rows = {
      {"CONVENTIONS: NULL for the handle fails with PATRON_EMISUSE; errfield names the argument (\"db\")",
       PATRON_EMISUSE, "db", [&](char** o) { return patron_customer_get(nullptr, "ANA-01", o); }},
      {"CONVENTIONS: NULL for a required string fails with PATRON_EMISUSE naming it (\"ref\")", PATRON_EMISUSE, "ref",
       [&](char** o) { return patron_customer_get(db, nullptr, o); }},
      {"CONVENTIONS: NULL for an out-parameter fails with PATRON_EMISUSE naming it (\"out_json\")", PATRON_EMISUSE,
       "out_json", plain([&] { return patron_customer_get(db, "ANA-01", nullptr); })},
      {"CONVENTIONS: invalid UTF-8 is refused with PATRON_EINVAL (in a document: \"json\")", PATRON_EINVAL, "json",
       [&](char** o) { return patron_customer_create(db, "{\"first_name\":\"D\xff\",\"last_name\":\"Li\"}", o); }},
      {"CONVENTIONS: invalid UTF-8 is refused with PATRON_EINVAL (an argument: its name)", PATRON_EINVAL, "ref",
       [&](char** o) { return patron_customer_get(db, "ANA\xff", o); }},
  };
  check(db, rows, [&] { return t.everyone(); });

  // patron_open and patron_options.
  patron::testing::TempDir dir;
  const std::string path = dir.file("other.db");
  auto open_fails = [&](const char* doc, int code, const char* field, const patron_options* opts, const char* at) {
    BOOST_TEST_CONTEXT("patron.h " << doc) {
      patron_db* other = reinterpret_cast<patron_db*>(&dir);  // must be overwritten
      const int rc = patron_open(&other, at, opts);
      BOOST_TEST(rc == code, describe_failure(rc));
      BOOST_TEST(other == nullptr);
      BOOST_TEST(std::string(patron_errfield()) == field, "errfield '" << patron_errfield() << "'");
      if (rc == PATRON_OK) patron_close(other);
    }
  };
  patron_options opts;
  patron_options_init(&opts);
  opts.version = 0;
  open_fails("patron_open: PATRON_EINVAL (bad options; errfield \"version\")", PATRON_EINVAL, "version", &opts,
             path.c_str());
  patron_options_init(&opts);
  opts.default_region = "ZZ";
  open_fails("patron_open: PATRON_EINVAL (errfield \"default_region\")", PATRON_EINVAL, "default_region", &opts,
             path.c_str());
  patron_options_init(&opts);
  opts.busy_timeout_ms = -1;
  open_fails("patron_open: PATRON_EINVAL (errfield \"busy_timeout_ms\")", PATRON_EINVAL, "busy_timeout_ms", &opts,
             path.c_str());
  patron_options_init(&opts);
  opts.free_mail_domain_count = 2;
  open_fails(
      "patron_options: a NULL array with a non-zero count fails with PATRON_EINVAL, errfield "
      "\"free_mail_domains\"",
      PATRON_EINVAL, "free_mail_domains", &opts, path.c_str());
  const char* const domains[] = {"bigisp.net", nullptr, "co.uk", "not a domain"};
  patron_options_init(&opts);
  opts.free_mail_domains = domains;
  opts.free_mail_domain_count = 2;
  open_fails("patron_options: a NULL element ... errfield \"free_mail_domains[i]\"", PATRON_EINVAL,
             "free_mail_domains[1]", &opts, path.c_str());
  const char* const suffix[] = {"bigisp.net", "co.uk"};
  opts.free_mail_domains = suffix;
  open_fails("patron_options: an element that is a bare public suffix ... errfield \"free_mail_domains[i]\"",
             PATRON_EINVAL, "free_mail_domains[1]", &opts, path.c_str());
  const char* const junk[] = {"not a domain"};
  opts.free_mail_domains = junk;
  opts.free_mail_domain_count = 1;
  open_fails("patron_options: an element that is not a domain ... errfield \"free_mail_domains[i]\"", PATRON_EINVAL,
             "free_mail_domains[0]", &opts, path.c_str());
  patron_options_init(&opts);
  opts.max_document_bytes = 0;
  open_fails("patron_options: max_document_bytes must be > 0, else PATRON_EINVAL, errfield \"max_document_bytes\"",
             PATRON_EINVAL, "max_document_bytes", &opts, path.c_str());
  open_fails("patron_open: PATRON_EMISUSE (NULL path)", PATRON_EMISUSE, "path", nullptr, nullptr);
  open_fails("patron_open: PATRON_ESTORAGE (the file cannot be opened)", PATRON_ESTORAGE, "", nullptr,
             dir.file("no/such/dir/x.db").c_str());
  BOOST_TEST_CONTEXT("patron.h patron_open: PATRON_EMISUSE (NULL out)") {
    BOOST_TEST(patron_open(nullptr, path.c_str(), nullptr) == PATRON_EMISUSE);
    BOOST_TEST(std::string(patron_errfield()) == "out");
  }
}

// ---------------------------------------------------------------- customers

BOOST_AUTO_TEST_CASE(customers) {
  People t;
  patron_db* db = t.db;
  t.call([&](char** o) { return patron_customer_add_phone(db, "ANA-01", "07911 123456", "mobile", o); });
  t.call([&](char** o) { return patron_customer_ban(db, "BO-01", "fraud", "jane", o); });
  t.create(R"({"first_name":"Di","last_name":"Dee","number":"DI-01"})");
  t.call([&](char** o) { return patron_customer_merge(db, "BO-01", "DI-01", R"({"by":"jane"})", o); });
  const std::string many =
      R"([{"email":"d1@example.com"},{"email":"d2@example.com"},{"email":"d3@example.com"},{"email":"not-an-email"}])";
  auto create = [&](const std::string& js) -> Call {
    return [&db, js](char** o) { return patron_customer_create(db, js.c_str(), o); };
  };
  const std::vector<Row> rows = {
      // ERROR FIELDS, the general rule.
      {"ERROR FIELDS: the JSON path inside the document (\"email\")", PATRON_EINVAL, "email",
       create(R"({"email":"not-an-email"})")},
      {"ERROR FIELDS: the JSON path inside the document (\"addresses[0].country\")", PATRON_EINVAL,
       "addresses[0].country",
       create(R"({"first_name":"Di","last_name":"Li","addresses":[{"city":"Leeds","country":"UK"}]})")},
      {"ERROR FIELDS: the JSON path inside the document (\"tags[1]\")", PATRON_EINVAL, "tags[1]",
       create(R"({"first_name":"Di","last_name":"Li","tags":["vip",3]})")},
      {"ERROR FIELDS: \"[3].email\" for the fourth element of patron_customer_create_many", PATRON_EINVAL, "[3].email",
       [&](char** o) { return patron_customer_create_many(db, many.c_str(), o); }},
      {"ERROR FIELDS: \"address.country\" for patron_customer_add_address", PATRON_EINVAL, "address.country",
       [&](char** o) { return patron_customer_add_address(db, "ANA-01", R"({"city":"Leeds","country":"XX"})", o); }},
      {"ERROR FIELDS: \"json\" when the document itself is not valid JSON", PATRON_EINVAL, "json", create("{")},
      {"ERROR FIELDS: \"json\" when the document is not of the expected shape", PATRON_EINVAL, "json", create("[]")},
      {"ERROR FIELDS: \"customer\" when the rule that a customer be recognisable is broken", PATRON_EINVAL, "customer",
       create(R"({"first_name":"Di"})")},
      {"ERROR FIELDS: the argument name for arguments that are not JSON (\"ref\")", PATRON_EINVAL, "ref",
       [&](char** o) { return patron_customer_get(db, "no", o); }},
      {"ERROR FIELDS: the argument name (\"email\")", PATRON_EINVAL, "email",
       [&](char** o) { return patron_customer_add_email(db, "ANA-01", "not-an-email", 0, o); }},
      {"ERROR FIELDS: the argument name (\"phone\")", PATRON_EINVAL, "phone",
       [&](char** o) { return patron_customer_add_phone(db, "ANA-01", "", nullptr, o); }},
      {"ERROR FIELDS: the argument name (\"number\")", PATRON_EINVAL, "number",
       [&](char** o) { return patron_customer_set_number(db, "ANA-01", "A1", o); }},
      {"ERROR FIELDS: the argument name (\"label\")", PATRON_EINVAL, "label",
       [&](char** o) { return patron_customer_add_phone(db, "ANA-01", "07911 123457", "pager", o); }},
      {"ERROR FIELDS: the argument name (\"token\")", PATRON_EINVAL, "token",
       [&](char** o) { return patron_identify(db, "", o); }},
      // New customer.
      {"New customer: unknown keys are refused with PATRON_EINVAL naming the key", PATRON_EINVAL, "nickname",
       create(R"({"first_name":"Di","last_name":"Li","nickname":"D"})")},
      {"New customer: errfield \"phone\" when a first name came with a phone that is not valid", PATRON_EINVAL, "phone",
       create(R"({"first_name":"Di","phone":"07700 900123"})")},
      {"New customer: (not recognisable) \"customer\" otherwise", PATRON_EINVAL, "customer",
       create(R"({"last_name":"Li","phone":"07911 123457"})")},
      {"New customer: an emergency contact, when given, needs a name", PATRON_EINVAL, "emergency_contact.name",
       create(R"({"first_name":"Di","last_name":"Li","emergency_contact":{"phone":"+351912345678"}})")},
      {"ADDRESS: \"country\" is required", PATRON_EINVAL, "addresses[0].country",
       create(R"({"first_name":"Di","last_name":"Li","addresses":[{"city":"Leeds"}]})")},
      {"ADDRESS: an address needs at least one of line1, city or postal_code", PATRON_EINVAL, "addresses[0].line1",
       create(R"({"first_name":"Di","last_name":"Li","addresses":[{"country":"GB","region":"Yorkshire"}]})")},
      {"New customer / CUSTOM FIELDS: a key no field has is refused (errfield \"custom_fields.<key>\")", PATRON_EINVAL,
       "custom_fields.vip_level",
       create(R"({"first_name":"Di","last_name":"Li","custom_fields":{"vip_level":"gold"}})")},
      // The customer calls.
      {"customers: a `ref` that names nobody fails with PATRON_ENOTFOUND (errfield \"ref\")", PATRON_ENOTFOUND, "ref",
       [&](char** o) { return patron_customer_get(db, "NOBODY-1", o); }},
      {"customers: a change that would leave a customer unrecognisable fails with PATRON_EPRECONDITION, errfield "
       "\"customer\"",
       PATRON_EPRECONDITION, "customer",
       [&](char** o) { return patron_customer_update(db, "CY-01", R"({"last_name":null})", o); }},
      {"patron_customer_create: PATRON_EEXIST (the email is held by another customer -- the message names that "
       "customer's id)",
       PATRON_EEXIST, "email", create(R"({"first_name":"Di","email":"ANA@example.com"})"), t.ana_id},
      {"patron_customer_create: PATRON_EEXIST (... or the number is taken)", PATRON_EEXIST, "number",
       create(R"({"first_name":"Di","last_name":"Li","number":"ana-01"})")},
      {"patron_customer_create_many: when one is refused, errfield starts with its index (\"[12].email\")",
       PATRON_EEXIST, "[1].email",
       [&](char** o) {
         return patron_customer_create_many(db, R"([{"email":"d1@example.com"},{"email":"bo@example.org"}])", o);
       }},
      {"patron_customer_search: `limit` (1..1000, else PATRON_EINVAL with errfield \"limit\")", PATRON_EINVAL, "limit",
       [&](char** o) { return patron_customer_search(db, "", 1001, 0, o); }},
      {"patron_customer_history: an unknown kind is PATRON_EINVAL naming \"kinds[i]\"", PATRON_EINVAL, "kinds[1]",
       [&](char** o) { return patron_customer_history(db, "ANA-01", R"({"kinds":["order","visit"]})", 10, 0, o); }},
      {"patron_customer_history: an unknown status is PATRON_EINVAL naming \"statuses[i]\"", PATRON_EINVAL,
       "statuses[0]",
       [&](char** o) { return patron_customer_history(db, "ANA-01", R"({"statuses":["lost"]})", 10, 0, o); }},
      {"patron_customer_history: paging as for patron_customer_search (\"limit\")", PATRON_EINVAL, "limit",
       [&](char** o) { return patron_customer_history(db, "ANA-01", nullptr, 0, 0, o); }},
      {"patron_customer_set_number: PATRON_EEXIST when another customer holds it (compared ignoring case)",
       PATRON_EEXIST, "number", [&](char** o) { return patron_customer_set_number(db, "ANA-01", "bo-01", o); }},
      {"patron_customer_add_email: PATRON_EEXIST when another customer holds it", PATRON_EEXIST, "email",
       [&](char** o) { return patron_customer_add_email(db, "ANA-01", "Bo@Example.org", 0, o); }},
      {"patron_customer_remove_email: PATRON_ENOTFOUND (errfield \"email\") when the customer does not have it",
       PATRON_ENOTFOUND, "email",
       [&](char** o) { return patron_customer_remove_email(db, "ANA-01", "bo@example.org", o); }},
      {"patron_customer_set_primary_email: PATRON_ENOTFOUND (errfield \"email\")", PATRON_ENOTFOUND, "email",
       [&](char** o) { return patron_customer_set_primary_email(db, "ANA-01", "x@example.com", o); }},
      {"patron_customer_add_phone: PATRON_EEXIST when the customer already has that number", PATRON_EEXIST, "phone",
       [&](char** o) { return patron_customer_add_phone(db, "ANA-01", "+44 7911 123456", "work", o); }},
      {"patron_customer_remove_phone: PATRON_ENOTFOUND (errfield \"phone\") when none does", PATRON_ENOTFOUND, "phone",
       [&](char** o) { return patron_customer_remove_phone(db, "ANA-01", "07911 999999", o); }},
      {"patron_customer_remove_address: PATRON_ENOTFOUND (errfield \"address_id\")", PATRON_ENOTFOUND, "address_id",
       [&](char** o) { return patron_customer_remove_address(db, "ANA-01", 42, o); }},
      {"patron_customer_ban: `reason` must not be empty (EINVAL, errfield \"reason\")", PATRON_EINVAL, "reason",
       [&](char** o) { return patron_customer_ban(db, "ANA-01", " ", "jane", o); }},
      {"patron_customer_ban: `by` must not be empty (EINVAL, errfield \"by\")", PATRON_EINVAL, "by",
       [&](char** o) { return patron_customer_ban(db, "ANA-01", "fraud", "", o); }},
      {"patron_customer_ban: PATRON_EPRECONDITION (errfield \"status\") when already banned", PATRON_EPRECONDITION,
       "status", [&](char** o) { return patron_customer_ban(db, "BO-01", "again", "jane", o); }, "already banned"},
      {"patron_customer_unban: PATRON_EPRECONDITION (errfield \"status\") when the customer is not banned",
       PATRON_EPRECONDITION, "status", [&](char** o) { return patron_customer_unban(db, "ANA-01", o); }, "not banned"},
      {"patron_customer_set_online: ttl_seconds is 1..604800, else PATRON_EINVAL with errfield \"ttl\"", PATRON_EINVAL,
       "ttl", [&](char** o) { return patron_customer_set_online(db, "ANA-01", 604801, o); }},
      {"patron_customer_merge: PATRON_EINVAL (\"by\" empty)", PATRON_EINVAL, "by",
       [&](char** o) { return patron_customer_merge(db, "ANA-01", "CY-01", R"({"by":""})", o); }},
      {"patron_customer_merge: PATRON_EINVAL (\"take[i]\" not a field a merge takes)", PATRON_EINVAL, "take[1]",
       [&](char** o) {
         return patron_customer_merge(db, "ANA-01", "CY-01", R"({"by":"jane","take":["title","email"]})", o);
       },
       "not a field a merge takes"},
      {"patron_customer_merge: PATRON_EINVAL (\"take[i]\" naming no custom field)", PATRON_EINVAL, "take[0]",
       [&](char** o) {
         return patron_customer_merge(db, "ANA-01", "CY-01", R"({"by":"jane","take":["custom.nope"]})", o);
       },
       "no custom field"},
      {"patron_customer_merge: PATRON_EINVAL (\"absorbed\" the survivor itself)", PATRON_EINVAL, "absorbed",
       [&](char** o) { return patron_customer_merge(db, "ANA-01", t.ana_id.c_str(), R"({"by":"jane"})", o); },
       "itself"},
      {"patron_customer_merge: PATRON_EINVAL (\"survivor\" / \"absorbed\" not an id or number)", PATRON_EINVAL,
       "survivor", [&](char** o) { return patron_customer_merge(db, "??", "CY-01", R"({"by":"jane"})", o); }},
      {"patron_customer_merge: PATRON_EINVAL (\"survivor\" / \"absorbed\" not an id or number)", PATRON_EINVAL,
       "absorbed", [&](char** o) { return patron_customer_merge(db, "ANA-01", "??", R"({"by":"jane"})", o); }},
      {"patron_customer_merge: PATRON_ENOTFOUND (\"survivor\", \"absorbed\")", PATRON_ENOTFOUND, "survivor",
       [&](char** o) { return patron_customer_merge(db, "ZZ-404", "CY-01", R"({"by":"jane"})", o); }},
      {"patron_customer_merge: PATRON_ENOTFOUND (\"survivor\", \"absorbed\")", PATRON_ENOTFOUND, "absorbed",
       [&](char** o) { return patron_customer_merge(db, "ANA-01", "ZZ-404", R"({"by":"jane"})", o); }},
      {"patron_customer_merge: PATRON_EPRECONDITION (\"survivor\" or \"absorbed\" already merged away)",
       PATRON_EPRECONDITION, "absorbed",
       [&](char** o) { return patron_customer_merge(db, "ANA-01", "DI-01", R"({"by":"jane"})", o); }, "already merged"},
      {"patron_customer_merge: PATRON_EPRECONDITION (\"survivor\" or \"absorbed\" already merged away)",
       PATRON_EPRECONDITION, "survivor",
       [&](char** o) { return patron_customer_merge(db, "DI-01", "ANA-01", R"({"by":"jane"})", o); }, "merged into"},
      {"patron_customer_resolve: PATRON_EINVAL (errfield \"ref\") when it is neither an id nor a number",
       PATRON_EINVAL, "ref", [&](char** o) { return patron_customer_resolve(db, "??", o); }},
  };
  check(db, rows, [&] { return t.everyone(); });
}

// ---------------------------------------------------------------- duplicates

BOOST_AUTO_TEST_CASE(duplicates) {
  People t;
  patron_db* db = t.db;
  const auto state = [&] {
    json s = t.everyone();
    s.push_back(t.call([&](char** o) { return patron_duplicates_model(db, o); }));
    s.push_back(t.call([&](char** o) { return patron_duplicates_scan(db, R"({"min_probability":0})", o); }));
    return s;
  };
  const std::vector<Row> rows = {
      {"patron_duplicates_similar_to: PATRON_EINVAL naming it (\"email\", ...)", PATRON_EINVAL, "email",
       [&](char** o) { return patron_duplicates_similar_to(db, R"({"email":"ana@"})", nullptr, o); }},
      {"patron_duplicates_similar_to: PATRON_EINVAL naming it (\"addresses[0].country\", ...)", PATRON_EINVAL,
       "addresses[0].country",
       [&](char** o) {
         return patron_duplicates_similar_to(db, R"({"addresses":[{"city":"Porto","country":"XX"}]})", nullptr, o);
       }},
      {"patron_duplicates_similar_to: or \"probe_json\" when it holds none of them", PATRON_EINVAL, "probe_json",
       [&](char** o) { return patron_duplicates_similar_to(db, R"({"title":"Dr"})", nullptr, o); }},
      {"patron_duplicates_of: PATRON_ENOTFOUND (\"ref\")", PATRON_ENOTFOUND, "ref",
       [&](char** o) { return patron_duplicates_of(db, "ZZ-404", nullptr, o); }},
      {"Both: PATRON_EINVAL (\"min_probability\", \"limit\")", PATRON_EINVAL, "min_probability",
       [&](char** o) { return patron_duplicates_of(db, "ANA-01", R"({"min_probability":2})", o); }},
      {"Both: PATRON_EINVAL (\"min_probability\", \"limit\")", PATRON_EINVAL, "limit",
       [&](char** o) { return patron_duplicates_similar_to(db, R"({"last_name":"Silva"})", R"({"limit":0})", o); }},
      {"patron_duplicates_scan: PATRON_EINVAL (\"min_probability\", \"offset\", \"limit\")", PATRON_EINVAL,
       "min_probability", [&](char** o) { return patron_duplicates_scan(db, R"({"min_probability":-1})", o); }},
      {"patron_duplicates_scan: PATRON_EINVAL (\"min_probability\", \"offset\", \"limit\")", PATRON_EINVAL, "offset",
       [&](char** o) { return patron_duplicates_scan(db, R"({"offset":-1})", o); }},
      {"patron_duplicates_scan: PATRON_EINVAL (\"min_probability\", \"offset\", \"limit\")", PATRON_EINVAL, "limit",
       [&](char** o) { return patron_duplicates_scan(db, R"({"limit":100001})", o); }},
      {"dismiss/label: PATRON_EINVAL (\"b\": the same customer as a)", PATRON_EINVAL, "b",
       plain([&] { return patron_duplicates_dismiss(db, "ANA-01", t.ana_id.c_str(), "jane"); }), "the same customer"},
      {"dismiss/label: PATRON_EINVAL (\"by\" empty or over 200 characters)", PATRON_EINVAL, "by",
       plain([&] { return patron_duplicates_label(db, "ANA-01", "BO-01", 1, ""); })},
      {"dismiss/label: PATRON_EINVAL (\"by\" empty or over 200 characters)", PATRON_EINVAL, "by",
       plain([&] { return patron_duplicates_dismiss(db, "ANA-01", "BO-01", std::string(201, 'x').c_str()); })},
      {"dismiss/label: PATRON_EINVAL (\"a\" / \"b\" not an id or number)", PATRON_EINVAL, "a",
       plain([&] { return patron_duplicates_dismiss(db, "??", "BO-01", "jane"); })},
      {"dismiss/label: PATRON_ENOTFOUND (\"a\", \"b\")", PATRON_ENOTFOUND, "b",
       plain([&] { return patron_duplicates_dismiss(db, "ANA-01", "ZZ-404", "jane"); })},
      {"patron_duplicates_train: PATRON_EINVAL (\"by\", \"random_pairs\", \"max_iterations\")", PATRON_EINVAL, "by",
       [&](char** o) { return patron_duplicates_train(db, R"({"random_pairs":5000})", o); }},
      {"patron_duplicates_train: PATRON_EINVAL (\"by\", \"random_pairs\", \"max_iterations\")", PATRON_EINVAL,
       "random_pairs", [&](char** o) { return patron_duplicates_train(db, R"({"by":"x","random_pairs":999})", o); }},
      {"patron_duplicates_train: PATRON_EINVAL (\"by\", \"random_pairs\", \"max_iterations\")", PATRON_EINVAL,
       "max_iterations", [&](char** o) { return patron_duplicates_train(db, R"({"by":"x","max_iterations":0})", o); }},
  };
  check(db, rows, state);

  Db lonely;
  ok([&](char** o) { return patron_customer_create(lonely.db, R"({"first_name":"Only","last_name":"One"})", o); });
  const std::vector<Row> alone = {
      {"patron_duplicates_train: PATRON_EPRECONDITION (\"profiles\": fewer than 2 customers to compare)",
       PATRON_EPRECONDITION, "profiles",
       [&](char** o) { return patron_duplicates_train(lonely.db, R"({"by":"x"})", o); }},
  };
  check(lonely.db, alone, [&] { return ok([&](char** o) { return patron_duplicates_model(lonely.db, o); }); });
}

// ---------------------------------------------------------------- orders, bookings, enquiries

namespace {

// Ana with order 1 ("R-1", created) and 2 ("R-2", cancelled), booking 1
// (scheduled) and 2 (cancelled), enquiry 1 (open).
struct Shop : People {
  Shop() {
    call([&](char** o) { return patron_order_record(db, order("R-1").c_str(), o); });
    call([&](char** o) { return patron_order_record(db, order("R-2").c_str(), o); });
    call([&](char** o) { return patron_order_set_status(db, 2, "cancelled", o); });
    call([&](char** o) { return patron_booking_record(db, booking("B-1").c_str(), o); });
    call([&](char** o) { return patron_booking_record(db, booking("B-2").c_str(), o); });
    call([&](char** o) { return patron_booking_set_status(db, 2, "cancelled", o); });
    call([&](char** o) { return patron_enquiry_record(db, enquiry("Q-1").c_str(), o); });
  }
  static std::string order(const std::string& ref, const std::string& extra = "",
                           const std::string& customer = R"("ANA-01")") {
    return R"({"customer":)" + customer + R"(,"source":"pos","external_ref":")" + ref +
           R"(","currency":"GBP","total":500)" + extra + "}";
  }
  static std::string booking(const std::string& ref, const std::string& extra = "") {
    return R"({"customer":"ANA-01","source":"spa","external_ref":")" + ref + R"(","service":"sauna","starts_at":")" +
           day(1) + R"(","ends_at":")" + day(2) + "\"" + extra + "}";
  }
  static std::string enquiry(const std::string& ref, const std::string& extra = "") {
    return R"({"customer":"ANA-01","source":"web","external_ref":")" + ref + R"(","channel":"email")" + extra + "}";
  }
  json state() {
    json s = everyone();
    s.push_back(ok([&](char** o) { return patron_customer_history(db, "ANA-01", nullptr, 1000, 0, o); }));
    for (std::int64_t id : {1, 2}) {
      s.push_back(ok([&](char** o) { return patron_order_get(db, id, o); }));
      s.push_back(ok([&](char** o) { return patron_booking_get(db, id, o); }));
    }
    s.push_back(ok([&](char** o) { return patron_enquiry_get(db, 1, o); }));
    return s;
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(orders_bookings_enquiries) {
  Shop t;
  patron_db* db = t.db;
  auto order = [&](const std::string& js) -> Call {
    return [&db, js](char** o) { return patron_order_record(db, js.c_str(), o); };
  };
  auto booking = [&](const std::string& js) -> Call {
    return [&db, js](char** o) { return patron_booking_record(db, js.c_str(), o); };
  };
  auto enquiry = [&](const std::string& js) -> Call {
    return [&db, js](char** o) { return patron_enquiry_record(db, js.c_str(), o); };
  };
  const std::string nova = R"({"first_name":"Nova","last_name":"Person","email":"nova@example.com"})";
  const std::string until_before_from = R"({"from":")" + day(0) + R"(","until":")" + day(-1) + R"("})";
  const std::vector<Row> rows = {
      {"ORDERS, BOOKINGS, ENQUIRIES: the same (source, external_ref) pushed twice is refused with PATRON_EEXIST "
       "(errfield \"external_ref\")",
       PATRON_EEXIST, "external_ref", order(Shop::order(" R-1 ", "", nova))},
      {"New order: unknown keys are refused with PATRON_EINVAL naming the key", PATRON_EINVAL, "coupon",
       order(Shop::order("R-3", R"(,"coupon":"X")"))},
      {"STATUSES: a name that is not a status of its kind is refused with PATRON_EINVAL (errfield \"status\")",
       PATRON_EINVAL, "status", order(Shop::order("R-3", R"(,"status":"scheduled")"))},
      {"STATUSES: ... or \"statuses[i]\" in a filter", PATRON_EINVAL, "statuses[1]",
       [&](char** o) { return patron_order_list(db, "ANA-01", R"({"statuses":["created","open"]})", 10, 0, o); }},
      {"STATUSES: a move the table does not allow with PATRON_EPRECONDITION (errfield \"status\"), the message "
       "naming both statuses",
       PATRON_EPRECONDITION, "status", [&](char** o) { return patron_order_set_status(db, 2, "confirmed", o); },
       "cannot move from cancelled to confirmed"},
      {"STATUSES: moving to the status a record already has is not a move, and is refused too", PATRON_EPRECONDITION,
       "status", [&](char** o) { return patron_enquiry_set_status(db, 1, "open", o); }},
      {"ERROR FIELDS/orders: \"items[1].quantity\"", PATRON_EINVAL, "items[1].quantity",
       order(Shop::order("R-3", R"(,"items":[{"name":"Tea"},{"name":"Cake","quantity":0}])"))},
      {"ERROR FIELDS/orders: \"payments[0].amount\"", PATRON_EINVAL, "payments[0].amount",
       order(Shop::order("R-3", R"(,"payments":[{"amount":0,"method":"card"}])"))},
      {"ERROR FIELDS/orders: \"customer.email\" for bad customer details", PATRON_EINVAL, "customer.email",
       order(Shop::order("R-3", "", R"({"email":"not-an-email"})"))},
      {"ERROR FIELDS/orders: \"customer.phone\" for bad customer details", PATRON_EINVAL, "customer.phone",
       order(Shop::order("R-3", "", R"({"first_name":"Nova","phone":"07700 900123"})"))},
      {"ERROR FIELDS/orders: \"customer\" when the details do not make a recognisable customer", PATRON_EINVAL,
       "customer", order(Shop::order("R-3", "", R"({"first_name":"Nova"})"))},
      {"ERROR FIELDS/orders: (details) unknown keys are refused", PATRON_EINVAL, "customer.nickname",
       order(Shop::order("R-3", "", R"({"first_name":"Nova","last_name":"P","nickname":"N"})"))},
      {"ERROR FIELDS/orders: \"customer\" when neither a reference nor details were given", PATRON_EINVAL, "customer",
       order(R"({"source":"pos","external_ref":"R-3","currency":"GBP"})")},
      {"ERROR FIELDS/orders: \"customer\" when the reference names nobody (PATRON_ENOTFOUND)", PATRON_ENOTFOUND,
       "customer", order(Shop::order("R-3", "", R"("NOBODY-1")"))},
      {"ERROR FIELDS/orders: \"customer\" when the reference is neither an id nor a customer number (PATRON_EINVAL)",
       PATRON_EINVAL, "customer", order(Shop::order("R-3", "", R"("no")"))},
      {"patron_order_record: \"currency\" not ISO 4217", PATRON_EINVAL, "currency",
       order(Shop::order("R-3", R"(,"currency":"GBX")"))},
      {"patron_order_record: negative \"total\"", PATRON_EINVAL, "total", order(Shop::order("R-3", R"(,"total":-1)"))},
      {"patron_order_record: \"paid\" not the sum of the payments", PATRON_EINVAL, "paid",
       order(Shop::order("R-3", R"(,"paid":200,"payments":[{"amount":100,"method":"card"}])"))},
      {"New order: at most 1000 items", PATRON_EINVAL, "items",
       order(Shop::order(
           "R-3", ",\"items\":[" +
                      [] {
                        std::string items;
                        for (int i = 0; i < 1001; ++i) items += std::string(i ? "," : "") + R"({"name":"Tea"})";
                        return items;
                      }() +
                      "]"))},
      {"orders: an id that names no record of the kind fails with PATRON_ENOTFOUND, errfield \"id\"", PATRON_ENOTFOUND,
       "id", [&](char** o) { return patron_order_get(db, 99, o); }},
      {"patron_order_find: both must be non-empty (PATRON_EINVAL, errfield \"source\")", PATRON_EINVAL, "source",
       [&](char** o) { return patron_order_find(db, "", "R-1", o); }},
      {"patron_order_find: both must be non-empty (PATRON_EINVAL, errfield \"external_ref\")", PATRON_EINVAL,
       "external_ref", [&](char** o) { return patron_order_find(db, "pos", " ", o); }},
      {"patron_order_set_status: PATRON_EINVAL when `status` is not an order status (errfield \"status\")",
       PATRON_EINVAL, "status", [&](char** o) { return patron_order_set_status(db, 1, "shipped", o); }},
      {"patron_order_add_payment: \"payment.amount\" when it is not an integer", PATRON_EINVAL, "payment.amount",
       [&](char** o) { return patron_order_add_payment(db, 1, R"({"amount":"5","method":"card"})", o); }},
      {"patron_order_add_payment: \"payment.amount\" when it is ... not positive", PATRON_EINVAL, "payment.amount",
       [&](char** o) { return patron_order_add_payment(db, 1, R"({"amount":0,"method":"card"})", o); }},
      {"patron_order_add_payment: \"payment.method\" when empty", PATRON_EINVAL, "payment.method",
       [&](char** o) { return patron_order_add_payment(db, 1, R"({"amount":5,"method":" "})", o); }},
      {"patron_order_add_payment: ... \"payment.at\" for a bad time", PATRON_EINVAL, "payment.at",
       [&](char** o) { return patron_order_add_payment(db, 1, R"({"amount":5,"method":"card","at":"noon"})", o); }},
      {"patron_order_add_payment: ... the unknown key (\"payment.tip\")", PATRON_EINVAL, "payment.tip",
       [&](char** o) { return patron_order_add_payment(db, 1, R"({"amount":5,"method":"card","tip":1})", o); }},
      {"patron_order_add_payment: PATRON_EPRECONDITION (errfield \"status\") when the order is cancelled",
       PATRON_EPRECONDITION, "status",
       [&](char** o) { return patron_order_add_payment(db, 2, R"({"amount":5,"method":"card"})", o); }},
      {"patron_order_list: `limit` (1..1000, else PATRON_EINVAL with errfield \"limit\")", PATRON_EINVAL, "limit",
       [&](char** o) { return patron_order_list(db, "ANA-01", nullptr, 0, 0, o); }},
      {"patron_order_list: PATRON_EINVAL (errfield \"until\") when \"until\" is not after \"from\"", PATRON_EINVAL,
       "until", [&](char** o) { return patron_order_list(db, "ANA-01", until_before_from.c_str(), 10, 0, o); }},
      {"patron_order_list: a `ref` that names nobody (errfield \"ref\")", PATRON_ENOTFOUND, "ref",
       [&](char** o) { return patron_order_list(db, "NOBODY-1", nullptr, 10, 0, o); }},
      {"patron_booking_record: PATRON_EINVAL for a missing \"starts_at\"", PATRON_EINVAL, "starts_at",
       booking(R"({"customer":"ANA-01","source":"spa","external_ref":"B-3","service":"sauna","ends_at":")" + day(2) +
               "\"}")},
      {"patron_booking_record: an \"ends_at\" not after it", PATRON_EINVAL, "ends_at",
       booking(R"({"customer":"ANA-01","source":"spa","external_ref":"B-3","service":"sauna","starts_at":")" + day(2) +
               R"(","ends_at":")" + day(2) + "\"}")},
      {"patron_booking_record: a \"party_size\" outside 1..10000", PATRON_EINVAL, "party_size",
       booking(Shop::booking("B-3", R"(,"party_size":10001)"))},
      {"patron_booking_record: an empty \"service\"", PATRON_EINVAL, "service",
       booking(R"({"customer":"ANA-01","source":"spa","external_ref":"B-3","service":" ","starts_at":")" + day(1) +
               R"(","ends_at":")" + day(2) + "\"}")},
      {"patron_booking_record: PATRON_ENOTFOUND (errfield \"order_external_ref\") when the linked order does not "
       "exist",
       PATRON_ENOTFOUND, "order_external_ref", booking(Shop::booking("B-3", R"(,"order_external_ref":"R-1")"))},
      {"patron_booking_record: errors as for orders (EEXIST \"external_ref\")", PATRON_EEXIST, "external_ref",
       booking(Shop::booking("B-1"))},
      {"patron_booking_set_status: errors as for patron_order_set_status (EINVAL \"status\")", PATRON_EINVAL, "status",
       [&](char** o) { return patron_booking_set_status(db, 1, "open", o); }},
      {"patron_booking_set_status: errors as for patron_order_set_status (EPRECONDITION \"status\")",
       PATRON_EPRECONDITION, "status", [&](char** o) { return patron_booking_set_status(db, 1, "completed", o); }},
      {"patron_booking_reschedule: PATRON_EINVAL (errfield \"starts_at\") for text that is not a timestamp",
       PATRON_EINVAL, "starts_at",
       [&](char** o) { return patron_booking_reschedule(db, 1, "tomorrow", day(3).c_str(), o); }},
      {"patron_booking_reschedule: PATRON_EINVAL (errfield \"ends_at\") for an end not after the start", PATRON_EINVAL,
       "ends_at", [&](char** o) { return patron_booking_reschedule(db, 1, day(3).c_str(), day(3).c_str(), o); }},
      {"patron_booking_reschedule: PATRON_EPRECONDITION (errfield \"status\") when the booking may no longer move",
       PATRON_EPRECONDITION, "status",
       [&](char** o) { return patron_booking_reschedule(db, 2, day(3).c_str(), day(4).c_str(), o); }},
      {"patron_booking_list: as patron_order_list (\"limit\")", PATRON_EINVAL, "limit",
       [&](char** o) { return patron_booking_list(db, "ANA-01", nullptr, 1001, 0, o); }},
      {"patron_enquiry_record: PATRON_EINVAL for an empty \"channel\"", PATRON_EINVAL, "channel",
       enquiry(R"({"customer":"ANA-01","source":"web","external_ref":"Q-2","channel":""})")},
      {"patron_enquiry_record: a \"subject\" that is too long (at most 300 characters)", PATRON_EINVAL, "subject",
       enquiry(Shop::enquiry("Q-2", R"(,"subject":")" + std::string(301, 's') + "\""))},
      {"patron_enquiry_record: a \"body\" that is too long (at most 20000 characters)", PATRON_EINVAL, "body",
       enquiry(Shop::enquiry("Q-2", R"(,"body":")" + std::string(20001, 'b') + "\""))},
      {"patron_enquiry_set_status: errors as for patron_order_set_status (EINVAL \"status\")", PATRON_EINVAL, "status",
       [&](char** o) { return patron_enquiry_set_status(db, 1, "created", o); }},
      {"patron_enquiry_list: as patron_order_list (\"until\")", PATRON_EINVAL, "until",
       [&](char** o) { return patron_enquiry_list(db, "ANA-01", until_before_from.c_str(), 10, 0, o); }},
  };
  check(db, rows, [&] { return t.state(); });
}

// ---------------------------------------------------------------- analytics

namespace {

struct Till : Db {
  int next_ref = 0;
  json person(const std::string& first) { return create(R"({"first_name":")" + first + R"(","last_name":"Fit"})"); }
  void buy(const json& customer, std::int64_t placed_at, std::int64_t total, const char* currency = "GBP") {
    const json order = {
        {"customer", customer["id"]}, {"source", "pos"},      {"external_ref", "R-" + std::to_string(++next_ref)},
        {"placed_at", ts(placed_at)}, {"currency", currency}, {"total", total},
        {"status", "completed"}};
    const std::string js = order.dump();
    ok([&](char** o) { return patron_order_record(db, js.c_str(), o); });
  }
  // A base the model can be fitted on (as in test_capi_analytics.cpp).
  void simulate() {
    const std::int64_t midnight = kT0 - kT0 % kDay;
    std::mt19937_64 rng(42);
    std::gamma_distribution<double> rate(1.5, 1.0 / 40.0);
    std::gamma_distribution<double> beta_a(1.0, 1.0);
    std::gamma_distribution<double> beta_b(4.0, 1.0);
    std::gamma_distribution<double> spend_scale(4.0, 1.0 / 15.0);
    for (int i = 0; i < 60; ++i) {
      const json p = person("C" + std::to_string(i));
      std::gamma_distribution<double> order_value(6.0, 1.0 / spend_scale(rng));
      auto spend = [&](std::mt19937_64& g) { return static_cast<std::int64_t>(100 * order_value(g)) + 1; };
      const double lambda = rate(rng);
      const double x = beta_a(rng);
      const double dropout = x / (x + beta_b(rng));
      double d = -364.0 + (i % 60);
      buy(p, midnight + static_cast<std::int64_t>(d) * kDay + 12 * kHour, spend(rng));
      std::uniform_real_distribution<double> unit(0.0, 1.0);
      while (unit(rng) >= dropout) {
        d += -std::log(1.0 - unit(rng)) / lambda;
        if (d >= -1.0) break;
        buy(p, midnight + static_cast<std::int64_t>(d) * kDay + 8 * kHour, spend(rng));
      }
    }
  }
  json state() {
    json s = json::array();
    for (const char* c : {"GBP", "EUR", "USD"}) {
      s.push_back(ok([&](char** o) { return patron_analytics_latest_fit(db, c, o); }));
      s.push_back(ok([&](char** o) { return patron_analytics_rfm_segment(db, c, "hibernating", 1000, 0, o); }));
    }
    return s;
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(analytics) {
  Till t;
  t.simulate();
  const json lonely = t.person("Lonely");
  t.buy(lonely, kT0 - 3 * kDay, 100, "USD");  // one customer, no repeat: no maximum
  const json no_orders = t.person("None");
  const std::string no_orders_number = no_orders["number"];
  ok([&](char** o) { return patron_analytics_fit_model(t.db, R"({"currency":"GBP"})", o); });
  patron_db* db = t.db;
  std::int64_t count = 0;
  auto predict = [&](const std::string& options) -> Call {
    return [&db, options](char** o) { return patron_analytics_predict(db, "00001", options.c_str(), o); };
  };
  const std::vector<Row> rows = {
      {"analytics: a `currency` that is not ISO 4217 fails with PATRON_EINVAL, errfield \"currency\"", PATRON_EINVAL,
       "currency", [&](char** o) { return patron_analytics_rfm(db, "00001", "pounds", o); }},
      {"analytics: functions taking a `ref` fail as the customer functions do (PATRON_ENOTFOUND, \"ref\")",
       PATRON_ENOTFOUND, "ref", [&](char** o) { return patron_analytics_stats(db, "NOBODY-1", o); }},
      {"analytics: functions taking a `ref` fail as the customer functions do (PATRON_EINVAL, \"ref\")", PATRON_EINVAL,
       "ref", [&](char** o) { return patron_analytics_stats(db, "no", o); }},
      {"analytics: bad JSON fails with PATRON_EINVAL, errfield \"json\"", PATRON_EINVAL, "json",
       [&](char** o) { return patron_analytics_summaries(db, R"({"currency":"GBP")", o); }},
      {"analytics: an unknown key with PATRON_EINVAL naming the key", PATRON_EINVAL, "horizon",
       [&](char** o) { return patron_analytics_summaries(db, R"({"currency":"GBP","horizon":3})", o); }},
      {"patron_analytics_recompute_rfm: PATRON_EINVAL (errfield \"at\") when `at` is not a timestamp", PATRON_EINVAL,
       "at", plain([&] { return patron_analytics_recompute_rfm(db, "GBP", "soon", &count); })},
      {"patron_analytics_recompute_rfm: PATRON_EMISUSE (errfield \"out_count\") when out_count is NULL", PATRON_EMISUSE,
       "out_count", plain([&] { return patron_analytics_recompute_rfm(db, "GBP", nullptr, nullptr); })},
      {"patron_analytics_rfm_segment: anything else fails with PATRON_EINVAL, errfield \"segment\"", PATRON_EINVAL,
       "segment", [&](char** o) { return patron_analytics_rfm_segment(db, "GBP", "whales", 10, 0, o); }},
      {"patron_analytics_rfm_segment: `limit` (1..1000, else PATRON_EINVAL with errfield \"limit\")", PATRON_EINVAL,
       "limit", [&](char** o) { return patron_analytics_rfm_segment(db, "GBP", "at_risk", 0, 0, o); }},
      {"patron_analytics_summaries: PATRON_EINVAL with errfield \"unit\" for a bad value", PATRON_EINVAL, "unit",
       [&](char** o) { return patron_analytics_summaries(db, R"({"currency":"GBP","unit":"months"})", o); }},
      {"patron_analytics_summaries: PATRON_EINVAL with errfield \"cutoff\" for a bad value", PATRON_EINVAL, "cutoff",
       [&](char** o) { return patron_analytics_summaries(db, R"({"currency":"GBP","cutoff":"soon"})", o); }},
      {"patron_analytics_fit_model: PATRON_EPRECONDITION (errfield \"currency\") when nobody has an order in the "
       "currency",
       PATRON_EPRECONDITION, "currency",
       [&](char** o) { return patron_analytics_fit_model(db, R"({"currency":"EUR"})", o); }},
      {"patron_analytics_fit_model: PATRON_EPRECONDITION (errfield \"\") when the likelihood has no maximum",
       PATRON_EPRECONDITION, "", [&](char** o) { return patron_analytics_fit_model(db, R"({"currency":"USD"})", o); }},
      {"patron_analytics_predict: PATRON_EPRECONDITION (errfield \"currency\") when no model has been fitted",
       PATRON_EPRECONDITION, "currency", predict(R"({"currency":"EUR"})")},
      {"patron_analytics_predict: (errfield \"ref\") when the customer has no order in it before \"at\"",
       PATRON_EPRECONDITION, "ref",
       [&](char** o) { return patron_analytics_predict(db, no_orders_number.c_str(), R"({"currency":"GBP"})", o); }},
      {"patron_analytics_predict: PATRON_EINVAL naming \"horizon_days\"", PATRON_EINVAL, "horizon_days",
       predict(R"({"currency":"GBP","horizon_days":-1})")},
      {"patron_analytics_predict: PATRON_EINVAL naming \"period_days\"", PATRON_EINVAL, "period_days",
       predict(R"({"currency":"GBP","period_days":0})")},
      {"patron_analytics_predict: PATRON_EINVAL naming \"discount_rate\"", PATRON_EINVAL, "discount_rate",
       predict(R"({"currency":"GBP","discount_rate":-0.5})")},
      {"patron_analytics_predict: PATRON_EINVAL naming \"coverage\"", PATRON_EINVAL, "coverage",
       predict(R"({"currency":"GBP","coverage":1})")},
      {"ERROR FIELDS/analytics: \"at\" (PREDICTION OPTIONS)", PATRON_EINVAL, "at",
       predict(R"({"currency":"GBP","at":"now"})")},
      {"patron_analytics_predict_all: errors as for patron_analytics_predict (\"coverage\")", PATRON_EINVAL, "coverage",
       [&](char** o) { return patron_analytics_predict_all(db, R"({"currency":"GBP","coverage":0})", o); }},
  };
  check(db, rows, [&] { return t.state(); });
}

// ---------------------------------------------------------------- companies

BOOST_AUTO_TEST_CASE(companies) {
  People t;
  patron_db* db = t.db;
  t.call([&](char** o) { return patron_company_create(db, R"({"name":"Acme","domains":["acme.co.uk"]})", o); });
  std::int64_t n = 0;
  auto create = [&](const std::string& js) -> Call {
    return [&db, js](char** o) { return patron_company_create(db, js.c_str(), o); };
  };
  const std::vector<Row> rows = {
      {"COMPANIES: a bare public suffix is refused with PATRON_EINVAL, errfield \"domain\"", PATRON_EINVAL, "domain",
       plain([&] { return patron_company_add_domain(db, 1, "co.uk", &n); })},
      {"COMPANIES: free-mail domains are refused with PATRON_EINVAL, errfield \"domain\"", PATRON_EINVAL, "domain",
       plain([&] { return patron_company_add_domain(db, 1, "gmail.com", &n); })},
      {"COMPANIES: ... (\"domains[i]\" in a new company)", PATRON_EINVAL, "domains[1]",
       create(R"({"name":"Beta","domains":["beta.com","yahoo.co.uk"]})")},
      {"patron_company_add_domain: PATRON_EEXIST (errfield \"domain\") when this company ... already owns the domain",
       PATRON_EEXIST, "domain", plain([&] { return patron_company_add_domain(db, 1, "eu.acme.co.uk", &n); })},
      {"COMPANIES: PATRON_EEXIST, errfield ... (\"domains[i]\") when another company owns it", PATRON_EEXIST,
       "domains[0]", create(R"({"name":"Beta","domains":["ana@acme.co.uk"]})")},
      {"ERROR FIELDS/companies: \"id\" (no company with that id)", PATRON_ENOTFOUND, "id",
       [&](char** o) { return patron_company_get(db, 9, o); }},
      {"ERROR FIELDS/companies: \"ref\" (the customer reference)", PATRON_ENOTFOUND, "ref",
       [&](char** o) { return patron_company_link(db, 1, "NOBODY-1", "boss", 0, o); }},
      {"ERROR FIELDS/companies: \"name\" (an empty \"name\", patron_company_create)", PATRON_EINVAL, "name",
       create(R"({"name":" "})")},
      {"ERROR FIELDS/companies: \"name\" (an empty \"name\", patron_company_update)", PATRON_EINVAL, "name",
       [&](char** o) { return patron_company_update(db, 1, R"({"name":null})", o); }},
      {"ERROR FIELDS/companies: the unknown key of a document", PATRON_EINVAL, "vat",
       [&](char** o) { return patron_company_update(db, 1, R"({"vat":"GB1"})", o); }},
      {"patron_company_search: `limit` (1..1000, else PATRON_EINVAL with errfield \"limit\")", PATRON_EINVAL, "limit",
       [&](char** o) { return patron_company_search(db, "", 0, 0, o); }},
      {"patron_company_find_by_domain: PATRON_EINVAL (errfield \"domain\") when `domain` is not a domain or email",
       PATRON_EINVAL, "domain", [&](char** o) { return patron_company_find_by_domain(db, "not a domain", o); }},
      {"patron_company_find_by_domain: ... or is a bare public suffix", PATRON_EINVAL, "domain",
       [&](char** o) { return patron_company_find_by_domain(db, "co.uk", o); }},
      {"patron_company_add_domain: PATRON_EMISUSE (errfield \"out_linked\") when out_linked is NULL", PATRON_EMISUSE,
       "out_linked", plain([&] { return patron_company_add_domain(db, 1, "acme.com", nullptr); })},
      {"patron_company_remove_domain: PATRON_ENOTFOUND (errfield \"domain\") when the company does not own it",
       PATRON_ENOTFOUND, "domain", plain([&] { return patron_company_remove_domain(db, 1, "acme.com", &n); })},
      {"patron_company_remove_domain: PATRON_EMISUSE (errfield \"out_removed\") when out_removed is NULL",
       PATRON_EMISUSE, "out_removed",
       plain([&] { return patron_company_remove_domain(db, 1, "acme.co.uk", nullptr); })},
      {"patron_company_unlink: PATRON_ENOTFOUND (errfield \"ref\") when there is no manual link", PATRON_ENOTFOUND,
       "ref", plain([&] { return patron_company_unlink(db, 1, "ANA-01"); })},
      {"patron_registrable_domain: PATRON_EINVAL (errfield \"domain\") when it would be refused (free-mail)",
       PATRON_EINVAL, "domain", [&](char** o) { return patron_registrable_domain(db, "ana@gmail.com", o); }},
  };
  check(db, rows, [&] {
    json s = ok([&](char** o) { return patron_company_search(db, "", 1000, 0, o); });
    s.push_back(ok([&](char** o) { return patron_company_customers(db, 1, 1000, 0, o); }));
    return s;
  });
  // PATRON_EEXIST also when the domain is another company's.
  t.call([&](char** o) { return patron_company_create(db, R"({"name":"Beta","domains":["beta.com"]})", o); });
  check(db,
        {{"patron_company_add_domain: PATRON_EEXIST (errfield \"domain\") when ... another one already owns the domain",
          PATRON_EEXIST, "domain", plain([&] { return patron_company_add_domain(db, 2, "acme.co.uk", &n); })}},
        [&] { return ok([&](char** o) { return patron_company_search(db, "", 1000, 0, o); }); });
}

// ---------------------------------------------------------------- memberships

BOOST_AUTO_TEST_CASE(memberships) {
  People t;
  patron_db* db = t.db;
  t.call([&](char** o) { return patron_company_create(db, R"({"name":"Acme"})", o); });
  t.call([&](char** o) { return patron_plan_create(db, R"({"name":"Gold"})", o); });  // 1, personal
  t.call([&](char** o) {
    return patron_plan_create(db, R"({"name":"Club","kind":"subscription","billing_period":"monthly"})", o);
  });                                                                                                   // 2
  t.call([&](char** o) { return patron_membership_add(db, R"({"plan":1,"customer":"ANA-01"})", o); });  // 1
  t.call([&](char** o) { return patron_membership_add(db, R"({"plan":2,"customer":"ANA-01"})", o); });  // 2
  t.call([&](char** o) { return patron_membership_set_status(db, 2, "cancelled", o); });
  t.call([&](char** o) {
    const std::string js =
        R"({"plan":1,"customer":"BO-01","starts_at":")" + day(-10) + R"(","ends_at":")" + day(-1) + "\"}";
    return patron_membership_add(db, js.c_str(), o);
  });  // 3, expired
  auto plan = [&](const std::string& js) -> Call {
    return [&db, js](char** o) { return patron_plan_create(db, js.c_str(), o); };
  };
  auto add = [&](const std::string& js) -> Call {
    return [&db, js](char** o) { return patron_membership_add(db, js.c_str(), o); };
  };
  const std::vector<Row> rows = {
      {"ERROR FIELDS/memberships: \"id\" (no plan with that id)", PATRON_ENOTFOUND, "id",
       [&](char** o) { return patron_plan_get(db, 9, o); }},
      {"ERROR FIELDS/memberships: \"id\" (no membership with that id)", PATRON_ENOTFOUND, "id",
       [&](char** o) { return patron_membership_get(db, 9, o); }},
      {"ERROR FIELDS/memberships: \"ref\" (patron_membership_effective)", PATRON_ENOTFOUND, "ref",
       [&](char** o) { return patron_membership_effective(db, "NOBODY-1", o); }},
      {"ERROR FIELDS/memberships: \"ref\" (patron_membership_has_active)", PATRON_EINVAL, "ref",
       plain([&] { return patron_membership_has_active(db, "no", 1, nullptr); })},
      {"patron_membership_of_company: PATRON_ENOTFOUND (errfield \"company_id\")", PATRON_ENOTFOUND, "company_id",
       [&](char** o) { return patron_membership_of_company(db, 9, o); }},
      {"patron_membership_set_status: PATRON_EINVAL (errfield \"status\") for an unknown status", PATRON_EINVAL,
       "status", [&](char** o) { return patron_membership_set_status(db, 1, "frozen", o); }},
      {"patron_membership_set_status: PATRON_EPRECONDITION (errfield \"status\", the message naming both statuses) "
       "for \"expired\"",
       PATRON_EPRECONDITION, "status", [&](char** o) { return patron_membership_set_status(db, 1, "expired", o); },
       "expired"},
      {"patron_membership_set_status: PATRON_EPRECONDITION ... a move out of \"cancelled\"", PATRON_EPRECONDITION,
       "status", [&](char** o) { return patron_membership_set_status(db, 2, "active", o); }, "cancelled"},
      {"patron_membership_set_status: PATRON_EPRECONDITION ... a move out of \"expired\"", PATRON_EPRECONDITION,
       "status", [&](char** o) { return patron_membership_set_status(db, 3, "paused", o); }, "expired"},
      {"patron_membership_has_active: PATRON_EINVAL, errfield \"at\", for a bad timestamp", PATRON_EINVAL, "at",
       plain([&] { return patron_membership_has_active(db, "ANA-01", 1, "today"); })},
      {"patron_membership_has_active: PATRON_ENOTFOUND, errfield \"plan\", when no plan has that id", PATRON_ENOTFOUND,
       "plan", plain([&] { return patron_membership_has_active(db, "ANA-01", 9, nullptr); })},
      {"patron_plan_create: empty \"name\"", PATRON_EINVAL, "name", plan(R"({"name":""})")},
      {"patron_plan_create: an unknown \"kind\"", PATRON_EINVAL, "kind", plan(R"({"name":"X","kind":"family"})")},
      {"patron_plan_create: an unknown \"billing_period\"", PATRON_EINVAL, "billing_period",
       plan(R"({"name":"X","kind":"subscription","billing_period":"daily"})")},
      {"patron_plan_create: a subscription without a billing period", PATRON_EINVAL, "billing_period",
       plan(R"({"name":"X","kind":"subscription"})")},
      {"patron_plan_create: another kind with one", PATRON_EINVAL, "billing_period",
       plan(R"({"name":"X","billing_period":"yearly"})")},
      {"patron_plan_create: PATRON_EEXIST (errfield \"name\": a plan of that name, ignoring case, exists)",
       PATRON_EEXIST, "name", plan(R"({"name":"GOLD"})")},
      {"patron_plan_create: unknown keys are refused", PATRON_EINVAL, "price", plan(R"({"name":"X","price":5})")},
      {"patron_membership_add: errfield \"customer\" for both of \"customer\" and \"company\"", PATRON_EINVAL,
       "customer", add(R"({"plan":1,"customer":"ANA-01","company":1})")},
      {"patron_membership_add: errfield \"customer\" for neither of \"customer\" and \"company\"", PATRON_EINVAL,
       "customer", add(R"({"plan":1})")},
      {"patron_membership_add: \"ends_at\" not after \"starts_at\"", PATRON_EINVAL, "ends_at",
       add(R"({"plan":1,"company":1,"starts_at":")" + day(1) + R"(","ends_at":")" + day(1) + "\"}")},
      {"ERROR FIELDS/memberships: in a document \"starts_at\"", PATRON_EINVAL, "starts_at",
       add(R"({"plan":1,"company":1,"starts_at":"soon"})")},
      {"patron_membership_add: PATRON_ENOTFOUND (errfield \"plan\": names nothing)", PATRON_ENOTFOUND, "plan",
       add(R"({"plan":9,"customer":"ANA-01"})")},
      {"patron_membership_add: PATRON_ENOTFOUND (errfield \"customer\": names nothing)", PATRON_ENOTFOUND, "customer",
       add(R"({"plan":1,"customer":"NOBODY-1"})")},
      {"patron_membership_add: PATRON_ENOTFOUND (errfield \"company\": names nothing)", PATRON_ENOTFOUND, "company",
       add(R"({"plan":1,"company":9})")},
      {"patron_membership_add: unknown keys are refused", PATRON_EINVAL, "seats",
       add(R"({"plan":1,"company":1,"seats":3})")},
      {"patron_membership_renew: PATRON_EPRECONDITION (errfield \"plan\") when the plan is not a subscription",
       PATRON_EPRECONDITION, "plan", [&](char** o) { return patron_membership_renew(db, 1, o); }},
      {"patron_membership_renew: (errfield \"status\") when the membership is cancelled", PATRON_EPRECONDITION,
       "status", [&](char** o) { return patron_membership_renew(db, 2, o); }},
  };
  check(db, rows, [&] {
    json s = ok([&](char** o) { return patron_plan_list(db, o); });
    s.push_back(ok([&](char** o) { return patron_membership_effective(db, "ANA-01", o); }));
    s.push_back(ok([&](char** o) { return patron_membership_effective(db, "BO-01", o); }));
    s.push_back(ok([&](char** o) { return patron_membership_of_company(db, 1, o); }));
    return s;
  });
}

// ---------------------------------------------------------------- credentials

BOOST_AUTO_TEST_CASE(credentials) {
  People t;
  patron_db* db = t.db;
  t.call([&](char** o) {
    return patron_credential_issue(db, R"({"kind":"smart_card","value":"C1","customer":"ANA-01"})", o);
  });
  t.call([&](char** o) { return patron_credential_replace(db, 1, R"({"value":"C2"})", o); });  // 1 replaced by 2
  t.call([&](char** o) { return patron_credential_set_status(db, 2, "lost", o); });
  t.call([&](char** o) {
    return patron_credential_issue(db, R"({"kind":"smart_card","value":"C2","customer":"BO-01"})", o);
  });  // 3
  char id[PATRON_ID_BUFSIZE];
  auto issue = [&](const std::string& js) -> Call {
    return [&db, js](char** o) { return patron_credential_issue(db, js.c_str(), o); };
  };
  const std::vector<Row> rows = {
      {"ERROR FIELDS/credentials: \"id\" (no credential with that id)", PATRON_ENOTFOUND, "id",
       [&](char** o) { return patron_credential_get(db, 9, o); }},
      {"ERROR FIELDS/credentials: PATRON_EPRECONDITION, errfield \"status\", when the credential is already replaced",
       PATRON_EPRECONDITION, "status", [&](char** o) { return patron_credential_set_label(db, 1, "x", o); }},
      {"patron_credential_replace: PATRON_EPRECONDITION (errfield \"status\") when already replaced",
       PATRON_EPRECONDITION, "status",
       [&](char** o) { return patron_credential_replace(db, 1, R"({"value":"C9"})", o); }},
      {"patron_credential_replace: errors as for patron_credential_issue (a bad \"value\")", PATRON_EINVAL, "value",
       [&](char** o) { return patron_credential_replace(db, 3, R"({"value":" "})", o); }},
      {"Replacement: unknown keys are refused", PATRON_EINVAL, "kind",
       [&](char** o) { return patron_credential_replace(db, 3, R"({"value":"C9","kind":"barcode"})", o); }},
      {"ERROR FIELDS/credentials: \"ref\"", PATRON_ENOTFOUND, "ref",
       [&](char** o) { return patron_credential_of_customer(db, "NOBODY-1", o); }},
      {"patron_credential_find: PATRON_EINVAL (errfield \"kind\") for an unknown kind", PATRON_EINVAL, "kind",
       [&](char** o) { return patron_credential_find(db, "badge", "C1", o); }},
      {"patron_credential_issue: a missing \"kind\"", PATRON_EINVAL, "kind",
       issue(R"({"value":"V","customer":"ANA-01"})")},
      {"patron_credential_issue: an unknown \"kind\"", PATRON_EINVAL, "kind",
       issue(R"({"kind":"badge","value":"V","customer":"ANA-01"})")},
      {"patron_credential_issue: a bad \"value\"", PATRON_EINVAL, "value",
       issue(R"({"kind":"barcode","value":"a\u0001b","customer":"ANA-01"})")},
      {"patron_credential_issue: a phone credential's must be a valid phone number", PATRON_EINVAL, "value",
       issue(R"({"kind":"phone","value":"12","customer":"ANA-01"})")},
      {"patron_credential_issue: \"label\"", PATRON_EINVAL, "label",
       issue(R"({"kind":"barcode","value":"V","customer":"ANA-01","label":")" + std::string(201, 'l') + "\"}")},
      {"patron_credential_issue: \"valid_until\" not after \"valid_from\"", PATRON_EINVAL, "valid_until",
       issue(R"({"kind":"barcode","value":"V","customer":"ANA-01","valid_from":")" + day(1) + R"(","valid_until":")" +
             day(1) + "\"}")},
      {"ERROR FIELDS/credentials: \"valid_from\" (in a document)", PATRON_EINVAL, "valid_from",
       issue(R"({"kind":"barcode","value":"V","customer":"ANA-01","valid_from":"soon"})")},
      {"patron_credential_issue: \"wallet\" given for a kind other than \"wallet_pass\"", PATRON_EINVAL, "wallet",
       issue(R"({"kind":"barcode","value":"V","customer":"ANA-01","wallet":{"serial":"P1"}})")},
      {"patron_credential_issue: \"wallet\" missing for one", PATRON_EINVAL, "wallet",
       issue(R"({"kind":"wallet_pass","value":"V","customer":"ANA-01"})")},
      {"patron_credential_issue: \"wallet.serial\"", PATRON_EINVAL, "wallet.serial",
       issue(R"({"kind":"wallet_pass","value":"V","customer":"ANA-01","wallet":{"serial":""}})")},
      {"ERROR FIELDS/credentials: \"wallet.provider\"", PATRON_EINVAL, "wallet.provider",
       issue(R"({"kind":"wallet_pass","value":"V","customer":"ANA-01","wallet":{"serial":"P1","provider":"nokia"}})")},
      {"ERROR FIELDS/credentials: \"wallet.pass_type\"", PATRON_EINVAL, "wallet.pass_type",
       issue(
           R"({"kind":"wallet_pass","value":"V","customer":"ANA-01","wallet":{"serial":"P1","pass_type":"coupon"}})")},
      {"patron_credential_issue: PATRON_ENOTFOUND (errfield \"customer\": the holder's ref)", PATRON_ENOTFOUND,
       "customer", issue(R"({"kind":"barcode","value":"V","customer":"NOBODY-1"})")},
      {"patron_credential_issue: PATRON_EINVAL (errfield \"customer\": the holder's ref)", PATRON_EINVAL, "customer",
       issue(R"({"kind":"barcode","value":"V","customer":"no"})")},
      {"patron_credential_issue: PATRON_EEXIST (errfield \"value\": another active credential of the kind holds it)",
       PATRON_EEXIST, "value", issue(R"({"kind":"smart_card","value":"C2","customer":"ANA-01"})")},
      {"patron_credential_issue: unknown keys are refused", PATRON_EINVAL, "pin",
       issue(R"({"kind":"barcode","value":"V","customer":"ANA-01","pin":"1234"})")},
      {"patron_credential_set_status: PATRON_EINVAL (errfield \"status\") for an unknown status", PATRON_EINVAL,
       "status", [&](char** o) { return patron_credential_set_status(db, 3, "stolen", o); }},
      {"patron_credential_set_status: PATRON_EINVAL (errfield \"status\") for ... \"replaced\"", PATRON_EINVAL,
       "status", [&](char** o) { return patron_credential_set_status(db, 3, "replaced", o); }},
      {"patron_credential_set_status: PATRON_EEXIST (errfield \"value\") when reactivating a value another active "
       "credential now holds",
       PATRON_EEXIST, "value", [&](char** o) { return patron_credential_set_status(db, 2, "active", o); }},
      {"patron_credential_set_validity: PATRON_EINVAL (errfield \"valid_from\") for a bad timestamp", PATRON_EINVAL,
       "valid_from", [&](char** o) { return patron_credential_set_validity(db, 3, "soon", nullptr, o); }},
      {"patron_credential_set_validity: (errfield \"valid_until\") for a bad timestamp", PATRON_EINVAL, "valid_until",
       [&](char** o) { return patron_credential_set_validity(db, 3, nullptr, "later", o); }},
      {"patron_credential_set_validity: (errfield \"valid_until\") when it is not after valid_from", PATRON_EINVAL,
       "valid_until",
       [&](char** o) { return patron_credential_set_validity(db, 3, day(2).c_str(), day(1).c_str(), o); }},
      {"patron_credential_set_label: at most 200 characters (\"label\")", PATRON_EINVAL, "label",
       [&](char** o) { return patron_credential_set_label(db, 3, std::string(201, 'l').c_str(), o); }},
      {"patron_identify_credential: PATRON_EINVAL (errfield \"token\") for an empty token", PATRON_EINVAL, "token",
       [&](char** o) { return patron_identify_credential(db, "", nullptr, o); }},
      {"patron_identify_credential: (errfield \"at\") for a bad timestamp", PATRON_EINVAL, "at",
       [&](char** o) { return patron_identify_credential(db, "C2", "noon", o); }},
      {"patron_credential_holder: errors as patron_identify_credential (\"token\")", PATRON_EINVAL, "token",
       plain([&] { return patron_credential_holder(db, "", nullptr, id); })},
      {"patron_credential_holder: errors as patron_identify_credential (\"at\")", PATRON_EINVAL, "at",
       plain([&] { return patron_credential_holder(db, "C2", "noon", id); })},
  };
  check(db, rows, [&] {
    json s = ok([&](char** o) { return patron_credential_of_customer(db, "ANA-01", o); });
    s.push_back(ok([&](char** o) { return patron_credential_of_customer(db, "BO-01", o); }));
    return s;
  });
}

// ---------------------------------------------------------------- doors

BOOST_AUTO_TEST_CASE(doors) {
  People t;
  patron_db* db = t.db;
  t.call([&](char** o) { return patron_door_create(db, R"({"id":"front-gate","name":"Front gate"})", o); });
  t.call([&](char** o) { return patron_permission_grant(db, R"({"customer":"ANA-01","door":"front-gate"})", o); });
  auto create = [&](const std::string& js) -> Call {
    return [&db, js](char** o) { return patron_door_create(db, js.c_str(), o); };
  };
  auto grant = [&](const std::string& js) -> Call {
    return [&db, js](char** o) { return patron_permission_grant(db, js.c_str(), o); };
  };
  const std::vector<Row> rows = {
      {"doors: a door id that names no door fails with PATRON_ENOTFOUND, errfield \"id\" (patron_door_get)",
       PATRON_ENOTFOUND, "id", [&](char** o) { return patron_door_get(db, "back-gate", o); }},
      {"doors: ... errfield \"id\" (patron_door_update)", PATRON_ENOTFOUND, "id",
       [&](char** o) { return patron_door_update(db, "back-gate", "Back", nullptr, o); }},
      {"doors: a malformed one with PATRON_EINVAL and the same errfield (\"id\")", PATRON_EINVAL, "id",
       [&](char** o) { return patron_door_get(db, "back gate!", o); }},
      {"doors: ... (or \"door\" where the argument is `door`)", PATRON_ENOTFOUND, "door",
       [&](char** o) { return patron_permission_of_door(db, "back-gate", 10, 0, o); }},
      {"doors: a malformed one with PATRON_EINVAL and the same errfield (\"door\")", PATRON_EINVAL, "door",
       [&](char** o) { return patron_door_check(db, "ANA-01", "back gate!", nullptr, o); }},
      {"doors: functions taking a `ref` fail as the customer functions do (\"ref\")", PATRON_ENOTFOUND, "ref",
       [&](char** o) { return patron_permission_of_customer(db, "NOBODY-1", o); }},
      {"doors: times (`at_iso`) ... (PATRON_EINVAL, errfield \"at\", when malformed)", PATRON_EINVAL, "at",
       plain([&] { return patron_door_can_open(db, "ANA-01", "front-gate", "noon"); })},
      {"patron_door_create: PATRON_EINVAL (a bad \"id\")", PATRON_EINVAL, "id", create(R"({"id":"a b","name":"X"})")},
      {"patron_door_create: PATRON_EINVAL (a bad \"name\")", PATRON_EINVAL, "name",
       create(R"({"id":"spa","name":""})")},
      {"patron_door_create: PATRON_EINVAL (a bad \"notes\")", PATRON_EINVAL, "notes",
       create(R"({"id":"spa","name":"Spa","notes":")" + std::string(2001, 'n') + "\"}")},
      {"patron_door_create: PATRON_EINVAL (unknown key)", PATRON_EINVAL, "floor",
       create(R"({"id":"spa","name":"Spa","floor":2})")},
      {"patron_door_create: PATRON_EEXIST (errfield \"id\": a door with that id exists)", PATRON_EEXIST, "id",
       create(R"({"id":"front-gate","name":"Again"})")},
      {"ERROR FIELDS/doors: \"name\" (patron_door_update)", PATRON_EINVAL, "name",
       [&](char** o) { return patron_door_update(db, "front-gate", "", nullptr, o); }},
      {"ERROR FIELDS/doors: \"notes\" (patron_door_update)", PATRON_EINVAL, "notes",
       [&](char** o) { return patron_door_update(db, "front-gate", "Gate", std::string(2001, 'n').c_str(), o); }},
      {"patron_permission_grant: \"ends_at\" not after \"starts_at\"", PATRON_EINVAL, "ends_at",
       grant(R"({"customer":"ANA-01","door":"front-gate","starts_at":")" + day(1) + R"(","ends_at":")" + day(0) +
             "\"}")},
      {"ERROR FIELDS/doors: in a document \"starts_at\"", PATRON_EINVAL, "starts_at",
       grant(R"({"customer":"ANA-01","door":"front-gate","starts_at":"soon"})")},
      {"patron_permission_grant: \"notes\" too long", PATRON_EINVAL, "notes",
       grant(R"({"customer":"ANA-01","door":"front-gate","notes":")" + std::string(2001, 'n') + "\"}")},
      {"patron_permission_grant: PATRON_ENOTFOUND (errfield \"door\")", PATRON_ENOTFOUND, "door",
       grant(R"({"customer":"ANA-01","door":"back-gate"})")},
      {"patron_permission_grant: PATRON_ENOTFOUND (errfield \"customer\")", PATRON_ENOTFOUND, "customer",
       grant(R"({"customer":"NOBODY-1","door":"front-gate"})")},
      {"patron_permission_grant: PATRON_ENOTFOUND (errfield \"required_plan\")", PATRON_ENOTFOUND, "required_plan",
       grant(R"({"customer":"ANA-01","door":"front-gate","required_plan":9})")},
      {"patron_permission_grant: PATRON_EINVAL, errfield \"customer\", for a malformed ref", PATRON_EINVAL, "customer",
       grant(R"({"customer":"no","door":"front-gate"})")},
      {"patron_permission_grant: unknown keys are refused", PATRON_EINVAL, "pin",
       grant(R"({"customer":"ANA-01","door":"front-gate","pin":1})")},
      {"patron_permission_revoke: PATRON_ENOTFOUND (errfield \"id\") when there is none", PATRON_ENOTFOUND, "id",
       plain([&] { return patron_permission_revoke(db, 9); })},
      {"patron_permission_of_door: `limit` (1..1000, else PATRON_EINVAL with errfield \"limit\")", PATRON_EINVAL,
       "limit", [&](char** o) { return patron_permission_of_door(db, "front-gate", 0, 0, o); }},
      {"patron_door_open: PATRON_EINVAL (errfield \"token\") for an empty token", PATRON_EINVAL, "token",
       [&](char** o) { return patron_door_open(db, "", "front-gate", nullptr, o); }},
  };
  check(db, rows, [&] {
    json s = ok([&](char** o) { return patron_door_list(db, o); });
    s.push_back(ok([&](char** o) { return patron_permission_of_customer(db, "ANA-01", o); }));
    return s;
  });
}

// ---------------------------------------------------------------- connections

BOOST_AUTO_TEST_CASE(connections) {
  People t;
  patron_db* db = t.db;
  t.call(
      [&](char** o) { return patron_connection_connect(db, R"({"from":"ANA-01","to":"BO-01","type":"friend"})", o); });
  t.call([&](char** o) { return patron_referral_record(db, "ANA-01", "CY-01", nullptr, o); });
  auto connect = [&](const std::string& js) -> Call {
    return [&db, js](char** o) { return patron_connection_connect(db, js.c_str(), o); };
  };
  char* dot = nullptr;
  const std::vector<Row> rows = {
      {"connections: an id that names none fails with PATRON_ENOTFOUND, errfield \"id\"", PATRON_ENOTFOUND, "id",
       [&](char** o) { return patron_connection_get(db, 9, o); }},
      {"connections: ... errfield \"id\" (patron_connection_disconnect)", PATRON_ENOTFOUND, "id",
       plain([&] { return patron_connection_disconnect(db, 9); })},
      {"connections: customer references fail as the customer functions do, errfield naming the argument (\"ref\")",
       PATRON_ENOTFOUND, "ref", [&](char** o) { return patron_connection_of_customer(db, "NOBODY-1", nullptr, o); }},
      {"connections: ... (\"referrer\")", PATRON_ENOTFOUND, "referrer",
       [&](char** o) { return patron_referral_record(db, "NOBODY-1", "BO-01", nullptr, o); }},
      {"connections: ... (\"referred\")", PATRON_EINVAL, "referred",
       [&](char** o) { return patron_referral_record(db, "BO-01", "no", nullptr, o); }},
      {"connections: ... or the document key (\"from\")", PATRON_ENOTFOUND, "from",
       connect(R"({"from":"NOBODY-1","to":"BO-01","type":"friend"})")},
      {"connections: ... or the document key (\"to\")", PATRON_EINVAL, "to",
       connect(R"({"from":"ANA-01","to":"no","type":"friend"})")},
      {"patron_connection_connect: a bad \"type\"", PATRON_EINVAL, "type",
       connect(R"({"from":"ANA-01","to":"CY-01","type":")" + std::string(65, 't') + "\"}")},
      {"patron_connection_connect: a bad \"note\"", PATRON_EINVAL, "note",
       connect(R"({"from":"ANA-01","to":"CY-01","type":"friend","note":")" + std::string(2001, 'n') + "\"}")},
      {"patron_connection_connect: errfield \"to\" when both ends are the same customer", PATRON_EINVAL, "to",
       connect(R"({"from":"ANA-01","to":"ana-01","type":"friend"})")},
      {"patron_connection_connect: unknown keys are refused", PATRON_EINVAL, "weight",
       connect(R"({"from":"ANA-01","to":"CY-01","type":"friend","weight":2})")},
      {"patron_connection_connect: PATRON_EEXIST (errfield \"type\": a manual connection of the type joins the pair)",
       PATRON_EEXIST, "type", connect(R"({"from":"BO-01","to":"ANA-01","type":"Friend"})")},
      {"patron_referral_record: PATRON_EINVAL (errfield \"referred\") for a self-referral", PATRON_EINVAL, "referred",
       [&](char** o) { return patron_referral_record(db, "BO-01", "BO-01", nullptr, o); }},
      {"patron_referral_record: PATRON_EEXIST (errfield \"referred\", the message naming the existing referrer)",
       PATRON_EEXIST, "referred", [&](char** o) { return patron_referral_record(db, "BO-01", "CY-01", nullptr, o); },
       "ANA-01"},
      {"INFERENCE OPTIONS: \"max_company_size\" at least 2", PATRON_EINVAL, "max_company_size",
       [&](char** o) { return patron_connections_infer(db, R"({"max_company_size":1})", o); }},
      {"INFERENCE OPTIONS: unknown keys are refused", PATRON_EINVAL, "depth",
       [&](char** o) { return patron_connections_infer(db, R"({"depth":1})", o); }},
      {"patron_connections_neighbours: PATRON_EINVAL (errfield \"hops\") out of range", PATRON_EINVAL, "hops",
       [&](char** o) { return patron_connections_neighbours(db, "ANA-01", 7, 10, o); }},
      {"patron_connections_neighbours: PATRON_EINVAL (errfield \"limit\") out of range", PATRON_EINVAL, "limit",
       [&](char** o) { return patron_connections_neighbours(db, "ANA-01", 1, 10001, o); }},
      {"patron_connections_dot: PATRON_EMISUSE (errfield \"out_dot\") when out_dot is NULL", PATRON_EMISUSE, "out_dot",
       plain([&] { return patron_connections_dot(db, "ANA-01", 1, 10, nullptr); })},
      {"patron_connections_dot: as patron_connections_neighbours (\"hops\")", PATRON_EINVAL, "hops", plain([&] {
         const int rc = patron_connections_dot(db, "ANA-01", 0, 10, &dot);
         return dot == nullptr ? rc : PATRON_EINTERNAL;
       })},
  };
  check(db, rows, [&] {
    json s = ok([&](char** o) { return patron_connection_of_customer(db, "ANA-01", nullptr, o); });
    s.push_back(ok([&](char** o) { return patron_connection_of_customer(db, "CY-01", nullptr, o); }));
    return s;
  });
}

// ---------------------------------------------------------------- activity

BOOST_AUTO_TEST_CASE(activity) {
  People t;
  patron_db* db = t.db;
  auto record = [&](const std::string& js) -> Call {
    return [&db, js](char** o) { return patron_event_record(db, js.c_str(), o); };
  };
  auto timeline = [&](const std::string& filter) -> Call {
    return [&db, filter](char** o) { return patron_timeline(db, "ANA-01", filter.c_str(), nullptr, 10, o); };
  };
  const std::string base = R"("action":"email.sent","summary":"Sent")";
  const std::vector<Row> rows = {
      {"ERROR FIELDS/activity: \"json\"", PATRON_EINVAL, "json", record("[1]")},
      {"ERROR FIELDS/activity: in a new event \"customer\" (patron_event_record: errfield \"customer\" for its ref)",
       PATRON_ENOTFOUND, "customer", record(R"({"customer":"NOBODY-1",)" + base + "}")},
      {"ERROR FIELDS/activity: in a new event \"customer\" (a malformed ref)", PATRON_EINVAL, "customer",
       record(R"({"customer":"no",)" + base + "}")},
      {"ERROR FIELDS/activity: in a new event \"at\"", PATRON_EINVAL, "at", record(R"({"at":"now",)" + base + "}")},
      {"ERROR FIELDS/activity: in a new event \"category\"", PATRON_EINVAL, "category",
       record(R"({"category":"stuff",)" + base + "}")},
      {"ERROR FIELDS/activity: in a new event \"type\"", PATRON_EINVAL, "type",
       record(R"({"type":"email",)" + base + "}")},
      {"ERROR FIELDS/activity: in a new event \"source\"", PATRON_EINVAL, "source",
       record(R"({"source":"robot",)" + base + "}")},
      {"ERROR FIELDS/activity: in a new event \"actor\"", PATRON_EINVAL, "actor",
       record(R"({"actor":")" + std::string(201, 'a') + "\"," + base + "}")},
      {"ERROR FIELDS/activity: in a new event \"action\"", PATRON_EINVAL, "action",
       record(R"({"action":"Email Sent","summary":"Sent"})")},
      {"ERROR FIELDS/activity: in a new event \"summary\"", PATRON_EINVAL, "summary",
       record(R"({"action":"email.sent"})")},
      {"ERROR FIELDS/activity: in a new event \"details\" (a JSON object)", PATRON_EINVAL, "details",
       record(R"({"details":[1],)" + base + "}")},
      {"ERROR FIELDS/activity: in a new event ... the unknown key", PATRON_EINVAL, "channel",
       record(R"({"channel":"mail",)" + base + "}")},
      {"patron_event_record_many: a refusal names the element (\"[2].action\")", PATRON_EINVAL, "[2].action",
       [&](char** o) {
         const std::string js = "[{" + base + "},{" + base + R"(},{"action":"","summary":"x"}])";
         return patron_event_record_many(db, js.c_str(), o);
       }},
      {"ERROR FIELDS/activity: in a timeline filter \"categories[i]\"", PATRON_EINVAL, "categories[1]",
       timeline(R"({"categories":["orders","misc"]})")},
      {"ERROR FIELDS/activity: in a timeline filter \"types[i]\"", PATRON_EINVAL, "types[0]",
       timeline(R"({"types":["email"]})")},
      {"ERROR FIELDS/activity: in a timeline filter \"sources[i]\"", PATRON_EINVAL, "sources[0]",
       timeline(R"({"sources":["robot"]})")},
      {"ERROR FIELDS/activity: in a timeline filter \"from\"", PATRON_EINVAL, "from", timeline(R"({"from":"then"})")},
      {"ERROR FIELDS/activity: in a timeline filter \"until\" (not after \"from\")", PATRON_EINVAL, "until",
       timeline(R"({"from":")" + day(1) + R"(","until":")" + day(1) + "\"}")},
      {"ERROR FIELDS/activity: in a timeline filter \"actor\"", PATRON_EINVAL, "actor", timeline(R"({"actor":7})")},
      {"ERROR FIELDS/activity: in a timeline filter \"text\"", PATRON_EINVAL, "text", timeline(R"({"text":["a"]})")},
      {"TIMELINE FILTER: unknown keys are refused", PATRON_EINVAL, "kind", timeline(R"({"kind":"x"})")},
      {"activity: functions taking a `ref` fail as the customer functions do (\"ref\")", PATRON_ENOTFOUND, "ref",
       [&](char** o) { return patron_timeline(db, "NOBODY-1", nullptr, nullptr, 10, o); }},
      {"patron_timeline: PATRON_EINVAL (errfield \"before\") for a cursor patron_timeline did not return",
       PATRON_EINVAL, "before", [&](char** o) { return patron_timeline(db, "ANA-01", nullptr, "garbage", 10, o); }},
      {"patron_timeline: (errfield \"limit\") out of range", PATRON_EINVAL, "limit",
       [&](char** o) { return patron_timeline(db, "ANA-01", nullptr, nullptr, 0, o); }},
      {"patron_feed: at most `limit` (1-1000) (\"limit\")", PATRON_EINVAL, "limit",
       [&](char** o) { return patron_feed(db, 0, 1001, o); }},
      {"patron_history: at most `limit` (1-1000) (\"limit\")", PATRON_EINVAL, "limit",
       [&](char** o) { return patron_history(db, "ANA-01", nullptr, 0, 0, o); }},
      {"patron_last_event_id: PATRON_EMISUSE (errfield \"out_id\") when out_id is NULL", PATRON_EMISUSE, "out_id",
       plain([&] { return patron_last_event_id(db, nullptr); })},
      {"patron_actor_push: PATRON_EINVAL (errfield \"source\") for an unknown source", PATRON_EINVAL, "source",
       plain([&] { return patron_actor_push("jane", "robot"); })},
      {"patron_actor_push: (errfield \"actor\") for a bad actor", PATRON_EINVAL, "actor",
       plain([&] { return patron_actor_push(std::string(201, 'a').c_str(), nullptr); })},
      {"patron_actor_push: PATRON_EMISUSE (errfield \"actor\") when actor is NULL", PATRON_EMISUSE, "actor",
       plain([&] { return patron_actor_push(nullptr, "staff"); })},
      {"patron_actor_pop: PATRON_EPRECONDITION (errfield \"actor\") when it pushed none", PATRON_EPRECONDITION, "actor",
       plain([&] { return patron_actor_pop(); })},
  };
  check(db, rows, [&] { return ok([&](char** o) { return patron_feed(db, 0, 1000, o); }); });
}

// ---------------------------------------------------------------- notes

BOOST_AUTO_TEST_CASE(notes) {
  People t;
  patron_db* db = t.db;
  t.call([&](char** o) { return patron_note_add(db, "ANA-01", "Prefers the window", "jane", 0, o); });
  const std::vector<Row> rows = {
      {"notes: an id that names none fails with PATRON_ENOTFOUND, errfield \"id\"", PATRON_ENOTFOUND, "id",
       [&](char** o) { return patron_note_get(db, 9, o); }},
      {"notes: ... errfield \"id\" (patron_note_remove)", PATRON_ENOTFOUND, "id",
       plain([&] { return patron_note_remove(db, 9); })},
      {"ERROR FIELDS/notes: \"ref\"", PATRON_ENOTFOUND, "ref",
       [&](char** o) { return patron_note_add(db, "NOBODY-1", "x", "jane", 0, o); }},
      {"patron_note_add: PATRON_EINVAL (errfield \"body\") for a value out of bounds", PATRON_EINVAL, "body",
       [&](char** o) { return patron_note_add(db, "ANA-01", "  ", "jane", 0, o); }},
      {"patron_note_add: PATRON_EINVAL (errfield \"author\") for a value out of bounds", PATRON_EINVAL, "author",
       [&](char** o) { return patron_note_add(db, "ANA-01", "x", "", 0, o); }},
      {"ERROR FIELDS/notes: \"body\" (patron_note_edit)", PATRON_EINVAL, "body",
       [&](char** o) { return patron_note_edit(db, 1, std::string(100001, 'b').c_str(), "jane", o); }},
      {"ERROR FIELDS/notes: \"editor\"", PATRON_EINVAL, "editor",
       [&](char** o) { return patron_note_edit(db, 1, "Prefers the door", " ", o); }},
      {"patron_note_of_customer: `limit` (1-1000, else PATRON_EINVAL with errfield \"limit\")", PATRON_EINVAL, "limit",
       [&](char** o) { return patron_note_of_customer(db, "ANA-01", 1001, 0, o); }},
      {"patron_note_search: PATRON_EINVAL (errfield \"query\") when it has no word", PATRON_EINVAL, "query",
       [&](char** o) { return patron_note_search(db, " -- ", nullptr, 10, 0, o); }},
      {"ERROR FIELDS/notes: \"limit\" (patron_note_search)", PATRON_EINVAL, "limit",
       [&](char** o) { return patron_note_search(db, "window", nullptr, 0, 0, o); }},
  };
  check(db, rows, [&] { return ok([&](char** o) { return patron_note_of_customer(db, "ANA-01", 1000, 0, o); }); });
}

// ---------------------------------------------------------------- documents

BOOST_AUTO_TEST_CASE(documents) {
  People t;
  patron_db* db = t.db;
  const std::string meta = R"({"customer":"ANA-01","name":"waiver.pdf"})";
  t.call([&](char** o) { return patron_document_attach(db, meta.c_str(), "abc", 3, o); });
  // A second handle on the file with a 4-byte limit.
  patron_options opts;
  patron_options_init(&opts);
  opts.max_document_bytes = 4;
  patron_db* small = nullptr;
  BOOST_TEST_REQUIRE(patron_open(&small, t.path.c_str(), &opts) == PATRON_OK);
  const std::string five = t.dir.file("five.bin");
  std::ofstream(five, std::ios::binary) << "12345";
  const std::string missing = t.dir.file("missing.bin");
  const std::string unwritable = t.dir.file("no/such/dir/out.bin");
  void* data = nullptr;
  std::size_t size = 0;
  std::int64_t written = 0;
  auto attach = [&](const std::string& js) -> Call {
    return [&db, js](char** o) { return patron_document_attach(db, js.c_str(), "x", 1, o); };
  };
  const std::vector<Row> rows = {
      {"documents: an id that names none fails with PATRON_ENOTFOUND, errfield \"id\"", PATRON_ENOTFOUND, "id",
       [&](char** o) { return patron_document_get(db, 9, o); }},
      {"documents: ... errfield \"id\" (patron_document_read)", PATRON_ENOTFOUND, "id",
       plain([&] { return patron_document_read(db, 9, &data, &size); })},
      {"ERROR FIELDS/documents: \"ref\"", PATRON_ENOTFOUND, "ref",
       [&](char** o) { return patron_document_of_customer(db, "NOBODY-1", o); }},
      {"patron_document_attach: PATRON_EMISUSE (errfield \"data\") for NULL data with a non-zero size", PATRON_EMISUSE,
       "data", [&](char** o) { return patron_document_attach(db, meta.c_str(), nullptr, 2, o); }},
      {"patron_document_attach: PATRON_EINVAL (errfield \"bytes\") when size exceeds max_document_bytes", PATRON_EINVAL,
       "bytes", [&](char** o) { return patron_document_attach(small, meta.c_str(), "12345", 5, o); },
       "limit of 4 bytes"},
      {"patron_document_attach: errfield \"customer\" for the metadata's ref (PATRON_ENOTFOUND)", PATRON_ENOTFOUND,
       "customer", attach(R"({"customer":"NOBODY-1","name":"a.pdf"})")},
      {"patron_document_attach: errfield \"customer\" for the metadata's ref (PATRON_EINVAL)", PATRON_EINVAL,
       "customer", attach(R"({"customer":"no","name":"a.pdf"})")},
      {"ERROR FIELDS/documents: in the metadata \"name\"", PATRON_EINVAL, "name",
       attach(R"({"customer":"ANA-01","name":"a/b.pdf"})")},
      {"ERROR FIELDS/documents: in the metadata \"media_type\"", PATRON_EINVAL, "media_type",
       attach(R"({"customer":"ANA-01","name":"a.pdf","media_type":"pdf"})")},
      {"ERROR FIELDS/documents: in the metadata \"kind\"", PATRON_EINVAL, "kind",
       attach(R"({"customer":"ANA-01","name":"a.pdf","kind":"invoice"})")},
      {"ERROR FIELDS/documents: in the metadata ... the unknown key", PATRON_EINVAL, "size",
       attach(R"({"customer":"ANA-01","name":"a.pdf","size":1})")},
      {"patron_document_attach_file: PATRON_EINVAL (errfield \"path\") when it cannot be read", PATRON_EINVAL, "path",
       [&](char** o) { return patron_document_attach_file(db, meta.c_str(), missing.c_str(), o); }},
      {"patron_document_attach_file: PATRON_EINVAL (errfield \"path\") when it ... exceeds max_document_bytes",
       PATRON_EINVAL, "path",
       [&](char** o) { return patron_document_attach_file(small, meta.c_str(), five.c_str(), o); }, "limit of 4 bytes"},
      {"patron_document_read: PATRON_EMISUSE (errfield \"out_data\")", PATRON_EMISUSE, "out_data",
       plain([&] { return patron_document_read(db, 1, nullptr, &size); })},
      {"patron_document_read: PATRON_EMISUSE (errfield \"out_size\")", PATRON_EMISUSE, "out_size",
       plain([&] { return patron_document_read(db, 1, &data, nullptr); })},
      {"patron_document_read_to_file: PATRON_EINVAL (errfield \"path\") when the file cannot be written", PATRON_EINVAL,
       "path", plain([&] { return patron_document_read_to_file(db, 1, unwritable.c_str(), &written); })},
  };
  check(db, rows, [&] { return ok([&](char** o) { return patron_document_of_customer(db, "ANA-01", o); }); });
  patron_close(small);
}

// ---------------------------------------------------------------- custom fields

BOOST_AUTO_TEST_CASE(custom_fields) {
  People t;
  patron_db* db = t.db;
  t.call([&](char** o) {
    return patron_field_define(db, R"({"key":"vip_level","label":"VIP","type":"select","options":["silver","gold"]})",
                               o);
  });
  t.call([&](char** o) {
    return patron_field_define(db, R"({"key":"badge","label":"Badge","required":true,"default":"none"})", o);
  });
  t.call([&](char** o) { return patron_field_set(db, "ANA-01", "vip_level", R"("gold")", o); });
  t.call([&](char** o) { return patron_field_set(db, "ANA-01", "badge", R"("B-7")", o); });
  auto define = [&](const std::string& js) -> Call {
    return [&db, js](char** o) { return patron_field_define(db, js.c_str(), o); };
  };
  auto update = [&](const std::string& js) -> Call {
    return [&db, js](char** o) { return patron_field_update(db, "vip_level", js.c_str(), o); };
  };
  const std::vector<Row> rows = {
      {"custom fields: a key that names none fails with PATRON_ENOTFOUND, errfield \"key\"", PATRON_ENOTFOUND, "key",
       [&](char** o) { return patron_field_get(db, "shoe_size", o); }},
      {"patron_field_define: PATRON_EEXIST (errfield \"key\") when the key is taken", PATRON_EEXIST, "key",
       define(R"({"key":"vip_level","label":"Again"})")},
      {"ERROR FIELDS/custom fields: \"key\" (malformed)", PATRON_EINVAL, "key",
       define(R"({"key":"2fast","label":"X"})")},
      {"ERROR FIELDS/custom fields: \"label\"", PATRON_EINVAL, "label", define(R"({"key":"x","label":""})")},
      {"ERROR FIELDS/custom fields: \"type\"", PATRON_EINVAL, "type",
       define(R"({"key":"x","label":"X","type":"colour"})")},
      {"ERROR FIELDS/custom fields: \"required\"", PATRON_EINVAL, "required",
       define(R"({"key":"x","label":"X","required":"yes"})")},
      {"ERROR FIELDS/custom fields: \"default\"", PATRON_EINVAL, "default",
       define(R"({"key":"x","label":"X","type":"number","default":"many"})")},
      {"ERROR FIELDS/custom fields: \"options\"", PATRON_EINVAL, "options",
       define(R"({"key":"x","label":"X","type":"select","options":[]})")},
      {"ERROR FIELDS/custom fields: \"options[i]\"", PATRON_EINVAL, "options[1]",
       define(R"({"key":"x","label":"X","type":"select","options":["a","a"]})")},
      {"ERROR FIELDS/custom fields: \"visible_to[i]\"", PATRON_EINVAL, "visible_to[0]",
       define(R"({"key":"x","label":"X","visible_to":[""]})")},
      {"ERROR FIELDS/custom fields: the unknown key of a document", PATRON_EINVAL, "hint",
       define(R"({"key":"x","label":"X","hint":"?"})")},
      {"CUSTOM FIELDS: a value of the wrong JSON type ... errfield \"custom_fields.<key>\"", PATRON_EINVAL,
       "custom_fields.vip_level", [&](char** o) { return patron_field_set(db, "BO-01", "vip_level", "3", o); }},
      {"patron_field_set: PATRON_EINVAL (errfield \"custom_fields.<key>\") for a bad value", PATRON_EINVAL,
       "custom_fields.vip_level",
       [&](char** o) { return patron_field_set(db, "BO-01", "vip_level", R"("bronze")", o); }},
      {"patron_field_set: PATRON_ENOTFOUND (errfield \"key\") when no field has the key", PATRON_ENOTFOUND, "key",
       [&](char** o) { return patron_field_set(db, "BO-01", "shoe_size", "42", o); }},
      {"CUSTOM FIELDS: new customer, a value ... errfield \"custom_fields.<key>\"", PATRON_EINVAL,
       "custom_fields.vip_level",
       [&](char** o) {
         return patron_customer_create(db, R"({"first_name":"Di","last_name":"Li","custom_fields":{"vip_level":"x"}})",
                                       o);
       }},
      {"ERROR FIELDS/custom fields: \"ref\"", PATRON_ENOTFOUND, "ref",
       [&](char** o) { return patron_field_values(db, "NOBODY-1", nullptr, o); }},
      {"ERROR FIELDS/custom fields: \"limit\" (patron_field_find)", PATRON_EINVAL, "limit",
       [&](char** o) { return patron_field_find(db, "vip_level", R"("gold")", 0, 0, o); }},
      {"patron_field_update: PATRON_EPRECONDITION (errfield \"type\") when existing values would break it",
       PATRON_EPRECONDITION, "type", update(R"({"type":"number"})"), "1"},
      {"patron_field_update: PATRON_EPRECONDITION (errfield \"options\") when existing values would break it",
       PATRON_EPRECONDITION, "options", update(R"({"options":["silver"]})"), "1"},
      {"patron_field_update: PATRON_EPRECONDITION (errfield \"required\") when existing values would break it",
       PATRON_EPRECONDITION, "required", update(R"({"required":true})"), "2"},
      {"patron_field_clear: PATRON_EPRECONDITION (errfield \"required\") for a required field", PATRON_EPRECONDITION,
       "required", [&](char** o) { return patron_field_clear(db, "ANA-01", "badge", o); }},
  };
  check(db, rows, [&] {
    json s = ok([&](char** o) { return patron_field_list(db, o); });
    s.push_back(ok([&](char** o) { return patron_field_values(db, "ANA-01", nullptr, o); }));
    s.push_back(ok([&](char** o) { return patron_field_values(db, "BO-01", nullptr, o); }));
    s.push_back(t.everyone());
    return s;
  });
}

// ---------------------------------------------------------------- purses

BOOST_AUTO_TEST_CASE(purses) {
  People t;
  patron_db* db = t.db;
  auto request = [](const std::string& customer, const std::string& currency, std::int64_t amount,
                    const std::string& key, const std::string& extra = "") {
    return R"({"customer":")" + customer + R"(","currency":")" + currency + R"(","amount":)" + std::to_string(amount) +
           R"(,"idempotency_key":")" + key + "\"" + extra + "}";
  };
  const std::string top = request("ANA-01", "GBP", 1000, "t-1");
  t.call([&](char** o) { return patron_purse_top_up(db, top.c_str(), o); });  // entry 1
  const std::string charge = request("ANA-01", "GBP", 600, "c-1");
  t.call([&](char** o) { return patron_purse_charge(db, charge.c_str(), o); });  // entry 2
  auto top_up = [&](const std::string& js) -> Call {
    return [&db, js](char** o) { return patron_purse_top_up(db, js.c_str(), o); };
  };
  auto charge_ = [&](const std::string& js) -> Call {
    return [&db, js](char** o) { return patron_purse_charge(db, js.c_str(), o); };
  };
  const std::vector<Row> rows = {
      {"ERROR FIELDS/purses: in a purse request \"customer\" (PATRON_ENOTFOUND, as for `ref`)", PATRON_ENOTFOUND,
       "customer", top_up(request("NOBODY-1", "GBP", 1, "k"))},
      {"ERROR FIELDS/purses: in a purse request \"customer\" (PATRON_EINVAL, as for `ref`)", PATRON_EINVAL, "customer",
       charge_(request("no", "GBP", 1, "k"))},
      {"patron_purse_top_up: \"currency\"", PATRON_EINVAL, "currency", top_up(request("ANA-01", "GBX", 1, "k"))},
      {"patron_purse_top_up: \"amount\" not 1 to 10^15", PATRON_EINVAL, "amount",
       top_up(request("ANA-01", "GBP", 1000000000000001, "k"))},
      {"patron_purse_top_up: \"idempotency_key\"", PATRON_EINVAL, "idempotency_key",
       top_up(request("ANA-01", "GBP", 1, ""))},
      {"patron_purse_top_up: \"reference\"", PATRON_EINVAL, "reference",
       top_up(request("ANA-01", "GBP", 1, "k", R"(,"reference":")" + std::string(201, 'r') + "\""))},
      {"Purse request: unknown keys are refused with PATRON_EINVAL naming the key", PATRON_EINVAL, "tip",
       top_up(request("ANA-01", "GBP", 1, "k", R"(,"tip":1)"))},
      {"PURSES: the same key with a different request is refused with PATRON_ECONFLICT, errfield "
       "\"idempotency_key\"",
       PATRON_ECONFLICT, "idempotency_key", top_up(request("ANA-01", "GBP", 999, "t-1"))},
      {"patron_purse_charge: PATRON_EPRECONDITION (errfield \"amount\") when the amount exceeds what is available "
       "(the available amount in the message)",
       PATRON_EPRECONDITION, "amount", charge_(request("ANA-01", "GBP", 401, "c-2")), "400"},
      {"patron_purse_refund: PATRON_ENOTFOUND (errfield \"charge\": no entry with that id)", PATRON_ENOTFOUND, "charge",
       [&](char** o) { return patron_purse_refund(db, 9, 1, "r-1", nullptr, o); }},
      {"patron_purse_refund: PATRON_ENOTFOUND (errfield \"charge\": ... or it is not a charge)", PATRON_ENOTFOUND,
       "charge", [&](char** o) { return patron_purse_refund(db, 1, 1, "r-1", nullptr, o); }},
      {"patron_purse_refund: PATRON_EINVAL (errfield \"amount\")", PATRON_EINVAL, "amount",
       [&](char** o) { return patron_purse_refund(db, 2, 0, "r-1", nullptr, o); }},
      {"patron_purse_refund: PATRON_EINVAL (errfield \"idempotency_key\")", PATRON_EINVAL, "idempotency_key",
       [&](char** o) { return patron_purse_refund(db, 2, 1, "", nullptr, o); }},
      {"patron_purse_refund: PATRON_EINVAL (errfield \"reference\")", PATRON_EINVAL, "reference",
       [&](char** o) { return patron_purse_refund(db, 2, 1, "r-1", std::string(201, 'r').c_str(), o); }},
      {"patron_purse_refund: PATRON_EPRECONDITION (errfield \"amount\": more than is left of the charge, the amount "
       "left in the message)",
       PATRON_EPRECONDITION, "amount", [&](char** o) { return patron_purse_refund(db, 2, 601, "r-1", nullptr, o); },
       "600"},
      {"patron_purse_refund: PATRON_ECONFLICT (errfield \"idempotency_key\")", PATRON_ECONFLICT, "idempotency_key",
       [&](char** o) { return patron_purse_refund(db, 2, 1, "c-1", nullptr, o); }},
      {"purses: functions taking a `ref` fail as the customer functions do (errfield \"ref\")", PATRON_ENOTFOUND, "ref",
       [&](char** o) { return patron_purse_account(db, "NOBODY-1", "GBP", o); }},
      {"purses: a `currency` that is not ISO 4217 fails with PATRON_EINVAL, errfield \"currency\"", PATRON_EINVAL,
       "currency", [&](char** o) { return patron_purse_account(db, "ANA-01", "pounds", o); }},
      {"patron_purse_set_credit_limit: PATRON_EINVAL (errfield \"credit_limit\") out of range", PATRON_EINVAL,
       "credit_limit", [&](char** o) { return patron_purse_set_credit_limit(db, "ANA-01", "GBP", -1, o); }},
      {"patron_purse_entry: PATRON_ENOTFOUND (errfield \"id\") when there is none", PATRON_ENOTFOUND, "id",
       [&](char** o) { return patron_purse_entry(db, 9, o); }},
      {"patron_purse_entries: `limit` (1-1000, else PATRON_EINVAL with errfield \"limit\")", PATRON_EINVAL, "limit",
       [&](char** o) { return patron_purse_entries(db, "ANA-01", "GBP", 0, 0, o); }},
  };
  auto state = [&] {
    json s = ok([&](char** o) { return patron_purse_accounts(db, "ANA-01", o); });
    s.push_back(ok([&](char** o) { return patron_purse_entries(db, "ANA-01", "GBP", 1000, 0, o); }));
    s.push_back(ok([&](char** o) { return patron_purse_accounts(db, "BO-01", o); }));
    return s;
  };
  check(db, rows, state);
  // Below minus the new limit: Bo owes 500 on a 500 limit.
  t.call([&](char** o) { return patron_purse_set_credit_limit(db, "BO-01", "GBP", 500, o); });
  const std::string owe = request("BO-01", "GBP", 500, "c-3");
  t.call([&](char** o) { return patron_purse_charge(db, owe.c_str(), o); });
  check(db,
        {{"patron_purse_set_credit_limit: PATRON_EPRECONDITION (errfield \"credit_limit\") when the balance is "
          "already below minus the new limit",
          PATRON_EPRECONDITION, "credit_limit",
          [&](char** o) { return patron_purse_set_credit_limit(db, "BO-01", "GBP", 499, o); }}},
        state);
}

// patron_purse_top_up: PATRON_EPRECONDITION (errfield "amount") when the
// balance would exceed what an int64_t holds. 9223 top-ups of 10^15 bring
// the balance to 9.223 * 10^18; the next one would overflow.
BOOST_AUTO_TEST_CASE(purse_balance_overflow) {
  People t;
  patron_db* db = t.db;
  for (int i = 0; i < 9223; ++i) {
    const std::string js = R"({"customer":"ANA-01","currency":"GBP","amount":1000000000000000,"idempotency_key":"k)" +
                           std::to_string(i) + "\"}";
    char* out = nullptr;
    const int rc = patron_purse_top_up(db, js.c_str(), &out);
    patron_free(out);
    BOOST_TEST_REQUIRE(rc == PATRON_OK, describe_failure(rc));
  }
  check(db,
        {{"patron_purse_top_up: PATRON_EPRECONDITION (errfield \"amount\") when the balance would exceed what an "
          "int64_t holds",
          PATRON_EPRECONDITION, "amount",
          [&](char** o) {
            return patron_purse_top_up(
                db, R"({"customer":"ANA-01","currency":"GBP","amount":1000000000000000,"idempotency_key":"over"})", o);
          }}},
        [&] { return ok([&](char** o) { return patron_purse_accounts(db, "ANA-01", o); }); });
}

// ---------------------------------------------------------------- loyalty

namespace {

// Program "stars" (GBP, 1 point per 100) with tier "gold" at 1000 and
// reward "coffee" (500 points); Ana earned 1000 points (entry 1, gold);
// reward "later" becomes active tomorrow; Bo earned 100 points (entry 2)
// and redeemed 60 (entry 3).
struct Stars : People {
  Stars() {
    call([&](char** o) {
      return patron_loyalty_program_create(db, R"({"id":"stars","name":"Stars","currency":"GBP"})", o);
    });
    call([&](char** o) {
      return patron_loyalty_tier_save(db, R"({"program":"stars","id":"gold","name":"Gold","threshold":1000})", o);
    });
    call([&](char** o) {
      return patron_reward_save(db, R"({"id":"coffee","program":"stars","name":"Coffee","cost":500})", o);
    });
    const std::string later =
        R"({"id":"later","program":"stars","name":"Later","cost":1,"active_from":")" + day(1) + "\"}";
    call([&](char** o) { return patron_reward_save(db, later.c_str(), o); });
    call([&](char** o) {
      return patron_points_earn(db, R"({"customer":"ANA-01","program":"stars","points":1000,"idempotency_key":"e-1"})",
                                o);
    });
    call([&](char** o) {
      return patron_points_earn(db, R"({"customer":"BO-01","program":"stars","points":100,"idempotency_key":"e-2"})",
                                o);
    });
    call([&](char** o) {
      return patron_points_redeem(db, R"({"customer":"BO-01","program":"stars","points":60,"idempotency_key":"r-0"})",
                                  o);
    });
  }
  json state() {
    json s = ok([&](char** o) { return patron_loyalty_program_list(db, o); });
    s.push_back(ok([&](char** o) { return patron_loyalty_tier_list(db, "stars", o); }));
    s.push_back(ok([&](char** o) { return patron_reward_list(db, "stars", nullptr, o); }));
    for (const char* who : {"ANA-01", "BO-01"}) {
      s.push_back(ok([&](char** o) { return patron_points_accounts(db, who, o); }));
      s.push_back(ok([&](char** o) { return patron_points_entries(db, who, "stars", 1000, 0, o); }));
    }
    return s;
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(loyalty) {
  Stars t;
  patron_db* db = t.db;
  std::int64_t entry = 0, points = 0, balance = 0;
  auto program = [&](const std::string& extra) -> Call {
    const std::string js = R"({"id":"moons","name":"Moons","currency":"GBP")" + extra + "}";
    return [&db, js](char** o) { return patron_loyalty_program_create(db, js.c_str(), o); };
  };
  auto tier = [&](const std::string& js) -> Call {
    return [&db, js](char** o) { return patron_loyalty_tier_save(db, js.c_str(), o); };
  };
  auto reward = [&](const std::string& extra) -> Call {
    const std::string js = R"({"id":"tea","program":"stars","name":"Tea","cost":100)" + extra + "}";
    return [&db, js](char** o) { return patron_reward_save(db, js.c_str(), o); };
  };
  auto earn = [&](const std::string& body) -> Call {
    const std::string js = "{" + body + "}";
    return [&db, js](char** o) { return patron_points_earn(db, js.c_str(), o); };
  };
  const std::string ana = R"("customer":"ANA-01","program":"stars",)";
  const std::string long_text = std::string(201, 'x');
  const std::vector<Row> rows = {
      // Definitions.
      {"ERROR FIELDS/loyalty: in a definition \"id\"", PATRON_EINVAL, "id",
       [&](char** o) { return patron_loyalty_program_create(db, R"({"id":"a b","name":"X","currency":"GBP"})", o); }},
      {"ERROR FIELDS/loyalty: in a definition \"name\"", PATRON_EINVAL, "name",
       [&](char** o) { return patron_loyalty_program_create(db, R"({"id":"moons","name":"","currency":"GBP"})", o); }},
      {"ERROR FIELDS/loyalty: in a definition \"points_name\"", PATRON_EINVAL, "points_name",
       program(R"(,"points_name":")" + std::string(51, 'p') + "\"")},
      {"ERROR FIELDS/loyalty: in a definition \"currency\"", PATRON_EINVAL, "currency",
       [&](char** o) {
         return patron_loyalty_program_create(db, R"({"id":"moons","name":"Moons","currency":"GBX"})", o);
       }},
      {"ERROR FIELDS/loyalty: in a definition \"earn_points\"", PATRON_EINVAL, "earn_points",
       program(R"(,"earn_points":0)")},
      {"ERROR FIELDS/loyalty: in a definition \"per_amount\"", PATRON_EINVAL, "per_amount",
       program(R"(,"per_amount":0)")},
      {"ERROR FIELDS/loyalty: in a definition \"rounding\"", PATRON_EINVAL, "rounding",
       program(R"(,"rounding":"odd")")},
      {"ERROR FIELDS/loyalty: in a definition \"expiry_months\"", PATRON_EINVAL, "expiry_months",
       program(R"(,"expiry_months":0)")},
      {"ERROR FIELDS/loyalty: in a definition \"redemption_order\"", PATRON_EINVAL, "redemption_order",
       program(R"(,"redemption_order":"random")")},
      {"ERROR FIELDS/loyalty: in a definition \"tier_window_months\"", PATRON_EINVAL, "tier_window_months",
       program(R"(,"tier_window_months":121)")},
      {"ERROR FIELDS/loyalty: in a definition ... the unknown key", PATRON_EINVAL, "colour",
       program(R"(,"colour":"red")")},
      {"patron_loyalty_program_create: PATRON_EEXIST (errfield \"id\") when a program has that id", PATRON_EEXIST, "id",
       [&](char** o) { return patron_loyalty_program_create(db, R"({"id":"stars","name":"S","currency":"GBP"})", o); }},
      {"patron_loyalty_program_update: PATRON_ENOTFOUND (errfield \"id\") when there is none", PATRON_ENOTFOUND, "id",
       [&](char** o) { return patron_loyalty_program_update(db, R"({"id":"moons","name":"M","currency":"GBP"})", o); }},
      {"patron_loyalty_tier_save: PATRON_ENOTFOUND (errfield \"program\") for an unknown program", PATRON_ENOTFOUND,
       "program", tier(R"({"program":"moons","id":"gold","name":"Gold"})")},
      {"patron_loyalty_tier_save: PATRON_EEXIST (errfield \"threshold\") for a threshold another tier has",
       PATRON_EEXIST, "threshold", tier(R"({"program":"stars","id":"silver","name":"Silver","threshold":1000})")},
      {"ERROR FIELDS/loyalty: in a definition \"threshold\"", PATRON_EINVAL, "threshold",
       tier(R"({"program":"stars","id":"silver","name":"Silver","threshold":-1})")},
      {"ERROR FIELDS/loyalty: in a definition \"earn_multiplier_percent\"", PATRON_EINVAL, "earn_multiplier_percent",
       tier(R"({"program":"stars","id":"silver","name":"Silver","earn_multiplier_percent":10001})")},
      {"ERROR FIELDS/loyalty: in a definition \"benefits\"", PATRON_EINVAL, "benefits",
       tier(R"({"program":"stars","id":"silver","name":"Silver","benefits":")" + std::string(2001, 'b') + "\"}")},
      {"patron_reward_save: PATRON_ENOTFOUND (errfield \"program\") for an unknown program", PATRON_ENOTFOUND,
       "program",
       [&](char** o) { return patron_reward_save(db, R"({"id":"tea","program":"moons","name":"Tea","cost":1})", o); }},
      {"ERROR FIELDS/loyalty: in a definition \"cost\"", PATRON_EINVAL, "cost",
       [&](char** o) { return patron_reward_save(db, R"({"id":"tea","program":"stars","name":"Tea","cost":0})", o); }},
      {"ERROR FIELDS/loyalty: in a definition \"active_from\"", PATRON_EINVAL, "active_from",
       reward(R"(,"active_from":"soon")")},
      {"ERROR FIELDS/loyalty: in a definition \"active_until\" (not after \"active_from\")", PATRON_EINVAL,
       "active_until", reward(R"(,"active_from":")" + day(1) + R"(","active_until":")" + day(1) + "\"")},
      {"ERROR FIELDS/loyalty: in a definition \"description\"", PATRON_EINVAL, "description",
       reward(R"(,"description":")" + std::string(2001, 'd') + "\"")},
      // Requests.
      {"patron_points_earn: errfield \"customer\" for the ref (PATRON_ENOTFOUND)", PATRON_ENOTFOUND, "customer",
       earn(R"("customer":"NOBODY-1","program":"stars","points":1,"idempotency_key":"k")")},
      {"patron_points_earn: errfield \"customer\" for the ref (PATRON_EINVAL)", PATRON_EINVAL, "customer",
       earn(R"("customer":"no","program":"stars","points":1,"idempotency_key":"k")")},
      {"patron_points_earn: PATRON_ENOTFOUND (errfield \"program\")", PATRON_ENOTFOUND, "program",
       earn(R"("customer":"ANA-01","program":"moons","points":1,"idempotency_key":"k")")},
      {"patron_points_earn: \"points\" (also both ... of points and amount)", PATRON_EINVAL, "points",
       earn(ana + R"("points":1,"amount":100,"idempotency_key":"k")")},
      {"patron_points_earn: \"points\" (also ... neither of points and amount)", PATRON_EINVAL, "points",
       earn(ana + R"("idempotency_key":"k")")},
      {"Earn request: \"points\" 1 to 10^12", PATRON_EINVAL, "points",
       earn(ana + R"("points":1000000000001,"idempotency_key":"k")")},
      {"patron_points_earn: \"amount\"", PATRON_EINVAL, "amount", earn(ana + R"("amount":0,"idempotency_key":"k")")},
      {"patron_points_earn: \"currency\"", PATRON_EINVAL, "currency",
       earn(ana + R"("amount":100,"currency":"GBX","idempotency_key":"k")")},
      {"patron_points_earn: PATRON_EPRECONDITION (errfield \"currency\": an amount in another currency than the "
       "program's)",
       PATRON_EPRECONDITION, "currency", earn(ana + R"("amount":100,"currency":"EUR","idempotency_key":"k")")},
      {"ERROR FIELDS/loyalty: in a request \"pending_until\"", PATRON_EINVAL, "pending_until",
       earn(ana + R"("points":1,"pending_until":"soon","idempotency_key":"k")")},
      {"patron_points_earn: \"reference\"", PATRON_EINVAL, "reference",
       earn(ana + R"("points":1,"reference":")" + long_text + R"(","idempotency_key":"k")")},
      {"patron_points_earn: \"idempotency_key\"", PATRON_EINVAL, "idempotency_key", earn(ana + R"("points":1)")},
      {"patron_points_earn: unknown key", PATRON_EINVAL, "bonus",
       earn(ana + R"("points":1,"bonus":2,"idempotency_key":"k")")},
      {"patron_points_earn: PATRON_ECONFLICT (errfield \"idempotency_key\")", PATRON_ECONFLICT, "idempotency_key",
       earn(ana + R"("points":999,"idempotency_key":"e-1")")},
      {"patron_points_earn_many: a refusal names the element (\"[2].points\")", PATRON_EINVAL, "[2].points",
       [&](char** o) {
         const std::string js = "[{" + ana + R"("points":1,"idempotency_key":"m1"},{)" + ana +
                                R"("points":1,"idempotency_key":"m2"},{)" + ana +
                                R"("points":0,"idempotency_key":"m3"}])";
         return patron_points_earn_many(db, js.c_str(), o);
       }},
      {"patron_points_earn_many: a refusal names the element (\"[0].customer\")", PATRON_ENOTFOUND, "[0].customer",
       [&](char** o) {
         return patron_points_earn_many(
             db, R"([{"customer":"NOBODY-1","program":"stars","points":1,"idempotency_key":"m1"}])", o);
       }},
      {"patron_points_redeem: PATRON_EPRECONDITION (errfield \"points\") beyond the spendable points (the spendable "
       "points in the message)",
       PATRON_EPRECONDITION, "points",
       [&](char** o) {
         return patron_points_redeem(db, ("{" + ana + R"("points":1001,"idempotency_key":"r-1"})").c_str(), o);
       },
       "1000"},
      {"patron_points_redeem_many: a refusal names the element (\"[1].points\")", PATRON_EPRECONDITION, "[1].points",
       [&](char** o) {
         const std::string js = "[{" + ana + R"("points":600,"idempotency_key":"r1"},{)" + ana +
                                R"("points":600,"idempotency_key":"r2"}])";
         return patron_points_redeem_many(db, js.c_str(), o);
       }},
      {"patron_points_earn_typed: errfield \"customer\"", PATRON_ENOTFOUND, "customer", plain([&] {
         return patron_points_earn_typed(db, "NOBODY-1", "stars", 1, 0, nullptr, nullptr, "k", &entry, &points,
                                         &balance);
       })},
      {"patron_points_earn_typed: errfield \"program\"", PATRON_ENOTFOUND, "program", plain([&] {
         return patron_points_earn_typed(db, "ANA-01", "moons", 1, 0, nullptr, nullptr, "k", &entry, &points, &balance);
       })},
      {"patron_points_earn_typed: errfield \"points\"", PATRON_EINVAL, "points", plain([&] {
         return patron_points_earn_typed(db, "ANA-01", "stars", 0, 0, nullptr, nullptr, "k", &entry, &points, &balance);
       })},
      {"patron_points_earn_typed: errfield \"amount\"", PATRON_EINVAL, "amount", plain([&] {
         return patron_points_earn_typed(db, "ANA-01", "stars", 0, -5, nullptr, nullptr, "k", &entry, &points,
                                         &balance);
       })},
      {"patron_points_earn_typed: errfield \"currency\"", PATRON_EINVAL, "currency", plain([&] {
         return patron_points_earn_typed(db, "ANA-01", "stars", 0, 100, "pounds", nullptr, "k", &entry, &points,
                                         &balance);
       })},
      {"patron_points_earn_typed: errfield \"reference\"", PATRON_EINVAL, "reference", plain([&] {
         return patron_points_earn_typed(db, "ANA-01", "stars", 1, 0, nullptr, long_text.c_str(), "k", &entry, &points,
                                         &balance);
       })},
      {"patron_points_earn_typed: errfield \"idempotency_key\"", PATRON_EINVAL, "idempotency_key", plain([&] {
         return patron_points_earn_typed(db, "ANA-01", "stars", 1, 0, nullptr, nullptr, "", &entry, &points, &balance);
       })},
      {"patron_points_redeem_typed: errors as the JSON forms (\"points\" beyond the spendable)", PATRON_EPRECONDITION,
       "points", plain([&] {
         return patron_points_redeem_typed(db, "ANA-01", "stars", 1001, nullptr, "r-1", &entry, &points, &balance);
       })},
      {"patron_points_adjust: PATRON_EINVAL (errfield \"reason\" when empty)", PATRON_EINVAL, "reason",
       [&](char** o) {
         return patron_points_adjust(
             db, ("{" + ana + R"("points":5,"reason":"","actor":"jane","idempotency_key":"a-1"})").c_str(), o);
       }},
      {"patron_points_adjust: (\"actor\" when neither the document nor patron_actor_push names one)", PATRON_EINVAL,
       "actor",
       [&](char** o) {
         return patron_points_adjust(
             db, ("{" + ana + R"("points":5,"reason":"goodwill","idempotency_key":"a-1"})").c_str(), o);
       }},
      {"patron_points_adjust: (\"points\" when 0)", PATRON_EINVAL, "points",
       [&](char** o) {
         return patron_points_adjust(
             db, ("{" + ana + R"("points":0,"reason":"goodwill","actor":"jane","idempotency_key":"a-1"})").c_str(), o);
       }},
      {"patron_points_adjust: PATRON_EPRECONDITION (errfield \"points\") for a negative adjustment beyond the "
       "spendable points",
       PATRON_EPRECONDITION, "points",
       [&](char** o) {
         return patron_points_adjust(
             db, ("{" + ana + R"("points":-1001,"reason":"oops","actor":"jane","idempotency_key":"a-1"})").c_str(), o);
       }},
      {"patron_points_reverse: PATRON_ENOTFOUND (errfield \"entry\": no entry with that id)", PATRON_ENOTFOUND, "entry",
       [&](char** o) { return patron_points_reverse(db, 99, 1, "v-1", nullptr, o); }},
      {"patron_points_reverse: PATRON_EINVAL (errfield \"points\")", PATRON_EINVAL, "points",
       [&](char** o) { return patron_points_reverse(db, 1, 0, "v-1", nullptr, o); }},
      {"patron_points_reverse: PATRON_EINVAL (errfield \"idempotency_key\")", PATRON_EINVAL, "idempotency_key",
       [&](char** o) { return patron_points_reverse(db, 1, 1, "", nullptr, o); }},
      {"patron_points_reverse: PATRON_EINVAL (errfield \"reason\")", PATRON_EINVAL, "reason",
       [&](char** o) { return patron_points_reverse(db, 1, 1, "v-1", std::string(501, 'r').c_str(), o); }},
      {"patron_points_reverse: PATRON_EPRECONDITION (errfield \"points\": more than is left of the original)",
       PATRON_EPRECONDITION, "points", [&](char** o) { return patron_points_reverse(db, 1, 1001, "v-1", nullptr, o); }},
      {"ERROR FIELDS/loyalty: PATRON_EPRECONDITION, errfield \"points\" (an earn reversal beyond the spendable "
       "points, the spendable points in the message)",
       PATRON_EPRECONDITION, "points", [&](char** o) { return patron_points_reverse(db, 2, 41, "v-1", nullptr, o); },
       "40"},
      {"patron_points_reverse: PATRON_ECONFLICT (errfield \"idempotency_key\")", PATRON_ECONFLICT, "idempotency_key",
       [&](char** o) { return patron_points_reverse(db, 1, 1, "e-1", nullptr, o); }},
      {"patron_points_transfer: errfield \"from\" for the ref", PATRON_ENOTFOUND, "from",
       [&](char** o) {
         return patron_points_transfer(
             db, R"({"from":"NOBODY-1","to":"BO-01","program":"stars","points":1,"idempotency_key":"g-1"})", o);
       }},
      {"patron_points_transfer: errfield \"to\" for the ref", PATRON_EINVAL, "to",
       [&](char** o) {
         return patron_points_transfer(
             db, R"({"from":"ANA-01","to":"no","program":"stars","points":1,"idempotency_key":"g-1"})", o);
       }},
      {"patron_points_transfer: (PATRON_EINVAL, errfield \"to\", when both are the same customer)", PATRON_EINVAL, "to",
       [&](char** o) {
         return patron_points_transfer(
             db, R"({"from":"ANA-01","to":"ana-01","program":"stars","points":1,"idempotency_key":"g-1"})", o);
       }},
      {"patron_points_transfer: PATRON_EPRECONDITION (errfield \"points\") beyond the giver's spendable points",
       PATRON_EPRECONDITION, "points",
       [&](char** o) {
         return patron_points_transfer(
             db, R"({"from":"BO-01","to":"ANA-01","program":"stars","points":41,"idempotency_key":"g-1"})", o);
       }},
      // Arguments.
      {"loyalty: functions taking a `ref` fail as the customer functions do (errfield \"ref\")", PATRON_ENOTFOUND,
       "ref", [&](char** o) { return patron_points_account(db, "NOBODY-1", "stars", o); }},
      {"loyalty: a `program` that names none fails with PATRON_ENOTFOUND naming the argument", PATRON_ENOTFOUND,
       "program", [&](char** o) { return patron_points_account(db, "ANA-01", "moons", o); }},
      {"loyalty: a `tier` that names none fails with PATRON_ENOTFOUND naming the argument", PATRON_ENOTFOUND, "tier",
       plain([&] { return patron_loyalty_tier_remove(db, "stars", "platinum"); })},
      {"loyalty: a `reward` that names none fails with PATRON_ENOTFOUND naming the argument", PATRON_ENOTFOUND,
       "reward", [&](char** o) { return patron_reward_get(db, "cake", o); }},
      {"loyalty: times ... (PATRON_EINVAL naming \"at\" when malformed)", PATRON_EINVAL, "at",
       [&](char** o) { return patron_points_expire(db, "stars", "soon", o); }},
      {"loyalty: times ... (PATRON_EINVAL naming \"active_at\" when malformed)", PATRON_EINVAL, "active_at",
       [&](char** o) { return patron_reward_list(db, "stars", "soon", o); }},
      {"patron_loyalty_tier_at: `at` required: PATRON_EMISUSE when NULL", PATRON_EMISUSE, "at",
       [&](char** o) { return patron_loyalty_tier_at(db, "ANA-01", "stars", nullptr, o); }},
      {"patron_loyalty_tier_remove: PATRON_EPRECONDITION (errfield \"tier\") while accounts hold it",
       PATRON_EPRECONDITION, "tier", plain([&] { return patron_loyalty_tier_remove(db, "stars", "gold"); })},
      {"patron_points_entry: PATRON_ENOTFOUND (errfield \"id\") when there is none", PATRON_ENOTFOUND, "id",
       [&](char** o) { return patron_points_entry(db, 99, o); }},
      {"patron_points_entries: `limit` (1-1000, else PATRON_EINVAL with errfield \"limit\")", PATRON_EINVAL, "limit",
       [&](char** o) { return patron_points_entries(db, "ANA-01", "stars", 0, 0, o); }},
      {"patron_reward_redeem: PATRON_EPRECONDITION (errfield \"reward\") when the reward is not active now",
       PATRON_EPRECONDITION, "reward", [&](char** o) { return patron_reward_redeem(db, "ANA-01", "later", "w-1", o); }},
      {"patron_reward_redeem: (errfield \"points\") beyond the spendable points", PATRON_EPRECONDITION, "points",
       [&](char** o) { return patron_reward_redeem(db, "BO-01", "coffee", "w-1", o); }},
      {"patron_reward_redeem: PATRON_ECONFLICT (errfield \"idempotency_key\")", PATRON_ECONFLICT, "idempotency_key",
       [&](char** o) { return patron_reward_redeem(db, "ANA-01", "coffee", "e-1", o); }},
      {"patron_reward_redemptions: `limit` (1-1000)", PATRON_EINVAL, "limit",
       [&](char** o) { return patron_reward_redemptions(db, "ANA-01", "stars", 1001, 0, o); }},
  };
  check(db, rows, [&] { return t.state(); });
}

// ---------------------------------------------------------------- promotions

BOOST_AUTO_TEST_CASE(promotions) {
  People t;
  patron_db* db = t.db;
  t.call([&](char** o) {
    return patron_loyalty_program_create(db, R"({"id":"stars","name":"Stars","currency":"GBP"})", o);
  });
  t.call([&](char** o) { return patron_category_create(db, R"({"id":"staff","name":"Staff"})", o); });
  t.call([&](char** o) { return patron_category_create(db, R"({"id":"vip","name":"VIP"})", o); });
  BOOST_TEST_REQUIRE(patron_category_assign(db, "staff", "ANA-01") == PATRON_OK);
  auto create = [&](const std::string& extra) -> Call {
    const std::string js = R"({"id":"press","name":"Press")" + extra + "}";
    return [&db, js](char** o) { return patron_category_create(db, js.c_str(), o); };
  };
  const std::vector<Row> rows = {
      {"ERROR FIELDS/promotions: in a definition \"id\"", PATRON_EINVAL, "id",
       [&](char** o) { return patron_category_create(db, R"({"id":"a b","name":"X"})", o); }},
      {"ERROR FIELDS/promotions: in a definition \"name\"", PATRON_EINVAL, "name",
       [&](char** o) { return patron_category_create(db, R"({"id":"press","name":""})", o); }},
      {"ERROR FIELDS/promotions: in a definition \"discount_basis_points\"", PATRON_EINVAL, "discount_basis_points",
       create(R"(,"discount_basis_points":10001)")},
      {"ERROR FIELDS/promotions: in a definition \"earn_multiplier_percent\"", PATRON_EINVAL, "earn_multiplier_percent",
       create(R"(,"earn_multiplier_percent":-1)")},
      {"ERROR FIELDS/promotions: in a definition \"credit_limit\"", PATRON_EINVAL, "credit_limit",
       create(R"(,"credit_limit":1000000000000001,"credit_currency":"GBP")")},
      {"ERROR FIELDS/promotions: in a definition \"credit_currency\" (required with a credit limit)", PATRON_EINVAL,
       "credit_currency", create(R"(,"credit_limit":500)")},
      {"ERROR FIELDS/promotions: in a definition ... the unknown key", PATRON_EINVAL, "colour",
       create(R"(,"colour":"red")")},
      {"patron_category_create: PATRON_EEXIST (errfield \"id\") when a category has that id", PATRON_EEXIST, "id",
       [&](char** o) { return patron_category_create(db, R"({"id":"staff","name":"Staff"})", o); }},
      {"patron_category_update: PATRON_ENOTFOUND (errfield \"id\") when there is none", PATRON_ENOTFOUND, "id",
       [&](char** o) { return patron_category_update(db, R"({"id":"press","name":"Press"})", o); }},
      {"promotions: a `category` that names none fails with PATRON_ENOTFOUND, errfield \"category\"", PATRON_ENOTFOUND,
       "category", [&](char** o) { return patron_category_get(db, "press", o); }},
      {"patron_category_remove: PATRON_EPRECONDITION (errfield \"category\") while it is assigned",
       PATRON_EPRECONDITION, "category", plain([&] { return patron_category_remove(db, "staff"); })},
      {"ERROR FIELDS/promotions: as arguments \"ref\"", PATRON_ENOTFOUND, "ref",
       plain([&] { return patron_category_assign(db, "vip", "NOBODY-1"); })},
      {"patron_category_assign_company: PATRON_ENOTFOUND (errfield \"company\") when there is no such company",
       PATRON_ENOTFOUND, "company", plain([&] { return patron_category_assign_company(db, "vip", 9); })},
      {"patron_category_unassign_company: ... PATRON_ENOTFOUND (errfield \"company\") when there is no such company",
       PATRON_ENOTFOUND, "company", plain([&] { return patron_category_unassign_company(db, "vip", 9); })},
      {"patron_category_customers: `limit` (1-1000)", PATRON_EINVAL, "limit",
       [&](char** o) { return patron_category_customers(db, "staff", 0, 0, o); }},
      {"patron_promotion_quote: `amount` (0 to 10^15 minor units)", PATRON_EINVAL, "amount",
       [&](char** o) { return patron_promotion_quote(db, "ANA-01", -1, "GBP", nullptr, o); }},
      {"ERROR FIELDS/promotions: as arguments \"currency\"", PATRON_EINVAL, "currency",
       [&](char** o) { return patron_promotion_quote(db, "ANA-01", 100, "pounds", nullptr, o); }},
      {"patron_promotion_quote: PATRON_ENOTFOUND (errfield \"program\") for an unknown program", PATRON_ENOTFOUND,
       "program", [&](char** o) { return patron_promotion_quote(db, "ANA-01", 100, "GBP", "moons", o); }},
      {"patron_promotion_quote: PATRON_EPRECONDITION (errfield \"currency\") for another currency than the program's",
       PATRON_EPRECONDITION, "currency",
       [&](char** o) { return patron_promotion_quote(db, "ANA-01", 100, "EUR", "stars", o); }},
  };
  check(db, rows, [&] {
    json s = ok([&](char** o) { return patron_category_list(db, o); });
    s.push_back(ok([&](char** o) { return patron_category_of_customer(db, "ANA-01", o); }));
    s.push_back(ok([&](char** o) { return patron_category_customers(db, "vip", 1000, 0, o); }));
    return s;
  });
}

// ---------------------------------------------------------------- visits

BOOST_AUTO_TEST_CASE(visits) {
  People t;
  patron_db* db = t.db;
  t.call([&](char** o) {
    return patron_credential_issue(db, R"({"kind":"key_fob","value":"F1","customer":"ANA-01"})", o);
  });
  t.call([&](char** o) {
    return patron_credential_issue(db, R"({"kind":"key_fob","value":"F2","customer":"BO-01"})", o);
  });
  t.call([&](char** o) { return patron_credential_set_status(db, 2, "blocked", o); });
  std::int64_t count = 0;
  const std::vector<Row> rows = {
      {"patron_visit_record_presented: any other verdict ... fails with PATRON_EPRECONDITION, errfield \"token\", "
       "the verdict in the message",
       PATRON_EPRECONDITION, "token",
       [&](char** o) { return patron_visit_record_presented(db, "F2", "spa", nullptr, o); }, "blocked"},
      {"ERROR FIELDS/visits: \"place\"", PATRON_EINVAL, "place",
       [&](char** o) { return patron_visit_record(db, "ANA-01", "the spa", 0, nullptr, o); }},
      {"ERROR FIELDS/visits: \"ref\"", PATRON_ENOTFOUND, "ref",
       [&](char** o) { return patron_visit_record(db, "NOBODY-1", "spa", 0, nullptr, o); }},
      {"patron_visit_record: PATRON_ENOTFOUND (errfield \"credential\") when the credential does not exist",
       PATRON_ENOTFOUND, "credential",
       [&](char** o) { return patron_visit_record(db, "ANA-01", "spa", 9, nullptr, o); }},
      {"patron_visit_record: PATRON_ENOTFOUND (errfield \"credential\") when ... not the customer's", PATRON_ENOTFOUND,
       "credential", [&](char** o) { return patron_visit_record(db, "ANA-01", "spa", 2, nullptr, o); }},
      {"ERROR FIELDS/visits: \"at\"", PATRON_EINVAL, "at",
       [&](char** o) { return patron_visit_record(db, "ANA-01", "spa", 0, "noon", o); }},
      {"ERROR FIELDS/visits: \"from\"", PATRON_EINVAL, "from",
       [&](char** o) { return patron_visit_list(db, "ANA-01", nullptr, "then", nullptr, 10, 0, o); }},
      {"patron_visit_count: PATRON_EINVAL (errfield \"to\") when `to_iso` is not after `from_iso`", PATRON_EINVAL, "to",
       plain([&] { return patron_visit_count(db, "ANA-01", nullptr, day(1).c_str(), day(1).c_str(), &count); })},
      {"patron_visit_count: PATRON_EMISUSE (errfield \"out_count\") when out_count is NULL", PATRON_EMISUSE,
       "out_count", plain([&] { return patron_visit_count(db, "ANA-01", nullptr, nullptr, nullptr, nullptr); })},
      {"patron_visit_list: `limit` (1-1000, else PATRON_EINVAL with errfield \"limit\")", PATRON_EINVAL, "limit",
       [&](char** o) { return patron_visit_list(db, "ANA-01", nullptr, nullptr, nullptr, 0, 0, o); }},
      {"patron_visit_at_place: as patron_visit_list (\"to\")", PATRON_EINVAL, "to",
       [&](char** o) { return patron_visit_at_place(db, "spa", day(2).c_str(), day(1).c_str(), 10, 0, o); }},
      {"visits: `place` ... the other calls need one (PATRON_EMISUSE, errfield \"place\", when NULL)", PATRON_EMISUSE,
       "place", [&](char** o) { return patron_visit_at_place(db, nullptr, nullptr, nullptr, 10, 0, o); }},
      {"visits: `place` ... the other calls need one (patron_visit_record)", PATRON_EMISUSE, "place",
       [&](char** o) { return patron_visit_record(db, "ANA-01", nullptr, 0, nullptr, o); }},
      {"ERROR FIELDS/visits: \"token\" (empty)", PATRON_EINVAL, "token",
       [&](char** o) { return patron_visit_record_presented(db, "", "spa", nullptr, o); }},
  };
  check(db, rows, [&] {
    json s = ok([&](char** o) { return patron_visit_list(db, "ANA-01", nullptr, nullptr, nullptr, 1000, 0, o); });
    s.push_back(ok([&](char** o) { return patron_visit_list(db, "BO-01", nullptr, nullptr, nullptr, 1000, 0, o); }));
    return s;
  });
}

// ------------------------------------------------------------------- imports

BOOST_AUTO_TEST_CASE(imports) {
  People t;
  patron_db* db = t.db;
  const auto file = [&](const std::string& name, const std::string& bytes) {
    const std::string p = t.dir.file(name);
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
  };
  const std::string guests = file("guests.csv", "first_name,last_name,email\nDi,Dee,di@example.com\n");
  const std::string latin = file("latin.csv", "first_name,last_name\nJos\xe9,Mu\xf1oz\n");
  const std::string quote = file("quote.csv", "first_name,last_name\nAna,\"Sil\"va\n");
  const auto import = [&](std::string path, std::string options) {
    return [=](char** o) {
      return patron_import_customers(db, path.c_str(), options.empty() ? nullptr : options.c_str(), nullptr, nullptr, o);
    };
  };
  const std::vector<Row> rows = {
      {"patron_import_customers: PATRON_EINVAL (\"file\": with the line", PATRON_EINVAL, "file",
       import(latin, ""), "line 2: not valid UTF-8"},
      {"patron_import_customers: PATRON_EINVAL (\"file\": with the line", PATRON_EINVAL, "file",
       import(quote, ""), "line 2: not valid CSV"},
      {"patron_import_customers: PATRON_EINVAL (... \"encoding\"", PATRON_EINVAL, "encoding",
       import(latin, R"({"encoding":"klingon-8"})")},
      {"patron_import_customers: PATRON_EINVAL (... \"mapping...\"", PATRON_EINVAL, "mapping.columns.email",
       import(guests, R"({"mapping":{"columns":{"email":"e-mail"}}})")},
      {"patron_import_customers: PATRON_EINVAL (... \"batch_size\"", PATRON_EINVAL, "batch_size",
       import(guests, R"({"batch_size":0})")},
      {"patron_import_customers: PATRON_EINVAL (... \"max_listed\"", PATRON_EINVAL, "max_listed",
       import(guests, R"({"max_listed":1000001})")},
      {"patron_import_customers: PATRON_EINVAL (... \"duplicate_probability\"", PATRON_EINVAL, "duplicate_probability",
       import(guests, R"({"duplicate_probability":-0.5})")},
      {"patron_import_customers: PATRON_EINVAL (... \"by\"", PATRON_EINVAL, "by", import(guests, R"({"by":""})")},
      {"patron_import_customers: PATRON_EINVAL (... \"rejects\": the file being imported", PATRON_EINVAL, "rejects",
       import(guests, json{{"rejects", guests}}.dump())},
      {"patron_import_customers: PATRON_EINVAL (... \"rejects\": ... not writable", PATRON_EINVAL, "rejects",
       import(guests, R"({"rejects":"/nonexistent/dir/rejects.csv"})")},
      {"patron_import_customers: PATRON_EINVAL (... an option)", PATRON_EINVAL, "mode", import(guests, R"({"mode":"merge"})")},
      {"patron_import_customers: PATRON_ENOTFOUND (\"file\"", PATRON_ENOTFOUND, "file",
       import(t.dir.file("none.csv"), "")},
      {"patron_import_customers: PATRON_ENOTFOUND (... \"mapping\": no such file)", PATRON_ENOTFOUND, "mapping",
       import(guests, R"({"mapping_file":"/nonexistent/map.json"})")},
      {"patron_import_credentials: ... (\"mapping.columns.<column>\") for a field the file does not fill",
       PATRON_EINVAL, "mapping.columns.email", [&](char** o) {
         return patron_import_credentials(db, guests.c_str(), R"({"mapping":{"columns":{"email":"first_name"}}})",
                                          nullptr, nullptr, o);
       }},
      {"patron_import_credentials: ... (\"mapping.policies.<field>\") for any policy", PATRON_EINVAL,
       "mapping.policies.label", [&](char** o) {
         return patron_import_credentials(db, guests.c_str(), R"({"mapping":{"fill_blanks":["label"]}})", nullptr,
                                          nullptr, o);
       }},
      {"patron_import_credentials: PATRON_EINVAL as for patron_import_customers", PATRON_EINVAL, "batch_size",
       [&](char** o) {
         return patron_import_purse_balances(db, guests.c_str(), R"({"batch_size":0})", nullptr, nullptr, o);
       }},
      {"patron_import_credentials: PATRON_ENOTFOUND (\"file\", ...)", PATRON_ENOTFOUND, "file", [&](char** o) {
         return patron_import_orders(db, t.dir.file("none.csv").c_str(), nullptr, nullptr, nullptr, o);
       }},
      {"patron_import_credentials: PATRON_ENOTFOUND (..., \"mapping\")", PATRON_ENOTFOUND, "mapping",
       [&](char** o) {
         return patron_import_memberships(db, guests.c_str(), R"({"mapping_file":"/nonexistent/map.json"})", nullptr,
                                          nullptr, o);
       }},
      {"patron_import_credentials: PATRON_EINVAL as for patron_import_customers (\"file\": with the line)",
       PATRON_EINVAL, "file", [&](char** o) {
         return patron_import_points_balances(db, latin.c_str(), nullptr, nullptr, nullptr, o);
       }, "line 2: not valid UTF-8"},
  };
  check(db, rows, [&] { return t.everyone(); });
}

// ------------------------------------------------------------------- exports

BOOST_AUTO_TEST_CASE(exports) {
  People t;
  patron_db* db = t.db;
  const std::string taken = t.dir.file("taken.jsonl");
  std::ofstream(taken) << "x";
  const std::string fresh = t.dir.file("fresh.jsonl");
  const auto export_ = [&](std::string path, std::string options) {
    return [=](char** o) {
      return patron_export_customers(db, path.c_str(), options.empty() ? nullptr : options.c_str(), nullptr, nullptr,
                                     o);
    };
  };
  const std::vector<Row> rows = {
      {"patron_export_customers: PATRON_EINVAL (\"path\": empty", PATRON_EINVAL, "path", export_("", "")},
      {"patron_export_customers: PATRON_EINVAL (\"path\": ... no such directory", PATRON_EINVAL, "path",
       export_(t.dir.file("none/x.jsonl"), ""), "no directory"},
      {"patron_export_customers: PATRON_EINVAL (... \"format\"", PATRON_EINVAL, "format",
       export_(fresh, R"({"format":"xml"})")},
      {"patron_export_customers: PATRON_EINVAL (... \"fields[i]\"", PATRON_EINVAL, "fields[0]",
       export_(fresh, R"({"fields":["fax"]})")},
      {"patron_export_customers: PATRON_EINVAL (... \"delimiter\"", PATRON_EINVAL, "delimiter",
       export_(fresh, R"({"delimiter":"|"})")},
      {"patron_export_customers: PATRON_EINVAL (... \"select...\": a criterion)", PATRON_EINVAL,
       "select.changed_since", export_(fresh, R"({"select":{"changed_since":"soon"}})")},
      {"patron_export_customers: PATRON_EEXIST (\"path\": exists", PATRON_EEXIST, "path", export_(taken, "")},
      {"patron_export_customers: PATRON_ENOTFOUND (\"select.customers[i]\"", PATRON_ENOTFOUND,
       "select.customers[0]", export_(fresh, R"({"select":{"customers":["ZED-99"]}})")},
      {"patron_export_customers: PATRON_ENOTFOUND (... \"select.company\")", PATRON_ENOTFOUND, "select.company",
       export_(fresh, R"({"select":{"company":99}})")},
  };
  check(db, rows, [&] { return json{t.everyone(), std::filesystem::exists(fresh)}; });
}

// ---------------------------------------------------------------- Privacy

BOOST_AUTO_TEST_CASE(privacy) {
  People t;
  patron_db* db = t.db;
  t.call([&](char** o) {
    return patron_purse_top_up(db, R"({"customer":"BO-01","currency":"EUR","amount":700,"idempotency_key":"t-1"})",
                               o);
  });
  const std::string taken = t.dir.file("taken.zip");
  std::ofstream(taken) << "x";
  const std::string fresh = t.dir.file("fresh.zip");
  const auto export_ = [&](const char* ref, std::string path) {
    return [=](char** o) { return patron_privacy_export(db, ref, path.c_str(), o); };
  };
  const auto erase = [&](const char* ref, const char* request) {
    return [=](char** o) { return patron_privacy_erase(db, ref, request, o); };
  };
  constexpr const char* kRequest = R"({"requested_by":"the guest","reason":"Art. 17"})";
  const std::vector<Row> rows = {
      {"patron_privacy_export: PATRON_EINVAL naming \"ref\" or \"path\" (empty", PATRON_EINVAL, "path",
       export_("ANA-01", "")},
      {"patron_privacy_export: PATRON_EINVAL naming ... \"path\" (... its folder cannot be written)",
       PATRON_EINVAL, "path", export_("ANA-01", t.dir.file("none/x.zip")), "no directory"},
      {"patron_privacy_export: PATRON_EINVAL naming \"ref\"", PATRON_EINVAL, "ref", export_("not a ref!", fresh)},
      {"patron_privacy_export: PATRON_ENOTFOUND naming \"ref\"", PATRON_ENOTFOUND, "ref", export_("ZED-99", fresh)},
      {"patron_privacy_export: PATRON_EEXIST naming \"path\"", PATRON_EEXIST, "path", export_("ANA-01", taken)},
      {"patron_privacy_erase: PATRON_EINVAL naming \"ref\"", PATRON_EINVAL, "ref", erase("not a ref!", kRequest)},
      {"patron_privacy_erase: PATRON_EINVAL naming ... \"requested_by\"", PATRON_EINVAL, "requested_by",
       erase("ANA-01", R"({"requested_by":"","reason":"Art. 17"})")},
      {"patron_privacy_erase: PATRON_EINVAL naming ... \"reason\"", PATRON_EINVAL, "reason",
       erase("ANA-01", R"({"requested_by":"the guest"})")},
      {"patron_privacy_erase: PATRON_ENOTFOUND naming \"ref\" (no such customer", PATRON_ENOTFOUND, "ref",
       erase("ZED-99", kRequest)},
      {"patron_privacy_erase: PATRON_EPRECONDITION naming \"purses\" (money in a purse", PATRON_EPRECONDITION,
       "purses", erase("BO-01", kRequest), "700 EUR"},
      {"patron_privacy_tombstone: PATRON_EINVAL naming \"customer_id\"", PATRON_EINVAL, "customer_id",
       [&](char** o) { return patron_privacy_tombstone(db, "ANA-01", o); }},
      {"patron_privacy_erasures: PATRON_EINVAL with errfield \"limit\"", PATRON_EINVAL, "limit",
       [&](char** o) { return patron_privacy_erasures(db, 1001, 0, o); }},
  };
  check(db, rows, [&] {
    return json{t.everyone(), std::filesystem::exists(fresh),
                t.call([&](char** o) { return patron_privacy_erasures(db, 10, 0, o); })};
  });
  // Retention.
  const auto set_policy = [&](const char* policy) {
    return [=](char** o) { return patron_privacy_set_retention_policy(db, policy, o); };
  };
  check(db,
        {
            {"patron_privacy_set_retention_policy: PATRON_EINVAL naming \"json\" (not a JSON object", PATRON_EINVAL,
             "json", set_policy("[]")},
            {"patron_privacy_set_retention_policy: PATRON_EINVAL naming ... an unknown key", PATRON_EINVAL, "years", set_policy(R"({"name":"x","category":"documents","years":1})")},
            {"patron_privacy_set_retention_policy: PATRON_EINVAL naming ... \"name\"", PATRON_EINVAL, "name",
             set_policy(R"({"name":"","category":"timeline_details","days":9})")},
            {"patron_privacy_set_retention_policy: PATRON_EINVAL naming ... \"category\"", PATRON_EINVAL,
             "category", set_policy(R"({"name":"x","category":"all","days":9})")},
            {"patron_privacy_set_retention_policy: PATRON_EINVAL naming ... \"days\"", PATRON_EINVAL, "days",
             set_policy(R"({"name":"x","category":"timeline_details","days":0})")},
            {"patron_privacy_set_retention_policy: PATRON_EINVAL naming ... \"document_kind\"", PATRON_EINVAL,
             "document_kind", set_policy(R"({"name":"x","category":"documents","days":9})")},
            {"patron_privacy_set_retention_policy: PATRON_EINVAL naming ... \"description\"", PATRON_EINVAL,
             "description",
             set_policy(R"({"name":"x","category":"timeline_details","days":9,"description":"\u0001"})")},
            {"patron_privacy_remove_retention_policy: PATRON_ENOTFOUND naming \"name\"", PATRON_ENOTFOUND, "name",
             plain([&] { return patron_privacy_remove_retention_policy(db, "nope"); })},
            {"patron_privacy_retention_runs: PATRON_EINVAL with errfield \"limit\"", PATRON_EINVAL, "limit",
             [&](char** o) { return patron_privacy_retention_runs(db, 1001, 0, o); }},
        },
        [&] {
          return json{t.everyone(), t.call([&](char** o) { return patron_privacy_retention_policies(db, o); }),
                      t.call([&](char** o) { return patron_privacy_retention_runs(db, 10, 0, o); })};
        });
  // Erased already: nobody left to erase.
  t.call(erase("ANA-01", kRequest));
  check(db,
        {{"patron_privacy_erase: PATRON_ENOTFOUND naming \"ref\" (... or erased already)", PATRON_ENOTFOUND, "ref",
          erase("ANA-01", kRequest)}},
        [&] { return t.everyone(); });
}

BOOST_AUTO_TEST_SUITE_END()
