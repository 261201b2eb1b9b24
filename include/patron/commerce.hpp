// patron::Orders, patron::Bookings, patron::Enquiries: record what the host's
// systems push in and read a customer's records back.
//
// Borrowed from a Database (db.orders(), db.bookings(), db.enquiries());
// thread-safe like it. Each call is one transaction: a record pushed with
// customer details that creates a customer creates both or neither. Pushing
// the same (source, external_ref) twice is refused with already_exists; an
// illegal status move with failed_precondition naming both statuses.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "patron/customer.hpp"
#include "patron/orders.hpp"

namespace patron {

namespace detail {
struct DatabaseState;
}

class Orders {
 public:
  explicit Orders(detail::DatabaseState& state) : state_(&state) {}
  Pushed<Order> record(const NewOrder& order);
  Order get(std::int64_t id) const;
  std::optional<Order> find(std::string_view source, std::string_view external_ref) const;
  Order set_status(std::int64_t id, OrderStatus status);
  // Adds a payment and raises `paid` by its amount.
  Order add_payment(std::int64_t id, const Payment& payment);
  // A customer's orders, newest first.
  std::vector<Order> list(std::string_view customer_ref, const OrderFilter& filter = {}, Page page = {}) const;

 private:
  detail::DatabaseState* state_;
};

class Bookings {
 public:
  explicit Bookings(detail::DatabaseState& state) : state_(&state) {}
  Pushed<Booking> record(const NewBooking& booking);
  Booking get(std::int64_t id) const;
  std::optional<Booking> find(std::string_view source, std::string_view external_ref) const;
  Booking set_status(std::int64_t id, BookingStatus status);
  // Moves the booking to a new time; its status becomes rescheduled.
  Booking reschedule(std::int64_t id, Timestamp starts_at, Timestamp ends_at);
  // A customer's bookings, latest start first.
  std::vector<Booking> list(std::string_view customer_ref, const BookingFilter& filter = {}, Page page = {}) const;

 private:
  detail::DatabaseState* state_;
};

class Enquiries {
 public:
  explicit Enquiries(detail::DatabaseState& state) : state_(&state) {}
  Pushed<Enquiry> record(const NewEnquiry& enquiry);
  Enquiry get(std::int64_t id) const;
  std::optional<Enquiry> find(std::string_view source, std::string_view external_ref) const;
  Enquiry set_status(std::int64_t id, EnquiryStatus status);
  // A customer's enquiries, newest first.
  std::vector<Enquiry> list(std::string_view customer_ref, const EnquiryFilter& filter = {}, Page page = {}) const;

 private:
  detail::DatabaseState* state_;
};

}  // namespace patron
