#include <unicode/utf8.h>
#include <unicode/ustring.h>

#include <algorithm>
#include <cstdint>
#include <string>

#include "patron/error.hpp"
#include "text/text.hpp"

namespace patron::text {

bool is_valid_utf8(std::string_view s) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    std::size_t n = 0;
    char32_t cp = 0;
    if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1Fu;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0Fu;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07u;
    } else {
      return false;
    }
    if (static_cast<std::size_t>(end - p) <= n) return false;
    for (std::size_t i = 1; i <= n; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3Fu);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    static constexpr char32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    p += n + 1;
  }
  return true;
}

std::size_t utf8_length(std::string_view s) noexcept {
  std::size_t n = 0;
  for (unsigned char c : bytes(s)) n += (c & 0xC0) != 0x80;
  return n;
}

std::string printable(std::string_view s) {
  const auto is_plain = [](unsigned char c) { return c >= 0x20 && c < 0x7F; };
  if (std::all_of(s.begin(), s.end(), [&](char c) { return is_plain(static_cast<unsigned char>(c)); }))
    return std::string(s);
  std::string out;
  out.reserve(s.size() + 8);
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(s.data());
  const auto length = static_cast<std::int64_t>(s.size());
  std::int64_t i = 0;
  while (i < length) {
    UChar32 c = 0;
    U8_NEXT_OR_FFFD(bytes, i, length, c);  // an ill-formed sequence reads as U+FFFD
    if (c < 0x20 || c == 0x7F) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\u00";
      out += kHex[(c >> 4) & 0xF];
      out += kHex[c & 0xF];
      continue;
    }
    char buffer[U8_MAX_LENGTH];
    std::int32_t n = 0;
    U8_APPEND_UNSAFE(buffer, n, c);
    out.append(buffer, static_cast<std::size_t>(n));
  }
  return out;
}

std::string_view trim(std::string_view s) noexcept {
  constexpr std::string_view kSpace = " \t\r\n\f\v";
  const auto first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(kSpace);
  return s.substr(first, last - first + 1);
}

std::string lower(std::string_view s) {
  if (std::all_of(s.begin(), s.end(), [](unsigned char c) { return c < 0x80; })) {
    std::string out(s);
    for (char& c : out) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
    }
    return out;
  }
  UErrorCode status = U_ZERO_ERROR;
  int32_t len16 = 0;
  u_strFromUTF8(nullptr, 0, &len16, s.data(), static_cast<int32_t>(s.size()), &status);
  status = U_ZERO_ERROR;
  std::u16string u(static_cast<std::size_t>(len16), u'\0');
  u_strFromUTF8(u.data(), len16, nullptr, s.data(), static_cast<int32_t>(s.size()), &status);
  // Lower-casing grows a string by at most three code units per unit.
  std::u16string lowered(u.size() * 3 + 1, u'\0');
  status = U_ZERO_ERROR;
  const int32_t lowered_len =
      u_strToLower(lowered.data(), static_cast<int32_t>(lowered.size()), u.data(), len16, "", &status);
  std::string out(static_cast<std::size_t>(std::max(lowered_len, 0)) * 3 + 1, '\0');
  int32_t out_len = 0;
  if (U_SUCCESS(status)) {
    u_strToUTF8(out.data(), static_cast<int32_t>(out.size()), &out_len, lowered.data(), lowered_len, &status);
  }
  if (U_FAILURE(status)) throw Error(Errc::internal, std::string("cannot lower-case text: ") + u_errorName(status));
  out.resize(static_cast<std::size_t>(out_len));
  return out;
}

std::string clean(std::string_view value, std::string_view field, std::size_t max_chars) {
  if (!is_valid_utf8(value)) {
    throw Error(Errc::invalid_argument, std::string(field) + ": not valid UTF-8", std::string(field));
  }
  const std::string_view t = trim(value);
  for (unsigned char c : bytes(t)) {
    if (c < 0x20 || c == 0x7F) {
      throw Error(Errc::invalid_argument, std::string(field) + ": control characters are not allowed",
                  std::string(field));
    }
  }
  if (utf8_length(t) > max_chars) {
    throw Error(Errc::invalid_argument,
                std::string(field) + ": longer than " + std::to_string(max_chars) + " characters",
                std::string(field));
  }
  return std::string(t);
}

std::string clean_required(std::string_view value, std::string_view field, std::size_t max_chars) {
  std::string s = clean(value, field, max_chars);
  if (s.empty()) {
    throw Error(Errc::invalid_argument, std::string(field) + ": must not be empty", std::string(field));
  }
  return s;
}

}  // namespace patron::text
