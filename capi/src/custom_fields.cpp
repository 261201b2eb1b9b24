// Custom fields through the C ABI: definitions and values as JSON. A value's
// JSON is read for its field's type (patron::json::decode_custom_value), so
// "2024-05-01" is a date for a date field and 3 a number for a number field.
#include <optional>
#include <string>
#include <string_view>

#include "capi_internal.hpp"
#include "patron/custom_fields.hpp"
#include "patron/json.hpp"

namespace {

using patron::capi::Args;
using patron::capi::json_call;
namespace json = patron::json;

// The value document `value_json` for the field `key`: read for the field's
// type, or by its JSON type alone when no field has that key (the service
// then refuses the key). A bad value names "custom_fields.<key>", as the
// service does.
patron::CustomValue value_arg(const patron::Database& db, const Args& a, std::string_view key,
                              const char* value_json) {
  const std::string_view text = a.text(value_json, "value_json");
  const json::FieldTypes types = json::field_types(db.custom_fields().list());
  const auto type = types.find(key);
  return json::decode_custom_value(text, type == types.end() ? std::nullopt : std::optional(type->second),
                                   "custom_fields." + std::string(key));
}

}  // namespace

extern "C" {

int patron_field_define(patron_db* db, const char* json, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& fields = a.db(db).custom_fields();
    return json::encode(fields.define(json::decode_new_field_definition(a.text(json, "json"))));
  });
}

int patron_field_update(patron_db* db, const char* key, const char* json, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& fields = a.db(db).custom_fields();
    const std::string_view k = a.text(key, "key");
    const std::string_view text = a.text(json, "json");
    // "default" is read for the new type, else for the field's type now.
    const patron::FieldDefinitionUpdate changes = json::decode_field_definition_update(text, fields.get(k).type);
    return json::encode(fields.update(k, changes));
  });
}

int patron_field_remove(patron_db* db, const char* key) {
  const Args args(__func__);
  return patron::capi::guard([&]() -> int {
    args.db(db).custom_fields().remove(args.text(key, "key"));
    return PATRON_OK;
  });
}

int patron_field_get(patron_db* db, const char* key, char** out_json) {
  return json_call(out_json, __func__,
                   [&](const Args& a) { return json::encode(a.db(db).custom_fields().get(a.text(key, "key"))); });
}

int patron_field_list(patron_db* db, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) { return json::encode(a.db(db).custom_fields().list()); });
}

int patron_field_values(patron_db* db, const char* ref, const char* role, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& fields = a.db(db).custom_fields();
    const std::string_view r = a.text(ref, "ref");
    const std::optional<std::string_view> as_role =
        role == nullptr ? std::nullopt : std::optional<std::string_view>(role);
    return json::encode(fields.values(r, as_role));
  });
}

int patron_field_set(patron_db* db, const char* ref, const char* key, const char* value_json, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    patron::Database& database = a.db(db);
    const std::string_view r = a.text(ref, "ref");
    const std::string_view k = a.text(key, "key");
    const patron::CustomValue value = value_arg(database, a, k, value_json);
    return json::encode(database.custom_fields().set(r, k, value));
  });
}

int patron_field_clear(patron_db* db, const char* ref, const char* key, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& fields = a.db(db).custom_fields();
    const std::string_view r = a.text(ref, "ref");
    return json::encode(fields.clear(r, a.text(key, "key")));
  });
}

int patron_field_find(patron_db* db, const char* key, const char* value_json, size_t limit, size_t offset,
                      char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const patron::Database& database = a.db(db);
    const std::string_view k = a.text(key, "key");
    const patron::CustomValue value = value_arg(database, a, k, value_json);
    return json::encode(database.custom_fields().find(k, value, patron::Page{limit, offset}));
  });
}

}  // extern "C"
