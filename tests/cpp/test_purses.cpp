// Purses: top-ups, charges and refunds with their refusals, idempotent
// replays and conflicting keys, credit limits at their edges, partial
// refunds, the balance checkpoint against the ledger (read straight from the
// file), entries the schema keeps permanent, timeline events, and many
// threads and processes writing one account at once.
#include <SQLiteCpp/SQLiteCpp.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <sstream>

#include "fixture.hpp"
#include "row_count.hpp"
#include "workers.hpp"

using namespace patron;
using patron::testing::refused;
using namespace std::chrono_literals;
using patron::testing::count_rows;
using patron::testing::DbFixture;
using patron::testing::expect_error;

namespace {

constexpr std::int64_t kMax = 1'000'000'000'000'000;  // 10^15

struct PurseFixture : DbFixture {
  Customer ana = customers().create({.first_name = "Ana", .last_name = "Silva", .email = "ana@example.com"});
  Customer bob = customers().create({.first_name = "Bob", .last_name = "Jones", .email = "bob@example.com"});
  Purses& purses() { return db.purses(); }

  PurseEntry top_up(const Customer& who, std::int64_t amount, std::string key, std::string currency = "GBP") {
    return purses().top_up({who.number, std::move(currency), amount, std::move(key), ""});
  }
  PurseEntry charge(const Customer& who, std::int64_t amount, std::string key, std::string currency = "GBP") {
    return purses().charge({who.number, std::move(currency), amount, std::move(key), ""});
  }
  std::int64_t balance(const Customer& who, std::string currency = "GBP") {
    return purses().account(who.number, currency).balance;
  }
  int rows(const std::string& table) { return count_rows(path, table); }
};

// SUM of the ledger and the checkpoint of one account, read behind patron's back.
std::pair<std::int64_t, std::int64_t> ledger_and_checkpoint(const std::string& path, const CustomerId& who,
                                                            const std::string& currency) {
  SQLite::Database file(path, SQLite::OPEN_READONLY);
  SQLite::Statement sum(file,
                        "SELECT coalesce(sum(CASE kind WHEN 'charge' THEN -amount ELSE amount END), 0) "
                        "FROM purse_entries e JOIN customers c ON c.seq = e.customer WHERE c.id = ? AND currency = ?");
  sum.bind(1, who.str());
  sum.bind(2, currency);
  sum.executeStep();
  SQLite::Statement balance(file,
                            "SELECT balance FROM purse_accounts a JOIN customers c ON c.seq = a.customer "
                            "WHERE c.id = ? AND currency = ?");
  balance.bind(1, who.str());
  balance.bind(2, currency);
  const std::int64_t checkpoint = balance.executeStep() ? balance.getColumn(0).getInt64() : 0;
  return {sum.getColumn(0).getInt64(), checkpoint};
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(purses, PurseFixture)

BOOST_AUTO_TEST_CASE(top_up_charge_and_refund_move_the_balance) {
  BOOST_TEST((purses().account(ana.number, "gbp") == PurseAccount{ana.id, "GBP", 0, 0, 0, 0}));
  BOOST_TEST(purses().accounts(ana.id.str()).empty());
  PurseEntry t;
  {
    ActorScope scope("till-1");
    t = purses().top_up({ana.number, "gbp", 5000, " t-1 ", " receipt 17 "});
  }
  BOOST_TEST(t.id > 0);
  BOOST_TEST(t.customer == ana.id);
  BOOST_TEST(t.currency == "GBP");
  BOOST_TEST((t.kind == PurseEntryKind::top_up));
  BOOST_TEST(t.amount == 5000);
  BOOST_TEST(t.balance_after == 5000);
  BOOST_TEST(!t.refund_of.has_value());
  BOOST_TEST(t.reference == "receipt 17");
  BOOST_TEST(t.idempotency_key == "t-1");
  BOOST_TEST(t.actor == "till-1");
  BOOST_TEST(t.at == clock.now());

  clock.advance(1min);
  const PurseEntry c = charge(ana, 1200, "c-1");
  BOOST_TEST((c.kind == PurseEntryKind::charge));
  BOOST_TEST(c.balance_after == 3800);
  BOOST_TEST(c.actor.empty());  // no ActorScope
  const PurseEntry r = purses().refund(c.id, 200, "r-1", "wrong item");
  BOOST_TEST((r.kind == PurseEntryKind::refund));
  BOOST_TEST(r.refund_of.value() == c.id);
  BOOST_TEST(r.customer == ana.id);
  BOOST_TEST(r.currency == "GBP");
  BOOST_TEST(r.balance_after == 4000);
  BOOST_TEST(purses().entry(c.id).refunded == 200);
  BOOST_TEST(purses().entry(t.id).refunded == 0);

  BOOST_TEST((purses().account(ana.id.str(), "GBP") == PurseAccount{ana.id, "GBP", 4000, 0, 0, 4000}));
  BOOST_TEST((purses().entry(t.id) == t));
  const auto list = purses().entries(ana.number, "GBP");
  BOOST_REQUIRE(list.size() == 3u);
  BOOST_TEST(list[0].id == r.id);  // newest first
  BOOST_TEST(list[1].id == c.id);
  BOOST_TEST(list[1].refunded == 200);
  BOOST_TEST((list[2] == t));
  BOOST_TEST(purses().entries(ana.number, "GBP", {.limit = 1, .offset = 2}).at(0).id == t.id);
  BOOST_TEST(purses().entries(ana.number, "EUR").empty());
  BOOST_TEST(purses().entries(bob.number, "GBP").empty());

  // Accounts: one per currency, kept apart.
  top_up(ana, 10, "e-1", "EUR");
  purses().set_credit_limit(ana.number, "USD", 100);
  const auto accounts = purses().accounts(ana.number);
  BOOST_REQUIRE(accounts.size() == 3u);
  BOOST_TEST(accounts[0].currency == "EUR");
  BOOST_TEST(accounts[0].balance == 10);
  BOOST_TEST(accounts[1].currency == "GBP");
  BOOST_TEST(accounts[1].balance == 4000);
  BOOST_TEST((accounts[2] == PurseAccount{ana.id, "USD", 0, 100, 0, 100}));
  BOOST_TEST(balance(bob) == 0);
  BOOST_TEST(purses().accounts(bob.number).empty());
}

BOOST_AUTO_TEST_CASE(entry_kinds_have_names) {
  BOOST_TEST(to_string(PurseEntryKind::top_up) == "top_up");
  BOOST_TEST(to_string(PurseEntryKind::charge) == "charge");
  BOOST_TEST(to_string(PurseEntryKind::refund) == "refund");
  BOOST_TEST((parse_purse_entry_kind("refund") == PurseEntryKind::refund));
  expect_error([] { parse_purse_entry_kind("topup"); }, Errc::invalid_argument, "kind");
  expect_error([] { parse_purse_entry_kind("x", "entry.kind"); }, Errc::invalid_argument, "entry.kind");
}

BOOST_AUTO_TEST_CASE(every_refusal_names_its_field_and_leaves_nothing) {
  const PurseEntry t = top_up(ana, 1000, "t-1");
  const PurseEntry c = charge(ana, 600, "c-1");
  const int entries = rows("purse_entries");
  const int keys = rows("idempotency_keys");
  const std::int64_t events = db.activity().last_event_id();
  const auto request = [&](std::string ref, std::string currency, std::int64_t amount, std::string key,
                           std::string reference = "") {
    return PurseRequest{std::move(ref), std::move(currency), amount, std::move(key), std::move(reference)};
  };
  for (auto write : {&Purses::top_up, &Purses::charge}) {
    const auto call = [&](const PurseRequest& r) { return [&, r] { (purses().*write)(r); }; };
    expect_error(call(request("", "GBP", 1, "k")), Errc::invalid_argument, "ref");
    expect_error(call(request("no such one", "GBP", 1, "k")), Errc::invalid_argument, "ref");
    expect_error(call(request("NOBODY-1", "GBP", 1, "k")), Errc::not_found, "ref");
    expect_error(call(request(ana.number, "", 1, "k")), Errc::invalid_argument, "currency");
    expect_error(call(request(ana.number, "XYZ", 1, "k")), Errc::invalid_argument, "currency");
    expect_error(call(request(ana.number, "GBPX", 1, "k")), Errc::invalid_argument, "currency");
    expect_error(call(request(ana.number, "GBP", 0, "k")), Errc::invalid_argument, "amount");
    expect_error(call(request(ana.number, "GBP", -5, "k")), Errc::invalid_argument, "amount");
    expect_error(call(request(ana.number, "GBP", kMax + 1, "k")), Errc::invalid_argument, "amount");
    expect_error(call(request(ana.number, "GBP", 1, "")), Errc::invalid_argument, "idempotency_key");
    expect_error(call(request(ana.number, "GBP", 1, "   ")), Errc::invalid_argument, "idempotency_key");
    expect_error(call(request(ana.number, "GBP", 1, std::string(201, 'k'))), Errc::invalid_argument,
                 "idempotency_key");
    expect_error(call(request(ana.number, "GBP", 1, "k\x01")), Errc::invalid_argument, "idempotency_key");
    expect_error(call(request(ana.number, "GBP", 1, "k", std::string(201, 'r'))), Errc::invalid_argument,
                 "reference");
  }
  // A charge beyond what is available names the amount left.
  expect_error([&] { charge(ana, 401, "c-2"); }, Errc::failed_precondition, "amount", "400");
  expect_error([&] { charge(bob, 1, "c-3"); }, Errc::failed_precondition, "amount", "only 0 GBP");

  expect_error([&] { purses().refund(c.id, 0, "r"); }, Errc::invalid_argument, "amount");
  expect_error([&] { purses().refund(c.id, kMax + 1, "r"); }, Errc::invalid_argument, "amount");
  expect_error([&] { purses().refund(c.id, 1, ""); }, Errc::invalid_argument, "idempotency_key");
  expect_error([&] { purses().refund(c.id, 1, "r", std::string(201, 'r')); }, Errc::invalid_argument, "reference");
  expect_error([&] { purses().refund(c.id + 1000, 1, "r"); }, Errc::not_found, "charge");
  expect_error([&] { purses().refund(-1, 1, "r"); }, Errc::not_found, "charge");
  expect_error([&] { purses().refund(t.id, 1, "r"); }, Errc::not_found, "charge");  // a top-up
  expect_error([&] { purses().refund(c.id, 601, "r"); }, Errc::failed_precondition, "amount", "600");

  expect_error([&] { purses().set_credit_limit(ana.number, "GBP", -1); }, Errc::invalid_argument, "credit_limit");
  expect_error([&] { purses().set_credit_limit(ana.number, "GBP", kMax + 1); }, Errc::invalid_argument,
               "credit_limit");
  expect_error([&] { purses().set_credit_limit(ana.number, "ABC", 1); }, Errc::invalid_argument, "currency");
  expect_error([&] { purses().set_credit_limit("NOBODY-1", "GBP", 1); }, Errc::not_found, "ref");

  expect_error([&] { purses().account(ana.number, "??"); }, Errc::invalid_argument, "currency");
  expect_error([&] { purses().account("NOBODY-1", "GBP"); }, Errc::not_found, "ref");
  expect_error([&] { purses().accounts("NOBODY-1"); }, Errc::not_found, "ref");
  expect_error([&] { purses().entries(ana.number, "GBP", {.limit = 0}); }, Errc::invalid_argument, "limit");
  expect_error([&] { purses().entries(ana.number, "GBP", {.limit = 1001}); }, Errc::invalid_argument, "limit");
  expect_error([&] { purses().entries(ana.number, "nope"); }, Errc::invalid_argument, "currency");
  expect_error([&] { purses().entries("NOBODY-1", "GBP"); }, Errc::not_found, "ref");
  expect_error([&] { purses().entry(c.id + 1000); }, Errc::not_found, "id");

  BOOST_TEST(rows("purse_entries") == entries);
  BOOST_TEST(rows("idempotency_keys") == keys);
  BOOST_TEST(db.activity().last_event_id() == events);
  BOOST_TEST(balance(ana) == 400);
  // A refused key was not used up.
  BOOST_TEST(charge(ana, 400, "c-2").balance_after == 0);
}

BOOST_AUTO_TEST_CASE(the_amount_bounds_are_inclusive) {
  BOOST_TEST(top_up(ana, kMax, "t-max").balance_after == kMax);
  BOOST_TEST(charge(ana, kMax, "c-max").balance_after == 0);
  BOOST_TEST(top_up(ana, 1, "t-1").balance_after == 1);
  BOOST_TEST(purses().set_credit_limit(ana.number, "GBP", kMax).available == kMax + 1);
  const PurseEntry longest = purses().top_up({ana.number, "GBP", 1, std::string(200, 'k'), std::string(200, 'r')});
  BOOST_TEST(longest.reference.size() == 200u);
  BOOST_TEST(longest.idempotency_key.size() == 200u);
}

BOOST_AUTO_TEST_CASE(a_replay_returns_the_original_entry_and_changes_nothing) {
  const PurseEntry t = top_up(ana, 1000, "t-1");
  const PurseEntry c = charge(ana, 700, "c-1");
  const PurseEntry r = purses().refund(c.id, 100, "r-1", "spill");
  const int entries = rows("purse_entries");
  const std::int64_t events = db.activity().last_event_id();
  clock.advance(1h);

  BOOST_TEST((top_up(ana, 1000, "t-1") == t));
  BOOST_TEST((purses().top_up({ana.id.str(), "gbp", 1000, " t-1", ""}) == t));  // another form of the same request
  BOOST_TEST((purses().refund(c.id, 100, "r-1", "spill") == r));
  BOOST_TEST(rows("purse_entries") == entries);
  BOOST_TEST(db.activity().last_event_id() == events);
  BOOST_TEST(balance(ana) == 400);

  // After other writes the balance has moved: a replay still answers with
  // the original entry, even one that would now be refused.
  charge(ana, 400, "c-2");
  BOOST_TEST(balance(ana) == 0);
  PurseEntry replay = charge(ana, 700, "c-1");
  BOOST_TEST(replay.balance_after == 300);
  BOOST_TEST(replay.refunded == 100);  // as read now
  BOOST_TEST(replay.at == c.at);
  BOOST_TEST(replay.id == c.id);
  purses().refund(c.id, 600, "r-2");  // the rest of the charge
  BOOST_TEST((purses().refund(c.id, 100, "r-1", "spill") == r));
  BOOST_TEST(balance(ana) == 600);
  BOOST_TEST(rows("purse_entries") == entries + 2);
  BOOST_TEST(rows("idempotency_keys") == entries + 2);
}

BOOST_AUTO_TEST_CASE(the_same_key_for_a_different_request_is_a_conflict) {
  top_up(ana, 1000, "k-1");
  const PurseEntry c = charge(ana, 300, "k-2");
  const int entries = rows("purse_entries");
  const auto conflict = [&](auto&& f) { expect_error(f, Errc::conflict, "idempotency_key", "k-"); };
  conflict([&] { top_up(ana, 999, "k-1"); });                                      // another amount
  conflict([&] { charge(ana, 1000, "k-1"); });                                     // another kind
  conflict([&] { top_up(bob, 1000, "k-1"); });                                     // another customer
  conflict([&] { top_up(ana, 1000, "k-1", "EUR"); });                              // another currency
  conflict([&] { purses().top_up({ana.number, "GBP", 1000, "k-1", "note"}); });  // another reference
  conflict([&] { purses().refund(c.id, 300, "k-2"); });                            // a refund on a charge's key
  purses().refund(c.id, 100, "k-3");
  conflict([&] { purses().refund(c.id, 101, "k-3"); });
  conflict([&] { top_up(ana, 100, "k-3"); });
  BOOST_TEST(rows("purse_entries") == entries + 1);
  BOOST_TEST(balance(ana) == 800);
}

BOOST_AUTO_TEST_CASE(credit_lets_the_balance_go_down_to_minus_the_limit) {
  const PurseAccount a = purses().set_credit_limit(ana.number, "GBP", 500);
  BOOST_TEST((a == PurseAccount{ana.id, "GBP", 0, 500, 0, 500}));
  top_up(ana, 100, "t-1");
  BOOST_TEST(purses().account(ana.number, "GBP").available == 600);
  BOOST_TEST(charge(ana, 599, "c-1").balance_after == -499);
  expect_error([&] { charge(ana, 2, "c-2"); }, Errc::failed_precondition, "amount", "only 1 GBP");
  BOOST_TEST(charge(ana, 1, "c-3").balance_after == -500);  // exactly down to the limit
  expect_error([&] { charge(ana, 1, "c-4"); }, Errc::failed_precondition, "amount", "only 0 GBP");
  BOOST_TEST((purses().account(ana.number, "GBP") == PurseAccount{ana.id, "GBP", -500, 500, 0, 0}));

  // The limit cannot go below the debt; down to it is fine.
  expect_error([&] { purses().set_credit_limit(ana.number, "GBP", 499); }, Errc::failed_precondition,
               "credit_limit", "-500");
  expect_error([&] { purses().set_credit_limit(ana.number, "GBP", 0); }, Errc::failed_precondition, "credit_limit");
  BOOST_TEST(purses().set_credit_limit(ana.number, "GBP", 500).credit_limit == 500);
  top_up(ana, 200, "t-2");
  BOOST_TEST(purses().set_credit_limit(ana.number, "GBP", 300).available == 0);
  expect_error([&] { charge(ana, 1, "c-5"); }, Errc::failed_precondition, "amount");
  BOOST_TEST(purses().set_credit_limit(ana.number, "GBP", 1000).available == 700);
  // Credit is per account.
  expect_error([&] { charge(ana, 1, "c-6", "EUR"); }, Errc::failed_precondition, "amount");
}

BOOST_AUTO_TEST_CASE(partial_refunds_never_exceed_the_charge) {
  top_up(ana, 10000, "t-1");
  const PurseEntry c = charge(ana, 1000, "c-1");
  const PurseEntry other = charge(ana, 50, "c-2");
  BOOST_TEST(purses().refund(c.id, 300, "r-1").balance_after == 9250);
  BOOST_TEST(purses().refund(c.id, 300, "r-2").balance_after == 9550);
  BOOST_TEST(purses().refund(other.id, 50, "r-3").balance_after == 9600);  // another charge is apart
  expect_error([&] { purses().refund(c.id, 401, "r-4"); }, Errc::failed_precondition, "amount", "only 400");
  BOOST_TEST(purses().refund(c.id, 399, "r-5").balance_after == 9999);
  BOOST_TEST(purses().refund(c.id, 1, "r-6").balance_after == 10000);
  expect_error([&] { purses().refund(c.id, 1, "r-7"); }, Errc::failed_precondition, "amount", "only 0");
  expect_error([&] { purses().refund(other.id, 1, "r-8"); }, Errc::failed_precondition, "amount");
  BOOST_TEST(purses().entry(c.id).refunded == 1000);
  BOOST_TEST(purses().entry(other.id).refunded == 50);
  // A refund is not a charge: it cannot be refunded.
  const PurseEntry r = purses().entries(ana.number, "GBP", {.limit = 1}).at(0);
  expect_error([&] { purses().refund(r.id, 1, "r-9"); }, Errc::not_found, "charge");
}

BOOST_AUTO_TEST_CASE(the_checkpoint_is_the_ledger_sum) {
  purses().set_credit_limit(ana.number, "GBP", 250);
  top_up(ana, 1000, "t-1");
  const PurseEntry c = charge(ana, 1200, "c-1");
  purses().refund(c.id, 150, "r-1");
  top_up(ana, 7, "t-2");
  top_up(ana, 99, "e-1", "EUR");
  charge(ana, 9, "e-2", "EUR");
  top_up(bob, 5, "b-1");
  for (const auto& [who, currency, expected] :
       {std::tuple{ana.id, "GBP", -43}, std::tuple{ana.id, "EUR", 90}, std::tuple{bob.id, "GBP", 5}}) {
    const auto [sum, checkpoint] = ledger_and_checkpoint(path, who, currency);
    BOOST_TEST(sum == expected);
    BOOST_TEST(checkpoint == expected);
  }
  BOOST_TEST(balance(ana) == -43);
}

BOOST_AUTO_TEST_CASE(the_schema_keeps_the_ledger_permanent_and_consistent) {
  top_up(ana, 1000, "t-1");
  const PurseEntry c = charge(ana, 400, "c-1");
  const std::string entry = std::to_string(c.id);
  // Entries, accounts and keys are never changed behind the ledger's back.
  BOOST_TEST(refused(path, "UPDATE purse_entries SET amount = 1 WHERE id = " + entry));
  BOOST_TEST(refused(path, "UPDATE purse_entries SET reference = 'x'"));
  BOOST_TEST(refused(path, "DELETE FROM purse_entries WHERE id = " + entry));
  BOOST_TEST(refused(path, "DELETE FROM purse_entries"));
  BOOST_TEST(refused(path, "UPDATE purse_accounts SET balance = 5000"));
  BOOST_TEST(refused(path, "DELETE FROM purse_accounts"));
  BOOST_TEST(refused(path, "UPDATE idempotency_keys SET entry = 1"));
  BOOST_TEST(refused(path, "DELETE FROM idempotency_keys"));
  // An entry must follow the balance, stay within credit, and refund a charge.
  const std::string insert =
      "INSERT INTO purse_entries (customer, currency, kind, amount, balance_after, refund_of, reference, "
      "idempotency_key, actor, at) SELECT seq, 'GBP', ";
  const std::string from = ", '', 'raw', '', 0 FROM customers WHERE number = '" + ana.number + "'";
  BOOST_TEST(refused(path, insert + "'top_up', 10, 5000, NULL" + from));  // wrong balance_after
  BOOST_TEST(refused(path, insert + "'charge', 601, -1, NULL" + from));   // below the credit limit
  BOOST_TEST(refused(path, insert + "'refund', 10, 610, " + std::to_string(c.id - 1) + from));  // of a top-up
  BOOST_TEST(refused(path, insert + "'refund', 401, 1001, " + entry + from));  // more than the charge
  BOOST_TEST(refused(path, insert + "'top_up', 0, 600, NULL" + from));   // no amount
  BOOST_TEST(refused(path, insert + "'top_up', 10, 610, " + entry + from));  // a top-up refunding
  BOOST_TEST(refused(path, "INSERT INTO purse_accounts (customer, currency, balance) SELECT seq, 'EUR', 10 "
                           "FROM customers"));
  BOOST_TEST(refused(path, "UPDATE purse_accounts SET credit_limit = -1"));
  BOOST_TEST(refused(path, "INSERT INTO idempotency_keys VALUES ('purse', 'c-1', '{}', 1)"));
  // What follows the rules goes in, and moves the checkpoint with it.
  BOOST_TEST(!refused(path, insert + "'top_up', 10, 610, NULL" + from));
  BOOST_TEST(balance(ana) == 610);
  const auto [sum, checkpoint] = ledger_and_checkpoint(path, ana.id, "GBP");
  BOOST_TEST(sum == 610);
  BOOST_TEST(checkpoint == 610);
  BOOST_TEST(rows("purse_entries") == 3);
}

BOOST_AUTO_TEST_CASE(every_write_is_on_the_timeline) {
  using Json = nlohmann::json;
  ActorScope scope("till-7");
  purses().set_credit_limit(ana.number, "GBP", 300);
  purses().set_credit_limit(ana.number, "GBP", 300);  // no change, no event
  const PurseEntry t = purses().top_up({ana.number, "GBP", 1000, "t-1", "card 4242"});
  clock.advance(1s);
  const PurseEntry c = charge(ana, 250, "c-1");
  clock.advance(1s);
  const PurseEntry r = purses().refund(c.id, 50, "r-1");
  purses().top_up({ana.number, "GBP", 1000, "t-1", "card 4242"});  // a replay records nothing
  const auto page = db.activity().timeline(ana.number, {.categories = {EventCategory::payments}});
  BOOST_REQUIRE(page.events.size() == 4u);
  const auto& refunded = page.events[0];
  BOOST_TEST(refunded.action == "purse.refunded");
  BOOST_TEST(refunded.summary == "Purse refunded");
  BOOST_TEST((refunded.type == EventType::payment));
  BOOST_TEST(refunded.actor == "till-7");
  BOOST_TEST(refunded.at == r.at);
  const Json rd = Json::parse(refunded.details);
  BOOST_TEST(rd["entry"] == r.id);
  BOOST_TEST(rd["charge"] == c.id);
  BOOST_TEST(rd["amount"] == 50);
  BOOST_TEST(rd["balance_after"] == 800);
  BOOST_TEST(page.events[1].action == "purse.charged");
  BOOST_TEST(Json::parse(page.events[1].details)["entry"] == c.id);
  const auto& topped = page.events[2];
  BOOST_TEST(topped.action == "purse.topped_up");
  BOOST_TEST(topped.summary == "Purse topped up");
  const Json td = Json::parse(topped.details);
  BOOST_TEST(td["entry"] == t.id);
  BOOST_TEST(td["amount"] == 1000);
  BOOST_TEST(td["currency"] == "GBP");
  BOOST_TEST(td["balance_after"] == 1000);
  BOOST_TEST(td["reference"] == "card 4242");
  const auto& limit = page.events[3];
  BOOST_TEST(limit.action == "purse.credit_limit_changed");
  BOOST_TEST(limit.summary == "Purse credit limit changed");
  BOOST_TEST(Json::parse(limit.details)["credit_limit"] == 300);
  for (const auto& e : page.events) BOOST_TEST((e.category == EventCategory::payments));
  BOOST_TEST(db.activity().timeline(bob.number).events.size() == 1u);  // created only
}

BOOST_AUTO_TEST_SUITE_END()

// Threads and processes writing one account at once. Each worker tops up
// and charges with keys of its own, and retries some writes with the same
// key; the assertions only count, so they hold whatever the interleaving.
namespace {

constexpr int kProcesses = 3;
constexpr int kThreads = 3;
constexpr int kRounds = 40;
constexpr std::int64_t kCreditLimit = 300;

// One worker's writes; "key entry-id" per written entry, "key refused" per
// charge refused for want of funds. Returns false on anything unexpected.
bool run_worker(Database& db, const std::string& who, const std::string& name, std::ostream& out) {
  try {
    for (int i = 0; i < kRounds; ++i) {
      const std::string key = name + "-" + std::to_string(i);
      PurseRequest request{who, "GBP", 0, key, ""};
      PurseEntry e;
      if (i % 3 == 0) {
        request.amount = 40;
        e = db.purses().top_up(request);
      } else {
        request.amount = 25 + i % 4;
        try {
          e = db.purses().charge(request);
        } catch (const Error& err) {
          if (err.code() != Errc::failed_precondition || err.field() != "amount") throw;
          out << key << " refused\n";
          continue;
        }
      }
      if (e.balance_after < -kCreditLimit) return false;
      // A till that lost the answer retries: the same entry comes back.
      if (i % 5 == 0) {
        const PurseEntry again = i % 3 == 0 ? db.purses().top_up(request) : db.purses().charge(request);
        if (again.id != e.id || again.amount != e.amount || again.idempotency_key != key) return false;
      }
      out << key << " " << e.id << "\n";
    }
    return true;
  } catch (const std::exception& e) {
    out << "error " << e.what() << "\n";
    return false;
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(threads_and_processes_share_one_account) {
  patron::testing::TempDir dir;
  const std::string path = dir.file("crm.db");
  std::string who;
  {
    Database db = Database::open(path);
    who = db.customers().create({.first_name = "Ana", .last_name = "Silva"}).id.str();
    db.purses().set_credit_limit(who, "GBP", kCreditLimit);
  }
  const patron::testing::WorkerReports reports = patron::testing::run_workers(
      dir, path, kProcesses, kThreads,
      [&](Database& db, const std::string& name, std::ostream& out) { return run_worker(db, who, name, out); });
  const auto& written = reports.written;
  const auto& refused_keys = reports.refused;
  const std::size_t workers = kProcesses + kThreads;
  BOOST_TEST(written.size() + refused_keys.size() == workers * kRounds);

  // The ledger, read straight from the file: one entry per written key, none
  // for a refused one, never below the credit limit, and the checkpoint is
  // the sum of it.
  Database db = Database::open(path);
  SQLite::Database file(path, SQLite::OPEN_READONLY);
  SQLite::Statement st(file, "SELECT id, idempotency_key, kind, amount, balance_after FROM purse_entries ORDER BY id");
  std::int64_t sum = 0;
  std::size_t count = 0;
  std::int64_t lowest = 0;
  while (st.executeStep()) {
    ++count;
    const std::string k = st.getColumn(1).getString();
    const auto it = written.find(k);
    BOOST_TEST((it != written.end() && it->second == st.getColumn(0).getInt64()), k);
    const std::int64_t amount = st.getColumn(3).getInt64();
    sum += st.getColumn(2).getString() == "charge" ? -amount : amount;
    BOOST_TEST(st.getColumn(4).getInt64() == sum);  // each entry follows the one before
    lowest = std::min(lowest, sum);
  }
  BOOST_TEST(count == written.size());
  BOOST_TEST(lowest >= -kCreditLimit);
  BOOST_TEST(file.execAndGet("SELECT count(*) FROM idempotency_keys").getInt64() == static_cast<std::int64_t>(count));
  BOOST_TEST(file.execAndGet("SELECT balance FROM purse_accounts").getInt64() == sum);
  BOOST_TEST(db.purses().account(who, "GBP").balance == sum);
  for (const auto& k : refused_keys) BOOST_TEST(written.count(k) == 0u, k);
  // Each worker asks for 689 in charges and tops up 560: with 300 of credit,
  // whatever the order, some charges must have been refused.
  BOOST_TEST(!refused_keys.empty());
  // Top-ups never fail: every worker wrote all of its own.
  const auto top_ups = file.execAndGet("SELECT count(*) FROM purse_entries WHERE kind = 'top_up'").getInt64();
  BOOST_TEST(top_ups == static_cast<std::int64_t>(workers * ((kRounds + 2) / 3)));
}
