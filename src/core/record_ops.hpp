// The writes of the services that an import makes row by row inside its
// own batch transaction (import_records.cpp), the same as the public calls
// make them. Each lives in its service's file.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "patron/commerce.hpp"
#include "patron/credentials.hpp"
#include "patron/loyalty.hpp"
#include "patron/memberships.hpp"
#include "patron/purses.hpp"
#include "patron/store/store.hpp"

namespace patron::detail {

// Each write in two steps, as its public call makes it: the checks of the
// request, without a transaction (a bad request never takes the writer's
// lock), then the write inside the caller's transaction, with its events.

// Credentials::issue, with the status the credential starts in (active,
// blocked or lost).
Credential checked_credential(const NewCredential& in, CredentialStatus status, std::string_view region,
                              Timestamp now);
Credential issue_credential(store::Transaction& tx, Credential checked, std::string_view customer_ref, Timestamp now);

// The idempotency scopes of the two ledgers (core/idempotency.hpp), where
// an import looks for the opening balances it wrote.
inline constexpr std::string_view kPurseKeyScope = "purse";
inline constexpr std::string_view kPointsKeyScope = "points";

// Purses::top_up: both steps.
PurseEntry top_up_purse(store::Transaction& tx, const PurseRequest& request, Timestamp now);

// Loyalty::adjust: the request normalised (the actor filled in).
AdjustRequest checked_adjustment(const AdjustRequest& request);
PointsEntry adjust_points(store::Transaction& tx, const AdjustRequest& checked, Timestamp now);

// Memberships::add, with the status the membership starts in (active,
// paused or cancelled).
Membership checked_membership(const NewMembership& in, MembershipStatus status, Timestamp now);
Membership add_membership(store::Transaction& tx, Membership checked, std::string_view customer_ref, Timestamp now);

// Orders::record.
struct CheckedOrder {
  Order order;
  CustomerRef customer;
  std::optional<Customer> to_create;  // what details would create
};
CheckedOrder checked_order(const NewOrder& in, Timestamp now, const std::string& region);
Pushed<Order> record_order(store::Transaction& tx, const CheckedOrder& checked, Timestamp now,
                           const std::string& region);

}  // namespace patron::detail
