// Purse accounts, entries and requests as JSON.
#include "json/json_internal.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace patron::json {

using namespace internal;

namespace internal {

json to_json(const PurseAccount& a) {
  return {{"customer", a.customer.str()},
          {"currency", a.currency},
          {"balance", a.balance},
          {"credit_limit", a.credit_limit},
          {"category_credit_limit", a.category_credit_limit},
          {"available", a.available}};
}

json to_json(const PurseEntry& e) {
  return {{"id", e.id},
          {"customer", e.customer.str()},
          {"currency", e.currency},
          {"kind", to_string(e.kind)},
          {"amount", e.amount},
          {"balance_after", e.balance_after},
          {"refund_of", opt_id(e.refund_of)},
          {"refunded", e.refunded},
          {"reference", e.reference},
          {"idempotency_key", e.idempotency_key},
          {"actor", e.actor},
          {"at", format_timestamp(e.at)}};
}

}  // namespace internal

std::string encode(const PurseAccount& account) { return to_json(account).dump(); }
std::string encode(const std::vector<PurseAccount>& accounts) { return encode_list(accounts); }
std::string encode(const PurseEntry& entry) { return to_json(entry).dump(); }
std::string encode(const std::vector<PurseEntry>& entries) { return encode_list(entries); }

PurseRequest decode_purse_request(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"customer", "currency", "amount", "idempotency_key", "reference"});
  PurseRequest r;
  r.customer_ref = get_string(j, "customer", "customer");
  r.currency = get_string(j, "currency", "currency");
  r.amount = get_int(j, "amount", "amount", 0);
  r.idempotency_key = get_string(j, "idempotency_key", "idempotency_key");
  r.reference = get_string(j, "reference", "reference");
  return r;
}

}  // namespace patron::json
