// Merges as JSON: the options a merge takes, what it did, and where a
// reference leads.
#include "json/json_internal.hpp"

#include <string>

namespace patron::json {

using namespace internal;

namespace {

json to_json(const MergeResult& r) {
  json moved = json::object();
  for (const auto& [kind, n] : r.moved) moved[kind] = n;
  return {{"customer", internal::to_json(r.customer)},
          {"absorbed", r.absorbed.str()},
          {"absorbed_number", r.absorbed_number},
          {"moved", moved},
          {"filled", r.filled},
          {"taken", r.taken},
          {"dry_run", r.dry_run},
          {"event", r.event}};
}

json to_json(const CustomerResolution& r) {
  return {{"id", r.id.str()},
          {"number", r.number},
          {"merged_from", r.merged_from ? json(r.merged_from->str()) : json()},
          {"merged_from_number", opt_text(r.merged_from_number)}};
}

}  // namespace

MergeOptions decode_merge_options(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"by", "take", "dry_run"});
  MergeOptions o;
  o.by = get_string(j, "by", "by");
  if (j.contains("take") && !j.at("take").is_null()) o.take = get_strings(j.at("take"), "take");
  o.dry_run = get_bool(j, "dry_run", "dry_run");
  return o;
}

std::string encode(const MergeResult& result) { return to_json(result).dump(); }

std::string encode(const std::optional<CustomerResolution>& resolution) {
  return resolution ? to_json(*resolution).dump() : std::string("null");
}

}  // namespace patron::json
