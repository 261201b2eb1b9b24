// patron._patron: the C++ API of patron, bound for Python.
//
// Shape (see bindings/python/patron/_patron.pyi for the typed surface):
//   db = patron.open(path, default_region="GB", clock=None, ...)
//   db.customers.create(first_name=..., email=...)  -> Customer
//   db.identify(token)                              -> [Identification]
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

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "convert.hpp"
#include "patron/patron.hpp"

namespace patron::python {
namespace {

// ---------------------------------------------------------------------------
// The open database, shared by a Database object and its Customers object.
// Calls copy the shared_ptr (with the GIL held) before releasing the GIL, so
// close() from another thread never pulls the database from under a call in
// flight: the last call out closes it.

struct Connection {
  std::shared_ptr<patron::Database> db;
  std::string path;

  std::shared_ptr<patron::Database> get() const {
    if (!db) throw patron::Error(Errc::failed_precondition, "the database is closed");
    return db;
  }
};
using ConnectionPtr = std::shared_ptr<Connection>;

// Drops a database reference; closing may flush the WAL, so it runs without
// the GIL when this thread holds it.
void drop(std::shared_ptr<patron::Database> db) noexcept {
  if (!db) return;
  if (Py_IsInitialized() != 0 && PyGILState_Check() != 0) {
    PyThreadState* state = PyEval_SaveThread();
    db.reset();
    PyEval_RestoreThread(state);
  } else {
    db.reset();
  }
}

// Runs f(database) with the GIL released. Arguments must already be C++
// values: nothing in f may touch a Python object.
template <class F>
auto without_gil(const Connection& connection, F&& f) {
  std::shared_ptr<patron::Database> db = connection.get();
  py::gil_scoped_release release;
  return std::forward<F>(f)(*db);
}

struct PyCustomers {
  ConnectionPtr connection;
};

struct PyDatabase {
  ConnectionPtr connection;
  PyCustomers customers;

  explicit PyDatabase(ConnectionPtr c) : connection(c), customers{std::move(c)} {}
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

// A customer reference: a str (id in any UUID form, or a customer number) or
// a Customer object (its id).
std::string ref_arg(py::handle value) {
  if (py::isinstance<patron::Customer>(value)) return value.cast<const patron::Customer&>().id.str();
  return text(value, "ref");
}

// A mapping as a dict (dict itself, or anything dict() accepts as a mapping).
py::dict as_dict(py::handle value, std::string_view field) {
  if (PyDict_Check(value.ptr())) return py::reinterpret_borrow<py::dict>(value);
  if (!py::hasattr(value, "keys")) {
    throw py::type_error(std::string(field.empty() ? "value" : field) + " must be a dict, not " +
                         Py_TYPE(value.ptr())->tp_name);
  }
  return py::dict(py::reinterpret_borrow<py::object>(value));
}

std::string key_of(py::handle key, std::string_view prefix) {
  if (!PyUnicode_Check(key.ptr())) {
    throw py::type_error(std::string(prefix) + " field names must be str, not " + Py_TYPE(key.ptr())->tp_name);
  }
  return text(key, std::string(prefix) + "<key>");
}

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
  for (py::handle item : value) out.push_back(address_arg(item, field + "[" + std::to_string(out.size()) + "]"));
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
    } else {
      unknown_field(f,
                    "a new customer has number, title, first_name, last_name, email, phone, phone_label, "
                    "date_of_birth, lifecycle_stage, tags, addresses, emergency_contact");
    }
  }
  return r;
}

std::vector<patron::NewCustomer> new_customer_list(py::handle value) {
  if (PyUnicode_Check(value.ptr()) || PyDict_Check(value.ptr()) || !py::isinstance<py::iterable>(value)) {
    throw py::type_error(std::string("requests must be a list of dicts, not ") + Py_TYPE(value.ptr())->tp_name);
  }
  std::vector<patron::NewCustomer> out;
  for (py::handle item : value) out.push_back(new_customer_arg(item, "[" + std::to_string(out.size()) + "]."));
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
// Results: C++ values -> Python.

template <class T>
py::list object_list(const std::vector<T>& items) {
  py::list out(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) out[i] = py::cast(items[i], py::return_value_policy::copy);
  return out;
}

template <class T>
py::list object_list(std::vector<T>&& items) {
  py::list out(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) out[i] = py::cast(std::move(items[i]));
  return out;
}

py::list text_list_out(const std::vector<std::string>& items) {
  py::list out(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) out[i] = str(items[i]);
  return out;
}

py::object optional_customer(std::optional<patron::Customer>&& c) {
  if (!c) return py::none();
  return py::cast(std::move(*c));
}

std::string repr_of(std::string_view s) { return py::repr(str(s)).cast<std::string>(); }
std::string repr_of(const py::object& o) { return py::repr(o).cast<std::string>(); }

std::string display_name(const patron::Customer& c) {
  std::string name = c.first_name;
  if (!c.last_name.empty()) name += (name.empty() ? "" : " ") + c.last_name;
  if (name.empty()) {
    if (const Email* e = c.primary_email()) name = e->address;
  }
  return name;
}

py::object json_module() { return py::module_::import("json"); }

// Binds == to operator== (NotImplemented against other types).
template <class T, class Cls>
void bind_eq(Cls& cls) {
  cls.def("__eq__", [](const T& a, py::handle b) -> py::object {
    if (!py::isinstance<T>(b)) return py::reinterpret_borrow<py::object>(Py_NotImplemented);
    return py::bool_(a == b.cast<const T&>());
  });
  cls.def("__ne__", [](const T& a, py::handle b) -> py::object {
    if (!py::isinstance<T>(b)) return py::reinterpret_borrow<py::object>(Py_NotImplemented);
    return py::bool_(!(a == b.cast<const T&>()));
  });
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
        return without_gil(*self.connection, [&](patron::Database& db) { return db.customers().create(request); });
      },
      "create(*, first_name=..., last_name=..., email=..., phone=..., ...) -> Customer");

  cls.def(
      "create_many",
      [](C& self, py::handle requests) {
        std::vector<patron::NewCustomer> list = new_customer_list(requests);
        return object_list(without_gil(*self.connection, [&](patron::Database& db) {
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
        return optional_customer(
            without_gil(*self.connection, [&](patron::Database& db) { return db.customers().find(r); }));
      },
      py::arg("ref"), "The customer named by id or number, or None.");

  cls.def(
      "find_by_email",
      [](C& self, py::handle email) {
        std::string e = text(email, "email");
        return optional_customer(
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

  cls.def("__repr__", [](const C& self) { return "<patron.Customers of " + repr_of(self.connection->path) + ">"; });
}

// ---------------------------------------------------------------------------

void bind_database(py::module_& m) {
  py::class_<PyDatabase> cls(m, "Database",
                             "An open patron database (patron.open()). Safe to share between threads; "
                             "use it as a context manager or call close().");

  cls.def_property_readonly(
         "customers", [](PyDatabase& self) -> PyCustomers& { return self.customers; },
         py::return_value_policy::reference_internal)
      .def(
          "identify",
          [](PyDatabase& self, py::handle token) {
            std::string t = text(token, "token");
            return object_list(without_gil(*self.connection, [&](patron::Database& db) { return db.identify(t); }));
          },
          py::arg("token"), "Customers matching an id, customer number, email or phone, with what matched.")
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
         py::handle busy_timeout_ms, py::handle max_readers) {
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
  pp::bind_database(m);
  m.attr("__version__") = PATRON_CXX_VERSION;
}
