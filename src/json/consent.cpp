// Consent and communication preferences as JSON.
#include "json/json_internal.hpp"

#include <chrono>
#include <string>
#include <vector>

namespace patron::json {

using namespace internal;

namespace internal {

json to_json(const ConsentEntry& e) {
  json out{{"id", e.id},
           {"customer", e.customer.str()},
           {"channel", std::string(to_string(e.channel))},
           {"purpose", e.purpose},
           {"status", std::string(to_string(e.status))},
           {"legal_basis", e.legal_basis ? json(std::string(to_string(*e.legal_basis))) : json(nullptr)},
           {"source", e.source},
           {"text_version", e.text_version},
           {"evidence", e.evidence},
           {"recorded_by", e.recorded_by},
           {"at", format_timestamp(e.at)},
           {"expires_at", opt_time(e.expires_at)},
           {"confirms", opt_id(e.confirms)}};
  if (!e.token.empty()) out["token"] = e.token;
  return out;
}

json to_json(const ConsentState& s) {
  return {{"channel", std::string(to_string(s.channel))},
          {"purpose", s.purpose},
          {"status", std::string(to_string(s.status))},
          {"can_contact", s.can_contact},
          {"entry", s.entry},
          {"since", format_timestamp(s.since)}};
}

json to_json(const ConsentPurpose& p) {
  return {{"name", p.name}, {"description", p.description}, {"opt_out", p.opt_out}, {"built_in", p.built_in}};
}

}  // namespace internal

std::string encode(const ConsentEntry& entry) { return to_json(entry).dump(); }
std::string encode(const std::vector<ConsentEntry>& entries) { return encode_list(entries); }
std::string encode(const std::vector<ConsentState>& states) { return encode_list(states); }
std::string encode(const ConsentPurpose& purpose) { return to_json(purpose).dump(); }
std::string encode(const std::vector<ConsentPurpose>& purposes) { return encode_list(purposes); }

std::string encode(const ReachablePage& page) {
  json ids = json::array();
  for (const auto& id : page.customers) ids.push_back(id.str());
  return json{{"customers", ids}, {"next", page.next.empty() ? json(nullptr) : json(page.next)}}.dump();
}

std::string encode(const ContactPreferences& p) {
  json windows = json::array();
  for (const auto& w : p.windows) {
    json days = json::array();
    for (const Weekday d : w.days) days.push_back(std::string(to_string(d)));
    windows.push_back({{"days", days}, {"from", w.from}, {"to", w.to}});
  }
  return json{{"channel", p.channel ? json(std::string(to_string(*p.channel))) : json(nullptr)},
              {"language", p.language},
              {"time_zone", p.time_zone},
              {"windows", windows}}
      .dump();
}

ConsentGrant decode_consent_grant(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"legal_basis", "source", "text_version", "evidence", "double_opt_in", "valid_for_seconds",
                         "reaffirmed"});
  ConsentGrant g;
  if (const std::string basis = get_string(j, "legal_basis", "legal_basis"); !basis.empty()) {
    g.legal_basis = parse_legal_basis(basis);
  }
  g.source = get_string(j, "source", "source");
  g.text_version = get_string(j, "text_version", "text_version");
  g.evidence = get_string(j, "evidence", "evidence");
  g.double_opt_in = get_bool(j, "double_opt_in", "double_opt_in");
  g.reaffirmed = get_bool(j, "reaffirmed", "reaffirmed");
  g.valid_for = std::chrono::seconds(
      get_int(j, "valid_for_seconds", "valid_for_seconds", static_cast<std::int64_t>(g.valid_for.count())));
  return g;
}

ConsentWithdrawal decode_consent_withdrawal(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"source", "evidence"});
  return {get_string(j, "source", "source"), get_string(j, "evidence", "evidence")};
}

ContactPreferences decode_contact_preferences(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"channel", "language", "time_zone", "windows"});
  ContactPreferences p;
  if (const std::string channel = get_string(j, "channel", "channel"); !channel.empty()) {
    p.channel = parse_channel(channel);
  }
  p.language = get_string(j, "language", "language");
  p.time_zone = get_string(j, "time_zone", "time_zone");
  if (const auto it = j.find("windows"); it != j.end() && !it->is_null()) {
    if (!it->is_array()) bad("windows", "must be an array");
    for (std::size_t i = 0; i < it->size(); ++i) {
      const std::string at = indexed_field("windows", i);
      const json& w = (*it)[i];
      require_object(w, at, {"days", "from", "to"});
      ContactWindow window;
      if (const auto days = w.find("days"); days != w.end()) {
        const auto names = get_strings(*days, path(at, "days"));
        for (std::size_t d = 0; d < names.size(); ++d) {
          window.days.push_back(parse_weekday(names[d], indexed_field(path(at, "days"), d)));
        }
      }
      window.from = get_string(w, "from", path(at, "from"));
      window.to = get_string(w, "to", path(at, "to"));
      p.windows.push_back(std::move(window));
    }
  }
  return p;
}

}  // namespace patron::json
