// Imports of customers: CSV (quoted fields, embedded newlines, CRLF, BOM,
// detected delimiters, legacy encodings) and JSON Lines; mapping by header
// and by mapping files; matching (number, email, phone with first name),
// modes and field policies; rows of one file that are one customer;
// possible duplicates listed or held; the reject file fed back in; dry
// runs; resuming a stopped run and a killed one; every refusal.
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "fixture.hpp"

using namespace patron;
using patron::testing::DbFixture;
using patron::testing::expect_error;
using patron::testing::TempDir;

BOOST_TEST_DONT_PRINT_LOG_VALUE(ImportReport)
BOOST_TEST_DONT_PRINT_LOG_VALUE(ImportFormat)
BOOST_TEST_DONT_PRINT_LOG_VALUE(FieldPolicy)
BOOST_TEST_DONT_PRINT_LOG_VALUE(Date)
BOOST_TEST_DONT_PRINT_LOG_VALUE(std::vector<RejectedRow>)
BOOST_TEST_DONT_PRINT_LOG_VALUE(std::optional<Date>)

namespace {

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The "customers.imported" events of the organisation, oldest first.
std::vector<Event> imported_events(Database& db) {
  std::vector<Event> out;
  for (auto& e : db.activity().feed(0, 1000)) {
    if (e.action == "customers.imported") out.push_back(std::move(e));
  }
  return out;
}

Date ymd(int y, unsigned m, unsigned d) { return Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}}; }

struct ImportFixture : DbFixture {
  std::string file(const std::string& name, const std::string& bytes) {
    const std::string p = dir.file(name);
    write_file(p, bytes);
    return p;
  }
  ImportReport run(const std::string& name, const std::string& bytes, ImportOptions o = {}) {
    return db.imports().customers(file(name, bytes), o);
  }
};

const std::string kGuests =
    "First Name,Surname,E-mail,Mobile,DOB,Postcode,Fax\n"
    "Ana,Silva,ana@example.com,07400 123456,14/03/1985,SW1A 1AA,0123\n"
    "Ben,Okafor,BEN@example.com,,1990-07-01,,\n"
    "Cara,,,07400 654321,,,\n";

}  // namespace

BOOST_FIXTURE_TEST_SUITE(imports, ImportFixture)

BOOST_AUTO_TEST_CASE(common_headers_map_themselves_and_unknown_columns_are_reported) {
  const ImportReport r = run("guests.csv", kGuests);
  BOOST_TEST(r.completed);
  BOOST_TEST(r.rows == 3u);
  BOOST_TEST(r.created == 3u);
  BOOST_TEST(r.rejected == 0u);
  BOOST_TEST(r.format == ImportFormat::csv);
  BOOST_TEST(r.encoding == "UTF-8");
  BOOST_TEST(r.delimiter == ',');
  BOOST_TEST(r.unknown_columns == std::vector<std::string>{"Fax"});
  BOOST_TEST(r.columns.at("First Name") == "first_name");
  BOOST_TEST(r.columns.at("Surname") == "last_name");
  BOOST_TEST(r.columns.at("E-mail") == "email");
  BOOST_TEST(r.columns.at("Mobile") == "phone.mobile");
  BOOST_TEST(r.columns.at("DOB") == "date_of_birth");
  BOOST_TEST(r.columns.at("Postcode") == "address.postal_code");
  const Customer ana = *customers().find_by_email("ana@example.com");
  BOOST_TEST(ana.first_name == "Ana");
  BOOST_TEST(ana.phones.at(0).number == "+447400123456");
  BOOST_TEST(ana.date_of_birth == std::optional<Date>(ymd(1985, 3, 14)));
  BOOST_TEST(ana.addresses.at(0).postal_code == "SW1A 1AA");
  BOOST_TEST(customers().find_by_email("ben@example.com")->date_of_birth == std::optional<Date>(ymd(1990, 7, 1)));
  BOOST_TEST(customers().find_by_phone("07400 654321").at(0).first_name == "Cara");
  // The run is recorded, by the actor given.
  const auto events = imported_events(db);
  BOOST_TEST(events.size() == 1u);
  BOOST_TEST(events.at(0).actor == "import");
  BOOST_TEST(!events.at(0).customer.has_value());
}

BOOST_AUTO_TEST_CASE(rfc4180_quotes_newlines_crlf_bom_and_semicolons) {
  const std::string csv =
      "\xef\xbb\xbf"
      "first_name;last_name;email;tags\r\n"
      "\"Ana\";\"Silva; da Costa\";ana@example.com;\"vip,\"\"gold\"\"\"\r\n"
      "\r\n"
      "Ben;\"Oka\nfor\";ben@example.com;\r\n"
      "Cara;Lee;not-an-email;\r\n";
  const ImportReport r = run("guests.csv", csv);
  BOOST_TEST(r.delimiter == ';');
  BOOST_TEST(r.rows == 3u);
  BOOST_TEST(r.created == 1u);
  BOOST_TEST(r.rejected == 2u);
  const Customer ana = *customers().find_by_email("ana@example.com");
  BOOST_TEST(ana.last_name == "Silva; da Costa");
  BOOST_TEST(ana.tags == (std::vector<std::string>{"vip", "\"gold\""}));
  // Ben's last name holds a newline (a control character): refused, on the
  // line his record starts; Cara's record starts two lines later.
  BOOST_TEST(r.rejected_rows.at(0).line == 4u);
  BOOST_TEST(r.rejected_rows.at(0).field == "last_name");
  BOOST_TEST(r.rejected_rows.at(1).line == 6u);
  BOOST_TEST(r.rejected_rows.at(1).field == "email");
  BOOST_TEST(errc_name(r.rejected_rows.at(1).code) == "invalid_argument");
}

