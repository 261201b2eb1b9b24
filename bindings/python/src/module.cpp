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
//   fit_bg_nbd(summaries), probability_alive(...)   -> the pure model (patron.clv)
//
// This file binds the Database (patron.open, db.identify, the services'
// properties) and holds PYBIND11_MODULE. Each area has its own file, named
// as in capi/src/ (binding.hpp declares them): db.customers and
// Identification (customers.cpp), db.orders / db.bookings / db.enquiries
// (commerce.cpp), db.analytics and patron.clv (analytics.cpp), db.companies
// (companies.cpp), db.memberships (memberships.cpp), db.credentials /
// db.doors (access.cpp), db.connections (graph.cpp), db.activity and
// patron.acting_as (activity.cpp), db.notes / db.documents (notes.cpp),
// db.custom_fields (fields.cpp), db.purses (purses.cpp), db.loyalty
// (loyalty.cpp), db.promotions / db.visits (promotions.cpp).
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

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "binding.hpp"
#include "convert.hpp"
#include "patron/database.hpp"
#include "patron/version.hpp"

namespace patron::python {
namespace {

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
  PyConsent consent;
  PyPrivacy privacy;
  PyDuplicates duplicates;
  PyImports imports;
  PyExports exports;

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
        visits{c},
        consent{c},
        privacy{c},
        duplicates{c},
        imports{c},
        exports{std::move(c)} {}
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

void bind_database(py::module_& m) {
  py::class_<BackupReport> backup(m, "BackupReport", "A backup: the new file's path, its size and schema version.");
  backup.def_property_readonly("path", [](const BackupReport& r) { return str(r.path); })
      .def_readonly("bytes", &BackupReport::bytes)
      .def_readonly("schema_version", &BackupReport::schema_version)
      .def("__repr__", [](const BackupReport& r) {
        return "<patron.BackupReport " + repr_of(r.path) + " bytes=" + std::to_string(r.bytes) + ">";
      });
  bind_eq<BackupReport>(backup);
  py::class_<CheckProblem> problem(m, "CheckProblem",
                                   "A failed check: 'integrity', 'foreign_keys', 'purse_balance' or "
                                   "'points_balance', and what failed.");
  problem.def_property_readonly("check", [](const CheckProblem& p) { return str(p.check); })
      .def_property_readonly("detail", [](const CheckProblem& p) { return str(p.detail); })
      .def("__repr__", [](const CheckProblem& p) {
        return "<patron.CheckProblem " + p.check + ": " + repr_of(p.detail) + ">";
      });
  bind_eq<CheckProblem>(problem);
  py::class_<CheckReport> report(m, "CheckReport",
                                 "What check() found: ok, what it checked, and the problems (at most 100).");
  report.def_readonly("ok", &CheckReport::ok)
      .def_readonly("quick", &CheckReport::quick)
      .def_readonly("customers", &CheckReport::customers)
      .def_readonly("purse_accounts", &CheckReport::purse_accounts)
      .def_readonly("points_accounts", &CheckReport::points_accounts)
      .def_property_readonly("problems", [](const CheckReport& r) { return object_list(r.problems); })
      .def("__repr__", [](const CheckReport& r) {
        return std::string("<patron.CheckReport ") + (r.ok ? "ok" : "problems=" + std::to_string(r.problems.size())) +
               ">";
      });
  bind_eq<CheckReport>(report);
  py::class_<CurrencyTotal> purse(m, "CurrencyTotal", "Purse money of one currency: accounts and their balances' sum "
                                                     "(minor units).");
  purse.def_property_readonly("currency", [](const CurrencyTotal& t) { return str(t.currency); })
      .def_readonly("accounts", &CurrencyTotal::accounts)
      .def_readonly("balance", &CurrencyTotal::balance)
      .def("__repr__", [](const CurrencyTotal& t) {
        return "<patron.CurrencyTotal " + t.currency + " balance=" + std::to_string(t.balance) + ">";
      });
  bind_eq<CurrencyTotal>(purse);
  py::class_<ProgramTotal> program(m, "ProgramTotal", "Points of one loyalty program: accounts and the points "
                                                      "outstanding.");
  program.def_property_readonly("program", [](const ProgramTotal& t) { return str(t.program); })
      .def_readonly("accounts", &ProgramTotal::accounts)
      .def_readonly("points", &ProgramTotal::points)
      .def("__repr__", [](const ProgramTotal& t) {
        return "<patron.ProgramTotal " + t.program + " points=" + std::to_string(t.points) + ">";
      });
  bind_eq<ProgramTotal>(program);
  py::class_<DatabaseStats> stats(m, "DatabaseStats",
                                  "How much the file holds, counted in one snapshot (db.stats()).");
  stats.def_readonly("schema_version", &DatabaseStats::schema_version)
      .def_readonly("file_bytes", &DatabaseStats::file_bytes)
      .def_readonly("customers", &DatabaseStats::customers)
      .def_readonly("merged", &DatabaseStats::merged)
      .def_readonly("erased", &DatabaseStats::erased)
      .def_readonly("banned", &DatabaseStats::banned)
      .def_readonly("with_email", &DatabaseStats::with_email)
      .def_readonly("with_phone", &DatabaseStats::with_phone)
      .def_readonly("companies", &DatabaseStats::companies)
      .def_readonly("memberships", &DatabaseStats::memberships)
      .def_readonly("credentials", &DatabaseStats::credentials)
      .def_readonly("orders", &DatabaseStats::orders)
      .def_readonly("bookings", &DatabaseStats::bookings)
      .def_readonly("enquiries", &DatabaseStats::enquiries)
      .def_readonly("visits", &DatabaseStats::visits)
      .def_readonly("notes", &DatabaseStats::notes)
      .def_readonly("documents", &DatabaseStats::documents)
      .def_readonly("events", &DatabaseStats::events)
      .def_property_readonly("purses", [](const DatabaseStats& s) { return object_list(s.purses); })
      .def_property_readonly("points", [](const DatabaseStats& s) { return object_list(s.points); })
      .def("__repr__", [](const DatabaseStats& s) {
        return "<patron.DatabaseStats customers=" + std::to_string(s.customers) + " events=" +
               std::to_string(s.events) + ">";
      });
  bind_eq<DatabaseStats>(stats);

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
      .def_property_readonly(
          "consent", [](PyDatabase& self) -> PyConsent& { return self.consent; },
          py::return_value_policy::reference_internal)
      .def_property_readonly(
          "privacy", [](PyDatabase& self) -> PyPrivacy& { return self.privacy; },
          py::return_value_policy::reference_internal)
      .def_property_readonly(
          "duplicates", [](PyDatabase& self) -> PyDuplicates& { return self.duplicates; },
          py::return_value_policy::reference_internal)
      .def_property_readonly(
          "imports", [](PyDatabase& self) -> PyImports& { return self.imports; },
          py::return_value_policy::reference_internal)
      .def_property_readonly(
          "exports", [](PyDatabase& self) -> PyExports& { return self.exports; },
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
      .def(
          "backup",
          [](PyDatabase& self, py::handle dest) {
            const std::string p = path(dest, "path");
            return without_gil(*self.connection, [&](patron::Database& db) { return db.backup(p); });
          },
          py::arg("path"),
          "A consistent copy of the whole database in a new file (str or os.PathLike), taken from one snapshot "
          "while others keep writing; never overwrites. Returns a BackupReport.")
      .def(
          "check",
          [](PyDatabase& self, py::handle quick) {
            const bool q = boolean(quick, "quick");
            return without_gil(*self.connection, [&](patron::Database& db) { return db.check(q); });
          },
          py::kw_only(), py::arg("quick") = false,
          "Checks the file in one snapshot: SQLite's integrity (quick_check when quick), foreign keys, and "
          "every purse and points balance against its ledger. Returns a CheckReport (problems are not errors).")
      .def(
          "stats",
          [](PyDatabase& self) {
            return without_gil(*self.connection, [&](patron::Database& db) { return db.stats(); });
          },
          "How much the file holds, counted in one snapshot: a DatabaseStats.")
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

  pp::bind_customers(m);
  pp::bind_commerce(m);
  pp::bind_analytics(m);
  pp::bind_companies(m);
  pp::bind_memberships(m);
  pp::bind_access(m);
  pp::bind_graph(m);
  pp::bind_activity(m);
  pp::bind_notes(m);
  pp::bind_fields(m);
  pp::bind_purses(m);
  pp::bind_loyalty(m);
  pp::bind_promotions(m);
  pp::bind_duplicates(m);
  pp::bind_imports(m);
  pp::bind_exports(m);
  pp::bind_consent(m);
  pp::bind_privacy(m);
  pp::bind_database(m);
  m.attr("__version__") = PATRON_CXX_VERSION;
}
