// Orders, bookings and enquiries: recording, customer resolution, status
// moves, listing, and that refusals leave nothing behind.
#include <boost/test/unit_test.hpp>

#include "fixture.hpp"

using namespace patron;
using patron::testing::DbFixture;
using patron::testing::expect_error;

namespace {

struct Shop : DbFixture {
  Customer ana = customers().create({.first_name = "Ana", .last_name = "Silva", .email = "ana@example.com"});

  NewOrder order(std::string ref, std::int64_t total = 4200) {
    NewOrder o;
    o.customer.ref = ana.number;
    o.source = "pos";
    o.external_ref = std::move(ref);
    o.currency = "gbp";
    o.total = total;
    return o;
  }
  NewBooking booking(std::string ref, Timestamp start) {
    NewBooking b;
    b.customer.ref = ana.id.str();
    b.source = "spa";
    b.external_ref = std::move(ref);
    b.service = "massage 60";
    b.starts_at = start;
    b.ends_at = start + std::chrono::hours(1);
    return b;
  }
};

Timestamp at(int day) { return from_micros(patron::testing::kStartMicros) + std::chrono::days(day); }

}  // namespace

BOOST_FIXTURE_TEST_SUITE(orders, Shop)

BOOST_AUTO_TEST_CASE(record_and_read_back) {
  NewOrder n = order("R-1", 5400);
  n.placed_at = at(-2);
  n.items = {OrderItem{"Espresso", 2, 250, "drinks"}, OrderItem{"Cake", 1, 4900, "food"}};
  n.payments = {Payment{.amount = 5000, .method = "card"}, Payment{.amount = 400, .method = "cash"}};
  const auto pushed = db.orders().record(n);
  BOOST_TEST(to_string(pushed.customer_match) == "given");
  const Order& o = pushed.record;
  BOOST_TEST(o.id > 0);
  BOOST_TEST(o.customer == ana.id);
  BOOST_TEST(o.currency == "GBP");
  BOOST_TEST(o.paid == 5400);  // the sum of payments
  BOOST_TEST(o.payments[0].at == clock.now());
  BOOST_TEST(o.placed_at == at(-2));
  BOOST_TEST(to_string(o.status) == "created");
  BOOST_TEST((db.orders().get(o.id) == o));
  BOOST_TEST((*db.orders().find("pos", "R-1") == o));
  BOOST_TEST(!db.orders().find("web", "R-1").has_value());
}

BOOST_AUTO_TEST_CASE(refusals) {
  expect_error([&] { db.orders().record(order("R-1", -1)); }, Errc::invalid_argument, "total");
  auto bad_currency = order("R-1");
  bad_currency.currency = "GBX";
  expect_error([&] { db.orders().record(bad_currency); }, Errc::invalid_argument, "currency", "ISO 4217");
  auto no_ref = order("");
  expect_error([&] { db.orders().record(no_ref); }, Errc::invalid_argument, "external_ref");
  auto bad_item = order("R-1");
  bad_item.items = {OrderItem{"Tea", 0, 100, ""}};
  expect_error([&] { db.orders().record(bad_item); }, Errc::invalid_argument, "items[0].quantity");
  auto mismatch = order("R-1");
  mismatch.payments = {Payment{.amount = 100, .method = "card"}};
  mismatch.paid = 200;
  expect_error([&] { db.orders().record(mismatch); }, Errc::invalid_argument, "paid");
  auto nobody = order("R-1");
  nobody.customer.ref = "99999";
  expect_error([&] { db.orders().record(nobody); }, Errc::not_found, "customer", "customer: no customer '99999'");
  auto neither = order("R-1");
  neither.customer.ref.clear();
  expect_error([&] { db.orders().record(neither); }, Errc::invalid_argument, "customer");
  db.orders().record(order("R-1"));
  expect_error([&] { db.orders().record(order("R-1")); }, Errc::already_exists, "external_ref", "already recorded");
  BOOST_TEST(db.orders().list(ana.number).size() == 1u);
  expect_error([&] { db.orders().get(999); }, Errc::not_found, "id");
}

