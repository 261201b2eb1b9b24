// Customers::merge and Customers::resolve: two profiles of one person made
// one, and where a reference to a merged customer leads.
#include <algorithm>
#include <array>
#include <map>
#include <set>

#include "core/consent_ops.hpp"
#include "core/customer_ops.hpp"
#include "core/merge_ops.hpp"
#include "core/rules.hpp"
#include "core/state.hpp"
#include "patron/activity.hpp"
#include "patron/customers.hpp"
#include "patron/error.hpp"
#include "text/text.hpp"

namespace patron {
namespace {

using detail::EventJson;

constexpr std::size_t kMaxTags = 50;
constexpr std::array<std::string_view, 6> kProfileFields{"title",           "first_name",      "last_name",
                                                         "date_of_birth",   "lifecycle_stage", "emergency_contact"};
constexpr std::string_view kCustomPrefix = "custom.";

// What MergeOptions::take asks for, checked.
struct Take {
  std::set<std::string> profile;
  std::map<std::string, std::size_t> custom;  // keys, with their place in `take`
};

Take validated_take(const std::vector<std::string>& take) {
  Take out;
  for (std::size_t i = 0; i < take.size(); ++i) {
    const std::string field = indexed_field("take", i);
    const std::string_view f = take[i];
    if (std::find(kProfileFields.begin(), kProfileFields.end(), f) != kProfileFields.end()) {
      out.profile.emplace(f);
    } else if (f.substr(0, kCustomPrefix.size()) == kCustomPrefix && f.size() > kCustomPrefix.size()) {
      out.custom.emplace(f.substr(kCustomPrefix.size()), i);
    } else {
      throw Error(Errc::invalid_argument,
                  field + ": '" + std::string(f) +
                      "' is not a field a merge takes (title, first_name, last_name, date_of_birth, "
                      "lifecycle_stage, emergency_contact, custom.<key>)",
                  field);
    }
  }
  return out;
}

// The survivor's value of one profile field against the absorbed one's:
// filled when blank, replaced when taken.
template <typename T, typename Blank>
void pick(std::string_view name, T& mine, const T& theirs, Blank&& blank, const Take& take, MergeResult& r) {
  if (blank(theirs)) return;
  if (blank(mine)) {
    mine = theirs;
    r.filled.emplace_back(name);
  } else if (take.profile.count(std::string(name)) != 0 && !(mine == theirs)) {
    mine = theirs;
    r.taken.emplace_back(name);
  }
}

// The two profiles made one (in memory): the survivor's values win.
void merge_profile(Customer& s, const Customer& a, const Take& take, MergeResult& r) {
  const auto empty_text = [](const std::string& v) { return v.empty(); };
  const auto absent = [](const auto& v) { return !v.has_value(); };
  pick("title", s.title, a.title, empty_text, take, r);
  pick("first_name", s.first_name, a.first_name, empty_text, take, r);
  pick("last_name", s.last_name, a.last_name, empty_text, take, r);
  pick("date_of_birth", s.date_of_birth, a.date_of_birth, absent, take, r);
  pick("lifecycle_stage", s.lifecycle_stage, a.lifecycle_stage, empty_text, take, r);
  pick("emergency_contact", s.emergency_contact, a.emergency_contact, absent, take, r);
  // Tags: the union, unique ignoring case, the survivor's first.
  std::vector<std::string> tags = s.tags;
  for (const auto& t : a.tags) {
    const std::string folded = text::lower(t);
    if (std::none_of(tags.begin(), tags.end(), [&](const std::string& x) { return text::lower(x) == folded; })) {
      tags.push_back(t);
    }
  }
  if (tags.size() > kMaxTags) {
    throw Error(Errc::failed_precondition,
                "tags: together the two customers have " + std::to_string(tags.size()) +
                    " tags, more than 50; remove some first",
                "tags");
  }
  if (tags.size() != s.tags.size()) r.filled.emplace_back("tags");
  s.tags = std::move(tags);
  // A ban follows the person.
  if (a.status == CustomerStatus::banned && s.status != CustomerStatus::banned) {
    s.status = CustomerStatus::banned;
    s.ban = a.ban;
    r.filled.emplace_back("status");
  }
  const auto earliest = [](std::optional<Timestamp> x, std::optional<Timestamp> y) {
    if (!x) return y;
    if (!y) return x;
    return std::optional<Timestamp>(std::min(*x, *y));
  };
  const auto latest = [](std::optional<Timestamp> x, std::optional<Timestamp> y) {
    if (!x) return y;
    if (!y) return x;
    return std::optional<Timestamp>(std::max(*x, *y));
  };
  s.first_active_at = earliest(s.first_active_at, a.first_active_at);
  s.last_active_at = latest(s.last_active_at, a.last_active_at);
  s.online_until = latest(s.online_until, a.online_until);
}

// Thrown inside a dry run's transaction to roll it back with its result.
struct DryRun {
  MergeResult result;
};

MergeResult merge_in(store::Transaction& tx, std::string_view survivor_ref, std::string_view absorbed_ref,
                     const Take& take, const std::string& by, Timestamp now) {
  auto& repo = tx.customers();
  const CustomerResolution s = detail::resolve_customer(repo, survivor_ref, "survivor");
  const CustomerResolution a = detail::resolve_customer(repo, absorbed_ref, "absorbed");
  if (s.merged_from) {
    throw Error(Errc::failed_precondition,
                "survivor: customer " + *s.merged_from_number + " was merged into customer " + s.number +
                    "; merge into that one",
                "survivor");
  }
  if (a.merged_from) {
    throw Error(Errc::failed_precondition,
                "absorbed: customer " + *a.merged_from_number + " is already merged into customer " + a.number,
                "absorbed");
  }
  if (s.id == a.id) throw Error(Errc::invalid_argument, "absorbed: a customer cannot be merged with itself", "absorbed");
  std::set<std::string> custom_keys;
  for (const auto& [key, i] : take.custom) {
    if (!tx.custom_fields().get(key)) {
      const std::string field = indexed_field("take", i);
      throw Error(Errc::invalid_argument, field + ": no custom field '" + key + "'", field);
    }
    custom_keys.insert(key);
  }

  Customer survivor = *repo.by_id(s.id, now);
  const Customer absorbed = *repo.by_id(a.id, now);
  const Customer before = survivor;
  MergeResult r;
  r.absorbed = a.id;
  r.absorbed_number = a.number;
  merge_profile(survivor, absorbed, take, r);

  r.moved = tx.merges().move_records(a.id, s.id);
  if (const auto n = detail::merge_consent(tx, a.id, s.id, now)) r.moved["consent_states"] = n;
  detail::merge_custom_values(tx, a.id, s.id, custom_keys, now, r.filled, r.taken);
  // Marked before the ledgers move: the survivor's tier then reads the
  // qualifying history of both.
  tx.merges().mark_merged(a.id, s.id, now);
  if (const auto n = detail::move_purses(tx, a.id, s.id, now)) r.moved["purse_accounts"] = n;
  if (const auto n = detail::move_points(tx, a.id, s.id, now)) r.moved["points_accounts"] = n;

  survivor.updated_at = now;
  const std::string old_key = rules::name_key(before);
  std::string key = rules::name_key(survivor);
  repo.update(survivor, key == old_key ? std::nullopt : std::optional<std::string>(std::move(key)));
  detail::record_update(tx, now, before, survivor);
  if (survivor.status != before.status) {
    detail::Change ban = detail::customer_event(survivor, "customer.banned", "Customer banned",
                                                EventJson{{"reason", survivor.ban->reason}, {"by", survivor.ban->by}},
                                                EventType::security);
    detail::add_edit(ban, "status", EventJson("active"), EventJson("banned"));
    detail::record(tx, now, ban);
  }

  EventJson moved = EventJson::object();
  for (const auto& [kind, n] : r.moved) moved[kind] = n;
  detail::Change e = detail::customer_event(survivor, "customer.merged", "Customer merged",
                                            EventJson{{"absorbed", a.id.str()},
                                                      {"absorbed_number", a.number},
                                                      {"by", by},
                                                      {"moved", moved},
                                                      {"filled", r.filled},
                                                      {"taken", r.taken}},
                                            EventType::data);
  r.event = detail::record(tx, now, e);
  r.customer = *repo.by_id(s.id, now);
  return r;
}

}  // namespace

namespace detail {

bool same_request(store::Transaction& tx, const std::string& stored, const std::string& given) {
  const auto leading = [&](const std::string& text) {
    EventJson j = EventJson::parse(text, nullptr, false);
    if (!j.is_object()) return j;
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (!it->is_string()) continue;
      if (const auto id = CustomerId::try_parse(it->get<std::string>())) {
        if (const auto live = tx.customers().live_id(*id)) *it = live->str();
      }
    }
    return j;
  };
  const EventJson a = leading(stored);
  return !a.is_discarded() && a == leading(given);
}

}  // namespace detail

MergeResult Customers::merge(std::string_view survivor, std::string_view absorbed, const MergeOptions& options) {
  const std::string by = text::clean_required(options.by, "by", rules::kMaxActor);
  const Take take = validated_take(options.take);
  const Timestamp now = state_->now();
  const ActorScope actor(by, ActorScope::current_source());
  try {
    return state_->write([&](store::Transaction& tx) {
      MergeResult r = merge_in(tx, survivor, absorbed, take, by, now);
      if (options.dry_run) {
        r.dry_run = true;
        r.event = 0;
        throw DryRun{std::move(r)};
      }
      return r;
    });
  } catch (DryRun& dry) {
    return std::move(dry.result);
  }
}

std::optional<CustomerResolution> Customers::resolve(std::string_view ref) const {
  return state_->read([&](store::CustomerRepository& repo) -> std::optional<CustomerResolution> {
    try {
      return detail::resolve_customer(repo, ref);
    } catch (const Error& e) {
      if (e.code() == Errc::not_found) return std::nullopt;
      throw;
    }
  });
}

}  // namespace patron
