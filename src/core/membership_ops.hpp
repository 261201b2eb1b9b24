// Membership steps shared by the services that ask about memberships
// (memberships, doors).
#pragma once

#include <cstdint>

#include "patron/customer.hpp"
#include "patron/store/store.hpp"

namespace patron::detail {

// Whether `customer` holds, at `at`, an active membership of `plan`: their
// own or one of a company they belong to, with the status as set (active,
// not paused or cancelled) and starts_at <= at < ends_at. The plan and the
// customer are not checked for existence.
bool holds_active_membership(store::Transaction& tx, const CustomerId& customer, std::int64_t plan, Timestamp at);

}  // namespace patron::detail
