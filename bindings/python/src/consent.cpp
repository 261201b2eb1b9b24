// Consent and communication preferences, bound for Python:
//   db.consent.grant(ana, "email", "marketing", legal_basis="consent", source="till") -> ConsentEntry
//   db.consent.withdraw(ana, "email", "marketing", source="email_link")              -> ConsentEntry
//   db.consent.confirm(token)                                                      -> ConsentEntry
//   db.consent.can_contact(ana, "email", "marketing")                              -> bool
//   db.consent.reachable("email", "marketing", after=page.next)                    -> ReachablePage
// Channels, statuses, legal bases and weekdays are their lower-case names.
#include <string>
#include <vector>

#include "binding.hpp"
#include "patron/consent.hpp"

namespace patron::python {
namespace {

Channel channel_arg(py::handle value, std::string_view field = "channel") {
  return parse_channel(text(value, field), field);
}

py::object name_or_none(const std::optional<LegalBasis>& v) {
  return v ? py::object(str(to_string(*v))) : py::object(py::none());
}

// [{"days": ["mon", ...], "from": "09:00", "to": "17:00"}, ...]
std::vector<ContactWindow> windows_arg(py::handle value) {
  std::vector<ContactWindow> out;
  if (value.is_none()) return out;
  if (!py::isinstance<py::list>(value) && !py::isinstance<py::tuple>(value)) {
    throw Error(Errc::invalid_argument, "windows: must be a list of dicts", "windows");
  }
  std::size_t i = 0;
  for (const py::handle w : value) {
    const std::string at = indexed_field("windows", i++);
    const py::dict d = as_dict(w, at);
    ContactWindow window;
    for (const auto& [key, item] : d) {
      const std::string k = key_of(key, at);
      if (k == "days") {
        const auto days = text_list(item, at + ".days");
        for (std::size_t j = 0; j < days.size(); ++j) {
          window.days.push_back(parse_weekday(days[j], indexed_field(at + ".days", j)));
        }
      } else if (k == "from") {
        window.from = text(item, at + ".from");
      } else if (k == "to") {
        window.to = text(item, at + ".to");
      } else {
        throw Error(Errc::invalid_argument, at + "." + k + ": unknown field", at + "." + k);
      }
    }
    out.push_back(std::move(window));
  }
  return out;
}

py::list windows_out(const std::vector<ContactWindow>& windows) {
  py::list out;
  for (const auto& w : windows) {
    py::list days;
    for (const Weekday d : w.days) days.append(str(to_string(d)));
    py::dict item;
    item["days"] = days;
    item["from"] = str(w.from);
    item["to"] = str(w.to);
    out.append(item);
  }
  return out;
}

void bind_values(py::module_& m) {
  py::class_<ConsentEntry> entry(
      m, "ConsentEntry",
      "One entry of a customer's consent log: channel, purpose, status (granted, withdrawn, pending), legal basis, "
      "source, text version, evidence, who recorded it and when; a request's expiry, a confirmation's request, "
      "and the token only in what a double opt-in grant returns.");
  entry.def_property_readonly("id", [](const ConsentEntry& e) { return e.id; })
      .def_property_readonly("customer", [](const ConsentEntry& e) { return str(e.customer.str()); })
      .def_property_readonly("channel", [](const ConsentEntry& e) { return str(to_string(e.channel)); })
      .def_property_readonly("purpose", [](const ConsentEntry& e) { return str(e.purpose); })
      .def_property_readonly("status", [](const ConsentEntry& e) { return str(to_string(e.status)); })
      .def_property_readonly("legal_basis", [](const ConsentEntry& e) { return name_or_none(e.legal_basis); })
      .def_property_readonly("source", [](const ConsentEntry& e) { return str(e.source); })
      .def_property_readonly("text_version", [](const ConsentEntry& e) { return str(e.text_version); })
      .def_property_readonly("evidence", [](const ConsentEntry& e) { return str(e.evidence); })
      .def_property_readonly("recorded_by", [](const ConsentEntry& e) { return str(e.recorded_by); })
      .def_property_readonly("at", [](const ConsentEntry& e) { return datetime(e.at); })
      .def_property_readonly("expires_at", [](const ConsentEntry& e) { return datetime(e.expires_at); })
      .def_property_readonly("confirms", [](const ConsentEntry& e) { return optional_id(e.confirms); })
      .def_property_readonly("token",
                             [](const ConsentEntry& e) {
                               return e.token.empty() ? py::object(py::none()) : py::object(str(e.token));
                             })
      .def("__repr__", [](const ConsentEntry& e) {
        return "<patron.ConsentEntry " + std::to_string(e.id) + " " + std::string(to_string(e.channel)) + "/" +
               e.purpose + " " + std::string(to_string(e.status)) + ">";
      });
  bind_json_forms<ConsentEntry>(entry);

  py::class_<ConsentState> state(m, "ConsentState",
                                 "The current state of one channel and purpose, and whether it allows contact.");
  state.def_property_readonly("channel", [](const ConsentState& s) { return str(to_string(s.channel)); })
      .def_property_readonly("purpose", [](const ConsentState& s) { return str(s.purpose); })
      .def_property_readonly("status", [](const ConsentState& s) { return str(to_string(s.status)); })
      .def_property_readonly("can_contact", [](const ConsentState& s) { return s.can_contact; })
      .def_property_readonly("entry", [](const ConsentState& s) { return s.entry; })
      .def_property_readonly("since", [](const ConsentState& s) { return datetime(s.since); })
      .def("__repr__", [](const ConsentState& s) {
        return "<patron.ConsentState " + std::string(to_string(s.channel)) + "/" + s.purpose + " " +
               std::string(to_string(s.status)) + ">";
      });
  bind_eq<ConsentState>(state);

  py::class_<ConsentPurpose> purpose(m, "ConsentPurpose",
                                     "A purpose of contact: built in (marketing, profiling, service, third_party) "
                                     "or the host's; opt-out purposes reach everyone until they withdraw.");
  purpose.def_property_readonly("name", [](const ConsentPurpose& p) { return str(p.name); })
      .def_property_readonly("description", [](const ConsentPurpose& p) { return str(p.description); })
      .def_property_readonly("opt_out", [](const ConsentPurpose& p) { return p.opt_out; })
      .def_property_readonly("built_in", [](const ConsentPurpose& p) { return p.built_in; })
      .def("__repr__", [](const ConsentPurpose& p) { return "<patron.ConsentPurpose " + p.name + ">"; });
  bind_json_value<ConsentPurpose>(purpose);

  py::class_<ReachablePage> page(m, "ReachablePage",
                                 "One page of customer ids reachable on a channel for a purpose; pass `next` as "
                                 "`after` for the following page (None on the last).");
  page.def_property_readonly("customers", [](const ReachablePage& p) { return customer_id_list(p.customers); })
      .def_property_readonly("next",
                             [](const ReachablePage& p) {
                               return p.next.empty() ? py::object(py::none()) : py::object(str(p.next));
                             })
      .def("__len__", [](const ReachablePage& p) { return p.customers.size(); })
      .def("__repr__", [](const ReachablePage& p) {
        return "<patron.ReachablePage of " + std::to_string(p.customers.size()) + ">";
      });
  bind_json_value<ReachablePage>(page);

  py::class_<ContactPreferences> prefs(
      m, "ContactPreferences",
      "How a customer likes to be contacted: the preferred channel (or None), language (BCP 47), time zone "
      "(IANA) and contact windows ([{'days': ['mon', ...], 'from': 'HH:MM', 'to': 'HH:MM'}]).");
  prefs
      .def_property_readonly("channel",
                             [](const ContactPreferences& p) {
                               return p.channel ? py::object(str(to_string(*p.channel))) : py::object(py::none());
                             })
      .def_property_readonly("language", [](const ContactPreferences& p) { return str(p.language); })
      .def_property_readonly("time_zone", [](const ContactPreferences& p) { return str(p.time_zone); })
      .def_property_readonly("windows", [](const ContactPreferences& p) { return windows_out(p.windows); })
      .def("__repr__", [](const ContactPreferences& p) {
        return "<patron.ContactPreferences channel=" +
               (p.channel ? std::string(to_string(*p.channel)) : std::string("None")) + ">";
      });
  bind_json_value<ContactPreferences>(prefs);
}

void bind_service(py::module_& m) {
  py::class_<PyConsent> cls(m, "Consent",
                            "Consent and communication preferences (db.consent): an append-only log per customer, "
                            "the state that follows from it, double opt-in, a suppression list of hashed "
                            "addresses, and contact preferences.");
  using C = PyConsent;

  cls.def(
      "grant",
      [](C& self, py::handle customer, py::handle channel, py::handle purpose, py::handle legal_basis,
         py::handle source, py::handle text_version, py::handle evidence, py::handle double_opt_in,
         py::handle valid_for, py::handle reaffirmed) {
        const std::string r = ref_arg(customer, "customer");
        const Channel c = channel_arg(channel);
        const std::string p = text(purpose, "purpose");
        ConsentGrant g;
        if (!legal_basis.is_none()) g.legal_basis = parse_legal_basis(text(legal_basis, "legal_basis"));
        g.source = text(source, "source");
        g.text_version = optional_text(text_version, "text_version");
        g.evidence = optional_text(evidence, "evidence");
        g.double_opt_in = boolean(double_opt_in, "double_opt_in");
        g.valid_for = seconds(valid_for, "valid_for");
        g.reaffirmed = boolean(reaffirmed, "reaffirmed");
        return customer_call(*self.connection,
                             [&](patron::Database& db) { return db.consent().grant(r, c, p, g); });
      },
      py::arg("customer"), py::arg("channel"), py::arg("purpose"), py::kw_only(), py::arg("legal_basis") = py::none(),
      py::arg("source") = "", py::arg("text_version") = "", py::arg("evidence") = "",
      py::arg("double_opt_in") = false, py::arg("valid_for") = 7 * 24 * 3600, py::arg("reaffirmed") = false,
      "grant(customer, channel, purpose, *, legal_basis, source, text_version='', evidence='', "
      "double_opt_in=False, valid_for=604800, reaffirmed=False) -> ConsentEntry. legal_basis (consent, contract, "
      "legal_obligation, vital_interests, public_task, legitimate_interests) and source are required. A double "
      "opt-in returns a pending entry whose .token the host sends; confirm(token) grants. A plain grant to a "
      "suppressed address raises PreconditionError (field 'channel') unless reaffirmed.");

  cls.def(
      "withdraw",
      [](C& self, py::handle customer, py::handle channel, py::handle purpose, py::handle source,
         py::handle evidence) {
        const std::string r = ref_arg(customer, "customer");
        const Channel c = channel_arg(channel);
        const std::string p = text(purpose, "purpose");
        const ConsentWithdrawal w{text(source, "source"), optional_text(evidence, "evidence")};
        return customer_call(*self.connection,
                             [&](patron::Database& db) { return db.consent().withdraw(r, c, p, w); });
      },
      py::arg("customer"), py::arg("channel"), py::arg("purpose"), py::kw_only(), py::arg("source") = "",
      py::arg("evidence") = "",
      "withdraw(customer, channel, purpose, *, source, evidence='') -> ConsentEntry. Puts the customer's "
      "addresses on the channel on the suppression list for the purpose.");

  cls.def(
      "confirm",
      [](C& self, py::handle token) {
        const std::string t = text(token, "token");
        return service_call(*self.connection, {}, [&](patron::Database& db) { return db.consent().confirm(t); });
      },
      py::arg("token"),
      "confirm(token) -> ConsentEntry. Completes a double opt-in; raises NotFoundError for an unknown token and "
      "PreconditionError when it is used, expired or withdrawn since.");

  cls.def(
      "can_contact",
      [](C& self, py::handle customer, py::handle channel, py::handle purpose) {
        const std::string r = ref_arg(customer, "customer");
        const Channel c = channel_arg(channel);
        const std::string p = text(purpose, "purpose");
        return customer_call(*self.connection,
                             [&](patron::Database& db) { return db.consent().can_contact(r, c, p); });
      },
      py::arg("customer"), py::arg("channel"), py::arg("purpose"),
      "can_contact(customer, channel, purpose) -> bool. Opt-in purposes: granted; opt-out: not withdrawn.");

  cls.def(
      "state",
      [](C& self, py::handle customer) {
        const std::string r = ref_arg(customer, "customer");
        return object_list(
            customer_call(*self.connection, [&](patron::Database& db) { return db.consent().state(r); }));
      },
      py::arg("customer"), "Every current state of the customer, by channel then purpose.");

  cls.def(
      "history",
      [](C& self, py::handle customer, py::handle limit, py::handle offset) {
        const std::string r = ref_arg(customer, "customer");
        const patron::Page page = page_arg(limit, offset);
        return object_list(
            customer_call(*self.connection, [&](patron::Database& db) { return db.consent().history(r, page); }));
      },
      py::arg("customer"), py::kw_only(), py::arg("limit") = 50, py::arg("offset") = 0,
      "The customer's consent log, newest first.");

  cls.def(
      "reachable",
      [](C& self, py::handle channel, py::handle purpose, py::handle after, py::handle limit) {
        const Channel c = channel_arg(channel);
        const std::string p = text(purpose, "purpose");
        const std::string a = optional_text(after, "after");
        const std::int64_t n = integer(limit, "limit");
        if (n < 1) throw Error(Errc::invalid_argument, "limit: must be 1-10000", "limit");
        return service_call(*self.connection, {}, [&](patron::Database& db) {
          return db.consent().reachable(c, p, a, static_cast<std::size_t>(n));
        });
      },
      py::arg("channel"), py::arg("purpose"), py::kw_only(), py::arg("after") = py::none(),
      py::arg("limit") = 1000,
      "reachable(channel, purpose, *, after=None, limit=1000) -> ReachablePage. Live customers reachable on the "
      "channel for the purpose; pass the page's .next as after for the next page.");

  cls.def(
      "define_purpose",
      [](C& self, py::handle name, py::handle description, py::handle opt_out) {
        const std::string n = text(name, "name");
        const std::string d = text(description, "description");
        const bool o = boolean(opt_out, "opt_out");
        return service_call(*self.connection, {},
                            [&](patron::Database& db) { return db.consent().define_purpose(n, d, o); });
      },
      py::arg("name"), py::arg("description"), py::kw_only(), py::arg("opt_out") = false,
      "define_purpose(name, description, *, opt_out=False) -> ConsentPurpose.");

  cls.def(
      "purposes",
      [](C& self) {
        return object_list(
            service_call(*self.connection, {}, [&](patron::Database& db) { return db.consent().purposes(); }));
      },
      "Every purpose: the built-in ones, then the host's by name.");

  cls.def(
      "suppress",
      [](C& self, py::handle channel, py::handle address, py::handle purpose) {
        const Channel c = channel_arg(channel);
        const std::string a = text(address, "address");
        const std::string p = text(purpose, "purpose");
        service_call(*self.connection, {}, [&](patron::Database& db) { db.consent().suppress(c, a, p); });
      },
      py::arg("channel"), py::arg("address"), py::arg("purpose") = "marketing",
      "Puts an address (an email; a phone number for sms, phone, whatsapp) on the suppression list.");

  cls.def(
      "is_suppressed",
      [](C& self, py::handle channel, py::handle address, py::handle purpose) {
        const Channel c = channel_arg(channel);
        const std::string a = text(address, "address");
        const std::string p = text(purpose, "purpose");
        return service_call(*self.connection, {},
                            [&](patron::Database& db) { return db.consent().is_suppressed(c, a, p); });
      },
      py::arg("channel"), py::arg("address"), py::arg("purpose") = "marketing",
      "Whether the address is on the suppression list for the purpose.");

  cls.def(
      "set_preferences",
      [](C& self, py::handle customer, py::handle channel, py::handle language, py::handle time_zone,
         py::handle windows) {
        const std::string r = ref_arg(customer, "customer");
        ContactPreferences p;
        if (!channel.is_none()) p.channel = channel_arg(channel);
        p.language = optional_text(language, "language");
        p.time_zone = optional_text(time_zone, "time_zone");
        p.windows = windows_arg(windows);
        return customer_call(*self.connection,
                             [&](patron::Database& db) { return db.consent().set_preferences(r, p); });
      },
      py::arg("customer"), py::kw_only(), py::arg("channel") = py::none(), py::arg("language") = "",
      py::arg("time_zone") = "", py::arg("windows") = py::none(),
      "set_preferences(customer, *, channel=None, language='', time_zone='', windows=None) -> ContactPreferences. "
      "Replaces the customer's contact preferences; returns them canonical ('en-GB', 'America/Los_Angeles').");

  cls.def(
      "preferences",
      [](C& self, py::handle customer) {
        const std::string r = ref_arg(customer, "customer");
        return customer_call(*self.connection, [&](patron::Database& db) { return db.consent().preferences(r); });
      },
      py::arg("customer"), "The customer's contact preferences (all empty when never set).");

  cls.def("__repr__", [](const C& self) { return "<patron.Consent of " + repr_of(self.connection->path) + ">"; });
}

}  // namespace

void bind_consent(py::module_& m) {
  bind_values(m);
  bind_service(m);
}

}  // namespace patron::python
