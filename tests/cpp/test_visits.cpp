// Placeholder replaced by the visits suite.
#include <boost/test/unit_test.hpp>

#include "fixture.hpp"

BOOST_AUTO_TEST_CASE(placeholder) { BOOST_TEST(true); }
