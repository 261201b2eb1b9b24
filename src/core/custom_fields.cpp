#include "patron/custom_fields.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>
#include <type_traits>

#include "core/custom_field_ops.hpp"
#include "core/merge_ops.hpp"
#include "core/customer_ops.hpp"
#include "core/enum_names.hpp"
#include "core/event_builders.hpp"
#include "core/rules.hpp"
#include "core/state.hpp"
#include "patron/error.hpp"
#include "text/text.hpp"

namespace patron {
namespace {

using detail::EventJson;
using store::CustomFieldRepository;

constexpr std::array<std::string_view, 8> kFieldTypes{"text",         "number",   "date", "select",
                                                      "multi_select", "checkbox", "url",  "file"};
constexpr std::size_t kMaxKey = 64;
constexpr std::size_t kMaxLabel = 200;
constexpr std::size_t kMaxOptions = 200;
constexpr std::size_t kMaxOption = 200;
constexpr std::size_t kMaxRole = 64;
constexpr std::size_t kMaxText = 10000;
constexpr std::size_t kMaxUrl = 2048;

[[noreturn]] void refuse(Errc code, const std::string& field, const std::string& why) {
  throw Error(code, field + ": " + why, field);
}

std::string value_field(std::string_view key) { return "custom_fields." + std::string(key); }

bool takes_options(FieldType t) { return t == FieldType::select || t == FieldType::multi_select; }

// The CustomValue alternative a type takes, and its name for messages.
std::size_t alternative_of(FieldType t) {
  switch (t) {
    case FieldType::number:
      return 1;
    case FieldType::date:
      return 2;
    case FieldType::multi_select:
      return 3;
    case FieldType::checkbox:
      return 4;
    case FieldType::file:
      return 5;
    default:
      return 0;
  }
}

const char* expected_of(FieldType t) {
  constexpr std::array<const char*, 6> kNames{"text",          "a number",     "a date", "a list of options",
                                              "true or false", "a document id"};
  return kNames[alternative_of(t)];
}

bool is_http_url(std::string_view url) {
  if (url.size() > kMaxUrl || !text::is_valid_utf8(url)) return false;
  if (std::any_of(url.begin(), url.end(), [](unsigned char ch) { return ch <= 0x20 || ch == 0x7f; })) return false;
  const auto colon = url.find("://");
  if (colon == std::string_view::npos) return false;
  const std::string scheme = text::lower(url.substr(0, colon));
  if (scheme != "http" && scheme != "https") return false;
  std::string_view host = url.substr(colon + 3);
  host = host.substr(0, host.find_first_of("/?#"));
  if (const auto at = host.rfind('@'); at != std::string_view::npos) host.remove_prefix(at + 1);
  if (!host.empty() && host.front() == '[') return host.size() > 2 && host.find(']') != std::string_view::npos;
  host = host.substr(0, host.find(':'));
  return !host.empty();
}

// A value checked against its definition, under the name `field`; a
// multi_select's options come back in the definition's order. A file value
// is checked to be a document of `owner` when one is given.
CustomValue checked_value(const FieldDefinition& d, const CustomValue& v, const std::string& field,
                          store::Transaction* tx = nullptr, const CustomerId* owner = nullptr) {
  if (v.index() != alternative_of(d.type))
    refuse(Errc::invalid_argument, field, std::string("must be ") + expected_of(d.type));
  switch (d.type) {
    case FieldType::text: {
      const auto& s = std::get<std::string>(v);
      if (!text::is_valid_utf8(s)) refuse(Errc::invalid_argument, field, "must be valid UTF-8");
      if (text::utf8_length(s) > kMaxText) refuse(Errc::invalid_argument, field, "must be at most 10000 characters");
      return v;
    }
    case FieldType::number:
      if (!std::isfinite(std::get<double>(v))) refuse(Errc::invalid_argument, field, "must be a finite number");
      return v;
    case FieldType::date:
      checked_date(std::get<Date>(v), field);
      return v;
    case FieldType::select:
      if (std::find(d.options.begin(), d.options.end(), std::get<std::string>(v)) == d.options.end()) {
        refuse(Errc::invalid_argument, field, "must be one of the field's options");
      }
      return v;
    case FieldType::multi_select: {
      const auto& chosen = std::get<std::vector<std::string>>(v);
      if (chosen.empty())
        refuse(Errc::invalid_argument, field, "must hold at least one option (clear the field instead)");
      for (const auto& c : chosen) {
        if (std::find(d.options.begin(), d.options.end(), c) == d.options.end()) {
          refuse(Errc::invalid_argument, field, "'" + c + "' is not one of the field's options");
        }
        if (std::count(chosen.begin(), chosen.end(), c) > 1) {
          refuse(Errc::invalid_argument, field, "'" + c + "' is given twice");
        }
      }
      std::vector<std::string> ordered;
      for (const auto& o : d.options) {
        if (std::find(chosen.begin(), chosen.end(), o) != chosen.end()) ordered.push_back(o);
      }
      return ordered;
    }
    case FieldType::checkbox:
      return v;
    case FieldType::url:
      if (!is_http_url(std::get<std::string>(v))) {
        refuse(Errc::invalid_argument, field, "must be an absolute http or https URL with a host");
      }
      return v;
    case FieldType::file: {
      const std::int64_t id = std::get<std::int64_t>(v);
      if (id <= 0) refuse(Errc::invalid_argument, field, "must be a document id");
      if (tx && owner) {
        const auto doc = tx->documents().get(id);
        if (!doc || doc->customer != *owner) {
          refuse(Errc::invalid_argument, field, "no document " + std::to_string(id) + " of this customer");
        }
      }
      return v;
    }
  }
  return v;
}

// The JSON form of a value, for the edit history; null for none.
EventJson value_json(const std::optional<CustomValue>& v) {
  if (!v) return EventJson();
  return std::visit(
      [](const auto& x) -> EventJson {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, Date>) {
          return format_date(x);
        } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
          return detail::tags_value(x);
        } else {
          return x;
        }
      },
      *v);
}

