// A database in a temporary directory with a clock the test controls.
#pragma once

#include <patron/patron.hpp>

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <memory>
#include <ostream>

#include "temp_dir.hpp"

namespace patron {
// Printers so failed assertions show values.
inline std::ostream& operator<<(std::ostream& os, const CustomerId& id) { return os << id.str(); }
inline std::ostream& operator<<(std::ostream& os, CustomerStatus v) { return os << to_string(v); }
inline std::ostream& operator<<(std::ostream& os, Presence v) { return os << to_string(v); }
}  // namespace patron

namespace std::chrono {
// Boost.Test finds this printer by argument-dependent lookup on Timestamp.
inline std::ostream& boost_test_print_type(std::ostream& os, const patron::Timestamp& t) {
  return os << patron::format_timestamp(t);
}
}  // namespace std::chrono

namespace patron::testing {

// 2026-11-22T10:00:00Z
inline constexpr std::int64_t kStartMicros = 1795341600000000;

struct ManualClock {
  std::shared_ptr<std::atomic<std::int64_t>> micros = std::make_shared<std::atomic<std::int64_t>>(kStartMicros);
  Timestamp now() const { return from_micros(micros->load()); }
  void advance(std::chrono::microseconds d) const { *micros += d.count(); }
  Clock clock() const {
    auto m = micros;
    return [m] { return from_micros(m->load()); };
  }
};

struct DbFixture {
  TempDir dir;
  ManualClock clock;
  std::string path = dir.file("crm.db");
  Database db = Database::open(path, options());

  Options options() const {
    Options o;
    o.default_region = "GB";
    o.clock = clock.clock();
    return o;
  }
  Customers& customers() { return db.customers(); }
};

// Runs `f`, which must throw patron::Error with `code` naming `field`.
template <typename F>
void expect_error(F&& f, Errc code, const std::string& field, const std::string& message_part = {}) {
  try {
    f();
  } catch (const Error& e) {
    BOOST_TEST(errc_name(e.code()) == errc_name(code), "message: " << e.what());
    BOOST_TEST(e.field() == field, "message: " << e.what());
    if (!message_part.empty()) {
      BOOST_TEST(std::string(e.what()).find(message_part) != std::string::npos,
                 "'" << e.what() << "' should contain '" << message_part << "'");
    }
    return;
  }
  BOOST_FAIL("expected patron::Error " << errc_name(code) << " on field '" << field << "'");
}

}  // namespace patron::testing
