#include "patron/imports.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <set>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <csv.h>

#include "core/custom_field_ops.hpp"
#include "core/customer_ops.hpp"
#include "core/duplicate_ops.hpp"
#include "core/bounded_json.hpp"
#include "core/enum_names.hpp"
#include "core/event_builders.hpp"
#include "core/rules.hpp"
#include "core/sealed.hpp"
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
  line1, line2, city, region, postal_code, country, custom, ignore,
  // What an export writes (exports.hpp): kept when a row creates a customer.
  id, created_at, updated_at, first_active_at, last_active_at, status, ban_reason, ban_by, ban_at,
  emergency_name, emergency_phone,
  // The numbered entries of a list ("emails.2.address", "phones.1.label").
  email_primary, phone_label, address_part,
  derived  // known, but patron works it out itself (phones.N.verified, addresses.N.id, presence)
};

struct TargetSpec {
  Target target = Target::ignore;
  PhoneLabel label = PhoneLabel::mobile;
  std::string custom_key{};
  std::string name{};      // as a mapping spells it: "phone.home", "custom.vip"
  std::size_t item = 0;    // the entry of a numbered list (1 on), 0 when not numbered
  std::string part{};      // address_part: the address field ("city", "purpose", "is_default")
  bool used = false;       // a row gave it a value (the report lists it)
};

constexpr std::array<std::pair<std::string_view, Target>, 29> kTargets{{
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
    {"id", Target::id},
    {"created_at", Target::created_at},
    {"updated_at", Target::updated_at},
    {"first_active_at", Target::first_active_at},
    {"last_active_at", Target::last_active_at},
    {"status", Target::status},
    {"ban.reason", Target::ban_reason},
    {"ban.by", Target::ban_by},
    {"ban.at", Target::ban_at},
    {"emergency_contact.name", Target::emergency_name},
    {"emergency_contact.phone", Target::emergency_phone},
    {"presence", Target::derived},
    {"online_until", Target::derived},
}};

constexpr std::array<std::string_view, 8> kAddressParts{"purpose", "line1", "line2",   "city",
                                                        "region",  "postal_code", "country", "is_default"};
constexpr std::size_t kMaxListItem = 1000;

// "<list>.<n>[.<part>]": the entry n (1 on) of a numbered list, as an export
// names it and JSON Lines arrays flatten.
std::optional<TargetSpec> numbered_target(std::string_view name) {
  const auto dot = name.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const std::string_view list = name.substr(0, dot);
  std::string_view rest = name.substr(dot + 1);
  const auto next = rest.find('.');
  const std::string_view digits = rest.substr(0, next);
  const std::string_view part = next == std::string_view::npos ? std::string_view() : rest.substr(next + 1);
  std::size_t n = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty() || digits[0] == '0' || n < 1 ||
      n > kMaxListItem) {
    return std::nullopt;
  }
  TargetSpec spec;
  spec.name = std::string(name);
  spec.item = n;
  if (list == "tags" && part.empty()) {
    spec.target = Target::tags;
  } else if (list == "email" && part.empty()) {
    spec.target = Target::email;
  } else if (list == "phone" && part.empty()) {
    spec.target = Target::phone;
  } else if (list == "emails" && (part.empty() || part == "address")) {
    spec.target = Target::email;
  } else if (list == "emails" && part == "primary") {
    spec.target = Target::email_primary;
  } else if (list == "phones" && (part.empty() || part == "number")) {
    spec.target = Target::phone;
  } else if (list == "phones" && part == "label") {
    spec.target = Target::phone_label;
  } else if ((list == "phones" && part == "verified") || (list == "addresses" && part == "id")) {
    spec.target = Target::derived;
  } else if (list == "addresses" && std::find(kAddressParts.begin(), kAddressParts.end(), part) != kAddressParts.end()) {
    spec.target = Target::address_part;
    spec.part = std::string(part);
  } else {
    return std::nullopt;
  }
  return spec;
}

