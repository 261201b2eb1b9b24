// Port: the aggregations analytics needs, pushed down to the storage, and
// the analytics results it keeps (RFM scores, model fits).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "patron/analytics.hpp"

namespace patron::store {

// One purchase occasion: a UTC calendar day (days since the epoch) and the
// spend of the customer's orders that day.
struct Occasion {
  std::int64_t day = 0;
  std::int64_t spend = 0;
};

// Per currency, a customer's non-cancelled orders.
struct OrderTotals {
  std::string currency{};
  std::int64_t orders = 0;
  std::int64_t spend = 0;
  Timestamp first_order_at{};
  Timestamp last_order_at{};
};

struct RfmInput {
  CustomerId customer{};
  Timestamp last_order_at{};
  std::int64_t orders = 0;
  std::int64_t spend = 0;
};

class AnalyticsRepository {
 public:
  virtual ~AnalyticsRepository() = default;

  virtual std::vector<OrderTotals> order_totals(const CustomerId& customer) = 0;

  // Calls `visit` once per customer with a non-cancelled order in `currency`
  // placed before `until`, with that customer's occasions in day order;
  // customers come in customer-number order. `only` restricts it to one customer.
  using OccasionVisitor = std::function<void(const CustomerId&, std::span<const Occasion>)>;
  virtual void for_each_history(std::string_view currency, Timestamp until, const std::optional<CustomerId>& only,
                                const OccasionVisitor& visit) = 0;

  virtual std::vector<RfmInput> rfm_inputs(std::string_view currency, Timestamp until) = 0;
  virtual void replace_rfm(std::string_view currency, const std::vector<RfmScore>& scores) = 0;
  virtual std::optional<RfmScore> rfm(const CustomerId& customer, std::string_view currency) = 0;
  virtual std::vector<RfmScore> rfm_segment(std::string_view currency, RfmSegment segment, Page page) = 0;

  virtual void insert_fit(ModelFit& fit) = 0;  // assigns the id
  virtual std::optional<ModelFit> latest_fit(std::string_view currency) = 0;
};

}  // namespace patron::store
