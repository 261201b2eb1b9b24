// The activity timeline, bound for Python:
//   db.activity.record(customer=ana, action="email.sent", summary="...")  -> Event
//   db.activity.timeline(ana, types=["communication"], limit=20)       -> EventPage (.events, .next)
//   db.activity.feed(after=0, limit=100)                               -> [Event]
//   db.activity.history(ana, "email")                                  -> [FieldChange]
//   with patron.acting_as("jane", source="staff"): ...                 -> the actor of this thread
// The rules of module.cpp hold here too (binding.hpp). An event's details
// are a dict (json.loads of the stored object; None when erased). The actor
// scope is thread-local: the calls made inside the with-block release the
// GIL but run on the same OS thread, so the scope applies to them.
#include <pybind11/pybind11.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "binding.hpp"
#include "convert.hpp"
#include "patron/activity.hpp"

namespace patron::python {
namespace {

// A details dict as JSON text. NaN/infinity and nesting beyond Python's
// recursion limit are bad input (ValidationError naming the field), like
// nesting beyond patron's limit, which the core refuses.
std::string details_text(const py::handle& v, const std::string& f) {
  try {
    return text(json_module().attr("dumps")(as_dict(v, f), py::arg("ensure_ascii") = false,
                                            py::arg("allow_nan") = false),
                f);
  } catch (py::error_already_set& e) {
    if (!e.matches(PyExc_ValueError) && !e.matches(PyExc_RecursionError)) throw;
    throw patron::Error(patron::Errc::invalid_argument,
                        f + ": " + (e.matches(PyExc_RecursionError) ? std::string("nested too deeply")
                                                                    : std::string("not JSON (") + e.what() + ")"),
                        f);
  }
}

// A JSON text as Python values (None for "").
py::object json_value(const std::string& text) {
  if (text.empty()) return py::none();
  return json_module().attr("loads")(str(text));
}

template <typename T, typename Parse>
std::vector<T> enum_list(py::handle value, const char* field, Parse parse) {
  std::vector<T> out;
  if (value.is_none()) return out;
  const std::vector<std::string> names = text_list(value, field);
  for (std::size_t i = 0; i < names.size(); ++i) out.push_back(parse(names[i], patron::indexed_field(field, i)));
  return out;
}

// A new event from keywords or a dict; `prefix` is "" or "[i]." as for a
// new customer.
patron::NewEvent new_event_arg(py::handle value, const std::string& prefix) {
  patron::NewEvent e;
  for (auto item : as_dict(value, prefix.empty() ? "event" : prefix.substr(0, prefix.size() - 1))) {
    const std::string key = key_of(item.first, prefix);
    const std::string f = prefix + key;
    py::handle v = item.second;
    if (key == "customer") {
      if (!v.is_none()) e.customer_ref = ref_arg(v, f);
    } else if (key == "at") {
      e.at = optional_time(v, f);
    } else if (key == "category") {
      if (!v.is_none()) e.category = patron::parse_event_category(text(v, f), f);
    } else if (key == "type") {
      if (!v.is_none()) e.type = patron::parse_event_type(text(v, f), f);
    } else if (key == "source") {
      if (!v.is_none()) e.source = patron::parse_event_source(text(v, f), f);
    } else if (key == "actor") {
      if (!v.is_none()) e.actor = text(v, f);
    } else if (key == "action") {
      e.action = optional_text(v, f);
    } else if (key == "summary") {
      e.summary = optional_text(v, f);
    } else if (key == "details") {
      if (!v.is_none()) {
        e.details = details_text(v, f);
      }
    } else {
      unknown_field(f, "an event has customer, at, category, type, source, actor, action, summary, details");
    }
  }
  return e;
}

std::size_t size_arg(py::handle value, const char* field) {
  const std::int64_t v = integer(value, field);
  if (v < 0) throw patron::Error(Errc::invalid_argument, std::string(field) + ": must be between 1 and 1000", field);
  return static_cast<std::size_t>(v);
}

// The `with patron.acting_as(...)` object. The scopes entered on a thread
// end in the reverse order, on that thread.
class ActingAs {
 public:
  ActingAs(std::string actor, EventSource source) : actor_(std::move(actor)), source_(source) {}
  ActingAs(const ActingAs&) = delete;
  ActingAs& operator=(const ActingAs&) = delete;
  ~ActingAs() {
    // Never ended (the with-block was bypassed): only its own thread may end it.
    if (!scope_) return;
    if (thread_ != std::this_thread::get_id()) {
      static_cast<void>(scope_.release());
      return;
    }
    auto& stack = entered();
    std::erase(stack, this);
  }

