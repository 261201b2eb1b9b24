// Loyalty as JSON: programs, tiers, accounts, ledger entries, lots, rewards and requests.
#include "json/json_internal.hpp"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "patron/error.hpp"

namespace patron::json {

using namespace internal;

namespace {

// Sets `into` from the string member `key` when it is present and not null.
void read_string(const json& j, std::string_view key, const std::string& field, std::string& into) {
  if (auto it = j.find(key); it != j.end() && !it->is_null()) into = get_string(j, key, field);
}

std::optional<std::int64_t> get_opt_int(const json& j, std::string_view key, const std::string& field) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  return get_int(j, key, field, 0);
}

// An int member (months): out of int's range is refused here, since the
// service could not see it.
int get_small_int(const json& j, std::string_view key, const std::string& field, int fallback) {
  const std::int64_t v = get_int(j, key, field, fallback);
  if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max()) bad(field, "out of range");
  return static_cast<int>(v);
}

EarnRequest earn_request_from(const json& j, const std::string& prefix) {
  require_object(j, prefix, {"customer", "program", "points", "amount", "currency", "pending_until", "reference",
                             "idempotency_key"});
  EarnRequest r;
  r.customer_ref = get_string(j, "customer", path(prefix, "customer"));
  r.program = get_string(j, "program", path(prefix, "program"));
  r.points = get_opt_int(j, "points", path(prefix, "points"));
  r.amount = get_opt_int(j, "amount", path(prefix, "amount"));
  r.currency = get_string(j, "currency", path(prefix, "currency"));
  r.pending_until = get_time(j, "pending_until", path(prefix, "pending_until"));
  r.reference = get_string(j, "reference", path(prefix, "reference"));
  r.idempotency_key = get_string(j, "idempotency_key", path(prefix, "idempotency_key"));
  return r;
}

RedeemRequest redeem_request_from(const json& j, const std::string& prefix) {
  require_object(j, prefix, {"customer", "program", "points", "reference", "idempotency_key"});
  RedeemRequest r;
  r.customer_ref = get_string(j, "customer", path(prefix, "customer"));
  r.program = get_string(j, "program", path(prefix, "program"));
  r.points = get_int(j, "points", path(prefix, "points"), 0);
  r.reference = get_string(j, "reference", path(prefix, "reference"));
  r.idempotency_key = get_string(j, "idempotency_key", path(prefix, "idempotency_key"));
  return r;
}

template <typename T, typename From>
std::vector<T> request_array(std::string_view text, From from) {
  const json j = parse_json(text);
  if (!j.is_array()) bad("json", "must be a JSON array of request objects");
  std::vector<T> out;
  out.reserve(j.size());
  for (std::size_t i = 0; i < j.size(); ++i) out.push_back(from(j[i], indexed_field("", i)));
  return out;
}

}  // namespace

