// Orders, bookings and enquiries as JSON, and a customer's history of them.
#include "json/json_internal.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "patron/error.hpp"

namespace patron::json {

using namespace internal;

namespace {

template <typename T>
std::string encode_pushed(const Pushed<T>& p, const char* key) {
  return json{{"customer_match", to_string(p.customer_match)}, {key, to_json(p.record)}}.dump();
}

CustomerRef customer_ref_from(const json& j) {
  CustomerRef who;
  const auto it = j.find("customer");
  if (it == j.end() || it->is_null()) return who;
  if (it->is_string()) {
    who.ref = it->get<std::string>();
    return who;
  }
  require_object(*it, "customer", {"first_name", "last_name", "email", "phone"});
  who.details = CustomerDetails{get_string(*it, "first_name", "customer.first_name"),
                                get_string(*it, "last_name", "customer.last_name"),
                                get_string(*it, "email", "customer.email"), get_string(*it, "phone", "customer.phone")};
  return who;
}

Payment payment_from(const json& j, const std::string& field) {
  require_object(j, field, {"amount", "method", "at"});
  Payment p;
  p.amount = get_int(j, "amount", path(field, "amount"), 0);
  p.method = get_string(j, "method", path(field, "method"));
  if (auto at = get_time(j, "at", path(field, "at"))) p.at = *at;
  return p;
}

template <typename Status, typename Parse>
RecordFilter<Status> filter_from(std::string_view text, Parse parse) {
  RecordFilter<Status> f;
  if (text.empty()) return f;
  const json j = parse_json(text);
  require_object(j, "", {"statuses", "from", "until"});
  if (auto it = j.find("statuses"); it != j.end() && !it->is_null()) {
    const auto names = get_strings(*it, "statuses");
    for (std::size_t i = 0; i < names.size(); ++i) {
      f.statuses.push_back(parse(names[i], indexed_field("statuses", i)));
    }
  }
  f.from = get_time(j, "from", "from");
  f.until = get_time(j, "until", "until");
  return f;
}

}  // namespace

namespace internal {

json to_json(const Order& o) {
  json items = json::array();
  for (const auto& i : o.items) {
    items.push_back({{"name", i.name}, {"quantity", i.quantity}, {"unit_price", i.unit_price}, {"category", i.category}});
  }
  json payments = json::array();
  for (const auto& p : o.payments) {
    payments.push_back({{"amount", p.amount}, {"method", p.method}, {"at", format_timestamp(p.at)}});
  }
  return {{"id", o.id},
          {"customer", o.customer.str()},
          {"source", o.source},
          {"external_ref", o.external_ref},
          {"placed_at", format_timestamp(o.placed_at)},
          {"status", to_string(o.status)},
          {"currency", o.currency},
          {"total", o.total},
          {"paid", o.paid},
          {"items", std::move(items)},
          {"payments", std::move(payments)},
          {"created_at", format_timestamp(o.created_at)},
          {"updated_at", format_timestamp(o.updated_at)}};
}

json to_json(const Booking& b) {
  return {{"id", b.id},
          {"customer", b.customer.str()},
          {"source", b.source},
          {"external_ref", b.external_ref},
          {"service", b.service},
          {"starts_at", format_timestamp(b.starts_at)},
          {"ends_at", format_timestamp(b.ends_at)},
          {"status", to_string(b.status)},
          {"party_size", b.party_size},
          {"order_id", b.order_id ? json(*b.order_id) : json(nullptr)},
          {"created_at", format_timestamp(b.created_at)},
          {"updated_at", format_timestamp(b.updated_at)}};
}

json to_json(const Enquiry& e) {
  return {{"id", e.id},
          {"customer", e.customer.str()},
          {"source", e.source},
          {"external_ref", e.external_ref},
          {"channel", e.channel},
          {"subject", e.subject},
          {"body", e.body},
          {"status", to_string(e.status)},
          {"received_at", format_timestamp(e.received_at)},
          {"created_at", format_timestamp(e.created_at)},
          {"updated_at", format_timestamp(e.updated_at)}};
}

json to_json(const RecordSummary& r) {
  return {{"kind", to_string(r.kind)},       {"id", r.id},
          {"source", r.source},             {"external_ref", r.external_ref},
          {"at", format_timestamp(r.at)},   {"status", r.status},
          {"label", r.label},               {"total", r.total},
          {"currency", r.currency}};
}

}  // namespace internal

std::string encode(const Order& order) { return to_json(order).dump(); }
std::string encode(const std::vector<Order>& orders) { return encode_list(orders); }
std::string encode(const Pushed<Order>& pushed) { return encode_pushed(pushed, "order"); }
std::string encode(const Booking& booking) { return to_json(booking).dump(); }
std::string encode(const std::vector<Booking>& bookings) { return encode_list(bookings); }
std::string encode(const Pushed<Booking>& pushed) { return encode_pushed(pushed, "booking"); }
std::string encode(const Enquiry& enquiry) { return to_json(enquiry).dump(); }
std::string encode(const std::vector<Enquiry>& enquiries) { return encode_list(enquiries); }
std::string encode(const Pushed<Enquiry>& pushed) { return encode_pushed(pushed, "enquiry"); }

NewOrder decode_new_order(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"customer", "source", "external_ref", "placed_at", "status", "currency", "total", "paid",
                         "items", "payments"});
  NewOrder o;
  o.customer = customer_ref_from(j);
  o.source = get_string(j, "source", "source");
  o.external_ref = get_string(j, "external_ref", "external_ref");
  o.placed_at = get_time(j, "placed_at", "placed_at");
  if (const std::string s = get_string(j, "status", "status"); !s.empty()) o.status = parse_order_status(s);
  o.currency = get_string(j, "currency", "currency");
  o.total = get_int(j, "total", "total", 0);
  if (j.contains("paid") && !j["paid"].is_null()) o.paid = get_int(j, "paid", "paid", 0);
  if (auto it = j.find("items"); it != j.end() && !it->is_null()) {
    if (!it->is_array()) bad("items", "must be an array of item objects");
    for (std::size_t i = 0; i < it->size(); ++i) {
      const std::string f = indexed_field("items", i);
      const json& item = (*it)[i];
      require_object(item, f, {"name", "quantity", "unit_price", "category"});
      o.items.push_back(OrderItem{get_string(item, "name", f + ".name"), get_int(item, "quantity", f + ".quantity", 1),
                                  get_int(item, "unit_price", f + ".unit_price", 0),
                                  get_string(item, "category", f + ".category")});
    }
  }
  if (auto it = j.find("payments"); it != j.end() && !it->is_null()) {
    if (!it->is_array()) bad("payments", "must be an array of payment objects");
    for (std::size_t i = 0; i < it->size(); ++i) {
      o.payments.push_back(payment_from((*it)[i], indexed_field("payments", i)));
    }
  }
  return o;
}

