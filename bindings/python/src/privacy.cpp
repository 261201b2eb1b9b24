// Privacy (access export, erasure, retention), bound for Python:
//   db.privacy.export(ana, "ana.zip")                                        -> AccessExport
//   db.privacy.erase(ana, by="the guest, by email", reason="Art. 17 request") -> ErasureReport
//   db.privacy.tombstone(ana_id)                                             -> Tombstone | None
//   db.privacy.erasures(limit=50, offset=0)                                  -> list[Tombstone]
//   db.privacy.set_retention_policy("id-scans", "documents", 90,
//                                   document_kind="identification")          -> RetentionPolicy
//   db.privacy.remove_retention_policy("id-scans")
//   db.privacy.retention_policies()                                          -> list[RetentionPolicy]
//   db.privacy.preview_retention() / run_retention()                         -> RetentionRun
//   db.privacy.retention_runs(limit=50, offset=0)                            -> list[RetentionRun]
#include <algorithm>
#include <climits>
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

void bind_retention_records(py::module_& m) {
  py::class_<RetentionPolicy> p(m, "RetentionPolicy",
                                "A retention policy: its name, category ('inactive_customers', 'timeline_details' or "
                                "'documents'), how many days the data is kept, the document kind a documents policy "
                                "deletes, a description for guests, and when it was created and last set.");
  p.def_property_readonly("name", [](const RetentionPolicy& x) { return str(x.name); })
      .def_property_readonly("category", [](const RetentionPolicy& x) { return str(to_string(x.category)); })
      .def_property_readonly("days", [](const RetentionPolicy& x) { return x.days; })
      .def_property_readonly("document_kind",
                             [](const RetentionPolicy& x) {
                               return x.document_kind ? py::object(str(to_string(*x.document_kind)))
                                                      : py::object(py::none());
                             })
      .def_property_readonly("description", [](const RetentionPolicy& x) { return str(x.description); })
      .def_property_readonly("created_at", [](const RetentionPolicy& x) { return datetime(x.created_at); })
      .def_property_readonly("updated_at", [](const RetentionPolicy& x) { return datetime(x.updated_at); })
      .def("__repr__", [](const RetentionPolicy& x) {
        return "<patron.RetentionPolicy " + x.name + " " + std::string(to_string(x.category)) + " " +
               std::to_string(x.days) + " days>";
      });
  bind_json_value<RetentionPolicy>(p);

  py::class_<RetentionOutcome> o(m, "RetentionOutcome",
                                 "What one policy did in a run (or would do, in a dry run): the policy as applied, "
                                 "the cutoff (data from before it went), the customers erased or whose documents "
                                 "were deleted, the documents deleted, the events whose details were dropped, the "
                                 "customers skipped as (customer id, reason) pairs, and why the policy waited or "
                                 "stopped ('' when it ran through).");
  o.def_property_readonly("policy", [](const RetentionOutcome& x) { return x.policy; })
      .def_property_readonly("cutoff", [](const RetentionOutcome& x) { return datetime(x.cutoff); })
      .def_property_readonly("customers", [](const RetentionOutcome& x) { return customer_id_list(x.customers); })
      .def_property_readonly("documents",
                             [](const RetentionOutcome& x) {
                               py::list out;
                               for (const auto id : x.documents) out.append(id);
                               return out;
                             })
      .def_property_readonly("events", [](const RetentionOutcome& x) { return x.events; })
      .def_property_readonly("skipped",
                             [](const RetentionOutcome& x) {
                               py::list out;
                               for (const auto& k : x.skipped) {
                                 out.append(py::make_tuple(str(k.customer.str()), str(k.reason)));
                               }
                               return out;
                             })
      .def_property_readonly("held", [](const RetentionOutcome& x) { return str(x.held); })
      .def("__repr__", [](const RetentionOutcome& x) { return "<patron.RetentionOutcome " + x.policy.name + ">"; });
  bind_eq<RetentionOutcome>(o);

  py::class_<RetentionRun> r(m, "RetentionRun",
                             "A retention run, or a dry run (id 0, dry_run True): who ran it, when it started and "
                             "finished (None: a dry run, or stopped half way), and one outcome per policy, by name.");
  r.def_property_readonly("id", [](const RetentionRun& x) { return x.id; })
      .def_property_readonly("dry_run", [](const RetentionRun& x) { return x.dry_run; })
      .def_property_readonly("actor", [](const RetentionRun& x) { return str(x.actor); })
      .def_property_readonly("started_at", [](const RetentionRun& x) { return datetime(x.started_at); })
      .def_property_readonly("finished_at",
                             [](const RetentionRun& x) {
                               return x.finished_at ? datetime(*x.finished_at) : py::object(py::none());
                             })
      .def_property_readonly("outcomes", [](const RetentionRun& x) { return object_list(x.outcomes); })
      .def("__repr__", [](const RetentionRun& x) {
        return "<patron.RetentionRun " + (x.dry_run ? std::string("dry run") : std::to_string(x.id)) + ">";
      });
  bind_json_value<RetentionRun>(r);
}

