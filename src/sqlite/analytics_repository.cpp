#include "sqlite/analytics_repository.hpp"

#include <unordered_map>

#include "patron/error.hpp"
#include "sqlite/time_columns.hpp"

namespace patron::sqlite {
namespace {

constexpr std::int64_t kMicrosPerDay = 86'400'000'000;

#define PATRON_RFM_COLUMNS                                                                                      \
  "SELECT c.id, s.currency, s.recency_days, s.frequency, s.monetary, s.recency_score, s.frequency_score, "      \
  "s.monetary_score, s.segment, s.computed_at FROM rfm_scores s JOIN customers c ON c.seq = s.customer "

// Floor division: days before 1970 stay on their own calendar day.
std::int64_t day_of(std::int64_t us) { return us >= 0 ? us / kMicrosPerDay : -((-us - 1) / kMicrosPerDay) - 1; }

// A sum of order totals read as its two halves, sum(total >> 24) and
// sum(total & 0xFFFFFF) at columns `i` and `i + 1`: neither can overflow
// (SQLite's sum() raises an error when it would, and one currency's spend
// must never fail for everyone), and the whole saturates at int64's end.
std::int64_t split_sum(SQLite::Statement& st, int i) {
  __extension__ using Wide = __int128;
  const Wide whole = (static_cast<Wide>(st.getColumn(i).getInt64()) << 24) + st.getColumn(i + 1).getInt64();
  if (whole > INT64_MAX) return INT64_MAX;
  if (whole < INT64_MIN) return INT64_MIN;
  return static_cast<std::int64_t>(whole);
}

}  // namespace

std::optional<std::int64_t> AnalyticsRepository::seq_of(const CustomerId& id) { return customer_seq(conn_, id.str()); }

std::vector<store::OrderTotals> AnalyticsRepository::order_totals(const CustomerId& customer) {
  std::vector<store::OrderTotals> out;
  const auto seq = seq_of(customer);
  if (!seq) return out;
  auto& st = conn_.statement(
      "SELECT currency, count(*), sum(total >> 24), sum(total & 16777215), min(placed_at), max(placed_at) FROM orders "
      "WHERE customer = ? AND status <> 'cancelled' GROUP BY currency ORDER BY currency");
  st.bind(1, static_cast<int64_t>(*seq));
  while (st.executeStep()) {
    out.push_back(store::OrderTotals{st.getColumn(0).getString(), st.getColumn(1).getInt64(), split_sum(st, 2),
                                     from_micros(st.getColumn(4).getInt64()),
                                     from_micros(st.getColumn(5).getInt64())});
  }
  return out;
}

void AnalyticsRepository::for_each_history(std::string_view currency, Timestamp until,
                                           const std::optional<CustomerId>& only, const OccasionVisitor& visit) {
  // The covering index orders_customer_time (customer, placed_at, status,
  // currency, total) streams every order in (customer, time) order: no sort,
  // no table access. Customers are visited in seq order, which is their
  // creation order; ids come from one merge pass over customers.
  std::optional<std::int64_t> only_seq;
  if (only) {
    only_seq = seq_of(*only);
    if (!only_seq) return;
  }
  auto& orders = conn_.statement(
      "SELECT customer, placed_at, total FROM orders INDEXED BY orders_customer_time "
      "WHERE customer BETWEEN ?3 AND ?4 AND currency = ?1 AND status <> 'cancelled' AND placed_at < ?2 "
      "ORDER BY customer, placed_at");
  orders.bind(1, std::string(currency));
  orders.bind(2, stored_micros(until));
  orders.bind(3, static_cast<int64_t>(only_seq.value_or(0)));
  orders.bind(4, static_cast<int64_t>(only_seq.value_or(INT64_MAX)));
  auto& ids = conn_.statement("SELECT seq, id FROM customers WHERE seq >= ? ORDER BY seq");
  ids.bind(1, static_cast<int64_t>(only_seq.value_or(0)));

  std::vector<store::Occasion> occasions;
  std::int64_t current = -1;
  auto emit = [&] {
    if (current < 0) return;
    std::int64_t seq = -1;
    while (seq < current && ids.executeStep()) seq = ids.getColumn(0).getInt64();
    if (seq != current) throw Error(Errc::internal, "an order refers to a missing customer");
    visit(CustomerId::parse(ids.getColumn(1).getText()), occasions);
    occasions.clear();
  };
  while (orders.executeStep()) {
    const std::int64_t customer = orders.getColumn(0).getInt64();
    const std::int64_t day = day_of(orders.getColumn(1).getInt64());
    const std::int64_t total = orders.getColumn(2).getInt64();
    if (customer != current) {
      emit();
      current = customer;
    }
    if (!occasions.empty() && occasions.back().day == day) {
      occasions.back().spend = saturating_add(occasions.back().spend, total);
    } else {
      occasions.push_back({day, total});
    }
  }
  emit();
}

std::vector<store::RfmInput> AnalyticsRepository::rfm_inputs(std::string_view currency, Timestamp until) {
  auto& st = conn_.statement(
      "SELECT c.id, max(o.placed_at), count(*), sum(o.total >> 24), sum(o.total & 16777215) "
      "FROM orders o JOIN customers c ON c.seq = o.customer "
      "WHERE o.currency = ? AND o.status <> 'cancelled' AND o.placed_at < ? GROUP BY o.customer ORDER BY o.customer");
  st.bind(1, std::string(currency));
  st.bind(2, stored_micros(until));
  std::vector<store::RfmInput> out;
  while (st.executeStep()) {
    out.push_back(store::RfmInput{CustomerId::parse(st.getColumn(0).getText()), from_micros(st.getColumn(1).getInt64()),
                                  st.getColumn(2).getInt64(), split_sum(st, 3)});
  }
  return out;
}

void AnalyticsRepository::replace_rfm(std::string_view currency, const std::vector<RfmScore>& scores) {
  auto& clear = conn_.statement("DELETE FROM rfm_scores WHERE currency = ?");
  clear.bind(1, std::string(currency));
  clear.exec();
  std::unordered_map<std::string, std::int64_t> seqs;
  auto& all = conn_.statement("SELECT id, seq FROM customers");
  while (all.executeStep()) seqs.emplace(all.getColumn(0).getString(), all.getColumn(1).getInt64());
  auto& st = conn_.statement(
      "INSERT INTO rfm_scores (customer, currency, recency_days, frequency, monetary, recency_score, "
      "frequency_score, monetary_score, segment, computed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  for (const auto& s : scores) {
    st.reset();
    st.bind(1, static_cast<int64_t>(seqs.at(s.customer.str())));
    st.bind(2, s.currency);
    st.bind(3, static_cast<int64_t>(s.recency_days));
    st.bind(4, static_cast<int64_t>(s.frequency));
    st.bind(5, static_cast<int64_t>(s.monetary));
    st.bind(6, s.recency_score);
    st.bind(7, s.frequency_score);
    st.bind(8, s.monetary_score);
    st.bind(9, std::string(to_string(s.segment)));
    st.bind(10, stored_micros(s.computed_at));
    st.exec();
  }
}

RfmScore AnalyticsRepository::read_rfm(SQLite::Statement& row) {
  RfmScore s;
  s.customer = CustomerId::parse(row.getColumn(0).getText());
  s.currency = row.getColumn(1).getString();
  s.recency_days = row.getColumn(2).getInt64();
  s.frequency = row.getColumn(3).getInt64();
  s.monetary = row.getColumn(4).getInt64();
  s.recency_score = row.getColumn(5).getInt();
  s.frequency_score = row.getColumn(6).getInt();
  s.monetary_score = row.getColumn(7).getInt();
  s.segment = parse_rfm_segment(row.getColumn(8).getText());
  s.computed_at = from_micros(row.getColumn(9).getInt64());
  return s;
}

std::optional<RfmScore> AnalyticsRepository::rfm(const CustomerId& customer, std::string_view currency) {
  auto& st = conn_.statement(PATRON_RFM_COLUMNS "WHERE c.id = ? AND s.currency = ?");
  st.bind(1, customer.str());
  st.bind(2, std::string(currency));
  if (!st.executeStep()) return std::nullopt;
  return read_rfm(st);
}

std::vector<RfmScore> AnalyticsRepository::rfm_segment(std::string_view currency, RfmSegment segment, Page page) {
  auto& st = conn_.statement(PATRON_RFM_COLUMNS "WHERE s.currency = ? AND s.segment = ? ORDER BY c.number LIMIT ? OFFSET ?");
  st.bind(1, std::string(currency));
  st.bind(2, std::string(to_string(segment)));
  bind_page(st, 3, 4, page.limit, page.offset);
  std::vector<RfmScore> out;
  while (st.executeStep()) out.push_back(read_rfm(st));
  return out;
}

void AnalyticsRepository::insert_fit(ModelFit& f) {
  auto& st = conn_.statement(
      "INSERT INTO model_fits (currency, unit, cutoff, fitted_at, customers, r, alpha, a, b, bg_nbd_ll, p, q, gamma, "
      "gamma_gamma_ll) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  st.bind(1, f.currency);
  st.bind(2, std::string(to_string(f.unit)));
  st.bind(3, stored_micros(f.cutoff));
  st.bind(4, stored_micros(f.fitted_at));
  st.bind(5, static_cast<int64_t>(f.customers));
  st.bind(6, f.bg_nbd.r);
  st.bind(7, f.bg_nbd.alpha);
  st.bind(8, f.bg_nbd.a);
  st.bind(9, f.bg_nbd.b);
  st.bind(10, f.bg_nbd.log_likelihood);
  st.bind(11, f.gamma_gamma.p);
  st.bind(12, f.gamma_gamma.q);
  st.bind(13, f.gamma_gamma.gamma);
  st.bind(14, f.gamma_gamma.log_likelihood);
  st.exec();
  f.id = conn_.db().getLastInsertRowid();
}

std::optional<ModelFit> AnalyticsRepository::latest_fit(std::string_view currency) {
  auto& st = conn_.statement(
      "SELECT id, currency, unit, cutoff, fitted_at, customers, r, alpha, a, b, bg_nbd_ll, p, q, gamma, gamma_gamma_ll "
      "FROM model_fits WHERE currency = ? ORDER BY id DESC LIMIT 1");
  st.bind(1, std::string(currency));
  if (!st.executeStep()) return std::nullopt;
  ModelFit f;
  f.id = st.getColumn(0).getInt64();
  f.currency = st.getColumn(1).getString();
  f.unit = parse_time_unit(st.getColumn(2).getText());
  f.cutoff = from_micros(st.getColumn(3).getInt64());
  f.fitted_at = from_micros(st.getColumn(4).getInt64());
  f.customers = st.getColumn(5).getInt64();
  f.bg_nbd = clv::BgNbd{st.getColumn(6).getDouble(), st.getColumn(7).getDouble(), st.getColumn(8).getDouble(),
                        st.getColumn(9).getDouble(), st.getColumn(10).getDouble()};
  f.gamma_gamma = clv::GammaGamma{st.getColumn(11).getDouble(), st.getColumn(12).getDouble(),
                                  st.getColumn(13).getDouble(), st.getColumn(14).getDouble()};
  return f;
}

}  // namespace patron::sqlite