// Cleans each entry of a list (non-empty, at most `max_chars`) and refuses
// one given twice, naming "<name>[i]".
void clean_distinct(std::vector<std::string>& list, std::string_view name, std::size_t max_chars) {
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string f = indexed_field(name, i);
    list[i] = text::clean_required(list[i], f, max_chars);
    const auto end = list.begin() + static_cast<std::ptrdiff_t>(i);
    if (std::find(list.begin(), end, list[i]) != end)
      refuse(Errc::invalid_argument, f, "'" + list[i] + "' is given twice");
  }
}

// A checked definition (key, label, options, visible_to, default).
FieldDefinition checked_definition(FieldDefinition d) {
  d.label = text::clean_required(d.label, "label", kMaxLabel);
  if (takes_options(d.type)) {
    if (d.options.empty() || d.options.size() > kMaxOptions) {
      refuse(Errc::invalid_argument, "options", "a select field needs 1 to 200 options");
    }
    clean_distinct(d.options, "options", kMaxOption);
  } else if (!d.options.empty()) {
    refuse(Errc::invalid_argument, "options", "only select and multi_select fields have options");
  }
  clean_distinct(d.visible_to, "visible_to", kMaxRole);
  if (d.default_value) {
    if (d.type == FieldType::file) refuse(Errc::invalid_argument, "default", "a file field has no default");
    d.default_value = checked_value(d, *d.default_value, "default");
  }
  return d;
}

std::string checked_key(std::string_view key) {
  const bool ok = !key.empty() && key.size() <= kMaxKey && key.front() >= 'a' && key.front() <= 'z' &&
                  std::all_of(key.begin(), key.end(), [](char ch) {
                    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
                  });
  if (!ok) refuse(Errc::invalid_argument, "key", "must be 1-64 characters of a-z, 0-9 and _, starting with a letter");
  return std::string(key);
}