BOOST_AUTO_TEST_CASE(legacy_encodings_through_icu_and_a_wrong_one_is_refused) {
  const std::string csv = "First Name,Last Name\nJos\xe9,Mu\xf1oz\nFran\xe7oise,M\xfcller\n";
  ImportOptions o;
  expect_error([&] { run("latin.csv", csv, o); }, Errc::invalid_argument, "file",
               "line 2: not valid UTF-8; name the file's encoding");
  BOOST_TEST(customers().search("").empty());
  o.encoding = "windows-1252";
  const ImportReport r = run("latin.csv", csv, o);
  BOOST_TEST(r.created == 2u);
  BOOST_TEST(r.encoding == "windows-1252");
  BOOST_TEST(customers().search("jose").at(0).last_name == "Muñoz");
  BOOST_TEST(customers().search("francoise").at(0).last_name == "Müller");
  // UTF-16 with its byte-order mark needs no name.
  std::string utf16 = "\xff\xfe";
  for (const char c : std::string("first_name,last_name\nZoe,Quinn\n")) {
    utf16 += c;
    utf16 += '\0';
  }
  const ImportReport u = run("utf16.csv", utf16);
  BOOST_TEST(u.encoding == "UTF-16");
  BOOST_TEST(u.created == 1u);
  expect_error([&] { o.encoding = "klingon-8"; run("latin.csv", csv, o); }, Errc::invalid_argument, "encoding",
               "unknown encoding 'klingon-8'");
}

BOOST_AUTO_TEST_CASE(rows_of_one_file_naming_one_customer_become_one) {
  const std::string csv =
      "number,first_name,last_name,email,phone\n"
      "G-1001,Ana,Silva,ana@example.com,\n"
      "G-1002,Ben,Okafor,ben@example.com,07400 123456\n"
      ",Ana,Silva,ANA@example.com,07400 111222\n"
      "G-1001,,,ana.silva@work.example,\n"
      ",ben,,,07400 123456\n";
  const ImportReport r = run("guests.csv", csv);
  BOOST_TEST(r.created == 2u);
  BOOST_TEST(r.same_as_earlier_line == 3u);
  BOOST_TEST(r.same_as_rows.size() == 3u);
  BOOST_TEST(r.same_as_rows.at(0).line == 4u);
  BOOST_TEST(r.same_as_rows.at(0).earlier_line == 2u);
  BOOST_TEST(r.same_as_rows.at(1).line == 5u);
  BOOST_TEST(r.same_as_rows.at(1).earlier_line == 2u);
  BOOST_TEST(r.same_as_rows.at(2).line == 6u);
  BOOST_TEST(r.same_as_rows.at(2).earlier_line == 3u);
  const Customer ana = customers().get("G-1001");
  BOOST_TEST(ana.emails.size() == 2u);
  BOOST_TEST(ana.emails.at(0).address == "ana@example.com");
  BOOST_TEST(ana.emails.at(1).address == "ana.silva@work.example");
  BOOST_TEST(ana.phones.at(0).number == "+447400111222");
  BOOST_TEST(r.same_as_rows.at(0).customer == ana.id);
}

BOOST_AUTO_TEST_CASE(modes_and_a_second_run_leave_everything_unchanged) {
  const ImportReport first = run("guests.csv", kGuests);
  BOOST_TEST(first.created == 3u);
  // Run again: the same file finds everyone, changes nothing.
  const ImportReport again = run("guests.csv", kGuests);
  BOOST_TEST(again.unchanged == 3u);
  BOOST_TEST(again.created + again.updated + again.rejected + again.same_as_earlier_line == 0u);
  // create: existing customers are refused; update: unknown ones are.
  ImportOptions create;
  create.mode = ImportMode::create;
  const ImportReport c = run("more.csv", "first_name,last_name,email\nAna,Silva,ana@example.com\nDan,Ng,dan@example.com\n",
                             create);
  BOOST_TEST(c.created == 1u);
  BOOST_TEST(c.rejected == 1u);
  BOOST_TEST(c.rejected_rows.at(0).field == "email");
  BOOST_TEST(errc_name(c.rejected_rows.at(0).code) == "already_exists");
  ImportOptions update;
  update.mode = ImportMode::update;
  const ImportReport u =
      run("upd.csv", "email,title\nana@example.com,Dr\nnobody@example.com,Mr\n", update);
  BOOST_TEST(u.updated == 1u);
  BOOST_TEST(u.rejected == 1u);
  BOOST_TEST(u.rejected_rows.at(0).field == "row");
  BOOST_TEST(errc_name(u.rejected_rows.at(0).code) == "not_found");
  BOOST_TEST(customers().find_by_email("ana@example.com")->title == "Dr");
}

BOOST_AUTO_TEST_CASE(overwrite_or_fill_blanks_per_field) {
  run("guests.csv", kGuests);
  const std::string csv = "email,title,first_name,date_of_birth\nana@example.com,Dr,Anna,01/02/1980\n";
  ImportOptions o;
  o.mapping.policies["first_name"] = FieldPolicy::fill_blanks;
  o.mapping.policies["date_of_birth"] = FieldPolicy::fill_blanks;
  const ImportReport r = run("upd.csv", csv, o);
  BOOST_TEST(r.updated == 1u);
  Customer ana = *customers().find_by_email("ana@example.com");
  BOOST_TEST(ana.title == "Dr");            // blank before: filled
  BOOST_TEST(ana.first_name == "Ana");      // held: kept
  BOOST_TEST(ana.date_of_birth == std::optional<Date>(ymd(1985, 3, 14)));
  o.mapping.policies.clear();
  o.date_order = DateOrder::month_first;
  run("upd.csv", csv, o);
  ana = *customers().find_by_email("ana@example.com");
  BOOST_TEST(ana.first_name == "Anna");
  BOOST_TEST(ana.date_of_birth == std::optional<Date>(ymd(1980, 1, 2)));
  // The change is on the timeline like any other profile change.
  const auto events = db.activity().timeline(ana.number).events;
  BOOST_TEST(std::any_of(events.begin(), events.end(), [](const Event& e) { return e.action == "customer.updated"; }));
}

