// Custom values and field definitions as JSON.
#include "json/json_internal.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace patron::json {

using namespace internal;

namespace internal {

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

}  // namespace internal

namespace {

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

namespace internal {

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

}  // namespace internal

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

}  // namespace patron::json
