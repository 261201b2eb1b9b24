#include "core/sealed.hpp"

#include <sodium.h>

#include "patron/error.hpp"

namespace patron::detail::sealed {
namespace {

static_assert(kKeyBytes == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
static_assert(kOverhead ==
              crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES);
constexpr std::size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;

// sodium_init() once per process (a function-local static is initialised
// once, thread-safely); libsodium allows calling it again anyway.
const unsigned char* bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }
unsigned char* bytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

void check_key(std::string_view key) {
  if (key.size() != kKeyBytes) throw Error(Errc::internal, "data key: must be 32 bytes");
}

}  // namespace

std::string new_key() {
  ensure_sodium();
  std::string key(kKeyBytes, '\0');
  randombytes_buf(key.data(), key.size());
  return key;
}

std::string seal(std::string_view plain, std::string_view key, std::string_view associated) {
  ensure_sodium();
  check_key(key);
  std::string out(kOverhead + plain.size(), '\0');
  randombytes_buf(out.data(), kNonce);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(bytes(out) + kNonce, &written, bytes(plain), plain.size(),
                                             bytes(associated), associated.size(), nullptr, bytes(out),
                                             bytes(key));
  out.resize(kNonce + written);
  return out;
}

std::optional<std::string> open(std::string_view sealed, std::string_view key, std::string_view associated) {
  ensure_sodium();
  check_key(key);
  if (sealed.size() < kOverhead) return std::nullopt;
  std::string out(sealed.size() - kOverhead, '\0');
  unsigned long long written = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(bytes(out), &written, nullptr, bytes(sealed) + kNonce,
                                                 sealed.size() - kNonce, bytes(associated), associated.size(),
                                                 bytes(sealed), bytes(key)) != 0) {
    return std::nullopt;
  }
  out.resize(written);
  return out;
}

}  // namespace patron::detail::sealed

namespace patron::detail {

void ensure_sodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) throw Error(Errc::internal, "libsodium could not be initialised");
}

void fill_random(void* out, std::size_t n) {
  ensure_sodium();
  randombytes_buf(out, n);
}

std::string random_hex(std::size_t digits) {
  std::string bytes((digits + 1) / 2, '\0');
  fill_random(bytes.data(), bytes.size());
  std::string out(2 * bytes.size() + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  out.resize(digits);
  return out;
}

std::string keyed_hash(std::string_view data, std::string_view key) {
  ensure_sodium();
  unsigned char digest[32];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(data.data()), data.size(),
                     reinterpret_cast<const unsigned char*>(key.data()), key.size());
  std::string out(64 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), digest, sizeof digest);
  out.pop_back();
  return out;
}

struct Blake2b::State {
  crypto_generichash_state hash;
};

Blake2b::Blake2b() : state_(new State) {
  ensure_sodium();
  crypto_generichash_init(&state_->hash, nullptr, 0, 32);
}
Blake2b::~Blake2b() { delete state_; }

void Blake2b::update(std::string_view bytes) {
  crypto_generichash_update(&state_->hash, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
}

std::string Blake2b::hex() {
  unsigned char digest[32];
  crypto_generichash_final(&state_->hash, digest, sizeof digest);
  std::string out(64 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), digest, sizeof digest);
  out.pop_back();
  return out;
}

}  // namespace patron::detail
