// The readers and writers every area of patron::json uses (json_internal.hpp).
#include "json/json_internal.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/bounded_json.hpp"
#include "patron/error.hpp"

namespace patron::json::internal {

constexpr std::int64_t kMaxInt = std::numeric_limits<std::int64_t>::max();

json opt_time(const std::optional<Timestamp>& t) { return t ? json(format_timestamp(*t)) : json(nullptr); }
json opt_id(const std::optional<std::int64_t>& id) { return id ? json(*id) : json(nullptr); }

[[noreturn]] void bad(const std::string& field, const std::string& rule) {
  throw Error(Errc::invalid_argument, (field.empty() ? std::string("json") : field) + ": " + rule,
              field.empty() ? "json" : field);
}

json parse_json(std::string_view text) { return detail::parse_bounded_json<json>(text, ""); }

std::string path(std::string_view prefix, std::string_view key) {
  if (prefix.empty()) return std::string(key);
  return std::string(prefix) + "." + std::string(key);
}

void require_object(const json& j, const std::string& field, std::initializer_list<std::string_view> allowed) {
  if (!j.is_object()) bad(field, "must be a JSON object");
  for (const auto& [key, value] : j.items()) {
    bool known = false;
    for (auto a : allowed) known = known || key == a;
    if (!known) bad(path(field, key), "unknown field");
  }
}

std::string get_string(const json& j, std::string_view key, const std::string& field) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return {};
  if (!it->is_string()) bad(field, "must be a string");
  return it->get<std::string>();
}

bool get_bool(const json& j, std::string_view key, const std::string& field) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return false;
  if (!it->is_boolean()) bad(field, "must be true or false");
  return it->get<bool>();
}

std::vector<std::string> get_strings(const json& j, const std::string& field) {
  if (!j.is_array()) bad(field, "must be an array of strings");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < j.size(); ++i) {
    if (!j[i].is_string()) bad(indexed_field(field, i), "must be a string");
    out.push_back(j[i].get<std::string>());
  }
  return out;
}

std::size_t get_count(const json& j, std::string_view key, std::size_t fallback) {
  const std::int64_t v = get_int(j, key, std::string(key), static_cast<std::int64_t>(fallback));
  if (v < 0) bad(std::string(key), "must not be negative");
  return static_cast<std::size_t>(v);
}

std::int64_t int_of(const json& j, const std::string& field) {
  if (j.is_number_unsigned() && j.get<std::uint64_t>() > static_cast<std::uint64_t>(kMaxInt)) {
    bad(field, "must be an integer below 2^63");
  }
  return j.get<std::int64_t>();
}

std::int64_t get_int(const json& j, std::string_view key, const std::string& field, std::int64_t fallback) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return fallback;
  if (!it->is_number_integer()) bad(field, "must be an integer");
  return int_of(*it, field);
}

std::optional<Timestamp> get_time(const json& j, std::string_view key, const std::string& field) {
  const std::string s = get_string(j, key, field);
  if (s.empty()) return std::nullopt;
  return parse_timestamp(s, field);
}

double get_number(const json& j, std::string_view key, const std::string& field, double fallback) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return fallback;
  if (!it->is_number()) bad(field, "must be a number");
  return it->get<double>();
}

json opt_text(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

}  // namespace patron::json::internal
