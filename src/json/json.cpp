#include "patron/json.hpp"

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <limits>
#include <type_traits>
#include <utility>
#include <variant>

#include "core/bounded_json.hpp"
#include "patron/error.hpp"

namespace patron::json {
namespace {

// ordered_json keeps fields in the documented order.
using json = nlohmann::ordered_json;
constexpr std::int64_t kMaxInt = std::numeric_limits<std::int64_t>::max();

// Each record's JSON form; declared first so the list templates find them all.
json to_json(const Customer& c);
json to_json(const Order& o);
json to_json(const Booking& b);
json to_json(const Enquiry& e);
json to_json(const CustomerStats& s);
json to_json(const RfmScore& s);
json to_json(const ModelFit& f);
json to_json(const Prediction& p);
json to_json(const RecordSummary& r);
json to_json(const Company& c);
json to_json(const CompanyLink& l);
json to_json(const Plan& p);
json to_json(const Membership& m);
json to_json(const EffectiveMembership& e);
json to_json(const Credential& c);
json to_json(const Door& d);
json to_json(const Permission& p);
json to_json(const Connection& c);
json to_json(const Referral& r);
json to_json(const Neighbour& n);
json to_json(const Event& e);
json to_json(const FieldChange& c);
json to_json(const Note& n);
json to_json(const NoteRevision& r);
json to_json(const NoteHit& h);
json to_json(const Document& d);
json to_json(const FieldDefinition& d);
json to_json(const PurseAccount& a);
json to_json(const PurseEntry& e);
json to_json(const Program& p);
json to_json(const Tier& t);
json to_json(const PointsAccount& a);
json to_json(const PointsEntry& e);
json to_json(const PointsLot& l);
json to_json(const TierChange& c);
json to_json(const Reward& r);
json to_json(const PromotionCategory& c);
json to_json(const AppliedCategory& a);
json to_json(const Visit& v);

json opt_time(const std::optional<Timestamp>& t) { return t ? json(format_timestamp(*t)) : json(nullptr); }
json opt_id(const std::optional<std::int64_t>& id) { return id ? json(*id) : json(nullptr); }

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

// Every record text the C ABI hands in: nesting and numbers bounded, errors
// naming the path ("[2].total").
json parse_json(std::string_view text) { return detail::parse_bounded_json<json>(text, ""); }

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
    if (!j[i].is_string()) bad(indexed_field(field, i), "must be a string");
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

CustomValue custom_value_from(const json& j, const FieldType* type, const std::string& field);

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

json to_json(const Order& o) {
  json items = json::array();
  for (const auto& i : o.items) {
    items.push_back({{"name", i.name}, {"quantity", i.quantity}, {"unit_price", i.unit_price}, {"category", i.category}});
  }
  json payments = json::array();
  for (const auto& p : o.payments) {
    payments.push_back({{"amount", p.amount}, {"method", p.method}, {"at", format_timestamp(p.at)}});
  }
  return {{"id", o.id},
          {"customer", o.customer.str()},
          {"source", o.source},
          {"external_ref", o.external_ref},
          {"placed_at", format_timestamp(o.placed_at)},
          {"status", to_string(o.status)},
          {"currency", o.currency},
          {"total", o.total},
          {"paid", o.paid},
          {"items", std::move(items)},
          {"payments", std::move(payments)},
          {"created_at", format_timestamp(o.created_at)},
          {"updated_at", format_timestamp(o.updated_at)}};
}

json to_json(const Booking& b) {
  return {{"id", b.id},
          {"customer", b.customer.str()},
          {"source", b.source},
          {"external_ref", b.external_ref},
          {"service", b.service},
          {"starts_at", format_timestamp(b.starts_at)},
          {"ends_at", format_timestamp(b.ends_at)},
          {"status", to_string(b.status)},
          {"party_size", b.party_size},
          {"order_id", b.order_id ? json(*b.order_id) : json(nullptr)},
          {"created_at", format_timestamp(b.created_at)},
          {"updated_at", format_timestamp(b.updated_at)}};
}

json to_json(const Enquiry& e) {
  return {{"id", e.id},
          {"customer", e.customer.str()},
          {"source", e.source},
          {"external_ref", e.external_ref},
          {"channel", e.channel},
          {"subject", e.subject},
          {"body", e.body},
          {"status", to_string(e.status)},
          {"received_at", format_timestamp(e.received_at)},
          {"created_at", format_timestamp(e.created_at)},
          {"updated_at", format_timestamp(e.updated_at)}};
}

json to_json(const RecordSummary& r) {
  return {{"kind", to_string(r.kind)},       {"id", r.id},
          {"source", r.source},             {"external_ref", r.external_ref},
          {"at", format_timestamp(r.at)},   {"status", r.status},
          {"label", r.label},               {"total", r.total},
          {"currency", r.currency}};
}

template <typename T>
std::string encode_list(const std::vector<T>& records) {
  json out = json::array();
  for (const auto& r : records) out.push_back(to_json(r));
  return out.dump();
}

template <typename T>
std::string encode_pushed(const Pushed<T>& p, const char* key) {
  return json{{"customer_match", to_string(p.customer_match)}, {key, to_json(p.record)}}.dump();
}

// An integer JSON value as int64; 2^63 and above (held unsigned) is refused,
// never wrapped to a negative id or amount.
std::int64_t int_of(const json& j, const std::string& field) {
  if (j.is_number_unsigned() && j.get<std::uint64_t>() > static_cast<std::uint64_t>(kMaxInt)) {
    bad(field, "must be an integer below 2^63");
  }
  return j.get<std::int64_t>();
}

std::int64_t get_int(const json& j, std::string_view key, const std::string& field, std::int64_t fallback) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return fallback;
  if (!it->is_number_integer()) bad(field, "must be an integer");
  return int_of(*it, field);
}

std::optional<Timestamp> get_time(const json& j, std::string_view key, const std::string& field) {
  const std::string s = get_string(j, key, field);
  if (s.empty()) return std::nullopt;
  return parse_timestamp(s, field);
}

CustomerRef customer_ref_from(const json& j) {
  CustomerRef who;
  const auto it = j.find("customer");
  if (it == j.end() || it->is_null()) return who;
  if (it->is_string()) {
    who.ref = it->get<std::string>();
    return who;
  }
  require_object(*it, "customer", {"first_name", "last_name", "email", "phone"});
  who.details = CustomerDetails{get_string(*it, "first_name", "customer.first_name"),
                                get_string(*it, "last_name", "customer.last_name"),
                                get_string(*it, "email", "customer.email"), get_string(*it, "phone", "customer.phone")};
  return who;
}

Payment payment_from(const json& j, const std::string& field) {
  require_object(j, field, {"amount", "method", "at"});
  Payment p;
  p.amount = get_int(j, "amount", path(field, "amount"), 0);
  p.method = get_string(j, "method", path(field, "method"));
  if (auto at = get_time(j, "at", path(field, "at"))) p.at = *at;
  return p;
}

template <typename Status, typename Parse>
RecordFilter<Status> filter_from(std::string_view text, Parse parse) {
  RecordFilter<Status> f;
  if (text.empty()) return f;
  const json j = parse_json(text);
  require_object(j, "", {"statuses", "from", "until"});
  if (auto it = j.find("statuses"); it != j.end() && !it->is_null()) {
    const auto names = get_strings(*it, "statuses");
    for (std::size_t i = 0; i < names.size(); ++i) {
      f.statuses.push_back(parse(names[i], indexed_field("statuses", i)));
    }
  }
  f.from = get_time(j, "from", "from");
  f.until = get_time(j, "until", "until");
  return f;
}

json to_json(const CustomerStats& s) {
  json by_currency = json::array();
  for (const auto& c : s.by_currency) {
    by_currency.push_back({{"currency", c.currency},
                           {"orders", c.orders},
                           {"spend", c.spend},
                           {"average_order_value", c.average_order_value}});
  }
  return {{"customer", s.customer.str()},
          {"orders", s.orders},
          {"by_currency", std::move(by_currency)},
          {"first_order_at", opt_time(s.first_order_at)},
          {"last_order_at", opt_time(s.last_order_at)},
          {"days_since_last_order", s.days_since_last_order ? json(*s.days_since_last_order) : json(nullptr)}};
}

json to_json(const RfmScore& s) {
  return {{"customer", s.customer.str()},       {"currency", s.currency},
          {"recency_days", s.recency_days},     {"frequency", s.frequency},
          {"monetary", s.monetary},             {"recency_score", s.recency_score},
          {"frequency_score", s.frequency_score}, {"monetary_score", s.monetary_score},
          {"segment", to_string(s.segment)},    {"computed_at", format_timestamp(s.computed_at)}};
}

json to_json(const ModelFit& f) {
  return {{"id", f.id},
          {"currency", f.currency},
          {"unit", to_string(f.unit)},
          {"cutoff", format_timestamp(f.cutoff)},
          {"fitted_at", format_timestamp(f.fitted_at)},
          {"customers", f.customers},
          {"bg_nbd",
           {{"r", f.bg_nbd.r}, {"alpha", f.bg_nbd.alpha}, {"a", f.bg_nbd.a}, {"b", f.bg_nbd.b},
            {"log_likelihood", f.bg_nbd.log_likelihood}}},
          {"gamma_gamma",
           {{"p", f.gamma_gamma.p}, {"q", f.gamma_gamma.q}, {"gamma", f.gamma_gamma.gamma},
            {"log_likelihood", f.gamma_gamma.log_likelihood}}}};
}

json to_json(const Prediction& p) {
  return {{"customer", p.customer.str()},
          {"summary",
           {{"frequency", p.summary.frequency}, {"recency", p.summary.recency}, {"age", p.summary.age},
            {"monetary", p.summary.monetary}}},
          {"probability_alive", p.probability_alive},
          {"expected_orders", p.expected_orders},
          {"expected_order_value", p.expected_order_value},
          {"lifetime_value", p.lifetime_value},
          {"next_order_from", format_timestamp(p.next_order_from)},
          {"next_order_until", format_timestamp(p.next_order_until)}};
}

template <typename T>
std::string encode_optional(const std::optional<T>& v) {
  return v ? to_json(*v).dump() : std::string("null");
}

double get_number(const json& j, std::string_view key, const std::string& field, double fallback) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return fallback;
  if (!it->is_number()) bad(field, "must be a number");
  return it->get<double>();
}

