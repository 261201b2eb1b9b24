#include "core/match.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>

#include "patron/error.hpp"
#include "text/text.hpp"

namespace patron::match {
namespace {

using nlohmann::json;

std::size_t idx(MatchField f) noexcept { return static_cast<std::size_t>(f); }
std::size_t idx(MatchLevel l) noexcept { return static_cast<std::size_t>(l); }

std::string joined_words(std::string_view text, const char* sep) {
  std::string out;
  for (const auto& w : text::fold_words(text)) {
    if (!out.empty()) out += sep;
    out += w;
  }
  return out;
}

std::string letters_code(const std::string& folded) {
  std::string letters;
  for (char c : folded) {
    if (c >= 'a' && c <= 'z') letters += c;
  }
  return text::nysiis(letters);
}

// Stored form: fields separated by RS (0x1e), list items by US (0x1f),
// address parts by GS (0x1d). No folded or normalised value holds them.
constexpr char kField = '\x1e';
constexpr char kItem = '\x1f';
constexpr char kPart = '\x1d';

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

std::string join(const std::vector<std::string>& items, char sep) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += sep;
    out += items[i];
  }
  return out;
}

std::vector<std::string> items(std::string_view s) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  for (auto v : split(s, kItem)) out.emplace_back(v);
  return out;
}

std::string_view local_part(std::string_view email) {
  const auto at = email.rfind('@');
  return at == std::string_view::npos ? email : email.substr(0, at);
}

// ---- comparisons -----------------------------------------------------------

MatchLevel name_level(const std::string& x, const std::string& y, const std::string& x_other,
                      const std::string& y_other, const std::string& x_code, const std::string& y_code) {
  if (x.empty() || y.empty()) return MatchLevel::missing;
  if (x == y) return MatchLevel::exact;
  const double jw = text::jaro_winkler(x, y);
  if (jw < 0.92 && !x_other.empty() && !y_other.empty() && text::jaro_winkler(x, y_other) >= 0.92 &&
      text::jaro_winkler(x_other, y) >= 0.92) {
    return MatchLevel::swapped;
  }
  // One edit apart counts only for names of four letters or more: "li" and
  // "lu", or two initials, are not one name mistyped.
  if (jw >= 0.92 || (std::min(x.size(), y.size()) >= 4 && text::edit_distance(x, y, 1) <= 1)) {
    return MatchLevel::close;
  }
  if (!x_code.empty() && x_code == y_code) return MatchLevel::phonetic;
  if (jw >= 0.8) return MatchLevel::similar;
  return MatchLevel::different;
}

MatchLevel email_level(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.empty() || b.empty()) return MatchLevel::missing;
  MatchLevel best = MatchLevel::different;
  for (const auto& x : a) {
    for (const auto& y : b) {
      if (x == y) return MatchLevel::exact;
      if (local_part(x) == local_part(y)) {
        best = MatchLevel::same_local_part;
      } else if (best == MatchLevel::different && text::edit_distance(x, y, 1) <= 1) {
        best = MatchLevel::close;
      }
    }
  }
  return best;
}

MatchLevel phone_level(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.empty() || b.empty()) return MatchLevel::missing;
  MatchLevel best = MatchLevel::different;
  for (const auto& x : a) {
    for (const auto& y : b) {
      if (x == y) return MatchLevel::exact;
      if (text::edit_distance(x, y, 1) <= 1) best = MatchLevel::close;
    }
  }
  return best;
}

MatchLevel birth_level(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty()) return MatchLevel::missing;
  if (a == b) return MatchLevel::exact;
  // YYYYMMDD: the same year with month and day swapped.
  if (a.compare(0, 4, b, 0, 4) == 0 && a.compare(4, 2, b, 6, 2) == 0 && a.compare(6, 2, b, 4, 2) == 0) {
    return MatchLevel::transposed;
  }
  int differing = 0;
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) differing += a[i] != b[i];
  return differing == 1 ? MatchLevel::one_digit : MatchLevel::different;
}