FieldDefinition require_definition(CustomFieldRepository& repo, std::string_view key) {
  auto d = repo.get(key);
  if (!d) refuse(Errc::not_found, "key", "no custom field '" + std::string(key) + "'");
  return std::move(*d);
}

bool visible(const FieldDefinition& d, std::string_view role) {
  return d.visible_to.empty() || std::find(d.visible_to.begin(), d.visible_to.end(), role) != d.visible_to.end();
}

// A required field without a default must hold a value for every customer.
bool demands_value(const FieldDefinition& d) { return d.required && !d.default_value; }

void refuse_offending(const char* field, std::int64_t count, const std::string& why) {
  if (count == 0) return;
  refuse(Errc::failed_precondition, field, std::to_string(count) + (count == 1 ? " customer " : " customers ") + why);
}

// An event about the organisation's definitions.
void record_definition_event(store::Transaction& tx, Timestamp now, const char* action, const char* summary,
                             const FieldDefinition& d, EventJson details = EventJson::object()) {
  details["key"] = d.key;
  details["type"] = std::string(to_string(d.type));
  detail::record(tx, now, detail::configuration_change(action, summary, details));
}

// The event for values of one customer's fields that changed; nothing when
// no value changed.
void record_values(store::Transaction& tx, Timestamp now, const CustomerId& customer, const char* action,
                   const char* summary, const std::vector<std::pair<std::string, detail::FieldEdit>>& edits) {
  if (edits.empty()) return;
  EventJson keys = EventJson::array();
  for (const auto& [key, edit] : edits) keys.push_back(key);
  detail::Change e = detail::make_change(customer, EventCategory::customers, EventType::data, action, summary,
                                         EventJson{{"keys", keys}});
  for (const auto& [key, edit] : edits) e.edits.push_back(edit);
  detail::record(tx, now, e);
}

detail::FieldEdit value_edit(std::string_view key, const std::optional<CustomValue>& from,
                             const std::optional<CustomValue>& to) {
  return {"custom." + std::string(key), value_json(from).dump(), value_json(to).dump()};
}

}  // namespace

std::string_view to_string(FieldType v) noexcept { return kFieldTypes[static_cast<std::size_t>(v)]; }
FieldType parse_field_type(std::string_view text, std::string_view field) {
  return detail::parse_named<FieldType>(kFieldTypes, text, field);
}

