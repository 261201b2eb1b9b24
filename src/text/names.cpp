// Name folding for accent- and case-insensitive search. ASCII text (most
// names) is lower-cased directly; anything else goes through ICU's
// transliterator, one instance per thread (instances are not thread-safe).
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <string>

#include "patron/error.hpp"
#include "text/text.hpp"

namespace patron::text {
namespace {

const icu::Transliterator& prototype() {
  static const std::unique_ptr<icu::Transliterator> instance = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createInstance(
        "Any-Latin; Latin-ASCII; Lower", UTRANS_FORWARD, status));
    if (U_FAILURE(status)) throw Error(Errc::internal, "ICU transliterator is unavailable");
    return t;
  }();
  return *instance;
}

icu::Transliterator& thread_transliterator() {
  thread_local std::unique_ptr<icu::Transliterator> t(prototype().clone());
  return *t;
}

}  // namespace

std::string fold(std::string_view input) {
  const bool ascii = std::all_of(input.begin(), input.end(), [](unsigned char c) { return c < 0x80; });
  if (ascii) {
    std::string out(input);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
      return static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
    });
    return out;
  }
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(
      icu::StringPiece(input.data(), static_cast<int32_t>(input.size())));
  thread_transliterator().transliterate(u);
  std::string out;
  u.toUTF8String(out);
  return out;
}

std::vector<std::string> fold_words(std::string_view input) {
  const std::string folded = fold(input);
  std::vector<std::string> words;
  std::string word;
  for (unsigned char c : bytes(folded)) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      word += static_cast<char>(c);
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

}  // namespace patron::text