BOOST_AUTO_TEST_CASE(a_row_naming_two_customers_is_a_conflict) {
  run("guests.csv",
      "number,first_name,last_name,email\nG-0001,Ana,Silva,ana@example.com\nG-0002,Ben,Ok,ben@example.com\n");
  const ImportReport r = run("bad.csv",
                             "number,first_name,last_name,email\n"
                             "G-0001,Ana,Silva,ben@example.com\n"
                             "G-0009,Ana,Silva,ana@example.com\n");
  BOOST_TEST(r.rejected == 2u);
  BOOST_TEST(r.rejected_rows.at(0).field == "email");
  BOOST_TEST(errc_name(r.rejected_rows.at(0).code) == "conflict");
  BOOST_TEST(r.rejected_rows.at(1).field == "number");
  BOOST_TEST(r.rejected_rows.at(1).message.find("belongs to customer G-0001") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_reject_file_can_be_corrected_and_fed_back) {
  ImportOptions o;
  o.rejects = dir.file("rejects.csv");
  const ImportReport r = run("guests.csv",
                             "First Name,Last Name,Email,Notes\n"
                             "Ana,Silva,ana@example.com,ok\n"
                             "Ben,,ben@@example.com,\"says \"\"hi\"\"\"\n"
                             ",,,orphan\n",
                             o);
  BOOST_TEST(r.created == 1u);
  BOOST_TEST(r.rejected == 2u);
  BOOST_TEST(r.rejected_rows.at(1).field == "customer");
  const std::string rejects = read_file(o.rejects);
  BOOST_TEST(rejects ==
             "\"reject_line\",\"reject_field\",\"reject_code\",\"reject_message\",\"First Name\",\"Last Name\","
             "\"Email\",\"Notes\"\r\n"
             "\"3\",\"Email\",\"invalid_argument\",\"" +
                 r.rejected_rows.at(0).message +
                 "\",\"Ben\",\"\",\"ben@@example.com\",\"says \"\"hi\"\"\"\r\n"
                 "\"4\",\"customer\",\"invalid_argument\",\"" +
                 r.rejected_rows.at(1).message + "\",\"\",\"\",\"\",\"orphan\"\r\n");
  // Corrected and fed back as it is: the reject_* columns are skipped.
  std::string fixed = rejects;
  fixed.replace(fixed.find("ben@@example.com"), 16, "ben@example.com");
  const std::string again = dir.file("fixed.csv");
  write_file(again, fixed);
  ImportOptions o2;
  const ImportReport r2 = db.imports().customers(again, o2);
  BOOST_TEST(r2.created == 1u);
  BOOST_TEST(r2.rejected == 1u);
  BOOST_TEST(r2.unknown_columns == std::vector<std::string>{"Notes"});
  BOOST_TEST(customers().find_by_email("ben@example.com")->first_name == "Ben");
}

BOOST_AUTO_TEST_CASE(json_lines_with_nested_objects_and_arrays) {
  const std::string jsonl =
      R"({"number": "J-0001", "first_name": "Ana", "last_name": "Silva", "email": ["ana@example.com", "a.silva@work.example"], "address": {"line1": "1 High St", "city": "Leeds", "postal_code": "LS1 1AA", "country": "GB"}, "tags": ["vip", "gold"]})"
      "\n\n"
      R"({"first_name": "Ben", "last_name": "Okafor", "loyalty": 12})"
      "\n"
      "not json\n"
      "[1, 2]\n";
  const ImportReport r = run("guests.jsonl", jsonl);
  BOOST_TEST(r.format == ImportFormat::jsonl);
  BOOST_TEST(r.rows == 4u);
  BOOST_TEST(r.created == 2u);
  BOOST_TEST(r.rejected == 2u);
  BOOST_TEST(r.rejected_rows.at(0).line == 4u);
  BOOST_TEST(r.rejected_rows.at(0).field == "line");
  BOOST_TEST(r.rejected_rows.at(1).message == "line: not a JSON object");
  BOOST_TEST(r.unknown_columns == std::vector<std::string>{"loyalty"});
  const Customer ana = customers().get("J-0001");
  BOOST_TEST(ana.emails.size() == 2u);
  BOOST_TEST(ana.addresses.at(0).city == "Leeds");
  BOOST_TEST(ana.tags == (std::vector<std::string>{"vip", "gold"}));
}

BOOST_AUTO_TEST_CASE(numbered_lists_ids_times_and_bans_as_an_export_writes_them) {
  db.custom_fields().define({"likes", "Likes", FieldType::multi_select, false, std::nullopt, {"spa", "golf"}});
  db.custom_fields().define({"room", "Room", FieldType::number});
  const CustomerId kept = CustomerId::parse("0190f1a2b3c47d8e9f00112233445566");
  const std::string csv =
      "id,number,first_name,last_name,emails.1.address,emails.2.address,emails.2.primary,phones.1.label,"
      "phones.1.number,phones.1.verified,addresses.1.purpose,addresses.1.line1,addresses.1.country,"
      "addresses.2.line1,addresses.2.country,addresses.2.is_default,addresses.1.id,status,ban.reason,ban.by,"
      "ban.at,tags.1,tags.2,custom_fields.likes.1,custom_fields.likes.2,created_at,updated_at,presence\n"
      "0190F1A2-B3C4-7D8E-9F00-112233445566,K-0001,Ana,Silva,ana@example.com,ana@work.example,true,home,"
      "07400 123456,false,billing,1 High St,GB,2 Low Rd,GB,false,77,banned,\"rude, twice\",manager,"
      "2020-05-06T07:08:09.000010Z,\"a, b\",c,golf,spa,2019-01-02T03:04:05.000006Z,2019-02-03T00:00:00Z,online\n";
  const ImportReport r = run("numbered.csv", csv);
  BOOST_TEST(r.created == 1u);
  BOOST_TEST(r.rejected == 0u);
  for (const auto& e : r.rejected_rows) BOOST_TEST_MESSAGE(e.message);
  BOOST_TEST(r.unknown_columns.empty());
  const Customer ana = customers().get("K-0001");
  BOOST_TEST(ana.id == kept);
  BOOST_TEST(ana.emails.at(0).address == "ana@work.example");  // marked primary
  BOOST_TEST(ana.emails.at(0).primary);
  BOOST_TEST(ana.emails.at(1).address == "ana@example.com");
  BOOST_TEST(ana.phones.at(0).number == "+447400123456");
  BOOST_TEST(to_string(ana.phones.at(0).label) == "home");
  BOOST_TEST(ana.phones.at(0).verified);  // worked out again, whatever the file says
  BOOST_TEST_REQUIRE(ana.addresses.size() == 2u);
  BOOST_TEST(to_string(ana.addresses[0].purpose) == "billing");
  BOOST_TEST(ana.addresses[0].is_default);  // the first of its purpose
  BOOST_TEST(!ana.addresses[1].is_default);  // as the file says
  BOOST_TEST(ana.tags == (std::vector<std::string>{"a, b", "c"}));  // an entry is never split
  BOOST_TEST(ana.status == CustomerStatus::banned);
  BOOST_TEST(ana.ban->reason == "rude, twice");
  BOOST_TEST(format_timestamp(ana.ban->at) == "2020-05-06T07:08:09.000010Z");
  BOOST_TEST(format_timestamp(ana.created_at) == "2019-01-02T03:04:05.000006Z");
  BOOST_TEST(format_timestamp(ana.updated_at) == "2019-02-03T00:00:00.000000Z");
  BOOST_TEST((db.custom_fields().values("K-0001").at("likes") == CustomValue(std::vector<std::string>{"spa", "golf"})));  // the definition's order

  // The same id again updates that customer (and keeps its times); a key
  // naming another customer than the id is a conflict.
  const std::string again =
      "id,number,first_name,created_at,updated_at\n"
      "0190f1a2b3c47d8e9f00112233445566,K-0001,Anna,2001-01-01T00:00:00Z,\n"
      "0190f1a2b3c47d8e9f00112233445599,K-0001,Anna,,\n";
  const ImportReport u = run("again.csv", again);
  BOOST_TEST(u.updated == 1u);
  BOOST_TEST(customers().get("K-0001").first_name == "Anna");
  BOOST_TEST(customers().get("K-0001").created_at == ana.created_at);
  BOOST_TEST_REQUIRE(u.rejected_rows.size() == 1u);
  BOOST_TEST(u.rejected_rows[0].field == "id");
  BOOST_TEST(errc_name(u.rejected_rows[0].code) == "conflict");
  BOOST_TEST(u.rejected_rows[0].message ==
             "id: the row's number belongs to customer K-0001, whose id is not 0190f1a2b3c47d8e9f00112233445599");

  // Each refusal of these columns names its column.
  const std::string bad =
      "number,first_name,last_name,id,status,ban.reason,created_at,updated_at,addresses.1.line1,addresses.1.country,"
      "addresses.1.is_default,addresses.2.line1,addresses.2.country,addresses.2.is_default,custom_fields.room.1,"
      "emails.1.primary,phones.1.label\n"
      ",A,One,not-an-id,,,,,,,,,,,,,\n"
      ",A,Two,,retired,,,,,,,,,,,,\n"
      ",A,Three,,,rude,,,,,,,,,,,\n"
      ",A,Four,,,,2020-01-02T00:00:00Z,2020-01-01T00:00:00Z,,,,,,,,,\n"
      ",A,Five,,,,yesterday,,,,,,,,,,\n"
      ",A,Six,,,,,,1 High St,GB,true,2 Low Rd,GB,true,,,\n"
      ",A,Seven,,,,,,,,,,,,3,,\n"
      ",A,Eight,,,,,,,,,,,,,maybe,\n"
      ",A,Nine,,,,,,,,,,,,,,cell\n";
  const ImportReport b = run("bad.csv", bad);
  BOOST_TEST(b.created == 0u);
  std::vector<std::string> got;
  for (const auto& e : b.rejected_rows) got.push_back(e.message);
  BOOST_TEST(got == (std::vector<std::string>{
                        "id: not a customer id",
                        "status: must be active or banned",
                        "ban.reason: needs status banned",
                        "updated_at: before created_at",
                        "created_at: not an ISO 8601 timestamp (e.g. 2026-11-22T05:54:45Z)",
                        "addresses.2.is_default: a second default contact address",
                        "custom_fields.room.1: a numbered entry of a field that is not a multi_select",
                        "emails.1.primary: not true or false",
                        "phones.1.label: must be one of mobile, work, home, other"}));
}

BOOST_AUTO_TEST_CASE(a_legacy_files_own_id_and_status_are_not_taken_for_patrons) {
  // Only a file shaped like a patron export (id, number, created_at and
  // updated_at together) maps those columns by itself; a mapping still can.
  const ImportReport r = run("legacy.csv",
                             "id,first_name,last_name,status,created_at\n"
                             "123,Ana,Silva,VIP,2021-03-04 10:22\n");
  BOOST_TEST(r.created == 1u);
  BOOST_TEST(r.rejected == 0u);
  BOOST_TEST(r.unknown_columns == (std::vector<std::string>{"id", "status", "created_at"}));
  ImportOptions o;
  o.mapping.columns = {{"state", "status"}};
  const ImportReport mapped = run("mapped.csv", "first_name,last_name,state\nBo,Berg,banned\n", o);
  BOOST_TEST(mapped.created == 1u);
  BOOST_TEST(customers().search("Bo Berg").at(0).status == CustomerStatus::banned);
  const ImportReport jsonl = run("legacy.jsonl", R"({"id": 7, "first_name": "Cy", "last_name": "Dunn", "status": 1})"
                                                 "\n");
  BOOST_TEST(jsonl.created == 1u);
  BOOST_TEST(jsonl.unknown_columns == (std::vector<std::string>{"id", "status"}));
}

BOOST_AUTO_TEST_CASE(custom_fields_and_mapping_files_in_json_and_toml) {
  NewFieldDefinition vip;
  vip.key = "vip_since";
  vip.label = "VIP since";
  vip.type = FieldType::date;
  db.custom_fields().define(vip);
  write_file(dir.file("map.toml"),
             "policy = \"overwrite\"\nfill_blanks = [\"title\"]\n[columns]\nVorname = \"first_name\"\n"
             "Nachname = \"last_name\"\n\"VIP seit\" = \"custom.vip_since\"\nNotiz = \"ignore\"\n");
  const ImportMapping toml = ImportMapping::load(dir.file("map.toml"));
  BOOST_TEST(toml.columns.at("Vorname") == "first_name");
  BOOST_TEST(toml.policies.at("title") == FieldPolicy::fill_blanks);
  write_file(dir.file("map.json"),
             R"({"columns": {"Vorname": "first_name", "Nachname": "last_name", "VIP seit": "custom.vip_since", "Notiz": "ignore"}, "fill_blanks": ["title"]})");
  BOOST_TEST((ImportMapping::load(dir.file("map.json")) == toml));
  ImportOptions o;
  o.mapping = toml;
  const ImportReport r = run("de.csv", "Vorname,Nachname,VIP seit,Notiz\nJörg,Schmidt,03.04.2020,egal\nUte,Berg,31.02.2020,\n", o);
  BOOST_TEST(r.created == 1u);
  BOOST_TEST(r.unknown_columns.empty());
  BOOST_TEST(r.rejected_rows.at(0).field == "VIP seit");
  const Customer jorg = customers().search("jorg").at(0);
  BOOST_TEST(std::get<Date>(db.custom_fields().values(jorg.number).at("vip_since")) == ymd(2020, 4, 3));
  // Bad mapping files and mappings.
  write_file(dir.file("bad.toml"), "[columns\n");
  expect_error([&] { ImportMapping::load(dir.file("bad.toml")); }, Errc::invalid_argument, "mapping", "not TOML");
  write_file(dir.file("bad.json"), R"({"columns": {"A": 1}})");
  expect_error([&] { ImportMapping::load(dir.file("bad.json")); }, Errc::invalid_argument, "mapping.columns.A");
  expect_error([&] { ImportMapping::load(dir.file("map.yaml")); }, Errc::invalid_argument, "mapping", ".json or .toml");
  expect_error([&] { ImportMapping::load(dir.file("none.json")); }, Errc::not_found, "mapping");
  ImportOptions unknown;
  unknown.mapping.columns["Vorname"] = "given";
  expect_error([&] { run("de.csv", "Vorname\nX\n", unknown); }, Errc::invalid_argument, "mapping.columns.Vorname",
               "'given' is not a field an import fills");
  unknown.mapping.columns["Vorname"] = "custom.nope";
  expect_error([&] { run("de.csv", "Vorname\nX\n", unknown); }, Errc::invalid_argument, "mapping.columns.Vorname",
               "no custom field 'nope'");
}

// A value only the write can refuse (a select field's options are checked
// where the value is stored): the batch is redone with a savepoint per row,
// and the row leaves nothing behind, not even the profile change before it.
BOOST_AUTO_TEST_CASE(a_row_refused_after_its_first_write_leaves_nothing) {
  NewFieldDefinition tier;
  tier.key = "tier";
  tier.label = "Tier";
  tier.type = FieldType::select;
  tier.options = {"gold", "silver"};
  db.custom_fields().define(tier);
  run("guests.csv", "email,first_name,last_name\nana@example.com,Ana,Silva\n");
  const ImportReport r = run("tiers.csv",
                             "email,first_name,last_name,custom.tier\n"
                             "ben@example.com,Ben,Okafor,gold\n"
                             "ana@example.com,Anna,Silva,platinum\n"
                             "cara@example.com,Cara,Lee,bronze\n"
                             "dan@example.com,Dan,Ng,silver\n");
  BOOST_TEST(r.created == 2u);
  BOOST_TEST(r.rejected == 2u);
  BOOST_TEST(r.rejected_rows.at(0).line == 3u);
  BOOST_TEST(r.rejected_rows.at(0).field == "custom.tier");
  BOOST_TEST(r.rejected_rows.at(1).line == 4u);
  BOOST_TEST(customers().find_by_email("ana@example.com")->first_name == "Ana");
  BOOST_TEST(!customers().find_by_email("cara@example.com"));
  const std::string dan = customers().find_by_email("dan@example.com")->number;
  BOOST_TEST(std::get<std::string>(db.custom_fields().values(dan).at("tier")) == "silver");
}

BOOST_AUTO_TEST_CASE(possible_duplicates_are_listed_or_held) {
  NewCustomer jon;
  jon.first_name = "Jonathan";
  jon.last_name = "Smithson";
  jon.email = "jon@example.com";
  jon.date_of_birth = ymd(1980, 5, 17);
  Address a;
  a.line1 = "12 Mill Lane";
  a.city = "York";
  a.postal_code = "YO1 7HH";
  a.country = "GB";
  jon.addresses.push_back(a);
  const Customer existing = customers().create(jon);
  const std::string csv =
      "first_name,last_name,email,date_of_birth,address.line1,address.city,address.postal_code,address.country\n"
      "Jonathon,Smithson,j.smithson@example.org,17/05/1980,12 Mill Lane,York,YO1 7HH,GB\n"
      "Mary,Jones,mary@example.com,01/01/1970,,,,\n";
  ImportOptions hold;
  hold.duplicates = DuplicateCheck::hold;
  const ImportReport held = run("dups.csv", csv, hold);
  BOOST_TEST(held.created == 1u);
  BOOST_TEST(held.rejected == 1u);
  BOOST_TEST(held.possible_duplicates == 1u);
  BOOST_TEST(errc_name(held.rejected_rows.at(0).code) == "conflict");
  BOOST_TEST(held.rejected_rows.at(0).message.find("resembles customer " + existing.number) != std::string::npos);
  BOOST_TEST(!held.possible_duplicate_rows.at(0).customer.has_value());
  BOOST_TEST(!customers().find_by_email("j.smithson@example.org"));
  const ImportReport listed = run("dups.csv", csv);
  BOOST_TEST(listed.created == 1u);
  BOOST_TEST(listed.unchanged == 1u);
  BOOST_TEST(listed.possible_duplicates == 1u);
  const PossibleDuplicateRow& d = listed.possible_duplicate_rows.at(0);
  BOOST_TEST(d.line == 2u);
  BOOST_TEST(d.resembles == existing.id);
  BOOST_TEST(d.probability >= 0.9);
  BOOST_TEST(*d.customer == customers().find_by_email("j.smithson@example.org")->id);
  // Duplicate detection sees the imported customers at once.
  BOOST_TEST(db.duplicates().of(existing.number).at(0).customer == *d.customer);
}

BOOST_AUTO_TEST_CASE(a_dry_run_reports_the_same_and_writes_nothing) {
  ImportOptions dry;
  dry.dry_run = true;
  dry.batch_size = 2;
  const std::string csv = kGuests + "Ana,Silva,ana@example.com,,,,\nDan,,,,,,\n";
  const ImportReport d = run("guests.csv", csv, dry);
  BOOST_TEST(d.dry_run);
  BOOST_TEST(customers().search("").empty());
  BOOST_TEST(imported_events(db).empty());
  const ImportReport real = run("guests.csv", csv);
  BOOST_TEST(real.created == d.created);
  BOOST_TEST(real.same_as_earlier_line == d.same_as_earlier_line);
  BOOST_TEST(real.rejected_rows == d.rejected_rows);
  BOOST_TEST(real.created == 3u);
  BOOST_TEST(real.same_as_earlier_line == 1u);
  BOOST_TEST(real.rejected == 1u);
}

BOOST_AUTO_TEST_CASE(a_stopped_run_resumes_and_ends_as_one_clean_run) {
  std::string csv = "number,first_name,last_name,email\n";
  for (int i = 0; i < 25; ++i) {
    const std::string n = std::to_string(i % 20);  // rows 21-25 repeat 1-5
    csv += "N-" + n + "0000,Guest" + n + ",Person,g" + n + "@example.com\n";
  }
  csv += "bad,,,\n";
  ImportOptions o;
  o.batch_size = 4;
  o.rejects = dir.file("rejects.csv");
  int calls = 0;
  o.progress = [&](const ImportProgress& p) {
    BOOST_TEST(p.rows_total == 26u);
    return ++calls < 2;
  };
  const ImportReport first = run("guests.csv", csv, o);
  BOOST_TEST(!first.completed);
  BOOST_TEST(first.created == 8u);
  o.progress = {};
  const ImportReport rest = run("guests.csv", csv, o);
  BOOST_TEST(rest.completed);
  BOOST_TEST(rest.resumed_after == 8u);
  // The same as one clean run into another file.
  TempDir other;
  Database clean = Database::open(other.file("clean.db"), options());
  ImportOptions c = o;
  c.rejects = other.file("rejects.csv");
  c.batch_size = 1000;
  const ImportReport one = clean.imports().customers(dir.file("guests.csv"), c);
  BOOST_TEST(rest.created == one.created);
  BOOST_TEST(rest.same_as_earlier_line == one.same_as_earlier_line);
  BOOST_TEST(rest.same_as_rows.size() == one.same_as_rows.size());
  for (std::size_t i = 0; i < std::min(rest.same_as_rows.size(), one.same_as_rows.size()); ++i) {
    BOOST_TEST(rest.same_as_rows[i].line == one.same_as_rows[i].line);
    BOOST_TEST(rest.same_as_rows[i].earlier_line == one.same_as_rows[i].earlier_line);
  }
  BOOST_TEST(rest.rejected_rows == one.rejected_rows);
  BOOST_TEST(read_file(o.rejects) == read_file(c.rejects));
  BOOST_TEST(one.created == 20u);
  BOOST_TEST(one.same_as_earlier_line == 5u);
  BOOST_TEST(customers().search("").size() == 20u);
  // Finished runs are forgotten: a third run changes nothing.
  BOOST_TEST(run("guests.csv", csv, o).unchanged == 20u);
}

BOOST_AUTO_TEST_CASE(bad_files_and_options_are_refused_before_anything_is_written) {
  expect_error([&] { db.imports().customers(dir.file("missing.csv")); }, Errc::not_found, "file");
  expect_error([&] { run("bin.csv", std::string("a,b\n1,\0\x01\x02", 9)); }, Errc::invalid_argument, "file",
               "not a text file");
  expect_error([&] { run("q.csv", "first_name,last_name\nAna,\"Sil\"va\nBen,Ok\n"); }, Errc::invalid_argument, "file",
               "line 2: not valid CSV");
  expect_error([&] { run("q.csv", "first_name,last_name\nAna,\"Silva\n"); }, Errc::invalid_argument, "file",
               "line 2: not valid CSV");
  expect_error([&] { run("empty.csv", ""); }, Errc::invalid_argument, "file", "no header row");
  BOOST_TEST(customers().search("").empty());
  ImportOptions o;
  o.batch_size = 0;
  expect_error([&] { run("g.csv", kGuests, o); }, Errc::invalid_argument, "batch_size");
  o = {};
  o.max_listed = 2000000;
  expect_error([&] { run("g.csv", kGuests, o); }, Errc::invalid_argument, "max_listed");
  o = {};
  o.duplicate_probability = 1.5;
  expect_error([&] { run("g.csv", kGuests, o); }, Errc::invalid_argument, "duplicate_probability");
  o = {};
  o.by = "";
  expect_error([&] { run("g.csv", kGuests, o); }, Errc::invalid_argument, "by");
  o = {};
  o.rejects = dir.file("no/such/dir/rejects.csv");
  expect_error([&] { run("g.csv", kGuests, o); }, Errc::invalid_argument, "rejects");
  expect_error([] { parse_import_mode("merge"); }, Errc::invalid_argument, "mode", "create, update, upsert");
  BOOST_TEST(customers().search("").empty());
  // A row past the limits is one rejected row; the rest import.
  const std::string long_row = "first_name,last_name\nAna," + std::string(70000, 'x') + "\nBen,Okafor\n";
  const ImportReport r = run("long.csv", long_row);
  BOOST_TEST(r.created == 1u);
  BOOST_TEST(r.rejected_rows.at(0).field == "row");
  BOOST_TEST(r.rejected_rows.at(0).line == 2u);
  // A quote never closed runs into the limit of one field.
  expect_error([&] { run("open.csv", "first_name,last_name\nAna,\"" + std::string(5 * 1024 * 1024, 'x')); },
               Errc::invalid_argument, "file", "an unclosed quote?");
}

BOOST_AUTO_TEST_CASE(an_update_needs_only_a_key_and_dates_are_checked_whole) {
  run("guests.csv", "number,first_name,last_name\nK-10001,Ana,Silva\n");
  ImportOptions update;
  update.mode = ImportMode::update;
  const ImportReport r = run("stage.csv", "number,lifecycle_stage,DOB\nK-10001,vip,\nK-10001,,257/04/1985\n", update);
  BOOST_TEST(r.updated == 1u);
  BOOST_TEST(r.rejected == 1u);
  BOOST_TEST(r.rejected_rows.at(0).field == "DOB");
  BOOST_TEST(r.rejected_rows.at(0).message == "DOB: not a date (DD/MM/YYYY or YYYY-MM-DD)");
  BOOST_TEST(customers().get("K-10001").lifecycle_stage == "vip");
  // A new customer still needs what create() needs.
  const ImportReport c = run("thin.csv", "number,lifecycle_stage\nK-10002,lead\n");
  BOOST_TEST(c.rejected_rows.at(0).field == "customer");
}

BOOST_AUTO_TEST_CASE(phones_match_only_when_valid_and_only_rows_without_a_number) {
  run("guests.csv", "number,first_name,last_name,phone\nK-10001,Ana,Silva,07400 123456\nK-10002,Ben,Ng,123\n");
  const ImportReport r = run("more.csv",
                             "number,first_name,last_name,phone\n"
                             ",Ben,Other,123\n"
                             "K-20000,Ana,Silva,07400 123456\n"
                             ",Ana,Silva,+44 7400 123456\n");
  // Ben's "123" is no phone to match on; K-20000 brings a number of its
  // own, so it is another guest (of the same household) whatever the phone.
  BOOST_TEST(r.created == 2u);
  BOOST_TEST(r.rejected == 0u);
  BOOST_TEST(r.unchanged == 1u);  // the row without a number: Ana K-10001, the first holder
  BOOST_TEST(customers().get("K-20000").phones.at(0).number == "+447400123456");
}

BOOST_AUTO_TEST_CASE(a_refused_row_claims_no_generated_number) {
  NewFieldDefinition member;
  member.key = "member_since";
  member.label = "Member since";
  member.type = FieldType::date;
  member.required = true;
  db.custom_fields().define(member);
  const ImportReport r = run("guests.csv",
                             "first_name,last_name,custom.member_since\n"
                             "Ana,Silva,2020-01-01\n"
                             "Ben,Okafor,\n"
                             "Cara,Lee,2021-05-05\n");
  BOOST_TEST(r.created == 2u);
  BOOST_TEST(r.rejected_rows.at(0).field == "custom_fields.member_since");
  const auto all = customers().search("");
  std::vector<std::string> numbers;
  for (const auto& c : all) numbers.push_back(c.number);
  std::sort(numbers.begin(), numbers.end());
  BOOST_TEST(std::stoi(numbers.at(1)) - std::stoi(numbers.at(0)) == 1);
}

BOOST_AUTO_TEST_CASE(one_run_of_a_file_at_a_time_and_a_file_that_changes_is_caught) {
  std::string csv = kGuests;
  for (int i = 0; i < 3000; ++i) csv += "Guest" + std::to_string(i) + ",Person,g" + std::to_string(i) + "@example.com,,,,\n";
  const std::string csv_path = file("guests.csv", csv);  // past one 64 KiB chunk
  {
    const int fd = ::open(csv_path.c_str(), O_RDONLY);
    BOOST_REQUIRE(fd >= 0);
    BOOST_REQUIRE(::flock(fd, LOCK_EX) == 0);
    expect_error([&] { db.imports().customers(csv_path); }, Errc::conflict, "file", "another import of this file");
    ::close(fd);
  }
  ImportOptions o;
  o.rejects = csv_path;
  expect_error([&] { db.imports().customers(csv_path, o); }, Errc::invalid_argument, "rejects");
  o = {};
  o.batch_size = 100;
  o.progress = [&](const ImportProgress&) {
    std::ofstream(csv_path, std::ios::app) << "Zed,Zulu,z@example.com,,,,\n";
    return true;
  };
  expect_error([&] { db.imports().customers(csv_path, o); }, Errc::conflict, "file", "changed while it was being imported");
  // Deep JSON is refused as a row, and its reject line keeps the text.
  std::string deep = "{\"a\":";
  for (int i = 0; i < 20000; ++i) deep += '[';
  for (int i = 0; i < 20000; ++i) deep += ']';
  deep += "}\n";
  ImportOptions j;
  j.rejects = dir.file("rejects.jsonl");
  const ImportReport r = run("deep.jsonl", deep, j);
  BOOST_TEST(r.rejected_rows.at(0).field == "line");
  BOOST_TEST(read_file(j.rejects).find("\"reject_text\":\"{\\\"a\\\":[[[") != std::string::npos);
  expect_error([&] { ImportMapping::load("/dev/zero.json"); }, Errc::not_found, "mapping");
}

// A child process imports and is killed at a random moment, several times;
// then the import runs to its end. The file ends as one clean run leaves
// another: the same customers, the same report, the same reject file.
BOOST_AUTO_TEST_CASE(a_killed_run_resumes_exactly) {
  TempDir work;
  const std::string csv_path = work.file("guests.csv");
  {
    std::ofstream out(csv_path);
    out << "number,first_name,last_name,email,phone\n";
    for (int i = 0; i < 3000; ++i) {
      const int n = i % 2500;  // the last 500 rows name earlier customers
      if (i % 97 == 13) {
        out << "X" << i << ",Bad,Row,not-an-email,\n";
        continue;
      }
      out << "K-" << (10000 + n) << ",First" << n << ",Last" << (n % 50) << ",p" << n << "@example.com,\n";
    }
  }
  const std::string db_path = work.file("killed.db");
  ImportOptions o;
  o.batch_size = 40;
  o.rejects = work.file("rejects.csv");
  o.duplicates = DuplicateCheck::off;
  const unsigned seed = static_cast<unsigned>(std::chrono::steady_clock::now().time_since_epoch().count());
  BOOST_TEST_MESSAGE("kill seed " << seed);
  std::mt19937 rng(seed);
  // Each child reports its progress through a pipe; it is killed once it
  // has passed a point later than the last child's, 0 to 3 ms after a
  // batch (so mid-batch or between batches), never after the end.
  for (int kill = 0; kill < 6; ++kill) {
    int report[2];
    BOOST_REQUIRE(pipe(report) == 0);
    const pid_t pid = fork();
    BOOST_REQUIRE(pid >= 0);
    if (pid == 0) {
      close(report[0]);
      try {
        Database child = Database::open(db_path, options());
        ImportOptions co = o;
        co.progress = [&](const ImportProgress& p) {
          const std::uint64_t done = p.rows_done;
          return write(report[1], &done, sizeof done) == static_cast<ssize_t>(sizeof done);
        };
        child.imports().customers(csv_path, co);
      } catch (...) {
        _exit(2);
      }
      _exit(0);
    }
    close(report[1]);
    const std::uint64_t target = 400u * static_cast<std::uint64_t>(kill + 1) +
                                 std::uniform_int_distribution<std::uint64_t>(0, 300)(rng);
    std::uint64_t done = 0;
    while (done < target && read(report[0], &done, sizeof done) == static_cast<ssize_t>(sizeof done)) {
    }
    std::this_thread::sleep_for(std::chrono::microseconds(std::uniform_int_distribution<int>(0, 3000)(rng)));
    ::kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    close(report[0]);
    BOOST_TEST_REQUIRE(WIFSIGNALED(status), "the child ended before its kill, status " << status);
  }
  Database killed = Database::open(db_path, options());
  const ImportReport end = killed.imports().customers(csv_path, o);
  Database clean = Database::open(work.file("clean.db"), options());
  ImportOptions c = o;
  c.rejects = work.file("clean-rejects.csv");
  const ImportReport one = clean.imports().customers(csv_path, c);
  BOOST_TEST(one.created > 2400u);
  BOOST_TEST(end.resumed_after >= 2400u);
  BOOST_TEST(end.created == one.created);
  BOOST_TEST(end.updated == one.updated);
  BOOST_TEST(end.unchanged == one.unchanged);
  BOOST_TEST(end.same_as_earlier_line == one.same_as_earlier_line);
  BOOST_TEST(end.rejected_rows == one.rejected_rows);
  BOOST_TEST(read_file(o.rejects) == read_file(c.rejects));
  const auto numbers = [](Database& d) {
    std::vector<std::string> out;
    for (std::size_t offset = 0;; offset += 1000) {
      const auto page = d.customers().search("", Page{1000, offset});
      for (const auto& cu : page) out.push_back(cu.number + " " + cu.first_name + " " + cu.emails.at(0).address);
      if (page.size() < 1000) break;
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  BOOST_TEST(numbers(killed) == numbers(clean));
}

BOOST_AUTO_TEST_CASE(consent_columns_record_what_differs_and_respect_the_suppression_list) {
  const std::string file_text =
      "Email,First Name,Last Name,Newsletter,consent.sms.marketing,consent.text_version,consent.source\n"
      "ana@example.com,Ana,Silva,yes,no,v2,legacy-crm\n"
      "bob@example.com,Bob,Jones,unsubscribed,,,\n"
      "cy@example.com,Cy,Dee,,,,\n";
  const ImportReport r = run("consent.csv", file_text);
  BOOST_TEST(r.created == 3U);
  BOOST_TEST(r.rejected == 0U);
  const Customer ana = *customers().find_by_email("ana@example.com");
  const Customer bob = *customers().find_by_email("bob@example.com");
  BOOST_TEST(db.consent().can_contact(ana.number, Channel::email, "marketing"));
  BOOST_TEST(!db.consent().can_contact(ana.number, Channel::sms, "marketing"));
  const auto history = db.consent().history(ana.number);
  BOOST_TEST_REQUIRE(history.size() == 2U);
  for (const auto& e : history) {
    BOOST_TEST(e.source == "legacy-crm");
    BOOST_TEST(e.text_version == (e.status == ConsentStatus::granted ? "v2" : ""));
  }
  BOOST_TEST(to_string(history[1].legal_basis.value()) == "consent");
  BOOST_TEST(db.consent().history(bob.number).at(0).source == "import");
  BOOST_TEST(db.consent().is_suppressed(Channel::email, "bob@example.com"));
  BOOST_TEST(db.consent().history(customers().find_by_email("cy@example.com")->number).empty());

  // The same file again: every state already holds; nothing is written.
  const ImportReport again = run("consent-again.csv", file_text);
  BOOST_TEST(again.unchanged == 3U);
  BOOST_TEST(db.consent().history(ana.number).size() == 2U);

  // A file that says otherwise: a withdrawal is recorded (the row updated);
  // a grant to Bob's suppressed address is refused, naming its column;
  // an unknown purpose and a word that is no answer are refused too.
  const ImportReport later = run("consent-later.csv",
                                 "email,newsletter,consent.email.wine-club,consent.push.marketing\n"
                                 "ana@example.com,no,,\n"
                                 "bob@example.com,yes,,\n"
                                 "cy@example.com,,yes,\n"
                                 "cy@example.com,,,maybe\n");
  BOOST_TEST(later.updated == 1U);
  BOOST_TEST(later.rejected == 3U);
  BOOST_TEST_REQUIRE(later.rejected_rows.size() == 3U);
  BOOST_TEST(later.rejected_rows[0].field == "newsletter");
  BOOST_TEST(errc_name(later.rejected_rows[0].code) == "failed_precondition");
  BOOST_TEST(later.rejected_rows[0].message.find("only the person can grant it anew") != std::string::npos);
  BOOST_TEST(later.rejected_rows[1].field == "consent.email.wine-club");
  BOOST_TEST(errc_name(later.rejected_rows[1].code) == "not_found");
  BOOST_TEST(later.rejected_rows[2].field == "consent.push.marketing");
  BOOST_TEST(later.rejected_rows[2].message.find("granted or withdrawn") != std::string::npos);
  BOOST_TEST(!db.consent().can_contact(ana.number, Channel::email, "marketing"));
  BOOST_TEST(!db.consent().can_contact(bob.number, Channel::email, "marketing"));

  ImportOptions bad;
  bad.mapping.policies["consent.email.marketing"] = FieldPolicy::overwrite;
  expect_error([&] { run("policy.csv", file_text, bad); }, Errc::invalid_argument,
               "mapping.policies.consent.email.marketing");
  ImportOptions unknown;
  unknown.mapping.columns["Newsletter"] = "consent.fax.marketing";
  expect_error([&] { run("fax.csv", file_text, unknown); }, Errc::invalid_argument, "mapping.columns.Newsletter");
}

BOOST_AUTO_TEST_SUITE_END()
