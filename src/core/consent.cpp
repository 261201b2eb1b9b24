#include "patron/consent.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <set>

#include "core/consent_ops.hpp"
#include "core/customer_ops.hpp"
#include "core/enum_names.hpp"
#include "core/event_builders.hpp"
#include "core/rules.hpp"
#include "core/sealed.hpp"
#include "core/state.hpp"
#include "patron/activity.hpp"
#include "patron/error.hpp"
#include "text/text.hpp"

namespace patron {
namespace {

constexpr std::array<std::string_view, 7> kChannels{"email", "sms", "phone", "post", "push", "in_app", "whatsapp"};
constexpr std::array<std::string_view, 3> kStatuses{"granted", "withdrawn", "pending"};
constexpr std::array<std::string_view, 6> kLegalBases{"consent",         "contract",    "legal_obligation",
                                                      "vital_interests", "public_task", "legitimate_interests"};
constexpr std::array<std::string_view, 7> kWeekdays{"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

constexpr std::size_t kMaxReachable = 10000;
constexpr std::size_t kMaxWindows = 14;
constexpr const char* kSuppressionKey = "consent_suppression";

const std::vector<ConsentPurpose>& built_in_purposes() {
  static const std::vector<ConsentPurpose> purposes{
      {"marketing", "Marketing: offers, news and campaigns", false, true},
      {"profiling", "Profiling: analysing behaviour to personalise offers", false, true},
      {"service", "Service messages: confirmations, reminders and account notices", true, true},
      {"third_party", "Sharing with third parties for their own purposes", false, true},
  };
  return purposes;
}

// detail::is_purpose_name, or invalid_argument naming `field`.
std::string purpose_name(std::string_view name, std::string_view field = "purpose") {
  if (!detail::is_purpose_name(name)) {
    throw Error(Errc::invalid_argument, std::string(field) + ": a purpose is 1-64 characters of a-z 0-9 _ . -",
                std::string(field));
  }
  return std::string(name);
}

[[noreturn]] void no_purpose(const std::string& name) {
  throw Error(Errc::not_found, "purpose: no purpose '" + name + "' (define it first)", "purpose");
}

// Whether the purpose is opt-out; not_found naming "purpose" when no purpose
// has the name.
bool purpose_opt_out(store::Transaction& tx, const std::string& name) {
  for (const auto& p : built_in_purposes()) {
    if (p.name == name) return p.opt_out;
  }
  if (const auto p = tx.consent().purpose(name)) return p->opt_out;
  no_purpose(name);
}

std::string source_id(std::string_view source) { return rules::host_id(source, "source", "a source"); }

// The channels that dial or text a phone number.
bool dials(Channel channel) {
  return channel == Channel::sms || channel == Channel::phone || channel == Channel::whatsapp;
}

bool has_addresses(Channel channel) { return channel == Channel::email || dials(channel); }

// The addresses a channel reaches: emails for email, phone numbers for the
// channels that dial or text one; none for the others.
std::vector<std::string> addresses(const Customer& c, Channel channel) {
  std::vector<std::string> out;
  if (channel == Channel::email) {
    for (const auto& e : c.emails) out.push_back(e.address);
  } else if (dials(channel)) {
    for (const auto& p : c.phones) out.push_back(p.number);
  }
  return out;
}

// The suppression list's entry for an address on a channel.
std::string suppression_hash(std::string_view key, Channel channel, std::string_view address) {
  std::string data(to_string(channel));
  data += ':';
  data += address;
  return detail::keyed_hash(data, key);
}

// The list's key; made (in this write transaction) when `create`.
std::optional<std::string> suppression_key(store::Transaction& tx, bool create) {
  if (auto key = tx.consent().secret(kSuppressionKey)) return key;
  if (!create) return std::nullopt;
  std::string key = detail::sealed::new_key();
  tx.consent().insert_secret(kSuppressionKey, key);
  return key;
}

// The hashes of the customer's addresses on `channel`.
std::vector<std::string> address_hashes(store::Transaction& tx, const CustomerId& customer, Channel channel,
                                        Timestamp now, bool create_key) {
  if (!has_addresses(channel)) return {};
  const auto key = suppression_key(tx, create_key);
  if (!key) return {};
  const auto c = tx.customers().by_id(customer, now);
  std::vector<std::string> out;
  if (!c) return out;
  for (const auto& a : addresses(*c, channel)) out.push_back(suppression_hash(*key, channel, a));
  return out;
}

// An address a host names on a channel, normalised as a customer's is.
std::string normalised_address(Channel channel, std::string_view address, std::string_view region) {
  if (channel == Channel::email) return rules::email(address, "address");
  if (dials(channel)) return rules::phone(address, PhoneLabel::mobile, region, "address").number;
  throw Error(Errc::invalid_argument,
              "channel: only email, sms, phone and whatsapp have addresses on the suppression list", "channel");
}

detail::EventJson entry_details(const ConsentEntry& e) {
  detail::EventJson d{{"entry", e.id},
                      {"channel", std::string(to_string(e.channel))},
                      {"purpose", e.purpose},
                      {"status", std::string(to_string(e.status))},
                      {"source", e.source}};
  d["legal_basis"] = e.legal_basis ? detail::EventJson(std::string(to_string(*e.legal_basis))) : detail::EventJson();
  d["text_version"] = detail::text_value(e.text_version);
  d["evidence"] = detail::text_value(e.evidence);
  if (e.expires_at) d["expires_at"] = format_timestamp(*e.expires_at);
  if (e.confirms) d["confirms"] = *e.confirms;
  return d;
}

// Appends the entry and records its event on the customer's timeline.
void append(store::Transaction& tx, Timestamp now, ConsentEntry& e, const std::string& token_hash,
            const char* action, const char* summary) {
  tx.consent().append(e, token_hash);
  detail::record(tx, now,
                 detail::make_change(e.customer, EventCategory::customers, EventType::compliance, action, summary,
                                     entry_details(e)));
}

std::string hash_of_token(std::string_view token) {
  detail::Blake2b h;
  h.update(token);
  return h.hex();
}

bool reachable_by(const std::optional<store::CurrentConsent>& current, bool opt_out) {
  if (!current) return opt_out;
  if (opt_out) return current->status != ConsentStatus::withdrawn;
  return current->status == ConsentStatus::granted;
}

// "HH:MM", 00:00-24:00.
std::string clock_time(std::string_view text, const std::string& field) {
  const bool shape = text.size() == 5 && text[2] == ':' && std::isdigit(static_cast<unsigned char>(text[0])) &&
                     std::isdigit(static_cast<unsigned char>(text[1])) &&
                     std::isdigit(static_cast<unsigned char>(text[3])) &&
                     std::isdigit(static_cast<unsigned char>(text[4]));
  const int h = shape ? (text[0] - '0') * 10 + (text[1] - '0') : 99;
  const int m = shape ? (text[3] - '0') * 10 + (text[4] - '0') : 99;
  if (!shape || m > 59 || h > 24 || (h == 24 && m != 0)) {
    throw Error(Errc::invalid_argument, field + ": must be a time HH:MM from 00:00 to 24:00", field);
  }
  return std::string(text);
}

ContactPreferences validated(const ContactPreferences& in) {
  ContactPreferences p;
  p.channel = in.channel;
  if (!text::trim(in.language).empty()) p.language = text::language_tag(in.language, "language");
  if (!text::trim(in.time_zone).empty()) p.time_zone = text::time_zone(in.time_zone, "time_zone");
  if (in.windows.size() > kMaxWindows) {
    throw Error(Errc::invalid_argument, "windows: at most 14 contact windows", "windows");
  }
  for (std::size_t i = 0; i < in.windows.size(); ++i) {
    const std::string at = indexed_field("windows", i);
    const ContactWindow& w = in.windows[i];
    std::set<Weekday> days(w.days.begin(), w.days.end());
    if (days.empty()) throw Error(Errc::invalid_argument, at + ".days: at least one day", at + ".days");
    ContactWindow out{std::vector<Weekday>(days.begin(), days.end()), clock_time(w.from, at + ".from"),
                      clock_time(w.to, at + ".to")};
    if (out.to <= out.from) throw Error(Errc::invalid_argument, at + ".to: must be after from", at + ".to");
    p.windows.push_back(std::move(out));
  }
  return p;
}

}  // namespace

std::string_view to_string(Channel v) noexcept { return kChannels[static_cast<std::size_t>(v)]; }
std::string_view to_string(ConsentStatus v) noexcept { return kStatuses[static_cast<std::size_t>(v)]; }
std::string_view to_string(LegalBasis v) noexcept { return kLegalBases[static_cast<std::size_t>(v)]; }
std::string_view to_string(Weekday v) noexcept { return kWeekdays[static_cast<std::size_t>(v)]; }
Channel parse_channel(std::string_view text, std::string_view field) {
  return detail::parse_named<Channel>(kChannels, text, field);
}
ConsentStatus parse_consent_status(std::string_view text, std::string_view field) {
  return detail::parse_named<ConsentStatus>(kStatuses, text, field);
}
LegalBasis parse_legal_basis(std::string_view text, std::string_view field) {
  return detail::parse_named<LegalBasis>(kLegalBases, text, field);
}
Weekday parse_weekday(std::string_view text, std::string_view field) {
  return detail::parse_named<Weekday>(kWeekdays, text, field);
}

namespace detail {

std::optional<Channel> channel_named(std::string_view text) noexcept {
  for (std::size_t i = 0; i < kChannels.size(); ++i) {
    if (kChannels[i] == text) return static_cast<Channel>(i);
  }
  return std::nullopt;
}

// The same rule as the storage's CHECK on consent purposes.
bool is_purpose_name(std::string_view name) noexcept {
  return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](unsigned char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
         });
}

CheckedConsent checked_grant(Channel channel, std::string_view purpose, const ConsentGrant& grant) {
  CheckedConsent c;
  ConsentEntry& e = c.entry;
  e.channel = channel;
  e.purpose = purpose_name(purpose);
  if (!grant.legal_basis) {
    throw Error(Errc::invalid_argument, "legal_basis: a grant needs its legal basis (GDPR Art. 6(1))",
                "legal_basis");
  }
  e.legal_basis = grant.legal_basis;
  e.source = source_id(grant.source);
  e.text_version = text::clean(grant.text_version, "text_version", 64);
  e.evidence = text::clean(grant.evidence, "evidence", 500);
  c.reaffirmed = grant.reaffirmed;
  if (grant.double_opt_in) {
    if (grant.valid_for < std::chrono::minutes(1) || grant.valid_for > std::chrono::hours(24 * 90)) {
      throw Error(Errc::invalid_argument, "valid_for: a token works for 1 minute to 90 days", "valid_for");
    }
    e.token = random_hex(64);  // 256 bits
    c.token_hash = hash_of_token(e.token);
    c.valid_for = grant.valid_for;
    e.status = ConsentStatus::pending;
  }
  return c;
}

CheckedConsent checked_withdrawal(Channel channel, std::string_view purpose, const ConsentWithdrawal& withdrawal) {
  CheckedConsent c;
  ConsentEntry& e = c.entry;
  e.channel = channel;
  e.purpose = purpose_name(purpose);
  e.status = ConsentStatus::withdrawn;
  e.source = source_id(withdrawal.source);
  e.evidence = text::clean(withdrawal.evidence, "evidence", 500);
  return c;
}

ConsentEntry write_consent(store::Transaction& tx, Timestamp now, const CustomerId& customer, CheckedConsent c,
                           std::string_view field) {
  ConsentEntry& e = c.entry;
  e.customer = customer;
  e.recorded_by = std::string(ActorScope::current_actor());
  e.at = now;
  purpose_opt_out(tx, e.purpose);
  switch (e.status) {
    case ConsentStatus::withdrawn:
      append(tx, now, e, {}, "consent.withdrawn", "Consent withdrawn");
      for (const auto& hash : address_hashes(tx, customer, e.channel, now, true)) {
        tx.consent().suppress(hash, e.purpose, now);
      }
      break;
    case ConsentStatus::pending:
      // A request may go to a suppressed address: its confirmation is the
      // person's own grant, which lifts the suppression.
      e.expires_at = now + c.valid_for;
      append(tx, now, e, c.token_hash, "consent.requested", "Consent requested");
      break;
    case ConsentStatus::granted:
      for (const auto& hash : address_hashes(tx, customer, e.channel, now, false)) {
        if (!tx.consent().suppressed(hash, e.purpose)) continue;
        if (!c.reaffirmed) {
          throw Error(Errc::failed_precondition,
                      std::string(field) + ": the customer's " + std::string(to_string(e.channel)) +
                          " address was withdrawn from or erased for '" + e.purpose +
                          "'; only the person can grant it anew (double_opt_in, or reaffirmed)",
                      std::string(field));
        }
        tx.consent().lift(hash, e.purpose);
      }
      append(tx, now, e, {}, "consent.granted", "Consent granted");
      break;
  }
  return e;
}

std::optional<ConsentStatus> consent_status(store::Transaction& tx, const CustomerId& customer, Channel channel,
                                            std::string_view purpose) {
  const auto current = tx.consent().current(customer, channel, purpose);
  if (!current) return std::nullopt;
  return current->status;
}

}  // namespace detail

