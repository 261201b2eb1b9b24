// store::AnalyticsRepository on one SQLite connection, inside a transaction
// the store opened.
#pragma once

#include "patron/store/analytics_repository.hpp"
#include "sqlite/connection.hpp"

namespace patron::sqlite {

class AnalyticsRepository final : public store::AnalyticsRepository {
 public:
  explicit AnalyticsRepository(Connection& conn) : conn_(conn) {}

  std::vector<store::OrderTotals> order_totals(const CustomerId& customer) override;
  void for_each_history(std::string_view currency, Timestamp until, const std::optional<CustomerId>& only,
                        const OccasionVisitor& visit) override;
  std::vector<store::RfmInput> rfm_inputs(std::string_view currency, Timestamp until) override;
  void replace_rfm(std::string_view currency, const std::vector<RfmScore>& scores) override;
  std::optional<RfmScore> rfm(const CustomerId& customer, std::string_view currency) override;
  std::vector<RfmScore> rfm_segment(std::string_view currency, RfmSegment segment, Page page) override;
  void insert_fit(ModelFit& fit) override;
  std::optional<ModelFit> latest_fit(std::string_view currency) override;

 private:
  std::optional<std::int64_t> seq_of(const CustomerId& id);
  RfmScore read_rfm(SQLite::Statement& row);

  Connection& conn_;
};

}  // namespace patron::sqlite
