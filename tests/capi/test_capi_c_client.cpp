// Runs the C99 client (c_client.c) against a file database.
#include <boost/test/unit_test.hpp>

#include <string>

#include "c_client.h"
#include "temp_dir.hpp"

BOOST_AUTO_TEST_CASE(c99_client_end_to_end) {
  patron::testing::TempDir dir;
  char message[512];
  const int step = patron_test_c_client(dir.file("c.db").c_str(), message, sizeof message);
  BOOST_TEST(step == 0, message);
}
