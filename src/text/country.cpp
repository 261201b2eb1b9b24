// ISO 3166-1 alpha-2 country codes, from ICU's list (minus the deprecated
// codes it keeps for compatibility).
#include <unicode/uloc.h>

#include <set>
#include <string>

#include "patron/error.hpp"
#include "text/text.hpp"

namespace patron::text {
namespace {

const std::set<std::string>& countries() {
  static const std::set<std::string> codes = [] {
    std::set<std::string> out;
    for (const char* const* p = uloc_getISOCountries(); *p != nullptr; ++p) out.insert(*p);
    // Withdrawn from ISO 3166-1; ICU lists them for old data.
    for (const char* old : {"AN", "BU", "CS", "DD", "DY", "FX", "HV", "NH", "RH", "SU", "TP", "VD", "YD", "YU", "ZR"}) {
      out.erase(old);
    }
    return out;
  }();
  return codes;
}

}  // namespace

std::string normalize_country(std::string_view input, std::string_view field) {
  std::string code(trim(input));
  for (char& c : code) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - ('a' - 'A'));
  }
  if (code.size() != 2 || countries().count(code) == 0) {
    throw Error(Errc::invalid_argument,
                std::string(field) + ": not an ISO 3166-1 alpha-2 country code", std::string(field));
  }
  return code;
}

}  // namespace patron::text
