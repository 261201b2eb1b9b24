// How the services write the timeline: inside the transaction of the change
// they make, so the change and its event commit (or roll back) together.
// Implemented in core/activity.cpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "patron/activity.hpp"
#include "patron/store/store.hpp"

namespace patron::detail {

// One profile field's change for the edit history. Values are JSON text
// ("null" for none): "\"Ana\"", "[\"vip\",\"staff\"]", "{\"line1\":...}".
struct FieldEdit {
  std::string field;  // "first_name", "email", "tags", "custom.vip_level", ...
  std::string old_value = "null";
  std::string new_value = "null";
};

// An event a service records about a change it made.
struct Change {
  std::optional<CustomerId> customer{};  // absent: about the organisation
  EventCategory category = EventCategory::customers;
  EventType type = EventType::data;
  std::string action{};   // "customer.created", "email.added", "company.domain_added", ...
  std::string summary{};  // short, no personal data: "Email added"
  std::string details = "{}";  // a JSON object (compact text)
  // Field changes this event records; they are added to the details as
  // "changes": [{"field", "old", "new"}] and indexed for Activity::history().
  std::vector<FieldEdit> edits{};
  // The customer was created in this transaction (customer.created): no
  // data key to look for, one is made.
  bool new_customer = false;
};

// Appends the event at `now`, with the actor and source of the current
// ActorScope; details of a customer's event are encrypted under the
// customer's data key (created on first use). Returns the event id.
std::int64_t record_event(store::Transaction& tx, Timestamp now, const Change& change);

}  // namespace patron::detail