std::optional<TargetSpec> parse_target(std::string_view name) {
  TargetSpec spec;
  spec.name = std::string(name);
  // custom.<key> or custom_fields.<key> (as an export names it); a numbered
  // custom_fields.<key>.<n> is one option of a multi_select.
  for (const std::string_view prefix : {std::string_view("custom."), std::string_view("custom_fields.")}) {
    if (!name.starts_with(prefix) || name.size() == prefix.size()) continue;
    std::string_view key = name.substr(prefix.size());
    if (const auto dot = key.rfind('.'); dot != std::string_view::npos) {
      const std::string_view digits = key.substr(dot + 1);
      std::size_t n = 0;
      const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
      if (ec == std::errc() && end == digits.data() + digits.size() && !digits.empty() && digits[0] != '0' &&
          n >= 1 && n <= kMaxListItem) {
        spec.item = n;
        key = key.substr(0, dot);
      }
    }
    spec.target = Target::custom;
    spec.custom_key = std::string(key);
    return spec;
  }
  if (auto numbered = numbered_target(name)) return numbered;
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

// The targets only an export writes (see Columns::decide).
bool exported_only(Target t) {
  switch (t) {
    case Target::id: case Target::created_at: case Target::updated_at: case Target::first_active_at:
    case Target::last_active_at: case Target::status: case Target::ban_reason: case Target::ban_by:
    case Target::ban_at: case Target::derived:
      return true;
    default:
      return false;
  }
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
      const std::string field = "mapping.policies." + target;
      const auto spec = parse_target(target);
      if (!spec) throw Error(Errc::invalid_argument, field + ": not a field an import fills", field);
      check_custom(*spec, field);
    }
  }

  // The target of `column`; nullptr when it is not imported.
  // Memory stays bounded however many distinct columns a file names (JSON
  // Lines may name new ones on every line): past kMaxColumns nothing more is
  // remembered, and the report lists at most that many unknown ones.
  static constexpr std::size_t kMaxColumns = 1000;

  const TargetSpec* of(const std::string& column) {
    auto it = resolved_.find(column);
    if (it == resolved_.end()) {
      std::optional<TargetSpec> spec = column.starts_with("reject_") ? std::nullopt : common_target(column);
      if (spec && exported_only(spec->target) && !export_shaped_) spec.reset();
      if (spec) {
        check_custom(*spec, column);
      } else if (!column.starts_with("reject_") && unknown_.size() < kMaxColumns &&
                 std::find(unknown_.begin(), unknown_.end(), column) == unknown_.end()) {
        unknown_.push_back(column);
      }
      if (resolved_.size() >= kMaxColumns) {
        spare_ = spec.value_or(TargetSpec{});
        return spare_.target == Target::ignore || spare_.target == Target::derived ? nullptr : &spare_;
      }
      it = resolved_.emplace(column, spec.value_or(TargetSpec{})).first;
    }
    if (it->second.target == Target::ignore || it->second.target == Target::derived) return nullptr;
    if (!it->second.used) {
      it->second.used = true;
      used_.emplace(column, it->second.name);
    }
    return &it->second;
  }

  // Whether the file is one patron exported: its columns (a CSV header, or
  // the members of the first JSON line) include id, number, created_at and
  // updated_at. Only then do the columns only an export writes (id, the
  // times, status, ban) map themselves: a legacy file's own "id" or
  // "status" means something else (a mapping still maps them). Decided once.
  void decide(const std::vector<std::string>& names) {
    if (decided_) return;
    decided_ = true;
    const auto has = [&](std::string_view n) { return std::find(names.begin(), names.end(), n) != names.end(); };
    export_shaped_ = has("id") && has("number") && has("created_at") && has("updated_at");
  }
  void decide(const io::Record& record) {
    if (decided_) return;
    std::vector<std::string> names;
    for (const auto& field : record.fields) names.push_back(field.first);
    decide(names);
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
  TargetSpec spare_;  // a column past kMaxColumns, resolved for one row
  bool decided_ = false;
  bool export_shaped_ = false;
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
  // Checked before std::chrono::day, which keeps only 8 bits (257 is 1).
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1 || y > 9999) return bad();
  const Date date{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
                  std::chrono::day{static_cast<unsigned>(d)}};
  if (!date.ok()) return bad();
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
  std::optional<CustomerId> id{};                     // an id to keep (or match on)
  std::map<std::string, CustomValue> custom{};        // by key
  std::map<std::string, std::string> column_of{};     // target name -> first column that gave it
  std::vector<std::pair<std::string, std::string>> email_columns{};  // address -> column
  std::vector<std::pair<Phone, std::string>> phone_columns{};        // valid phones -> column
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

