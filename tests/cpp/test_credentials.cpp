// Credentials: issuing every kind, the value rules (trimmed, exact, E.164
// for phones, unique while active per kind), wallet data, status moves,
// replacement (atomic, linked, final), validity windows and every refused
// input with its error code and field.
#include <boost/test/unit_test.hpp>
#include <chrono>

#include "fixture.hpp"
#include "row_count.hpp"

using namespace patron;
using namespace std::chrono_literals;
using patron::testing::count_rows;
using patron::testing::DbFixture;
using patron::testing::expect_error;

namespace patron {
inline std::ostream& operator<<(std::ostream& os, CredentialStatus v) { return os << to_string(v); }
inline std::ostream& operator<<(std::ostream& os, CredentialKind v) { return os << to_string(v); }
inline std::ostream& operator<<(std::ostream& os, CredentialVerdict v) { return os << to_string(v); }
inline std::ostream& operator<<(std::ostream& os, WalletProvider v) { return os << to_string(v); }
inline std::ostream& operator<<(std::ostream& os, PassType v) { return os << to_string(v); }
}  // namespace patron

namespace {

struct CredFixture : DbFixture {
  Customer ana = customers().create({.first_name = "Ana", .last_name = "Silva", .email = "ana@example.com"});
  Customer bob = customers().create({.first_name = "Bob", .last_name = "Jones", .email = "bob@example.com"});
  Credentials& credentials() { return db.credentials(); }
  Credential card(const Customer& who, std::string value, CredentialKind kind = CredentialKind::magnetic_card) {
    return credentials().issue({.kind = kind, .value = std::move(value), .customer_ref = who.number});
  }
};

WalletPass apple_pass(std::string serial = "PASS-1") {
  return WalletPass{WalletProvider::apple, std::move(serial), PassType::membership};
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(credentials, CredFixture)

BOOST_AUTO_TEST_CASE(names_round_trip) {
  for (auto k : {CredentialKind::magnetic_card, CredentialKind::smart_card, CredentialKind::key_fob,
                 CredentialKind::barcode, CredentialKind::qr_code, CredentialKind::wallet_pass,
                 CredentialKind::phone}) {
    BOOST_TEST(parse_credential_kind(to_string(k)) == k);
  }
  BOOST_TEST(to_string(CredentialKind::qr_code) == "qr_code");
  BOOST_TEST(to_string(CredentialVerdict::not_yet_valid) == "not_yet_valid");
  BOOST_TEST(to_string(CredentialStatus::lost) == "lost");
  BOOST_TEST(parse_credential_status("replaced") == CredentialStatus::replaced);
  BOOST_TEST(to_string(parse_wallet_provider("google")) == "google");
  BOOST_TEST(to_string(parse_pass_type("access")) == "access");
  BOOST_TEST(to_string(MatchKind::credential) == "credential");
  expect_error([] { parse_credential_kind("card"); }, Errc::invalid_argument, "kind", "magnetic_card");
  expect_error([] { parse_credential_status("gone"); }, Errc::invalid_argument, "status");
  expect_error([] { parse_wallet_provider("samsung"); }, Errc::invalid_argument, "wallet.provider");
  expect_error([] { parse_pass_type("x"); }, Errc::invalid_argument, "wallet.pass_type");
  expect_error([] { parse_credential_kind("QR_CODE", "credentials[0].kind"); }, Errc::invalid_argument,
               "credentials[0].kind");
}

BOOST_AUTO_TEST_CASE(issue_reads_back_and_lists_newest_first) {
  const auto c = credentials().issue({.kind = CredentialKind::barcode,
                                      .value = "  AbC-123  ",
                                      .customer_ref = ana.id.str(),
                                      .label = " Member card ",
                                      .valid_from = clock.now() - 1h,
                                      .valid_until = clock.now() + 24h});
  BOOST_TEST(c.id > 0);
  BOOST_TEST(c.value == "AbC-123");  // trimmed, case kept
  BOOST_TEST(c.customer == ana.id);
  BOOST_TEST(c.status == CredentialStatus::active);
  BOOST_TEST(c.label == "Member card");
  BOOST_TEST(!c.wallet.has_value());
  BOOST_TEST(c.created_at == clock.now());
  BOOST_TEST((credentials().get(c.id) == c));
  clock.advance(1s);
  const auto fob = card(ana, "FOB-9", CredentialKind::key_fob);
  const auto mine = credentials().of_customer(ana.number);
  BOOST_TEST_REQUIRE(mine.size() == 2u);
  BOOST_TEST(mine[0].id == fob.id);
  BOOST_TEST(mine[1].id == c.id);
  BOOST_TEST(credentials().of_customer(bob.number).empty());
  // Exact, case-sensitive matching.
  BOOST_TEST(credentials().find(CredentialKind::barcode, "AbC-123").size() == 1u);
  BOOST_TEST(credentials().find(CredentialKind::barcode, " AbC-123").size() == 1u);
  BOOST_TEST(credentials().find(CredentialKind::barcode, "abc-123").empty());
  BOOST_TEST(credentials().find(CredentialKind::qr_code, "AbC-123").empty());
  // A different case is a different value.
  BOOST_TEST(card(bob, "abc-123", CredentialKind::barcode).value == "abc-123");
}

BOOST_AUTO_TEST_CASE(phone_credentials_are_stored_in_e164) {
  const auto c = card(ana, "07911 123456", CredentialKind::phone);
  BOOST_TEST(c.value == "+447911123456");
  BOOST_TEST(credentials().find(CredentialKind::phone, "+44 7911 123456").size() == 1u);
  BOOST_TEST(credentials().find(CredentialKind::phone, "020 7946 0018").empty());
  expect_error([&] { card(bob, "+447911123456", CredentialKind::phone); }, Errc::already_exists, "value");
  expect_error([&] { card(bob, "07700 900123", CredentialKind::phone); }, Errc::invalid_argument, "value",
               "phone");
  expect_error([&] { card(bob, "12", CredentialKind::phone); }, Errc::invalid_argument, "value");
  expect_error([&] { credentials().find(CredentialKind::phone, "not a phone"); }, Errc::invalid_argument, "value");
  // The same digits as a barcode are an ordinary, exact value.
  BOOST_TEST(card(bob, "07911 123456", CredentialKind::barcode).value == "07911 123456");
}

BOOST_AUTO_TEST_CASE(wallet_passes_carry_their_wallet_data) {
  const auto w = credentials().issue({.kind = CredentialKind::wallet_pass,
                                      .value = "QR:9f1c",
                                      .customer_ref = ana.number,
                                      .wallet = WalletPass{WalletProvider::google, " SER-42 ", PassType::loyalty}});
  BOOST_TEST_REQUIRE(w.wallet.has_value());
  BOOST_TEST(w.wallet->provider == WalletProvider::google);
  BOOST_TEST(w.wallet->serial == "SER-42");
  BOOST_TEST(w.wallet->pass_type == PassType::loyalty);
  BOOST_TEST((credentials().get(w.id) == w));
}

BOOST_AUTO_TEST_CASE(every_bad_input_names_its_field) {
  auto issue = [&](NewCredential n) { return credentials().issue(n); };
  const std::string ref = ana.number;
  expect_error([&] { issue({.kind = static_cast<CredentialKind>(99), .value = "1", .customer_ref = ref}); },
               Errc::invalid_argument, "kind");
  expect_error([&] { issue({.value = "", .customer_ref = ref}); }, Errc::invalid_argument, "value");
  expect_error([&] { issue({.value = "   ", .customer_ref = ref}); }, Errc::invalid_argument, "value");
  expect_error([&] { issue({.value = "a\tb", .customer_ref = ref}); }, Errc::invalid_argument, "value");
  expect_error([&] { issue({.value = "\xff\xfe", .customer_ref = ref}); }, Errc::invalid_argument, "value");
  expect_error([&] { issue({.value = std::string(257, 'x'), .customer_ref = ref}); }, Errc::invalid_argument,
               "value");
  // 256 bytes is the limit in bytes, not characters: 129 two-byte letters are refused.
  std::string wide;
  for (int i = 0; i < 129; ++i) wide += "é";
  expect_error([&] { issue({.value = wide, .customer_ref = ref}); }, Errc::invalid_argument, "value");
  BOOST_TEST(issue({.value = std::string(256, 'x'), .customer_ref = ref}).value.size() == 256u);
  expect_error([&] { issue({.value = "L1", .customer_ref = ref, .label = std::string(201, 'l')}); },
               Errc::invalid_argument, "label");
  BOOST_TEST(issue({.value = "L2", .customer_ref = ref, .label = std::string(200, 'l')}).label.size() == 200u);
  expect_error(
      [&] {
        issue({.value = "W1", .customer_ref = ref, .valid_from = clock.now(), .valid_until = clock.now()});
      },
      Errc::invalid_argument, "valid_until");
  expect_error([&] { issue({.kind = CredentialKind::barcode, .value = "W2", .customer_ref = ref, .wallet = apple_pass()}); },
               Errc::invalid_argument, "wallet");
  expect_error([&] { issue({.kind = CredentialKind::wallet_pass, .value = "W3", .customer_ref = ref}); },
               Errc::invalid_argument, "wallet");
  expect_error(
      [&] {
        issue({.kind = CredentialKind::wallet_pass, .value = "W4", .customer_ref = ref, .wallet = apple_pass(" ")});
      },
      Errc::invalid_argument, "wallet.serial");
  expect_error(
      [&] {
        issue({.kind = CredentialKind::wallet_pass,
               .value = "W5",
               .customer_ref = ref,
               .wallet = apple_pass(std::string(201, 's'))});
      },
      Errc::invalid_argument, "wallet.serial");
  expect_error(
      [&] {
        issue({.kind = CredentialKind::wallet_pass,
               .value = "W6",
               .customer_ref = ref,
               .wallet = WalletPass{static_cast<WalletProvider>(7), "S", PassType::access}});
      },
      Errc::invalid_argument, "wallet.provider");
  expect_error(
      [&] {
        issue({.kind = CredentialKind::wallet_pass,
               .value = "W7",
               .customer_ref = ref,
               .wallet = WalletPass{WalletProvider::apple, "S", static_cast<PassType>(7)}});
      },
      Errc::invalid_argument, "wallet.pass_type");
  expect_error([&] { issue({.value = "R1", .customer_ref = "a b"}); }, Errc::invalid_argument, "ref");
  expect_error([&] { issue({.value = "R2", .customer_ref = "99999"}); }, Errc::not_found, "ref");
  expect_error([&] { credentials().of_customer("99999"); }, Errc::not_found, "ref");
  expect_error([&] { credentials().get(12345); }, Errc::not_found, "id");
  expect_error([&] { credentials().set_status(12345, CredentialStatus::lost); }, Errc::not_found, "id");
  expect_error([&] { credentials().replace(12345, {.value = "N"}); }, Errc::not_found, "id");
  expect_error([&] { credentials().set_validity(12345, std::nullopt, std::nullopt); }, Errc::not_found, "id");
  expect_error([&] { credentials().set_label(12345, "x"); }, Errc::not_found, "id");
  const auto c = card(ana, "C1");
  expect_error([&] { credentials().set_status(c.id, CredentialStatus::replaced); }, Errc::invalid_argument,
               "status");
  expect_error([&] { credentials().set_status(c.id, static_cast<CredentialStatus>(9)); }, Errc::invalid_argument,
               "status");
  expect_error([&] { credentials().set_validity(c.id, clock.now() + 1h, clock.now()); }, Errc::invalid_argument,
               "valid_until");
  expect_error([&] { credentials().set_label(c.id, std::string(201, 'x')); }, Errc::invalid_argument, "label");
  expect_error([&] { credentials().replace(c.id, {.value = ""}); }, Errc::invalid_argument, "value");
  expect_error([&] { credentials().replace(c.id, {.value = "N", .label = std::string(201, 'x')}); },
               Errc::invalid_argument, "label");
  expect_error([&] { credentials().replace(c.id, {.value = "N", .wallet = apple_pass()}); },
               Errc::invalid_argument, "wallet");
  expect_error([&] { credentials().replace(c.id, {.value = "N", .valid_until = clock.now()}); },
               Errc::invalid_argument, "valid_until");
  expect_error([&] { credentials().find(static_cast<CredentialKind>(42), "x"); }, Errc::invalid_argument, "kind");
  // None of the refused calls left anything behind or changed C1.
  BOOST_TEST((credentials().get(c.id) == c));
  BOOST_TEST(count_rows(path, "credentials") == 3);
}

BOOST_AUTO_TEST_CASE(an_active_value_is_unique_per_kind_and_free_once_inactive) {
  const auto a = card(ana, "4000123412341234");
  expect_error([&] { card(bob, "4000123412341234"); }, Errc::already_exists, "value", "4000123412341234");
  expect_error([&] { card(ana, " 4000123412341234 "); }, Errc::already_exists, "value");
  // Another kind may hold the same value.
  const auto fob = card(bob, "4000123412341234", CredentialKind::key_fob);
  BOOST_TEST(fob.customer == bob.id);
  // Once lost, the value may be issued again; finding the old card lost does
  // not reactivate it while the value is taken.
  credentials().set_status(a.id, CredentialStatus::lost);
  const auto b = card(bob, "4000123412341234");
  expect_error([&] { credentials().set_status(a.id, CredentialStatus::active); }, Errc::already_exists, "value");
  BOOST_TEST(credentials().get(a.id).status == CredentialStatus::lost);
  const auto both = credentials().find(CredentialKind::magnetic_card, "4000123412341234");
  BOOST_TEST_REQUIRE(both.size() == 2u);
  BOOST_TEST(both[0].id == b.id);  // newest first
  BOOST_TEST(both[1].id == a.id);
}

BOOST_AUTO_TEST_CASE(status_moves_freely_until_replaced) {
  const auto c = card(ana, "CARD-1");
  clock.advance(1min);
  auto blocked = credentials().set_status(c.id, CredentialStatus::blocked);
  BOOST_TEST(blocked.status == CredentialStatus::blocked);
  BOOST_TEST(blocked.updated_at == clock.now());
  clock.advance(1min);
  // Setting the current status changes nothing.
  BOOST_TEST((credentials().set_status(c.id, CredentialStatus::blocked) == blocked));
  BOOST_TEST(credentials().set_status(c.id, CredentialStatus::lost).status == CredentialStatus::lost);
  BOOST_TEST(credentials().set_status(c.id, CredentialStatus::active).status == CredentialStatus::active);
  BOOST_TEST(credentials().set_label(c.id, " Spare ").label == "Spare");
  const auto windowed = credentials().set_validity(c.id, clock.now(), clock.now() + 1h);
  BOOST_TEST((windowed.valid_from == clock.now()));
  BOOST_TEST(!credentials().set_validity(c.id, std::nullopt, std::nullopt).valid_until.has_value());
}

BOOST_AUTO_TEST_CASE(replace_issues_a_linked_successor_atomically) {
  const auto old = credentials().issue({.kind = CredentialKind::wallet_pass,
                                        .value = "PASS-OLD",
                                        .customer_ref = ana.number,
                                        .label = "Gym pass",
                                        .valid_from = clock.now() + 1h,
                                        .valid_until = clock.now() + 48h,
                                        .wallet = apple_pass("S-1")});
  clock.advance(1min);
  const auto next = credentials().replace(old.id, {.value = "PASS-NEW"});
  BOOST_TEST(next.kind == CredentialKind::wallet_pass);
  BOOST_TEST(next.customer == ana.id);
  BOOST_TEST(next.value == "PASS-NEW");
  BOOST_TEST(next.status == CredentialStatus::active);
  BOOST_TEST(next.label == "Gym pass");
  BOOST_TEST((next.valid_until == old.valid_until));
  BOOST_TEST((next.valid_from == old.valid_from));  // later than now: kept
  BOOST_TEST((next.wallet == old.wallet));
  BOOST_TEST((next.replaces == std::optional<std::int64_t>(old.id)));
  const auto was = credentials().get(old.id);
  BOOST_TEST(was.status == CredentialStatus::replaced);
  BOOST_TEST((was.replaced_by == std::optional<std::int64_t>(next.id)));
  BOOST_TEST(was.updated_at == clock.now());

  // Replaced is final.
  expect_error([&] { credentials().set_status(old.id, CredentialStatus::active); }, Errc::failed_precondition,
               "status");
  expect_error([&] { credentials().replace(old.id, {.value = "X"}); }, Errc::failed_precondition, "status");
  expect_error([&] { credentials().set_validity(old.id, std::nullopt, std::nullopt); }, Errc::failed_precondition,
               "status");
  expect_error([&] { credentials().set_label(old.id, "x"); }, Errc::failed_precondition, "status");

  // Given fields win; the successor is valid from now when the old start has passed.
  clock.advance(2h);
  const auto third = credentials().replace(
      next.id, {.value = "PASS-NEW", .label = "Gym pass (2)", .valid_until = clock.now() + 720h,
                .wallet = WalletPass{WalletProvider::google, "S-2", PassType::access}});
  BOOST_TEST(third.value == "PASS-NEW");  // the old value may be kept: the old one is no longer active
  BOOST_TEST(third.label == "Gym pass (2)");
  BOOST_TEST((third.valid_from == clock.now()));
  BOOST_TEST((third.valid_until == clock.now() + 720h));
  BOOST_TEST(third.wallet->serial == "S-2");
}

BOOST_AUTO_TEST_CASE(a_refused_replace_leaves_the_old_credential_untouched) {
  const auto mine = card(ana, "1111222233334444");
  card(bob, "5555666677778888");
  clock.advance(1min);
  expect_error([&] { credentials().replace(mine.id, {.value = "5555666677778888"}); }, Errc::already_exists,
               "value");
  expect_error([&] { credentials().replace(mine.id, {.value = "bad\x01value"}); }, Errc::invalid_argument, "value");
  BOOST_TEST((credentials().get(mine.id) == mine));
  BOOST_TEST(count_rows(path, "credentials") == 2);
  BOOST_TEST(db.identify_ids("1111222233334444") == std::vector<CustomerId>{ana.id});
  // A lost card may be replaced.
  credentials().set_status(mine.id, CredentialStatus::lost);
  const auto next = credentials().replace(mine.id, {.value = "9999000011112222"});
  BOOST_TEST((credentials().get(mine.id).replaced_by == std::optional<std::int64_t>(next.id)));
}

BOOST_AUTO_TEST_CASE(usable_at_is_active_inside_the_window) {
  Credential c;
  const Timestamp t = clock.now();
  c.valid_from = t;
  c.valid_until = t + 1h;
  BOOST_TEST(!c.usable_at(t - 1us));
  BOOST_TEST(c.usable_at(t));  // start inclusive
  BOOST_TEST(c.usable_at(t + 1h - 1us));
  BOOST_TEST(!c.usable_at(t + 1h));  // end exclusive
  c.status = CredentialStatus::blocked;
  BOOST_TEST(!c.usable_at(t));
  Credential open;
  BOOST_TEST(open.usable_at(t));
}

BOOST_AUTO_TEST_SUITE_END()
