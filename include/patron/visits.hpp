// Visits: a customer came in and presented an id — a card, a key fob, a
// phone — at a place (a host-named site, door or till: "spa", "front-gate").
//
// record_presented(token, place, at) identifies the token as a credential
// (Database::identify_credential): an accepted credential records a visit
// naming it; any other verdict (unknown, blocked, lost, replaced,
// not_yet_valid, expired) records nothing and is refused with
// failed_precondition naming "token", the verdict in the message. record()
// writes a visit for a known customer, with the credential used when there
// was one (it must be the customer's). Each visit records visit.recorded on
// the customer's timeline (category customers, type visit, source physical).
//
// Visits are counted and listed per customer, newest first, filtered by
// place and time range [from, to).
//
// Borrowed from a Database (db.visits()); thread-safe like it. Each call is
// one transaction.
//
// Errors (patron::Error): invalid_argument naming "token", "place" (1-64
// characters of A-Z a-z 0-9 . _ - : /), "ref", "to" (not after from),
// "limit"; not_found naming "ref" or "credential" (unknown, or not the
// customer's); failed_precondition naming "token".
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

struct Visit {
  std::int64_t id = 0;
  CustomerId customer{};
  std::string place{};
  std::optional<std::int64_t> credential{};  // the credential presented
  Timestamp at{};
  friend bool operator==(const Visit&, const Visit&) = default;
};

struct VisitFilter {
  std::optional<std::string> place{};
  std::optional<Timestamp> from{};  // inclusive
  std::optional<Timestamp> to{};    // exclusive
};

class Visits {
 public:
  explicit Visits(detail::DatabaseState& state) : state_(&state) {}

  // `at` is now when absent.
  Visit record_presented(std::string_view token, std::string_view place, std::optional<Timestamp> at = {});
  Visit record(std::string_view customer_ref, std::string_view place, std::optional<std::int64_t> credential = {},
               std::optional<Timestamp> at = {});
  std::int64_t count(std::string_view customer_ref, const VisitFilter& filter = {}) const;
  std::vector<Visit> list(std::string_view customer_ref, const VisitFilter& filter = {}, Page page = {}) const;
  // The place's visits (any customer), newest first.
  std::vector<Visit> at_place(std::string_view place, const VisitFilter& filter = {}, Page page = {}) const;

 private:
  detail::DatabaseState* state_;
};

}  // namespace patron
