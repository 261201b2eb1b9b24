#define BOOST_TEST_MODULE patron
#include <boost/test/unit_test.hpp>
