// Exports of customers: JSON Lines and CSV of a rich base, the round trip
// export -> import into an empty database -> export giving the same bytes,
// selections, chosen fields, stopping, and every refusal.
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "fixture.hpp"

using namespace patron;
using patron::testing::DbFixture;
using patron::testing::expect_error;

BOOST_TEST_DONT_PRINT_LOG_VALUE(ExportFormat)
BOOST_TEST_DONT_PRINT_LOG_VALUE(std::vector<std::string>)

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

Date ymd(int y, unsigned m, unsigned d) { return Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}}; }

void define_fields(Database& db) {
  db.custom_fields().define({"allergies", "Allergies", FieldType::text});
  db.custom_fields().define({"room", "Room", FieldType::number});
  db.custom_fields().define({"since", "Guest since", FieldType::date});
  db.custom_fields().define({"likes", "Likes", FieldType::multi_select, false, std::nullopt, {"spa", "golf", "wine"}});
  db.custom_fields().define({"vip", "VIP", FieldType::checkbox});
}

struct Base : DbFixture {
  Customer ana, bo, cy, dee;
  std::int64_t acme = 0;

  Base() {
    define_fields(db);
    const auto tick = [&] { clock.advance(std::chrono::microseconds(1234567)); };
    NewCustomer a;
    a.number = "ANA-01";
    a.title = "Dr";
    a.first_name = "Ana";
    a.last_name = "Álvarez";
    a.email = "ana@acme.example";
    a.phone = "07700 900123";
    a.date_of_birth = ymd(1985, 4, 3);
    a.lifecycle_stage = "customer";
    a.tags = {"vip", "gold, old", "a|b"};
    a.emergency_contact = EmergencyContact{"Luis", "+44 7700 900999"};
    a.custom_fields = {{"allergies", std::string("nuts; \"shellfish\"\nand gluten")},
                       {"room", 12.5},
                       {"since", ymd(2019, 1, 2)},
                       {"likes", std::vector<std::string>{"spa", "wine"}},
                       {"vip", true}};
    Address billing;
    billing.purpose = AddressPurpose::billing;
    billing.line1 = "1 High St";
    billing.city = "London";
    billing.postal_code = "N1 1AA";
    billing.country = "GB";
    a.addresses = {billing};
    ana = db.customers().create(a);
    tick();
    db.customers().add_email(ana.number, "ana.private@example.com", true);
    db.customers().add_phone(ana.number, "front desk, ext. 4242", PhoneLabel::work);
    Address contact;
    contact.line1 = "2 Low Rd";
    contact.line2 = "Flat 3";
    contact.city = "Leeds";
    contact.region = "West Yorkshire";
    contact.postal_code = "LS1 1AA";
    contact.country = "GB";
    db.customers().add_address(ana.number, contact);
    tick();
    bo = db.customers().create({.number = "BO-002", .first_name = "Bo", .last_name = "Berg"});
    db.customers().ban(bo.number, "threw a chair", "manager");
    tick();
    cy = db.customers().create({.first_name = "Cy", .email = "cy@example.net"});
    db.customers().set_online(cy.number, std::chrono::seconds(600));  // first and last active; presence is not exported
    tick();
    dee = db.customers().create({.first_name = "Dee", .last_name = "Dunn", .email = "dee@example.org"});
    tick();
    const auto gone = db.customers().create({.first_name = "Dee", .last_name = "Dunn", .email = "dee2@example.org"});
    db.customers().merge(dee.number, gone.number, MergeOptions{.by = "staff"});
    tick();
    acme = db.companies().create({.name = "Acme", .domains = {"acme.example"}}).id;
    ana = db.customers().get(ana.number);
    bo = db.customers().get(bo.number);
    cy = db.customers().get(cy.number);
    dee = db.customers().get(dee.number);
  }

  ExportReport out(const std::string& name, ExportOptions o = {}) { return db.exports().customers(dir.file(name), o); }
};

