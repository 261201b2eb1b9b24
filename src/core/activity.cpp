#include "patron/activity.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "core/bounded_json.hpp"
#include "core/customer_ops.hpp"
#include "core/enum_names.hpp"
#include "core/events.hpp"
#include "core/rules.hpp"
#include "core/sealed.hpp"
#include "core/state.hpp"
#include "patron/error.hpp"
#include "text/text.hpp"

namespace patron {
namespace {

using nlohmann::json;
using store::StoredEvent;

constexpr std::array<std::string_view, 5> kCategories{"orders", "customers", "bookings", "payments", "system"};
constexpr std::array<std::string_view, 19> kTypes{
    "auth",     "access",        "order",    "payment",  "cart",       "booking",    "enquiry",
    "visit",    "scan",          "communication", "settings", "configuration", "data", "security",
    "compliance", "notification", "integration",   "report",   "export"};
constexpr std::array<std::string_view, 8> kSources{"system",      "staff",    "customer", "api",
                                                   "webhook",     "integration", "physical", "automated"};

constexpr std::size_t kMaxAction = 100;
constexpr std::size_t kMaxSummary = 500;
constexpr std::size_t kMaxDetailsBytes = 64 * 1024;
constexpr std::size_t kMaxLimit = 1000;

thread_local const ActorScope* innermost_scope = nullptr;

std::string actor(std::string_view text, std::string_view field) { return text::clean(text, field, rules::kMaxActor); }

std::string action(std::string_view text, const std::string& field) {
  const bool valid = !text.empty() && text.size() <= kMaxAction &&
                     std::all_of(text.begin(), text.end(), [](char c) {
                       return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
                     });
  if (!valid) {
    throw Error(Errc::invalid_argument, field + ": must be 1-100 characters of a-z 0-9 . _ -", field);
  }
  return std::string(text);
}

// The details as a JSON object; empty text is {}.
json details_object(std::string_view text, const std::string& field) {
  if (text.empty()) return json::object();
  if (text.size() > kMaxDetailsBytes) {
    throw Error(Errc::invalid_argument, field + ": must be at most 64 KiB", field);
  }
  json parsed = detail::parse_bounded_json<json>(text, field);
  if (!parsed.is_object()) throw Error(Errc::invalid_argument, field + ": must be a JSON object", field);
  return parsed;
}

void check_limit(std::size_t limit) {
  if (limit < 1 || limit > kMaxLimit) {
    throw Error(Errc::invalid_argument, "limit: must be 1 to " + std::to_string(kMaxLimit), "limit");
  }
}

// Appends events, sealing the details of a customer's event under the
// customer's data key (created on first use). Keys are looked up once per
// customer and transaction.
class Appender {
 public:
  Appender(store::ActivityRepository& repo, Timestamp now) : repo_(repo), now_(now) {}

  // Appends `e` (with its details in clear) and returns its id. A customer
  // created in this transaction has no data key yet: none is looked for.
  std::int64_t append(const Event& e, bool new_customer = false) {
    StoredEvent stored{e, 0, std::nullopt};
    if (e.customer) {
      const store::DataKey& key = key_of(*e.customer, new_customer);
      stored.event.details = detail::sealed::seal(e.details, key.bytes, e.customer->str());
      stored.key_id = key.id;
    }
    return repo_.append(stored);
  }

 private:
  const store::DataKey& key_of(const CustomerId& customer, bool new_customer) {
    auto it = keys_.find(customer);
    if (it != keys_.end()) return it->second;
    auto key = new_customer ? std::nullopt : repo_.data_key(customer);
    if (!key) {
      key.emplace(store::DataKey{0, detail::sealed::new_key()});
      key->id = repo_.insert_data_key(customer, key->bytes, now_);
    }
    return keys_.emplace(customer, std::move(*key)).first->second;
  }