// An Error naming a field a column gave ("address.city", or
// "custom_fields.<key>" from a custom field rule) names the column instead.
Error in_columns(const Error& e, const Row& row) {
  constexpr std::string_view kCustom = "custom_fields.";
  const std::string target =
      e.field().starts_with(kCustom) ? "custom." + e.field().substr(kCustom.size()) : e.field();
  const auto it = row.column_of.find(target);
  if (it == row.column_of.end()) return e;
  std::string message = e.what();
  if (message.starts_with(e.field())) message.replace(0, e.field().size(), it->second);
  return Error(e.code(), message, it->second);
}

constexpr std::size_t kMaxBanReason = 500;

void add_email_to(Row& row, std::string e, const std::string& column) {
  auto& emails = row.customer.emails;
  if (std::any_of(emails.begin(), emails.end(), [&](const Email& o) { return o.address == e; })) return;
  row.email_columns.emplace_back(e, column);
  emails.push_back(Email{std::move(e), emails.empty()});
}

void add_phone_to(Row& row, Phone p, const std::string& column) {
  auto& phones = row.customer.phones;
  if (std::any_of(phones.begin(), phones.end(), [&](const Phone& o) { return o.number == p.number; })) return;
  if (p.verified) row.phone_columns.emplace_back(p, column);
  phones.push_back(std::move(p));
}

bool truth(std::string_view v, const std::string& column) {
  const std::string f = text::lower(v);
  if (f == "true" || f == "yes" || f == "y" || f == "1" || f == "x") return true;
  if (f == "false" || f == "no" || f == "n" || f == "0") return false;
  throw Error(Errc::invalid_argument, column + ": not true or false", column);
}

// The numbered entries of a row's lists, put together once the row is read.
struct Entries {
  struct PhoneEntry {
    std::string number, column;
    PhoneLabel label = PhoneLabel::mobile;
  };
  struct AddressEntry {
    Address address;
    std::optional<bool> is_default;
    std::string column;          // the first column that gave it
    std::string default_column;  // the column that gave is_default
  };
  std::map<std::size_t, std::pair<std::string, std::string>> emails;  // n -> value, column
  std::optional<std::size_t> primary_email;
  std::map<std::size_t, PhoneEntry> phones;
  std::map<std::size_t, AddressEntry> addresses;
  std::map<std::string, std::vector<std::string>> options;  // multi_select key -> options
  std::map<std::string, std::string> option_columns;        // key -> first column
};

