// Customers as JSON: a customer, identify() matches, new customers, updates, addresses.
#include "json/json_internal.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "patron/error.hpp"

namespace patron::json {

using namespace internal;

namespace {

Address address_from(const json& j, const std::string& field) {
  require_object(j, field, {"purpose", "line1", "line2", "city", "region", "postal_code", "country", "is_default"});
  Address a;
  const std::string purpose = get_string(j, "purpose", path(field, "purpose"));
  if (!purpose.empty()) a.purpose = parse_address_purpose(purpose, path(field, "purpose"));
  a.line1 = get_string(j, "line1", path(field, "line1"));
  a.line2 = get_string(j, "line2", path(field, "line2"));
  a.city = get_string(j, "city", path(field, "city"));
  a.region = get_string(j, "region", path(field, "region"));
  a.postal_code = get_string(j, "postal_code", path(field, "postal_code"));
  a.country = get_string(j, "country", path(field, "country"));
  a.is_default = get_bool(j, "is_default", path(field, "is_default"));
  return a;
}

EmergencyContact emergency_from(const json& j, const std::string& field) {
  require_object(j, field, {"name", "phone"});
  return {get_string(j, "name", path(field, "name")), get_string(j, "phone", path(field, "phone"))};
}

std::optional<Date> date_from(const json& j, std::string_view key, const std::string& field) {
  const std::string s = get_string(j, key, field);
  if (s.empty()) return std::nullopt;
  return parse_date(s, field);
}

NewCustomer new_customer_from(const json& j, const std::string& prefix, const FieldTypes& types) {
  require_object(j, prefix, {"number", "title", "first_name", "last_name", "email", "phone", "phone_label",
                             "date_of_birth", "lifecycle_stage", "tags", "addresses", "emergency_contact",
                             "custom_fields"});
  NewCustomer n;
  n.number = get_string(j, "number", path(prefix, "number"));
  n.title = get_string(j, "title", path(prefix, "title"));
  n.first_name = get_string(j, "first_name", path(prefix, "first_name"));
  n.last_name = get_string(j, "last_name", path(prefix, "last_name"));
  n.email = get_string(j, "email", path(prefix, "email"));
  n.phone = get_string(j, "phone", path(prefix, "phone"));
  const std::string label = get_string(j, "phone_label", path(prefix, "phone_label"));
  if (!label.empty()) n.phone_label = parse_phone_label(label, path(prefix, "phone_label"));
  n.date_of_birth = date_from(j, "date_of_birth", path(prefix, "date_of_birth"));
  n.lifecycle_stage = get_string(j, "lifecycle_stage", path(prefix, "lifecycle_stage"));
  if (auto it = j.find("tags"); it != j.end() && !it->is_null()) n.tags = get_strings(*it, path(prefix, "tags"));
  if (auto it = j.find("addresses"); it != j.end() && !it->is_null()) {
    const std::string field = path(prefix, "addresses");
    if (!it->is_array()) bad(field, "must be an array of address objects");
    for (std::size_t i = 0; i < it->size(); ++i) {
      n.addresses.push_back(address_from((*it)[i], indexed_field(field, i)));
    }
  }
  if (auto it = j.find("emergency_contact"); it != j.end() && !it->is_null()) {
    n.emergency_contact = emergency_from(*it, path(prefix, "emergency_contact"));
  }
  if (auto it = j.find("custom_fields"); it != j.end() && !it->is_null()) {
    const std::string field = path(prefix, "custom_fields");
    if (!it->is_object()) bad(field, "must be a JSON object of values by field key");
    for (const auto& [key, value] : it->items()) {
      const auto type = types.find(key);
      n.custom_fields.emplace(key, custom_value_from(value, type == types.end() ? nullptr : &type->second,
                                                     path(field, key)));
    }
  }
  return n;
}

}  // namespace

namespace internal {

json to_json(const Customer& c) {
  json emails = json::array();
  for (const auto& e : c.emails) emails.push_back({{"address", e.address}, {"primary", e.primary}});
  json phones = json::array();
  for (const auto& p : c.phones) {
    phones.push_back({{"number", p.number}, {"label", to_string(p.label)}, {"verified", p.verified}});
  }
  json addresses = json::array();
  for (const auto& a : c.addresses) {
    addresses.push_back({{"id", a.id},
                         {"purpose", to_string(a.purpose)},
                         {"line1", a.line1},
                         {"line2", a.line2},
                         {"city", a.city},
                         {"region", a.region},
                         {"postal_code", a.postal_code},
                         {"country", a.country},
                         {"is_default", a.is_default}});
  }
  return {
      {"id", c.id.str()},
      {"number", c.number},
      {"title", c.title},
      {"first_name", c.first_name},
      {"last_name", c.last_name},
      {"date_of_birth", c.date_of_birth ? json(format_date(*c.date_of_birth)) : json(nullptr)},
      {"lifecycle_stage", c.lifecycle_stage},
      {"tags", c.tags},
      {"emails", std::move(emails)},
      {"phones", std::move(phones)},
      {"addresses", std::move(addresses)},
      {"emergency_contact", c.emergency_contact
                                ? json{{"name", c.emergency_contact->name}, {"phone", c.emergency_contact->phone}}
                                : json(nullptr)},
      {"status", to_string(c.status)},
      {"ban", c.ban ? json{{"reason", c.ban->reason}, {"by", c.ban->by}, {"at", format_timestamp(c.ban->at)}}
                    : json(nullptr)},
      {"presence", to_string(c.presence)},
      {"online_until", opt_time(c.online_until)},
      {"created_at", format_timestamp(c.created_at)},
      {"updated_at", format_timestamp(c.updated_at)},
      {"first_active_at", opt_time(c.first_active_at)},
      {"last_active_at", opt_time(c.last_active_at)},
  };
}

}  // namespace internal

std::string encode(const Customer& customer) { return to_json(customer).dump(); }

std::string encode(const std::vector<Customer>& customers) { return encode_list(customers); }

std::string encode(const std::vector<Identification>& matches) {
  json out = json::array();
  for (const auto& m : matches) {
    out.push_back(
        {{"matched_on", to_string(m.matched_on)}, {"credential", opt_id(m.credential)}, {"customer", to_json(m.customer)}});
  }
  return out.dump();
}

NewCustomer decode_new_customer(std::string_view text, const FieldTypes& types) {
  return new_customer_from(parse_json(text), "", types);
}

std::vector<NewCustomer> decode_new_customers(std::string_view text, const FieldTypes& types) {
  const json j = parse_json(text);
  if (!j.is_array()) bad("json", "must be a JSON array of customer objects");
  std::vector<NewCustomer> out;
  out.reserve(j.size());
  for (std::size_t i = 0; i < j.size(); ++i) out.push_back(new_customer_from(j[i], indexed_field("", i), types));
  return out;
}

CustomerUpdate decode_customer_update(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"title", "first_name", "last_name", "date_of_birth", "lifecycle_stage", "tags",
                         "emergency_contact"});
  CustomerUpdate u;
  if (j.contains("title")) u.title = get_string(j, "title", "title");
  if (j.contains("first_name")) u.first_name = get_string(j, "first_name", "first_name");
  if (j.contains("last_name")) u.last_name = get_string(j, "last_name", "last_name");
  if (j.contains("date_of_birth")) u.date_of_birth = date_from(j, "date_of_birth", "date_of_birth");
  if (j.contains("lifecycle_stage")) u.lifecycle_stage = get_string(j, "lifecycle_stage", "lifecycle_stage");
  if (j.contains("tags")) u.tags = j["tags"].is_null() ? std::vector<std::string>{} : get_strings(j["tags"], "tags");
  if (j.contains("emergency_contact")) {
    u.emergency_contact.emplace();
    if (!j["emergency_contact"].is_null()) *u.emergency_contact = emergency_from(j["emergency_contact"], "emergency_contact");
  }
  return u;
}

Address decode_address(std::string_view text) { return address_from(parse_json(text), "address"); }

}  // namespace patron::json