ConsentEntry Consent::grant(std::string_view customer_ref, Channel channel, std::string_view purpose,
                            const ConsentGrant& grant) {
  detail::CheckedConsent c = detail::checked_grant(channel, purpose, grant);
  const Timestamp now = state_->now();
  return state_->write([&](store::Transaction& tx) {
    return detail::write_consent(tx, now, detail::require_customer_id(tx.customers(), customer_ref), c);
  });
}

ConsentEntry Consent::withdraw(std::string_view customer_ref, Channel channel, std::string_view purpose,
                               const ConsentWithdrawal& withdrawal) {
  detail::CheckedConsent c = detail::checked_withdrawal(channel, purpose, withdrawal);
  const Timestamp now = state_->now();
  return state_->write([&](store::Transaction& tx) {
    return detail::write_consent(tx, now, detail::require_customer_id(tx.customers(), customer_ref), c);
  });
}

ConsentEntry Consent::confirm(std::string_view token) {
  const bool shape = token.size() == 64 && std::all_of(token.begin(), token.end(), [](unsigned char c) {
                       return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                     });
  if (!shape) throw Error(Errc::invalid_argument, "token: a confirmation token is 64 hex digits", "token");
  const std::string hash = hash_of_token(token);
  const Timestamp now = state_->now();
  return state_->write([&](store::Transaction& tx) {
    const auto request = tx.consent().request_by_token(hash);
    if (!request) throw Error(Errc::not_found, "token: no consent request has this token", "token");
    if (tx.consent().confirmation_of(request->id)) {
      throw Error(Errc::failed_precondition, "token: this request is already confirmed", "token");
    }
    if (now >= *request->expires_at) {
      throw Error(Errc::failed_precondition,
                  "token: the request expired at " + format_timestamp(*request->expires_at), "token");
    }
    // A merge since the request leads to the survivor.
    const CustomerId customer = tx.customers().live_id(request->customer).value_or(request->customer);
    if (tx.consent().withdrawn_after(customer, request->channel, request->purpose, request->id)) {
      throw Error(Errc::failed_precondition, "token: the customer withdrew this consent after the request",
                  "token");
    }
    ConsentEntry e = *request;
    e.id = 0;
    e.customer = customer;
    e.status = ConsentStatus::granted;
    e.recorded_by = std::string(ActorScope::current_actor());
    e.at = now;
    e.expires_at.reset();
    e.confirms = request->id;
    for (const auto& hash_of_address : address_hashes(tx, customer, e.channel, now, false)) {
      tx.consent().lift(hash_of_address, e.purpose);
    }
    append(tx, now, e, {}, "consent.confirmed", "Consent confirmed");
    return e;
  });
}

