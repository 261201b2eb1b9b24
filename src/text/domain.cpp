// Registrable domains with the public suffix list compiled into libpsl, and
// the free-mail domains that can never identify a company.
#include <libpsl.h>

#include <algorithm>
#include <array>
#include <string>

#include "patron/error.hpp"
#include "text/text.hpp"

namespace patron::text {
namespace {

// Free-mail and ISP domains (registrable domains). yahoo.<any suffix> is
// matched by rule, not listed.
constexpr std::array<std::string_view, 37> kFreeMail{
    "126.com",      "163.com",     "aol.com",      "att.net",         "btinternet.com", "comcast.net",
    "free.fr",      "gmail.com",   "gmx.com",      "gmx.de",          "gmx.net",        "googlemail.com",
    "hotmail.co.uk", "hotmail.com", "icloud.com",  "laposte.net",     "live.com",       "mac.com",
    "mail.com",     "mail.ru",     "me.com",       "msn.com",         "orange.fr",      "outlook.com",
    "proton.me",    "protonmail.com", "qq.com",    "sky.com",         "t-online.de",    "verizon.net",
    "web.de",       "yandex.com",  "yandex.ru",    "ymail.com",       "zoho.com",       "yahoo.com",
    "rocketmail.com"};

const psl_ctx_t* psl() {
  const psl_ctx_t* ctx = psl_builtin();
  if (ctx == nullptr) throw Error(Errc::internal, "libpsl has no built-in public suffix list");
  return ctx;
}

// The registrable domain of a lower-case ASCII domain, or nullopt when it is
// a public suffix (or has no registrable part).
std::optional<std::string> registrable_of(const std::string& ascii) {
  const psl_ctx_t* ctx = psl();
  if (psl_is_public_suffix(ctx, ascii.c_str()) != 0) return std::nullopt;
  const char* r = psl_registrable_domain(ctx, ascii.c_str());
  if (r == nullptr) return std::nullopt;
  return std::string(r);
}

}  // namespace

std::string registrable_domain(std::string_view domain_or_email, std::string_view field) {
  const std::string f(field);
  const std::string_view t = trim(domain_or_email);
  std::string ascii;
  if (t.find('@') != std::string_view::npos) {
    const std::string address = normalize_email(t, field);
    ascii = address.substr(address.rfind('@') + 1);
  } else {
    ascii = normalize_domain(t, field);
  }
  auto r = registrable_of(ascii);
  if (!r) {
    throw Error(Errc::invalid_argument,
                f + ": " + ascii + " is a public suffix (like co.uk), not a domain an organisation can own", f);
  }
  return std::move(*r);
}

std::optional<std::string> email_registrable_domain(std::string_view normalized_email) noexcept {
  const auto at = normalized_email.rfind('@');
  if (at == std::string_view::npos) return std::nullopt;
  try {
    return registrable_of(std::string(normalized_email.substr(at + 1)));
  } catch (...) {
    return std::nullopt;
  }
}

bool is_free_mail_domain(std::string_view registrable, const std::vector<std::string>& extra) noexcept {
  if (std::find(kFreeMail.begin(), kFreeMail.end(), registrable) != kFreeMail.end()) return true;
  if (registrable.starts_with("yahoo.")) return true;  // yahoo.<public suffix>
  return std::find(extra.begin(), extra.end(), registrable) != extra.end();
}

}  // namespace patron::text
