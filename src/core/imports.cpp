#include "patron/imports.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <set>

#include <unistd.h>

#include <csv.h>

#include "core/custom_field_ops.hpp"
#include "core/customer_ops.hpp"
#include "core/duplicate_ops.hpp"
#include "core/enum_names.hpp"
#include "core/event_builders.hpp"
#include "core/rules.hpp"
#include "core/state.hpp"
#include "io/records.hpp"
#include "patron/activity.hpp"
#include "patron/custom_fields.hpp"
#include "patron/error.hpp"
#include "text/text.hpp"

namespace patron {
namespace {

constexpr std::array<std::string_view, 3> kModes{"create", "update", "upsert"};
constexpr std::array<std::string_view, 3> kFormats{"detect", "csv", "jsonl"};
constexpr std::array<std::string_view, 2> kPolicies{"overwrite", "fill_blanks"};
constexpr std::array<std::string_view, 3> kDuplicateChecks{"list", "hold", "off"};
constexpr std::array<std::string_view, 2> kDateOrders{"day_first", "month_first"};

// What a column feeds.
enum class Target {
  number, title, first_name, last_name, date_of_birth, lifecycle_stage, tags, email, phone,
  line1, line2, city, region, postal_code, country, custom, ignore
};

struct TargetSpec {
  Target target = Target::ignore;
  PhoneLabel label = PhoneLabel::mobile;
  std::string custom_key{};
  std::string name{};  // as a mapping spells it: "phone.home", "custom.vip"
};

constexpr std::array<std::pair<std::string_view, Target>, 17> kTargets{{
    {"number", Target::number},
    {"title", Target::title},
    {"first_name", Target::first_name},
    {"last_name", Target::last_name},
    {"date_of_birth", Target::date_of_birth},
    {"lifecycle_stage", Target::lifecycle_stage},
    {"tags", Target::tags},
    {"email", Target::email},
    {"phone", Target::phone},
    {"address.line1", Target::line1},
    {"address.line2", Target::line2},
    {"address.city", Target::city},
    {"address.region", Target::region},
    {"address.postal_code", Target::postal_code},
    {"address.country", Target::country},
    {"ignore", Target::ignore},
    {"phone.mobile", Target::phone},
}};

std::optional<TargetSpec> parse_target(std::string_view name) {
  TargetSpec spec;
  spec.name = std::string(name);
  if (name.starts_with("custom.") && name.size() > 7) {
    spec.target = Target::custom;
    spec.custom_key = std::string(name.substr(7));
    return spec;
  }
  if (name.starts_with("phone.")) {
    for (const auto label : {PhoneLabel::mobile, PhoneLabel::work, PhoneLabel::home, PhoneLabel::other}) {
      if (name.substr(6) == to_string(label)) {
        spec.target = Target::phone;
        spec.label = label;
        return spec;
      }
    }
    return std::nullopt;
  }
  for (const auto& [n, t] : kTargets) {
    if (n == name) {
      spec.target = t;
      return spec;
    }
  }
  return std::nullopt;
}

// Header names that map themselves, compared folded with everything but
// letters and digits dropped ("E-Mail Address" -> "emailaddress").
constexpr std::array<std::pair<std::string_view, std::string_view>, 75> kCommonHeaders{{
    {"number", "number"}, {"customernumber", "number"}, {"customerno", "number"}, {"customerid", "number"},
    {"guestnumber", "number"}, {"guestid", "number"}, {"membernumber", "number"}, {"memberid", "number"},
    {"clientnumber", "number"}, {"clientid", "number"}, {"accountnumber", "number"}, {"title", "title"},
    {"salutation", "title"}, {"firstname", "first_name"}, {"givenname", "first_name"}, {"forename", "first_name"},
    {"first", "first_name"}, {"vorname", "first_name"}, {"prenom", "first_name"}, {"lastname", "last_name"},
    {"surname", "last_name"}, {"familyname", "last_name"}, {"last", "last_name"}, {"nachname", "last_name"},
    {"nom", "last_name"}, {"dob", "date_of_birth"}, {"dateofbirth", "date_of_birth"},
    {"birthdate", "date_of_birth"}, {"birthday", "date_of_birth"}, {"geburtsdatum", "date_of_birth"},
    {"lifecyclestage", "lifecycle_stage"}, {"tags", "tags"}, {"tag", "tags"}, {"labels", "tags"},
    {"email", "email"}, {"emailaddress", "email"}, {"mail", "email"}, {"email1", "email"}, {"email2", "email"},
    {"secondaryemail", "email"}, {"otheremail", "email"}, {"phone", "phone"}, {"phonenumber", "phone"},
    {"telephone", "phone"}, {"tel", "phone"}, {"mobile", "phone.mobile"}, {"mobilephone", "phone.mobile"},
    {"mobilenumber", "phone.mobile"}, {"cell", "phone.mobile"}, {"cellphone", "phone.mobile"},
    {"handy", "phone.mobile"}, {"homephone", "phone.home"}, {"workphone", "phone.work"},
    {"businessphone", "phone.work"}, {"address", "address.line1"}, {"address1", "address.line1"},
    {"addressline1", "address.line1"}, {"street", "address.line1"}, {"streetaddress", "address.line1"},
    {"address2", "address.line2"}, {"addressline2", "address.line2"}, {"city", "address.city"},
    {"town", "address.city"}, {"state", "address.region"}, {"county", "address.region"},
    {"region", "address.region"}, {"province", "address.region"}, {"postcode", "address.postal_code"},
    {"postalcode", "address.postal_code"}, {"zip", "address.postal_code"}, {"zipcode", "address.postal_code"},
    {"plz", "address.postal_code"}, {"country", "address.country"}, {"countrycode", "address.country"},
    {"stage", "lifecycle_stage"},
}};

std::string squeezed(std::string_view header) {
  std::string out;
  for (const char c : text::fold(header)) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out += c;
  }
  return out;
}

std::optional<TargetSpec> common_target(std::string_view header) {
  // A header spelt as a target maps to it ("address.city", "custom.vip").
  if (auto spec = parse_target(header); spec && spec->target != Target::ignore) return spec;
  const std::string key = squeezed(header);
  for (const auto& [name, target] : kCommonHeaders) {
    if (name == key) return parse_target(target);
  }
  return std::nullopt;
}

// Columns to targets: the mapping's, then the common names; the rest are
// unknown (reported once each, in the order met).
class Columns {
 public:
  Columns(const ImportMapping& mapping, const std::vector<FieldDefinition>& definitions) : mapping_(mapping) {
    for (const auto& d : definitions) definitions_.emplace(d.key, d);
    for (const auto& [column, target] : mapping.columns) {
      const std::string field = "mapping.columns." + column;
      auto spec = parse_target(target);
      if (!spec) {
        throw Error(Errc::invalid_argument, field + ": '" + text::printable(target) + "' is not a field an import fills",
                    field);
      }
      check_custom(*spec, field);
      resolved_.emplace(column, std::move(*spec));
    }
    for (const auto& [target, policy] : mapping.policies) {
      if (!parse_target(target)) {
        const std::string field = "mapping.policies." + target;
        throw Error(Errc::invalid_argument, field + ": not a field an import fills", field);
      }
    }
  }

