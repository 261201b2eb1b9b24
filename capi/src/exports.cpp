// Exports of the C ABI: a file path and JSON options in, the report as JSON out.
#include <string_view>

#include "capi_internal.hpp"
#include "patron/json.hpp"

namespace {

using patron::capi::Args;
using patron::capi::json_call;
using patron::capi::optional_text;
namespace json = patron::json;

}  // namespace

extern "C" {

int patron_export_customers(patron_db* db, const char* path, const char* options_json,
                            patron_export_progress progress, void* user_data, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& exports = a.db(db).exports();
    const std::string file(a.text(path, "path"));
    patron::ExportOptions options = json::decode_export_options(optional_text(options_json));
    if (progress != nullptr) {
      options.progress = [&](const patron::ExportProgress& p) {
        return progress(p.rows_done, p.rows_total, user_data) == 0;
      };
    }
    return json::encode(exports.customers(file, options));
  });
}

}  // extern "C"
