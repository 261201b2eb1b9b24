#include "patron/customers.hpp"

#include <algorithm>
#include <type_traits>

#include "core/company_ops.hpp"
#include "core/customer_ops.hpp"
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

constexpr std::size_t kMaxReason = 500;
constexpr std::size_t kMaxActor = 200;
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
    c.updated_at = now;
    std::string key = rules::name_key(c);
    repo.update(c, key == old_key ? std::nullopt : std::optional<std::string>(std::move(key)));
    return reload(repo, c.id, now);
  });
}


}  // namespace

namespace detail {

std::optional<Customer> lookup_customer(CustomerRepository& repo, std::string_view ref, Timestamp now,
                                        std::string_view field) {
  const std::string_view r = text::trim(ref);
  const auto id = CustomerId::try_parse(r);
  if (id) {
    if (auto c = repo.by_id(*id, now)) return c;
  }
  if (rules::is_customer_number(r)) return repo.by_number(r, now);
  if (!id) {
    throw Error(Errc::invalid_argument, std::string(field) + ": not a customer id or customer number",
                std::string(field));
  }
  return std::nullopt;
}

Customer require_customer(CustomerRepository& repo, std::string_view ref, Timestamp now, std::string_view field) {
  auto c = lookup_customer(repo, ref, now, field);
  if (!c) {
    throw Error(Errc::not_found, std::string(field) + ": no customer '" + std::string(text::trim(ref)) + "'",
                std::string(field));
  }
  return std::move(*c);
}

void insert_new_customer(store::Transaction& tx, Customer& c, Timestamp now) {
  CustomerRepository& repo = tx.customers();
  c.id = CustomerId::generate(now);
  if (c.number.empty()) c.number = repo.claim_generated_number();
  repo.insert(c, rules::name_key(c));
  for (const auto& e : c.emails) email_added(tx, c.id, e.address, now);
}

}  // namespace detail

Customer Customers::create(const NewCustomer& request) {
  const Timestamp now = state_->now();
  Customer c = rules::new_customer(request, now, state_->options.default_region, "");
  state_->write([&](store::Transaction& tx) { insert_new_customer(tx, c, now); });
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
    for (std::size_t i = 0; i < out.size(); ++i) {
      try {
        insert_new_customer(tx, out[i], now);
      } catch (const Error& e) {
        const std::string at = indexed_field("", i);
        throw Error(e.code(), at + "." + e.what(), e.field().empty() ? at : at + "." + e.field());
      }
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
  return change(*state_, ref, [&](CustomerRepository&, Customer& c, Timestamp) {
    if (u.title) c.title = *u.title;
    if (u.first_name) c.first_name = *u.first_name;
    if (u.last_name) c.last_name = *u.last_name;
    if (u.date_of_birth) c.date_of_birth = *u.date_of_birth;
    if (u.lifecycle_stage) c.lifecycle_stage = *u.lifecycle_stage;
    if (u.tags) c.tags = *u.tags;
    if (u.emergency_contact) c.emergency_contact = *u.emergency_contact;
    rules::require_recognisable(c, Errc::failed_precondition, "");
  });
}

Customer Customers::set_number(std::string_view ref, std::string_view number) {
  const std::string n = rules::customer_number(number, "number");
  return change(*state_, ref, [&](CustomerRepository& repo, Customer& c, Timestamp) { repo.set_number(c.id, n); });
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
    tx.customers().add_email(c.id, Email{address, primary || c.emails.empty()});
    detail::email_added(tx, c.id, address, now);
  });
}

Customer Customers::remove_email(std::string_view ref, std::string_view email) {
  const std::string address = rules::email(email, "email");
  return change(*state_, ref, [&](store::Transaction& tx, Customer& c, Timestamp) {
    CustomerRepository& repo = tx.customers();
    require_email(c, address);
    const bool was_primary = c.primary_email()->address == address;
    std::erase_if(c.emails, [&](const Email& e) { return e.address == address; });
    rules::require_recognisable(c, Errc::failed_precondition, "");
    repo.remove_email(c.id, address);
    if (was_primary && !c.emails.empty()) repo.set_primary_email(c.id, c.emails.front().address);
    detail::email_removed(tx, c, address);
  });
}

