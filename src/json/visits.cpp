// Visits as JSON.
#include "json/json_internal.hpp"

#include <string>
#include <vector>

namespace patron::json {

using namespace internal;

namespace internal {

json to_json(const Visit& v) {
  return {{"id", v.id},
          {"customer", v.customer.str()},
          {"place", v.place},
          {"credential", opt_id(v.credential)},
          {"at", format_timestamp(v.at)}};
}

}  // namespace internal

std::string encode(const Visit& visit) { return to_json(visit).dump(); }
std::string encode(const std::vector<Visit>& visits) { return encode_list(visits); }

}  // namespace patron::json
