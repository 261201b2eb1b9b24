// Imports through the C ABI: the report's exact shape, options documents,
// the progress callback stopping and resuming a run, a dry run.
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <string>

#include "capi_fixture.hpp"

using namespace capi_test;

namespace {

struct Files : Db {
  std::string file(const std::string& name, const std::string& bytes) {
    const std::string p = dir.file(name);
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
  }
  json import(const std::string& file_path, const std::string& options = {}, patron_import_progress progress = nullptr,
              void* user = nullptr) {
    return ok([&](char** o) {
      return patron_import_customers(db, file_path.c_str(), options.empty() ? nullptr : options.c_str(), progress,
                                     user, o);
    });
  }
};

const char* kGuests =
    "First Name,Surname,E-mail,Fax\n"
    "Ana,Silva,ana@example.com,1\n"
    "Ben,Okafor,bad@,2\n"
    "Ana,,ANA@example.com,3\n";

int stop_after_first(uint64_t done, uint64_t total, void* user) {
  auto* seen = static_cast<std::vector<std::pair<uint64_t, uint64_t>>*>(user);
  seen->emplace_back(done, total);
  return 1;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(capi_imports)

BOOST_AUTO_TEST_CASE(the_report_has_the_documented_shape) {
  Files t;
  const std::string path = t.file("guests.csv", kGuests);
  const json r = t.import(path, R"({"by": "migration", "rejects": ")" + t.dir.file("rejects.csv") + "\"}");
  const json expected = json::parse(R"({
    "file": ")" + path + R"(", "format": "csv", "encoding": "UTF-8", "delimiter": ",", "dry_run": false,
    "completed": true, "resumed_after": 0, "rows": 3, "created": 1, "updated": 0, "unchanged": 0, "rejected": 1,
    "same_as_earlier_line": 1, "possible_duplicates": 0,
    "columns": {"E-mail": "email", "First Name": "first_name", "Surname": "last_name"},
    "unknown_columns": ["Fax"],
    "rejected_rows": [{"line": 3, "field": "E-mail", "code": "invalid_argument", "message": "E-mail: not a valid email address"}],
    "same_as_rows": [{"line": 4, "earlier_line": 2, "customer": ""}],
    "possible_duplicate_rows": []})");
  json got = r;
  const json ana = t.find_by_email("ana@example.com");
  BOOST_TEST(got["same_as_rows"][0]["customer"] == ana["id"]);
  got["same_as_rows"][0]["customer"] = "";
  got["rejected_rows"][0]["message"] = got["rejected_rows"][0]["message"].get<std::string>().substr(0, 33);
  BOOST_TEST(got == expected, got.dump(2));
  BOOST_TEST(ana["first_name"] == "Ana");
}

BOOST_AUTO_TEST_CASE(options_mapping_mode_and_a_dry_run) {
  Files t;
  const std::string path = t.file("de.txt", "Vorname\tNachname\tMail\nJörg\tSchmidt\tj@example.com\n");
  const json dry = t.import(
      path, R"({"mapping": {"columns": {"Vorname": "first_name", "Nachname": "last_name", "Mail": "email"}},
               "format": "csv", "delimiter": "tab", "dry_run": true})");
  BOOST_TEST(dry["created"] == 1);
  BOOST_TEST(dry["delimiter"] == "tab");
  BOOST_TEST(dry["dry_run"] == true);
  BOOST_TEST(t.find_by_email("j@example.com").is_null());
  const json mapping = json::parse(R"({"columns": {"Vorname": "first_name", "Nachname": "last_name", "Mail": "email"}})");
  const std::string map_path = t.file("map.json", mapping.dump());
  const json real = t.import(path, R"({"mapping_file": ")" + map_path + R"(", "mode": "create"})");
  BOOST_TEST(real["created"] == 1);
  BOOST_TEST(t.find_by_email("j@example.com")["last_name"] == "Schmidt");
  const json update = t.import(path, R"({"mapping_file": ")" + map_path + R"(", "mode": "create"})");
  BOOST_TEST(update["rejected"] == 1);
  BOOST_TEST(update["rejected_rows"][0]["code"] == "already_exists");
}