NewBooking decode_new_booking(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"customer", "source", "external_ref", "service", "starts_at", "ends_at", "status",
                         "party_size", "order_external_ref"});
  NewBooking b;
  b.customer = customer_ref_from(j);
  b.source = get_string(j, "source", "source");
  b.external_ref = get_string(j, "external_ref", "external_ref");
  b.service = get_string(j, "service", "service");
  b.starts_at = get_time(j, "starts_at", "starts_at").value_or(Timestamp{});
  b.ends_at = get_time(j, "ends_at", "ends_at").value_or(Timestamp{});
  if (const std::string s = get_string(j, "status", "status"); !s.empty()) b.status = parse_booking_status(s);
  b.party_size = get_int(j, "party_size", "party_size", 1);
  b.order_external_ref = get_string(j, "order_external_ref", "order_external_ref");
  return b;
}

NewEnquiry decode_new_enquiry(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"customer", "source", "external_ref", "channel", "subject", "body", "received_at", "status"});
  NewEnquiry e;
  e.customer = customer_ref_from(j);
  e.source = get_string(j, "source", "source");
  e.external_ref = get_string(j, "external_ref", "external_ref");
  e.channel = get_string(j, "channel", "channel");
  e.subject = get_string(j, "subject", "subject");
  e.body = get_string(j, "body", "body");
  e.received_at = get_time(j, "received_at", "received_at");
  if (const std::string s = get_string(j, "status", "status"); !s.empty()) e.status = parse_enquiry_status(s);
  return e;
}

Payment decode_payment(std::string_view text) { return payment_from(parse_json(text), "payment"); }

OrderFilter decode_order_filter(std::string_view text) {
  return filter_from<OrderStatus>(text, [](std::string_view s, const std::string& f) { return parse_order_status(s, f); });
}
BookingFilter decode_booking_filter(std::string_view text) {
  return filter_from<BookingStatus>(text,
                                    [](std::string_view s, const std::string& f) { return parse_booking_status(s, f); });
}
EnquiryFilter decode_enquiry_filter(std::string_view text) {
  return filter_from<EnquiryStatus>(text,
                                    [](std::string_view s, const std::string& f) { return parse_enquiry_status(s, f); });
}

std::string encode(const std::vector<RecordSummary>& history) { return encode_list(history); }

HistoryFilter decode_history_filter(std::string_view text) {
  HistoryFilter f;
  if (text.empty()) return f;
  const json j = parse_json(text);
  require_object(j, "", {"kinds", "statuses", "from", "until"});
  if (auto it = j.find("kinds"); it != j.end() && !it->is_null()) {
    const auto names = get_strings(*it, "kinds");
    for (std::size_t i = 0; i < names.size(); ++i) f.kinds.push_back(parse_record_kind(names[i], indexed_field("kinds", i)));
  }
  if (auto it = j.find("statuses"); it != j.end() && !it->is_null()) f.statuses = get_strings(*it, "statuses");
  f.from = get_time(j, "from", "from");
  f.until = get_time(j, "until", "until");
  return f;
}

}  // namespace patron::json