// The best level of one address part over every pair of addresses.
template <typename Part, typename Level>
MatchLevel address_level(const std::vector<AddressKey>& a, const std::vector<AddressKey>& b, Part part,
                         Level level) {
  MatchLevel best = MatchLevel::missing;
  for (const auto& x : a) {
    const std::string& px = x.*part;
    if (px.empty()) continue;
    for (const auto& y : b) {
      const std::string& py = y.*part;
      if (py.empty()) continue;
      const MatchLevel l = level(px, py);
      if (best == MatchLevel::missing || idx(l) < idx(best)) best = l;
      if (best == MatchLevel::exact) return best;
    }
  }
  return best;
}

MatchLevel postcode_level(const std::string& x, const std::string& y) {
  if (x == y) return MatchLevel::exact;
  return x.size() >= 4 && text::edit_distance(x, y, 1) <= 1 ? MatchLevel::close : MatchLevel::different;
}

MatchLevel text_level(const std::string& x, const std::string& y) {
  if (x == y) return MatchLevel::exact;
  return text::jaro_winkler(x, y) >= 0.88 ? MatchLevel::close : MatchLevel::different;
}

MatchLevel number_level(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty()) return MatchLevel::missing;
  return a == b ? MatchLevel::exact : MatchLevel::different;
}

// ---- names for the stored model --------------------------------------------

constexpr std::array<std::string_view, kFields> kFieldNames = {
    "first_name", "last_name", "email", "phone", "date_of_birth", "postcode", "street", "city", "number"};
constexpr std::array<std::string_view, kLevels> kLevelNames = {
    "exact",  "swapped",         "close",      "phonetic",  "similar",
    "same_local_part", "transposed", "one_digit", "moved", "different", "missing"};

double clamp_probability(double p) { return std::clamp(p, 1e-9, 1.0 - 1e-9); }

}  // namespace

// ---- records ------------------------------------------------------------------

Record record_of(const Customer& c) {
  Record r;
  r.first = joined_words(c.first_name, " ");
  r.last = joined_words(c.last_name, " ");
  r.first_code = letters_code(r.first);
  r.last_code = letters_code(r.last);
  for (const auto& e : c.emails) r.emails.push_back(e.address);
  for (const auto& p : c.phones) {
    if (p.verified) r.phones.push_back(p.number);
  }
  std::sort(r.phones.begin(), r.phones.end());
  r.phones.erase(std::unique(r.phones.begin(), r.phones.end()), r.phones.end());
  if (c.date_of_birth) {
    const std::string d = format_date(*c.date_of_birth);  // YYYY-MM-DD
    r.birth = d.substr(0, 4) + d.substr(5, 2) + d.substr(8, 2);
  }
  for (const auto& a : c.addresses) {
    AddressKey k{joined_words(a.postal_code, ""), joined_words(a.line1, " "), joined_words(a.city, " ")};
    if (k.postcode.empty() && k.street.empty() && k.city.empty()) continue;
    if (std::find_if(r.addresses.begin(), r.addresses.end(), [&](const AddressKey& o) {
          return o.postcode == k.postcode && o.street == k.street && o.city == k.city;
        }) == r.addresses.end()) {
      r.addresses.push_back(std::move(k));
    }
  }
  r.number = text::lower(c.number);
  r.shown_number = c.number;
  r.shown_first = c.first_name;
  r.shown_last = c.last_name;
  return r;
}

std::string encode(const Record& r) {
  std::vector<std::string> addresses;
  for (const auto& a : r.addresses) addresses.push_back(a.postcode + kPart + a.street + kPart + a.city);
  const std::vector<std::string> fields = {r.first,        r.last,          r.first_code,     r.last_code,
                                           join(r.emails, kItem), join(r.phones, kItem), r.birth,
                                           join(addresses, kItem), r.number, r.shown_number, r.shown_first,
                                           r.shown_last};
  return join(fields, kField);
}