BOOST_AUTO_TEST_CASE(the_progress_callback_stops_a_run_and_the_same_call_resumes_it) {
  Files t;
  std::string csv = "first_name,last_name\n";
  for (int i = 0; i < 10; ++i) csv += "Guest" + std::to_string(i) + ",Person\n";
  const std::string path = t.file("guests.csv", csv);
  std::vector<std::pair<uint64_t, uint64_t>> seen;
  const json first = t.import(path, R"({"batch_size": 3})", &stop_after_first, &seen);
  BOOST_TEST(first["completed"] == false);
  BOOST_TEST(first["created"] == 3);
  BOOST_TEST_REQUIRE(seen.size() == 1u);
  BOOST_TEST(seen[0].first == 3u);
  BOOST_TEST(seen[0].second == 10u);
  const json rest = t.import(path, R"({"batch_size": 3})");
  BOOST_TEST(rest["completed"] == true);
  BOOST_TEST(rest["resumed_after"] == 3);
  BOOST_TEST(rest["created"] == 10);
}

BOOST_AUTO_TEST_CASE(refusals) {
  Files t;
  const std::string path = t.file("guests.csv", kGuests);
  const auto call = [&](const char* file, const char* options) {
    return [=, &t](char** o) { return patron_import_customers(t.db, file, options, nullptr, nullptr, o); };
  };
  fails(PATRON_EMISUSE, "path", call(nullptr, nullptr));
  fails(PATRON_ENOTFOUND, "file", call(t.dir.file("none.csv").c_str(), nullptr));
  fails(PATRON_EINVAL, "mode", call(path.c_str(), R"({"mode": "merge"})"));
  fails(PATRON_EINVAL, "delimiter", call(path.c_str(), R"({"delimiter": "::"})"));
  fails(PATRON_EINVAL, "colour", call(path.c_str(), R"({"colour": 1})"));
  fails(PATRON_EINVAL, "mapping_file", call(path.c_str(), R"({"mapping": {}, "mapping_file": "m.json"})"));
  fails(PATRON_EINVAL, "mapping.columns.Surname", call(path.c_str(), R"({"mapping": {"columns": {"Surname": "surname"}}})"));
  fails(PATRON_EINVAL, "batch_size", call(path.c_str(), R"({"batch_size": -1})"));
  fails(PATRON_ENOTFOUND, "mapping", call(path.c_str(), R"({"mapping_file": "/nonexistent/m.json"})"));
  BOOST_TEST(t.find_by_email("ana@example.com").is_null());
}

