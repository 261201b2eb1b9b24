#include "sqlite/commerce_repository.hpp"

#include <sqlite3.h>

#include "patron/error.hpp"
#include "sqlite/time_columns.hpp"

namespace patron::sqlite {
namespace {

#define PATRON_ORDER_COLUMNS                                                                                   \
  "SELECT o.id, c.id, o.source, o.external_ref, o.placed_at, o.status, o.currency, o.total, o.paid, "          \
  "o.created_at, o.updated_at FROM orders o JOIN customers c ON c.seq = o.customer "
#define PATRON_BOOKING_COLUMNS                                                                                 \
  "SELECT b.id, c.id, b.source, b.external_ref, b.service, b.starts_at, b.ends_at, b.status, b.party_size, "   \
  "b.order_id, b.created_at, b.updated_at FROM bookings b JOIN customers c ON c.seq = b.customer "
#define PATRON_ENQUIRY_COLUMNS                                                                                 \
  "SELECT e.id, c.id, e.source, e.external_ref, e.channel, e.subject, e.body, e.status, e.received_at, "       \
  "e.created_at, e.updated_at FROM enquiries e JOIN customers c ON c.seq = e.customer "
// The filter of a customer's list: ?1 customer, ?2 from, ?3 until, ?4 statuses
// as ",a,b," (NULL: any), ?5 limit, ?6 offset.
#define PATRON_LIST_FILTER(alias, time)                                                                        \
  "WHERE " alias ".customer = ?1 AND (?2 IS NULL OR " alias "." time " >= ?2) AND (?3 IS NULL OR " alias    \
  "." time " < ?3) AND (?4 IS NULL OR instr(?4, ',' || " alias ".status || ',') > 0) ORDER BY " alias "."   \
  time " DESC, " alias ".id DESC LIMIT ?5 OFFSET ?6"


bool is_unique_violation(const SQLite::Exception& e) { return e.getExtendedErrorCode() == SQLITE_CONSTRAINT_UNIQUE; }

// Runs an insert, turning a (source, external_ref) clash into already_exists.
void insert_unique(SQLite::Statement& st, std::string_view what, const std::string& source, const std::string& ref) {
  try {
    st.exec();
  } catch (const SQLite::Exception& e) {
    if (!is_unique_violation(e)) throw;
    throw Error(Errc::already_exists,
                "external_ref: " + std::string(what) + " " + ref + " from " + source + " is already recorded",
                "external_ref");
  }
}

template <typename Status>
void bind_filter(SQLite::Statement& st, std::int64_t seq, const RecordFilter<Status>& f, Page page) {
  st.bind(1, static_cast<int64_t>(seq));
  if (f.from) st.bind(2, stored_micros(*f.from));
  if (f.until) st.bind(3, stored_micros(*f.until));
  if (!f.statuses.empty()) {
    std::string set = ",";
    for (auto s : f.statuses) set += std::string(to_string(s)) + ",";
    st.bind(4, set);
  }
  bind_page(st, 5, 6, page.limit, page.offset);
}

}  // namespace

std::int64_t CommerceRepository::customer_seq(const CustomerId& id) { return require_customer_seq(conn_, id.str()); }

std::optional<std::int64_t> CommerceRepository::id_by_ref(const char* sql, std::string_view source,
                                                          std::string_view external_ref) {
  auto& st = conn_.statement(sql);
  st.bind(1, std::string(source));
  st.bind(2, std::string(external_ref));
  if (!st.executeStep()) return std::nullopt;
  return st.getColumn(0).getInt64();
}

// ---- orders ----

Order CommerceRepository::read_order(SQLite::Statement& row) {
  Order o;
  o.id = row.getColumn(0).getInt64();
  o.customer = CustomerId::parse(row.getColumn(1).getText());
  o.source = row.getColumn(2).getString();
  o.external_ref = row.getColumn(3).getString();
  o.placed_at = time_at(row, 4);
  o.status = parse_order_status(row.getColumn(5).getText());
  o.currency = row.getColumn(6).getString();
  o.total = row.getColumn(7).getInt64();
  o.paid = row.getColumn(8).getInt64();
  o.created_at = time_at(row, 9);
  o.updated_at = time_at(row, 10);
  auto& items = conn_.statement(
      "SELECT name, quantity, unit_price, category FROM order_items WHERE order_id = ? ORDER BY position");
  items.bind(1, static_cast<int64_t>(o.id));
  while (items.executeStep()) {
    o.items.push_back(OrderItem{items.getColumn(0).getString(), items.getColumn(1).getInt64(),
                                items.getColumn(2).getInt64(), items.getColumn(3).getString()});
  }
  auto& payments = conn_.statement("SELECT amount, method, at FROM order_payments WHERE order_id = ? ORDER BY id");
  payments.bind(1, static_cast<int64_t>(o.id));
  while (payments.executeStep()) {
    o.payments.push_back(Payment{payments.getColumn(0).getInt64(), payments.getColumn(1).getString(),
                                 time_at(payments, 2)});
  }
  return o;
}

void CommerceRepository::insert_order(Order& o) {
  auto& st = conn_.statement(
      "INSERT INTO orders (customer, source, external_ref, placed_at, status, currency, total, paid, created_at, "
      "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  st.bind(1, static_cast<int64_t>(customer_seq(o.customer)));
  st.bind(2, o.source);
  st.bind(3, o.external_ref);
  st.bind(4, stored_micros(o.placed_at));
  st.bind(5, std::string(to_string(o.status)));
  st.bind(6, o.currency);
  st.bind(7, static_cast<int64_t>(o.total));
  st.bind(8, static_cast<int64_t>(o.paid));
  st.bind(9, stored_micros(o.created_at));
  st.bind(10, stored_micros(o.updated_at));
  insert_unique(st, "order", o.source, o.external_ref);
  o.id = conn_.db().getLastInsertRowid();
  auto& item = conn_.statement(
      "INSERT INTO order_items (order_id, position, name, quantity, unit_price, category) VALUES (?, ?, ?, ?, ?, ?)");
  for (std::size_t i = 0; i < o.items.size(); ++i) {
    item.reset();
    item.bind(1, static_cast<int64_t>(o.id));
    item.bind(2, static_cast<int64_t>(i));
    item.bind(3, o.items[i].name);
    item.bind(4, static_cast<int64_t>(o.items[i].quantity));
    item.bind(5, static_cast<int64_t>(o.items[i].unit_price));
    item.bind(6, o.items[i].category);
    item.exec();
  }
  for (const auto& p : o.payments) add_payment(o.id, p);
}

std::optional<Order> CommerceRepository::order(std::int64_t id) {
  auto& st = conn_.statement(PATRON_ORDER_COLUMNS "WHERE o.id = ?");
  st.bind(1, static_cast<int64_t>(id));
  if (!st.executeStep()) return std::nullopt;
  return read_order(st);
}

std::optional<Order> CommerceRepository::order_by_ref(std::string_view source, std::string_view external_ref) {
  auto id = id_by_ref("SELECT id FROM orders WHERE source = ? AND external_ref = ?", source, external_ref);
  if (!id) return std::nullopt;
  return order(*id);
}

void CommerceRepository::update_order(const Order& o) {
  auto& st = conn_.statement("UPDATE orders SET status = ?, paid = ?, updated_at = ? WHERE id = ?");
  st.bind(1, std::string(to_string(o.status)));
  st.bind(2, static_cast<int64_t>(o.paid));
  st.bind(3, stored_micros(o.updated_at));
  st.bind(4, static_cast<int64_t>(o.id));
  st.exec();
}

void CommerceRepository::add_payment(std::int64_t order_id, const Payment& p) {
  auto& st = conn_.statement("INSERT INTO order_payments (order_id, amount, method, at) VALUES (?, ?, ?, ?)");
  st.bind(1, static_cast<int64_t>(order_id));
  st.bind(2, static_cast<int64_t>(p.amount));
  st.bind(3, p.method);
  st.bind(4, stored_micros(p.at));
  st.exec();
}

std::vector<Order> CommerceRepository::orders_of(const CustomerId& customer, const OrderFilter& filter, Page page) {
  auto& st = conn_.statement("SELECT o.id FROM orders o " PATRON_LIST_FILTER("o", "placed_at"));
  bind_filter(st, customer_seq(customer), filter, page);
  std::vector<std::int64_t> ids;
  while (st.executeStep()) ids.push_back(st.getColumn(0).getInt64());
  std::vector<Order> out;
  for (auto id : ids) out.push_back(*order(id));
  return out;
}

// ---- bookings ----

Booking CommerceRepository::read_booking(SQLite::Statement& row) {
  Booking b;
  b.id = row.getColumn(0).getInt64();
  b.customer = CustomerId::parse(row.getColumn(1).getText());
  b.source = row.getColumn(2).getString();
  b.external_ref = row.getColumn(3).getString();
  b.service = row.getColumn(4).getString();
  b.starts_at = time_at(row, 5);
  b.ends_at = time_at(row, 6);
  b.status = parse_booking_status(row.getColumn(7).getText());
  b.party_size = row.getColumn(8).getInt64();
  if (!row.getColumn(9).isNull()) b.order_id = row.getColumn(9).getInt64();
  b.created_at = time_at(row, 10);
  b.updated_at = time_at(row, 11);
  return b;
}

void CommerceRepository::insert_booking(Booking& b) {
  auto& st = conn_.statement(
      "INSERT INTO bookings (customer, source, external_ref, service, starts_at, ends_at, status, party_size, "
      "order_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  st.bind(1, static_cast<int64_t>(customer_seq(b.customer)));
  st.bind(2, b.source);
  st.bind(3, b.external_ref);
  st.bind(4, b.service);
  st.bind(5, stored_micros(b.starts_at));
  st.bind(6, stored_micros(b.ends_at));
  st.bind(7, std::string(to_string(b.status)));
  st.bind(8, static_cast<int64_t>(b.party_size));
  if (b.order_id) st.bind(9, static_cast<int64_t>(*b.order_id));
  st.bind(10, stored_micros(b.created_at));
  st.bind(11, stored_micros(b.updated_at));
  insert_unique(st, "booking", b.source, b.external_ref);
  b.id = conn_.db().getLastInsertRowid();
}

std::optional<Booking> CommerceRepository::booking(std::int64_t id) {
  auto& st = conn_.statement(PATRON_BOOKING_COLUMNS "WHERE b.id = ?");
  st.bind(1, static_cast<int64_t>(id));
  if (!st.executeStep()) return std::nullopt;
  return read_booking(st);
}

std::optional<Booking> CommerceRepository::booking_by_ref(std::string_view source, std::string_view external_ref) {
  auto id = id_by_ref("SELECT id FROM bookings WHERE source = ? AND external_ref = ?", source, external_ref);
  if (!id) return std::nullopt;
  return booking(*id);
}

void CommerceRepository::update_booking(const Booking& b) {
  auto& st = conn_.statement("UPDATE bookings SET status = ?, starts_at = ?, ends_at = ?, updated_at = ? WHERE id = ?");
  st.bind(1, std::string(to_string(b.status)));
  st.bind(2, stored_micros(b.starts_at));
  st.bind(3, stored_micros(b.ends_at));
  st.bind(4, stored_micros(b.updated_at));
  st.bind(5, static_cast<int64_t>(b.id));
  st.exec();
}

std::vector<Booking> CommerceRepository::bookings_of(const CustomerId& customer, const BookingFilter& filter,
                                                     Page page) {
  auto& st = conn_.statement(PATRON_BOOKING_COLUMNS PATRON_LIST_FILTER("b", "starts_at"));
  bind_filter(st, customer_seq(customer), filter, page);
  std::vector<Booking> out;
  while (st.executeStep()) out.push_back(read_booking(st));
  return out;
}

// ---- enquiries ----

Enquiry CommerceRepository::read_enquiry(SQLite::Statement& row) {
  Enquiry e;
  e.id = row.getColumn(0).getInt64();
  e.customer = CustomerId::parse(row.getColumn(1).getText());
  e.source = row.getColumn(2).getString();
  e.external_ref = row.getColumn(3).getString();
  e.channel = row.getColumn(4).getString();
  e.subject = row.getColumn(5).getString();
  e.body = row.getColumn(6).getString();
  e.status = parse_enquiry_status(row.getColumn(7).getText());
  e.received_at = time_at(row, 8);
  e.created_at = time_at(row, 9);
  e.updated_at = time_at(row, 10);
  return e;
}

void CommerceRepository::insert_enquiry(Enquiry& e) {
  auto& st = conn_.statement(
      "INSERT INTO enquiries (customer, source, external_ref, channel, subject, body, status, received_at, "
      "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  st.bind(1, static_cast<int64_t>(customer_seq(e.customer)));
  st.bind(2, e.source);
  st.bind(3, e.external_ref);
  st.bind(4, e.channel);
  st.bind(5, e.subject);
  st.bind(6, e.body);
  st.bind(7, std::string(to_string(e.status)));
  st.bind(8, stored_micros(e.received_at));
  st.bind(9, stored_micros(e.created_at));
  st.bind(10, stored_micros(e.updated_at));
  insert_unique(st, "enquiry", e.source, e.external_ref);
  e.id = conn_.db().getLastInsertRowid();
}

std::optional<Enquiry> CommerceRepository::enquiry(std::int64_t id) {
  auto& st = conn_.statement(PATRON_ENQUIRY_COLUMNS "WHERE e.id = ?");
  st.bind(1, static_cast<int64_t>(id));
  if (!st.executeStep()) return std::nullopt;
  return read_enquiry(st);
}

std::optional<Enquiry> CommerceRepository::enquiry_by_ref(std::string_view source, std::string_view external_ref) {
  auto id = id_by_ref("SELECT id FROM enquiries WHERE source = ? AND external_ref = ?", source, external_ref);
  if (!id) return std::nullopt;
  return enquiry(*id);
}

void CommerceRepository::update_enquiry(const Enquiry& e) {
  auto& st = conn_.statement("UPDATE enquiries SET status = ?, updated_at = ? WHERE id = ?");
  st.bind(1, std::string(to_string(e.status)));
  st.bind(2, stored_micros(e.updated_at));
  st.bind(3, static_cast<int64_t>(e.id));
  st.exec();
}

std::vector<Enquiry> CommerceRepository::enquiries_of(const CustomerId& customer, const EnquiryFilter& filter,
                                                      Page page) {
  auto& st = conn_.statement(PATRON_ENQUIRY_COLUMNS PATRON_LIST_FILTER("e", "received_at"));
  bind_filter(st, customer_seq(customer), filter, page);
  std::vector<Enquiry> out;
  while (st.executeStep()) out.push_back(read_enquiry(st));
  return out;
}

// ---- history ----

std::vector<RecordSummary> CommerceRepository::history_of(const CustomerId& customer, const HistoryFilter& filter,
                                                         Page page) {
  auto& st = conn_.statement(
      "SELECT kind, id, source, external_ref, at, status, label, total, currency FROM ("
      " SELECT 0 AS kind, id, source, external_ref, placed_at AS at, status, '' AS label, total, currency"
      "  FROM orders WHERE customer = ?1"
      " UNION ALL SELECT 1, id, source, external_ref, starts_at, status, service, 0, '' FROM bookings WHERE customer = ?1"
      " UNION ALL SELECT 2, id, source, external_ref, received_at, status, subject, 0, '' FROM enquiries"
      "  WHERE customer = ?1) "
      "WHERE (?2 IS NULL OR instr(?2, ',' || kind || ',') > 0) AND (?3 IS NULL OR instr(?3, ',' || status || ',') > 0) "
      "AND (?4 IS NULL OR at >= ?4) AND (?5 IS NULL OR at < ?5) "
      "ORDER BY at DESC, kind, id DESC LIMIT ?6 OFFSET ?7");
  st.bind(1, static_cast<int64_t>(customer_seq(customer)));
  if (!filter.kinds.empty()) {
    std::string set = ",";
    for (auto k : filter.kinds) set += std::to_string(static_cast<int>(k)) + ",";
    st.bind(2, set);
  }
  if (!filter.statuses.empty()) {
    std::string set = ",";
    for (const auto& s : filter.statuses) set += s + ",";
    st.bind(3, set);
  }
  if (filter.from) st.bind(4, stored_micros(*filter.from));
  if (filter.until) st.bind(5, stored_micros(*filter.until));
  bind_page(st, 6, 7, page.limit, page.offset);
  std::vector<RecordSummary> out;
  while (st.executeStep()) {
    RecordSummary r;
    r.kind = static_cast<RecordKind>(st.getColumn(0).getInt());
    r.id = st.getColumn(1).getInt64();
    r.source = st.getColumn(2).getString();
    r.external_ref = st.getColumn(3).getString();
    r.at = time_at(st, 4);
    r.status = st.getColumn(5).getString();
    r.label = st.getColumn(6).getString();
    r.total = st.getColumn(7).getInt64();
    r.currency = st.getColumn(8).getString();
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace patron::sqlite
