// Text normalisation and validation shared by the core: UTF-8 checks,
// emails (ICU IDNA), phones (libphonenumber), names (ICU transliteration)
// and ISO country codes (ICU). Every function is thread-safe. Validating
// functions throw Error(invalid_argument) naming `field` and the rule.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace patron::text {

// The bytes of `s`, to loop over as unsigned values.
inline std::span<const unsigned char> bytes(std::string_view s) noexcept {
  return {reinterpret_cast<const unsigned char*>(s.data()), s.size()};
}

bool is_valid_utf8(std::string_view s) noexcept;
// Number of code points in valid UTF-8.
std::size_t utf8_length(std::string_view s) noexcept;
std::string_view trim(std::string_view s) noexcept;
// `s` made safe to show in a message: valid UTF-8 is kept; each byte that is
// not is replaced by U+FFFD; control characters (C0, DEL) become "\u00XX".
// Never throws except std::bad_alloc.
std::string printable(std::string_view s);
// Unicode lower case (ICU, root locale) of valid UTF-8; ASCII directly.
// "ÉTÉ Friend" -> "été friend".
std::string lower(std::string_view s);

// Trimmed `value`, refused when it is not valid UTF-8, holds control
// characters, or is longer than `max_chars` code points. Empty is allowed.
std::string clean(std::string_view value, std::string_view field, std::size_t max_chars);
// As clean(), and refused when empty after trimming.
std::string clean_required(std::string_view value, std::string_view field, std::size_t max_chars);

// "Ana@Bücher.DE " -> "ana@xn--bcher-kva.de". Refuses what is not an address.
std::string normalize_email(std::string_view input, std::string_view field);
std::optional<std::string> try_normalize_email(std::string_view input) noexcept;

// "Bücher.DE." -> "xn--bcher-kva.de": the domain rules of normalize_email.
std::string normalize_domain(std::string_view input, std::string_view field);

// Registrable domains (public suffix list, libpsl; src/text/domain.cpp).
// "ana@EU.Acme.co.uk" or "eu.acme.co.uk" -> "acme.co.uk". Refuses invalid
// domains and bare public suffixes ("co.uk").
std::string registrable_domain(std::string_view domain_or_email, std::string_view field);
// The registrable domain of a normalised address's domain; nullopt when the
// domain is itself a public suffix.
std::optional<std::string> email_registrable_domain(std::string_view normalized_email) noexcept;
// True for the built-in free-mail and ISP domains (gmail.com, yahoo.*, ...)
// and for `extra` (registrable domains, lower-case ASCII).
bool is_free_mail_domain(std::string_view registrable, const std::vector<std::string>& extra) noexcept;

struct PhoneNumber {
  std::string number;  // E.164 when valid, else the trimmed input
  bool valid = false;  // libphonenumber IsValidNumber
};
// Refuses empty input, control characters, over 40 characters and text with
// fewer than 3 digits; anything else is kept, E.164 when valid for `region`
// (or an international "+..." number).
PhoneNumber normalize_phone(std::string_view input, std::string_view region, std::string_view field);
bool is_phone_region(std::string_view region) noexcept;

// Lower-case ASCII folding for search: "José Müller" -> "jose muller";
// scripts other than Latin are transliterated ("Σωκράτης" -> "sokrates").
std::string fold(std::string_view input);
// The words of fold(input): runs of [a-z0-9].
std::vector<std::string> fold_words(std::string_view input);

// Similarity of folded text (src/text/similarity.cpp), for record linkage.
// Jaro-Winkler similarity in [0, 1] (prefix scale 0.1, up to 4 characters).
double jaro_winkler(std::string_view a, std::string_view b) noexcept;
// Damerau-Levenshtein distance (optimal string alignment), computed only up
// to `limit`: anything further (or longer than 64 bytes) returns limit + 1.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit) noexcept;
// The NYSIIS phonetic code of one folded word ("johnson" and "jonson" ->
// "jansan"); letters other than a-z are skipped. Empty for no letters.
std::string nysiis(std::string_view word);

// "gb" -> "GB"; refuses what is not an ISO 3166-1 alpha-2 code.
std::string normalize_country(std::string_view input, std::string_view field);

// A BCP 47 language tag in canonical form ("EN-gb" -> "en-GB"); refuses
// what ICU cannot read as one.
std::string language_tag(std::string_view input, std::string_view field);
// The canonical IANA id of a time zone ("US/Pacific" -> "America/Los_Angeles");
// refuses an unknown one.
std::string time_zone(std::string_view input, std::string_view field);

}  // namespace patron::text
