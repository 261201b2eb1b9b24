// The events patron records about its own changes: for each mutating call
// of customers, commerce, companies, memberships, credentials, doors and
// connections, the action, category, type, source and actor (with and
// without an ActorScope), the details and the edit history; and that a
// refused call records nothing.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <chrono>

#include "fixture.hpp"

using namespace patron;
using namespace std::chrono_literals;
using patron::testing::DbFixture;
using patron::testing::expect_error;
using Json = nlohmann::json;

namespace patron {
inline std::ostream& operator<<(std::ostream& os, EventCategory v) { return os << to_string(v); }
inline std::ostream& operator<<(std::ostream& os, EventType v) { return os << to_string(v); }
inline std::ostream& operator<<(std::ostream& os, EventSource v) { return os << to_string(v); }
}  // namespace patron

namespace {

struct EventFixture : DbFixture {
  Activity& activity() { return db.activity(); }

  // The customer's events, oldest first.
  std::vector<Event> events_of(const Customer& c) {
    auto events = activity().timeline(c.id.str(), {}, {}, 1000).events;
    std::reverse(events.begin(), events.end());
    return events;
  }
  std::vector<std::string> actions_of(const Customer& c) {
    std::vector<std::string> out;
    for (const auto& e : events_of(c)) out.push_back(e.action);
    return out;
  }
  // The customer's newest event.
  Event last_of(const Customer& c) {
    const auto events = activity().timeline(c.id.str(), {}, {}, 1).events;
    BOOST_TEST_REQUIRE(events.size() == 1u);
    return events.front();
  }
  // Events recorded after `cursor`, by id.
  std::vector<Event> since(std::int64_t cursor) { return activity().feed(cursor, 1000); }
  std::vector<std::string> actions_since(std::int64_t cursor) {
    std::vector<std::string> out;
    for (const auto& e : since(cursor)) out.push_back(e.action);
    return out;
  }
  std::int64_t cursor() { return activity().last_event_id(); }

