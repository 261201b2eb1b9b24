// Shared by the translation units of patron._patron: the open database and
// the GIL rule around calls into it, and the small helpers every service's
// binding uses (argument and result conversions, ==, JSON forms).
//
// module.cpp binds the Database itself and holds PYBIND11_MODULE;
// customers.cpp the customers; commerce.cpp orders, bookings and enquiries;
// analytics.cpp analytics and the pure model (patron.clv); companies.cpp
// companies; memberships.cpp memberships; access.cpp the credentials and
// doors; graph.cpp the social graph; activity.cpp the timeline; notes.cpp
// notes and documents; fields.cpp custom fields; purses.cpp purses;
// loyalty.cpp loyalty; promotions.cpp promotion categories and visits;
// merge.cpp merges (db.customers.merge, .resolve); duplicates.cpp duplicate
// detection; imports.cpp imports; consent.cpp consent. Every
// function here needs the GIL (without_gil() releases it around the
// database call).
#pragma once

#include <pybind11/pybind11.h>

#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "convert.hpp"
#include "patron/database.hpp"
#include "patron/json.hpp"

namespace patron::python {

// ---------------------------------------------------------------------------
// The open database, shared by a Database object and its services.
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
inline void drop(std::shared_ptr<patron::Database> db) noexcept {
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

// Long work (an import, an export) reports between its batches to
// `progress(done, total)`, a Python callable or None. The returned function
// (called with the GIL released) takes the GIL, checks for Ctrl-C and calls
// it: an exception, or Ctrl-C, lands in `stopped` and stops the work at that
// boundary (returns false), as does a falsy result; None goes on.
// Error(invalid_argument, "progress") when it is neither None nor callable.
class ProgressCall {
 public:
  explicit ProgressCall(py::handle progress) : progress_(progress) {
    if (!progress.is_none() && !PyCallable_Check(progress.ptr())) {
      throw patron::Error(patron::Errc::invalid_argument, "progress: must be callable", "progress");
    }
  }
  bool operator()(std::uint64_t done, std::uint64_t total) {
    py::gil_scoped_acquire gil;
    try {
      if (PyErr_CheckSignals() != 0) throw py::error_already_set();
      if (progress_.is_none()) return true;
      const py::object go_on = progress_(done, total);
      if (go_on.is_none()) return true;
      const int truth = PyObject_IsTrue(go_on.ptr());
      if (truth < 0) throw py::error_already_set();
      return truth != 0;
    } catch (py::error_already_set& e) {
      stopped_.emplace(std::move(e));
      return false;
    }
  }
  // After the work: raises what stopped it, when something did and the work
  // did not complete anyway (after the last batch its report is what counts).
  void raise_if_stopped(bool completed) {
    if (stopped_ && !completed) throw std::move(*stopped_);
  }

 private:
  py::handle progress_;
  std::optional<py::error_already_set> stopped_;
};

// `e` naming the field `to` instead (and its message prefix with it).
inline patron::Error renamed(const patron::Error& e, const std::string& to) {
  const std::string& field = e.field();
  std::string message = e.what();
  if (message.rfind(field + ":", 0) == 0) message.replace(0, field.size(), to);
  return patron::Error(e.code(), std::move(message), to);
}

// without_gil() for a service call, with the core's field names (the C++
// API's argument names) renamed to the Python method's. In a batch the
// element's prefix stays: "[1].ref" becomes "[1].customer".
template <class F>
auto service_call(const Connection& connection, std::initializer_list<std::pair<const char*, const char*>> renames,
                  F&& f) {
  return without_gil(connection, [&](patron::Database& db) -> decltype(f(db)) {
    try {
      return f(db);
    } catch (const patron::Error& e) {
      const std::string& field = e.field();
      const std::size_t element = field.starts_with('[') ? field.find("].") : std::string::npos;
      const std::string prefix = element == std::string::npos ? "" : field.substr(0, element + 2);
      const std::string_view name = std::string_view(field).substr(prefix.size());
      const char* to = nullptr;
      for (const auto& [from, python_name] : renames) {
        if (name == from) to = python_name;
      }
      if (to == nullptr || name == to) throw;
      throw renamed(e, prefix + to);
    }
  });
}

// service_call() for a service whose core names the customer reference
// "ref" ("[i].ref" for the i-th request of a batch): the Python keyword is
// "customer".
template <class F>
auto customer_call(const Connection& connection, F&& f) {
  return service_call(connection, {{"ref", "customer"}}, std::forward<F>(f));
}

// without_gil() for a companies call. The core names the arguments as the
// C++ API does: "company" for the company's id, "customer" for the customer
// reference; the Python methods call them `id` and a ref (named "ref"
// everywhere in the binding), and errors name those.
template <class F>
auto companies_call(const Connection& connection, F&& f) {
  return service_call(connection, {{"company", "id"}, {"customer", "ref"}}, std::forward<F>(f));
}

// db.customers (customers.cpp).
struct PyCustomers {
  ConnectionPtr connection;
};

// db.orders, db.bookings, db.enquiries (commerce.cpp).
struct PyOrders {
  ConnectionPtr connection;
};
struct PyBookings {
  ConnectionPtr connection;
};
struct PyEnquiries {
  ConnectionPtr connection;
};
// db.analytics (analytics.cpp).
struct PyAnalytics {
  ConnectionPtr connection;
};
// db.companies (companies.cpp).
struct PyCompanies {
  ConnectionPtr connection;
};
// db.memberships (memberships.cpp).
struct PyMemberships {
  ConnectionPtr connection;
};

// db.activity (activity.cpp), db.notes and db.documents (notes.cpp),
// db.custom_fields (fields.cpp).
struct PyActivity {
  ConnectionPtr connection;
};
struct PyNotes {
  ConnectionPtr connection;
};
struct PyDocuments {
  ConnectionPtr connection;
};
struct PyCustomFields {
  ConnectionPtr connection;
};
// db.purses (purses.cpp).
struct PyPurses {
  ConnectionPtr connection;
};
// db.loyalty (loyalty.cpp), db.promotions and db.visits (promotions.cpp).
struct PyLoyalty {
  ConnectionPtr connection;
};
struct PyPromotions {
  ConnectionPtr connection;
};
struct PyVisits {
  ConnectionPtr connection;
};

// db.credentials, db.doors, db.connections (access.cpp, graph.cpp).
struct PyCredentials {
  ConnectionPtr connection;
};
struct PyDoors {
  ConnectionPtr connection;
};
struct PyConnections {
  ConnectionPtr connection;
};

// ---------------------------------------------------------------------------
// Arguments.

// A customer reference: a str (id in any UUID form, or a customer number) or
// a Customer object (its id).
inline std::string ref_arg(py::handle value, std::string_view field = "ref") {
  if (py::isinstance<patron::Customer>(value)) return value.cast<const patron::Customer&>().id.str();
  return text(value, field);
}

// A mapping as a dict (dict itself, or anything dict() accepts as a mapping).
inline py::dict as_dict(py::handle value, std::string_view field) {
  if (PyDict_Check(value.ptr())) return py::reinterpret_borrow<py::dict>(value);
  if (!py::hasattr(value, "keys")) {
    throw py::type_error(std::string(field.empty() ? "value" : field) + " must be a dict, not " +
                         Py_TYPE(value.ptr())->tp_name);
  }
  return py::dict(py::reinterpret_borrow<py::object>(value));
}

// A keyword or dict key (a str), named in errors after `prefix`.
inline std::string key_of(py::handle key, std::string_view prefix) {
  if (!PyUnicode_Check(key.ptr())) {
    throw py::type_error(std::string(prefix) + " field names must be str, not " + Py_TYPE(key.ptr())->tp_name);
  }
  return text(key, std::string(prefix) + "<key>");
}

inline std::optional<Timestamp> optional_time(py::handle value, std::string_view field) {
  if (value.is_none()) return std::nullopt;
  return timestamp(value, field);
}

// A record named by its int id or by a snapshot of it (a T with an int `id`).
template <class T>
std::int64_t id_arg(py::handle value, std::string_view field) {
  if (py::isinstance<T>(value)) return value.cast<const T&>().id;
  return integer(value, field);
}

// A loyalty program named by its id (a str) or by a Program snapshot.
inline std::string program_arg(py::handle value, std::string_view field = "program") {
  if (py::isinstance<patron::Program>(value)) return value.cast<const patron::Program&>().id;
  return text(value, field);
}

// An exact quantity counted in `unit` (minor units of money, points): an int
// (not a bool); a float is refused with TypeError rather than rounded.
inline std::int64_t exact_integer(py::handle value, std::string_view field, std::string_view unit) {
  if (PyFloat_Check(value.ptr())) {
    throw py::type_error(std::string(field) + " must be an int of " + std::string(unit) + ", not float: " +
                         std::string(unit) + " are never floating point");
  }
  return integer(value, field);
}

// An amount of money: an int of minor units, never a float.
inline std::int64_t money(py::handle value, std::string_view field) {
  return exact_integer(value, field, "minor units");
}

inline patron::Page page_arg(py::handle limit, py::handle offset) {
  const std::int64_t l = integer(limit, "limit");
  const std::int64_t o = integer(offset, "offset");
  if (l < 0) throw patron::Error(Errc::invalid_argument, "limit: must be between 1 and 1000", "limit");
  if (o < 0) throw patron::Error(Errc::invalid_argument, "offset: must not be negative", "offset");
  return patron::Page{static_cast<std::size_t>(l), static_cast<std::size_t>(o)};
}

// ---------------------------------------------------------------------------
// Results: C++ values -> Python.

inline py::list text_list_out(const std::vector<std::string>& items) {
  py::list out(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) out[i] = str(items[i]);
  return out;
}

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

// A record that may be absent: the record, or None.
template <class T>
py::object optional_record(std::optional<T>&& r) {
  if (!r) return py::none();
  return py::cast(std::move(*r));
}

inline py::object optional_id(const std::optional<std::int64_t>& v) {
  return v ? py::object(py::int_(*v)) : py::object(py::none());
}

inline py::object optional_str(const std::optional<std::string>& v) {
  return v ? py::object(str(*v)) : py::object(py::none());
}

inline py::list customer_id_list(const std::vector<CustomerId>& ids) {
  py::list out(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) out[i] = str(ids[i].str());
  return out;
}

inline py::object optional_customer_id(const std::optional<CustomerId>& id) {
  return id ? py::object(str(id->str())) : py::object(py::none());
}

inline std::string repr_of(std::string_view s) { return py::repr(str(s)).cast<std::string>(); }
inline std::string repr_of(const py::object& o) { return py::repr(o).cast<std::string>(); }

inline py::object json_module() { return py::module_::import("json"); }

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

// to_json()/to_dict() and == for a value, through its JSON form (patron::json).
template <class T, class Cls>
void bind_json_value(Cls& cls) {
  cls.def(
         "to_json",
         [](const T& r, py::object indent) -> py::object {
           std::string text_form = patron::json::encode(r);
           if (indent.is_none()) return str(text_form);
           py::object json = json_module();
           return json.attr("dumps")(json.attr("loads")(str(text_form)), py::arg("indent") = indent,
                                     py::arg("ensure_ascii") = false);
         },
         py::arg("indent") = py::none(), "As JSON text (the schema the C ABI speaks); compact unless indent is given.")
      .def(
          "to_dict", [](const T& r) { return json_module().attr("loads")(str(patron::json::encode(r))); },
          "As a JSON-compatible dict (the same data and names as to_json()).");
  bind_eq<T>(cls);
}

// bind_json_value() for a record, which hashes by its id.
template <class T, class Cls>
void bind_json_forms(Cls& cls) {
  bind_json_value<T>(cls);
  // __eq__ resets __hash__ to None; a record hashes by its id.
  cls.def("__hash__", [](const T& r) { return py::hash(py::int_(r.id)); });
}

// ---------------------------------------------------------------------------
// The bindings of the other translation units, registered in this order
// (a type is registered before a signature or docstring names it).

// Email, Phone, Address, EmergencyContact, Ban, Customer, Identification;
// Customers (customers.cpp).
void bind_customers(py::module_& m);
// RecordSummary, OrderItem, Payment, Order, Booking, Enquiry, Pushed; Orders,
// Bookings, Enquiries (commerce.cpp).
void bind_commerce(py::module_& m);
// Summary, BgNbd, GammaGamma, Interval, Score and the functions of
// patron.clv; CurrencyTotals, CustomerStats, RfmScore, ModelFit, Prediction;
// Analytics (analytics.cpp).
void bind_analytics(py::module_& m);
// Company, CompanyLink; Companies (companies.cpp).
void bind_companies(py::module_& m);
// Plan, Membership, EffectiveMembership; Memberships (memberships.cpp).
void bind_memberships(py::module_& m);
// Credentials, WalletPass, CredentialCheck; Doors, Door, Permission,
// AccessDecision (access.cpp).
void bind_access(py::module_& m);
// db.identify_credential(token, at=None) -> CredentialCheck.
py::object identify_credential(const Connection& connection, py::handle token, py::handle at);
// db.credential_holder(token, at=None) -> the holder's id or None.
py::object credential_holder(const Connection& connection, py::handle token, py::handle at);
// Connections, Connection, Referral, Neighbour, InferenceReport (graph.cpp).
void bind_graph(py::module_& m);
// Activity, Event, EventPage, FieldChange, acting_as (activity.cpp).
void bind_activity(py::module_& m);
// Notes, Note, NoteRevision, NoteHit; Documents, Document (notes.cpp).
void bind_notes(py::module_& m);
// CustomFields, FieldDefinition (fields.cpp).
void bind_fields(py::module_& m);
// Purses, PurseAccount, PurseEntry (purses.cpp).
void bind_purses(py::module_& m);
// Loyalty, Program, Tier, PointsAccount, PointsEntry, PointsLot, TierChange,
// TierProgress, TierEvaluation, ExpiryRun, Reward (loyalty.cpp).
void bind_loyalty(py::module_& m);
// Promotions, PromotionCategory, AppliedCategory, Quote; Visits, Visit
// (promotions.cpp).
void bind_promotions(py::module_& m);
// MergeResult, Resolution, and Customers.merge and .resolve (merge.cpp),
// called by customers.cpp with its Customers class.
void bind_merge(py::module_& m, py::class_<PyCustomers>& customers);
// The fields of a new customer from a dict (create()'s keywords): `prefix`
// is "" for one request, "[i]." for the i-th of a batch (customers.cpp).
patron::NewCustomer new_customer_arg(py::handle value, const std::string& prefix);
// db.duplicates (duplicates.cpp).
struct PyDuplicates {
  ConnectionPtr connection;
};
void bind_duplicates(py::module_& m);
// db.imports (imports.cpp).
struct PyImports {
  ConnectionPtr connection;
};
void bind_imports(py::module_& m);
// db.exports (exports.cpp).
struct PyExports {
  ConnectionPtr connection;
};
void bind_exports(py::module_& m);
// db.consent (consent.cpp): Consent, ConsentEntry, ConsentState,
// ConsentPurpose, ReachablePage, ContactPreferences.
struct PyConsent {
  ConnectionPtr connection;
};
void bind_consent(py::module_& m);
// db.privacy (privacy.cpp): Privacy, Tombstone, ErasureReport.
struct PyPrivacy {
  ConnectionPtr connection;
};
void bind_privacy(py::module_& m);

// Custom values (fields.cpp). A Python value (str, float, int, bool,
// datetime.date, list of str) as the CustomValue its Python type names;
// conform_custom_values() then converts each for its field's type (an int
// for a number field becomes a float, a str for a date field is parsed), in
// the database call. `field` names the value in errors.
CustomValue custom_value_arg(py::handle value, const std::string& field);
// A dict of custom values by key; `prefix` is "" or "[i]." as for a new customer.
std::map<std::string, CustomValue> custom_values_arg(py::handle value, const std::string& prefix);
// Converts `values` for the types of the fields of `db` (keys no field has
// are left for the service to refuse). Needs no GIL.
void conform_custom_values(const patron::Database& db, std::map<std::string, CustomValue>& values,
                           std::string_view prefix);
py::object custom_value_out(const CustomValue& value);
py::dict custom_values_out(const std::map<std::string, CustomValue>& values);

}  // namespace patron::python
