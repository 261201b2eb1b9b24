// Company steps shared by the services that add or remove customer emails
// (customers, commerce): keeping the registrable domain of each email next to
// it and the email-domain links to companies in step, in the caller's
// transaction.
#pragma once

#include <string_view>

#include "patron/customer.hpp"
#include "patron/store/store.hpp"

namespace patron::detail {

// Records the registrable domain of a stored email of `customer` and links
// the customer to the company owning it, if any.
void email_added(store::Transaction& tx, const CustomerId& customer, std::string_view address, Timestamp now);
// After `address` was removed from `c` (whose emails are the remaining
// ones): drops the email-domain links no remaining email still matches.
// Both record "company.linked" / "company.unlinked" on the customer's timeline.
void email_removed(store::Transaction& tx, const Customer& c, std::string_view address, Timestamp now);
// Indexes emails stored before companies existed (schema 4); once per file.
void index_pending_email_domains(store::Store& store);

}  // namespace patron::detail