  static Json details(const Event& e) { return Json::parse(e.details); }
};

using Actions = std::vector<std::string>;

void expect_kind(const Event& e, std::string_view action, EventCategory category, EventType type) {
  BOOST_TEST(e.action == action);
  BOOST_TEST(e.category == category);
  BOOST_TEST(e.type == type);
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(events, EventFixture)

// ---- customers ----

BOOST_AUTO_TEST_CASE(create_records_customer_created_with_the_initial_values) {
  const Customer c = customers().create({.title = "Dr",
                                         .first_name = "Ana",
                                         .last_name = "Silva",
                                         .email = "Ana@Example.com",
                                         .phone = "07911 123456",
                                         .tags = {"vip"}});
  const auto events = events_of(c);
  BOOST_TEST_REQUIRE(events.size() == 1u);
  const Event& e = events.front();
  expect_kind(e, "customer.created", EventCategory::customers, EventType::data);
  BOOST_TEST((e.customer == std::optional<CustomerId>(c.id)));
  BOOST_TEST(e.source == EventSource::api);  // no ActorScope
  BOOST_TEST(e.actor.empty());
  BOOST_TEST(e.at == clock.now());
  BOOST_TEST(e.summary == "Customer created");
  BOOST_TEST(details(e)["number"] == c.number);

  const auto first = activity().history(c.number, "first_name");
  BOOST_TEST_REQUIRE(first.size() == 1u);
  BOOST_TEST(first[0].event == e.id);
  BOOST_TEST(first[0].old_value == "null");
  BOOST_TEST(first[0].new_value == "\"Ana\"");
  BOOST_TEST(activity().history(c.number, "email")[0].new_value == "\"ana@example.com\"");
  BOOST_TEST(activity().history(c.number, "phone")[0].new_value == "\"+447911123456\"");
  BOOST_TEST(activity().history(c.number, "tags")[0].new_value == "[\"vip\"]");
  BOOST_TEST(activity().history(c.number, "title")[0].new_value == "\"Dr\"");
  BOOST_TEST(activity().history(c.number, "number")[0].new_value == "\"" + c.number + "\"");
  BOOST_TEST(activity().history(c.number, "date_of_birth").empty());  // not given
  // The summary holds no personal data.
  BOOST_TEST(e.summary.find("Ana") == std::string::npos);
  // The details as a JSON tree would write them (keys sorted, compact), the
  // edits spliced in as they are.
  BOOST_TEST(e.details == Json::parse(e.details).dump());
  BOOST_TEST(e.details ==
             "{\"changes\":[{\"field\":\"number\",\"new\":\"" + c.number +
                 "\",\"old\":null},{\"field\":\"title\",\"new\":\"Dr\",\"old\":null},"
                 "{\"field\":\"first_name\",\"new\":\"Ana\",\"old\":null},{\"field\":\"last_name\",\"new\":"
                 "\"Silva\",\"old\":null},{\"field\":\"tags\",\"new\":[\"vip\"],\"old\":null},{\"field\":\"email\","
                 "\"new\":\"ana@example.com\",\"old\":null},{\"field\":\"phone\",\"new\":\"+447911123456\",\"old\":"
                 "null}],\"number\":\"" + c.number + "\"}");
  // An edit holding an object (an address) goes through the tree: the same form.
  const Customer moved = customers().add_address(c.number, {.line1 = "1 High St", .city = "London", .country = "GB"});
  const Event added = last_of(moved);
  BOOST_TEST(added.details == Json::parse(added.details).dump());
}

BOOST_AUTO_TEST_CASE(an_actor_scope_names_the_actor_and_source) {
  Customer c;
  {
    ActorScope scope("till-3", EventSource::staff);
    c = customers().create({.first_name = "Ana", .last_name = "Silva"});
    customers().update(c.number, {.first_name = "Anna"});
  }
  customers().update(c.number, {.last_name = "Souza"});
  const auto events = events_of(c);
  BOOST_TEST_REQUIRE(events.size() == 3u);
  BOOST_TEST(events[0].actor == "till-3");
  BOOST_TEST(events[0].source == EventSource::staff);
  BOOST_TEST(events[1].actor == "till-3");
  BOOST_TEST(events[1].source == EventSource::staff);
  BOOST_TEST(events[2].actor == "");
  BOOST_TEST(events[2].source == EventSource::api);
  const auto names = activity().history(c.number, "first_name");
  BOOST_TEST_REQUIRE(names.size() == 2u);  // newest first
  BOOST_TEST(names[0].actor == "till-3");
  BOOST_TEST(names[0].source == EventSource::staff);
  BOOST_TEST(names[0].old_value == "\"Ana\"");
  BOOST_TEST(names[0].new_value == "\"Anna\"");
}

BOOST_AUTO_TEST_CASE(create_many_records_one_event_per_customer) {
  const auto before = cursor();
  const auto made = customers().create_many(
      {{.first_name = "Ana", .last_name = "Silva"}, {.email = "bo@example.com"}, {.first_name = "Cy", .phone = "020 7946 0018"}});
  const auto events = since(before);
  BOOST_TEST_REQUIRE(events.size() == 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    BOOST_TEST(events[i].action == "customer.created");
    BOOST_TEST((events[i].customer == std::optional<CustomerId>(made[i].id)));
  }
  // All or none: a refused batch records nothing.
  const auto after = cursor();
  // ([0] is stored, and its event recorded, before [1] is refused.)
  expect_error(
      [&] {
        customers().create_many({{.first_name = "Di", .last_name = "Lee", .email = "di@example.com"},
                                 {.first_name = "Ed", .email = "di@example.com"}});
      },
      Errc::already_exists, "[1].email");
  BOOST_TEST(cursor() == after);
}

BOOST_AUTO_TEST_CASE(update_records_one_event_per_kind_of_change_with_field_edits) {
  const Customer c = customers().create({.first_name = "Ana", .last_name = "Silva", .lifecycle_stage = "lead",
                                         .tags = {"vip", "staff"}});
  clock.advance(1min);
  auto before = cursor();
  customers().update(c.number, {.title = "Dr",
                                .first_name = "Anna",
                                .last_name = "Silva",  // unchanged: no edit
                                .date_of_birth = std::optional<Date>(Date{std::chrono::year{1990} / 5 / 17}),
                                .lifecycle_stage = "customer",
                                .tags = std::vector<std::string>{"vip", "regular"},
                                .emergency_contact = std::optional<EmergencyContact>(
                                    EmergencyContact{"Bo Silva", "020 7946 0018"})});
  const auto events = since(before);
  BOOST_TEST_REQUIRE(events.size() == 3u);
  expect_kind(events[0], "customer.updated", EventCategory::customers, EventType::data);
  BOOST_TEST(events[0].summary == "Profile updated");
  const Json updated = details(events[0]);
  BOOST_TEST(updated["fields"] == Json({"title", "first_name", "date_of_birth", "emergency_contact"}));
  BOOST_TEST(updated["changes"].size() == 4u);
  BOOST_TEST(updated["changes"][1] == Json({{"field", "first_name"}, {"old", "Ana"}, {"new", "Anna"}}));
  expect_kind(events[1], "customer.lifecycle_stage_changed", EventCategory::customers, EventType::data);
  BOOST_TEST(details(events[1])["from"] == "lead");
  BOOST_TEST(details(events[1])["to"] == "customer");
  expect_kind(events[2], "customer.tags_changed", EventCategory::customers, EventType::data);
  BOOST_TEST(details(events[2])["added"] == Json({"regular"}));
  BOOST_TEST(details(events[2])["removed"] == Json({"staff"}));

  BOOST_TEST(activity().history(c.number, "date_of_birth")[0].new_value == "\"1990-05-17\"");
  BOOST_TEST(activity().history(c.number, "date_of_birth")[0].old_value == "null");
  BOOST_TEST(activity().history(c.number, "lifecycle_stage")[0].old_value == "\"lead\"");
  BOOST_TEST(activity().history(c.number, "tags")[0].old_value == "[\"vip\",\"staff\"]");
  BOOST_TEST(activity().history(c.number, "tags")[0].new_value == "[\"vip\",\"regular\"]");
  BOOST_TEST(Json::parse(activity().history(c.number, "emergency_contact")[0].new_value) ==
             Json({{"name", "Bo Silva"}, {"phone", "+442079460018"}}));
  BOOST_TEST(activity().history(c.number, "last_name").size() == 1u);  // only the creation

  // Clearing a field: the new value is null. Only tags: only tags_changed.
  before = cursor();
  customers().update(c.number, {.title = "", .date_of_birth = std::optional<Date>()});
  customers().update(c.number, {.tags = std::vector<std::string>{}});
  BOOST_TEST((actions_since(before) == Actions{"customer.updated", "customer.tags_changed"}));
  BOOST_TEST(activity().history(c.number, "title")[0].new_value == "null");
  BOOST_TEST(activity().history(c.number, "date_of_birth")[0].new_value == "null");

  // Nothing changes: nothing recorded.
  before = cursor();
  customers().update(c.number, {.first_name = "Anna"});
  BOOST_TEST(cursor() == before);
}

BOOST_AUTO_TEST_CASE(set_number_records_number_changed) {
  const Customer c = customers().create({.number = "C-10001", .first_name = "Ana", .last_name = "Silva"});
  customers().set_number(c.id.str(), "C-20002");
  const Event e = last_of(c);
  expect_kind(e, "customer.number_changed", EventCategory::customers, EventType::data);
  const auto h = activity().history(c.id.str(), "number");
  BOOST_TEST_REQUIRE(h.size() == 2u);
  BOOST_TEST(h[0].old_value == "\"C-10001\"");
  BOOST_TEST(h[0].new_value == "\"C-20002\"");
}

BOOST_AUTO_TEST_CASE(emails_phones_and_addresses_record_their_events) {
  const Customer c = customers().create({.first_name = "Ana", .last_name = "Silva", .email = "ana@example.com"});
  auto before = cursor();
  customers().add_email(c.number, "ana.work@example.org");
  customers().set_primary_email(c.number, "ana.work@example.org");
  customers().set_primary_email(c.number, "ana.work@example.org");  // already: nothing
  customers().remove_email(c.number, "ana@example.com");
  customers().add_phone(c.number, "07911 123456", PhoneLabel::work);
  customers().remove_phone(c.number, "07911 123456");
  const Customer with = customers().add_address(
      c.number, Address{.purpose = AddressPurpose::billing, .line1 = "1 High St", .city = "London", .country = "gb"});
  customers().remove_address(c.number, with.addresses.front().id);
  const auto events = since(before);
  BOOST_TEST((actions_since(before) == Actions{"email.added", "email.primary_changed", "email.removed", "phone.added",
                                               "phone.removed", "address.added", "address.removed"}));
  for (const auto& e : events) {
    BOOST_TEST(e.category == EventCategory::customers);
    BOOST_TEST(e.type == EventType::data);
    BOOST_TEST((e.customer == std::optional<CustomerId>(c.id)));
    BOOST_TEST(e.summary.find('@') == std::string::npos);
    BOOST_TEST(e.summary.find("High") == std::string::npos);
  }
  BOOST_TEST(details(events[0])["primary"] == false);
  BOOST_TEST(details(events[2])["was_primary"] == false);
  BOOST_TEST(details(events[3])["label"] == "work");
  BOOST_TEST(details(events[3])["verified"] == true);
  BOOST_TEST(details(events[5])["purpose"] == "billing");
  BOOST_TEST(details(events[5])["address_id"] == with.addresses.front().id);

  const auto emails = activity().history(c.number, "email");  // newest first
  BOOST_TEST_REQUIRE(emails.size() == 4u);
  BOOST_TEST(emails[0].old_value == "\"ana@example.com\"");  // removed
  BOOST_TEST(emails[0].new_value == "null");
  BOOST_TEST(emails[1].old_value == "\"ana@example.com\"");  // primary moved
  BOOST_TEST(emails[1].new_value == "\"ana.work@example.org\"");
  BOOST_TEST(emails[2].old_value == "null");  // added
  BOOST_TEST(emails[2].new_value == "\"ana.work@example.org\"");
  const auto phones = activity().history(c.number, "phone");
  BOOST_TEST_REQUIRE(phones.size() == 2u);
  BOOST_TEST(phones[0].old_value == "\"+447911123456\"");
  BOOST_TEST(phones[1].new_value == "\"+447911123456\"");
  const auto addresses = activity().history(c.number, "address");
  BOOST_TEST_REQUIRE(addresses.size() == 2u);
  const Json added = Json::parse(addresses[1].new_value);
  BOOST_TEST(added["line1"] == "1 High St");
  BOOST_TEST(added["country"] == "GB");
  BOOST_TEST(added["is_default"] == true);
  BOOST_TEST(addresses[0].new_value == "null");
  BOOST_TEST(Json::parse(addresses[0].old_value) == added);
}

BOOST_AUTO_TEST_CASE(ban_and_unban_are_security_events_with_a_status_edit) {
  const Customer c = customers().create({.first_name = "Ana", .last_name = "Silva"});
  customers().ban(c.number, "Abusive to staff", "manager-1");
  Event e = last_of(c);
  expect_kind(e, "customer.banned", EventCategory::customers, EventType::security);
  BOOST_TEST(e.summary == "Customer banned");
  BOOST_TEST(details(e)["reason"] == "Abusive to staff");
  BOOST_TEST(details(e)["by"] == "manager-1");
  customers().unban(c.number);
  e = last_of(c);
  expect_kind(e, "customer.unbanned", EventCategory::customers, EventType::security);
  const auto status = activity().history(c.number, "status");
  BOOST_TEST_REQUIRE(status.size() == 2u);
  BOOST_TEST(status[0].old_value == "\"banned\"");
  BOOST_TEST(status[0].new_value == "\"active\"");
  BOOST_TEST(status[1].new_value == "\"banned\"");
}

BOOST_AUTO_TEST_CASE(presence_records_only_its_transitions) {
  const Customer c = customers().create({.first_name = "Ana", .last_name = "Silva"});
  const auto before = cursor();
  customers().set_online(c.number, 10min);
  clock.advance(1min);
  customers().set_online(c.number, 10min);  // a refresh: nothing
  customers().set_offline(c.number);
  customers().set_offline(c.number);  // already offline: nothing
  customers().set_online(c.number, 1min);
  clock.advance(2min);  // expired
  customers().set_online(c.number, 1min);
  const auto events = since(before);
  BOOST_TEST((actions_since(before) == Actions{"presence.online", "presence.offline", "presence.online", "presence.online"}));
  expect_kind(events[0], "presence.online", EventCategory::customers, EventType::visit);
  expect_kind(events[1], "presence.offline", EventCategory::customers, EventType::visit);
  // Presence is not profile history: every edit is the creation's.
  for (const auto& h : activity().history(c.number)) BOOST_TEST(h.event < events[0].id);
}

BOOST_AUTO_TEST_CASE(a_refused_call_records_nothing) {
  const Customer c = customers().create({.first_name = "Ana", .email = "ana@example.com"});
  const Customer other = customers().create({.email = "bo@example.com"});
  const Customer di = customers().create({.first_name = "Di", .last_name = "Lee"});
  customers().ban(other.number, "reason", "by");
  const auto before = cursor();
  expect_error([&] { customers().update(di.number, {.last_name = ""}); }, Errc::failed_precondition, "customer");
  expect_error([&] { customers().add_email(c.number, "bo@example.com"); }, Errc::already_exists, "email");
  expect_error([&] { customers().remove_email(c.number, "ana@example.com"); }, Errc::failed_precondition, "customer");
  expect_error([&] { customers().remove_phone(c.number, "07911 123456"); }, Errc::not_found, "phone");
  expect_error([&] { customers().ban(other.number, "again", "by"); }, Errc::failed_precondition, "status");
  expect_error([&] { customers().unban(c.number); }, Errc::failed_precondition, "status");
  expect_error([&] { customers().set_number(c.number, other.number); }, Errc::already_exists, "number");
  expect_error([&] { db.orders().set_status(999, OrderStatus::completed); }, Errc::not_found, "id");
  expect_error([&] { db.doors().revoke(42); }, Errc::not_found, "id");
  expect_error([&] { db.connections().disconnect(42); }, Errc::not_found, "id");
  BOOST_TEST(cursor() == before);
}

// ---- commerce ----

BOOST_AUTO_TEST_CASE(orders_record_their_events) {
  const Customer ana = customers().create({.first_name = "Ana", .last_name = "Silva"});
  NewOrder o;
  o.customer.ref = ana.number;
  o.source = "pos";
  o.external_ref = "R-1";
  o.currency = "gbp";
  o.total = 4200;
  const auto before = cursor();
  Order order;
  {
    ActorScope scope("till-3", EventSource::physical);
    order = db.orders().record(o).record;
  }
  db.orders().add_payment(order.id, Payment{.amount = 1000, .method = "card"});
  db.orders().set_status(order.id, OrderStatus::completed);
  const auto events = since(before);
  BOOST_TEST((actions_since(before) == Actions{"order.recorded", "order.payment_added", "order.status_changed"}));
  expect_kind(events[0], "order.recorded", EventCategory::orders, EventType::order);
  BOOST_TEST(events[0].source == EventSource::physical);
  BOOST_TEST(events[0].actor == "till-3");
  BOOST_TEST((events[0].customer == std::optional<CustomerId>(ana.id)));
  const Json recorded = details(events[0]);
  BOOST_TEST(recorded["order"] == order.id);
  BOOST_TEST(recorded["total"] == 4200);
  BOOST_TEST(recorded["currency"] == "GBP");
  BOOST_TEST(recorded["external_ref"] == "R-1");
  BOOST_TEST(recorded["customer_match"] == "given");
  expect_kind(events[1], "order.payment_added", EventCategory::orders, EventType::payment);
  BOOST_TEST(details(events[1])["amount"] == 1000);
  BOOST_TEST(details(events[1])["paid"] == 1000);
  expect_kind(events[2], "order.status_changed", EventCategory::orders, EventType::order);
  BOOST_TEST(details(events[2])["from"] == "created");
  BOOST_TEST(details(events[2])["to"] == "completed");
  // Refused move: nothing.
  const auto after = cursor();
  expect_error([&] { db.orders().set_status(order.id, OrderStatus::created); }, Errc::failed_precondition, "status");
  BOOST_TEST(cursor() == after);
}

BOOST_AUTO_TEST_CASE(a_customer_created_by_a_pushed_record_gets_customer_created_first) {
  NewOrder o;
  o.customer.details = CustomerDetails{.first_name = "Ana", .last_name = "Silva", .email = "ana@example.com"};
  o.source = "web";
  o.external_ref = "W-1";
  o.currency = "GBP";
  const auto pushed = db.orders().record(o);
  BOOST_TEST((pushed.customer_match == CustomerMatch::created));
  const Customer c = customers().get(pushed.record.customer.str());
  BOOST_TEST((actions_of(c) == Actions{"customer.created", "order.recorded"}));
  BOOST_TEST(details(last_of(c))["customer_match"] == "created");
  BOOST_TEST(activity().history(c.number, "email")[0].new_value == "\"ana@example.com\"");
}

BOOST_AUTO_TEST_CASE(bookings_and_enquiries_record_their_events) {
  const Customer ana = customers().create({.first_name = "Ana", .last_name = "Silva"});
  const Timestamp start = clock.now() + 24h;
  NewBooking b;
  b.customer.ref = ana.id.str();
  b.source = "spa";
  b.external_ref = "B-1";
  b.service = "massage 60";
  b.starts_at = start;
  b.ends_at = start + 1h;
  const auto before = cursor();
  const Booking booking = db.bookings().record(b).record;
  db.bookings().reschedule(booking.id, start + 2h, start + 3h);
  db.bookings().set_status(booking.id, BookingStatus::checked_in);
  NewEnquiry q;
  q.customer.ref = ana.number;
  q.source = "web";
  q.external_ref = "Q-1";
  q.channel = "email";
  q.subject = "Private dining";
  q.body = "Hello";
  const Enquiry enquiry = db.enquiries().record(q).record;
  db.enquiries().set_status(enquiry.id, EnquiryStatus::resolved);
  const auto events = since(before);
  BOOST_TEST((actions_since(before) == Actions{"booking.recorded", "booking.rescheduled", "booking.status_changed",
                                               "enquiry.recorded", "enquiry.status_changed"}));
  for (std::size_t i = 0; i < 3; ++i) expect_kind(events[i], events[i].action, EventCategory::bookings, EventType::booking);
  for (std::size_t i = 3; i < 5; ++i) expect_kind(events[i], events[i].action, EventCategory::bookings, EventType::enquiry);
  BOOST_TEST(details(events[0])["booking"] == booking.id);
  BOOST_TEST(details(events[0])["starts_at"] == format_timestamp(start));
  BOOST_TEST(details(events[1])["to"]["starts_at"] == format_timestamp(start + 2h));
  BOOST_TEST(details(events[1])["from"]["starts_at"] == format_timestamp(start));
  BOOST_TEST(details(events[2])["from"] == "rescheduled");
  BOOST_TEST(details(events[2])["to"] == "checked_in");
  BOOST_TEST(details(events[3])["enquiry"] == enquiry.id);
  BOOST_TEST(details(events[3])["channel"] == "email");
  BOOST_TEST(details(events[4])["to"] == "resolved");
  for (const auto& e : events) BOOST_TEST((e.customer == std::optional<CustomerId>(ana.id)));
}

// ---- companies ----

BOOST_AUTO_TEST_CASE(companies_record_organisation_events_and_links_on_customer_timelines) {
  const Customer ana = customers().create({.first_name = "Ana", .last_name = "Silva", .email = "ana@acme.com"});
  const Customer bo = customers().create({.first_name = "Bo", .last_name = "Lee", .email = "bo@eu.acme.com"});
  auto before = cursor();
  Company acme;
  {
    ActorScope scope("admin", EventSource::staff);
    acme = db.companies().create({.name = "Acme", .contact_person = "Jo Bloggs"});
  }
  auto events = since(before);
  BOOST_TEST_REQUIRE(events.size() == 1u);
  expect_kind(events[0], "company.created", EventCategory::customers, EventType::data);
  BOOST_TEST(!events[0].customer.has_value());
  BOOST_TEST(events[0].actor == "admin");
  BOOST_TEST(details(events[0])["company"] == acme.id);
  BOOST_TEST(events[0].details.find("Jo Bloggs") == std::string::npos);  // organisation events are in clear

  before = cursor();
  db.companies().update(acme.id, {.name = "Acme Ltd", .contact_person = "Jo Bloggs", .notes = "Key account"});
  db.companies().update(acme.id, {.name = "Acme Ltd"});  // nothing changes: nothing recorded
  events = since(before);
  BOOST_TEST_REQUIRE(events.size() == 1u);
  BOOST_TEST(events[0].action == "company.updated");
  BOOST_TEST(details(events[0])["fields"] == Json({"name", "notes"}));
  BOOST_TEST(events[0].details.find("Key account") == std::string::npos);

  before = cursor();
  BOOST_TEST(db.companies().add_domain(acme.id, "acme.com") == 2);
  BOOST_TEST((actions_since(before) == Actions{"company.linked", "company.linked", "company.domain_added"}));
  const Event linked = last_of(ana);
  expect_kind(linked, "company.linked", EventCategory::customers, EventType::data);
  BOOST_TEST(details(linked) == Json({{"company", acme.id}, {"source", "email_domain"}, {"domain", "acme.com"}}));
  BOOST_TEST(last_of(bo).action == "company.linked");
  const Event added = since(before).back();
  BOOST_TEST(!added.customer.has_value());
  BOOST_TEST(details(added)["linked"] == 2);
  BOOST_TEST(details(added)["domain"] == "acme.com");

  // A new customer, and an email added or removed, link and unlink.
  const Customer cy = customers().create({.first_name = "Cy", .email = "cy@acme.com"});
  BOOST_TEST((actions_of(cy) == Actions{"customer.created", "company.linked"}));
  customers().add_email(bo.number, "bo@other.org");
  customers().remove_email(bo.number, "bo@eu.acme.com");
  BOOST_TEST(last_of(bo).action == "company.unlinked");
  BOOST_TEST(details(last_of(bo))["source"] == "email_domain");
  customers().add_email(bo.number, "bo@acme.com");
  BOOST_TEST(last_of(bo).action == "company.linked");

  // Manual links.
  before = cursor();
  db.companies().link(acme.id, ana.number, "buyer", true);
  db.companies().link(acme.id, ana.number, "buyer", true);  // unchanged: nothing
  db.companies().link(acme.id, ana.number, "owner", true);
  db.companies().unlink(acme.id, ana.number);
  BOOST_TEST((actions_since(before) == Actions{"company.linked", "company.link_updated", "company.unlinked"}));
  events = since(before);
  BOOST_TEST(details(events[0]) == Json({{"company", acme.id}, {"source", "manual"}, {"role", "buyer"}, {"billing", true}}));
  BOOST_TEST(details(events[1])["role"] == "owner");
  BOOST_TEST(details(events[2])["source"] == "manual");
  for (const auto& e : events) BOOST_TEST((e.customer == std::optional<CustomerId>(ana.id)));

  // Removing the domain unlinks every customer it linked.
  before = cursor();
  BOOST_TEST(db.companies().remove_domain(acme.id, "acme.com") == 3);
  BOOST_TEST((actions_since(before) ==
              Actions{"company.unlinked", "company.unlinked", "company.unlinked", "company.domain_removed"}));
  BOOST_TEST(details(since(before).back())["unlinked"] == 3);

  // Created with domains: the creation, then the links.
  before = cursor();
  const Company beta = db.companies().create({.name = "Beta", .domains = {"beta.com"}});
  const Customer di = customers().create({.first_name = "Di", .email = "di@beta.com"});
  BOOST_TEST(details(since(before)[0])["domains"] == Json({"beta.com"}));
  BOOST_TEST(details(last_of(di))["company"] == beta.id);

  // Refused: nothing.
  before = cursor();
  expect_error([&] { db.companies().add_domain(acme.id, "beta.com"); }, Errc::already_exists, "domain");
  expect_error([&] { db.companies().unlink(acme.id, ana.number); }, Errc::not_found, "customer");
  BOOST_TEST(cursor() == before);
}

// ---- memberships ----

BOOST_AUTO_TEST_CASE(memberships_record_their_events) {
  const Customer ana = customers().create({.first_name = "Ana", .last_name = "Silva"});
  const Company acme = db.companies().create({.name = "Acme"});
  auto before = cursor();
  const Plan gold = db.memberships().create_plan(
      {.name = "Gold", .kind = PlanKind::subscription, .billing_period = BillingPeriod::monthly});
  const Plan corp = db.memberships().create_plan({.name = "Corporate", .kind = PlanKind::company});
  auto events = since(before);
  BOOST_TEST_REQUIRE(events.size() == 2u);
  expect_kind(events[0], "plan.created", EventCategory::system, EventType::configuration);
  BOOST_TEST(!events[0].customer.has_value());
  BOOST_TEST(details(events[0])["plan"] == gold.id);
  BOOST_TEST(details(events[0])["kind"] == "subscription");

  before = cursor();
  const Membership m = db.memberships().add({.plan = gold.id, .customer_ref = ana.number});
  db.memberships().set_status(m.id, MembershipStatus::paused);
  db.memberships().set_status(m.id, MembershipStatus::paused);  // already: nothing
  db.memberships().renew(m.id);
  BOOST_TEST((actions_of(ana) == Actions{"customer.created", "membership.added", "membership.status_changed",
                                         "membership.renewed"}));
  events = since(before);
  for (const auto& e : events) {
    BOOST_TEST(e.category == EventCategory::customers);
    BOOST_TEST((e.customer == std::optional<CustomerId>(ana.id)));
    BOOST_TEST(details(e)["membership"] == m.id);
    BOOST_TEST(details(e)["plan"] == gold.id);
  }
  BOOST_TEST(details(events[0])["ends_at"] == format_timestamp(*m.ends_at));
  BOOST_TEST(details(events[1])["from"] == "active");
  BOOST_TEST(details(events[1])["to"] == "paused");
  BOOST_TEST(details(events[2])["from"] == format_timestamp(*m.ends_at));

  // A company's membership: an organisation event naming the company.
  before = cursor();
  db.memberships().add({.plan = corp.id, .company = acme.id});
  events = since(before);
  BOOST_TEST_REQUIRE(events.size() == 1u);
  BOOST_TEST(events[0].action == "membership.added");
  BOOST_TEST(!events[0].customer.has_value());
  BOOST_TEST(details(events[0])["company"] == acme.id);

  before = cursor();
  expect_error([&] { db.memberships().renew(999); }, Errc::not_found, "id");
  BOOST_TEST(cursor() == before);
}

// ---- credentials ----

BOOST_AUTO_TEST_CASE(credentials_record_their_events_without_the_value) {
  const Customer ana = customers().create({.first_name = "Ana", .last_name = "Silva"});
  const auto before = cursor();
  const Credential card = db.credentials().issue(
      {.kind = CredentialKind::smart_card, .value = "04A1B2C3D4", .customer_ref = ana.number, .label = "Front desk"});
  db.credentials().set_status(card.id, CredentialStatus::blocked);
  db.credentials().set_status(card.id, CredentialStatus::blocked);  // already: nothing
  db.credentials().set_label(card.id, "Spare");
  db.credentials().set_label(card.id, "Spare");  // unchanged: nothing
  db.credentials().set_validity(card.id, clock.now(), clock.now() + 24h);
  const Credential next = db.credentials().replace(card.id, {.value = "04FFEEDDCC"});
  const auto events = since(before);
  BOOST_TEST((actions_since(before) == Actions{"credential.issued", "credential.status_changed",
                                               "credential.label_changed", "credential.validity_changed",
                                               "credential.replaced"}));
  for (const auto& e : events) {
    BOOST_TEST(e.category == EventCategory::customers);
    BOOST_TEST(e.type == EventType::security);
    BOOST_TEST((e.customer == std::optional<CustomerId>(ana.id)));
    BOOST_TEST(e.summary.find("04") == std::string::npos);
    BOOST_TEST(e.details.find("04A1B2C3D4") == std::string::npos);
    BOOST_TEST(e.details.find("04FFEEDDCC") == std::string::npos);
    BOOST_TEST(details(e)["credential"] == card.id);
    BOOST_TEST(details(e)["kind"] == "smart_card");
  }
  BOOST_TEST(details(events[0])["label"] == "Front desk");
  BOOST_TEST(details(events[1])["to"] == "blocked");
  BOOST_TEST(details(events[2])["from"] == "Front desk");
  BOOST_TEST(details(events[2])["to"] == "Spare");
  BOOST_TEST(details(events[3])["to"]["valid_until"] == format_timestamp(clock.now() + 24h));
  BOOST_TEST(details(events[4])["replaced_by"] == next.id);

  const auto after = cursor();
  expect_error([&] { db.credentials().set_label(card.id, "x"); }, Errc::failed_precondition, "status");
  BOOST_TEST(cursor() == after);
}

// ---- doors ----

BOOST_AUTO_TEST_CASE(doors_record_configuration_and_permission_events) {
  const Customer ana = customers().create({.first_name = "Ana", .last_name = "Silva"});
  auto before = cursor();
  db.doors().create({.id = "front-gate", .name = "Front gate"});
  db.doors().update("front-gate", "Main gate", "");
  db.doors().update("front-gate", "Main gate", "");  // unchanged: nothing
  auto events = since(before);
  BOOST_TEST_REQUIRE(events.size() == 2u);
  expect_kind(events[0], "door.created", EventCategory::system, EventType::configuration);
  expect_kind(events[1], "door.updated", EventCategory::system, EventType::configuration);
  BOOST_TEST(!events[0].customer.has_value());
  BOOST_TEST(details(events[1])["fields"] == Json({"name"}));

  before = cursor();
  const Permission p = db.doors().grant({.customer_ref = ana.number, .door = "front-gate"});
  BOOST_TEST(db.doors().can_open(ana.number, "front-gate"));  // a read: nothing
  db.doors().check(ana.number, "front-gate");
  db.doors().open_door("no-such-card", "front-gate");
  db.doors().revoke(p.id);
  events = since(before);
  BOOST_TEST((actions_since(before) == Actions{"door.permission_granted", "door.permission_revoked"}));
  for (const auto& e : events) {
    expect_kind(e, e.action, EventCategory::customers, EventType::access);
    BOOST_TEST((e.customer == std::optional<CustomerId>(ana.id)));
    BOOST_TEST(details(e)["permission"] == p.id);
    BOOST_TEST(details(e)["door"] == "front-gate");
  }
}

// ---- connections ----

BOOST_AUTO_TEST_CASE(connections_record_on_both_timelines) {
  const Customer ana = customers().create({.first_name = "Ana", .last_name = "Silva", .email = "ana@acme.com"});
  const Customer bo = customers().create({.first_name = "Bo", .last_name = "Lee", .email = "bo@acme.com"});
  auto before = cursor();
  const Connection c = db.connections().connect({.from_ref = ana.number, .to_ref = bo.number, .type = "friend"});
  auto events = since(before);
  BOOST_TEST_REQUIRE(events.size() == 2u);
  BOOST_TEST((events[0].customer == std::optional<CustomerId>(ana.id)));
  BOOST_TEST((events[1].customer == std::optional<CustomerId>(bo.id)));
  for (const auto& e : events) {
    expect_kind(e, "connection.added", EventCategory::customers, EventType::data);
    BOOST_TEST(details(e)["connection"] == c.id);
    BOOST_TEST(details(e)["type"] == "friend");
  }
  BOOST_TEST(details(events[0])["with"] == bo.id.str());
  BOOST_TEST(details(events[1])["with"] == ana.id.str());

  before = cursor();
  db.connections().disconnect(c.id);
  BOOST_TEST((actions_since(before) == Actions{"connection.removed", "connection.removed"}));
  BOOST_TEST(last_of(bo).action == "connection.removed");

  before = cursor();
  db.connections().record_referral(ana.number, bo.number, "");
  events = since(before);
  BOOST_TEST_REQUIRE(events.size() == 2u);
  BOOST_TEST(events[0].action == "referral.recorded");
  BOOST_TEST(details(events[0])["role"] == "referrer");
  BOOST_TEST(details(events[1])["role"] == "referred");
  BOOST_TEST((events[1].customer == std::optional<CustomerId>(bo.id)));

  // Inference: one organisation event with the counts.
  db.companies().create({.name = "Acme", .domains = {"acme.com"}});
  before = cursor();
  const InferenceReport report = db.connections().infer();
  events = since(before);
  BOOST_TEST_REQUIRE(events.size() == 1u);
  expect_kind(events[0], "connections.inferred", EventCategory::system, EventType::data);
  BOOST_TEST(!events[0].customer.has_value());
  BOOST_TEST(details(events[0])["colleagues_added"] == report.colleagues_added);
  BOOST_TEST(report.colleagues_added == 1);

  before = cursor();
  expect_error([&] { db.connections().record_referral(bo.number, bo.number, ""); }, Errc::invalid_argument,
               "referred");
  BOOST_TEST(cursor() == before);
}

BOOST_AUTO_TEST_SUITE_END()
