#include "patron/connections.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

#include "core/customer_ops.hpp"
#include "core/enum_names.hpp"
#include "core/event_builders.hpp"
#include "core/state.hpp"
#include "patron/error.hpp"
#include "text/text.hpp"

namespace patron {
namespace {

using store::ConnectionRepository;
using store::GraphNode;

constexpr std::size_t kMaxType = 64;
constexpr std::size_t kMaxNote = 2000;
constexpr unsigned kMaxHops = 6;
constexpr std::size_t kMaxLimit = 10000;

constexpr std::array<std::string_view, 2> kSources{"manual", "inferred"};

// Trimmed, lower-cased (Unicode), 1-64 characters, no control characters.
std::string connection_type(std::string_view input) {
  return text::clean(text::lower(text::clean_required(input, "type", kMaxType)), "type", kMaxType);
}

std::string note(std::string_view input) { return text::clean(input, "note", kMaxNote); }

void check_reach(unsigned hops, std::size_t limit) {
  if (hops < 1 || hops > kMaxHops) {
    throw Error(Errc::invalid_argument, "hops: must be 1 to " + std::to_string(kMaxHops), "hops");
  }
  if (limit < 1 || limit > kMaxLimit) {
    throw Error(Errc::invalid_argument, "limit: must be 1 to " + std::to_string(kMaxLimit), "limit");
  }
}

Connection require_connection(ConnectionRepository& repo, std::int64_t id) {
  auto c = repo.get(id);
  if (!c) throw Error(Errc::not_found, "id: no connection " + std::to_string(id), "id");
  return std::move(*c);
}

// Customer numbers compare ignoring (ASCII) case, as the storage orders them.
bool number_less(const GraphNode& a, const GraphNode& b) {
  return std::lexicographical_compare(a.number.begin(), a.number.end(), b.number.begin(), b.number.end(),
                                      [](unsigned char x, unsigned char y) {
                                        return std::tolower(x) < std::tolower(y);
                                      });
}

GraphNode node_of(const Customer& c) { return {c.id, c.number, c.first_name, c.last_name}; }

struct Reached {
  GraphNode node;
  Neighbour neighbour;
};

// Breadth-first from `start`: level by level, each level by customer number;
// a customer's `via` is the first customer (in that order) of the previous
// level that reaches it. Stops at `hops` levels or `limit` customers.
std::vector<Reached> reach(ConnectionRepository& repo, const GraphNode& start, unsigned hops, std::size_t limit) {
  std::vector<Reached> out;
  std::set<CustomerId> seen{start.id};
  std::vector<GraphNode> frontier{start};
  for (unsigned distance = 1; distance <= hops && !frontier.empty() && out.size() < limit; ++distance) {
    std::vector<Reached> level;
    for (const auto& from : frontier) {
      for (auto& next : repo.adjacent(from.id)) {
        if (!seen.insert(next.id).second) continue;
        const Neighbour found{next.id, distance, from.id};
        level.push_back({std::move(next), found});
      }
    }
    std::sort(level.begin(), level.end(),
              [](const Reached& a, const Reached& b) { return number_less(a.node, b.node); });
    if (level.size() > limit - out.size()) level.resize(limit - out.size());
    frontier.clear();
    for (auto& r : level) {
      frontier.push_back(r.node);
      out.push_back(std::move(r));
    }
  }
  return out;
}

// A DOT quoted string: quotes and backslashes escaped.
std::string dot_quoted(std::string_view s) {
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + '"';
}

// "First Last", either alone, or the number for a nameless customer.
std::string label(const GraphNode& n) {
  std::string name = n.first_name;
  if (!name.empty() && !n.last_name.empty()) name += ' ';
  name += n.last_name;
  return name.empty() ? n.number : name;
}

// An event about a connection on the timeline of `customer`, one of its ends;
// the details name the other end.
void record_connection(store::Transaction& tx, Timestamp now, const Connection& c, const CustomerId& customer,
                       const char* action, const char* summary, detail::EventJson details = detail::EventJson::object()) {
  details["connection"] = c.id;
  details["type"] = c.type;
  details["with"] = c.other(customer).str();
  details["direction"] = c.from == customer ? "from" : "to";
  detail::record(tx, now,
                 detail::make_change(customer, EventCategory::customers, EventType::data, action, summary, details));
}

// The event on both ends' timelines.
void record_both(store::Transaction& tx, Timestamp now, const Connection& c, const char* action, const char* summary,
                 const detail::EventJson& details = detail::EventJson::object()) {
  record_connection(tx, now, c, c.from, action, summary, details);
  record_connection(tx, now, c, c.to, action, summary, details);
}

}  // namespace

std::string_view to_string(ConnectionSource v) noexcept { return kSources[static_cast<std::size_t>(v)]; }

ConnectionSource parse_connection_source(std::string_view text, std::string_view field) {
  return detail::parse_named<ConnectionSource>(kSources, text, field);
}

Connection Connections::connect(const NewConnection& in) {
  const Timestamp now = state_->now();
  const std::string type = connection_type(in.type);
  const std::string text = note(in.note);
  return state_->write([&](store::Transaction& tx) {
    const Customer from = detail::require_customer(tx.customers(), in.from_ref, now, "from");
    const Customer to = detail::require_customer(tx.customers(), in.to_ref, now, "to");
    if (from.id == to.id) {
      throw Error(Errc::invalid_argument, "to: a customer cannot be connected to itself", "to");
    }
    auto& repo = tx.connections();
    if (auto existing = repo.between(from.id, to.id, type)) {
      if (existing->source == ConnectionSource::manual) {
        throw Error(Errc::already_exists,
                    "type: customers " + from.number + " and " + to.number + " already have a " + type +
                        " connection (" + std::to_string(existing->id) + ")",
                    "type");
      }
      repo.make_manual(existing->id, text);
      Connection confirmed = require_connection(repo, existing->id);
      record_both(tx, now, confirmed, "connection.added", "Connection added", detail::EventJson{{"was_inferred", true}});
      return confirmed;
    }
    Connection c{0, from.id, to.id, type, ConnectionSource::manual, text, now};
    repo.insert(c);
    record_both(tx, now, c, "connection.added", "Connection added");
    return c;
  });
}

void Connections::disconnect(std::int64_t id) {
  const Timestamp now = state_->now();
  state_->write([&](store::Transaction& tx) {
    auto& repo = tx.connections();
    const auto c = repo.get(id);
    if (!c || !repo.remove(id)) {
      throw Error(Errc::not_found, "id: no connection " + std::to_string(id), "id");
    }
    record_both(tx, now, *c, "connection.removed", "Connection removed",
                detail::EventJson{{"source", std::string(to_string(c->source))}});
  });
}

Connection Connections::get(std::int64_t id) const {
  return state_->read([&](store::Transaction& tx) { return require_connection(tx.connections(), id); });
}

std::vector<Connection> Connections::of_customer(std::string_view customer_ref, std::string_view type) const {
  const Timestamp now = state_->now();
  const std::string wanted = type.empty() ? std::string() : connection_type(type);
  return state_->read([&](store::Transaction& tx) {
    const Customer c = detail::require_customer(tx.customers(), customer_ref, now);
    return tx.connections().of_customer(c.id, wanted);
  });
}

Referral Connections::record_referral(std::string_view referrer_ref, std::string_view referred_ref,
                                      std::string_view note_text) {
  const Timestamp now = state_->now();
  const std::string text = note(note_text);
  return state_->write([&](store::Transaction& tx) {
    const Customer referrer = detail::require_customer(tx.customers(), referrer_ref, now, "referrer");
    const Customer referred = detail::require_customer(tx.customers(), referred_ref, now, "referred");
    if (referrer.id == referred.id) {
      throw Error(Errc::invalid_argument, "referred: a customer cannot refer itself", "referred");
    }
    auto& repo = tx.connections();
    if (auto existing = repo.referral_of(referred.id)) {
      const auto by = repo.node(existing->referrer);
      throw Error(Errc::already_exists,
                  "referred: customer " + referred.number + " was already referred by customer " +
                      (by ? by->number : existing->referrer.str()),
                  "referred");
    }
    Referral r{referrer.id, referred.id, text, now};
    repo.insert_referral(r);
    const auto record_side = [&](const CustomerId& on, const CustomerId& other, const char* role) {
      detail::record(tx, now,
                     detail::make_change(on, EventCategory::customers, EventType::data, "referral.recorded",
                                         "Referral recorded", detail::EventJson{{"role", role}, {"with", other.str()}}));
    };
    record_side(referrer.id, referred.id, "referrer");
    record_side(referred.id, referrer.id, "referred");
    return r;
  });
}

std::optional<Referral> Connections::referrer_of(std::string_view customer_ref) const {
  const Timestamp now = state_->now();
  return state_->read([&](store::Transaction& tx) {
    return tx.connections().referral_of(detail::require_customer(tx.customers(), customer_ref, now).id);
  });
}

std::vector<Referral> Connections::referrals_by(std::string_view customer_ref) const {
  const Timestamp now = state_->now();
  return state_->read([&](store::Transaction& tx) {
    return tx.connections().referrals_by(detail::require_customer(tx.customers(), customer_ref, now).id);
  });
}

InferenceReport Connections::infer(const InferenceOptions& options) {
  if (options.max_company_size < 2) {
    throw Error(Errc::invalid_argument, "max_company_size: must be at least 2", "max_company_size");
  }
  const Timestamp now = state_->now();
  return state_->write([&](store::Transaction& tx) {
    auto& repo = tx.connections();
    InferenceReport report;
    report.removed = repo.remove_stale_colleagues();
    report.companies_skipped = repo.companies_larger_than(options.max_company_size);
    report.colleagues_added = repo.add_inferred_colleagues(options.max_company_size, now);
    report.referrals_added = repo.add_inferred_referrals(now);
    // One organisation event with the counts, not one per inferred pair.
    detail::record(tx, now,
                   detail::make_change(std::nullopt, EventCategory::system, EventType::data, "connections.inferred",
                                       "Connections inferred",
                                       detail::EventJson{{"removed", report.removed},
                                                         {"companies_skipped", report.companies_skipped},
                                                         {"colleagues_added", report.colleagues_added},
                                                         {"referrals_added", report.referrals_added}}));
    return report;
  });
}

std::vector<Neighbour> Connections::neighbours(std::string_view customer_ref, unsigned hops, std::size_t limit) const {
  check_reach(hops, limit);
  const Timestamp now = state_->now();
  return state_->read([&](store::Transaction& tx) {
    const Customer start = detail::require_customer(tx.customers(), customer_ref, now);
    std::vector<Neighbour> out;
    for (auto& r : reach(tx.connections(), node_of(start), hops, limit)) out.push_back(r.neighbour);
    return out;
  });
}

std::string Connections::to_dot(std::string_view customer_ref, unsigned hops, std::size_t limit) const {
  check_reach(hops, limit);
  const Timestamp now = state_->now();
  return state_->read([&](store::Transaction& tx) {
    auto& repo = tx.connections();
    const Customer start = detail::require_customer(tx.customers(), customer_ref, now);
    std::vector<GraphNode> nodes{node_of(start)};
    for (auto& r : reach(repo, nodes.front(), hops, limit)) nodes.push_back(std::move(r.node));
    std::set<CustomerId> drawn;
    for (const auto& n : nodes) drawn.insert(n.id);
    // Every connection with both ends drawn, once, by id.
    std::vector<Connection> edges;
    std::set<std::int64_t> listed;
    for (const auto& n : nodes) {
      for (auto& c : repo.of_customer(n.id, {})) {
        if (drawn.contains(c.other(n.id)) && listed.insert(c.id).second) edges.push_back(std::move(c));
      }
    }
    std::sort(edges.begin(), edges.end(), [](const auto& a, const auto& b) { return a.id < b.id; });

    std::string out = "graph patron {\n";
    for (const auto& n : nodes) out += "  " + dot_quoted(n.id.str()) + " [label=" + dot_quoted(label(n)) + "];\n";
    for (const auto& e : edges) {
      out += "  " + dot_quoted(e.from.str()) + " -- " + dot_quoted(e.to.str()) + " [label=" + dot_quoted(e.type) +
             (e.directed() ? ", dir=forward" : ", dir=none") +
             (e.source == ConnectionSource::inferred ? ", style=dashed" : "") + "];\n";
    }
    return out + "}\n";
  });
}

}  // namespace patron
