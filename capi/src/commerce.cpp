// Orders, bookings and enquiries through the C ABI: JSON in, JSON out.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "capi_internal.hpp"
#include "patron/commerce.hpp"
#include "patron/json.hpp"

namespace {

using patron::capi::Args;
using patron::capi::json_call;
using patron::capi::optional_text;
namespace json = patron::json;

template <class Record>
std::string encode(const std::optional<Record>& record) {
  return record ? json::encode(*record) : std::string("null");
}

patron::Timestamp time_arg(const Args& a, const char* text, const char* argument) {
  return patron::parse_timestamp(a.text(text, argument), argument);
}

}  // namespace

extern "C" {

// ------------------------------------------------------------------ orders

int patron_order_record(patron_db* db, const char* json, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& orders = a.db(db).orders();
    return json::encode(orders.record(json::decode_new_order(a.text(json, "json"))));
  });
}

int patron_order_get(patron_db* db, int64_t id, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& orders = a.db(db).orders();
    return json::encode(orders.get(id));
  });
}

int patron_order_find(patron_db* db, const char* source, const char* external_ref, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& orders = a.db(db).orders();
    return encode(orders.find(a.text(source, "source"), a.text(external_ref, "external_ref")));
  });
}

int patron_order_set_status(patron_db* db, int64_t id, const char* status, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& orders = a.db(db).orders();
    return json::encode(orders.set_status(id, patron::parse_order_status(a.text(status, "status"), "status")));
  });
}

int patron_order_add_payment(patron_db* db, int64_t id, const char* payment_json, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& orders = a.db(db).orders();
    return json::encode(orders.add_payment(id, json::decode_payment(a.text(payment_json, "payment_json"))));
  });
}

int patron_customer_history(patron_db* db, const char* ref, const char* filter_json, size_t limit, size_t offset,
                            char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& customers = a.customers(db);
    const std::string_view r = a.text(ref, "ref");
    return json::encode(
        customers.history(r, json::decode_history_filter(optional_text(filter_json)), patron::Page{limit, offset}));
  });
}

int patron_order_list(patron_db* db, const char* ref, const char* filter_json, size_t limit, size_t offset,
                      char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& orders = a.db(db).orders();
    const std::string_view r = a.text(ref, "ref");
    return json::encode(
        orders.list(r, json::decode_order_filter(optional_text(filter_json)), patron::Page{limit, offset}));
  });
}

// ---------------------------------------------------------------- bookings

int patron_booking_record(patron_db* db, const char* json, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& bookings = a.db(db).bookings();
    return json::encode(bookings.record(json::decode_new_booking(a.text(json, "json"))));
  });
}

int patron_booking_get(patron_db* db, int64_t id, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& bookings = a.db(db).bookings();
    return json::encode(bookings.get(id));
  });
}

int patron_booking_find(patron_db* db, const char* source, const char* external_ref, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& bookings = a.db(db).bookings();
    return encode(bookings.find(a.text(source, "source"), a.text(external_ref, "external_ref")));
  });
}

int patron_booking_set_status(patron_db* db, int64_t id, const char* status, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& bookings = a.db(db).bookings();
    return json::encode(
        bookings.set_status(id, patron::parse_booking_status(a.text(status, "status"), "status")));
  });
}

int patron_booking_reschedule(patron_db* db, int64_t id, const char* starts_at, const char* ends_at,
                              char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& bookings = a.db(db).bookings();
    const patron::Timestamp from = time_arg(a, starts_at, "starts_at");
    const patron::Timestamp to = time_arg(a, ends_at, "ends_at");
    return json::encode(bookings.reschedule(id, from, to));
  });
}

int patron_booking_list(patron_db* db, const char* ref, const char* filter_json, size_t limit, size_t offset,
                        char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& bookings = a.db(db).bookings();
    const std::string_view r = a.text(ref, "ref");
    return json::encode(
        bookings.list(r, json::decode_booking_filter(optional_text(filter_json)), patron::Page{limit, offset}));
  });
}

// --------------------------------------------------------------- enquiries

int patron_enquiry_record(patron_db* db, const char* json, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& enquiries = a.db(db).enquiries();
    return json::encode(enquiries.record(json::decode_new_enquiry(a.text(json, "json"))));
  });
}

int patron_enquiry_get(patron_db* db, int64_t id, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& enquiries = a.db(db).enquiries();
    return json::encode(enquiries.get(id));
  });
}

int patron_enquiry_find(patron_db* db, const char* source, const char* external_ref, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& enquiries = a.db(db).enquiries();
    return encode(enquiries.find(a.text(source, "source"), a.text(external_ref, "external_ref")));
  });
}

int patron_enquiry_set_status(patron_db* db, int64_t id, const char* status, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& enquiries = a.db(db).enquiries();
    return json::encode(
        enquiries.set_status(id, patron::parse_enquiry_status(a.text(status, "status"), "status")));
  });
}

int patron_enquiry_list(patron_db* db, const char* ref, const char* filter_json, size_t limit, size_t offset,
                        char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& enquiries = a.db(db).enquiries();
    const std::string_view r = a.text(ref, "ref");
    return json::encode(
        enquiries.list(r, json::decode_enquiry_filter(optional_text(filter_json)), patron::Page{limit, offset}));
  });
}

}  // extern "C"