// Imports `file` into a new, empty database with the same custom fields and
// exports it again as `again`.
std::string through_empty_database(Base& f, const std::string& file, const std::string& again) {
  Options o = f.options();
  Database fresh = Database::open(f.dir.file("fresh-" + again + ".db"), o);
  define_fields(fresh);
  ImportOptions io;
  io.duplicates = DuplicateCheck::off;
  const ImportReport r = fresh.imports().customers(file, io);
  BOOST_TEST(r.rejected == 0u);
  for (const auto& e : r.rejected_rows) BOOST_TEST_MESSAGE(e.line << ": " << e.message);
  BOOST_TEST(r.created == 4u);
  BOOST_TEST(r.unknown_columns.empty());
  const std::string path = f.dir.file(again);
  fresh.exports().customers(path);
  // The customers themselves came through, not only their text.
  const Customer ana = fresh.customers().get(f.ana.id.str());
  BOOST_TEST(ana.number == "ANA-01");
  BOOST_TEST(ana.created_at == f.ana.created_at);
  BOOST_TEST(ana.updated_at == f.ana.updated_at);
  BOOST_TEST((ana.emails == f.ana.emails));
  BOOST_TEST((ana.phones == f.ana.phones));
  BOOST_TEST((ana.tags == f.ana.tags));
  BOOST_TEST((fresh.customers().get("BO-002").ban == f.bo.ban));
  BOOST_TEST((fresh.custom_fields().values("ANA-01") == f.db.custom_fields().values("ANA-01")));
  return path;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(exports, Base)

BOOST_AUTO_TEST_CASE(json_lines_hold_the_complete_records_and_come_back_the_same) {
  const ExportReport r = out("all.jsonl");
  BOOST_TEST(r.completed);
  BOOST_TEST(r.format == ExportFormat::jsonl);
  BOOST_TEST(r.customers == 4u);  // the merged-away customer is not exported
  BOOST_TEST(r.columns.empty());
  const std::string text = read_file(dir.file("all.jsonl"));
  BOOST_TEST(r.bytes == text.size());
  const auto lines = lines_of(text);
  BOOST_TEST_REQUIRE(lines.size() == 4u);
  BOOST_TEST(lines[1] ==
             "{\"id\":\"" + bo.id.str() +
                 "\",\"number\":\"BO-002\",\"title\":\"\",\"first_name\":\"Bo\",\"last_name\":\"Berg\","
                 "\"date_of_birth\":null,\"lifecycle_stage\":\"\",\"tags\":[],\"emails\":[],\"phones\":[],"
                 "\"addresses\":[],\"emergency_contact\":null,\"status\":\"banned\",\"ban\":{\"reason\":\"threw a "
                 "chair\",\"by\":\"manager\",\"at\":\"" +
                 format_timestamp(bo.ban->at) + "\"},\"custom_fields\":{},\"created_at\":\"" +
                 format_timestamp(bo.created_at) + "\",\"updated_at\":\"" + format_timestamp(bo.updated_at) +
                 "\",\"first_active_at\":null,\"last_active_at\":null}");
  BOOST_TEST(lines[0].find("\"custom_fields\":{\"allergies\":\"nuts; \\\"shellfish\\\"\\nand gluten\",\"likes\":"
                           "[\"spa\",\"wine\"],\"room\":12.5,\"since\":\"2019-01-02\",\"vip\":true}") !=
             std::string::npos);
  BOOST_TEST(lines[0].find("\"emails\":[{\"address\":\"ana.private@example.com\",\"primary\":true},"
                           "{\"address\":\"ana@acme.example\",\"primary\":false}]") != std::string::npos);
  BOOST_TEST_REQUIRE(cy.first_active_at.has_value());
  BOOST_TEST(lines[2].find("\"first_active_at\":\"" + format_timestamp(*cy.first_active_at)) != std::string::npos,
             lines[2]);

  const std::string again = through_empty_database(*this, dir.file("all.jsonl"), "again.jsonl");
  BOOST_TEST(read_file(again) == text);
}

BOOST_AUTO_TEST_CASE(csv_numbers_the_lists_and_comes_back_the_same) {
  const ExportReport r = out("all.csv");
  BOOST_TEST(r.format == ExportFormat::csv);
  BOOST_TEST(r.customers == 4u);
  const std::vector<std::string> header{
      "id", "number", "title", "first_name", "last_name", "date_of_birth", "lifecycle_stage", "tags.1", "tags.2",
      "tags.3", "emails.1.address", "emails.1.primary", "emails.2.address", "emails.2.primary", "phones.1.number",
      "phones.1.label", "phones.1.verified", "phones.2.number", "phones.2.label", "phones.2.verified",
      "addresses.1.purpose", "addresses.1.line1", "addresses.1.line2", "addresses.1.city", "addresses.1.region",
      "addresses.1.postal_code", "addresses.1.country", "addresses.1.is_default", "addresses.2.purpose",
      "addresses.2.line1", "addresses.2.line2", "addresses.2.city", "addresses.2.region", "addresses.2.postal_code",
      "addresses.2.country", "addresses.2.is_default", "emergency_contact.name", "emergency_contact.phone", "status",
      "ban.reason", "ban.by", "ban.at", "custom_fields.allergies", "custom_fields.likes.1", "custom_fields.likes.2",
      "custom_fields.room", "custom_fields.since", "custom_fields.vip", "created_at", "updated_at",
      "first_active_at", "last_active_at"};
  BOOST_TEST(r.columns == header);
  const std::string text = read_file(dir.file("all.csv"));
  BOOST_TEST(r.bytes == text.size());
  BOOST_TEST(text.starts_with("\"id\",\"number\",\"title\","));
  BOOST_TEST(text.find("\"BO-002\",\"\",\"Bo\",\"Berg\",\"\",\"\",\"\",\"\",\"\"") != std::string::npos);
  BOOST_TEST(text.find("\"nuts; \"\"shellfish\"\"\nand gluten\"") != std::string::npos);

  const std::string again = through_empty_database(*this, dir.file("all.csv"), "again.csv");
  BOOST_TEST(read_file(again) == text);

  // A semicolon-delimited one too (what a German spreadsheet expects).
  ExportOptions o;
  o.delimiter = ';';
  out("semi.csv", o);
  BOOST_TEST(read_file(dir.file("semi.csv")).starts_with("\"id\";\"number\";"));
}

BOOST_AUTO_TEST_CASE(selections_and_fields) {
  const auto numbers = [&](const ExportOptions& o) {
    std::filesystem::remove(dir.file("sel.jsonl"));
    out("sel.jsonl", o);
    std::vector<std::string> out;
    for (const auto& line : lines_of(read_file(dir.file("sel.jsonl")))) {
      const auto at = line.find("\"number\":\"") + 10;
      out.push_back(line.substr(at, line.find('"', at) - at));
    }
    return out;
  };
  ExportOptions o;
  o.select.customers = {"cy@example.net", dee.id.str(), "ANA-01"};  // any order: exported in creation order
  expect_error([&] { numbers(o); }, Errc::invalid_argument, "select.customers[0]");
  o.select.customers = {cy.number, dee.id.str(), "ANA-01"};
  BOOST_TEST(numbers(o) == (std::vector<std::string>{"ANA-01", cy.number, dee.number}));
  o.select.customers = {"DEE-GONE"};
  expect_error([&] { numbers(o); }, Errc::not_found, "select.customers[0]");

  o = {};
  o.select.company = acme;
  BOOST_TEST(numbers(o) == (std::vector<std::string>{"ANA-01"}));  // linked by its email's domain
  o.select.company = acme + 99;
  expect_error([&] { numbers(o); }, Errc::not_found, "select.company");

  o = {};
  o.select.created_since = cy.created_at;
  BOOST_TEST(numbers(o) == (std::vector<std::string>{cy.number, dee.number}));
  o = {};
  clock.advance(std::chrono::hours(1));
  const Timestamp later = clock.now();
  db.customers().update("BO-002", CustomerUpdate{.title = "Mx"});
  o.select.changed_since = later;
  BOOST_TEST(numbers(o) == (std::vector<std::string>{"BO-002"}));
  o.select.created_since = cy.created_at;  // both apply
  BOOST_TEST(numbers(o).empty());

  // An RFM segment of a currency.
  NewOrder order;
  order.customer.ref = cy.number;
  order.source = "pos";
  order.external_ref = "R-1";
  order.currency = "GBP";
  order.total = 1000;
  order.status = OrderStatus::completed;
  order.placed_at = clock.now() - std::chrono::hours(24);
  db.orders().record(order);
  BOOST_TEST(db.analytics().recompute_rfm("GBP") == 1);
  const RfmSegment segment = db.analytics().rfm(cy.number, "GBP")->segment;
  o = {};
  o.select.rfm_currency = "gbp";
  o.select.rfm_segment = segment;
  BOOST_TEST(numbers(o) == (std::vector<std::string>{cy.number}));
  o.select.rfm_currency = "";
  expect_error([&] { numbers(o); }, Errc::invalid_argument, "select.rfm_currency");

  // Chosen fields, in the record's order whatever the order asked.
  o = {};
  o.fields = {"emails", "number", "custom_fields.vip"};
  o.select.customers = {"ANA-01"};
  out("few.csv", o);
  BOOST_TEST(read_file(dir.file("few.csv")) ==
             "\"number\",\"emails.1.address\",\"emails.1.primary\",\"emails.2.address\",\"emails.2.primary\","
             "\"custom_fields.vip\"\r\n\"ANA-01\",\"ana.private@example.com\",\"true\",\"ana@acme.example\","
             "\"false\",\"true\"\r\n");
  ExportOptions banned;
  banned.fields = {"number", "ban"};  // a ban goes with its status, or it would not import
  banned.select.customers = {"BO-002"};
  BOOST_TEST(out("ban.csv", banned).columns ==
             (std::vector<std::string>{"number", "status", "ban.reason", "ban.by", "ban.at"}));
  out("few.jsonl", o);
  BOOST_TEST(read_file(dir.file("few.jsonl")) ==
             "{\"number\":\"ANA-01\",\"emails\":[{\"address\":\"ana.private@example.com\",\"primary\":true},"
             "{\"address\":\"ana@acme.example\",\"primary\":false}],\"custom_fields\":{\"vip\":true}}\n");
}

BOOST_AUTO_TEST_CASE(refusals_write_nothing) {
  const auto refused = [&](const std::string& file, const ExportOptions& o, Errc code, const std::string& field,
                           const std::string& part = {}) {
    expect_error([&] { db.exports().customers(file, o); }, code, field, part);
  };
  out("x.jsonl");
  refused(dir.file("x.jsonl"), {}, Errc::already_exists, "path", "exists");
  ExportOptions o;
  o.overwrite = true;
  BOOST_TEST(db.exports().customers(dir.file("x.jsonl"), o).customers == 4u);
  refused("", {}, Errc::invalid_argument, "path");
  refused(dir.file("no/such/dir/x.jsonl"), {}, Errc::invalid_argument, "path", "no directory");
  o = {};
  o.fields = {"number", "fax"};
  refused(dir.file("y.jsonl"), o, Errc::invalid_argument, "fields[1]", "'fax' is not a field of the record");
  o.fields = {"custom_fields.shoe_size"};
  refused(dir.file("y.jsonl"), o, Errc::invalid_argument, "fields[0]", "no custom field 'shoe_size'");
  o = {};
  o.delimiter = '|';
  refused(dir.file("y.csv"), o, Errc::invalid_argument, "delimiter");
  o = {};
  o.select.rfm_segment = RfmSegment::champions;
  refused(dir.file("y.jsonl"), o, Errc::invalid_argument, "select.rfm_currency");
  o.select.rfm_currency = "GBPX";
  refused(dir.file("y.jsonl"), o, Errc::invalid_argument, "select.rfm_currency");
  BOOST_TEST(!std::filesystem::exists(dir.file("y.jsonl")));
  BOOST_TEST(!std::filesystem::exists(dir.file("y.csv")));
  BOOST_TEST(parse_export_format("csv") == ExportFormat::csv);
  expect_error([] { parse_export_format("xml"); }, Errc::invalid_argument, "format");
}

BOOST_AUTO_TEST_CASE(a_stopped_export_leaves_no_file) {
  for (int i = 0; i < 1200; ++i) db.customers().create({.first_name = "P" + std::to_string(i), .last_name = "Q"});
  std::vector<ExportProgress> seen;
  ExportOptions o;
  o.progress = [&](const ExportProgress& p) {
    seen.push_back(p);
    return seen.size() < 2;
  };
  const ExportReport r = out("big.jsonl", o);
  BOOST_TEST(!r.completed);
  BOOST_TEST_REQUIRE(seen.size() == 2u);
  BOOST_TEST(seen[0].rows_done == 500u);
  BOOST_TEST(seen[1].rows_done == 1000u);
  BOOST_TEST(seen[0].rows_total == 1204u);
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path())) ++files;
  BOOST_TEST(!std::filesystem::exists(dir.file("big.jsonl")));
  o.progress = {};
  BOOST_TEST(out("big.jsonl", o).customers == 1204u);
  BOOST_TEST(lines_of(read_file(dir.file("big.jsonl"))).size() == 1204u);
  std::size_t after = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path())) ++after;
  BOOST_TEST(after == files + 1);  // the file, and no partial one left behind

  // Two customers far apart: their contacts are read by list, not by range.
  ExportOptions far;
  far.select.customers = {"ANA-01", customers().search("P1199").at(0).number};
  far.fields = {"number", "emails", "addresses"};
  out("far.csv", far);
  const auto lines = lines_of(read_file(dir.file("far.csv")));
  BOOST_TEST_REQUIRE(lines.size() == 3u);
  BOOST_TEST(lines[1].starts_with("\"ANA-01\",\"ana.private@example.com\",\"true\",\"ana@acme.example\""));
  BOOST_TEST(lines[2].find("\"P1199\"") == std::string::npos);  // not a field asked for
  BOOST_TEST(lines[2].find(",\"\",\"\",\"\",\"\"") != std::string::npos);  // no emails, no addresses
}

