// Orders, bookings and enquiries the host pushes in, bound for Python:
//   db.orders.record(customer=..., source=..., ...)  -> Pushed (.record: Order)
//   db.orders.add_payment(id, amount=..., method=...) -> Order
//   db.bookings.reschedule(id, starts_at, ends_at)    -> Booking
//   db.orders / db.bookings / db.enquiries .get(id), .find(source, external_ref),
//   .set_status(id, status), .list(ref, statuses=..., since=..., until=...)
// and RecordSummary (a line of db.customers.history()). The rules of
// module.cpp hold here too (binding.hpp). Money is in minor units.
#include <pybind11/pybind11.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "binding.hpp"
#include "convert.hpp"
#include "patron/commerce.hpp"
#include "patron/json.hpp"
#include "patron/orders.hpp"

namespace patron::python {
namespace {

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

void bind_commerce_service(py::module_& m) {
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

}  // namespace

void bind_commerce(py::module_& m) {
  bind_commerce_values(m);
  bind_commerce_service(m);
}

}  // namespace patron::python