Row read_row(const io::Record& record, Columns& columns, DateOrder order, Timestamp now, const std::string& region) {
  if (!record.problem.empty()) refuse_row(Errc::invalid_argument, record.problem_field, record.problem);
  columns.decide(record);
  Row row;
  Customer& c = row.customer;
  std::optional<Address> address;
  std::vector<std::string> tags;
  Entries entries;
  std::optional<Timestamp> created_at, updated_at;
  std::optional<EmergencyContact> emergency;
  std::optional<Ban> ban;
  bool banned = false;
  const auto time_cell = [&](std::string_view v, const std::string& column) {
    return clamp_time(parse_timestamp(v, column));
  };
  for (const auto& [column, raw] : record.fields) {
    const TargetSpec* t = columns.of(column);
    if (t == nullptr) continue;
    const std::string_view v = text::trim(raw);
    if (v.empty()) continue;
    if (!row.given.insert(t->name).second && t->target != Target::email && t->target != Target::phone &&
        t->target != Target::tags && !(t->target == Target::custom && t->item > 0)) {
      continue;  // a second column of a single field: the first one given stands
    }
    row.column_of.emplace(t->name, column);
    if (t->target == Target::tags) row.column_of.emplace("tags", column);
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
        if (t->item > 0) {
          tags.emplace_back(v);  // one entry of a list: never split
        } else {
          for (auto& tag : list_cell(v)) tags.push_back(std::move(tag));
        }
        break;
      case Target::email:
        if (t->item > 0) {
          entries.emails.emplace(t->item, std::pair{std::string(v), column});
        } else {
          add_email_to(row, rules::email(v, column), column);
        }
        break;
      case Target::phone:
        if (t->item > 0) {
          auto& e = entries.phones[t->item];
          e.number = std::string(v);
          e.column = column;
        } else {
          add_phone_to(row, rules::phone(v, t->label, region, column), column);
        }
        break;
      case Target::phone_label:
        entries.phones[t->item].label = parse_phone_label(v, column);
        break;
      case Target::email_primary:
        if (truth(v, column)) entries.primary_email = t->item;
        break;
      case Target::address_part: {
        auto& e = entries.addresses[t->item];
        if (e.column.empty()) e.column = column;
        Address& a = e.address;
        if (t->part == "purpose") a.purpose = parse_address_purpose(v, column);
        else if (t->part == "line1") a.line1 = std::string(v);
        else if (t->part == "line2") a.line2 = std::string(v);
        else if (t->part == "city") a.city = std::string(v);
        else if (t->part == "region") a.region = std::string(v);
        else if (t->part == "postal_code") a.postal_code = std::string(v);
        else if (t->part == "country") a.country = std::string(v);
        else {
          e.is_default = truth(v, column);
          e.default_column = column;
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
        if (t->item > 0) {
          if (columns.definition(t->custom_key).type != FieldType::multi_select) {
            refuse_row(Errc::invalid_argument, column, "a numbered entry of a field that is not a multi_select");
          }
          entries.options[t->custom_key].emplace_back(v);
          entries.option_columns.emplace(t->custom_key, column);
        } else {
          row.custom[t->custom_key] = custom_cell(v, columns.definition(t->custom_key), order, column);
        }
        break;
      case Target::id: {
        const auto id = CustomerId::try_parse(v);
        if (!id) refuse_row(Errc::invalid_argument, column, "not a customer id");
        row.id = *id;
        break;
      }
      case Target::created_at: created_at = time_cell(v, column); break;
      case Target::updated_at: updated_at = time_cell(v, column); break;
      case Target::first_active_at: c.first_active_at = time_cell(v, column); break;
      case Target::last_active_at: c.last_active_at = time_cell(v, column); break;
      case Target::status:
        if (v == "banned") {
          banned = true;
        } else if (v != "active") {
          refuse_row(Errc::invalid_argument, column, "must be active or banned");
        }
        break;
      case Target::ban_reason:
        if (!ban) ban.emplace();
        ban->reason = text::clean_required(v, column, kMaxBanReason);
        break;
      case Target::ban_by:
        if (!ban) ban.emplace();
        ban->by = text::clean_required(v, column, rules::kMaxActor);
        break;
      case Target::ban_at:
        if (!ban) ban.emplace();
        ban->at = time_cell(v, column);
        break;
      case Target::emergency_name:
        if (!emergency) emergency.emplace();
        emergency->name = std::string(v);
        break;
      case Target::emergency_phone:
        if (!emergency) emergency.emplace();
        emergency->phone = std::string(v);
        break;
      case Target::ignore:
      case Target::derived:
        break;
    }
  }
  for (const auto& [n, entry] : entries.emails) {
    const auto& [value, column] = entry;
    add_email_to(row, rules::email(value, column), column);
    if (entries.primary_email == n) {
      // The entry marked primary leads, wherever it came.
      auto& emails = c.emails;
      const std::string primary = rules::email(value, column);
      const auto it = std::find_if(emails.begin(), emails.end(), [&](const Email& o) { return o.address == primary; });
      std::rotate(emails.begin(), it, it + 1);
      for (auto& e : emails) e.primary = e.address == primary;
    }
  }
  for (const auto& [n, entry] : entries.phones) {
    if (entry.number.empty()) continue;  // a label without a number
    add_phone_to(row, rules::phone(entry.number, entry.label, region, entry.column), entry.column);
  }
  std::set<AddressPurpose> defaults;
  for (auto& [n, entry] : entries.addresses) {
    const std::string prefix = "addresses." + std::to_string(n);
    Address a = entry.address;
    if (a.country.empty()) a.country = region;
    try {
      a = rules::address(a, prefix);
    } catch (const Error& e) {
      throw in_columns(e, row);
    }
    a.is_default = entry.is_default.value_or(!defaults.contains(a.purpose) &&
                                              std::none_of(entries.addresses.begin(), entries.addresses.end(),
                                                           [&](const auto& o) {
                                                             return o.second.is_default.value_or(false) &&
                                                                    o.second.address.purpose == a.purpose;
                                                           }));
    if (a.is_default && !defaults.insert(a.purpose).second) {
      refuse_row(Errc::invalid_argument, entry.default_column.empty() ? entry.column : entry.default_column,
                 "a second default " + std::string(to_string(a.purpose)) + " address");
    }
    c.addresses.push_back(std::move(a));
  }
  for (auto& [key, options] : entries.options) {
    const std::string& column = entries.option_columns.at(key);
    if (row.custom.contains(key)) refuse_row(Errc::invalid_argument, column, "given both whole and by entry");
    row.custom[key] = std::move(options);
  }
  if (emergency) {
    try {
      c.emergency_contact = rules::emergency_contact(*emergency, region, "emergency_contact");
    } catch (const Error& e) {
      throw in_columns(e, row);
    }
  }
  if (ban && !banned) {
    std::string column = "status";
    for (const char* part : {"ban.at", "ban.by", "ban.reason"}) {
      if (row.column_of.contains(part)) column = row.column_of.at(part);
    }
    refuse_row(Errc::invalid_argument, column, "needs status banned");
  }
  if (banned) {
    c.status = CustomerStatus::banned;
    c.ban = ban.value_or(Ban{});
    if (c.ban->reason.empty()) c.ban->reason = "imported";
    if (c.ban->by.empty()) c.ban->by = "import";
    if (c.ban->at == Timestamp{}) c.ban->at = now;
  }
  if (!tags.empty()) c.tags = rules::tags(tags, row.column_of.at("tags"));
  if (address) {
    // A legacy file seldom says the country of a local address: the
    // database's region does.
    if (address->country.empty()) address->country = region;
    try {
      c.addresses.push_back(rules::address(*address, "address"));
    } catch (const Error& e) {
      throw in_columns(e, row);
    }
    c.addresses.back().is_default = !defaults.contains(c.addresses.back().purpose);
  }
  c.created_at = created_at.value_or(now);
  c.updated_at = updated_at.value_or(std::max(now, c.created_at));
  if (c.updated_at < c.created_at) {
    refuse_row(Errc::invalid_argument, row.column_of.at("updated_at"), "before created_at");
  }
  if (c.first_active_at && c.last_active_at && *c.last_active_at < *c.first_active_at) {
    refuse_row(Errc::invalid_argument, row.column_of.at("last_active_at"), "before first_active_at");
  }
  return row;
}

bool same_address(const Address& a, const Address& b) {
  return a.line1 == b.line1 && a.line2 == b.line2 && a.city == b.city && a.region == b.region &&
         a.postal_code == b.postal_code && a.country == b.country;
}

// Applies a row to an existing customer: the customer as it now is, or
// nothing when nothing changed.
std::optional<Customer> apply(store::Transaction& tx, Customer c, const Row& row, const Columns& columns,
                              Timestamp now) {
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
  take(c.emergency_contact, in.emergency_contact,
       row.given.contains("emergency_contact.name") || row.given.contains("emergency_contact.phone"),
       "emergency_contact.name");
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
                   c.tags == before.tags && c.emergency_contact == before.emergency_contact);
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
  if (!changed) return std::nullopt;
  detail::save_profile(tx.customers(), c, old_key, now);
  return c;
}