  store::ActivityRepository& repo_;
  Timestamp now_;
  std::map<CustomerId, store::DataKey> keys_;
};

// The plain details of a stored event; nullopt when its key was destroyed.
std::optional<std::string> open_details(const StoredEvent& s) {
  const Event& e = s.event;
  if (!e.customer) return e.details;
  if (!s.key) return std::nullopt;
  auto plain = detail::sealed::open(e.details, *s.key, e.customer->str());
  if (!plain) {
    throw Error(Errc::storage, "details: event " + std::to_string(e.id) + " cannot be decrypted (altered storage?)");
  }
  return plain;
}

Event to_event(StoredEvent&& s) {
  auto details = open_details(s);
  Event e = std::move(s.event);
  e.details_erased = !details.has_value();
  e.details = details ? std::move(*details) : std::string();
  return e;
}

std::vector<Event> to_events(std::vector<StoredEvent>&& rows) {
  std::vector<Event> out;
  out.reserve(rows.size());
  for (auto& row : rows) out.push_back(to_event(std::move(row)));
  return out;
}

// A validated new event; the customer is resolved inside the transaction.
struct Prepared {
  Event event;
  std::string ref;
  std::string ref_field;
};

Prepared prepare(const NewEvent& in, Timestamp now, const std::string& prefix) {
  Prepared p;
  p.ref = in.customer_ref;
  p.ref_field = prefix + "ref";
  Event& e = p.event;
  e.at = checked_time(in.at, prefix + "at").value_or(now);
  e.category = in.category;
  e.type = in.type;
  e.source = in.source.value_or(ActorScope::current_source());
  e.actor = in.actor ? actor(*in.actor, prefix + "actor") : std::string(ActorScope::current_actor());
  e.action = action(in.action, prefix + "action");
  e.summary = text::clean_required(in.summary, prefix + "summary", kMaxSummary);
  e.details = details_object(in.details, prefix + "details").dump();
  return p;
}

// Appends prepared events in one transaction; each customer reference is
// resolved once.
class Committer {
 public:
  Committer(store::Transaction& tx, Timestamp now) : tx_(tx), now_(now), appender_(tx.activity(), now) {}

  Event commit(Prepared& p) {
    if (!p.ref.empty()) p.event.customer = resolve(p.ref, p.ref_field);
    p.event.id = appender_.append(p.event);
    return p.event;
  }

 private:
  CustomerId resolve(const std::string& ref, const std::string& field) {
    auto it = resolved_.find(ref);
    if (it == resolved_.end()) {
      it = resolved_.emplace(ref, detail::require_customer(tx_.customers(), ref, now_, field).id).first;
    }
    return it->second;
  }