  // The target of `column`; nullptr when it is not imported.
  const TargetSpec* of(const std::string& column) {
    auto it = resolved_.find(column);
    if (it == resolved_.end()) {
      std::optional<TargetSpec> spec = column.starts_with("reject_") ? std::nullopt : common_target(column);
      if (spec) {
        check_custom(*spec, column);
      } else if (!column.starts_with("reject_") && seen_unknown_.insert(column).second) {
        unknown_.push_back(column);
      }
      it = resolved_.emplace(column, spec.value_or(TargetSpec{})).first;
    }
    if (it->second.target == Target::ignore) return nullptr;
    used_.emplace(column, it->second.name);
    return &it->second;
  }

  FieldPolicy policy(const TargetSpec& t) const {
    const auto it = mapping_.policies.find(t.name);
    return it == mapping_.policies.end() ? mapping_.default_policy : it->second;
  }
  const FieldDefinition& definition(const std::string& key) const { return definitions_.at(key); }
  const std::vector<std::string>& unknown() const { return unknown_; }
  const std::map<std::string, std::string>& used() const { return used_; }

 private:
  void check_custom(const TargetSpec& spec, const std::string& field) const {
    if (spec.target == Target::custom && !definitions_.contains(spec.custom_key)) {
      throw Error(Errc::invalid_argument,
                  field + ": no custom field '" + text::printable(spec.custom_key) + "' is defined", field);
    }
  }