namespace internal {

json to_json(const Program& p) {
  return {{"id", p.id},
          {"name", p.name},
          {"points_name", p.points_name},
          {"currency", p.currency},
          {"earn_points", p.earn_points},
          {"per_amount", p.per_amount},
          {"rounding", to_string(p.rounding)},
          {"expiry_months", p.expiry_months ? json(*p.expiry_months) : json(nullptr)},
          {"redemption_order", to_string(p.redemption_order)},
          {"tier_window_months", p.tier_window_months},
          {"created_at", format_timestamp(p.created_at)},
          {"updated_at", format_timestamp(p.updated_at)}};
}

json to_json(const Tier& t) {
  return {{"program", t.program},
          {"id", t.id},
          {"name", t.name},
          {"threshold", t.threshold},
          {"earn_multiplier_percent", t.earn_multiplier_percent},
          {"benefits", t.benefits}};
}

json to_json(const PointsAccount& a) {
  return {{"customer", a.customer.str()},
          {"program", a.program},
          {"balance", a.balance},
          {"pending", a.pending},
          {"expired", a.expired},
          {"spendable", a.spendable},
          {"tier", opt_text(a.tier)}};
}

json to_json(const PointsEntry& e) {
  return {{"id", e.id},
          {"customer", e.customer.str()},
          {"program", e.program},
          {"kind", to_string(e.kind)},
          {"points", e.points},
          {"balance_after", e.balance_after},
          {"amount", opt_id(e.amount)},
          {"currency", e.currency},
          {"pending_until", opt_time(e.pending_until)},
          {"expires_at", opt_time(e.expires_at)},
          {"reverses", opt_id(e.reverses)},
          {"reversed", e.reversed},
          {"counterpart", opt_id(e.counterpart)},
          {"reward", opt_text(e.reward)},
          {"qualifying", e.qualifying},
          {"reference", e.reference},
          {"reason", e.reason},
          {"idempotency_key", e.idempotency_key},
          {"actor", e.actor},
          {"at", format_timestamp(e.at)}};
}

json to_json(const PointsLot& l) {
  return {{"id", l.id},
          {"entry", l.entry},
          {"points", l.points},
          {"remaining", l.remaining},
          {"earned_at", format_timestamp(l.earned_at)},
          {"pending_until", opt_time(l.pending_until)},
          {"expires_at", opt_time(l.expires_at)}};
}

json to_json(const TierChange& c) {
  return {{"id", c.id},
          {"customer", c.customer.str()},
          {"program", c.program},
          {"from", opt_text(c.from)},
          {"to", opt_text(c.to)},
          {"reason", to_string(c.reason)},
          {"qualifying_points", c.qualifying_points},
          {"at", format_timestamp(c.at)}};
}

json to_json(const Reward& r) {
  return {{"id", r.id},
          {"program", r.program},
          {"name", r.name},
          {"cost", r.cost},
          {"active_from", opt_time(r.active_from)},
          {"active_until", opt_time(r.active_until)},
          {"description", r.description}};
}

}  // namespace internal

std::string encode(const Program& program) { return to_json(program).dump(); }
std::string encode(const std::vector<Program>& programs) { return encode_list(programs); }
std::string encode(const Tier& tier) { return to_json(tier).dump(); }
std::string encode(const std::optional<Tier>& tier) { return tier ? to_json(*tier).dump() : json(nullptr).dump(); }
std::string encode(const std::vector<Tier>& tiers) { return encode_list(tiers); }
std::string encode(const PointsAccount& account) { return to_json(account).dump(); }
std::string encode(const std::vector<PointsAccount>& accounts) { return encode_list(accounts); }
std::string encode(const PointsEntry& entry) { return to_json(entry).dump(); }
std::string encode(const std::vector<PointsEntry>& entries) { return encode_list(entries); }
std::string encode(const PointsLot& lot) { return to_json(lot).dump(); }
std::string encode(const std::vector<PointsLot>& lots) { return encode_list(lots); }
std::string encode(const TierChange& change) { return to_json(change).dump(); }
std::string encode(const std::vector<TierChange>& changes) { return encode_list(changes); }

std::string encode(const TierProgress& p) {
  return json{{"tier", opt_text(p.tier)},
              {"qualifies_for", opt_text(p.qualifies_for)},
              {"qualifying_points", p.qualifying_points},
              {"window_start", format_timestamp(p.window_start)},
              {"next_tier", opt_text(p.next_tier)},
              {"points_to_next", p.points_to_next}}
      .dump();
}

std::string encode(const TierEvaluation& e) {
  return json{{"accounts", e.accounts}, {"upgraded", e.upgraded}, {"downgraded", e.downgraded}}.dump();
}

std::string encode(const ExpiryRun& r) {
  return json{{"accounts", r.accounts}, {"lots", r.lots}, {"points", r.points}}.dump();
}

std::string encode(const Reward& reward) { return to_json(reward).dump(); }
std::string encode(const std::vector<Reward>& rewards) { return encode_list(rewards); }

