// Imports of the other files of a migration: credentials, opening purse and
// points balances, memberships and order history. Each row names its
// customer (number, id or email); a record already there is unchanged when
// the row says the same, a conflict when not; a re-run or a resumed run
// never doubles a balance; every refusal names its column.
#include <boost/algorithm/string/join.hpp>
#include <boost/test/unit_test.hpp>
#include <fstream>

#include "fixture.hpp"

using namespace patron;
using patron::testing::DbFixture;
using patron::testing::expect_error;

BOOST_TEST_DONT_PRINT_LOG_VALUE(ImportReport)
BOOST_TEST_DONT_PRINT_LOG_VALUE(CredentialStatus)
BOOST_TEST_DONT_PRINT_LOG_VALUE(MembershipStatus)
BOOST_TEST_DONT_PRINT_LOG_VALUE(OrderStatus)
BOOST_TEST_DONT_PRINT_LOG_VALUE(CredentialVerdict)
BOOST_TEST_DONT_PRINT_LOG_VALUE(ImportFormat)
BOOST_TEST_DONT_PRINT_LOG_VALUE(std::vector<std::string>)
BOOST_TEST_DONT_PRINT_LOG_VALUE(std::optional<Timestamp>)

namespace {

struct RecordsFixture : DbFixture {
  RecordsFixture() {
    // Three guests: G-1001 and G-1002 by number, G-1003 reachable by email only in the files.
    const std::string p = file("guests.csv",
                               "number,first_name,last_name,email\n"
                               "G-1001,Ana,Silva,ana@example.com\n"
                               "G-1002,Ben,Okafor,ben@example.com\n"
                               "G-1003,Cara,Lind,cara@example.com\n");
    const ImportReport r = db.imports().customers(p);
    BOOST_REQUIRE_MESSAGE(r.created == 3u, (r.rejected_rows.empty() ? std::string() : r.rejected_rows[0].message));
  }
  std::string file(const std::string& name, const std::string& bytes) {
    const std::string p = dir.file(name);
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
  }
  std::string id_of(const std::string& number) { return db.customers().get(number).id.str(); }
  // The rejected rows as "line field code".
  static std::vector<std::string> rejections(const ImportReport& r) {
    std::vector<std::string> out;
    for (const auto& e : r.rejected_rows) {
      out.push_back(std::to_string(e.line) + " " + e.field + " " + std::string(errc_name(e.code)));
    }
    return out;
  }
  std::size_t events(const std::string& action) {
    std::size_t n = 0;
    for (const auto& e : db.activity().feed(0, 1000)) n += e.action == action ? 1 : 0;
    return n;
  }
};

Timestamp at(const std::string& iso) { return parse_timestamp(iso, "test"); }

using Lines = std::vector<std::string>;

}  // namespace

BOOST_FIXTURE_TEST_SUITE(import_records, RecordsFixture)

