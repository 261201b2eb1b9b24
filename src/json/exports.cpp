// Exports as JSON: the record an export writes for each customer, the
// options an export takes (C ABI) and its report.
#include <string>

#include "json/json_internal.hpp"

namespace patron::json {

using namespace internal;

namespace internal {

json export_record(const Customer& c, const std::map<std::string, CustomValue>& custom) {
  // The customer document without what is live state (presence) or the
  // database's own (address ids), and with the custom fields.
  const json doc = to_json(c);
  json out = json::object();
  for (const auto& [key, value] : doc.items()) {
    if (key == "presence" || key == "online_until") continue;
    if (key == "created_at") {
      json fields = json::object();
      for (const auto& [k, v] : custom) fields[k] = custom_value_json(v);
      out["custom_fields"] = std::move(fields);
    }
    if (key == "addresses") {
      json addresses = json::array();
      for (const auto& a : value) {
        json kept = json::object();
        for (const auto& [k, v] : a.items()) {
          if (k != "id") kept[k] = v;
        }
        addresses.push_back(std::move(kept));
      }
      out[key] = std::move(addresses);
      continue;
    }
    out[key] = value;
  }
  return out;
}

}  // namespace internal

namespace {

std::string delimiter_name(char c) { return c == '\t' ? std::string("tab") : std::string(1, c); }

}  // namespace

ExportOptions decode_export_options(std::string_view text) {
  ExportOptions o;
  if (text.empty()) return o;
  const json j = parse_json(text);
  require_object(j, "", {"format", "fields", "delimiter", "overwrite", "select"});
  if (const auto f = get_string(j, "format", "format"); !f.empty()) o.format = parse_export_format(f);
  if (j.contains("fields") && !j.at("fields").is_null()) o.fields = get_strings(j.at("fields"), "fields");
  if (const auto d = get_string(j, "delimiter", "delimiter"); !d.empty()) {
    if (d == "tab" || d == "\t") {
      o.delimiter = '\t';
    } else if (d == "," || d == ";") {
      o.delimiter = d[0];
    } else {
      bad("delimiter", "must be one of , ; tab");
    }
  }
  o.overwrite = get_bool(j, "overwrite", "overwrite");
  if (j.contains("select") && !j.at("select").is_null()) {
    const json& s = j.at("select");
    require_object(s, "select", {"customers", "company", "rfm_currency", "rfm_segment", "created_since",
                                 "changed_since"});
    if (s.contains("customers") && !s.at("customers").is_null()) {
      o.select.customers = get_strings(s.at("customers"), "select.customers");
    }
    if (s.contains("company") && !s.at("company").is_null()) {
      o.select.company = int_of(s.at("company"), "select.company");
    }
    o.select.rfm_currency = get_string(s, "rfm_currency", "select.rfm_currency");
    if (const auto seg = get_string(s, "rfm_segment", "select.rfm_segment"); !seg.empty()) {
      o.select.rfm_segment = parse_rfm_segment(seg, "select.rfm_segment");
    }
    o.select.created_since = get_time(s, "created_since", "select.created_since");
    o.select.changed_since = get_time(s, "changed_since", "select.changed_since");
  }
  return o;
}

std::string encode(const ExportReport& r) {
  return json{{"file", r.file},
              {"format", to_string(r.format)},
              {"completed", r.completed},
              {"customers", r.customers},
              {"bytes", r.bytes},
              {"columns", r.columns}}
      .dump();
}

}  // namespace patron::json
