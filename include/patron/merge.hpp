// Merging two profiles of one person: what the caller chooses, what a merge
// did, and where a reference to a merged customer leads.
//
// A merge is irreversible. The survivor keeps its id and number; the
// absorbed customer's id and number resolve to the survivor from then on
// (through chains: A into B, then B into C leads A to C), and
// Customers::resolve() tells when a reference was redirected. See
// Customers::merge for what moves and how.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "patron/customer.hpp"
#include "patron/ids.hpp"

namespace patron {

struct MergeOptions {
  // Who decided the merge (a staff member, a rule): required, at most 200
  // characters; the actor of every event the merge records.
  std::string by{};
  // Fields whose absorbed value replaces the survivor's even when the
  // survivor has one: "title", "first_name", "last_name", "date_of_birth",
  // "lifecycle_stage", "emergency_contact", "custom.<key>". A field the
  // survivor leaves blank is filled from the absorbed customer anyway.
  std::vector<std::string> take{};
  // Work out the merge and report it, writing nothing.
  bool dry_run = false;
};

struct MergeResult {
  Customer customer;             // the survivor after the merge (on a dry run: as it would be)
  CustomerId absorbed{};         // the customer merged away
  std::string absorbed_number{};
  // How many records of each kind moved to the survivor ("orders",
  // "notes", "points_accounts", ...); kinds with none are left out.
  std::map<std::string, std::int64_t> moved{};
  std::vector<std::string> filled{};  // fields the survivor left blank, filled from the absorbed customer
  std::vector<std::string> taken{};   // fields taken from the absorbed customer by request (MergeOptions::take)
  bool dry_run = false;
  std::int64_t event = 0;  // the "customer.merged" event (0 on a dry run)
  friend bool operator==(const MergeResult&, const MergeResult&) = default;
};

// Where a reference leads: the live customer, and the customer the
// reference named when that one was merged into it.
struct CustomerResolution {
  CustomerId id{};
  std::string number{};
  std::optional<CustomerId> merged_from{};  // set when the reference was redirected
  std::optional<std::string> merged_from_number{};
  friend bool operator==(const CustomerResolution&, const CustomerResolution&) = default;
};

}  // namespace patron
