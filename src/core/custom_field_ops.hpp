// Custom field steps shared by the services that create customers
// (customers, commerce).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "patron/custom_fields.hpp"
#include "patron/customer.hpp"
#include "patron/store/store.hpp"

namespace patron::detail {

// Stores the custom field values of a customer just inserted: the `given`
// ones (validated, Error(invalid_argument) naming "custom_fields.<key>" for
// a bad value or an unknown key) and the defaults of the others. With
// `demand_required`, a required field without a default must be given.
// Records the values set on the customer's timeline.
// `definitions` as insert_new_customer takes them.
void fill_custom_fields(store::Transaction& tx, const CustomerId& customer,
                        const std::map<std::string, CustomValue>& given, bool demand_required, Timestamp now,
                        const std::vector<FieldDefinition>* definitions = nullptr);

// Sets each of `values` on an existing customer (validated as
// CustomFields::set does, Error naming "custom_fields.<key>"), recording the
// ones that changed in one event. True when any changed.
bool set_custom_values(store::Transaction& tx, const CustomerId& customer,
                       const std::map<std::string, CustomValue>& values, Timestamp now);

}  // namespace patron::detail
