// Privacy (erasure, retention) as JSON.
#include "json/json_internal.hpp"

#include <algorithm>
#include <climits>
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

json policy_json(const RetentionPolicy& p) {
  return {{"name", p.name},
          {"category", std::string(to_string(p.category))},
          {"days", p.days},
          {"document_kind", p.document_kind ? json(std::string(to_string(*p.document_kind))) : json(nullptr)},
          {"description", p.description},
          {"created_at", format_timestamp(p.created_at)},
          {"updated_at", format_timestamp(p.updated_at)}};
}

json run_json(const RetentionRun& r) {
  json outcomes = json::array();
  for (const auto& o : r.outcomes) {
    json customers = json::array();
    for (const auto& id : o.customers) customers.push_back(id.str());
    json skipped = json::array();
    for (const auto& k : o.skipped) skipped.push_back({{"customer", k.customer.str()}, {"reason", k.reason}});
    outcomes.push_back({{"policy", policy_json(o.policy)},
                        {"cutoff", format_timestamp(o.cutoff)},
                        {"customers", customers},
                        {"documents", o.documents},
                        {"events", o.events},
                        {"skipped", skipped},
                        {"held", o.held}});
  }
  return {{"id", r.id},
          {"dry_run", r.dry_run},
          {"actor", r.actor},
          {"started_at", format_timestamp(r.started_at)},
          {"finished_at", opt_time(r.finished_at)},
          {"outcomes", outcomes}};
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

std::string encode(const RetentionPolicy& policy) { return policy_json(policy).dump(); }

std::string encode(const std::vector<RetentionPolicy>& policies) {
  json out = json::array();
  for (const auto& p : policies) out.push_back(policy_json(p));
  return out.dump();
}

std::string encode(const RetentionRun& run) { return run_json(run).dump(); }

std::string encode(const std::vector<RetentionRun>& runs) {
  json out = json::array();
  for (const auto& r : runs) out.push_back(run_json(r));
  return out.dump();
}

RetentionPolicy decode_retention_policy(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"name", "category", "days", "document_kind", "description"});
  RetentionPolicy p;
  p.name = get_string(j, "name", "name");
  p.category = parse_retention_category(get_string(j, "category", "category"));
  // Out of int's range is out of the rule's: the service says which rule.
  p.days = static_cast<int>(std::clamp<std::int64_t>(get_int(j, "days", "days", 0), INT_MIN, INT_MAX));
  if (const std::string kind = get_string(j, "document_kind", "document_kind"); !kind.empty()) {
    p.document_kind = parse_document_kind(kind, "document_kind");
  }
  p.description = get_string(j, "description", "description");
  return p;
}

}  // namespace patron::json
