#include "patron/promotions.hpp"

#include <algorithm>
#include <map>

#include "core/customer_ops.hpp"
#include "core/event_builders.hpp"
#include "core/loyalty_ops.hpp"
#include "core/promotion_ops.hpp"
#include "core/rules.hpp"
#include "core/state.hpp"
#include "patron/error.hpp"
#include "text/text.hpp"

namespace patron {
namespace {

using detail::EventJson;
using store::PromotionRepository;

constexpr std::size_t kMaxName = 200;
constexpr std::int64_t kMaxTerm = 10'000;                   // basis points, percent

std::string category_id(std::string_view id, const char* field) {
  return rules::host_id(id, field, "a category id");
}

// A category as given, checked; no credit currency without a credit limit.
PromotionCategory validated(const PromotionCategory& in) {
  PromotionCategory c;
  c.id = category_id(in.id, "id");
  c.name = text::clean_required(in.name, "name", kMaxName);
  c.discount_basis_points =
      rules::in_range(in.discount_basis_points, "discount_basis_points", 0, kMaxTerm, "0 to 10000");
  c.earn_multiplier_percent =
      rules::in_range(in.earn_multiplier_percent, "earn_multiplier_percent", 0, kMaxTerm, "0 to 10000");
  c.credit_limit = rules::money(in.credit_limit, "credit_limit");
  const bool has_currency = !text::trim(in.credit_currency).empty();
  if (c.credit_limit > 0 && !has_currency) {
    throw Error(Errc::invalid_argument, "credit_currency: required with a credit limit", "credit_currency");
  }
  if (has_currency) {
    const std::string code = normalize_currency(in.credit_currency, "credit_currency");
    if (c.credit_limit > 0) c.credit_currency = code;
  }
  return c;
}

PromotionCategory require_category(PromotionRepository& repo, const std::string& id, const char* field) {
  auto c = repo.get(id);
  if (!c) throw Error(Errc::not_found, std::string(field) + ": no category '" + id + "'", field);
  return std::move(*c);
}

void require_company(store::Transaction& tx, std::int64_t company) {
  if (!tx.companies().get(company)) {
    throw Error(Errc::not_found, "company: no company " + std::to_string(company), "company");
  }
}

EventJson terms_json(const PromotionCategory& c) {
  return EventJson{{"category", c.id},
                   {"name", c.name},
                   {"discount_basis_points", c.discount_basis_points},
                   {"earn_multiplier_percent", c.earn_multiplier_percent},
                   {"credit_limit", c.credit_limit},
                   {"credit_currency", c.credit_currency}};
}

// "category.assigned" / "category.unassigned" on the customer's timeline.
void record_assignment(store::Transaction& tx, Timestamp now, const CustomerId& customer, const std::string& category,
                       bool assigned) {
  detail::record(tx, now,
                 detail::make_change(customer, EventCategory::customers, EventType::data,
                                     assigned ? "category.assigned" : "category.unassigned",
                                     assigned ? "Category assigned" : "Category unassigned",
                                     EventJson{{"category", category}}));
}

// "category.company_assigned" / "category.company_unassigned": about a
// company, on the organisation's timeline (like the company's own events).
void record_company_assignment(store::Transaction& tx, Timestamp now, std::int64_t company,
                               const std::string& category, bool assigned) {
  detail::record(tx, now,
                 detail::make_change(std::nullopt, EventCategory::customers, EventType::data,
                                     assigned ? "category.company_assigned" : "category.company_unassigned",
                                     assigned ? "Category assigned to a company" : "Category unassigned from a company",
                                     EventJson{{"category", category}, {"company", company}}));
}

// The categories that apply to `customer`, by id: assigned directly, or to
// a company the customer is linked to (any link).
std::vector<AppliedCategory> applied_categories(store::Transaction& tx, const CustomerId& customer) {
  auto& repo = tx.promotions();
  std::map<std::string, AppliedCategory> by_id;
  for (auto& id : repo.of_customer(customer)) by_id[id].direct = true;
  std::vector<std::int64_t> companies;
  for (const auto& link : tx.companies().links_of_customer(customer)) companies.push_back(link.company);
  std::sort(companies.begin(), companies.end());
  companies.erase(std::unique(companies.begin(), companies.end()), companies.end());
  for (const std::int64_t company : companies) {
    for (auto& id : repo.of_company(company)) by_id[id].companies.push_back(company);
  }
  std::vector<AppliedCategory> out;
  out.reserve(by_id.size());
  for (auto& [id, a] : by_id) {
    a.category = require_category(repo, id, "category");
    out.push_back(std::move(a));
  }
  return out;
}

// The best of each term (no stacking); the neutral terms when none apply.
detail::CategoryTerms best_terms(const std::vector<PromotionCategory>& applying) {
  detail::CategoryTerms t;
  if (applying.empty()) return t;
  t.earn_multiplier_percent = 0;
  for (const auto& c : applying) {
    t.discount_basis_points = std::max(t.discount_basis_points, c.discount_basis_points);
    t.earn_multiplier_percent = std::max(t.earn_multiplier_percent, c.earn_multiplier_percent);
  }
  return t;
}

// The largest credit limit in `currency` (0 when none).
std::int64_t credit_limit_in(const std::vector<PromotionCategory>& applying, std::string_view currency) {
  std::int64_t limit = 0;
  for (const auto& c : applying) {
    if (c.credit_currency == currency) limit = std::max(limit, c.credit_limit);
  }
  return limit;
}

// floor(amount × basis_points / 10000) without overflow (amount ≤ 10^15).
std::int64_t discount_of(std::int64_t amount, std::int64_t basis_points) {
  return amount / 10'000 * basis_points + amount % 10'000 * basis_points / 10'000;
}

}  // namespace

namespace detail {

CategoryTerms category_terms(store::Transaction& tx, const CustomerId& customer) {
  return best_terms(tx.promotions().applying_to(customer));
}

std::int64_t category_credit_limit(store::Transaction& tx, const CustomerId& customer, std::string_view currency) {
  return credit_limit_in(tx.promotions().applying_to(customer), currency);
}

}  // namespace detail

PromotionCategory Promotions::create_category(const PromotionCategory& category) {
  PromotionCategory c = validated(category);
  const Timestamp now = state_->now();
  c.created_at = now;
  c.updated_at = now;
  return state_->write([&](store::Transaction& tx) {
    tx.promotions().insert(c);
    detail::record(tx, now,
                   detail::configuration_change("promotions.category_saved", "Promotion category created",
                                                terms_json(c)));
    return require_category(tx.promotions(), c.id, "id");
  });
}

PromotionCategory Promotions::update_category(const PromotionCategory& category) {
  const PromotionCategory in = validated(category);
  const Timestamp now = state_->now();
  return state_->write([&](store::Transaction& tx) {
    auto& repo = tx.promotions();
    PromotionCategory c = require_category(repo, in.id, "id");
    EventJson fields = EventJson::array();
    if (c.name != in.name) fields.push_back("name");
    if (c.discount_basis_points != in.discount_basis_points) fields.push_back("discount_basis_points");
    if (c.earn_multiplier_percent != in.earn_multiplier_percent) fields.push_back("earn_multiplier_percent");
    if (c.credit_limit != in.credit_limit) fields.push_back("credit_limit");
    if (c.credit_currency != in.credit_currency) fields.push_back("credit_currency");
    if (fields.empty()) return c;
    c.name = in.name;
    c.discount_basis_points = in.discount_basis_points;
    c.earn_multiplier_percent = in.earn_multiplier_percent;
    c.credit_limit = in.credit_limit;
    c.credit_currency = in.credit_currency;
    c.updated_at = now;
    repo.update(c);
    EventJson details = terms_json(c);
    details["fields"] = fields;
    detail::record(tx, now,
                   detail::configuration_change("promotions.category_saved", "Promotion category updated", details));
    return require_category(repo, c.id, "id");
  });
}

void Promotions::remove_category(std::string_view id) {
  const std::string key = category_id(id, "id");
  const Timestamp now = state_->now();
  state_->write([&](store::Transaction& tx) {
    auto& repo = tx.promotions();
    const PromotionCategory c = require_category(repo, key, "id");
    if (repo.assigned(key)) {
      throw Error(Errc::failed_precondition,
                  "category: '" + key + "' is assigned to customers or companies; unassign it first", "category");
    }
    repo.remove(key);
    detail::record(tx, now,
                   detail::configuration_change("promotions.category_removed", "Promotion category removed",
                                                EventJson{{"category", c.id}, {"name", c.name}}));
  });
}

PromotionCategory Promotions::category(std::string_view id) const {
  const std::string key = category_id(id, "id");
  return state_->read([&](store::Transaction& tx) { return require_category(tx.promotions(), key, "id"); });
}

std::vector<PromotionCategory> Promotions::categories() const {
  return state_->read([&](store::Transaction& tx) { return tx.promotions().list(); });
}

void Promotions::assign(std::string_view category, std::string_view customer_ref) {
  const std::string key = category_id(category, "category");
  const Timestamp now = state_->now();
  state_->write([&](store::Transaction& tx) {
    require_category(tx.promotions(), key, "category");
    const CustomerId customer = detail::require_customer_id(tx.customers(), customer_ref);
    if (tx.promotions().assign(key, customer, now)) record_assignment(tx, now, customer, key, true);
  });
}

void Promotions::unassign(std::string_view category, std::string_view customer_ref) {
  const std::string key = category_id(category, "category");
  const Timestamp now = state_->now();
  state_->write([&](store::Transaction& tx) {
    require_category(tx.promotions(), key, "category");
    const CustomerId customer = detail::require_customer_id(tx.customers(), customer_ref);
    if (tx.promotions().unassign(key, customer)) record_assignment(tx, now, customer, key, false);
  });
}

void Promotions::assign_to_company(std::string_view category, std::int64_t company) {
  const std::string key = category_id(category, "category");
  const Timestamp now = state_->now();
  state_->write([&](store::Transaction& tx) {
    require_category(tx.promotions(), key, "category");
    require_company(tx, company);
    if (tx.promotions().assign_to_company(key, company, now)) record_company_assignment(tx, now, company, key, true);
  });
}

void Promotions::unassign_from_company(std::string_view category, std::int64_t company) {
  const std::string key = category_id(category, "category");
  const Timestamp now = state_->now();
  state_->write([&](store::Transaction& tx) {
    require_category(tx.promotions(), key, "category");
    require_company(tx, company);
    if (tx.promotions().unassign_from_company(key, company)) {
      record_company_assignment(tx, now, company, key, false);
    }
  });
}

std::vector<AppliedCategory> Promotions::categories_of(std::string_view customer_ref) const {
  return state_->read([&](store::Transaction& tx) {
    return applied_categories(tx, detail::require_customer_id(tx.customers(), customer_ref));
  });
}

std::vector<CustomerId> Promotions::customers_in(std::string_view category, Page page) const {
  const std::string key = category_id(category, "category");
  rules::page(page);
  return state_->read([&](store::Transaction& tx) {
    require_category(tx.promotions(), key, "category");
    return tx.promotions().customers_in(key, page);
  });
}

std::vector<std::int64_t> Promotions::companies_in(std::string_view category) const {
  const std::string key = category_id(category, "category");
  return state_->read([&](store::Transaction& tx) {
    require_category(tx.promotions(), key, "category");
    return tx.promotions().companies_in(key);
  });
}

Quote Promotions::quote(std::string_view customer_ref, std::int64_t amount, std::string_view currency,
                        std::optional<std::string_view> program) const {
  Quote q;
  q.amount = rules::money(amount, "amount");
  q.currency = normalize_currency(currency, "currency");
  if (program) q.program = rules::host_id(*program, "program", "a program id");
  return state_->read([&](store::Transaction& tx) {
    const CustomerId customer = detail::require_customer_id(tx.customers(), customer_ref);
    const std::vector<PromotionCategory> applying = tx.promotions().applying_to(customer);
    const detail::CategoryTerms terms = best_terms(applying);
    Quote out = q;
    out.discount_basis_points = terms.discount_basis_points;
    out.category_multiplier_percent = terms.earn_multiplier_percent;
    out.discount = discount_of(out.amount, terms.discount_basis_points);
    out.to_pay = out.amount - out.discount;
    if (out.program) {
      const detail::PointsQuote points = detail::quote_points(tx, customer, *out.program, out.to_pay, out.currency,
                                                              terms.earn_multiplier_percent);
      out.points = points.points;
      out.tier = points.tier;
      out.tier_multiplier_percent = points.tier_multiplier_percent;
    }
    std::int64_t own_limit = 0;
    std::int64_t balance = 0;
    if (auto a = tx.purses().account(customer, out.currency)) {
      own_limit = a->credit_limit;
      balance = a->balance;
    }
    for (const auto& c : applying) out.categories.push_back(c.id);
    out.credit_limit = std::max(own_limit, credit_limit_in(applying, out.currency));
    out.credit_available = balance + out.credit_limit;
    return out;
  });
}

}  // namespace patron
