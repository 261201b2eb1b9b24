// store::CommerceRepository on one SQLite connection, inside a transaction
// the store opened.
#pragma once

#include "patron/store/commerce_repository.hpp"
#include "sqlite/connection.hpp"

namespace patron::sqlite {

class CommerceRepository final : public store::CommerceRepository {
 public:
  explicit CommerceRepository(Connection& conn) : conn_(conn) {}

  void insert_order(Order& order) override;
  std::optional<Order> order(std::int64_t id) override;
  std::optional<Order> order_by_ref(std::string_view source, std::string_view external_ref) override;
  void update_order(const Order& order) override;
  void add_payment(std::int64_t order_id, const Payment& payment) override;
  std::vector<Order> orders_of(const CustomerId& customer, const OrderFilter& filter, Page page) override;

  void insert_booking(Booking& booking) override;
  std::optional<Booking> booking(std::int64_t id) override;
  std::optional<Booking> booking_by_ref(std::string_view source, std::string_view external_ref) override;
  void update_booking(const Booking& booking) override;
  std::vector<Booking> bookings_of(const CustomerId& customer, const BookingFilter& filter, Page page) override;

  void insert_enquiry(Enquiry& enquiry) override;
  std::optional<Enquiry> enquiry(std::int64_t id) override;
  std::optional<Enquiry> enquiry_by_ref(std::string_view source, std::string_view external_ref) override;
  void update_enquiry(const Enquiry& enquiry) override;
  std::vector<Enquiry> enquiries_of(const CustomerId& customer, const EnquiryFilter& filter, Page page) override;
  std::vector<RecordSummary> history_of(const CustomerId& customer, const HistoryFilter& filter, Page page) override;

 private:
  std::int64_t customer_seq(const CustomerId& id);
  std::optional<std::int64_t> id_by_ref(const char* sql, std::string_view source, std::string_view external_ref);
  Order read_order(SQLite::Statement& row);
  Booking read_booking(SQLite::Statement& row);
  Enquiry read_enquiry(SQLite::Statement& row);

  Connection& conn_;
};

}  // namespace patron::sqlite
