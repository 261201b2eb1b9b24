// Visits through the C ABI: text arguments in, JSON out, counts typed.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "capi_internal.hpp"
#include "patron/json.hpp"
#include "patron/visits.hpp"

namespace {

using patron::capi::Args;
using patron::capi::guard;
using patron::capi::json_call;
using patron::capi::optional_time;
namespace json = patron::json;

// The filter of a count or list: NULL arguments filter nothing.
patron::VisitFilter filter(const char* place, const char* from_iso, const char* to_iso) {
  patron::VisitFilter f;
  if (place != nullptr) f.place = std::string(place);
  f.from = optional_time(from_iso, "from");
  f.to = optional_time(to_iso, "to");
  return f;
}

}  // namespace

extern "C" {

int patron_visit_record_presented(patron_db* db, const char* token, const char* place, const char* at_iso,
                                  char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& visits = a.db(db).visits();
    const std::string_view t = a.text(token, "token");
    const std::string_view p = a.text(place, "place");
    return json::encode(visits.record_presented(t, p, optional_time(at_iso, "at")));
  });
}

int patron_visit_record(patron_db* db, const char* ref, const char* place, int64_t credential, const char* at_iso,
                        char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& visits = a.db(db).visits();
    const std::string_view r = a.text(ref, "ref");
    const std::string_view p = a.text(place, "place");
    // Credential ids are > 0: 0 is "none presented".
    std::optional<std::int64_t> c;
    if (credential != 0) c = credential;
    return json::encode(visits.record(r, p, c, optional_time(at_iso, "at")));
  });
}

int patron_visit_count(patron_db* db, const char* ref, const char* place, const char* from_iso, const char* to_iso,
                       int64_t* out_count) {
  const Args args(__func__);
  return guard([&]() -> int {
    args.need(out_count, "out_count");
    *out_count = 0;
    const auto& visits = args.db(db).visits();
    const std::string_view r = args.text(ref, "ref");
    *out_count = visits.count(r, filter(place, from_iso, to_iso));
    return PATRON_OK;
  });
}

int patron_visit_list(patron_db* db, const char* ref, const char* place, const char* from_iso, const char* to_iso,
                      size_t limit, size_t offset, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& visits = a.db(db).visits();
    const std::string_view r = a.text(ref, "ref");
    return json::encode(visits.list(r, filter(place, from_iso, to_iso), patron::Page{limit, offset}));
  });
}

int patron_visit_at_place(patron_db* db, const char* place, const char* from_iso, const char* to_iso, size_t limit,
                          size_t offset, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& visits = a.db(db).visits();
    const std::string_view p = a.text(place, "place");
    return json::encode(visits.at_place(p, filter(nullptr, from_iso, to_iso), patron::Page{limit, offset}));
  });
}

}  // extern "C"
