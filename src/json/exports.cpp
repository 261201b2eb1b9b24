// Exports as JSON: the record an export writes for each customer, the
// options an export takes (C ABI) and its report.
#include <functional>
#include <string>
#include <type_traits>
#include <variant>

#include "json/json_internal.hpp"

namespace patron::json {

using namespace internal;

namespace internal {

namespace {

// A custom value, as the record's JSON holds it.
void put_custom(RecordSink& sink, std::string_view key, const CustomValue& value) {
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string>) {
          sink.text(key, v);
        } else if constexpr (std::is_same_v<T, double>) {
          sink.raw(key, json(v).dump());
        } else if constexpr (std::is_same_v<T, Date>) {
          sink.text(key, format_date(v));
        } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
          sink.open(key, true);
          for (const auto& option : v) sink.text({}, option);
          sink.close(true);
        } else if constexpr (std::is_same_v<T, bool>) {
          sink.boolean(key, v);
        } else {
          sink.raw(key, std::to_string(v));
        }
      },
      value);
}

void put_time(RecordSink& sink, std::string_view key, const std::optional<Timestamp>& t) {
  if (t) {
    sink.text(key, format_timestamp(*t));
  } else {
    sink.null(key);
  }
}

}  // namespace

void walk_export_record(const Customer& c, const std::map<std::string, CustomValue>& custom,
                        const std::function<bool(std::string_view)>& wanted, RecordSink& sink) {
  const auto want = [&](std::string_view key) { return !wanted || wanted(key); };
  sink.open({}, false);
  if (want("id")) sink.text("id", c.id.str());
  if (want("number")) sink.text("number", c.number);
  if (want("title")) sink.text("title", c.title);
  if (want("first_name")) sink.text("first_name", c.first_name);
  if (want("last_name")) sink.text("last_name", c.last_name);
  if (want("date_of_birth")) {
    if (c.date_of_birth) {
      sink.text("date_of_birth", format_date(*c.date_of_birth));
    } else {
      sink.null("date_of_birth");
    }
  }
  if (want("lifecycle_stage")) sink.text("lifecycle_stage", c.lifecycle_stage);
  if (want("tags")) {
    sink.open("tags", true);
    for (const auto& t : c.tags) sink.text({}, t);
    sink.close(true);
  }
  if (want("emails")) {
    sink.open("emails", true);
    for (const auto& e : c.emails) {
      sink.open({}, false);
      sink.text("address", e.address);
      sink.boolean("primary", e.primary);
      sink.close(false);
    }
    sink.close(true);
  }
  if (want("phones")) {
    sink.open("phones", true);
    for (const auto& p : c.phones) {
      sink.open({}, false);
      sink.text("number", p.number);
      sink.text("label", to_string(p.label));
      sink.boolean("verified", p.verified);
      sink.close(false);
    }
    sink.close(true);
  }
  if (want("addresses")) {
    sink.open("addresses", true);
    for (const auto& a : c.addresses) {
      sink.open({}, false);
      sink.text("purpose", to_string(a.purpose));
      sink.text("line1", a.line1);
      sink.text("line2", a.line2);
      sink.text("city", a.city);
      sink.text("region", a.region);
      sink.text("postal_code", a.postal_code);
      sink.text("country", a.country);
      sink.boolean("is_default", a.is_default);
      sink.close(false);
    }
    sink.close(true);
  }
  if (want("emergency_contact")) {
    if (c.emergency_contact) {
      sink.open("emergency_contact", false);
      sink.text("name", c.emergency_contact->name);
      sink.text("phone", c.emergency_contact->phone);
      sink.close(false);
    } else {
      sink.null("emergency_contact");
    }
  }
  if (want("status")) sink.text("status", to_string(c.status));
  if (want("ban")) {
    if (c.ban) {
      sink.open("ban", false);
      sink.text("reason", c.ban->reason);
      sink.text("by", c.ban->by);
      sink.text("at", format_timestamp(c.ban->at));
      sink.close(false);
    } else {
      sink.null("ban");
    }
  }
  if (want("custom_fields")) {
    sink.open("custom_fields", false);
    for (const auto& [key, value] : custom) put_custom(sink, key, value);
    sink.close(false);
  }
  if (want("created_at")) sink.text("created_at", format_timestamp(c.created_at));
  if (want("updated_at")) sink.text("updated_at", format_timestamp(c.updated_at));
  if (want("first_active_at")) put_time(sink, "first_active_at", c.first_active_at);
  if (want("last_active_at")) put_time(sink, "last_active_at", c.last_active_at);
  sink.close(false);
}

void JsonLineSink::member(std::string_view key) {
  if (!first_.empty()) {
    if (!first_.back()) out_ += ',';
    first_.back() = false;
  }
  if (!key.empty()) {
    quoted(key);
    out_ += ':';
  }
}

void JsonLineSink::quoted(std::string_view s) {
  // As nlohmann::json writes a string: the two escapes JSON requires, the
  // short forms, backslash-u00xx for the other control characters, UTF-8 as it is.
  static constexpr char kHex[] = "0123456789abcdef";
  out_ += '"';
  std::size_t plain = 0;  // start of the run of characters written as they are
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto u = static_cast<unsigned char>(s[i]);
    if (u >= 0x20 && u != '"' && u != '\\') continue;
    out_.append(s.data() + plain, i - plain);
    plain = i + 1;
    switch (s[i]) {
      case '"': out_ += "\\\""; break;
      case '\\': out_ += "\\\\"; break;
      case '\b': out_ += "\\b"; break;
      case '\f': out_ += "\\f"; break;
      case '\n': out_ += "\\n"; break;
      case '\r': out_ += "\\r"; break;
      case '\t': out_ += "\\t"; break;
      default:
        out_ += "\\u00";
        out_ += kHex[u >> 4];
        out_ += kHex[u & 15];
    }
  }
  out_.append(s.data() + plain, s.size() - plain);
  out_ += '"';
}

void JsonLineSink::open(std::string_view key, bool array) {
  member(key);
  out_ += array ? '[' : '{';
  first_.push_back(true);
}
void JsonLineSink::close(bool array) {
  first_.pop_back();
  out_ += array ? ']' : '}';
}
void JsonLineSink::text(std::string_view key, std::string_view value) {
  member(key);
  quoted(value);
}
void JsonLineSink::boolean(std::string_view key, bool value) {
  member(key);
  out_ += value ? "true" : "false";
}
void JsonLineSink::null(std::string_view key) {
  member(key);
  out_ += "null";
}
void JsonLineSink::raw(std::string_view key, std::string_view json_text) {
  member(key);
  out_ += json_text;
}

}  // namespace internal

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
