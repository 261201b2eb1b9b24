// What promotion categories give a customer, for the services that apply
// them (loyalty earns, purse charges, quotes).
#pragma once

#include <cstdint>
#include <string_view>

#include "patron/customer.hpp"
#include "patron/store/store.hpp"

namespace patron::detail {

// The best of each term over the categories that apply to `customer`
// (directly or through a company): the neutral terms when none apply.
struct CategoryTerms {
  std::int64_t discount_basis_points = 0;
  std::int64_t earn_multiplier_percent = 100;
};
CategoryTerms category_terms(store::Transaction& tx, const CustomerId& customer);

// The largest credit limit in `currency` over the categories that apply.
std::int64_t category_credit_limit(store::Transaction& tx, const CustomerId& customer, std::string_view currency);

}  // namespace patron::detail
