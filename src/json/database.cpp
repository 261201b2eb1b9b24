// The whole database as JSON: backup and check reports.
#include "json/json_internal.hpp"

namespace patron::json {

using namespace internal;

std::string encode(const BackupReport& r) {
  return json{{"path", r.path}, {"bytes", r.bytes}, {"schema_version", r.schema_version}}.dump();
}

std::string encode(const CheckReport& r) {
  json problems = json::array();
  for (const auto& p : r.problems) problems.push_back({{"check", p.check}, {"detail", p.detail}});
  return json{{"ok", r.ok},
              {"quick", r.quick},
              {"customers", r.customers},
              {"purse_accounts", r.purse_accounts},
              {"points_accounts", r.points_accounts},
              {"problems", problems}}
      .dump();
}

}  // namespace patron::json
