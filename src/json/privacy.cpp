// Privacy (erasure) as JSON.
#include "json/json_internal.hpp"

#include <string>
#include <vector>

namespace patron::json {

using namespace internal;

namespace {

json tombstone_json(const Tombstone& t) {
  return {{"customer", t.customer.str()},
          {"number", t.number},
          {"erased_at", format_timestamp(t.erased_at)},
          {"erased_by", t.erased_by},
          {"requested_by", t.requested_by},
          {"reason", t.reason},
          {"merged_into", t.merged_into ? json(t.merged_into->str()) : json(nullptr)}};
}

}  // namespace

std::string encode(const AccessExport& r) {
  json merged = json::array();
  for (const auto& id : r.merged) merged.push_back(id.str());
  return json{{"path", r.path},         {"bytes", r.bytes},         {"customer", r.customer.str()},
              {"merged", merged},       {"events", r.events},       {"documents", r.documents},
              {"version", r.version}}
      .dump();
}

std::string encode(const Tombstone& tombstone) { return tombstone_json(tombstone).dump(); }

std::string encode(const std::vector<Tombstone>& tombstones) {
  json out = json::array();
  for (const auto& t : tombstones) out.push_back(tombstone_json(t));
  return out.dump();
}

std::string encode(const ErasureReport& report) {
  json customers = json::array();
  for (const auto& id : report.customers) customers.push_back(id.str());
  return json{{"tombstone", tombstone_json(report.tombstone)},
              {"customers", customers},
              {"removed", report.removed},
              {"kept", report.kept},
              {"suppressed", report.suppressed}}
      .dump();
}

ErasureRequest decode_erasure_request(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"requested_by", "reason"});
  return {get_string(j, "requested_by", "requested_by"), get_string(j, "reason", "reason")};
}

}  // namespace patron::json
