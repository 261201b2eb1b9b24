// The activity timeline as JSON: events, pages, field changes, new events, filters.
#include "json/json_internal.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/bounded_json.hpp"
#include "patron/error.hpp"

namespace patron::json {

using namespace internal;

namespace {

// A JSON value stored as text ("" when none or erased: null).
json opt_json_text(const std::string& text, bool erased) {
  if (erased || text.empty()) return json(nullptr);
  try {
    return detail::parse_bounded_json<json>(text, "details");
  } catch (const Error&) {
    return json(text);  // written before nesting was bounded: handed over as text, never walked
  }
}

NewEvent new_event_from(const json& j, const std::string& prefix) {
  require_object(j, prefix, {"customer", "at", "category", "type", "source", "actor", "action", "summary", "details"});
  NewEvent e;
  e.customer_ref = get_string(j, "customer", path(prefix, "customer"));
  e.at = get_time(j, "at", path(prefix, "at"));
  if (const std::string s = get_string(j, "category", path(prefix, "category")); !s.empty()) {
    e.category = parse_event_category(s, path(prefix, "category"));
  }
  if (const std::string s = get_string(j, "type", path(prefix, "type")); !s.empty()) {
    e.type = parse_event_type(s, path(prefix, "type"));
  }
  if (const std::string s = get_string(j, "source", path(prefix, "source")); !s.empty()) {
    e.source = parse_event_source(s, path(prefix, "source"));
  }
  if (auto it = j.find("actor"); it != j.end() && !it->is_null()) e.actor = get_string(j, "actor", path(prefix, "actor"));
  e.action = get_string(j, "action", path(prefix, "action"));
  e.summary = get_string(j, "summary", path(prefix, "summary"));
  if (auto it = j.find("details"); it != j.end() && !it->is_null()) {
    if (!it->is_object()) bad(path(prefix, "details"), "must be a JSON object");
    e.details = it->dump();
  }
  return e;
}

template <typename T, typename Parse>
std::vector<T> enum_list(const json& j, std::string_view key, Parse parse) {
  std::vector<T> out;
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return out;
  const std::string field(key);
  const auto names = get_strings(*it, field);
  for (std::size_t i = 0; i < names.size(); ++i) out.push_back(parse(names[i], indexed_field(field, i)));
  return out;
}

}  // namespace

namespace internal {

json to_json(const Event& e) {
  return {{"id", e.id},
          {"customer", e.customer ? json(e.customer->str()) : json(nullptr)},
          {"at", format_timestamp(e.at)},
          {"category", to_string(e.category)},
          {"type", to_string(e.type)},
          {"source", to_string(e.source)},
          {"actor", e.actor},
          {"action", e.action},
          {"summary", e.summary},
          {"details", opt_json_text(e.details, e.details_erased)},
          {"details_erased", e.details_erased}};
}

json to_json(const FieldChange& c) {
  return {{"event", c.event},
          {"at", format_timestamp(c.at)},
          {"actor", c.actor},
          {"source", to_string(c.source)},
          {"field", c.field},
          {"old", opt_json_text(c.old_value, c.erased)},
          {"new", opt_json_text(c.new_value, c.erased)},
          {"erased", c.erased}};
}

}  // namespace internal

std::string encode(const Event& event) { return to_json(event).dump(); }
std::string encode(const std::vector<Event>& events) { return encode_list(events); }
std::string encode(const EventPage& page) {
  json events = json::array();
  for (const auto& e : page.events) events.push_back(to_json(e));
  return json{{"events", std::move(events)}, {"next", page.next ? json(*page.next) : json(nullptr)}}.dump();
}
std::string encode(const FieldChange& change) { return to_json(change).dump(); }
std::string encode(const std::vector<FieldChange>& changes) { return encode_list(changes); }

NewEvent decode_new_event(std::string_view text) { return new_event_from(parse_json(text), ""); }

std::vector<NewEvent> decode_new_events(std::string_view text) {
  const json j = parse_json(text);
  if (!j.is_array()) bad("json", "must be a JSON array of event objects");
  std::vector<NewEvent> out;
  out.reserve(j.size());
  for (std::size_t i = 0; i < j.size(); ++i) out.push_back(new_event_from(j[i], indexed_field("", i)));
  return out;
}

TimelineFilter decode_timeline_filter(std::string_view text) {
  TimelineFilter f;
  if (text.empty()) return f;
  const json j = parse_json(text);
  require_object(j, "", {"categories", "types", "sources", "from", "until", "actor", "text"});
  f.categories = enum_list<EventCategory>(
      j, "categories", [](std::string_view s, const std::string& field) { return parse_event_category(s, field); });
  f.types = enum_list<EventType>(j, "types",
                                 [](std::string_view s, const std::string& field) { return parse_event_type(s, field); });
  f.sources = enum_list<EventSource>(
      j, "sources", [](std::string_view s, const std::string& field) { return parse_event_source(s, field); });
  f.from = get_time(j, "from", "from");
  f.until = get_time(j, "until", "until");
  f.actor = get_string(j, "actor", "actor");
  f.text = get_string(j, "text", "text");
  return f;
}

}  // namespace patron::json
