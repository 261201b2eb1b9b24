// Membership plans and memberships as JSON.
#include "json/json_internal.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace patron::json {

using namespace internal;

namespace internal {

json to_json(const Plan& p) {
  return {{"id", p.id},
          {"name", p.name},
          {"kind", to_string(p.kind)},
          {"benefits", p.benefits},
          {"billing_period", to_string(p.billing_period)},
          {"created_at", format_timestamp(p.created_at)}};
}

json to_json(const Membership& m) {
  return {{"id", m.id},
          {"plan", m.plan},
          {"customer", m.holder.customer ? json(m.holder.customer->str()) : json(nullptr)},
          {"company", m.holder.company ? json(*m.holder.company) : json(nullptr)},
          {"starts_at", format_timestamp(m.starts_at)},
          {"ends_at", opt_time(m.ends_at)},
          {"status", to_string(m.status)},
          {"created_at", format_timestamp(m.created_at)},
          {"updated_at", format_timestamp(m.updated_at)}};
}

json to_json(const EffectiveMembership& e) {
  return {{"membership", to_json(e.membership)},
          {"via_company", opt_id(e.via_company)}};
}

}  // namespace internal

std::string encode(const Plan& plan) { return to_json(plan).dump(); }
std::string encode(const std::vector<Plan>& plans) { return encode_list(plans); }
std::string encode(const Membership& membership) { return to_json(membership).dump(); }
std::string encode(const std::vector<Membership>& memberships) { return encode_list(memberships); }
std::string encode(const std::vector<EffectiveMembership>& memberships) { return encode_list(memberships); }

NewPlan decode_new_plan(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"name", "kind", "benefits", "billing_period"});
  NewPlan p;
  p.name = get_string(j, "name", "name");
  if (const std::string kind = get_string(j, "kind", "kind"); !kind.empty()) p.kind = parse_plan_kind(kind, "kind");
  p.benefits = get_string(j, "benefits", "benefits");
  if (const std::string period = get_string(j, "billing_period", "billing_period"); !period.empty()) {
    p.billing_period = parse_billing_period(period, "billing_period");
  }
  return p;
}

NewMembership decode_new_membership(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"plan", "customer", "company", "starts_at", "ends_at"});
  NewMembership m;
  m.plan = get_int(j, "plan", "plan", 0);
  m.customer_ref = get_string(j, "customer", "customer");
  if (auto it = j.find("company"); it != j.end() && !it->is_null()) m.company = get_int(j, "company", "company", 0);
  m.starts_at = get_time(j, "starts_at", "starts_at");
  m.ends_at = get_time(j, "ends_at", "ends_at");
  return m;
}

}  // namespace patron::json