  const ImportMapping& mapping_;
  std::map<std::string, FieldDefinition> definitions_;
  std::map<std::string, TargetSpec> resolved_;
  std::set<std::string> seen_unknown_;
  std::vector<std::string> unknown_;
  std::map<std::string, std::string> used_;
};

// A date cell: ISO (1985-04-03), else day and month in `order` with / . or -
// between them and a four-digit year.
Date date_cell(std::string_view v, DateOrder order, const std::string& column) {
  const auto bad = [&]() -> Date {
    throw Error(Errc::invalid_argument,
                column + ": not a date (" + (order == DateOrder::day_first ? "DD/MM/YYYY" : "MM/DD/YYYY") +
                    " or YYYY-MM-DD)",
                column);
  };
  std::array<int, 3> parts{};
  std::array<std::size_t, 3> widths{};
  std::size_t n = 0;
  const char* p = v.data();
  const char* const end = v.data() + v.size();
  while (p < end && n < 3) {
    const char* start = p;
    const auto [next, ec] = std::from_chars(p, end, parts[n]);
    if (ec != std::errc() || next == start) return bad();
    widths[n++] = static_cast<std::size_t>(next - start);
    p = next;
    if (p < end) {
      if (n == 3 || (*p != '/' && *p != '.' && *p != '-')) return bad();
      ++p;
    }
  }
  if (n != 3 || p != end) return bad();
  int y = 0, m = 0, d = 0;
  if (widths[0] == 4) {
    y = parts[0], m = parts[1], d = parts[2];
  } else if (widths[2] == 4) {
    y = parts[2];
    m = order == DateOrder::day_first ? parts[1] : parts[0];
    d = order == DateOrder::day_first ? parts[0] : parts[1];
  } else {
    return bad();
  }
  const Date date{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
                  std::chrono::day{static_cast<unsigned>(d)}};
  if (m < 1 || m > 12 || d < 1 || !date.ok()) return bad();
  return date;
}

// A list cell: items separated by , ; or |, trimmed, empty ones dropped.
std::vector<std::string> list_cell(std::string_view v) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= v.size(); ++i) {
    if (i == v.size() || v[i] == ',' || v[i] == ';' || v[i] == '|') {
      const std::string_view item = text::trim(v.substr(start, i - start));
      if (!item.empty()) out.emplace_back(item);
      start = i + 1;
    }
  }
  return out;
}

CustomValue custom_cell(std::string_view v, const FieldDefinition& d, DateOrder order, const std::string& column) {
  const auto bad = [&](const char* rule) -> CustomValue {
    throw Error(Errc::invalid_argument, column + ": " + rule, column);
  };
  switch (d.type) {
    case FieldType::number: {
      double x = 0;
      const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
      if (ec != std::errc() || end != v.data() + v.size()) return bad("not a number");
      return x;
    }
    case FieldType::date:
      return date_cell(v, order, column);
    case FieldType::multi_select:
      return list_cell(v);
    case FieldType::checkbox: {
      const std::string f = text::lower(v);
      if (f == "true" || f == "yes" || f == "y" || f == "1" || f == "x") return true;
      if (f == "false" || f == "no" || f == "n" || f == "0") return false;
      return bad("not a checkbox value (true/false, yes/no, 1/0)");
    }
    case FieldType::file: {
      std::int64_t id = 0;
      const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), id);
      if (ec != std::errc() || end != v.data() + v.size()) return bad("not a document id");
      return id;
    }
    default:
      return std::string(v);
  }
}

// One row, validated: what it would create, and which column gave what.
struct Row {
  Customer customer;                                  // number, profile, emails, phones, address, tags
  std::map<std::string, CustomValue> custom{};        // by key
  std::map<std::string, std::string> column_of{};     // target name -> first column that gave it
  std::vector<std::pair<std::string, std::string>> email_columns{};  // address -> column
  std::set<std::string> given{};                      // target names given
};

struct Rejection {
  std::string field;
  Errc code;
  std::string message;
};

[[noreturn]] void refuse_row(Errc code, const std::string& field, const std::string& rule) {
  throw Error(code, field + ": " + rule, field);
}

