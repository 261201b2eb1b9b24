// Credential steps shared by identification (identify.cpp), the credentials
// service and door access: reading a presented token once and judging the
// credentials it names.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "patron/credentials.hpp"
#include "patron/store/store.hpp"

namespace patron::detail {

// The stored form of a value of `kind`: trimmed, 1-256 bytes of UTF-8
// without control characters; E.164 for a phone. Error(invalid_argument,
// "value") otherwise.
std::string credential_value(CredentialKind kind, std::string_view value, std::string_view region);

// A token from a till, a door or a form, read once.
struct PresentedToken {
  std::string text;                  // trimmed: what non-phone credentials hold
  std::optional<std::string> phone;  // the phone form when it has one (E.164 when valid, else as typed)
  bool phone_valid = false;          // libphonenumber validated `phone`: phone credentials can match
  // The value phone credentials would hold for this token.
  std::optional<std::string_view> credential_phone() const {
    if (!phone_valid) return std::nullopt;
    return std::string_view(*phone);
  }
};

// Throws Error(invalid_argument, "token") for empty or non-UTF-8 text. The
// phone form is read for text of at most 40 characters with at least 3
// digits and no "@" (an address is not also a phone).
PresentedToken read_token(std::string_view token, std::string_view region);

// Why `c` does (accepted) or does not identify its holder at `at`.
CredentialVerdict verdict_at(const Credential& c, Timestamp at) noexcept;

// What a token names at `at` (Database::identify_credential inside a
// transaction): the usable credential issued first, else the most recently
// changed one. The holder is loaded when `load_holder` and accepted.
CredentialCheck check_token(store::Transaction& tx, const PresentedToken& token, Timestamp at, Timestamp now,
                            bool load_holder);

}  // namespace patron::detail
