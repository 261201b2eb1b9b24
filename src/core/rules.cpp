#include "core/rules.hpp"

#include <algorithm>

#include "patron/error.hpp"
#include "text/text.hpp"

namespace patron::rules {
namespace {

constexpr std::size_t kMaxTitle = 32;
constexpr std::size_t kMaxName = 100;
constexpr std::size_t kMaxStage = 64;
constexpr std::size_t kMaxTag = 64;
constexpr std::size_t kMaxTags = 50;
constexpr std::size_t kMaxLine = 200;
constexpr std::size_t kMaxPlace = 100;
constexpr std::size_t kMaxPostalCode = 20;

std::string join(std::string_view prefix, std::string_view name) {
  std::string out(prefix);
  out += name;
  return out;
}

[[noreturn]] void refuse(Errc code, const std::string& field, std::string_view rule) {
  throw Error(code, field + ": " + std::string(rule), field);
}

}  // namespace

bool is_customer_number(std::string_view text) noexcept {
  if (text.size() < 5 || text.size() > 32) return false;
  return std::all_of(text.begin(), text.end(), [](unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-' || c == '/';
  });
}

std::string customer_number(std::string_view text, std::string_view field) {
  const std::string f(field);
  const std::string_view t = text::trim(text);
  if (t.size() < 5) refuse(Errc::invalid_argument, f, "a customer number has at least 5 characters");
  if (t.size() > 32) refuse(Errc::invalid_argument, f, "a customer number has at most 32 characters");
  if (!is_customer_number(t)) {
    refuse(Errc::invalid_argument, f, "a customer number may only hold A-Z a-z 0-9 . _ - /");
  }
  return std::string(t);
}

std::string email(std::string_view text, std::string_view field) { return text::normalize_email(text, field); }

Phone phone(std::string_view text, PhoneLabel label, std::string_view region, std::string_view field) {
  auto parsed = text::normalize_phone(text, region, field);
  return Phone{std::move(parsed.number), label, parsed.valid};
}

std::string title(std::string_view text, std::string_view field) { return text::clean(text, field, kMaxTitle); }
std::string name(std::string_view text, std::string_view field) { return text::clean(text, field, kMaxName); }
std::string lifecycle_stage(std::string_view text, std::string_view field) {
  return text::clean(text, field, kMaxStage);
}

Address address(const Address& in, std::string_view field) {
  Address a;
  a.purpose = in.purpose;
  a.is_default = in.is_default;
  a.line1 = text::clean(in.line1, join(field, ".line1"), kMaxLine);
  a.line2 = text::clean(in.line2, join(field, ".line2"), kMaxLine);
  a.city = text::clean(in.city, join(field, ".city"), kMaxPlace);
  a.region = text::clean(in.region, join(field, ".region"), kMaxPlace);
  a.postal_code = text::clean(in.postal_code, join(field, ".postal_code"), kMaxPostalCode);
  a.country = text::normalize_country(in.country, join(field, ".country"));
  if (a.line1.empty() && a.city.empty() && a.postal_code.empty()) {
    refuse(Errc::invalid_argument, join(field, ".line1"), "an address needs line1, city or postal_code");
  }
  return a;
}

std::vector<std::string> tags(const std::vector<std::string>& in, std::string_view field) {
  if (in.size() > kMaxTags) refuse(Errc::invalid_argument, std::string(field), "at most 50 tags");
  std::vector<std::string> out;
  std::vector<std::string> folded;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const std::string f = indexed_field(field, i);
    std::string tag = text::clean_required(in[i], f, kMaxTag);
    std::string key = text::fold(tag);
    if (std::find(folded.begin(), folded.end(), key) != folded.end()) {
      refuse(Errc::invalid_argument, f, "duplicate tag '" + tag + "'");
    }
    folded.push_back(std::move(key));
    out.push_back(std::move(tag));
  }
  return out;
}

Date date_of_birth(Date d, Timestamp now, std::string_view field) {
  const std::string f(field);
  if (!d.ok()) refuse(Errc::invalid_argument, f, "not a calendar date");
  if (d.year() < std::chrono::year{1900}) refuse(Errc::invalid_argument, f, "before 1900");
  if (std::chrono::sys_days{d} > std::chrono::floor<std::chrono::days>(now)) {
    refuse(Errc::invalid_argument, f, "in the future");
  }
  return d;
}

