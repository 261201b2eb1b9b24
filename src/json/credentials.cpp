// Credentials and credential checks as JSON.
#include "json/json_internal.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace patron::json {

using namespace internal;

namespace {

std::optional<WalletPass> wallet_from(const json& j) {
  const auto it = j.find("wallet");
  if (it == j.end() || it->is_null()) return std::nullopt;
  require_object(*it, "wallet", {"provider", "serial", "pass_type"});
  WalletPass w;
  if (const std::string p = get_string(*it, "provider", "wallet.provider"); !p.empty()) {
    w.provider = parse_wallet_provider(p, "wallet.provider");
  }
  w.serial = get_string(*it, "serial", "wallet.serial");
  if (const std::string t = get_string(*it, "pass_type", "wallet.pass_type"); !t.empty()) {
    w.pass_type = parse_pass_type(t, "wallet.pass_type");
  }
  return w;
}

}  // namespace

namespace internal {

json to_json(const Credential& c) {
  return {{"id", c.id},
          {"kind", to_string(c.kind)},
          {"value", c.value},
          {"customer", c.customer.str()},
          {"status", to_string(c.status)},
          {"valid_from", opt_time(c.valid_from)},
          {"valid_until", opt_time(c.valid_until)},
          {"label", c.label},
          {"wallet", c.wallet ? json{{"provider", to_string(c.wallet->provider)},
                                     {"serial", c.wallet->serial},
                                     {"pass_type", to_string(c.wallet->pass_type)}}
                              : json(nullptr)},
          {"replaces", opt_id(c.replaces)},
          {"replaced_by", opt_id(c.replaced_by)},
          {"created_at", format_timestamp(c.created_at)},
          {"updated_at", format_timestamp(c.updated_at)}};
}

}  // namespace internal

std::string encode(const Credential& credential) { return to_json(credential).dump(); }
std::string encode(const std::vector<Credential>& credentials) { return encode_list(credentials); }

std::string encode(const CredentialCheck& check) {
  return json{{"verdict", to_string(check.verdict)},
              {"credential", check.credential ? to_json(*check.credential) : json(nullptr)},
              {"customer", check.customer ? to_json(*check.customer) : json(nullptr)}}
      .dump();
}

NewCredential decode_new_credential(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"kind", "value", "customer", "label", "valid_from", "valid_until", "wallet"});
  NewCredential c;
  const std::string kind = get_string(j, "kind", "kind");
  if (kind.empty()) bad("kind", "required");
  c.kind = parse_credential_kind(kind, "kind");
  c.value = get_string(j, "value", "value");
  c.customer_ref = get_string(j, "customer", "customer");
  c.label = get_string(j, "label", "label");
  c.valid_from = get_time(j, "valid_from", "valid_from");
  c.valid_until = get_time(j, "valid_until", "valid_until");
  c.wallet = wallet_from(j);
  return c;
}

Replacement decode_replacement(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"value", "label", "valid_until", "wallet"});
  Replacement r;
  r.value = get_string(j, "value", "value");
  if (auto it = j.find("label"); it != j.end() && !it->is_null()) r.label = get_string(j, "label", "label");
  r.valid_until = get_time(j, "valid_until", "valid_until");
  r.wallet = wallet_from(j);
  return r;
}

}  // namespace patron::json
