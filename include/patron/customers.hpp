// patron::Customers: create, change and find customers.
//
// Borrowed from a Database (db.customers()); it lives as long as the
// Database and is thread-safe like it. Every mutating call is atomic: it
// either applies completely or, when it throws, leaves the database as it
// was. A `ref` names a customer by id (any UUID form) or by customer number.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "patron/customer.hpp"
#include "patron/merge.hpp"
#include "patron/orders.hpp"

namespace patron {

namespace detail {
struct DatabaseState;
}

class Customers {
 public:
  explicit Customers(detail::DatabaseState& state) : state_(&state) {}

  Customer create(const NewCustomer& request);
  // Creates every customer in one transaction: all or none. When one is
  // refused the Error's field starts with its index ("[12].email").
  std::vector<Customer> create_many(const std::vector<NewCustomer>& requests);

  // Throws Error(not_found) when `ref` names nobody.
  Customer get(std::string_view ref) const;
  std::optional<Customer> find(std::string_view ref) const;
  // Any case or IDN form of the same address finds its holder.
  std::optional<Customer> find_by_email(std::string_view email) const;
  // Every holder of the number, in any format that normalises the same way.
  std::vector<Customer> find_by_phone(std::string_view phone) const;
  // Names, accent- and case-insensitive, each word of `text` a prefix of a
  // word of the customer's first or last name; empty `text` lists everyone.
  // Ordered by last name, first name (both folded), then number.
  std::vector<Customer> search(std::string_view text, Page page = {}) const;

  Customer update(std::string_view ref, const CustomerUpdate& changes);
  // Renames the customer number; refused with already_exists when taken,
  // except by a customer merged into this one, whose number it takes over
  // (the merged customer is renumbered "merged-…"; the number still leads here).
  Customer set_number(std::string_view ref, std::string_view number);

  // Emails: the first one added becomes primary; `primary` moves it.
  Customer add_email(std::string_view ref, std::string_view email, bool primary = false);
  Customer remove_email(std::string_view ref, std::string_view email);
  Customer set_primary_email(std::string_view ref, std::string_view email);

  Customer add_phone(std::string_view ref, std::string_view phone,
                     PhoneLabel label = PhoneLabel::mobile);
  // Removes every phone of the customer that normalises to `phone`.
  Customer remove_phone(std::string_view ref, std::string_view phone);

  Customer add_address(std::string_view ref, const Address& address);
  Customer remove_address(std::string_view ref, std::int64_t address_id);

  // The customer's orders, bookings and enquiries in one list, newest first
  // (by placed, start or received time), filtered by kind, status and time.
  std::vector<RecordSummary> history(std::string_view ref, const HistoryFilter& filter = {}, Page page = {}) const;

  Customer ban(std::string_view ref, std::string_view reason, std::string_view by);
  Customer unban(std::string_view ref);

  // Presence: online until now + ttl (a live flow: check-in, till session),
  // which also records activity; offline ends it at once.
  Customer set_online(std::string_view ref, std::chrono::seconds ttl);
  Customer set_offline(std::string_view ref);

  // Merges customer `absorbed` into customer `survivor`: one transaction,
  // irreversible, all or nothing, every event it records by `options.by`.
  //  - The survivor keeps its id and number. From then on the absorbed id
  //    and number lead to the survivor wherever a customer is named
  //    (resolve() tells when one was redirected).
  //  - Profile: the survivor's values win, the absorbed customer's fill the
  //    blanks, and `options.take` takes the absorbed value of a field anyway;
  //    custom fields the same. Tags: the union (refused past 50). A ban
  //    carries over. First and last activity span both.
  //  - Emails, phones and addresses: the union, without duplicates (the
  //    survivor's primary email and default addresses stay so).
  //  - Orders, bookings, enquiries, memberships, credentials, visits, door
  //    permissions, notes, documents, company links, promotion categories,
  //    connections (the one between the two goes; two of one type to the
  //    same customer become one) and referrals move to the survivor.
  //  - Ledgers stay exact and append-only: a purse balance moves through a
  //    pair of entries per currency; a points account moves whole, or its
  //    balance moves through a pair of transfer entries with its open lots
  //    (pending and expiry dates kept); the tier follows from both
  //    customers' qualifying history.
  //  - The timeline and edit history are not rewritten: the survivor's show
  //    the absorbed customer's events too, and "customer.merged" records
  //    who merged whom, what moved and which values were filled or taken.
  // `options.dry_run` works the merge out and reports it without writing.
  // Refused: invalid_argument ("by" missing, "take[i]" not a field a merge
  // takes, "absorbed" the survivor itself); not_found ("survivor",
  // "absorbed"); failed_precondition ("survivor" or "absorbed" already
  // merged away, "tags" past 50 together).
  MergeResult merge(std::string_view survivor, std::string_view absorbed, const MergeOptions& options);
  // Where `ref` leads; nothing when it names nobody. invalid_argument ("ref")
  // when it is neither an id nor a customer number.
  std::optional<CustomerResolution> resolve(std::string_view ref) const;

 private:
  detail::DatabaseState* state_;
};

}  // namespace patron
