// The social graph as JSON: connections, referrals, neighbours, inference.
#include "json/json_internal.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace patron::json {

using namespace internal;

namespace {

json to_json(const InferenceReport& r) {
  return {{"colleagues_added", r.colleagues_added},
          {"referrals_added", r.referrals_added},
          {"removed", r.removed},
          {"companies_skipped", r.companies_skipped}};
}

}  // namespace

namespace internal {

json to_json(const Connection& c) {
  return {{"id", c.id},
          {"from", c.from.str()},
          {"to", c.to.str()},
          {"type", c.type},
          {"source", to_string(c.source)},
          {"note", c.note},
          {"created_at", format_timestamp(c.created_at)}};
}

json to_json(const Referral& r) {
  return {{"referrer", r.referrer.str()},
          {"referred", r.referred.str()},
          {"note", r.note},
          {"at", format_timestamp(r.at)}};
}

json to_json(const Neighbour& n) { return {{"id", n.id.str()}, {"distance", n.distance}, {"via", n.via.str()}}; }

}  // namespace internal

std::string encode(const Connection& connection) { return to_json(connection).dump(); }
std::string encode(const std::vector<Connection>& connections) { return encode_list(connections); }
std::string encode(const Referral& referral) { return to_json(referral).dump(); }
std::string encode(const std::optional<Referral>& referral) { return encode_optional(referral); }
std::string encode(const std::vector<Referral>& referrals) { return encode_list(referrals); }
std::string encode(const Neighbour& neighbour) { return to_json(neighbour).dump(); }
std::string encode(const std::vector<Neighbour>& neighbours) { return encode_list(neighbours); }
std::string encode(const InferenceReport& report) { return to_json(report).dump(); }

NewConnection decode_new_connection(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"from", "to", "type", "note"});
  return NewConnection{get_string(j, "from", "from"), get_string(j, "to", "to"), get_string(j, "type", "type"),
                       get_string(j, "note", "note")};
}

InferenceOptions decode_inference_options(std::string_view text) {
  InferenceOptions o;
  if (text.empty()) return o;
  const json j = parse_json(text);
  require_object(j, "", {"max_company_size"});
  const std::int64_t size = get_int(j, "max_company_size", "max_company_size", static_cast<std::int64_t>(o.max_company_size));
  if (size < 0) bad("max_company_size", "must be at least 2");
  o.max_company_size = static_cast<std::size_t>(size);
  return o;
}

}  // namespace patron::json