json to_json(const Company& c) {
  return {{"id", c.id},
          {"name", c.name},
          {"sector", c.sector},
          {"contact_person", c.contact_person},
          {"notes", c.notes},
          {"domains", c.domains},
          {"created_at", format_timestamp(c.created_at)},
          {"updated_at", format_timestamp(c.updated_at)}};
}

json to_json(const CompanyLink& l) {
  return {{"company", l.company},
          {"customer", l.customer.str()},
          {"source", to_string(l.source)},
          {"role", l.role},
          {"billing", l.billing},
          {"domain", l.domain},
          {"linked_at", format_timestamp(l.linked_at)}};
}

json to_json(const Plan& p) {
  return {{"id", p.id},
          {"name", p.name},
          {"kind", to_string(p.kind)},
          {"benefits", p.benefits},
          {"billing_period", to_string(p.billing_period)},
          {"created_at", format_timestamp(p.created_at)}};
}

json to_json(const Membership& m) {
  return {{"id", m.id},
          {"plan", m.plan},
          {"customer", m.holder.customer ? json(m.holder.customer->str()) : json(nullptr)},
          {"company", m.holder.company ? json(*m.holder.company) : json(nullptr)},
          {"starts_at", format_timestamp(m.starts_at)},
          {"ends_at", opt_time(m.ends_at)},
          {"status", to_string(m.status)},
          {"created_at", format_timestamp(m.created_at)},
          {"updated_at", format_timestamp(m.updated_at)}};
}

json to_json(const EffectiveMembership& e) {
  return {{"membership", to_json(e.membership)},
          {"via_company", opt_id(e.via_company)}};
}

json to_json(const Credential& c) {
  return {{"id", c.id},
          {"kind", to_string(c.kind)},
          {"value", c.value},
          {"customer", c.customer.str()},
          {"status", to_string(c.status)},
          {"valid_from", opt_time(c.valid_from)},
          {"valid_until", opt_time(c.valid_until)},
          {"label", c.label},
          {"wallet", c.wallet ? json{{"provider", to_string(c.wallet->provider)},
                                     {"serial", c.wallet->serial},
                                     {"pass_type", to_string(c.wallet->pass_type)}}
                              : json(nullptr)},
          {"replaces", opt_id(c.replaces)},
          {"replaced_by", opt_id(c.replaced_by)},
          {"created_at", format_timestamp(c.created_at)},
          {"updated_at", format_timestamp(c.updated_at)}};
}

std::optional<WalletPass> wallet_from(const json& j) {
  const auto it = j.find("wallet");
  if (it == j.end() || it->is_null()) return std::nullopt;
  require_object(*it, "wallet", {"provider", "serial", "pass_type"});
  WalletPass w;
  if (const std::string p = get_string(*it, "provider", "wallet.provider"); !p.empty()) {
    w.provider = parse_wallet_provider(p, "wallet.provider");
  }
  w.serial = get_string(*it, "serial", "wallet.serial");
  if (const std::string t = get_string(*it, "pass_type", "wallet.pass_type"); !t.empty()) {
    w.pass_type = parse_pass_type(t, "wallet.pass_type");
  }
  return w;
}

json to_json(const Door& d) {
  return {{"id", d.id},
          {"name", d.name},
          {"notes", d.notes},
          {"created_at", format_timestamp(d.created_at)},
          {"updated_at", format_timestamp(d.updated_at)}};
}

json to_json(const Permission& p) {
  return {{"id", p.id},
          {"customer", p.customer.str()},
          {"door", p.door},
          {"starts_at", opt_time(p.starts_at)},
          {"ends_at", opt_time(p.ends_at)},
          {"notes", p.notes},
          {"required_plan", opt_id(p.required_plan)},
          {"created_at", format_timestamp(p.created_at)}};
}

