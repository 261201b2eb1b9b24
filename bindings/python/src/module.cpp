// patron._patron: the C++ API of patron, bound for Python.
//
// Shape (see bindings/python/patron/_patron.pyi for the typed surface):
//   db = patron.open(path, default_region="GB", clock=None, ...)
//   db.customers.create(first_name=..., email=...)  -> Customer
//   db.identify(token)                              -> [Identification]
//   db.orders.record(customer=..., source=..., ...)  -> Pushed (.record: Order)
//   db.bookings / db.enquiries                      -> the same shape
//   db.analytics.stats(ref), .fit_model(currency), .predict(ref, currency)
//   db.companies.create(name=..., domains=[...])    -> Company; .link(...) -> CompanyLink
//   db.memberships.create_plan(name), .add(plan, customer=...) -> Plan, Membership
//   db.credentials / db.doors (access.cpp), db.connections (graph.cpp)
//   db.activity, patron.acting_as (activity.cpp), db.notes / db.documents
//   (notes.cpp), db.custom_fields (fields.cpp), db.purses (purses.cpp)
//   db.loyalty (loyalty.cpp), db.promotions / db.visits (promotions.cpp)
//   fit_bg_nbd(summaries), probability_alive(...)   -> the pure model (patron.clv)
//
// Rules the binding keeps:
//  - arguments are converted to C++ values while the GIL is held, then the
//    GIL is released around every call into the database (reads and writes
//    may block on SQLite), so other Python threads keep running;
//  - the Python objects for records (Customer, Email, ...) own a copy of the
//    C++ snapshot and convert fields on access;
//  - patron::Error becomes the matching class of patron.errors (translated
//    in set_python_error);
//  - the injected clock is a Python callable that the core may call from
//    any thread with the GIL released: the wrapper takes the GIL itself.
#include <pybind11/pybind11.h>

#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "binding.hpp"
#include "convert.hpp"
#include "patron/companies.hpp"
#include "patron/json.hpp"
#include "patron/memberships.hpp"
#include "patron/patron.hpp"

namespace patron::python {
namespace {

// without_gil() for a companies call. The core names the arguments as the
// C++ API does: "company" for the company's id, "customer" for the customer
// reference; the Python methods call them `id` and a ref (named "ref"
// everywhere in the binding), and errors name those.
template <class F>
auto companies_call(const Connection& connection, F&& f) {
  return service_call(connection, {{"company", "id"}, {"customer", "ref"}}, std::forward<F>(f));
}

struct PyCustomers {
  ConnectionPtr connection;
};

// db.orders, db.bookings, db.enquiries.
struct PyOrders {
  ConnectionPtr connection;
};
struct PyBookings {
  ConnectionPtr connection;
};
struct PyEnquiries {
  ConnectionPtr connection;
};
// db.analytics.
struct PyAnalytics {
  ConnectionPtr connection;
};
// db.companies.
struct PyCompanies {
  ConnectionPtr connection;
};
// db.memberships.
struct PyMemberships {
  ConnectionPtr connection;
};

struct PyDatabase {
  ConnectionPtr connection;
  PyCustomers customers;
  PyOrders orders;
  PyBookings bookings;
  PyEnquiries enquiries;
  PyAnalytics analytics;
  PyCompanies companies;
  PyMemberships memberships;
  PyCredentials credentials;
  PyDoors doors;
  PyConnections connections;
  PyActivity activity;
  PyNotes notes;
  PyDocuments documents;
  PyCustomFields custom_fields;
  PyPurses purses;
  PyLoyalty loyalty;
  PyPromotions promotions;
  PyVisits visits;

