#include "sqlite/privacy_repository.hpp"

#include <string>

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

constexpr std::uint64_t kMaxSearchLevels = 200;

// The number of levels in an FTS5 index's structure record (`sql` reads
// the record, rowid 10 of its _data table): after a 4-byte cookie, an
// SQLite varint (big-endian groups of 7 bits, the 9th byte whole).
std::uint64_t search_index_levels(Connection& conn, const char* sql) {
  auto& st = conn.statement(sql);
  if (!st.executeStep()) return 0;
  const std::string record = st.getColumn(0).getString();
  st.reset();  // the index is written next
  const auto* bytes = reinterpret_cast<const unsigned char*>(record.data());
  const int size = static_cast<int>(record.size());
  std::uint64_t levels = 0;
  for (int i = 4; i < size && i < 13; ++i) {
    if (i == 12) return (levels << 8) | bytes[i];
    levels = (levels << 7) | (bytes[i] & 0x7fU);
    if ((bytes[i] & 0x80U) == 0) break;
  }
  return levels;
}

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
  // secure-delete option would do it per row; Debian 12 has 3.40). But
  // SQLite 3.40's optimize also leaves two empty levels in the index's
  // structure record each time, and past 2,000 levels FTS5 reads the index
  // as corrupt (after ~1,000 erasures). 'rebuild' (the index written again
  // from its content, no erased word either) resets the structure: done
  // instead once the levels pass kMaxSearchLevels, every ~100 erasures (at
  // 1,000,000 names: a rebuild 2.4 s, an optimize 0.4 s).
  if (search_index_levels(conn_, "SELECT block FROM customer_names_data WHERE id = 10") > kMaxSearchLevels) {
    conn_.exec("INSERT INTO customer_names (customer_names) VALUES ('rebuild')");
  } else {
    conn_.exec("INSERT INTO customer_names (customer_names) VALUES ('optimize')");
  }
  if (search_index_levels(conn_, "SELECT block FROM note_search_data WHERE id = 10") > kMaxSearchLevels) {
    conn_.exec("INSERT INTO note_search (note_search) VALUES ('rebuild')");
  } else {
    conn_.exec("INSERT INTO note_search (note_search) VALUES ('optimize')");
  }
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

