// Credentials: the cards, keys, passes and caller ids customers present.
//
// One registry for every kind: magnetic card, smart card, key fob, barcode,
// QR code, wallet pass (Apple or Google, with the pass serial and pass type)
// and a phone number used as caller id. Each credential has a value, a
// holder (a customer), a status (active, blocked, lost, replaced), an
// optional validity window [valid_from, valid_until) and a label.
//
// Values: trimmed UTF-8, 1-256 bytes, no control characters, matched exactly
// (case matters: barcodes and QR codes are case-sensitive). A phone
// credential's value must be a valid phone number and is stored in E.164
// (read with Options::default_region). An active value is unique per kind
// (the storage enforces it); a value may be reused once the credential that
// held it is no longer active.
//
// Status moves: active, blocked and lost move freely among themselves
// (a found card becomes active again); replaced is final and only replace()
// sets it. replace() issues the successor (same kind and holder) and marks
// the old credential replaced, linking the two, in one transaction.
//
// Identification: Database::identify() also finds customers by a credential
// that is active and valid at that moment, and says which credential matched
// (MatchKind::credential). A blocked, lost, replaced, not-yet-valid or
// expired credential identifies nobody; Database::identify_credential()
// tells why ("card reported lost").
//
// Borrowed from a Database (db.credentials()); thread-safe like it. Each call
// is one transaction: a refused call leaves nothing behind.
//
// Errors (patron::Error): invalid_argument naming the field ("kind", "value",
// "label" (at most 200 characters), "valid_until" when not after valid_from,
// "wallet" when given for a kind other than wallet_pass or missing for one,
// "wallet.serial" (1-200 characters), "status" for replaced in set_status,
// "ref" for a malformed customer reference); not_found naming "id" or "ref";
// already_exists naming "value" when another active credential of the kind
// holds the value (issue, replace, or reactivation by set_status);
// failed_precondition naming "status" when the credential is already
// replaced (set_status, replace, set_validity, set_label).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "patron/customer.hpp"
#include "patron/types.hpp"

namespace patron {

namespace detail {
struct DatabaseState;
}

enum class CredentialKind { magnetic_card, smart_card, key_fob, barcode, qr_code, wallet_pass, phone };
enum class CredentialStatus { active, blocked, lost, replaced };
enum class WalletProvider { apple, google };
enum class PassType { membership, access, loyalty };
// What identify_credential() found: accepted, or why the token identifies
// nobody. unknown: no credential has that value.
enum class CredentialVerdict { accepted, unknown, blocked, lost, replaced, not_yet_valid, expired };

// Stable lower-case names ("magnetic_card", "qr_code", "wallet_pass",
// "not_yet_valid", ...) and their parsers (invalid_argument naming `field`).
std::string_view to_string(CredentialKind v) noexcept;
std::string_view to_string(CredentialStatus v) noexcept;
std::string_view to_string(WalletProvider v) noexcept;
std::string_view to_string(PassType v) noexcept;
std::string_view to_string(CredentialVerdict v) noexcept;
CredentialKind parse_credential_kind(std::string_view text, std::string_view field = "kind");
CredentialStatus parse_credential_status(std::string_view text, std::string_view field = "status");
WalletProvider parse_wallet_provider(std::string_view text, std::string_view field = "wallet.provider");
PassType parse_pass_type(std::string_view text, std::string_view field = "wallet.pass_type");

// What a wallet pass adds: who issued it, its serial number, what it is for.
struct WalletPass {
  WalletProvider provider = WalletProvider::apple;
  std::string serial{};
  PassType pass_type = PassType::membership;
  friend bool operator==(const WalletPass&, const WalletPass&) = default;
};

struct Credential {
  std::int64_t id = 0;
  CredentialKind kind = CredentialKind::magnetic_card;
  std::string value{};  // as stored: E.164 for phone, otherwise as given (trimmed)
  CustomerId customer{};
  CredentialStatus status = CredentialStatus::active;
  std::optional<Timestamp> valid_from{};   // inclusive; unbounded when absent
  std::optional<Timestamp> valid_until{};  // exclusive; unbounded when absent
  std::string label{};
  std::optional<WalletPass> wallet{};          // set exactly for wallet_pass
  std::optional<std::int64_t> replaces{};      // the credential this one replaced
  std::optional<std::int64_t> replaced_by{};   // set once replaced
  Timestamp created_at{};
  Timestamp updated_at{};

  // Active and inside its window at `at`.
  bool usable_at(Timestamp at) const noexcept;
  friend bool operator==(const Credential&, const Credential&) = default;
};

struct NewCredential {
  CredentialKind kind = CredentialKind::magnetic_card;
  std::string value{};
  std::string customer_ref{};  // id or customer number of the holder
  std::string label{};
  std::optional<Timestamp> valid_from{};
  std::optional<Timestamp> valid_until{};
  std::optional<WalletPass> wallet{};  // required for wallet_pass, refused otherwise
};

// The successor replace() issues: same kind and holder, a new value; the
// label, window end and wallet data are the old credential's unless given.
// The successor is valid from now (or the old valid_from, if later).
struct Replacement {
  std::string value{};
  std::optional<std::string> label{};
  std::optional<Timestamp> valid_until{};
  std::optional<WalletPass> wallet{};
};

// The answer of identify_credential().
struct CredentialCheck {
  CredentialVerdict verdict = CredentialVerdict::unknown;
  // The credential the token named: the accepted one, or, when none is
  // accepted, the most recently changed one holding the value. Absent when
  // unknown.
  std::optional<Credential> credential{};
  // The holder, loaded only when accepted.
  std::optional<Customer> customer{};
  friend bool operator==(const CredentialCheck&, const CredentialCheck&) = default;
};

class Credentials {
 public:
  explicit Credentials(detail::DatabaseState& state) : state_(&state) {}

  Credential issue(const NewCredential& credential);
  Credential get(std::int64_t id) const;
  // Every credential of the customer, whatever its status, newest first.
  std::vector<Credential> of_customer(std::string_view customer_ref) const;
  // Every credential of `kind` holding `value` (normalised as on issue),
  // whatever its status, newest first: at most one is active.
  std::vector<Credential> find(CredentialKind kind, std::string_view value) const;

  // active <-> blocked <-> lost; setting the current status changes nothing.
  Credential set_status(std::int64_t id, CredentialStatus status);
  // Issues the successor and marks `id` replaced; returns the successor.
  Credential replace(std::int64_t id, const Replacement& successor);
  // Sets the window (absent = unbounded on that side).
  Credential set_validity(std::int64_t id, std::optional<Timestamp> valid_from, std::optional<Timestamp> valid_until);
  Credential set_label(std::int64_t id, std::string_view label);

 private:
  detail::DatabaseState* state_;
};

}  // namespace patron
