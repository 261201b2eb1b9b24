#include "sqlite/loyalty_repository.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <string>

#include "patron/error.hpp"
#include "sqlite/time_columns.hpp"

namespace patron::sqlite {
namespace {

#define PATRON_PROGRAM_COLUMNS                                                                         \
  "SELECT id, name, points_name, currency, earn_points, per_amount, rounding, expiry_months, "         \
  "redemption_order, tier_window_months, created_at, updated_at FROM loyalty_programs "
#define PATRON_TIER_COLUMNS \
  "SELECT program, id, name, threshold, earn_multiplier_percent, benefits FROM loyalty_tiers "
#define PATRON_REWARD_COLUMNS \
  "SELECT id, program, name, cost, active_from, active_until, description FROM loyalty_rewards "
// The balance split at ?1 (now): pending and expired are sums over the
// partial indexes of open lots.
#define PATRON_ACCOUNT_COLUMNS                                                                                  \
  "SELECT c.id, a.program, a.balance, "                                                                       \
  "(SELECT coalesce(sum(l.remaining), 0) FROM points_lots l WHERE l.account = a.id AND l.remaining > 0 "      \
  "AND l.pending_until IS NOT NULL AND l.pending_until > ?1), "                                               \
  "(SELECT coalesce(sum(l.remaining), 0) FROM points_lots l WHERE l.account = a.id AND l.remaining > 0 "      \
  "AND l.expires_at IS NOT NULL AND l.expires_at <= ?1), "                                                    \
  "a.tier FROM points_accounts a JOIN customers c ON c.seq = a.customer "
#define PATRON_ENTRY_COLUMNS                                                                                 \
  "SELECT e.id, c.id, a.program, e.kind, e.points, e.balance_after, e.amount, e.currency, e.pending_until, " \
  "e.expires_at, e.reverses, "                                                                               \
  "(SELECT coalesce(sum(abs(r.points)), 0) FROM points_entries r WHERE r.reverses = e.id), "                 \
  "coalesce(e.counterpart, (SELECT t.id FROM points_entries t WHERE t.counterpart = e.id)), "                \
  "e.reward, e.qualifying, e.reference, e.reason, coalesce(e.idempotency_key, ''), e.actor, e.at "           \
  "FROM points_entries e JOIN points_accounts a ON a.id = e.account JOIN customers c ON c.seq = a.customer "
#define PATRON_LOT_COLUMNS \
  "SELECT l.id, l.entry, l.points, l.remaining, l.earned_at, l.pending_until, l.expires_at FROM points_lots l "
#define PATRON_CHANGE_COLUMNS                                                                       \
  "SELECT t.id, c.id, a.program, t.from_tier, t.to_tier, t.reason, t.qualifying_points, t.at "      \
  "FROM tier_changes t JOIN points_accounts a ON a.id = t.account JOIN customers c ON c.seq = a.customer "
#define PATRON_ACCOUNT_OF \
  "(SELECT a.id FROM points_accounts a JOIN customers c ON c.seq = a.customer WHERE c.id = ? AND a.program = ?)"

Program read_program(SQLite::Statement& row) {
  Program p;
  p.id = row.getColumn(0).getString();
  p.name = row.getColumn(1).getString();
  p.points_name = row.getColumn(2).getString();
  p.currency = row.getColumn(3).getString();
  p.earn_points = row.getColumn(4).getInt64();
  p.per_amount = row.getColumn(5).getInt64();
  p.rounding = parse_rounding(row.getColumn(6).getText());
  if (!row.getColumn(7).isNull()) p.expiry_months = row.getColumn(7).getInt();
  p.redemption_order = parse_redemption_order(row.getColumn(8).getText());
  p.tier_window_months = row.getColumn(9).getInt();
  p.created_at = time_at(row, 10);
  p.updated_at = time_at(row, 11);
  return p;
}

Tier read_tier(SQLite::Statement& row) {
  return Tier{row.getColumn(0).getString(), row.getColumn(1).getString(), row.getColumn(2).getString(),
              row.getColumn(3).getInt64(),  row.getColumn(4).getInt64(),  row.getColumn(5).getString()};
}

Reward read_reward(SQLite::Statement& row) {
  return Reward{row.getColumn(0).getString(), row.getColumn(1).getString(), row.getColumn(2).getString(),
                row.getColumn(3).getInt64(),  optional_time_at(row, 4),     optional_time_at(row, 5),
                row.getColumn(6).getString()};
}

PointsAccount read_account(SQLite::Statement& row) {
  PointsAccount a;
  a.customer = CustomerId::parse(row.getColumn(0).getText());
  a.program = row.getColumn(1).getString();
  a.balance = row.getColumn(2).getInt64();
  a.pending = row.getColumn(3).getInt64();
  a.expired = row.getColumn(4).getInt64();
  a.spendable = std::max<std::int64_t>(0, a.balance - a.pending - a.expired);
  a.tier = optional_text(row, 5);
  return a;
}

PointsEntry read_entry(SQLite::Statement& row) {
  PointsEntry e;
  e.id = row.getColumn(0).getInt64();
  e.customer = CustomerId::parse(row.getColumn(1).getText());
  e.program = row.getColumn(2).getString();
  e.kind = parse_points_entry_kind(row.getColumn(3).getText());
  e.points = row.getColumn(4).getInt64();
  e.balance_after = row.getColumn(5).getInt64();
  e.amount = optional_int(row, 6);
  e.currency = row.getColumn(7).getString();
  e.pending_until = optional_time_at(row, 8);
  e.expires_at = optional_time_at(row, 9);
  e.reverses = optional_int(row, 10);
  e.reversed = row.getColumn(11).getInt64();
  e.counterpart = optional_int(row, 12);
  e.reward = optional_text(row, 13);
  e.qualifying = row.getColumn(14).getInt() != 0;
  e.reference = row.getColumn(15).getString();
  e.reason = row.getColumn(16).getString();
  e.idempotency_key = row.getColumn(17).getString();
  e.actor = row.getColumn(18).getString();
  e.at = time_at(row, 19);
  return e;
}

PointsLot read_lot(SQLite::Statement& row) {
  return PointsLot{row.getColumn(0).getInt64(), row.getColumn(1).getInt64(), row.getColumn(2).getInt64(),
                   row.getColumn(3).getInt64(), time_at(row, 4),             optional_time_at(row, 5),
                   optional_time_at(row, 6)};
}

TierChange read_change(SQLite::Statement& row) {
  TierChange t;
  t.id = row.getColumn(0).getInt64();
  t.customer = CustomerId::parse(row.getColumn(1).getText());
  t.program = row.getColumn(2).getString();
  t.from = optional_text(row, 3);
  t.to = optional_text(row, 4);
  t.reason = parse_tier_change_reason(row.getColumn(5).getText());
  t.qualifying_points = row.getColumn(6).getInt64();
  t.at = time_at(row, 7);
  return t;
}

void bind_program(SQLite::Statement& st, const Program& p) {
  st.bind(1, p.id);
  st.bind(2, p.name);
  st.bind(3, p.points_name);
  st.bind(4, p.currency);
  st.bind(5, static_cast<int64_t>(p.earn_points));
  st.bind(6, static_cast<int64_t>(p.per_amount));
  st.bind(7, std::string(to_string(p.rounding)));
  if (p.expiry_months) {
    st.bind(8, *p.expiry_months);
  } else {
    st.bind(8);
  }
  st.bind(9, std::string(to_string(p.redemption_order)));
  st.bind(10, p.tier_window_months);
  bind_time(st, 11, p.created_at);
  bind_time(st, 12, p.updated_at);
}

// A lot drawn on: its id, the points, its expiry (columns 0-2).
store::LotDraw read_draw(SQLite::Statement& row) {
  return store::LotDraw{row.getColumn(0).getInt64(), row.getColumn(1).getInt64(), optional_time_at(row, 2)};
}

void bind_account_of(SQLite::Statement& st, int first, const CustomerId& customer, std::string_view program) {
  st.bind(first, customer.str());
  st.bind(first + 1, std::string(program));
}

}  // namespace

std::int64_t LoyaltyRepository::account_id(const CustomerId& customer, std::string_view program, bool create) {
  auto& find = conn_.statement("SELECT " PATRON_ACCOUNT_OF);
  bind_account_of(find, 1, customer, program);
  if (find.executeStep() && !find.getColumn(0).isNull()) return find.getColumn(0).getInt64();
  if (!create) return 0;
  const std::int64_t seq = require_customer_seq(conn_, customer.str());
  auto& insert = conn_.statement("INSERT INTO points_accounts (customer, program) VALUES (?, ?)");
  insert.bind(1, static_cast<int64_t>(seq));
  insert.bind(2, std::string(program));
  insert.exec();
  return conn_.db().getLastInsertRowid();
}

// ---- programs ----

void LoyaltyRepository::insert_program(const Program& p) {
  auto& st = conn_.statement(
      "INSERT INTO loyalty_programs (id, name, points_name, currency, earn_points, per_amount, rounding, "
      "expiry_months, redemption_order, tier_window_months, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  bind_program(st, p);
  try {
    st.exec();
  } catch (const SQLite::Exception& ex) {
    if (ex.getExtendedErrorCode() != SQLITE_CONSTRAINT_PRIMARYKEY) throw;
    throw Error(Errc::already_exists, "id: program '" + p.id + "' already exists", "id");
  }
}

void LoyaltyRepository::update_program(const Program& p) {
  auto& st = conn_.statement(
      "UPDATE loyalty_programs SET name = ?2, points_name = ?3, currency = ?4, earn_points = ?5, per_amount = ?6, "
      "rounding = ?7, expiry_months = ?8, redemption_order = ?9, tier_window_months = ?10, created_at = ?11, "
      "updated_at = ?12 WHERE id = ?1");
  bind_program(st, p);
  st.exec();
}

std::optional<Program> LoyaltyRepository::program(std::string_view id) {
  auto& st = conn_.statement(PATRON_PROGRAM_COLUMNS "WHERE id = ?");
  st.bind(1, std::string(id));
  if (!st.executeStep()) return std::nullopt;
  return read_program(st);
}

std::vector<Program> LoyaltyRepository::programs() {
  auto& st = conn_.statement(PATRON_PROGRAM_COLUMNS "ORDER BY id");
  return read_rows(st, read_program);
}

// ---- tiers ----

void LoyaltyRepository::save_tier(const Tier& t) {
  auto& st = conn_.statement(
      "INSERT INTO loyalty_tiers (program, id, name, threshold, earn_multiplier_percent, benefits) "
      "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (program, id) DO UPDATE SET name = excluded.name, "
      "threshold = excluded.threshold, earn_multiplier_percent = excluded.earn_multiplier_percent, "
      "benefits = excluded.benefits");
  st.bind(1, t.program);
  st.bind(2, t.id);
  st.bind(3, t.name);
  st.bind(4, static_cast<int64_t>(t.threshold));
  st.bind(5, static_cast<int64_t>(t.earn_multiplier_percent));
  st.bind(6, t.benefits);
  try {
    st.exec();
  } catch (const SQLite::Exception& ex) {
    if (ex.getExtendedErrorCode() != SQLITE_CONSTRAINT_UNIQUE) throw;
    throw Error(Errc::already_exists,
                "threshold: another tier of program '" + t.program + "' has threshold " + std::to_string(t.threshold),
                "threshold");
  }
}

void LoyaltyRepository::remove_tier(std::string_view program, std::string_view id) {
  auto& st = conn_.statement("DELETE FROM loyalty_tiers WHERE program = ? AND id = ?");
  st.bind(1, std::string(program));
  st.bind(2, std::string(id));
  st.exec();
}

std::vector<Tier> LoyaltyRepository::tiers(std::string_view program) {
  auto& st = conn_.statement(PATRON_TIER_COLUMNS "WHERE program = ? ORDER BY threshold");
  st.bind(1, std::string(program));
  return read_rows(st, read_tier);
}

std::int64_t LoyaltyRepository::tier_holders(std::string_view program, std::string_view tier) {
  auto& st = conn_.statement(
      "SELECT count(*) FROM points_accounts a JOIN customers c ON c.seq = a.customer "
      "WHERE a.program = ? AND a.tier = ? AND c.merged_into IS NULL AND c.erased_at IS NULL");
  st.bind(1, std::string(program));
  st.bind(2, std::string(tier));
  st.executeStep();
  return st.getColumn(0).getInt64();
}

// ---- accounts ----

std::optional<PointsAccount> LoyaltyRepository::account(const CustomerId& customer, std::string_view program,
                                                        Timestamp now) {
  auto& st = conn_.statement(PATRON_ACCOUNT_COLUMNS "WHERE c.id = ?2 AND a.program = ?3");
  bind_time(st, 1, now);
  bind_account_of(st, 2, customer, program);
  if (!st.executeStep()) return std::nullopt;
  return read_account(st);
}

std::vector<PointsAccount> LoyaltyRepository::accounts(const CustomerId& customer, Timestamp now) {
  auto& st = conn_.statement(PATRON_ACCOUNT_COLUMNS "WHERE c.id = ?2 ORDER BY a.program");
  bind_time(st, 1, now);
  st.bind(2, customer.str());
  return read_rows(st, read_account);
}

std::optional<store::PointsAccountHead> LoyaltyRepository::head(const CustomerId& customer,
                                                                std::string_view program) {
  auto& st = conn_.statement(
      "SELECT a.balance, a.tier FROM points_accounts a JOIN customers c ON c.seq = a.customer "
      "WHERE c.id = ? AND a.program = ?");
  bind_account_of(st, 1, customer, program);
  if (!st.executeStep()) return std::nullopt;
  return store::PointsAccountHead{st.getColumn(0).getInt64(), optional_text(st, 1)};
}

std::vector<CustomerId> LoyaltyRepository::holders(std::string_view program) {
  auto& st = conn_.statement(
      "SELECT c.id FROM points_accounts a JOIN customers c ON c.seq = a.customer "
      "WHERE a.program = ? AND c.merged_into IS NULL AND c.erased_at IS NULL ORDER BY a.id");
  st.bind(1, std::string(program));
  return read_rows(st, [](SQLite::Statement& row) { return CustomerId::parse(row.getColumn(0).getText()); });
}

std::vector<CustomerId> LoyaltyRepository::holders_with_expired(std::string_view program, Timestamp at) {
  auto& st = conn_.statement(
      "SELECT c.id FROM points_accounts a JOIN customers c ON c.seq = a.customer WHERE a.id IN "
      "(SELECT l.account FROM points_lots l WHERE l.remaining > 0 AND l.expires_at IS NOT NULL "
      "AND l.expires_at <= ?2) AND a.program = ?1 ORDER BY a.id");
  st.bind(1, std::string(program));
  bind_time(st, 2, at);
  return read_rows(st, [](SQLite::Statement& row) { return CustomerId::parse(row.getColumn(0).getText()); });
}

void LoyaltyRepository::set_tier(const CustomerId& customer, std::string_view program,
                                 const std::optional<std::string>& tier) {
  const std::int64_t account = account_id(customer, program, true);
  auto& st = conn_.statement("UPDATE points_accounts SET tier = ? WHERE id = ?");
  bind_optional(st, 1, tier);
  st.bind(2, static_cast<int64_t>(account));
  st.exec();
}

// ---- the ledger ----

void LoyaltyRepository::append(PointsEntry& e) {
  const std::int64_t account = account_id(e.customer, e.program, true);
  auto& st = conn_.statement(
      "INSERT INTO points_entries (account, kind, points, balance_after, amount, currency, pending_until, "
      "expires_at, reverses, counterpart, reward, qualifying, reference, reason, idempotency_key, actor, at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  st.bind(1, static_cast<int64_t>(account));
  st.bind(2, std::string(to_string(e.kind)));
  st.bind(3, static_cast<int64_t>(e.points));
  st.bind(4, static_cast<int64_t>(e.balance_after));
  bind_optional(st, 5, e.amount);
  st.bind(6, e.currency);
  bind_time(st, 7, e.pending_until);
  bind_time(st, 8, e.expires_at);
  bind_optional(st, 9, e.reverses);
  bind_optional(st, 10, e.counterpart);
  bind_optional(st, 11, e.reward);
  st.bind(12, e.qualifying ? 1 : 0);
  st.bind(13, e.reference);
  st.bind(14, e.reason);
  if (e.idempotency_key.empty()) {
    st.bind(15);
  } else {
    st.bind(15, e.idempotency_key);
  }
  st.bind(16, e.actor);
  bind_time(st, 17, e.at);
  try {
    st.exec();
  } catch (const SQLite::Exception& ex) {
    if (ex.getExtendedErrorCode() != SQLITE_CONSTRAINT_UNIQUE) throw;
    throw Error(Errc::already_exists, "idempotency_key: '" + e.idempotency_key + "' was already used",
                "idempotency_key");
  }
  e.id = conn_.db().getLastInsertRowid();
}

std::optional<PointsEntry> LoyaltyRepository::entry(std::int64_t id) {
  auto& st = conn_.statement(PATRON_ENTRY_COLUMNS "WHERE e.id = ?");
  st.bind(1, static_cast<int64_t>(id));
  if (!st.executeStep()) return std::nullopt;
  return read_entry(st);
}

std::vector<PointsEntry> LoyaltyRepository::entries(const CustomerId& customer, std::string_view program, Page page,
                                                    bool rewards_only) {
  if (rewards_only) {
    auto& st = conn_.statement(PATRON_ENTRY_COLUMNS "WHERE e.account = " PATRON_ACCOUNT_OF
                                                    " AND e.reward IS NOT NULL ORDER BY e.id DESC LIMIT ? OFFSET ?");
    bind_account_of(st, 1, customer, program);
    bind_page(st, 3, 4, page.limit, page.offset);
    return read_rows(st, read_entry);
  }
  auto& st = conn_.statement(PATRON_ENTRY_COLUMNS "WHERE e.account = " PATRON_ACCOUNT_OF
                                                  " ORDER BY e.id DESC LIMIT ? OFFSET ?");
  bind_account_of(st, 1, customer, program);
  bind_page(st, 3, 4, page.limit, page.offset);
  return read_rows(st, read_entry);
}

// ---- lots ----

void LoyaltyRepository::add_lot(PointsLot& lot, bool qualifying, Timestamp qualifies_at) {
  auto& st = conn_.statement(
      "INSERT INTO points_lots (account, entry, points, remaining, earned_at, pending_until, expires_at, qualifying, "
      "qualifies_at) SELECT account, id, ?2, ?3, ?4, ?5, ?6, ?7, ?8 FROM points_entries WHERE id = ?1");
  st.bind(1, static_cast<int64_t>(lot.entry));
  st.bind(2, static_cast<int64_t>(lot.points));
  st.bind(3, static_cast<int64_t>(lot.remaining));
  bind_time(st, 4, lot.earned_at);
  bind_time(st, 5, lot.pending_until);
  bind_time(st, 6, lot.expires_at);
  st.bind(7, qualifying ? 1 : 0);
  bind_time(st, 8, qualifies_at);
  if (st.exec() != 1) throw Error(Errc::internal, "points_lots: no entry " + std::to_string(lot.entry));
  lot.id = conn_.db().getLastInsertRowid();
}

std::optional<PointsLot> LoyaltyRepository::lot_of(std::int64_t entry) {
  auto& st = conn_.statement(PATRON_LOT_COLUMNS "WHERE l.entry = ?");
  st.bind(1, static_cast<int64_t>(entry));
  if (!st.executeStep()) return std::nullopt;
  return read_lot(st);
}

std::vector<PointsLot> LoyaltyRepository::lots(const CustomerId& customer, std::string_view program,
                                               RedemptionOrder order) {
  if (order == RedemptionOrder::oldest_earned) {
    auto& st = conn_.statement(PATRON_LOT_COLUMNS "WHERE l.account = " PATRON_ACCOUNT_OF
                                                  " AND l.remaining > 0 ORDER BY l.id");
    bind_account_of(st, 1, customer, program);
    return read_rows(st, read_lot);
  }
  auto& st = conn_.statement(PATRON_LOT_COLUMNS "WHERE l.account = " PATRON_ACCOUNT_OF
                                                " AND l.remaining > 0 ORDER BY l.expires_at IS NULL, l.expires_at, l.id");
  bind_account_of(st, 1, customer, program);
  return read_rows(st, read_lot);
}

std::vector<store::LotDraw> LoyaltyRepository::plan_draw(const CustomerId& customer, std::string_view program,
                                                         std::int64_t points, RedemptionOrder order, Timestamp at,
                                                         std::optional<std::int64_t> first) {
  std::vector<store::LotDraw> out;
  std::int64_t left = points;
  if (first) {
    auto& st = conn_.statement("SELECT remaining, expires_at FROM points_lots WHERE id = ?");
    st.bind(1, static_cast<int64_t>(*first));
    if (st.executeStep()) {
      const std::int64_t take = std::min(left, st.getColumn(0).getInt64());
      if (take > 0) out.push_back({*first, take, optional_time_at(st, 1)});
      left -= take;
    }
  }
  if (left <= 0) return out;
  // Walks the open lots in order, skipping those pending or expired at `at`;
  // stops as soon as enough is found.
  const char* sql = order == RedemptionOrder::oldest_earned
                        ? "SELECT l.id, l.remaining, l.expires_at FROM points_lots l WHERE l.account = " PATRON_ACCOUNT_OF
                          " AND l.remaining > 0 AND (l.pending_until IS NULL OR l.pending_until <= ?3) "
                          "AND (l.expires_at IS NULL OR l.expires_at > ?3) AND l.id IS NOT ?4 ORDER BY l.id"
                        : "SELECT l.id, l.remaining, l.expires_at FROM points_lots l WHERE l.account = " PATRON_ACCOUNT_OF
                          " AND l.remaining > 0 AND (l.pending_until IS NULL OR l.pending_until <= ?3) "
                          "AND (l.expires_at IS NULL OR l.expires_at > ?3) AND l.id IS NOT ?4 "
                          "ORDER BY l.expires_at IS NULL, l.expires_at, l.id";
  auto& st = conn_.statement(sql);
  bind_account_of(st, 1, customer, program);
  bind_time(st, 3, at);
  bind_optional(st, 4, first);
  while (left > 0 && st.executeStep()) {
    const std::int64_t take = std::min(left, st.getColumn(1).getInt64());
    out.push_back({st.getColumn(0).getInt64(), take, optional_time_at(st, 2)});
    left -= take;
  }
  st.reset();
  return out;
}

std::vector<store::LotDraw> LoyaltyRepository::expired_lots(const CustomerId& customer, std::string_view program,
                                                            Timestamp at) {
  auto& st = conn_.statement("SELECT l.id, l.remaining, l.expires_at FROM points_lots l WHERE l.account = " PATRON_ACCOUNT_OF
                             " AND l.remaining > 0 AND l.expires_at IS NOT NULL AND l.expires_at <= ? ORDER BY l.id");
  bind_account_of(st, 1, customer, program);
  bind_time(st, 3, at);
  return read_rows(st, read_draw);
}

void LoyaltyRepository::apply_draws(std::int64_t entry, const std::vector<store::LotDraw>& draws) {
  for (std::size_t i = 0; i < draws.size(); ++i) {
    auto& take = conn_.statement("UPDATE points_lots SET remaining = remaining - ?2 WHERE id = ?1");
    take.bind(1, static_cast<int64_t>(draws[i].lot));
    take.bind(2, static_cast<int64_t>(draws[i].points));
    take.exec();
    auto& record = conn_.statement("INSERT INTO points_draws (entry, position, lot, points) VALUES (?, ?, ?, ?)");
    record.bind(1, static_cast<int64_t>(entry));
    record.bind(2, static_cast<int64_t>(i));
    record.bind(3, static_cast<int64_t>(draws[i].lot));
    record.bind(4, static_cast<int64_t>(draws[i].points));
    record.exec();
  }
}

std::vector<store::LotDraw> LoyaltyRepository::draws(std::int64_t entry) {
  auto& st = conn_.statement(
      "SELECT d.lot, d.points, l.expires_at FROM points_draws d JOIN points_lots l ON l.id = d.lot "
      "WHERE d.entry = ? ORDER BY d.position");
  st.bind(1, static_cast<int64_t>(entry));
  return read_rows(st, read_draw);
}

void LoyaltyRepository::restore(std::int64_t lot, std::int64_t points) {
  auto& st = conn_.statement("UPDATE points_lots SET remaining = remaining + ?2 WHERE id = ?1");
  st.bind(1, static_cast<int64_t>(lot));
  st.bind(2, static_cast<int64_t>(points));
  st.exec();
}

void LoyaltyRepository::reduce_lot(std::int64_t lot, std::int64_t points) {
  auto& st = conn_.statement("UPDATE points_lots SET points = points - ?2 WHERE id = ?1");
  st.bind(1, static_cast<int64_t>(lot));
  st.bind(2, static_cast<int64_t>(points));
  st.exec();
}

std::int64_t LoyaltyRepository::qualifying_points(const CustomerId& customer, std::string_view program,
                                                  Timestamp after, Timestamp until) {
  // The customer's account and those of the customers merged into it: a
  // merge combines the qualifying history (the lots it copies do not count).
  auto& st = conn_.statement(
      "WITH s (seq) AS (SELECT seq FROM customers WHERE id = ?1) "
      "SELECT coalesce(sum(l.points), 0) FROM points_accounts a JOIN points_lots l ON l.account = a.id "
      "WHERE a.program = ?2 AND a.customer IN (SELECT seq FROM s UNION ALL "
      "SELECT c.seq FROM customers c WHERE c.merged_into = (SELECT seq FROM s)) "
      "AND l.qualifying = 1 AND l.qualifies_at > ?3 AND l.qualifies_at <= ?4");
  bind_account_of(st, 1, customer, program);
  bind_time(st, 3, after);
  bind_time(st, 4, until);
  st.executeStep();
  return st.getColumn(0).getInt64();
}

// ---- tier changes ----

void LoyaltyRepository::add_tier_change(TierChange& t) {
  const std::int64_t account = account_id(t.customer, t.program, true);
  auto& st = conn_.statement(
      "INSERT INTO tier_changes (account, from_tier, to_tier, reason, qualifying_points, at) VALUES (?, ?, ?, ?, ?, ?)");
  st.bind(1, static_cast<int64_t>(account));
  bind_optional(st, 2, t.from);
  bind_optional(st, 3, t.to);
  st.bind(4, std::string(to_string(t.reason)));
  st.bind(5, static_cast<int64_t>(t.qualifying_points));
  bind_time(st, 6, t.at);
  st.exec();
  t.id = conn_.db().getLastInsertRowid();
}

std::vector<TierChange> LoyaltyRepository::tier_changes(const CustomerId& customer, std::string_view program) {
  auto& st = conn_.statement(PATRON_CHANGE_COLUMNS "WHERE t.account = " PATRON_ACCOUNT_OF
                                                   " ORDER BY t.at DESC, t.id DESC");
  bind_account_of(st, 1, customer, program);
  return read_rows(st, read_change);
}

std::optional<TierChange> LoyaltyRepository::tier_change_at(const CustomerId& customer, std::string_view program,
                                                            Timestamp at) {
  auto& st = conn_.statement(PATRON_CHANGE_COLUMNS "WHERE t.account = " PATRON_ACCOUNT_OF
                                                   " AND t.at <= ? ORDER BY t.at DESC, t.id DESC LIMIT 1");
  bind_account_of(st, 1, customer, program);
  bind_time(st, 3, at);
  if (!st.executeStep()) return std::nullopt;
  return read_change(st);
}

// ---- rewards ----

void LoyaltyRepository::save_reward(const Reward& r) {
  auto& st = conn_.statement(
      "INSERT INTO loyalty_rewards (id, program, name, cost, active_from, active_until, description) "
      "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET program = excluded.program, name = excluded.name, "
      "cost = excluded.cost, active_from = excluded.active_from, active_until = excluded.active_until, "
      "description = excluded.description");
  st.bind(1, r.id);
  st.bind(2, r.program);
  st.bind(3, r.name);
  st.bind(4, static_cast<int64_t>(r.cost));
  bind_time(st, 5, r.active_from);
  bind_time(st, 6, r.active_until);
  st.bind(7, r.description);
  st.exec();
}

std::optional<Reward> LoyaltyRepository::reward(std::string_view id) {
  auto& st = conn_.statement(PATRON_REWARD_COLUMNS "WHERE id = ?");
  st.bind(1, std::string(id));
  if (!st.executeStep()) return std::nullopt;
  return read_reward(st);
}

std::vector<Reward> LoyaltyRepository::rewards(std::string_view program, std::optional<Timestamp> active_at) {
  if (active_at) {
    auto& st = conn_.statement(PATRON_REWARD_COLUMNS
                               "WHERE program = ?1 AND (active_from IS NULL OR active_from <= ?2) "
                               "AND (active_until IS NULL OR active_until > ?2) ORDER BY cost, id");
    st.bind(1, std::string(program));
    bind_time(st, 2, *active_at);
    return read_rows(st, read_reward);
  }
  auto& st = conn_.statement(PATRON_REWARD_COLUMNS "WHERE program = ? ORDER BY cost, id");
  st.bind(1, std::string(program));
  return read_rows(st, read_reward);
}

}  // namespace patron::sqlite