json to_json(const AccessDecision& d) {
  return {{"allowed", d.allowed},
          {"reason", to_string(d.reason)},
          {"customer", d.customer ? json(d.customer->str()) : json(nullptr)},
          {"credential", opt_id(d.credential)},
          {"permission", opt_id(d.permission)}};
}

json to_json(const Connection& c) {
  return {{"id", c.id},
          {"from", c.from.str()},
          {"to", c.to.str()},
          {"type", c.type},
          {"source", to_string(c.source)},
          {"note", c.note},
          {"created_at", format_timestamp(c.created_at)}};
}

json to_json(const Referral& r) {
  return {{"referrer", r.referrer.str()},
          {"referred", r.referred.str()},
          {"note", r.note},
          {"at", format_timestamp(r.at)}};
}

json to_json(const Neighbour& n) { return {{"id", n.id.str()}, {"distance", n.distance}, {"via", n.via.str()}}; }

json to_json(const InferenceReport& r) {
  return {{"colleagues_added", r.colleagues_added},
          {"referrals_added", r.referrals_added},
          {"removed", r.removed},
          {"companies_skipped", r.companies_skipped}};
}

// A JSON value stored as text ("" when none or erased: null).
json opt_json_text(const std::string& text, bool erased) {
  if (erased || text.empty()) return json(nullptr);
  try {
    return detail::parse_bounded_json<json>(text, "details");
  } catch (const Error&) {
    return json(text);  // written before nesting was bounded: handed over as text, never walked
  }
}

json to_json(const Event& e) {
  return {{"id", e.id},
          {"customer", e.customer ? json(e.customer->str()) : json(nullptr)},
          {"at", format_timestamp(e.at)},
          {"category", to_string(e.category)},
          {"type", to_string(e.type)},
          {"source", to_string(e.source)},
          {"actor", e.actor},
          {"action", e.action},
          {"summary", e.summary},
          {"details", opt_json_text(e.details, e.details_erased)},
          {"details_erased", e.details_erased}};
}

json to_json(const FieldChange& c) {
  return {{"event", c.event},
          {"at", format_timestamp(c.at)},
          {"actor", c.actor},
          {"source", to_string(c.source)},
          {"field", c.field},
          {"old", opt_json_text(c.old_value, c.erased)},
          {"new", opt_json_text(c.new_value, c.erased)},
          {"erased", c.erased}};
}

json to_json(const Note& n) {
  return {{"id", n.id},
          {"customer", n.customer.str()},
          {"body", n.body},
          {"author", n.author},
          {"pinned", n.pinned},
          {"mentions", n.mentions},
          {"created_at", format_timestamp(n.created_at)},
          {"edited_at", opt_time(n.edited_at)},
          {"revisions", n.revisions}};
}

json to_json(const NoteRevision& r) {
  return {{"note", r.note},
          {"number", r.number},
          {"body", r.body},
          {"author", r.author},
          {"written_at", format_timestamp(r.written_at)},
          {"replaced_at", format_timestamp(r.replaced_at)}};
}

json to_json(const NoteHit& h) { return {{"note", to_json(h.note)}, {"snippet", h.snippet}, {"rank", h.rank}}; }

json to_json(const Document& d) {
  return {{"id", d.id},
          {"customer", d.customer.str()},
          {"name", d.name},
          {"media_type", d.media_type},
          {"kind", to_string(d.kind)},
          {"size", d.size},
          {"sha256", d.sha256},
          {"created_at", format_timestamp(d.created_at)}};
}

json to_json(const PurseAccount& a) {
  return {{"customer", a.customer.str()},
          {"currency", a.currency},
          {"balance", a.balance},
          {"credit_limit", a.credit_limit},
          {"category_credit_limit", a.category_credit_limit},
          {"available", a.available}};
}

json to_json(const PurseEntry& e) {
  return {{"id", e.id},
          {"customer", e.customer.str()},
          {"currency", e.currency},
          {"kind", to_string(e.kind)},
          {"amount", e.amount},
          {"balance_after", e.balance_after},
          {"refund_of", opt_id(e.refund_of)},
          {"refunded", e.refunded},
          {"reference", e.reference},
          {"idempotency_key", e.idempotency_key},
          {"actor", e.actor},
          {"at", format_timestamp(e.at)}};
}

json custom_value_json(const CustomValue& value) {
  return std::visit(
      [](const auto& v) -> json {
        if constexpr (std::is_same_v<std::decay_t<decltype(v)>, Date>) {
          return json(format_date(v));
        } else {
          return json(v);
        }
      },
      value);
}

json to_json(const FieldDefinition& d) {
  return {{"key", d.key},
          {"label", d.label},
          {"type", to_string(d.type)},
          {"required", d.required},
          {"default", d.default_value ? custom_value_json(*d.default_value) : json(nullptr)},
          {"options", d.options},
          {"visible_to", d.visible_to},
          {"created_at", format_timestamp(d.created_at)},
          {"updated_at", format_timestamp(d.updated_at)}};
}

// Whether `value` holds the alternative of `type` (custom_fields.hpp).
bool fits(const CustomValue& value, FieldType type) {
  switch (type) {
    case FieldType::number: return std::holds_alternative<double>(value);
    case FieldType::date: return std::holds_alternative<Date>(value);
    case FieldType::multi_select: return std::holds_alternative<std::vector<std::string>>(value);
    case FieldType::checkbox: return std::holds_alternative<bool>(value);
    case FieldType::file: return std::holds_alternative<std::int64_t>(value);
    case FieldType::text:
    case FieldType::select:
    case FieldType::url: break;
  }
  return std::holds_alternative<std::string>(value);
}

const char* expected_form(FieldType type) {
  switch (type) {
    case FieldType::number: return "must be a number";
    case FieldType::date: return "must be a date (\"YYYY-MM-DD\")";
    case FieldType::multi_select: return "must be an array of strings";
    case FieldType::checkbox: return "must be true or false";
    case FieldType::file: return "must be an integer (a document id)";
    case FieldType::text:
    case FieldType::select:
    case FieldType::url: break;
  }
  return "must be a string";
}

// A custom value read by its JSON type alone, then (given a type) converted
// to that type's alternative and checked.
CustomValue custom_value_from(const json& j, const FieldType* type, const std::string& field) {
  CustomValue value;
  if (j.is_string()) {
    value = j.get<std::string>();
  } else if (j.is_boolean()) {
    value = j.get<bool>();
  } else if (j.is_number_integer()) {
    value = int_of(j, field);
  } else if (j.is_number()) {
    value = j.get<double>();
  } else if (j.is_array()) {
    value = get_strings(j, field);
  } else {
    bad(field, "must be a string, a number, true or false, or an array of strings");
  }
  if (type == nullptr) return value;
  value = as_field_type(std::move(value), *type, field);
  if (!fits(value, *type)) bad(field, expected_form(*type));
  return value;
}