BOOST_AUTO_TEST_CASE(status_moves_forward_only) {
  const auto o = db.orders().record(order("R-1")).record;
  BOOST_TEST(to_string(db.orders().set_status(o.id, OrderStatus::confirmed).status) == "confirmed");
  expect_error([&] { db.orders().set_status(o.id, OrderStatus::created); }, Errc::failed_precondition, "status",
               "from confirmed to created");
  BOOST_TEST(to_string(db.orders().set_status(o.id, OrderStatus::completed).status) == "completed");
  expect_error([&] { db.orders().set_status(o.id, OrderStatus::created); }, Errc::failed_precondition, "status",
               "from completed to created");
  expect_error([&] { db.orders().set_status(o.id, OrderStatus::cancelled); }, Errc::failed_precondition, "status");
  BOOST_TEST(!can_move(OrderStatus::created, OrderStatus::created));
  BOOST_TEST(can_move(OrderStatus::created, OrderStatus::completed));
}

BOOST_AUTO_TEST_CASE(payments_raise_paid) {
  const auto o = db.orders().record(order("R-1", 1000)).record;
  clock.advance(std::chrono::minutes(5));
  const auto paid = db.orders().add_payment(o.id, Payment{.amount = 600, .method = "card"});
  BOOST_TEST(paid.paid == 600);
  BOOST_TEST(paid.payments.size() == 1u);
  BOOST_TEST(paid.updated_at == clock.now());
  BOOST_TEST((db.orders().get(o.id) == paid));
  expect_error([&] { db.orders().add_payment(o.id, Payment{.amount = 0, .method = "card"}); },
               Errc::invalid_argument, "payment.amount");
  db.orders().set_status(o.id, OrderStatus::cancelled);
  expect_error([&] { db.orders().add_payment(o.id, Payment{.amount = 1, .method = "card"}); },
               Errc::failed_precondition, "status");
}