Program decode_program(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"id", "name", "points_name", "currency", "earn_points", "per_amount", "rounding",
                         "expiry_months", "redemption_order", "tier_window_months"});
  Program p;
  p.id = get_string(j, "id", "id");
  p.name = get_string(j, "name", "name");
  read_string(j, "points_name", "points_name", p.points_name);
  p.currency = get_string(j, "currency", "currency");
  p.earn_points = get_int(j, "earn_points", "earn_points", p.earn_points);
  p.per_amount = get_int(j, "per_amount", "per_amount", p.per_amount);
  if (const std::string s = get_string(j, "rounding", "rounding"); !s.empty()) {
    p.rounding = parse_rounding(s, "rounding");
  }
  if (auto it = j.find("expiry_months"); it != j.end() && !it->is_null()) {
    p.expiry_months = get_small_int(j, "expiry_months", "expiry_months", 0);
  }
  if (const std::string s = get_string(j, "redemption_order", "redemption_order"); !s.empty()) {
    p.redemption_order = parse_redemption_order(s, "redemption_order");
  }
  p.tier_window_months = get_small_int(j, "tier_window_months", "tier_window_months", p.tier_window_months);
  return p;
}

Tier decode_tier(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"program", "id", "name", "threshold", "earn_multiplier_percent", "benefits"});
  Tier t;
  t.program = get_string(j, "program", "program");
  t.id = get_string(j, "id", "id");
  t.name = get_string(j, "name", "name");
  t.threshold = get_int(j, "threshold", "threshold", t.threshold);
  t.earn_multiplier_percent =
      get_int(j, "earn_multiplier_percent", "earn_multiplier_percent", t.earn_multiplier_percent);
  t.benefits = get_string(j, "benefits", "benefits");
  return t;
}

Reward decode_reward(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"id", "program", "name", "cost", "active_from", "active_until", "description"});
  Reward r;
  r.id = get_string(j, "id", "id");
  r.program = get_string(j, "program", "program");
  r.name = get_string(j, "name", "name");
  r.cost = get_int(j, "cost", "cost", r.cost);
  r.active_from = get_time(j, "active_from", "active_from");
  r.active_until = get_time(j, "active_until", "active_until");
  r.description = get_string(j, "description", "description");
  return r;
}

EarnRequest decode_earn_request(std::string_view text) { return earn_request_from(parse_json(text), ""); }

std::vector<EarnRequest> decode_earn_requests(std::string_view text) {
  return request_array<EarnRequest>(text, earn_request_from);
}

RedeemRequest decode_redeem_request(std::string_view text) { return redeem_request_from(parse_json(text), ""); }

std::vector<RedeemRequest> decode_redeem_requests(std::string_view text) {
  return request_array<RedeemRequest>(text, redeem_request_from);
}

AdjustRequest decode_adjust_request(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"customer", "program", "points", "reason", "qualifying", "actor", "idempotency_key"});
  AdjustRequest r;
  r.customer_ref = get_string(j, "customer", "customer");
  r.program = get_string(j, "program", "program");
  r.points = get_int(j, "points", "points", 0);
  r.reason = get_string(j, "reason", "reason");
  r.qualifying = get_bool(j, "qualifying", "qualifying");
  r.actor = get_string(j, "actor", "actor");
  r.idempotency_key = get_string(j, "idempotency_key", "idempotency_key");
  return r;
}

TransferRequest decode_transfer_request(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"from", "to", "program", "points", "reason", "idempotency_key"});
  TransferRequest r;
  r.from_ref = get_string(j, "from", "from");
  r.to_ref = get_string(j, "to", "to");
  r.program = get_string(j, "program", "program");
  r.points = get_int(j, "points", "points", 0);
  r.reason = get_string(j, "reason", "reason");
  r.idempotency_key = get_string(j, "idempotency_key", "idempotency_key");
  return r;
}

}  // namespace patron::json
