// Language tags (BCP 47) and time zones (IANA), checked and canonicalised
// by ICU.
#include <unicode/locid.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <string>

#include "patron/error.hpp"
#include "text/text.hpp"

namespace patron::text {

std::string language_tag(std::string_view input, std::string_view field) {
  const std::string tag(trim(input));
  const auto refuse = [&] {
    throw Error(Errc::invalid_argument,
                std::string(field) + ": must be a BCP 47 language tag (\"en\", \"fr-CA\"), at most 35 characters",
                std::string(field));
  };
  if (tag.empty() || tag.size() > 35) refuse();
  UErrorCode status = U_ZERO_ERROR;
  const icu::Locale locale = icu::Locale::forLanguageTag(tag, status);
  if (U_FAILURE(status) || locale.isBogus() || std::string(locale.getLanguage()).empty()) refuse();
  status = U_ZERO_ERROR;
  std::string canonical = locale.toLanguageTag<std::string>(status);
  if (U_FAILURE(status) || canonical.empty() || canonical.size() > 35) refuse();
  return canonical;
}

std::string time_zone(std::string_view input, std::string_view field) {
  const std::string zone(trim(input));
  const auto refuse = [&] {
    throw Error(Errc::invalid_argument, std::string(field) + ": must be an IANA time zone (\"Europe/Paris\")",
                std::string(field));
  };
  if (zone.empty() || zone.size() > 64) refuse();
  icu::UnicodeString canonical;
  UBool system = false;
  UErrorCode status = U_ZERO_ERROR;
  icu::TimeZone::getCanonicalID(icu::UnicodeString::fromUTF8(zone), canonical, system, status);
  if (U_FAILURE(status) || !system) refuse();
  std::string out;
  canonical.toUTF8String(out);
  return out;
}

}  // namespace patron::text
