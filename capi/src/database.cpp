// Opening and closing a database through the C ABI.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "capi_internal.hpp"
#include "patron/json.hpp"

namespace {

patron::Options to_options(const patron_options& in) {
  if (in.version < 1 || in.version > PATRON_OPTIONS_VERSION) {
    throw patron::Error(patron::Errc::invalid_argument,
                        "patron_open: options version " + std::to_string(in.version) +
                            " is not supported (expected 1.." +
                            std::to_string(PATRON_OPTIONS_VERSION) +
                            "; initialise options with patron_options_init)",
                        "version");
  }
  if (in.busy_timeout_ms < 0) {
    throw patron::Error(patron::Errc::invalid_argument,
                        "patron_open: busy_timeout_ms must not be negative", "busy_timeout_ms");
  }
  patron::Options out;
  if (in.default_region != nullptr) out.default_region = in.default_region;
  out.synchronous =
      in.synchronous_full != 0 ? patron::Synchronous::full : patron::Synchronous::normal;
  out.busy_timeout = std::chrono::milliseconds{in.busy_timeout_ms};
  if (in.clock != nullptr) {
    out.clock = [fn = in.clock, ctx = in.clock_ctx]() { return patron::from_micros(fn(ctx)); };
  }
  if (in.free_mail_domain_count > 0 && in.free_mail_domains == nullptr) {
    throw patron::Error(patron::Errc::invalid_argument,
                        "patron_open: free_mail_domains is NULL but free_mail_domain_count is " +
                            std::to_string(in.free_mail_domain_count),
                        "free_mail_domains");
  }
  for (std::size_t i = 0; i < in.free_mail_domain_count; ++i) {
    const char* domain = in.free_mail_domains[i];
    if (domain == nullptr) {
      const std::string field = patron::indexed_field("free_mail_domains", i);
      throw patron::Error(patron::Errc::invalid_argument, "patron_open: " + field + " is NULL", field);
    }
    out.free_mail_domains.emplace_back(domain);
  }
  if (in.version >= 2) {
    if (in.max_document_bytes <= 0) {
      throw patron::Error(patron::Errc::invalid_argument,
                          "patron_open: max_document_bytes must be positive, not " +
                              std::to_string(in.max_document_bytes),
                          "max_document_bytes");
    }
    out.max_document_bytes = in.max_document_bytes;
  }
  return out;
}

}  // namespace

extern "C" {

void patron_options_init(patron_options* opts) {
  if (opts == nullptr) return;
  *opts = patron_options{};
  opts->version = PATRON_OPTIONS_VERSION;
  opts->default_region = nullptr;
  opts->synchronous_full = 0;
  opts->busy_timeout_ms = 5000;
  opts->clock = nullptr;
  opts->clock_ctx = nullptr;
  opts->free_mail_domains = nullptr;
  opts->free_mail_domain_count = 0;
  opts->max_document_bytes = patron::Options{}.max_document_bytes;
}

int patron_open(patron_db** out, const char* path, const patron_options* opts) {
  const patron::capi::Args args(__func__);
  return patron::capi::guard([&]() -> int {
    args.need(out, "out");
    *out = nullptr;
    args.need(path, "path");
    patron::Options options;
    if (opts != nullptr) options = to_options(*opts);
    *out = new patron_db(patron::Database::open(path, std::move(options)));
    return PATRON_OK;
  });
}

void patron_close(patron_db* db) { delete db; }

int patron_schema_version(patron_db* db) {
  const patron::capi::Args args(__func__);
  return patron::capi::guard([&]() -> int { return args.db(db).schema_version(); });
}

int patron_backup(patron_db* db, const char* path, char** out_json) {
  return patron::capi::json_call(out_json, __func__, [&](const patron::capi::Args& a) {
    const std::string p(a.text(path, "path"));
    return patron::json::encode(a.db(db).backup(p));
  });
}

int patron_check(patron_db* db, int quick, char** out_json) {
  return patron::capi::json_call(out_json, __func__, [&](const patron::capi::Args& a) {
    return patron::json::encode(a.db(db).check(quick != 0));
  });
}

int patron_stats(patron_db* db, char** out_json) {
  return patron::capi::json_call(out_json, __func__, [&](const patron::capi::Args& a) {
    return patron::json::encode(a.db(db).stats());
  });
}

}  // extern "C"
