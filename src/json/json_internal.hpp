// Internals of patron::json (include/patron/json.hpp), shared by the files
// of src/json/: one file per area, named as in capi/src/ (customers.cpp,
// commerce.cpp, analytics.cpp, ...), and common.cpp with the readers and
// writers every area uses. An area's file holds its records' JSON forms
// (to_json), its decoders and its public encode/decode functions; helpers
// only one area uses stay in an unnamed namespace in its file.
//
// Everything here is in patron::json::internal; each file of src/json/
// brings it into patron::json with a using-directive.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "patron/json.hpp"

namespace patron::json::internal {

// ordered_json keeps fields in the documented order.
using json = nlohmann::ordered_json;

// Each record's JSON form; declared first so the list templates find them all.
json to_json(const Customer& c);
json to_json(const Order& o);
json to_json(const Booking& b);
json to_json(const Enquiry& e);
json to_json(const CustomerStats& s);
json to_json(const RfmScore& s);
json to_json(const ModelFit& f);
json to_json(const Prediction& p);
json to_json(const RecordSummary& r);
json to_json(const Company& c);
json to_json(const CompanyLink& l);
json to_json(const Plan& p);
json to_json(const Membership& m);
json to_json(const EffectiveMembership& e);
json to_json(const Credential& c);
json to_json(const Door& d);
json to_json(const Permission& p);
json to_json(const Connection& c);
json to_json(const Referral& r);
json to_json(const Neighbour& n);
json to_json(const Event& e);
json to_json(const FieldChange& c);
json to_json(const Note& n);
json to_json(const NoteRevision& r);
json to_json(const NoteHit& h);
json to_json(const Document& d);
json to_json(const FieldDefinition& d);
json to_json(const PurseAccount& a);
json to_json(const PurseEntry& e);
json to_json(const Program& p);
json to_json(const Tier& t);
json to_json(const PointsAccount& a);
json to_json(const PointsEntry& e);
json to_json(const PointsLot& l);
json to_json(const TierChange& c);
json to_json(const Reward& r);
json to_json(const PromotionCategory& c);
json to_json(const AppliedCategory& a);
json to_json(const Visit& v);
json to_json(const ConsentEntry& e);
json to_json(const ConsentState& s);
json to_json(const ConsentPurpose& p);

// A custom value (custom_fields.cpp), which customers.cpp reads a new
// customer's "custom_fields" with.
CustomValue custom_value_from(const json& j, const FieldType* type, const std::string& field);
json custom_value_json(const CustomValue& value);

// The record an export writes for a customer (exports.cpp), handed to a
// sink member by member in its order: the customer document without
// presence, online_until and address ids, with "custom_fields" before
// "created_at". Written straight to text (no JSON tree: an export streams a
// million of them). Keys are empty inside arrays.
class RecordSink {
 public:
  virtual ~RecordSink() = default;
  virtual void open(std::string_view key, bool array) = 0;
  virtual void close(bool array) = 0;
  virtual void text(std::string_view key, std::string_view value) = 0;
  virtual void boolean(std::string_view key, bool value) = 0;
  virtual void null(std::string_view key) = 0;
  virtual void raw(std::string_view key, std::string_view json_number) = 0;
};

// Walks the record of `c`, its custom values `custom`, the top-level
// members `wanted` accepts (all when empty).
void walk_export_record(const Customer& c, const std::map<std::string, CustomValue>& custom,
                        const std::function<bool(std::string_view)>& wanted, RecordSink& sink);

// The record as one line of JSON, written as nlohmann::json::dump() would.
class JsonLineSink final : public RecordSink {
 public:
  explicit JsonLineSink(std::string& out) : out_(out) {}
  void open(std::string_view key, bool array) override;
  void close(bool array) override;
  void text(std::string_view key, std::string_view value) override;
  void boolean(std::string_view key, bool value) override;
  void null(std::string_view key) override;
  void raw(std::string_view key, std::string_view json_number) override;

 private:
  void member(std::string_view key);
  void quoted(std::string_view s);
  std::string& out_;
  std::vector<bool> first_;
};

// --- writers (common.cpp) ---------------------------------------------------

// A time, id or text that may be absent: its JSON form, or null.
json opt_time(const std::optional<Timestamp>& t);
json opt_id(const std::optional<std::int64_t>& id);
json opt_text(const std::optional<std::string>& s);

// --- readers (common.cpp) ---------------------------------------------------

// Throws Error(invalid_argument) naming `field` ("json" when empty): "<field>: <rule>".
[[noreturn]] void bad(const std::string& field, const std::string& rule);
// Every record text the C ABI hands in: nesting and numbers bounded, errors
// naming the path ("[2].total").
json parse_json(std::string_view text);
// "prefix.key", or "key" when prefix is empty.
std::string path(std::string_view prefix, std::string_view key);
// `j` must be an object whose keys are all in `allowed`.
void require_object(const json& j, const std::string& field, std::initializer_list<std::string_view> allowed);
// Members that may be absent or null: "" / false when they are.
std::string get_string(const json& j, std::string_view key, const std::string& field);
bool get_bool(const json& j, std::string_view key, const std::string& field);
// An array of strings.
std::vector<std::string> get_strings(const json& j, const std::string& field);
// An integer JSON value as int64; 2^63 and above (held unsigned) is refused,
// never wrapped to a negative id or amount.
std::int64_t int_of(const json& j, const std::string& field);
// Number members that may be absent or null: `fallback` when they are.
std::int64_t get_int(const json& j, std::string_view key, const std::string& field, std::int64_t fallback);
double get_number(const json& j, std::string_view key, const std::string& field, double fallback);
// A count member (named by its key): absent or null keeps `fallback`;
// negative is refused.
std::size_t get_count(const json& j, std::string_view key, std::size_t fallback);
// A timestamp member; nullopt when absent, null or "".
std::optional<Timestamp> get_time(const json& j, std::string_view key, const std::string& field);

// --- lists ------------------------------------------------------------------

template <typename T>
std::string encode_list(const std::vector<T>& records) {
  json out = json::array();
  for (const auto& r : records) out.push_back(to_json(r));
  return out.dump();
}

template <typename T>
std::string encode_optional(const std::optional<T>& v) {
  return v ? to_json(*v).dump() : std::string("null");
}

}  // namespace patron::json::internal