bool Consent::can_contact(std::string_view customer_ref, Channel channel, std::string_view purpose) const {
  const std::string p = purpose_name(purpose);
  return state_->read([&](store::Transaction& tx) {
    const bool opt_out = purpose_opt_out(tx, p);
    // An id of a live customer with a state: one probe. Otherwise resolve
    // the reference (a number, a merged-away id, nobody) and look there.
    const auto id = CustomerId::try_parse(text::trim(customer_ref));
    if (id) {
      if (const auto found = tx.consent().current(*id, channel, p)) return reachable_by(found, opt_out);
    }
    const CustomerId live = detail::require_customer_id(tx.customers(), customer_ref);
    if (id && live == *id) return opt_out;
    return reachable_by(tx.consent().current(live, channel, p), opt_out);
  });
}

std::vector<ConsentState> Consent::state(std::string_view customer_ref) const {
  return state_->read([&](store::Transaction& tx) {
    const CustomerId id = detail::require_customer_id(tx.customers(), customer_ref);
    std::vector<ConsentState> out;
    std::map<std::string, bool> opt_out;
    for (const auto& [key, current] : tx.consent().states(id)) {
      const auto& [channel, purpose] = key;
      auto it = opt_out.find(purpose);
      if (it == opt_out.end()) it = opt_out.emplace(purpose, purpose_opt_out(tx, purpose)).first;
      out.push_back({channel, purpose, current.status, reachable_by(current, it->second), current.entry,
                     current.since});
    }
    return out;
  });
}

