// Error state, error names, memory and version of the C ABI.
#include <cstdlib>
#include <cstring>
#include <string>

#include "capi_internal.hpp"

namespace patron::capi {
namespace {

struct ErrorState {
  std::string message;
  std::string field;
  bool out_of_memory = false;  // recording the message itself failed
};

ErrorState& error_state() noexcept {
  thread_local ErrorState state;
  return state;
}

}  // namespace

int set_error(int code, std::string_view message, std::string_view field) noexcept {
  ErrorState& state = error_state();
  try {
    state.message.assign(message);
    state.field.assign(field);
    state.out_of_memory = false;
  } catch (...) {
    state.message.clear();
    state.field.clear();
    state.out_of_memory = true;
  }
  return code;
}

char* to_c_string(const std::string& text) {
  void* p = std::malloc(text.size() + 1);
  if (p == nullptr) throw std::bad_alloc();
  std::memcpy(p, text.c_str(), text.size() + 1);
  return static_cast<char*>(p);
}

}  // namespace patron::capi

extern "C" {

const char* patron_errmsg(void) {
  const auto& state = patron::capi::error_state();
  return state.out_of_memory ? "out of memory" : state.message.c_str();
}

const char* patron_errfield(void) { return patron::capi::error_state().field.c_str(); }

const char* patron_errname(int code) {
  switch (code) {
    case PATRON_OK: return "ok";
    case PATRON_EINVAL: return "invalid_argument";
    case PATRON_ENOTFOUND: return "not_found";
    case PATRON_EEXIST: return "already_exists";
    case PATRON_ECONFLICT: return "conflict";
    case PATRON_EPRECONDITION: return "failed_precondition";
    case PATRON_ESTORAGE: return "storage";
    case PATRON_EINTERNAL: return "internal";
    case PATRON_ENOMEM: return "out_of_memory";
    case PATRON_EMISUSE: return "misuse";
    default: return "unknown";
  }
}

void patron_free(void* p) { std::free(p); }

int patron_version_number(void) {
  return PATRON_BUILD_VERSION_MAJOR * 1000000 + PATRON_BUILD_VERSION_MINOR * 1000 +
         PATRON_BUILD_VERSION_PATCH;
}

const char* patron_version(void) { return PATRON_BUILD_VERSION; }

}  // extern "C"