Row read_row(const io::Record& record, Columns& columns, DateOrder order, Timestamp now, const std::string& region) {
  if (!record.problem.empty()) refuse_row(Errc::invalid_argument, record.problem_field, record.problem);
  Row row;
  Customer& c = row.customer;
  std::optional<Address> address;
  std::vector<std::string> tags;
  for (const auto& [column, raw] : record.fields) {
    const TargetSpec* t = columns.of(column);
    if (t == nullptr) continue;
    const std::string_view v = text::trim(raw);
    if (v.empty()) continue;
    if (!row.given.insert(t->name).second && t->target != Target::email && t->target != Target::phone &&
        t->target != Target::tags) {
      continue;  // a second column of a single field: the first one given stands
    }
    row.column_of.emplace(t->name, column);
    const auto part = [&](std::string Address::*member) {
      if (!address) address.emplace();
      (*address).*member = std::string(v);
    };
    switch (t->target) {
      case Target::number: c.number = rules::customer_number(v, column); break;
      case Target::title: c.title = rules::title(v, column); break;
      case Target::first_name: c.first_name = rules::name(v, column); break;
      case Target::last_name: c.last_name = rules::name(v, column); break;
      case Target::lifecycle_stage: c.lifecycle_stage = rules::lifecycle_stage(v, column); break;
      case Target::date_of_birth: c.date_of_birth = rules::date_of_birth(date_cell(v, order, column), now, column); break;
      case Target::tags:
        for (auto& tag : list_cell(v)) tags.push_back(std::move(tag));
        break;
      case Target::email: {
        std::string e = rules::email(v, column);
        if (std::none_of(c.emails.begin(), c.emails.end(), [&](const Email& o) { return o.address == e; })) {
          row.email_columns.emplace_back(e, column);
          c.emails.push_back(Email{std::move(e), c.emails.empty()});
        }
        break;
      }
      case Target::phone: {
        Phone p = rules::phone(v, t->label, region, column);
        if (std::none_of(c.phones.begin(), c.phones.end(), [&](const Phone& o) { return o.number == p.number; })) {
          c.phones.push_back(std::move(p));
        }
        break;
      }
      case Target::line1: part(&Address::line1); break;
      case Target::line2: part(&Address::line2); break;
      case Target::city: part(&Address::city); break;
      case Target::region: part(&Address::region); break;
      case Target::postal_code: part(&Address::postal_code); break;
      case Target::country: part(&Address::country); break;
      case Target::custom:
        row.custom[t->custom_key] = custom_cell(v, columns.definition(t->custom_key), order, column);
        break;
      case Target::ignore: break;
    }
  }
  if (!tags.empty()) c.tags = rules::tags(tags, row.column_of.at("tags"));
  if (address) {
    // A legacy file seldom says the country of a local address: the
    // database's region does.
    if (address->country.empty()) address->country = region;
    try {
      c.addresses.push_back(rules::address(*address, "address"));
    } catch (const Error& e) {
      // "address.city" -> the column that gave the city
      const auto it = row.column_of.find(e.field());
      if (it == row.column_of.end()) throw;
      std::string message = e.what();
      if (message.starts_with(e.field())) message.replace(0, e.field().size(), it->second);
      throw Error(e.code(), message, it->second);
    }
    c.addresses.back().is_default = true;
  }
  rules::require_recognisable(c, Errc::invalid_argument, "");
  c.created_at = now;
  c.updated_at = now;
  return row;
}

// An Error from a custom field rule names "custom_fields.<key>": the column.
Error in_columns(const Error& e, const Row& row) {
  constexpr std::string_view kPrefix = "custom_fields.";
  if (!e.field().starts_with(kPrefix)) return e;
  const auto it = row.column_of.find("custom." + e.field().substr(kPrefix.size()));
  if (it == row.column_of.end()) return e;
  std::string message = e.what();
  if (message.starts_with(e.field())) message.replace(0, e.field().size(), it->second);
  return Error(e.code(), message, it->second);
}

bool same_address(const Address& a, const Address& b) {
  return a.line1 == b.line1 && a.line2 == b.line2 && a.city == b.city && a.region == b.region &&
         a.postal_code == b.postal_code && a.country == b.country;
}

// Applies a row to an existing customer; true when anything changed.
bool apply(store::Transaction& tx, Customer c, const Row& row, const Columns& columns, Timestamp now) {
  const Customer before = c;
  const std::string old_key = rules::name_key(c);
  const Customer& in = row.customer;
  const auto policy_of = [&](std::string_view target) {
    const auto spec = parse_target(target);
    return columns.policy(*spec);
  };
  const auto take = [&](auto& held, const auto& given, bool is_given, std::string_view target) {
    if (!is_given || held == given) return;
    if (policy_of(target) == FieldPolicy::fill_blanks && !(held == std::decay_t<decltype(held)>{})) return;
    held = given;
  };
  take(c.title, in.title, row.given.contains("title"), "title");
  take(c.first_name, in.first_name, row.given.contains("first_name"), "first_name");
  take(c.last_name, in.last_name, row.given.contains("last_name"), "last_name");
  take(c.lifecycle_stage, in.lifecycle_stage, row.given.contains("lifecycle_stage"), "lifecycle_stage");
  take(c.date_of_birth, in.date_of_birth, row.given.contains("date_of_birth"), "date_of_birth");
  if (!in.tags.empty()) {
    std::vector<std::string> tags = c.tags;
    for (const auto& t : in.tags) {
      const std::string folded = text::lower(t);
      if (std::none_of(tags.begin(), tags.end(), [&](const std::string& o) { return text::lower(o) == folded; })) {
        tags.push_back(t);
      }
    }
    if (tags != c.tags) c.tags = rules::tags(tags, row.column_of.at("tags"));
  }
  bool changed = !(c.title == before.title && c.first_name == before.first_name && c.last_name == before.last_name &&
                   c.lifecycle_stage == before.lifecycle_stage && c.date_of_birth == before.date_of_birth &&
                   c.tags == before.tags);
  if (changed) detail::record_update(tx, now, before, c);
  for (const auto& e : in.emails) {
    if (std::any_of(c.emails.begin(), c.emails.end(), [&](const Email& o) { return o.address == e.address; })) continue;
    detail::add_email(tx, c, e.address, false, now);
    changed = true;
  }
  for (const auto& p : in.phones) {
    if (std::any_of(c.phones.begin(), c.phones.end(), [&](const Phone& o) { return o.number == p.number; })) continue;
    detail::add_phone(tx, c, p, now);
    changed = true;
  }
  for (const auto& a : in.addresses) {
    if (std::any_of(c.addresses.begin(), c.addresses.end(), [&](const Address& o) { return same_address(o, a); })) {
      continue;
    }
    Address added = a;
    added.is_default = false;
    detail::add_address(tx, c, added, now);
    changed = true;
  }
  if (!row.custom.empty()) {
    std::map<std::string, CustomValue> values;
    const auto held = tx.custom_fields().values_of(c.id);
    for (const auto& [key, value] : row.custom) {
      if (held.contains(key) && policy_of("custom." + key) == FieldPolicy::fill_blanks) continue;
      values.emplace(key, value);
    }
    if (detail::set_custom_values(tx, c.id, values, now)) changed = true;
  }
  if (changed) detail::save_profile(tx.customers(), c, old_key, now);
  return changed;
}

