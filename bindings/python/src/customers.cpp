// Customers, bound for Python:
//   db.customers.create(first_name=..., email=...)  -> Customer
//   db.customers.get(ref), .find(ref), .search(text), .history(ref)
//   db.customers.update(ref, title=...), .add_email(ref, email), .ban(ref, reason, by)
// and the values a customer is made of (Email, Phone, Address,
// EmergencyContact, Ban, Customer) and Identification (db.identify()).
// The rules of module.cpp hold here too (binding.hpp).
#include <pybind11/pybind11.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "binding.hpp"
#include "convert.hpp"
#include "patron/companies.hpp"
#include "patron/customer.hpp"
#include "patron/customers.hpp"
#include "patron/json.hpp"

namespace patron::python {
namespace {

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

}  // namespace

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

namespace {

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

void bind_customer_values(py::module_& m) {
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

void bind_customers_service(py::module_& m) {
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

  bind_merge(m, cls);
}

}  // namespace

void bind_customers(py::module_& m) {
  bind_customer_values(m);
  bind_customers_service(m);
}

}  // namespace patron::python
