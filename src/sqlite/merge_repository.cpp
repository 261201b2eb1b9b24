#include "sqlite/merge_repository.hpp"

#include "patron/error.hpp"
#include "sqlite/time_columns.hpp"

namespace patron::sqlite {
namespace {

// `sql` with ?1 = from's row id and ?2 = to's (as far as it names them).
SQLite::Statement& bound(Connection& conn, const char* sql, std::int64_t from, std::int64_t to) {
  auto& st = conn.statement(sql);
  st.bind(1, static_cast<int64_t>(from));
  if (st.getBindParameterCount() > 1) st.bind(2, static_cast<int64_t>(to));
  return st;
}

// Runs it; the rows it changed.
std::int64_t run(Connection& conn, const char* sql, std::int64_t from, std::int64_t to) {
  return bound(conn, sql, from, to).exec();
}

std::int64_t account_of(Connection& conn, std::int64_t customer, std::string_view program) {
  auto& st = conn.statement("SELECT id FROM points_accounts WHERE customer = ? AND program = ?");
  st.bind(1, static_cast<int64_t>(customer));
  st.bind(2, std::string(program));
  if (!st.executeStep()) throw Error(Errc::internal, "merge: a points account vanished inside its transaction");
  return st.getColumn(0).getInt64();
}

// Records that change owner whole, by kind: one UPDATE each.
struct Simple {
  const char* kind;
  const char* sql;
};
constexpr Simple kSimple[] = {
    {"orders", "UPDATE orders SET customer = ?2 WHERE customer = ?1"},
    {"bookings", "UPDATE bookings SET customer = ?2 WHERE customer = ?1"},
    {"enquiries", "UPDATE enquiries SET customer = ?2 WHERE customer = ?1"},
    {"memberships", "UPDATE memberships SET customer = ?2 WHERE customer = ?1"},
    {"credentials", "UPDATE credentials SET customer = ?2 WHERE customer = ?1"},
    {"visits", "UPDATE visits SET customer = ?2 WHERE customer = ?1"},
    {"door_permissions", "UPDATE door_permissions SET customer = ?2 WHERE customer = ?1"},
    {"notes", "UPDATE notes SET customer = ?2 WHERE customer = ?1"},
    {"documents", "UPDATE documents SET customer = ?2 WHERE customer = ?1"},
};

}  // namespace

std::map<std::string, std::int64_t> MergeRepository::move_records(const CustomerId& from_id, const CustomerId& to_id) {
  const std::int64_t from = require_customer_seq(conn_, from_id.str());
  const std::int64_t to = require_customer_seq(conn_, to_id.str());
  std::map<std::string, std::int64_t> moved;
  const auto note = [&](const char* kind, std::int64_t n) {
    if (n > 0) moved[kind] += n;
  };

  // Emails: all move (an address has one holder); from's primary stays
  // primary only when `to` has none; positions follow to's.
  run(conn_,
      "UPDATE customer_emails SET is_primary = 0 WHERE customer = ?1 AND is_primary = 1 "
      "AND EXISTS (SELECT 1 FROM customer_emails WHERE customer = ?2 AND is_primary = 1)",
      from, to);
  auto& last = conn_.statement("SELECT coalesce(max(position), -1) + 1 FROM customer_emails WHERE customer = ?");
  last.bind(1, static_cast<int64_t>(to));
  last.executeStep();
  const std::int64_t offset = last.getColumn(0).getInt64();
  {
    auto& st = conn_.statement("UPDATE customer_emails SET customer = ?2, position = position + ?3 WHERE customer = ?1");
    st.bind(1, static_cast<int64_t>(from));
    st.bind(2, static_cast<int64_t>(to));
    st.bind(3, static_cast<int64_t>(offset));
    note("emails", st.exec());
  }
  run(conn_, "UPDATE customer_email_domains SET customer = ?2 WHERE customer = ?1", from, to);

  // Phones: a number both hold stays once (verified when either was).
  run(conn_,
      "UPDATE customer_phones SET verified = 1 WHERE customer = ?2 AND verified = 0 AND number IN "
      "(SELECT number FROM customer_phones WHERE customer = ?1 AND verified = 1)",
      from, to);
  run(conn_,
      "DELETE FROM customer_phones WHERE customer = ?1 AND number IN "
      "(SELECT number FROM customer_phones WHERE customer = ?2)",
      from, to);
  note("phones", run(conn_, "UPDATE customer_phones SET customer = ?2 WHERE customer = ?1", from, to));

  // Addresses: one both hold (every line equal) stays once; to's default
  // of a purpose stays the default.
  run(conn_,
      "DELETE FROM customer_addresses AS a WHERE a.customer = ?1 AND EXISTS (SELECT 1 FROM customer_addresses b "
      "WHERE b.customer = ?2 AND b.purpose = a.purpose AND b.line1 = a.line1 AND b.line2 = a.line2 "
      "AND b.city = a.city AND b.region = a.region AND b.postal_code = a.postal_code AND b.country = a.country)",
      from, to);
  run(conn_,
      "UPDATE customer_addresses AS a SET is_default = 0 WHERE a.customer = ?1 AND a.is_default = 1 "
      "AND EXISTS (SELECT 1 FROM customer_addresses b WHERE b.customer = ?2 AND b.purpose = a.purpose "
      "AND b.is_default = 1)",
      from, to);
  note("addresses", run(conn_, "UPDATE customer_addresses SET customer = ?2 WHERE customer = ?1", from, to));

  for (const auto& s : kSimple) note(s.kind, run(conn_, s.sql, from, to));

  // Unions: what `to` already has stays as it is.
  note("company_links",
       run(conn_,
           "INSERT OR IGNORE INTO company_links (company, customer, source, domain, role, billing, linked_at) "
           "SELECT company, ?2, source, domain, role, billing, linked_at FROM company_links WHERE customer = ?1",
           from, to));
  run(conn_, "DELETE FROM company_links WHERE customer = ?1", from, to);
  note("promotion_categories",
       run(conn_,
           "INSERT OR IGNORE INTO category_customers (category, customer, assigned_at) "
           "SELECT category, ?2, assigned_at FROM category_customers WHERE customer = ?1",
           from, to));
  run(conn_, "DELETE FROM category_customers WHERE customer = ?1", from, to);

  // Connections: the one between the two goes; one of a type that `to`
  // already has with the same customer goes; the rest move, their pair put
  // back in canonical order (low < high) with the direction kept.
  run(conn_, "DELETE FROM connections WHERE (low = ?1 AND high = ?2) OR (low = ?2 AND high = ?1)", from, to);
  run(conn_,
      "DELETE FROM connections AS c WHERE (c.low = ?1 OR c.high = ?1) AND EXISTS (SELECT 1 FROM connections d "
      "WHERE d.type = c.type AND d.low = min(?2, CASE WHEN c.low = ?1 THEN c.high ELSE c.low END) "
      "AND d.high = max(?2, CASE WHEN c.low = ?1 THEN c.high ELSE c.low END))",
      from, to);
  note("connections",
       run(conn_,
           "UPDATE connections SET "
           "low = min(?2, CASE WHEN low = ?1 THEN high ELSE low END), "
           "high = max(?2, CASE WHEN low = ?1 THEN high ELSE low END), "
           "from_low = CASE WHEN (CASE WHEN from_low = 1 THEN low ELSE high END) = ?1 "
           "THEN ?2 < (CASE WHEN low = ?1 THEN high ELSE low END) "
           "ELSE (CASE WHEN low = ?1 THEN high ELSE low END) < ?2 END "
           "WHERE low = ?1 OR high = ?1",
           from, to));

  // Referrals: one between the two goes; to's referrer wins over from's.
  run(conn_,
      "DELETE FROM referrals WHERE (referred = ?1 AND referrer = ?2) OR (referred = ?2 AND referrer = ?1)", from,
      to);
  run(conn_, "DELETE FROM referrals WHERE referred = ?1 AND EXISTS (SELECT 1 FROM referrals WHERE referred = ?2)",
      from, to);
  note("referrals", run(conn_, "UPDATE referrals SET referred = ?2 WHERE referred = ?1", from, to) +
                        run(conn_, "UPDATE referrals SET referrer = ?2 WHERE referrer = ?1", from, to));

  // RFM scores are a snapshot of the whole base: from's are stale, and the
  // next recompute_rfm scores `to` on both customers' orders.
  run(conn_, "DELETE FROM rfm_scores WHERE customer = ?1", from, to);
  return moved;
}

void MergeRepository::move_points_account(const CustomerId& from, const CustomerId& to, std::string_view program) {
  auto& st = conn_.statement(
      "UPDATE points_accounts SET customer = (SELECT seq FROM customers WHERE id = ?2) "
      "WHERE customer = (SELECT seq FROM customers WHERE id = ?1) AND program = ?3");
  st.bind(1, from.str());
  st.bind(2, to.str());
  st.bind(3, std::string(program));
  if (st.exec() != 1) throw Error(Errc::internal, "merge: no points account to move");
}

std::int64_t MergeRepository::move_points_lots(const CustomerId& from_id, const CustomerId& to_id,
                                               std::string_view program, std::int64_t out_entry,
                                               std::int64_t in_entry) {
  const std::int64_t from = account_of(conn_, require_customer_seq(conn_, from_id.str()), program);
  const std::int64_t to = account_of(conn_, require_customer_seq(conn_, to_id.str()), program);
  // The copies do not qualify: from's lots still count for to's tier
  // (qualifying_points reads the accounts of merged customers too).
  auto& copy = conn_.statement(
      "INSERT INTO points_lots (account, entry, points, remaining, earned_at, pending_until, expires_at, "
      "qualifying, qualifies_at) "
      "SELECT ?2, ?3, remaining, remaining, earned_at, pending_until, expires_at, 0, qualifies_at "
      "FROM points_lots WHERE account = ?1 AND remaining > 0 ORDER BY id");
  copy.bind(1, static_cast<int64_t>(from));
  copy.bind(2, static_cast<int64_t>(to));
  copy.bind(3, static_cast<int64_t>(in_entry));
  copy.exec();
  auto& draws = conn_.statement(
      "INSERT INTO points_draws (entry, position, lot, points) "
      "SELECT ?2, row_number() OVER (ORDER BY id) - 1, id, remaining FROM points_lots "
      "WHERE account = ?1 AND remaining > 0");
  draws.bind(1, static_cast<int64_t>(from));
  draws.bind(2, static_cast<int64_t>(out_entry));
  draws.exec();
  auto& total = conn_.statement("SELECT coalesce(sum(remaining), 0) FROM points_lots WHERE account = ?");
  total.bind(1, static_cast<int64_t>(from));
  total.executeStep();
  const std::int64_t drawn = total.getColumn(0).getInt64();
  auto& empty = conn_.statement("UPDATE points_lots SET remaining = 0 WHERE account = ? AND remaining > 0");
  empty.bind(1, static_cast<int64_t>(from));
  empty.exec();
  return drawn;
}

void MergeRepository::release_number(const CustomerId& merged) {
  auto& st = conn_.statement("UPDATE customers SET number = ? WHERE id = ? AND merged_into IS NOT NULL");
  st.bind(1, "merged-" + merged.str().substr(0, 25));
  st.bind(2, merged.str());
  if (st.exec() != 1) throw Error(Errc::internal, "merge: no merged customer " + merged.str() + " to release");
}

void MergeRepository::mark_merged(const CustomerId& from_id, const CustomerId& to_id, Timestamp at) {
  const std::int64_t from = require_customer_seq(conn_, from_id.str());
  const std::int64_t to = require_customer_seq(conn_, to_id.str());
  run(conn_, "UPDATE customers SET merged_into = ?2 WHERE merged_into = ?1", from, to);
  auto& st = conn_.statement(
      "UPDATE customers SET merged_into = ?2, merged_at = ?3 WHERE seq = ?1 AND merged_into IS NULL");
  st.bind(1, static_cast<int64_t>(from));
  st.bind(2, static_cast<int64_t>(to));
  bind_time(st, 3, at);
  if (st.exec() != 1) throw Error(Errc::failed_precondition, "absorbed: the customer is already merged", "absorbed");
  auto& names = conn_.statement("DELETE FROM customer_names WHERE rowid = ?");
  names.bind(1, static_cast<int64_t>(from));
  names.exec();
}

}  // namespace patron::sqlite