Record decode(std::string_view text) {
  const auto f = split(text, kField);
  if (f.size() != 12) throw Error(Errc::internal, "duplicates: a stored match record is malformed");
  Record r;
  r.first = f[0];
  r.last = f[1];
  r.first_code = f[2];
  r.last_code = f[3];
  r.emails = items(f[4]);
  r.phones = items(f[5]);
  r.birth = f[6];
  for (const auto& a : items(f[7])) {
    const auto parts = split(a, kPart);
    if (parts.size() != 3) throw Error(Errc::internal, "duplicates: a stored match record is malformed");
    r.addresses.push_back(AddressKey{std::string(parts[0]), std::string(parts[1]), std::string(parts[2])});
  }
  r.number = f[8];
  r.shown_number = f[9];
  r.shown_first = f[10];
  r.shown_last = f[11];
  return r;
}

namespace {

// Keys are at most this long: folding can lengthen text several times over
// (a Han character becomes a pinyin syllable), and a key only has to tell
// values apart, which its first 300 characters do.
constexpr std::size_t kMaxKey = 300;

std::string bounded(std::string key) {
  if (key.size() > kMaxKey) key.resize(kMaxKey);
  return key;
}

}  // namespace

std::vector<std::string> blocking_keys(const Record& r) {
  std::set<std::string> keys;
  // Both names' phonetic codes, in either order: typos that sound alike and swapped names meet.
  if (!r.first_code.empty() && !r.last_code.empty()) {
    keys.insert("bn:" + std::min(r.first_code, r.last_code) + "|" + std::max(r.first_code, r.last_code));
  }
  for (const auto& e : r.emails) {
    const auto local = local_part(e);
    if (local.size() >= 3) keys.insert("be:" + std::string(local));
  }
  for (const auto& p : r.phones) keys.insert("bp:" + p);
  // The date of birth with either name's initial: a misspelt name or a
  // changed email still meets its twin.
  // Day and month in either order, so a transposed date meets its twin.
  if (!r.birth.empty()) {
    const std::string mm = r.birth.substr(4, 2);
    const std::string dd = r.birth.substr(6, 2);
    const std::string date = r.birth.substr(0, 4) + std::min(mm, dd) + std::max(mm, dd);
    if (!r.first.empty()) keys.insert("bd:" + date + "|" + r.first.substr(0, 1));
    if (!r.last.empty()) keys.insert("bd:" + date + "|" + r.last.substr(0, 1));
  }
  // The postcode with either name's phonetic code; the street with the postcode.
  for (const auto& a : r.addresses) {
    if (a.postcode.empty()) continue;
    if (!r.first_code.empty()) keys.insert("ba:" + a.postcode + "|" + r.first_code);
    if (!r.last_code.empty()) keys.insert("ba:" + a.postcode + "|" + r.last_code);
    if (!a.street.empty()) keys.insert("bs:" + a.postcode + "|" + a.street);
  }
  // The last name with the first initial; a name's code with the city; the
  // first name's code with the street: one name may be misspelt, the other
  // agrees, and the place narrows it down.
  if (!r.last.empty() && !r.first.empty()) keys.insert("bl:" + r.last + "|" + r.first.substr(0, 1));
  for (const auto& a : r.addresses) {
    if (!a.city.empty()) {
      if (!r.last_code.empty()) keys.insert("bc:" + a.city + "|" + r.last_code);
      if (!r.first_code.empty()) keys.insert("bc:" + a.city + "|" + r.first_code);
    }
    if (!a.street.empty() && !r.first.empty()) keys.insert("bf:" + a.street + "|" + r.first_code);
  }
  std::set<std::string> out;
  for (const auto& k : keys) out.insert(bounded(k));
  return {out.begin(), out.end()};
}

