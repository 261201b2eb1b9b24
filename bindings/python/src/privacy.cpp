// Privacy (erasure), bound for Python:
//   db.privacy.export(ana, "ana.zip")                                        -> AccessExport
//   db.privacy.erase(ana, by="the guest, by email", reason="Art. 17 request") -> ErasureReport
//   db.privacy.tombstone(ana_id)                                             -> Tombstone | None
//   db.privacy.erasures(limit=50, offset=0)                                  -> list[Tombstone]
#include <map>
#include <string>

#include "binding.hpp"
#include "patron/privacy.hpp"

namespace patron::python {
namespace {

py::dict counts(const std::map<std::string, std::int64_t>& m) {
  py::dict d;
  for (const auto& [kind, n] : m) d[str(kind)] = n;
  return d;
}

void bind_records(py::module_& m) {
  py::class_<AccessExport> a(m, "AccessExport",
                             "What a subject access export wrote: the archive's path and size, the customer and "
                             "those merged into it, how many events and document files it holds, and the version "
                             "of its customer.json.");
  a.def_property_readonly("path", [](const AccessExport& x) { return str(x.path); })
      .def_property_readonly("bytes", [](const AccessExport& x) { return x.bytes; })
      .def_property_readonly("customer", [](const AccessExport& x) { return str(x.customer.str()); })
      .def_property_readonly("merged", [](const AccessExport& x) { return customer_id_list(x.merged); })
      .def_property_readonly("events", [](const AccessExport& x) { return x.events; })
      .def_property_readonly("documents", [](const AccessExport& x) { return x.documents; })
      .def_property_readonly("version", [](const AccessExport& x) { return x.version; })
      .def("__repr__", [](const AccessExport& x) { return "<patron.AccessExport " + x.path + ">"; });
  bind_json_value<AccessExport>(a);

  py::class_<Tombstone> t(m, "Tombstone",
                          "What an erased customer leaves: its id and placeholder number, when, by whom (the "
                          "actor), at whose request and why; merged_into names the customer it had been merged "
                          "into when erased with it.");
  t.def_property_readonly("customer", [](const Tombstone& x) { return str(x.customer.str()); })
      .def_property_readonly("number", [](const Tombstone& x) { return str(x.number); })
      .def_property_readonly("erased_at", [](const Tombstone& x) { return datetime(x.erased_at); })
      .def_property_readonly("erased_by", [](const Tombstone& x) { return str(x.erased_by); })
      .def_property_readonly("requested_by", [](const Tombstone& x) { return str(x.requested_by); })
      .def_property_readonly("reason", [](const Tombstone& x) { return str(x.reason); })
      .def_property_readonly("merged_into", [](const Tombstone& x) { return optional_customer_id(x.merged_into); })
      .def("__repr__", [](const Tombstone& x) { return "<patron.Tombstone " + x.customer.str() + ">"; });
  bind_json_value<Tombstone>(t);

  py::class_<ErasureReport> r(m, "ErasureReport",
                              "What an erasure did: the tombstone, the customers erased (the customer, then those "
                              "merged into it), the rows removed or blanked and the rows kept anonymous, by kind, "
                              "and the address hashes added to the suppression list.");
  r.def_property_readonly("tombstone", [](const ErasureReport& x) { return x.tombstone; })
      .def_property_readonly("customers", [](const ErasureReport& x) { return customer_id_list(x.customers); })
      .def_property_readonly("removed", [](const ErasureReport& x) { return counts(x.removed); })
      .def_property_readonly("kept", [](const ErasureReport& x) { return counts(x.kept); })
      .def_property_readonly("suppressed", [](const ErasureReport& x) { return x.suppressed; })
      .def("__repr__", [](const ErasureReport& x) {
        return "<patron.ErasureReport " + x.tombstone.customer.str() + " (" + std::to_string(x.customers.size()) +
               " customers)>";
      });
  bind_json_value<ErasureReport>(r);
}

void bind_service(py::module_& m) {
  py::class_<PyPrivacy> cls(m, "Privacy",
                            "Privacy (db.privacy): subject access exports (GDPR Art. 15) and erasure that really erases (Art. 17), "
                            "with a tombstone and a register of erasures.");
  using C = PyPrivacy;
  cls.def(
      "export",
      [](C& self, py::handle customer, py::handle path_) {
        const std::string r = ref_arg(customer, "customer");
        const std::string p = patron::python::path(path_, "path");
        return service_call(*self.connection, {{"ref", "customer"}},
                            [&](patron::Database& db) { return db.privacy().export_archive(r, p); });
      },
      py::arg("customer"), py::arg("path"),
      "export(customer, path) -> AccessExport. Writes everything held on the customer (and on those merged into "
      "it) as one zip at path, which must not exist: customer.json (documented in the archive's README.txt), and "
      "the documents' bytes. Raises AlreadyExistsError (field 'path') when path exists.");
  cls.def(
      "erase",
      [](C& self, py::handle customer, py::handle by, py::handle reason) {
        const std::string r = ref_arg(customer, "customer");
        const ErasureRequest req{text(by, "by"), text(reason, "reason")};
        return service_call(*self.connection, {{"ref", "customer"}, {"requested_by", "by"}},
                            [&](patron::Database& db) { return db.privacy().erase(r, req); });
      },
      py::arg("customer"), py::kw_only(), py::arg("by"), py::arg("reason"),
      "erase(customer, *, by, reason) -> ErasureReport. Erases the customer and every customer merged into it, in "
      "one transaction, irreversibly: its personal data goes, its orders, bookings, visits and ledgers stay "
      "anonymous under a tombstone, its addresses are suppressed for every purpose, and no erased byte is left in "
      "the file or its WAL. by: who asked (1-200 characters); reason: why (1-500). Raises PreconditionError "
      "(field 'purses') while a purse holds money and (field 'imports') while an import is unfinished.");
  cls.def(
      "tombstone",
      [](C& self, py::handle customer_id) {
        const std::string id = text(customer_id, "customer_id");
        const auto t = service_call(*self.connection, {},
                                    [&](patron::Database& db) { return db.privacy().tombstone(id); });
        return t ? py::cast(*t) : py::object(py::none());
      },
      py::arg("customer_id"), "tombstone(customer_id) -> Tombstone | None. None when the customer is not erased.");
  cls.def(
      "erasures",
      [](C& self, py::handle limit, py::handle offset) {
        const patron::Page page = page_arg(limit, offset);
        return object_list(
            service_call(*self.connection, {}, [&](patron::Database& db) { return db.privacy().erasures(page); }));
      },
      py::kw_only(), py::arg("limit") = 50, py::arg("offset") = 0,
      "erasures(*, limit=50, offset=0) -> list[Tombstone]. Every erasure, newest first.");
}

}  // namespace

void bind_privacy(py::module_& m) {
  bind_records(m);
  bind_service(m);
}

}  // namespace patron::python