NewEvent new_event_from(const json& j, const std::string& prefix) {
  require_object(j, prefix, {"customer", "at", "category", "type", "source", "actor", "action", "summary", "details"});
  NewEvent e;
  e.customer_ref = get_string(j, "customer", path(prefix, "customer"));
  e.at = get_time(j, "at", path(prefix, "at"));
  if (const std::string s = get_string(j, "category", path(prefix, "category")); !s.empty()) {
    e.category = parse_event_category(s, path(prefix, "category"));
  }
  if (const std::string s = get_string(j, "type", path(prefix, "type")); !s.empty()) {
    e.type = parse_event_type(s, path(prefix, "type"));
  }
  if (const std::string s = get_string(j, "source", path(prefix, "source")); !s.empty()) {
    e.source = parse_event_source(s, path(prefix, "source"));
  }
  if (auto it = j.find("actor"); it != j.end() && !it->is_null()) e.actor = get_string(j, "actor", path(prefix, "actor"));
  e.action = get_string(j, "action", path(prefix, "action"));
  e.summary = get_string(j, "summary", path(prefix, "summary"));
  if (auto it = j.find("details"); it != j.end() && !it->is_null()) {
    if (!it->is_object()) bad(path(prefix, "details"), "must be a JSON object");
    e.details = it->dump();
  }
  return e;
}

template <typename T, typename Parse>
std::vector<T> enum_list(const json& j, std::string_view key, Parse parse) {
  std::vector<T> out;
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return out;
  const std::string field(key);
  const auto names = get_strings(*it, field);
  for (std::size_t i = 0; i < names.size(); ++i) out.push_back(parse(names[i], indexed_field(field, i)));
  return out;
}

std::optional<CustomValue> default_from(const json& j, FieldType type) {
  const auto it = j.find("default");
  if (it == j.end() || it->is_null()) return std::nullopt;
  return custom_value_from(*it, &type, "default");
}

std::optional<std::vector<std::string>> strings_from(const json& j, std::string_view key) {
  const auto it = j.find(key);
  if (it == j.end()) return std::nullopt;
  if (it->is_null()) return std::vector<std::string>{};
  return get_strings(*it, std::string(key));
}

}  // namespace

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

std::string encode(const Order& order) { return to_json(order).dump(); }
std::string encode(const std::vector<Order>& orders) { return encode_list(orders); }
std::string encode(const Pushed<Order>& pushed) { return encode_pushed(pushed, "order"); }
std::string encode(const Booking& booking) { return to_json(booking).dump(); }
std::string encode(const std::vector<Booking>& bookings) { return encode_list(bookings); }
std::string encode(const Pushed<Booking>& pushed) { return encode_pushed(pushed, "booking"); }
std::string encode(const Enquiry& enquiry) { return to_json(enquiry).dump(); }
std::string encode(const std::vector<Enquiry>& enquiries) { return encode_list(enquiries); }
std::string encode(const Pushed<Enquiry>& pushed) { return encode_pushed(pushed, "enquiry"); }

NewOrder decode_new_order(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"customer", "source", "external_ref", "placed_at", "status", "currency", "total", "paid",
                         "items", "payments"});
  NewOrder o;
  o.customer = customer_ref_from(j);
  o.source = get_string(j, "source", "source");
  o.external_ref = get_string(j, "external_ref", "external_ref");
  o.placed_at = get_time(j, "placed_at", "placed_at");
  if (const std::string s = get_string(j, "status", "status"); !s.empty()) o.status = parse_order_status(s);
  o.currency = get_string(j, "currency", "currency");
  o.total = get_int(j, "total", "total", 0);
  if (j.contains("paid") && !j["paid"].is_null()) o.paid = get_int(j, "paid", "paid", 0);
  if (auto it = j.find("items"); it != j.end() && !it->is_null()) {
    if (!it->is_array()) bad("items", "must be an array of item objects");
    for (std::size_t i = 0; i < it->size(); ++i) {
      const std::string f = indexed_field("items", i);
      const json& item = (*it)[i];
      require_object(item, f, {"name", "quantity", "unit_price", "category"});
      o.items.push_back(OrderItem{get_string(item, "name", f + ".name"), get_int(item, "quantity", f + ".quantity", 1),
                                  get_int(item, "unit_price", f + ".unit_price", 0),
                                  get_string(item, "category", f + ".category")});
    }
  }
  if (auto it = j.find("payments"); it != j.end() && !it->is_null()) {
    if (!it->is_array()) bad("payments", "must be an array of payment objects");
    for (std::size_t i = 0; i < it->size(); ++i) {
      o.payments.push_back(payment_from((*it)[i], indexed_field("payments", i)));
    }
  }
  return o;
}

NewBooking decode_new_booking(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"customer", "source", "external_ref", "service", "starts_at", "ends_at", "status",
                         "party_size", "order_external_ref"});
  NewBooking b;
  b.customer = customer_ref_from(j);
  b.source = get_string(j, "source", "source");
  b.external_ref = get_string(j, "external_ref", "external_ref");
  b.service = get_string(j, "service", "service");
  b.starts_at = get_time(j, "starts_at", "starts_at").value_or(Timestamp{});
  b.ends_at = get_time(j, "ends_at", "ends_at").value_or(Timestamp{});
  if (const std::string s = get_string(j, "status", "status"); !s.empty()) b.status = parse_booking_status(s);
  b.party_size = get_int(j, "party_size", "party_size", 1);
  b.order_external_ref = get_string(j, "order_external_ref", "order_external_ref");
  return b;
}

NewEnquiry decode_new_enquiry(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"customer", "source", "external_ref", "channel", "subject", "body", "received_at", "status"});
  NewEnquiry e;
  e.customer = customer_ref_from(j);
  e.source = get_string(j, "source", "source");
  e.external_ref = get_string(j, "external_ref", "external_ref");
  e.channel = get_string(j, "channel", "channel");
  e.subject = get_string(j, "subject", "subject");
  e.body = get_string(j, "body", "body");
  e.received_at = get_time(j, "received_at", "received_at");
  if (const std::string s = get_string(j, "status", "status"); !s.empty()) e.status = parse_enquiry_status(s);
  return e;
}

Payment decode_payment(std::string_view text) { return payment_from(parse_json(text), "payment"); }

OrderFilter decode_order_filter(std::string_view text) {
  return filter_from<OrderStatus>(text, [](std::string_view s, const std::string& f) { return parse_order_status(s, f); });
}
BookingFilter decode_booking_filter(std::string_view text) {
  return filter_from<BookingStatus>(text,
                                    [](std::string_view s, const std::string& f) { return parse_booking_status(s, f); });
}
EnquiryFilter decode_enquiry_filter(std::string_view text) {
  return filter_from<EnquiryStatus>(text,
                                    [](std::string_view s, const std::string& f) { return parse_enquiry_status(s, f); });
}

std::string encode(const CustomerStats& stats) { return to_json(stats).dump(); }
std::string encode(const RfmScore& score) { return to_json(score).dump(); }
std::string encode(const std::optional<RfmScore>& score) { return encode_optional(score); }
std::string encode(const std::vector<RfmScore>& scores) { return encode_list(scores); }
std::string encode(const ModelFit& fit) { return to_json(fit).dump(); }
std::string encode(const std::optional<ModelFit>& fit) { return encode_optional(fit); }
std::string encode(const Prediction& prediction) { return to_json(prediction).dump(); }
std::string encode(const std::vector<Prediction>& predictions) { return encode_list(predictions); }