std::vector<std::string> keys_of(const Record& r) {
  std::vector<std::string> keys = blocking_keys(r);
  const auto term = [&](char letter, const std::string& value) {
    if (value.empty()) return;
    keys.push_back(bounded(std::string("t") + letter + "=" + value));
  };
  const auto total = [&](char letter) { keys.push_back(std::string("t") + letter); };
  if (!r.first.empty()) {
    total('f');
    term('f', r.first);
  }
  if (!r.last.empty()) {
    total('l');
    term('l', r.last);
  }
  std::set<std::string> postcodes;
  std::set<std::string> cities;
  for (const auto& a : r.addresses) {
    if (!a.postcode.empty()) postcodes.insert(a.postcode);
    if (!a.city.empty()) cities.insert(a.city);
  }
  if (!postcodes.empty()) total('z');
  for (const auto& v : postcodes) term('z', v);
  if (!cities.empty()) total('c');
  for (const auto& v : cities) term('c', v);
  return keys;
}

Levels compare(const Record& a, const Record& b) {
  Levels l{};
  l[idx(MatchField::first_name)] = name_level(a.first, b.first, a.last, b.last, a.first_code, b.first_code);
  // A swap is one piece of evidence: weighed on first_name; last_name says
  // "swapped" too, with weight 0 (m = u = 1).
  l[idx(MatchField::last_name)] = l[idx(MatchField::first_name)] == MatchLevel::swapped
                                      ? MatchLevel::swapped
                                      : name_level(a.last, b.last, "", "", a.last_code, b.last_code);
  l[idx(MatchField::email)] = email_level(a.emails, b.emails);
  l[idx(MatchField::phone)] = phone_level(a.phones, b.phones);
  l[idx(MatchField::date_of_birth)] = birth_level(a.birth, b.birth);
  l[idx(MatchField::postcode)] = address_level(a.addresses, b.addresses, &AddressKey::postcode, postcode_level);
  l[idx(MatchField::street)] = address_level(a.addresses, b.addresses, &AddressKey::street, text_level);
  l[idx(MatchField::city)] = address_level(a.addresses, b.addresses, &AddressKey::city, text_level);
  // A move changes postcode, street and city at once: weighed once, on the postcode.
  if (l[idx(MatchField::postcode)] == MatchLevel::different) {
    for (const MatchField f : {MatchField::street, MatchField::city}) {
      if (l[idx(f)] == MatchLevel::different) l[idx(f)] = MatchLevel::moved;
    }
  }
  l[idx(MatchField::number)] = number_level(a.number, b.number);
  return l;
}

const std::vector<MatchLevel>& levels_of(MatchField f) {
  using L = MatchLevel;
  static const std::vector<L> first = {L::exact, L::swapped, L::close, L::phonetic, L::similar, L::different, L::missing};
  static const std::vector<L> last = {L::exact, L::close, L::phonetic, L::similar, L::different, L::missing};
  static const std::vector<L> email = {L::exact, L::same_local_part, L::close, L::different, L::missing};
  static const std::vector<L> close = {L::exact, L::close, L::different, L::missing};
  static const std::vector<L> birth = {L::exact, L::transposed, L::one_digit, L::different, L::missing};
  static const std::vector<L> exact = {L::exact, L::different, L::missing};
  switch (f) {
    case MatchField::first_name:
      return first;
    case MatchField::last_name:
      return last;
    case MatchField::email:
      return email;
    case MatchField::date_of_birth:
      return birth;
    case MatchField::number:
      return exact;
    default:
      return close;
  }
}

char term_letter(MatchField f) noexcept {
  switch (f) {
    case MatchField::first_name:
      return 'f';
    case MatchField::last_name:
      return 'l';
    case MatchField::postcode:
      return 'z';
    case MatchField::city:
      return 'c';
    default:
      return 0;
  }
}

