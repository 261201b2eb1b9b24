// The social graph: who knows whom among the customers.
//
// A connection joins two different customers with a type — "colleague",
// "friend", "relative", "acquaintance", "referral", or a custom label — a
// source (manual or inferred), a note and its creation time. Connections are
// bidirectional: each appears on both customers' profiles. A referral has a
// direction: `from` referred `to`; the other types have none (from/to keep
// the order they were given in). Two customers have at most one connection of
// a type, whichever way round (the storage enforces it).
//
// Types: trimmed, lower-cased (Unicode), 1-64 characters, no control
// characters; "friend" and "Friend " are one type.
//
// Referrals as facts: record_referral(referrer, referred) notes who brought
// a customer in (a customer has at most one referrer). The inference job
// infer() turns facts into connections, marked inferred:
//  - every pair of customers linked to the same company (see companies.hpp)
//    becomes "colleague" (companies with more linked customers than
//    InferenceOptions::max_company_size are skipped and counted);
//  - every recorded referral becomes "referral" (referrer -> referred).
// Inferred connections never overwrite manual ones: a pair that already has
// a manual connection of the type is left alone. A colleague connection the
// job made earlier whose pair no longer shares a company is removed. Adding
// a manual connection where an inferred one of the type exists makes it
// manual (keeping its id and creation time, taking the note). The job runs
// in one transaction.
//
// Queries: a customer's connections; neighbours up to N hops (1-6) by
// breadth-first search, bounded by a node limit; the neighbourhood as
// Graphviz DOT text, so a host can draw it.
//
// Borrowed from a Database (db.connections()); thread-safe like it. Each call
// is one transaction: a refused call leaves nothing behind.
//
// Errors (patron::Error): invalid_argument naming the field ("from", "to",
// "ref", "referrer", "referred" for a malformed customer reference or
// "to" for a self-connection and "referred" for a self-referral; "type",
// "note" (at most 2000 characters), "hops" (1-6), "limit" (1-10000),
// "max_company_size" (at least 2)); not_found naming "id" (connection) or the
// customer field; already_exists naming "type" for a manual connection of
// the type between the pair, and "referred" when the customer already has a
// referrer (the message names the existing one).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "patron/customer.hpp"
#include "patron/types.hpp"

namespace patron {

namespace detail {
struct DatabaseState;
}

enum class ConnectionSource { manual, inferred };
std::string_view to_string(ConnectionSource v) noexcept;
ConnectionSource parse_connection_source(std::string_view text, std::string_view field = "source");

struct Connection {
  std::int64_t id = 0;
  CustomerId from{};
  CustomerId to{};
  std::string type{};
  ConnectionSource source = ConnectionSource::manual;
  std::string note{};
  Timestamp created_at{};

  bool directed() const noexcept { return type == "referral"; }
  // The other end, seen from `me` (one of from/to).
  const CustomerId& other(const CustomerId& me) const noexcept { return me == from ? to : from; }
  friend bool operator==(const Connection&, const Connection&) = default;
};

struct NewConnection {
  std::string from_ref{};
  std::string to_ref{};
  std::string type{};
  std::string note{};
};

struct Referral {
  CustomerId referrer{};
  CustomerId referred{};
  std::string note{};
  Timestamp at{};
  friend bool operator==(const Referral&, const Referral&) = default;
};

// A customer reached from the start of neighbours(): `distance` hops away,
// first reached through `via` (a customer at distance - 1; the start for 1).
struct Neighbour {
  CustomerId id{};
  unsigned distance = 1;
  CustomerId via{};
  friend bool operator==(const Neighbour&, const Neighbour&) = default;
};

struct InferenceOptions {
  std::size_t max_company_size = 500;
};

struct InferenceReport {
  std::int64_t colleagues_added = 0;
  std::int64_t referrals_added = 0;
  std::int64_t removed = 0;            // stale inferred colleague connections
  std::int64_t companies_skipped = 0;  // larger than max_company_size
  friend bool operator==(const InferenceReport&, const InferenceReport&) = default;
};

class Connections {
 public:
  explicit Connections(detail::DatabaseState& state) : state_(&state) {}

  Connection connect(const NewConnection& connection);
  // Removes a connection (manual or inferred; the job may infer it again).
  void disconnect(std::int64_t id);
  Connection get(std::int64_t id) const;
  // The customer's connections, either end, optionally of one type: by type,
  // then the other customer's number, then id.
  std::vector<Connection> of_customer(std::string_view customer_ref, std::string_view type = {}) const;

  Referral record_referral(std::string_view referrer_ref, std::string_view referred_ref, std::string_view note = {});
  std::optional<Referral> referrer_of(std::string_view customer_ref) const;
  // Everyone the customer referred, by time.
  std::vector<Referral> referrals_by(std::string_view customer_ref) const;

  InferenceReport infer(const InferenceOptions& options = {});

  // Customers within `hops` of the start (not the start itself), nearest
  // first, then by customer number; at most `limit` of them.
  std::vector<Neighbour> neighbours(std::string_view customer_ref, unsigned hops = 1, std::size_t limit = 1000) const;
  // The start, its neighbours (as neighbours() finds them) and every
  // connection among them, as a Graphviz "graph": nodes are named by customer
  // id and labelled with the name (or number), edges with the type; referral
  // edges carry an arrow from referrer to referred; inferred edges are dashed.
  std::string to_dot(std::string_view customer_ref, unsigned hops = 1, std::size_t limit = 200) const;

 private:
  detail::DatabaseState* state_;
};

}  // namespace patron