namespace detail {

void fill_custom_fields(store::Transaction& tx, const CustomerId& customer,
                        const std::map<std::string, CustomValue>& given, bool demand_required, Timestamp now,
                        const std::vector<FieldDefinition>* definitions) {
  CustomFieldRepository& repo = tx.custom_fields();
  std::vector<FieldDefinition> read;
  if (definitions == nullptr) read = repo.list();
  const std::vector<FieldDefinition>& defs = definitions != nullptr ? *definitions : read;
  for (const auto& [key, value] : given) {
    if (std::none_of(defs.begin(), defs.end(), [&](const FieldDefinition& d) { return d.key == key; })) {
      refuse(Errc::invalid_argument, value_field(key), "no such custom field");
    }
  }
  std::vector<std::pair<std::string, FieldEdit>> edits;
  for (const auto& d : defs) {
    std::optional<CustomValue> value;
    if (const auto it = given.find(d.key); it != given.end()) {
      value = checked_value(d, it->second, value_field(d.key), &tx, &customer);
    } else if (d.default_value) {
      value = d.default_value;
    } else if (d.required && demand_required) {
      refuse(Errc::invalid_argument, value_field(d.key), "required");
    }
    if (!value) continue;
    repo.put(customer, d.key, *value);
    edits.emplace_back(d.key, value_edit(d.key, std::nullopt, value));
  }
  record_values(tx, now, customer, "custom_field.set", "Custom fields set", edits);
}

bool set_custom_values(store::Transaction& tx, const CustomerId& customer,
                       const std::map<std::string, CustomValue>& values, Timestamp now) {
  CustomFieldRepository& repo = tx.custom_fields();
  std::vector<std::pair<std::string, FieldEdit>> edits;
  for (const auto& [key, value] : values) {
    const FieldDefinition d = require_definition(repo, key);
    const CustomValue v = checked_value(d, value, value_field(d.key), &tx, &customer);
    const auto old = repo.value(customer, d.key);
    if (old == v) continue;
    repo.put(customer, d.key, v);
    edits.emplace_back(d.key, value_edit(d.key, old, v));
  }
  record_values(tx, now, customer, "custom_field.set", edits.size() == 1 ? "Custom field set" : "Custom fields set",
                edits);
  return !edits.empty();
}

void merge_custom_values(store::Transaction& tx, const CustomerId& from, const CustomerId& to,
                         const std::set<std::string>& take, Timestamp now, std::vector<std::string>& filled,
                         std::vector<std::string>& taken) {
  CustomFieldRepository& repo = tx.custom_fields();
  const std::map<std::string, CustomValue> theirs = repo.values_of(from);
  const std::map<std::string, CustomValue> mine = repo.values_of(to);
  std::vector<std::pair<std::string, FieldEdit>> edits;
  for (const auto& [key, value] : theirs) {
    const auto held = mine.find(key);
    if (held == mine.end()) {
      filled.push_back("custom." + key);
    } else if (take.count(key) != 0 && !(held->second == value)) {
      taken.push_back("custom." + key);
    } else {
      continue;
    }
    repo.put(to, key, value);
    edits.emplace_back(key, value_edit(key, held == mine.end() ? std::nullopt : std::optional<CustomValue>(held->second),
                                       value));
  }
  for (const auto& [key, value] : theirs) repo.erase(from, key);
  record_values(tx, now, to, "custom_field.set", "Custom fields set", edits);
}

}  // namespace detail

FieldDefinition CustomFields::define(const NewFieldDefinition& nd) {
  const Timestamp now = state_->now();
  FieldDefinition d = checked_definition(FieldDefinition{checked_key(nd.key), nd.label, nd.type, nd.required,
                                                         nd.default_value, nd.options, nd.visible_to, now, now});
  return state_->write([&](store::Transaction& tx) {
    tx.custom_fields().insert(d);
    record_definition_event(tx, now, "custom_field.defined", "Custom field defined", d);
    return d;
  });
}

FieldDefinition CustomFields::update(std::string_view key, const FieldDefinitionUpdate& changes) {
  const Timestamp now = state_->now();
  return state_->write([&](store::Transaction& tx) {
    CustomFieldRepository& repo = tx.custom_fields();
    const FieldDefinition old = require_definition(repo, key);
    FieldDefinition d = old;
    if (changes.label) d.label = *changes.label;
    if (changes.type) d.type = *changes.type;
    if (changes.required) d.required = *changes.required;
    if (changes.default_value) d.default_value = *changes.default_value;
    if (changes.options) {
      d.options = *changes.options;
    } else if (!takes_options(d.type)) {
      d.options.clear();  // a select turned into another type leaves its options
    }
    if (changes.visible_to) d.visible_to = *changes.visible_to;
    d = checked_definition(std::move(d));
    d.updated_at = now;

    EventJson changed = EventJson::array();
    if (d.type != old.type || d.options != old.options) {
      const char* field = d.type != old.type ? "type" : "options";
      std::int64_t offending = 0;
      for (const auto& [customer, value] : repo.values_of_field(d.key)) {
        try {
          checked_value(d, value, field);
        } catch (const Error&) {
          ++offending;
        }
      }
      refuse_offending(field, offending, "would hold a value the changed field refuses");
    }
    if (demands_value(d) && !demands_value(old)) {
      refuse_offending("required", repo.count_without(d.key),
                       "would have no value of a required field without a default");
    }
    for (const auto& [name, differs] :
         {std::pair{"label", d.label != old.label}, std::pair{"type", d.type != old.type},
          std::pair{"required", d.required != old.required}, std::pair{"default", d.default_value != old.default_value},
          std::pair{"options", d.options != old.options}, std::pair{"visible_to", d.visible_to != old.visible_to}}) {
      if (differs) changed.push_back(name);
    }
    repo.update(d);
    if (!changed.empty()) {
      record_definition_event(tx, now, "custom_field.updated", "Custom field updated", d,
                              EventJson{{"changed", changed}});
    }
    return d;
  });
}

