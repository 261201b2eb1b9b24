// Umbrella header: everything a C++ host needs.
#pragma once

#include "patron/analytics.hpp"
#include "patron/clv.hpp"
#include "patron/commerce.hpp"
#include "patron/companies.hpp"
#include "patron/customer.hpp"
#include "patron/customers.hpp"
#include "patron/database.hpp"
#include "patron/error.hpp"
#include "patron/ids.hpp"
#include "patron/json.hpp"
#include "patron/memberships.hpp"
#include "patron/orders.hpp"
#include "patron/types.hpp"
#include "patron/version.hpp"
