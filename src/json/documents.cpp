// Documents as JSON.
#include "json/json_internal.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace patron::json {

using namespace internal;

namespace internal {

json to_json(const Document& d) {
  return {{"id", d.id},
          {"customer", d.customer.str()},
          {"name", d.name},
          {"media_type", d.media_type},
          {"kind", to_string(d.kind)},
          {"size", d.size},
          {"sha256", d.sha256},
          {"created_at", format_timestamp(d.created_at)}};
}

}  // namespace internal

std::string encode(const Document& document) { return to_json(document).dump(); }
std::string encode(const std::vector<Document>& documents) { return encode_list(documents); }

NewDocument decode_new_document(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"customer", "name", "media_type", "kind"});
  NewDocument d;
  d.customer_ref = get_string(j, "customer", "customer");
  d.name = get_string(j, "name", "name");
  d.media_type = get_string(j, "media_type", "media_type");
  if (const std::string kind = get_string(j, "kind", "kind"); !kind.empty()) d.kind = parse_document_kind(kind, "kind");
  return d;
}

}  // namespace patron::json
