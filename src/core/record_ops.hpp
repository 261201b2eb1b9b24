// The writes of the services that an import makes row by row inside its
// own transaction (import_records.cpp): each is the public call's whole work
// (validation, the write, its events) without the transaction around it.
// Each lives in its service's file.
#pragma once

#include <string>

#include "patron/commerce.hpp"
#include "patron/credentials.hpp"
#include "patron/loyalty.hpp"
#include "patron/memberships.hpp"
#include "patron/purses.hpp"
#include "patron/store/store.hpp"

namespace patron::detail {

// Credentials::issue, with the status the credential starts in (active,
// blocked or lost).
Credential issue_credential(store::Transaction& tx, const NewCredential& in, CredentialStatus status, Timestamp now,
                            const std::string& region);
PurseEntry top_up_purse(store::Transaction& tx, const PurseRequest& request, Timestamp now);
PointsEntry adjust_points(store::Transaction& tx, const AdjustRequest& request, Timestamp now);
// Memberships::add, with the status the membership starts in (active,
// paused or cancelled).
Membership add_membership(store::Transaction& tx, const NewMembership& in, MembershipStatus status, Timestamp now);
Pushed<Order> record_order(store::Transaction& tx, const NewOrder& in, Timestamp now, const std::string& region);

}  // namespace patron::detail
