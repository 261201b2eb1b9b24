// Email normalisation. ASCII domains are checked here (the common case, on
// every lookup); anything else goes through ICU's UTS #46 IDNA processing.
#include <unicode/bytestream.h>
#include <unicode/idna.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <string>

#include "patron/error.hpp"
#include "text/text.hpp"

namespace patron::text {
namespace {

constexpr std::size_t kMaxAddress = 254;
constexpr std::size_t kMaxLocal = 64;
constexpr std::size_t kMaxDomain = 253;

struct Refusal {
  const char* rule;
};

bool is_atext(unsigned char c) {
  if (c >= 0x80) return true;  // internationalised local part (RFC 6531)
  if (std::isalnum(c)) return true;
  return std::string_view("!#$%&'*+-/=?^_`{|}~").find(static_cast<char>(c)) != std::string_view::npos;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
  });
  return out;
}

void check_local(std::string_view local) {
  if (local.empty()) throw Refusal{"the part before @ is empty"};
  if (local.size() > kMaxLocal) throw Refusal{"the part before @ is longer than 64 bytes"};
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) {
    throw Refusal{"the part before @ has a misplaced dot"};
  }
  for (unsigned char c : bytes(local)) {
    if (c != '.' && !is_atext(c)) throw Refusal{"the part before @ has a character not allowed in an address"};
  }
}

bool is_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return c < 0x80; });
}

// Letters, digits and hyphens, 1-63 per label, no hyphen at either end; the
// top-level label is not all digits. `domain` is lower-case ASCII.
void check_ascii_domain(std::string_view domain) {
  if (domain.empty()) throw Refusal{"the domain is empty"};
  if (domain.size() > kMaxDomain) throw Refusal{"the domain is longer than 253 characters"};
  std::size_t labels = 0;
  std::string_view last;
  std::size_t start = 0;
  while (true) {
    const auto dot = domain.find('.', start);
    const std::string_view label = domain.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (label.empty()) throw Refusal{"the domain has an empty label"};
    if (label.size() > 63) throw Refusal{"a domain label is longer than 63 characters"};
    if (label.front() == '-' || label.back() == '-') throw Refusal{"a domain label starts or ends with a hyphen"};
    for (unsigned char c : bytes(label)) {
      if (!(std::isalnum(c) || c == '-')) throw Refusal{"the domain has a character not allowed in a host name"};
    }
    ++labels;
    last = label;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (labels < 2) throw Refusal{"the domain needs a dot (name.tld)"};
  if (std::all_of(last.begin(), last.end(), [](unsigned char c) { return std::isdigit(c); })) {
    throw Refusal{"the top-level domain is numeric"};
  }
}

const icu::IDNA& idna() {
  // UTS #46 nontransitional processing, as browsers and mail systems do.
  static const std::unique_ptr<icu::IDNA> instance = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::IDNA> p(icu::IDNA::createUTS46Instance(
        UIDNA_USE_STD3_RULES | UIDNA_CHECK_BIDI | UIDNA_CHECK_CONTEXTJ | UIDNA_NONTRANSITIONAL_TO_ASCII,
        status));
    if (U_FAILURE(status)) throw Error(Errc::internal, "ICU IDNA is unavailable");
    return p;
  }();
  return *instance;
}

std::string idna_to_ascii(std::string_view domain) {
  icu::IDNAInfo info;
  UErrorCode status = U_ZERO_ERROR;
  std::string ascii;
  icu::StringByteSink<std::string> sink(&ascii);
  idna().nameToASCII_UTF8(icu::StringPiece(domain.data(), static_cast<int32_t>(domain.size())), sink, info,
                          status);
  if (U_FAILURE(status) || info.hasErrors()) {
    throw Refusal{"the domain is not a valid internationalised domain name"};
  }
  return ascii;
}

// Lower-case ASCII (IDNA for anything else), without a final dot, checked.
std::string domain_to_ascii(std::string_view domain) {
  std::string ascii_domain;
  const std::string lowered = ascii_lower(domain);
  if (is_ascii(domain) && lowered.find("xn--") == std::string::npos) {
    ascii_domain = lowered;
  } else {
    ascii_domain = idna_to_ascii(domain);
  }
  if (!ascii_domain.empty() && ascii_domain.back() == '.') ascii_domain.pop_back();
  check_ascii_domain(ascii_domain);
  return ascii_domain;
}

std::string normalize(std::string_view input) {
  const std::string_view s = trim(input);
  if (s.empty()) throw Refusal{"must not be empty"};
  if (!is_valid_utf8(s)) throw Refusal{"not valid UTF-8"};
  if (s.size() > kMaxAddress * 4) throw Refusal{"longer than 254 characters"};
  const auto at = s.rfind('@');
  if (at == std::string_view::npos) throw Refusal{"has no @"};
  std::string_view local = s.substr(0, at);
  std::string_view domain = s.substr(at + 1);
  if (local.find('@') != std::string_view::npos) throw Refusal{"has more than one @"};
  // Checked once lower-cased: lowering can lengthen a local part ("İ" is
  // two bytes, "i̇" three), and the result must pass its own check.
  std::string out = lower(local);
  check_local(out);
  out += '@';
  out += domain_to_ascii(domain);
  if (out.size() > kMaxAddress) throw Refusal{"longer than 254 characters"};
  return out;
}

std::string normalize_domain_text(std::string_view input) {
  const std::string_view s = trim(input);
  if (s.empty()) throw Refusal{"must not be empty"};
  if (!is_valid_utf8(s)) throw Refusal{"not valid UTF-8"};
  if (s.size() > kMaxDomain * 4) throw Refusal{"the domain is longer than 253 characters"};
  return domain_to_ascii(s);
}

}  // namespace

std::string normalize_domain(std::string_view input, std::string_view field) {
  try {
    return normalize_domain_text(input);
  } catch (const Refusal& r) {
    throw Error(Errc::invalid_argument, std::string(field) + ": not a valid domain (" + r.rule + ")",
                std::string(field));
  }
}

std::string normalize_email(std::string_view input, std::string_view field) {
  try {
    return normalize(input);
  } catch (const Refusal& r) {
    throw Error(Errc::invalid_argument,
                std::string(field) + ": not a valid email address (" + r.rule + ")", std::string(field));
  }
}

std::optional<std::string> try_normalize_email(std::string_view input) noexcept {
  try {
    return normalize(input);
  } catch (...) {
    return std::nullopt;
  }
}

}  // namespace patron::text
