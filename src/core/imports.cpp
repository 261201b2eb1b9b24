#include "patron/imports.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <filesystem>
#include <set>

#include "core/consent_ops.hpp"
#include "core/custom_field_ops.hpp"
#include "core/customer_ops.hpp"
#include "core/duplicate_ops.hpp"
#include "core/enum_names.hpp"
#include "core/import_run.hpp"
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

using detail::date_cell;
using detail::list_cell;
using detail::refuse_row;
using detail::truth;

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
  // consent.<channel>.<purpose>: granted or withdrawn; and the terms of the
  // row's grants (consent.legal_basis, .source, .text_version).
  consent, consent_legal_basis, consent_source, consent_text_version,
  derived  // known, but patron works it out itself (phones.N.verified, addresses.N.id, presence)
};

struct TargetSpec {
  Target target = Target::ignore;
  PhoneLabel label = PhoneLabel::mobile;
  std::string custom_key{};
  std::string name{};      // as a mapping spells it: "phone.home", "custom.vip"
  std::size_t item = 0;    // the entry of a numbered list (1 on), 0 when not numbered
  std::string part{};      // address_part: the address field ("city", "purpose", "is_default")
  Channel channel = Channel::email;  // consent
  std::string purpose{};             // consent
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

// "consent.<channel>.<purpose>" and the terms of a row's grants.
std::optional<TargetSpec> consent_target(std::string_view name) {
  TargetSpec spec;
  spec.name = std::string(name);
  const std::string_view rest = name.substr(std::string_view("consent.").size());
  if (rest == "legal_basis") spec.target = Target::consent_legal_basis;
  if (rest == "source") spec.target = Target::consent_source;
  if (rest == "text_version") spec.target = Target::consent_text_version;
  if (spec.target != Target::ignore) return spec;
  const auto dot = rest.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const std::string_view channel = rest.substr(0, dot);
  const std::string_view purpose = rest.substr(dot + 1);
  const auto known = detail::channel_named(channel);
  if (!known || !detail::is_purpose_name(purpose)) return std::nullopt;
  spec.channel = *known;
  spec.target = Target::consent;
  spec.purpose = std::string(purpose);
  return spec;
}

bool is_consent(Target t) {
  return t == Target::consent || t == Target::consent_legal_basis || t == Target::consent_source ||
         t == Target::consent_text_version;
}

std::optional<TargetSpec> parse_target(std::string_view name) {
  if (name.starts_with("consent.")) return consent_target(name);
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

// Header names that map themselves, compared as detail::header_key makes them.
constexpr std::array<std::pair<std::string_view, std::string_view>, 82> kCommonHeaders{{
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
    {"stage", "lifecycle_stage"}, {"newsletter", "consent.email.marketing"},
    {"emailoptin", "consent.email.marketing"}, {"marketingoptin", "consent.email.marketing"},
    {"acceptsmarketing", "consent.email.marketing"}, {"acceptsemailmarketing", "consent.email.marketing"},
    {"smsoptin", "consent.sms.marketing"}, {"acceptssmsmarketing", "consent.sms.marketing"},
}};

std::optional<TargetSpec> common_target(std::string_view header) {
  // A header spelt as a target maps to it ("address.city", "custom.vip").
  if (auto spec = parse_target(header); spec && spec->target != Target::ignore) return spec;
  const std::string key = detail::header_key(header);
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
      if (is_consent(spec->target)) {
        throw Error(Errc::invalid_argument,
                    field + ": consent takes no policy (a cell is recorded when it differs from the current state)",
                    field);
      }
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
// A row's consent cell: granted or withdrawn on a channel for a purpose.
struct ConsentCell {
  Channel channel = Channel::email;
  std::string purpose;
  bool granted = false;
  std::string column;
};

struct Row {
  Customer customer;                                  // number, profile, emails, phones, address, tags
  std::vector<ConsentCell> consents{};
  ConsentGrant consent_terms{LegalBasis::consent, "import"};  // of the row's grants
  std::optional<CustomerId> id{};                     // an id to keep (or match on)
  std::map<std::string, CustomValue> custom{};        // by key
  std::map<std::string, std::string> column_of{};     // target name -> first column that gave it
  std::vector<std::pair<std::string, std::string>> email_columns{};  // address -> column
  std::vector<std::pair<Phone, std::string>> phone_columns{};        // valid phones -> column
  std::set<std::string> given{};                      // target names given
};

// A consent cell: granted or withdrawn, in the words export files use.
bool consent_cell(std::string_view v, const std::string& column) {
  const std::string f = text::lower(v);
  for (const char* yes : {"granted", "yes", "y", "true", "1", "x", "opt-in", "optin", "opted in", "subscribed"}) {
    if (f == yes) return true;
  }
  for (const char* no : {"withdrawn", "no", "n", "false", "0", "opt-out", "optout", "opted out", "unsubscribed"}) {
    if (f == no) return false;
  }
  throw Error(Errc::invalid_argument,
              column + ": must be granted or withdrawn (yes/no, true/false, 1/0, subscribed/unsubscribed)", column);
}

// Records the row's consent cells for `customer` where they differ from its
// current state: a grant on the row's terms, or a withdrawal (which
// suppresses). A grant to a suppressed address is refused naming its column.
// Returns whether anything was written.
bool write_consents(store::Transaction& tx, Timestamp now, const CustomerId& customer, const Row& row) {
  bool wrote = false;
  for (const auto& cell : row.consents) {
    try {
      const auto status = detail::consent_status(tx, customer, cell.channel, cell.purpose);
      if (status == (cell.granted ? ConsentStatus::granted : ConsentStatus::withdrawn)) continue;
      detail::CheckedConsent c =
          cell.granted ? detail::checked_grant(cell.channel, cell.purpose, row.consent_terms)
                       : detail::checked_withdrawal(cell.channel, cell.purpose, {row.consent_terms.source, {}});
      detail::write_consent(tx, now, customer, std::move(c), cell.column);
      wrote = true;
    } catch (const Error& e) {
      if (e.field() == cell.column) throw;
      throw detail::renamed(e, cell.column);
    }
  }
  return wrote;
}

struct Rejection {
  std::string field;
  Errc code;
  std::string message;
};

// An Error naming a field a column gave ("address.city", or
// "custom_fields.<key>" from a custom field rule) names the column instead.
Error in_columns(const Error& e, const Row& row) {
  constexpr std::string_view kCustom = "custom_fields.";
  const std::string target =
      e.field().starts_with(kCustom) ? "custom." + e.field().substr(kCustom.size()) : e.field();
  const auto it = row.column_of.find(target);
  if (it == row.column_of.end()) return e;
  return detail::renamed(e, it->second);
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
      case Target::consent:
        row.consents.push_back({t->channel, t->purpose, consent_cell(v, column), column});
        break;
      case Target::consent_legal_basis: row.consent_terms.legal_basis = parse_legal_basis(v, column); break;
      case Target::consent_source: row.consent_terms.source = rules::host_id(v, column, "a source"); break;
      case Target::consent_text_version: row.consent_terms.text_version = text::clean(v, column, 64); break;
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
  if (!(options.duplicate_probability >= 0 && options.duplicate_probability <= 1)) {
    throw Error(Errc::invalid_argument, "duplicate_probability: must be 0 to 1", "duplicate_probability");
  }
  const std::string& region = state_->options.default_region;
  const auto definitions = state_->read([](store::Transaction& tx) { return tx.custom_fields().list(); });
  Columns columns(options.mapping, definitions);
  const bool check_duplicates = options.duplicates != DuplicateCheck::off;

  detail::ImportKind kind;
  kind.name = "customers";
  kind.summary = "Customers imported";
  detail::EventJson fields = detail::EventJson::array();
  for (const auto& d : definitions) fields.push_back({d.key, to_string(d.type), d.required, d.options});
  kind.options = {{"duplicates", to_string(options.duplicates)},
                  {"probability", options.duplicate_probability},
                  {"custom_fields", fields}};
  kind.opened = [&](const io::RecordReader& reader) {
    if (!reader.header().empty()) columns.decide(reader.header());
    for (const auto& column : reader.header()) columns.of(column);
  };
  kind.skipped = [&](const io::Record& record) {
    columns.decide(record);
    for (const auto& field : record.fields) columns.of(field.first);
  };
  kind.before_run = [&] {
    while (check_duplicates &&
           state_->write([&](store::Transaction& tx) { return detail::refresh_match_entries(tx, state_->now()); })) {
    }
  };
  // Entries changed by others since the last batch: fresh before any row is
  // compared (this run's own rows keep theirs fresh as they go).
  kind.before_batch = [&](store::Transaction& tx, Timestamp now) {
    while (check_duplicates && detail::refresh_match_entries(tx, now)) {
    }
  };
  kind.finish = [&](ImportReport& report) {
    report.columns = columns.used();
    report.unknown_columns = columns.unknown();
  };
  kind.row = [&](detail::ImportRow& out) {
    store::Transaction& tx = out.tx;
    const Timestamp now = out.now;
    Row row = read_row(out.record, columns, options.date_order, now, region);
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
      // share a phone and a first name, and a file that numbers them knows
      // them apart.
      if (!found && !in.first_name.empty() && in.number.empty() && !row.id) {
        for (const auto& [phone, column] : row.phone_columns) {
          if (found) break;
          if (const auto id = detail::holder_of_phone(repo, phone.number, in.first_name, now)) meet(*id, column);
        }
      }
      if (found && !in.number.empty() && !number_matched) {
        refuse_row(Errc::conflict, row.column_of.at("number"),
                   "the row's " + found_by + " belongs to customer " + number_of(*found) + ", whose number is not " +
                       in.number);
      }
      if (found && row.id && !id_matched) {
        refuse_row(Errc::conflict, row.column_of.at("id"),
                   "the row's " + found_by + " belongs to customer " + number_of(*found) + ", whose id is not " +
                       row.id->str());
      }
      if (found) {
        const auto earlier = tx.imports().touched(out.run, *found);
        if (!earlier && options.mode == ImportMode::create) {
          refuse_row(Errc::already_exists, found_by,
                     "customer " + number_of(*found) + " already has it; mode create adds new customers only");
        }
        out.writes();
        const auto changed = apply(tx, *repo.by_id(*found, now), row, columns, now);
        if (changed && check_duplicates) tx.duplicates().put({{changed->id, detail::match_entry_of(*changed)}});
        const bool consented = write_consents(tx, now, *found, row);
        if (earlier) {
          out.same_as(*earlier, *found);
        } else {
          tx.imports().touch(out.run, *found, out.record.line);
          changed || consented ? out.updated() : out.unchanged();
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
        out.resembles(std::nullopt, like->customer, like->explanation.probability);
        refuse_row(Errc::conflict, "row",
                   "resembles customer " + like->number + " (match probability " +
                       std::to_string(like->explanation.probability).substr(0, 5) + "); held back for review");
      }
      out.writes();
      detail::insert_new_customer(tx, c, now, row.custom, true);
      write_consents(tx, now, c.id, row);
      if (check_duplicates) tx.duplicates().put({{c.id, detail::match_entry_of(c)}});
      tx.imports().touch(out.run, c.id, out.record.line);
      out.created();
      if (like) out.resembles(c.id, like->customer, like->explanation.probability);
    } catch (const Error& e) {
      throw in_columns(e, row);
    }
  };
  return detail::run_import(*state_, path, options, kind);
}

}  // namespace patron
