// store::CustomerRepository on one SQLite connection, inside a transaction
// the store opened.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "patron/store/customer_repository.hpp"
#include "sqlite/connection.hpp"

namespace patron::sqlite {

class CustomerRepository final : public store::CustomerRepository {
 public:
  explicit CustomerRepository(Connection& conn) : conn_(conn) {}

  std::optional<Customer> by_id(const CustomerId& id, Timestamp now) override;
  std::optional<Customer> by_number(std::string_view number, Timestamp now) override;
  std::optional<Customer> by_email(std::string_view normalized_email, Timestamp now) override;
  std::vector<Customer> by_phone(std::string_view normalized_phone, Timestamp now) override;
  std::vector<Customer> search(const std::vector<std::string>& prefixes, Page page, Timestamp now) override;

  std::optional<CustomerId> live_id(const CustomerId& id) override;
  std::optional<CustomerId> id_by_number(std::string_view number) override;
  std::optional<CustomerId> id_by_email(std::string_view normalized_email) override;
  std::vector<CustomerId> ids_by_phone(std::string_view normalized_phone) override;

  std::optional<CustomerResolution> resolve_id(const CustomerId& id) override;
  std::optional<CustomerResolution> resolve_number(std::string_view number) override;
  std::vector<CustomerId> merged_into(const CustomerId& survivor) override;

  std::string claim_generated_number() override;

  void insert(Customer& customer, std::string_view name_key) override;
  void update(const Customer& customer, const std::optional<std::string>& name_key) override;
  void set_number(const CustomerId& id, std::string_view number) override;
  void add_email(const CustomerId& id, const Email& email) override;
  void remove_email(const CustomerId& id, std::string_view address) override;
  void set_primary_email(const CustomerId& id, std::string_view address) override;
  void add_phone(const CustomerId& id, const Phone& phone) override;
  void remove_phone(const CustomerId& id, std::string_view number) override;
  std::int64_t add_address(const CustomerId& id, const Address& address) override;
  void remove_address(const CustomerId& id, std::int64_t address_id) override;
  void set_default_address(const CustomerId& id, std::int64_t address_id) override;

  store::CustomerScan scan(const store::CustomerFilter& filter, std::int64_t after, std::size_t limit,
                           Timestamp now) override;
  store::CustomerListSizes list_sizes(const store::CustomerFilter& filter) override;

  // Writes what the transaction kept in memory (the number counter); called
  // by the store just before COMMIT.
  void flush();

  // The generated-number counter as held in memory, to put back when the
  // rows that claimed numbers are rolled back to a savepoint.
  struct NumberState {
    std::optional<std::int64_t> next;
    bool dirty = false;
  };
  NumberState number_state() const { return {next_number_, next_number_dirty_}; }
  void restore_number_state(const NumberState& s) {
    next_number_ = s.next;
    next_number_dirty_ = s.dirty;
    conn_.forget_customer();
  }

 private:
  std::optional<Customer> load(const char* sql, std::string_view key, Timestamp now);
  std::optional<CustomerId> live(const char* sql, std::string_view key);
  std::optional<CustomerResolution> resolve(const char* sql, std::string_view key);
  std::optional<Customer> load_seq(std::int64_t seq, Timestamp now);
  Customer read_row(SQLite::Statement& row, Timestamp now);
  void load_contacts(std::int64_t seq, Customer& c);
  std::int64_t seq_of(const CustomerId& id);
  [[noreturn]] void email_taken(std::string_view address, std::int64_t seq);
  [[noreturn]] void number_taken(std::string_view number);

  Connection& conn_;
  std::optional<std::int64_t> next_number_;
  bool next_number_dirty_ = false;
};

}  // namespace patron::sqlite