void CustomFields::remove(std::string_view key) {
  const Timestamp now = state_->now();
  state_->write([&](store::Transaction& tx) {
    CustomFieldRepository& repo = tx.custom_fields();
    const FieldDefinition d = require_definition(repo, key);
    const auto values = static_cast<std::int64_t>(repo.values_of_field(d.key).size());
    repo.remove(d.key);
    record_definition_event(tx, now, "custom_field.removed", "Custom field removed", d,
                            EventJson{{"values_removed", values}});
  });
}

FieldDefinition CustomFields::get(std::string_view key) const {
  return state_->read([&](store::Transaction& tx) { return require_definition(tx.custom_fields(), key); });
}

std::vector<FieldDefinition> CustomFields::list() const {
  return state_->read([&](store::Transaction& tx) { return tx.custom_fields().list(); });
}

std::map<std::string, CustomValue> CustomFields::values(std::string_view customer_ref,
                                                        std::optional<std::string_view> role) const {
  const Timestamp now = state_->now();
  return state_->read([&](store::Transaction& tx) {
    const Customer c = detail::require_customer(tx.customers(), customer_ref, now);
    auto values = tx.custom_fields().values_of(c.id);
    if (role) {
      const std::string_view r = text::trim(*role);
      std::set<std::string> shown;
      for (const auto& d : tx.custom_fields().list()) {
        if (visible(d, r)) shown.insert(d.key);
      }
      std::erase_if(values, [&](const auto& kv) { return !shown.contains(kv.first); });
    }
    return values;
  });
}

std::map<std::string, CustomValue> CustomFields::set(std::string_view customer_ref, std::string_view key,
                                                     const CustomValue& value) {
  const Timestamp now = state_->now();
  return state_->write([&](store::Transaction& tx) {
    const Customer c = detail::require_customer(tx.customers(), customer_ref, now);
    detail::set_custom_values(tx, c.id, {{std::string(key), value}}, now);
    return tx.custom_fields().values_of(c.id);
  });
}

std::map<std::string, CustomValue> CustomFields::clear(std::string_view customer_ref, std::string_view key) {
  const Timestamp now = state_->now();
  return state_->write([&](store::Transaction& tx) {
    CustomFieldRepository& repo = tx.custom_fields();
    const Customer c = detail::require_customer(tx.customers(), customer_ref, now);
    const FieldDefinition d = require_definition(repo, key);
    if (d.required) refuse(Errc::failed_precondition, "required", "'" + d.key + "' is a required field");
    const auto old = repo.value(c.id, d.key);
    if (old && repo.erase(c.id, d.key)) {
      record_values(tx, now, c.id, "custom_field.cleared", "Custom field cleared",
                    {{d.key, value_edit(d.key, old, std::nullopt)}});
    }
    return repo.values_of(c.id);
  });
}

std::vector<Customer> CustomFields::find(std::string_view key, const CustomValue& value, Page page) const {
  rules::page(page);
  const Timestamp now = state_->now();
  return state_->read([&](store::Transaction& tx) {
    const FieldDefinition d = require_definition(tx.custom_fields(), key);
    const CustomValue v = checked_value(d, value, value_field(d.key));
    std::vector<Customer> out;
    for (const auto& id : tx.custom_fields().find(d.key, v, page)) {
      if (auto c = tx.customers().by_id(id, now)) out.push_back(std::move(*c));
    }
    return out;
  });
}

}  // namespace patron
