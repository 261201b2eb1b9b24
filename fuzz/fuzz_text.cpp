// The C++ text normalisers behind every entry point (src/text, and the
// timestamp, date and currency readers of patron/types.hpp), called
// directly. Besides "no crash, no undefined behaviour", each checks what its
// callers rely on:
//   - a refusal is patron::Error(invalid_argument); any other exception is a
//     bug (it would reach the C ABI as PATRON_EINTERNAL);
//   - normalising is idempotent (a stored email, domain, phone, country or
//     currency normalises to itself, so lookups by it find it);
//   - what is written reads back: a parsed timestamp or date, formatted,
//     parses to the same value.
//
// Operations (first byte; arguments separated by '\n'):
//   a text                UTF-8: is_valid_utf8, utf8_length, trim, lower, clean, clean_required
//   b text                normalize_email, try_normalize_email, email_registrable_domain
//   c text                normalize_domain, registrable_domain, is_free_mail_domain
//   d text \n region      normalize_phone (region, default GB), is_phone_region
//   e text                fold, fold_words (names and search)
//   f text                normalize_country, normalize_currency
//   g text                parse_timestamp, format_timestamp
//   h text                parse_date, format_date
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "patron/error.hpp"
#include "patron/types.hpp"
#include "text/text.hpp"