BOOST_AUTO_TEST_CASE(a_household_sharing_a_phone_and_a_first_name_comes_back_whole) {
  // Two guests of one household: the same valid phone and first name. The
  // import matches by phone only rows that bring no number or id of their
  // own, so both come back.
  DbFixture f;
  f.db.customers().create({.number = "JO-001", .first_name = "Jo", .last_name = "Bloggs", .phone = "07400 111222"});
  f.db.customers().create({.number = "JO-002", .first_name = "Jo", .last_name = "Smith", .phone = "07400 111222"});
  for (const std::string name : {"house.csv", "house.jsonl"}) {
    f.db.exports().customers(f.dir.file(name));
    Database fresh = Database::open(f.dir.file("fresh-" + name + ".db"), f.options());
    ImportOptions o;
    o.duplicates = DuplicateCheck::off;
    const ImportReport r = fresh.imports().customers(f.dir.file(name), o);
    BOOST_TEST(r.created == 2u);
    BOOST_TEST(r.rejected == 0u);
    fresh.exports().customers(f.dir.file("again-" + name));
    BOOST_TEST(read_file(f.dir.file("again-" + name)) == read_file(f.dir.file(name)));
  }
  // A row without a number of its own still finds its guest by phone.
  Database fresh = Database::open(f.dir.file("walk-in.db"), f.options());
  fresh.customers().create({.number = "JO-001", .first_name = "Jo", .last_name = "Bloggs", .phone = "07400 111222"});
  std::ofstream(f.dir.file("walk-in.csv")) << "first_name,phone,email\nJo,07400 111222,jo@example.com\n";
  const ImportReport r = fresh.imports().customers(f.dir.file("walk-in.csv"));
  BOOST_TEST(r.updated == 1u);
  BOOST_TEST(fresh.customers().get("JO-001").emails.at(0).address == "jo@example.com");
}

BOOST_AUTO_TEST_SUITE_END()