  explicit PyDatabase(ConnectionPtr c)
      : connection(c),
        customers{c},
        orders{c},
        bookings{c},
        enquiries{c},
        analytics{c},
        companies{c},
        memberships{c},
        credentials{c},
        doors{c},
        connections{c},
        activity{c},
        notes{c},
        documents{c},
        custom_fields{c},
        purses{c},
        loyalty{c},
        promotions{c},
        visits{std::move(c)} {}
  PyDatabase(const PyDatabase&) = delete;
  PyDatabase& operator=(const PyDatabase&) = delete;
  ~PyDatabase() {
    if (connection) drop(std::move(connection->db));
  }
};

// ---------------------------------------------------------------------------
// The injected clock.

// Owns a reference to a Python object and releases it under the GIL, from
// whichever thread drops the last copy of the Clock.
struct PyRef {
  PyObject* object;
  explicit PyRef(PyObject* o) : object(o) {}
  PyRef(const PyRef&) = delete;
  PyRef& operator=(const PyRef&) = delete;
  ~PyRef() {
    if (Py_IsInitialized() == 0) return;  // the interpreter is gone: leak
    const PyGILState_STATE state = PyGILState_Ensure();
    Py_XDECREF(object);
    PyGILState_Release(state);
  }
};

struct GilGuard {
  PyGILState_STATE state = PyGILState_Ensure();
  GilGuard() = default;
  GilGuard(const GilGuard&) = delete;
  GilGuard& operator=(const GilGuard&) = delete;
  ~GilGuard() { PyGILState_Release(state); }
};

patron::Clock make_clock(const py::object& callable) {
  auto ref = std::make_shared<PyRef>(callable.inc_ref().ptr());
  return [ref]() -> Timestamp {
    GilGuard gil;
    try {
      py::object now = py::reinterpret_borrow<py::object>(ref->object)();
      return timestamp(now, "clock()");
    } catch (py::error_already_set& e) {
      throw patron::Error(Errc::invalid_argument, std::string("clock: raised ") + e.what(), "clock");
    } catch (py::builtin_exception& e) {
      throw patron::Error(Errc::invalid_argument, std::string("clock: returned a bad value: ") + e.what(),
                          "clock");
    }
  };
}

// ---------------------------------------------------------------------------
// Requests: Python keywords / dicts -> C++ request structs.


patron::Address address_arg(py::handle value, const std::string& field) {
  if (py::isinstance<patron::Address>(value)) {
    patron::Address a = value.cast<patron::Address>();
    a.id = 0;
    return a;
  }
  patron::Address a;
  for (auto item : as_dict(value, field)) {
    const std::string key = key_of(item.first, field);
    const std::string f = field.empty() ? key : field + "." + key;
    py::handle v = item.second;
    if (key == "purpose") {
      a.purpose = patron::parse_address_purpose(text(v, f), f);
    } else if (key == "line1") {
      a.line1 = optional_text(v, f);
    } else if (key == "line2") {
      a.line2 = optional_text(v, f);
    } else if (key == "city") {
      a.city = optional_text(v, f);
    } else if (key == "region") {
      a.region = optional_text(v, f);
    } else if (key == "postal_code") {
      a.postal_code = optional_text(v, f);
    } else if (key == "country") {
      a.country = optional_text(v, f);
    } else if (key == "is_default") {
      a.is_default = boolean(v, f);
    } else {
      unknown_field(f, "an address has purpose, line1, line2, city, region, postal_code, country, is_default");
    }
  }
  return a;
}

patron::EmergencyContact contact_arg(py::handle value, const std::string& field) {
  if (py::isinstance<patron::EmergencyContact>(value)) return value.cast<patron::EmergencyContact>();
  patron::EmergencyContact c;
  for (auto item : as_dict(value, field)) {
    const std::string key = key_of(item.first, field);
    const std::string f = field + "." + key;
    if (key == "name") {
      c.name = optional_text(item.second, f);
    } else if (key == "phone") {
      c.phone = optional_text(item.second, f);
    } else {
      unknown_field(f, "an emergency contact has name and phone");
    }
  }
  return c;
}

std::vector<patron::Address> address_list(py::handle value, const std::string& field) {
  if (PyUnicode_Check(value.ptr()) || PyDict_Check(value.ptr()) || !py::isinstance<py::iterable>(value)) {
    throw py::type_error(field + " must be a list of dicts, not " + Py_TYPE(value.ptr())->tp_name);
  }
  std::vector<patron::Address> out;
  for (py::handle item : value) out.push_back(address_arg(item, patron::indexed_field(field, out.size())));
  return out;
}

// `prefix` is "" for create() and "[i]." for the i-th request of create_many(),
// the form the core uses for its own field names.
patron::NewCustomer new_customer_arg(py::handle value, const std::string& prefix) {
  patron::NewCustomer r;
  for (auto item : as_dict(value, prefix.empty() ? "request" : prefix.substr(0, prefix.size() - 1))) {
    const std::string key = key_of(item.first, prefix);
    const std::string f = prefix + key;
    py::handle v = item.second;
    if (key == "number") {
      r.number = optional_text(v, f);
    } else if (key == "title") {
      r.title = optional_text(v, f);
    } else if (key == "first_name") {
      r.first_name = optional_text(v, f);
    } else if (key == "last_name") {
      r.last_name = optional_text(v, f);
    } else if (key == "email") {
      r.email = optional_text(v, f);
    } else if (key == "phone") {
      r.phone = optional_text(v, f);
    } else if (key == "phone_label") {
      if (!v.is_none()) r.phone_label = patron::parse_phone_label(text(v, f), f);
    } else if (key == "date_of_birth") {
      if (!v.is_none()) r.date_of_birth = date(v, f);
    } else if (key == "lifecycle_stage") {
      r.lifecycle_stage = optional_text(v, f);
    } else if (key == "tags") {
      if (!v.is_none()) r.tags = text_list(v, f);
    } else if (key == "addresses") {
      if (!v.is_none()) r.addresses = address_list(v, f);
    } else if (key == "emergency_contact") {
      if (!v.is_none()) r.emergency_contact = contact_arg(v, f);
    } else if (key == "custom_fields") {
      if (!v.is_none()) r.custom_fields = custom_values_arg(v, prefix);
    } else {
      unknown_field(f,
                    "a new customer has number, title, first_name, last_name, email, phone, phone_label, "
                    "date_of_birth, lifecycle_stage, tags, addresses, emergency_contact, custom_fields");
    }
  }
  return r;
}

std::vector<patron::NewCustomer> new_customer_list(py::handle value) {
  if (PyUnicode_Check(value.ptr()) || PyDict_Check(value.ptr()) || !py::isinstance<py::iterable>(value)) {
    throw py::type_error(std::string("requests must be a list of dicts, not ") + Py_TYPE(value.ptr())->tp_name);
  }
  std::vector<patron::NewCustomer> out;
  for (py::handle item : value) out.push_back(new_customer_arg(item, patron::indexed_field("", out.size()) + "."));
  return out;
}

patron::CustomerUpdate update_arg(const py::kwargs& fields) {
  patron::CustomerUpdate u;
  for (auto item : fields) {
    const std::string key = key_of(item.first, "");
    py::handle v = item.second;
    if (key == "title") {
      u.title = optional_text(v, key);
    } else if (key == "first_name") {
      u.first_name = optional_text(v, key);
    } else if (key == "last_name") {
      u.last_name = optional_text(v, key);
    } else if (key == "lifecycle_stage") {
      u.lifecycle_stage = optional_text(v, key);
    } else if (key == "date_of_birth") {
      u.date_of_birth = v.is_none() ? std::optional<Date>{} : std::optional<Date>{date(v, key)};
    } else if (key == "tags") {
      u.tags = v.is_none() ? std::vector<std::string>{} : text_list(v, key);
    } else if (key == "emergency_contact") {
      u.emergency_contact = v.is_none() ? std::optional<EmergencyContact>{}
                                        : std::optional<EmergencyContact>{contact_arg(v, key)};
    } else if (key == "number") {
      unknown_field(key, "change the customer number with set_number()");
    } else if (key == "email" || key == "emails") {
      unknown_field(key, "change emails with add_email(), remove_email() and set_primary_email()");
    } else if (key == "phone" || key == "phones") {
      unknown_field(key, "change phones with add_phone() and remove_phone()");
    } else if (key == "addresses") {
      unknown_field(key, "change addresses with add_address() and remove_address()");
    } else {
      unknown_field(key,
                    "update() takes title, first_name, last_name, date_of_birth, lifecycle_stage, tags, "
                    "emergency_contact");
    }
  }
  return u;
}

// ---------------------------------------------------------------------------
// Requests for orders, bookings and enquiries.

// Who a pushed record belongs to: a reference (str, or a Customer for its
// id), or a dict of details (first_name, last_name, email, phone). None
// gives neither, which the core refuses naming "customer".
patron::CustomerRef customer_ref_arg(py::handle value) {
  patron::CustomerRef who;
  if (value.is_none()) return who;
  if (py::isinstance<patron::Customer>(value)) {
    who.ref = value.cast<const patron::Customer&>().id.str();
    return who;
  }
  if (PyUnicode_Check(value.ptr())) {
    who.ref = text(value, "customer");
    return who;
  }
  if (!PyDict_Check(value.ptr()) && !py::hasattr(value, "keys")) {
    throw py::type_error(std::string("customer must be a str (id or number), a Customer or a dict of details, not ") +
                         Py_TYPE(value.ptr())->tp_name);
  }
  patron::CustomerDetails d;
  for (auto item : as_dict(value, "customer")) {
    const std::string key = key_of(item.first, "customer");
    const std::string f = "customer." + key;
    if (key == "first_name") {
      d.first_name = optional_text(item.second, f);
    } else if (key == "last_name") {
      d.last_name = optional_text(item.second, f);
    } else if (key == "email") {
      d.email = optional_text(item.second, f);
    } else if (key == "phone") {
      d.phone = optional_text(item.second, f);
    } else {
      unknown_field(f, "customer details have first_name, last_name, email, phone");
    }
  }
  who.details = std::move(d);
  return who;
}

// A list of dicts (or of `Record` objects), each converted by `each(item, "field[i]")`.
template <class Each>
auto dict_list(py::handle value, const std::string& field, Each&& each) {
  if (PyUnicode_Check(value.ptr()) || PyDict_Check(value.ptr()) || !py::isinstance<py::iterable>(value)) {
    throw py::type_error(field + " must be a list of dicts, not " + Py_TYPE(value.ptr())->tp_name);
  }
  std::vector<decltype(each(value, field))> out;
  for (py::handle item : value) out.push_back(each(item, patron::indexed_field(field, out.size())));
  return out;
}

patron::OrderItem item_arg(py::handle value, const std::string& field) {
  if (py::isinstance<patron::OrderItem>(value)) return value.cast<patron::OrderItem>();
  patron::OrderItem i;
  for (auto item : as_dict(value, field)) {
    const std::string key = key_of(item.first, field);
    const std::string f = field + "." + key;
    py::handle v = item.second;
    if (key == "name") {
      i.name = optional_text(v, f);
    } else if (key == "quantity") {
      if (!v.is_none()) i.quantity = integer(v, f);
    } else if (key == "unit_price") {
      if (!v.is_none()) i.unit_price = integer(v, f);
    } else if (key == "category") {
      i.category = optional_text(v, f);
    } else {
      unknown_field(f, "an item has name, quantity, unit_price, category");
    }
  }
  return i;
}

// A payment from a dict (or a Payment object); `field` prefixes the names.
patron::Payment payment_fields(py::handle value, const std::string& field) {
  if (py::isinstance<patron::Payment>(value)) return value.cast<patron::Payment>();
  patron::Payment p;
  for (auto item : as_dict(value, field)) {
    const std::string key = key_of(item.first, field);
    const std::string f = field + "." + key;
    py::handle v = item.second;
    if (key == "amount") {
      if (!v.is_none()) p.amount = integer(v, f);
    } else if (key == "method") {
      p.method = optional_text(v, f);
    } else if (key == "at") {
      if (!v.is_none()) p.at = timestamp(v, f);  // absent: now
    } else {
      unknown_field(f, "a payment has amount, method, at");
    }
  }
  return p;
}

patron::NewOrder new_order_arg(const py::kwargs& fields) {
  patron::NewOrder o;
  for (auto item : fields) {
    const std::string key = key_of(item.first, "");
    py::handle v = item.second;
    if (key == "customer") {
      o.customer = customer_ref_arg(v);
    } else if (key == "source") {
      o.source = optional_text(v, key);
    } else if (key == "external_ref") {
      o.external_ref = optional_text(v, key);
    } else if (key == "placed_at") {
      o.placed_at = optional_time(v, key);
    } else if (key == "status") {
      if (!v.is_none()) o.status = patron::parse_order_status(text(v, key), key);
    } else if (key == "currency") {
      o.currency = optional_text(v, key);
    } else if (key == "total") {
      if (!v.is_none()) o.total = integer(v, key);
    } else if (key == "paid") {
      if (!v.is_none()) o.paid = integer(v, key);
    } else if (key == "items") {
      if (!v.is_none()) o.items = dict_list(v, key, item_arg);
    } else if (key == "payments") {
      if (!v.is_none()) o.payments = dict_list(v, key, payment_fields);
    } else {
      unknown_field(key,
                    "record() takes customer, source, external_ref, placed_at, status, currency, total, paid, "
                    "items, payments");
    }
  }
  return o;
}

patron::NewBooking new_booking_arg(const py::kwargs& fields) {
  patron::NewBooking b;
  for (auto item : fields) {
    const std::string key = key_of(item.first, "");
    py::handle v = item.second;
    if (key == "customer") {
      b.customer = customer_ref_arg(v);
    } else if (key == "source") {
      b.source = optional_text(v, key);
    } else if (key == "external_ref") {
      b.external_ref = optional_text(v, key);
    } else if (key == "service") {
      b.service = optional_text(v, key);
    } else if (key == "starts_at") {
      if (!v.is_none()) b.starts_at = timestamp(v, key);
    } else if (key == "ends_at") {
      if (!v.is_none()) b.ends_at = timestamp(v, key);
    } else if (key == "status") {
      if (!v.is_none()) b.status = patron::parse_booking_status(text(v, key), key);
    } else if (key == "party_size") {
      if (!v.is_none()) b.party_size = integer(v, key);
    } else if (key == "order_external_ref") {
      b.order_external_ref = optional_text(v, key);
    } else {
      unknown_field(key,
                    "record() takes customer, source, external_ref, service, starts_at, ends_at, status, "
                    "party_size, order_external_ref");
    }
  }
  return b;
}

patron::NewEnquiry new_enquiry_arg(const py::kwargs& fields) {
  patron::NewEnquiry e;
  for (auto item : fields) {
    const std::string key = key_of(item.first, "");
    py::handle v = item.second;
    if (key == "customer") {
      e.customer = customer_ref_arg(v);
    } else if (key == "source") {
      e.source = optional_text(v, key);
    } else if (key == "external_ref") {
      e.external_ref = optional_text(v, key);
    } else if (key == "channel") {
      e.channel = optional_text(v, key);
    } else if (key == "subject") {
      e.subject = optional_text(v, key);
    } else if (key == "body") {
      e.body = optional_text(v, key);
    } else if (key == "received_at") {
      e.received_at = optional_time(v, key);
    } else if (key == "status") {
      if (!v.is_none()) e.status = patron::parse_enquiry_status(text(v, key), key);
    } else {
      unknown_field(key,
                    "record() takes customer, source, external_ref, channel, subject, body, received_at, status");
    }
  }
  return e;
}

// list() filters: statuses (a list of names), since (inclusive) and until
// (exclusive), aware datetimes.
template <class Status, class Parse>
patron::RecordFilter<Status> filter_arg(py::handle statuses, py::handle since, py::handle until, Parse&& parse) {
  patron::RecordFilter<Status> f;
  if (!statuses.is_none()) {
    const std::vector<std::string> names = text_list(statuses, "statuses");
    for (std::size_t i = 0; i < names.size(); ++i) {
      f.statuses.push_back(parse(names[i], patron::indexed_field("statuses", i)));
    }
  }
  f.from = optional_time(since, "since");
  f.until = optional_time(until, "until");
  return f;
}


// ---------------------------------------------------------------------------
// Results: C++ values -> Python.


std::string display_name(const patron::Customer& c) {
  std::string name = c.first_name;
  if (!c.last_name.empty()) name += (name.empty() ? "" : " ") + c.last_name;
  if (name.empty()) {
    if (const Email* e = c.primary_email()) name = e->address;
  }
  return name;
}

// ---------------------------------------------------------------------------

void bind_values(py::module_& m) {
  py::class_<patron::Email> email(m, "Email", "An email address of a customer (normalised), and whether it is primary.");
  email.def_property_readonly("address", [](const Email& e) { return str(e.address); })
      .def_property_readonly("primary", [](const Email& e) { return e.primary; })
      .def("__repr__", [](const Email& e) {
        return "Email(" + repr_of(e.address) + ", primary=" + (e.primary ? "True" : "False") + ")";
      });
  bind_eq<Email>(email);

  py::class_<patron::Phone> phone(m, "Phone", "A phone number of a customer: E.164 when verified, else as typed.");
  phone.def_property_readonly("number", [](const Phone& p) { return str(p.number); })
      .def_property_readonly("label", [](const Phone& p) { return str(to_string(p.label)); })
      .def_property_readonly("verified", [](const Phone& p) { return p.verified; })
      .def("__repr__", [](const Phone& p) {
        return "Phone(" + repr_of(p.number) + ", label=" + repr_of(to_string(p.label)) +
               ", verified=" + (p.verified ? "True" : "False") + ")";
      });
  bind_eq<Phone>(phone);

  py::class_<patron::Address> address(m, "Address", "A postal address of a customer.");
  address.def_property_readonly("id", [](const Address& a) { return a.id; })
      .def_property_readonly("purpose", [](const Address& a) { return str(to_string(a.purpose)); })
      .def_property_readonly("line1", [](const Address& a) { return str(a.line1); })
      .def_property_readonly("line2", [](const Address& a) { return str(a.line2); })
      .def_property_readonly("city", [](const Address& a) { return str(a.city); })
      .def_property_readonly("region", [](const Address& a) { return str(a.region); })
      .def_property_readonly("postal_code", [](const Address& a) { return str(a.postal_code); })
      .def_property_readonly("country", [](const Address& a) { return str(a.country); })
      .def_property_readonly("is_default", [](const Address& a) { return a.is_default; })
      .def("to_dict",
           [](const Address& a) {
             py::dict d;
             d["id"] = a.id;
             d["purpose"] = str(to_string(a.purpose));
             d["line1"] = str(a.line1);
             d["line2"] = str(a.line2);
             d["city"] = str(a.city);
             d["region"] = str(a.region);
             d["postal_code"] = str(a.postal_code);
             d["country"] = str(a.country);
             d["is_default"] = a.is_default;
             return d;
           })
      .def("__repr__", [](const Address& a) {
        return "Address(id=" + std::to_string(a.id) + ", purpose=" + repr_of(to_string(a.purpose)) +
               ", line1=" + repr_of(a.line1) + ", city=" + repr_of(a.city) + ", postal_code=" +
               repr_of(a.postal_code) + ", country=" + repr_of(a.country) +
               ", is_default=" + (a.is_default ? "True" : "False") + ")";
      });
  bind_eq<Address>(address);

  py::class_<patron::EmergencyContact> contact(m, "EmergencyContact", "Who to call for a customer.");
  contact.def_property_readonly("name", [](const EmergencyContact& c) { return str(c.name); })
      .def_property_readonly("phone", [](const EmergencyContact& c) { return str(c.phone); })
      .def("__repr__", [](const EmergencyContact& c) {
        return "EmergencyContact(name=" + repr_of(c.name) + ", phone=" + repr_of(c.phone) + ")";
      });
  bind_eq<EmergencyContact>(contact);

  py::class_<patron::Ban> ban(m, "Ban", "Why, by whom and when a customer was banned.");
  ban.def_property_readonly("reason", [](const Ban& b) { return str(b.reason); })
      .def_property_readonly("by", [](const Ban& b) { return str(b.by); })
      .def_property_readonly("at", [](const Ban& b) { return datetime(b.at); })
      .def("__repr__", [](const Ban& b) {
        return "Ban(reason=" + repr_of(b.reason) + ", by=" + repr_of(b.by) + ", at=" + repr_of(datetime(b.at)) +
               ")";
      });
  bind_eq<Ban>(ban);

  py::class_<patron::Customer> customer(m, "Customer",
                                        "A snapshot of a customer, read from the database. Read-only: change "
                                        "a customer through db.customers, which returns a fresh snapshot.");
  customer.def_property_readonly("id", [](const Customer& c) { return str(c.id.str()); })
      .def_property_readonly("number", [](const Customer& c) { return str(c.number); })
      .def_property_readonly("title", [](const Customer& c) { return str(c.title); })
      .def_property_readonly("first_name", [](const Customer& c) { return str(c.first_name); })
      .def_property_readonly("last_name", [](const Customer& c) { return str(c.last_name); })
      .def_property_readonly("date_of_birth", [](const Customer& c) { return date(c.date_of_birth); })
      .def_property_readonly("lifecycle_stage", [](const Customer& c) { return str(c.lifecycle_stage); })
      .def_property_readonly("tags", [](const Customer& c) { return text_list_out(c.tags); })
      .def_property_readonly("emails", [](const Customer& c) { return object_list(c.emails); })
      .def_property_readonly("phones", [](const Customer& c) { return object_list(c.phones); })
      .def_property_readonly("addresses", [](const Customer& c) { return object_list(c.addresses); })
      .def_property_readonly("emergency_contact",
                             [](const Customer& c) -> py::object {
                               if (!c.emergency_contact) return py::none();
                               return py::cast(*c.emergency_contact, py::return_value_policy::copy);
                             })
      .def_property_readonly("status", [](const Customer& c) { return str(to_string(c.status)); })
      .def_property_readonly("ban",
                             [](const Customer& c) -> py::object {
                               if (!c.ban) return py::none();
                               return py::cast(*c.ban, py::return_value_policy::copy);
                             })
      .def_property_readonly("presence", [](const Customer& c) { return str(to_string(c.presence)); })
      .def_property_readonly("online_until", [](const Customer& c) { return datetime(c.online_until); })
      .def_property_readonly("created_at", [](const Customer& c) { return datetime(c.created_at); })
      .def_property_readonly("updated_at", [](const Customer& c) { return datetime(c.updated_at); })
      .def_property_readonly("first_active_at", [](const Customer& c) { return datetime(c.first_active_at); })
      .def_property_readonly("last_active_at", [](const Customer& c) { return datetime(c.last_active_at); })
      .def_property_readonly("primary_email",
                             [](const Customer& c) -> py::object {
                               const Email* e = c.primary_email();
                               if (e == nullptr) return py::none();
                               return str(e->address);
                             })
      .def(
          "to_json",
          [](const Customer& c, py::object indent) -> py::object {
            std::string text_form = patron::json::encode(c);
            if (indent.is_none()) return str(text_form);
            py::object json = json_module();
            return json.attr("dumps")(json.attr("loads")(str(text_form)), py::arg("indent") = indent,
                                      py::arg("ensure_ascii") = false);
          },
          py::arg("indent") = py::none(),
          "The customer as JSON text (the schema the C ABI speaks); compact unless indent is given.")
      .def(
          "to_dict",
          [](const Customer& c) { return json_module().attr("loads")(str(patron::json::encode(c))); },
          "The customer as a JSON-compatible dict (the same data and names as to_json()).")
      .def("__repr__", [](const Customer& c) {
        return "<patron.Customer " + c.id.str() + " number=" + repr_of(c.number) + " name=" +
               repr_of(display_name(c)) + " status=" + std::string(to_string(c.status)) + ">";
      });
  bind_eq<Customer>(customer);
  // __eq__ resets __hash__ to None; a customer hashes by its immutable id.
  customer.def("__hash__", [](const Customer& c) { return py::hash(str(c.id.str())); });

  py::class_<patron::Identification> ident(m, "Identification",
                                           "A customer found by identify(), and what the token matched on.");
  ident.def_readonly("customer", &Identification::customer)
      .def_property_readonly("matched_on", [](const Identification& i) { return str(to_string(i.matched_on)); })
      .def_property_readonly("credential", [](const Identification& i) { return optional_id(i.credential); })
      .def("__repr__", [](const Identification& i) {
        return "Identification(matched_on=" + repr_of(to_string(i.matched_on)) + ", customer=<patron.Customer " +
               i.customer.id.str() + " number=" + repr_of(i.customer.number) + ">)";
      });
  bind_eq<Identification>(ident);
}

// ---------------------------------------------------------------------------

void bind_customers(py::module_& m) {
  py::class_<PyCustomers> cls(m, "Customers",
                              "Create, change and find customers: db.customers. Every change is atomic and "
                              "returns the customer as it now is.");
  using C = PyCustomers;

  cls.def(
      "create",
      [](C& self, const py::kwargs& fields) {
        patron::NewCustomer request = new_customer_arg(fields, "");
        return without_gil(*self.connection, [&](patron::Database& db) {
          conform_custom_values(db, request.custom_fields, "");
          return db.customers().create(request);
        });
      },
      "create(*, first_name=..., last_name=..., email=..., phone=..., ...) -> Customer");

  cls.def(
      "create_many",
      [](C& self, py::handle requests) {
        std::vector<patron::NewCustomer> list = new_customer_list(requests);
        return object_list(without_gil(*self.connection, [&](patron::Database& db) {
          for (std::size_t i = 0; i < list.size(); ++i) {
            conform_custom_values(db, list[i].custom_fields, patron::indexed_field("", i) + ".");
          }
          return db.customers().create_many(list);
        }));
      },
      py::arg("requests"), "Creates every customer in one transaction: all or none.");

  cls.def(
      "get",
      [](C& self, py::handle ref) {
        std::string r = ref_arg(ref);
        return without_gil(*self.connection, [&](patron::Database& db) { return db.customers().get(r); });
      },
      py::arg("ref"), "The customer named by id or number; raises NotFoundError when there is none.");

  cls.def(
      "find",
      [](C& self, py::handle ref) {
        std::string r = ref_arg(ref);
        return optional_record(
            without_gil(*self.connection, [&](patron::Database& db) { return db.customers().find(r); }));
      },
      py::arg("ref"), "The customer named by id or number, or None.");

  cls.def(
      "find_by_email",
      [](C& self, py::handle email) {
        std::string e = text(email, "email");
        return optional_record(
            without_gil(*self.connection, [&](patron::Database& db) { return db.customers().find_by_email(e); }));
      },
      py::arg("email"), "The holder of the email (any case or IDN form), or None.");

  cls.def(
      "find_by_phone",
      [](C& self, py::handle phone) {
        std::string p = text(phone, "phone");
        return object_list(
            without_gil(*self.connection, [&](patron::Database& db) { return db.customers().find_by_phone(p); }));
      },
      py::arg("phone"), "Every holder of the phone number, in any format that normalises the same way.");

  cls.def(
      "search",
      [](C& self, py::handle query, py::handle limit, py::handle offset) {
        std::string q = text(query, "text");
        const std::int64_t l = integer(limit, "limit");
        const std::int64_t o = integer(offset, "offset");
        if (l < 0) throw patron::Error(Errc::invalid_argument, "limit: must be between 1 and 1000", "limit");
        if (o < 0) throw patron::Error(Errc::invalid_argument, "offset: must not be negative", "offset");
        patron::Page page{static_cast<std::size_t>(l), static_cast<std::size_t>(o)};
        return object_list(
            without_gil(*self.connection, [&](patron::Database& db) { return db.customers().search(q, page); }));
      },
      py::arg("text"), py::arg("limit") = 50, py::arg("offset") = 0,
      "Customers whose names match every word of text as a prefix, ignoring accents and case.");

  cls.def(
      "history",
      [](C& self, py::handle ref, py::handle kinds, py::handle statuses, py::handle since, py::handle until,
         py::handle limit, py::handle offset) {
        std::string r = ref_arg(ref);
        patron::HistoryFilter filter;
        if (!kinds.is_none()) {
          const std::vector<std::string> names = text_list(kinds, "kinds");
          for (std::size_t i = 0; i < names.size(); ++i) {
            filter.kinds.push_back(patron::parse_record_kind(names[i], patron::indexed_field("kinds", i)));
          }
        }
        if (!statuses.is_none()) filter.statuses = text_list(statuses, "statuses");
        filter.from = optional_time(since, "since");
        filter.until = optional_time(until, "until");
        const patron::Page page = page_arg(limit, offset);
        return object_list(without_gil(
            *self.connection, [&](patron::Database& db) { return db.customers().history(r, filter, page); }));
      },
      py::arg("ref"), py::arg("kinds") = py::none(), py::arg("statuses") = py::none(), py::arg("since") = py::none(),
      py::arg("until") = py::none(), py::arg("limit") = 50, py::arg("offset") = 0,
      "The customer's orders, bookings and enquiries in one list, newest first: kinds ('order', 'booking', "
      "'enquiry'), statuses (any kind's names), since (inclusive) and until (exclusive) filter.");

  cls.def(
      "update",
      [](C& self, py::handle ref, const py::kwargs& fields) {
        std::string r = ref_arg(ref);
        patron::CustomerUpdate changes = update_arg(fields);
        return without_gil(*self.connection,
                           [&](patron::Database& db) { return db.customers().update(r, changes); });
      },
      py::arg("ref"), "Changes the given profile fields only; None clears date_of_birth and emergency_contact.");

  cls.def(
      "set_number",
      [](C& self, py::handle ref, py::handle number) {
        std::string r = ref_arg(ref);
        std::string n = text(number, "number");
        return without_gil(*self.connection, [&](patron::Database& db) { return db.customers().set_number(r, n); });
      },
      py::arg("ref"), py::arg("number"));

  cls.def(
      "add_email",
      [](C& self, py::handle ref, py::handle email, py::handle primary) {
        std::string r = ref_arg(ref);
        std::string e = text(email, "email");
        const bool p = boolean(primary, "primary");
        return without_gil(*self.connection,
                           [&](patron::Database& db) { return db.customers().add_email(r, e, p); });
      },
      py::arg("ref"), py::arg("email"), py::arg("primary") = false);

  cls.def(
      "remove_email",
      [](C& self, py::handle ref, py::handle email) {
        std::string r = ref_arg(ref);
        std::string e = text(email, "email");
        return without_gil(*self.connection,
                           [&](patron::Database& db) { return db.customers().remove_email(r, e); });
      },
      py::arg("ref"), py::arg("email"));

  cls.def(
      "set_primary_email",
      [](C& self, py::handle ref, py::handle email) {
        std::string r = ref_arg(ref);
        std::string e = text(email, "email");
        return without_gil(*self.connection,
                           [&](patron::Database& db) { return db.customers().set_primary_email(r, e); });
      },
      py::arg("ref"), py::arg("email"));

  cls.def(
      "add_phone",
      [](C& self, py::handle ref, py::handle phone, py::handle label) {
        std::string r = ref_arg(ref);
        std::string p = text(phone, "phone");
        const PhoneLabel l = parse_phone_label(text(label, "label"), "label");
        return without_gil(*self.connection,
                           [&](patron::Database& db) { return db.customers().add_phone(r, p, l); });
      },
      py::arg("ref"), py::arg("phone"), py::arg("label") = "mobile");

  cls.def(
      "remove_phone",
      [](C& self, py::handle ref, py::handle phone) {
        std::string r = ref_arg(ref);
        std::string p = text(phone, "phone");
        return without_gil(*self.connection,
                           [&](patron::Database& db) { return db.customers().remove_phone(r, p); });
      },
      py::arg("ref"), py::arg("phone"));

  cls.def(
      "add_address",
      [](C& self, py::handle ref, const py::kwargs& fields) {
        std::string r = ref_arg(ref);
        patron::Address a = address_arg(fields, "address");
        return without_gil(*self.connection, [&](patron::Database& db) { return db.customers().add_address(r, a); });
      },
      py::arg("ref"),
      "add_address(ref, *, purpose='contact', line1='', line2='', city='', region='', postal_code='', "
      "country='', is_default=False) -> Customer");

  cls.def(
      "remove_address",
      [](C& self, py::handle ref, py::handle address_id) {
        std::string r = ref_arg(ref);
        const std::int64_t id = integer(address_id, "address_id");
        return without_gil(*self.connection,
                           [&](patron::Database& db) { return db.customers().remove_address(r, id); });
      },
      py::arg("ref"), py::arg("address_id"));

  cls.def(
      "ban",
      [](C& self, py::handle ref, py::handle reason, py::handle by) {
        std::string r = ref_arg(ref);
        std::string why = text(reason, "reason");
        std::string who = text(by, "by");
        return without_gil(*self.connection, [&](patron::Database& db) { return db.customers().ban(r, why, who); });
      },
      py::arg("ref"), py::arg("reason"), py::arg("by"));

  cls.def(
      "unban",
      [](C& self, py::handle ref) {
        std::string r = ref_arg(ref);
        return without_gil(*self.connection, [&](patron::Database& db) { return db.customers().unban(r); });
      },
      py::arg("ref"));

  cls.def(
      "set_online",
      [](C& self, py::handle ref, py::handle ttl) {
        std::string r = ref_arg(ref);
        const std::chrono::seconds t = seconds(ttl, "ttl");
        return without_gil(*self.connection, [&](patron::Database& db) { return db.customers().set_online(r, t); });
      },
      py::arg("ref"), py::arg("ttl"), "Online until now + ttl (a timedelta or seconds).");

  cls.def(
      "set_offline",
      [](C& self, py::handle ref) {
        std::string r = ref_arg(ref);
        return without_gil(*self.connection, [&](patron::Database& db) { return db.customers().set_offline(r); });
      },
      py::arg("ref"));

  cls.def(
      "companies",
      [](C& self, py::handle ref) {
        std::string r = ref_arg(ref);
        return object_list(
            companies_call(*self.connection, [&](patron::Database& db) { return db.companies().companies_of(r); }));
      },
      py::arg("ref"), "The customer's companies, each link with how it was made (email domain or manual).");

  cls.def("__repr__", [](const C& self) { return "<patron.Customers of " + repr_of(self.connection->path) + ">"; });
}

// A record pushed by record(): the record and how its customer was found.
struct PyPushed {
  py::object record;
  std::string customer_match;
  std::string key;  // "order", "booking", "enquiry"
};

template <class T>
PyPushed pushed_out(patron::Pushed<T>&& p, const char* key) {
  return PyPushed{py::cast(std::move(p.record)), std::string(to_string(p.customer_match)), key};
}

void bind_commerce_values(py::module_& m) {
  using patron::RecordSummary;
  py::class_<RecordSummary> summary(m, "RecordSummary",
                                    "One line of a customer's history (db.customers.history()): an order, booking "
                                    "or enquiry with its own time and status.");
  summary.def_property_readonly("kind", [](const RecordSummary& r) { return str(to_string(r.kind)); })
      .def_property_readonly("id", [](const RecordSummary& r) { return r.id; })
      .def_property_readonly("source", [](const RecordSummary& r) { return str(r.source); })
      .def_property_readonly("external_ref", [](const RecordSummary& r) { return str(r.external_ref); })
      .def_property_readonly("at", [](const RecordSummary& r) { return datetime(r.at); })
      .def_property_readonly("status", [](const RecordSummary& r) { return str(r.status); })
      .def_property_readonly("label", [](const RecordSummary& r) { return str(r.label); })
      .def_property_readonly("total", [](const RecordSummary& r) { return r.total; })
      .def_property_readonly("currency", [](const RecordSummary& r) { return str(r.currency); })
      .def("__repr__", [](const RecordSummary& r) {
        return "<patron.RecordSummary " + std::string(to_string(r.kind)) + " " + std::to_string(r.id) + " " +
               repr_of(r.source) + "/" + repr_of(r.external_ref) + " status=" + r.status + ">";
      });
  bind_eq<RecordSummary>(summary);

  py::class_<patron::OrderItem> item(m, "OrderItem", "A line of an order: name, quantity, unit price, category.");
  item.def_property_readonly("name", [](const OrderItem& i) { return str(i.name); })
      .def_property_readonly("quantity", [](const OrderItem& i) { return i.quantity; })
      .def_property_readonly("unit_price", [](const OrderItem& i) { return i.unit_price; })
      .def_property_readonly("category", [](const OrderItem& i) { return str(i.category); })
      .def("to_dict",
           [](const OrderItem& i) {
             py::dict d;
             d["name"] = str(i.name);
             d["quantity"] = i.quantity;
             d["unit_price"] = i.unit_price;
             d["category"] = str(i.category);
             return d;
           })
      .def("__repr__", [](const OrderItem& i) {
        return "OrderItem(name=" + repr_of(i.name) + ", quantity=" + std::to_string(i.quantity) +
               ", unit_price=" + std::to_string(i.unit_price) + ", category=" + repr_of(i.category) + ")";
      });
  bind_eq<OrderItem>(item);

  py::class_<patron::Payment> payment(m, "Payment", "A payment towards an order: amount, method, time.");
  payment.def_property_readonly("amount", [](const Payment& p) { return p.amount; })
      .def_property_readonly("method", [](const Payment& p) { return str(p.method); })
      .def_property_readonly("at", [](const Payment& p) { return datetime(p.at); })
      .def("to_dict",
           [](const Payment& p) {
             py::dict d;
             d["amount"] = p.amount;
             d["method"] = str(p.method);
             d["at"] = str(format_timestamp(p.at));
             return d;
           })
      .def("__repr__", [](const Payment& p) {
        return "Payment(amount=" + std::to_string(p.amount) + ", method=" + repr_of(p.method) +
               ", at=" + repr_of(datetime(p.at)) + ")";
      });
  bind_eq<Payment>(payment);

  py::class_<patron::Order> order(m, "Order",
                                  "A snapshot of an order the host pushed in. Read-only: change it through "
                                  "db.orders, which returns a fresh snapshot. Money is in minor units.");
  order.def_property_readonly("id", [](const Order& o) { return o.id; })
      .def_property_readonly("customer", [](const Order& o) { return str(o.customer.str()); })
      .def_property_readonly("source", [](const Order& o) { return str(o.source); })
      .def_property_readonly("external_ref", [](const Order& o) { return str(o.external_ref); })
      .def_property_readonly("placed_at", [](const Order& o) { return datetime(o.placed_at); })
      .def_property_readonly("status", [](const Order& o) { return str(to_string(o.status)); })
      .def_property_readonly("currency", [](const Order& o) { return str(o.currency); })
      .def_property_readonly("total", [](const Order& o) { return o.total; })
      .def_property_readonly("paid", [](const Order& o) { return o.paid; })
      .def_property_readonly("items", [](const Order& o) { return object_list(o.items); })
      .def_property_readonly("payments", [](const Order& o) { return object_list(o.payments); })
      .def_property_readonly("created_at", [](const Order& o) { return datetime(o.created_at); })
      .def_property_readonly("updated_at", [](const Order& o) { return datetime(o.updated_at); })
      .def("__repr__", [](const Order& o) {
        return "<patron.Order " + std::to_string(o.id) + " " + repr_of(o.source) + "/" + repr_of(o.external_ref) +
               " status=" + std::string(to_string(o.status)) + " total=" + std::to_string(o.total) + " " +
               o.currency + " paid=" + std::to_string(o.paid) + ">";
      });
  bind_json_forms<Order>(order);

  py::class_<patron::Booking> booking(m, "Booking",
                                      "A snapshot of a booking the host pushed in. Read-only: change it through "
                                      "db.bookings.");
  booking.def_property_readonly("id", [](const Booking& b) { return b.id; })
      .def_property_readonly("customer", [](const Booking& b) { return str(b.customer.str()); })
      .def_property_readonly("source", [](const Booking& b) { return str(b.source); })
      .def_property_readonly("external_ref", [](const Booking& b) { return str(b.external_ref); })
      .def_property_readonly("service", [](const Booking& b) { return str(b.service); })
      .def_property_readonly("starts_at", [](const Booking& b) { return datetime(b.starts_at); })
      .def_property_readonly("ends_at", [](const Booking& b) { return datetime(b.ends_at); })
      .def_property_readonly("status", [](const Booking& b) { return str(to_string(b.status)); })
      .def_property_readonly("party_size", [](const Booking& b) { return b.party_size; })
      .def_property_readonly("order_id",
                             [](const Booking& b) -> py::object {
                               if (!b.order_id) return py::none();
                               return py::int_(*b.order_id);
                             })
      .def_property_readonly("created_at", [](const Booking& b) { return datetime(b.created_at); })
      .def_property_readonly("updated_at", [](const Booking& b) { return datetime(b.updated_at); })
      .def("__repr__", [](const Booking& b) {
        return "<patron.Booking " + std::to_string(b.id) + " " + repr_of(b.source) + "/" + repr_of(b.external_ref) +
               " service=" + repr_of(b.service) + " starts_at=" + format_timestamp(b.starts_at) +
               " status=" + std::string(to_string(b.status)) + ">";
      });
  bind_json_forms<Booking>(booking);

  py::class_<patron::Enquiry> enquiry(m, "Enquiry",
                                      "A snapshot of an enquiry the host pushed in. Read-only: change it through "
                                      "db.enquiries.");
  enquiry.def_property_readonly("id", [](const Enquiry& e) { return e.id; })
      .def_property_readonly("customer", [](const Enquiry& e) { return str(e.customer.str()); })
      .def_property_readonly("source", [](const Enquiry& e) { return str(e.source); })
      .def_property_readonly("external_ref", [](const Enquiry& e) { return str(e.external_ref); })
      .def_property_readonly("channel", [](const Enquiry& e) { return str(e.channel); })
      .def_property_readonly("subject", [](const Enquiry& e) { return str(e.subject); })
      .def_property_readonly("body", [](const Enquiry& e) { return str(e.body); })
      .def_property_readonly("status", [](const Enquiry& e) { return str(to_string(e.status)); })
      .def_property_readonly("received_at", [](const Enquiry& e) { return datetime(e.received_at); })
      .def_property_readonly("created_at", [](const Enquiry& e) { return datetime(e.created_at); })
      .def_property_readonly("updated_at", [](const Enquiry& e) { return datetime(e.updated_at); })
      .def("__repr__", [](const Enquiry& e) {
        return "<patron.Enquiry " + std::to_string(e.id) + " " + repr_of(e.source) + "/" + repr_of(e.external_ref) +
               " channel=" + repr_of(e.channel) + " subject=" + repr_of(e.subject) +
               " status=" + std::string(to_string(e.status)) + ">";
      });
  bind_json_forms<Enquiry>(enquiry);

  py::class_<PyPushed> pushed(m, "Pushed",
                              "What record() returns: the record (.record) and how its customer was found "
                              "(.customer_match: 'given', 'email', 'phone' or 'created').");
  pushed.def_readonly("record", &PyPushed::record)
      .def_property_readonly("customer_match", [](const PyPushed& p) { return str(p.customer_match); })
      .def("to_dict",
           [](const PyPushed& p) {
             py::dict d;
             d["customer_match"] = str(p.customer_match);
             d[str(p.key)] = p.record.attr("to_dict")();
             return d;
           },
           "{'customer_match': ..., 'order' | 'booking' | 'enquiry': record.to_dict()}, as the C ABI returns it.")
      .def("__eq__",
           [](const PyPushed& a, py::handle b) -> py::object {
             if (!py::isinstance<PyPushed>(b)) return py::reinterpret_borrow<py::object>(Py_NotImplemented);
             const PyPushed& o = b.cast<const PyPushed&>();
             return py::bool_(a.customer_match == o.customer_match && a.key == o.key && a.record.equal(o.record));
           })
      .def("__ne__",
           [](const PyPushed& a, py::handle b) -> py::object {
             if (!py::isinstance<PyPushed>(b)) return py::reinterpret_borrow<py::object>(Py_NotImplemented);
             const PyPushed& o = b.cast<const PyPushed&>();
             return py::bool_(!(a.customer_match == o.customer_match && a.key == o.key && a.record.equal(o.record)));
           })
      .def("__repr__", [](const PyPushed& p) {
        return "Pushed(customer_match=" + repr_of(p.customer_match) + ", record=" + repr_of(p.record) + ")";
      });
  pushed.attr("__hash__") = py::none();
}

// get, find, set_status and list: the same on the three services. `access`
// picks the C++ service from the database, `parse` reads a status name.
template <class Py, class Access, class Parse>
void bind_record_service(py::class_<Py>& cls, Access access, Parse parse, const char* what) {
  cls.def(
      "get",
      [access](Py& self, py::handle id) {
        const std::int64_t i = integer(id, "id");
        return without_gil(*self.connection, [&](patron::Database& db) { return access(db).get(i); });
      },
      py::arg("id"), (std::string("The ") + what + " with that id; raises NotFoundError when there is none.").c_str());

  cls.def(
      "find",
      [access](Py& self, py::handle source, py::handle external_ref) {
        std::string s = text(source, "source");
        std::string r = text(external_ref, "external_ref");
        return optional_record(
            without_gil(*self.connection, [&](patron::Database& db) { return access(db).find(s, r); }));
      },
      py::arg("source"), py::arg("external_ref"),
      (std::string("The ") + what + " of that source with that external reference, or None.").c_str());

  cls.def(
      "set_status",
      [access, parse](Py& self, py::handle id, py::handle status) {
        const std::int64_t i = integer(id, "id");
        const auto s = parse(text(status, "status"), "status");
        return without_gil(*self.connection, [&](patron::Database& db) { return access(db).set_status(i, s); });
      },
      py::arg("id"), py::arg("status"),
      "Moves the record to a new status; an illegal move raises PreconditionError (field 'status').");

  cls.def(
      "list",
      [access, parse](Py& self, py::handle ref, py::handle statuses, py::handle since, py::handle until,
                      py::handle limit, py::handle offset) {
        std::string r = ref_arg(ref);
        using Status = decltype(parse(std::string_view{}, std::string_view{}));
        auto filter = filter_arg<Status>(statuses, since, until, parse);
        const patron::Page page = page_arg(limit, offset);
        return object_list(
            without_gil(*self.connection, [&](patron::Database& db) { return access(db).list(r, filter, page); }));
      },
      py::arg("ref"), py::arg("statuses") = py::none(), py::arg("since") = py::none(),
      py::arg("until") = py::none(), py::arg("limit") = 50, py::arg("offset") = 0,
      "A customer's records, newest first: statuses (any of), since (inclusive) and until (exclusive) filter.");
}

void bind_commerce(py::module_& m) {
  py::class_<PyOrders> orders(m, "Orders",
                              "Orders the host pushes in (db.orders). Each call is one transaction; a record "
                              "pushed with customer details creates the customer and the order, or neither.");
  orders.def(
      "record",
      [](PyOrders& self, const py::kwargs& fields) {
        patron::NewOrder request = new_order_arg(fields);
        return pushed_out(
            without_gil(*self.connection, [&](patron::Database& db) { return db.orders().record(request); }),
            "order");
      },
      "record(*, customer, source, external_ref, currency, total, placed_at=None, status='created', paid=None, "
      "items=[], payments=[]) -> Pushed");
  orders.def(
      "add_payment",
      [](PyOrders& self, py::handle id, const py::kwargs& fields) {
        const std::int64_t i = integer(id, "id");
        patron::Payment p = payment_fields(fields, "payment");
        return without_gil(*self.connection, [&](patron::Database& db) { return db.orders().add_payment(i, p); });
      },
      py::arg("id"), "add_payment(id, *, amount, method, at=None) -> Order: adds a payment and raises paid.");
  bind_record_service(
      orders, [](patron::Database& db) -> patron::Orders& { return db.orders(); },
      [](std::string_view s, std::string_view f) { return patron::parse_order_status(s, f); }, "order");
  orders.def("__repr__",
             [](const PyOrders& self) { return "<patron.Orders of " + repr_of(self.connection->path) + ">"; });

  py::class_<PyBookings> bookings(m, "Bookings", "Bookings the host pushes in (db.bookings).");
  bookings.def(
      "record",
      [](PyBookings& self, const py::kwargs& fields) {
        patron::NewBooking request = new_booking_arg(fields);
        return pushed_out(
            without_gil(*self.connection, [&](patron::Database& db) { return db.bookings().record(request); }),
            "booking");
      },
      "record(*, customer, source, external_ref, service, starts_at, ends_at, status='scheduled', party_size=1, "
      "order_external_ref='') -> Pushed");
  bookings.def(
      "reschedule",
      [](PyBookings& self, py::handle id, py::handle starts_at, py::handle ends_at) {
        const std::int64_t i = integer(id, "id");
        const Timestamp from = timestamp(starts_at, "starts_at");
        const Timestamp to = timestamp(ends_at, "ends_at");
        return without_gil(*self.connection,
                           [&](patron::Database& db) { return db.bookings().reschedule(i, from, to); });
      },
      py::arg("id"), py::arg("starts_at"), py::arg("ends_at"),
      "Moves the booking to a new time; its status becomes 'rescheduled'.");
  bind_record_service(
      bookings, [](patron::Database& db) -> patron::Bookings& { return db.bookings(); },
      [](std::string_view s, std::string_view f) { return patron::parse_booking_status(s, f); }, "booking");
  bookings.def("__repr__",
               [](const PyBookings& self) { return "<patron.Bookings of " + repr_of(self.connection->path) + ">"; });

  py::class_<PyEnquiries> enquiries(m, "Enquiries", "Enquiries the host pushes in (db.enquiries).");
  enquiries.def(
      "record",
      [](PyEnquiries& self, const py::kwargs& fields) {
        patron::NewEnquiry request = new_enquiry_arg(fields);
        return pushed_out(
            without_gil(*self.connection, [&](patron::Database& db) { return db.enquiries().record(request); }),
            "enquiry");
      },
      "record(*, customer, source, external_ref, channel, subject='', body='', received_at=None, status='open') "
      "-> Pushed");
  bind_record_service(
      enquiries, [](patron::Database& db) -> patron::Enquiries& { return db.enquiries(); },
      [](std::string_view s, std::string_view f) { return patron::parse_enquiry_status(s, f); }, "enquiry");
  enquiries.def("__repr__",
                [](const PyEnquiries& self) { return "<patron.Enquiries of " + repr_of(self.connection->path) + ">"; });
}

// ---------------------------------------------------------------------------
// Analytics (db.analytics) and the pure customer model (patron.clv).

// A float as Python writes it (shortest round-trip form).
std::string num(double v) { return py::repr(py::float_(v)).cast<std::string>(); }

std::string element(std::string_view name, std::size_t index) {
  return patron::indexed_field(name, index);
}

// A bound object of type T (a model, a summary): TypeError naming `field`
// otherwise, rather than pybind11's generic "incompatible function arguments".
template <class T>
const T& instance(py::handle value, const std::string& field, const char* type_name) {
  if (!py::isinstance<T>(value)) {
    throw py::type_error(field + " must be a " + type_name + ", not " + Py_TYPE(value.ptr())->tp_name);
  }
  return value.cast<const T&>();
}

// A purchase summary: a patron.clv.Summary, or a (frequency, recency, age[,
// monetary]) tuple, list or other sequence of numbers.
clv::Summary summary_arg(py::handle value, const std::string& field) {
  if (py::isinstance<clv::Summary>(value)) return value.cast<clv::Summary>();
  PyObject* p = value.ptr();
  if (PyUnicode_Check(p) || PyBytes_Check(p) || PyDict_Check(p) || PySequence_Check(p) == 0) {
    throw py::type_error(field + " must be a patron.clv.Summary or a (frequency, recency, age, monetary) tuple, not " +
                         Py_TYPE(p)->tp_name);
  }
  const Py_ssize_t n = PySequence_Size(p);
  if (n < 0) throw py::error_already_set();
  if (n != 3 && n != 4) {
    throw py::type_error(field + " must have 3 or 4 items (frequency, recency, age[, monetary]), not " +
                         std::to_string(n));
  }
  const auto item = [&](Py_ssize_t i) {
    PyObject* o = PySequence_GetItem(p, i);
    if (o == nullptr) throw py::error_already_set();
    return py::reinterpret_steal<py::object>(o);
  };
  clv::Summary s;
  s.frequency = number(item(0), field + ".frequency");
  s.recency = number(item(1), field + ".recency");
  s.age = number(item(2), field + ".age");
  if (n == 4) s.monetary = number(item(3), field + ".monetary");
  return s;
}

std::vector<clv::Summary> summary_list(py::handle value) {
  PyObject* p = value.ptr();
  if (PyUnicode_Check(p) || PyBytes_Check(p) || PyDict_Check(p) || py::isinstance<clv::Summary>(value) ||
      !py::isinstance<py::iterable>(value)) {
    throw py::type_error(std::string("summaries must be an iterable of patron.clv.Summary or (frequency, recency, "
                                     "age, monetary) tuples, not ") +
                         Py_TYPE(p)->tp_name);
  }
  std::vector<clv::Summary> out;
  if (PySequence_Check(p) != 0) {
    const Py_ssize_t n = PySequence_Size(p);
    if (n > 0) out.reserve(static_cast<std::size_t>(n));
    if (n < 0) PyErr_Clear();
  }
  for (py::handle item : value) out.push_back(summary_arg(item, element("summaries", out.size())));
  return out;
}

int int_arg(py::handle value, std::string_view field, std::int64_t low, std::int64_t high) {
  const std::int64_t v = integer(value, field);
  if (v < low || v > high) {
    throw patron::Error(Errc::invalid_argument,
                        std::string(field) + ": must be between " + std::to_string(low) + " and " + std::to_string(high),
                        std::string(field));
  }
  return static_cast<int>(v);
}

// The model functions take keyword arguments where the C++ API takes an
// options struct: "options.tolerance" is the keyword "tolerance" here.
template <class F>
auto with_keywords(F&& f) {
  try {
    return std::forward<F>(f)();
  } catch (const patron::Error& e) {
    constexpr std::string_view prefix = "options.";
    if (e.field().rfind(prefix, 0) != 0) throw;
    std::string message = e.what();
    if (message.rfind(prefix, 0) == 0) message.erase(0, prefix.size());
    throw patron::Error(e.code(), std::move(message), e.field().substr(prefix.size()));
  }
}

clv::FitOptions fit_options(py::handle tolerance, py::handle max_evaluations, py::handle threads) {
  clv::FitOptions o;
  o.tolerance = number(tolerance, "tolerance");
  o.max_evaluations = int_arg(max_evaluations, "max_evaluations", 0, 1'000'000'000);
  o.threads = static_cast<unsigned>(int_arg(threads, "threads", 0, 1024));
  return o;
}

patron::TimeUnit unit_arg(py::handle unit) { return patron::parse_time_unit(text(unit, "unit"), "unit"); }

patron::ModelOptions model_options(py::handle currency, py::handle cutoff, py::handle unit) {
  patron::ModelOptions o;
  o.currency = text(currency, "currency");
  o.cutoff = optional_time(cutoff, "cutoff");
  o.unit = unit_arg(unit);
  return o;
}

patron::PredictionOptions prediction_options(py::handle currency, py::handle at, py::handle horizon,
                                             py::handle period, py::handle discount_rate, py::handle coverage) {
  patron::PredictionOptions o;
  o.currency = text(currency, "currency");
  o.at = optional_time(at, "at");
  o.horizon = whole_days(horizon, "horizon");
  o.period = whole_days(period, "period");
  o.discount_rate = number(discount_rate, "discount_rate");
  o.coverage = number(coverage, "coverage");
  return o;
}

// Immutable model values hash by their fields.
template <class T, class Cls, class Fields>
void bind_value_hash(Cls& cls, Fields fields) {
  cls.def("__hash__", [fields](const T& v) { return py::hash(fields(v)); });
}

py::dict summary_dict(const clv::Summary& s) {
  py::dict d;
  d["frequency"] = s.frequency;
  d["recency"] = s.recency;
  d["age"] = s.age;
  d["monetary"] = s.monetary;
  return d;
}

std::string summary_repr(const clv::Summary& s) {
  return "Summary(frequency=" + num(s.frequency) + ", recency=" + num(s.recency) + ", age=" + num(s.age) +
         ", monetary=" + num(s.monetary) + ")";
}

std::string bg_repr(const clv::BgNbd& m) {
  return "BgNbd(r=" + num(m.r) + ", alpha=" + num(m.alpha) + ", a=" + num(m.a) + ", b=" + num(m.b) +
         ", log_likelihood=" + num(m.log_likelihood) + ")";
}

std::string gg_repr(const clv::GammaGamma& m) {
  return "GammaGamma(p=" + num(m.p) + ", q=" + num(m.q) + ", gamma=" + num(m.gamma) +
         ", log_likelihood=" + num(m.log_likelihood) + ")";
}

void bind_clv_values(py::module_& m) {
  py::class_<clv::Summary> summary(
      m, "Summary",
      "One customer's purchase history as the model sees it: frequency (repeat purchase occasions), recency "
      "(first to last occasion), age (first occasion to the cut-off), in one time unit, and monetary (mean spend "
      "of the repeat occasions).");
  summary
      .def(py::init([](py::handle frequency, py::handle recency, py::handle age, py::handle monetary) {
             return clv::Summary{number(frequency, "frequency"), number(recency, "recency"), number(age, "age"),
                                 number(monetary, "monetary")};
           }),
           py::arg("frequency") = 0.0, py::arg("recency") = 0.0, py::arg("age") = 0.0, py::arg("monetary") = 0.0)
      .def_property_readonly("frequency", [](const clv::Summary& s) { return s.frequency; })
      .def_property_readonly("recency", [](const clv::Summary& s) { return s.recency; })
      .def_property_readonly("age", [](const clv::Summary& s) { return s.age; })
      .def_property_readonly("monetary", [](const clv::Summary& s) { return s.monetary; })
      .def("to_dict", &summary_dict)
      .def("__repr__", &summary_repr);
  bind_eq<clv::Summary>(summary);
  bind_value_hash<clv::Summary>(summary, [](const clv::Summary& s) {
    return py::make_tuple(s.frequency, s.recency, s.age, s.monetary);
  });

  py::class_<clv::BgNbd> bg(m, "BgNbd",
                            "BG/NBD parameters: purchase rate ~ Gamma(r, alpha), drop-out probability after each "
                            "purchase ~ Beta(a, b); alpha is in the summaries' time unit.");
  bg.def(py::init([](py::handle r, py::handle alpha, py::handle a, py::handle b, py::handle ll) {
           return clv::BgNbd{number(r, "r"), number(alpha, "alpha"), number(a, "a"), number(b, "b"),
                             number(ll, "log_likelihood")};
         }),
         py::arg("r"), py::arg("alpha"), py::arg("a"), py::arg("b"), py::arg("log_likelihood") = 0.0)
      .def_property_readonly("r", [](const clv::BgNbd& v) { return v.r; })
      .def_property_readonly("alpha", [](const clv::BgNbd& v) { return v.alpha; })
      .def_property_readonly("a", [](const clv::BgNbd& v) { return v.a; })
      .def_property_readonly("b", [](const clv::BgNbd& v) { return v.b; })
      .def_property_readonly("log_likelihood", [](const clv::BgNbd& v) { return v.log_likelihood; })
      .def("to_dict",
           [](const clv::BgNbd& v) {
             py::dict d;
             d["r"] = v.r;
             d["alpha"] = v.alpha;
             d["a"] = v.a;
             d["b"] = v.b;
             d["log_likelihood"] = v.log_likelihood;
             return d;
           })
      .def("__repr__", &bg_repr);
  bind_eq<clv::BgNbd>(bg);
  bind_value_hash<clv::BgNbd>(bg, [](const clv::BgNbd& v) {
    return py::make_tuple(v.r, v.alpha, v.a, v.b, v.log_likelihood);
  });

  py::class_<clv::GammaGamma> gg(m, "GammaGamma",
                                 "Gamma-Gamma parameters: an order's value ~ Gamma(p, nu), nu ~ Gamma(q, gamma) per "
                                 "customer.");
  gg.def(py::init([](py::handle p, py::handle q, py::handle gamma, py::handle ll) {
           return clv::GammaGamma{number(p, "p"), number(q, "q"), number(gamma, "gamma"),
                                  number(ll, "log_likelihood")};
         }),
         py::arg("p"), py::arg("q"), py::arg("gamma"), py::arg("log_likelihood") = 0.0)
      .def_property_readonly("p", [](const clv::GammaGamma& v) { return v.p; })
      .def_property_readonly("q", [](const clv::GammaGamma& v) { return v.q; })
      .def_property_readonly("gamma", [](const clv::GammaGamma& v) { return v.gamma; })
      .def_property_readonly("log_likelihood", [](const clv::GammaGamma& v) { return v.log_likelihood; })
      .def("to_dict",
           [](const clv::GammaGamma& v) {
             py::dict d;
             d["p"] = v.p;
             d["q"] = v.q;
             d["gamma"] = v.gamma;
             d["log_likelihood"] = v.log_likelihood;
             return d;
           })
      .def("__repr__", &gg_repr);
  bind_eq<clv::GammaGamma>(gg);
  bind_value_hash<clv::GammaGamma>(gg, [](const clv::GammaGamma& v) {
    return py::make_tuple(v.p, v.q, v.gamma, v.log_likelihood);
  });

  py::class_<clv::Interval> interval(m, "Interval", "A central interval [low, high] of the time to the next order.");
  interval.def_property_readonly("low", [](const clv::Interval& v) { return v.low; })
      .def_property_readonly("high", [](const clv::Interval& v) { return v.high; })
      .def("__iter__", [](const clv::Interval& v) { return py::iter(py::make_tuple(v.low, v.high)); })
      .def("__repr__", [](const clv::Interval& v) { return "Interval(low=" + num(v.low) + ", high=" + num(v.high) + ")"; });
  bind_eq<clv::Interval>(interval);
  bind_value_hash<clv::Interval>(interval, [](const clv::Interval& v) { return py::make_tuple(v.low, v.high); });

  py::class_<clv::Score> score(m, "Score", "Everything the model says about one customer (patron.clv.score()).");
  score.def_property_readonly("probability_alive", [](const clv::Score& s) { return s.probability_alive; })
      .def_property_readonly("expected_orders", [](const clv::Score& s) { return s.expected_orders; })
      .def_property_readonly("expected_order_value", [](const clv::Score& s) { return s.expected_order_value; })
      .def_property_readonly("lifetime_value", [](const clv::Score& s) { return s.lifetime_value; })
      .def_property_readonly("next_order", [](const clv::Score& s) { return s.next_order; })
      .def("__repr__", [](const clv::Score& s) {
        return "Score(probability_alive=" + num(s.probability_alive) + ", expected_orders=" +
               num(s.expected_orders) + ", expected_order_value=" + num(s.expected_order_value) +
               ", lifetime_value=" + num(s.lifetime_value) + ", next_order=Interval(low=" + num(s.next_order.low) +
               ", high=" + num(s.next_order.high) + "))";
      });
  bind_eq<clv::Score>(score);
}

// The pure model, exposed to Python as patron.clv. Arguments are converted
// with the GIL held; the numerical work runs without it.
void bind_clv_functions(py::module_& m) {
  m.def(
      "fit_bg_nbd",
      [](py::handle summaries, py::handle tolerance, py::handle max_evaluations, py::handle threads) {
        const std::vector<clv::Summary> rows = summary_list(summaries);
        const clv::FitOptions options = fit_options(tolerance, max_evaluations, threads);
        return with_keywords([&] {
          py::gil_scoped_release release;
          return clv::fit_bg_nbd(rows, options);
        });
      },
      py::arg("summaries"), py::kw_only(), py::arg("tolerance") = 1e-10, py::arg("max_evaluations") = 1000,
      py::arg("threads") = 0, "Maximum-likelihood BG/NBD fit over every summary.");
  m.def(
      "fit_gamma_gamma",
      [](py::handle summaries, py::handle tolerance, py::handle max_evaluations, py::handle threads) {
        const std::vector<clv::Summary> rows = summary_list(summaries);
        const clv::FitOptions options = fit_options(tolerance, max_evaluations, threads);
        return with_keywords([&] {
          py::gil_scoped_release release;
          return clv::fit_gamma_gamma(rows, options);
        });
      },
      py::arg("summaries"), py::kw_only(), py::arg("tolerance") = 1e-10, py::arg("max_evaluations") = 1000,
      py::arg("threads") = 0, "Maximum-likelihood Gamma-Gamma fit on the summaries with frequency > 0.");
  m.def(
      "probability_alive",
      [](py::handle model, py::handle summary) {
        const clv::BgNbd bg = instance<clv::BgNbd>(model, "model", "patron.clv.BgNbd");
        const clv::Summary s = summary_arg(summary, "summary");
        return clv::probability_alive(bg, s);
      },
      py::arg("model"), py::arg("summary"), "P(alive at the cut-off | summary); 1 when frequency is 0.");
  m.def(
      "expected_orders",
      [](py::handle model, py::handle summary, py::handle t) {
        const clv::BgNbd bg = instance<clv::BgNbd>(model, "model", "patron.clv.BgNbd");
        const clv::Summary s = summary_arg(summary, "summary");
        const double horizon = number(t, "t");
        py::gil_scoped_release release;
        return clv::expected_orders(bg, s, horizon);
      },
      py::arg("model"), py::arg("summary"), py::arg("t"),
      "Expected number of orders in (age, age + t], in the summary's time unit.");
  m.def(
      "expected_order_value",
      [](py::handle model, py::handle summary) {
        const clv::GammaGamma gg = instance<clv::GammaGamma>(model, "model", "patron.clv.GammaGamma");
        const clv::Summary s = summary_arg(summary, "summary");
        return clv::expected_order_value(gg, s);
      },
      py::arg("model"), py::arg("summary"), "Expected mean order value given the customer's own mean (needs q > 1).");
  m.def(
      "customer_lifetime_value",
      [](py::handle bg_nbd, py::handle gamma_gamma, py::handle summary, py::handle periods, py::handle period_length,
         py::handle discount_rate) {
        const clv::BgNbd bg = instance<clv::BgNbd>(bg_nbd, "bg_nbd", "patron.clv.BgNbd");
        const clv::GammaGamma gg = instance<clv::GammaGamma>(gamma_gamma, "gamma_gamma", "patron.clv.GammaGamma");
        const clv::Summary s = summary_arg(summary, "summary");
        const int n = int_arg(periods, "periods", 0, 100'000);
        const double length = number(period_length, "period_length");
        const double rate = number(discount_rate, "discount_rate");
        py::gil_scoped_release release;
        return clv::customer_lifetime_value(bg, gg, s, n, length, rate);
      },
      py::arg("bg_nbd"), py::arg("gamma_gamma"), py::arg("summary"), py::arg("periods"), py::arg("period_length"),
      py::arg("discount_rate"),
      "Discounted lifetime value over `periods` periods of `period_length` time units each.");
  m.def(
      "next_order_interval",
      [](py::handle model, py::handle summary, py::handle coverage) {
        const clv::BgNbd bg = instance<clv::BgNbd>(model, "model", "patron.clv.BgNbd");
        const clv::Summary s = summary_arg(summary, "summary");
        return clv::next_order_interval(bg, s, number(coverage, "coverage"));
      },
      py::arg("model"), py::arg("summary"), py::arg("coverage") = 0.8,
      "Central interval of the time from the cut-off to the next order, given the customer is alive.");
  m.def(
      "score",
      [](py::handle bg_nbd, py::handle gamma_gamma, py::handle summaries, py::handle horizon, py::handle periods,
         py::handle period_length, py::handle discount_rate, py::handle coverage, py::handle threads) {
        const clv::BgNbd bg = instance<clv::BgNbd>(bg_nbd, "bg_nbd", "patron.clv.BgNbd");
        const clv::GammaGamma gg = instance<clv::GammaGamma>(gamma_gamma, "gamma_gamma", "patron.clv.GammaGamma");
        const std::vector<clv::Summary> rows = summary_list(summaries);
        clv::ScoreOptions o;
        o.horizon = number(horizon, "horizon");
        o.periods = int_arg(periods, "periods", 0, 100'000);
        o.period_length = number(period_length, "period_length");
        o.discount_rate = number(discount_rate, "discount_rate");
        o.coverage = number(coverage, "coverage");
        o.threads = static_cast<unsigned>(int_arg(threads, "threads", 0, 1024));
        std::vector<clv::Score> scores = with_keywords([&] {
          py::gil_scoped_release release;
          return clv::score(bg, gg, rows, o);
        });
        return object_list(std::move(scores));
      },
      py::arg("bg_nbd"), py::arg("gamma_gamma"), py::arg("summaries"), py::kw_only(), py::arg("horizon") = 0.0,
      py::arg("periods") = 0, py::arg("period_length") = 1.0, py::arg("discount_rate") = 0.0,
      py::arg("coverage") = 0.8, py::arg("threads") = 0,
      "Scores every summary in bulk: the single-customer figures, computed once per distinct (frequency, age).");
}

void bind_analytics_values(py::module_& m) {
  py::class_<patron::CurrencyTotals> totals(m, "CurrencyTotals",
                                            "A customer's orders in one currency: count, spend and average order "
                                            "value (minor units; cancelled orders excluded).");
  totals.def_property_readonly("currency", [](const CurrencyTotals& t) { return str(t.currency); })
      .def_property_readonly("orders", [](const CurrencyTotals& t) { return t.orders; })
      .def_property_readonly("spend", [](const CurrencyTotals& t) { return t.spend; })
      .def_property_readonly("average_order_value", [](const CurrencyTotals& t) { return t.average_order_value; })
      .def("to_dict",
           [](const CurrencyTotals& t) {
             py::dict d;
             d["currency"] = str(t.currency);
             d["orders"] = t.orders;
             d["spend"] = t.spend;
             d["average_order_value"] = t.average_order_value;
             return d;
           })
      .def("__repr__", [](const CurrencyTotals& t) {
        return "CurrencyTotals(currency=" + repr_of(t.currency) + ", orders=" + std::to_string(t.orders) +
               ", spend=" + std::to_string(t.spend) + ", average_order_value=" +
               std::to_string(t.average_order_value) + ")";
      });
  bind_eq<CurrencyTotals>(totals);

  py::class_<patron::CustomerStats> stats(m, "CustomerStats",
                                          "What a customer's orders add up to (db.analytics.stats()).");
  stats.def_property_readonly("customer", [](const CustomerStats& s) { return str(s.customer.str()); })
      .def_property_readonly("orders", [](const CustomerStats& s) { return s.orders; })
      .def_property_readonly("by_currency", [](const CustomerStats& s) { return object_list(s.by_currency); })
      .def_property_readonly("first_order_at", [](const CustomerStats& s) { return datetime(s.first_order_at); })
      .def_property_readonly("last_order_at", [](const CustomerStats& s) { return datetime(s.last_order_at); })
      .def_property_readonly("days_since_last_order",
                             [](const CustomerStats& s) -> py::object {
                               if (!s.days_since_last_order) return py::none();
                               return py::int_(*s.days_since_last_order);
                             })
      .def("__repr__", [](const CustomerStats& s) {
        std::string out = "<patron.CustomerStats " + s.customer.str() + " orders=" + std::to_string(s.orders);
        for (const auto& t : s.by_currency) out += " " + t.currency + "=" + std::to_string(t.spend);
        return out + ">";
      });
  bind_json_value<CustomerStats>(stats);

  py::class_<patron::RfmScore> rfm(m, "RfmScore",
                                   "A customer's stored RFM scores in one currency (quintiles 1-5) and segment.");
  rfm.def_property_readonly("customer", [](const RfmScore& s) { return str(s.customer.str()); })
      .def_property_readonly("currency", [](const RfmScore& s) { return str(s.currency); })
      .def_property_readonly("recency_days", [](const RfmScore& s) { return s.recency_days; })
      .def_property_readonly("frequency", [](const RfmScore& s) { return s.frequency; })
      .def_property_readonly("monetary", [](const RfmScore& s) { return s.monetary; })
      .def_property_readonly("recency_score", [](const RfmScore& s) { return s.recency_score; })
      .def_property_readonly("frequency_score", [](const RfmScore& s) { return s.frequency_score; })
      .def_property_readonly("monetary_score", [](const RfmScore& s) { return s.monetary_score; })
      .def_property_readonly("segment", [](const RfmScore& s) { return str(to_string(s.segment)); })
      .def_property_readonly("computed_at", [](const RfmScore& s) { return datetime(s.computed_at); })
      .def("__repr__", [](const RfmScore& s) {
        return "<patron.RfmScore " + s.customer.str() + " " + s.currency + " R" + std::to_string(s.recency_score) +
               " F" + std::to_string(s.frequency_score) + " M" + std::to_string(s.monetary_score) + " " +
               std::string(to_string(s.segment)) + ">";
      });
  bind_json_value<RfmScore>(rfm);

  py::class_<patron::ModelFit> fit(m, "ModelFit",
                                   "A stored fit of the predictive model (BG/NBD + Gamma-Gamma) for one currency.");
  fit.def_property_readonly("id", [](const ModelFit& f) { return f.id; })
      .def_property_readonly("currency", [](const ModelFit& f) { return str(f.currency); })
      .def_property_readonly("unit", [](const ModelFit& f) { return str(to_string(f.unit)); })
      .def_property_readonly("cutoff", [](const ModelFit& f) { return datetime(f.cutoff); })
      .def_property_readonly("fitted_at", [](const ModelFit& f) { return datetime(f.fitted_at); })
      .def_property_readonly("customers", [](const ModelFit& f) { return f.customers; })
      .def_property_readonly("bg_nbd", [](const ModelFit& f) { return f.bg_nbd; })
      .def_property_readonly("gamma_gamma", [](const ModelFit& f) { return f.gamma_gamma; })
      .def("__repr__", [](const ModelFit& f) {
        return "<patron.ModelFit " + std::to_string(f.id) + " " + f.currency + " unit=" +
               std::string(to_string(f.unit)) + " cutoff=" + format_timestamp(f.cutoff) +
               " customers=" + std::to_string(f.customers) + " " + bg_repr(f.bg_nbd) + " " + gg_repr(f.gamma_gamma) +
               ">";
      });
  bind_json_forms<ModelFit>(fit);

  py::class_<patron::Prediction> prediction(m, "Prediction",
                                            "What the latest model fit says about one customer "
                                            "(db.analytics.predict()). Money in minor units.");
  prediction.def_property_readonly("customer", [](const Prediction& p) { return str(p.customer.str()); })
      .def_property_readonly("summary", [](const Prediction& p) { return p.summary; })
      .def_property_readonly("probability_alive", [](const Prediction& p) { return p.probability_alive; })
      .def_property_readonly("expected_orders", [](const Prediction& p) { return p.expected_orders; })
      .def_property_readonly("expected_order_value", [](const Prediction& p) { return p.expected_order_value; })
      .def_property_readonly("lifetime_value", [](const Prediction& p) { return p.lifetime_value; })
      .def_property_readonly("next_order_from", [](const Prediction& p) { return datetime(p.next_order_from); })
      .def_property_readonly("next_order_until", [](const Prediction& p) { return datetime(p.next_order_until); })
      .def("__repr__", [](const Prediction& p) {
        return "<patron.Prediction " + p.customer.str() + " probability_alive=" + num(p.probability_alive) +
               " expected_orders=" + num(p.expected_orders) + " lifetime_value=" + num(p.lifetime_value) + ">";
      });
  bind_json_value<Prediction>(prediction);
}

void bind_analytics(py::module_& m) {
  py::class_<PyAnalytics> cls(m, "Analytics",
                              "What customers' orders say about them (db.analytics): totals, RFM scores and the "
                              "predictive model. Cancelled orders never count.");
  using A = PyAnalytics;

  cls.def(
      "stats",
      [](A& self, py::handle ref) {
        std::string r = ref_arg(ref);
        return without_gil(*self.connection, [&](patron::Database& db) { return db.analytics().stats(r); });
      },
      py::arg("ref"), "Orders, spend and average order value per currency, first and last order.");

  cls.def(
      "recompute_rfm",
      [](A& self, py::handle currency, py::handle at) {
        std::string c = text(currency, "currency");
        const std::optional<Timestamp> when = optional_time(at, "at");
        return without_gil(*self.connection,
                           [&](patron::Database& db) { return db.analytics().recompute_rfm(c, when); });
      },
      py::arg("currency"), py::arg("at") = py::none(),
      "Scores every customer with an order in the currency before `at` (now when None), replacing the stored "
      "scores of that currency; returns how many were scored.");

  cls.def(
      "rfm",
      [](A& self, py::handle ref, py::handle currency) {
        std::string r = ref_arg(ref);
        std::string c = text(currency, "currency");
        return optional_record(
            without_gil(*self.connection, [&](patron::Database& db) { return db.analytics().rfm(r, c); }));
      },
      py::arg("ref"), py::arg("currency"), "The customer's stored RFM score in the currency, or None.");

  cls.def(
      "rfm_segment",
      [](A& self, py::handle currency, py::handle segment, py::handle limit, py::handle offset) {
        std::string c = text(currency, "currency");
        const patron::RfmSegment s = patron::parse_rfm_segment(text(segment, "segment"), "segment");
        const patron::Page page = page_arg(limit, offset);
        return object_list(without_gil(*self.connection,
                                       [&](patron::Database& db) { return db.analytics().rfm_segment(c, s, page); }));
      },
      py::arg("currency"), py::arg("segment"), py::arg("limit") = 50, py::arg("offset") = 0,
      "The stored scores of one segment, in customer-number order.");

  cls.def(
      "summaries",
      [](A& self, py::handle currency, py::handle cutoff, py::handle unit) {
        const patron::ModelOptions o = model_options(currency, cutoff, unit);
        const auto rows =
            without_gil(*self.connection, [&](patron::Database& db) { return db.analytics().summaries(o); });
        py::list out(rows.size());
        for (std::size_t i = 0; i < rows.size(); ++i) {
          out[i] = py::make_tuple(str(rows[i].first.str()), py::cast(rows[i].second));
        }
        return out;
      },
      py::arg("currency"), py::arg("cutoff") = py::none(), py::arg("unit") = "weeks",
      "(customer id, patron.clv.Summary) for every customer with an order in the currency before the cut-off, "
      "in customer-number order.");

  cls.def(
      "fit_model",
      [](A& self, py::handle currency, py::handle cutoff, py::handle unit) {
        const patron::ModelOptions o = model_options(currency, cutoff, unit);
        return without_gil(*self.connection, [&](patron::Database& db) { return db.analytics().fit_model(o); });
      },
      py::arg("currency"), py::arg("cutoff") = py::none(), py::arg("unit") = "weeks",
      "Fits BG/NBD and Gamma-Gamma on every customer's summary and stores the fit.");

  cls.def(
      "latest_fit",
      [](A& self, py::handle currency) {
        std::string c = text(currency, "currency");
        return optional_record(
            without_gil(*self.connection, [&](patron::Database& db) { return db.analytics().latest_fit(c); }));
      },
      py::arg("currency"), "The latest stored fit of the currency, or None.");

  const py::object timedelta = py::module_::import("datetime").attr("timedelta");
  const py::object year = timedelta(py::arg("days") = 365);
  const py::object month = timedelta(py::arg("days") = 30);

  cls.def(
      "predict",
      [](A& self, py::handle ref, py::handle currency, py::handle at, py::handle horizon, py::handle period,
         py::handle discount_rate, py::handle coverage) {
        std::string r = ref_arg(ref);
        const patron::PredictionOptions o =
            prediction_options(currency, at, horizon, period, discount_rate, coverage);
        return without_gil(*self.connection, [&](patron::Database& db) { return db.analytics().predict(r, o); });
      },
      py::arg("ref"), py::arg("currency"), py::kw_only(), py::arg("at") = py::none(), py::arg("horizon") = year,
      py::arg("period") = month, py::arg("discount_rate") = 0.01, py::arg("coverage") = 0.8,
      "The latest fit's prediction for the customer from their history up to `at` (now when None).");

  cls.def(
      "predict_all",
      [](A& self, py::handle currency, py::handle at, py::handle horizon, py::handle period, py::handle discount_rate,
         py::handle coverage) {
        const patron::PredictionOptions o =
            prediction_options(currency, at, horizon, period, discount_rate, coverage);
        return object_list(
            without_gil(*self.connection, [&](patron::Database& db) { return db.analytics().predict_all(o); }));
      },
      py::arg("currency"), py::kw_only(), py::arg("at") = py::none(), py::arg("horizon") = year,
      py::arg("period") = month, py::arg("discount_rate") = 0.01, py::arg("coverage") = 0.8,
      "predict() for every customer with an order in the currency before `at`, in customer-number order.");

  cls.def("__repr__", [](const A& self) { return "<patron.Analytics of " + repr_of(self.connection->path) + ">"; });
}

// ---------------------------------------------------------------------------
// Companies.

patron::NewCompany new_company_arg(const py::kwargs& fields) {
  patron::NewCompany c;
  for (auto item : fields) {
    const std::string key = key_of(item.first, "");
    py::handle v = item.second;
    if (key == "name") {
      c.name = optional_text(v, key);
    } else if (key == "sector") {
      c.sector = optional_text(v, key);
    } else if (key == "contact_person") {
      c.contact_person = optional_text(v, key);
    } else if (key == "notes") {
      c.notes = optional_text(v, key);
    } else if (key == "domains") {
      if (!v.is_none()) c.domains = text_list(v, key);
    } else {
      unknown_field(key, "create() takes name, sector, contact_person, notes, domains");
    }
  }
  return c;
}

patron::CompanyUpdate company_update_arg(const py::kwargs& fields) {
  patron::CompanyUpdate u;
  for (auto item : fields) {
    const std::string key = key_of(item.first, "");
    py::handle v = item.second;
    if (key == "name") {
      u.name = optional_text(v, key);
    } else if (key == "sector") {
      u.sector = optional_text(v, key);
    } else if (key == "contact_person") {
      u.contact_person = optional_text(v, key);
    } else if (key == "notes") {
      u.notes = optional_text(v, key);
    } else if (key == "domains") {
      unknown_field(key, "change domains with add_domain() and remove_domain()");
    } else {
      unknown_field(key, "update() takes name, sector, contact_person, notes");
    }
  }
  return u;
}

void bind_company_values(py::module_& m) {
  py::class_<patron::Company> company(m, "Company",
                                      "A read-only snapshot of a company: name, sector, contact person, notes "
                                      "and the email domains it owns. Change it through db.companies.");
  company.def_property_readonly("id", [](const Company& c) { return c.id; })
      .def_property_readonly("name", [](const Company& c) { return str(c.name); })
      .def_property_readonly("sector", [](const Company& c) { return str(c.sector); })
      .def_property_readonly("contact_person", [](const Company& c) { return str(c.contact_person); })
      .def_property_readonly("notes", [](const Company& c) { return str(c.notes); })
      .def_property_readonly("domains", [](const Company& c) { return text_list_out(c.domains); })
      .def_property_readonly("created_at", [](const Company& c) { return datetime(c.created_at); })
      .def_property_readonly("updated_at", [](const Company& c) { return datetime(c.updated_at); })
      .def("__repr__", [](const Company& c) {
        py::list domains = text_list_out(c.domains);
        return "<patron.Company " + std::to_string(c.id) + " name=" + repr_of(c.name) +
               " domains=" + repr_of(domains) + ">";
      });
  bind_json_forms<Company>(company);

  py::class_<patron::CompanyLink> link(m, "CompanyLink",
                                       "A customer's membership of a company, and how it was made: source "
                                       "'email_domain' (with the domain) or 'manual' (with a role and a "
                                       "billing flag).");
  link.def_property_readonly("company", [](const CompanyLink& l) { return l.company; })
      .def_property_readonly("customer", [](const CompanyLink& l) { return str(l.customer.str()); })
      .def_property_readonly("source", [](const CompanyLink& l) { return str(to_string(l.source)); })
      .def_property_readonly("role", [](const CompanyLink& l) { return str(l.role); })
      .def_property_readonly("billing", [](const CompanyLink& l) { return l.billing; })
      .def_property_readonly("domain", [](const CompanyLink& l) { return str(l.domain); })
      .def_property_readonly("linked_at", [](const CompanyLink& l) { return datetime(l.linked_at); })
      .def(
          "to_json",
          [](const CompanyLink& l, py::object indent) -> py::object {
            std::string text_form = patron::json::encode(l);
            if (indent.is_none()) return str(text_form);
            py::object json = json_module();
            return json.attr("dumps")(json.attr("loads")(str(text_form)), py::arg("indent") = indent,
                                      py::arg("ensure_ascii") = false);
          },
          py::arg("indent") = py::none(),
          "The link as JSON text (the schema the C ABI speaks); compact unless indent is given.")
      .def(
          "to_dict", [](const CompanyLink& l) { return json_module().attr("loads")(str(patron::json::encode(l))); },
          "The link as a JSON-compatible dict (the same data and names as to_json()).")
      .def("__repr__", [](const CompanyLink& l) {
        std::string how = l.source == LinkSource::email_domain
                              ? " domain=" + repr_of(l.domain)
                              : " role=" + repr_of(l.role) + " billing=" + (l.billing ? "True" : "False");
        return "<patron.CompanyLink company=" + std::to_string(l.company) + " customer=" + l.customer.str() +
               " source=" + std::string(to_string(l.source)) + how + ">";
      });
  bind_eq<CompanyLink>(link);
  link.def("__hash__", [](const CompanyLink& l) {
    return py::hash(py::make_tuple(l.company, str(l.customer.str()), str(to_string(l.source)), str(l.domain)));
  });
}

void bind_companies(py::module_& m) {
  py::class_<PyCompanies> cls(m, "Companies",
                              "Companies and the customers who belong to them (db.companies). A customer with "
                              "an email at a company domain is linked automatically; every change is atomic.");
  using Co = PyCompanies;

  cls.def(
      "create",
      [](Co& self, const py::kwargs& fields) {
        patron::NewCompany request = new_company_arg(fields);
        return companies_call(*self.connection, [&](patron::Database& db) { return db.companies().create(request); });
      },
      "create(*, name, sector='', contact_person='', notes='', domains=()) -> Company; links the customers "
      "with emails at the domains.");

  cls.def(
      "get",
      [](Co& self, py::handle id) {
        const std::int64_t i = id_arg<patron::Company>(id, "id");
        return companies_call(*self.connection, [&](patron::Database& db) { return db.companies().get(i); });
      },
      py::arg("id"), "The company with that id; raises NotFoundError (field 'id') when there is none.");

  cls.def(
      "update",
      [](Co& self, py::handle id, const py::kwargs& fields) {
        const std::int64_t i = id_arg<patron::Company>(id, "id");
        patron::CompanyUpdate changes = company_update_arg(fields);
        return companies_call(*self.connection,
                           [&](patron::Database& db) { return db.companies().update(i, changes); });
      },
      py::arg("id"), "update(id, *, name=..., sector=..., contact_person=..., notes=...) -> Company; "
                     "only the given fields change, '' or None clears.");

  cls.def(
      "search",
      [](Co& self, py::handle query, py::handle limit, py::handle offset) {
        std::string q = text(query, "text");
        const patron::Page page = page_arg(limit, offset);
        return object_list(
            companies_call(*self.connection, [&](patron::Database& db) { return db.companies().search(q, page); }));
      },
      py::arg("text") = "", py::arg("limit") = 50, py::arg("offset") = 0,
      "Companies whose name starts with text (accent- and case-insensitive), by name; all when empty.");

  cls.def(
      "find_by_domain",
      [](Co& self, py::handle domain) {
        std::string d = text(domain, "domain");
        return optional_record(
            companies_call(*self.connection, [&](patron::Database& db) { return db.companies().find_by_domain(d); }));
      },
      py::arg("domain"), "The company owning the registrable domain of a domain or email address, or None.");

  cls.def(
      "add_domain",
      [](Co& self, py::handle id, py::handle domain) {
        const std::int64_t i = id_arg<patron::Company>(id, "id");
        std::string d = text(domain, "domain");
        return companies_call(*self.connection, [&](patron::Database& db) { return db.companies().add_domain(i, d); });
      },
      py::arg("id"), py::arg("domain"),
      "Adds a domain and links every customer with an email at it; returns how many were newly linked.");

  cls.def(
      "remove_domain",
      [](Co& self, py::handle id, py::handle domain) {
        const std::int64_t i = id_arg<patron::Company>(id, "id");
        std::string d = text(domain, "domain");
        return companies_call(*self.connection,
                           [&](patron::Database& db) { return db.companies().remove_domain(i, d); });
      },
      py::arg("id"), py::arg("domain"),
      "Removes a domain and the links it made (manual links stay); returns how many links were removed.");

  cls.def(
      "link",
      [](Co& self, py::handle id, py::handle customer_ref, py::handle role, py::handle billing) {
        const std::int64_t i = id_arg<patron::Company>(id, "id");
        std::string r = ref_arg(customer_ref);
        std::string how = optional_text(role, "role");
        const bool b = boolean(billing, "billing");
        return companies_call(*self.connection,
                           [&](patron::Database& db) { return db.companies().link(i, r, how, b); });
      },
      py::arg("id"), py::arg("customer_ref"), py::arg("role") = "", py::arg("billing") = false,
      "Links a customer by hand with a role and a billing flag (or updates the manual link).");

  cls.def(
      "unlink",
      [](Co& self, py::handle id, py::handle customer_ref) {
        const std::int64_t i = id_arg<patron::Company>(id, "id");
        std::string r = ref_arg(customer_ref);
        companies_call(*self.connection, [&](patron::Database& db) { db.companies().unlink(i, r); });
      },
      py::arg("id"), py::arg("customer_ref"), "Removes the manual link; links made by email domains stay.");

  cls.def(
      "customers",
      [](Co& self, py::handle id, py::handle limit, py::handle offset) {
        const std::int64_t i = id_arg<patron::Company>(id, "id");
        const patron::Page page = page_arg(limit, offset);
        return object_list(companies_call(
            *self.connection, [&](patron::Database& db) { return db.companies().customers_of(i, page); }));
      },
      py::arg("id"), py::arg("limit") = 50, py::arg("offset") = 0,
      "The company's customers by customer number, each once per link, with how the link was made.");

  cls.def(
      "registrable_domain",
      [](Co& self, py::handle domain) {
        std::string d = text(domain, "domain");
        return str(companies_call(*self.connection,
                               [&](patron::Database& db) { return db.companies().registrable_domain(d); }));
      },
      py::arg("domain"),
      "The registrable domain patron would store for a domain or email; ValidationError (field 'domain') "
      "when it would be refused (a public suffix, a free-mail domain).");

  cls.def("__repr__", [](const Co& self) { return "<patron.Companies of " + repr_of(self.connection->path) + ">"; });
}

// ---------------------------------------------------------------------------
// Memberships.

// A membership named by its id (an int) or by a Membership snapshot.
std::int64_t membership_arg(py::handle value) {
  if (py::isinstance<patron::Membership>(value)) return value.cast<const patron::Membership&>().id;
  return integer(value, "id");
}

void bind_membership_values(py::module_& m) {
  py::class_<patron::Plan> plan(m, "Plan",
                                "A read-only snapshot of a membership plan: name, kind (personal, subscription, "
                                "company), benefits and billing period. Create plans through db.memberships.");
  plan.def_property_readonly("id", [](const Plan& p) { return p.id; })
      .def_property_readonly("name", [](const Plan& p) { return str(p.name); })
      .def_property_readonly("kind", [](const Plan& p) { return str(to_string(p.kind)); })
      .def_property_readonly("benefits", [](const Plan& p) { return str(p.benefits); })
      .def_property_readonly("billing_period", [](const Plan& p) { return str(to_string(p.billing_period)); })
      .def_property_readonly("created_at", [](const Plan& p) { return datetime(p.created_at); })
      .def("__repr__", [](const Plan& p) {
        return "<patron.Plan " + std::to_string(p.id) + " name=" + repr_of(p.name) +
               " kind=" + std::string(to_string(p.kind)) + " billing_period=" + std::string(to_string(p.billing_period)) +
               ">";
      });
  bind_json_forms<Plan>(plan);

  py::class_<patron::Membership> membership(m, "Membership",
                                            "A read-only snapshot of a membership: a plan held by a customer or a "
                                            "company, with start, optional end and status ('expired' once the end "
                                            "has passed). Change it through db.memberships.");
  membership.def_property_readonly("id", [](const Membership& x) { return x.id; })
      .def_property_readonly("plan", [](const Membership& x) { return x.plan; })
      .def_property_readonly("customer",
                             [](const Membership& x) { return optional_customer_id(x.holder.customer); })
      .def_property_readonly("company", [](const Membership& x) { return optional_id(x.holder.company); })
      .def_property_readonly("starts_at", [](const Membership& x) { return datetime(x.starts_at); })
      .def_property_readonly("ends_at", [](const Membership& x) { return datetime(x.ends_at); })
      .def_property_readonly("status", [](const Membership& x) { return str(to_string(x.status)); })
      .def_property_readonly("created_at", [](const Membership& x) { return datetime(x.created_at); })
      .def_property_readonly("updated_at", [](const Membership& x) { return datetime(x.updated_at); })
      .def("__repr__", [](const Membership& x) {
        const std::string holder = x.holder.customer ? " customer=" + x.holder.customer->str()
                                   : x.holder.company ? " company=" + std::to_string(*x.holder.company)
                                                      : std::string();
        return "<patron.Membership " + std::to_string(x.id) + " plan=" + std::to_string(x.plan) + holder +
               " status=" + std::string(to_string(x.status)) + ">";
      });
  bind_json_forms<Membership>(membership);

  py::class_<patron::EffectiveMembership> effective(
      m, "EffectiveMembership",
      "One of a customer's effective memberships (db.memberships.effective()): the membership, and the company "
      "it is inherited from (via_company) or None when it is the customer's own.");
  effective
      .def_property_readonly("membership", [](const EffectiveMembership& e) { return e.membership; })
      .def_property_readonly("via_company", [](const EffectiveMembership& e) { return optional_id(e.via_company); })
      .def(
          "to_json",
          [](const EffectiveMembership& e, py::object indent) -> py::object {
            py::object json = json_module();
            py::object list = json.attr("loads")(str(patron::json::encode(std::vector<EffectiveMembership>{e})));
            py::object d = list[py::int_(0)];
            if (indent.is_none()) {
              return json.attr("dumps")(d, py::arg("separators") = py::make_tuple(",", ":"),
                                        py::arg("ensure_ascii") = false);
            }
            return json.attr("dumps")(d, py::arg("indent") = indent, py::arg("ensure_ascii") = false);
          },
          py::arg("indent") = py::none(),
          "As JSON text (the schema the C ABI speaks); compact unless indent is given.")
      .def(
          "to_dict",
          [](const EffectiveMembership& e) -> py::object {
            py::object list = json_module().attr("loads")(str(patron::json::encode(std::vector<EffectiveMembership>{e})));
            return list[py::int_(0)];
          },
          "As a JSON-compatible dict (the same data and names as to_json()).")
      .def("__repr__", [](const EffectiveMembership& e) {
        return "<patron.EffectiveMembership membership=" + std::to_string(e.membership.id) +
               " plan=" + std::to_string(e.membership.plan) + " via_company=" +
               (e.via_company ? std::to_string(*e.via_company) : std::string("None")) + ">";
      });
  bind_eq<EffectiveMembership>(effective);
  effective.def("__hash__", [](const EffectiveMembership& e) {
    return py::hash(py::make_tuple(e.membership.id, optional_id(e.via_company)));
  });
}

void bind_memberships(py::module_& m) {
  py::class_<PyMemberships> cls(m, "Memberships",
                                "Membership plans and who holds them (db.memberships): customers directly, and "
                                "through the companies they belong to.");
  using Me = PyMemberships;

  cls.def(
      "create_plan",
      [](Me& self, py::handle name, py::handle kind, py::handle benefits, py::handle billing_period) {
        patron::NewPlan request;
        request.name = optional_text(name, "name");
        request.kind = patron::parse_plan_kind(text(kind, "kind"), "kind");
        request.benefits = optional_text(benefits, "benefits");
        request.billing_period =
            patron::parse_billing_period(text(billing_period, "billing_period"), "billing_period");
        return service_call(*self.connection, {},
                                [&](patron::Database& db) { return db.memberships().create_plan(request); });
      },
      py::arg("name"), py::arg("kind") = "personal", py::arg("benefits") = "", py::arg("billing_period") = "none",
      "create_plan(name, kind='personal', benefits='', billing_period='none') -> Plan. Subscriptions need a "
      "billing period ('weekly', 'monthly', 'quarterly', 'yearly'); other kinds take 'none'.");

  cls.def(
      "plan",
      [](Me& self, py::handle id) {
        const std::int64_t i = id_arg<patron::Plan>(id, "id");
        return service_call(*self.connection, {{"plan", "id"}},
                                [&](patron::Database& db) { return db.memberships().plan(i); });
      },
      py::arg("id"), "The plan with that id; raises NotFoundError (field 'id') when there is none.");

  cls.def(
      "plans",
      [](Me& self) {
        return object_list(
            service_call(*self.connection, {}, [&](patron::Database& db) { return db.memberships().plans(); }));
      },
      "Every plan, by name.");

  cls.def(
      "add",
      [](Me& self, py::handle plan, py::handle customer, py::handle company, py::handle starts_at,
         py::handle ends_at) {
        patron::NewMembership request;
        request.plan = id_arg<patron::Plan>(plan, "plan");
        if (!customer.is_none()) request.customer_ref = ref_arg(customer);
        if (!company.is_none()) {
          request.company = py::isinstance<patron::Company>(company) ? company.cast<const patron::Company&>().id
                                                                      : integer(company, "company");
        }
        if (!starts_at.is_none()) request.starts_at = timestamp(starts_at, "starts_at");
        if (!ends_at.is_none()) request.ends_at = timestamp(ends_at, "ends_at");
        return service_call(*self.connection, {{"ref", "customer"}, {"holder", "customer"}},
                                [&](patron::Database& db) { return db.memberships().add(request); });
      },
      py::arg("plan"), py::arg("customer") = py::none(), py::arg("company") = py::none(),
      py::arg("starts_at") = py::none(), py::arg("ends_at") = py::none(),
      "add(plan, customer=None, company=None, starts_at=None, ends_at=None) -> Membership; held by a customer "
      "(a ref) or a company (an id), starting now unless told; subscriptions end one period after the start "
      "unless told.");

  cls.def(
      "get",
      [](Me& self, py::handle id) {
        const std::int64_t i = membership_arg(id);
        return service_call(*self.connection, {{"membership", "id"}},
                                [&](patron::Database& db) { return db.memberships().get(i); });
      },
      py::arg("id"), "The membership with that id; raises NotFoundError (field 'id') when there is none.");

  cls.def(
      "set_status",
      [](Me& self, py::handle id, py::handle status) {
        const std::int64_t i = membership_arg(id);
        const patron::MembershipStatus st = patron::parse_membership_status(text(status, "status"), "status");
        return service_call(*self.connection, {{"membership", "id"}},
                                [&](patron::Database& db) { return db.memberships().set_status(i, st); });
      },
      py::arg("id"), py::arg("status"),
      "Sets 'active', 'paused' or 'cancelled' (final); 'expired' cannot be set. Returns the Membership.");

  cls.def(
      "renew",
      [](Me& self, py::handle id) {
        const std::int64_t i = membership_arg(id);
        return service_call(*self.connection, {{"membership", "id"}},
                                [&](patron::Database& db) { return db.memberships().renew(i); });
      },
      py::arg("id"),
      "Subscriptions only: moves the end by one billing period (PreconditionError otherwise). Returns the "
      "Membership.");

  cls.def(
      "effective",
      [](Me& self, py::handle customer_ref) {
        std::string r = ref_arg(customer_ref);
        return object_list(service_call(*self.connection, {{"customer", "ref"}, {"customer_ref", "ref"}},
                                            [&](patron::Database& db) { return db.memberships().effective(r); }));
      },
      py::arg("ref"),
      "The customer's own memberships and those of their companies, by start, each with via_company.");

  cls.def(
      "of_company",
      [](Me& self, py::handle company_id) {
        const std::int64_t c = py::isinstance<patron::Company>(company_id)
                                   ? company_id.cast<const patron::Company&>().id
                                   : integer(company_id, "company_id");
        return object_list(service_call(*self.connection, {{"company", "company_id"}, {"id", "company_id"}},
                                            [&](patron::Database& db) { return db.memberships().of_company(c); }));
      },
      py::arg("company_id"), "A company's own memberships, by start.");

  cls.def(
      "has_active_membership",
      [](Me& self, py::handle customer_ref, py::handle plan, py::handle at) {
        std::string r = ref_arg(customer_ref);
        const std::int64_t p = id_arg<patron::Plan>(plan, "plan");
        std::optional<Timestamp> when;
        if (!at.is_none()) when = timestamp(at, "at");
        return service_call(*self.connection, {{"customer", "ref"}, {"customer_ref", "ref"}},
                                [&](patron::Database& db) {
                                  return db.memberships().has_active_membership(r, p, when);
                                });
      },
      py::arg("ref"), py::arg("plan"), py::arg("at") = py::none(),
      "Whether the customer holds (on their own or through a company) an active membership of the plan at "
      "`at` (now when None): not paused or cancelled, and starts_at <= at < ends_at.");

  cls.def("__repr__",
          [](const Me& self) { return "<patron.Memberships of " + repr_of(self.connection->path) + ">"; });
}

// ---------------------------------------------------------------------------

void bind_database(py::module_& m) {
  py::class_<PyDatabase> cls(m, "Database",
                             "An open patron database (patron.open()). Safe to share between threads; "
                             "use it as a context manager or call close().");

  cls.def_property_readonly(
         "customers", [](PyDatabase& self) -> PyCustomers& { return self.customers; },
         py::return_value_policy::reference_internal)
      .def_property_readonly(
          "orders", [](PyDatabase& self) -> PyOrders& { return self.orders; },
          py::return_value_policy::reference_internal)
      .def_property_readonly(
          "bookings", [](PyDatabase& self) -> PyBookings& { return self.bookings; },
          py::return_value_policy::reference_internal)
      .def_property_readonly(
          "enquiries", [](PyDatabase& self) -> PyEnquiries& { return self.enquiries; },
          py::return_value_policy::reference_internal)
      .def_property_readonly(
          "analytics", [](PyDatabase& self) -> PyAnalytics& { return self.analytics; },
          py::return_value_policy::reference_internal)
      .def_property_readonly(
          "companies", [](PyDatabase& self) -> PyCompanies& { return self.companies; },
          py::return_value_policy::reference_internal)
      .def_property_readonly(
          "memberships", [](PyDatabase& self) -> PyMemberships& { return self.memberships; },
          py::return_value_policy::reference_internal)
      .def_property_readonly(
          "credentials", [](PyDatabase& self) -> PyCredentials& { return self.credentials; },
          py::return_value_policy::reference_internal)
      .def_property_readonly(
          "doors", [](PyDatabase& self) -> PyDoors& { return self.doors; }, py::return_value_policy::reference_internal)
      .def_property_readonly(
          "connections", [](PyDatabase& self) -> PyConnections& { return self.connections; },
          py::return_value_policy::reference_internal)
      .def_property_readonly(
          "activity", [](PyDatabase& self) -> PyActivity& { return self.activity; },
          py::return_value_policy::reference_internal)
      .def_property_readonly(
          "notes", [](PyDatabase& self) -> PyNotes& { return self.notes; }, py::return_value_policy::reference_internal)
      .def_property_readonly(
          "documents", [](PyDatabase& self) -> PyDocuments& { return self.documents; },
          py::return_value_policy::reference_internal)
      .def_property_readonly(
          "custom_fields", [](PyDatabase& self) -> PyCustomFields& { return self.custom_fields; },
          py::return_value_policy::reference_internal)
      .def_property_readonly(
          "purses", [](PyDatabase& self) -> PyPurses& { return self.purses; },
          py::return_value_policy::reference_internal)
      .def_property_readonly(
          "loyalty", [](PyDatabase& self) -> PyLoyalty& { return self.loyalty; },
          py::return_value_policy::reference_internal)
      .def_property_readonly(
          "promotions", [](PyDatabase& self) -> PyPromotions& { return self.promotions; },
          py::return_value_policy::reference_internal)
      .def_property_readonly(
          "visits", [](PyDatabase& self) -> PyVisits& { return self.visits; },
          py::return_value_policy::reference_internal)
      .def(
          "identify",
          [](PyDatabase& self, py::handle token) {
            std::string t = text(token, "token");
            return object_list(without_gil(*self.connection, [&](patron::Database& db) { return db.identify(t); }));
          },
          py::arg("token"),
          "Customers matching an id, customer number, credential, email or phone, with what matched.")
      .def(
          "identify_ids",
          [](PyDatabase& self, py::handle token) {
            std::string t = text(token, "token");
            std::vector<CustomerId> ids =
                without_gil(*self.connection, [&](patron::Database& db) { return db.identify_ids(t); });
            py::list out(ids.size());
            for (std::size_t i = 0; i < ids.size(); ++i) out[i] = str(ids[i].str());
            return out;
          },
          py::arg("token"), "Ids only (the hot path): same matching and order as identify().")
      .def(
          "identify_credential",
          [](PyDatabase& self, py::handle token, py::handle at) {
            return identify_credential(*self.connection, token, at);
          },
          py::arg("token"), py::arg("at") = py::none(),
          "The credential a token names and whether it identifies its holder at `at` (now when None), or why "
          "not: a CredentialCheck.")
      .def(
          "credential_holder",
          [](PyDatabase& self, py::handle token, py::handle at) {
            return credential_holder(*self.connection, token, at);
          },
          py::arg("token"), py::arg("at") = py::none(),
          "The hot path for card readers: the id of the holder of the usable credential `token` names at `at` "
          "(now when None), or None. Only credentials count; no profile load.")
      .def_property_readonly(
          "schema_version",
          [](PyDatabase& self) {
            return without_gil(*self.connection, [](patron::Database& db) { return db.schema_version(); });
          })
      .def_property_readonly("default_region",
                             [](PyDatabase& self) { return str(self.connection->get()->options().default_region); })
      .def_property_readonly("path", [](PyDatabase& self) { return str(self.connection->path); })
      .def_property_readonly("closed", [](PyDatabase& self) { return !self.connection->db; })
      .def(
          "close", [](PyDatabase& self) { drop(std::move(self.connection->db)); },
          "Closes the database; later calls raise PreconditionError. Closing twice is allowed.")
      .def("__enter__", [](py::object self) { return self; })
      .def(
          "__exit__",
          [](PyDatabase& self, py::args) {
            drop(std::move(self.connection->db));
            return false;
          })
      .def("__repr__", [](PyDatabase& self) {
        return std::string("<patron.Database ") + repr_of(self.connection->path) +
               (self.connection->db ? "" : " (closed)") + ">";
      });

  m.def(
      "open",
      [](py::handle path_arg, py::handle default_region, py::handle clock, py::handle synchronous,
         py::handle busy_timeout_ms, py::handle max_readers, py::handle free_mail_domains,
         py::handle max_document_bytes) {
        const std::string file = path(path_arg, "path");
        patron::Options options;
        options.default_region = text(default_region, "default_region");
        if (!clock.is_none()) {
          if (PyCallable_Check(clock.ptr()) == 0) {
            throw py::type_error(std::string("clock must be callable, not ") + Py_TYPE(clock.ptr())->tp_name);
          }
          options.clock = make_clock(py::reinterpret_borrow<py::object>(clock));
        }
        const std::string sync = text(synchronous, "synchronous");
        if (sync == "normal") {
          options.synchronous = Synchronous::normal;
        } else if (sync == "full") {
          options.synchronous = Synchronous::full;
        } else {
          throw patron::Error(Errc::invalid_argument, "synchronous: must be \"normal\" or \"full\"", "synchronous");
        }
        const std::int64_t busy = integer(busy_timeout_ms, "busy_timeout_ms");
        if (busy < 0) {
          throw patron::Error(Errc::invalid_argument, "busy_timeout_ms: must not be negative", "busy_timeout_ms");
        }
        options.busy_timeout = std::chrono::milliseconds{busy};
        const std::int64_t readers = integer(max_readers, "max_readers");
        if (readers < 0 || readers > 1024) {
          throw patron::Error(Errc::invalid_argument, "max_readers: must be between 0 and 1024", "max_readers");
        }
        options.max_readers = static_cast<unsigned>(readers);
        if (!free_mail_domains.is_none()) options.free_mail_domains = text_list(free_mail_domains, "free_mail_domains");
        options.max_document_bytes = integer(max_document_bytes, "max_document_bytes");
        if (options.max_document_bytes <= 0) {
          throw patron::Error(Errc::invalid_argument, "max_document_bytes: must be positive", "max_document_bytes");
        }

        auto connection = std::make_shared<Connection>();
        connection->path = file;
        {
          py::gil_scoped_release release;
          connection->db = std::make_shared<patron::Database>(patron::Database::open(file, std::move(options)));
        }
        return std::make_unique<PyDatabase>(std::move(connection));
      },
      py::arg("path"), py::kw_only(), py::arg("default_region") = "GB", py::arg("clock") = py::none(),
      py::arg("synchronous") = "normal", py::arg("busy_timeout_ms") = 5000, py::arg("max_readers") = 8,
      py::arg("free_mail_domains") = py::tuple(), py::arg("max_document_bytes") = patron::Options{}.max_document_bytes,
      "Opens (creating or upgrading) a patron database file, or \":memory:\".");
}

}  // namespace
}  // namespace patron::python

PYBIND11_MODULE(_patron, m) {
  namespace pp = patron::python;
  m.doc() = "patron's C++ core, bound for Python. Import the `patron` package rather than this module.";
  pp::init_datetime();

  pybind11::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const patron::Error& e) {
      pp::set_python_error(e);
    }
  });

  pp::bind_values(m);
  pp::bind_customers(m);
  pp::bind_commerce_values(m);
  pp::bind_commerce(m);
  pp::bind_clv_values(m);
  pp::bind_clv_functions(m);
  pp::bind_analytics_values(m);
  pp::bind_analytics(m);
  pp::bind_company_values(m);
  pp::bind_companies(m);
  pp::bind_membership_values(m);
  pp::bind_memberships(m);
  pp::bind_access(m);
  pp::bind_graph(m);
  pp::bind_activity(m);
  pp::bind_notes(m);
  pp::bind_fields(m);
  pp::bind_purses(m);
  pp::bind_loyalty(m);
  pp::bind_promotions(m);
  pp::bind_database(m);
  m.attr("__version__") = PATRON_CXX_VERSION;
}