Customer Customers::set_primary_email(std::string_view ref, std::string_view email) {
  const std::string address = rules::email(email, "email");
  return change(*state_, ref, [&](CustomerRepository& repo, Customer& c, Timestamp) {
    require_email(c, address);
    repo.set_primary_email(c.id, address);
  });
}

Customer Customers::add_phone(std::string_view ref, std::string_view phone, PhoneLabel label) {
  const Phone p = rules::phone(phone, label, state_->options.default_region, "phone");
  return change(*state_, ref, [&](CustomerRepository& repo, Customer& c, Timestamp) {
    if (std::any_of(c.phones.begin(), c.phones.end(), [&](const Phone& o) { return o.number == p.number; })) {
      throw Error(Errc::already_exists, "phone: the customer already has " + p.number, "phone");
    }
    repo.add_phone(c.id, p);
  });
}

Customer Customers::remove_phone(std::string_view ref, std::string_view phone) {
  const Phone p = rules::phone(phone, PhoneLabel::mobile, state_->options.default_region, "phone");
  return change(*state_, ref, [&](CustomerRepository& repo, Customer& c, Timestamp) {
    const auto removed = std::erase_if(c.phones, [&](const Phone& o) { return o.number == p.number; });
    if (removed == 0) throw Error(Errc::not_found, "phone: the customer has no phone " + p.number, "phone");
    rules::require_recognisable(c, Errc::failed_precondition, "");
    repo.remove_phone(c.id, p.number);
  });
}

Customer Customers::add_address(std::string_view ref, const Address& address) {
  Address a = rules::address(address, "address");
  return change(*state_, ref, [&](CustomerRepository& repo, Customer& c, Timestamp) {
    a.is_default = a.is_default || std::none_of(c.addresses.begin(), c.addresses.end(),
                                                [&](const Address& o) { return o.purpose == a.purpose; });
    repo.add_address(c.id, a);
  });
}

Customer Customers::remove_address(std::string_view ref, std::int64_t address_id) {
  return change(*state_, ref, [&](CustomerRepository& repo, Customer& c, Timestamp) {
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
  });
}

Customer Customers::ban(std::string_view ref, std::string_view reason, std::string_view by) {
  Ban b{text::clean_required(reason, "reason", kMaxReason), text::clean_required(by, "by", kMaxActor), {}};
  return change(*state_, ref, [&](CustomerRepository&, Customer& c, Timestamp now) {
    if (c.status == CustomerStatus::banned) {
      throw Error(Errc::failed_precondition, "customer " + c.number + " is already banned", "ref");
    }
    b.at = now;
    c.status = CustomerStatus::banned;
    c.ban = b;
  });
}

Customer Customers::unban(std::string_view ref) {
  return change(*state_, ref, [&](CustomerRepository&, Customer& c, Timestamp) {
    if (c.status != CustomerStatus::banned) {
      throw Error(Errc::failed_precondition, "customer " + c.number + " is not banned", "ref");
    }
    c.status = CustomerStatus::active;
    c.ban.reset();
  });
}

Customer Customers::set_online(std::string_view ref, std::chrono::seconds ttl) {
  if (ttl <= std::chrono::seconds::zero() || ttl > kMaxOnline) {
    throw Error(Errc::invalid_argument, "ttl: must be between 1 second and 7 days", "ttl");
  }
  return change(*state_, ref, [&](CustomerRepository&, Customer& c, Timestamp now) {
    c.online_until = now + ttl;
    if (!c.first_active_at) c.first_active_at = now;
    c.last_active_at = now;
  });
}

Customer Customers::set_offline(std::string_view ref) {
  return change(*state_, ref, [&](CustomerRepository&, Customer& c, Timestamp) { c.online_until.reset(); });
}

}  // namespace patron