std::vector<ConsentEntry> Consent::history(std::string_view customer_ref, Page page) const {
  rules::page(page);
  return state_->read([&](store::Transaction& tx) {
    return tx.consent().history(detail::require_customer_id(tx.customers(), customer_ref), page);
  });
}

ReachablePage Consent::reachable(Channel channel, std::string_view purpose, std::string_view after,
                                 std::size_t limit) const {
  const std::string p = purpose_name(purpose);
  if (limit < 1 || limit > kMaxReachable) {
    throw Error(Errc::invalid_argument, "limit: must be 1-10000", "limit");
  }
  // The cursor is the id of the last customer of the previous page.
  if (!after.empty() && !CustomerId::try_parse(after)) {
    throw Error(Errc::invalid_argument, "after: not a cursor this call returned", "after");
  }
  const std::string cursor = after.empty() ? std::string() : CustomerId::parse(after).str();
  return state_->read([&](store::Transaction& tx) {
    const bool opt_out = purpose_opt_out(tx, p);
    ReachablePage page;
    // One more than the page: a next page only when there is more.
    page.customers = tx.consent().reachable(channel, p, opt_out, cursor, limit + 1);
    if (page.customers.size() > limit) {
      page.customers.pop_back();
      page.next = page.customers.back().str();
    }
    return page;
  });
}

