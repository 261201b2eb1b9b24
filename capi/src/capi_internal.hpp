// Internals of the C ABI: the handle, the per-thread error state and the one
// guard every entry point runs its body in, so that no C++ exception crosses
// the boundary and every failure sets the same error state.
#pragma once

#include <exception>
#include <initializer_list>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "patron.h"
#include "patron/database.hpp"
#include "patron/error.hpp"

struct patron_db {
  explicit patron_db(patron::Database database) : db(std::move(database)) {}
  patron::Database db;
};

namespace patron::capi {

// Thrown by argument checks inside a guarded body: a NULL handle, argument
// or out-parameter. `function` and `argument` must be string literals.
struct Misuse {
  const char* function;
  const char* argument;
};

// Records the failure of the current call on this thread and returns `code`.
// Never throws.
int set_error(int code, std::string_view message, std::string_view field) noexcept;

// Runs `body` (which returns an int result) and turns every exception into a
// negative PATRON_E* code with the thread's error state set.
template <class Body>
int guard(Body&& body) noexcept {
  try {
    return std::forward<Body>(body)();
  } catch (const Misuse& m) {
    std::string message = std::string(m.function) + ": " + m.argument + " must not be NULL";
    return set_error(PATRON_EMISUSE, message, m.argument);
  } catch (const patron::Error& e) {
    return set_error(-static_cast<int>(e.code()), e.what(), e.field());
  } catch (const std::bad_alloc&) {
    return set_error(PATRON_ENOMEM, "out of memory", {});
  } catch (const std::exception& e) {
    return set_error(PATRON_EINTERNAL, std::string("internal error: ") + e.what(), {});
  } catch (...) {
    return set_error(PATRON_EINTERNAL, "internal error: unknown exception", {});
  }
}

// Argument checks for one entry point, named `function` in messages: each
// throws Misuse when its argument is NULL.
class Args {
 public:
  explicit Args(const char* function) noexcept : function_(function) {}

  template <class T>
  T* need(T* p, const char* argument) const {
    if (p == nullptr) throw Misuse{function_, argument};
    return p;
  }
  std::string_view text(const char* p, const char* argument) const {
    return std::string_view(need(p, argument));
  }
  patron::Database& db(patron_db* handle) const { return need(handle, "db")->db; }
  patron::Customers& customers(patron_db* handle) const { return db(handle).customers(); }

 private:
  const char* function_;
};

// A TIMESTAMP argument: absent (std::nullopt) when NULL, else parsed
// (Error(invalid_argument) naming `field` when malformed).
inline std::optional<patron::Timestamp> optional_time(const char* iso, std::string_view field) {
  if (iso == nullptr) return std::nullopt;
  return patron::parse_timestamp(iso, field);
}

// An optional string argument: "" when NULL.
inline std::string_view optional_text(const char* p) noexcept {
  return p == nullptr ? std::string_view() : std::string_view(p);
}

// A malloc'd, NUL-terminated copy of `text`, released with patron_free.
char* to_c_string(const std::string& text);

// The shape of every JSON-returning call: checks and clears *out_json, runs
// `body(Args)` (returning the JSON text) under guard, hands the text out.
template <class Body>
int json_call(char** out_json, const char* function, Body&& body) noexcept {
  const Args args(function);
  return guard([&]() -> int {
    args.need(out_json, "out_json");
    *out_json = nullptr;
    std::string text = std::forward<Body>(body)(args);
    *out_json = to_c_string(text);
    return PATRON_OK;
  });
}

// A field name of the core and the argument (or document key) it is called
// through the C ABI.
struct Rename {
  const char* from;
  const char* to;
};

// `e` naming the field `to` instead (and its message prefix with it).
inline patron::Error renamed(const patron::Error& e, const std::string& to) {
  const std::string& field = e.field();
  std::string message = e.what();
  if (message.rfind(field + ":", 0) == 0) message.replace(0, field.size(), to);
  return patron::Error(e.code(), std::move(message), to);
}

// Runs `body`; a patron::Error naming a field in `renames` is rethrown naming
// the C argument instead (and its message prefix with it). The core names
// the inputs of a call as the C++ API does ("ref" for a customer reference,
// "company" for a company's id, ...); errfield names the C argument. In a
// batch the element's prefix stays: "[1].ref" becomes "[1].customer".
template <class Body>
decltype(auto) c_names(std::initializer_list<Rename> renames, Body&& body) {
  try {
    return std::forward<Body>(body)();
  } catch (const patron::Error& e) {
    const std::string& field = e.field();
    const std::size_t element = field.starts_with('[') ? field.find("].") : std::string::npos;
    const std::string prefix = element == std::string::npos ? "" : field.substr(0, element + 2);
    const std::string_view name = std::string_view(field).substr(prefix.size());
    const char* to = nullptr;
    for (const auto& r : renames) {
      if (name == r.from) to = r.to;
    }
    if (to == nullptr || name == to) throw;
    throw renamed(e, prefix + to);
  }
}

}  // namespace patron::capi