ModelOptions decode_model_options(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"currency", "cutoff", "unit"});
  ModelOptions o;
  o.currency = get_string(j, "currency", "currency");
  o.cutoff = get_time(j, "cutoff", "cutoff");
  if (const std::string unit = get_string(j, "unit", "unit"); !unit.empty()) o.unit = parse_time_unit(unit);
  return o;
}

PredictionOptions decode_prediction_options(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"currency", "at", "horizon_days", "period_days", "discount_rate", "coverage"});
  PredictionOptions o;
  o.currency = get_string(j, "currency", "currency");
  o.at = get_time(j, "at", "at");
  o.horizon = std::chrono::days(get_int(j, "horizon_days", "horizon_days", o.horizon.count()));
  o.period = std::chrono::days(get_int(j, "period_days", "period_days", o.period.count()));
  o.discount_rate = get_number(j, "discount_rate", "discount_rate", o.discount_rate);
  o.coverage = get_number(j, "coverage", "coverage", o.coverage);
  return o;
}

std::string encode(const std::vector<RecordSummary>& history) { return encode_list(history); }

HistoryFilter decode_history_filter(std::string_view text) {
  HistoryFilter f;
  if (text.empty()) return f;
  const json j = parse_json(text);
  require_object(j, "", {"kinds", "statuses", "from", "until"});
  if (auto it = j.find("kinds"); it != j.end() && !it->is_null()) {
    const auto names = get_strings(*it, "kinds");
    for (std::size_t i = 0; i < names.size(); ++i) f.kinds.push_back(parse_record_kind(names[i], indexed_field("kinds", i)));
  }
  if (auto it = j.find("statuses"); it != j.end() && !it->is_null()) f.statuses = get_strings(*it, "statuses");
  f.from = get_time(j, "from", "from");
  f.until = get_time(j, "until", "until");
  return f;
}

std::string encode(const Company& company) { return to_json(company).dump(); }
std::string encode(const std::vector<Company>& companies) { return encode_list(companies); }
std::string encode(const CompanyLink& link) { return to_json(link).dump(); }
std::string encode(const std::vector<CompanyLink>& links) { return encode_list(links); }

NewCompany decode_new_company(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"name", "sector", "contact_person", "notes", "domains"});
  NewCompany c;
  c.name = get_string(j, "name", "name");
  c.sector = get_string(j, "sector", "sector");
  c.contact_person = get_string(j, "contact_person", "contact_person");
  c.notes = get_string(j, "notes", "notes");
  if (auto it = j.find("domains"); it != j.end() && !it->is_null()) c.domains = get_strings(*it, "domains");
  return c;
}

CompanyUpdate decode_company_update(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"name", "sector", "contact_person", "notes"});
  CompanyUpdate u;
  if (j.contains("name")) u.name = get_string(j, "name", "name");
  if (j.contains("sector")) u.sector = get_string(j, "sector", "sector");
  if (j.contains("contact_person")) u.contact_person = get_string(j, "contact_person", "contact_person");
  if (j.contains("notes")) u.notes = get_string(j, "notes", "notes");
  return u;
}

std::string encode(const Plan& plan) { return to_json(plan).dump(); }
std::string encode(const std::vector<Plan>& plans) { return encode_list(plans); }
std::string encode(const Membership& membership) { return to_json(membership).dump(); }
std::string encode(const std::vector<Membership>& memberships) { return encode_list(memberships); }
std::string encode(const std::vector<EffectiveMembership>& memberships) { return encode_list(memberships); }

NewPlan decode_new_plan(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"name", "kind", "benefits", "billing_period"});
  NewPlan p;
  p.name = get_string(j, "name", "name");
  if (const std::string kind = get_string(j, "kind", "kind"); !kind.empty()) p.kind = parse_plan_kind(kind, "kind");
  p.benefits = get_string(j, "benefits", "benefits");
  if (const std::string period = get_string(j, "billing_period", "billing_period"); !period.empty()) {
    p.billing_period = parse_billing_period(period, "billing_period");
  }
  return p;
}

NewMembership decode_new_membership(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"plan", "customer", "company", "starts_at", "ends_at"});
  NewMembership m;
  m.plan = get_int(j, "plan", "plan", 0);
  m.customer_ref = get_string(j, "customer", "customer");
  if (auto it = j.find("company"); it != j.end() && !it->is_null()) m.company = get_int(j, "company", "company", 0);
  m.starts_at = get_time(j, "starts_at", "starts_at");
  m.ends_at = get_time(j, "ends_at", "ends_at");
  return m;
}

std::string encode(const Credential& credential) { return to_json(credential).dump(); }
std::string encode(const std::vector<Credential>& credentials) { return encode_list(credentials); }

std::string encode(const CredentialCheck& check) {
  return json{{"verdict", to_string(check.verdict)},
              {"credential", check.credential ? to_json(*check.credential) : json(nullptr)},
              {"customer", check.customer ? to_json(*check.customer) : json(nullptr)}}
      .dump();
}

NewCredential decode_new_credential(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"kind", "value", "customer", "label", "valid_from", "valid_until", "wallet"});
  NewCredential c;
  const std::string kind = get_string(j, "kind", "kind");
  if (kind.empty()) bad("kind", "required");
  c.kind = parse_credential_kind(kind, "kind");
  c.value = get_string(j, "value", "value");
  c.customer_ref = get_string(j, "customer", "customer");
  c.label = get_string(j, "label", "label");
  c.valid_from = get_time(j, "valid_from", "valid_from");
  c.valid_until = get_time(j, "valid_until", "valid_until");
  c.wallet = wallet_from(j);
  return c;
}

Replacement decode_replacement(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"value", "label", "valid_until", "wallet"});
  Replacement r;
  r.value = get_string(j, "value", "value");
  if (auto it = j.find("label"); it != j.end() && !it->is_null()) r.label = get_string(j, "label", "label");
  r.valid_until = get_time(j, "valid_until", "valid_until");
  r.wallet = wallet_from(j);
  return r;
}

std::string encode(const Door& door) { return to_json(door).dump(); }
std::string encode(const std::vector<Door>& doors) { return encode_list(doors); }
std::string encode(const Permission& permission) { return to_json(permission).dump(); }
std::string encode(const std::vector<Permission>& permissions) { return encode_list(permissions); }
std::string encode(const AccessDecision& decision) { return to_json(decision).dump(); }

NewDoor decode_new_door(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"id", "name", "notes"});
  return NewDoor{get_string(j, "id", "id"), get_string(j, "name", "name"), get_string(j, "notes", "notes")};
}

NewPermission decode_new_permission(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"customer", "door", "starts_at", "ends_at", "notes", "required_plan"});
  NewPermission p;
  p.customer_ref = get_string(j, "customer", "customer");
  p.door = get_string(j, "door", "door");
  p.starts_at = get_time(j, "starts_at", "starts_at");
  p.ends_at = get_time(j, "ends_at", "ends_at");
  p.notes = get_string(j, "notes", "notes");
  if (auto it = j.find("required_plan"); it != j.end() && !it->is_null()) {
    p.required_plan = get_int(j, "required_plan", "required_plan", 0);
  }
  return p;
}

