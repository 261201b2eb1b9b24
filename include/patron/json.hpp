// JSON forms of patron's records: what the C ABI speaks, and what a C++
// host can use to log or ship a record.
//
// Encoding is total; decoding validates shape and types and throws
// Error(invalid_argument) naming the offending field ("addresses[1].country").
// Business rules (valid email, phone, country) are checked by the services.
// The schema is documented in capi/include/patron.h.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "patron/customer.hpp"

namespace patron::json {

std::string encode(const Customer& customer);
std::string encode(const std::vector<Customer>& customers);
std::string encode(const std::vector<Identification>& matches);

NewCustomer decode_new_customer(std::string_view text);
std::vector<NewCustomer> decode_new_customers(std::string_view text);
CustomerUpdate decode_customer_update(std::string_view text);
Address decode_address(std::string_view text);

}  // namespace patron::json
