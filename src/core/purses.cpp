#include "patron/purses.hpp"

#include <algorithm>
#include <array>
#include <limits>

#include "core/customer_ops.hpp"
#include "core/enum_names.hpp"
#include "core/event_builders.hpp"
#include "core/idempotency.hpp"
#include "core/merge_ops.hpp"
#include "core/promotion_ops.hpp"
#include "core/record_ops.hpp"
#include "core/rules.hpp"
#include "core/state.hpp"
#include "patron/activity.hpp"
#include "patron/error.hpp"
#include "text/text.hpp"

namespace patron {
namespace {

constexpr std::array<std::string_view, 3> kKinds{"top_up", "charge", "refund"};
constexpr std::size_t kMaxReference = 200;
constexpr std::string_view kScope = detail::kPurseKeyScope;

// A validated write: what the idempotency key is checked against.
struct Write {
  PurseEntryKind kind;
  std::string customer_ref;  // top-ups and charges
  std::string currency;
  std::int64_t amount;
  std::int64_t charge = 0;  // refunds
  std::string key;
  std::string reference;
};

Write validated(PurseEntryKind kind, const PurseRequest& in) {
  return Write{kind,
               std::string(in.customer_ref),
               normalize_currency(in.currency, "currency"),
               rules::money(in.amount, "amount", 1),
               0,
               detail::idempotency_key(in.idempotency_key),
               text::clean(in.reference, "reference", kMaxReference)};
}

// The canonical request text: the same request gives the same text, whatever
// form of the customer reference it came with.
std::string request_text(const Write& w, const std::string& customer) {
  detail::EventJson j{{"kind", std::string(to_string(w.kind))}, {"customer", customer},
                      {"currency", w.currency},                  {"amount", w.amount},
                      {"charge", w.charge},                      {"reference", w.reference}};
  return j.dump();
}

// An account as it stands now, with the category credit limit of the
// categories that apply now; `stored_category_limit` is the one the storage
// holds (what its balance check uses).
struct AccountNow {
  PurseAccount account;
  std::int64_t stored_category_limit = 0;
};

// `a` (as stored) with the category credit limit of now.
PurseAccount with_categories(store::Transaction& tx, PurseAccount a) {
  a.category_credit_limit = detail::category_credit_limit(tx, a.customer, a.currency);
  a.available = a.balance + std::max(a.credit_limit, a.category_credit_limit);
  return a;
}

AccountNow account_now(store::Transaction& tx, const CustomerId& customer, const std::string& currency) {
  PurseAccount stored{customer, currency};
  if (auto a = tx.purses().account(customer, currency)) stored = std::move(*a);
  const std::int64_t stored_category_limit = stored.category_credit_limit;
  return AccountNow{with_categories(tx, std::move(stored)), stored_category_limit};
}

PurseAccount account_of(store::Transaction& tx, const CustomerId& customer, const std::string& currency) {
  return account_now(tx, customer, currency).account;
}

PurseEntry require_entry(store::PurseRepository& repo, std::int64_t id, const char* field) {
  auto e = repo.entry(id);
  if (!e) throw Error(Errc::not_found, std::string(field) + ": no purse entry " + std::to_string(id), field);
  return std::move(*e);
}

// The event of a new entry: "purse.topped_up", "purse.charged", "purse.refunded".
void record_entry(store::Transaction& tx, Timestamp now, const PurseEntry& e) {
  static constexpr std::array<const char*, 3> kActions{"purse.topped_up", "purse.charged", "purse.refunded"};
  static constexpr std::array<const char*, 3> kSummaries{"Purse topped up", "Purse charged", "Purse refunded"};
  const auto k = static_cast<std::size_t>(e.kind);
  detail::EventJson details{{"entry", e.id},
                            {"amount", e.amount},
                            {"currency", e.currency},
                            {"balance_after", e.balance_after},
                            {"reference", e.reference}};
  if (e.refund_of) details["charge"] = *e.refund_of;
  detail::record(tx, now,
                 detail::make_change(e.customer, EventCategory::payments, EventType::payment, kActions[k],
                                     kSummaries[k], details));
}

// One entry of a merge's hand-over, with its event.
void append_merge_entry(store::Transaction& tx, const CustomerId& customer, const std::string& currency,
                        PurseEntryKind kind, std::int64_t amount, std::int64_t balance_after, std::string key,
                        Timestamp now) {
  PurseEntry e;
  e.customer = customer;
  e.currency = currency;
  e.kind = kind;
  e.amount = amount;
  e.balance_after = balance_after;
  e.reference = "merge";
  e.idempotency_key = std::move(key);
  e.actor = std::string(ActorScope::current_actor());
  e.at = now;
  tx.purses().append(e);
  record_entry(tx, now, e);
}

// Hands from's whole balance in `currency` over to `to` (a merge): a charge
// and a top-up, or for a debt a top-up and a charge, keyed `key` + ":out" and
// ":in". The caller has made to's credit limit hold a debt.
void hand_over(store::Transaction& tx, const CustomerId& from, const CustomerId& to, const std::string& currency,
               const std::string& key, Timestamp now) {
  auto& purses = tx.purses();
  const auto a = purses.account(from, currency);
  const auto t = purses.account(to, currency);
  const std::int64_t b = a ? a->balance : 0;
  const std::int64_t to_balance = t ? t->balance : 0;
  if (b > 0 && to_balance > std::numeric_limits<std::int64_t>::max() - b) {
    throw Error(Errc::failed_precondition, "purse: the combined balance in " + currency + " exceeds what it can hold",
                "absorbed");
  }
  if (b > 0) {
    append_merge_entry(tx, from, currency, PurseEntryKind::charge, b, 0, key + ":out", now);
    append_merge_entry(tx, to, currency, PurseEntryKind::top_up, b, to_balance + b, key + ":in", now);
  } else if (b < 0) {
    append_merge_entry(tx, from, currency, PurseEntryKind::top_up, -b, 0, key + ":out", now);
    append_merge_entry(tx, to, currency, PurseEntryKind::charge, -b, to_balance + b, key + ":in", now);
  }
}

// Checks `w` against the account and appends its entry with its event; for
// a top-up or charge `e.customer` is set. Returns the entry id.
std::int64_t append_entry(store::Transaction& tx, const Write& w, PurseEntry e, Timestamp now) {
  auto& purses = tx.purses();
  e.currency = w.currency;
  if (w.kind == PurseEntryKind::refund) {
    const auto charge = purses.entry(w.charge);
    if (!charge || charge->kind != PurseEntryKind::charge) {
      throw Error(Errc::not_found, "charge: no charge " + std::to_string(w.charge), "charge");
    }
    // A merge's hand-over moved a balance, it sold nothing: refunding it would make money.
    if (charge->idempotency_key.rfind("merge:", 0) == 0) {
      throw Error(Errc::failed_precondition,
                  "charge: entry " + std::to_string(charge->id) + " moved a balance in a merge and cannot be refunded",
                  "charge");
    }
    e.customer = charge->customer;
    e.currency = charge->currency;
    e.refund_of = charge->id;
    const std::int64_t left = charge->amount - charge->refunded;
    if (w.amount > left) {
      throw Error(Errc::failed_precondition,
                  "amount: only " + std::to_string(left) + " " + e.currency + " of charge " +
                      std::to_string(charge->id) + " is left to refund",
                  "amount");
    }
  }
  const AccountNow now_state = account_now(tx, e.customer, e.currency);
  const PurseAccount& a = now_state.account;
  if (w.kind == PurseEntryKind::charge) {
    if (w.amount > a.available) {
      throw Error(Errc::failed_precondition,
                  "amount: only " + std::to_string(a.available) + " " + e.currency + " is available", "amount");
    }
    // The storage checks the new balance against the limits it holds: give
    // it the categories' limit of now (the charge fits it, so the balance
    // before it does too).
    if (now_state.stored_category_limit != a.category_credit_limit) {
      purses.set_category_credit_limit(e.customer, e.currency, a.category_credit_limit);
    }
    e.balance_after = a.balance - w.amount;
  } else {
    if (a.balance > std::numeric_limits<std::int64_t>::max() - w.amount) {
      throw Error(Errc::failed_precondition, "amount: the balance would exceed what it can hold", "amount");
    }
    e.balance_after = a.balance + w.amount;
  }
  e.kind = w.kind;
  e.amount = w.amount;
  e.reference = w.reference;
  e.idempotency_key = w.key;
  e.actor = std::string(ActorScope::current_actor());
  e.at = now;
  purses.append(e);
  record_entry(tx, now, e);
  // A refund of a charge made before its customer was merged away goes on
  // to the survivor, through the same pair of entries as the merge.
  if (w.kind == PurseEntryKind::refund) {
    const std::optional<CustomerId> live = tx.customers().live_id(e.customer);
    if (live && *live != e.customer) hand_over(tx, e.customer, *live, e.currency, "merge:refund:" + std::to_string(e.id), now);
  }
  return e.id;
}

// Writes `w` once: a replay of its key returns the original entry, checked
// before anything else so that it answers even when the request would now be
// refused (a refund's account is its charge's, looked up after the key).
PurseEntry write_entry(store::Transaction& tx, const Write& w, Timestamp now) {
  PurseEntry e;
  std::string customer;
  if (w.kind != PurseEntryKind::refund) {
    e.customer = detail::require_customer_id(tx.customers(), w.customer_ref);
    customer = e.customer.str();
  }
  const std::int64_t id = detail::write_once(tx, kScope, w.key, request_text(w, customer),
                                             [&] { return append_entry(tx, w, e, now); });
  return require_entry(tx.purses(), id, "idempotency_key");
}

PurseEntry write_entry(const detail::DatabaseState& state, const Write& w) {
  const Timestamp now = state.now();
  return state.write([&](store::Transaction& tx) { return write_entry(tx, w, now); });
}

}  // namespace

namespace detail {

PurseEntry top_up_purse(store::Transaction& tx, const PurseRequest& request, Timestamp now) {
  return write_entry(tx, validated(PurseEntryKind::top_up, request), now);
}

std::int64_t move_purses(store::Transaction& tx, const CustomerId& from, const CustomerId& to, Timestamp now) {
  auto& purses = tx.purses();
  std::int64_t moved = 0;
  for (const PurseAccount& a : purses.accounts(from)) {
    const AccountNow target = account_now(tx, to, a.currency);
    const PurseAccount& t = target.account;
    const std::int64_t b = a.balance;
    // to's credit limit: the larger of the two, or what the combined debt needs.
    std::int64_t limit = std::max(t.credit_limit, a.credit_limit);
    if (b < 0 && t.balance + b < -std::max(limit, t.category_credit_limit)) limit = -(t.balance + b);
    if (limit > kMaxMoney) {
      throw Error(Errc::failed_precondition,
                  "purse: together the two customers owe more than a credit limit can hold in " + a.currency,
                  "absorbed");
    }
    if (limit != t.credit_limit) purses.set_credit_limit(to, a.currency, limit);
    if (target.stored_category_limit != t.category_credit_limit) {
      purses.set_category_credit_limit(to, a.currency, t.category_credit_limit);
    }
    hand_over(tx, from, to, a.currency, "merge:" + from.str() + ":" + a.currency, now);
    if (b != 0 || limit != t.credit_limit) ++moved;
  }
  return moved;
}

}  // namespace detail

std::string_view to_string(PurseEntryKind v) noexcept { return kKinds[static_cast<std::size_t>(v)]; }

PurseEntryKind parse_purse_entry_kind(std::string_view text, std::string_view field) {
  return detail::parse_named<PurseEntryKind>(kKinds, text, field);
}

PurseEntry Purses::top_up(const PurseRequest& request) {
  return write_entry(*state_, validated(PurseEntryKind::top_up, request));
}

PurseEntry Purses::charge(const PurseRequest& request) {
  return write_entry(*state_, validated(PurseEntryKind::charge, request));
}

PurseEntry Purses::refund(std::int64_t charge, std::int64_t amount, std::string_view idempotency_key,
                          std::string_view reference) {
  Write w{PurseEntryKind::refund,
          {},
          {},
          rules::money(amount, "amount", 1),
          charge,
          detail::idempotency_key(idempotency_key),
          text::clean(reference, "reference", kMaxReference)};
  return write_entry(*state_, w);
}

PurseAccount Purses::account(std::string_view customer_ref, std::string_view currency) const {
  const std::string code = normalize_currency(currency, "currency");
  return state_->read([&](store::Transaction& tx) {
    return account_of(tx, detail::require_customer_id(tx.customers(), customer_ref), code);
  });
}

std::vector<PurseAccount> Purses::accounts(std::string_view customer_ref) const {
  return state_->read([&](store::Transaction& tx) {
    const CustomerId customer = detail::require_customer_id(tx.customers(), customer_ref);
    std::vector<PurseAccount> out = tx.purses().accounts(customer);
    for (auto& a : out) a = with_categories(tx, std::move(a));
    return out;
  });
}

PurseAccount Purses::set_credit_limit(std::string_view customer_ref, std::string_view currency,
                                      std::int64_t credit_limit) {
  const std::string code = normalize_currency(currency, "currency");
  const std::int64_t limit =
      rules::money(credit_limit, "credit_limit");
  const Timestamp now = state_->now();
  return state_->write([&](store::Transaction& tx) {
    const CustomerId customer = detail::require_customer_id(tx.customers(), customer_ref);
    auto& purses = tx.purses();
    const AccountNow now_state = account_now(tx, customer, code);
    const PurseAccount& before = now_state.account;
    const std::int64_t effective = std::max(limit, before.category_credit_limit);
    if (before.balance < -effective) {
      throw Error(Errc::failed_precondition,
                  "credit_limit: the balance is already " + std::to_string(before.balance) + " " + code +
                      ", below minus " + std::to_string(effective),
                  "credit_limit");
    }
    if (before.credit_limit == limit) return before;
    // The storage's balance check must hold after each write: the stored
    // category limit is raised to now's before the own limit changes, or
    // lowered to it after.
    const std::int64_t stored = now_state.stored_category_limit;
    const std::int64_t category = before.category_credit_limit;
    if (category > stored) purses.set_category_credit_limit(customer, code, category);
    purses.set_credit_limit(customer, code, limit);
    if (category < stored) purses.set_category_credit_limit(customer, code, category);
    detail::record(tx, now,
                   detail::make_change(customer, EventCategory::payments, EventType::payment,
                                       "purse.credit_limit_changed", "Purse credit limit changed",
                                       detail::EventJson{{"currency", code},
                                                         {"old_credit_limit", before.credit_limit},
                                                         {"credit_limit", limit},
                                                         {"balance", before.balance}}));
    return account_of(tx, customer, code);
  });
}

PurseEntry Purses::entry(std::int64_t id) const {
  return state_->read([&](store::Transaction& tx) { return require_entry(tx.purses(), id, "id"); });
}

std::vector<PurseEntry> Purses::entries(std::string_view customer_ref, std::string_view currency, Page page) const {
  const std::string code = normalize_currency(currency, "currency");
  rules::page(page);
  return state_->read([&](store::Transaction& tx) {
    return tx.purses().entries(detail::require_customer_id(tx.customers(), customer_ref), code, page);
  });
}

}  // namespace patron
