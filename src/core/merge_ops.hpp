// The steps each area contributes to a merge (Customers::merge, in
// core/merge.cpp), each defined beside the rules of its area. All run
// inside the merge's write transaction, `from` being merged into `to`.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "patron/store/store.hpp"

namespace patron::detail {

// Purses (core/purses.cpp): each of from's accounts with a balance hands it
// to to's account of the currency through two ledger entries (a charge and a
// top-up, or the reverse for a debt), keyed "merge:<from>:<currency>:out"
// and ":in"; to's credit limit becomes the larger of the two, raised when
// the combined debt needs it. Returns the accounts that moved something.
std::int64_t move_purses(store::Transaction& tx, const CustomerId& from, const CustomerId& to, Timestamp now);

// Points (core/loyalty_ledger.cpp): from's account in a program where `to`
// has none becomes to's, whole. Where both have one, from's balance moves
// through a pair of transfer entries (key "merge:<from>:<program>") and its
// open lots are copied to `to` with their pending and expiry dates; the
// qualifying history of both counts for to's tier, which is upgraded when
// the two together reach a higher one. Returns the accounts moved or combined.
std::int64_t move_points(store::Transaction& tx, const CustomerId& from, const CustomerId& to, Timestamp now);

// Custom fields (core/custom_fields.cpp): from's value of a field `to`
// leaves blank fills it ("custom.<key>" added to `filled`); of a field in
// `take`, replaces to's (added to `taken` when it differs). from's values
// are then removed. Records the values set on to's timeline.
void merge_custom_values(store::Transaction& tx, const CustomerId& from, const CustomerId& to,
                         const std::set<std::string>& take, Timestamp now, std::vector<std::string>& filled,
                         std::vector<std::string>& taken);

// Whether two canonical request texts of an idempotent write are the same
// request once every customer id in them is read as the customer it leads
// to now: a till's retry of a write made before a merge, naming the
// customer since merged away, is the same write.
bool same_request(store::Transaction& tx, const std::string& stored, const std::string& given);

}  // namespace patron::detail