std::string encode(const Connection& connection) { return to_json(connection).dump(); }
std::string encode(const std::vector<Connection>& connections) { return encode_list(connections); }
std::string encode(const Referral& referral) { return to_json(referral).dump(); }
std::string encode(const std::optional<Referral>& referral) { return encode_optional(referral); }
std::string encode(const std::vector<Referral>& referrals) { return encode_list(referrals); }
std::string encode(const Neighbour& neighbour) { return to_json(neighbour).dump(); }
std::string encode(const std::vector<Neighbour>& neighbours) { return encode_list(neighbours); }
std::string encode(const InferenceReport& report) { return to_json(report).dump(); }

NewConnection decode_new_connection(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"from", "to", "type", "note"});
  return NewConnection{get_string(j, "from", "from"), get_string(j, "to", "to"), get_string(j, "type", "type"),
                       get_string(j, "note", "note")};
}

InferenceOptions decode_inference_options(std::string_view text) {
  InferenceOptions o;
  if (text.empty()) return o;
  const json j = parse_json(text);
  require_object(j, "", {"max_company_size"});
  const std::int64_t size = get_int(j, "max_company_size", "max_company_size", static_cast<std::int64_t>(o.max_company_size));
  if (size < 0) bad("max_company_size", "must be at least 2");
  o.max_company_size = static_cast<std::size_t>(size);
  return o;
}

std::string encode(const Event& event) { return to_json(event).dump(); }
std::string encode(const std::vector<Event>& events) { return encode_list(events); }
std::string encode(const EventPage& page) {
  json events = json::array();
  for (const auto& e : page.events) events.push_back(to_json(e));
  return json{{"events", std::move(events)}, {"next", page.next ? json(*page.next) : json(nullptr)}}.dump();
}
std::string encode(const FieldChange& change) { return to_json(change).dump(); }
std::string encode(const std::vector<FieldChange>& changes) { return encode_list(changes); }

NewEvent decode_new_event(std::string_view text) { return new_event_from(parse_json(text), ""); }

std::vector<NewEvent> decode_new_events(std::string_view text) {
  const json j = parse_json(text);
  if (!j.is_array()) bad("json", "must be a JSON array of event objects");
  std::vector<NewEvent> out;
  out.reserve(j.size());
  for (std::size_t i = 0; i < j.size(); ++i) out.push_back(new_event_from(j[i], indexed_field("", i)));
  return out;
}

TimelineFilter decode_timeline_filter(std::string_view text) {
  TimelineFilter f;
  if (text.empty()) return f;
  const json j = parse_json(text);
  require_object(j, "", {"categories", "types", "sources", "from", "until", "actor", "text"});
  f.categories = enum_list<EventCategory>(
      j, "categories", [](std::string_view s, const std::string& field) { return parse_event_category(s, field); });
  f.types = enum_list<EventType>(j, "types",
                                 [](std::string_view s, const std::string& field) { return parse_event_type(s, field); });
  f.sources = enum_list<EventSource>(
      j, "sources", [](std::string_view s, const std::string& field) { return parse_event_source(s, field); });
  f.from = get_time(j, "from", "from");
  f.until = get_time(j, "until", "until");
  f.actor = get_string(j, "actor", "actor");
  f.text = get_string(j, "text", "text");
  return f;
}

std::string encode(const Note& note) { return to_json(note).dump(); }
std::string encode(const std::vector<Note>& notes) { return encode_list(notes); }
std::string encode(const NoteRevision& revision) { return to_json(revision).dump(); }
std::string encode(const std::vector<NoteRevision>& revisions) { return encode_list(revisions); }
std::string encode(const NoteHit& hit) { return to_json(hit).dump(); }
std::string encode(const std::vector<NoteHit>& hits) { return encode_list(hits); }

std::string encode(const Document& document) { return to_json(document).dump(); }
std::string encode(const std::vector<Document>& documents) { return encode_list(documents); }

NewDocument decode_new_document(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"customer", "name", "media_type", "kind"});
  NewDocument d;
  d.customer_ref = get_string(j, "customer", "customer");
  d.name = get_string(j, "name", "name");
  d.media_type = get_string(j, "media_type", "media_type");
  if (const std::string kind = get_string(j, "kind", "kind"); !kind.empty()) d.kind = parse_document_kind(kind, "kind");
  return d;
}

FieldTypes field_types(const std::vector<FieldDefinition>& definitions) {
  FieldTypes types;
  for (const auto& d : definitions) types.emplace(d.key, d.type);
  return types;
}

std::string encode(const CustomValue& value) { return custom_value_json(value).dump(); }

std::string encode(const std::map<std::string, CustomValue>& values) {
  json out = json::object();
  for (const auto& [key, value] : values) out[key] = custom_value_json(value);
  return out.dump();
}

CustomValue decode_custom_value(std::string_view text, std::optional<FieldType> type, std::string_view field) {
  return custom_value_from(parse_json(text), type ? &*type : nullptr, std::string(field));
}

CustomValue as_field_type(CustomValue value, FieldType type, std::string_view field) {
  if (type == FieldType::number) {
    if (const auto* i = std::get_if<std::int64_t>(&value)) return static_cast<double>(*i);
  } else if (type == FieldType::date) {
    if (const auto* s = std::get_if<std::string>(&value)) return parse_date(*s, field);
  }
  return value;
}

std::string encode(const FieldDefinition& definition) { return to_json(definition).dump(); }
std::string encode(const std::vector<FieldDefinition>& definitions) { return encode_list(definitions); }

NewFieldDefinition decode_new_field_definition(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"key", "label", "type", "required", "default", "options", "visible_to"});
  NewFieldDefinition d;
  d.key = get_string(j, "key", "key");
  d.label = get_string(j, "label", "label");
  if (const std::string type = get_string(j, "type", "type"); !type.empty()) d.type = parse_field_type(type, "type");
  d.required = get_bool(j, "required", "required");
  d.default_value = default_from(j, d.type);
  d.options = strings_from(j, "options").value_or(std::vector<std::string>{});
  d.visible_to = strings_from(j, "visible_to").value_or(std::vector<std::string>{});
  return d;
}

FieldDefinitionUpdate decode_field_definition_update(std::string_view text, FieldType current) {
  const json j = parse_json(text);
  require_object(j, "", {"label", "type", "required", "default", "options", "visible_to"});
  FieldDefinitionUpdate u;
  if (j.contains("label")) u.label = get_string(j, "label", "label");
  if (auto it = j.find("type"); it != j.end() && !it->is_null()) {
    u.type = parse_field_type(get_string(j, "type", "type"), "type");
  }
  if (j.contains("required")) u.required = get_bool(j, "required", "required");
  if (j.contains("default")) u.default_value = default_from(j, u.type.value_or(current));
  u.options = strings_from(j, "options");
  u.visible_to = strings_from(j, "visible_to");
  return u;
}

std::string encode(const PurseAccount& account) { return to_json(account).dump(); }
std::string encode(const std::vector<PurseAccount>& accounts) { return encode_list(accounts); }
std::string encode(const PurseEntry& entry) { return to_json(entry).dump(); }
std::string encode(const std::vector<PurseEntry>& entries) { return encode_list(entries); }

