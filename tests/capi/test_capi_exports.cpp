// Exports through the C ABI: the report's exact shape, options documents
// (fields, selection, format), the progress callback stopping an export,
// the round trip through patron_import_customers, and every refusal.
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "capi_fixture.hpp"

using namespace capi_test;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Base : AnaAndBo {
  json export_to(const std::string& file, const std::string& options = {}, patron_export_progress progress = nullptr,
                 void* user = nullptr) {
    return ok([&](char** o) {
      return patron_export_customers(db, file.c_str(), options.empty() ? nullptr : options.c_str(), progress, user,
                                     o);
    });
  }
};

int stop_at_once(uint64_t done, uint64_t total, void* user) {
  *static_cast<std::pair<uint64_t, uint64_t>*>(user) = {done, total};
  return 1;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(capi_exports)

BOOST_AUTO_TEST_CASE(the_report_and_the_file) {
  Base t;
  const std::string file = t.dir.file("out.csv");
  const json r = t.export_to(file, R"({"fields": ["number", "first_name", "emails"]})");
  BOOST_TEST(r == json::parse(R"({"file": ")" + file + R"(", "format": "csv", "completed": true, "customers": 2,
                 "bytes": 140, "columns": ["number", "first_name", "emails.1.address", "emails.1.primary"]})"),
             r.dump());
  BOOST_TEST(read_file(file) ==
             "\"number\",\"first_name\",\"emails.1.address\",\"emails.1.primary\"\r\n"
             "\"ANA-01\",\"Ana\",\"ana@example.com\",\"true\"\r\n"
             "\"BO-01\",\"Bo\",\"bo@example.org\",\"true\"\r\n");
  BOOST_TEST(read_file(file).size() == 140u);

  const std::string jsonl = t.dir.file("bo.data");
  const json one = t.export_to(jsonl, R"({"format": "jsonl", "select": {"customers": ["BO-01"]}})");
  BOOST_TEST(one["customers"] == 1);
  BOOST_TEST(one["format"] == "jsonl");
  BOOST_TEST(one["columns"] == json::array());
  json record = json::parse(read_file(jsonl));
  json expected = t.get("BO-01");
  expected.erase("presence");
  expected.erase("online_until");
  BOOST_TEST(record["custom_fields"] == json::object());
  record.erase("custom_fields");
  BOOST_TEST(record == expected, record.dump());
}

BOOST_AUTO_TEST_CASE(round_trip_through_an_import) {
  Base t;
  const std::string first = t.dir.file("first.jsonl");
  t.export_to(first);
  Db fresh;
  const json imported = ok([&](char** o) {
    return patron_import_customers(fresh.db, first.c_str(), R"({"duplicates": "off"})", nullptr, nullptr, o);
  });
  BOOST_TEST(imported["created"] == 2);
  BOOST_TEST(fresh.get(t.ana_id)["number"] == "ANA-01");
  const std::string second = fresh.dir.file("second.jsonl");
  ok([&](char** o) { return patron_export_customers(fresh.db, second.c_str(), nullptr, nullptr, nullptr, o); });
  BOOST_TEST(read_file(second) == read_file(first));
}

BOOST_AUTO_TEST_CASE(stopping_writes_no_file) {
  Base t;
  std::pair<uint64_t, uint64_t> seen{};
  const std::string file = t.dir.file("stopped.jsonl");
  const json r = t.export_to(file, "", &stop_at_once, &seen);
  BOOST_TEST(r["completed"] == false);
  BOOST_TEST(seen.first == 2u);
  BOOST_TEST(seen.second == 2u);
  BOOST_TEST(!std::filesystem::exists(file));
}

BOOST_AUTO_TEST_CASE(refusals) {
  Base t;
  const std::string file = t.dir.file("x.jsonl");
  t.export_to(file);
  const auto refused = [&](int code, const char* field, const std::string& path, const char* options) {
    return fails(code, field, [&](char** o) {
      return patron_export_customers(t.db, path.c_str(), options, nullptr, nullptr, o);
    });
  };
  refused(PATRON_EEXIST, "path", file, nullptr);
  BOOST_TEST(t.export_to(file, R"({"overwrite": true})")["customers"] == 2);
  refused(PATRON_EINVAL, "path", t.dir.file("none/x.jsonl"), nullptr);
  refused(PATRON_EINVAL, "format", t.dir.file("y"), R"({"format": "xml"})");
  refused(PATRON_EINVAL, "fields[0]", t.dir.file("y"), R"({"fields": ["fax"]})");
  refused(PATRON_EINVAL, "delimiter", t.dir.file("y"), R"({"delimiter": "|"})");
  refused(PATRON_EINVAL, "select.rfm_segment", t.dir.file("y"), R"({"select": {"rfm_segment": "best"}})");
  refused(PATRON_EINVAL, "select.rfm_currency", t.dir.file("y"), R"({"select": {"rfm_segment": "champions"}})");
  refused(PATRON_EINVAL, "select.created_since", t.dir.file("y"), R"({"select": {"created_since": "yesterday"}})");
  refused(PATRON_ENOTFOUND, "select.customers[1]", t.dir.file("y"), R"({"select": {"customers": ["ANA-01", "ZED-99"]}})");
  refused(PATRON_ENOTFOUND, "select.company", t.dir.file("y"), R"({"select": {"company": 7}})");
  refused(PATRON_EINVAL, "select.city", t.dir.file("y"), R"({"select": {"city": "Leeds"}})");
  refused(PATRON_EINVAL, "json", t.dir.file("y"), R"({"select": )");
  refused(PATRON_EINVAL, "sort", t.dir.file("y"), R"({"sort": "name"})");
  refused(PATRON_EINVAL, "path", "", nullptr);
  BOOST_TEST(!std::filesystem::exists(t.dir.file("y")));
}

BOOST_AUTO_TEST_SUITE_END()
