// Activity: the permanent timeline of what happened to each customer, the
// edit history of their profiles, and the change feed a host drives
// webhooks or a sync from.
//
// An event has a customer (absent for events about the organisation itself,
// e.g. a custom field definition changed), a time, a category, a type, a
// source, an actor, an action name ("customer.created", "email.sent"), a
// short summary and details (a JSON object). patron records its own events
// for every change it makes — to customers, their emails, phones, addresses,
// tags and custom fields, and to companies, memberships, credentials, doors,
// connections, notes and documents — in the same transaction as the change.
// A host records its own (email sent, opened, clicked, SMS sent, visit,
// scan, ...) through record().
//
// Events are permanent: the storage refuses UPDATE and DELETE on them
// (triggers), and there is no API to change one. Ids increase in commit
// order (writes are serialised, across processes too), so the feed —
// every event after a cursor, by id — never skips or repeats one.
//
// Personal data: the details of an event about a customer are stored
// encrypted (libsodium XChaCha20-Poly1305) under that customer's data key;
// reading decrypts transparently. Summaries are stored in clear and must
// not hold personal data (patron's own never do: "Email added", not the
// address). Destroying a customer's key (one row, one statement) leaves
// every event in place with its details unreadable (details_erased).
//
// Actor: ActorScope names who performs the calls made on this thread while
// it lives (a staff member, an API client) and the source they come from;
// patron's own events carry it. Without a scope the actor is empty and the
// source is api.
//
// Borrowed from a Database (db.activity()); thread-safe like it.
//
// Errors (patron::Error): invalid_argument naming the field ("category",
// "type", "source", "action" (1-100 characters of a-z 0-9 . _ -), "summary"
// (1-500 characters), "details" (a JSON object, at most 64 KiB), "actor" (at
// most 200 characters), "ref", "limit" (1-1000), "until" when not after
// "from", "[i].field" in record_many); not_found naming "ref".
//
// patron's own actions (category/type; "org" = no customer, an event about
// the organisation; fields = the edit history's fields):
//
//   action                            category/type            on        fields
//   customer.created                  customers/data           customer  every field given (old null)
//   customer.updated                  customers/data           customer  title first_name last_name
//                                                                        date_of_birth emergency_contact
//   customer.lifecycle_stage_changed  customers/data           customer  lifecycle_stage
//   customer.tags_changed             customers/data           customer  tags
//   customer.number_changed           customers/data           customer  number
//   customer.banned / .unbanned       customers/security       customer  status
//   email.added / .removed            customers/data           customer  email
//   email.primary_changed             customers/data           customer  email (old primary -> new)
//   phone.added / .removed            customers/data           customer  phone
//   address.added / .removed          customers/data           customer  address
//   presence.online / .offline        customers/visit          customer  - (changes only, not refreshes)
//   order.recorded / .status_changed  orders/order             customer  -
//   order.payment_added               orders/payment           customer  -
//   booking.recorded / .rescheduled / .status_changed
//                                     bookings/booking         customer  -
//   enquiry.recorded / .status_changed bookings/enquiry        customer  -
//   company.created / .updated / .domain_added / .domain_removed
//                                     customers/data           org       -
//   company.linked / .unlinked / .link_updated
//                                     customers/data           customer  - (manual or email_domain)
//   plan.created                      system/configuration     org       -
//   membership.added / .status_changed / .renewed
//                                     customers/data           holder    - (org for a company's)
//   credential.issued / .status_changed / .replaced / .validity_changed / .label_changed
//                                     customers/security       customer  - (never the value)
//   door.created / .updated           system/configuration     org       -
//   door.permission_granted / .permission_revoked
//                                     customers/access         customer  -
//   connection.added / .removed       customers/data           both ends -
//   purse.topped_up / .charged / .refunded / .credit_limit_changed
//                                     payments/payment         customer  -
//   points.earned / .redeemed / .adjusted / .expired / .reversed / .transferred, reward.redeemed, tier.changed
//                                     payments/payment         customer  - (a transfer: both ends)
//   loyalty.program_saved / .tier_saved / .tier_removed / .reward_saved
//                                     system/configuration     org       -
//   category.assigned / .unassigned   customers/data           customer  -
//   category.company_assigned / .company_unassigned
//                                     customers/data           org       -
//   promotions.category_saved / .category_removed
//                                     system/configuration     org       -
//   visit.recorded                    customers/visit          customer  - (source physical)
//   referral.recorded                 customers/data           both ends -
//   connections.inferred              system/data              org       - (the report's counts)
#pragma once

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

