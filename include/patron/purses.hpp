// Purses: stored value and credit, one money account per customer and
// currency.
//
// Money is integer minor units with an ISO 4217 currency code, never
// floating point. An account is a ledger of entries — top-up, charge,
// refund — each with its amount (always positive), the balance after it,
// an optional reference (an order, a receipt) and the actor; entries are
// never changed or deleted. The balance kept on the account is a checkpoint
// of the ledger, written in the same transaction as each entry (so reading
// it is one row) and always equal to the sum of the entries.
//
// Credit: an account's credit limit (0 by default), or a promotion
// category's larger one (promotions.hpp), lets the balance go down to minus
// that limit and no further; a charge beyond what is available
// (balance + credit limit) is refused with failed_precondition naming
// "amount", the available amount in the message. A refund gives back (part
// of) a charge: never more than the charge minus what was already refunded
// of it, however many partial refunds arrive.
//
// Idempotency: every write carries an idempotency key (1-200 characters,
// unique across all purse writes). The same key with the same request
// returns the original entry and changes nothing; the same key with a
// different request is refused with conflict naming "idempotency_key". A
// till may retry a write whose answer it lost, from any process.
//
// Concurrency: any number of threads and processes may write the same
// account; writes are serialised (one writer per file), so the balance never
// goes below minus the credit limit and every entry counts once.
//
// Every entry and credit-limit change records its event in the timeline
// (purse.topped_up, purse.charged, purse.refunded, purse.credit_limit_changed;
// category payments, type payment).
//
// Borrowed from a Database (db.purses()); thread-safe like it. Each call is
// one transaction.
//
// Errors (patron::Error): invalid_argument naming the field ("ref",
// "currency", "amount" (1 to 10^15), "credit_limit" (0 to 10^15),
// "idempotency_key", "reference" (at most 200 characters), "limit");
// not_found naming "ref" or "charge" (refund of an unknown entry, or of an
// entry that is not a charge); failed_precondition naming "amount" (charge
// beyond the available amount; refund beyond what is left of the charge) or
// "credit_limit" (a limit the current balance is already below); conflict
// naming "idempotency_key".
#pragma once

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

enum class PurseEntryKind { top_up, charge, refund };
std::string_view to_string(PurseEntryKind v) noexcept;
PurseEntryKind parse_purse_entry_kind(std::string_view text, std::string_view field = "kind");

struct PurseAccount {
  CustomerId customer{};
  std::string currency{};
  std::int64_t balance = 0;       // minor units; negative while on credit
  std::int64_t credit_limit = 0;  // the account's own limit (set_credit_limit)
  // The largest credit limit in this currency of the promotion categories
  // that apply to the customer now (promotions.hpp); the balance may go down
  // to minus the larger of the two.
  std::int64_t category_credit_limit = 0;
  std::int64_t available = 0;     // balance + max(credit_limit, category_credit_limit)
  friend bool operator==(const PurseAccount&, const PurseAccount&) = default;
};

struct PurseEntry {
  std::int64_t id = 0;
  CustomerId customer{};
  std::string currency{};
  PurseEntryKind kind = PurseEntryKind::top_up;
  std::int64_t amount = 0;         // positive minor units
  std::int64_t balance_after = 0;
  std::optional<std::int64_t> refund_of{};  // refunds: the charge
  std::int64_t refunded = 0;       // charges: how much of it was refunded so far (as read)
  std::string reference{};
  std::string idempotency_key{};
  std::string actor{};
  Timestamp at{};
  friend bool operator==(const PurseEntry&, const PurseEntry&) = default;
};

// A top-up or a charge.
struct PurseRequest {
  std::string customer_ref{};
  std::string currency{};
  std::int64_t amount = 0;
  std::string idempotency_key{};
  std::string reference{};
};

class Purses {
 public:
  explicit Purses(detail::DatabaseState& state) : state_(&state) {}

  PurseEntry top_up(const PurseRequest& request);
  PurseEntry charge(const PurseRequest& request);
  // Gives back `amount` of charge entry `charge` to the same account. When
  // that account's customer was since merged into another, the refund is
  // written there and handed over to the survivor in the same transaction
  // (two entries, as the merge's).
  PurseEntry refund(std::int64_t charge, std::int64_t amount, std::string_view idempotency_key,
                    std::string_view reference = {});

  // The account (balance 0 and no credit when nothing was ever written).
  PurseAccount account(std::string_view customer_ref, std::string_view currency) const;
  // The customer's accounts that have entries or a credit limit, by currency.
  std::vector<PurseAccount> accounts(std::string_view customer_ref) const;
  PurseAccount set_credit_limit(std::string_view customer_ref, std::string_view currency, std::int64_t credit_limit);
  PurseEntry entry(std::int64_t id) const;
  // Newest first.
  std::vector<PurseEntry> entries(std::string_view customer_ref, std::string_view currency, Page page = {}) const;

 private:
  detail::DatabaseState* state_;
};

}  // namespace patron
