// The social graph, bound for Python:
//   db.connections.connect(ana, bo, "friend")        -> Connection
//   db.connections.record_referral(ana, bo)          -> Referral
//   db.connections.infer(max_company_size=500)       -> InferenceReport
//   db.connections.neighbours(ana, hops=2)           -> [Neighbour]
//   db.connections.to_dot(ana)                       -> str (Graphviz)
// The rules of module.cpp hold here too (binding.hpp). `from` is a Python
// keyword: the argument and attribute are `from_`, while errors and the
// JSON form name the field "from", as the C++ API and the C ABI do.
#include <pybind11/pybind11.h>

#include <climits>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "binding.hpp"
#include "convert.hpp"
#include "patron/connections.hpp"

namespace patron::python {
namespace {

// A connection named by its id (an int) or by a Connection snapshot.
std::int64_t connection_arg(py::handle value) {
  if (py::isinstance<patron::Connection>(value)) return value.cast<const patron::Connection&>().id;
  return integer(value, "id");
}

// An int in [0, high] for the core to judge (out of that range it is refused
// here, naming the field with the core's rule).
std::int64_t bounded(py::handle value, std::string_view field, std::int64_t high, std::string_view rule) {
  const std::int64_t v = integer(value, field);
  if (v < 0 || v > high) {
    throw patron::Error(Errc::invalid_argument, std::string(field) + ": " + std::string(rule), std::string(field));
  }
  return v;
}

unsigned hops_arg(py::handle value) {
  return static_cast<unsigned>(bounded(value, "hops", UINT_MAX, "must be between 1 and 6"));
}

std::size_t limit_arg(py::handle value) {
  return static_cast<std::size_t>(bounded(value, "limit", INT64_MAX, "must be between 1 and 10000"));
}

void bind_graph_values(py::module_& m) {
  py::class_<patron::Connection> connection(
      m, "Connection",
      "A read-only snapshot of a connection between two customers: from_ and to (customer ids), type "
      "('colleague', 'friend', 'relative', 'acquaintance', 'referral' or a custom label), source ('manual' or "
      "'inferred'), note. Only referrals have a direction (from_ referred to).");
  connection.def_property_readonly("id", [](const patron::Connection& c) { return c.id; })
      .def_property_readonly("from_", [](const patron::Connection& c) { return str(c.from.str()); })
      .def_property_readonly("to", [](const patron::Connection& c) { return str(c.to.str()); })
      .def_property_readonly("type", [](const patron::Connection& c) { return str(c.type); })
      .def_property_readonly("source", [](const patron::Connection& c) { return str(to_string(c.source)); })
      .def_property_readonly("note", [](const patron::Connection& c) { return str(c.note); })
      .def_property_readonly("created_at", [](const patron::Connection& c) { return datetime(c.created_at); })
      .def_property_readonly("directed", [](const patron::Connection& c) { return c.directed(); })
      .def("__repr__", [](const patron::Connection& c) {
        return "<patron.Connection " + std::to_string(c.id) + " " + c.from.str() + (c.directed() ? " -> " : " -- ") +
               c.to.str() + " type=" + repr_of(c.type) + " source=" + std::string(to_string(c.source)) + ">";
      });
  bind_json_forms<patron::Connection>(connection);

  py::class_<patron::Referral> referral(m, "Referral",
                                        "Who brought a customer in: referrer and referred (customer ids), a note "
                                        "and when it was recorded.");
  referral.def_property_readonly("referrer", [](const Referral& r) { return str(r.referrer.str()); })
      .def_property_readonly("referred", [](const Referral& r) { return str(r.referred.str()); })
      .def_property_readonly("note", [](const Referral& r) { return str(r.note); })
      .def_property_readonly("at", [](const Referral& r) { return datetime(r.at); })
      .def("__repr__", [](const Referral& r) {
        return "<patron.Referral " + r.referrer.str() + " -> " + r.referred.str() + ">";
      });
  bind_json_value<Referral>(referral);
  referral.def("__hash__", [](const Referral& r) { return py::hash(str(r.referred.str())); });

  py::class_<patron::Neighbour> neighbour(m, "Neighbour",
                                          "A customer found by db.connections.neighbours(): its id, how many hops "
                                          "from the start, and via whom (at distance - 1) it was first reached.");
  neighbour.def_property_readonly("id", [](const Neighbour& n) { return str(n.id.str()); })
      .def_property_readonly("distance", [](const Neighbour& n) { return n.distance; })
      .def_property_readonly("via", [](const Neighbour& n) { return str(n.via.str()); })
      .def("__repr__", [](const Neighbour& n) {
        return "<patron.Neighbour " + n.id.str() + " distance=" + std::to_string(n.distance) + " via=" + n.via.str() +
               ">";
      });
  bind_json_value<Neighbour>(neighbour);
  neighbour.def("__hash__", [](const Neighbour& n) {
    return py::hash(py::make_tuple(str(n.id.str()), n.distance, str(n.via.str())));
  });

  py::class_<patron::InferenceReport> report(m, "InferenceReport",
                                             "What db.connections.infer() did: colleague and referral connections "
                                             "added, stale inferred colleagues removed, companies skipped for size.");
  report.def_property_readonly("colleagues_added", [](const InferenceReport& r) { return r.colleagues_added; })
      .def_property_readonly("referrals_added", [](const InferenceReport& r) { return r.referrals_added; })
      .def_property_readonly("removed", [](const InferenceReport& r) { return r.removed; })
      .def_property_readonly("companies_skipped", [](const InferenceReport& r) { return r.companies_skipped; })
      .def("__repr__", [](const InferenceReport& r) {
        return "<patron.InferenceReport colleagues_added=" + std::to_string(r.colleagues_added) +
               " referrals_added=" + std::to_string(r.referrals_added) + " removed=" + std::to_string(r.removed) +
               " companies_skipped=" + std::to_string(r.companies_skipped) + ">";
      });
  bind_json_value<InferenceReport>(report);
}

void bind_connections(py::module_& m) {
  py::class_<PyConnections> cls(m, "Connections",
                                "The social graph (db.connections): typed, bidirectional connections between "
                                "customers, manual or inferred from companies and referrals.");
  using G = PyConnections;

  cls.def(
      "connect",
      [](G& self, py::handle from, py::handle to, py::handle type, py::handle note) {
        patron::NewConnection request{ref_arg(from, "from"), ref_arg(to, "to"), text(type, "type"),
                                      optional_text(note, "note")};
        return service_call(*self.connection, {},
                            [&](patron::Database& db) { return db.connections().connect(request); });
      },
      py::arg("from_"), py::arg("to"), py::arg("type"), py::arg("note") = "",
      "connect(from_, to, type, note='') -> Connection. Makes an inferred connection of the type between the "
      "pair manual (keeping its id); AlreadyExistsError (field 'type') for a manual one.");

  cls.def(
      "disconnect",
      [](G& self, py::handle id) {
        const std::int64_t i = connection_arg(id);
        service_call(*self.connection, {}, [&](patron::Database& db) { db.connections().disconnect(i); });
      },
      py::arg("id"), "Removes the connection (manual or inferred; infer() may make an inferred one again).");

  cls.def(
      "get",
      [](G& self, py::handle id) {
        const std::int64_t i = connection_arg(id);
        return service_call(*self.connection, {}, [&](patron::Database& db) { return db.connections().get(i); });
      },
      py::arg("id"), "The connection with that id; raises NotFoundError (field 'id') when there is none.");

  cls.def(
      "of_customer",
      [](G& self, py::handle customer_ref, py::handle type) {
        std::string r = ref_arg(customer_ref);
        std::string t = optional_text(type, "type");
        return object_list(service_call(*self.connection, {},
                                        [&](patron::Database& db) { return db.connections().of_customer(r, t); }));
      },
      py::arg("ref"), py::arg("type") = py::none(),
      "The customer's connections, either end, optionally of one type: by type, then the other customer's "
      "number, then id.");

  cls.def(
      "record_referral",
      [](G& self, py::handle referrer, py::handle referred, py::handle note) {
        std::string from = ref_arg(referrer, "referrer");
        std::string to = ref_arg(referred, "referred");
        std::string n = optional_text(note, "note");
        return service_call(*self.connection, {},
                            [&](patron::Database& db) { return db.connections().record_referral(from, to, n); });
      },
      py::arg("referrer"), py::arg("referred"), py::arg("note") = "",
      "Records who brought the customer in (at most one referrer each). Returns the Referral.");

  cls.def(
      "referrer_of",
      [](G& self, py::handle customer_ref) -> py::object {
        std::string r = ref_arg(customer_ref);
        return optional_record(
            service_call(*self.connection, {}, [&](patron::Database& db) { return db.connections().referrer_of(r); }));
      },
      py::arg("ref"), "The Referral that brought the customer in, or None.");

  cls.def(
      "referrals_by",
      [](G& self, py::handle customer_ref) {
        std::string r = ref_arg(customer_ref);
        return object_list(
            service_call(*self.connection, {}, [&](patron::Database& db) { return db.connections().referrals_by(r); }));
      },
      py::arg("ref"), "Everyone the customer referred, by time.");

  cls.def(
      "infer",
      [](G& self, py::handle max_company_size) {
        patron::InferenceOptions options;
        options.max_company_size = static_cast<std::size_t>(
            bounded(max_company_size, "max_company_size", INT64_MAX, "must be at least 2"));
        return service_call(*self.connection, {},
                            [&](patron::Database& db) { return db.connections().infer(options); });
      },
      py::kw_only(), py::arg("max_company_size") = 500,
      "Turns facts into inferred connections, in one transaction: customers of the same company become "
      "'colleague' (companies larger than max_company_size are skipped), referrals become 'referral'. Never "
      "overwrites manual connections. Returns an InferenceReport.");

  cls.def(
      "neighbours",
      [](G& self, py::handle customer_ref, py::handle hops, py::handle limit) {
        std::string r = ref_arg(customer_ref);
        const unsigned h = hops_arg(hops);
        const std::size_t l = limit_arg(limit);
        return object_list(service_call(*self.connection, {},
                                        [&](patron::Database& db) { return db.connections().neighbours(r, h, l); }));
      },
      py::arg("ref"), py::arg("hops") = 1, py::arg("limit") = 1000,
      "Customers within `hops` (1-6) of the customer, not the customer, nearest first, then by customer number; "
      "at most `limit` (1-10000).");

  cls.def(
      "to_dot",
      [](G& self, py::handle customer_ref, py::handle hops, py::handle limit) {
        std::string r = ref_arg(customer_ref);
        const unsigned h = hops_arg(hops);
        const std::size_t l = limit_arg(limit);
        return str(
            service_call(*self.connection, {}, [&](patron::Database& db) { return db.connections().to_dot(r, h, l); }));
      },
      py::arg("ref"), py::arg("hops") = 1, py::arg("limit") = 200,
      "The neighbourhood (as neighbours() finds it) and every connection among it as Graphviz DOT text.");

  cls.def("__repr__",
          [](const G& self) { return "<patron.Connections of " + repr_of(self.connection->path) + ">"; });
}

}  // namespace

void bind_graph(py::module_& m) {
  bind_graph_values(m);
  bind_connections(m);
}

}  // namespace patron::python
