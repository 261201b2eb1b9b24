// Documents through the C ABI: metadata as JSON, bytes as a buffer or a
// file path.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <string_view>

#include "capi_internal.hpp"
#include "patron/documents.hpp"
#include "patron/json.hpp"

namespace {

using patron::capi::Args;
using patron::capi::c_names;
using patron::capi::json_call;
namespace json = patron::json;

// The metadata of a new document; the customer's reference is its "customer".
template <class Attach>
std::string attach_with(patron_db* db, const Args& a, const char* meta_json, Attach&& attach) {
  auto& documents = a.db(db).documents();
  const patron::NewDocument meta = json::decode_new_document(a.text(meta_json, "meta_json"));
  return c_names({{"ref", "customer"}}, [&] { return json::encode(attach(documents, meta)); });
}

}  // namespace

extern "C" {

int patron_document_attach(patron_db* db, const char* meta_json, const void* data, size_t size, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    if (size > 0) a.need(data, "data");
    const std::string_view bytes = size == 0 ? std::string_view() : std::string_view(static_cast<const char*>(data), size);
    return attach_with(db, a, meta_json, [&](patron::Documents& d, const patron::NewDocument& m) {
      return d.attach(m, bytes);
    });
  });
}

int patron_document_attach_file(patron_db* db, const char* meta_json, const char* path, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const std::string file(a.text(path, "path"));
    return attach_with(db, a, meta_json, [&](patron::Documents& d, const patron::NewDocument& m) {
      return d.attach_file(m, file);
    });
  });
}

int patron_document_get(patron_db* db, int64_t id, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) { return json::encode(a.db(db).documents().get(id)); });
}

int patron_document_of_customer(patron_db* db, const char* ref, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& documents = a.db(db).documents();
    return json::encode(documents.of_customer(a.text(ref, "ref")));
  });
}

int patron_document_read(patron_db* db, int64_t id, void** out_data, size_t* out_size) {
  const Args args(__func__);
  return patron::capi::guard([&]() -> int {
    args.need(out_data, "out_data");
    *out_data = nullptr;
    args.need(out_size, "out_size");
    *out_size = 0;
    const std::string bytes = args.db(db).documents().read(id);
    void* p = std::malloc(bytes.empty() ? 1 : bytes.size());  // never NULL on success
    if (p == nullptr) throw std::bad_alloc();
    if (!bytes.empty()) std::memcpy(p, bytes.data(), bytes.size());
    *out_data = p;
    *out_size = bytes.size();
    return PATRON_OK;
  });
}

int patron_document_read_to_file(patron_db* db, int64_t id, const char* path, int64_t* out_size) {
  const Args args(__func__);
  return patron::capi::guard([&]() -> int {
    args.need(out_size, "out_size");
    *out_size = 0;
    const std::string file(args.text(path, "path"));
    *out_size = args.db(db).documents().read_to_file(id, file);
    return PATRON_OK;
  });
}

int patron_document_remove(patron_db* db, int64_t id) {
  const Args args(__func__);
  return patron::capi::guard([&]() -> int {
    args.db(db).documents().remove(id);
    return PATRON_OK;
  });
}

}  // extern "C"