void bind_service(py::module_& m) {
  py::class_<PyPrivacy> cls(m, "Privacy",
                            "Privacy (db.privacy): subject access exports (GDPR Art. 15), erasure that really erases (Art. 17), "
                            "with a tombstone and a register of erasures, and retention policies with dry runs and "
                            "recorded runs.");
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
  cls.def(
      "set_retention_policy",
      [](C& self, py::handle name, py::handle category, py::handle days, py::handle document_kind,
         py::handle description) {
        RetentionPolicy policy;
        policy.name = text(name, "name");
        policy.category = parse_retention_category(text(category, "category"), "category");
        // Out of int's range is out of the rule's: the service says which rule.
        policy.days = static_cast<int>(std::clamp<std::int64_t>(integer(days, "days"), INT_MIN, INT_MAX));
        if (!document_kind.is_none()) {
          policy.document_kind = parse_document_kind(text(document_kind, "document_kind"), "document_kind");
        }
        policy.description = text(description, "description");
        return service_call(*self.connection, {},
                            [&](patron::Database& db) { return db.privacy().set_retention_policy(policy); });
      },
      py::arg("name"), py::arg("category"), py::arg("days"), py::kw_only(), py::arg("document_kind") = py::none(),
      py::arg("description") = "",
      "set_retention_policy(name, category, days, *, document_kind=None, description='') -> RetentionPolicy. "
      "Creates the policy or replaces the one of that name. category: 'inactive_customers' (erase customers with "
      "no activity for `days`), 'timeline_details' (drop the details of events older than `days`) or 'documents' "
      "(delete documents of `document_kind` `days` after upload). days: 1-36500.");
  cls.def(
      "remove_retention_policy",
      [](C& self, py::handle name) {
        const std::string n = text(name, "name");
        service_call(*self.connection, {}, [&](patron::Database& db) { db.privacy().remove_retention_policy(n); });
      },
      py::arg("name"), "remove_retention_policy(name). Raises NotFoundError (field 'name') when there is none.");
  cls.def(
      "retention_policies",
      [](C& self) {
        return object_list(service_call(*self.connection, {},
                                        [&](patron::Database& db) { return db.privacy().retention_policies(); }));
      },
      "retention_policies() -> list[RetentionPolicy]. Every policy, by name.");
  cls.def(
      "preview_retention",
      [](C& self) {
        return service_call(*self.connection, {}, [&](patron::Database& db) { return db.privacy().preview_retention(); });
      },
      "preview_retention() -> RetentionRun. The dry run: what run_retention() would do now; writes nothing.");
  cls.def(
      "run_retention",
      [](C& self) {
        return service_call(*self.connection, {}, [&](patron::Database& db) { return db.privacy().run_retention(); });
      },
      "run_retention() -> RetentionRun. Applies every policy and records the run; schedule it (nightly). Each "
      "erasure, each 100 documents and each 10,000 events is its own transaction, recording what it did.");
  cls.def(
      "retention_runs",
      [](C& self, py::handle limit, py::handle offset) {
        const patron::Page page = page_arg(limit, offset);
        return object_list(service_call(*self.connection, {},
                                        [&](patron::Database& db) { return db.privacy().retention_runs(page); }));
      },
      py::kw_only(), py::arg("limit") = 50, py::arg("offset") = 0,
      "retention_runs(*, limit=50, offset=0) -> list[RetentionRun]. The recorded runs, newest first.");
}

}  // namespace

void bind_privacy(py::module_& m) {
  bind_records(m);
  bind_retention_records(m);
  bind_service(m);
}

}  // namespace patron::python