std::string agreed_value(MatchField f, const Record& a, const Record& b) {
  switch (f) {
    case MatchField::first_name:
      return a.first;
    case MatchField::last_name:
      return a.last;
    case MatchField::postcode:
    case MatchField::city:
      for (const auto& x : a.addresses) {
        for (const auto& y : b.addresses) {
          const auto& vx = f == MatchField::postcode ? x.postcode : x.city;
          const auto& vy = f == MatchField::postcode ? y.postcode : y.city;
          if (!vx.empty() && vx == vy) return vx;
        }
      }
      return {};
    default:
      return {};
  }
}

// ---- parameters -------------------------------------------------------------

Parameters default_parameters() {
  // Rough figures for a hospitality base before it is trained: how often a
  // level is reached by two profiles of one guest (m) and of two guests (u).
  Parameters p;
  p.prior = 1e-4;
  const auto set = [&](MatchField f, std::initializer_list<std::tuple<MatchLevel, double, double>> levels) {
    for (auto& row : p.m[idx(f)]) row = 1;
    for (auto& row : p.u[idx(f)]) row = 1;
    for (const auto& [l, m, u] : levels) {
      p.m[idx(f)][idx(l)] = m;
      p.u[idx(f)][idx(l)] = u;
    }
  };
  using L = MatchLevel;
  set(MatchField::first_name, {{L::exact, 0.80, 0.01},
                               {L::swapped, 0.02, 0.0002},
                               {L::close, 0.08, 0.002},
                               {L::phonetic, 0.03, 0.003},
                               {L::similar, 0.03, 0.02},
                               {L::different, 0.04, 0.9648}});
  set(MatchField::last_name, {{L::exact, 0.82, 0.005},
                              {L::close, 0.08, 0.001},
                              {L::phonetic, 0.03, 0.002},
                              {L::similar, 0.02, 0.015},
                              {L::different, 0.03, 0.9768}});
  set(MatchField::email, {{L::exact, 0.50, 1e-6},
                          {L::same_local_part, 0.15, 1e-4},
                          {L::close, 0.05, 5e-5},
                          {L::different, 0.30, 0.999849}});
  set(MatchField::phone, {{L::exact, 0.60, 1e-4}, {L::close, 0.05, 1e-4}, {L::different, 0.35, 0.9998}});
  set(MatchField::date_of_birth, {{L::exact, 0.85, 4e-5},
                                  {L::transposed, 0.02, 4e-5},
                                  {L::one_digit, 0.06, 5e-4},
                                  {L::different, 0.07, 0.99942}});
  set(MatchField::postcode, {{L::exact, 0.85, 0.005}, {L::close, 0.05, 0.02}, {L::different, 0.10, 0.975}});
  set(MatchField::street, {{L::exact, 0.75, 5e-4}, {L::close, 0.10, 0.002}, {L::different, 0.15, 0.9975}});
  set(MatchField::city, {{L::exact, 0.85, 0.01}, {L::close, 0.05, 0.005}, {L::different, 0.10, 0.985}});
  set(MatchField::number, {{L::exact, 0.50, 1e-6}, {L::different, 0.50, 0.999999}});
  return p;
}

Parameters parameters_of(const MatchModel& model) {
  Parameters p = default_parameters();
  p.prior = model.prior;
  for (const auto& f : model.fields) {
    for (const auto& l : f.levels) {
      p.m[idx(f.field)][idx(l.level)] = l.m;
      p.u[idx(f.field)][idx(l.level)] = l.u;
    }
  }
  return p;
}

MatchModel model_of(const Parameters& p, const MatchModel& meta) {
  MatchModel model = meta;
  model.prior = p.prior;
  model.fields.clear();
  for (std::size_t f = 0; f < kFields; ++f) {
    FieldParameters fp{static_cast<MatchField>(f), {}};
    for (MatchLevel l : levels_of(static_cast<MatchField>(f))) {
      if (l == MatchLevel::missing) continue;
      fp.levels.push_back(LevelParameters{l, p.m[f][idx(l)], p.u[f][idx(l)]});
    }
    model.fields.push_back(std::move(fp));
  }
  return model;
}

