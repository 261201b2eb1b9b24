#include "patron/commerce.hpp"

#include <algorithm>
#include <array>
#include <numeric>

#include "core/customer_ops.hpp"
#include "core/event_builders.hpp"
#include "core/record_ops.hpp"
#include "core/rules.hpp"
#include "core/enum_names.hpp"
#include "core/state.hpp"
#include "patron/error.hpp"
#include "text/text.hpp"

namespace patron {
namespace {

using detail::parse_named;
using detail::EventJson;

constexpr std::size_t kMaxRef = 128;
constexpr std::size_t kMaxName = 200;
constexpr std::size_t kMaxSubject = 300;
constexpr std::size_t kMaxBody = 20000;
constexpr std::size_t kMaxItems = 1000;
constexpr std::size_t kMaxPayments = 1000;
constexpr std::int64_t kMaxQuantity = 1'000'000;

constexpr std::array<std::string_view, 4> kOrderStatuses{"created", "confirmed", "completed", "cancelled"};
constexpr std::array<std::string_view, 6> kBookingStatuses{"scheduled", "rescheduled", "checked_in",
                                                           "no_show",   "completed",   "cancelled"};
constexpr std::array<std::string_view, 4> kEnquiryStatuses{"open", "in_progress", "resolved", "closed"};
constexpr std::array<std::string_view, 4> kMatches{"given", "email", "phone", "created"};
constexpr std::array<std::string_view, 3> kKinds{"order", "booking", "enquiry"};

// `what` names the record with its article: "an order", "a booking".
[[noreturn]] void illegal_move(std::string_view what, std::string_view from, std::string_view to) {
  throw Error(Errc::failed_precondition,
              "status: " + std::string(what) + " cannot move from " + std::string(from) + " to " + std::string(to),
              "status");
}

template <typename Status>
void check_filter(const RecordFilter<Status>& f) {
  if (f.from && f.until && *f.until <= *f.from) {
    throw Error(Errc::invalid_argument, "until: must be after from", "until");
  }
}

// Finds or creates the customer a pushed record belongs to.
std::pair<CustomerId, CustomerMatch> resolve(store::Transaction& tx, const CustomerRef& who,
                                             const Customer* to_create, Timestamp now, const std::string& region) {
  store::CustomerRepository& repo = tx.customers();
  if (!who.ref.empty()) {
    // In a pushed record the reference is its "customer" member.
    return {detail::require_customer(repo, who.ref, now, "customer").id, CustomerMatch::given};
  }
  const CustomerDetails& d = *who.details;
  if (!d.email.empty()) {
    if (auto id = repo.id_by_email(rules::email(d.email, "customer.email"))) return {*id, CustomerMatch::email};
  }
  if (!d.phone.empty() && !d.first_name.empty()) {
    const Phone phone = rules::phone(d.phone, PhoneLabel::mobile, region, "customer.phone");
    if (const auto id = detail::holder_of_phone(repo, phone.number, d.first_name, now)) {
      return {*id, CustomerMatch::phone};
    }
  }
  Customer c = *to_create;
  detail::insert_new_customer(tx, c, now);
  return {c.id, CustomerMatch::created};
}

// Validates a CustomerRef before the transaction; for details, also the
// customer that would be created (so a refusal happens before any write).
std::optional<Customer> prepare(const CustomerRef& who, Timestamp now, const std::string& region) {
  if (!who.ref.empty()) {
    if (who.details) {
      throw Error(Errc::invalid_argument, "customer: give a ref or details, not both", "customer");
    }
    return std::nullopt;
  }
  if (!who.details) throw Error(Errc::invalid_argument, "customer: give a ref or details", "customer");
  NewCustomer n;
  n.first_name = who.details->first_name;
  n.last_name = who.details->last_name;
  n.email = who.details->email;
  n.phone = who.details->phone;
  try {
    return rules::new_customer(n, now, region, "customer.");
  } catch (const Error& e) {
    // The recognition rule is about the customer member as a whole.
    if (e.field() != "customer.customer") throw;
    std::string message = e.what();
    message.replace(0, std::string_view("customer.customer").size(), "customer");
    throw Error(e.code(), message, "customer");
  }
}

struct SourceRef {
  std::string source;
  std::string external_ref;
};

SourceRef source_ref(std::string_view source, std::string_view external_ref) {
  return {text::clean_required(source, "source", kMaxRef), text::clean_required(external_ref, "external_ref", kMaxRef)};
}

// A payment's `at` left at the epoch means now.
Payment payment(const Payment& in, const std::string& f, Timestamp now) {
  Payment p;
  p.amount = rules::money(in.amount, f + ".amount", 1);
  p.method = text::clean_required(in.method, f + ".method", kMaxRef);
  p.at = in.at == Timestamp{} ? now : checked_time(in.at, f + ".at");
  return p;
}

std::vector<Payment> payments(const std::vector<Payment>& in, Timestamp now) {
  std::vector<Payment> out;
  if (in.size() > kMaxPayments) throw Error(Errc::invalid_argument, "payments: at most 1000 payments", "payments");
  for (std::size_t i = 0; i < in.size(); ++i) out.push_back(payment(in[i], indexed_field("payments", i), now));
  return out;
}

// An event about a pushed record on its customer's timeline.
void record_commerce(store::Transaction& tx, Timestamp now, const CustomerId& customer, EventCategory category,
                     EventType type, const char* action, const char* summary, const EventJson& details) {
  detail::record(tx, now, detail::make_change(customer, category, type, action, summary, details));
}

// "<kind>.status_changed": {"<kind>": id, "from", "to"}.
template <typename Record, typename Status>
void record_status(store::Transaction& tx, Timestamp now, const Record& r, EventCategory category, EventType type,
                   const char* kind, const char* summary, Status from) {
  record_commerce(tx, now, r.customer, category, type, (std::string(kind) + ".status_changed").c_str(), summary,
                  EventJson{{kind, r.id}, {"from", std::string(to_string(from))}, {"to", std::string(to_string(r.status))}});
}

template <typename T>
T found(std::optional<T> v, std::string_view what, std::int64_t id) {
  if (!v) throw Error(Errc::not_found, "id: no " + std::string(what) + " " + std::to_string(id), "id");
  return std::move(*v);
}

}  // namespace

std::string_view to_string(OrderStatus v) noexcept { return kOrderStatuses[static_cast<std::size_t>(v)]; }
std::string_view to_string(BookingStatus v) noexcept { return kBookingStatuses[static_cast<std::size_t>(v)]; }
std::string_view to_string(EnquiryStatus v) noexcept { return kEnquiryStatuses[static_cast<std::size_t>(v)]; }
std::string_view to_string(CustomerMatch v) noexcept { return kMatches[static_cast<std::size_t>(v)]; }
std::string_view to_string(RecordKind v) noexcept { return kKinds[static_cast<std::size_t>(v)]; }
RecordKind parse_record_kind(std::string_view text, std::string_view field) {
  return parse_named<RecordKind>(kKinds, text, field);
}
OrderStatus parse_order_status(std::string_view text, std::string_view field) {
  return parse_named<OrderStatus>(kOrderStatuses, text, field);
}
BookingStatus parse_booking_status(std::string_view text, std::string_view field) {
  return parse_named<BookingStatus>(kBookingStatuses, text, field);
}
EnquiryStatus parse_enquiry_status(std::string_view text, std::string_view field) {
  return parse_named<EnquiryStatus>(kEnquiryStatuses, text, field);
}

bool can_move(OrderStatus from, OrderStatus to) noexcept {
  using S = OrderStatus;
  switch (from) {
    case S::created: return to == S::confirmed || to == S::completed || to == S::cancelled;
    case S::confirmed: return to == S::completed || to == S::cancelled;
    default: return false;
  }
}

bool can_move(BookingStatus from, BookingStatus to) noexcept {
  using S = BookingStatus;
  switch (from) {
    case S::scheduled:
    case S::rescheduled:
      return to == S::rescheduled || to == S::checked_in || to == S::no_show || to == S::cancelled;
    case S::checked_in: return to == S::completed;
    default: return false;
  }
}

bool can_move(EnquiryStatus from, EnquiryStatus to) noexcept {
  using S = EnquiryStatus;
  switch (from) {
    case S::open: return to == S::in_progress || to == S::resolved || to == S::closed;
    case S::in_progress: return to == S::resolved || to == S::closed;
    case S::resolved: return to == S::open || to == S::closed;
    default: return false;
  }
}

// ---- Orders ----

Pushed<Order> Orders::record(const NewOrder& in) {
  const Timestamp now = state_->now();
  const std::string& region = state_->options.default_region;
  const detail::CheckedOrder checked = detail::checked_order(in, now, region);
  return state_->write([&](store::Transaction& tx) { return detail::record_order(tx, checked, now, region); });
}

Order Orders::get(std::int64_t id) const {
  return state_->read([&](store::Transaction& tx) { return found(tx.commerce().order(id), "order", id); });
}

std::optional<Order> Orders::find(std::string_view source, std::string_view external_ref) const {
  const auto key = source_ref(source, external_ref);
  return state_->read([&](store::Transaction& tx) { return tx.commerce().order_by_ref(key.source, key.external_ref); });
}

Order Orders::set_status(std::int64_t id, OrderStatus status) {
  const Timestamp now = state_->now();
  return state_->write([&](store::Transaction& tx) {
    Order o = found(tx.commerce().order(id), "order", id);
    if (!can_move(o.status, status)) illegal_move("an order", to_string(o.status), to_string(status));
    const OrderStatus from = o.status;
    o.status = status;
    o.updated_at = now;
    tx.commerce().update_order(o);
    record_status(tx, now, o, EventCategory::orders, EventType::order, "order", "Order status changed", from);
    return o;
  });
}

Order Orders::add_payment(std::int64_t id, const Payment& payment) {
  const Timestamp now = state_->now();
  const Payment p = patron::payment(payment, "payment", now);
  return state_->write([&](store::Transaction& tx) {
    Order o = found(tx.commerce().order(id), "order", id);
    if (o.status == OrderStatus::cancelled) {
      throw Error(Errc::failed_precondition, "status: a cancelled order takes no payment", "status");
    }
    tx.commerce().add_payment(id, p);
    o.payments.push_back(p);
    if (saturating_add(o.paid, p.amount) > kMaxMoney) {
      throw Error(Errc::invalid_argument, "payment.amount: the order's paid total would pass 10^15 minor units",
                  "payment.amount");
    }
    o.paid += p.amount;
    o.updated_at = now;
    tx.commerce().update_order(o);
    record_commerce(tx, now, o.customer, EventCategory::orders, EventType::payment, "order.payment_added",
                    "Payment added",
                    EventJson{{"order", o.id},
                              {"amount", p.amount},
                              {"method", p.method},
                              {"currency", o.currency},
                              {"paid", o.paid}});
    return o;
  });
}

std::vector<Order> Orders::list(std::string_view customer_ref, const OrderFilter& filter, Page page) const {
  rules::page(page);
  check_filter(filter);
  const Timestamp now = state_->now();
  return state_->read([&](store::Transaction& tx) {
    const Customer c = detail::require_customer(tx.customers(), customer_ref, now);
    return tx.commerce().orders_of(c.id, filter, page);
  });
}

// ---- Bookings ----

namespace {

void check_window(Timestamp starts_at, Timestamp ends_at) {
  if (starts_at == Timestamp{}) throw Error(Errc::invalid_argument, "starts_at: required", "starts_at");
  checked_time(starts_at, "starts_at");
  checked_time(ends_at, "ends_at");
  if (ends_at <= starts_at) throw Error(Errc::invalid_argument, "ends_at: must be after starts_at", "ends_at");
}

}  // namespace

Pushed<Booking> Bookings::record(const NewBooking& in) {
  const Timestamp now = state_->now();
  const std::string& region = state_->options.default_region;
  const std::optional<Customer> to_create = prepare(in.customer, now, region);
  Booking b;
  auto [source, ref] = source_ref(in.source, in.external_ref);
  b.source = std::move(source);
  b.external_ref = std::move(ref);
  b.service = text::clean_required(in.service, "service", kMaxName);
  check_window(in.starts_at, in.ends_at);
  b.starts_at = in.starts_at;
  b.ends_at = in.ends_at;
  b.status = in.status;
  if (in.party_size < 1 || in.party_size > 10000) {
    throw Error(Errc::invalid_argument, "party_size: must be between 1 and 10000", "party_size");
  }
  b.party_size = in.party_size;
  const std::string order_ref = text::clean(in.order_external_ref, "order_external_ref", kMaxRef);
  b.created_at = now;
  b.updated_at = now;
  return state_->write([&](store::Transaction& tx) {
    if (!order_ref.empty()) {
      auto order = tx.commerce().order_by_ref(b.source, order_ref);
      if (!order) {
        throw Error(Errc::not_found, "order_external_ref: no order " + order_ref + " from " + b.source,
                    "order_external_ref");
      }
      b.order_id = order->id;
    }
    auto [id, how] = resolve(tx, in.customer, to_create ? &*to_create : nullptr, now, region);
    b.customer = id;
    tx.commerce().insert_booking(b);
    EventJson details{{"booking", b.id},
                      {"source", b.source},
                      {"external_ref", b.external_ref},
                      {"service", b.service},
                      {"status", std::string(to_string(b.status))},
                      {"starts_at", format_timestamp(b.starts_at)},
                      {"ends_at", format_timestamp(b.ends_at)},
                      {"party_size", b.party_size},
                      {"customer_match", std::string(to_string(how))}};
    if (b.order_id) details["order"] = *b.order_id;
    record_commerce(tx, now, b.customer, EventCategory::bookings, EventType::booking, "booking.recorded",
                    "Booking recorded", details);
    return Pushed<Booking>{b, how};
  });
}

Booking Bookings::get(std::int64_t id) const {
  return state_->read([&](store::Transaction& tx) { return found(tx.commerce().booking(id), "booking", id); });
}

std::optional<Booking> Bookings::find(std::string_view source, std::string_view external_ref) const {
  const auto key = source_ref(source, external_ref);
  return state_->read(
      [&](store::Transaction& tx) { return tx.commerce().booking_by_ref(key.source, key.external_ref); });
}

Booking Bookings::set_status(std::int64_t id, BookingStatus status) {
  const Timestamp now = state_->now();
  return state_->write([&](store::Transaction& tx) {
    Booking b = found(tx.commerce().booking(id), "booking", id);
    if (!can_move(b.status, status)) illegal_move("a booking", to_string(b.status), to_string(status));
    const BookingStatus from = b.status;
    b.status = status;
    b.updated_at = now;
    tx.commerce().update_booking(b);
    record_status(tx, now, b, EventCategory::bookings, EventType::booking, "booking", "Booking status changed", from);
    return b;
  });
}

Booking Bookings::reschedule(std::int64_t id, Timestamp starts_at, Timestamp ends_at) {
  check_window(starts_at, ends_at);
  const Timestamp now = state_->now();
  return state_->write([&](store::Transaction& tx) {
    Booking b = found(tx.commerce().booking(id), "booking", id);
    if (!can_move(b.status, BookingStatus::rescheduled)) {
      illegal_move("a booking", to_string(b.status), to_string(BookingStatus::rescheduled));
    }
    const EventJson from{{"starts_at", format_timestamp(b.starts_at)}, {"ends_at", format_timestamp(b.ends_at)}};
    b.status = BookingStatus::rescheduled;
    b.starts_at = starts_at;
    b.ends_at = ends_at;
    b.updated_at = now;
    tx.commerce().update_booking(b);
    record_commerce(
        tx, now, b.customer, EventCategory::bookings, EventType::booking, "booking.rescheduled", "Booking rescheduled",
        EventJson{{"booking", b.id},
                  {"from", from},
                  {"to", EventJson{{"starts_at", format_timestamp(starts_at)}, {"ends_at", format_timestamp(ends_at)}}}});
    return b;
  });
}

std::vector<Booking> Bookings::list(std::string_view customer_ref, const BookingFilter& filter, Page page) const {
  rules::page(page);
  check_filter(filter);
  const Timestamp now = state_->now();
  return state_->read([&](store::Transaction& tx) {
    const Customer c = detail::require_customer(tx.customers(), customer_ref, now);
    return tx.commerce().bookings_of(c.id, filter, page);
  });
}

// ---- Enquiries ----

Pushed<Enquiry> Enquiries::record(const NewEnquiry& in) {
  const Timestamp now = state_->now();
  const std::string& region = state_->options.default_region;
  const std::optional<Customer> to_create = prepare(in.customer, now, region);
  Enquiry e;
  auto [source, ref] = source_ref(in.source, in.external_ref);
  e.source = std::move(source);
  e.external_ref = std::move(ref);
  e.channel = text::clean_required(in.channel, "channel", kMaxRef);
  e.subject = text::clean(in.subject, "subject", kMaxSubject);
  if (!text::is_valid_utf8(in.body)) throw Error(Errc::invalid_argument, "body: not valid UTF-8", "body");
  if (text::utf8_length(in.body) > kMaxBody) {
    throw Error(Errc::invalid_argument, "body: longer than 20000 characters", "body");
  }
  e.body = in.body;  // free text: line breaks are kept
  e.status = in.status;
  e.received_at = checked_time(in.received_at, "received_at").value_or(now);
  e.created_at = now;
  e.updated_at = now;
  return state_->write([&](store::Transaction& tx) {
    auto [id, how] = resolve(tx, in.customer, to_create ? &*to_create : nullptr, now, region);
    e.customer = id;
    tx.commerce().insert_enquiry(e);
    record_commerce(tx, now, e.customer, EventCategory::bookings, EventType::enquiry, "enquiry.recorded",
                    "Enquiry recorded",
                    EventJson{{"enquiry", e.id},
                              {"source", e.source},
                              {"external_ref", e.external_ref},
                              {"channel", e.channel},
                              {"status", std::string(to_string(e.status))},
                              {"customer_match", std::string(to_string(how))}});
    return Pushed<Enquiry>{e, how};
  });
}

Enquiry Enquiries::get(std::int64_t id) const {
  return state_->read([&](store::Transaction& tx) { return found(tx.commerce().enquiry(id), "enquiry", id); });
}

std::optional<Enquiry> Enquiries::find(std::string_view source, std::string_view external_ref) const {
  const auto key = source_ref(source, external_ref);
  return state_->read(
      [&](store::Transaction& tx) { return tx.commerce().enquiry_by_ref(key.source, key.external_ref); });
}

Enquiry Enquiries::set_status(std::int64_t id, EnquiryStatus status) {
  const Timestamp now = state_->now();
  return state_->write([&](store::Transaction& tx) {
    Enquiry e = found(tx.commerce().enquiry(id), "enquiry", id);
    if (!can_move(e.status, status)) illegal_move("an enquiry", to_string(e.status), to_string(status));
    const EnquiryStatus from = e.status;
    e.status = status;
    e.updated_at = now;
    tx.commerce().update_enquiry(e);
    record_status(tx, now, e, EventCategory::bookings, EventType::enquiry, "enquiry", "Enquiry status changed", from);
    return e;
  });
}

std::vector<Enquiry> Enquiries::list(std::string_view customer_ref, const EnquiryFilter& filter, Page page) const {
  rules::page(page);
  check_filter(filter);
  const Timestamp now = state_->now();
  return state_->read([&](store::Transaction& tx) {
    const Customer c = detail::require_customer(tx.customers(), customer_ref, now);
    return tx.commerce().enquiries_of(c.id, filter, page);
  });
}

// ---- a customer's history across kinds ----

std::vector<RecordSummary> Customers::history(std::string_view ref, const HistoryFilter& filter, Page page) const {
  rules::page(page);
  if (filter.from && filter.until && *filter.until <= *filter.from) {
    throw Error(Errc::invalid_argument, "until: must be after from", "until");
  }
  for (std::size_t i = 0; i < filter.statuses.size(); ++i) {
    const auto& s = filter.statuses[i];
    const auto known = [&](const auto& names) { return std::find(names.begin(), names.end(), s) != names.end(); };
    if (!known(kOrderStatuses) && !known(kBookingStatuses) && !known(kEnquiryStatuses)) {
      const std::string f = indexed_field("statuses", i);
      throw Error(Errc::invalid_argument, f + ": not a status of an order, booking or enquiry", f);
    }
  }
  const Timestamp now = state_->now();
  return state_->read([&](store::Transaction& tx) {
    const Customer c = detail::require_customer(tx.customers(), ref, now);
    return tx.commerce().history_of(c.id, filter, page);
  });
}

namespace detail {

CheckedOrder checked_order(const NewOrder& in, Timestamp now, const std::string& region) {
  CheckedOrder checked{Order{}, in.customer, prepare(in.customer, now, region)};
  Order& o = checked.order;
  auto [source, ref] = source_ref(in.source, in.external_ref);
  o.source = std::move(source);
  o.external_ref = std::move(ref);
  o.placed_at = checked_time(in.placed_at, "placed_at").value_or(now);
  o.status = in.status;
  o.currency = normalize_currency(in.currency, "currency");
  o.total = rules::money(in.total, "total");
  if (in.items.size() > kMaxItems) throw Error(Errc::invalid_argument, "items: at most 1000 items", "items");
  for (std::size_t i = 0; i < in.items.size(); ++i) {
    const std::string f = indexed_field("items", i);
    OrderItem item;
    item.name = text::clean_required(in.items[i].name, f + ".name", kMaxName);
    item.quantity = rules::in_range(in.items[i].quantity, f + ".quantity", 1, kMaxQuantity, "1 to 10^6");
    item.unit_price = rules::money(in.items[i].unit_price, f + ".unit_price");
    // Both bounded, so the product fits; the line's amount is money too.
    rules::money(item.quantity * item.unit_price, f + ".amount");
    item.category = text::clean(in.items[i].category, f + ".category", kMaxRef);
    o.items.push_back(std::move(item));
  }
  o.payments = payments(in.payments, now);
  const std::int64_t paid_sum = std::accumulate(o.payments.begin(), o.payments.end(), std::int64_t{0},
                                                [](std::int64_t s, const Payment& p) { return s + p.amount; });
  rules::money(paid_sum, "payments");  // at most 1000 of at most 10^15 each: no overflow on the way
  if (in.paid) {
    rules::money(*in.paid, "paid");
    if (!o.payments.empty() && *in.paid != paid_sum) {
      throw Error(Errc::invalid_argument, "paid: must equal the sum of payments (" + std::to_string(paid_sum) + ")",
                  "paid");
    }
  }
  o.paid = in.paid.value_or(paid_sum);
  o.created_at = now;
  o.updated_at = now;
  return checked;
}

Pushed<Order> record_order(store::Transaction& tx, const CheckedOrder& checked, Timestamp now,
                           const std::string& region) {
  Order o = checked.order;
  Pushed<Order> out;
  auto [id, how] = resolve(tx, checked.customer, checked.to_create ? &*checked.to_create : nullptr, now, region);
  o.customer = id;
  tx.commerce().insert_order(o);
  record_commerce(tx, now, o.customer, EventCategory::orders, EventType::order, "order.recorded", "Order recorded",
                  EventJson{{"order", o.id},
                            {"source", o.source},
                            {"external_ref", o.external_ref},
                            {"status", std::string(to_string(o.status))},
                            {"total", o.total},
                            {"paid", o.paid},
                            {"currency", o.currency},
                            {"customer_match", std::string(to_string(how))}});
  out.record = o;
  out.customer_match = how;
  return out;
}


}  // namespace detail

}  // namespace patron
