// Credentials and door access, bound for Python:
//   db.credentials.issue("smart_card", "04A1B2C3", customer=ana)  -> Credential
//   db.identify_credential(token, at=None)                        -> CredentialCheck
//   db.credential_holder(token, at=None)                          -> str | None
//   db.doors.create("front-gate", "Front gate")                   -> Door
//   db.doors.grant(customer=ana, door="front-gate")               -> Permission
//   db.doors.open(token, "front-gate")                            -> AccessDecision
// The rules of module.cpp hold here too (binding.hpp): arguments converted
// with the GIL held, the GIL released around the database call, enums as
// their str names, times as aware UTC datetimes.
#include <pybind11/pybind11.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "binding.hpp"
#include "convert.hpp"
#include "patron/credentials.hpp"
#include "patron/doors.hpp"

namespace patron::python {
namespace {

// A door named by its id (a str) or by a Door snapshot.
std::string door_arg(py::handle value, std::string_view field) {
  if (py::isinstance<patron::Door>(value)) return value.cast<const patron::Door&>().id;
  return text(value, field);
}

// A permission named by its id (an int) or by a Permission snapshot.
std::int64_t permission_arg(py::handle value) {
  if (py::isinstance<patron::Permission>(value)) return value.cast<const patron::Permission&>().id;
  return integer(value, "id");
}

// A wallet pass's data: a WalletPass, or None for none.
std::optional<patron::WalletPass> wallet_arg(py::handle value) {
  if (value.is_none()) return std::nullopt;
  if (!py::isinstance<patron::WalletPass>(value)) {
    throw py::type_error(std::string("wallet must be a patron.WalletPass or None, not ") +
                         Py_TYPE(value.ptr())->tp_name);
  }
  return value.cast<const patron::WalletPass&>();
}

std::string window_repr(const std::optional<Timestamp>& from, const std::optional<Timestamp>& until) {
  const auto side = [](const std::optional<Timestamp>& t) { return t ? format_timestamp(*t) : std::string("None"); };
  return "[" + side(from) + ", " + side(until) + ")";
}

void bind_credential_values(py::module_& m) {
  py::class_<patron::WalletPass> wallet(
      m, "WalletPass",
      "What a wallet pass credential adds: the provider ('apple' or 'google'), the pass serial and what the pass "
      "is for ('membership', 'access', 'loyalty'). Immutable; give one to db.credentials.issue(wallet=...).");
  wallet
      .def(py::init([](py::handle serial, py::handle provider, py::handle pass_type) {
             patron::WalletPass w;
             w.serial = text(serial, "wallet.serial");
             w.provider = patron::parse_wallet_provider(text(provider, "wallet.provider"), "wallet.provider");
             w.pass_type = patron::parse_pass_type(text(pass_type, "wallet.pass_type"), "wallet.pass_type");
             return w;
           }),
           py::arg("serial"), py::kw_only(), py::arg("provider") = "apple", py::arg("pass_type") = "membership")
      .def_property_readonly("provider", [](const WalletPass& w) { return str(to_string(w.provider)); })
      .def_property_readonly("serial", [](const WalletPass& w) { return str(w.serial); })
      .def_property_readonly("pass_type", [](const WalletPass& w) { return str(to_string(w.pass_type)); })
      .def("__repr__", [](const WalletPass& w) {
        return "WalletPass(" + repr_of(w.serial) + ", provider=" + repr_of(to_string(w.provider)) +
               ", pass_type=" + repr_of(to_string(w.pass_type)) + ")";
      });
  bind_eq<WalletPass>(wallet);
  wallet.def("__hash__", [](const WalletPass& w) {
    return py::hash(py::make_tuple(str(to_string(w.provider)), str(w.serial), str(to_string(w.pass_type))));
  });

  py::class_<patron::Credential> credential(
      m, "Credential",
      "A read-only snapshot of a credential: a card, key fob, barcode, QR code, wallet pass or caller id held by "
      "a customer, with its status (active, blocked, lost, replaced) and validity window. Change it through "
      "db.credentials.");
  credential.def_property_readonly("id", [](const Credential& c) { return c.id; })
      .def_property_readonly("kind", [](const Credential& c) { return str(to_string(c.kind)); })
      .def_property_readonly("value", [](const Credential& c) { return str(c.value); })
      .def_property_readonly("customer", [](const Credential& c) { return str(c.customer.str()); })
      .def_property_readonly("status", [](const Credential& c) { return str(to_string(c.status)); })
      .def_property_readonly("valid_from", [](const Credential& c) { return datetime(c.valid_from); })
      .def_property_readonly("valid_until", [](const Credential& c) { return datetime(c.valid_until); })
      .def_property_readonly("label", [](const Credential& c) { return str(c.label); })
      .def_property_readonly("wallet", [](const Credential& c) -> py::object {
        if (!c.wallet) return py::none();
        return py::cast(*c.wallet);
      })
      .def_property_readonly("replaces", [](const Credential& c) { return optional_id(c.replaces); })
      .def_property_readonly("replaced_by", [](const Credential& c) { return optional_id(c.replaced_by); })
      .def_property_readonly("created_at", [](const Credential& c) { return datetime(c.created_at); })
      .def_property_readonly("updated_at", [](const Credential& c) { return datetime(c.updated_at); })
      .def(
          "usable_at", [](const Credential& c, py::handle at) { return c.usable_at(timestamp(at, "at")); },
          py::arg("at"), "Whether the credential is active and inside its validity window at `at`.")
      .def("__repr__", [](const Credential& c) {
        return "<patron.Credential " + std::to_string(c.id) + " kind=" + std::string(to_string(c.kind)) +
               " value=" + repr_of(c.value) + " customer=" + c.customer.str() +
               " status=" + std::string(to_string(c.status)) + ">";
      });
  bind_json_forms<Credential>(credential);

  py::class_<patron::CredentialCheck> check(
      m, "CredentialCheck",
      "What db.identify_credential() found: the verdict ('accepted', 'unknown', 'blocked', 'lost', 'replaced', "
      "'not_yet_valid', 'expired'), the credential the token named (None when unknown) and the holder (only "
      "when accepted).");
  check.def_property_readonly("verdict", [](const CredentialCheck& c) { return str(to_string(c.verdict)); })
      .def_property_readonly("credential",
                             [](const CredentialCheck& c) -> py::object {
                               if (!c.credential) return py::none();
                               return py::cast(*c.credential);
                             })
      .def_property_readonly("customer",
                             [](const CredentialCheck& c) -> py::object {
                               if (!c.customer) return py::none();
                               return py::cast(*c.customer);
                             })
      .def_property_readonly("accepted", [](const CredentialCheck& c) { return c.verdict == CredentialVerdict::accepted; })
      .def("__bool__", [](const CredentialCheck& c) { return c.verdict == CredentialVerdict::accepted; })
      .def("__repr__", [](const CredentialCheck& c) {
        return "<patron.CredentialCheck verdict=" + std::string(to_string(c.verdict)) +
               (c.credential ? " credential=" + std::to_string(c.credential->id) : std::string()) +
               (c.customer ? " customer=" + c.customer->id.str() : std::string()) + ">";
      });
  bind_json_value<CredentialCheck>(check);
}

void bind_credentials(py::module_& m) {
  py::class_<PyCredentials> cls(m, "Credentials",
                                "The registry of credentials customers present (db.credentials): cards, key fobs, "
                                "barcodes, QR codes, wallet passes and caller ids. Every change is atomic and "
                                "returns the credential as it now is.");
  using Cr = PyCredentials;

  cls.def(
      "issue",
      [](Cr& self, py::handle kind, py::handle value, py::handle customer, py::handle label, py::handle valid_from,
         py::handle valid_until, py::handle wallet) {
        patron::NewCredential request;
        request.kind = patron::parse_credential_kind(text(kind, "kind"), "kind");
        request.value = text(value, "value");
        request.customer_ref = ref_arg(customer, "customer");
        request.label = optional_text(label, "label");
        request.valid_from = optional_time(valid_from, "valid_from");
        request.valid_until = optional_time(valid_until, "valid_until");
        request.wallet = wallet_arg(wallet);
        return service_call(*self.connection, {{"ref", "customer"}},
                            [&](patron::Database& db) { return db.credentials().issue(request); });
      },
      py::arg("kind"), py::arg("value"), py::kw_only(), py::arg("customer"), py::arg("label") = "",
      py::arg("valid_from") = py::none(), py::arg("valid_until") = py::none(), py::arg("wallet") = py::none(),
      "issue(kind, value, *, customer, label='', valid_from=None, valid_until=None, wallet=None) -> Credential. "
      "A 'wallet_pass' needs wallet=WalletPass(...); a 'phone' value must be a valid number (stored in E.164).");

  cls.def(
      "get",
      [](Cr& self, py::handle id) {
        const std::int64_t i = id_arg<patron::Credential>(id, "id");
        return service_call(*self.connection, {}, [&](patron::Database& db) { return db.credentials().get(i); });
      },
      py::arg("id"), "The credential with that id; raises NotFoundError (field 'id') when there is none.");

  cls.def(
      "of_customer",
      [](Cr& self, py::handle customer_ref) {
        std::string r = ref_arg(customer_ref);
        return object_list(
            service_call(*self.connection, {}, [&](patron::Database& db) { return db.credentials().of_customer(r); }));
      },
      py::arg("ref"), "Every credential of the customer, whatever its status, newest first.");

  cls.def(
      "find",
      [](Cr& self, py::handle kind, py::handle value) {
        const patron::CredentialKind k = patron::parse_credential_kind(text(kind, "kind"), "kind");
        std::string v = text(value, "value");
        return object_list(
            service_call(*self.connection, {}, [&](patron::Database& db) { return db.credentials().find(k, v); }));
      },
      py::arg("kind"), py::arg("value"),
      "Every credential of the kind holding the value (normalised as on issue), whatever its status, newest "
      "first: at most one is active.");

  cls.def(
      "set_status",
      [](Cr& self, py::handle id, py::handle status) {
        const std::int64_t i = id_arg<patron::Credential>(id, "id");
        const patron::CredentialStatus s = patron::parse_credential_status(text(status, "status"), "status");
        return service_call(*self.connection, {},
                            [&](patron::Database& db) { return db.credentials().set_status(i, s); });
      },
      py::arg("id"), py::arg("status"),
      "Moves between 'active', 'blocked' and 'lost'; 'replaced' is set only by replace(). Returns the Credential.");

  cls.def(
      "replace",
      [](Cr& self, py::handle id, py::handle value, py::handle label, py::handle valid_until, py::handle wallet) {
        const std::int64_t i = id_arg<patron::Credential>(id, "id");
        patron::Replacement successor;
        successor.value = text(value, "value");
        if (!label.is_none()) successor.label = text(label, "label");
        successor.valid_until = optional_time(valid_until, "valid_until");
        successor.wallet = wallet_arg(wallet);
        return service_call(*self.connection, {},
                            [&](patron::Database& db) { return db.credentials().replace(i, successor); });
      },
      py::arg("id"), py::arg("value"), py::kw_only(), py::arg("label") = py::none(),
      py::arg("valid_until") = py::none(), py::arg("wallet") = py::none(),
      "Issues the successor (same kind and holder, the new value; label, window end and wallet are the old "
      "credential's unless given) and marks the old one replaced, in one transaction. Returns the successor.");

  cls.def(
      "set_validity",
      [](Cr& self, py::handle id, py::handle valid_from, py::handle valid_until) {
        const std::int64_t i = id_arg<patron::Credential>(id, "id");
        const std::optional<Timestamp> from = optional_time(valid_from, "valid_from");
        const std::optional<Timestamp> until = optional_time(valid_until, "valid_until");
        return service_call(*self.connection, {},
                            [&](patron::Database& db) { return db.credentials().set_validity(i, from, until); });
      },
      py::arg("id"), py::arg("valid_from") = py::none(), py::arg("valid_until") = py::none(),
      "Sets the validity window [valid_from, valid_until); None is unbounded on that side. Returns the "
      "Credential.");

  cls.def(
      "set_label",
      [](Cr& self, py::handle id, py::handle label) {
        const std::int64_t i = id_arg<patron::Credential>(id, "id");
        std::string l = optional_text(label, "label");
        return service_call(*self.connection, {},
                            [&](patron::Database& db) { return db.credentials().set_label(i, l); });
      },
      py::arg("id"), py::arg("label"), "Sets the label (None or '' clears it). Returns the Credential.");

  cls.def("__repr__",
          [](const Cr& self) { return "<patron.Credentials of " + repr_of(self.connection->path) + ">"; });
}

void bind_door_values(py::module_& m) {
  py::class_<patron::Door> door(m, "Door",
                                "A read-only snapshot of a door: its host-chosen id ('front-gate'), name and "
                                "notes. Change it through db.doors.");
  door.def_property_readonly("id", [](const Door& d) { return str(d.id); })
      .def_property_readonly("name", [](const Door& d) { return str(d.name); })
      .def_property_readonly("notes", [](const Door& d) { return str(d.notes); })
      .def_property_readonly("created_at", [](const Door& d) { return datetime(d.created_at); })
      .def_property_readonly("updated_at", [](const Door& d) { return datetime(d.updated_at); })
      .def("__repr__",
           [](const Door& d) { return "<patron.Door " + repr_of(d.id) + " name=" + repr_of(d.name) + ">"; });
  bind_json_value<Door>(door);
  door.def("__hash__", [](const Door& d) { return py::hash(str(d.id)); });

  py::class_<patron::Permission> permission(
      m, "Permission",
      "A read-only snapshot of a door permission: one customer may open one door within [starts_at, ends_at) "
      "(None: unbounded), optionally only while holding an active membership of required_plan.");
  permission.def_property_readonly("id", [](const Permission& p) { return p.id; })
      .def_property_readonly("customer", [](const Permission& p) { return str(p.customer.str()); })
      .def_property_readonly("door", [](const Permission& p) { return str(p.door); })
      .def_property_readonly("starts_at", [](const Permission& p) { return datetime(p.starts_at); })
      .def_property_readonly("ends_at", [](const Permission& p) { return datetime(p.ends_at); })
      .def_property_readonly("notes", [](const Permission& p) { return str(p.notes); })
      .def_property_readonly("required_plan", [](const Permission& p) { return optional_id(p.required_plan); })
      .def_property_readonly("created_at", [](const Permission& p) { return datetime(p.created_at); })
      .def("__repr__", [](const Permission& p) {
        return "<patron.Permission " + std::to_string(p.id) + " customer=" + p.customer.str() +
               " door=" + repr_of(p.door) + " window=" + window_repr(p.starts_at, p.ends_at) + ">";
      });
  bind_json_forms<Permission>(permission);

  py::class_<patron::AccessDecision> decision(
      m, "AccessDecision",
      "The answer of db.doors.check() and db.doors.open(): allowed or not, the reason ('allowed', "
      "'unknown_door', 'unknown_credential', 'credential_blocked', 'credential_lost', 'credential_replaced', "
      "'credential_not_yet_valid', 'credential_expired', 'banned', 'no_permission', 'outside_window', "
      "'membership_required'), who was checked, the credential presented and the permission that allowed it. "
      "True when allowed.");
  decision.def_property_readonly("allowed", [](const AccessDecision& d) { return d.allowed; })
      .def_property_readonly("reason", [](const AccessDecision& d) { return str(to_string(d.reason)); })
      .def_property_readonly("customer", [](const AccessDecision& d) { return optional_customer_id(d.customer); })
      .def_property_readonly("credential", [](const AccessDecision& d) { return optional_id(d.credential); })
      .def_property_readonly("permission", [](const AccessDecision& d) { return optional_id(d.permission); })
      .def("__bool__", [](const AccessDecision& d) { return d.allowed; })
      .def("__repr__", [](const AccessDecision& d) {
        return std::string("<patron.AccessDecision ") + (d.allowed ? "allowed" : "denied") +
               " reason=" + std::string(to_string(d.reason)) +
               (d.customer ? " customer=" + d.customer->str() : std::string()) + ">";
      });
  bind_json_value<AccessDecision>(decision);
}

void bind_doors(py::module_& m) {
  py::class_<PyDoors> cls(m, "Doors",
                          "Doors and who may open them (db.doors). Every change is atomic; a denial is an "
                          "AccessDecision, not an exception.");
  using D = PyDoors;

  cls.def(
      "create",
      [](D& self, py::handle id, py::handle name, py::handle notes) {
        patron::NewDoor request{text(id, "id"), text(name, "name"), optional_text(notes, "notes")};
        return service_call(*self.connection, {}, [&](patron::Database& db) { return db.doors().create(request); });
      },
      py::arg("id"), py::arg("name"), py::arg("notes") = "",
      "create(id, name, notes='') -> Door. Ids are 1-64 of A-Z a-z 0-9 . _ - : /, chosen by the host.");

  cls.def(
      "update",
      [](D& self, py::handle id, py::handle name, py::handle notes) {
        std::string i = door_arg(id, "id");
        std::string n = text(name, "name");
        std::string o = optional_text(notes, "notes");
        return service_call(*self.connection, {}, [&](patron::Database& db) { return db.doors().update(i, n, o); });
      },
      py::arg("id"), py::arg("name"), py::arg("notes") = "", "Renames the door and replaces its notes. Returns the Door.");

  cls.def(
      "find",
      [](D& self, py::handle id) -> py::object {
        std::string i = door_arg(id, "id");
        return optional_record(
            service_call(*self.connection, {}, [&](patron::Database& db) { return db.doors().find(i); }));
      },
      py::arg("id"), "The door with that id, or None.");

  cls.def(
      "get",
      [](D& self, py::handle id) {
        std::string i = door_arg(id, "id");
        return service_call(*self.connection, {}, [&](patron::Database& db) { return db.doors().get(i); });
      },
      py::arg("id"), "The door with that id; raises NotFoundError (field 'id') when there is none.");

  cls.def(
      "list",
      [](D& self) {
        return object_list(service_call(*self.connection, {}, [](patron::Database& db) { return db.doors().list(); }));
      },
      "Every door, by id.");

  cls.def(
      "grant",
      [](D& self, py::handle customer, py::handle door, py::handle starts_at, py::handle ends_at, py::handle notes,
         py::handle required_plan) {
        patron::NewPermission request;
        request.customer_ref = ref_arg(customer, "customer");
        request.door = door_arg(door, "door");
        request.starts_at = optional_time(starts_at, "starts_at");
        request.ends_at = optional_time(ends_at, "ends_at");
        request.notes = optional_text(notes, "notes");
        if (!required_plan.is_none()) request.required_plan = id_arg<patron::Plan>(required_plan, "required_plan");
        return service_call(*self.connection, {{"ref", "customer"}},
                            [&](patron::Database& db) { return db.doors().grant(request); });
      },
      py::kw_only(), py::arg("customer"), py::arg("door"), py::arg("starts_at") = py::none(),
      py::arg("ends_at") = py::none(), py::arg("notes") = "", py::arg("required_plan") = py::none(),
      "grant(*, customer, door, starts_at=None, ends_at=None, notes='', required_plan=None) -> Permission. "
      "With required_plan, the permission counts only while the customer holds an active membership of it.");

  cls.def(
      "revoke",
      [](D& self, py::handle id) {
        const std::int64_t i = permission_arg(id);
        service_call(*self.connection, {}, [&](patron::Database& db) { db.doors().revoke(i); });
      },
      py::arg("id"), "Revokes the permission; raises NotFoundError (field 'id') when there is none.");

  cls.def(
      "permissions_of",
      [](D& self, py::handle customer_ref) {
        std::string r = ref_arg(customer_ref);
        return object_list(
            service_call(*self.connection, {}, [&](patron::Database& db) { return db.doors().permissions_of(r); }));
      },
      py::arg("ref"), "The customer's permissions, by door, then start (unbounded first), then id.");

  cls.def(
      "permissions_of_door",
      [](D& self, py::handle door, py::handle limit, py::handle offset) {
        std::string d = door_arg(door, "door");
        const patron::Page page = page_arg(limit, offset);
        return object_list(service_call(*self.connection, {}, [&](patron::Database& db) {
          return db.doors().permissions_of_door(d, page);
        }));
      },
      py::arg("door"), py::kw_only(), py::arg("limit") = 50, py::arg("offset") = 0,
      "The door's permissions, by customer number, then start, then id; at most `limit` (1-1000) after "
      "skipping `offset`.");

  cls.def(
      "can_open",
      [](D& self, py::handle customer_ref, py::handle door, py::handle at) {
        std::string r = ref_arg(customer_ref);
        std::string d = door_arg(door, "door");
        const std::optional<Timestamp> when = optional_time(at, "at");
        return service_call(*self.connection, {},
                            [&](patron::Database& db) { return db.doors().can_open(r, d, when); });
      },
      py::arg("ref"), py::arg("door"), py::arg("at") = py::none(),
      "Whether the customer may open the door at `at` (now when None). False for an unknown door.");

  cls.def(
      "check",
      [](D& self, py::handle customer_ref, py::handle door, py::handle at) {
        std::string r = ref_arg(customer_ref);
        std::string d = door_arg(door, "door");
        const std::optional<Timestamp> when = optional_time(at, "at");
        return service_call(*self.connection, {}, [&](patron::Database& db) { return db.doors().check(r, d, when); });
      },
      py::arg("ref"), py::arg("door"), py::arg("at") = py::none(),
      "The same answer as can_open(), as an AccessDecision with the reason.");

  cls.def(
      "open",
      [](D& self, py::handle token, py::handle door, py::handle at) {
        std::string t = text(token, "token");
        std::string d = door_arg(door, "door");
        const std::optional<Timestamp> when = optional_time(at, "at");
        return service_call(*self.connection, {},
                            [&](patron::Database& db) { return db.doors().open_door(t, d, when); });
      },
      py::arg("token"), py::arg("door"), py::arg("at") = py::none(),
      "Identifies the presented credential and decides: an AccessDecision. An unknown, blocked, lost, "
      "replaced, not-yet-valid or expired credential, or an unknown door, is a denial, not an exception.");

  cls.def("__repr__", [](const D& self) { return "<patron.Doors of " + repr_of(self.connection->path) + ">"; });
}

}  // namespace

py::object identify_credential(const Connection& connection, py::handle token, py::handle at) {
  std::string t = text(token, "token");
  const std::optional<Timestamp> when = optional_time(at, "at");
  return py::cast(without_gil(connection, [&](patron::Database& db) { return db.identify_credential(t, when); }));
}

py::object credential_holder(const Connection& connection, py::handle token, py::handle at) {
  std::string t = text(token, "token");
  const std::optional<Timestamp> when = optional_time(at, "at");
  return optional_customer_id(
      without_gil(connection, [&](patron::Database& db) { return db.credential_holder(t, when); }));
}

void bind_access(py::module_& m) {
  bind_credential_values(m);
  bind_credentials(m);
  bind_door_values(m);
  bind_doors(m);
}

}  // namespace patron::python