  void enter() {
    if (scope_) throw patron::Error(Errc::failed_precondition, "acting_as: this scope is already entered", "actor");
    scope_ = std::make_unique<ActorScope>(actor_, source_);
    thread_ = std::this_thread::get_id();
    entered().push_back(this);
  }
  void exit() {
    auto& stack = entered();
    if (!scope_ || thread_ != std::this_thread::get_id() || stack.empty() || stack.back() != this) {
      throw patron::Error(Errc::failed_precondition,
                          "acting_as: scopes must end on their own thread, innermost first", "actor");
    }
    stack.pop_back();
    scope_.reset();
  }
  const std::string& actor() const { return actor_; }
  EventSource source() const { return source_; }

 private:
  static std::vector<const ActingAs*>& entered() {
    thread_local std::vector<const ActingAs*> stack;
    return stack;
  }

  std::string actor_;
  EventSource source_;
  std::unique_ptr<ActorScope> scope_;
  std::thread::id thread_;
};

void bind_activity_values(py::module_& m) {
  py::class_<patron::Event> event(
      m, "Event",
      "A read-only event of the timeline: what happened (action, summary, details as a dict), to whom (customer "
      "id, None for the organisation), when, by whom (actor, source), and how it is classified (category, "
      "type). Events are permanent.");
  event.def_property_readonly("id", [](const Event& e) { return e.id; })
      .def_property_readonly("customer", [](const Event& e) { return optional_customer_id(e.customer); })
      .def_property_readonly("at", [](const Event& e) { return datetime(e.at); })
      .def_property_readonly("category", [](const Event& e) { return str(to_string(e.category)); })
      .def_property_readonly("type", [](const Event& e) { return str(to_string(e.type)); })
      .def_property_readonly("source", [](const Event& e) { return str(to_string(e.source)); })
      .def_property_readonly("actor", [](const Event& e) { return str(e.actor); })
      .def_property_readonly("action", [](const Event& e) { return str(e.action); })
      .def_property_readonly("summary", [](const Event& e) { return str(e.summary); })
      .def_property_readonly("details", [](const Event& e) { return json_value(e.details_erased ? "" : e.details); })
      .def_property_readonly("details_erased", [](const Event& e) { return e.details_erased; })
      .def("__repr__", [](const Event& e) {
        return "<patron.Event " + std::to_string(e.id) + " " + e.action + " at=" + format_timestamp(e.at) +
               (e.customer ? " customer=" + e.customer->str() : std::string()) + ">";
      });
  bind_json_forms<Event>(event);

  py::class_<patron::EventPage> page(
      m, "EventPage",
      "A page of a timeline, newest first: .events, and .next (an opaque cursor to pass as before= for the next "
      "page; None when there is none). Iterable.");
  page.def_property_readonly("events", [](const EventPage& p) { return object_list(p.events); })
      .def_property_readonly("next",
                             [](const EventPage& p) -> py::object {
                               if (!p.next) return py::none();
                               return str(*p.next);
                             })
      .def("__len__", [](const EventPage& p) { return p.events.size(); })
      .def("__iter__", [](const EventPage& p) { return py::iter(object_list(p.events)); })
      .def(
          "to_json", [](const EventPage& p) { return str(patron::json::encode(p)); },
          "As JSON text (the schema the C ABI speaks).")
      .def("__repr__", [](const EventPage& p) {
        return "<patron.EventPage " + std::to_string(p.events.size()) + " events" +
               (p.next ? std::string(" more") : std::string()) + ">";
      });

  py::class_<patron::FieldChange> change(
      m, "FieldChange",
      "One change of a profile field, from the edit history: the field ('email', 'custom.vip_level', ...), its "
      "old and new values as Python values (None for none, and both None when erased), when, by whom, and the "
      "event that recorded it.");
  change.def_property_readonly("event", [](const FieldChange& c) { return c.event; })
      .def_property_readonly("at", [](const FieldChange& c) { return datetime(c.at); })
      .def_property_readonly("actor", [](const FieldChange& c) { return str(c.actor); })
      .def_property_readonly("source", [](const FieldChange& c) { return str(to_string(c.source)); })
      .def_property_readonly("field", [](const FieldChange& c) { return str(c.field); })
      .def_property_readonly("old", [](const FieldChange& c) { return json_value(c.erased ? "" : c.old_value); })
      .def_property_readonly("new", [](const FieldChange& c) { return json_value(c.erased ? "" : c.new_value); })
      .def_property_readonly("erased", [](const FieldChange& c) { return c.erased; })
      .def("__repr__", [](const FieldChange& c) {
        return "<patron.FieldChange " + c.field + " event=" + std::to_string(c.event) +
               " at=" + format_timestamp(c.at) + ">";
      });
  bind_json_value<FieldChange>(change);
}

void bind_activity_service(py::module_& m) {
  py::class_<PyActivity> cls(m, "Activity",
                             "The timeline of every customer, the change feed and the edit history "
                             "(db.activity). Events are permanent.");
  using A = PyActivity;

  cls.def(
      "record",
      [](A& self, const py::kwargs& fields) {
        patron::NewEvent event = new_event_arg(fields, "");
        return customer_call(*self.connection, [&](patron::Database& db) { return db.activity().record(event); });
      },
      "record(*, action, summary, customer=None, at=None, category='customers', type='data', source=None, "
      "actor=None, details=None) -> Event. Source and actor default to the thread's acting_as().");

  cls.def(
      "record_many",
      [](A& self, py::handle events) {
        if (PyUnicode_Check(events.ptr()) || PyDict_Check(events.ptr()) || !py::isinstance<py::iterable>(events)) {
          throw py::type_error(std::string("events must be a list of dicts, not ") + Py_TYPE(events.ptr())->tp_name);
        }
        std::vector<patron::NewEvent> list;
        for (py::handle item : events) list.push_back(new_event_arg(item, patron::indexed_field("", list.size()) + "."));
        return object_list(
            customer_call(*self.connection, [&](patron::Database& db) { return db.activity().record_many(list); }));
      },
      py::arg("events"), "Records every event (dicts with record()'s keywords) in one transaction: all or none.");

  cls.def(
      "timeline",
      [](A& self, py::handle ref, py::handle categories, py::handle types, py::handle sources, py::handle from,
         py::handle until, py::handle actor, py::handle text_arg, py::handle before, py::handle limit) {
        const std::string r = ref_arg(ref);
        patron::TimelineFilter filter;
        filter.categories = enum_list<EventCategory>(
            categories, "categories", [](std::string_view s, const std::string& f) { return parse_event_category(s, f); });
        filter.types = enum_list<EventType>(
            types, "types", [](std::string_view s, const std::string& f) { return parse_event_type(s, f); });
        filter.sources = enum_list<EventSource>(
            sources, "sources", [](std::string_view s, const std::string& f) { return parse_event_source(s, f); });
        filter.from = optional_time(from, "from");
        filter.until = optional_time(until, "until");
        filter.actor = optional_text(actor, "actor");
        filter.text = optional_text(text_arg, "text");
        const std::string cursor = optional_text(before, "before");
        const std::size_t n = size_arg(limit, "limit");
        return service_call(*self.connection, {},
                            [&](patron::Database& db) { return db.activity().timeline(r, filter, cursor, n); });
      },
      py::arg("ref"), py::kw_only(), py::arg("categories") = py::tuple(), py::arg("types") = py::tuple(),
      py::arg("sources") = py::tuple(), py::arg("from_") = py::none(), py::arg("until") = py::none(),
      py::arg("actor") = "", py::arg("text") = "", py::arg("before") = py::none(), py::arg("limit") = 50,
      "The customer's events, newest first, filtered (an empty filter does not filter; from_ inclusive, until "
      "exclusive; text: in the summary or action, any case), at most `limit` (1-1000) after the cursor `before` "
      "(a previous page's .next): an EventPage.");

  cls.def(
      "feed",
      [](A& self, py::handle after, py::handle limit) {
        const std::int64_t a = integer(after, "after");
        const std::size_t n = size_arg(limit, "limit");
        return object_list(
            service_call(*self.connection, {}, [&](patron::Database& db) { return db.activity().feed(a, n); }));
      },
      py::arg("after") = 0, py::arg("limit") = 100,
      "Every event (all customers and none) with id > after, by id, at most `limit` (1-1000): keep the last id "
      "seen and pass it next time.");

  cls.def(
      "last_event_id",
      [](A& self) {
        return service_call(*self.connection, {}, [](patron::Database& db) { return db.activity().last_event_id(); });
      },
      "The id of the newest event (0 when none): where a new feed reader starts.");

  cls.def(
      "history",
      [](A& self, py::handle ref, py::handle field, py::handle limit, py::handle offset) {
        const std::string r = ref_arg(ref);
        const std::string f = optional_text(field, "field");
        const patron::Page page = page_arg(limit, offset);
        return object_list(service_call(*self.connection, {},
                                        [&](patron::Database& db) { return db.activity().history(r, f, page); }));
      },
      py::arg("ref"), py::arg("field") = py::none(), py::kw_only(), py::arg("limit") = 50, py::arg("offset") = 0,
      "The edit history of the customer's profile, newest first: [FieldChange]; `field` keeps one field's "
      "('email', 'custom.vip_level').");

  cls.def("__repr__", [](const A& self) { return "<patron.Activity of " + repr_of(self.connection->path) + ">"; });
}

void bind_acting_as(py::module_& m) {
  py::class_<ActingAs> cls(m, "ActingAs",
                           "The context manager patron.acting_as() returns: names the actor and source of every "
                           "call this thread makes inside the with-block. Blocks nest; the innermost wins. Not "
                           "for sharing between threads or coroutines.");
  cls.def_property_readonly("actor", [](const ActingAs& a) { return str(a.actor()); })
      .def_property_readonly("source", [](const ActingAs& a) { return str(to_string(a.source())); })
      .def("__enter__",
           [](py::object self) {
             self.cast<ActingAs&>().enter();
             return self;
           })
      .def("__exit__",
           [](ActingAs& a, py::args) {
             a.exit();
             return false;
           })
      .def("__repr__", [](const ActingAs& a) {
        return "patron.acting_as(" + repr_of(a.actor()) + ", source=" + repr_of(to_string(a.source())) + ")";
      });

  m.def(
      "acting_as",
      [](py::handle actor, py::handle source) {
        return std::make_unique<ActingAs>(text(actor, "actor"), patron::parse_event_source(text(source, "source")));
      },
      py::arg("actor"), py::arg("source") = "staff",
      "acting_as(actor, source='staff'): a context manager naming who performs the calls this thread makes in "
      "the with-block (a staff member, an API client) and where they come from; patron's own events carry it.");
}

}  // namespace

void bind_activity(py::module_& m) {
  bind_activity_values(m);
  bind_activity_service(m);
  bind_acting_as(m);
}

}  // namespace patron::python
