// Customer operations of the C ABI: JSON in, JSON out.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "capi_internal.hpp"
#include "patron/json.hpp"

namespace {

using patron::capi::Args;
using patron::capi::json_call;
namespace json = patron::json;

std::string encode(const std::optional<patron::Customer>& customer) {
  return customer ? json::encode(*customer) : std::string("null");
}

}  // namespace

extern "C" {

int patron_customer_create(patron_db* db, const char* json, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& customers = a.customers(db);
    const std::string_view text = a.text(json, "json");
    patron::NewCustomer request = json::decode_new_customer(text);
    // Custom values are read for their fields' types, known only to the database.
    if (!request.custom_fields.empty()) {
      request = json::decode_new_customer(text, json::field_types(a.db(db).custom_fields().list()));
    }
    return json::encode(customers.create(request));
  });
}

int patron_customer_create_many(patron_db* db, const char* json_array, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& customers = a.customers(db);
    const std::string_view text = a.text(json_array, "json_array");
    std::vector<patron::NewCustomer> requests = json::decode_new_customers(text);
    for (const auto& r : requests) {
      if (r.custom_fields.empty()) continue;
      requests = json::decode_new_customers(text, json::field_types(a.db(db).custom_fields().list()));
      break;
    }
    return json::encode(customers.create_many(requests));
  });
}

int patron_customer_get(patron_db* db, const char* ref, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& customers = a.customers(db);
    return json::encode(customers.get(a.text(ref, "ref")));
  });
}

int patron_customer_find(patron_db* db, const char* ref, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& customers = a.customers(db);
    return encode(customers.find(a.text(ref, "ref")));
  });
}

int patron_customer_find_by_email(patron_db* db, const char* email, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& customers = a.customers(db);
    return encode(customers.find_by_email(a.text(email, "email")));
  });
}

int patron_customer_find_by_phone(patron_db* db, const char* phone, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& customers = a.customers(db);
    return json::encode(customers.find_by_phone(a.text(phone, "phone")));
  });
}

int patron_customer_search(patron_db* db, const char* text, size_t limit, size_t offset,
                           char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& customers = a.customers(db);
    return json::encode(customers.search(a.text(text, "text"), patron::Page{limit, offset}));
  });
}

int patron_customer_update(patron_db* db, const char* ref, const char* json_patch,
                           char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& customers = a.customers(db);
    const std::string_view r = a.text(ref, "ref");
    return json::encode(
        customers.update(r, json::decode_customer_update(a.text(json_patch, "json_patch"))));
  });
}

int patron_customer_set_number(patron_db* db, const char* ref, const char* number,
                               char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& customers = a.customers(db);
    return json::encode(customers.set_number(a.text(ref, "ref"), a.text(number, "number")));
  });
}

int patron_customer_add_email(patron_db* db, const char* ref, const char* email, int primary,
                              char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& customers = a.customers(db);
    return json::encode(
        customers.add_email(a.text(ref, "ref"), a.text(email, "email"), primary != 0));
  });
}

int patron_customer_remove_email(patron_db* db, const char* ref, const char* email,
                                 char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& customers = a.customers(db);
    return json::encode(customers.remove_email(a.text(ref, "ref"), a.text(email, "email")));
  });
}

int patron_customer_set_primary_email(patron_db* db, const char* ref, const char* email,
                                      char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& customers = a.customers(db);
    return json::encode(
        customers.set_primary_email(a.text(ref, "ref"), a.text(email, "email")));
  });
}

int patron_customer_add_phone(patron_db* db, const char* ref, const char* phone,
                              const char* label, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& customers = a.customers(db);
    const std::string_view r = a.text(ref, "ref");
    const std::string_view p = a.text(phone, "phone");
    const patron::PhoneLabel l =
        label != nullptr ? patron::parse_phone_label(label, "label") : patron::PhoneLabel::mobile;
    return json::encode(customers.add_phone(r, p, l));
  });
}

int patron_customer_remove_phone(patron_db* db, const char* ref, const char* phone,
                                 char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& customers = a.customers(db);
    return json::encode(customers.remove_phone(a.text(ref, "ref"), a.text(phone, "phone")));
  });
}

int patron_customer_add_address(patron_db* db, const char* ref, const char* address_json,
                                char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& customers = a.customers(db);
    const std::string_view r = a.text(ref, "ref");
    return json::encode(
        customers.add_address(r, json::decode_address(a.text(address_json, "address_json"))));
  });
}

int patron_customer_remove_address(patron_db* db, const char* ref, int64_t address_id,
                                   char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& customers = a.customers(db);
    return json::encode(customers.remove_address(a.text(ref, "ref"), address_id));
  });
}

int patron_customer_ban(patron_db* db, const char* ref, const char* reason, const char* by,
                        char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& customers = a.customers(db);
    return json::encode(
        customers.ban(a.text(ref, "ref"), a.text(reason, "reason"), a.text(by, "by")));
  });
}

int patron_customer_unban(patron_db* db, const char* ref, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& customers = a.customers(db);
    return json::encode(customers.unban(a.text(ref, "ref")));
  });
}

int patron_customer_set_online(patron_db* db, const char* ref, long long ttl_seconds,
                               char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& customers = a.customers(db);
    return json::encode(
        customers.set_online(a.text(ref, "ref"), std::chrono::seconds{ttl_seconds}));
  });
}

int patron_customer_set_offline(patron_db* db, const char* ref, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& customers = a.customers(db);
    return json::encode(customers.set_offline(a.text(ref, "ref")));
  });
}

}  // extern "C"