std::string model_to_json(const MatchModel& model) {
  json fields = json::object();
  for (const auto& f : model.fields) {
    json levels = json::object();
    for (const auto& l : f.levels) levels[std::string(kLevelNames[idx(l.level)])] = {{"m", l.m}, {"u", l.u}};
    fields[std::string(kFieldNames[idx(f.field)])] = levels;
  }
  json j = {{"version", 1},
            {"prior", model.prior},
            {"fields", fields},
            {"trained_by", model.trained_by},
            {"profiles", model.profiles},
            {"candidate_pairs", model.candidate_pairs},
            {"random_pairs", model.random_pairs},
            {"labelled_pairs", model.labelled_pairs},
            {"iterations", model.iterations},
            {"converged", model.converged}};
  if (model.trained_at) j["trained_at"] = model.trained_at->time_since_epoch().count();
  return j.dump();
}

MatchModel model_from_json(std::string_view text) {
  try {
    const json j = json::parse(text);
    if (j.at("version").get<int>() != 1) throw Error(Errc::internal, "duplicates: stored model of an unknown version");
    MatchModel model;
    Parameters p = default_parameters();
    p.prior = j.at("prior").get<double>();
    for (std::size_t f = 0; f < kFields; ++f) {
      const auto& levels = j.at("fields").at(std::string(kFieldNames[f]));
      for (MatchLevel l : levels_of(static_cast<MatchField>(f))) {
        if (l == MatchLevel::missing) continue;
        const auto& v = levels.at(std::string(kLevelNames[idx(l)]));
        p.m[f][idx(l)] = v.at("m").get<double>();
        p.u[f][idx(l)] = v.at("u").get<double>();
      }
    }
    model.trained_by = j.at("trained_by").get<std::string>();
    model.profiles = j.at("profiles").get<std::size_t>();
    model.candidate_pairs = j.at("candidate_pairs").get<std::size_t>();
    model.random_pairs = j.at("random_pairs").get<std::size_t>();
    model.labelled_pairs = j.at("labelled_pairs").get<std::size_t>();
    model.iterations = j.at("iterations").get<int>();
    model.converged = j.at("converged").get<bool>();
    if (j.contains("trained_at")) model.trained_at = Timestamp{Timestamp::duration{j.at("trained_at").get<std::int64_t>()}};
    return model_of(p, model);
  } catch (const json::exception&) {
    throw Error(Errc::internal, "duplicates: the stored model is malformed");
  }
}

// ---- weights ------------------------------------------------------------------

namespace {

struct Term {
  double weight;
  double m;
  double u;
  std::optional<double> tf;
};

Term field_weight(const Parameters& p, std::size_t f, MatchLevel level, const Record& a, const Record& b,
                  const TermFrequency& tf) {
  if (level == MatchLevel::missing) return {0, 1, 1, std::nullopt};
  const double m = p.m[f][idx(level)];
  const double u = p.u[f][idx(level)];
  if (level == MatchLevel::exact && tf && term_letter(static_cast<MatchField>(f)) != 0) {
    if (auto share = tf(static_cast<MatchField>(f), agreed_value(static_cast<MatchField>(f), a, b))) {
      return {std::log2(m / *share), m, u, share};
    }
  }
  return {std::log2(m / u), m, u, std::nullopt};
}

}  // namespace

double probability_of(double weight) noexcept { return 1.0 / (1.0 + std::exp2(-weight)); }

double weight_for(double probability) noexcept {
  const double p = clamp_probability(probability);
  return std::log2(p / (1 - p));
}

