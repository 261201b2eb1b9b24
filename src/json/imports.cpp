// Imports as JSON: the options an import takes (C ABI), mapping files (JSON
// or TOML, read with toml++) and the report.
#include <toml++/toml.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "json/json_internal.hpp"
#include "text/text.hpp"

namespace patron::json {

using namespace internal;

namespace {

constexpr std::size_t kMaxMappingFile = 1024 * 1024;

ImportMapping mapping_from(const json& j, const std::string& field) {
  require_object(j, field, {"columns", "policy", "fill_blanks", "overwrite"});
  ImportMapping m;
  if (j.contains("columns") && !j.at("columns").is_null()) {
    const json& columns = j.at("columns");
    const std::string f = path(field, "columns");
    if (!columns.is_object()) bad(f, "must be an object of column: field");
    for (const auto& [column, target] : columns.items()) {
      if (!target.is_string()) bad(path(f, column), "must be a string");
      m.columns.emplace(column, target.get<std::string>());
    }
  }
  const std::string policy = get_string(j, "policy", path(field, "policy"));
  if (!policy.empty()) m.default_policy = parse_field_policy(policy, path(field, "policy"));
  for (const auto& [key, p] : {std::pair{"fill_blanks", FieldPolicy::fill_blanks},
                              std::pair{"overwrite", FieldPolicy::overwrite}}) {
    if (!j.contains(key) || j.at(key).is_null()) continue;
    for (auto& target : get_strings(j.at(key), path(field, key))) m.policies[target] = p;
  }
  return m;
}

// A TOML document as the JSON a mapping reads (strings, arrays, tables).
json from_toml(const toml::node& node, const std::string& field, std::size_t depth) {
  if (depth > 8) bad(field, "nested too deep");
  if (const auto* t = node.as_table()) {
    json out = json::object();
    for (const auto& [key, value] : *t) {
      const std::string k(key.str());
      out[k] = from_toml(value, path(field, k), depth + 1);
    }
    return out;
  }
  if (const auto* a = node.as_array()) {
    json out = json::array();
    for (std::size_t i = 0; i < a->size(); ++i) out.push_back(from_toml(*a->get(i), indexed_field(field, i), depth + 1));
    return out;
  }
  if (const auto s = node.value<std::string>()) return *s;
  bad(field, "must be text, a list or a table");
}

std::string char_name(char c) {
  if (c == 0) return "";
  if (c == '\t') return "tab";
  return std::string(1, c);
}

json to_json(const RejectedRow& r) {
  return {{"line", r.line}, {"field", r.field}, {"code", errc_name(r.code)}, {"message", r.message}};
}
json to_json(const SameAsRow& r) {
  return {{"line", r.line}, {"earlier_line", r.earlier_line}, {"customer", r.customer.str()}};
}
json to_json(const PossibleDuplicateRow& r) {
  return {{"line", r.line},
          {"customer", r.customer ? json(r.customer->str()) : json()},
          {"resembles", r.resembles.str()},
          {"probability", r.probability}};
}

template <typename T>
json list_of(const std::vector<T>& rows) {
  json out = json::array();
  for (const auto& r : rows) out.push_back(to_json(r));
  return out;
}

}  // namespace

ImportOptions decode_import_options(std::string_view text) {
  ImportOptions o;
  if (text.empty()) return o;
  const json j = parse_json(text);
  require_object(j, "", {"mapping", "mapping_file", "format", "encoding", "delimiter", "mode", "duplicates",
                         "duplicate_probability", "date_order", "dry_run", "rejects", "batch_size", "max_listed",
                         "by"});
  if (j.contains("mapping") && !j.at("mapping").is_null()) {
    if (j.contains("mapping_file")) bad("mapping_file", "give mapping or mapping_file, not both");
    o.mapping = mapping_from(j.at("mapping"), "mapping");
  }
  if (const std::string file = get_string(j, "mapping_file", "mapping_file"); !file.empty()) {
    o.mapping = ImportMapping::load(file);
  }
  if (const auto f = get_string(j, "format", "format"); !f.empty()) o.format = parse_import_format(f);
  o.encoding = get_string(j, "encoding", "encoding");
  if (const auto d = get_string(j, "delimiter", "delimiter"); !d.empty()) {
    if (d == "tab" || d == "\t") {
      o.delimiter = '\t';
    } else if (d == "," || d == ";" || d == "|") {
      o.delimiter = d[0];
    } else {
      bad("delimiter", "must be one of , ; | tab");
    }
  }
  if (const auto m = get_string(j, "mode", "mode"); !m.empty()) o.mode = parse_import_mode(m);
  if (const auto d = get_string(j, "duplicates", "duplicates"); !d.empty()) o.duplicates = parse_duplicate_check(d);
  o.duplicate_probability = get_number(j, "duplicate_probability", "duplicate_probability", o.duplicate_probability);
  if (const auto d = get_string(j, "date_order", "date_order"); !d.empty()) o.date_order = parse_date_order(d);
  o.dry_run = get_bool(j, "dry_run", "dry_run");
  o.rejects = get_string(j, "rejects", "rejects");
  o.batch_size = get_count(j, "batch_size", o.batch_size);
  o.max_listed = get_count(j, "max_listed", o.max_listed);
  if (j.contains("by") && !j.at("by").is_null()) o.by = get_string(j, "by", "by");
  return o;
}

std::string encode(const ImportReport& r) {
  json columns = json::object();
  for (const auto& [column, target] : r.columns) columns[column] = target;
  return json{{"file", r.file},
              {"format", to_string(r.format)},
              {"encoding", r.encoding},
              {"delimiter", char_name(r.delimiter)},
              {"dry_run", r.dry_run},
              {"completed", r.completed},
              {"resumed_after", r.resumed_after},
              {"rows", r.rows},
              {"created", r.created},
              {"updated", r.updated},
              {"unchanged", r.unchanged},
              {"rejected", r.rejected},
              {"same_as_earlier_line", r.same_as_earlier_line},
              {"possible_duplicates", r.possible_duplicates},
              {"columns", columns},
              {"unknown_columns", r.unknown_columns},
              {"rejected_rows", list_of(r.rejected_rows)},
              {"same_as_rows", list_of(r.same_as_rows)},
              {"possible_duplicate_rows", list_of(r.possible_duplicate_rows)}}
      .dump();
}

}  // namespace patron::json

