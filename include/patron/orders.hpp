// Orders, bookings and enquiries: the facts a host pushes in, linked to a
// customer.
//
// patron keeps what a CRM needs from the host's commerce systems, not a
// full order book: each record has an external reference unique per source
// system, a status that moves only forward along its allowed transitions,
// and a customer. Money is integer minor units with an ISO 4217 currency,
// never floating point. Values are plain data, safe to copy and share.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "patron/customer.hpp"
#include "patron/types.hpp"

namespace patron {

enum class OrderStatus { created, confirmed, completed, cancelled };
enum class BookingStatus { scheduled, rescheduled, checked_in, no_show, completed, cancelled };
enum class EnquiryStatus { open, in_progress, resolved, closed };

std::string_view to_string(OrderStatus v) noexcept;
std::string_view to_string(BookingStatus v) noexcept;
std::string_view to_string(EnquiryStatus v) noexcept;
OrderStatus parse_order_status(std::string_view text, std::string_view field = "status");
BookingStatus parse_booking_status(std::string_view text, std::string_view field = "status");
EnquiryStatus parse_enquiry_status(std::string_view text, std::string_view field = "status");

// Allowed moves. Orders: created -> confirmed | completed | cancelled,
// confirmed -> completed | cancelled; completed and cancelled are final.
// Bookings: scheduled | rescheduled -> rescheduled | checked_in | no_show |
// cancelled, checked_in -> completed; the rest are final. Enquiries: open ->
// in_progress | resolved | closed, in_progress -> resolved | closed,
// resolved -> open | closed; closed is final. Same status: not a move.
bool can_move(OrderStatus from, OrderStatus to) noexcept;
bool can_move(BookingStatus from, BookingStatus to) noexcept;
bool can_move(EnquiryStatus from, EnquiryStatus to) noexcept;

struct OrderItem {
  std::string name{};
  std::int64_t quantity = 1;
  std::int64_t unit_price = 0;  // minor units, order currency
  std::string category{};
  friend bool operator==(const OrderItem&, const OrderItem&) = default;
};

struct Payment {
  std::int64_t amount = 0;  // minor units, order currency
  std::string method{};     // "card", "cash", "voucher", ...
  Timestamp at{};
  friend bool operator==(const Payment&, const Payment&) = default;
};

struct Order {
  std::int64_t id = 0;
  CustomerId customer{};
  std::string source{};        // the host system, e.g. "pos", "web"
  std::string external_ref{};  // unique per source
  Timestamp placed_at{};
  OrderStatus status = OrderStatus::created;
  std::string currency{};
  std::int64_t total = 0;
  std::int64_t paid = 0;
  std::vector<OrderItem> items{};
  std::vector<Payment> payments{};
  Timestamp created_at{};
  Timestamp updated_at{};
  friend bool operator==(const Order&, const Order&) = default;
};

struct Booking {
  std::int64_t id = 0;
  CustomerId customer{};
  std::string source{};
  std::string external_ref{};
  std::string service{};  // service or resource: "massage 60", "room 12"
  Timestamp starts_at{};
  Timestamp ends_at{};
  BookingStatus status = BookingStatus::scheduled;
  std::int64_t party_size = 1;
  std::optional<std::int64_t> order_id{};
  Timestamp created_at{};
  Timestamp updated_at{};
  friend bool operator==(const Booking&, const Booking&) = default;
};

struct Enquiry {
  std::int64_t id = 0;
  CustomerId customer{};
  std::string source{};
  std::string external_ref{};
  std::string channel{};  // "email", "phone", "web form", ...
  std::string subject{};
  std::string body{};
  EnquiryStatus status = EnquiryStatus::open;
  Timestamp received_at{};
  Timestamp created_at{};
  Timestamp updated_at{};
  friend bool operator==(const Enquiry&, const Enquiry&) = default;
};

// Who a pushed record belongs to: a customer reference (id or number), or
// details from the flow. With details patron finds the customer by email,
// else by phone with a matching first name (accent- and case-insensitive),
// else creates one under the usual creation rules.
struct CustomerDetails {
  std::string first_name{};
  std::string last_name{};
  std::string email{};
  std::string phone{};
};

struct CustomerRef {
  std::string ref{};                        // id or customer number
  std::optional<CustomerDetails> details{};  // used when ref is empty
};

// How the customer of a pushed record was found.
enum class CustomerMatch { given, email, phone, created };
std::string_view to_string(CustomerMatch v) noexcept;

struct NewOrder {
  CustomerRef customer{};
  std::string source{};
  std::string external_ref{};
  std::optional<Timestamp> placed_at{};  // now when absent
  OrderStatus status = OrderStatus::created;
  std::string currency{};
  std::int64_t total = 0;
  std::optional<std::int64_t> paid{};  // the sum of payments when absent
  std::vector<OrderItem> items{};
  std::vector<Payment> payments{};
};

struct NewBooking {
  CustomerRef customer{};
  std::string source{};
  std::string external_ref{};
  std::string service{};
  Timestamp starts_at{};
  Timestamp ends_at{};
  BookingStatus status = BookingStatus::scheduled;
  std::int64_t party_size = 1;
  std::string order_external_ref{};  // links the booking to an order of the same source
};

struct NewEnquiry {
  CustomerRef customer{};
  std::string source{};
  std::string external_ref{};
  std::string channel{};
  std::string subject{};
  std::string body{};
  std::optional<Timestamp> received_at{};
  EnquiryStatus status = EnquiryStatus::open;
};

// One line of a customer's history across orders, bookings and enquiries.
enum class RecordKind { order, booking, enquiry };
std::string_view to_string(RecordKind v) noexcept;
RecordKind parse_record_kind(std::string_view text, std::string_view field = "kinds");

struct RecordSummary {
  RecordKind kind = RecordKind::order;
  std::int64_t id = 0;  // the order, booking or enquiry id
  std::string source{};
  std::string external_ref{};
  Timestamp at{};          // placed_at, starts_at or received_at
  std::string status{};    // the record's own status name
  std::string label{};     // booking: service; enquiry: subject; order: empty
  std::int64_t total = 0;  // order: total in minor units; otherwise 0
  std::string currency{};  // order: its currency; otherwise empty
  friend bool operator==(const RecordSummary&, const RecordSummary&) = default;
};

// Filters for a customer's history; empty members do not filter. Statuses
// are names of any kind's statuses ("cancelled" matches orders and bookings).
struct HistoryFilter {
  std::vector<RecordKind> kinds{};
  std::vector<std::string> statuses{};
  std::optional<Timestamp> from{};   // inclusive
  std::optional<Timestamp> until{};  // exclusive
};

template <typename Record>
struct Pushed {
  Record record{};
  CustomerMatch customer_match = CustomerMatch::given;
};

// Filters for a customer's records; empty members do not filter.
template <typename Status>
struct RecordFilter {
  std::vector<Status> statuses{};
  std::optional<Timestamp> from{};   // inclusive, on the record's time
  std::optional<Timestamp> until{};  // exclusive
};
using OrderFilter = RecordFilter<OrderStatus>;
using BookingFilter = RecordFilter<BookingStatus>;
using EnquiryFilter = RecordFilter<EnquiryStatus>;

}  // namespace patron
