// Port: the social graph (connections between customers and recorded
// referrals), in domain terms. Handed out by a Transaction. Two customers
// have at most one connection of a type, whichever way round, a connection
// never joins a customer to itself, and a customer has at most one referrer:
// the storage enforces all three (already_exists for the uniqueness rules).
//
// The inference job's pairing (every two customers sharing a company) runs
// inside the adapter, so it never crosses the port pair by pair.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "patron/connections.hpp"

namespace patron::store {

// A customer as the graph shows it: the id, number and names.
struct GraphNode {
  CustomerId id{};
  std::string number{};
  std::string first_name{};
  std::string last_name{};
  friend bool operator==(const GraphNode&, const GraphNode&) = default;
};

class ConnectionRepository {
 public:
  virtual ~ConnectionRepository() = default;

  // Connections. insert() assigns the id; both customers must exist.
  virtual void insert(Connection& connection) = 0;
  virtual std::optional<Connection> get(std::int64_t id) = 0;
  // The connection of `type` between `a` and `b`, whichever way round.
  virtual std::optional<Connection> between(const CustomerId& a, const CustomerId& b, std::string_view type) = 0;
  // Makes a connection manual with `note` (keeping id, ends and creation time).
  virtual void make_manual(std::int64_t id, std::string_view note) = 0;
  // Whether there was such a connection.
  virtual bool remove(std::int64_t id) = 0;
  // Either end, of `type` (all when empty): by type, then the other
  // customer's number, then id.
  virtual std::vector<Connection> of_customer(const CustomerId& customer, std::string_view type) = 0;
  // The customers connected to `customer` by any connection, each once, by number.
  virtual std::vector<GraphNode> adjacent(const CustomerId& customer) = 0;
  virtual std::optional<GraphNode> node(const CustomerId& customer) = 0;

  // Referrals. insert_referral() refuses a second referrer (already_exists).
  virtual void insert_referral(const Referral& referral) = 0;
  virtual std::optional<Referral> referral_of(const CustomerId& referred) = 0;
  // By time, then the referred customer's number.
  virtual std::vector<Referral> referrals_by(const CustomerId& referrer) = 0;

  // Inference. Each returns how many rows it counted, added or removed.
  // Companies with more than `max_size` linked customers.
  virtual std::int64_t companies_larger_than(std::size_t max_size) = 0;
  // An inferred "colleague" connection for every pair of customers linked to
  // a common company of at most `max_company_size` customers, unless the
  // pair has a colleague connection already.
  virtual std::int64_t add_inferred_colleagues(std::size_t max_company_size, Timestamp at) = 0;
  // Removes inferred colleague connections whose customers share no company.
  virtual std::int64_t remove_stale_colleagues() = 0;
  // An inferred "referral" connection (referrer -> referred) for every
  // recorded referral, unless the pair has a referral connection already.
  virtual std::int64_t add_inferred_referrals(Timestamp at) = 0;
};

}  // namespace patron::store
