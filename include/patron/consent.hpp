// Consent and communication preferences: may we contact this customer, on
// this channel, for this purpose — and can we prove what they agreed to.
//
// Every grant, withdrawal, request and confirmation is an entry of an
// append-only consent log per customer (GDPR Art. 7(1): the log proves every
// past state; the storage refuses to change or delete an entry). The
// current state of a channel and purpose follows from the log: the latest
// granted or withdrawn entry, or a pending request when there is none (a
// request hides no grant or withdrawal: only its confirmation counts).
//
// Purposes: four built in — "marketing", "profiling" and "third_party"
// (opt-in: nobody is reachable until they grant), "service" (service
// messages, opt-out: everybody is reachable until they withdraw) — and any
// the host defines with define_purpose(). A grant needs a legal basis (GDPR
// Art. 6(1)) and a source (where it was given: "till", "web_form",
// "import", "staff", ...); it keeps the version of the text agreed to, the
// evidence (a form id, a signed paper's reference), who recorded it (the
// actor of the call) and when (the clock).
//
// Double opt-in: grant(..., double_opt_in) writes a pending entry and
// returns a one-time token (patron keeps only its hash) for the host to
// send; confirm(token) writes the granted entry, with the confirmation time,
// naming the request. A token is refused when unknown, used, past its
// validity (Options of the grant, 7 days by default), or withdrawn since
// (a withdrawal after the request cancels it).
//
// Suppression: a withdrawal puts the customer's addresses on that channel
// (emails for email; phone numbers for sms, phone and whatsapp) on a
// suppression list for that purpose, stored as a keyed BLAKE2b hash (never
// the address; the key is random per database). A plain grant for an
// address on the list is refused: the person must grant anew — by double
// opt-in, or a grant marked `reaffirmed` (given in person, here and now) —
// which lifts it. suppress() adds a host's own list (bounces, a
// do-not-call register).
//
// Communication preferences: the preferred channel, language and contact
// windows (days and local times, in the customer's time zone).
//
// can_contact() (the hot path: one indexed lookup) answers per customer: an
// address added after a grant is not checked against the suppression list
// (check is_suppressed per address). reachable() pages by id, fast anywhere.
//
// A merge carries the absorbed customer's newer states (entries of the
// survivor's log at their own time, source "merge"); history() shows both.
//
// Borrowed from a Database (db.consent()); thread-safe like it. Each call
// is one transaction; each write (but a merge's, in customer.merged)
// records consent.* on the customer's timeline (type compliance).
//
// Errors (patron::Error): invalid_argument naming "channel", "purpose",
// "legal_basis" (required for a grant), "source", "text_version",
// "evidence", "valid_for", "token", "address", "description", "limit",
// "after", and the preferences' "language", "time_zone", "windows",
// "windows[i].days" / ".from" / ".to"; not_found naming "ref", "purpose" (not defined),
// "token" (unknown); failed_precondition naming "token" (used, expired,
// withdrawn since) or "channel" (the address is suppressed); already_exists
// naming "name" (a purpose defined twice).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "patron/customer.hpp"
#include "patron/types.hpp"

