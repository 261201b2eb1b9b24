// Companies, bound for Python:
//   db.companies.create(name=..., domains=[...])     -> Company
//   db.companies.link(id, customer_ref, role=...)    -> CompanyLink
//   db.companies.add_domain(id, domain), .customers(id), .registrable_domain(domain)
// The rules of module.cpp hold here too (binding.hpp); errors name the
// arguments as these methods do (companies_call()).
#include <pybind11/pybind11.h>

#include <cstdint>
#include <string>

#include "binding.hpp"
#include "convert.hpp"
#include "patron/companies.hpp"
#include "patron/json.hpp"

namespace patron::python {
namespace {

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

void bind_companies_service(py::module_& m) {
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

}  // namespace

void bind_companies(py::module_& m) {
  bind_company_values(m);
  bind_companies_service(m);
}

}  // namespace patron::python
