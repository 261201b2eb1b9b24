#include "sqlite/activity_repository.hpp"

#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include "patron/error.hpp"
#include "sqlite/time_columns.hpp"

namespace patron::sqlite {
namespace {

using store::StoredEvent;

#define PATRON_EVENT_COLUMNS                                                                               \
  "SELECT e.id, e.customer, e.at, e.category, e.type, e.source, e.actor, e.action, e.summary, e.details, " \
  "coalesce(e.data_key, 0), iif(e.details_dropped_at IS NULL, k.key, NULL) "
#define PATRON_EVENT_FROM "FROM events e LEFT JOIN data_keys k ON k.id = e.data_key "

StoredEvent read_event(SQLite::Statement& row) {
  StoredEvent s;
  Event& e = s.event;
  e.id = row.getColumn(0).getInt64();
  if (!row.getColumn(1).isNull()) e.customer = CustomerId::parse(row.getColumn(1).getText());
  e.at = time_at(row, 2);
  e.category = parse_event_category(row.getColumn(3).getText());
  e.type = parse_event_type(row.getColumn(4).getText());
  e.source = parse_event_source(row.getColumn(5).getText());
  e.actor = row.getColumn(6).getString();
  e.action = row.getColumn(7).getString();
  e.summary = row.getColumn(8).getString();
  e.details = row.getColumn(9).getString();
  s.key_id = row.getColumn(10).getInt64();
  if (!row.getColumn(11).isNull()) s.key = row.getColumn(11).getString();
  return s;
}

void bind_blob(SQLite::Statement& st, int i, std::string_view bytes) {
  st.bind(i, bytes.data(), static_cast<int>(bytes.size()));
}

// ",a,b," for an enum filter (matched with instr), NULL when empty.
template <typename Enum>
void bind_names(SQLite::Statement& st, int i, const std::vector<Enum>& values) {
  if (values.empty()) return st.bind(i);
  std::string names = ",";
  for (auto v : values) (names += to_string(v)) += ',';
  st.bind(i, names);
}

void bind_text_or_null(SQLite::Statement& st, int i, const std::string& text) {
  if (text.empty()) return st.bind(i);
  st.bind(i, text);
}

}  // namespace

std::int64_t ActivityRepository::append(const StoredEvent& stored) {
  const Event& e = stored.event;
  auto& st = conn_.statement(
      "INSERT INTO events (customer, at, category, type, source, actor, action, summary, details, data_key) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (e.customer) st.bind(1, e.customer->str());
  bind_time(st, 2, e.at);
  st.bind(3, std::string(to_string(e.category)));
  st.bind(4, std::string(to_string(e.type)));
  st.bind(5, std::string(to_string(e.source)));
  st.bind(6, e.actor);
  st.bind(7, e.action);
  st.bind(8, e.summary);
  bind_blob(st, 9, e.details);
  if (e.customer) st.bind(10, static_cast<int64_t>(stored.key_id));
  st.exec();
  return conn_.db().getLastInsertRowid();
}

// The timeline filters (?4-?10) and order; the first page and the next ones
// are separate statements so that the cursor seeks in events_timeline.
#define PATRON_TIMELINE_FILTERS                                                                       \
  "AND (?4 IS NULL OR instr(?4, ',' || e.category || ',') > 0) "                                      \
  "AND (?5 IS NULL OR instr(?5, ',' || e.type || ',') > 0) "                                          \
  "AND (?6 IS NULL OR instr(?6, ',' || e.source || ',') > 0) "                                        \
  "AND (?7 IS NULL OR e.at >= ?7) AND (?8 IS NULL OR e.at < ?8) "                                     \
  "AND (?9 IS NULL OR e.actor = ?9) "                                                                 \
  "AND (?10 IS NULL OR instr(lower(e.summary), ?10) > 0 OR instr(e.action, ?10) > 0) "                \
  "ORDER BY e.at DESC, e.id DESC LIMIT ?11"

namespace {

// ?1 of the queries below: one customer's id, or (merged customers) a JSON
// array of ids. One customer keeps to the index order of events_timeline;
// several are read per customer and sorted.
void bind_customers(SQLite::Statement& st, const std::vector<CustomerId>& customers) {
  if (customers.size() == 1) {
    st.bind(1, customers.front().str());
    return;
  }
  nlohmann::json ids = nlohmann::json::array();
  for (const auto& c : customers) ids.push_back(c.str());
  st.bind(1, ids.dump());
}

}  // namespace

std::vector<StoredEvent> ActivityRepository::timeline(const std::vector<CustomerId>& customers,
                                                      const store::TimelineQuery& q) {
  const bool one = customers.size() == 1;
  auto& st = q.before ? (one ? conn_.statement(PATRON_EVENT_COLUMNS PATRON_EVENT_FROM
                                               "WHERE e.customer = ?1 AND (e.at, e.id) < (?2, ?3) "
                                               PATRON_TIMELINE_FILTERS)
                             : conn_.statement(PATRON_EVENT_COLUMNS PATRON_EVENT_FROM
                                               "WHERE e.customer IN (SELECT value FROM json_each(?1)) "
                                               "AND (e.at, e.id) < (?2, ?3) " PATRON_TIMELINE_FILTERS))
                      : (one ? conn_.statement(PATRON_EVENT_COLUMNS PATRON_EVENT_FROM
                                               "WHERE e.customer = ?1 AND ?2 IS NULL AND ?3 IS NULL "
                                               PATRON_TIMELINE_FILTERS)
                             : conn_.statement(PATRON_EVENT_COLUMNS PATRON_EVENT_FROM
                                               "WHERE e.customer IN (SELECT value FROM json_each(?1)) "
                                               "AND ?2 IS NULL AND ?3 IS NULL " PATRON_TIMELINE_FILTERS));
  bind_customers(st, customers);
  if (q.before) {
    bind_time(st, 2, q.before->first);
    st.bind(3, static_cast<int64_t>(q.before->second));
  }
  const TimelineFilter& f = q.filter;
  bind_names(st, 4, f.categories);
  bind_names(st, 5, f.types);
  bind_names(st, 6, f.sources);
  bind_time(st, 7, f.from);
  bind_time(st, 8, f.until);
  bind_text_or_null(st, 9, f.actor);
  bind_text_or_null(st, 10, f.text);
  st.bind(11, static_cast<int64_t>(q.limit));
  return read_rows(st, read_event);
}

std::vector<StoredEvent> ActivityRepository::after(std::int64_t after, std::size_t limit) {
  auto& st = conn_.statement(PATRON_EVENT_COLUMNS PATRON_EVENT_FROM "WHERE e.id > ? ORDER BY e.id LIMIT ?");
  st.bind(1, static_cast<int64_t>(after));
  st.bind(2, static_cast<int64_t>(limit));
  return read_rows(st, read_event);
}

std::int64_t ActivityRepository::last_id() {
  auto& st = conn_.statement("SELECT coalesce(max(id), 0) FROM events");
  st.executeStep();
  return st.getColumn(0).getInt64();
}

void ActivityRepository::index_edits(std::int64_t event, const CustomerId& customer,
                                     const std::vector<std::string>& fields) {
  auto& st = conn_.statement("INSERT INTO event_edits (event, position, customer, field) VALUES (?, ?, ?, ?)");
  for (std::size_t i = 0; i < fields.size(); ++i) {
    st.reset();
    st.bind(1, static_cast<int64_t>(event));
    st.bind(2, static_cast<int64_t>(i));
    st.bind(3, customer.str());
    st.bind(4, fields[i]);
    st.exec();
  }
}

std::vector<store::EditEntry> ActivityRepository::edits(const std::vector<CustomerId>& customers,
                                                         std::string_view field, std::size_t limit,
                                                         std::size_t offset) {
  auto& st = customers.size() == 1
                 ? conn_.statement(PATRON_EVENT_COLUMNS ", x.field, x.position FROM event_edits x "
                                   "JOIN events e ON e.id = x.event LEFT JOIN data_keys k ON k.id = e.data_key "
                                   "WHERE x.customer = ?1 AND (?2 IS NULL OR x.field = ?2) "
                                   "ORDER BY x.event DESC, x.position LIMIT ?3 OFFSET ?4")
                 : conn_.statement(PATRON_EVENT_COLUMNS ", x.field, x.position FROM event_edits x "
                                   "JOIN events e ON e.id = x.event LEFT JOIN data_keys k ON k.id = e.data_key "
                                   "WHERE x.customer IN (SELECT value FROM json_each(?1)) "
                                   "AND (?2 IS NULL OR x.field = ?2) "
                                   "ORDER BY x.event DESC, x.position LIMIT ?3 OFFSET ?4");
  bind_customers(st, customers);
  if (!field.empty()) st.bind(2, std::string(field));
  bind_page(st, 3, 4, limit, offset);
  return read_rows(st, [](SQLite::Statement& row) {
    return store::EditEntry{read_event(row), row.getColumn(12).getString(), row.getColumn(13).getInt()};
  });
}

std::optional<store::DataKey> ActivityRepository::data_key(const CustomerId& customer) {
  auto& st = conn_.statement("SELECT id, key FROM data_keys WHERE customer = ?");
  st.bind(1, customer.str());
  if (!st.executeStep()) return std::nullopt;
  return store::DataKey{st.getColumn(0).getInt64(), st.getColumn(1).getString()};
}

std::int64_t ActivityRepository::insert_data_key(const CustomerId& customer, std::string_view bytes, Timestamp at) {
  auto& st = conn_.statement("INSERT INTO data_keys (customer, key, created_at) VALUES (?, ?, ?)");
  st.bind(1, customer.str());
  bind_blob(st, 2, bytes);
  bind_time(st, 3, at);
  try {
    st.exec();
  } catch (const SQLite::Exception& e) {
    if (e.getExtendedErrorCode() != SQLITE_CONSTRAINT_UNIQUE) throw;
    throw Error(Errc::already_exists, "customer: " + customer.str() + " has a data key already", "customer");
  }
  return conn_.db().getLastInsertRowid();
}

bool ActivityRepository::destroy_data_key(const CustomerId& customer) {
  auto& st = conn_.statement("DELETE FROM data_keys WHERE customer = ?");
  st.bind(1, customer.str());
  return st.exec() > 0;
}

}  // namespace patron::sqlite