BOOST_AUTO_TEST_CASE(credentials_are_issued_to_the_customer_each_row_names) {
  const std::string p = file("cards.csv",
                             "Customer Number,Card Type,Card Number,Label,Status,Expires,Notes\n"
                             "G-1001,magnetic_card,0042-7781,Front desk,active,2027-12-31,x\n"
                             "G-1002,KEY_FOB,FOB-9,,lost,,\n"
                             "G-1002,phone,07400 123456,,,,\n");
  const ImportReport r = db.imports().credentials(p);
  BOOST_TEST(r.completed);
  BOOST_TEST(r.rows == 3u);
  BOOST_TEST(r.created == 3u);
  BOOST_TEST(r.rejected == 0u);
  BOOST_TEST(r.columns.at("Customer Number") == "customer");
  BOOST_TEST(r.columns.at("Card Type") == "kind");
  BOOST_TEST(r.columns.at("Card Number") == "value");
  BOOST_TEST(r.columns.at("Expires") == "valid_until");
  BOOST_TEST(r.unknown_columns == Lines{"Notes"});

  const auto ana = db.credentials().of_customer("G-1001");
  BOOST_REQUIRE(ana.size() == 1u);
  BOOST_TEST(ana[0].value == "0042-7781");
  BOOST_TEST(ana[0].label == "Front desk");
  BOOST_TEST(ana[0].status == CredentialStatus::active);
  BOOST_TEST(ana[0].valid_until == std::optional<Timestamp>(at("2027-12-31T00:00:00Z")));
  const auto ben = db.credentials().of_customer("G-1002");
  BOOST_REQUIRE(ben.size() == 2u);
  const auto fob = ben[0].kind == CredentialKind::key_fob ? ben[0] : ben[1];
  const auto phone = ben[0].kind == CredentialKind::key_fob ? ben[1] : ben[0];
  BOOST_TEST(fob.status == CredentialStatus::lost);
  BOOST_TEST(phone.value == "+447400123456");  // a phone credential is stored in E.164
  BOOST_TEST(events("credential.issued") == 3u);
  BOOST_TEST(events("credentials.imported") == 1u);

  // The same file again: every credential is there and the same.
  const ImportReport again = db.imports().credentials(p);
  BOOST_TEST(again.unchanged == 3u);
  BOOST_TEST(again.created == 0u);
  BOOST_TEST(db.credentials().of_customer("G-1002").size() == 2u);
  BOOST_TEST(events("credential.issued") == 3u);

  // Mode create refuses what is there; update refuses what is not.
  ImportOptions create;
  create.mode = ImportMode::create;
  const ImportReport created = db.imports().credentials(p, create);
  BOOST_TEST(created.rejected == 3u);
  BOOST_TEST(rejections(created) == (Lines{"2 Card Number already_exists", "3 Card Number already_exists",
                                           "4 Card Number already_exists"}));
  ImportOptions update;
  update.mode = ImportMode::update;
  const ImportReport updated =
      db.imports().credentials(file("new.csv", "customer,kind,value\nG-1003,barcode,B-1\nG-1001,magnetic_card,0042-7781\n"),
                               update);
  BOOST_TEST(rejections(updated) == Lines{"2 value not_found"}, boost::algorithm::join(rejections(updated), "; "));
  BOOST_TEST(updated.rejected_rows[0].message == "value: this credential is not there; mode update adds nothing new");
}

BOOST_AUTO_TEST_CASE(a_credential_row_that_contradicts_patron_is_rejected_naming_its_column) {
  db.imports().credentials(file("cards.csv", "customer,kind,value,label\nG-1001,smart_card,S-1,Lobby\n"));
  const ImportReport r = db.imports().credentials(
      file("bad.csv",
           "customer,kind,value,label,valid_from,valid_until\n"
           "G-1001,smart_card,S-1,Pool,,\n"            // 2: the same card, another label
           "G-1002,smart_card,S-1,,,\n"                // 3: held by G-1001, active
           "G-1009,smart_card,S-2,,,\n"                // 4: nobody is G-1009
           "G-1001,pass,S-3,,,\n"                      // 5: no such kind
           ",smart_card,S-4,,,\n"                   // 6: no customer
           "G-1001,smart_card,S-5,,2027-01-01,2026-01-01\n"  // 7: window backwards
           "G-1001,smart_card,,,,\n"                   // 8: no value
           "G-1001,smart_card,S-6,,31/02/2027,\n"      // 9: no such date
           "G-1001,wallet_pass,W-1,,,\n"));            // 10: a wallet pass needs its wallet
  BOOST_TEST(r.rejected == 9u);
  BOOST_TEST(r.created == 0u);
  BOOST_TEST(rejections(r) == (Lines{"2 value conflict", "3 value conflict", "4 customer not_found",
                                     "5 kind invalid_argument", "6 customer invalid_argument",
                                     "7 valid_until invalid_argument", "8 value invalid_argument",
                                     "9 valid_from invalid_argument", "10 wallet invalid_argument"}));
  BOOST_TEST(r.rejected_rows[0].message ==
             "value: this credential is there already with the label 'Lobby'; a file never changes it");
  BOOST_TEST(r.rejected_rows[1].message == "value: customer G-1001 holds this credential, active");
  BOOST_TEST(db.credentials().of_customer("G-1001").size() == 1u);
  BOOST_TEST(db.credentials().of_customer("G-1002").empty());
}

