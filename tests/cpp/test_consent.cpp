// Consent: the log and the state that follows from it, opt-in and opt-out
// purposes, double opt-in and its tokens, the suppression list, host
// purposes, reachable pages, contact preferences, merges, the refusals and
// what they leave behind, and the log's permanence in the file itself.
#include <boost/test/unit_test.hpp>
#include <SQLiteCpp/SQLiteCpp.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <algorithm>
#include <set>

#include "fixture.hpp"
#include "row_count.hpp"

using namespace patron;
using namespace std::chrono_literals;
using patron::testing::count_rows;
using patron::testing::DbFixture;
using patron::testing::expect_error;
using Json = nlohmann::json;

namespace {

struct ConsentFixture : DbFixture {
  Customer ana = customers().create({.first_name = "Ana", .last_name = "Silva", .email = "ana@example.com",
                                     .phone = "07911 123456"});
  Customer bob = customers().create({.first_name = "Bob", .last_name = "Jones", .email = "bob@example.com"});
  Consent& consent() { return db.consent(); }
  static ConsentGrant form(std::string source = "web_form") {
    return {.legal_basis = LegalBasis::consent, .source = std::move(source), .text_version = "privacy-2026-11"};
  }
  std::vector<int> rows() {
    return {count_rows(path, "consent_log"), count_rows(path, "consent_current"), count_rows(path, "events"),
            count_rows(path, "consent_suppressions")};
  }
  // The newest event on the customer's timeline.
  Event last_event(const Customer& c) { return db.activity().timeline(c.number, {}, {}, 1).events.at(0); }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(consent, ConsentFixture)

BOOST_AUTO_TEST_CASE(a_grant_is_logged_and_makes_an_opt_in_purpose_reachable) {
  BOOST_TEST(!consent().can_contact(ana.number, Channel::email, "marketing"));
  const ActorScope staff("front-desk:maria");
  clock.advance(1min);
  const ConsentEntry e = consent().grant(ana.number, Channel::email, "marketing",
                                         {.legal_basis = LegalBasis::consent,
                                          .source = "till",
                                          .text_version = "v3",
                                          .evidence = "paper form 0042"});
  BOOST_TEST(e.id > 0);
  BOOST_TEST(e.customer == ana.id);
  BOOST_TEST(to_string(e.channel) == "email");
  BOOST_TEST(e.purpose == "marketing");
  BOOST_TEST(to_string(e.status) == "granted");
  BOOST_TEST(to_string(e.legal_basis.value()) == "consent");
  BOOST_TEST(e.source == "till");
  BOOST_TEST(e.text_version == "v3");
  BOOST_TEST(e.evidence == "paper form 0042");
  BOOST_TEST(e.recorded_by == "front-desk:maria");
  BOOST_TEST(e.at == clock.now());
  BOOST_TEST(e.token.empty());

  BOOST_TEST(consent().can_contact(ana.number, Channel::email, "marketing"));
  BOOST_TEST(consent().can_contact(ana.id.str(), Channel::email, "marketing"));
  BOOST_TEST(!consent().can_contact(ana.number, Channel::sms, "marketing"));
  BOOST_TEST(!consent().can_contact(bob.number, Channel::email, "marketing"));
  BOOST_TEST((consent().history(ana.number) == std::vector<ConsentEntry>{e}));

  const auto states = consent().state(ana.number);
  BOOST_TEST_REQUIRE(states.size() == 1U);
  BOOST_TEST(states[0].can_contact);
  BOOST_TEST(states[0].entry == e.id);
  BOOST_TEST(states[0].since == e.at);

  const Event ev = last_event(ana);
  BOOST_TEST(ev.action == "consent.granted");
  BOOST_TEST(to_string(ev.type) == "compliance");
  BOOST_TEST(ev.actor == "front-desk:maria");
  const Json d = Json::parse(ev.details);
  BOOST_TEST(d.at("entry").get<std::int64_t>() == e.id);
  BOOST_TEST(d.at("legal_basis") == "consent");
  BOOST_TEST(d.at("evidence") == "paper form 0042");

  // A withdrawal: the state follows the latest entry; the log keeps both.
  clock.advance(1min);
  const ConsentEntry w = consent().withdraw(ana.number, Channel::email, "marketing", {.source = "email_link"});
  BOOST_TEST(to_string(w.status) == "withdrawn");
  BOOST_TEST(!w.legal_basis.has_value());
  BOOST_TEST(!consent().can_contact(ana.number, Channel::email, "marketing"));
  BOOST_TEST((consent().history(ana.number) == std::vector<ConsentEntry>{w, e}));
  BOOST_TEST((consent().history(ana.number, {.limit = 1, .offset = 1}) == std::vector<ConsentEntry>{e}));
  BOOST_TEST(last_event(ana).action == "consent.withdrawn");
}

BOOST_AUTO_TEST_CASE(service_messages_are_opt_out) {
  BOOST_TEST(consent().can_contact(ana.number, Channel::email, "service"));
  BOOST_TEST(!consent().can_contact(ana.number, Channel::email, "profiling"));
  BOOST_TEST(!consent().can_contact(ana.number, Channel::email, "third_party"));
  consent().withdraw(ana.number, Channel::sms, "service", {.source = "sms_stop"});
  BOOST_TEST(!consent().can_contact(ana.number, Channel::sms, "service"));
  BOOST_TEST(consent().can_contact(ana.number, Channel::email, "service"));
  // A grant under the contract makes it reachable again.
  consent().grant(ana.number, Channel::sms, "service",
                  {.legal_basis = LegalBasis::contract, .source = "till", .reaffirmed = true});
  BOOST_TEST(consent().can_contact(ana.number, Channel::sms, "service"));
}

BOOST_AUTO_TEST_CASE(bad_input_is_refused_and_writes_nothing) {
  const auto before = rows();
  expect_error([&] { parse_channel("fax"); }, Errc::invalid_argument, "channel",
               "must be one of email, sms, phone, post, push, in_app, whatsapp");
  expect_error([&] { consent().grant(ana.number, Channel::email, "newsletter", form()); }, Errc::not_found,
               "purpose", "no purpose 'newsletter'");
  expect_error([&] { consent().grant(ana.number, Channel::email, "Marketing!", form()); }, Errc::invalid_argument,
               "purpose");
  expect_error([&] { consent().grant(ana.number, Channel::email, "marketing", {.source = "till"}); },
               Errc::invalid_argument, "legal_basis", "legal basis");
  expect_error(
      [&] { consent().grant(ana.number, Channel::email, "marketing", {.legal_basis = LegalBasis::consent}); },
      Errc::invalid_argument, "source");
  expect_error(
      [&] {
        consent().grant(ana.number, Channel::email, "marketing",
                        {.legal_basis = LegalBasis::consent, .source = "till", .text_version = std::string(65, 'v')});
      },
      Errc::invalid_argument, "text_version");
  expect_error(
      [&] {
        consent().grant(ana.number, Channel::email, "marketing",
                        {.legal_basis = LegalBasis::consent, .source = "till", .evidence = std::string(501, 'e')});
      },
      Errc::invalid_argument, "evidence");
  expect_error(
      [&] {
        consent().grant(ana.number, Channel::email, "marketing",
                        {.legal_basis = LegalBasis::consent, .source = "web", .double_opt_in = true,
                         .valid_for = 30s});
      },
      Errc::invalid_argument, "valid_for");
  expect_error([&] { consent().grant("CUST-NOPE1", Channel::email, "marketing", form()); }, Errc::not_found, "ref");
  expect_error([&] { consent().withdraw(ana.number, Channel::email, "marketing", {}); }, Errc::invalid_argument,
               "source");
  expect_error([&] { consent().can_contact(ana.number, Channel::email, "nope"); }, Errc::not_found, "purpose");
  expect_error([&] { consent().can_contact("no such!", Channel::email, "marketing"); }, Errc::invalid_argument,
               "ref");
  expect_error([&] { consent().can_contact("0123456789abcdef0123456789abcdef", Channel::email, "marketing"); },
               Errc::not_found, "ref");
  BOOST_TEST(rows() == before);
}

BOOST_AUTO_TEST_CASE(double_opt_in_grants_only_on_confirmation) {
  const Timestamp asked = clock.now();
  const ConsentEntry req = consent().grant(
      ana.number, Channel::email, "marketing",
      {.legal_basis = LegalBasis::consent, .source = "web_form", .text_version = "v3", .double_opt_in = true});
  BOOST_TEST(to_string(req.status) == "pending");
  BOOST_TEST(req.token.size() == 64U);
  BOOST_TEST(req.expires_at.value() == asked + std::chrono::hours(24 * 7));
  BOOST_TEST(!consent().can_contact(ana.number, Channel::email, "marketing"));
  BOOST_TEST(last_event(ana).action == "consent.requested");
  // The token is never stored or read back.
  BOOST_TEST(consent().history(ana.number).at(0).token.empty());
  BOOST_TEST(Json::parse(last_event(ana).details).count("token") == 0U);

  clock.advance(2h);
  const ConsentEntry ok = consent().confirm(req.token);
  BOOST_TEST(to_string(ok.status) == "granted");
  BOOST_TEST(ok.confirms.value() == req.id);
  BOOST_TEST(ok.at == asked + 2h);  // the confirmation time
  BOOST_TEST(ok.text_version == "v3");
  BOOST_TEST(consent().can_contact(ana.number, Channel::email, "marketing"));
  BOOST_TEST(last_event(ana).action == "consent.confirmed");

  const auto before = rows();
  expect_error([&] { consent().confirm(req.token); }, Errc::failed_precondition, "token", "already confirmed");
  expect_error([&] { consent().confirm(std::string(64, 'a')); }, Errc::not_found, "token");
  expect_error([&] { consent().confirm("not-a-token"); }, Errc::invalid_argument, "token");
  BOOST_TEST(rows() == before);

  // A later request never hides the grant that stands.
  consent().grant(ana.number, Channel::email, "marketing",
                  {.legal_basis = LegalBasis::consent, .source = "web_form", .double_opt_in = true});
  BOOST_TEST(consent().can_contact(ana.number, Channel::email, "marketing"));
  BOOST_TEST(to_string(consent().state(ana.number).at(0).status) == "granted");
}

BOOST_AUTO_TEST_CASE(a_token_expires_and_a_withdrawal_cancels_it) {
  const ConsentEntry late = consent().grant(ana.number, Channel::sms, "marketing",
                                            {.legal_basis = LegalBasis::consent, .source = "web_form",
                                             .double_opt_in = true, .valid_for = 1h});
  const ConsentEntry cancelled = consent().grant(bob.number, Channel::email, "marketing",
                                                 {.legal_basis = LegalBasis::consent, .source = "web_form",
                                                  .double_opt_in = true});
  consent().withdraw(bob.number, Channel::email, "marketing", {.source = "phone_call"});
  clock.advance(1h);
  expect_error([&] { consent().confirm(late.token); }, Errc::failed_precondition, "token", "expired");
  expect_error([&] { consent().confirm(cancelled.token); }, Errc::failed_precondition, "token", "withdrew");
  BOOST_TEST(!consent().can_contact(ana.number, Channel::sms, "marketing"));
  BOOST_TEST(!consent().can_contact(bob.number, Channel::email, "marketing"));
}

BOOST_AUTO_TEST_CASE(a_withdrawn_address_is_suppressed_until_the_person_grants_anew) {
  consent().grant(ana.number, Channel::email, "marketing", form());
  consent().withdraw(ana.number, Channel::email, "marketing", {.source = "email_link"});
  BOOST_TEST(consent().is_suppressed(Channel::email, "ANA@example.com"));
  BOOST_TEST(!consent().is_suppressed(Channel::email, "ana@example.com", "profiling"));
  BOOST_TEST(!consent().is_suppressed(Channel::email, "bob@example.com"));

  // The address moves to a new customer record: still suppressed.
  customers().add_email(ana.number, "ana.silva@example.org", true);
  customers().remove_email(ana.number, "ana@example.com");
  const Customer again = customers().create({.first_name = "Ana", .last_name = "S", .email = "ana@example.com"});
  const auto before = rows();
  expect_error([&] { consent().grant(again.number, Channel::email, "marketing", form("import")); },
               Errc::failed_precondition, "channel", "only the person can grant it anew");
  BOOST_TEST(rows() == before);
  // Another purpose, or another channel, is not suppressed.
  consent().grant(again.number, Channel::email, "profiling", form());

  // Double opt-in reaches the person; their confirmation lifts it.
  const ConsentEntry req = consent().grant(again.number, Channel::email, "marketing",
                                           {.legal_basis = LegalBasis::consent, .source = "web_form",
                                            .double_opt_in = true});
  BOOST_TEST(consent().is_suppressed(Channel::email, "ana@example.com"));
  consent().confirm(req.token);
  BOOST_TEST(!consent().is_suppressed(Channel::email, "ana@example.com"));
  BOOST_TEST(consent().can_contact(again.number, Channel::email, "marketing"));

  // A phone number withdrawn from SMS; a grant given in person lifts it.
  consent().withdraw(ana.number, Channel::sms, "marketing", {.source = "sms_stop"});
  BOOST_TEST(consent().is_suppressed(Channel::sms, "+447911123456"));
  BOOST_TEST(consent().is_suppressed(Channel::sms, "07911 123456"));
  BOOST_TEST(!consent().is_suppressed(Channel::whatsapp, "+447911123456"));
  expect_error([&] { consent().grant(ana.number, Channel::sms, "marketing", form("till")); },
               Errc::failed_precondition, "channel");
  consent().grant(ana.number, Channel::sms, "marketing",
                  {.legal_basis = LegalBasis::consent, .source = "till", .reaffirmed = true});
  BOOST_TEST(!consent().is_suppressed(Channel::sms, "+447911123456"));

  // The list holds keyed hashes, never an address.
  SQLite::Database file(path);
  SQLite::Statement st(file, "SELECT hash FROM consent_suppressions");
  while (st.executeStep()) {
    const std::string h = st.getColumn(0).getString();
    BOOST_TEST(h.size() == 64U);
    BOOST_TEST(h.find('@') == std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(a_host_suppresses_its_own_list) {
  consent().suppress(Channel::email, "Bounced@Example.com");
  BOOST_TEST(consent().is_suppressed(Channel::email, "bounced@example.com"));
  const Customer c = customers().create({.first_name = "B", .last_name = "Ounce", .email = "bounced@example.com"});
  expect_error([&] { consent().grant(c.number, Channel::email, "marketing", form()); }, Errc::failed_precondition,
               "channel");
  expect_error([&] { consent().suppress(Channel::post, "1 High Street"); }, Errc::invalid_argument, "channel");
  expect_error([&] { consent().suppress(Channel::email, "not an email"); }, Errc::invalid_argument, "address");
  expect_error([&] { consent().is_suppressed(Channel::email, "x@example.com", "nope"); }, Errc::not_found,
               "purpose");
}

BOOST_AUTO_TEST_CASE(a_host_defines_its_own_purposes) {
  const ConsentPurpose p = consent().define_purpose("wine-club", "Invitations to wine club tastings");
  BOOST_TEST(p.name == "wine-club");
  BOOST_TEST(!p.opt_out);
  BOOST_TEST(!p.built_in);
  consent().define_purpose("room-ready", "Your room is ready", true);
  expect_error([&] { consent().define_purpose("wine-club", "again"); }, Errc::already_exists, "name");
  expect_error([&] { consent().define_purpose("marketing", "again"); }, Errc::already_exists, "name");
  expect_error([&] { consent().define_purpose("Wine Club", "x"); }, Errc::invalid_argument, "name");
  expect_error([&] { consent().define_purpose("x", ""); }, Errc::invalid_argument, "description");
  std::vector<std::string> names;
  for (const auto& q : consent().purposes()) names.push_back(q.name);
  BOOST_TEST((names == std::vector<std::string>{"marketing", "profiling", "service", "third_party", "room-ready",
                                                "wine-club"}));
  BOOST_TEST(!consent().can_contact(ana.number, Channel::email, "wine-club"));
  BOOST_TEST(consent().can_contact(ana.number, Channel::sms, "room-ready"));
  consent().grant(ana.number, Channel::email, "wine-club", form());
  BOOST_TEST(consent().can_contact(ana.number, Channel::email, "wine-club"));
}

BOOST_AUTO_TEST_CASE(reachable_customers_page_by_cursor) {
  std::vector<CustomerId> granted;
  for (int i = 0; i < 12; ++i) {
    const Customer c = customers().create(
        {.first_name = "Guest", .last_name = "N" + std::to_string(i), .email = "g" + std::to_string(i) + "@x.com"});
    if (i % 2 == 0) {
      consent().grant(c.number, Channel::email, "marketing", form());
      granted.push_back(c.id);
    } else {
      consent().withdraw(c.number, Channel::email, "service", {.source = "email_link"});
    }
  }
  std::vector<CustomerId> seen;
  std::string after;
  int pages = 0;
  do {
    const ReachablePage page = consent().reachable(Channel::email, "marketing", after, 4);
    seen.insert(seen.end(), page.customers.begin(), page.customers.end());
    after = page.next;
    ++pages;
  } while (!after.empty() && pages < 10);
  // By id: the cursor is the last id of a page.
  std::sort(granted.begin(), granted.end(), [](const CustomerId& a, const CustomerId& b) { return a.str() < b.str(); });
  BOOST_TEST(seen == granted);
  BOOST_TEST(pages == 2);  // 4, then the last 2 (a short page has no next)
  // A last page that is exactly full says so too.
  const ReachablePage three = consent().reachable(Channel::email, "marketing", {}, 3);
  const ReachablePage rest = consent().reachable(Channel::email, "marketing", three.next, 3);
  BOOST_TEST(rest.customers.size() == 3U);
  BOOST_TEST(rest.next.empty());

  // Opt-out: everyone (ana, bob and 12 guests) but the six who withdrew.
  const ReachablePage service = consent().reachable(Channel::email, "service", {}, 100);
  BOOST_TEST(service.customers.size() == 8U);
  BOOST_TEST(service.next.empty());
  BOOST_TEST(consent().reachable(Channel::sms, "service", {}, 100).customers.size() == 14U);

  expect_error([&] { consent().reachable(Channel::email, "marketing", "x1", 10); }, Errc::invalid_argument, "after");
  expect_error([&] { consent().reachable(Channel::email, "marketing", {}, 0); }, Errc::invalid_argument, "limit");
  expect_error([&] { consent().reachable(Channel::email, "marketing", {}, 10001); }, Errc::invalid_argument,
               "limit");
}

BOOST_AUTO_TEST_CASE(contact_preferences_are_checked_and_kept) {
  BOOST_TEST((consent().preferences(ana.number) == ContactPreferences{}));
  const ContactPreferences p = consent().set_preferences(
      ana.number, {.channel = Channel::sms,
                   .language = "EN-gb",
                   .time_zone = "US/Pacific",
                   .windows = {{{Weekday::fri, Weekday::mon, Weekday::mon}, "09:00", "12:30"},
                               {{Weekday::sat}, "10:00", "24:00"}}});
  BOOST_TEST(p.language == "en-GB");
  BOOST_TEST(p.time_zone == "America/Los_Angeles");
  BOOST_TEST((p.windows[0].days == std::vector<Weekday>{Weekday::mon, Weekday::fri}), "days in week order");
  BOOST_TEST((consent().preferences(ana.number) == p));
  const Event ev = last_event(ana);
  BOOST_TEST(ev.action == "customer.contact_preferences_changed");
  const auto changes = db.activity().history(ana.number);
  std::set<std::string> fields;
  for (const auto& c : changes) fields.insert(c.field);
  BOOST_TEST(fields.count("contact_preferences.channel") == 1U);
  BOOST_TEST(fields.count("contact_preferences.windows") == 1U);

  const auto events = count_rows(path, "events");
  consent().set_preferences(ana.number, p);  // nothing changed: no event
  BOOST_TEST(count_rows(path, "events") == events);

  expect_error([&] { consent().set_preferences(ana.number, {.language = "not a language!"}); },
               Errc::invalid_argument, "language");
  expect_error([&] { consent().set_preferences(ana.number, {.time_zone = "Mars/Olympus"}); },
               Errc::invalid_argument, "time_zone");
  expect_error([&] { consent().set_preferences(ana.number, {.windows = {{{}, "09:00", "10:00"}}}); },
               Errc::invalid_argument, "windows[0].days");
  expect_error(
      [&] { consent().set_preferences(ana.number, {.windows = {{{Weekday::mon}, "9:00", "10:00"}}}); },
      Errc::invalid_argument, "windows[0].from");
  expect_error(
      [&] { consent().set_preferences(ana.number, {.windows = {{{Weekday::mon}, "10:00", "24:01"}}}); },
      Errc::invalid_argument, "windows[0].to");
  expect_error(
      [&] { consent().set_preferences(ana.number, {.windows = {{{Weekday::mon}, "10:00", "10:00"}}}); },
      Errc::invalid_argument, "windows[0].to", "after from");
  expect_error([&] { consent().set_preferences(ana.number, {.windows = std::vector<ContactWindow>(15)}); },
               Errc::invalid_argument, "windows");
  BOOST_TEST((consent().preferences(ana.number) == p));
}

BOOST_AUTO_TEST_CASE(a_merge_carries_the_newer_states_to_the_survivor) {
  consent().grant(bob.number, Channel::email, "marketing", form());
  clock.advance(1min);
  consent().withdraw(ana.number, Channel::sms, "marketing", {.source = "sms_stop"});
  clock.advance(1min);
  consent().grant(bob.number, Channel::sms, "marketing", form());  // newer than ana's withdrawal
  clock.advance(1min);
  consent().withdraw(ana.number, Channel::post, "marketing", {.source = "letter"});
  consent().grant(bob.number, Channel::post, "marketing", form());  // same time: the survivor's stands
  consent().set_preferences(bob.number, {.channel = Channel::post});
  const ConsentEntry req = consent().grant(bob.number, Channel::push, "marketing",
                                           {.legal_basis = LegalBasis::consent, .source = "app",
                                            .double_opt_in = true});

  const MergeResult r = customers().merge(ana.number, bob.number, {.by = "staff:lee"});
  BOOST_TEST(r.moved.at("consent_states") == 2);
  BOOST_TEST(consent().can_contact(ana.number, Channel::email, "marketing"));
  BOOST_TEST(consent().can_contact(ana.number, Channel::sms, "marketing"));
  BOOST_TEST(!consent().can_contact(ana.number, Channel::post, "marketing"));
  // The absorbed customer's id leads to the survivor (post: granted for Bob,
  // withdrawn for Ana, whose state stands).
  BOOST_TEST(consent().can_contact(bob.id.str(), Channel::email, "marketing"));
  BOOST_TEST(!consent().can_contact(bob.id.str(), Channel::post, "marketing"));
  // Carried entries keep the time the person acted.
  BOOST_TEST(consent().state(ana.number).at(0).since < clock.now());
  // The survivor's history holds the absorbed customer's own log as well.
  const auto history = consent().history(ana.number, {.limit = 100});
  BOOST_TEST(std::count_if(history.begin(), history.end(), [&](const ConsentEntry& e) {
               return e.customer == bob.id && e.source == "web_form";
             }) == 3);
  BOOST_TEST(consent().history(ana.number).at(0).source == "merge");
  BOOST_TEST(to_string(consent().preferences(ana.number).channel.value()) == "post");
  // The absorbed customer's request is confirmed on the survivor.
  const ConsentEntry ok = consent().confirm(req.token);
  BOOST_TEST(ok.customer == ana.id);
  BOOST_TEST(consent().can_contact(ana.number, Channel::push, "marketing"));
  // Reachable lists only live customers.
  const auto page = consent().reachable(Channel::email, "marketing", {}, 100);
  BOOST_TEST((page.customers == std::vector<CustomerId>{ana.id}));
}

BOOST_AUTO_TEST_CASE(the_log_cannot_be_changed_or_deleted_in_the_file) {
  consent().grant(ana.number, Channel::email, "marketing", form());
  SQLite::Database file(path, SQLite::OPEN_READWRITE);
  BOOST_CHECK_THROW(file.exec("UPDATE consent_log SET status = 'withdrawn'"), SQLite::Exception);
  BOOST_CHECK_THROW(file.exec("DELETE FROM consent_log"), SQLite::Exception);
  BOOST_TEST(consent().can_contact(ana.number, Channel::email, "marketing"));
}

BOOST_AUTO_TEST_CASE(a_request_hides_no_withdrawal) {
  consent().withdraw(ana.number, Channel::sms, "service", {.source = "sms_stop"});
  consent().withdraw(ana.number, Channel::email, "marketing", {.source = "email_link"});
  clock.advance(1min);
  const ConsentEntry service = consent().grant(ana.number, Channel::sms, "service",
                                               {.legal_basis = LegalBasis::contract, .source = "web_form",
                                                .double_opt_in = true});
  consent().grant(ana.number, Channel::email, "marketing",
                  {.legal_basis = LegalBasis::consent, .source = "web_form", .double_opt_in = true});
  // Opt-out or opt-in, the withdrawal stands until the person confirms.
  BOOST_TEST(!consent().can_contact(ana.number, Channel::sms, "service"));
  BOOST_TEST(consent().reachable(Channel::sms, "service", {}, 100).customers.size() == 1U);  // Bob only
  for (const auto& s : consent().state(ana.number)) BOOST_TEST(to_string(s.status) == "withdrawn");
  consent().confirm(service.token);
  BOOST_TEST(consent().can_contact(ana.number, Channel::sms, "service"));
}

BOOST_AUTO_TEST_CASE(merges_compare_when_the_person_acted_in_any_order) {
  const Customer cy = customers().create({.first_name = "Cy", .last_name = "Dee", .email = "cy@example.com"});
  const Customer dee = customers().create({.first_name = "Dee", .last_name = "Cy", .email = "dee@example.com"});
  consent().grant(bob.number, Channel::post, "marketing", form());      // T0
  clock.advance(1min);
  consent().withdraw(cy.number, Channel::post, "marketing", {.source = "letter"});  // T1: the last word
  clock.advance(1min);
  customers().merge(ana.number, bob.number, {.by = "staff"});  // T2
  clock.advance(1min);
  customers().merge(ana.number, cy.number, {.by = "staff"});
  BOOST_TEST(!consent().can_contact(ana.number, Channel::post, "marketing"));

  // A withdrawal the absorbed customer made before the survivor's request
  // does not cancel it.
  consent().withdraw(dee.number, Channel::push, "marketing", {.source = "app"});
  clock.advance(1min);
  const ConsentEntry req = consent().grant(ana.number, Channel::push, "marketing",
                                           {.legal_basis = LegalBasis::consent, .source = "app",
                                            .double_opt_in = true});
  clock.advance(1min);
  customers().merge(ana.number, dee.number, {.by = "staff"});
  BOOST_TEST(!consent().can_contact(ana.number, Channel::push, "marketing"));
  consent().confirm(req.token);
  BOOST_TEST(consent().can_contact(ana.number, Channel::push, "marketing"));
}

BOOST_AUTO_TEST_CASE(check_finds_a_state_the_log_does_not_give) {
  consent().grant(ana.number, Channel::email, "marketing", form());
  consent().withdraw(ana.number, Channel::sms, "marketing", {.source = "sms_stop"});
  consent().grant(bob.number, Channel::push, "marketing",
                  {.legal_basis = LegalBasis::consent, .source = "app", .double_opt_in = true});
  customers().merge(ana.number, bob.number, {.by = "staff"});
  BOOST_TEST(db.check().ok);
  {
    // The states are derived data: the file lets them be changed, check sees it.
    SQLite::Database file(path, SQLite::OPEN_READWRITE);
    file.exec("UPDATE consent_current SET status = 'granted' WHERE channel = 'sms'");
    file.exec("INSERT INTO consent_current SELECT '" + bob.id.str() +
              "', channel, purpose, status, entry, since FROM consent_current WHERE channel = 'email'");
  }
  const CheckReport r = db.check();
  BOOST_TEST(!r.ok);
  BOOST_TEST_REQUIRE(r.problems.size() == 2U);
  BOOST_TEST(r.problems[0].check == "consent_state");
  BOOST_TEST(r.problems[0].detail == "customer " + ana.id.str() +
                                          " sms/marketing: the log gives entry 2 (withdrawn), the state holds entry 2 (granted)");
  BOOST_TEST(r.problems[1].detail == "customer " + bob.id.str() +
                                          " email/marketing: the log gives none, the state holds entry 1 (granted)");
}

BOOST_AUTO_TEST_SUITE_END()