// The report as it stands, kept in the run between batches.
struct Tally {
  ImportReport report;
  std::size_t max_listed = 0;
  std::vector<std::string> new_listed;  // this batch's, for the run

  void reject(std::uint64_t line, const Error& e) {
    ++report.rejected;
    if (report.rejected_rows.size() >= max_listed) return;
    report.rejected_rows.push_back(RejectedRow{line, e.field(), e.code(), e.what()});
    new_listed.push_back(detail::EventJson{{"k", "r"},
                                           {"line", line},
                                           {"field", e.field()},
                                           {"code", static_cast<int>(e.code())},
                                           {"message", e.what()}}
                             .dump());
  }
  void same_as(std::uint64_t line, std::uint64_t earlier, const CustomerId& id) {
    ++report.same_as_earlier_line;
    if (report.same_as_rows.size() >= max_listed) return;
    report.same_as_rows.push_back(SameAsRow{line, earlier, id});
    new_listed.push_back(
        detail::EventJson{{"k", "s"}, {"line", line}, {"earlier", earlier}, {"customer", id.str()}}.dump());
  }
  void resembles(std::uint64_t line, const std::optional<CustomerId>& id, const CustomerId& other, double p) {
    ++report.possible_duplicates;
    if (report.possible_duplicate_rows.size() >= max_listed) return;
    report.possible_duplicate_rows.push_back(PossibleDuplicateRow{line, id, other, p});
    new_listed.push_back(detail::EventJson{{"k", "d"},
                                           {"line", line},
                                           {"customer", id ? detail::EventJson(id->str()) : detail::EventJson()},
                                           {"resembles", other.str()},
                                           {"p", p}}
                             .dump());
  }

  std::string counts() const {
    const ImportReport& r = report;
    return detail::EventJson{{"created", r.created},     {"updated", r.updated},
                             {"unchanged", r.unchanged}, {"rejected", r.rejected},
                             {"same", r.same_as_earlier_line}, {"duplicates", r.possible_duplicates}}
        .dump();
  }

  void restore(const store::ImportRun& run) {
    const auto c = nlohmann::json::parse(run.counts);
    report.created = c.value("created", 0ULL);
    report.updated = c.value("updated", 0ULL);
    report.unchanged = c.value("unchanged", 0ULL);
    report.rejected = c.value("rejected", 0ULL);
    report.same_as_earlier_line = c.value("same", 0ULL);
    report.possible_duplicates = c.value("duplicates", 0ULL);
    for (const auto& text : run.listed) {
      const auto j = nlohmann::json::parse(text);
      const std::string kind = j.at("k");
      const std::uint64_t line = j.at("line");
      if (kind == "r") {
        report.rejected_rows.push_back(RejectedRow{line, j.at("field"), static_cast<Errc>(j.at("code").get<int>()),
                                                   j.at("message")});
      } else if (kind == "s") {
        report.same_as_rows.push_back(SameAsRow{line, j.at("earlier"), CustomerId::parse(j.at("customer").get<std::string>())});
      } else {
        std::optional<CustomerId> id;
        if (!j.at("customer").is_null()) id = CustomerId::parse(j.at("customer").get<std::string>());
        report.possible_duplicate_rows.push_back(
            PossibleDuplicateRow{line, id, CustomerId::parse(j.at("resembles").get<std::string>()), j.at("p")});
      }
    }
  }
};

