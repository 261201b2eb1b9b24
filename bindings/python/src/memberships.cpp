// Memberships, bound for Python:
//   db.memberships.create_plan(name, kind=...)       -> Plan
//   db.memberships.add(plan, customer=... | company=...) -> Membership
//   db.memberships.effective(ref)                    -> [EffectiveMembership]
//   db.memberships.has_active_membership(ref, plan, at=None) -> bool
// The rules of module.cpp hold here too (binding.hpp).
#include <pybind11/pybind11.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "binding.hpp"
#include "convert.hpp"
#include "patron/companies.hpp"
#include "patron/json.hpp"
#include "patron/memberships.hpp"

namespace patron::python {
namespace {

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

void bind_memberships_service(py::module_& m) {
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

}  // namespace

void bind_memberships(py::module_& m) {
  bind_membership_values(m);
  bind_memberships_service(m);
}

}  // namespace patron::python
