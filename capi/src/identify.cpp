// Identification through the C ABI: the JSON form and the typed hot path.
#include <climits>
#include <cstring>
#include <string>

#include "capi_internal.hpp"
#include "patron/json.hpp"

extern "C" {

int patron_identify(patron_db* db, const char* token, char** out_json) {
  return patron::capi::json_call(out_json, __func__, [&](const patron::capi::Args& a) {
    const patron::Database& database = a.db(db);
    return patron::json::encode(database.identify(a.text(token, "token")));
  });
}

namespace {

// Copies a customer id (32 hex digits) into a PATRON_ID_BUFSIZE buffer.
void copy_id(const patron::CustomerId& id, char* out_id) {
  const std::string& text = id.str();
  if (text.size() >= PATRON_ID_BUFSIZE) {
    throw patron::Error(patron::Errc::internal, "customer id longer than 32 characters");
  }
  std::memcpy(out_id, text.c_str(), text.size() + 1);
}

}  // namespace

int patron_identify_id(patron_db* db, const char* token, char out_id[PATRON_ID_BUFSIZE]) {
  const patron::capi::Args args(__func__);
  return patron::capi::guard([&]() -> int {
    args.need(out_id, "out_id");
    out_id[0] = '\0';
    const patron::Database& database = args.db(db);
    const auto ids = database.identify_ids(args.text(token, "token"));
    if (ids.empty()) return 0;
    copy_id(ids.front(), out_id);
    return ids.size() > static_cast<std::size_t>(INT_MAX) ? INT_MAX : static_cast<int>(ids.size());
  });
}

int patron_credential_holder(patron_db* db, const char* token, const char* at_iso, char out_id[PATRON_ID_BUFSIZE]) {
  const patron::capi::Args args(__func__);
  return patron::capi::guard([&]() -> int {
    args.need(out_id, "out_id");
    out_id[0] = '\0';
    const patron::Database& database = args.db(db);
    const std::string_view t = args.text(token, "token");
    const auto holder = database.credential_holder(t, patron::capi::optional_time(at_iso, "at"));
    if (!holder) return 0;
    copy_id(*holder, out_id);
    return 1;
  });
}

}  // extern "C"
