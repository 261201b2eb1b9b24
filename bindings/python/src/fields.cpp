// Custom fields, bound for Python:
//   db.custom_fields.define("vip_level", "VIP level", "select", options=["silver", "gold"])  -> FieldDefinition
//   db.custom_fields.set(ana, "vip_level", "gold")        -> {"vip_level": "gold"}
//   db.custom_fields.find("vip_level", "gold")            -> [Customer]
//   db.customers.create(..., custom_fields={"vip_level": "gold"})
// The rules of module.cpp hold here too (binding.hpp).
//
// Values are Python values, one per field type: text, select, url: str;
// number: float (an int is accepted and stored as a float; values read back
// as float); date: datetime.date (or a "YYYY-MM-DD" str); multi_select: a
// list of str; checkbox: bool; file: an int, a document id (a Document is
// accepted too; a float, even 3.0, is refused). bool is never a number.
// The value is converted for its field's type inside the database call,
// where the definitions are at hand.
#include <pybind11/pybind11.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "binding.hpp"
#include "convert.hpp"
#include "patron/custom_fields.hpp"
#include "patron/documents.hpp"
#include "patron/json.hpp"

namespace patron::python {
namespace {

std::string value_field(std::string_view key) { return "custom_fields." + std::string(key); }

// A list of str, None read as [].
std::vector<std::string> strings_or_none(py::handle value, std::string_view field) {
  if (value.is_none()) return {};
  return text_list(value, field);
}

void bind_field_definition(py::module_& m) {
  py::class_<patron::FieldDefinition> definition(
      m, "FieldDefinition",
      "A read-only snapshot of a custom field's definition: key, label, type ('text', 'number', 'date', "
      "'select', 'multi_select', 'checkbox', 'url', 'file'), whether it is required, its default, its options "
      "(select types) and the roles it is visible to ([] = all staff).");
  definition.def_property_readonly("key", [](const FieldDefinition& d) { return str(d.key); })
      .def_property_readonly("label", [](const FieldDefinition& d) { return str(d.label); })
      .def_property_readonly("type", [](const FieldDefinition& d) { return str(to_string(d.type)); })
      .def_property_readonly("required", [](const FieldDefinition& d) { return d.required; })
      .def_property_readonly("default",
                             [](const FieldDefinition& d) -> py::object {
                               if (!d.default_value) return py::none();
                               return custom_value_out(*d.default_value);
                             })
      .def_property_readonly("options", [](const FieldDefinition& d) { return text_list_out(d.options); })
      .def_property_readonly("visible_to", [](const FieldDefinition& d) { return text_list_out(d.visible_to); })
      .def_property_readonly("created_at", [](const FieldDefinition& d) { return datetime(d.created_at); })
      .def_property_readonly("updated_at", [](const FieldDefinition& d) { return datetime(d.updated_at); })
      .def("__repr__", [](const FieldDefinition& d) {
        return "<patron.FieldDefinition " + d.key + " type=" + std::string(to_string(d.type)) +
               (d.required ? " required" : "") + ">";
      });
  bind_json_value<FieldDefinition>(definition);
}

void bind_custom_fields(py::module_& m) {
  py::class_<PyCustomFields> cls(m, "CustomFields",
                                 "Organisation-defined fields on customers (db.custom_fields): their definitions "
                                 "and each customer's values. Each call is one transaction.");
  using F = PyCustomFields;

  cls.def(
      "define",
      [](F& self, py::handle key, py::handle label, py::handle type, py::handle required, py::handle default_value,
         py::handle options, py::handle visible_to) {
        patron::NewFieldDefinition d;
        d.key = text(key, "key");
        d.label = text(label, "label");
        d.type = patron::parse_field_type(text(type, "type"), "type");
        d.required = boolean(required, "required");
        if (!default_value.is_none()) {
          d.default_value = patron::json::as_field_type(custom_value_arg(default_value, "default"), d.type, "default");
        }
        d.options = strings_or_none(options, "options");
        d.visible_to = strings_or_none(visible_to, "visible_to");
        return service_call(*self.connection, {}, [&](patron::Database& db) { return db.custom_fields().define(d); });
      },
      py::arg("key"), py::arg("label"), py::arg("type") = "text", py::kw_only(), py::arg("required") = false,
      py::arg("default") = py::none(), py::arg("options") = py::tuple(), py::arg("visible_to") = py::tuple(),
      "define(key, label, type='text', *, required=False, default=None, options=(), visible_to=()) -> "
      "FieldDefinition.");

  cls.def(
      "update",
      [](F& self, py::handle key, const py::kwargs& changes) {
        const std::string k = text(key, "key");
        patron::FieldDefinitionUpdate u;
        std::optional<std::optional<CustomValue>> default_value;
        for (auto item : changes) {
          const std::string name = key_of(item.first, "");
          py::handle v = item.second;
          if (name == "label") {
            u.label = text(v, name);
          } else if (name == "type") {
            u.type = patron::parse_field_type(text(v, name), name);
          } else if (name == "required") {
            u.required = boolean(v, name);
          } else if (name == "default") {
            default_value.emplace();
            if (!v.is_none()) default_value->emplace(custom_value_arg(v, name));
          } else if (name == "options") {
            u.options = strings_or_none(v, name);
          } else if (name == "visible_to") {
            u.visible_to = strings_or_none(v, name);
          } else {
            unknown_field(name, "a definition's changes are label, type, required, default, options, visible_to");
          }
        }
        return service_call(*self.connection, {}, [&](patron::Database& db) {
          auto& fields = db.custom_fields();
          if (default_value) {
            // Read for the new type, else for the field's type now.
            u.default_value.emplace();
            if (*default_value) {
              const FieldType type = u.type ? *u.type : fields.get(k).type;
              *u.default_value = patron::json::as_field_type(**default_value, type, "default");
            }
          }
          return fields.update(k, u);
        });
      },
      py::arg("key"),
      "update(key, *, label=..., type=..., required=..., default=..., options=..., visible_to=...) -> "
      "FieldDefinition. Only the keywords given change; default=None clears the default.");

  cls.def(
      "remove",
      [](F& self, py::handle key) {
        const std::string k = text(key, "key");
        service_call(*self.connection, {}, [&](patron::Database& db) { db.custom_fields().remove(k); });
      },
      py::arg("key"), "Removes the field and every value of it.");

  cls.def(
      "get",
      [](F& self, py::handle key) {
        const std::string k = text(key, "key");
        return service_call(*self.connection, {}, [&](patron::Database& db) { return db.custom_fields().get(k); });
      },
      py::arg("key"), "The field's definition; raises NotFoundError (field 'key') when there is none.");

  cls.def(
      "list",
      [](F& self) {
        return object_list(
            service_call(*self.connection, {}, [](patron::Database& db) { return db.custom_fields().list(); }));
      },
      "Every definition, by key.");

  cls.def(
      "values",
      [](F& self, py::handle ref, py::handle role) {
        const std::string r = ref_arg(ref);
        const std::optional<std::string> as_role =
            role.is_none() ? std::nullopt : std::optional<std::string>(text(role, "role"));
        return custom_values_out(service_call(*self.connection, {}, [&](patron::Database& db) {
          return db.custom_fields().values(r, as_role ? std::optional<std::string_view>(*as_role) : std::nullopt);
        }));
      },
      py::arg("ref"), py::arg("role") = py::none(),
      "The customer's values by key (a dict); with a role, only the fields visible to it.");

  cls.def(
      "set",
      [](F& self, py::handle ref, py::handle key, py::handle value) {
        const std::string r = ref_arg(ref);
        const std::string k = text(key, "key");
        std::map<std::string, CustomValue> one{{k, custom_value_arg(value, value_field(k))}};
        return custom_values_out(service_call(*self.connection, {}, [&](patron::Database& db) {
          conform_custom_values(db, one, "");
          return db.custom_fields().set(r, k, one.at(k));
        }));
      },
      py::arg("ref"), py::arg("key"), py::arg("value"),
      "Sets one value (validated for the field); returns all of the customer's values.");

  cls.def(
      "clear",
      [](F& self, py::handle ref, py::handle key) {
        const std::string r = ref_arg(ref);
        const std::string k = text(key, "key");
        return custom_values_out(
            service_call(*self.connection, {}, [&](patron::Database& db) { return db.custom_fields().clear(r, k); }));
      },
      py::arg("ref"), py::arg("key"),
      "Removes a value (refused for a required field); returns all of the customer's values.");

  cls.def(
      "find",
      [](F& self, py::handle key, py::handle value, py::handle limit, py::handle offset) {
        const std::string k = text(key, "key");
        std::map<std::string, CustomValue> one{{k, custom_value_arg(value, value_field(k))}};
        const patron::Page page = page_arg(limit, offset);
        return object_list(service_call(*self.connection, {}, [&](patron::Database& db) {
          conform_custom_values(db, one, "");
          return db.custom_fields().find(k, one.at(k), page);
        }));
      },
      py::arg("key"), py::arg("value"), py::kw_only(), py::arg("limit") = 50, py::arg("offset") = 0,
      "Customers whose value equals `value` (multi_select: holds each of its options), by customer number.");

  cls.def("__repr__", [](const F& self) { return "<patron.CustomFields of " + repr_of(self.connection->path) + ">"; });
}

}  // namespace

CustomValue custom_value_arg(py::handle value, const std::string& field) {
  if (PyBool_Check(value.ptr())) return value.cast<bool>();
  if (PyLong_Check(value.ptr())) return integer(value, field);
  if (PyFloat_Check(value.ptr())) return value.cast<double>();
  if (PyUnicode_Check(value.ptr())) return text(value, field);
  if (py::isinstance<patron::Document>(value)) return value.cast<const patron::Document&>().id;
  if (py::isinstance(value, py::module_::import("datetime").attr("date"))) return date(value, field);
  if (PyList_Check(value.ptr()) || PyTuple_Check(value.ptr())) return text_list(value, field);
  throw py::type_error(field + " must be a str, float, int, bool, datetime.date or list of str, not " +
                       Py_TYPE(value.ptr())->tp_name);
}

std::map<std::string, CustomValue> custom_values_arg(py::handle value, const std::string& prefix) {
  const std::string field = prefix + "custom_fields";
  std::map<std::string, CustomValue> out;
  for (auto item : as_dict(value, field)) {
    const std::string key = key_of(item.first, field + ".");
    out.emplace(key, custom_value_arg(item.second, field + "." + key));
  }
  return out;
}

void conform_custom_values(const patron::Database& db, std::map<std::string, CustomValue>& values,
                           std::string_view prefix) {
  if (values.empty()) return;
  const patron::json::FieldTypes types = patron::json::field_types(db.custom_fields().list());
  for (auto& [key, value] : values) {
    const auto type = types.find(key);
    if (type == types.end()) continue;
    value = patron::json::as_field_type(std::move(value), type->second, std::string(prefix) + value_field(key));
  }
}

py::object custom_value_out(const CustomValue& value) {
  return std::visit(
      [](const auto& v) -> py::object {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string>) {
          return str(v);
        } else if constexpr (std::is_same_v<T, Date>) {
          return date(v);
        } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
          return text_list_out(v);
        } else {
          return py::cast(v);
        }
      },
      value);
}

py::dict custom_values_out(const std::map<std::string, CustomValue>& values) {
  py::dict out;
  for (const auto& [key, value] : values) out[str(key)] = custom_value_out(value);
  return out;
}

void bind_fields(py::module_& m) {
  bind_field_definition(m);
  bind_custom_fields(m);
}

}  // namespace patron::python
