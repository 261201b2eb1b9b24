// Phone normalisation with libphonenumber: E.164 for numbers it validates,
// the typed text (trimmed) otherwise.
#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <string>

#include "patron/error.hpp"
#include "text/text.hpp"

namespace patron::text {
namespace {

using i18n::phonenumbers::PhoneNumberUtil;

constexpr std::size_t kMaxPhone = 40;

const std::set<std::string>& supported_regions() {
  static const std::set<std::string> regions = [] {
    std::set<std::string> out;
    PhoneNumberUtil::GetInstance()->GetSupportedRegions(&out);
    return out;
  }();
  return regions;
}

}  // namespace

bool is_phone_region(std::string_view region) noexcept {
  return supported_regions().count(std::string(region)) > 0;
}

PhoneNumber normalize_phone(std::string_view input, std::string_view region, std::string_view field) {
  std::string text = clean_required(input, field, kMaxPhone);
  const auto digits = std::count_if(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
  if (digits < 3) {
    throw Error(Errc::invalid_argument, std::string(field) + ": not a phone number (fewer than 3 digits)",
                std::string(field));
  }
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  i18n::phonenumbers::PhoneNumber parsed;
  if (util.Parse(text, std::string(region), &parsed) == PhoneNumberUtil::NO_PARSING_ERROR &&
      util.IsValidNumber(parsed)) {
    std::string e164;
    util.Format(parsed, PhoneNumberUtil::E164, &e164);
    return {std::move(e164), true};
  }
  return {std::move(text), false};
}

}  // namespace patron::text