namespace {

namespace text = patron::text;

[[noreturn]] void bug(std::string_view what, std::string_view input, std::string_view detail = {}) {
  std::fprintf(stderr, "\n==patron-fuzz== %.*s (input of %zu bytes) %.*s\n", static_cast<int>(what.size()),
               what.data(), input.size(), static_cast<int>(detail.size()), detail.data());
  std::fflush(stderr);
  std::abort();
}

// Runs `f`; true when it returned, false when it refused with
// invalid_argument. Anything else aborts.
template <typename F>
bool accepts(std::string_view what, std::string_view input, F&& f) {
  try {
    f();
    return true;
  } catch (const patron::Error& e) {
    if (e.code() != patron::Errc::invalid_argument) bug(what, input, e.what());
    return false;
  } catch (const std::exception& e) {
    bug(what, input, std::string("unexpected exception: ") + e.what());
  } catch (...) {
    bug(what, input, "unexpected exception");
  }
}

void utf8(std::string_view s) {
  const bool valid = text::is_valid_utf8(s);
  const std::string_view trimmed = text::trim(s);
  if (trimmed.size() > s.size()) bug("trim", s, "longer than its input");
  if (valid) {
    (void)text::utf8_length(s);
    accepts("lower", s, [&] {
      if (!text::is_valid_utf8(text::lower(s))) bug("lower", s, "gives invalid UTF-8");
    });
  }
  for (const std::size_t max : {std::size_t{0}, std::size_t{5}, std::size_t{200}}) {
    std::string out;
    if (accepts("clean", s, [&] { out = text::clean(s, "f", max); })) {
      if (!valid) bug("clean", s, "accepts invalid UTF-8");
      if (!text::is_valid_utf8(out) || text::utf8_length(out) > max) bug("clean", s, "gives what it refuses");
    }
    accepts("clean_required", s, [&] { (void)text::clean_required(s, "f", max); });
  }
}

void email(std::string_view s) {
  std::string out;
  const bool ok = accepts("normalize_email", s, [&] { out = text::normalize_email(s, "email"); });
  const std::optional<std::string> tried = text::try_normalize_email(s);
  if (ok != tried.has_value() || (ok && *tried != out)) bug("try_normalize_email", s, "disagrees with normalize_email");
  if (!ok) return;
  std::string again;
  if (!accepts("normalize_email", out, [&] { again = text::normalize_email(out, "email"); }))
    bug("normalize_email", s, "refuses its own result: " + out);
  if (again != out) bug("normalize_email", s, "is not idempotent: " + out + " -> " + again);
  (void)text::email_registrable_domain(out);
}

void domain(std::string_view s) {
  std::string out;
  if (accepts("normalize_domain", s, [&] { out = text::normalize_domain(s, "domain"); })) {
    std::string again;
    if (!accepts("normalize_domain", out, [&] { again = text::normalize_domain(out, "domain"); }) || again != out)
      bug("normalize_domain", s, "is not idempotent: " + out);
  }
  std::string reg;
  if (accepts("registrable_domain", s, [&] { reg = text::registrable_domain(s, "domain"); })) {
    std::string again;
    if (!accepts("registrable_domain", reg, [&] { again = text::registrable_domain(reg, "domain"); }) || again != reg)
      bug("registrable_domain", s, "is not idempotent: " + reg);
    (void)text::is_free_mail_domain(reg, {"bigisp.net"});
  }
}

void phone(std::string_view s, std::string_view region) {
  if (region.empty()) region = "GB";
  if (!text::is_phone_region(region)) region = "GB";
  text::PhoneNumber out;
  if (!accepts("normalize_phone", s, [&] { out = text::normalize_phone(s, region, "phone"); })) return;
  if (!text::is_valid_utf8(out.number)) bug("normalize_phone", s, "gives invalid UTF-8");
  if (!out.valid) return;
  text::PhoneNumber again;
  if (!accepts("normalize_phone", out.number, [&] { again = text::normalize_phone(out.number, region, "phone"); }) ||
      !again.valid || again.number != out.number)
    bug("normalize_phone", s, "a valid number does not normalise to itself: " + out.number);
}

void names(std::string_view s) {
  accepts("fold", s, [&] {
    if (!text::is_valid_utf8(text::fold(s))) bug("fold", s, "gives invalid UTF-8");
    (void)text::fold_words(s);
  });
}

void codes(std::string_view s) {
  std::string out;
  if (accepts("normalize_country", s, [&] { out = text::normalize_country(s, "country"); })) {
    std::string again;
    if (!accepts("normalize_country", out, [&] { again = text::normalize_country(out, "country"); }) || again != out)
      bug("normalize_country", s, "is not idempotent: " + out);
  }
  if (accepts("normalize_currency", s, [&] { out = patron::normalize_currency(s, "currency"); })) {
    std::string again;
    if (!accepts("normalize_currency", out, [&] { again = patron::normalize_currency(out, "currency"); }) ||
        again != out)
      bug("normalize_currency", s, "is not idempotent: " + out);
  }
}

void timestamp(std::string_view s) {
  patron::Timestamp t;
  if (!accepts("parse_timestamp", s, [&] { t = patron::parse_timestamp(s, "at"); })) return;
  std::string formatted;
  accepts("format_timestamp", s, [&] { formatted = patron::format_timestamp(t); });
  patron::Timestamp back;
  if (!accepts("parse_timestamp", formatted, [&] { back = patron::parse_timestamp(formatted, "at"); }))
    bug("format_timestamp", s, "writes what parse_timestamp refuses: " + formatted);
  if (back != t) bug("format_timestamp", s, "does not read back: " + formatted);
}

void date(std::string_view s) {
  patron::Date d;
  if (!accepts("parse_date", s, [&] { d = patron::parse_date(s, "date"); })) return;
  std::string formatted;
  accepts("format_date", s, [&] { formatted = patron::format_date(d); });
  patron::Date back;
  if (!accepts("parse_date", formatted, [&] { back = patron::parse_date(formatted, "date"); }))
    bug("format_date", s, "writes what parse_date refuses: " + formatted);
  if (back != d) bug("format_date", s, "does not read back: " + formatted);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const unsigned op = static_cast<unsigned char>(data[0] - 'a') % 8;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (op) {
    case 0: utf8(rest); break;
    case 1: email(rest); break;
    case 2: domain(rest); break;
    case 3: {
      const auto nl = rest.find('\n');
      phone(rest.substr(0, nl), nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1));
      break;
    }
    case 4: names(rest); break;
    case 5: codes(rest); break;
    case 6: timestamp(rest); break;
    case 7: date(rest); break;
  }
  return 0;
}