ConsentPurpose Consent::define_purpose(std::string_view name, std::string_view description, bool opt_out) {
  ConsentPurpose p{purpose_name(name, "name"), text::clean_required(description, "description", 500), opt_out,
                   false};
  const Timestamp now = state_->now();
  return state_->write([&](store::Transaction& tx) {
    const bool built_in = std::any_of(built_in_purposes().begin(), built_in_purposes().end(),
                                      [&](const ConsentPurpose& b) { return b.name == p.name; });
    if (built_in || tx.consent().purpose(p.name)) {
      throw Error(Errc::already_exists, "name: the purpose '" + p.name + "' exists", "name");
    }
    tx.consent().insert_purpose(p, now);
    detail::record(tx, now,
                   detail::configuration_change("consent.purpose_defined", "Consent purpose defined",
                                                detail::EventJson{{"name", p.name},
                                                                  {"description", p.description},
                                                                  {"opt_out", p.opt_out}}));
    return p;
  });
}

std::vector<ConsentPurpose> Consent::purposes() const {
  return state_->read([&](store::Transaction& tx) {
    std::vector<ConsentPurpose> out = built_in_purposes();
    for (auto& p : tx.consent().purposes()) out.push_back(std::move(p));
    return out;
  });
}

void Consent::suppress(Channel channel, std::string_view address, std::string_view purpose) {
  const std::string p = purpose_name(purpose);
  const std::string a = normalised_address(channel, address, state_->options.default_region);
  const Timestamp now = state_->now();
  state_->write([&](store::Transaction& tx) {
    purpose_opt_out(tx, p);
    tx.consent().suppress(suppression_hash(*suppression_key(tx, true), channel, a), p, now);
  });
}

bool Consent::is_suppressed(Channel channel, std::string_view address, std::string_view purpose) const {
  const std::string p = purpose_name(purpose);
  const std::string a = normalised_address(channel, address, state_->options.default_region);
  return state_->read([&](store::Transaction& tx) {
    purpose_opt_out(tx, p);
    const auto key = suppression_key(tx, false);
    return key && tx.consent().suppressed(suppression_hash(*key, channel, a), p);
  });
}