// The reject file: CSV (reject_line, reject_field, reject_code,
// reject_message, then the row's cells) or JSON Lines (the row's object
// with those four members added), flushed to disk before the batch that
// wrote it commits; a resumed run cuts it back to its last batch's length.
class RejectFile {
 public:
  RejectFile(const std::string& path, std::uint64_t keep, ImportFormat format, char delimiter,
             const std::vector<std::string>& header)
      : format_(format), delimiter_(delimiter == 0 ? ',' : delimiter) {
    if (path.empty()) return;
    std::error_code ec;
    if (keep > 0 && std::filesystem::exists(path, ec)) {
      std::filesystem::resize_file(path, std::min<std::uintmax_t>(keep, std::filesystem::file_size(path, ec)), ec);
      file_ = std::fopen(path.c_str(), "ab");
    } else {
      file_ = std::fopen(path.c_str(), "wb");
      keep = 0;
    }
    if (file_ == nullptr) {
      throw Error(Errc::invalid_argument, "rejects: cannot write " + text::printable(path), "rejects");
    }
    if (keep == 0 && format_ == ImportFormat::csv) {
      std::vector<std::string> cells{"reject_line", "reject_field", "reject_code", "reject_message"};
      cells.insert(cells.end(), header.begin(), header.end());
      write_cells(cells);
    }
  }
  ~RejectFile() {
    if (file_ != nullptr) std::fclose(file_);
  }
  RejectFile(const RejectFile&) = delete;
  RejectFile& operator=(const RejectFile&) = delete;

  void add(const io::Record& record, const Error& e) {
    if (file_ == nullptr) return;
    if (format_ == ImportFormat::csv) {
      std::vector<std::string> cells{std::to_string(record.line), e.field(), std::string(errc_name(e.code())),
                                     e.what()};
      cells.insert(cells.end(), record.cells.begin(), record.cells.end());
      write_cells(cells);
      return;
    }
    nlohmann::ordered_json j = nlohmann::ordered_json::object();
    j["reject_line"] = record.line;
    j["reject_field"] = e.field();
    j["reject_code"] = errc_name(e.code());
    j["reject_message"] = e.what();
    try {
      const auto original = nlohmann::ordered_json::parse(record.cells.empty() ? "" : record.cells.front());
      if (original.is_object()) {
        for (const auto& [k, v] : original.items()) {
          if (!k.starts_with("reject_")) j[k] = v;
        }
      } else {
        j["reject_text"] = record.cells.front();
      }
    } catch (const std::exception&) {
      j["reject_text"] = record.cells.empty() ? "" : text::printable(record.cells.front());
    }
    const std::string line = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    put(line.data(), line.size());
  }

  // Makes what was added durable; the file's length.
  std::uint64_t sync() {
    if (file_ == nullptr) return 0;
    if (std::fflush(file_) != 0 || ::fsync(fileno(file_)) != 0) fail();
    return static_cast<std::uint64_t>(std::ftell(file_));
  }

 private:
  void write_cells(const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i > 0 && std::fputc(delimiter_, file_) == EOF) fail();
      if (csv_fwrite(file_, cells[i].data(), cells[i].size()) != 0) fail();
    }
    put("\r\n", 2);
  }
  void put(const char* data, std::size_t n) {
    if (std::fwrite(data, 1, n, file_) != n) fail();
  }
  [[noreturn]] static void fail() { throw Error(Errc::storage, "rejects: write error", "rejects"); }

  ImportFormat format_;
  char delimiter_;
  std::FILE* file_ = nullptr;
};

std::string hex_hash(std::string_view text) {
  std::array<unsigned char, 32> out{};
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(text.data()), text.size(), nullptr,
                     0);
  std::string hex(64, '0');
  sodium_bin2hex(hex.data(), hex.size() + 1, out.data(), out.size());
  return hex;
}

// What makes two runs the same run: the file's bytes and every option that
// changes what the rows do or where rejects go.
std::string run_key(const io::RecordReader& reader, const ImportOptions& o, const std::string& by) {
  detail::EventJson mapping = detail::EventJson::object();
  for (const auto& [column, target] : o.mapping.columns) mapping["c:" + column] = target;
  for (const auto& [target, policy] : o.mapping.policies) mapping["p:" + target] = to_string(policy);
  const detail::EventJson key{{"kind", "customers"},
                              {"file", reader.digest()},
                              {"format", to_string(reader.format())},
                              {"encoding", reader.encoding()},
                              {"delimiter", std::string(1, reader.delimiter())},
                              {"mapping", mapping},
                              {"default_policy", to_string(o.mapping.default_policy)},
                              {"mode", to_string(o.mode)},
                              {"duplicates", to_string(o.duplicates)},
                              {"probability", o.duplicate_probability},
                              {"date_order", to_string(o.date_order)},
                              {"rejects", o.rejects},
                              {"max_listed", o.max_listed},
                              {"by", by},
                              {"dry_run", o.dry_run}};
  return hex_hash(key.dump());
}

// Stops a dry run's transaction after its report is made.
struct RollBack {};

}  // namespace

