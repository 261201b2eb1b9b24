// patron::Error and patron::Errc: how every failure reaches a C++ host.
//
// Every error patron raises is a patron::Error (a std::runtime_error) that
// carries an Errc and, where one input is at fault, the name of that field.
// The numeric values of Errc are the C ABI's PATRON_E* codes negated: they are
// part of the stable ABI and are never renumbered. Absence is not an error:
// lookups that may find nothing return std::optional or a list.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace patron {

enum class Errc : int {
  invalid_argument = 1,     // input breaks a rule; field() names the input
  not_found = 2,            // the referenced record does not exist
  already_exists = 3,       // a unique value is held by another record
  conflict = 4,             // the request contradicts an earlier one (e.g. idempotency key reuse)
  failed_precondition = 5,  // the state does not allow the operation (e.g. balance too low)
  storage = 6,              // the database failed (I/O, corruption, busy beyond the timeout)
  internal = 7,             // a bug in patron
};

// Stable lower-case name of a code ("invalid_argument", ...).
std::string_view errc_name(Errc code) noexcept;

// The field path of element `index` of `name`: ("tags", 2) -> "tags[2]";
// ("", 3) -> "[3]" (an element of a batch).
std::string indexed_field(std::string_view name, std::size_t index);

class Error : public std::runtime_error {
 public:
  // Messages and fields often quote the input at fault, which may be any
  // bytes: both are kept as valid UTF-8 without control characters (an
  // invalid byte becomes U+FFFD, a control character \u00XX), so that
  // what() and field() can always be shown, logged and passed through the
  // C ABI and Python whole.
  Error(Errc code, std::string_view message, std::string_view field = {});

  Errc code() const noexcept { return code_; }
  // The input field at fault ("email", "phones[0].number", ...), or empty.
  const std::string& field() const noexcept { return field_; }

 private:
  Errc code_;
  std::string field_;
};

}  // namespace patron
