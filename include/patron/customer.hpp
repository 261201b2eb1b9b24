// The customer record and its contacts, as value types.
//
// A Customer is a snapshot read from the database: plain data with
// operator==, safe to copy and to read from any thread. Changes go through
// patron::Customers (customers_service.hpp), never by editing a snapshot.
//
// Rules a customer always satisfies (checked on create and on every change):
//  - it can be recognised: first + last name, or an email, or first name + a
//    valid phone;
//  - its number is 5-32 characters of A-Z a-z 0-9 . _ - / and unique
//    regardless of case;
//  - an email belongs to one customer only; a phone may be shared.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <map>
#include <string_view>
#include <variant>
#include <vector>

#include "patron/ids.hpp"
#include "patron/types.hpp"

namespace patron {

enum class PhoneLabel { mobile, work, home, other };
enum class AddressPurpose { billing, shipping, contact };
enum class CustomerStatus { active, banned };
enum class Presence { offline, online };

// Stable lower-case names ("mobile", "billing", "banned", ...) and their
// parsers; a parser throws Error(invalid_argument) naming `field`.
std::string_view to_string(PhoneLabel v) noexcept;
std::string_view to_string(AddressPurpose v) noexcept;
std::string_view to_string(CustomerStatus v) noexcept;
std::string_view to_string(Presence v) noexcept;
PhoneLabel parse_phone_label(std::string_view text, std::string_view field = "label");
AddressPurpose parse_address_purpose(std::string_view text, std::string_view field = "purpose");

struct Email {
  std::string address{};  // normalised: trimmed, lower-case, domain in ASCII (IDNA)
  bool primary = false;
  friend bool operator==(const Email&, const Email&) = default;
};

struct Phone {
  // E.164 ("+447700900123") when verified; otherwise the text as typed (trimmed).
  std::string number{};
  PhoneLabel label = PhoneLabel::mobile;
  // True when libphonenumber recognised a valid number.
  bool verified = false;
  friend bool operator==(const Phone&, const Phone&) = default;
};

struct Address {
  std::int64_t id = 0;  // assigned by the database; 0 in a request
  AddressPurpose purpose = AddressPurpose::contact;
  std::string line1{};
  std::string line2{};
  std::string city{};
  std::string region{};
  std::string postal_code{};
  std::string country{};  // ISO 3166-1 alpha-2, upper case
  // The default address for its purpose. The first address of a purpose
  // becomes the default; adding another with is_default moves the default.
  bool is_default = false;
  friend bool operator==(const Address&, const Address&) = default;
};

struct EmergencyContact {
  std::string name{};
  std::string phone{};  // E.164 when it parses as a valid number, else as typed
  friend bool operator==(const EmergencyContact&, const EmergencyContact&) = default;
};

struct Ban {
  std::string reason{};
  std::string by{};  // who banned: staff member, API client, ...
  Timestamp at{};
  friend bool operator==(const Ban&, const Ban&) = default;
};

struct Customer {
  CustomerId id{};
  std::string number{};
  std::string title{};
  std::string first_name{};
  std::string last_name{};
  std::optional<Date> date_of_birth{};
  std::string lifecycle_stage{};
  std::vector<std::string> tags{};  // in the order they were given, unique ignoring case
  std::vector<Email> emails{};      // primary first
  std::vector<Phone> phones{};
  std::vector<Address> addresses{};
  std::optional<EmergencyContact> emergency_contact{};
  CustomerStatus status = CustomerStatus::active;
  std::optional<Ban> ban{};  // set while banned
  // Online while in a live flow and before online_until; computed at read.
  Presence presence = Presence::offline;
  std::optional<Timestamp> online_until{};
  Timestamp created_at{};
  Timestamp updated_at{};
  std::optional<Timestamp> first_active_at{};
  std::optional<Timestamp> last_active_at{};

  // The primary email, or nullptr when the customer has none.
  const Email* primary_email() const noexcept;
  friend bool operator==(const Customer&, const Customer&) = default;
};

// The value of a custom field (see custom_fields.hpp for which alternative
// each field type takes): text/select/url, number, date, multi_select,
// checkbox, file (a document id).
using CustomValue = std::variant<std::string, double, Date, std::vector<std::string>, bool, std::int64_t>;

// What create() takes. Give at least first + last name, an email, or first
// name + a valid phone. An empty number asks patron to generate one.
struct NewCustomer {
  std::string number{};
  std::string title{};
  std::string first_name{};
  std::string last_name{};
  std::string email{};
  std::string phone{};
  PhoneLabel phone_label = PhoneLabel::mobile;
  std::optional<Date> date_of_birth{};
  std::string lifecycle_stage{};
  std::vector<std::string> tags{};
  std::vector<Address> addresses{};
  std::optional<EmergencyContact> emergency_contact{};
  // Custom field values by key (see custom_fields.hpp).
  std::map<std::string, CustomValue> custom_fields{};
};

// A partial update: a field left empty (std::nullopt) is not touched. For
// text fields an empty string clears the field; date_of_birth and
// emergency_contact are cleared by an engaged empty optional.
struct CustomerUpdate {
  std::optional<std::string> title{};
  std::optional<std::string> first_name{};
  std::optional<std::string> last_name{};
  std::optional<std::optional<Date>> date_of_birth{};
  std::optional<std::string> lifecycle_stage{};
  std::optional<std::vector<std::string>> tags{};
  std::optional<std::optional<EmergencyContact>> emergency_contact{};

  bool empty() const noexcept {
    return !title && !first_name && !last_name && !date_of_birth && !lifecycle_stage && !tags &&
           !emergency_contact;
  }
};

// What identify() matched a token on.
enum class MatchKind { id, number, credential, email, phone };
std::string_view to_string(MatchKind v) noexcept;

struct Identification {
  Customer customer;
  MatchKind matched_on = MatchKind::id;
  std::optional<std::int64_t> credential{};  // the credential matched on (MatchKind::credential)
  friend bool operator==(const Identification&, const Identification&) = default;
};

// Paging for lists: at most `limit` (1..1000) records after skipping `offset`.
struct Page {
  std::size_t limit = 50;
  std::size_t offset = 0;
};

}  // namespace patron
