#include "patron/credentials.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "core/credential_ops.hpp"
#include "core/customer_ops.hpp"
#include "core/enum_names.hpp"
#include "core/event_builders.hpp"
#include "core/record_ops.hpp"
#include "core/state.hpp"
#include "patron/error.hpp"
#include "text/text.hpp"

namespace patron {
namespace {

using detail::parse_named;
using store::CredentialRepository;

constexpr std::size_t kMaxValueBytes = 256;
constexpr std::size_t kMaxLabel = 200;
constexpr std::size_t kMaxSerial = 200;
constexpr std::size_t kMaxPhoneText = 40;

constexpr std::array<std::string_view, 7> kKinds{"magnetic_card", "smart_card", "key_fob", "barcode",
                                                 "qr_code",       "wallet_pass", "phone"};
constexpr std::array<std::string_view, 4> kStatuses{"active", "blocked", "lost", "replaced"};
constexpr std::array<std::string_view, 2> kProviders{"apple", "google"};
constexpr std::array<std::string_view, 3> kPassTypes{"membership", "access", "loyalty"};
constexpr std::array<std::string_view, 7> kVerdicts{"accepted", "unknown",       "blocked", "lost",
                                                    "replaced", "not_yet_valid", "expired"};

// An enum value outside its names (a cast integer) is refused naming `field`.
template <typename Enum, std::size_t N>
void require_named(Enum v, const std::array<std::string_view, N>&, const char* field, const char* what) {
  if (static_cast<std::size_t>(v) >= N) {
    throw Error(Errc::invalid_argument, std::string(field) + ": not a " + what, field);
  }
}

}  // namespace

namespace detail {

std::string credential_value(CredentialKind kind, std::string_view value, std::string_view region) {
  std::string v = text::clean_required(value, "value", kMaxValueBytes);
  if (v.size() > kMaxValueBytes) {
    throw Error(Errc::invalid_argument, "value: at most 256 bytes of UTF-8", "value");
  }
  if (kind != CredentialKind::phone) return v;
  if (v.size() > kMaxPhoneText) throw Error(Errc::invalid_argument, "value: not a valid phone number", "value");
  auto phone = text::normalize_phone(v, region, "value");
  if (!phone.valid) throw Error(Errc::invalid_argument, "value: not a valid phone number: " + v, "value");
  return std::move(phone.number);
}

}  // namespace detail

namespace {

using detail::credential_value;

WalletPass wallet_pass(const WalletPass& in) {
  require_named(in.provider, kProviders, "wallet.provider", "wallet provider");
  require_named(in.pass_type, kPassTypes, "wallet.pass_type", "pass type");
  return WalletPass{in.provider, text::clean_required(in.serial, "wallet.serial", kMaxSerial), in.pass_type};
}

// Wallet data exactly for wallet passes.
std::optional<WalletPass> wallet_for(CredentialKind kind, const std::optional<WalletPass>& in) {
  if (kind != CredentialKind::wallet_pass) {
    if (in) throw Error(Errc::invalid_argument, "wallet: only a wallet_pass credential has wallet data", "wallet");
    return std::nullopt;
  }
  if (!in) throw Error(Errc::invalid_argument, "wallet: a wallet_pass credential needs its wallet data", "wallet");
  return wallet_pass(*in);
}

void require_window(const std::optional<Timestamp>& from, const std::optional<Timestamp>& until) {
  checked_time(from, "valid_from");
  checked_time(until, "valid_until");
  if (from && until && *until <= *from) {
    throw Error(Errc::invalid_argument, "valid_until: must be after valid_from", "valid_until");
  }
}

Credential require_credential(CredentialRepository& repo, std::int64_t id) {
  auto c = repo.get(id);
  if (!c) throw Error(Errc::not_found, "id: no credential " + std::to_string(id), "id");
  return std::move(*c);
}

// A credential that may still change: not replaced.
Credential require_changeable(CredentialRepository& repo, std::int64_t id) {
  Credential c = require_credential(repo, id);
  if (c.status == CredentialStatus::replaced) {
    throw Error(Errc::failed_precondition,
                "status: credential " + std::to_string(id) + " was replaced by " +
                    std::to_string(c.replaced_by.value_or(0)) + " and cannot change",
                "status");
  }
  return c;
}

// An event about a credential on its holder's timeline. Neither the
// summary nor the details carry the credential's value.
void record_credential(store::Transaction& tx, Timestamp now, const Credential& c, const char* action,
                       const char* summary, detail::EventJson details = detail::EventJson::object()) {
  details["credential"] = c.id;
  details["kind"] = std::string(to_string(c.kind));
  detail::record(tx, now,
                 detail::make_change(c.customer, EventCategory::customers, EventType::security, action, summary,
                                     details));
}

// The shape of every change to one credential: load it (not replaced) in a
// write transaction, let `apply` change it, store it with updated_at = now,
// record `action` with the details `describe(before, after)` gives (no
// event when they are null: nothing changed) and return it as stored.
// `apply` returns false when nothing changes (nothing stored or recorded).
template <typename Apply, typename Describe>
Credential change(const detail::DatabaseState& state, std::int64_t id, const char* action, const char* summary,
                  Apply&& apply, Describe&& describe) {
  const Timestamp now = state.now();
  return state.write([&](store::Transaction& tx) {
    auto& repo = tx.credentials();
    Credential c = require_changeable(repo, id);
    const Credential before = c;
    if (!apply(c)) return c;
    c.updated_at = now;
    repo.update(c);
    const detail::EventJson details = describe(before, c);
    if (!details.is_null()) record_credential(tx, now, c, action, summary, details);
    return require_credential(repo, id);
  });
}

}  // namespace

std::string_view to_string(CredentialKind v) noexcept { return kKinds[static_cast<std::size_t>(v)]; }
std::string_view to_string(CredentialStatus v) noexcept { return kStatuses[static_cast<std::size_t>(v)]; }
std::string_view to_string(WalletProvider v) noexcept { return kProviders[static_cast<std::size_t>(v)]; }
std::string_view to_string(PassType v) noexcept { return kPassTypes[static_cast<std::size_t>(v)]; }
std::string_view to_string(CredentialVerdict v) noexcept { return kVerdicts[static_cast<std::size_t>(v)]; }

CredentialKind parse_credential_kind(std::string_view text, std::string_view field) {
  return parse_named<CredentialKind>(kKinds, text, field);
}
CredentialStatus parse_credential_status(std::string_view text, std::string_view field) {
  return parse_named<CredentialStatus>(kStatuses, text, field);
}
WalletProvider parse_wallet_provider(std::string_view text, std::string_view field) {
  return parse_named<WalletProvider>(kProviders, text, field);
}
PassType parse_pass_type(std::string_view text, std::string_view field) {
  return parse_named<PassType>(kPassTypes, text, field);
}

bool Credential::usable_at(Timestamp at) const noexcept {
  return detail::verdict_at(*this, at) == CredentialVerdict::accepted;
}

namespace detail {

PresentedToken read_token(std::string_view token, std::string_view region) {
  if (!text::is_valid_utf8(token)) throw Error(Errc::invalid_argument, "token: not valid UTF-8", "token");
  const std::string_view t = text::trim(token);
  if (t.empty()) throw Error(Errc::invalid_argument, "token: must not be empty", "token");
  PresentedToken out{std::string(t), std::nullopt, false};
  if (t.size() <= kMaxPhoneText && t.find('@') == std::string_view::npos &&
      std::count_if(t.begin(), t.end(), [](unsigned char c) { return std::isdigit(c); }) >= 3) {
    try {
      auto phone = text::normalize_phone(t, region, "token");
      out.phone = std::move(phone.number);
      out.phone_valid = phone.valid;
    } catch (const Error&) {
      // Not a phone (control characters): nothing to match on.
    }
  }
  return out;
}

CredentialVerdict verdict_at(const Credential& c, Timestamp at) noexcept {
  switch (c.status) {
    case CredentialStatus::blocked: return CredentialVerdict::blocked;
    case CredentialStatus::lost: return CredentialVerdict::lost;
    case CredentialStatus::replaced: return CredentialVerdict::replaced;
    case CredentialStatus::active: break;
  }
  if (c.valid_from && at < *c.valid_from) return CredentialVerdict::not_yet_valid;
  if (c.valid_until && *c.valid_until <= at) return CredentialVerdict::expired;
  return CredentialVerdict::accepted;
}

CredentialCheck check_token(store::Transaction& tx, const PresentedToken& token, Timestamp at, Timestamp now,
                            bool load_holder) {
  // Most recently changed first.
  auto named = tx.credentials().named_by(token.text, token.credential_phone());
  CredentialCheck out;
  if (named.empty()) return out;
  const Credential* accepted = nullptr;
  for (const auto& c : named) {
    if (c.usable_at(at) && (accepted == nullptr || c.id < accepted->id)) accepted = &c;
  }
  const Credential& chosen = accepted != nullptr ? *accepted : named.front();
  out.verdict = verdict_at(chosen, at);
  out.credential = chosen;
  if (accepted != nullptr && load_holder) out.customer = tx.customers().by_id(chosen.customer, now);
  return out;
}

Credential checked_credential(const NewCredential& in, CredentialStatus status, std::string_view region,
                              Timestamp now) {
  require_named(in.kind, kKinds, "kind", "credential kind");
  require_named(status, kStatuses, "status", "credential status");
  if (status == CredentialStatus::replaced) {
    throw Error(Errc::invalid_argument, "status: only replace() marks a credential replaced", "status");
  }
  Credential c;
  c.kind = in.kind;
  c.value = credential_value(in.kind, in.value, region);
  c.label = text::clean(in.label, "label", kMaxLabel);
  require_window(in.valid_from, in.valid_until);
  c.valid_from = in.valid_from;
  c.valid_until = in.valid_until;
  c.wallet = wallet_for(in.kind, in.wallet);
  c.status = status;
  c.created_at = now;
  c.updated_at = now;
  return c;
}

Credential issue_credential(store::Transaction& tx, Credential c, std::string_view customer_ref, Timestamp now) {
  c.customer = detail::require_customer(tx.customers(), customer_ref, now).id;
  tx.credentials().insert(c);
  detail::EventJson details{{"label", c.label},
                            {"valid_from", detail::time_value(c.valid_from)},
                            {"valid_until", detail::time_value(c.valid_until)}};
  if (c.status != CredentialStatus::active) details["status"] = std::string(to_string(c.status));
  record_credential(tx, now, c, "credential.issued", "Credential issued", details);
  return require_credential(tx.credentials(), c.id);
}

}  // namespace detail

Credential Credentials::issue(const NewCredential& in) {
  const Timestamp now = state_->now();
  const Credential c = detail::checked_credential(in, CredentialStatus::active, state_->options.default_region, now);
  return state_->write([&](store::Transaction& tx) { return detail::issue_credential(tx, c, in.customer_ref, now); });
}

Credential Credentials::get(std::int64_t id) const {
  return state_->read([&](store::Transaction& tx) { return require_credential(tx.credentials(), id); });
}

std::vector<Credential> Credentials::of_customer(std::string_view customer_ref) const {
  const Timestamp now = state_->now();
  return state_->read([&](store::Transaction& tx) {
    const Customer c = detail::require_customer(tx.customers(), customer_ref, now);
    return tx.credentials().of_customer(c.id);
  });
}

std::vector<Credential> Credentials::find(CredentialKind kind, std::string_view value) const {
  require_named(kind, kKinds, "kind", "credential kind");
  const std::string v = credential_value(kind, value, state_->options.default_region);
  return state_->read([&](store::Transaction& tx) { return tx.credentials().find(kind, v); });
}

Credential Credentials::set_status(std::int64_t id, CredentialStatus status) {
  require_named(status, kStatuses, "status", "credential status");
  if (status == CredentialStatus::replaced) {
    throw Error(Errc::invalid_argument, "status: only replace() marks a credential replaced", "status");
  }
  return change(
      *state_, id, "credential.status_changed", "Credential status changed",
      [&](Credential& c) {
        if (c.status == status) return false;
        c.status = status;
        return true;
      },
      [](const Credential& before, const Credential& after) {
        return detail::EventJson{{"from", std::string(to_string(before.status))},
                                 {"to", std::string(to_string(after.status))}};
      });
}

Credential Credentials::replace(std::int64_t id, const Replacement& successor) {
  const Timestamp now = state_->now();
  std::optional<std::string> label;
  if (successor.label) label = text::clean(*successor.label, "label", kMaxLabel);
  return state_->write([&](store::Transaction& tx) {
    auto& repo = tx.credentials();
    Credential old = require_changeable(repo, id);
    Credential next;
    next.kind = old.kind;
    next.value = credential_value(old.kind, successor.value, state_->options.default_region);
    next.customer = old.customer;
    next.status = CredentialStatus::active;
    next.valid_from = std::max(now, old.valid_from.value_or(now));
    next.valid_until = successor.valid_until ? successor.valid_until : old.valid_until;
    require_window(next.valid_from, next.valid_until);
    next.label = label.value_or(old.label);
    next.wallet = successor.wallet ? wallet_for(old.kind, successor.wallet) : old.wallet;
    next.replaces = old.id;
    next.created_at = now;
    next.updated_at = now;
    // The old one stops being active first, so the successor may keep its value.
    old.status = CredentialStatus::replaced;
    old.updated_at = now;
    repo.update(old);
    repo.insert(next);
    old.replaced_by = next.id;
    repo.update(old);
    record_credential(tx, now, old, "credential.replaced", "Credential replaced",
                      detail::EventJson{{"replaced_by", next.id}});
    return require_credential(repo, next.id);
  });
}

Credential Credentials::set_validity(std::int64_t id, std::optional<Timestamp> valid_from,
                                     std::optional<Timestamp> valid_until) {
  require_window(valid_from, valid_until);
  return change(
      *state_, id, "credential.validity_changed", "Credential validity changed",
      [&](Credential& c) {
        c.valid_from = valid_from;
        c.valid_until = valid_until;
        return true;
      },
      [](const Credential& before, const Credential& after) {
        using detail::time_value;
        if (before.valid_from == after.valid_from && before.valid_until == after.valid_until) return detail::EventJson();
        return detail::EventJson{
            {"from", detail::EventJson{{"valid_from", time_value(before.valid_from)},
                                       {"valid_until", time_value(before.valid_until)}}},
            {"to", detail::EventJson{{"valid_from", time_value(after.valid_from)},
                                     {"valid_until", time_value(after.valid_until)}}}};
      });
}

Credential Credentials::set_label(std::int64_t id, std::string_view label) {
  const std::string l = text::clean(label, "label", kMaxLabel);
  return change(
      *state_, id, "credential.label_changed", "Credential label changed",
      [&](Credential& c) {
        c.label = l;
        return true;
      },
      [](const Credential& before, const Credential& after) {
        if (before.label == after.label) return detail::EventJson();
        return detail::EventJson{{"from", before.label}, {"to", after.label}};
      });
}

CredentialCheck Database::identify_credential(std::string_view token, std::optional<Timestamp> at) const {
  const detail::PresentedToken tok = detail::read_token(token, state_->options.default_region);
  const Timestamp now = state_->now();
  return state_->read(
      [&](store::Transaction& tx) { return detail::check_token(tx, tok, checked_time(at, "at").value_or(now), now, true); });
}

std::optional<CustomerId> Database::credential_holder(std::string_view token, std::optional<Timestamp> at) const {
  const detail::PresentedToken tok = detail::read_token(token, state_->options.default_region);
  const Timestamp when = at ? *at : state_->now();
  return state_->read([&](store::Transaction& tx) -> std::optional<CustomerId> {
    auto holders = tx.credentials().usable_holders(tok.text, tok.credential_phone(), when);
    if (holders.empty()) return std::nullopt;
    return std::move(holders.front().customer);
  });
}

}  // namespace patron
