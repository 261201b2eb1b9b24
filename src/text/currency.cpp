// ISO 4217 currency codes, from ICU's list of current (non-deprecated) codes.
#include <unicode/ucurr.h>
#include <unicode/uenum.h>

#include <set>
#include <string>

#include "patron/error.hpp"
#include "patron/types.hpp"
#include "text/text.hpp"

namespace patron {
namespace {

const std::set<std::string>& currencies() {
  static const std::set<std::string> codes = [] {
    std::set<std::string> out;
    UErrorCode status = U_ZERO_ERROR;
    UEnumeration* all = ucurr_openISOCurrencies(UCURR_COMMON | UCURR_NON_DEPRECATED, &status);
    if (U_FAILURE(status)) throw Error(Errc::internal, "ICU currency list is unavailable");
    while (const char* code = uenum_next(all, nullptr, &status)) {
      if (U_FAILURE(status)) break;
      out.insert(code);
    }
    uenum_close(all);
    return out;
  }();
  return codes;
}

}  // namespace

std::string normalize_currency(std::string_view text, std::string_view field) {
  std::string code(text::trim(text));
  for (char& c : code) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - ('a' - 'A'));
  }
  if (code.size() != 3 || currencies().count(code) == 0) {
    throw Error(Errc::invalid_argument, std::string(field) + ": not an ISO 4217 currency code", std::string(field));
  }
  return code;
}

}  // namespace patron
