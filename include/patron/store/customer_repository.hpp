// Port: how the core reads and writes customers, in domain terms.
//
// An adapter implements it on top of its storage; the core never sees SQL.
// A repository is handed out by a Transaction and is valid only while that
// transaction is open. Uniqueness (id, number ignoring case, email) must also
// be enforced by the storage itself, so a bug above cannot corrupt the data:
// a violated rule surfaces as Error(already_exists).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "patron/customer.hpp"
#include "patron/merge.hpp"

namespace patron::store {

// Which live customers a scan reads: all, or those meeting every criterion
// given (an export's selection, resolved).
struct CustomerFilter {
  std::optional<std::vector<CustomerId>> ids{};
  std::optional<std::int64_t> company{};
  std::optional<std::pair<std::string, std::string>> rfm{};  // currency, segment
  std::optional<Timestamp> created_since{};
  std::optional<Timestamp> changed_since{};
};

// How many customers a filter selects, and the most entries any of them
// holds in each list (a CSV export's numbered columns).
struct CustomerListSizes {
  std::int64_t customers = 0;
  std::size_t emails = 0, phones = 0, addresses = 0, tags = 0;
  std::map<std::string, std::size_t> options{};  // multi_select field -> most options held
};

// A page of a scan: the customers, and where the next page starts.
struct CustomerScan {
  std::vector<Customer> customers{};
  std::int64_t next = 0;
};

class CustomerRepository {
 public:
  virtual ~CustomerRepository() = default;

  // Reads. The returned Customer has presence computed for `now`. An id or
  // a number of a customer merged into another leads to that other (by_id,
  // by_number, live_id, id_by_number); emails and phones have moved.
  virtual std::optional<Customer> by_id(const CustomerId& id, Timestamp now) = 0;
  virtual std::optional<Customer> by_number(std::string_view number, Timestamp now) = 0;
  virtual std::optional<Customer> by_email(std::string_view normalized_email, Timestamp now) = 0;
  virtual std::vector<Customer> by_phone(std::string_view normalized_phone, Timestamp now) = 0;
  // Each of `prefixes` (folded words) is a prefix of some word of the
  // customer's name key; no prefixes lists everyone. Ordered by name key
  // (folded "last first"), then number.
  virtual std::vector<Customer> search(const std::vector<std::string>& prefixes, Page page,
                                       Timestamp now) = 0;

  // Ids only (the identification hot path).
  virtual std::optional<CustomerId> live_id(const CustomerId& id) = 0;
  virtual std::optional<CustomerId> id_by_number(std::string_view number) = 0;
  virtual std::optional<CustomerId> id_by_email(std::string_view normalized_email) = 0;
  virtual std::vector<CustomerId> ids_by_phone(std::string_view normalized_phone) = 0;

  // Where an id or a number leads, saying when it was redirected by a merge.
  virtual std::optional<CustomerResolution> resolve_id(const CustomerId& id) = 0;
  virtual std::optional<CustomerResolution> resolve_number(std::string_view number) = 0;
  // The customers merged into `survivor` (directly or through chains), oldest merge first.
  virtual std::vector<CustomerId> merged_into(const CustomerId& survivor) = 0;

  // The next free generated number, at least five digits ("00042"); claims it.
  virtual std::string claim_generated_number() = 0;

  // Writes. `name_key` is the folded search text for the customer's names.
  // insert() stores the customer with its contacts and assigns address ids.
  virtual void insert(Customer& customer, std::string_view name_key) = 0;
  // Rewrites every scalar field (profile, tags, emergency contact, status,
  // ban, presence, activity and update times), not the contact lists. A
  // `name_key` replaces the search text; nullopt leaves it.
  virtual void update(const Customer& customer, const std::optional<std::string>& name_key) = 0;
  virtual void set_number(const CustomerId& id, std::string_view number) = 0;
  virtual void add_email(const CustomerId& id, const Email& email) = 0;
  virtual void remove_email(const CustomerId& id, std::string_view address) = 0;
  virtual void set_primary_email(const CustomerId& id, std::string_view address) = 0;
  virtual void add_phone(const CustomerId& id, const Phone& phone) = 0;
  virtual void remove_phone(const CustomerId& id, std::string_view number) = 0;
  // Returns the new address id; when `address.is_default` the others of its
  // purpose stop being default.
  virtual std::int64_t add_address(const CustomerId& id, const Address& address) = 0;
  virtual void remove_address(const CustomerId& id, std::int64_t address_id) = 0;
  virtual void set_default_address(const CustomerId& id, std::int64_t address_id) = 0;

  // Scans: customers the filter selects, in the order they were created,
  // `limit` at a time from position `after` (0 first, then the page's next).
  virtual CustomerScan scan(const CustomerFilter& filter, std::int64_t after, std::size_t limit, Timestamp now) = 0;
  virtual CustomerListSizes list_sizes(const CustomerFilter& filter) = 0;
};

}  // namespace patron::store
