// Notes and documents, bound for Python:
//   db.notes.add(ana, "Prefers the window table", author="jane")  -> Note
//   db.notes.edit(note, "...", editor="bo")                        -> Note (the old body kept as a revision)
//   db.notes.search("window", customer=ana)                        -> [NoteHit]
//   db.documents.attach(ana, "waiver.pdf", data, media_type=...)   -> Document
//   db.documents.attach_file(ana, path)                            -> Document (streamed)
//   db.documents.read(doc)                                         -> bytes
// The rules of module.cpp hold here too (binding.hpp). Document bytes are
// any bytes-like object in and bytes out; paths are str, bytes or
// os.PathLike.
#include <pybind11/pybind11.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>

#include "binding.hpp"
#include "convert.hpp"
#include "patron/documents.hpp"
#include "patron/notes.hpp"

namespace patron::python {
namespace {

// A note named by its id (an int) or by a Note snapshot.
std::int64_t note_arg(py::handle value) {
  if (py::isinstance<patron::Note>(value)) return value.cast<const patron::Note&>().id;
  return integer(value, "id");
}

// A document named by its id (an int) or by a Document snapshot.
std::int64_t document_arg(py::handle value) {
  if (py::isinstance<patron::Document>(value)) return value.cast<const patron::Document&>().id;
  return integer(value, "id");
}

// A bytes-like object (bytes, bytearray, memoryview, ...) copied out, so
// that the GIL can be released while the database writes it.
std::string bytes_arg(py::handle value, const char* field) {
  if (PyUnicode_Check(value.ptr()) || PyObject_CheckBuffer(value.ptr()) == 0) {
    throw py::type_error(std::string(field) + " must be bytes-like (bytes, bytearray, memoryview), not " +
                         Py_TYPE(value.ptr())->tp_name);
  }
  Py_buffer view;
  if (PyObject_GetBuffer(value.ptr(), &view, PyBUF_C_CONTIGUOUS) != 0) throw py::error_already_set();
  std::string out(static_cast<const char*>(view.buf), static_cast<std::size_t>(view.len));
  PyBuffer_Release(&view);
  return out;
}

void bind_note_values(py::module_& m) {
  py::class_<patron::Note> note(
      m, "Note",
      "A read-only snapshot of a note on a customer: the body (Markdown), who wrote it, whether it is pinned, "
      "the @mentions in it, when it was created and last edited, and how many earlier bodies are kept.");
  note.def_property_readonly("id", [](const Note& n) { return n.id; })
      .def_property_readonly("customer", [](const Note& n) { return str(n.customer.str()); })
      .def_property_readonly("body", [](const Note& n) { return str(n.body); })
      .def_property_readonly("author", [](const Note& n) { return str(n.author); })
      .def_property_readonly("pinned", [](const Note& n) { return n.pinned; })
      .def_property_readonly("mentions", [](const Note& n) { return text_list_out(n.mentions); })
      .def_property_readonly("created_at", [](const Note& n) { return datetime(n.created_at); })
      .def_property_readonly("edited_at", [](const Note& n) { return datetime(n.edited_at); })
      .def_property_readonly("revisions", [](const Note& n) { return n.revisions; })
      .def("__repr__", [](const Note& n) {
        return "<patron.Note " + std::to_string(n.id) + " customer=" + n.customer.str() +
               " author=" + repr_of(n.author) + (n.pinned ? " pinned" : "") + ">";
      });
  bind_json_forms<Note>(note);

  py::class_<patron::NoteRevision> revision(
      m, "NoteRevision", "An earlier body of a note: its number (1 = the first), who wrote it, when, and when an "
                         "edit replaced it.");
  revision.def_property_readonly("note", [](const NoteRevision& r) { return r.note; })
      .def_property_readonly("number", [](const NoteRevision& r) { return r.number; })
      .def_property_readonly("body", [](const NoteRevision& r) { return str(r.body); })
      .def_property_readonly("author", [](const NoteRevision& r) { return str(r.author); })
      .def_property_readonly("written_at", [](const NoteRevision& r) { return datetime(r.written_at); })
      .def_property_readonly("replaced_at", [](const NoteRevision& r) { return datetime(r.replaced_at); })
      .def("__repr__", [](const NoteRevision& r) {
        return "<patron.NoteRevision note=" + std::to_string(r.note) + " number=" + std::to_string(r.number) + ">";
      });
  bind_json_value<NoteRevision>(revision);

  py::class_<patron::NoteHit> hit(
      m, "NoteHit",
      "A search hit: the note, a snippet around the matches (in [brackets], '…' where cut) and the bm25 rank "
      "(lower is better).");
  hit.def_property_readonly("note", [](const NoteHit& h) { return py::cast(h.note); })
      .def_property_readonly("snippet", [](const NoteHit& h) { return str(h.snippet); })
      .def_property_readonly("rank", [](const NoteHit& h) { return h.rank; })
      .def("__repr__", [](const NoteHit& h) {
        return "<patron.NoteHit note=" + std::to_string(h.note.id) + " snippet=" + repr_of(h.snippet) + ">";
      });
  bind_json_value<NoteHit>(hit);
}

void bind_notes_service(py::module_& m) {
  py::class_<PyNotes> cls(m, "Notes",
                          "Notes on customers, with revisions and full-text search (db.notes). Every change is "
                          "atomic, returns the note as it now is and records its event.");
  using N = PyNotes;

  cls.def(
      "add",
      [](N& self, py::handle ref, py::handle body, py::handle author, py::handle pinned) {
        const std::string r = ref_arg(ref);
        const std::string b = text(body, "body");
        const std::string a = text(author, "author");
        const bool p = boolean(pinned, "pinned");
        return service_call(*self.connection, {}, [&](patron::Database& db) { return db.notes().add(r, b, a, p); });
      },
      py::arg("ref"), py::arg("body"), py::kw_only(), py::arg("author"), py::arg("pinned") = false,
      "add(ref, body, *, author, pinned=False) -> Note. @mentions in the body are extracted.");

  cls.def(
      "edit",
      [](N& self, py::handle id, py::handle body, py::handle editor) {
        const std::int64_t i = note_arg(id);
        const std::string b = text(body, "body");
        const std::string e = text(editor, "editor");
        return service_call(*self.connection, {}, [&](patron::Database& db) { return db.notes().edit(i, b, e); });
      },
      py::arg("id"), py::arg("body"), py::kw_only(), py::arg("editor"),
      "Replaces the body, keeping the old one as a revision; the editor becomes the author. An unchanged body "
      "changes nothing. Returns the Note.");

  cls.def(
      "set_pinned",
      [](N& self, py::handle id, py::handle pinned) {
        const std::int64_t i = note_arg(id);
        const bool p = boolean(pinned, "pinned");
        return service_call(*self.connection, {}, [&](patron::Database& db) { return db.notes().set_pinned(i, p); });
      },
      py::arg("id"), py::arg("pinned"), "Pins or unpins the note; returns the Note.");

  cls.def(
      "remove",
      [](N& self, py::handle id) {
        const std::int64_t i = note_arg(id);
        service_call(*self.connection, {}, [&](patron::Database& db) { db.notes().remove(i); });
      },
      py::arg("id"), "Removes the note and its revisions (the timeline keeps that it existed).");

  cls.def(
      "get",
      [](N& self, py::handle id) {
        const std::int64_t i = note_arg(id);
        return service_call(*self.connection, {}, [&](patron::Database& db) { return db.notes().get(i); });
      },
      py::arg("id"), "The note with that id; raises NotFoundError (field 'id') when there is none.");

  cls.def(
      "of_customer",
      [](N& self, py::handle ref, py::handle limit, py::handle offset) {
        const std::string r = ref_arg(ref);
        const patron::Page page = page_arg(limit, offset);
        return object_list(
            service_call(*self.connection, {}, [&](patron::Database& db) { return db.notes().of_customer(r, page); }));
      },
      py::arg("ref"), py::kw_only(), py::arg("limit") = 50, py::arg("offset") = 0,
      "The customer's notes, pinned first, then newest first.");

  cls.def(
      "revisions",
      [](N& self, py::handle id) {
        const std::int64_t i = note_arg(id);
        return object_list(
            service_call(*self.connection, {}, [&](patron::Database& db) { return db.notes().revisions(i); }));
      },
      py::arg("id"), "The note's earlier bodies, oldest first: [NoteRevision].");

  cls.def(
      "search",
      [](N& self, py::handle query, py::handle customer, py::handle limit, py::handle offset) {
        const std::string q = text(query, "query");
        const std::string r = customer.is_none() ? std::string() : ref_arg(customer, "customer");
        const patron::Page page = page_arg(limit, offset);
        return object_list(service_call(*self.connection, {{"ref", "customer"}},
                                        [&](patron::Database& db) { return db.notes().search(q, r, page); }));
      },
      py::arg("query"), py::kw_only(), py::arg("customer") = py::none(), py::arg("limit") = 50,
      py::arg("offset") = 0,
      "Full-text search of the notes (of one customer, or of all when customer is None), best first: "
      "[NoteHit]. Words are prefixes, matched ignoring case and accents.");

  cls.def("__repr__", [](const N& self) { return "<patron.Notes of " + repr_of(self.connection->path) + ">"; });
}

void bind_document_values(py::module_& m) {
  py::class_<patron::Document> document(
      m, "Document",
      "A read-only snapshot of a document attached to a customer: its name, media type, kind, size in bytes "
      "and SHA-256. Read the bytes with db.documents.read().");
  document.def_property_readonly("id", [](const Document& d) { return d.id; })
      .def_property_readonly("customer", [](const Document& d) { return str(d.customer.str()); })
      .def_property_readonly("name", [](const Document& d) { return str(d.name); })
      .def_property_readonly("media_type", [](const Document& d) { return str(d.media_type); })
      .def_property_readonly("kind", [](const Document& d) { return str(to_string(d.kind)); })
      .def_property_readonly("size", [](const Document& d) { return d.size; })
      .def_property_readonly("sha256", [](const Document& d) { return str(d.sha256); })
      .def_property_readonly("created_at", [](const Document& d) { return datetime(d.created_at); })
      .def("__repr__", [](const Document& d) {
        return "<patron.Document " + std::to_string(d.id) + " " + repr_of(d.name) + " " + d.media_type + " " +
               std::to_string(d.size) + " bytes customer=" + d.customer.str() + ">";
      });
  bind_json_forms<Document>(document);
}

patron::NewDocument new_document(py::handle ref, std::string name, py::handle media_type, py::handle kind) {
  patron::NewDocument d;
  d.customer_ref = ref_arg(ref);
  d.name = std::move(name);
  d.media_type = optional_text(media_type, "media_type");
  d.kind = patron::parse_document_kind(text(kind, "kind"), "kind");
  return d;
}

void bind_documents_service(py::module_& m) {
  py::class_<PyDocuments> cls(m, "Documents",
                              "Documents attached to customers (db.documents): bytes in and out, or files "
                              "streamed by path. Each call is one transaction.");
  using D = PyDocuments;

  cls.def(
      "attach",
      [](D& self, py::handle ref, py::handle name, py::handle data, py::handle media_type, py::handle kind) {
        const patron::NewDocument meta = new_document(ref, text(name, "name"), media_type, kind);
        const std::string bytes = bytes_arg(data, "data");
        return service_call(*self.connection, {}, [&](patron::Database& db) { return db.documents().attach(meta, bytes); });
      },
      py::arg("ref"), py::arg("name"), py::arg("data"), py::kw_only(), py::arg("media_type") = "",
      py::arg("kind") = "other",
      "attach(ref, name, data, *, media_type='', kind='other') -> Document. `data` is bytes-like; media_type '' "
      "is application/octet-stream.");

  cls.def(
      "attach_file",
      [](D& self, py::handle ref, py::handle file, py::handle name, py::handle media_type, py::handle kind) {
        const std::filesystem::path p(path(file, "path"));
        std::string n;
        if (name.is_none()) {
          const py::module_ os = py::module_::import("os");
          n = text(os.attr("path").attr("basename")(os.attr("fsdecode")(file)), "name");
        } else {
          n = text(name, "name");
        }
        const patron::NewDocument meta = new_document(ref, n, media_type, kind);
        return service_call(*self.connection, {},
                            [&](patron::Database& db) { return db.documents().attach_file(meta, p); });
      },
      py::arg("ref"), py::arg("path"), py::kw_only(), py::arg("name") = py::none(), py::arg("media_type") = "",
      py::arg("kind") = "other",
      "attach_file(ref, path, *, name=None, media_type='', kind='other') -> Document. Streams the file (str or "
      "os.PathLike); name defaults to its base name.");

  cls.def(
      "get",
      [](D& self, py::handle id) {
        const std::int64_t i = document_arg(id);
        return service_call(*self.connection, {}, [&](patron::Database& db) { return db.documents().get(i); });
      },
      py::arg("id"), "The document with that id; raises NotFoundError (field 'id') when there is none.");

  cls.def(
      "of_customer",
      [](D& self, py::handle ref) {
        const std::string r = ref_arg(ref);
        return object_list(
            service_call(*self.connection, {}, [&](patron::Database& db) { return db.documents().of_customer(r); }));
      },
      py::arg("ref"), "The customer's documents, newest first.");

  cls.def(
      "read",
      [](D& self, py::handle id) {
        const std::int64_t i = document_arg(id);
        const std::string bytes =
            service_call(*self.connection, {}, [&](patron::Database& db) { return db.documents().read(i); });
        return py::bytes(bytes);
      },
      py::arg("id"), "The document's exact bytes.");

  cls.def(
      "read_to_file",
      [](D& self, py::handle id, py::handle file) {
        const std::int64_t i = document_arg(id);
        const std::filesystem::path p(path(file, "path"));
        return service_call(*self.connection, {},
                            [&](patron::Database& db) { return db.documents().read_to_file(i, p); });
      },
      py::arg("id"), py::arg("path"),
      "Streams the document's bytes to the file (str or os.PathLike; created or truncated); returns the size.");

  cls.def(
      "remove",
      [](D& self, py::handle id) {
        const std::int64_t i = document_arg(id);
        service_call(*self.connection, {}, [&](patron::Database& db) { db.documents().remove(i); });
      },
      py::arg("id"), "Removes the document.");

  cls.def("__repr__", [](const D& self) { return "<patron.Documents of " + repr_of(self.connection->path) + ">"; });
}

}  // namespace

void bind_notes(py::module_& m) {
  bind_note_values(m);
  bind_notes_service(m);
  bind_document_values(m);
  bind_documents_service(m);
}

}  // namespace patron::python
