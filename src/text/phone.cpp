// Phone normalisation with libphonenumber: E.164 for numbers it validates,
// the typed text (trimmed) otherwise.
#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <mutex>
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

// How long a digits-only input may be and still be read as a valid number
// of a region when it starts neither with 0 nor with the region's
// international prefix: then libphonenumber reads it as a national number of
// the region (with or without the region's country code, and a national or
// carrier prefix), so it is valid only if it has at most the country code's
// digits + the longest national number the region allows + 3 (the prefix).
// Longer digit strings (16-digit card numbers in GB) are refused without
// parsing, which costs microseconds of regular expressions.
struct DigitsLimit {
  std::string international_prefix;  // digits; empty: unknown (no shortcut)
  std::size_t max_digits = 0;
};

DigitsLimit digits_limit(const std::string& region) {
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  DigitsLimit out;
  const int cc = util.GetCountryCodeForRegion(region);
  std::size_t longest = 0;
  for (std::size_t length = 1; length <= 17; ++length) {
    i18n::phonenumbers::PhoneNumber n;
    n.set_country_code(cc);
    std::uint64_t national = 1;
    for (std::size_t i = 1; i < length; ++i) national *= 10;
    n.set_national_number(national);
    const auto why = util.IsPossibleNumberWithReason(n);
    if (why == PhoneNumberUtil::IS_POSSIBLE || why == PhoneNumberUtil::IS_POSSIBLE_LOCAL_ONLY) longest = length;
  }
  // The prefix dialled from `region` to reach Switzerland ("00 41 ...").
  i18n::phonenumbers::PhoneNumber swiss;
  swiss.set_country_code(41);
  swiss.set_national_number(446681800);
  std::string dialled;
  util.FormatOutOfCountryCallingNumber(swiss, region, &dialled);
  const auto at = dialled.find(" 41 ");
  if (cc == 0 || longest == 0 || dialled.empty() || dialled[0] == '+' || at == std::string::npos) return out;
  for (char c : dialled.substr(0, at)) {
    if (c >= '0' && c <= '9') out.international_prefix += c;
  }
  out.max_digits = std::to_string(cc).size() + longest + 3;
  return out;
}

// True when libphonenumber cannot validate `digits` (ASCII digits only) for
// `region`, known without parsing.
bool too_long_for_region(std::string_view digits, std::string_view region) {
  static std::mutex mutex;
  static std::map<std::string, DigitsLimit, std::less<>> limits;
  DigitsLimit limit;
  {
    std::lock_guard lock(mutex);
    auto it = limits.find(region);
    if (it == limits.end()) it = limits.emplace(std::string(region), digits_limit(std::string(region))).first;
    limit = it->second;
  }
  return !limit.international_prefix.empty() && digits.size() > limit.max_digits && digits[0] != '0' &&
         digits.substr(0, limit.international_prefix.size()) != limit.international_prefix;
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
  if (static_cast<std::size_t>(digits) == text.size() && too_long_for_region(text, region)) {
    return {std::move(text), false};
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
