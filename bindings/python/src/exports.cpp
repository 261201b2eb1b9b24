// Exports, bound for Python:
//   db.exports.customers(path, *, format=None, fields=None, delimiter=",", overwrite=False,
//                        customers=None, company=None, rfm_currency=None, rfm_segment=None,
//                        created_since=None, changed_since=None, progress=None)  -> ExportReport
// Ctrl-C (or an exception in progress) stops the export after the page it
// is on; no file is written and the error is raised.
// The rules of module.cpp hold here too (binding.hpp).
#include <pybind11/pybind11.h>

#include <optional>
#include <string>

#include "binding.hpp"
#include "convert.hpp"
#include "patron/exports.hpp"

namespace patron::python {
namespace {

void bind_report(py::module_& m) {
  py::class_<ExportReport> report(
      m, "ExportReport",
      "What an export wrote: the file, its format ('jsonl' or 'csv'), how many customers and bytes, and a CSV's "
      "columns; completed is False when the export was stopped (then no file was written).");
  report.def_property_readonly("file", [](const ExportReport& r) { return str(r.file); })
      .def_property_readonly("format", [](const ExportReport& r) { return str(to_string(r.format)); })
      .def_readonly("completed", &ExportReport::completed)
      .def_readonly("customers", &ExportReport::customers)
      .def_readonly("bytes", &ExportReport::bytes)
      .def_property_readonly("columns",
                             [](const ExportReport& r) {
                               py::list out;
                               for (const auto& c : r.columns) out.append(str(c));
                               return out;
                             })
      .def("__repr__", [](const ExportReport& r) {
        return "<patron.ExportReport " + std::string(to_string(r.format)) + " customers=" +
               std::to_string(r.customers) + " bytes=" + std::to_string(r.bytes) + ">";
      });
  bind_eq<ExportReport>(report);
}

}  // namespace

void bind_exports(py::module_& m) {
  bind_report(m);
  py::class_<PyExports> cls(m, "Exports", "Writing the customer base, or a selection, to a file (db.exports).");
  cls.def(
         "customers",
         [](PyExports& self, py::handle file, py::handle format, py::handle fields, py::handle delimiter,
            py::handle overwrite, py::handle customers, py::handle company, py::handle rfm_currency,
            py::handle rfm_segment, py::handle created_since, py::handle changed_since, py::handle progress) {
           const std::string p = path(file, "path");
           ExportOptions o;
           if (!format.is_none()) o.format = parse_export_format(text(format, "format"));
           if (!fields.is_none()) o.fields = text_list(fields, "fields");
           const std::string d = text(delimiter, "delimiter");
           if (d == "tab" || d == "\t") {
             o.delimiter = '\t';
           } else if (d == "," || d == ";") {
             o.delimiter = d[0];
           } else {
             throw patron::Error(patron::Errc::invalid_argument, "delimiter: must be one of , ; tab", "delimiter");
           }
           o.overwrite = boolean(overwrite, "overwrite");
           if (!customers.is_none()) o.select.customers = text_list(customers, "customers");
           if (!company.is_none()) o.select.company = integer(company, "company");
           if (!rfm_currency.is_none()) o.select.rfm_currency = text(rfm_currency, "rfm_currency");
           if (!rfm_segment.is_none()) o.select.rfm_segment = parse_rfm_segment(text(rfm_segment, "rfm_segment"), "rfm_segment");
           if (!created_since.is_none()) o.select.created_since = timestamp(created_since, "created_since");
           if (!changed_since.is_none()) o.select.changed_since = timestamp(changed_since, "changed_since");
           ProgressCall call(progress);
           o.progress = [&](const ExportProgress& at) { return call(at.rows_done, at.rows_total); };
           ExportReport report =
               without_gil(*self.connection, [&](patron::Database& db) { return db.exports().customers(p, o); });
           call.raise_if_stopped(report.completed);
           return report;
         },
         py::arg("path"), py::kw_only(), py::arg("format") = py::none(), py::arg("fields") = py::none(),
         py::arg("delimiter") = ",", py::arg("overwrite") = false, py::arg("customers") = py::none(),
         py::arg("company") = py::none(), py::arg("rfm_currency") = py::none(), py::arg("rfm_segment") = py::none(),
         py::arg("created_since") = py::none(), py::arg("changed_since") = py::none(),
         py::arg("progress") = py::none(),
         "Exports customers to a JSON Lines (complete nested records) or CSV (numbered list columns) file, from one "
         "snapshot, written beside path and renamed into place. Selection: customers (refs), company (id), "
         "rfm_currency with rfm_segment, created_since, changed_since; all given apply. fields: the record's fields "
         "to write (all by default). The file imports back as it is (db.imports.customers). progress(rows_done, "
         "rows_total) after each page; returning False stops the export and no file is written.")
      .def("__repr__",
           [](const PyExports& self) { return "<patron.Exports of " + repr_of(self.connection->path) + ">"; });
}

}  // namespace patron::python