MatchExplanation explain(const Parameters& p, const Levels& levels, const Record& a, const Record& b,
                         const TermFrequency& tf) {
  MatchExplanation e;
  e.prior_weight = weight_for(p.prior);
  e.weight = e.prior_weight;
  for (std::size_t f = 0; f < kFields; ++f) {
    const Term t = field_weight(p, f, levels[f], a, b, tf);
    e.fields.push_back(FieldComparison{static_cast<MatchField>(f), levels[f], t.weight, t.m, t.u, t.tf});
    e.weight += t.weight;
  }
  e.probability = probability_of(e.weight);
  return e;
}

double weight_of(const Parameters& p, const Levels& levels, const Record& a, const Record& b,
                 const TermFrequency& tf) {
  double w = weight_for(p.prior);
  for (std::size_t f = 0; f < kFields; ++f) w += field_weight(p, f, levels[f], a, b, tf).weight;
  return w;
}

// ---- fitting --------------------------------------------------------------------

namespace {

// A level that weighs nothing: missing, or one a field only reports (a
// swap, weighed on first_name, shows on last_name too).
bool neutral(std::size_t f, MatchLevel level) {
  if (level == MatchLevel::missing) return true;
  const auto& levels = levels_of(static_cast<MatchField>(f));
  return std::find(levels.begin(), levels.end(), level) == levels.end();
}

}  // namespace

namespace {

// The log2 Bayes factor of `levels` over the fields not `excluded`.
double evidence(const Parameters& p, const Levels& levels, const std::array<bool, kFields>& excluded) {
  double w = 0;
  for (std::size_t f = 0; f < kFields; ++f) {
    if (excluded[f] || neutral(f, levels[f])) continue;
    w += std::log2(p.m[f][idx(levels[f])] / p.u[f][idx(levels[f])]);
  }
  return w;
}

struct SessionFit {
  std::array<std::array<double, kLevels>, kFields> m{};
  std::array<bool, kFields> estimated{};  // fields the session's pairs said something about
  int iterations = 0;
  bool converged = false;
};

SessionFit em(const Parameters& start, const Patterns& patterns, double pairs,
              const std::vector<std::pair<Levels, bool>>& labelled, const std::array<bool, kFields>& excluded,
              int max_iterations) {
  Parameters p = start;
  SessionFit out;
  double lambda = 0.1;
  for (int it = 1; it <= max_iterations; ++it) {
    std::array<std::array<double, kLevels>, kFields> match_at{};
    std::array<double, kFields> match_present{};
    double expected_matches = 0;
    const auto add = [&](const Levels& levels, double weight, double posterior) {
      for (std::size_t f = 0; f < kFields; ++f) {
        if (excluded[f] || neutral(f, levels[f])) continue;
        match_at[f][idx(levels[f])] += weight * posterior;
        match_present[f] += weight * posterior;
      }
    };
    const double prior = weight_for(lambda);
    for (const auto& [levels, count] : patterns) {
      const double posterior = probability_of(prior + evidence(p, levels, excluded));
      expected_matches += count * posterior;
      add(levels, count, posterior);
    }
    for (const auto& [levels, same] : labelled) add(levels, 1, same ? 1.0 : 0.0);

    double change = 0;
    for (std::size_t f = 0; f < kFields; ++f) {
      if (excluded[f] || match_present[f] <= 0) continue;
      out.estimated[f] = true;
      const auto& levels = levels_of(static_cast<MatchField>(f));
      const double n = match_present[f] + 1e-3 * static_cast<double>(levels.size() - 1);
      for (MatchLevel l : levels) {
        if (l == MatchLevel::missing) continue;
        const double m = (match_at[f][idx(l)] + 1e-3) / n;
        change = std::max(change, std::abs(m - p.m[f][idx(l)]));
        p.m[f][idx(l)] = m;
      }
    }
    const double next_lambda = pairs > 0 ? std::clamp(expected_matches / pairs, 1e-9, 1 - 1e-9) : 1e-9;
    change = std::max(change, std::abs(next_lambda - lambda));
    lambda = next_lambda;
    out.iterations = it;
    if (change < 1e-5) {
      out.converged = true;
      break;
    }
  }
  out.m = p.m;
  return out;
}

}  // namespace

