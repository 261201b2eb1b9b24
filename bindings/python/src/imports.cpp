// Imports, bound for Python:
//   db.imports.customers(path, *, mapping=None, encoding=None, delimiter=None, mode="upsert",
//                        dry_run=False, rejects=None, format=None, policy="overwrite",
//                        fill_blanks=(), duplicates="list", duplicate_probability=0.9,
//                        date_order="day_first", batch_size=1000, max_listed=1000,
//                        by="import", progress=None)                      -> ImportReport
//   db.imports.credentials / purse_balances / points_balances / memberships / orders
//                       (path, *, mapping=None, encoding=None, delimiter=None, mode="upsert",
//                        dry_run=False, rejects=None, format=None, date_order="day_first",
//                        batch_size=1000, max_listed=1000, by="import", progress=None) -> ImportReport
// Ctrl-C (or an exception in progress) stops the import at the next batch
// boundary and is raised then: the same call again resumes the run.
// The rules of module.cpp hold here too (binding.hpp).
#include <pybind11/pybind11.h>

#include <string>

#include "binding.hpp"
#include "convert.hpp"
#include "patron/imports.hpp"

namespace patron::python {
namespace {

std::size_t count_arg(py::handle value, const char* field) {
  const std::int64_t n = integer(value, field);
  if (n < 0) throw patron::Error(patron::Errc::invalid_argument, std::string(field) + ": must not be negative", field);
  return static_cast<std::size_t>(n);
}

// mapping: None, a dict {column: field}, or the path of a mapping file.
patron::ImportMapping mapping_arg(py::handle mapping, py::handle policy, py::handle fill_blanks) {
  patron::ImportMapping m;
  if (py::isinstance<py::dict>(mapping)) {
    for (auto item : py::reinterpret_borrow<py::dict>(mapping)) {
      const std::string column = text(item.first, "mapping");
      m.columns[column] = text(item.second, "mapping." + column);
    }
  } else if (!mapping.is_none()) {
    m = patron::ImportMapping::load(path(mapping, "mapping"));
  }
  if (!policy.is_none()) m.default_policy = patron::parse_field_policy(text(policy, "policy"), "policy");
  if (!fill_blanks.is_none()) {
    if (py::isinstance<py::str>(fill_blanks)) {
      throw patron::Error(patron::Errc::invalid_argument, "fill_blanks: must be a list of fields", "fill_blanks");
    }
    std::size_t i = 0;
    for (auto target : fill_blanks) {
      m.policies[text(target, indexed_field("fill_blanks", i++))] = patron::FieldPolicy::fill_blanks;
    }
  }
  return m;
}

void bind_values(py::module_& m) {
  py::class_<RejectedRow> rejected(m, "RejectedRow",
                                   "A row the import refused: its line, the column (or 'row', 'line', 'customer') "
                                   "at fault, the error code ('invalid_argument', 'already_exists', 'conflict', "
                                   "'not_found', ...) and the message.");
  rejected.def_readonly("line", &RejectedRow::line)
      .def_property_readonly("field", [](const RejectedRow& r) { return str(r.field); })
      .def_property_readonly("code", [](const RejectedRow& r) { return str(errc_name(r.code)); })
      .def_property_readonly("message", [](const RejectedRow& r) { return str(r.message); })
      .def("__repr__", [](const RejectedRow& r) {
        return "<patron.RejectedRow line=" + std::to_string(r.line) + " " + repr_of(r.message) + ">";
      });
  bind_eq<RejectedRow>(rejected);

  py::class_<SameAsRow> same(m, "SameAsRow",
                             "A row naming the customer an earlier row of the file created or matched: the two "
                             "became one customer.");
  same.def_readonly("line", &SameAsRow::line)
      .def_readonly("earlier_line", &SameAsRow::earlier_line)
      .def_property_readonly("customer", [](const SameAsRow& r) { return str(r.customer.str()); })
      .def("__repr__", [](const SameAsRow& r) {
        return "<patron.SameAsRow line=" + std::to_string(r.line) + " same as line " + std::to_string(r.earlier_line) +
               ">";
      });
  bind_eq<SameAsRow>(same);

  py::class_<PossibleDuplicateRow> like(
      m, "PossibleDuplicateRow",
      "A new row resembling an existing customer without sharing a key with it: the customer it created (None "
      "when held back), the one it resembles and the match probability.");
  like.def_readonly("line", &PossibleDuplicateRow::line)
      .def_property_readonly("customer",
                             [](const PossibleDuplicateRow& r) {
                               return r.customer ? py::object(str(r.customer->str())) : py::none();
                             })
      .def_property_readonly("resembles", [](const PossibleDuplicateRow& r) { return str(r.resembles.str()); })
      .def_readonly("probability", &PossibleDuplicateRow::probability)
      .def("__repr__", [](const PossibleDuplicateRow& r) {
        return "<patron.PossibleDuplicateRow line=" + std::to_string(r.line) +
               " probability=" + std::to_string(r.probability) + ">";
      });
  bind_eq<PossibleDuplicateRow>(like);

  py::class_<ImportReport> report(
      m, "ImportReport",
      "What an import did: every row is counted in exactly one of created, updated, unchanged, rejected and "
      "same_as_earlier_line; the lists hold the first max_listed of each kind; completed is False when the run "
      "was stopped (the same call again resumes it) and resumed_after says how many rows an earlier run had done.");
  report.def_property_readonly("file", [](const ImportReport& r) { return str(r.file); })
      .def_property_readonly("format", [](const ImportReport& r) { return str(to_string(r.format)); })
      .def_property_readonly("encoding", [](const ImportReport& r) { return str(r.encoding); })
      .def_property_readonly("delimiter",
                             [](const ImportReport& r) {
                               return r.delimiter == 0 ? py::object(py::none()) : py::object(str(std::string(1, r.delimiter)));
                             })
      .def_readonly("dry_run", &ImportReport::dry_run)
      .def_readonly("completed", &ImportReport::completed)
      .def_readonly("resumed_after", &ImportReport::resumed_after)
      .def_readonly("rows", &ImportReport::rows)
      .def_readonly("created", &ImportReport::created)
      .def_readonly("updated", &ImportReport::updated)
      .def_readonly("unchanged", &ImportReport::unchanged)
      .def_readonly("rejected", &ImportReport::rejected)
      .def_readonly("same_as_earlier_line", &ImportReport::same_as_earlier_line)
      .def_readonly("possible_duplicates", &ImportReport::possible_duplicates)
      .def_property_readonly("columns",
                             [](const ImportReport& r) {
                               py::dict out;
                               for (const auto& [column, target] : r.columns) out[str(column)] = str(target);
                               return out;
                             })
      .def_property_readonly("unknown_columns",
                             [](const ImportReport& r) {
                               py::list out;
                               for (const auto& c : r.unknown_columns) out.append(str(c));
                               return out;
                             })
      .def_property_readonly("rejected_rows", [](const ImportReport& r) { return object_list(r.rejected_rows); })
      .def_property_readonly("same_as_rows", [](const ImportReport& r) { return object_list(r.same_as_rows); })
      .def_property_readonly("possible_duplicate_rows",
                             [](const ImportReport& r) { return object_list(r.possible_duplicate_rows); })
      .def("__repr__", [](const ImportReport& r) {
        return "<patron.ImportReport rows=" + std::to_string(r.rows) + " created=" + std::to_string(r.created) +
               " updated=" + std::to_string(r.updated) + " unchanged=" + std::to_string(r.unchanged) +
               " rejected=" + std::to_string(r.rejected) +
               " same_as_earlier_line=" + std::to_string(r.same_as_earlier_line) + ">";
      });
  bind_eq<ImportReport>(report);
}

// The options every import takes, and the run: Ctrl-C (or an exception in
// progress) between batches stops it, raised after the report is made.
ImportOptions file_options(py::handle mapping, py::handle policy, py::handle fill_blanks, py::handle encoding,
                           py::handle delimiter, py::handle mode, py::handle dry_run, py::handle rejects,
                           py::handle format, py::handle date_order, py::handle batch_size, py::handle max_listed,
                           py::handle by) {
  ImportOptions o;
  o.mapping = mapping_arg(mapping, policy, fill_blanks);
  if (!encoding.is_none()) o.encoding = text(encoding, "encoding");
  if (!delimiter.is_none()) {
    const std::string d = text(delimiter, "delimiter");
    if (d == "tab" || d == "\t") {
      o.delimiter = '\t';
    } else if (d == "," || d == ";" || d == "|") {
      o.delimiter = d[0];
    } else {
      throw patron::Error(patron::Errc::invalid_argument, "delimiter: must be one of , ; | tab", "delimiter");
    }
  }
  o.mode = parse_import_mode(text(mode, "mode"));
  o.dry_run = boolean(dry_run, "dry_run");
  if (!rejects.is_none()) o.rejects = path(rejects, "rejects");
  if (!format.is_none()) o.format = parse_import_format(text(format, "format"));
  o.date_order = parse_date_order(text(date_order, "date_order"));
  o.batch_size = count_arg(batch_size, "batch_size");
  o.max_listed = count_arg(max_listed, "max_listed");
  o.by = text(by, "by");
  return o;
}

ImportReport run(PyImports& self, const std::string& file, ImportOptions& o, py::handle progress,
                 ImportReport (Imports::*kind)(const std::string&, const ImportOptions&)) {
  ProgressCall call(progress);
  o.progress = [&](const ImportProgress& at) { return call(at.rows_done, at.rows_total); };
  ImportReport report = without_gil(*self.connection, [&](patron::Database& db) { return (db.imports().*kind)(file, o); });
  call.raise_if_stopped(report.completed);
  return report;
}

// db.imports.<kind>(path, *, mapping, encoding, delimiter, mode, dry_run,
// rejects, format, date_order, batch_size, max_listed, by, progress).
void bind_file(py::class_<PyImports>& cls, const char* name,
               ImportReport (Imports::*kind)(const std::string&, const ImportOptions&), const char* doc) {
  cls.def(
      name,
      [kind](PyImports& self, py::handle file, py::handle mapping, py::handle encoding, py::handle delimiter,
             py::handle mode, py::handle dry_run, py::handle rejects, py::handle format, py::handle date_order,
             py::handle batch_size, py::handle max_listed, py::handle by, py::handle progress) {
        const std::string p = path(file, "path");
        ImportOptions o = file_options(mapping, py::none(), py::none(), encoding, delimiter, mode, dry_run, rejects,
                                       format, date_order, batch_size, max_listed, by);
        return run(self, p, o, progress, kind);
      },
      py::arg("path"), py::kw_only(), py::arg("mapping") = py::none(), py::arg("encoding") = py::none(),
      py::arg("delimiter") = py::none(), py::arg("mode") = "upsert", py::arg("dry_run") = false,
      py::arg("rejects") = py::none(), py::arg("format") = py::none(), py::arg("date_order") = "day_first",
      py::arg("batch_size") = 1000, py::arg("max_listed") = 1000, py::arg("by") = "import",
      py::arg("progress") = py::none(), doc);
}

}  // namespace

void bind_imports(py::module_& m) {
  bind_values(m);
  py::class_<PyImports> cls(m, "Imports", "Bringing a customer base in from another system's files (db.imports).");
  cls.def(
      "customers",
      [](PyImports& self, py::handle file, py::handle mapping, py::handle encoding, py::handle delimiter,
         py::handle mode, py::handle dry_run, py::handle rejects, py::handle format, py::handle policy,
         py::handle fill_blanks, py::handle duplicates, py::handle duplicate_probability, py::handle date_order,
         py::handle batch_size, py::handle max_listed, py::handle by, py::handle progress) {
        const std::string p = path(file, "path");
        ImportOptions o = file_options(mapping, policy, fill_blanks, encoding, delimiter, mode, dry_run, rejects,
                                       format, date_order, batch_size, max_listed, by);
        o.duplicates = parse_duplicate_check(text(duplicates, "duplicates"));
        o.duplicate_probability = number(duplicate_probability, "duplicate_probability");
        return run(self, p, o, progress, &Imports::customers);
      },
      py::arg("path"), py::kw_only(), py::arg("mapping") = py::none(), py::arg("encoding") = py::none(),
      py::arg("delimiter") = py::none(), py::arg("mode") = "upsert", py::arg("dry_run") = false,
      py::arg("rejects") = py::none(), py::arg("format") = py::none(), py::arg("policy") = py::none(),
      py::arg("fill_blanks") = py::none(), py::arg("duplicates") = "list", py::arg("duplicate_probability") = 0.9,
      py::arg("date_order") = "day_first", py::arg("batch_size") = 1000, py::arg("max_listed") = 1000,
      py::arg("by") = "import", py::arg("progress") = py::none(),
      "Imports customers from a CSV or JSON Lines file (str or os.PathLike): every row validated, matched (by "
      "number, email, then phone with the same first name), created or updated in batches, rejected rows to "
      "rejects. mapping is a dict {column: field} or the path of a .json/.toml mapping file; fill_blanks lists "
      "the fields an existing customer's value wins for. progress(rows_done, rows_total) is called after each "
      "batch; returning False stops the run (resumable).");
  constexpr const char* kOther =
      " Each row names its customer in a 'customer' column (id or number) or 'customer.email'. A record already "
      "there is unchanged when the row says the same, else the row is rejected (conflict); mode create rejects "
      "rows whose record is there, update rows whose record is not. Runs, resumes and reports as customers() "
      "does.";
  bind_file(cls, "credentials", &Imports::credentials,
            (std::string("Imports cards and keys: kind, value, label, status (active, blocked, lost), valid_from, "
                         "valid_until.") + kOther).c_str());
  bind_file(cls, "purse_balances", &Imports::purse_balances,
            (std::string("Imports opening purse balances: currency, balance in major units ('125.50'), once per "
                         "customer and currency whatever file or run brings it.") + kOther).c_str());
  bind_file(cls, "points_balances", &Imports::points_balances,
            (std::string("Imports opening points balances: program, points, qualifying; an adjustment 'opening "
                         "balance', once per customer and program.") + kOther).c_str());
  bind_file(cls, "memberships", &Imports::memberships,
            (std::string("Imports memberships: plan (name or id), starts_at, ends_at, status (active, paused, "
                         "cancelled; expired for an end that has passed).") + kOther).c_str());
  bind_file(cls, "orders", &Imports::orders,
            (std::string("Imports order history: external_ref, source ('import'), placed_at, status "
                         "('completed'), currency, total and paid in major units, items.N.name/quantity/"
                         "unit_price/category.") + kOther).c_str());
  cls.def("__repr__", [](const PyImports& self) { return "<patron.Imports of " + repr_of(self.connection->path) + ">"; });
}

}  // namespace patron::python