std::string_view to_string(ImportMode v) noexcept { return kModes[static_cast<std::size_t>(v)]; }
ImportMode parse_import_mode(std::string_view text, std::string_view field) {
  return detail::parse_named<ImportMode>(kModes, text, field);
}
std::string_view to_string(ImportFormat v) noexcept { return kFormats[static_cast<std::size_t>(v)]; }
ImportFormat parse_import_format(std::string_view text, std::string_view field) {
  return detail::parse_named<ImportFormat>(kFormats, text, field);
}
std::string_view to_string(FieldPolicy v) noexcept { return kPolicies[static_cast<std::size_t>(v)]; }
FieldPolicy parse_field_policy(std::string_view text, std::string_view field) {
  return detail::parse_named<FieldPolicy>(kPolicies, text, field);
}
std::string_view to_string(DuplicateCheck v) noexcept { return kDuplicateChecks[static_cast<std::size_t>(v)]; }
DuplicateCheck parse_duplicate_check(std::string_view text, std::string_view field) {
  return detail::parse_named<DuplicateCheck>(kDuplicateChecks, text, field);
}
std::string_view to_string(DateOrder v) noexcept { return kDateOrders[static_cast<std::size_t>(v)]; }
DateOrder parse_date_order(std::string_view text, std::string_view field) {
  return detail::parse_named<DateOrder>(kDateOrders, text, field);
}