namespace patron::sqlite {
namespace {

#define PATRON_POLICY_COLUMNS "name, category, days, document_kind, description, created_at, updated_at"

// A policy from columns i..i+6 (in PATRON_POLICY_COLUMNS order).
RetentionPolicy read_policy(SQLite::Statement& row, int i) {
  RetentionPolicy p;
  p.name = row.getColumn(i).getString();
  p.category = parse_retention_category(row.getColumn(i + 1).getText());
  p.days = row.getColumn(i + 2).getInt();
  if (!row.getColumn(i + 3).isNull()) p.document_kind = parse_document_kind(row.getColumn(i + 3).getText());
  p.description = row.getColumn(i + 4).getString();
  p.created_at = time_at(row, i + 5);
  p.updated_at = time_at(row, i + 6);
  return p;
}

// Binds a policy to ?i..?i+6 (in PATRON_POLICY_COLUMNS order).
void bind_policy(SQLite::Statement& st, int i, const RetentionPolicy& p) {
  st.bind(i, p.name);
  st.bind(i + 1, std::string(to_string(p.category)));
  st.bind(i + 2, p.days);
  if (p.document_kind) {
    st.bind(i + 3, std::string(to_string(*p.document_kind)));
  } else {
    st.bind(i + 3);
  }
  st.bind(i + 4, p.description);
  bind_time(st, i + 5, p.created_at);
  bind_time(st, i + 6, p.updated_at);
}

}  // namespace

void PrivacyRepository::put_retention_policy(const RetentionPolicy& policy) {
  auto& st = conn_.statement(
      "INSERT INTO retention_policies (" PATRON_POLICY_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (name) DO UPDATE SET category = excluded.category, days = excluded.days, "
      "document_kind = excluded.document_kind, description = excluded.description, updated_at = excluded.updated_at");
  bind_policy(st, 1, policy);
  st.exec();
}

bool PrivacyRepository::remove_retention_policy(const std::string& name) {
  auto& st = conn_.statement("DELETE FROM retention_policies WHERE name = ?");
  st.bind(1, name);
  return st.exec() == 1;
}

std::vector<RetentionPolicy> PrivacyRepository::retention_policies() {
  auto& st = conn_.statement("SELECT " PATRON_POLICY_COLUMNS " FROM retention_policies ORDER BY name");
  return read_rows(st, [](SQLite::Statement& row) { return read_policy(row, 0); });
}

std::vector<RetentionSkip> PrivacyRepository::inactive_customers(Timestamp cutoff, Timestamp now,
                                                                 const std::optional<CustomerId>& only) {
  // Activity: created, online, or any event but an automated one since the
  // cutoff, on its timeline or on one merged into it (the timeline index
  // answers per customer). What keeps an inactive customer: a ban (erasing
  // would lift it), money in a purse of it or of one merged into it (an
  // erasure would be refused), a membership not ended, a booking not over.
#define PATRON_INACTIVE_CUSTOMERS                                                                            \
  "SELECT c.id, CASE "                                                                                       \
  "  WHEN c.status = 'banned' THEN 'banned' "                                                                \
  "  WHEN EXISTS (SELECT 1 FROM purse_accounts a WHERE a.customer = c.seq AND a.balance <> 0) "               \
  "    OR EXISTS (SELECT 1 FROM customers m JOIN purse_accounts a ON a.customer = m.seq "                    \
  "               WHERE m.merged_into = c.seq AND a.balance <> 0) THEN 'purses' "                           \
  "  WHEN EXISTS (SELECT 1 FROM memberships s WHERE s.customer = c.seq AND s.status <> 'cancelled' "         \
  "               AND (s.ends_at IS NULL OR s.ends_at > ?2)) THEN 'memberships' "                           \
  "  WHEN EXISTS (SELECT 1 FROM bookings b WHERE b.customer = c.seq AND b.ends_at > ?2 "                    \
  "               AND b.status IN ('scheduled', 'rescheduled', 'checked_in')) THEN 'bookings' "             \
  "  ELSE '' END "                                                                                           \
  "FROM customers c "                                                                                        \
  "WHERE c.erased_at IS NULL AND c.merged_into IS NULL "                                                     \
  "AND c.created_at < ?1 AND (c.last_active_at IS NULL OR c.last_active_at < ?1) "                          \
  "AND NOT EXISTS (SELECT 1 FROM events e WHERE e.customer = c.id AND e.at >= ?1 AND e.source <> 'automated') " \
  "AND NOT EXISTS (SELECT 1 FROM customers m JOIN events e ON e.customer = m.id WHERE m.merged_into = c.seq "  \
  "                AND e.at >= ?1 AND e.source <> 'automated') "
  // One customer by its id (an index probe), or all in row order.
  auto& st = only ? conn_.statement(PATRON_INACTIVE_CUSTOMERS "AND c.id = ?3")
                  : conn_.statement(PATRON_INACTIVE_CUSTOMERS "ORDER BY c.seq");
#undef PATRON_INACTIVE_CUSTOMERS
  bind_time(st, 1, cutoff);
  bind_time(st, 2, now);
  if (only) st.bind(3, only->str());
  return read_rows(st, [](SQLite::Statement& row) {
    return RetentionSkip{CustomerId::parse(row.getColumn(0).getText()), row.getColumn(1).getString()};
  });
}

std::vector<std::int64_t> PrivacyRepository::documents_before(DocumentKind kind, Timestamp cutoff, std::int64_t after,
                                                              std::size_t limit) {
  auto& st = conn_.statement(
      "SELECT id FROM documents WHERE kind = ? AND created_at < ? AND id > ? ORDER BY id LIMIT ?");
  st.bind(1, std::string(to_string(kind)));
  bind_time(st, 2, cutoff);
  st.bind(3, static_cast<int64_t>(after));
  st.bind(4, static_cast<int64_t>(limit));
  return read_rows(st, [](SQLite::Statement& row) { return static_cast<std::int64_t>(row.getColumn(0).getInt64()); });
}

// A customer's event from before the cutoff (?1) whose details are still
// there and readable (an erased customer's key is gone): what a
// timeline_details policy drops.
#define PATRON_DETAILS_TO_DROP \
  "customer IS NOT NULL AND details_dropped_at IS NULL AND at < ?1 AND data_key IN (SELECT id FROM data_keys) "

std::int64_t PrivacyRepository::count_event_details(Timestamp cutoff) {
  auto& st = conn_.statement("SELECT count(*) FROM events WHERE " PATRON_DETAILS_TO_DROP);
  bind_time(st, 1, cutoff);
  st.executeStep();
  return st.getColumn(0).getInt64();
}

std::pair<std::int64_t, std::int64_t> PrivacyRepository::drop_event_details(Timestamp cutoff, Timestamp now,
                                                                            std::int64_t after, std::size_t limit) {
  // The batch's last id first, then one UPDATE over the id range: the table
  // is read once per batch, in rowid order.
  auto& last = conn_.statement(
      "SELECT max(id) FROM (SELECT id FROM events WHERE id > ?2 AND " PATRON_DETAILS_TO_DROP
      "ORDER BY id LIMIT ?3)");
  bind_time(last, 1, cutoff);
  last.bind(2, static_cast<int64_t>(after));
  last.bind(3, static_cast<int64_t>(limit));
  last.executeStep();
  if (last.getColumn(0).isNull()) {
    last.reset();
    return {0, after};
  }
  const std::int64_t upto = last.getColumn(0).getInt64();
  last.reset();
  auto& drop = conn_.statement(
      "UPDATE events SET details = zeroblob(40), details_dropped_at = ?4 WHERE id > ?2 AND id <= ?3 AND "
      PATRON_DETAILS_TO_DROP);
  bind_time(drop, 1, cutoff);
  drop.bind(2, static_cast<int64_t>(after));
  drop.bind(3, static_cast<int64_t>(upto));
  bind_time(drop, 4, now);
  return {drop.exec(), upto};
}

#undef PATRON_DETAILS_TO_DROP

std::int64_t PrivacyRepository::begin_retention_run(const std::string& actor, Timestamp at) {
  auto& st = conn_.statement("INSERT INTO retention_runs (actor, started_at) VALUES (?, ?)");
  st.bind(1, actor);
  bind_time(st, 2, at);
  st.exec();
  return conn_.db().getLastInsertRowid();
}

void PrivacyRepository::begin_retention_outcome(std::int64_t run, const RetentionOutcome& outcome) {
  auto& st = conn_.statement(
      "INSERT INTO retention_outcomes (run, policy, category, days, document_kind, description, created_at, "
      "updated_at, cutoff, events, held) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  st.bind(1, static_cast<int64_t>(run));
  bind_policy(st, 2, outcome.policy);
  bind_time(st, 9, outcome.cutoff);
  st.bind(10, static_cast<int64_t>(outcome.events));
  st.bind(11, outcome.held);
  st.exec();
}

void PrivacyRepository::add_retention_items(std::int64_t run, const std::string& policy,
                                            const std::vector<CustomerId>& customers,
                                            const std::vector<std::int64_t>& documents,
                                            const std::vector<RetentionSkip>& skipped) {
  auto& count = conn_.statement("SELECT count(*) FROM retention_items WHERE run = ? AND policy = ?");
  count.bind(1, static_cast<int64_t>(run));
  count.bind(2, policy);
  count.executeStep();
  std::int64_t position = count.getColumn(0).getInt64();
  count.reset();
  auto& item = conn_.statement(
      "INSERT INTO retention_items (run, policy, position, kind, customer, document, reason) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)");
  const auto put = [&](const char* kind, const std::string* customer, const std::int64_t* document,
                       const std::string* reason) {
    item.bind(1, static_cast<int64_t>(run));
    item.bind(2, policy);
    item.bind(3, static_cast<int64_t>(position++));
    item.bind(4, kind);
    customer ? item.bind(5, *customer) : item.bind(5);
    document ? item.bind(6, static_cast<int64_t>(*document)) : item.bind(6);
    reason ? item.bind(7, *reason) : item.bind(7);
    item.exec();
    item.reset();
  };
  for (const auto& c : customers) {
    const std::string id = c.str();
    put("customer", &id, nullptr, nullptr);
  }
  for (const auto& d : documents) put("document", nullptr, &d, nullptr);
  for (const auto& k : skipped) {
    const std::string id = k.customer.str();
    put("skipped", &id, nullptr, &k.reason);
  }
}

void PrivacyRepository::add_retention_events(std::int64_t run, const std::string& policy, std::int64_t events) {
  auto& st = conn_.statement("UPDATE retention_outcomes SET events = events + ? WHERE run = ? AND policy = ?");
  st.bind(1, static_cast<int64_t>(events));
  st.bind(2, static_cast<int64_t>(run));
  st.bind(3, policy);
  st.exec();
}

void PrivacyRepository::hold_retention_outcome(std::int64_t run, const std::string& policy, const std::string& held) {
  auto& st = conn_.statement("UPDATE retention_outcomes SET held = ? WHERE run = ? AND policy = ?");
  st.bind(1, held);
  st.bind(2, static_cast<int64_t>(run));
  st.bind(3, policy);
  st.exec();
}

void PrivacyRepository::finish_retention_run(std::int64_t run, Timestamp at) {
  auto& st = conn_.statement("UPDATE retention_runs SET finished_at = ? WHERE id = ?");
  bind_time(st, 1, at);
  st.bind(2, static_cast<int64_t>(run));
  st.exec();
}

std::vector<RetentionRun> PrivacyRepository::retention_runs(Page page) {
  auto& runs = conn_.statement(
      "SELECT id, actor, started_at, finished_at FROM retention_runs ORDER BY started_at DESC, id DESC "
      "LIMIT ? OFFSET ?");
  bind_page(runs, 1, 2, page.limit, page.offset);
  auto out = read_rows(runs, [](SQLite::Statement& row) {
    RetentionRun r;
    r.id = row.getColumn(0).getInt64();
    r.actor = row.getColumn(1).getString();
    r.started_at = time_at(row, 2);
    r.finished_at = optional_time_at(row, 3);
    return r;
  });
  auto& outcomes = conn_.statement(
      "SELECT policy, category, days, document_kind, description, created_at, updated_at, cutoff, events, held "
      "FROM retention_outcomes WHERE run = ? ORDER BY policy");
  auto& items = conn_.statement(
      "SELECT policy, kind, customer, document, reason FROM retention_items WHERE run = ? ORDER BY policy, position");
  for (auto& r : out) {
    outcomes.reset();
    outcomes.bind(1, static_cast<int64_t>(r.id));
    r.outcomes = read_rows(outcomes, [](SQLite::Statement& row) {
      RetentionOutcome o;
      o.policy = read_policy(row, 0);
      o.cutoff = time_at(row, 7);
      o.events = row.getColumn(8).getInt64();
      o.held = row.getColumn(9).getString();
      return o;
    });
    items.bind(1, static_cast<int64_t>(r.id));
    std::size_t at = 0;
    while (items.executeStep()) {
      const std::string policy = items.getColumn(0).getString();
      while (at < r.outcomes.size() && r.outcomes[at].policy.name != policy) ++at;
      if (at == r.outcomes.size()) throw Error(Errc::storage, "retention_items: an item names no outcome");
      RetentionOutcome& o = r.outcomes[at];
      const std::string kind = items.getColumn(1).getString();
      if (kind == "document") {
        o.documents.push_back(items.getColumn(3).getInt64());
      } else {
        const CustomerId id = CustomerId::parse(items.getColumn(2).getText());
        if (kind == "customer") {
          o.customers.push_back(id);
        } else {
          o.skipped.push_back({id, items.getColumn(4).getString()});
        }
      }
    }
    items.reset();
  }
  return out;
}

}  // namespace patron::sqlite
