#include "patron/json.hpp"

#include <nlohmann/json.hpp>

#include <initializer_list>

#include "patron/error.hpp"

namespace patron::json {
namespace {

// ordered_json keeps fields in the documented order.
using json = nlohmann::ordered_json;

json opt_time(const std::optional<Timestamp>& t) { return t ? json(format_timestamp(*t)) : json(nullptr); }

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

[[noreturn]] void bad(const std::string& field, const std::string& rule) {
  throw Error(Errc::invalid_argument, (field.empty() ? std::string("json") : field) + ": " + rule,
              field.empty() ? "json" : field);
}

json parse(std::string_view text) {
  try {
    return json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    bad("json", std::string("not valid JSON (") + e.what() + ")");
  }
}

std::string path(std::string_view prefix, std::string_view key) {
  if (prefix.empty()) return std::string(key);
  return std::string(prefix) + "." + std::string(key);
}

void require_object(const json& j, const std::string& field, std::initializer_list<std::string_view> allowed) {
  if (!j.is_object()) bad(field, "must be a JSON object");
  for (const auto& [key, value] : j.items()) {
    bool known = false;
    for (auto a : allowed) known = known || key == a;
    if (!known) bad(path(field, key), "unknown field");
  }
}

std::string get_string(const json& j, std::string_view key, const std::string& field) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return {};
  if (!it->is_string()) bad(field, "must be a string");
  return it->get<std::string>();
}

bool get_bool(const json& j, std::string_view key, const std::string& field) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return false;
  if (!it->is_boolean()) bad(field, "must be true or false");
  return it->get<bool>();
}

std::vector<std::string> get_strings(const json& j, const std::string& field) {
  if (!j.is_array()) bad(field, "must be an array of strings");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < j.size(); ++i) {
    if (!j[i].is_string()) bad(field + "[" + std::to_string(i) + "]", "must be a string");
    out.push_back(j[i].get<std::string>());
  }
  return out;
}

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

NewCustomer new_customer_from(const json& j, const std::string& prefix) {
  require_object(j, prefix, {"number", "title", "first_name", "last_name", "email", "phone", "phone_label",
                             "date_of_birth", "lifecycle_stage", "tags", "addresses", "emergency_contact"});
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
      n.addresses.push_back(address_from((*it)[i], field + "[" + std::to_string(i) + "]"));
    }
  }
  if (auto it = j.find("emergency_contact"); it != j.end() && !it->is_null()) {
    n.emergency_contact = emergency_from(*it, path(prefix, "emergency_contact"));
  }
  return n;
}

}  // namespace

std::string encode(const Customer& customer) { return to_json(customer).dump(); }

std::string encode(const std::vector<Customer>& customers) {
  json out = json::array();
  for (const auto& c : customers) out.push_back(to_json(c));
  return out.dump();
}

std::string encode(const std::vector<Identification>& matches) {
  json out = json::array();
  for (const auto& m : matches) out.push_back({{"matched_on", to_string(m.matched_on)}, {"customer", to_json(m.customer)}});
  return out.dump();
}

NewCustomer decode_new_customer(std::string_view text) { return new_customer_from(parse(text), ""); }

std::vector<NewCustomer> decode_new_customers(std::string_view text) {
  const json j = parse(text);
  if (!j.is_array()) bad("json", "must be a JSON array of customer objects");
  std::vector<NewCustomer> out;
  out.reserve(j.size());
  for (std::size_t i = 0; i < j.size(); ++i) out.push_back(new_customer_from(j[i], "[" + std::to_string(i) + "]"));
  return out;
}

CustomerUpdate decode_customer_update(std::string_view text) {
  const json j = parse(text);
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

Address decode_address(std::string_view text) { return address_from(parse(text), "address"); }

}  // namespace patron::json
