#include "sqlite/graph_repository.hpp"

#include <algorithm>
#include <limits>
#include <utility>

#include "patron/error.hpp"
#include "sqlite/time_columns.hpp"

namespace patron::sqlite {
namespace {

#define PATRON_CONNECTION_COLUMNS                                                                \
  "SELECT k.id, lo.id, hi.id, k.from_low, k.type, k.source, k.note, k.created_at FROM connections k " \
  "JOIN customers lo ON lo.seq = k.low JOIN customers hi ON hi.seq = k.high "
#define PATRON_REFERRAL_COLUMNS                                                  \
  "SELECT a.id, b.id, r.note, r.at FROM referrals r JOIN customers a ON a.seq = r.referrer " \
  "JOIN customers b ON b.seq = r.referred "
#define PATRON_NODE_COLUMNS "SELECT c.id, c.number, c.first_name, c.last_name FROM customers c "

int64_t count_param(std::size_t n) {
  return static_cast<int64_t>(std::min<std::size_t>(n, std::numeric_limits<int64_t>::max()));
}

patron::Connection read_connection(SQLite::Statement& row) {
  patron::Connection c;
  c.id = row.getColumn(0).getInt64();
  auto low = CustomerId::parse(row.getColumn(1).getText());
  auto high = CustomerId::parse(row.getColumn(2).getText());
  const bool from_low = row.getColumn(3).getInt() != 0;
  c.from = from_low ? low : high;
  c.to = from_low ? high : low;
  c.type = row.getColumn(4).getString();
  c.source = parse_connection_source(row.getColumn(5).getText());
  c.note = row.getColumn(6).getString();
  c.created_at = time_at(row, 7);
  return c;
}

std::vector<patron::Connection> read_connections(SQLite::Statement& st) {
  std::vector<patron::Connection> out;
  while (st.executeStep()) out.push_back(read_connection(st));
  return out;
}

Referral read_referral(SQLite::Statement& row) {
  return Referral{CustomerId::parse(row.getColumn(0).getText()), CustomerId::parse(row.getColumn(1).getText()),
                  row.getColumn(2).getString(), time_at(row, 3)};
}

store::GraphNode read_node(SQLite::Statement& row) {
  return store::GraphNode{CustomerId::parse(row.getColumn(0).getText()), row.getColumn(1).getString(),
                          row.getColumn(2).getString(), row.getColumn(3).getString()};
}

}  // namespace

void GraphRepository::insert(patron::Connection& c) {
  const std::int64_t from = customer_seq(c.from);
  const std::int64_t to = customer_seq(c.to);
  auto& st = conn_.statement(
      "INSERT INTO connections (low, high, from_low, type, source, note, created_at) "
      "VALUES (min(?1, ?2), max(?1, ?2), ?1 < ?2, ?3, ?4, ?5, ?6)");
  st.bind(1, static_cast<int64_t>(from));
  st.bind(2, static_cast<int64_t>(to));
  st.bind(3, c.type);
  st.bind(4, std::string(to_string(c.source)));
  st.bind(5, c.note);
  bind_time(st, 6, c.created_at);
  st.exec();
  c.id = conn_.db().getLastInsertRowid();
}

std::optional<patron::Connection> GraphRepository::get(std::int64_t id) {
  auto& st = conn_.statement(PATRON_CONNECTION_COLUMNS "WHERE k.id = ?");
  st.bind(1, static_cast<int64_t>(id));
  if (!st.executeStep()) return std::nullopt;
  return read_connection(st);
}

std::optional<patron::Connection> GraphRepository::between(const CustomerId& a, const CustomerId& b,
                                                           std::string_view type) {
  const std::int64_t x = customer_seq(a);
  const std::int64_t y = customer_seq(b);
  auto& st = conn_.statement(PATRON_CONNECTION_COLUMNS
                             "WHERE k.low = min(?1, ?2) AND k.high = max(?1, ?2) AND k.type = ?3");
  st.bind(1, static_cast<int64_t>(x));
  st.bind(2, static_cast<int64_t>(y));
  st.bind(3, std::string(type));
  if (!st.executeStep()) return std::nullopt;
  return read_connection(st);
}

void GraphRepository::make_manual(std::int64_t id, std::string_view note) {
  auto& st = conn_.statement("UPDATE connections SET source = 'manual', note = ? WHERE id = ?");
  st.bind(1, std::string(note));
  st.bind(2, static_cast<int64_t>(id));
  st.exec();
}

bool GraphRepository::remove(std::int64_t id) {
  auto& st = conn_.statement("DELETE FROM connections WHERE id = ?");
  st.bind(1, static_cast<int64_t>(id));
  return st.exec() > 0;
}

std::vector<patron::Connection> GraphRepository::of_customer(const CustomerId& customer, std::string_view type) {
  auto& st = conn_.statement(PATRON_CONNECTION_COLUMNS
                             "WHERE (k.low = ?1 OR k.high = ?1) AND (?2 = '' OR k.type = ?2) "
                             "ORDER BY k.type, CASE WHEN k.low = ?1 THEN hi.number ELSE lo.number END COLLATE NOCASE, "
                             "k.id");
  st.bind(1, static_cast<int64_t>(customer_seq(customer)));
  st.bind(2, std::string(type));
  return read_connections(st);
}

std::vector<store::GraphNode> GraphRepository::adjacent(const CustomerId& customer) {
  auto& st = conn_.statement(PATRON_NODE_COLUMNS
                             "WHERE c.seq IN (SELECT high FROM connections WHERE low = ?1 "
                             "UNION SELECT low FROM connections WHERE high = ?1) ORDER BY c.number");
  st.bind(1, static_cast<int64_t>(customer_seq(customer)));
  std::vector<store::GraphNode> out;
  while (st.executeStep()) out.push_back(read_node(st));
  return out;
}

std::optional<store::GraphNode> GraphRepository::node(const CustomerId& customer) {
  auto& st = conn_.statement(PATRON_NODE_COLUMNS "WHERE c.id = ?");
  st.bind(1, customer.str());
  if (!st.executeStep()) return std::nullopt;
  return read_node(st);
}

void GraphRepository::insert_referral(const Referral& r) {
  const std::int64_t referrer = customer_seq(r.referrer);
  const std::int64_t referred = customer_seq(r.referred);
  auto& st = conn_.statement("INSERT INTO referrals (referred, referrer, note, at) VALUES (?, ?, ?, ?)");
  st.bind(1, static_cast<int64_t>(referred));
  st.bind(2, static_cast<int64_t>(referrer));
  st.bind(3, r.note);
  bind_time(st, 4, r.at);
  st.exec();
}

std::optional<Referral> GraphRepository::referral_of(const CustomerId& referred) {
  auto& st = conn_.statement(PATRON_REFERRAL_COLUMNS "WHERE r.referred = ?");
  st.bind(1, static_cast<int64_t>(customer_seq(referred)));
  if (!st.executeStep()) return std::nullopt;
  return read_referral(st);
}

std::vector<Referral> GraphRepository::referrals_by(const CustomerId& referrer) {
  auto& st = conn_.statement(PATRON_REFERRAL_COLUMNS "WHERE r.referrer = ? ORDER BY r.at, b.number");
  st.bind(1, static_cast<int64_t>(customer_seq(referrer)));
  std::vector<Referral> out;
  while (st.executeStep()) out.push_back(read_referral(st));
  return out;
}

std::int64_t GraphRepository::companies_larger_than(std::size_t max_size) {
  auto& st = conn_.statement(
      "SELECT count(*) FROM (SELECT company FROM company_links GROUP BY company "
      "HAVING count(DISTINCT customer) > ?)");
  st.bind(1, count_param(max_size));
  st.executeStep();
  return st.getColumn(0).getInt64();
}

std::int64_t GraphRepository::add_inferred_colleagues(std::size_t max_company_size, Timestamp at) {
  // Pairs in canonical order straight from the links' primary key (company,
  // customer, ...); a customer linked twice to one company (by two domains,
  // or by domain and by hand) pairs once.
  auto& st = conn_.statement(
      "INSERT INTO connections (low, high, from_low, type, source, note, created_at) "
      "SELECT DISTINCT a.customer, b.customer, 1, 'colleague', 'inferred', '', ?2 "
      "FROM company_links a JOIN company_links b ON b.company = a.company AND b.customer > a.customer "
      "WHERE a.company IN (SELECT company FROM company_links GROUP BY company "
      "                    HAVING count(DISTINCT customer) <= ?1) "
      "ORDER BY 1, 2 ON CONFLICT DO NOTHING");
  st.bind(1, count_param(max_company_size));
  bind_time(st, 2, at);
  return st.exec();
}

std::int64_t GraphRepository::remove_stale_colleagues() {
  auto& st = conn_.statement(
      "DELETE FROM connections WHERE source = 'inferred' AND type = 'colleague' AND NOT EXISTS ("
      "SELECT 1 FROM company_links a JOIN company_links b ON b.company = a.company AND b.customer = connections.high "
      "WHERE a.customer = connections.low)");
  return st.exec();
}

std::int64_t GraphRepository::add_inferred_referrals(Timestamp at) {
  auto& st = conn_.statement(
      "INSERT INTO connections (low, high, from_low, type, source, note, created_at) "
      "SELECT min(referrer, referred), max(referrer, referred), referrer < referred, 'referral', 'inferred', note, ?1 "
      "FROM referrals WHERE true ORDER BY 1, 2 ON CONFLICT DO NOTHING");
  bind_time(st, 1, at);
  return st.exec();
}

}  // namespace patron::sqlite