Fit fit(const std::vector<Session>& sessions, const std::vector<std::pair<Levels, bool>>& labelled,
        const std::vector<Levels>& random, const Patterns& all, double all_pairs, double all_share,
        int max_iterations) {
  Fit out;
  Parameters& p = out.parameters;
  p = default_parameters();

  // u: the share of random pairs at each level among those where neither is
  // missing, with half a pair added to every level so none is zero.
  for (std::size_t f = 0; f < kFields; ++f) {
    const auto& levels = levels_of(static_cast<MatchField>(f));
    std::array<double, kLevels> count{};
    double present = 0;
    for (const auto& r : random) {
      if (neutral(f, r[f])) continue;
      count[idx(r[f])] += 1;
      present += 1;
    }
    const double smoothing = 0.5;
    const double n = present + smoothing * static_cast<double>(levels.size() - 1);
    for (MatchLevel l : levels) {
      if (l == MatchLevel::missing) continue;
      p.u[f][idx(l)] = (count[idx(l)] + smoothing) / n;
    }
  }

  // m: each session from the default start; a field's m is the mean of the
  // sessions that estimated it (the default where none could).
  std::array<std::array<double, kLevels>, kFields> sum{};
  std::array<int, kFields> estimated{};
  out.converged = true;
  for (const auto& s : sessions) {
    if (s.pairs == 0 && labelled.empty()) continue;
    const SessionFit sf = em(p, s.patterns, s.pairs, labelled, s.excluded, max_iterations);
    out.iterations = std::max(out.iterations, sf.iterations);
    out.converged = out.converged && sf.converged;
    for (std::size_t f = 0; f < kFields; ++f) {
      if (s.excluded[f] || !sf.estimated[f]) continue;
      for (std::size_t l = 0; l < kLevels; ++l) sum[f][l] += sf.m[f][l];
      ++estimated[f];
    }
  }
  for (std::size_t f = 0; f < kFields; ++f) {
    if (estimated[f] == 0) continue;
    for (MatchLevel l : levels_of(static_cast<MatchField>(f))) {
      if (l != MatchLevel::missing) p.m[f][idx(l)] = sum[f][idx(l)] / estimated[f];
    }
  }

  // The prior: EM on the share of matches alone, m and u held, over the
  // union of the sessions' pairs; among all pairs of the base that share
  // times the union's share of them.
  const std::array<bool, kFields> none{};
  double lambda = 0.1;
  for (int it = 0; it < 200 && all_pairs > 0; ++it) {
    double expected = 0;
    for (const auto& [levels, count] : all) expected += count * probability_of(weight_for(lambda) + evidence(p, levels, none));
    const double next = std::clamp(expected / all_pairs, 1e-9, 1 - 1e-9);
    const bool done = std::abs(next - lambda) < 1e-7;
    lambda = next;
    if (done) break;
  }
  p.prior = std::clamp(lambda * all_share, 1e-12, 0.5);
  return out;
}

}  // namespace patron::match

namespace patron {

std::string_view to_string(MatchField v) noexcept { return match::kFieldNames[static_cast<std::size_t>(v)]; }
std::string_view to_string(MatchLevel v) noexcept { return match::kLevelNames[static_cast<std::size_t>(v)]; }

}  // namespace patron

#include "core/enum_names.hpp"

namespace patron {

MatchField parse_match_field(std::string_view text, std::string_view field) {
  return detail::parse_named<MatchField>(match::kFieldNames, text, field);
}
MatchLevel parse_match_level(std::string_view text, std::string_view field) {
  return detail::parse_named<MatchLevel>(match::kLevelNames, text, field);
}

}  // namespace patron
