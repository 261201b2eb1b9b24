// Port: orders, bookings and enquiries in domain terms. Handed out by a
// Transaction. (source, external_ref) is unique per kind of record, enforced
// by the storage: a duplicate surfaces as Error(already_exists).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "patron/orders.hpp"

namespace patron::store {

class CommerceRepository {
 public:
  virtual ~CommerceRepository() = default;

  // insert_* assign the record's id (and store items and payments).
  virtual void insert_order(Order& order) = 0;
  virtual std::optional<Order> order(std::int64_t id) = 0;
  virtual std::optional<Order> order_by_ref(std::string_view source, std::string_view external_ref) = 0;
  virtual void update_order(const Order& order) = 0;  // status, paid, updated_at
  virtual void add_payment(std::int64_t order_id, const Payment& payment) = 0;
  // Newest first.
  virtual std::vector<Order> orders_of(const CustomerId& customer, const OrderFilter& filter, Page page) = 0;

  virtual void insert_booking(Booking& booking) = 0;
  virtual std::optional<Booking> booking(std::int64_t id) = 0;
  virtual std::optional<Booking> booking_by_ref(std::string_view source, std::string_view external_ref) = 0;
  virtual void update_booking(const Booking& booking) = 0;  // status, times, updated_at
  virtual std::vector<Booking> bookings_of(const CustomerId& customer, const BookingFilter& filter, Page page) = 0;

  virtual void insert_enquiry(Enquiry& enquiry) = 0;
  virtual std::optional<Enquiry> enquiry(std::int64_t id) = 0;
  virtual std::optional<Enquiry> enquiry_by_ref(std::string_view source, std::string_view external_ref) = 0;
  virtual void update_enquiry(const Enquiry& enquiry) = 0;  // status, updated_at
  virtual std::vector<Enquiry> enquiries_of(const CustomerId& customer, const EnquiryFilter& filter, Page page) = 0;

  // All three kinds, newest first (ties: order, booking, enquiry, then id).
  virtual std::vector<RecordSummary> history_of(const CustomerId& customer, const HistoryFilter& filter, Page page) = 0;
};

}  // namespace patron::store