BOOST_AUTO_TEST_CASE(the_other_files_of_a_migration) {
  struct : AnaAndBo {
    std::string file(const std::string& name, const std::string& bytes) {
      const std::string p = dir.file(name);
      std::ofstream(p, std::ios::binary) << bytes;
      return p;
    }
  } t;
  using Import = int (*)(patron_db*, const char*, const char*, patron_import_progress, void*, char**);
  const auto run = [&](Import f, const std::string& path, const char* options = nullptr) {
    return ok([&](char** o) { return f(t.db, path.c_str(), options, nullptr, nullptr, o); });
  };
  ok([&](char** o) { return patron_plan_create(t.db, R"({"name": "Gold"})", o); });
  ok([&](char** o) {
    return patron_loyalty_program_create(t.db, R"({"id": "stars", "name": "Stars", "currency": "EUR"})", o);
  });

  const json cards = run(patron_import_credentials, t.file("cards.csv", "customer,kind,value\nANA-01,barcode,B-1\n"));
  BOOST_TEST(cards["created"] == 1);
  BOOST_TEST(cards["columns"] == json::parse(R"({"customer": "customer", "kind": "kind", "value": "value"})"));
  const json held = ok([&](char** o) { return patron_credential_of_customer(t.db, "ANA-01", o); });
  BOOST_TEST(held[0]["value"] == "B-1");

  const std::string purses = t.file("purses.csv", "email,currency,balance\nbo@example.org,EUR,12.50\n");
  BOOST_TEST(run(patron_import_purse_balances, purses)["created"] == 1);
  BOOST_TEST(run(patron_import_purse_balances, purses)["unchanged"] == 1);
  BOOST_TEST(ok([&](char** o) { return patron_purse_account(t.db, "BO-01", "EUR", o); })["balance"] == 1250);

  const json points =
      run(patron_import_points_balances, t.file("points.jsonl", R"({"customer": "ANA-01", "program": "stars", "points": 40})" "\n"));
  BOOST_TEST(points["format"] == "jsonl");
  BOOST_TEST(points["created"] == 1);
  BOOST_TEST(ok([&](char** o) { return patron_points_account(t.db, "ANA-01", "stars", o); })["balance"] == 40);

  const json members = run(patron_import_memberships, t.file("members.csv", "customer,plan,starts_at\nBO-01,Gold,2024-05-01\n"));
  BOOST_TEST(members["created"] == 1);
  const json effective = ok([&](char** o) { return patron_membership_effective(t.db, "BO-01", o); });
  BOOST_TEST(effective.size() == 1u);

  const json orders = run(patron_import_orders,
                          t.file("orders.csv", "order,customer,date,currency,total\nR-1,ANA-01,2025-01-02,EUR,30.00\n"
                                               "R-2,NOBODY-1,2025-01-02,EUR,30.00\n"),
                          R"({"dry_run": true})");
  BOOST_TEST(orders["dry_run"] == true);
  BOOST_TEST(orders["created"] == 1);
  BOOST_TEST(orders["rejected_rows"] ==
             json::parse(R"([{"line": 3, "field": "customer", "code": "not_found",
                             "message": "customer: no customer 'NOBODY-1'"}])"));
  BOOST_TEST(ok([&](char** o) { return patron_order_find(t.db, "import", "R-1", o); }).is_null());

  fails(PATRON_EINVAL, "mapping.columns.Name", [&](char** o) {
    return patron_import_orders(t.db, t.file("o.csv", "Name\nx\n").c_str(),
                                R"({"mapping": {"columns": {"Name": "first_name"}}})", nullptr, nullptr, o);
  });
  fails(PATRON_EINVAL, "mapping.policies.label", [&](char** o) {
    return patron_import_credentials(t.db, t.file("c.csv", "label\nx\n").c_str(),
                                     R"({"mapping": {"fill_blanks": ["label"]}})", nullptr, nullptr, o);
  });
  fails(PATRON_ENOTFOUND, "file", [&](char** o) {
    return patron_import_memberships(t.db, t.dir.file("none.csv").c_str(), nullptr, nullptr, nullptr, o);
  });
  fails(PATRON_EMISUSE, "path",
        [&](char** o) { return patron_import_purse_balances(t.db, nullptr, nullptr, nullptr, nullptr, o); });
}

BOOST_AUTO_TEST_CASE(consent_columns_go_to_the_consent_log) {
  Files t;
  const std::string path = t.file("consent.csv",
                                  "email,first_name,last_name,newsletter,consent.legal_basis,consent.text_version\n"
                                  "ana@example.com,Ana,Silva,yes,legitimate_interests,v9\n"
                                  "bo@example.com,Bo,Berg,maybe,,\n");
  const json r = t.import(path);
  BOOST_TEST(r["created"] == 1);
  BOOST_TEST(r["columns"]["newsletter"] == "consent.email.marketing");
  BOOST_TEST(r["rejected_rows"] == json::parse(R"x([{"line": 3, "field": "newsletter", "code": "invalid_argument",
      "message": "newsletter: must be granted or withdrawn (yes/no, true/false, 1/0, subscribed/unsubscribed)"}])x"));
  int allowed = 0;
  BOOST_TEST(patron_consent_can_contact(t.db, "ana@example.com", "email", "marketing", &allowed) == PATRON_EINVAL);
  const std::string ana = t.find_by_email("ana@example.com")["id"];
  BOOST_TEST(patron_consent_can_contact(t.db, ana.c_str(), "email", "marketing", &allowed) == PATRON_OK);
  BOOST_TEST(allowed == 1);
  const json history = ok([&](char** o) { return patron_consent_history(t.db, ana.c_str(), 10, 0, o); });
  BOOST_TEST(history.size() == 1U);
  BOOST_TEST(history[0]["legal_basis"] == "legitimate_interests");
  BOOST_TEST(history[0]["text_version"] == "v9");
  BOOST_TEST(history[0]["source"] == "import");
}

BOOST_AUTO_TEST_SUITE_END()
