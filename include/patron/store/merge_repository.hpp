// Port: the storage side of a merge (Customers::merge), in domain terms.
// Handed out by a Transaction.
//
// The core decides what a merge does with the profile, custom values and
// ledger balances (through the other repositories); this port moves the
// records that simply change owner, keeps the storage's rules while doing
// so (one connection of a type per pair, one referrer per customer, one
// primary email, one default address per purpose), and marks the absorbed
// customer as merged. A merged customer's row stays: its id and number keep
// resolving (CustomerRepository::resolve_*), and its events stay its own,
// shown on the survivor's timeline and edit history.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "patron/ids.hpp"
#include "patron/types.hpp"

namespace patron::store {

class MergeRepository {
 public:
  virtual ~MergeRepository() = default;

  // Moves to `to` everything of `from` that changes owner whole: emails
  // (from's primary stays primary only when `to` has none), phones and
  // addresses not already held by `to` (the rest is dropped), orders,
  // bookings, enquiries, memberships, credentials, visits, door permissions,
  // notes (with their revisions), documents, company links and promotion
  // categories (union), connections (the one between the two goes; two of
  // one type to the same customer become one) and referrals (from's
  // referrer goes when `to` has one; one between the two goes). Drops
  // from's stale RFM scores. Returns how many records of each kind moved,
  // by kind ("orders", ...); kinds with none are left out.
  virtual std::map<std::string, std::int64_t> move_records(const CustomerId& from, const CustomerId& to) = 0;

  // Gives from's points account in `program` to `to`, who has none there:
  // its entries, lots, tier history and balance go with it whole.
  virtual void move_points_account(const CustomerId& from, const CustomerId& to, std::string_view program) = 0;
  // Both hold an account in `program`: after the core appended the two
  // transfer entries (`out_entry` on from's account for minus its balance,
  // `in_entry` on to's for plus it), copies each of from's lots that has
  // points left or counts for tiers to `to` under `in_entry` (the same
  // points as made, remaining, earned, pending, expiry and qualifying
  // dates) and draws what is left in from's lots under `out_entry`.
  // Returns the points drawn (from's balance, when the ledger is sound).
  virtual std::int64_t move_points_lots(const CustomerId& from, const CustomerId& to, std::string_view program,
                                        std::int64_t out_entry, std::int64_t in_entry) = 0;

  // Gives up the number of `merged` (a customer merged away) so that the
  // customer it leads to can take it: the merged row gets a number of its
  // own ("merged-" and 25 hex digits of its id), which nothing else holds.
  virtual void release_number(const CustomerId& merged) = 0;

  // Marks `from` as merged into `to` at `at`, and every customer merged
  // into `from` earlier as merged into `to` (references follow chains in
  // one step); drops from's row in the name search. Refused by the storage
  // when `from` is already merged.
  virtual void mark_merged(const CustomerId& from, const CustomerId& to, Timestamp at) = 0;
};

}  // namespace patron::store