  store::Transaction& tx_;
  Timestamp now_;
  Appender appender_;
  std::map<std::string, CustomerId, std::less<>> resolved_;
};

// JSON a service wrote; malformed is a bug in patron.
json service_json(std::string_view text) {
  json parsed = json::parse(text, nullptr, false);
  if (parsed.is_discarded()) throw Error(Errc::internal, "record_event: malformed JSON '" + std::string(text) + "'");
  return parsed;
}

// "<at micros>.<id>": where a timeline page ends.
std::string cursor_of(const Event& e) { return std::to_string(to_micros(e.at)) + "." + std::to_string(e.id); }

std::pair<Timestamp, std::int64_t> parse_cursor(std::string_view text) {
  const auto invalid = [] { return Error(Errc::invalid_argument, "before: not a timeline cursor", "before"); };
  const auto dot = text.find('.');
  if (dot == std::string_view::npos) throw invalid();
  const auto number = [&](std::string_view part) {
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
    if (part.empty() || ec != std::errc{} || end != part.data() + part.size()) throw invalid();
    return v;
  };
  const std::int64_t at = number(text.substr(0, dot));
  const std::int64_t id = number(text.substr(dot + 1));
  if (id < 1) throw invalid();
  return {from_micros(at), id};
}

// The details of an event with edits: the service's object with "changes":
// [{"field", "new", "old"}] added, as nlohmann::json dumps it (keys sorted).
// Edit values without an object inside (no '{': text, numbers, lists of
// them — every edit of a customer's creation) are compact JSON already, as
// add_edit dumped them: they are spliced in as they are instead of parsed
// and dumped again (a bulk creation records five a customer). The rest
// goes through a JSON tree.
std::string details_with_changes(const detail::Change& change) {
  json details = change.details.empty() ? json::object() : service_json(change.details);
  const bool flat = !details.contains("changes") &&
                    std::none_of(change.edits.begin(), change.edits.end(), [](const detail::FieldEdit& e) {
                      return e.old_value.find('{') != std::string::npos || e.new_value.find('{') != std::string::npos;
                    });
  if (!flat) {
    json changes = json::array();
    for (const auto& edit : change.edits) {
      changes.push_back(
          {{"field", edit.field}, {"old", service_json(edit.old_value)}, {"new", service_json(edit.new_value)}});
    }
    details["changes"] = std::move(changes);
    return details.dump();
  }
  std::string out = "{";
  bool placed = false;
  const auto put_changes = [&] {
    if (out.size() > 1) out += ',';
    out += "\"changes\":[";
    for (std::size_t i = 0; i < change.edits.size(); ++i) {
      const detail::FieldEdit& edit = change.edits[i];
      if (i > 0) out += ',';
      out += "{\"field\":";
      out += json(edit.field).dump();
      out += ",\"new\":";
      out += edit.new_value.empty() ? std::string("null") : edit.new_value;
      out += ",\"old\":";
      out += edit.old_value.empty() ? std::string("null") : edit.old_value;
      out += '}';
    }
    out += ']';
    placed = true;
  };
  for (const auto& [key, value] : details.items()) {  // sorted, as dump() writes them
    if (!placed && key > std::string_view("changes")) put_changes();
    if (out.size() > 1) out += ',';
    out += json(key).dump();
    out += ':';
    out += value.dump();
  }
  if (!placed) put_changes();
  out += '}';
  return out;
}

}  // namespace

std::string_view to_string(EventCategory v) noexcept { return kCategories[static_cast<std::size_t>(v)]; }
std::string_view to_string(EventType v) noexcept { return kTypes[static_cast<std::size_t>(v)]; }
std::string_view to_string(EventSource v) noexcept { return kSources[static_cast<std::size_t>(v)]; }

EventCategory parse_event_category(std::string_view text, std::string_view field) {
  return detail::parse_named<EventCategory>(kCategories, text, field);
}
EventType parse_event_type(std::string_view text, std::string_view field) {
  return detail::parse_named<EventType>(kTypes, text, field);
}
EventSource parse_event_source(std::string_view text, std::string_view field) {
  return detail::parse_named<EventSource>(kSources, text, field);
}

ActorScope::ActorScope(std::string actor_name, EventSource source)
    : actor_(actor(actor_name, "actor")), source_(source), outer_(innermost_scope) {
  innermost_scope = this;
}

ActorScope::~ActorScope() { innermost_scope = outer_; }

std::string_view ActorScope::current_actor() noexcept {
  return innermost_scope ? std::string_view(innermost_scope->actor_) : std::string_view();
}

EventSource ActorScope::current_source() noexcept {
  return innermost_scope ? innermost_scope->source_ : EventSource::api;
}

Event Activity::record(const NewEvent& event) {
  const Timestamp now = state_->now();
  Prepared p = prepare(event, now, "");
  return state_->write([&](store::Transaction& tx) { return Committer(tx, now).commit(p); });
}

std::vector<Event> Activity::record_many(const std::vector<NewEvent>& events) {
  const Timestamp now = state_->now();
  std::vector<Prepared> prepared;
  prepared.reserve(events.size());
  for (std::size_t i = 0; i < events.size(); ++i) prepared.push_back(prepare(events[i], now, indexed_field("", i) + "."));
  return state_->write([&](store::Transaction& tx) {
    Committer committer(tx, now);
    std::vector<Event> out;
    out.reserve(prepared.size());
    for (auto& p : prepared) out.push_back(committer.commit(p));
    return out;
  });
}

namespace {

// A customer and the customers merged into it: one timeline, one history.
std::vector<CustomerId> with_merged(store::Transaction& tx, const CustomerId& customer) {
  std::vector<CustomerId> out{customer};
  for (auto& id : tx.customers().merged_into(customer)) out.push_back(std::move(id));
  return out;
}

}  // namespace

EventPage Activity::timeline(std::string_view customer_ref, const TimelineFilter& filter, std::string_view before,
                             std::size_t limit) const {
  check_limit(limit);
  if (filter.from && filter.until && *filter.until <= *filter.from) {
    throw Error(Errc::invalid_argument, "until: must be after from", "until");
  }
  store::TimelineQuery q{filter, std::nullopt, limit + 1};
  q.filter.text = text::lower(text::clean(filter.text, "text", kMaxSummary));
  if (!before.empty()) q.before = parse_cursor(before);
  const Timestamp now = state_->now();
  return state_->read([&](store::Transaction& tx) {
    const Customer c = detail::require_customer(tx.customers(), customer_ref, now);
    EventPage page{to_events(tx.activity().timeline(with_merged(tx, c.id), q)), std::nullopt};
    if (page.events.size() > limit) {
      page.events.pop_back();
      page.next = cursor_of(page.events.back());
    }
    return page;
  });
}

std::vector<Event> Activity::feed(std::int64_t after, std::size_t limit) const {
  check_limit(limit);
  return state_->read([&](store::Transaction& tx) { return to_events(tx.activity().after(after, limit)); });
}

std::int64_t Activity::last_event_id() const {
  return state_->read([](store::Transaction& tx) { return tx.activity().last_id(); });
}

std::vector<FieldChange> Activity::history(std::string_view customer_ref, std::string_view field, Page page) const {
  rules::page(page);
  const Timestamp now = state_->now();
  return state_->read([&](store::Transaction& tx) {
    const Customer c = detail::require_customer(tx.customers(), customer_ref, now);
    std::vector<FieldChange> out;
    std::int64_t opened_event = 0;  // entries of one event are adjacent: open its details once
    std::optional<json> changes;
    for (auto& entry : tx.activity().edits(with_merged(tx, c.id), field, page.limit, page.offset)) {
      const Event& e = entry.event.event;
      if (e.id != opened_event) {
        opened_event = e.id;
        const auto details = open_details(entry.event);
        changes = details ? std::optional<json>(detail::parse_bounded_json<json>(*details, "details").at("changes"))
                          : std::nullopt;
      }
      FieldChange fc{e.id, e.at, e.actor, e.source, std::move(entry.field),
                     "", "", !changes.has_value()};
      if (changes) {
        const json& change = changes->at(static_cast<std::size_t>(entry.position));
        fc.old_value = change.at("old").dump();
        fc.new_value = change.at("new").dump();
      }
      out.push_back(std::move(fc));
    }
    return out;
  });
}

namespace detail {

std::int64_t record_event(store::Transaction& tx, Timestamp now, const Change& change) {
  Event e;
  e.customer = change.customer;
  e.at = now;
  e.category = change.category;
  e.type = change.type;
  e.source = ActorScope::current_source();
  e.actor = std::string(ActorScope::current_actor());
  e.action = change.action;
  e.summary = change.summary;
  if (change.edits.empty()) {
    // Already a JSON object the service wrote: stored as it is, without a
    // parse and dump per event (a bulk change records one per customer).
    e.details = change.details.empty() ? "{}" : change.details;
    return Appender(tx.activity(), now).append(e, change.new_customer);
  }
  e.details = details_with_changes(change);
  std::vector<std::string> fields;
  fields.reserve(change.edits.size());
  for (const auto& edit : change.edits) fields.push_back(edit.field);
  const std::int64_t id = Appender(tx.activity(), now).append(e, change.new_customer);
  if (change.customer) tx.activity().index_edits(id, *change.customer, fields);
  return id;
}

}  // namespace detail
}  // namespace patron