ImportReport Imports::customers(const std::string& path, const ImportOptions& options) {
  if (options.batch_size < 1 || options.batch_size > 100000) {
    throw Error(Errc::invalid_argument, "batch_size: must be 1 to 100000", "batch_size");
  }
  if (options.max_listed > 1000000) {
    throw Error(Errc::invalid_argument, "max_listed: must be 0 to 1000000", "max_listed");
  }
  if (!(options.duplicate_probability >= 0 && options.duplicate_probability <= 1)) {
    throw Error(Errc::invalid_argument, "duplicate_probability: must be 0 to 1", "duplicate_probability");
  }
  const std::string by = text::clean_required(options.by, "by", rules::kMaxActor);
  const std::string& region = state_->options.default_region;
  const auto definitions = state_->read([](store::Transaction& tx) { return tx.custom_fields().list(); });
  Columns columns(options.mapping, definitions);
  io::RecordReader reader(path, options.format, options.encoding, options.delimiter);
  for (const auto& column : reader.header()) columns.of(column);

  Tally tally;
  tally.max_listed = options.max_listed;
  ImportReport& report = tally.report;
  report.file = path;
  report.format = reader.format();
  report.encoding = reader.encoding();
  report.delimiter = reader.delimiter();
  report.dry_run = options.dry_run;
  report.rows = reader.records();
  const std::string key = run_key(reader, options, by);
  const bool check_duplicates = options.duplicates != DuplicateCheck::off;
  const ActorScope scope(by, EventSource::integration);

  // One row, in its own savepoint: all of it or, rejected, none of it.
  const auto import_row = [&](store::Transaction& tx, std::int64_t run, const io::Record& record, RejectFile& rejects,
                              Timestamp now) {
    try {
      tx.step([&] {
        Row row = read_row(record, columns, options.date_order, now, region);
        try {
          auto& repo = tx.customers();
          const Customer& in = row.customer;
          // Match: number, then each email, then a phone with the same first name.
          std::optional<CustomerId> found;
          std::string found_by;
          const auto meet = [&](const CustomerId& id, const std::string& column) {
            if (!found) {
              found = id;
              found_by = column;
            } else if (*found != id) {
              refuse_row(Errc::conflict, column,
                         "names another customer than " + found_by + " does (" +
                             repo.by_id(id, now)->number + ", not " + repo.by_id(*found, now)->number + ")");
            }
          };
          if (!in.number.empty()) {
            if (const auto id = repo.id_by_number(in.number)) meet(*id, row.column_of.at("number"));
          }
          for (const auto& [address, column] : row.email_columns) {
            if (const auto id = repo.id_by_email(address)) meet(*id, column);
          }
          if (found && !in.number.empty() && found_by != row.column_of.at("number")) {
            refuse_row(Errc::conflict, row.column_of.at("number"),
                       "the row's " + found_by + " belongs to customer " + repo.by_id(*found, now)->number +
                           ", whose number is not " + in.number);
          }
          if (!found && !in.first_name.empty()) {
            const std::string first = text::fold(in.first_name);
            for (const auto& p : in.phones) {
              for (const auto& held : repo.by_phone(p.number, now)) {
                if (!found && text::fold(held.first_name) == first) found = held.id;
              }
            }
          }
          if (found) {
            if (const auto earlier = tx.imports().touched(run, *found)) {
              apply(tx, *repo.by_id(*found, now), row, columns, now);
              tally.same_as(record.line, *earlier, *found);
              return;
            }
            if (options.mode == ImportMode::create) {
              refuse_row(Errc::already_exists, found_by.empty() ? "phone" : found_by,
                         "customer " + repo.by_id(*found, now)->number +
                             " already has it; mode create adds new customers only");
            }
            const bool changed = apply(tx, *repo.by_id(*found, now), row, columns, now);
            ++(changed ? report.updated : report.unchanged);
            tx.imports().touch(run, *found, record.line);
            return;
          }
          if (options.mode == ImportMode::update) {
            refuse_row(Errc::not_found, "row", "matches no customer by number, email, or phone and first name");
          }
          Customer c = in;
          std::optional<DuplicateCandidate> like;
          if (check_duplicates) {
            auto found_like = detail::candidates_of(tx, match::record_of(c), std::nullopt,
                                                    SimilarOptions{options.duplicate_probability, 1});
            if (!found_like.empty()) like = std::move(found_like.front());
          }
          if (like && options.duplicates == DuplicateCheck::hold) {
            tally.resembles(record.line, std::nullopt, like->customer, like->explanation.probability);
            refuse_row(Errc::conflict, "row",
                       "resembles customer " + like->number + " (match probability " +
                           std::to_string(like->explanation.probability).substr(0, 5) +
                           "); held back for review");
          }
          detail::insert_new_customer(tx, c, now, row.custom, true);
          if (check_duplicates) tx.duplicates().put({{c.id, detail::match_entry_of(c)}});
          tx.imports().touch(run, c.id, record.line);
          ++report.created;
          if (like) tally.resembles(record.line, c.id, like->customer, like->explanation.probability);
        } catch (const Error& e) {
          throw in_columns(e, row);
        }
      });
    } catch (const Error& e) {
      if (e.code() == Errc::storage || e.code() == Errc::internal) throw;
      tally.reject(record.line, e);
      rejects.add(record, e);
    }
  };

  // Reads and imports up to `limit` records in `tx`; false at the end of the file.
  io::Record record;
  std::uint64_t done = 0;
  const auto import_rows = [&](store::Transaction& tx, std::int64_t run, RejectFile& rejects, std::size_t limit) {
    const Timestamp now = state_->now();
    if (check_duplicates) detail::refresh_match_entries(tx, now);
    for (std::size_t n = 0; n < limit; ++n) {
      if (!reader.next(record)) return false;
      ++done;
      import_row(tx, run, record, rejects, now);
    }
    return true;
  };

  if (options.dry_run) {
    RejectFile rejects(options.rejects, 0, reader.format(), reader.delimiter(), reader.header());
    try {
      state_->write([&](store::Transaction& tx) {
        const Timestamp now = state_->now();
        while (check_duplicates && detail::refresh_match_entries(tx, now)) {
        }
        const std::int64_t run = tx.imports().start(key, "customers", now);
        while (import_rows(tx, run, rejects, options.batch_size)) {
        }
        throw RollBack{};
      });
    } catch (const RollBack&) {
    }
    rejects.sync();
    report.completed = true;
  } else {
    auto run = state_->read([&](store::Transaction& tx) { return tx.imports().run(key); });
    RejectFile rejects(options.rejects, run ? run->rejects_bytes : 0, reader.format(), reader.delimiter(),
                       reader.header());
    if (run) {
      tally.restore(*run);
      report.resumed_after = run->rows_done;
      while (done < run->rows_done && reader.next(record)) ++done;
    } else {
      run.emplace();
      run->id = state_->write([&](store::Transaction& tx) { return tx.imports().start(key, "customers", state_->now()); });
    }
    if (check_duplicates) {
      while (state_->write([&](store::Transaction& tx) { return detail::refresh_match_entries(tx, state_->now()); })) {
      }
    }
    bool more = true;
    report.completed = true;
    while (more) {
      state_->write([&](store::Transaction& tx) {
        tally.new_listed.clear();
        more = import_rows(tx, run->id, rejects, options.batch_size);
        tx.imports().advance(run->id, done, rejects.sync(), tally.counts(), tally.new_listed, state_->now());
      });
      if (more && options.progress && !options.progress(ImportProgress{done, report.rows})) {
        report.completed = false;
        break;
      }
    }
    if (report.completed) {
      state_->write([&](store::Transaction& tx) {
        tx.imports().finish(run->id);
        detail::record(tx, state_->now(),
                       detail::make_change(std::nullopt, EventCategory::system, EventType::integration,
                                           "customers.imported", "Customers imported",
                                           detail::EventJson{{"file", std::filesystem::path(path).filename().string()},
                                                             {"rows", report.rows},
                                                             {"created", report.created},
                                                             {"updated", report.updated},
                                                             {"unchanged", report.unchanged},
                                                             {"rejected", report.rejected},
                                                             {"same_as_earlier_line", report.same_as_earlier_line},
                                                             {"possible_duplicates", report.possible_duplicates}}));
      });
    }
    if (options.progress && report.completed) options.progress(ImportProgress{done, report.rows});
  }
  report.columns = columns.used();
  report.unknown_columns = columns.unknown();
  return report;
}

}  // namespace patron
