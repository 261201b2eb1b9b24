#include "sqlite/privacy_repository.hpp"

#include "patron/error.hpp"
#include "sqlite/time_columns.hpp"

namespace patron::sqlite {
namespace {

// The customers as a JSON array of ids, for `IN (SELECT value FROM json_each(?))`.
std::string id_list(const std::vector<CustomerId>& customers) {
  std::string out = "[";
  for (const auto& c : customers) {
    if (out.size() > 1) out += ',';
    out += '"' + c.str() + '"';
  }
  return out + ']';
}

std::vector<std::string> texts(SQLite::Statement& st) {
  return read_rows(st, [](SQLite::Statement& row) { return row.getColumn(0).getString(); });
}

// Rows of one kind an erasure removes (?1 = the customer's row id, ?2 = its
// id), in this order: what references a row goes before it.
struct Step {
  const char* kind;
  const char* sql;
};
constexpr Step kRemove[] = {
    {"emails", "DELETE FROM customer_emails WHERE customer = ?1"},
    {"phones", "DELETE FROM customer_phones WHERE customer = ?1"},
    {"addresses", "DELETE FROM customer_addresses WHERE customer = ?1"},
    {"name_index", "DELETE FROM customer_names WHERE rowid = ?1"},
    {"note_revisions", "DELETE FROM note_revisions WHERE note IN (SELECT id FROM notes WHERE customer = ?1)"},
    {"notes", "DELETE FROM notes WHERE customer = ?1"},
    {"custom_field_values", "DELETE FROM custom_field_values WHERE customer = ?1"},
    {"documents", "DELETE FROM documents WHERE customer = ?1"},
    // Visits stay (a time and a place); the card or key presented goes.
    {"visit_credentials", "UPDATE visits SET credential = NULL WHERE customer = ?1 AND credential IS NOT NULL"},
    {"credentials", "DELETE FROM credentials WHERE customer = ?1"},
    {"door_permissions", "DELETE FROM door_permissions WHERE customer = ?1"},
    {"memberships", "DELETE FROM memberships WHERE customer = ?1"},
    {"company_links", "DELETE FROM company_links WHERE customer = ?1"},
    {"connections", "DELETE FROM connections WHERE low = ?1 OR high = ?1"},
    {"referrals", "DELETE FROM referrals WHERE referred = ?1 OR referrer = ?1"},
    {"promotion_categories", "DELETE FROM category_customers WHERE customer = ?1"},
    {"rfm_scores", "DELETE FROM rfm_scores WHERE customer = ?1"},
    {"enquiries", "DELETE FROM enquiries WHERE customer = ?1"},
    {"consent_states", "DELETE FROM consent_current WHERE customer = ?2"},
    {"consent_entries", "DELETE FROM consent_log WHERE customer = ?1"},
    {"contact_preferences", "DELETE FROM contact_preferences WHERE customer = ?1"},
    {"import_touches", "DELETE FROM import_touches WHERE customer = ?1"},
    {"duplicate_decisions", "DELETE FROM match_decisions WHERE a = ?1 OR b = ?1"},
    {"duplicate_entries", "DELETE FROM match_entries WHERE customer = ?1"},
    {"data_keys", "DELETE FROM data_keys WHERE customer = ?2"},
    // The timeline stays whole; a summary may be a host's free text.
    {"event_summaries", "UPDATE events SET summary = 'erased' WHERE customer = ?2 AND summary <> 'erased'"},
    // Last: every change above marked the customer for duplicate review.
    {"duplicate_review", "DELETE FROM match_stale WHERE customer = ?1"},
};

// What the law makes a business keep, anonymous under the tombstone.
constexpr Step kKept[] = {
    {"orders", "SELECT count(*) FROM orders WHERE customer = ?1"},
    {"bookings", "SELECT count(*) FROM bookings WHERE customer = ?1"},
    {"visits", "SELECT count(*) FROM visits WHERE customer = ?1"},
    {"purse_entries", "SELECT count(*) FROM purse_entries WHERE customer = ?1"},
    {"points_entries",
     "SELECT count(*) FROM points_entries WHERE account IN (SELECT id FROM points_accounts WHERE customer = ?1)"},
    {"events", "SELECT count(*) FROM events WHERE customer = ?2"},
};

SQLite::Statement& bound(Connection& conn, const char* sql, std::int64_t seq, const std::string& id) {
  auto& st = conn.statement(sql);
  st.bind(1, static_cast<int64_t>(seq));
  if (st.getBindParameterCount() > 1) st.bind(2, id);
  return st;
}

#define PATRON_TOMBSTONE_COLUMNS                                                                 \
  "SELECT c.id, c.number, e.erased_at, e.erased_by, e.requested_by, e.reason, s.id "            \
  "FROM erasures e JOIN customers c ON c.seq = e.customer LEFT JOIN customers s ON s.seq = e.survivor "

Tombstone read_tombstone(SQLite::Statement& row) {
  Tombstone t;
  t.customer = CustomerId::parse(row.getColumn(0).getText());
  t.number = row.getColumn(1).getString();
  t.erased_at = time_at(row, 2);
  t.erased_by = row.getColumn(3).getString();
  t.requested_by = row.getColumn(4).getString();
  t.reason = row.getColumn(5).getString();
  if (!row.getColumn(6).isNull()) t.merged_into = CustomerId::parse(row.getColumn(6).getText());
  return t;
}

}  // namespace

std::vector<store::MergedProfile> PrivacyRepository::merged_profiles(const CustomerId& survivor) {
  auto& st = conn_.statement(
      "SELECT m.id, m.number, m.title, m.first_name, m.last_name, coalesce(m.date_of_birth, ''), m.lifecycle_stage, "
      "m.tags, coalesce(m.emergency_name, ''), coalesce(m.emergency_phone, ''), m.created_at, m.merged_at "
      "FROM customers m JOIN customers s ON m.merged_into = s.seq WHERE s.id = ? ORDER BY m.merged_at, m.seq");
  st.bind(1, survivor.str());
  return read_rows(st, [](SQLite::Statement& row) {
    store::MergedProfile p;
    p.id = CustomerId::parse(row.getColumn(0).getText());
    p.number = row.getColumn(1).getString();
    p.title = row.getColumn(2).getString();
    p.first_name = row.getColumn(3).getString();
    p.last_name = row.getColumn(4).getString();
    p.date_of_birth = row.getColumn(5).getString();
    p.lifecycle_stage = row.getColumn(6).getString();
    p.tags = row.getColumn(7).getString();
    p.emergency_name = row.getColumn(8).getString();
    p.emergency_phone = row.getColumn(9).getString();
    p.created_at = time_at(row, 10);
    p.merged_at = time_at(row, 11);
    return p;
  });
}

std::vector<std::pair<std::string, std::int64_t>> PrivacyRepository::purse_money(
    const std::vector<CustomerId>& customers) {
  auto& st = conn_.statement(
      "SELECT a.currency, sum(a.balance) FROM purse_accounts a JOIN customers c ON c.seq = a.customer "
      "WHERE c.id IN (SELECT value FROM json_each(?)) AND a.balance <> 0 GROUP BY a.currency ORDER BY a.currency");
  st.bind(1, id_list(customers));
  return read_rows(st, [](SQLite::Statement& row) {
    return std::pair<std::string, std::int64_t>{row.getColumn(0).getString(), row.getColumn(1).getInt64()};
  });
}

bool PrivacyRepository::import_open() {
  auto& st = conn_.statement("SELECT EXISTS (SELECT 1 FROM import_runs)");
  st.executeStep();
  return st.getColumn(0).getInt() != 0;
}

std::vector<std::string> PrivacyRepository::emails(const std::vector<CustomerId>& customers) {
  auto& st = conn_.statement(
      "SELECT e.address FROM customer_emails e JOIN customers c ON c.seq = e.customer "
      "WHERE c.id IN (SELECT value FROM json_each(?)) ORDER BY e.address");
  st.bind(1, id_list(customers));
  return texts(st);
}

std::vector<std::string> PrivacyRepository::phones(const std::vector<CustomerId>& customers) {
  auto& st = conn_.statement(
      "SELECT DISTINCT p.number FROM customer_phones p JOIN customers c ON c.seq = p.customer "
      "WHERE c.id IN (SELECT value FROM json_each(?)) ORDER BY p.number");
  st.bind(1, id_list(customers));
  return texts(st);
}

void PrivacyRepository::erase(const Tombstone& tombstone, std::map<std::string, std::int64_t>& removed,
                              std::map<std::string, std::int64_t>& kept) {
  const std::string id = tombstone.customer.str();
  const std::int64_t seq = require_customer_seq(conn_, id);

  auto& mark = conn_.statement(
      "UPDATE customers SET number = ?2, title = '', first_name = '', last_name = '', date_of_birth = NULL, "
      "lifecycle_stage = '', tags = '[]', emergency_name = NULL, emergency_phone = NULL, status = 'active', "
      "ban_reason = NULL, banned_by = NULL, banned_at = NULL, online_until = NULL, updated_at = ?3, "
      "erased_at = ?3 WHERE seq = ?1 AND erased_at IS NULL");
  mark.bind(1, static_cast<int64_t>(seq));
  mark.bind(2, tombstone.number);
  bind_time(mark, 3, tombstone.erased_at);
  if (mark.exec() != 1) throw Error(Errc::internal, "erase: the customer is already erased");

  auto& record = conn_.statement(
      "INSERT INTO erasures (customer, erased_at, erased_by, requested_by, reason, survivor) "
      "VALUES (?1, ?2, ?3, ?4, ?5, (SELECT seq FROM customers WHERE id = ?6))");
  record.bind(1, static_cast<int64_t>(seq));
  bind_time(record, 2, tombstone.erased_at);
  record.bind(3, tombstone.erased_by);
  record.bind(4, tombstone.requested_by);
  record.bind(5, tombstone.reason);
  if (tombstone.merged_into) {
    record.bind(6, tombstone.merged_into->str());
  } else {
    record.bind(6);
  }
  record.exec();

  for (const auto& step : kRemove) {
    const std::int64_t n = bound(conn_, step.sql, seq, id).exec();
    if (n > 0) removed[step.kind] += n;
  }
  for (const auto& step : kKept) {
    auto& st = bound(conn_, step.sql, seq, id);
    st.executeStep();
    if (const std::int64_t n = st.getColumn(0).getInt64(); n > 0) kept[step.kind] += n;
  }
}

void PrivacyRepository::purge_search_indexes() {
  // FTS5 records a deletion as a marker in a new segment; the erased words
  // stay in the older segments until they are merged. 'optimize' merges
  // every segment into one, dropping what was deleted (SQLite 3.42's
  // secure-delete option would do it per row; Debian 12 has 3.40).
  conn_.exec("INSERT INTO customer_names (customer_names) VALUES ('optimize')");
  conn_.exec("INSERT INTO note_search (note_search) VALUES ('optimize')");
}

std::optional<Tombstone> PrivacyRepository::tombstone(const CustomerId& customer) {
  auto& st = conn_.statement(PATRON_TOMBSTONE_COLUMNS "WHERE c.id = ?");
  st.bind(1, customer.str());
  if (!st.executeStep()) return std::nullopt;
  return read_tombstone(st);
}

std::vector<Tombstone> PrivacyRepository::tombstones(Page page) {
  auto& st = conn_.statement(PATRON_TOMBSTONE_COLUMNS "ORDER BY e.erased_at DESC, e.customer DESC LIMIT ? OFFSET ?");
  bind_page(st, 1, 2, page.limit, page.offset);
  return read_rows(st, read_tombstone);
}

}  // namespace patron::sqlite