BOOST_AUTO_TEST_CASE(opening_purse_balances_are_written_once_whatever_runs_them) {
  const std::string p = file("purses.csv",
                             "Guest Number,Email,Currency,Balance\n"
                             "G-1001,,EUR,125.50\n"
                             ",cara@example.com,jpy,1000\n"
                             "G-1002,,EUR,0\n"
                             "G-1002,,GBP,7.5\n");
  const ImportReport r = db.imports().purse_balances(p);
  BOOST_TEST(r.created == 3u);
  BOOST_TEST(r.unchanged == 1u);  // a zero balance writes nothing
  BOOST_TEST(r.columns.at("Email") == "customer.email");
  BOOST_TEST(db.purses().account("G-1001", "EUR").balance == 12550);
  BOOST_TEST(db.purses().account("G-1003", "JPY").balance == 1000);
  BOOST_TEST(db.purses().account("G-1002", "GBP").balance == 750);
  BOOST_TEST(db.purses().entries("G-1001", "EUR").front().reference == "opening balance");
  BOOST_TEST(db.purses().entries("G-1001", "EUR").front().idempotency_key == "import:opening:" + id_of("G-1001") + ":EUR");

  // Again, and another file saying the same of G-1001 by email: nothing doubles.
  BOOST_TEST(db.imports().purse_balances(p).unchanged == 4u);
  const ImportReport other = db.imports().purse_balances(
      file("other.csv", "customer.email,currency,balance\nana@example.com,EUR,125.5\nana@example.com,EUR,99\n"));
  BOOST_TEST(other.unchanged == 1u);
  BOOST_TEST(rejections(other) == Lines{"3 balance conflict"});
  BOOST_TEST(other.rejected_rows[0].message ==
             "balance: an opening balance in EUR of this customer is there already with another amount (12550 minor "
             "units); a file never changes it");
  BOOST_TEST(db.purses().account("G-1001", "EUR").balance == 12550);
  BOOST_TEST(db.purses().entries("G-1001", "EUR").size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_purse_balance_must_be_an_amount_of_its_currency) {
  const ImportReport r = db.imports().purse_balances(file("purses.csv",
                                                          "customer,currency,balance\n"
                                                          "G-1001,JPY,10.5\n"     // 2: yen have no decimals
                                                          "G-1001,EUR,12.345\n"   // 3: three decimals
                                                          "G-1001,EUR,-5\n"       // 4: below zero
                                                          "G-1001,EUR,1e3\n"      // 5: not an amount
                                                          "G-1001,EURO,5\n"       // 6: not a currency
                                                          "G-1001,EUR,\n"         // 7: no balance
                                                          "G-1001,EUR,99999999999999999\n"));  // 8: past 10^15
  BOOST_TEST(rejections(r) == (Lines{"2 balance invalid_argument", "3 balance invalid_argument",
                                     "4 balance invalid_argument", "5 balance invalid_argument",
                                     "6 currency invalid_argument", "7 balance invalid_argument",
                                     "8 balance invalid_argument"}));
  BOOST_TEST(r.rejected_rows[0].message == "balance: JPY has 0 decimals at most");
  BOOST_TEST(r.rejected_rows[1].message == "balance: EUR has 2 decimals at most");
  BOOST_TEST(r.rejected_rows[2].message == "balance: an opening balance must not be negative");
  BOOST_TEST(r.rejected_rows[5].message == "balance: required: the opening balance");
  BOOST_TEST(db.purses().accounts("G-1001").empty());
}

BOOST_AUTO_TEST_CASE(opening_points_balances_go_on_the_ledger_once) {
  db.loyalty().create_program({.id = "stars", .name = "Stars", .currency = "EUR"});
  const std::string p = file("points.jsonl",
                             "{\"customer\": \"G-1001\", \"program\": \"stars\", \"points\": 1200, \"qualifying\": true}\n"
                             "{\"customer\": \"G-1002\", \"program\": \"stars\", \"points\": \"300\"}\n"
                             "{\"customer\": \"G-1003\", \"program\": \"moons\", \"points\": 5}\n"
                             "{\"customer\": \"G-1003\", \"program\": \"stars\", \"points\": -5}\n");
  const ImportReport r = db.imports().points_balances(p);
  BOOST_TEST(r.format == ImportFormat::jsonl);
  BOOST_TEST(r.created == 2u);
  BOOST_TEST(rejections(r) == (Lines{"3 program not_found", "4 points invalid_argument"}),
             boost::algorithm::join(rejections(r), "; "));
  BOOST_TEST(r.rejected_rows[0].message == "program: no loyalty program moons");
  BOOST_TEST(db.loyalty().account("G-1001", "stars").balance == 1200);
  BOOST_TEST(db.loyalty().account("G-1002", "stars").balance == 300);
  const auto entries = db.loyalty().entries("G-1001", "stars");
  BOOST_REQUIRE(entries.size() == 1u);
  BOOST_TEST(entries[0].reason == "opening balance");
  BOOST_TEST(entries[0].qualifying);
  BOOST_TEST(entries[0].actor == "import");

  const ImportReport again = db.imports().points_balances(p);
  BOOST_TEST(again.unchanged == 2u);
  BOOST_TEST(again.rejected == 2u);
  BOOST_TEST(db.loyalty().account("G-1001", "stars").balance == 1200);
}

BOOST_AUTO_TEST_CASE(memberships_keep_their_dates_and_status) {
  const Plan gold = db.memberships().create_plan({.name = "Gold", .kind = PlanKind::personal});
  const Plan club = db.memberships().create_plan(
      {.name = "Club", .kind = PlanKind::subscription, .billing_period = BillingPeriod::yearly});
  const std::string p = file("members.csv",
                             "Member No,Membership,Start Date,End Date,Status\n"
                             "G-1001,gold,01/03/2020,,\n"
                             "G-1002," + std::to_string(club.id) + ",2026-01-15,,paused\n"
                             "G-1003,Gold,01/01/2020,31/12/2021,expired\n"
                             "G-1003,Silver,01/01/2020,,\n"
                             "G-1002,Gold,,,\n"
                             "G-1001,Gold,01/01/2026,,expired\n");
  const ImportReport r = db.imports().memberships(p);
  BOOST_TEST(r.created == 3u);
  BOOST_TEST(rejections(r) == (Lines{"5 Membership not_found", "6 starts_at invalid_argument",
                                     "7 Status invalid_argument"}));
  BOOST_TEST(r.rejected_rows[0].message == "Membership: no membership plan is named Silver");
  const auto ana = db.memberships().effective("G-1001");
  BOOST_REQUIRE(ana.size() == 1u);
  BOOST_TEST(ana[0].membership.plan == gold.id);
  BOOST_TEST(ana[0].membership.starts_at == at("2020-03-01T00:00:00Z"));
  BOOST_TEST(!ana[0].membership.ends_at);
  BOOST_TEST(ana[0].membership.status == MembershipStatus::active);
  const auto ben = db.memberships().effective("G-1002");
  BOOST_REQUIRE(ben.size() == 1u);
  BOOST_TEST(ben[0].membership.status == MembershipStatus::paused);
  BOOST_TEST(ben[0].membership.ends_at == std::optional<Timestamp>(at("2027-01-15T00:00:00Z")));  // one year
  const auto cara = db.memberships().effective("G-1003");
  BOOST_REQUIRE(cara.size() == 1u);
  BOOST_TEST(cara[0].membership.status == MembershipStatus::expired);

  const ImportReport again = db.imports().memberships(p);
  BOOST_TEST(again.unchanged == 3u);
  BOOST_TEST(again.created == 0u);
  const ImportReport cancelled = db.imports().memberships(
      file("changed.csv", "customer,plan,starts_at,status\nG-1001,Gold,2020-03-01,cancelled\n"));
  BOOST_TEST(rejections(cancelled) == Lines{"2 plan conflict"});
  BOOST_TEST(cancelled.rejected_rows[0].message ==
             "plan: this membership is there already with the status active; a file never changes it");
}

BOOST_AUTO_TEST_CASE(order_history_is_recorded_with_its_items_for_analytics) {
  const std::string p = file("orders.csv",
                             "Order Number,Customer,Order Date,Currency,Total,Paid,Status,"
                             "items.1.name,items.1.quantity,items.1.unit_price,items.2.name,items.2.unit_price\n"
                             "R-100,G-1001,2025-06-01T19:30:00Z,EUR,84.00,,,Dinner,2,38.00,Wine,8\n"
                             "R-101,G-1001,02/07/2025,EUR,20,5,confirmed,,,,,\n"
                             "R-102,G-1002,2025-07-03,GBP,12.5,,cancelled,,,,,\n");
  const ImportReport r = db.imports().orders(p);
  BOOST_TEST(r.created == 3u);
  BOOST_TEST(r.rejected == 0u);
  BOOST_TEST(r.columns.at("Order Number") == "external_ref");
  BOOST_TEST(r.columns.at("items.2.unit_price") == "items.2.unit_price");
  const auto dinner = db.orders().find("import", "R-100");
  BOOST_REQUIRE(dinner.has_value());
  BOOST_TEST(dinner->customer.str() == id_of("G-1001"));
  BOOST_TEST(dinner->placed_at == at("2025-06-01T19:30:00Z"));
  BOOST_TEST(dinner->status == OrderStatus::completed);
  BOOST_TEST(dinner->total == 8400);
  BOOST_TEST(dinner->paid == 8400);  // a completed order with no paid column was paid
  BOOST_REQUIRE(dinner->items.size() == 2u);
  BOOST_TEST(dinner->items[0].name == "Dinner");
  BOOST_TEST(dinner->items[0].quantity == 2);
  BOOST_TEST(dinner->items[0].unit_price == 3800);
  BOOST_TEST(dinner->items[1].quantity == 1);
  BOOST_TEST(db.orders().find("import", "R-101")->paid == 500);
  BOOST_TEST(db.orders().find("import", "R-101")->placed_at == at("2025-07-02T00:00:00Z"));
  BOOST_TEST(db.orders().find("import", "R-102")->paid == 0);
  BOOST_TEST(events("order.recorded") == 3u);

  BOOST_TEST(db.imports().orders(p).unchanged == 3u);
  const ImportReport other = db.imports().orders(file("other.csv",
                                                      "order,customer,date,currency,total,source\n"
                                                      "R-100,G-1001,2025-06-01T19:30:00Z,EUR,85,\n"
                                                      "R-100,G-1002,2025-06-01T19:30:00Z,EUR,84,\n"
                                                      "R-100,G-1002,2025-06-01,EUR,84,web\n"
                                                      "R-103,G-1002,,EUR,84,\n"
                                                      "R-104,G-1002,2025-06-01,EUR,84,\n"));
  BOOST_TEST(rejections(other) == (Lines{"2 order conflict", "3 order conflict", "5 placed_at invalid_argument"}));
  BOOST_TEST(other.created == 2u);  // R-100 of the web, R-104
  BOOST_TEST(other.rejected_rows[1].message ==
             "order: this order is there already with another customer (G-1001); a file never changes it");
  BOOST_TEST(db.orders().find("web", "R-100").has_value());
}

BOOST_AUTO_TEST_CASE(a_stopped_run_resumes_without_doubling_a_balance) {
  std::string rows = "customer,currency,balance\n";
  for (int i = 1; i <= 3; ++i) rows += "G-100" + std::to_string(i) + ",EUR,10\n";
  const std::string p = file("purses.csv", rows);
  ImportOptions o;
  o.batch_size = 1;
  int batches = 0;
  o.progress = [&](const ImportProgress&) { return ++batches < 2; };
  const ImportReport first = db.imports().purse_balances(p, o);
  BOOST_TEST(!first.completed);
  BOOST_TEST(first.created == 2u);
  o.progress = {};
  const ImportReport second = db.imports().purse_balances(p, o);
  BOOST_TEST(second.completed);
  BOOST_TEST(second.resumed_after == 2u);
  BOOST_TEST(second.created == 3u);
  for (const char* g : {"G-1001", "G-1002", "G-1003"}) BOOST_TEST(db.purses().account(g, "EUR").balance == 1000);
  BOOST_TEST(events("purse_balances.imported") == 1u);
}

BOOST_AUTO_TEST_CASE(a_dry_run_reports_the_same_and_writes_nothing) {
  const std::string p = file("orders.csv", "order,customer,date,currency,total\nR-1,G-1001,2025-01-01,EUR,10\nR-2,G-1009,2025-01-01,EUR,10\n");
  ImportOptions o;
  o.dry_run = true;
  const ImportReport dry = db.imports().orders(p, o);
  BOOST_TEST(dry.dry_run);
  BOOST_TEST(dry.created == 1u);
  BOOST_TEST(dry.rejected == 1u);
  BOOST_TEST(!db.orders().find("import", "R-1").has_value());
  const ImportReport real = db.imports().orders(p);
  BOOST_TEST(real.created == dry.created);
  BOOST_TEST(real.rejected == dry.rejected);
}

BOOST_AUTO_TEST_CASE(a_mapping_names_the_files_own_fields_only) {
  ImportOptions o;
  o.mapping.columns = {{"Karte", "value"}, {"Art", "kind"}, {"Gast", "customer"}};
  const ImportReport r =
      db.imports().credentials(file("karten.csv", "Gast,Art,Karte\nG-1001,barcode,123\n"), o);
  BOOST_TEST(r.created == 1u);
  o.mapping.columns = {{"Karte", "first_name"}};
  expect_error([&] { db.imports().credentials(file("k2.csv", "Karte\n1\n"), o); }, Errc::invalid_argument,
               "mapping.columns.Karte", "'first_name' is not a field a credentials file fills");
  o.mapping.columns = {{"Artikel", "items.0.name"}};
  expect_error([&] { db.imports().orders(file("o.csv", "Artikel\n1\n"), o); }, Errc::invalid_argument,
               "mapping.columns.Artikel");
  o.mapping.columns = {};
  o.mapping.policies = {{"label", FieldPolicy::fill_blanks}};
  expect_error([&] { db.imports().credentials(file("k3.csv", "customer\nG-1001\n"), o); }, Errc::invalid_argument,
               "mapping.policies.label", "policies are for a customers file");
  expect_error([&] { db.imports().orders(dir.file("missing.csv")); }, Errc::not_found, "file");
}

BOOST_AUTO_TEST_CASE(what_changed_since_the_file_stands_on_a_second_run) {
  // A card lost since the file was made stays lost: the row without a
  // status is the same card; a row saying active contradicts patron.
  const std::string cards = file("cards.csv", "customer,kind,value\nG-1001,barcode,B-1\n");
  BOOST_TEST(db.imports().credentials(cards).created == 1u);
  db.credentials().set_status(db.credentials().of_customer("G-1001")[0].id, CredentialStatus::lost);
  const ImportReport again = db.imports().credentials(cards);
  BOOST_TEST(again.unchanged == 1u);
  BOOST_TEST(db.credentials().of_customer("G-1001").size() == 1u);
  BOOST_TEST(db.identify_credential("B-1").verdict == CredentialVerdict::lost);
  const ImportReport active =
      db.imports().credentials(file("active.csv", "customer,kind,value,status\nG-1001,barcode,B-1,active\n"));
  BOOST_TEST(rejections(active) == Lines{"2 value conflict"});
  BOOST_TEST(active.rejected_rows[0].message ==
             "value: this credential is there already with the status lost; a file never changes it");

  // An opening balance imported, then its customer merged away: the same
  // file again finds it under the absorbed customer's key.
  const std::string purses = file("purses.csv", "customer,currency,balance\nG-1001,EUR,10.00\n");
  BOOST_TEST(db.imports().purse_balances(purses).created == 1u);
  db.customers().merge("G-1002", "G-1001", {.by = "staff"});
  const ImportReport merged = db.imports().purse_balances(purses);
  BOOST_TEST(merged.unchanged == 1u);
  BOOST_TEST(merged.created == 0u);
  BOOST_TEST(db.purses().account("G-1002", "EUR").balance == 1000);
}

BOOST_AUTO_TEST_CASE(a_zero_balance_writes_nothing_in_every_mode_but_contradicts_one_there) {
  db.loyalty().create_program({.id = "stars", .name = "Stars", .currency = "EUR"});
  ImportOptions create;
  create.mode = ImportMode::create;
  const ImportReport zero =
      db.imports().purse_balances(file("zero.csv", "customer,currency,balance\nG-1001,EUR,0\n"), create);
  BOOST_TEST(zero.unchanged == 1u);
  BOOST_TEST(zero.rejected == 0u);
  BOOST_TEST(db.imports().points_balances(file("p.csv", "customer,program,points\nG-1001,stars,500\n")).created == 1u);
  const ImportReport none =
      db.imports().points_balances(file("p0.csv", "customer,program,points\nG-1001,stars,0\nG-1002,stars,0\n"));
  BOOST_TEST(rejections(none) == Lines{"2 points conflict"});
  BOOST_TEST(none.unchanged == 1u);
  const ImportReport bad = db.imports().points_balances(file("pb.csv", "customer,program,points\nG-1001,Gold Club,5\n"));
  BOOST_TEST(rejections(bad) == Lines{"2 program invalid_argument"});
}

BOOST_AUTO_TEST_CASE(an_order_items_error_names_its_numbered_column) {
  const ImportReport r = db.imports().orders(file("orders.csv",
                                                  "order,customer,date,currency,total,items.1.name,items.3.name\n"
                                                  "R-1,G-1001,2025-01-01,EUR,10,Tea," + std::string(300, 'x') + "\n"));
  BOOST_TEST(rejections(r) == Lines{"2 items.3.name invalid_argument"});
  BOOST_TEST(r.rejected_rows[0].message.starts_with("items.3.name: "));
}

BOOST_AUTO_TEST_SUITE_END()
