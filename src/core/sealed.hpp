// Sealing personal data under a per-customer key (libsodium
// XChaCha20-Poly1305 IETF): a sealed value is a random 24-byte nonce, the
// ciphertext and a 16-byte tag, bound to associated data (the customer id)
// so a value moved to another customer does not open. Also the random bytes
// and the content hash (BLAKE2b) patron needs elsewhere. Thread-safe.
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

namespace patron::detail {

// Initialises libsodium once (Error(internal) when it cannot be).
void ensure_sodium();
// `n` random bytes from the kernel: the same in no two processes, forked or not.
void fill_random(void* out, std::size_t n);
// `digits` random lower-case hex digits (of fill_random's bytes).
std::string random_hex(std::size_t digits);

// BLAKE2b-256 of `data` keyed with `key` (16-64 bytes), as 64 lower-case
// hex digits: a pseudonym of a value that only the key's holder can test.
std::string keyed_hash(std::string_view data, std::string_view key);

// BLAKE2b-256 of bytes fed in pieces, as 64 lower-case hex digits.
class Blake2b {
 public:
  Blake2b();
  ~Blake2b();
  Blake2b(const Blake2b&) = delete;
  Blake2b& operator=(const Blake2b&) = delete;
  void update(std::string_view bytes);
  std::string hex();

 private:
  struct State;
  State* state_;
};

}  // namespace patron::detail
