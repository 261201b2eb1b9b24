// The customer rules the core applies before anything reaches storage:
// each function validates and normalises one kind of input, throwing
// Error(invalid_argument) naming the field (with `prefix`, e.g. "[3].").
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "patron/customer.hpp"
#include "patron/error.hpp"

namespace patron::rules {

// Who did it ("by", the actor of an event, a ban, a merge, a decision): at
// most this many characters, everywhere.
inline constexpr std::size_t kMaxActor = 200;

bool is_customer_number(std::string_view text) noexcept;
std::string customer_number(std::string_view text, std::string_view field);

std::string email(std::string_view text, std::string_view field);
Phone phone(std::string_view text, PhoneLabel label, std::string_view region, std::string_view field);
Address address(const Address& in, std::string_view field);
std::vector<std::string> tags(const std::vector<std::string>& in, std::string_view field);
Date date_of_birth(Date d, Timestamp now, std::string_view field);
EmergencyContact emergency_contact(const EmergencyContact& in, std::string_view region, std::string_view field);
std::string title(std::string_view text, std::string_view field);
std::string name(std::string_view text, std::string_view field);
std::string lifecycle_stage(std::string_view text, std::string_view field);

// A new customer (id and generated number left to the caller).
Customer new_customer(const NewCustomer& in, Timestamp now, std::string_view region, std::string_view prefix);

// Throws unless the customer can be recognised: first + last name, an email,
// or first name + a valid phone. `code` says how to refuse.
void require_recognisable(const Customer& c, Errc code, std::string_view prefix);

// A page of a list: limit 1..1000 (offset is free).
void page(Page p);

// Folded search text for the customer's names.
std::string name_key(const Customer& c);

// `value` within [min, max], else Error(invalid_argument, `field`) saying
// "must be `range`" ("1 to 10^15 minor units").
std::int64_t in_range(std::int64_t value, std::string_view field, std::int64_t min, std::int64_t max,
                      std::string_view range);

// `amount` within [min, kMaxMoney] minor units (min is 0 or 1), else
// Error(invalid_argument, `field`) saying "must be 0 to 10^15 minor units".
std::int64_t money(std::int64_t amount, std::string_view field, std::int64_t min = 0);

// Runs `f` for the i-th element of a batch (create_many, earn_many, ...): an
// Error it throws is rethrown naming "[i].field" ("[i]" when it names none),
// its message prefixed "[i].".
template <typename F>
auto at_index(std::size_t i, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const Error& e) {
    const std::string at = indexed_field("", i);
    throw Error(e.code(), at + "." + e.what(), e.field().empty() ? at : at + "." + e.field());
  }
}

// An id a host chooses (door, program, tier, reward, category, place): 1-64
// characters of A-Z a-z 0-9 . _ - : /, matched exactly. `what` names it in
// the message ("a door id").
std::string host_id(std::string_view id, std::string_view field, std::string_view what = "an id");

}  // namespace patron::rules
