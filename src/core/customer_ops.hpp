// Customer steps shared by the services that touch customers (customers,
// commerce): resolving a reference and inserting a validated new customer.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>
#include <string_view>

#include "core/event_builders.hpp"
#include "patron/activity.hpp"
#include "patron/custom_fields.hpp"
#include "patron/customer.hpp"
#include "patron/merge.hpp"
#include "patron/store/store.hpp"

namespace patron::detail {

// By id (any UUID form), then by customer number. Throws
// Error(invalid_argument, `field`) when `ref` is neither form; `field` is the
// name the caller's input has ("ref", or "customer" inside a record).
std::optional<Customer> lookup_customer(store::CustomerRepository& repo, std::string_view ref, Timestamp now,
                                        std::string_view field = "ref");
// As lookup_customer, and Error(not_found, `field`) when nobody matches.
Customer require_customer(store::CustomerRepository& repo, std::string_view ref, Timestamp now,
                          std::string_view field = "ref");
// As require_customer, the id only: one index probe instead of loading the
// profile, for the hot paths that need no more (ledger writes).
CustomerId require_customer_id(store::CustomerRepository& repo, std::string_view ref,
                               std::string_view field = "ref");
// Where `ref` (an id in any UUID form, or a customer number) leads, saying
// when a merge redirected it. The same errors as require_customer.
CustomerResolution resolve_customer(store::CustomerRepository& repo, std::string_view ref,
                                    std::string_view field = "ref");
// An event on the timeline of customer `c` (category customers).
Change customer_event(const Customer& c, const char* action, const char* summary,
                      const EventJson& details = EventJson::object(), EventType type = EventType::data);
// The events of a profile change from `before` to `after`: "customer.updated"
// for the plain profile fields (with their edits), and
// "customer.lifecycle_stage_changed" and "customer.tags_changed", each only
// when something changed.
void record_update(store::Transaction& tx, Timestamp now, const Customer& before, const Customer& after);
// Gives a validated customer (rules::new_customer) its id and, if it has
// none, a generated number, inserts it and links it to the companies owning
// its email domains. Then stores its custom field values (`custom_fields`
// and the defaults; see fill_custom_fields in custom_field_ops.hpp).
// `definitions`: the custom field definitions, when the caller read them in
// this transaction (a batch reads them once); read here otherwise.
void insert_new_customer(store::Transaction& tx, Customer& c, Timestamp now,
                         const std::map<std::string, CustomValue>& custom_fields = {}, bool demand_required = false,
                         const std::vector<FieldDefinition>* definitions = nullptr);

// The customer holding `phone` (normalised) whose first name folds like
// `first_name`: how a pushed order's or an imported row's details name an
// existing customer when no email does.
std::optional<CustomerId> holder_of_phone(store::CustomerRepository& repo, std::string_view phone,
                                          std::string_view first_name, Timestamp now);

// Stores the profile fields of a changed customer (stamped updated at
// `now`), and its search key when the names moved from `old_name_key`
// (rules::name_key before the change).
void save_profile(store::CustomerRepository& repo, Customer& c, const std::string& old_name_key, Timestamp now);

// Contact steps on a loaded customer `c` (validated values; the caller
// stores the profile afterwards): each writes the contact, records its
// event and adds it to `c`. An email becomes primary when `primary` or when
// it is the customer's first; an address becomes its purpose's default when
// it is the first of its purpose.
void add_email(store::Transaction& tx, Customer& c, const std::string& address, bool primary, Timestamp now);
void add_phone(store::Transaction& tx, Customer& c, const Phone& phone, Timestamp now);
void add_address(store::Transaction& tx, Customer& c, Address address, Timestamp now);

}  // namespace patron::detail
