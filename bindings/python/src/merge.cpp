// Merges: db.customers.merge(survivor, absorbed, by=..., take=[...],
// dry_run=False) -> MergeResult, db.customers.resolve(ref) ->
// Resolution | None. The methods join the Customers class, which
// customers.cpp binds and hands over. The rules of module.cpp hold here too (binding.hpp).
#include <pybind11/pybind11.h>

#include <string>

#include "binding.hpp"
#include "patron/customers.hpp"

namespace patron::python {

using patron::CustomerResolution;
using patron::MergeResult;

void bind_merge(py::module_& m, py::class_<PyCustomers>& customers) {
  py::class_<MergeResult> result(m, "MergeResult",
                                 "What a merge did (or, on a dry run, would do): the survivor as it is after it, "
                                 "the customer merged away, how many records of each kind moved, and which "
                                 "fields were filled or taken from the absorbed customer.");
  result.def_readonly("customer", &MergeResult::customer)
      .def_property_readonly("absorbed", [](const MergeResult& r) { return str(r.absorbed.str()); })
      .def_property_readonly("absorbed_number", [](const MergeResult& r) { return str(r.absorbed_number); })
      .def_property_readonly("moved",
                             [](const MergeResult& r) {
                               py::dict d;
                               for (const auto& [kind, n] : r.moved) d[str(kind)] = n;
                               return d;
                             })
      .def_property_readonly("filled", [](const MergeResult& r) { return text_list_out(r.filled); })
      .def_property_readonly("taken", [](const MergeResult& r) { return text_list_out(r.taken); })
      .def_readonly("dry_run", &MergeResult::dry_run)
      .def_property_readonly("event",
                             [](const MergeResult& r) {
                               return r.event == 0 ? py::none() : py::object(py::int_(r.event));
                             })
      .def("__repr__", [](const MergeResult& r) {
        return "MergeResult(survivor=" + repr_of(r.customer.number) + ", absorbed=" + repr_of(r.absorbed_number) +
               (r.dry_run ? ", dry_run=True" : "") + ")";
      });
  bind_eq<MergeResult>(result);

  py::class_<CustomerResolution> resolution(
      m, "Resolution", "Where a customer reference leads: the live customer, and the merged customer it named.");
  resolution.def_property_readonly("id", [](const CustomerResolution& r) { return str(r.id.str()); })
      .def_property_readonly("number", [](const CustomerResolution& r) { return str(r.number); })
      .def_property_readonly("merged_from",
                             [](const CustomerResolution& r) {
                               return optional_str(r.merged_from ? std::optional<std::string>(r.merged_from->str())
                                                                 : std::nullopt);
                             })
      .def_property_readonly("merged_from_number",
                             [](const CustomerResolution& r) { return optional_str(r.merged_from_number); })
      .def_property_readonly("redirected", [](const CustomerResolution& r) { return r.merged_from.has_value(); })
      .def("__repr__", [](const CustomerResolution& r) {
        return "Resolution(number=" + repr_of(r.number) +
               (r.merged_from_number ? ", merged_from_number=" + repr_of(*r.merged_from_number) : "") + ")";
      });
  bind_eq<CustomerResolution>(resolution);

  customers.def(
      "merge",
      [](PyCustomers& self, py::handle survivor, py::handle absorbed, py::handle by, py::handle take,
         py::handle dry_run) {
        const std::string s = ref_arg(survivor, "survivor");
        const std::string a = ref_arg(absorbed, "absorbed");
        patron::MergeOptions options;
        options.by = text(by, "by");
        if (!take.is_none()) options.take = text_list(take, "take");
        options.dry_run = boolean(dry_run, "dry_run");
        return without_gil(*self.connection,
                           [&](patron::Database& db) { return db.customers().merge(s, a, options); });
      },
      py::arg("survivor"), py::arg("absorbed"), py::kw_only(), py::arg("by"), py::arg("take") = py::none(),
      py::arg("dry_run") = false,
      "Merges absorbed into survivor: one transaction, irreversible. The survivor keeps its id and number; the "
      "absorbed id and number lead to it from then on. take names fields whose absorbed value wins ('first_name', "
      "'custom.<key>', ...); dry_run=True reports the merge without writing.");
  customers.def(
      "resolve",
      [](PyCustomers& self, py::handle ref) {
        const std::string r = ref_arg(ref);
        return optional_record(
            without_gil(*self.connection, [&](patron::Database& db) { return db.customers().resolve(r); }));
      },
      py::arg("ref"), "Where ref leads (Resolution), saying when a merge redirected it; None for nobody.");
}

}  // namespace patron::python
