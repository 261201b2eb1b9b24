// Port: purses (money accounts per customer and currency) and their ledger
// entries, in domain terms. Handed out by a Transaction.
//
// The storage keeps the account's balance as a checkpoint of its ledger:
// append() writes the entry and moves the checkpoint to its balance_after in
// one step, and refuses (the schema enforces it, so a bug above cannot slip
// through) an entry whose balance_after is not the balance plus (top-up,
// refund) or minus (charge) its amount, a balance below minus the larger of
// the credit limit and the stored category credit limit, a refund of
// anything but a charge of the same account, and refunds adding up to more than their charge. Entries are never changed or deleted.
// PurseEntry::refunded is computed when a charge is read.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "patron/purses.hpp"

namespace patron::store {

class PurseRepository {
 public:
  virtual ~PurseRepository() = default;

  // The account, or nothing when it was never written (no entry, no limit).
  // Its category_credit_limit is the stored one (set_category_credit_limit),
  // which the core replaces with the categories' limit now; available is
  // the balance plus the larger stored limit.
  virtual std::optional<PurseAccount> account(const CustomerId& customer, std::string_view currency) = 0;
  // The customer's accounts with entries or a credit limit, by currency.
  virtual std::vector<PurseAccount> accounts(const CustomerId& customer) = 0;
  // Creates the account when missing.
  virtual void set_credit_limit(const CustomerId& customer, std::string_view currency, std::int64_t credit_limit) = 0;
  // The promotion categories' credit limit as of now, which the core stores
  // before a charge that may use it. Creates the account when missing.
  virtual void set_category_credit_limit(const CustomerId& customer, std::string_view currency,
                                         std::int64_t category_credit_limit) = 0;

  // Appends the entry (creating the account when missing), assigns its id
  // and moves the account's balance to entry.balance_after.
  virtual void append(PurseEntry& entry) = 0;
  virtual std::optional<PurseEntry> entry(std::int64_t id) = 0;
  // Newest first (by id); one page.
  virtual std::vector<PurseEntry> entries(const CustomerId& customer, std::string_view currency, Page page) = 0;
};

}  // namespace patron::store
