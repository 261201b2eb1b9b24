// Sealing personal data under a per-customer key (libsodium
// XChaCha20-Poly1305 IETF): a sealed value is a random 24-byte nonce, the
// ciphertext and a 16-byte tag, bound to associated data (the customer id)
// so a value moved to another customer does not open. The only place patron
// touches cryptography. Thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace patron::detail::sealed {

inline constexpr std::size_t kKeyBytes = 32;
// Nonce and tag: a sealed value is this much longer than the plain one.
inline constexpr std::size_t kOverhead = 24 + 16;

// A new random key (kKeyBytes bytes).
std::string new_key();
std::string seal(std::string_view plain, std::string_view key, std::string_view associated);
// The plain value; nullopt when `sealed` was not sealed with `key` and
// `associated` (or was altered).
std::optional<std::string> open(std::string_view sealed, std::string_view key, std::string_view associated);

}  // namespace patron::detail::sealed
