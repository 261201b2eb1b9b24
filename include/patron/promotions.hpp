// Promotion categories: terms a customer enjoys ("staff", "VIP", "partner
// company") and the quote a till asks for before it takes payment.
//
// A category has a host-chosen id, a name, a discount (basis points: 1250 =
// 12.5%), an earn multiplier (percent: 200 = double points) and a credit
// limit in a currency (minor units; 0 for none). It applies to a customer
// assigned to it directly or through a company they are linked to (any
// link, see companies.hpp). When several apply, the customer gets the best
// of each term: the largest discount, the largest multiplier, the largest
// credit limit in a currency — they do not stack.
//
// Credit: a category's credit limit is a purse credit limit (purses.hpp) —
// the customer's purse in that currency may go down to minus the larger of
// its own limit and the categories' limit (PurseAccount::category_credit_limit).
//
// quote(customer, amount, currency, program) answers, without writing:
// the discount (rounded down to a minor unit) and the amount to pay; the
// points paying it would earn in the program (its rule on the amount to
// pay × the customer's tier multiplier × the best category multiplier,
// rounded once by the program's rounding; 0 when no program is given); and
// the purse credit available in that currency (balance + effective limit).
//
// Assignments and category changes record events: category.assigned and
// category.unassigned on the customer's timeline (category customers, type
// data); promotions.category_saved / promotions.category_removed and
// company assignments as organisation events.
//
// Borrowed from a Database (db.promotions()); thread-safe like it. Each call
// is one transaction: a refused call leaves nothing behind.
//
// Errors (patron::Error): invalid_argument naming the field ("id" /
// "category" (1-64 characters of A-Z a-z 0-9 . _ - : /), "name" (1-200),
// "discount_basis_points" (0 to 10000), "earn_multiplier_percent" (0 to
// 10000), "credit_limit" (0 to 10^15), "credit_currency" (required with a
// credit limit), "ref", "amount" (0 to 10^15), "currency", "program");
// not_found naming "category", "id", "ref", "company" or "program";
// already_exists naming "id" (create with a taken id); failed_precondition
// naming "category" (remove while assigned).
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

struct PromotionCategory {
  std::string id{};
  std::string name{};
  std::int64_t discount_basis_points = 0;
  std::int64_t earn_multiplier_percent = 100;
  std::int64_t credit_limit = 0;  // minor units of credit_currency
  std::string credit_currency{};  // ISO 4217; empty when credit_limit is 0
  Timestamp created_at{};         // set by patron
  Timestamp updated_at{};         // set by patron
  friend bool operator==(const PromotionCategory&, const PromotionCategory&) = default;
};

// A category as it applies to a customer: directly, or through a company.
struct AppliedCategory {
  PromotionCategory category{};
  bool direct = false;
  std::vector<std::int64_t> companies{};  // through these companies, ascending
  friend bool operator==(const AppliedCategory&, const AppliedCategory&) = default;
};

struct Quote {
  std::int64_t amount = 0;  // as asked, minor units
  std::string currency{};
  std::int64_t discount_basis_points = 0;
  std::int64_t discount = 0;     // minor units, rounded down
  std::int64_t to_pay = 0;       // amount - discount
  std::optional<std::string> program{};
  std::int64_t points = 0;       // what paying to_pay would earn
  std::optional<std::string> tier{};
  std::int64_t tier_multiplier_percent = 100;
  std::int64_t category_multiplier_percent = 100;
  std::int64_t credit_limit = 0;      // effective purse credit limit in currency
  std::int64_t credit_available = 0;  // purse balance + credit_limit
  std::vector<std::string> categories{};  // applied, by id
  friend bool operator==(const Quote&, const Quote&) = default;
};

class Promotions {
 public:
  explicit Promotions(detail::DatabaseState& state) : state_(&state) {}

  PromotionCategory create_category(const PromotionCategory& category);
  // Changes everything but the id.
  PromotionCategory update_category(const PromotionCategory& category);
  void remove_category(std::string_view id);
  PromotionCategory category(std::string_view id) const;
  std::vector<PromotionCategory> categories() const;  // by id

  // Idempotent: assigning twice (or unassigning what is not assigned) is a
  // no-op that records nothing.
  void assign(std::string_view category, std::string_view customer_ref);
  void unassign(std::string_view category, std::string_view customer_ref);
  void assign_to_company(std::string_view category, std::int64_t company);
  void unassign_from_company(std::string_view category, std::int64_t company);

  // The categories that apply to the customer, by id.
  std::vector<AppliedCategory> categories_of(std::string_view customer_ref) const;
  // Customers assigned directly, by customer number; companies assigned.
  std::vector<CustomerId> customers_in(std::string_view category, Page page = {}) const;
  std::vector<std::int64_t> companies_in(std::string_view category) const;

  Quote quote(std::string_view customer_ref, std::int64_t amount, std::string_view currency,
              std::optional<std::string_view> program = {}) const;

 private:
  detail::DatabaseState* state_;
};

}  // namespace patron