enum class EventCategory { orders, customers, bookings, payments, system };
enum class EventType {
  auth,
  access,
  order,
  payment,
  cart,
  booking,
  enquiry,
  visit,
  scan,
  communication,
  settings,
  configuration,
  data,
  security,
  compliance,
  notification,
  integration,
  report,
  export_,  // "export"
};
enum class EventSource { system, staff, customer, api, webhook, integration, physical, automated };
std::string_view to_string(EventCategory v) noexcept;
std::string_view to_string(EventType v) noexcept;  // EventType::export_ is "export"
std::string_view to_string(EventSource v) noexcept;
EventCategory parse_event_category(std::string_view text, std::string_view field = "category");
EventType parse_event_type(std::string_view text, std::string_view field = "type");
EventSource parse_event_source(std::string_view text, std::string_view field = "source");

struct Event {
  std::int64_t id = 0;  // position in the log; the feed's cursor
  std::optional<CustomerId> customer{};
  Timestamp at{};
  EventCategory category = EventCategory::customers;
  EventType type = EventType::data;
  EventSource source = EventSource::api;
  std::string actor{};
  std::string action{};   // "customer.created", "email.added", "email.sent", ...
  std::string summary{};
  std::string details{};  // a JSON object as compact text; "{}" when none, "" when erased
  // The customer's data key was destroyed, or a retention policy dropped
  // this event's details (privacy.hpp).
  bool details_erased = false;
  friend bool operator==(const Event&, const Event&) = default;
};

struct NewEvent {
  std::string customer_ref{};  // empty: an event about the organisation
  std::optional<Timestamp> at{};  // now when absent
  EventCategory category = EventCategory::customers;
  EventType type = EventType::data;
  // Source and actor: the ActorScope's when absent.
  std::optional<EventSource> source{};
  std::optional<std::string> actor{};
  std::string action{};
  std::string summary{};
  std::string details{};  // a JSON object; empty means {}
};

// Filters for a timeline; empty members do not filter.
struct TimelineFilter {
  std::vector<EventCategory> categories{};
  std::vector<EventType> types{};
  std::vector<EventSource> sources{};
  std::optional<Timestamp> from{};   // inclusive
  std::optional<Timestamp> until{};  // exclusive
  std::string actor{};               // exact
  std::string text{};  // case-insensitive substring of the summary or the action
};

// A page of a timeline, newest first. Pass `next` (an opaque cursor) as
// `before` for the next page; absent when there is none.
struct EventPage {
  std::vector<Event> events{};
  std::optional<std::string> next{};
};

// One change of a profile field, from the edit history.
struct FieldChange {
  std::int64_t event = 0;  // the event that recorded it
  Timestamp at{};
  std::string actor{};
  EventSource source = EventSource::api;
  // "first_name", "last_name", "title", "date_of_birth", "lifecycle_stage",
  // "number", "emergency_contact", "status", "tags", "email", "phone",
  // "address", "custom.<key>", ...
  std::string field{};
  // JSON values: "null" for none (an email added has old_value "null").
  std::string old_value{};
  std::string new_value{};
  bool erased = false;  // values are "": the key was destroyed, or retention dropped them
  friend bool operator==(const FieldChange&, const FieldChange&) = default;
};

// Names the actor (and source) of the calls made on this thread while it
// lives; scopes nest (the innermost wins). Not movable: a scope belongs to
// its thread.
class ActorScope {
 public:
  explicit ActorScope(std::string actor, EventSource source = EventSource::staff);
  ~ActorScope();
  ActorScope(const ActorScope&) = delete;
  ActorScope& operator=(const ActorScope&) = delete;

  // The innermost scope's actor and source on this thread ("" and api when none).
  static std::string_view current_actor() noexcept;
  static EventSource current_source() noexcept;

 private:
  std::string actor_;
  EventSource source_;
  const ActorScope* outer_;
};

class Activity {
 public:
  explicit Activity(detail::DatabaseState& state) : state_(&state) {}

  Event record(const NewEvent& event);
  // All or none, in order; a refusal names "[i].field".
  std::vector<Event> record_many(const std::vector<NewEvent>& events);

  // The customer's events, newest first (by time, then id), filtered, at
  // most `limit` (1-1000), continuing after `before` (a previous page's
  // `next`; invalid_argument naming "before" when it is not one).
  EventPage timeline(std::string_view customer_ref, const TimelineFilter& filter = {},
                     std::string_view before = {}, std::size_t limit = 50) const;
  // Every event (all customers and none) with id > `after`, by id, at most
  // `limit` (1-1000).
  std::vector<Event> feed(std::int64_t after = 0, std::size_t limit = 100) const;
  // The id of the newest event (0 when none): where a new feed reader starts
  // to see only what comes next.
  std::int64_t last_event_id() const;

  // The edit history of a profile, newest first; `field` filters ("email",
  // "custom.vip_level", ...).
  std::vector<FieldChange> history(std::string_view customer_ref, std::string_view field = {},
                                   Page page = {}) const;

 private:
  detail::DatabaseState* state_;
};

}  // namespace patron
