#include "sqlite/visit_repository.hpp"

#include <limits>
#include <string>

#include "sqlite/time_columns.hpp"

namespace patron::sqlite {
namespace {

#define PATRON_VISIT_COLUMNS \
  "SELECT v.id, c.id, v.place, v.credential, v.at FROM visits v JOIN customers c ON c.seq = v.customer "
// The filter's place (?2, any when NULL) and time range [?3, ?4): an absent
// side is the end of the time line, so the range stays an index range.
#define PATRON_VISIT_FILTER "AND (?2 IS NULL OR v.place = ?2) AND v.at >= ?3 AND v.at < ?4 "

Visit read_visit(SQLite::Statement& row) {
  Visit v;
  v.id = row.getColumn(0).getInt64();
  v.customer = CustomerId::parse(row.getColumn(1).getText());
  v.place = row.getColumn(2).getString();
  v.credential = optional_int(row, 3);
  v.at = time_at(row, 4);
  return v;
}

void bind_filter(SQLite::Statement& st, const VisitFilter& f) {
  if (f.place) {
    st.bind(2, *f.place);
  } else {
    st.bind(2);
  }
  st.bind(3, static_cast<int64_t>(f.from ? to_micros(*f.from) : std::numeric_limits<int64_t>::min()));
  st.bind(4, static_cast<int64_t>(f.to ? to_micros(*f.to) : std::numeric_limits<int64_t>::max()));
}

}  // namespace

void VisitRepository::insert(Visit& v) {
  const std::int64_t seq = require_customer_seq(conn_, v.customer.str());
  auto& st = conn_.statement("INSERT INTO visits (customer, place, credential, at) VALUES (?, ?, ?, ?)");
  st.bind(1, static_cast<int64_t>(seq));
  st.bind(2, v.place);
  if (v.credential) {
    st.bind(3, static_cast<int64_t>(*v.credential));
  } else {
    st.bind(3);
  }
  bind_time(st, 4, v.at);
  st.exec();
  v.id = conn_.db().getLastInsertRowid();
}

std::int64_t VisitRepository::count(const CustomerId& customer, const VisitFilter& filter) {
  auto& st = conn_.statement(
      "SELECT count(*) FROM visits v WHERE v.customer = (SELECT seq FROM customers WHERE id = ?1) "
      PATRON_VISIT_FILTER);
  st.bind(1, customer.str());
  bind_filter(st, filter);
  st.executeStep();
  return st.getColumn(0).getInt64();
}

std::vector<Visit> VisitRepository::of_customer(const CustomerId& customer, const VisitFilter& filter, Page page) {
  auto& st = conn_.statement(PATRON_VISIT_COLUMNS
                             "WHERE v.customer = (SELECT seq FROM customers WHERE id = ?1) " PATRON_VISIT_FILTER
                             "ORDER BY v.at DESC, v.id DESC LIMIT ?5 OFFSET ?6");
  st.bind(1, customer.str());
  bind_filter(st, filter);
  bind_page(st, 5, 6, page.limit, page.offset);
  return read_rows(st, read_visit);
}

std::vector<Visit> VisitRepository::at_place(std::string_view place, const VisitFilter& filter, Page page) {
  auto& st = conn_.statement(PATRON_VISIT_COLUMNS "WHERE v.place = ?1 " PATRON_VISIT_FILTER
                             "ORDER BY v.at DESC, v.id DESC LIMIT ?5 OFFSET ?6");
  st.bind(1, std::string(place));
  bind_filter(st, filter);
  bind_page(st, 5, 6, page.limit, page.offset);
  return read_rows(st, read_visit);
}

}  // namespace patron::sqlite