BOOST_AUTO_TEST_CASE(listing_filters_and_pages) {
  for (int i = 0; i < 5; ++i) {
    auto n = order("R-" + std::to_string(i));
    n.placed_at = at(-i);
    db.orders().record(n);
  }
  db.orders().set_status(db.orders().find("pos", "R-1")->id, OrderStatus::cancelled);
  auto refs = [&](const OrderFilter& f, Page p = {}) {
    std::vector<std::string> out;
    for (const auto& o : db.orders().list(ana.number, f, p)) out.push_back(o.external_ref);
    return out;
  };
  BOOST_TEST(refs({}) == (std::vector<std::string>{"R-0", "R-1", "R-2", "R-3", "R-4"}));  // newest first
  BOOST_TEST(refs({.statuses = {OrderStatus::cancelled}}) == std::vector<std::string>{"R-1"});
  BOOST_TEST(refs({.from = at(-3), .until = at(-1)}) == (std::vector<std::string>{"R-2", "R-3"}));
  BOOST_TEST(refs({}, {.limit = 2, .offset = 1}) == (std::vector<std::string>{"R-1", "R-2"}));
  expect_error([&] { db.orders().list(ana.number, {.from = at(0), .until = at(-1)}); }, Errc::invalid_argument, "until");
  expect_error([&] { db.orders().list(ana.number, {}, {.limit = 0}); }, Errc::invalid_argument, "limit");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(customer_resolution, Shop)

BOOST_AUTO_TEST_CASE(finds_by_email_then_phone_else_creates) {
  auto with_details = [&](std::string ref, CustomerDetails d) {
    NewOrder n = order(std::move(ref));
    n.customer = CustomerRef{.details = std::move(d)};
    return db.orders().record(n);
  };
  auto by_email = with_details("E-1", {.first_name = "Someone", .email = "ANA@example.com"});
  BOOST_TEST(to_string(by_email.customer_match) == "email");
  BOOST_TEST(by_email.record.customer == ana.id);

  customers().add_phone(ana.number, "07911 123456");
  auto by_phone = with_details("P-1", {.first_name = "ANA", .phone = "+44 7911 123456"});
  BOOST_TEST(to_string(by_phone.customer_match) == "phone");
  BOOST_TEST(by_phone.record.customer == ana.id);

  // Same phone, another first name: a new customer.
  auto created = with_details("C-1", {.first_name = "Bruno", .phone = "07911 123456"});
  BOOST_TEST(to_string(created.customer_match) == "created");
  const auto bruno = customers().get(created.record.customer.str());
  BOOST_TEST(bruno.first_name == "Bruno");
  BOOST_TEST(bruno.phones[0].number == "+447911123456");
}

BOOST_AUTO_TEST_CASE(a_refused_record_creates_no_customer) {
  NewOrder n = order("X-1", -5);
  n.customer = CustomerRef{.details = CustomerDetails{.first_name = "Nova", .last_name = "Person"}};
  expect_error([&] { db.orders().record(n); }, Errc::invalid_argument, "total");
  BOOST_TEST(customers().search("nova").empty());
  NewOrder dup = order("X-2");
  db.orders().record(dup);
  dup.customer = CustomerRef{.details = CustomerDetails{.first_name = "Nova", .last_name = "Person"}};
  expect_error([&] { db.orders().record(dup); }, Errc::already_exists, "external_ref");
  BOOST_TEST(customers().search("nova").empty());  // the customer insert was rolled back too
  NewOrder unrecognisable = order("X-3");
  unrecognisable.customer = CustomerRef{.details = CustomerDetails{.first_name = "Nova"}};
  expect_error([&] { db.orders().record(unrecognisable); }, Errc::invalid_argument, "customer");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(bookings_and_enquiries, Shop)

BOOST_AUTO_TEST_CASE(bookings_move_and_link_orders) {
  const auto o = db.orders().record(order("R-9")).record;
  NewBooking n = booking("B-1", at(3));
  n.party_size = 2;
  n.order_external_ref = "R-9";
  n.source = "pos";
  const auto b = db.bookings().record(n).record;
  BOOST_TEST(*b.order_id == o.id);
  BOOST_TEST((db.bookings().get(b.id) == b));
  const auto moved = db.bookings().reschedule(b.id, at(4), at(4) + std::chrono::minutes(90));
  BOOST_TEST(to_string(moved.status) == "rescheduled");
  BOOST_TEST(moved.starts_at == at(4));
  BOOST_TEST(to_string(db.bookings().set_status(b.id, BookingStatus::checked_in).status) == "checked_in");
  expect_error([&] { db.bookings().set_status(b.id, BookingStatus::scheduled); }, Errc::failed_precondition, "status");
  BOOST_TEST(to_string(db.bookings().set_status(b.id, BookingStatus::completed).status) == "completed");
  expect_error([&] { db.bookings().reschedule(b.id, at(5), at(6)); }, Errc::failed_precondition, "status");

  NewBooking bad = booking("B-2", at(3));
  bad.ends_at = bad.starts_at;
  expect_error([&] { db.bookings().record(bad); }, Errc::invalid_argument, "ends_at");
  NewBooking no_order = booking("B-3", at(3));
  no_order.order_external_ref = "nope";
  expect_error([&] { db.bookings().record(no_order); }, Errc::not_found, "order_external_ref");
  NewBooking zero = booking("B-4", at(3));
  zero.party_size = 0;
  expect_error([&] { db.bookings().record(zero); }, Errc::invalid_argument, "party_size");
  db.bookings().record(booking("B-5", at(1)));
  const auto list = db.bookings().list(ana.number);
  BOOST_TEST(list.size() == 2u);
  BOOST_TEST(list[0].external_ref == "B-1");  // latest start first
  BOOST_TEST(db.bookings().list(ana.number, {.statuses = {BookingStatus::scheduled}}).size() == 1u);
}

BOOST_AUTO_TEST_CASE(enquiries) {
  NewEnquiry n;
  n.customer = CustomerRef{.details = CustomerDetails{.email = "new.guest@example.org"}};
  n.source = "web";
  n.external_ref = "Q-1";
  n.channel = "web form";
  n.subject = "Wedding in June";
  n.body = "Hello,\nwe are 80 guests.";
  const auto pushed = db.enquiries().record(n);
  BOOST_TEST(to_string(pushed.customer_match) == "created");
  BOOST_TEST(pushed.record.body == "Hello,\nwe are 80 guests.");
  BOOST_TEST(pushed.record.received_at == clock.now());
  BOOST_TEST(customers().find_by_email("new.guest@example.org")->id == pushed.record.customer);
  const auto id = pushed.record.id;
  BOOST_TEST(to_string(db.enquiries().set_status(id, EnquiryStatus::resolved).status) == "resolved");
  BOOST_TEST(to_string(db.enquiries().set_status(id, EnquiryStatus::open).status) == "open");  // reopened
  db.enquiries().set_status(id, EnquiryStatus::closed);
  expect_error([&] { db.enquiries().set_status(id, EnquiryStatus::open); }, Errc::failed_precondition, "status");
  n.external_ref = "Q-2";
  n.body = "\xff";
  expect_error([&] { db.enquiries().record(n); }, Errc::invalid_argument, "body");
  n.body = "ok";
  n.channel = "";
  expect_error([&] { db.enquiries().record(n); }, Errc::invalid_argument, "channel");
  BOOST_TEST(db.enquiries().list(pushed.record.customer.str()).size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(history, Shop)

BOOST_AUTO_TEST_CASE(one_list_across_kinds_filtered_by_kind_status_and_time) {
  auto o = order("R-1", 1500);
  o.placed_at = at(-3);
  const auto first = db.orders().record(o).record;
  db.bookings().record(booking("B-1", at(-2)));
  NewEnquiry e;
  e.customer.ref = ana.number;
  e.source = "web";
  e.external_ref = "Q-1";
  e.channel = "email";
  e.subject = "Allergies";
  e.received_at = at(-1);
  db.enquiries().record(e);
  auto cancelled = order("R-2", 900);
  cancelled.placed_at = at(-4);
  cancelled.status = OrderStatus::cancelled;
  db.orders().record(cancelled);

  auto kinds = [&](const HistoryFilter& f, Page p = {}) {
    std::vector<std::string> out;
    for (const auto& r : customers().history(ana.number, f, p)) out.push_back(std::string(to_string(r.kind)) + ":" + r.external_ref);
    return out;
  };
  BOOST_TEST(kinds({}) == (std::vector<std::string>{"enquiry:Q-1", "booking:B-1", "order:R-1", "order:R-2"}));
  BOOST_TEST(kinds({.kinds = {RecordKind::order}}) == (std::vector<std::string>{"order:R-1", "order:R-2"}));
  BOOST_TEST(kinds({.statuses = {"cancelled", "open"}}) == (std::vector<std::string>{"enquiry:Q-1", "order:R-2"}));
  BOOST_TEST(kinds({.from = at(-3), .until = at(-1)}) == (std::vector<std::string>{"booking:B-1", "order:R-1"}));
  BOOST_TEST(kinds({}, {.limit = 1, .offset = 1}) == std::vector<std::string>{"booking:B-1"});
  const auto rows = customers().history(ana.id.str(), {.kinds = {RecordKind::order}}, {.limit = 1});
  BOOST_TEST_REQUIRE(rows.size() == 1u);
  BOOST_TEST(rows[0].id == first.id);
  BOOST_TEST(rows[0].total == 1500);
  BOOST_TEST(rows[0].currency == "GBP");
  BOOST_TEST(rows[0].status == "created");
  BOOST_TEST(rows[0].at == at(-3));
  BOOST_TEST(customers().history(ana.number, {.kinds = {RecordKind::booking}})[0].label == "massage 60");
  expect_error([&] { customers().history(ana.number, {.statuses = {"open", "gone"}}); }, Errc::invalid_argument,
               "statuses[1]");
  expect_error([&] { customers().history(ana.number, {.from = at(0), .until = at(-1)}); }, Errc::invalid_argument,
               "until");
  expect_error([&] { customers().history("99999"); }, Errc::not_found, "ref");
  expect_error([] { parse_record_kind("invoice"); }, Errc::invalid_argument, "kinds");
}

BOOST_AUTO_TEST_SUITE_END()