PurseRequest decode_purse_request(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"customer", "currency", "amount", "idempotency_key", "reference"});
  PurseRequest r;
  r.customer_ref = get_string(j, "customer", "customer");
  r.currency = get_string(j, "currency", "currency");
  r.amount = get_int(j, "amount", "amount", 0);
  r.idempotency_key = get_string(j, "idempotency_key", "idempotency_key");
  r.reference = get_string(j, "reference", "reference");
  return r;
}

namespace {

json opt_text(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

// Sets `into` from the string member `key` when it is present and not null.
void read_string(const json& j, std::string_view key, const std::string& field, std::string& into) {
  if (auto it = j.find(key); it != j.end() && !it->is_null()) into = get_string(j, key, field);
}

std::optional<std::int64_t> get_opt_int(const json& j, std::string_view key, const std::string& field) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  return get_int(j, key, field, 0);
}

// An int member (months): out of int's range is refused here, since the
// service could not see it.
int get_small_int(const json& j, std::string_view key, const std::string& field, int fallback) {
  const std::int64_t v = get_int(j, key, field, fallback);
  if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max()) bad(field, "out of range");
  return static_cast<int>(v);
}

json to_json(const Program& p) {
  return {{"id", p.id},
          {"name", p.name},
          {"points_name", p.points_name},
          {"currency", p.currency},
          {"earn_points", p.earn_points},
          {"per_amount", p.per_amount},
          {"rounding", to_string(p.rounding)},
          {"expiry_months", p.expiry_months ? json(*p.expiry_months) : json(nullptr)},
          {"redemption_order", to_string(p.redemption_order)},
          {"tier_window_months", p.tier_window_months},
          {"created_at", format_timestamp(p.created_at)},
          {"updated_at", format_timestamp(p.updated_at)}};
}

json to_json(const Tier& t) {
  return {{"program", t.program},
          {"id", t.id},
          {"name", t.name},
          {"threshold", t.threshold},
          {"earn_multiplier_percent", t.earn_multiplier_percent},
          {"benefits", t.benefits}};
}

json to_json(const PointsAccount& a) {
  return {{"customer", a.customer.str()},
          {"program", a.program},
          {"balance", a.balance},
          {"pending", a.pending},
          {"expired", a.expired},
          {"spendable", a.spendable},
          {"tier", opt_text(a.tier)}};
}

json to_json(const PointsEntry& e) {
  return {{"id", e.id},
          {"customer", e.customer.str()},
          {"program", e.program},
          {"kind", to_string(e.kind)},
          {"points", e.points},
          {"balance_after", e.balance_after},
          {"amount", opt_id(e.amount)},
          {"currency", e.currency},
          {"pending_until", opt_time(e.pending_until)},
          {"expires_at", opt_time(e.expires_at)},
          {"reverses", opt_id(e.reverses)},
          {"reversed", e.reversed},
          {"counterpart", opt_id(e.counterpart)},
          {"reward", opt_text(e.reward)},
          {"qualifying", e.qualifying},
          {"reference", e.reference},
          {"reason", e.reason},
          {"idempotency_key", e.idempotency_key},
          {"actor", e.actor},
          {"at", format_timestamp(e.at)}};
}

json to_json(const PointsLot& l) {
  return {{"id", l.id},
          {"entry", l.entry},
          {"points", l.points},
          {"remaining", l.remaining},
          {"earned_at", format_timestamp(l.earned_at)},
          {"pending_until", opt_time(l.pending_until)},
          {"expires_at", opt_time(l.expires_at)}};
}

json to_json(const TierChange& c) {
  return {{"id", c.id},
          {"customer", c.customer.str()},
          {"program", c.program},
          {"from", opt_text(c.from)},
          {"to", opt_text(c.to)},
          {"reason", to_string(c.reason)},
          {"qualifying_points", c.qualifying_points},
          {"at", format_timestamp(c.at)}};
}

json to_json(const Reward& r) {
  return {{"id", r.id},
          {"program", r.program},
          {"name", r.name},
          {"cost", r.cost},
          {"active_from", opt_time(r.active_from)},
          {"active_until", opt_time(r.active_until)},
          {"description", r.description}};
}

json to_json(const PromotionCategory& c) {
  return {{"id", c.id},
          {"name", c.name},
          {"discount_basis_points", c.discount_basis_points},
          {"earn_multiplier_percent", c.earn_multiplier_percent},
          {"credit_limit", c.credit_limit},
          {"credit_currency", c.credit_currency},
          {"created_at", format_timestamp(c.created_at)},
          {"updated_at", format_timestamp(c.updated_at)}};
}

json to_json(const AppliedCategory& a) {
  return {{"category", to_json(a.category)}, {"direct", a.direct}, {"companies", a.companies}};
}

json to_json(const Visit& v) {
  return {{"id", v.id},
          {"customer", v.customer.str()},
          {"place", v.place},
          {"credential", opt_id(v.credential)},
          {"at", format_timestamp(v.at)}};
}

EarnRequest earn_request_from(const json& j, const std::string& prefix) {
  require_object(j, prefix, {"customer", "program", "points", "amount", "currency", "pending_until", "reference",
                             "idempotency_key"});
  EarnRequest r;
  r.customer_ref = get_string(j, "customer", path(prefix, "customer"));
  r.program = get_string(j, "program", path(prefix, "program"));
  r.points = get_opt_int(j, "points", path(prefix, "points"));
  r.amount = get_opt_int(j, "amount", path(prefix, "amount"));
  r.currency = get_string(j, "currency", path(prefix, "currency"));
  r.pending_until = get_time(j, "pending_until", path(prefix, "pending_until"));
  r.reference = get_string(j, "reference", path(prefix, "reference"));
  r.idempotency_key = get_string(j, "idempotency_key", path(prefix, "idempotency_key"));
  return r;
}

RedeemRequest redeem_request_from(const json& j, const std::string& prefix) {
  require_object(j, prefix, {"customer", "program", "points", "reference", "idempotency_key"});
  RedeemRequest r;
  r.customer_ref = get_string(j, "customer", path(prefix, "customer"));
  r.program = get_string(j, "program", path(prefix, "program"));
  r.points = get_int(j, "points", path(prefix, "points"), 0);
  r.reference = get_string(j, "reference", path(prefix, "reference"));
  r.idempotency_key = get_string(j, "idempotency_key", path(prefix, "idempotency_key"));
  return r;
}

template <typename T, typename From>
std::vector<T> request_array(std::string_view text, From from) {
  const json j = parse_json(text);
  if (!j.is_array()) bad("json", "must be a JSON array of request objects");
  std::vector<T> out;
  out.reserve(j.size());
  for (std::size_t i = 0; i < j.size(); ++i) out.push_back(from(j[i], indexed_field("", i)));
  return out;
}

}  // namespace