// The report as it stands, kept in the run between batches.
struct Tally {
  ImportReport report;
  std::size_t max_listed = 0;

  void reject(std::uint64_t line, const Error& e) {
    ++report.rejected;
    if (report.rejected_rows.size() < max_listed) {
      report.rejected_rows.push_back(RejectedRow{line, e.field(), e.code(), e.what()});
    }
  }
  void same_as(std::uint64_t line, std::uint64_t earlier, const CustomerId& id) {
    ++report.same_as_earlier_line;
    if (report.same_as_rows.size() < max_listed) report.same_as_rows.push_back(SameAsRow{line, earlier, id});
  }
  void resembles(std::uint64_t line, const std::optional<CustomerId>& id, const CustomerId& other, double p) {
    ++report.possible_duplicates;
    if (report.possible_duplicate_rows.size() < max_listed) {
      report.possible_duplicate_rows.push_back(PossibleDuplicateRow{line, id, other, p});
    }
  }

  // Where the report stood before a batch, to go back to when the batch is
  // redone, and to tell what the batch listed.
  struct Mark {
    std::array<std::uint64_t, 6> counts{};
    std::size_t rejected_rows = 0, same_as_rows = 0, possible_duplicate_rows = 0;
  };
  Mark mark() const {
    const ImportReport& r = report;
    return Mark{{r.created, r.updated, r.unchanged, r.rejected, r.same_as_earlier_line, r.possible_duplicates},
                r.rejected_rows.size(),
                r.same_as_rows.size(),
                r.possible_duplicate_rows.size()};
  }
  void rewind(const Mark& m) {
    ImportReport& r = report;
    r.created = m.counts[0], r.updated = m.counts[1], r.unchanged = m.counts[2];
    r.rejected = m.counts[3], r.same_as_earlier_line = m.counts[4], r.possible_duplicates = m.counts[5];
    r.rejected_rows.resize(m.rejected_rows);
    r.same_as_rows.resize(m.same_as_rows);
    r.possible_duplicate_rows.resize(m.possible_duplicate_rows);
  }
  // The JSON of each entry listed since `m`, for the run.
  std::vector<std::string> listed_since(const Mark& m) const {
    std::vector<std::string> out;
    for (std::size_t i = m.rejected_rows; i < report.rejected_rows.size(); ++i) {
      const RejectedRow& e = report.rejected_rows[i];
      out.push_back(detail::EventJson{{"k", "r"},
                                      {"line", e.line},
                                      {"field", e.field},
                                      {"code", static_cast<int>(e.code)},
                                      {"message", e.message}}
                        .dump());
    }
    for (std::size_t i = m.same_as_rows; i < report.same_as_rows.size(); ++i) {
      const SameAsRow& e = report.same_as_rows[i];
      out.push_back(
          detail::EventJson{{"k", "s"}, {"line", e.line}, {"earlier", e.earlier_line}, {"customer", e.customer.str()}}
              .dump());
    }
    for (std::size_t i = m.possible_duplicate_rows; i < report.possible_duplicate_rows.size(); ++i) {
      const PossibleDuplicateRow& e = report.possible_duplicate_rows[i];
      out.push_back(detail::EventJson{{"k", "d"},
                                      {"line", e.line},
                                      {"customer", e.customer ? detail::EventJson(e.customer->str()) : detail::EventJson()},
                                      {"resembles", e.resembles.str()},
                                      {"p", e.probability}}
                        .dump());
    }
    return out;
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
    // A reject file fed back in brings its own reject_* columns: they are
    // replaced, not kept beside the new ones.
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (!header[i].starts_with("reject_")) kept_.push_back(i);
    }
    header_size_ = header.size();
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
      for (const std::size_t i : kept_) cells.push_back(header[i]);
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
      // A record past the limits was not read whole: none of it is written.
      if (record.problem_field != "row") {
        for (std::size_t i = 0; i < record.cells.size(); ++i) {
          // Cells past the header are kept; so are the header's own columns.
          if (i >= header_size_ || std::binary_search(kept_.begin(), kept_.end(), i)) {
            cells.push_back(record.cells[i]);
          }
        }
      }
      write_cells(cells);
      return;
    }
    nlohmann::ordered_json j = nlohmann::ordered_json::object();
    j["reject_line"] = record.line;
    j["reject_field"] = e.field();
    j["reject_code"] = errc_name(e.code());
    j["reject_message"] = e.what();
    const std::string original_text = record.cells.empty() ? std::string() : record.cells.front();
    try {
      if (record.problem.empty()) {
        const auto original = detail::parse_bounded_json<nlohmann::ordered_json>(original_text, "line");
        for (const auto& [k, v] : original.items()) {
          if (!k.starts_with("reject_")) j[k] = v;
        }
      } else {
        j["reject_text"] = text::printable(original_text);
      }
    } catch (const Error&) {
      j["reject_text"] = text::printable(original_text);
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
  std::vector<std::size_t> kept_;  // header columns written back
  std::size_t header_size_ = 0;
  std::FILE* file_ = nullptr;
};