namespace patron {

ImportMapping ImportMapping::load(const std::string& file) {
  using json::internal::bad;
  const auto dot = file.rfind('.');
  const std::string ext = dot == std::string::npos ? "" : text::lower(file.substr(dot + 1));
  if (ext != "json" && ext != "toml") bad("mapping", "a mapping file's name ends in .json or .toml");
  std::error_code ec;
  const auto status = std::filesystem::status(file, ec);
  if (ec || !std::filesystem::exists(status)) {
    throw Error(Errc::not_found, "mapping: cannot open " + text::printable(file), "mapping");
  }
  if (!std::filesystem::is_regular_file(status)) bad("mapping", "not a regular file");
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(Errc::not_found, "mapping: cannot open " + text::printable(file), "mapping");
  // Read at most one byte past the limit: a larger file is refused, never held.
  std::string content(json::kMaxMappingFile + 1, '\0');
  in.read(content.data(), static_cast<std::streamsize>(content.size()));
  content.resize(static_cast<std::size_t>(in.gcount()));
  if (content.size() > json::kMaxMappingFile) bad("mapping", "a mapping file is at most 1 MiB");
  if (ext == "json") return json::mapping_from(json::internal::parse_json(content), "mapping");
  toml::table table;
  try {
    table = toml::parse(content, file);
  } catch (const toml::parse_error& e) {
    bad("mapping", "not TOML: line " + std::to_string(e.source().begin.line) + ": " + std::string(e.description()));
  }
  return json::mapping_from(json::from_toml(table, "mapping", 0), "mapping");
}

}  // namespace patron
