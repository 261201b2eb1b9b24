// Notes, revisions and search hits as JSON.
#include "json/json_internal.hpp"

#include <string>
#include <vector>

namespace patron::json {

using namespace internal;

namespace internal {

json to_json(const Note& n) {
  return {{"id", n.id},
          {"customer", n.customer.str()},
          {"body", n.body},
          {"author", n.author},
          {"pinned", n.pinned},
          {"mentions", n.mentions},
          {"created_at", format_timestamp(n.created_at)},
          {"edited_at", opt_time(n.edited_at)},
          {"revisions", n.revisions}};
}

json to_json(const NoteRevision& r) {
  return {{"note", r.note},
          {"number", r.number},
          {"body", r.body},
          {"author", r.author},
          {"written_at", format_timestamp(r.written_at)},
          {"replaced_at", format_timestamp(r.replaced_at)}};
}

json to_json(const NoteHit& h) { return {{"note", to_json(h.note)}, {"snippet", h.snippet}, {"rank", h.rank}}; }

}  // namespace internal

std::string encode(const Note& note) { return to_json(note).dump(); }
std::string encode(const std::vector<Note>& notes) { return encode_list(notes); }
std::string encode(const NoteRevision& revision) { return to_json(revision).dump(); }
std::string encode(const std::vector<NoteRevision>& revisions) { return encode_list(revisions); }
std::string encode(const NoteHit& hit) { return to_json(hit).dump(); }
std::string encode(const std::vector<NoteHit>& hits) { return encode_list(hits); }

}  // namespace patron::json
