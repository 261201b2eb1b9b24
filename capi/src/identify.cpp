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

int patron_identify_id(patron_db* db, const char* token, char out_id[PATRON_ID_BUFSIZE]) {
  const patron::capi::Args args(__func__);
  return patron::capi::guard([&]() -> int {
    args.need(out_id, "out_id");
    out_id[0] = '\0';
    const patron::Database& database = args.db(db);
    const auto ids = database.identify_ids(args.text(token, "token"));
    if (ids.empty()) return 0;
    const std::string& id = ids.front().str();
    if (id.size() >= PATRON_ID_BUFSIZE) {
      throw patron::Error(patron::Errc::internal, "patron_identify_id: id longer than 32 characters");
    }
    std::memcpy(out_id, id.c_str(), id.size() + 1);
    return ids.size() > static_cast<std::size_t>(INT_MAX) ? INT_MAX : static_cast<int>(ids.size());
  });
}

}  // extern "C"
