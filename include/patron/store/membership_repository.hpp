// Port: membership plans and memberships, in domain terms. Handed out by a
// Transaction. Plan names are unique ignoring case (the storage enforces it:
// already_exists). Memberships are stored with the status as set (active,
// paused or cancelled); "expired" is derived by the core from ends_at and
// the clock and never reaches storage.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "patron/memberships.hpp"

namespace patron::store {

class MembershipRepository {
 public:
  virtual ~MembershipRepository() = default;

  // Plans. insert_plan() assigns the id.
  virtual void insert_plan(Plan& plan) = 0;
  virtual std::optional<Plan> plan(std::int64_t id) = 0;
  // The id of the plan with this name, ignoring case.
  virtual std::optional<std::int64_t> plan_named(std::string_view name) = 0;
  // By name (ignoring case), then id.
  virtual std::vector<Plan> plans() = 0;

  // Memberships. insert() assigns the id; the holder's customer must exist.
  virtual void insert(Membership& membership) = 0;
  virtual std::optional<Membership> get(std::int64_t id) = 0;
  // Rewrites ends_at, status and updated_at.
  virtual void update(const Membership& membership) = 0;
  // A holder's own memberships, by start then id.
  virtual std::vector<Membership> of_customer(const CustomerId& customer) = 0;
  virtual std::vector<Membership> of_company(std::int64_t company) = 0;
};

}  // namespace patron::store
