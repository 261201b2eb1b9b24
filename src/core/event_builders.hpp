// Building the events the services record about their own changes (see
// core/events.hpp): JSON forms of profile values for the edit history, and
// the one call each service makes inside its write transaction.
//
// Summaries built here never carry personal data ("Email added"); the
// values go to the details and the edits, which are encrypted under the
// customer's data key.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/events.hpp"
#include "patron/companies.hpp"
#include "patron/customer.hpp"
#include "patron/documents.hpp"
#include "patron/types.hpp"

namespace patron::detail {

using EventJson = nlohmann::ordered_json;

// JSON forms of profile values: null for none (empty text, absent optional).
inline EventJson text_value(const std::string& s) { return s.empty() ? EventJson() : EventJson(s); }
inline EventJson date_value(const std::optional<Date>& d) { return d ? EventJson(format_date(*d)) : EventJson(); }
inline EventJson time_value(const std::optional<Timestamp>& t) {
  return t ? EventJson(format_timestamp(*t)) : EventJson();
}
inline EventJson tags_value(const std::vector<std::string>& tags) {
  EventJson out = EventJson::array();
  for (const auto& t : tags) out.push_back(t);
  return out;
}
inline EventJson address_value(const Address& a) {
  return EventJson{{"id", a.id},
                   {"purpose", std::string(to_string(a.purpose))},
                   {"line1", a.line1},
                   {"line2", a.line2},
                   {"city", a.city},
                   {"region", a.region},
                   {"postal_code", a.postal_code},
                   {"country", a.country},
                   {"is_default", a.is_default}};
}
inline EventJson emergency_contact_value(const std::optional<EmergencyContact>& e) {
  if (!e) return EventJson();
  return EventJson{{"name", e->name}, {"phone", e->phone}};
}

// An event about `customer` (or about the organisation when absent).
inline Change make_change(std::optional<CustomerId> customer, EventCategory category, EventType type,
                          std::string action, std::string summary, const EventJson& details = EventJson::object()) {
  Change c;
  c.customer = std::move(customer);
  c.category = category;
  c.type = type;
  c.action = std::move(action);
  c.summary = std::move(summary);
  c.details = details.dump();
  return c;
}

// An event about the organisation's configuration (a door, a plan, a
// loyalty program, a promotion category, ...).
inline Change configuration_change(std::string action, std::string summary,
                                   const EventJson& details = EventJson::object()) {
  return make_change(std::nullopt, EventCategory::system, EventType::configuration, std::move(action),
                     std::move(summary), details);
}

// Adds a field edit when the value changed.
inline void add_edit(Change& change, std::string field, const EventJson& old_value, const EventJson& new_value) {
  if (old_value == new_value) return;
  change.edits.push_back(FieldEdit{std::move(field), old_value.dump(), new_value.dump()});
}

// Records the event in the caller's transaction, at `now`.
inline std::int64_t record(store::Transaction& tx, Timestamp now, const Change& change) {
  return record_event(tx, now, change);
}

// The event "customer.created" with an edit (from null) for every field the
// new customer has.
inline Change customer_created(const Customer& c) {
  Change e = make_change(c.id, EventCategory::customers, EventType::data, "customer.created", "Customer created",
                         EventJson{{"number", c.number}});
  const EventJson none;
  add_edit(e, "number", none, text_value(c.number));
  add_edit(e, "title", none, text_value(c.title));
  add_edit(e, "first_name", none, text_value(c.first_name));
  add_edit(e, "last_name", none, text_value(c.last_name));
  add_edit(e, "date_of_birth", none, date_value(c.date_of_birth));
  add_edit(e, "lifecycle_stage", none, text_value(c.lifecycle_stage));
  if (!c.tags.empty()) add_edit(e, "tags", none, tags_value(c.tags));
  for (const auto& m : c.emails) add_edit(e, "email", none, EventJson(m.address));
  for (const auto& p : c.phones) add_edit(e, "phone", none, EventJson(p.number));
  for (const auto& a : c.addresses) add_edit(e, "address", none, address_value(a));
  add_edit(e, "emergency_contact", none, emergency_contact_value(c.emergency_contact));
  e.new_customer = true;
  return e;
}

// The events of a link between a customer and a company ("company.linked",
// "company.unlinked", "company.link_updated"), on the customer's timeline.
inline Change company_link_change(const CustomerId& customer, std::int64_t company, const char* action,
                                  const char* summary, LinkSource source, const std::string& domain) {
  EventJson details{{"company", company}, {"source", std::string(to_string(source))}};
  if (!domain.empty()) details["domain"] = domain;
  return make_change(customer, EventCategory::customers, EventType::data, action, summary, details);
}

// The events of a customer's document ("document.attached",
// "document.removed"): what it was, never its bytes; `more` adds members
// (the retention policy that removed it).
inline Change document_change(const Document& d, std::string action, std::string summary,
                              const EventJson& more = EventJson::object()) {
  EventJson details{{"document", d.id}, {"name", d.name},  {"kind", std::string(to_string(d.kind))},
                    {"size", d.size},   {"sha256", d.sha256}};
  details.update(more);
  return make_change(d.customer, EventCategory::customers, EventType::data, std::move(action), std::move(summary),
                     details);
}

}  // namespace patron::detail