namespace patron {

namespace detail {
struct DatabaseState;
}

enum class Channel { email, sms, phone, post, push, in_app, whatsapp };
enum class ConsentStatus { granted, withdrawn, pending };
// GDPR Art. 6(1) (a)-(f).
enum class LegalBasis { consent, contract, legal_obligation, vital_interests, public_task, legitimate_interests };

std::string_view to_string(Channel v) noexcept;
std::string_view to_string(ConsentStatus v) noexcept;
std::string_view to_string(LegalBasis v) noexcept;
Channel parse_channel(std::string_view text, std::string_view field = "channel");
ConsentStatus parse_consent_status(std::string_view text, std::string_view field = "status");
LegalBasis parse_legal_basis(std::string_view text, std::string_view field = "legal_basis");

struct ConsentPurpose {
  std::string name{};  // 1-64 characters of a-z 0-9 _ . -
  std::string description{};
  // Opt-out: reachable until withdrawn. Opt-in (false): only once granted.
  bool opt_out = false;
  bool built_in = false;
  friend bool operator==(const ConsentPurpose&, const ConsentPurpose&) = default;
};

struct ConsentEntry {
  std::int64_t id = 0;
  CustomerId customer{};
  Channel channel = Channel::email;
  std::string purpose{};
  ConsentStatus status = ConsentStatus::granted;
  std::optional<LegalBasis> legal_basis{};  // grants and requests
  std::string source{};
  std::string text_version{};
  std::string evidence{};
  std::string recorded_by{};
  Timestamp at{};
  std::optional<Timestamp> expires_at{};  // a request: when its token stops working
  std::optional<std::int64_t> confirms{};  // a confirmation: the request it completes
  // Only in what grant() returns for a double opt-in: the token to send
  // (never stored, never read back; operator== compares it too).
  std::string token{};
  friend bool operator==(const ConsentEntry&, const ConsentEntry&) = default;
};

struct ConsentGrant {
  std::optional<LegalBasis> legal_basis{};  // required
  std::string source{};                     // required: host id ("till", "web_form", ...)
  std::string text_version{};               // up to 64 characters
  std::string evidence{};                   // up to 500 characters
  // Write a pending request and return its token; granted on confirm().
  bool double_opt_in = false;
  // How long the token works (1 minute to 90 days).
  std::chrono::seconds valid_for = std::chrono::hours(24 * 7);
  // The person grants anew, here and now: lifts a suppression.
  bool reaffirmed = false;
};

struct ConsentWithdrawal {
  std::string source{};    // required
  std::string evidence{};  // up to 500 characters
};

// The current state of one channel and purpose.
struct ConsentState {
  Channel channel = Channel::email;
  std::string purpose{};
  ConsentStatus status = ConsentStatus::granted;
  bool can_contact = false;
  std::int64_t entry = 0;  // the entry it follows from
  Timestamp since{};
  friend bool operator==(const ConsentState&, const ConsentState&) = default;
};

// One page of reachable customers; `next` is the cursor of the next page
// (empty on the last).
struct ReachablePage {
  std::vector<CustomerId> customers{};
  std::string next{};
  friend bool operator==(const ReachablePage&, const ReachablePage&) = default;
};

enum class Weekday { mon, tue, wed, thu, fri, sat, sun };
std::string_view to_string(Weekday v) noexcept;
Weekday parse_weekday(std::string_view text, std::string_view field = "day");

// Contact on these days between `from` and `to` ("HH:MM", local time;
// `to` after `from`, "24:00" for the end of the day).
struct ContactWindow {
  std::vector<Weekday> days{};  // at least one; kept in week order
  std::string from{};
  std::string to{};
  friend bool operator==(const ContactWindow&, const ContactWindow&) = default;
};

struct ContactPreferences {
  std::optional<Channel> channel{};  // the preferred channel
  std::string language{};            // BCP 47 ("en", "fr-CA"), or empty
  std::string time_zone{};           // IANA ("Europe/Paris"), or empty
  std::vector<ContactWindow> windows{};  // at most 14; none: any time
  friend bool operator==(const ContactPreferences&, const ContactPreferences&) = default;
};

class Consent {
 public:
  explicit Consent(detail::DatabaseState& state) : state_(&state) {}

  ConsentEntry grant(std::string_view customer_ref, Channel channel, std::string_view purpose,
                     const ConsentGrant& grant);
  ConsentEntry withdraw(std::string_view customer_ref, Channel channel, std::string_view purpose,
                        const ConsentWithdrawal& withdrawal);
  // Completes a double opt-in: the granted entry.
  ConsentEntry confirm(std::string_view token);

  bool can_contact(std::string_view customer_ref, Channel channel, std::string_view purpose) const;
  // Every channel and purpose with an entry, by channel then purpose.
  std::vector<ConsentState> state(std::string_view customer_ref) const;
  // The customer's log, newest first.
  std::vector<ConsentEntry> history(std::string_view customer_ref, Page page = {}) const;
  // Customers reachable on `channel` for `purpose` (live ones, by id),
  // `limit` (1-10000) after the cursor `after` ("" for the first).
  ReachablePage reachable(Channel channel, std::string_view purpose, std::string_view after = {},
                          std::size_t limit = 1000) const;

  ConsentPurpose define_purpose(std::string_view name, std::string_view description, bool opt_out = false);
  // Built-in purposes first, then the host's by name.
  std::vector<ConsentPurpose> purposes() const;

  // Puts `address` (an email, or a phone number for sms, phone, whatsapp)
  // on the suppression list for `purpose` on `channel`.
  void suppress(Channel channel, std::string_view address, std::string_view purpose = "marketing");
  bool is_suppressed(Channel channel, std::string_view address, std::string_view purpose = "marketing") const;

  ContactPreferences set_preferences(std::string_view customer_ref, const ContactPreferences& preferences);
  ContactPreferences preferences(std::string_view customer_ref) const;

 private:
  detail::DatabaseState* state_;
};

}  // namespace patron
