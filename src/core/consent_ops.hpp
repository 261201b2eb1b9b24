// Consent steps other services take inside their own transaction.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "patron/consent.hpp"
#include "patron/ids.hpp"
#include "patron/store/store.hpp"
#include "patron/types.hpp"

namespace patron::detail {

// The channel named `text` ("email", "sms", ...); nullopt for any other text.
std::optional<Channel> channel_named(std::string_view text) noexcept;
// Whether `name` is a purpose's name: 1-64 characters of a-z 0-9 _ . -.
bool is_purpose_name(std::string_view name) noexcept;

// A grant or withdrawal checked before its transaction (the rules of
// Consent::grant and ::withdraw on its arguments: purpose name, legal basis,
// source, text version, evidence, validity; a double opt-in's token made):
// the entry without its customer and time.
struct CheckedConsent {
  ConsentEntry entry{};
  std::string token_hash{};          // a request's
  std::chrono::seconds valid_for{};  // a request's
  bool reaffirmed = false;
};
CheckedConsent checked_grant(Channel channel, std::string_view purpose, const ConsentGrant& grant);
CheckedConsent checked_withdrawal(Channel channel, std::string_view purpose, const ConsentWithdrawal& withdrawal);
// Writes it for `customer` in the caller's transaction at `now`, with its
// event: the purpose must exist (not_found naming "purpose"); a withdrawal
// suppresses the customer's addresses on the channel; a plain grant to a
// suppressed address is refused (failed_precondition naming `field`) unless
// reaffirmed, which lifts it.
ConsentEntry write_consent(store::Transaction& tx, Timestamp now, const CustomerId& customer, CheckedConsent c,
                           std::string_view field = "channel");
// The current state of the customer's channel and purpose; nullopt when none.
std::optional<ConsentStatus> consent_status(store::Transaction& tx, const CustomerId& customer, Channel channel,
                                            std::string_view purpose);

// An erasure: puts each email (channel email) and phone number (sms, phone,
// whatsapp) on the suppression list for every purpose defined now, built in
// or the host's. Returns the entries added.
std::int64_t suppress_for_erasure(store::Transaction& tx, const std::vector<std::string>& emails,
                                  const std::vector<std::string>& phones, Timestamp now);

// A merge: every state of `from` (granted or withdrawn) that is newer than
// `to`'s state of the same channel and purpose, or that `to` lacks, becomes
// an entry of `to`'s log (source "merge", the evidence naming the entry it
// came from); from's contact preferences go to `to` when it has none.
// Returns the number of states carried.
std::int64_t merge_consent(store::Transaction& tx, const CustomerId& from, const CustomerId& to, Timestamp now);

}  // namespace patron::detail
