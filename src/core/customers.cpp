#include "patron/customers.hpp"

#include <algorithm>
#include <type_traits>

#include "core/company_ops.hpp"
#include "core/custom_field_ops.hpp"
#include "core/customer_ops.hpp"
#include "core/event_builders.hpp"
#include "core/rules.hpp"
#include "core/state.hpp"
#include "patron/error.hpp"
#include "text/text.hpp"

namespace patron {
namespace {

using store::CustomerRepository;
using detail::insert_new_customer;
using detail::lookup_customer;
using detail::require_customer;
using detail::EventJson;
using detail::add_edit;
using detail::make_change;
using detail::customer_event;
using detail::record_update;

constexpr std::size_t kMaxReason = 500;
constexpr std::chrono::seconds kMaxOnline{7 * 24 * 3600};

Customer reload(CustomerRepository& repo, const CustomerId& id, Timestamp now) {
  auto c = repo.by_id(id, now);
  if (!c) throw Error(Errc::internal, "customer vanished inside its own transaction");
  return std::move(*c);
}

// The shape of every change to one customer: load it in a write
// transaction, let `apply` check and change it (in memory and through the
// repository for contact lists), then store the scalar fields, the search
// key if the names moved, and return the customer as now stored.
// `apply` takes the customer repository, or the whole transaction when it
// touches more than the customer.
template <typename Apply>
Customer change(const detail::DatabaseState& state, std::string_view ref, Apply&& apply) {
  const Timestamp now = state.now();
  return state.write([&](store::Transaction& tx) {
    CustomerRepository& repo = tx.customers();
    Customer c = require_customer(repo, ref, now);
    const std::string old_key = rules::name_key(c);
    if constexpr (std::is_invocable_v<Apply, store::Transaction&, Customer&, Timestamp>) {
      apply(tx, c, now);
    } else {
      apply(repo, c, now);
    }
    detail::save_profile(repo, c, old_key, now);
    return reload(repo, c.id, now);
  });
}


// Whether the customer is online at `now` (as a read would say).
bool online_at(const Customer& c, Timestamp now) { return c.online_until && *c.online_until > now; }

}  // namespace

namespace detail {

// An event on the timeline of customer `c` (category customers).
Change customer_event(const Customer& c, const char* action, const char* summary,
                              const EventJson& details, EventType type) {
  return make_change(c.id, EventCategory::customers, type, action, summary, details);
}

// The events of an update: "customer.updated" for the plain profile fields,
// "customer.lifecycle_stage_changed" and "customer.tags_changed" for those,
// each only when something changed.
void record_update(store::Transaction& tx, Timestamp now, const Customer& before, const Customer& after) {
  using detail::text_value;
  detail::Change e = customer_event(after, "customer.updated", "Profile updated");
  add_edit(e, "title", text_value(before.title), text_value(after.title));
  add_edit(e, "first_name", text_value(before.first_name), text_value(after.first_name));
  add_edit(e, "last_name", text_value(before.last_name), text_value(after.last_name));
  add_edit(e, "date_of_birth", detail::date_value(before.date_of_birth), detail::date_value(after.date_of_birth));
  add_edit(e, "emergency_contact", detail::emergency_contact_value(before.emergency_contact),
           detail::emergency_contact_value(after.emergency_contact));
  if (!e.edits.empty()) {
    EventJson fields = EventJson::array();
    for (const auto& edit : e.edits) fields.push_back(edit.field);
    e.details = EventJson{{"fields", fields}}.dump();
    detail::record(tx, now, e);
  }
  if (before.lifecycle_stage != after.lifecycle_stage) {
    const EventJson from = text_value(before.lifecycle_stage), to = text_value(after.lifecycle_stage);
    detail::Change l = customer_event(after, "customer.lifecycle_stage_changed", "Lifecycle stage changed",
                                      EventJson{{"from", from}, {"to", to}});
    add_edit(l, "lifecycle_stage", from, to);
    detail::record(tx, now, l);
  }
  if (before.tags != after.tags) {
    const auto missing_from = [](const std::vector<std::string>& tags, const std::vector<std::string>& other) {
      EventJson out = EventJson::array();
      for (const auto& t : tags) {
        if (std::find(other.begin(), other.end(), t) == other.end()) out.push_back(t);
      }
      return out;
    };
    detail::Change t = customer_event(
        after, "customer.tags_changed", "Tags changed",
        EventJson{{"added", missing_from(after.tags, before.tags)}, {"removed", missing_from(before.tags, after.tags)}});
    add_edit(t, "tags", detail::tags_value(before.tags), detail::tags_value(after.tags));
    detail::record(tx, now, t);
  }
}

namespace {

// `ref` read as an id (any UUID form), then as a customer number: what
// `by_id` finds first, else what `by_number` finds. Error(invalid_argument,
// `field`) when `ref` is neither form.
template <typename ById, typename ByNumber>
auto find_by_ref(std::string_view ref, std::string_view field, ById&& by_id, ByNumber&& by_number)
    -> decltype(by_number(ref)) {
  const std::string_view r = text::trim(ref);
  const auto id = CustomerId::try_parse(r);
  const bool number = rules::is_customer_number(r);
  if (!id && !number) {
    throw Error(Errc::invalid_argument, std::string(field) + ": not a customer id or customer number",
                std::string(field));
  }
  if (id) {
    if (auto found = by_id(*id)) return found;
  }
  if (number) return by_number(r);
  return std::nullopt;
}

[[noreturn]] void no_customer(std::string_view ref, std::string_view field) {
  throw Error(Errc::not_found, std::string(field) + ": no customer '" + std::string(text::trim(ref)) + "'",
              std::string(field));
}

}  // namespace

std::optional<Customer> lookup_customer(CustomerRepository& repo, std::string_view ref, Timestamp now,
                                        std::string_view field) {
  return find_by_ref(
      ref, field, [&](const CustomerId& id) { return repo.by_id(id, now); },
      [&](std::string_view n) { return repo.by_number(n, now); });
}

Customer require_customer(CustomerRepository& repo, std::string_view ref, Timestamp now, std::string_view field) {
  auto c = lookup_customer(repo, ref, now, field);
  if (!c) no_customer(ref, field);
  return std::move(*c);
}

CustomerResolution resolve_customer(CustomerRepository& repo, std::string_view ref, std::string_view field) {
  auto found = find_by_ref(
      ref, field, [&](const CustomerId& id) { return repo.resolve_id(id); },
      [&](std::string_view n) { return repo.resolve_number(n); });
  if (!found) no_customer(ref, field);
  return std::move(*found);
}

CustomerId require_customer_id(CustomerRepository& repo, std::string_view ref, std::string_view field) {
  const auto found = find_by_ref(
      ref, field, [&](const CustomerId& id) { return repo.live_id(id); },
      [&](std::string_view n) { return repo.id_by_number(n); });
  if (!found) no_customer(ref, field);
  return *found;
}

void insert_new_customer(store::Transaction& tx, Customer& c, Timestamp now,
                         const std::map<std::string, CustomValue>& custom_fields, bool demand_required,
                         const std::vector<FieldDefinition>* definitions) {
  CustomerRepository& repo = tx.customers();
  if (c.id.empty()) c.id = CustomerId::generate(now);  // an import may keep the id it was given
  if (c.number.empty()) c.number = repo.claim_generated_number();
  repo.insert(c, rules::name_key(c));
  record(tx, now, customer_created(c));
  for (const auto& e : c.emails) email_added(tx, c.id, e.address, now);
  fill_custom_fields(tx, c.id, custom_fields, demand_required, now, definitions);
}

std::optional<CustomerId> holder_of_phone(CustomerRepository& repo, std::string_view phone, std::string_view first_name,
                                          Timestamp now) {
  const std::string first = text::fold(text::trim(first_name));
  for (const auto& c : repo.by_phone(phone, now)) {
    if (text::fold(c.first_name) == first) return c.id;
  }
  return std::nullopt;
}

void save_profile(CustomerRepository& repo, Customer& c, const std::string& old_name_key, Timestamp now) {
  c.updated_at = now;
  std::string key = rules::name_key(c);
  repo.update(c, key == old_name_key ? std::nullopt : std::optional<std::string>(std::move(key)));
}

void add_email(store::Transaction& tx, Customer& c, const std::string& address, bool primary, Timestamp now) {
  const bool is_primary = primary || c.emails.empty();
  tx.customers().add_email(c.id, Email{address, is_primary});
  Change e = customer_event(c, "email.added", "Email added", EventJson{{"primary", is_primary}});
  add_edit(e, "email", EventJson(), EventJson(address));
  record(tx, now, e);
  email_added(tx, c.id, address, now);
  if (is_primary) {
    for (auto& held : c.emails) held.primary = false;
    c.emails.insert(c.emails.begin(), Email{address, true});
  } else {
    c.emails.push_back(Email{address, false});
  }
}

void add_phone(store::Transaction& tx, Customer& c, const Phone& p, Timestamp now) {
  tx.customers().add_phone(c.id, p);
  Change e = customer_event(c, "phone.added", "Phone added",
                            EventJson{{"label", std::string(to_string(p.label))}, {"verified", p.verified}});
  add_edit(e, "phone", EventJson(), EventJson(p.number));
  record(tx, now, e);
  c.phones.push_back(p);
}

void add_address(store::Transaction& tx, Customer& c, Address a, Timestamp now) {
  a.is_default = a.is_default || std::none_of(c.addresses.begin(), c.addresses.end(),
                                              [&](const Address& o) { return o.purpose == a.purpose; });
  a.id = tx.customers().add_address(c.id, a);
  Change e = customer_event(
      c, "address.added", "Address added",
      EventJson{{"address_id", a.id}, {"purpose", std::string(to_string(a.purpose))}, {"is_default", a.is_default}});
  add_edit(e, "address", EventJson(), address_value(a));
  record(tx, now, e);
  c.addresses.push_back(std::move(a));
}

}  // namespace detail

Customer Customers::create(const NewCustomer& request) {
  const Timestamp now = state_->now();
  Customer c = rules::new_customer(request, now, state_->options.default_region, "");
  state_->write([&](store::Transaction& tx) { insert_new_customer(tx, c, now, request.custom_fields, true); });
  return c;
}

std::vector<Customer> Customers::create_many(const std::vector<NewCustomer>& requests) {
  const Timestamp now = state_->now();
  std::vector<Customer> out;
  out.reserve(requests.size());
  for (std::size_t i = 0; i < requests.size(); ++i) {
    out.push_back(rules::new_customer(requests[i], now, state_->options.default_region,
                                      indexed_field("", i) + "."));
  }
  state_->write([&](store::Transaction& tx) {
    const std::vector<FieldDefinition> definitions = tx.custom_fields().list();
    for (std::size_t i = 0; i < out.size(); ++i) {
      rules::at_index(i, [&] { insert_new_customer(tx, out[i], now, requests[i].custom_fields, true, &definitions); });
    }
  });
  return out;
}

Customer Customers::get(std::string_view ref) const {
  const Timestamp now = state_->now();
  return state_->read([&](CustomerRepository& repo) { return require_customer(repo, ref, now); });
}

std::optional<Customer> Customers::find(std::string_view ref) const {
  const Timestamp now = state_->now();
  return state_->read([&](CustomerRepository& repo) { return lookup_customer(repo, ref, now); });
}

std::optional<Customer> Customers::find_by_email(std::string_view email) const {
  const std::string address = rules::email(email, "email");
  const Timestamp now = state_->now();
  return state_->read([&](CustomerRepository& repo) { return repo.by_email(address, now); });
}

std::vector<Customer> Customers::find_by_phone(std::string_view phone) const {
  const Phone p = rules::phone(phone, PhoneLabel::mobile, state_->options.default_region, "phone");
  const Timestamp now = state_->now();
  return state_->read([&](CustomerRepository& repo) { return repo.by_phone(p.number, now); });
}

std::vector<Customer> Customers::search(std::string_view text, Page page) const {
  rules::page(page);
  const std::vector<std::string> words = text::fold_words(text::clean(text, "text", 200));
  const Timestamp now = state_->now();
  return state_->read([&](CustomerRepository& repo) { return repo.search(words, page, now); });
}

Customer Customers::update(std::string_view ref, const CustomerUpdate& changes) {
  const Timestamp now = state_->now();
  const std::string& region = state_->options.default_region;
  // Validate the input before touching storage.
  CustomerUpdate u;
  if (changes.title) u.title = rules::title(*changes.title, "title");
  if (changes.first_name) u.first_name = rules::name(*changes.first_name, "first_name");
  if (changes.last_name) u.last_name = rules::name(*changes.last_name, "last_name");
  if (changes.date_of_birth) {
    u.date_of_birth.emplace();
    if (*changes.date_of_birth) *u.date_of_birth = rules::date_of_birth(**changes.date_of_birth, now, "date_of_birth");
  }
  if (changes.lifecycle_stage) u.lifecycle_stage = rules::lifecycle_stage(*changes.lifecycle_stage, "lifecycle_stage");
  if (changes.tags) u.tags = rules::tags(*changes.tags, "tags");
  if (changes.emergency_contact) {
    u.emergency_contact.emplace();
    if (*changes.emergency_contact) {
      *u.emergency_contact = rules::emergency_contact(**changes.emergency_contact, region, "emergency_contact");
    }
  }
  return change(*state_, ref, [&](store::Transaction& tx, Customer& c, Timestamp at) {
    const Customer before = c;
    if (u.title) c.title = *u.title;
    if (u.first_name) c.first_name = *u.first_name;
    if (u.last_name) c.last_name = *u.last_name;
    if (u.date_of_birth) c.date_of_birth = *u.date_of_birth;
    if (u.lifecycle_stage) c.lifecycle_stage = *u.lifecycle_stage;
    if (u.tags) c.tags = *u.tags;
    if (u.emergency_contact) c.emergency_contact = *u.emergency_contact;
    rules::require_recognisable(c, Errc::failed_precondition, "");
    record_update(tx, at, before, c);
  });
}

Customer Customers::set_number(std::string_view ref, std::string_view number) {
  const std::string n = rules::customer_number(number, "number");
  return change(*state_, ref, [&](store::Transaction& tx, Customer& c, Timestamp now) {
    // A number of a customer merged into this one: this customer takes it over.
    if (const auto held = tx.customers().resolve_number(n); held && held->merged_from && held->id == c.id) {
      tx.merges().release_number(*held->merged_from);
    }
    tx.customers().set_number(c.id, n);
    if (c.number == n) return;
    detail::Change e = customer_event(c, "customer.number_changed", "Customer number changed");
    add_edit(e, "number", EventJson(c.number), EventJson(n));
    detail::record(tx, now, e);
  });
}

namespace {

bool has_email(const Customer& c, const std::string& address) {
  return std::any_of(c.emails.begin(), c.emails.end(), [&](const Email& e) { return e.address == address; });
}

void require_email(const Customer& c, const std::string& address) {
  if (!has_email(c, address)) throw Error(Errc::not_found, "email: the customer has no email " + address, "email");
}

}  // namespace

Customer Customers::add_email(std::string_view ref, std::string_view email, bool primary) {
  const std::string address = rules::email(email, "email");
  return change(*state_, ref, [&](store::Transaction& tx, Customer& c, Timestamp now) {
    detail::add_email(tx, c, address, primary, now);
  });
}

Customer Customers::remove_email(std::string_view ref, std::string_view email) {
  const std::string address = rules::email(email, "email");
  return change(*state_, ref, [&](store::Transaction& tx, Customer& c, Timestamp now) {
    CustomerRepository& repo = tx.customers();
    require_email(c, address);
    const bool was_primary = c.primary_email()->address == address;
    std::erase_if(c.emails, [&](const Email& e) { return e.address == address; });
    rules::require_recognisable(c, Errc::failed_precondition, "");
    repo.remove_email(c.id, address);
    if (was_primary && !c.emails.empty()) repo.set_primary_email(c.id, c.emails.front().address);
    detail::Change e = customer_event(c, "email.removed", "Email removed", EventJson{{"was_primary", was_primary}});
    add_edit(e, "email", EventJson(address), EventJson());
    detail::record(tx, now, e);
    detail::email_removed(tx, c, address, now);
  });
}

Customer Customers::set_primary_email(std::string_view ref, std::string_view email) {
  const std::string address = rules::email(email, "email");
  return change(*state_, ref, [&](store::Transaction& tx, Customer& c, Timestamp now) {
    require_email(c, address);
    tx.customers().set_primary_email(c.id, address);
    const Email* before = c.primary_email();
    if (before != nullptr && before->address == address) return;  // already primary
    // In the edit history the primary email moves from the old address to this one.
    detail::Change e = customer_event(c, "email.primary_changed", "Primary email changed");
    add_edit(e, "email", before != nullptr ? EventJson(before->address) : EventJson(), EventJson(address));
    detail::record(tx, now, e);
  });
}

Customer Customers::add_phone(std::string_view ref, std::string_view phone, PhoneLabel label) {
  const Phone p = rules::phone(phone, label, state_->options.default_region, "phone");
  return change(*state_, ref, [&](store::Transaction& tx, Customer& c, Timestamp now) {
    if (std::any_of(c.phones.begin(), c.phones.end(), [&](const Phone& o) { return o.number == p.number; })) {
      throw Error(Errc::already_exists, "phone: the customer already has " + p.number, "phone");
    }
    detail::add_phone(tx, c, p, now);
  });
}

Customer Customers::remove_phone(std::string_view ref, std::string_view phone) {
  const Phone p = rules::phone(phone, PhoneLabel::mobile, state_->options.default_region, "phone");
  return change(*state_, ref, [&](store::Transaction& tx, Customer& c, Timestamp now) {
    const auto it = std::find_if(c.phones.begin(), c.phones.end(), [&](const Phone& o) { return o.number == p.number; });
    if (it == c.phones.end()) throw Error(Errc::not_found, "phone: the customer has no phone " + p.number, "phone");
    const Phone removed = *it;
    c.phones.erase(it);
    rules::require_recognisable(c, Errc::failed_precondition, "");
    tx.customers().remove_phone(c.id, p.number);
    detail::Change e = customer_event(c, "phone.removed", "Phone removed",
                                      EventJson{{"label", std::string(to_string(removed.label))}});
    add_edit(e, "phone", EventJson(removed.number), EventJson());
    detail::record(tx, now, e);
  });
}

Customer Customers::add_address(std::string_view ref, const Address& address) {
  Address a = rules::address(address, "address");
  return change(*state_, ref, [&](store::Transaction& tx, Customer& c, Timestamp now) {
    detail::add_address(tx, c, a, now);
  });
}

Customer Customers::remove_address(std::string_view ref, std::int64_t address_id) {
  return change(*state_, ref, [&](store::Transaction& tx, Customer& c, Timestamp now) {
    CustomerRepository& repo = tx.customers();
    const auto it = std::find_if(c.addresses.begin(), c.addresses.end(),
                                 [&](const Address& a) { return a.id == address_id; });
    if (it == c.addresses.end()) {
      throw Error(Errc::not_found, "address_id: the customer has no address " + std::to_string(address_id),
                  "address_id");
    }
    const Address removed = *it;
    c.addresses.erase(it);
    repo.remove_address(c.id, address_id);
    if (removed.is_default) {
      const auto next = std::find_if(c.addresses.begin(), c.addresses.end(),
                                     [&](const Address& a) { return a.purpose == removed.purpose; });
      if (next != c.addresses.end()) repo.set_default_address(c.id, next->id);
    }
    detail::Change e =
        customer_event(c, "address.removed", "Address removed",
                       EventJson{{"address_id", removed.id}, {"purpose", std::string(to_string(removed.purpose))}});
    add_edit(e, "address", detail::address_value(removed), EventJson());
    detail::record(tx, now, e);
  });
}

Customer Customers::ban(std::string_view ref, std::string_view reason, std::string_view by) {
  Ban b{text::clean_required(reason, "reason", kMaxReason), text::clean_required(by, "by", rules::kMaxActor), {}};
  return change(*state_, ref, [&](store::Transaction& tx, Customer& c, Timestamp now) {
    if (c.status == CustomerStatus::banned) {
      throw Error(Errc::failed_precondition, "status: customer " + c.number + " is already banned", "status");
    }
    b.at = now;
    c.status = CustomerStatus::banned;
    c.ban = b;
    detail::Change e = customer_event(c, "customer.banned", "Customer banned", EventJson{{"reason", b.reason}, {"by", b.by}},
                                      EventType::security);
    add_edit(e, "status", EventJson("active"), EventJson("banned"));
    detail::record(tx, now, e);
  });
}

Customer Customers::unban(std::string_view ref) {
  return change(*state_, ref, [&](store::Transaction& tx, Customer& c, Timestamp now) {
    if (c.status != CustomerStatus::banned) {
      throw Error(Errc::failed_precondition, "status: customer " + c.number + " is not banned", "status");
    }
    EventJson details = EventJson::object();
    if (c.ban) details = EventJson{{"ban_reason", c.ban->reason}, {"banned_by", c.ban->by}};
    c.status = CustomerStatus::active;
    c.ban.reset();
    detail::Change e = customer_event(c, "customer.unbanned", "Customer unbanned", details, EventType::security);
    add_edit(e, "status", EventJson("banned"), EventJson("active"));
    detail::record(tx, now, e);
  });
}

Customer Customers::set_online(std::string_view ref, std::chrono::seconds ttl) {
  if (ttl <= std::chrono::seconds::zero() || ttl > kMaxOnline) {
    throw Error(Errc::invalid_argument, "ttl: must be between 1 second and 7 days", "ttl");
  }
  return change(*state_, ref, [&](store::Transaction& tx, Customer& c, Timestamp now) {
    // Presence is recorded when it changes (offline -> online), not on each
    // refresh of a live flow; expiry is computed at read and records nothing.
    if (!online_at(c, now)) {
      detail::record(tx, now,
                     customer_event(c, "presence.online", "Came online",
                                    EventJson{{"until", format_timestamp(clamp_time(now + ttl))}}, EventType::visit));
    }
    c.online_until = clamp_time(now + ttl);
    if (!c.first_active_at) c.first_active_at = now;
    c.last_active_at = now;
  });
}

Customer Customers::set_offline(std::string_view ref) {
  return change(*state_, ref, [&](store::Transaction& tx, Customer& c, Timestamp now) {
    if (online_at(c, now)) {
      detail::record(tx, now, customer_event(c, "presence.offline", "Went offline", EventJson::object(), EventType::visit));
    }
    c.online_until.reset();
  });
}

}  // namespace patron