std::string encode(const Program& program) { return to_json(program).dump(); }
std::string encode(const std::vector<Program>& programs) { return encode_list(programs); }
std::string encode(const Tier& tier) { return to_json(tier).dump(); }
std::string encode(const std::optional<Tier>& tier) { return tier ? to_json(*tier).dump() : json(nullptr).dump(); }
std::string encode(const std::vector<Tier>& tiers) { return encode_list(tiers); }
std::string encode(const PointsAccount& account) { return to_json(account).dump(); }
std::string encode(const std::vector<PointsAccount>& accounts) { return encode_list(accounts); }
std::string encode(const PointsEntry& entry) { return to_json(entry).dump(); }
std::string encode(const std::vector<PointsEntry>& entries) { return encode_list(entries); }
std::string encode(const PointsLot& lot) { return to_json(lot).dump(); }
std::string encode(const std::vector<PointsLot>& lots) { return encode_list(lots); }
std::string encode(const TierChange& change) { return to_json(change).dump(); }
std::string encode(const std::vector<TierChange>& changes) { return encode_list(changes); }

std::string encode(const TierProgress& p) {
  return json{{"tier", opt_text(p.tier)},
              {"qualifies_for", opt_text(p.qualifies_for)},
              {"qualifying_points", p.qualifying_points},
              {"window_start", format_timestamp(p.window_start)},
              {"next_tier", opt_text(p.next_tier)},
              {"points_to_next", p.points_to_next}}
      .dump();
}

std::string encode(const TierEvaluation& e) {
  return json{{"accounts", e.accounts}, {"upgraded", e.upgraded}, {"downgraded", e.downgraded}}.dump();
}

std::string encode(const ExpiryRun& r) {
  return json{{"accounts", r.accounts}, {"lots", r.lots}, {"points", r.points}}.dump();
}

std::string encode(const Reward& reward) { return to_json(reward).dump(); }
std::string encode(const std::vector<Reward>& rewards) { return encode_list(rewards); }

Program decode_program(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"id", "name", "points_name", "currency", "earn_points", "per_amount", "rounding",
                         "expiry_months", "redemption_order", "tier_window_months"});
  Program p;
  p.id = get_string(j, "id", "id");
  p.name = get_string(j, "name", "name");
  read_string(j, "points_name", "points_name", p.points_name);
  p.currency = get_string(j, "currency", "currency");
  p.earn_points = get_int(j, "earn_points", "earn_points", p.earn_points);
  p.per_amount = get_int(j, "per_amount", "per_amount", p.per_amount);
  if (const std::string s = get_string(j, "rounding", "rounding"); !s.empty()) {
    p.rounding = parse_rounding(s, "rounding");
  }
  if (auto it = j.find("expiry_months"); it != j.end() && !it->is_null()) {
    p.expiry_months = get_small_int(j, "expiry_months", "expiry_months", 0);
  }
  if (const std::string s = get_string(j, "redemption_order", "redemption_order"); !s.empty()) {
    p.redemption_order = parse_redemption_order(s, "redemption_order");
  }
  p.tier_window_months = get_small_int(j, "tier_window_months", "tier_window_months", p.tier_window_months);
  return p;
}

Tier decode_tier(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"program", "id", "name", "threshold", "earn_multiplier_percent", "benefits"});
  Tier t;
  t.program = get_string(j, "program", "program");
  t.id = get_string(j, "id", "id");
  t.name = get_string(j, "name", "name");
  t.threshold = get_int(j, "threshold", "threshold", t.threshold);
  t.earn_multiplier_percent =
      get_int(j, "earn_multiplier_percent", "earn_multiplier_percent", t.earn_multiplier_percent);
  t.benefits = get_string(j, "benefits", "benefits");
  return t;
}

Reward decode_reward(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"id", "program", "name", "cost", "active_from", "active_until", "description"});
  Reward r;
  r.id = get_string(j, "id", "id");
  r.program = get_string(j, "program", "program");
  r.name = get_string(j, "name", "name");
  r.cost = get_int(j, "cost", "cost", r.cost);
  r.active_from = get_time(j, "active_from", "active_from");
  r.active_until = get_time(j, "active_until", "active_until");
  r.description = get_string(j, "description", "description");
  return r;
}

EarnRequest decode_earn_request(std::string_view text) { return earn_request_from(parse_json(text), ""); }

std::vector<EarnRequest> decode_earn_requests(std::string_view text) {
  return request_array<EarnRequest>(text, earn_request_from);
}

RedeemRequest decode_redeem_request(std::string_view text) { return redeem_request_from(parse_json(text), ""); }

std::vector<RedeemRequest> decode_redeem_requests(std::string_view text) {
  return request_array<RedeemRequest>(text, redeem_request_from);
}

AdjustRequest decode_adjust_request(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"customer", "program", "points", "reason", "qualifying", "actor", "idempotency_key"});
  AdjustRequest r;
  r.customer_ref = get_string(j, "customer", "customer");
  r.program = get_string(j, "program", "program");
  r.points = get_int(j, "points", "points", 0);
  r.reason = get_string(j, "reason", "reason");
  r.qualifying = get_bool(j, "qualifying", "qualifying");
  r.actor = get_string(j, "actor", "actor");
  r.idempotency_key = get_string(j, "idempotency_key", "idempotency_key");
  return r;
}

TransferRequest decode_transfer_request(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"from", "to", "program", "points", "reason", "idempotency_key"});
  TransferRequest r;
  r.from_ref = get_string(j, "from", "from");
  r.to_ref = get_string(j, "to", "to");
  r.program = get_string(j, "program", "program");
  r.points = get_int(j, "points", "points", 0);
  r.reason = get_string(j, "reason", "reason");
  r.idempotency_key = get_string(j, "idempotency_key", "idempotency_key");
  return r;
}

std::string encode(const PromotionCategory& category) { return to_json(category).dump(); }
std::string encode(const std::vector<PromotionCategory>& categories) { return encode_list(categories); }
std::string encode(const AppliedCategory& applied) { return to_json(applied).dump(); }
std::string encode(const std::vector<AppliedCategory>& applied) { return encode_list(applied); }

std::string encode(const Quote& q) {
  return json{{"amount", q.amount},
              {"currency", q.currency},
              {"discount_basis_points", q.discount_basis_points},
              {"discount", q.discount},
              {"to_pay", q.to_pay},
              {"program", opt_text(q.program)},
              {"points", q.points},
              {"tier", opt_text(q.tier)},
              {"tier_multiplier_percent", q.tier_multiplier_percent},
              {"category_multiplier_percent", q.category_multiplier_percent},
              {"credit_limit", q.credit_limit},
              {"credit_available", q.credit_available},
              {"categories", q.categories}}
      .dump();
}

PromotionCategory decode_promotion_category(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"id", "name", "discount_basis_points", "earn_multiplier_percent", "credit_limit",
                         "credit_currency"});
  PromotionCategory c;
  c.id = get_string(j, "id", "id");
  c.name = get_string(j, "name", "name");
  c.discount_basis_points = get_int(j, "discount_basis_points", "discount_basis_points", c.discount_basis_points);
  c.earn_multiplier_percent =
      get_int(j, "earn_multiplier_percent", "earn_multiplier_percent", c.earn_multiplier_percent);
  c.credit_limit = get_int(j, "credit_limit", "credit_limit", c.credit_limit);
  c.credit_currency = get_string(j, "credit_currency", "credit_currency");
  return c;
}

std::string encode(const Visit& visit) { return to_json(visit).dump(); }
std::string encode(const std::vector<Visit>& visits) { return encode_list(visits); }

}  // namespace patron::json
