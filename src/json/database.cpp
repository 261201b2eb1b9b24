// The whole database as JSON: backup and check reports, stats.
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

std::string encode(const DatabaseStats& s) {
  json purses = json::array();
  for (const auto& p : s.purses) purses.push_back({{"currency", p.currency}, {"accounts", p.accounts}, {"balance", p.balance}});
  json points = json::array();
  for (const auto& p : s.points) points.push_back({{"program", p.program}, {"accounts", p.accounts}, {"points", p.points}});
  return json{{"schema_version", s.schema_version},
              {"file_bytes", s.file_bytes},
              {"customers", s.customers},
              {"merged", s.merged},
              {"erased", s.erased},
              {"banned", s.banned},
              {"with_email", s.with_email},
              {"with_phone", s.with_phone},
              {"companies", s.companies},
              {"memberships", s.memberships},
              {"credentials", s.credentials},
              {"orders", s.orders},
              {"bookings", s.bookings},
              {"enquiries", s.enquiries},
              {"visits", s.visits},
              {"notes", s.notes},
              {"documents", s.documents},
              {"events", s.events},
              {"purses", purses},
              {"points", points}}
      .dump();
}

}  // namespace patron::json
