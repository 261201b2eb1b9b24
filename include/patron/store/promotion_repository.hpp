// Port: promotion categories and their assignments to customers and
// companies, in domain terms. Handed out by a Transaction.
//
// A category cannot be removed while it is assigned: the storage refuses it
// too. Which companies a customer is linked to is the company repository's
// (CompanyRepository::links_of_customer); this port answers per company.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "patron/promotions.hpp"

namespace patron::store {

class PromotionRepository {
 public:
  virtual ~PromotionRepository() = default;

  // Categories. insert() refuses a taken id with Error(already_exists, "id").
  virtual void insert(const PromotionCategory& category) = 0;
  virtual std::optional<PromotionCategory> get(std::string_view id) = 0;
  // Rewrites everything but the id and created_at.
  virtual void update(const PromotionCategory& category) = 0;
  virtual void remove(std::string_view id) = 0;
  virtual std::vector<PromotionCategory> list() = 0;  // by id
  // Whether the category is assigned to any customer or company.
  virtual bool assigned(std::string_view id) = 0;

  // Assignments. Each returns whether it changed anything (false: the
  // assignment was already there, or was not).
  virtual bool assign(std::string_view category, const CustomerId& customer, Timestamp at) = 0;
  virtual bool unassign(std::string_view category, const CustomerId& customer) = 0;
  virtual bool assign_to_company(std::string_view category, std::int64_t company, Timestamp at) = 0;
  virtual bool unassign_from_company(std::string_view category, std::int64_t company) = 0;

  // Category ids assigned directly to the customer / to the company, by id.
  virtual std::vector<std::string> of_customer(const CustomerId& customer) = 0;
  virtual std::vector<std::string> of_company(std::int64_t company) = 0;
  // Every category that applies to the customer, directly or through any
  // company link, once each, by id: the hot path of earns and charges.
  virtual std::vector<PromotionCategory> applying_to(const CustomerId& customer) = 0;
  // Customers assigned directly, by customer number; one page.
  virtual std::vector<CustomerId> customers_in(std::string_view category, Page page) = 0;
  // Companies assigned, by id.
  virtual std::vector<std::int64_t> companies_in(std::string_view category) = 0;
};

}  // namespace patron::store
