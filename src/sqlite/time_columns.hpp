// Reading and binding columns: timestamps as INTEGER microseconds since the
// Unix epoch (NULL for an absent optional, an unbounded window side),
// optional integers and texts as NULL when absent, and whole results read
// row by row.
#pragma once

#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "patron/types.hpp"

namespace patron::sqlite {

inline Timestamp time_at(SQLite::Statement& row, int i) { return from_micros(row.getColumn(i).getInt64()); }

inline std::optional<Timestamp> optional_time_at(SQLite::Statement& row, int i) {
  if (row.getColumn(i).isNull()) return std::nullopt;
  return time_at(row, i);
}

// A time about to be stored or compared, as microseconds. The last line of
// the range rule (types.hpp): whatever a caller above forgot, no time outside
// the years 0001-9999 reaches the file.
inline int64_t stored_micros(Timestamp t) {
  return static_cast<int64_t>(to_micros(checked_time(t, "time")));
}

inline void bind_time(SQLite::Statement& st, int i, Timestamp t) { st.bind(i, stored_micros(t)); }

inline void bind_time(SQLite::Statement& st, int i, const std::optional<Timestamp>& t) {
  if (t) {
    bind_time(st, i, *t);
  } else {
    st.bind(i);
  }
}

inline std::optional<std::int64_t> optional_int(SQLite::Statement& row, int i) {
  if (row.getColumn(i).isNull()) return std::nullopt;
  return row.getColumn(i).getInt64();
}

inline std::optional<std::string> optional_text(SQLite::Statement& row, int i) {
  if (row.getColumn(i).isNull()) return std::nullopt;
  return row.getColumn(i).getString();
}

inline void bind_optional(SQLite::Statement& st, int i, const std::optional<std::int64_t>& v) {
  if (v) {
    st.bind(i, static_cast<int64_t>(*v));
  } else {
    st.bind(i);
  }
}

inline void bind_optional(SQLite::Statement& st, int i, const std::optional<std::string>& v) {
  if (v) {
    st.bind(i, *v);
  } else {
    st.bind(i);
  }
}

// Every remaining row of `st`, each read by `read(st)`.
template <typename Read>
auto read_rows(SQLite::Statement& st, Read&& read) {
  std::vector<decltype(read(st))> out;
  while (st.executeStep()) out.push_back(read(st));
  return out;
}

}  // namespace patron::sqlite