ContactPreferences Consent::set_preferences(std::string_view customer_ref, const ContactPreferences& preferences) {
  const ContactPreferences p = validated(preferences);
  const Timestamp now = state_->now();
  return state_->write([&](store::Transaction& tx) {
    const CustomerId id = detail::require_customer_id(tx.customers(), customer_ref);
    const ContactPreferences before = tx.consent().preferences(id).value_or(ContactPreferences{});
    tx.consent().save_preferences(id, p, now);
    const auto channel_value = [](const ContactPreferences& x) {
      return x.channel ? detail::EventJson(std::string(to_string(*x.channel))) : detail::EventJson();
    };
    const auto windows_value = [](const ContactPreferences& x) {
      detail::EventJson out = detail::EventJson::array();
      for (const auto& w : x.windows) {
        detail::EventJson days = detail::EventJson::array();
        for (const Weekday d : w.days) days.push_back(std::string(to_string(d)));
        out.push_back({{"days", days}, {"from", w.from}, {"to", w.to}});
      }
      return out;
    };
    detail::Change change = detail::make_change(id, EventCategory::customers, EventType::settings,
                                                "customer.contact_preferences_changed",
                                                "Contact preferences changed");
    detail::add_edit(change, "contact_preferences.channel", channel_value(before), channel_value(p));
    detail::add_edit(change, "contact_preferences.language", detail::text_value(before.language),
                     detail::text_value(p.language));
    detail::add_edit(change, "contact_preferences.time_zone", detail::text_value(before.time_zone),
                     detail::text_value(p.time_zone));
    detail::add_edit(change, "contact_preferences.windows", windows_value(before), windows_value(p));
    if (!change.edits.empty()) detail::record(tx, now, change);
    return p;
  });
}

ContactPreferences Consent::preferences(std::string_view customer_ref) const {
  return state_->read([&](store::Transaction& tx) {
    return tx.consent().preferences(detail::require_customer_id(tx.customers(), customer_ref))
        .value_or(ContactPreferences{});
  });
}

namespace detail {

std::int64_t suppress_for_erasure(store::Transaction& tx, const std::vector<std::string>& emails,
                                  const std::vector<std::string>& phones, Timestamp now) {
  if (emails.empty() && phones.empty()) return 0;
  std::vector<std::string> purposes;
  for (const auto& p : built_in_purposes()) purposes.push_back(p.name);
  for (const auto& p : tx.consent().purposes()) purposes.push_back(p.name);
  const std::string key = *suppression_key(tx, true);
  std::int64_t added = 0;
  const auto suppress = [&](Channel channel, const std::string& address) {
    const std::string hash = suppression_hash(key, channel, address);
    for (const auto& purpose : purposes) {
      if (tx.consent().suppressed(hash, purpose)) continue;
      tx.consent().suppress(hash, purpose, now);
      ++added;
    }
  };
  for (const auto& e : emails) suppress(Channel::email, e);
  for (const auto& p : phones) {
    for (Channel c : {Channel::sms, Channel::phone, Channel::whatsapp}) suppress(c, p);
  }
  return added;
}

std::int64_t merge_consent(store::Transaction& tx, const CustomerId& from, const CustomerId& to, Timestamp now) {
  auto& repo = tx.consent();
  std::map<std::pair<Channel, std::string>, store::CurrentConsent> survivor;
  for (auto& [key, current] : repo.states(to)) survivor.emplace(key, current);
  std::int64_t carried = 0;
  for (const auto& [key, current] : repo.states(from)) {
    // A pending request stays where it is: its confirmation finds the survivor.
    if (current.status == ConsentStatus::pending) continue;
    const auto it = survivor.find(key);
    if (it != survivor.end() && it->second.status != ConsentStatus::pending && it->second.since >= current.since) {
      continue;
    }
    ConsentEntry e = *repo.get(current.entry);
    e.id = 0;
    e.customer = to;
    // The entry keeps the time the person acted, so that later merges and
    // confirmations compare what they did, not when the profiles met.
    e.source = "merge";
    e.evidence = "merged from customer " + from.str() + ", entry " + std::to_string(current.entry);
    e.recorded_by = std::string(ActorScope::current_actor());
    e.confirms.reset();
    repo.append(e, {});
    ++carried;
  }
  repo.drop_states(from);
  if (!repo.preferences(to)) {
    if (const auto p = repo.preferences(from)) repo.save_preferences(to, *p, now);
  }
  return carried;
}

}  // namespace detail

}  // namespace patron