// What makes two runs the same run: the file's bytes and every option that
// changes what the rows do or where rejects go.
std::string run_key(const io::RecordReader& reader, const ImportOptions& o, const std::string& by,
                    const std::string& region, const std::vector<FieldDefinition>& definitions) {
  detail::EventJson fields = detail::EventJson::array();
  for (const auto& d : definitions) {
    fields.push_back({d.key, to_string(d.type), d.required, d.options});
  }
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
                              {"region", region},
                              {"custom_fields", fields},
                              {"dry_run", o.dry_run}};
  detail::Blake2b hash;
  hash.update(key.dump());
  return hash.hex();
}

// One import of a file at a time: two runs of the same file and options
// would share one checkpoint and one reject file. Held (flock) for the
// whole run; released when the process dies.
class FileLock {
 public:
  explicit FileLock(const std::string& path) : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {
    if (fd_ < 0) throw Error(Errc::not_found, "file: cannot open " + text::printable(path), "file");
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      ::close(fd_);
      throw Error(Errc::conflict, "file: another import of this file is running", "file");
    }
  }
  ~FileLock() { ::close(fd_); }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_;
};

// Stops a dry run's transaction after its report is made.
struct RollBack {};

// A row refused after its first write, outside a savepoint: the batch is
// rolled back and redone with a savepoint per row.
struct WroteHalf {};

