// Imports of the C ABI: a file path and JSON options in, the report as JSON out.
#include <string_view>

#include "capi_internal.hpp"
#include "patron/json.hpp"

namespace {

using patron::capi::Args;
using patron::capi::json_call;
using patron::capi::optional_text;
namespace json = patron::json;

}  // namespace

namespace {

// One import call of the C ABI: the options, the progress callback, the report.
template <typename Run>
int import_call(patron_db* db, const char* path, const char* options_json, patron_import_progress progress,
                void* user_data, char** out_json, const char* name, Run run) {
  return json_call(out_json, name, [&](const Args& a) {
    auto& imports = a.db(db).imports();
    const std::string file(a.text(path, "path"));
    patron::ImportOptions options = json::decode_import_options(optional_text(options_json));
    if (progress != nullptr) {
      options.progress = [&](const patron::ImportProgress& p) {
        return progress(p.rows_done, p.rows_total, user_data) == 0;
      };
    }
    return json::encode((imports.*run)(file, options));
  });
}

}  // namespace

extern "C" {

int patron_import_customers(patron_db* db, const char* path, const char* options_json,
                            patron_import_progress progress, void* user_data, char** out_json) {
  return import_call(db, path, options_json, progress, user_data, out_json, __func__, &patron::Imports::customers);
}

int patron_import_credentials(patron_db* db, const char* path, const char* options_json,
                              patron_import_progress progress, void* user_data, char** out_json) {
  return import_call(db, path, options_json, progress, user_data, out_json, __func__, &patron::Imports::credentials);
}

int patron_import_purse_balances(patron_db* db, const char* path, const char* options_json,
                                 patron_import_progress progress, void* user_data, char** out_json) {
  return import_call(db, path, options_json, progress, user_data, out_json, __func__,
                     &patron::Imports::purse_balances);
}

int patron_import_points_balances(patron_db* db, const char* path, const char* options_json,
                                  patron_import_progress progress, void* user_data, char** out_json) {
  return import_call(db, path, options_json, progress, user_data, out_json, __func__,
                     &patron::Imports::points_balances);
}

int patron_import_memberships(patron_db* db, const char* path, const char* options_json,
                              patron_import_progress progress, void* user_data, char** out_json) {
  return import_call(db, path, options_json, progress, user_data, out_json, __func__, &patron::Imports::memberships);
}

int patron_import_orders(patron_db* db, const char* path, const char* options_json, patron_import_progress progress,
                         void* user_data, char** out_json) {
  return import_call(db, path, options_json, progress, user_data, out_json, __func__, &patron::Imports::orders);
}

}  // extern "C"
