// The one way patron parses JSON text that comes from outside (C ABI
// records, event details, stored details read back): nesting is bounded, so
// no document can exhaust a thread's stack when it is later read, copied or
// dumped (those walks recurse); and a number the parser cannot hold (1e400)
// is refused naming where it stands. Every refusal is
// Error(invalid_argument) naming `field` and the path inside the document
// ("details.a.b[2]").
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "patron/error.hpp"

namespace patron::detail {

// Objects and arrays nested deeper than this are refused: deep enough for any
// record or host details, shallow enough for a 64 KiB thread stack to walk.
inline constexpr std::size_t kMaxJsonDepth = 64;

// Parses `text` (any JSON value) with nesting at most kMaxJsonDepth.
template <typename Json>
Json parse_bounded_json(std::string_view text, std::string_view field) {
  struct Level {
    bool array = false;
    std::size_t index = 0;  // in an array: the element being read
    std::string key{};      // in an object: the member being read
  };
  std::vector<Level> levels;
  const auto where = [&] {
    std::string out(field);
    for (const auto& l : levels) {
      if (l.array) {
        out += '[' + std::to_string(l.index) + ']';
      } else if (!l.key.empty()) {
        out += (out.empty() ? "" : ".") + l.key;
      }
    }
    return out;
  };
  const auto refuse = [&](const std::string& rule) -> void {
    const std::string at = where().empty() ? std::string("json") : where();
    throw Error(Errc::invalid_argument, at + ": " + rule, at);
  };
  using Event = typename Json::parse_event_t;
  const auto callback = [&](int, Event event, Json& parsed) {
    switch (event) {
      case Event::object_start:
      case Event::array_start:
        if (levels.size() >= kMaxJsonDepth) {
          refuse("nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
        }
        levels.push_back(Level{event == Event::array_start, 0, {}});
        break;
      case Event::key:
        levels.back().key = parsed.template get<std::string>();
        break;
      case Event::object_end:
      case Event::array_end:
        levels.pop_back();
        if (!levels.empty() && levels.back().array) ++levels.back().index;
        break;
      case Event::value:
        if (!levels.empty() && levels.back().array) ++levels.back().index;
        break;
    }
    return true;
  };
  try {
    return Json::parse(text.begin(), text.end(), callback);
  } catch (const typename Json::parse_error& e) {
    // nlohmann's message, without its "[json.exception.parse_error.101] " tag.
    std::string_view what = e.what();
    if (const auto end = what.find("] "); end != std::string_view::npos) what.remove_prefix(end + 2);
    levels.clear();
    refuse("not valid JSON (" + std::string(what) + ")");
  } catch (const typename Json::out_of_range&) {
    refuse("number out of range (a JSON number must fit a 64-bit float or integer)");
  }
  return Json();  // not reached: refuse() throws
}

}  // namespace patron::detail