// The records of one batch (one transaction) and the ones it rejected.
struct Batch {
  std::vector<io::Record> records;
  std::vector<std::pair<const io::Record*, Error>> rejected;
};

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
  const FileLock lock(path);
  if (!options.rejects.empty()) {
    std::error_code ec;
    if (std::filesystem::equivalent(options.rejects, path, ec)) {
      throw Error(Errc::invalid_argument, "rejects: is the file being imported", "rejects");
    }
  }
  io::RecordReader reader(path, options.format, options.encoding, options.delimiter);
  if (!reader.header().empty()) columns.decide(reader.header());
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
  const std::string key = run_key(reader, options, by, region, definitions);
  const bool check_duplicates = options.duplicates != DuplicateCheck::off;

  // One row: all of it or, rejected, none of it. Every refusal a row can
  // meet comes before its first write, except a few that only a write can
  // find (a custom field value a field's rules refuse): `guarded` runs the
  // row in a savepoint; unguarded (the fast way: a savepoint copies every
  // page the row touches), a refusal after a write throws WroteHalf, and
  // the caller redoes the batch guarded.
  const auto import_row = [&](store::Transaction& tx, std::int64_t run, const io::Record& record, Batch& batch,
                              Timestamp now, bool guarded) {
    bool writing = false;
    const auto body = [&] {
      Row row = read_row(record, columns, options.date_order, now, region);
      try {
        auto& repo = tx.customers();
        const Customer& in = row.customer;
        const auto number_of = [&](const CustomerId& id) { return repo.by_id(id, now)->number; };
        // Match: number, then each email, then a valid phone held by a
        // customer of the same first name. Keys naming two customers, or a
        // number other than the one matched, are a conflict.
        std::optional<CustomerId> found;
        std::string found_by;
        const auto meet = [&](const CustomerId& id, const std::string& column) {
          if (!found) {
            found = id;
            found_by = column;
          } else if (*found != id) {
            refuse_row(Errc::conflict, column,
                       "names customer " + number_of(id) + ", but " + found_by + " names " + number_of(*found));
          }
        };
        bool id_matched = false, number_matched = false;
        if (row.id) {
          if (const auto id = repo.live_id(*row.id)) {
            meet(*id, row.column_of.at("id"));
            id_matched = true;
          }
        }
        if (!in.number.empty()) {
          if (const auto id = repo.id_by_number(in.number)) {
            meet(*id, row.column_of.at("number"));
            number_matched = true;
          }
        }
        for (const auto& [address, column] : row.email_columns) {
          if (const auto id = repo.id_by_email(address)) meet(*id, column);
        }
        // A phone (the weakest key) only names the customer of a row that
        // brings no number or id of its own: two guests of one household
        // share a phone and a first name, and a file that numbers them
        // knows them apart.
        if (!found && !in.first_name.empty() && in.number.empty() && !row.id) {
          for (const auto& [phone, column] : row.phone_columns) {
            if (found) break;
            if (const auto id = detail::holder_of_phone(repo, phone.number, in.first_name, now)) meet(*id, column);
          }
        }
        if (found && !in.number.empty() && !number_matched) {
          refuse_row(Errc::conflict, row.column_of.at("number"),
                     "the row's " + found_by + " belongs to customer " + number_of(*found) +
                         ", whose number is not " + in.number);
        }
        if (found && row.id && !id_matched) {
          refuse_row(Errc::conflict, row.column_of.at("id"),
                     "the row's " + found_by + " belongs to customer " + number_of(*found) + ", whose id is not " +
                         row.id->str());
        }
        if (found) {
          const auto earlier = tx.imports().touched(run, *found);
          if (!earlier && options.mode == ImportMode::create) {
            refuse_row(Errc::already_exists, found_by,
                       "customer " + number_of(*found) + " already has it; mode create adds new customers only");
          }
          writing = true;
          const auto changed = apply(tx, *repo.by_id(*found, now), row, columns, now);
          if (changed && check_duplicates) tx.duplicates().put({{changed->id, detail::match_entry_of(*changed)}});
          if (earlier) {
            tally.same_as(record.line, *earlier, *found);
          } else {
            tx.imports().touch(run, *found, record.line);
            ++(changed ? report.updated : report.unchanged);
          }
          return;
        }
        if (options.mode == ImportMode::update) {
          refuse_row(Errc::not_found, "row", "matches no customer by number, email, or phone and first name");
        }
        Customer c = in;
        if (row.id) c.id = *row.id;
        rules::require_recognisable(c, Errc::invalid_argument, "");
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
                         std::to_string(like->explanation.probability).substr(0, 5) + "); held back for review");
        }
        writing = true;
        detail::insert_new_customer(tx, c, now, row.custom, true);
        if (check_duplicates) tx.duplicates().put({{c.id, detail::match_entry_of(c)}});
        tx.imports().touch(run, c.id, record.line);
        ++report.created;
        if (like) tally.resembles(record.line, c.id, like->customer, like->explanation.probability);
      } catch (const Error& e) {
        throw in_columns(e, row);
      }
    };
    try {
      if (guarded) {
        tx.step(body);
      } else {
        body();
      }
    } catch (const Error& e) {
      if (e.code() == Errc::storage || e.code() == Errc::internal) throw;
      if (writing && !guarded) throw WroteHalf{};
      tally.reject(record.line, e);
      batch.rejected.emplace_back(&record, e);
    }
  };

  // Imports one batch of records in `tx`, then writes its rejected rows to
  // the reject file (durably, before the transaction commits).
  const auto import_batch = [&](store::Transaction& tx, std::int64_t run, Batch& batch, RejectFile& rejects,
                                bool guarded) {
    const ActorScope scope(by, EventSource::integration);
    const Timestamp now = state_->now();
    // Entries changed by others since the last batch: fresh before any row
    // is compared (this run's own rows keep theirs fresh as they go).
    while (check_duplicates && detail::refresh_match_entries(tx, now)) {
    }
    batch.rejected.clear();
    for (const auto& record : batch.records) import_row(tx, run, record, batch, now, guarded);
    for (const auto& [record, error] : batch.rejected) rejects.add(*record, error);
    return rejects.sync();
  };

  std::uint64_t done = 0;
  Batch batch;
  const auto read_batch = [&] {
    batch.records.clear();
    io::Record record;
    while (batch.records.size() < options.batch_size && reader.next(record)) batch.records.push_back(std::move(record));
    done += batch.records.size();
    return !batch.records.empty();
  };

  if (options.dry_run) {
    RejectFile rejects(options.rejects, 0, reader.format(), reader.delimiter(), reader.header());
    try {
      state_->write([&](store::Transaction& tx) {
        const std::int64_t run = tx.imports().start(key, "customers", state_->now());
        report.completed = true;
        while (read_batch()) {
          import_batch(tx, run, batch, rejects, true);
          if (done < report.rows && options.progress && !options.progress(ImportProgress{done, report.rows})) {
            report.completed = false;
            break;
          }
        }
        throw RollBack{};
      });
    } catch (const RollBack&) {
    }
  } else {
    auto run = state_->read([&](store::Transaction& tx) { return tx.imports().run(key); });
    RejectFile rejects(options.rejects, run ? run->rejects_bytes : 0, reader.format(), reader.delimiter(),
                       reader.header());
    if (run) {
      tally.restore(*run);
      report.resumed_after = run->rows_done;
      // The rows done are read again (not imported) for the columns they name.
      io::Record skipped;
      while (done < run->rows_done && reader.next(skipped)) {
        ++done;
        columns.decide(skipped);
        for (const auto& field : skipped.fields) columns.of(field.first);
      }
    } else {
      run.emplace();
      run->id = state_->write([&](store::Transaction& tx) { return tx.imports().start(key, "customers", state_->now()); });
    }
    if (check_duplicates) {
      while (state_->write([&](store::Transaction& tx) { return detail::refresh_match_entries(tx, state_->now()); })) {
      }
    }
    report.completed = true;
    while (read_batch()) {
      const Tally::Mark mark = tally.mark();
      const std::uint64_t from = done - batch.records.size();
      const auto commit = [&](bool guarded) {
        state_->write([&](store::Transaction& tx) {
          const std::uint64_t rejects_bytes = import_batch(tx, run->id, batch, rejects, guarded);
          tx.imports().advance(run->id, from, done, rejects_bytes, tally.counts(), tally.listed_since(mark),
                               state_->now());
        });
      };
      try {
        commit(false);
      } catch (const WroteHalf&) {
        tally.rewind(mark);
        commit(true);
      }
      if (done < report.rows && options.progress && !options.progress(ImportProgress{done, report.rows})) {
        report.completed = false;
        break;
      }
    }
    if (report.completed) {
      state_->write([&](store::Transaction& tx) {
        const ActorScope scope(by, EventSource::integration);
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
