// Notes through the C ABI: text arguments in, JSON out.
#include <cstdint>
#include <string_view>

#include "capi_internal.hpp"
#include "patron/json.hpp"
#include "patron/notes.hpp"

namespace {

using patron::capi::Args;
using patron::capi::json_call;
using patron::capi::optional_text;
namespace json = patron::json;

}  // namespace

extern "C" {

int patron_note_add(patron_db* db, const char* ref, const char* body, const char* author, int pinned,
                    char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& notes = a.db(db).notes();
    const std::string_view r = a.text(ref, "ref");
    const std::string_view b = a.text(body, "body");
    return json::encode(notes.add(r, b, a.text(author, "author"), pinned != 0));
  });
}

int patron_note_edit(patron_db* db, int64_t id, const char* body, const char* editor, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& notes = a.db(db).notes();
    const std::string_view b = a.text(body, "body");
    return json::encode(notes.edit(id, b, a.text(editor, "editor")));
  });
}

int patron_note_set_pinned(patron_db* db, int64_t id, int pinned, char** out_json) {
  return json_call(out_json, __func__,
                   [&](const Args& a) { return json::encode(a.db(db).notes().set_pinned(id, pinned != 0)); });
}

int patron_note_remove(patron_db* db, int64_t id) {
  const Args args(__func__);
  return patron::capi::guard([&]() -> int {
    args.db(db).notes().remove(id);
    return PATRON_OK;
  });
}

int patron_note_get(patron_db* db, int64_t id, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) { return json::encode(a.db(db).notes().get(id)); });
}

int patron_note_of_customer(patron_db* db, const char* ref, size_t limit, size_t offset, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& notes = a.db(db).notes();
    return json::encode(notes.of_customer(a.text(ref, "ref"), patron::Page{limit, offset}));
  });
}

int patron_note_revisions(patron_db* db, int64_t id, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) { return json::encode(a.db(db).notes().revisions(id)); });
}

int patron_note_search(patron_db* db, const char* query, const char* ref, size_t limit, size_t offset,
                       char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& notes = a.db(db).notes();
    const std::string_view q = a.text(query, "query");
    return json::encode(notes.search(q, optional_text(ref), patron::Page{limit, offset}));
  });
}

}  // extern "C"