EmergencyContact emergency_contact(const EmergencyContact& in, std::string_view region, std::string_view field) {
  EmergencyContact out;
  out.name = text::clean_required(in.name, join(field, ".name"), kMaxLine);
  out.phone = text::normalize_phone(in.phone, region, join(field, ".phone")).number;
  return out;
}

Customer new_customer(const NewCustomer& in, Timestamp now, std::string_view region, std::string_view prefix) {
  Customer c;
  if (!in.number.empty()) {
    c.number = customer_number(in.number, join(prefix, "number"));
  }
  c.title = title(in.title, join(prefix, "title"));
  c.first_name = name(in.first_name, join(prefix, "first_name"));
  c.last_name = name(in.last_name, join(prefix, "last_name"));
  if (!in.email.empty()) c.emails.push_back(Email{email(in.email, join(prefix, "email")), true});
  if (!in.phone.empty()) c.phones.push_back(phone(in.phone, in.phone_label, region, join(prefix, "phone")));
  if (in.date_of_birth) c.date_of_birth = date_of_birth(*in.date_of_birth, now, join(prefix, "date_of_birth"));
  c.lifecycle_stage = lifecycle_stage(in.lifecycle_stage, join(prefix, "lifecycle_stage"));
  c.tags = tags(in.tags, join(prefix, "tags"));
  for (std::size_t i = 0; i < in.addresses.size(); ++i) {
    Address a = address(in.addresses[i], join(prefix, indexed_field("addresses", i)));
    const bool first_of_purpose = std::none_of(c.addresses.begin(), c.addresses.end(),
                                               [&](const Address& o) { return o.purpose == a.purpose; });
    if (a.is_default) {
      for (auto& o : c.addresses) {
        if (o.purpose == a.purpose) o.is_default = false;
      }
    }
    a.is_default = a.is_default || first_of_purpose;
    c.addresses.push_back(std::move(a));
  }
  if (in.emergency_contact) {
    c.emergency_contact = emergency_contact(*in.emergency_contact, region, join(prefix, "emergency_contact"));
  }
  // The phone rule is named on the phone itself: it is the likely mistake.
  const bool named = !c.first_name.empty() && !c.last_name.empty();
  if (!named && c.emails.empty() && !c.first_name.empty() && !c.phones.empty() && !c.phones[0].verified) {
    refuse(Errc::invalid_argument, join(prefix, "phone"),
           "not a valid phone number for region " + std::string(region) +
               "; a customer with only a first name needs a valid phone");
  }
  require_recognisable(c, Errc::invalid_argument, prefix);
  c.created_at = now;
  c.updated_at = now;
  return c;
}

void require_recognisable(const Customer& c, Errc code, std::string_view prefix) {
  const bool named = !c.first_name.empty() && !c.last_name.empty();
  const bool phoned = !c.first_name.empty() && std::any_of(c.phones.begin(), c.phones.end(),
                                                           [](const Phone& p) { return p.verified; });
  if (!named && c.emails.empty() && !phoned) {
    refuse(code, join(prefix, "customer"),
           "a customer needs first and last name, an email, or first name and a valid phone");
  }
}

void page(Page p) {
  if (p.limit == 0 || p.limit > 1000) refuse(Errc::invalid_argument, "limit", "must be between 1 and 1000");
}

std::int64_t money(std::int64_t amount, std::string_view field, std::int64_t min) {
  return in_range(amount, field, min, kMaxMoney, min == 0 ? "0 to 10^15 minor units" : "1 to 10^15 minor units");
}

std::int64_t in_range(std::int64_t value, std::string_view field, std::int64_t min, std::int64_t max,
                      std::string_view range) {
  if (value < min || value > max) {
    throw Error(Errc::invalid_argument, std::string(field) + ": must be " + std::string(range), std::string(field));
  }
  return value;
}

std::string host_id(std::string_view id, std::string_view field, std::string_view what) {
  const bool ok = !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-' || c == ':' || c == '/';
  });
  if (!ok) {
    throw Error(Errc::invalid_argument,
                std::string(field) + ": " + std::string(what) + " is 1-64 characters of A-Z a-z 0-9 . _ - : /",
                std::string(field));
  }
  return std::string(id);
}

std::string name_key(const Customer& c) {
  // Last name first: the key is also the sort order of search results.
  std::string key = text::fold(c.last_name);
  key += ' ';
  key += text::fold(c.first_name);
  return key;
}

}  // namespace patron::rules
