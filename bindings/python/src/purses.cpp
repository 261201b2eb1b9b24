// Purses, bound for Python:
//   db.purses.top_up(ana, "GBP", 2500, idempotency_key="till-3/41")  -> PurseEntry
//   db.purses.charge(ana, "GBP", 1200, idempotency_key="till-3/42", reference="R-1")
//   db.purses.refund(charge, 200, idempotency_key="till-3/43")        -> PurseEntry
//   db.purses.account(ana, "GBP")                                     -> PurseAccount
// The rules of module.cpp hold here too (binding.hpp). Money is an int of
// minor units: a float is refused with TypeError, never rounded.
#include <pybind11/pybind11.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "binding.hpp"
#include "convert.hpp"
#include "patron/purses.hpp"

namespace patron::python {
namespace {

// The core names the customer "ref"; these methods call it `customer`.
constexpr std::initializer_list<std::pair<const char*, const char*>> kCustomer = {{"ref", "customer"}};

// An entry named by its id (an int) or by a PurseEntry snapshot.
std::int64_t entry_arg(py::handle value, std::string_view field) { return id_arg<patron::PurseEntry>(value, field); }

patron::PurseRequest request(py::handle customer, py::handle currency, py::handle amount, py::handle key,
                             py::handle reference) {
  patron::PurseRequest r;
  r.customer_ref = ref_arg(customer, "customer");
  r.currency = text(currency, "currency");
  r.amount = money(amount, "amount");
  r.idempotency_key = text(key, "idempotency_key");
  r.reference = optional_text(reference, "reference");
  return r;
}

void bind_purse_values(py::module_& m) {
  py::class_<patron::PurseAccount> account(
      m, "PurseAccount",
      "A read-only snapshot of a customer's money account in one currency: the balance (int minor units; "
      "negative while on credit), its own credit limit, the largest credit limit of the promotion categories "
      "that apply to the customer, and what is available to charge (balance + the larger limit).");
  account.def_property_readonly("customer", [](const PurseAccount& a) { return str(a.customer.str()); })
      .def_property_readonly("currency", [](const PurseAccount& a) { return str(a.currency); })
      .def_property_readonly("balance", [](const PurseAccount& a) { return a.balance; })
      .def_property_readonly("credit_limit", [](const PurseAccount& a) { return a.credit_limit; })
      .def_property_readonly("category_credit_limit", [](const PurseAccount& a) { return a.category_credit_limit; })
      .def_property_readonly("available", [](const PurseAccount& a) { return a.available; })
      .def("__repr__", [](const PurseAccount& a) {
        return "<patron.PurseAccount customer=" + a.customer.str() + " " + a.currency +
               " balance=" + std::to_string(a.balance) + " credit_limit=" + std::to_string(a.credit_limit) +
               (a.category_credit_limit != 0 ? " category_credit_limit=" + std::to_string(a.category_credit_limit)
                                              : std::string()) +
               ">";
      });
  bind_json_value<PurseAccount>(account);

  py::class_<patron::PurseEntry> entry(
      m, "PurseEntry",
      "A read-only snapshot of a purse ledger entry: a top-up, charge or refund of `amount` (int minor units, "
      "positive), the balance after it, the charge a refund gives back to (refund_of), how much of a charge "
      "was refunded so far, the host's reference, the idempotency key, the actor and the time.");
  entry.def_property_readonly("id", [](const PurseEntry& e) { return e.id; })
      .def_property_readonly("customer", [](const PurseEntry& e) { return str(e.customer.str()); })
      .def_property_readonly("currency", [](const PurseEntry& e) { return str(e.currency); })
      .def_property_readonly("kind", [](const PurseEntry& e) { return str(to_string(e.kind)); })
      .def_property_readonly("amount", [](const PurseEntry& e) { return e.amount; })
      .def_property_readonly("balance_after", [](const PurseEntry& e) { return e.balance_after; })
      .def_property_readonly("refund_of", [](const PurseEntry& e) { return optional_id(e.refund_of); })
      .def_property_readonly("refunded", [](const PurseEntry& e) { return e.refunded; })
      .def_property_readonly("reference", [](const PurseEntry& e) { return str(e.reference); })
      .def_property_readonly("idempotency_key", [](const PurseEntry& e) { return str(e.idempotency_key); })
      .def_property_readonly("actor", [](const PurseEntry& e) { return str(e.actor); })
      .def_property_readonly("at", [](const PurseEntry& e) { return datetime(e.at); })
      .def("__repr__", [](const PurseEntry& e) {
        return "<patron.PurseEntry " + std::to_string(e.id) + " " + std::string(to_string(e.kind)) + " " +
               std::to_string(e.amount) + " " + e.currency + " customer=" + e.customer.str() + ">";
      });
  bind_json_forms<PurseEntry>(entry);
}

// Binds a top-up or a charge: `write` is Purses::top_up or Purses::charge.
void def_write(py::class_<PyPurses>& cls, const char* name,
               patron::PurseEntry (patron::Purses::*write)(const patron::PurseRequest&), const char* doc) {
  cls.def(
      name,
      [write](PyPurses& self, py::handle customer, py::handle currency, py::handle amount, py::handle key,
              py::handle reference) {
        const patron::PurseRequest r = request(customer, currency, amount, key, reference);
        return service_call(*self.connection, kCustomer,
                            [&](patron::Database& db) { return (db.purses().*write)(r); });
      },
      py::arg("customer"), py::arg("currency"), py::arg("amount"), py::kw_only(), py::arg("idempotency_key"),
      py::arg("reference") = "", doc);
}

void bind_purses_service(py::module_& m) {
  py::class_<PyPurses> cls(m, "Purses",
                           "Stored value and credit (db.purses): one account per customer and currency, a ledger "
                           "of top-ups, charges and refunds in int minor units. Every write carries an "
                           "idempotency key: the same key with the same request returns the original entry; with "
                           "a different request it raises ConflictError (field 'idempotency_key').");
  using P = PyPurses;

  def_write(cls, "top_up", &patron::Purses::top_up,
            "top_up(customer, currency, amount, *, idempotency_key, reference='') -> PurseEntry. amount is an int "
            "of minor units, 1 to 10**15.");
  def_write(cls, "charge", &patron::Purses::charge,
            "charge(customer, currency, amount, *, idempotency_key, reference='') -> PurseEntry. Raises "
            "PreconditionError (field 'amount') beyond what is available (balance + credit limit).");

  cls.def(
      "refund",
      [](P& self, py::handle charge, py::handle amount, py::handle key, py::handle reference) {
        const std::int64_t c = entry_arg(charge, "charge");
        const std::int64_t a = money(amount, "amount");
        const std::string k = text(key, "idempotency_key");
        const std::string ref = optional_text(reference, "reference");
        return service_call(*self.connection, {},
                            [&](patron::Database& db) { return db.purses().refund(c, a, k, ref); });
      },
      py::arg("charge"), py::arg("amount"), py::kw_only(), py::arg("idempotency_key"), py::arg("reference") = "",
      "refund(charge, amount, *, idempotency_key, reference='') -> PurseEntry. Gives back amount of the charge "
      "(an id or a PurseEntry); raises NotFoundError (field 'charge') when it is not a charge and "
      "PreconditionError (field 'amount') beyond what is left of it.");

  cls.def(
      "account",
      [](P& self, py::handle customer, py::handle currency) {
        const std::string r = ref_arg(customer, "customer");
        const std::string c = text(currency, "currency");
        return service_call(*self.connection, kCustomer,
                            [&](patron::Database& db) { return db.purses().account(r, c); });
      },
      py::arg("customer"), py::arg("currency"),
      "The customer's PurseAccount in the currency (balance 0 and no credit when nothing was ever written).");

  cls.def(
      "accounts",
      [](P& self, py::handle customer) {
        const std::string r = ref_arg(customer, "customer");
        return object_list(
            service_call(*self.connection, kCustomer, [&](patron::Database& db) { return db.purses().accounts(r); }));
      },
      py::arg("customer"), "The customer's accounts that have entries or a credit limit, by currency.");

  cls.def(
      "set_credit_limit",
      [](P& self, py::handle customer, py::handle currency, py::handle credit_limit) {
        const std::string r = ref_arg(customer, "customer");
        const std::string c = text(currency, "currency");
        const std::int64_t l = money(credit_limit, "credit_limit");
        return service_call(*self.connection, kCustomer,
                            [&](patron::Database& db) { return db.purses().set_credit_limit(r, c, l); });
      },
      py::arg("customer"), py::arg("currency"), py::arg("credit_limit"),
      "Sets how far below zero the balance may go (int minor units, 0 to 10**15); returns the PurseAccount. "
      "Raises PreconditionError (field 'credit_limit') when the balance is already below minus the limit.");

  cls.def(
      "entry",
      [](P& self, py::handle id) {
        const std::int64_t i = entry_arg(id, "id");
        return service_call(*self.connection, {}, [&](patron::Database& db) { return db.purses().entry(i); });
      },
      py::arg("id"), "The entry with that id (a charge's refunded as it is now).");

  cls.def(
      "entries",
      [](P& self, py::handle customer, py::handle currency, py::handle limit, py::handle offset) {
        const std::string r = ref_arg(customer, "customer");
        const std::string c = text(currency, "currency");
        const patron::Page page = page_arg(limit, offset);
        return object_list(service_call(*self.connection, kCustomer,
                                        [&](patron::Database& db) { return db.purses().entries(r, c, page); }));
      },
      py::arg("customer"), py::arg("currency"), py::arg("limit") = 50, py::arg("offset") = 0,
      "The entries of the customer's account in the currency, newest first.");

  cls.def("__repr__", [](const P& self) { return "<patron.Purses of " + repr_of(self.connection->path) + ">"; });
}

}  // namespace

void bind_purses(py::module_& m) {
  bind_purse_values(m);
  bind_purses_service(m);
}

}  // namespace patron::python
