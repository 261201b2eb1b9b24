// Loyalty, bound for Python:
//   db.loyalty.create_program("stars", "Stars", "GBP", expiry_months=12)  -> Program
//   db.loyalty.save_tier("stars", "gold", "Gold", 1000, earn_multiplier_percent=150) -> Tier
//   db.loyalty.earn(ana, "stars", amount=4250, idempotency_key="till-3/41") -> PointsEntry
//   db.loyalty.redeem(ana, "stars", 200, idempotency_key="till-3/42")      -> PointsEntry
//   db.loyalty.account(ana, "stars")                                       -> PointsAccount
// The rules of module.cpp hold here too (binding.hpp). Points and money are
// ints: a float is refused with TypeError, never rounded. The core names the
// customer reference "ref"; these methods call it `customer`.
#include <pybind11/pybind11.h>

#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "binding.hpp"
#include "convert.hpp"
#include "patron/loyalty.hpp"

namespace patron::python {
namespace {

std::int64_t points_arg(py::handle value, std::string_view field) { return exact_integer(value, field, "points"); }

std::optional<std::int64_t> optional_points(py::handle value, std::string_view field) {
  if (value.is_none()) return std::nullopt;
  return points_arg(value, field);
}

// An int field of the core (months): out-of-range values saturate, so the
// core refuses them with its own rule rather than seeing them wrapped.
int months(py::handle value, std::string_view field) {
  const std::int64_t v = integer(value, field);
  if (v > INT_MAX) return INT_MAX;
  if (v < INT_MIN) return INT_MIN;
  return static_cast<int>(v);
}

// A tier or reward named by its id (a str) or by a snapshot of it.
std::string tier_arg(py::handle value, std::string_view field) {
  if (py::isinstance<patron::Tier>(value)) return value.cast<const patron::Tier&>().id;
  return text(value, field);
}
std::string reward_arg(py::handle value, std::string_view field) {
  if (py::isinstance<patron::Reward>(value)) return value.cast<const patron::Reward&>().id;
  return text(value, field);
}

// An entry named by its id (an int) or by a PointsEntry snapshot.
std::int64_t entry_arg(py::handle value, std::string_view field) { return id_arg<patron::PointsEntry>(value, field); }

// A program definition from create_program()/update_program()'s arguments.
patron::Program program_def(py::handle id, py::handle name, py::handle currency, py::handle points_name,
                            py::handle earn_points, py::handle per_amount, py::handle rounding,
                            py::handle expiry_months, py::handle redemption_order, py::handle tier_window_months) {
  patron::Program p;
  p.id = program_arg(id, "id");
  p.name = optional_text(name, "name");
  p.currency = text(currency, "currency");
  p.points_name = optional_text(points_name, "points_name");
  p.earn_points = points_arg(earn_points, "earn_points");
  p.per_amount = money(per_amount, "per_amount");
  p.rounding = patron::parse_rounding(text(rounding, "rounding"), "rounding");
  if (!expiry_months.is_none()) p.expiry_months = months(expiry_months, "expiry_months");
  p.redemption_order =
      patron::parse_redemption_order(text(redemption_order, "redemption_order"), "redemption_order");
  p.tier_window_months = months(tier_window_months, "tier_window_months");
  return p;
}

// An earn from keywords or a dict; `prefix` is "" or "[i]." for earn_many().
patron::EarnRequest earn_request(py::handle value, const std::string& prefix) {
  patron::EarnRequest r;
  bool has_key = false;
  for (auto item : as_dict(value, prefix.empty() ? "request" : prefix.substr(0, prefix.size() - 1))) {
    const std::string key = key_of(item.first, prefix);
    const std::string f = prefix + key;
    py::handle v = item.second;
    if (key == "customer") {
      r.customer_ref = ref_arg(v, f);
    } else if (key == "program") {
      r.program = program_arg(v, f);
    } else if (key == "points") {
      r.points = optional_points(v, f);
    } else if (key == "amount") {
      if (!v.is_none()) r.amount = money(v, f);
    } else if (key == "currency") {
      r.currency = optional_text(v, f);
    } else if (key == "pending_until") {
      r.pending_until = optional_time(v, f);
    } else if (key == "reference") {
      r.reference = optional_text(v, f);
    } else if (key == "idempotency_key") {
      r.idempotency_key = text(v, f);
      has_key = true;
    } else {
      unknown_field(f, "an earn has customer, program, points, amount, currency, pending_until, reference, "
                       "idempotency_key");
    }
  }
  // Like a keyword-only argument without a default: required.
  if (!has_key) throw py::type_error(prefix + "idempotency_key is required");
  return r;
}

// A redemption from keywords or a dict; `prefix` as for earn_request().
patron::RedeemRequest redeem_request(py::handle value, const std::string& prefix) {
  patron::RedeemRequest r;
  bool has_key = false;
  bool has_points = false;
  for (auto item : as_dict(value, prefix.empty() ? "request" : prefix.substr(0, prefix.size() - 1))) {
    const std::string key = key_of(item.first, prefix);
    const std::string f = prefix + key;
    py::handle v = item.second;
    if (key == "customer") {
      r.customer_ref = ref_arg(v, f);
    } else if (key == "program") {
      r.program = program_arg(v, f);
    } else if (key == "points") {
      r.points = points_arg(v, f);
      has_points = true;
    } else if (key == "reference") {
      r.reference = optional_text(v, f);
    } else if (key == "idempotency_key") {
      r.idempotency_key = text(v, f);
      has_key = true;
    } else {
      unknown_field(f, "a redemption has customer, program, points, reference, idempotency_key");
    }
  }
  if (!has_points) throw py::type_error(prefix + "points is required");
  if (!has_key) throw py::type_error(prefix + "idempotency_key is required");
  return r;
}

// A list of requests (not a bare str or dict), each read by `read`.
template <class Request, class Read>
std::vector<Request> requests_arg(py::handle requests, Read read) {
  if (PyUnicode_Check(requests.ptr()) || PyDict_Check(requests.ptr()) || !py::isinstance<py::iterable>(requests)) {
    throw py::type_error(std::string("requests must be a list of dicts, not ") + Py_TYPE(requests.ptr())->tp_name);
  }
  std::vector<Request> list;
  for (py::handle item : requests) list.push_back(read(item, patron::indexed_field("", list.size()) + "."));
  return list;
}

std::string signed_points(std::int64_t p) { return (p > 0 ? "+" : "") + std::to_string(p); }

void bind_program_values(py::module_& m) {
  py::class_<patron::Program> program(
      m, "Program",
      "A read-only snapshot of a loyalty program: its host-chosen id, name, the name of its points, the earn "
      "rule (earn_points per per_amount minor units of currency, rounded 'down', 'nearest' or 'up'), how many "
      "months points last (None: they never expire), the redemption order ('soonest_expiring' or "
      "'oldest_earned') and the tier window in months.");
  program.def_property_readonly("id", [](const Program& p) { return str(p.id); })
      .def_property_readonly("name", [](const Program& p) { return str(p.name); })
      .def_property_readonly("points_name", [](const Program& p) { return str(p.points_name); })
      .def_property_readonly("currency", [](const Program& p) { return str(p.currency); })
      .def_property_readonly("earn_points", [](const Program& p) { return p.earn_points; })
      .def_property_readonly("per_amount", [](const Program& p) { return p.per_amount; })
      .def_property_readonly("rounding", [](const Program& p) { return str(to_string(p.rounding)); })
      .def_property_readonly("expiry_months",
                             [](const Program& p) {
                               return p.expiry_months ? py::object(py::int_(*p.expiry_months)) : py::object(py::none());
                             })
      .def_property_readonly("redemption_order", [](const Program& p) { return str(to_string(p.redemption_order)); })
      .def_property_readonly("tier_window_months", [](const Program& p) { return p.tier_window_months; })
      .def_property_readonly("created_at", [](const Program& p) { return datetime(p.created_at); })
      .def_property_readonly("updated_at", [](const Program& p) { return datetime(p.updated_at); })
      .def("__repr__", [](const Program& p) {
        return "<patron.Program " + repr_of(p.id) + " name=" + repr_of(p.name) + " " + std::to_string(p.earn_points) +
               " per " + std::to_string(p.per_amount) + " " + p.currency + ">";
      });
  bind_json_value<Program>(program);
  program.def("__hash__", [](const Program& p) { return py::hash(str(p.id)); });

  py::class_<patron::Tier> tier(
      m, "Tier",
      "A read-only snapshot of a tier of a program: its id, name, threshold in qualifying points, earn "
      "multiplier (percent: 150 = 1.5x) and benefits text.");
  tier.def_property_readonly("program", [](const Tier& t) { return str(t.program); })
      .def_property_readonly("id", [](const Tier& t) { return str(t.id); })
      .def_property_readonly("name", [](const Tier& t) { return str(t.name); })
      .def_property_readonly("threshold", [](const Tier& t) { return t.threshold; })
      .def_property_readonly("earn_multiplier_percent", [](const Tier& t) { return t.earn_multiplier_percent; })
      .def_property_readonly("benefits", [](const Tier& t) { return str(t.benefits); })
      .def("__repr__", [](const Tier& t) {
        return "<patron.Tier " + repr_of(t.program) + "/" + repr_of(t.id) + " name=" + repr_of(t.name) +
               " threshold=" + std::to_string(t.threshold) + ">";
      });
  bind_json_value<Tier>(tier);
  tier.def("__hash__", [](const Tier& t) { return py::hash(py::make_tuple(str(t.program), str(t.id))); });

  py::class_<patron::Reward> reward(
      m, "Reward",
      "A read-only snapshot of a reward: its id (unique across programs), program, name, cost in points, the "
      "window it is active in ([active_from, active_until); None: unbounded) and description.");
  reward.def_property_readonly("id", [](const Reward& r) { return str(r.id); })
      .def_property_readonly("program", [](const Reward& r) { return str(r.program); })
      .def_property_readonly("name", [](const Reward& r) { return str(r.name); })
      .def_property_readonly("cost", [](const Reward& r) { return r.cost; })
      .def_property_readonly("active_from", [](const Reward& r) { return datetime(r.active_from); })
      .def_property_readonly("active_until", [](const Reward& r) { return datetime(r.active_until); })
      .def_property_readonly("description", [](const Reward& r) { return str(r.description); })
      .def("__repr__", [](const Reward& r) {
        return "<patron.Reward " + repr_of(r.id) + " program=" + repr_of(r.program) + " name=" + repr_of(r.name) +
               " cost=" + std::to_string(r.cost) + ">";
      });
  bind_json_value<Reward>(reward);
  reward.def("__hash__", [](const Reward& r) { return py::hash(str(r.id)); });
}

void bind_ledger_values(py::module_& m) {
  py::class_<patron::PointsAccount> account(
      m, "PointsAccount",
      "A read-only snapshot of a customer's points in one program: the ledger's running balance, what of it is "
      "pending (locked until released), what is expired but not yet written off, what is spendable "
      "(balance - pending - expired) and the tier held (None: no tier).");
  account.def_property_readonly("customer", [](const PointsAccount& a) { return str(a.customer.str()); })
      .def_property_readonly("program", [](const PointsAccount& a) { return str(a.program); })
      .def_property_readonly("balance", [](const PointsAccount& a) { return a.balance; })
      .def_property_readonly("pending", [](const PointsAccount& a) { return a.pending; })
      .def_property_readonly("expired", [](const PointsAccount& a) { return a.expired; })
      .def_property_readonly("spendable", [](const PointsAccount& a) { return a.spendable; })
      .def_property_readonly("tier", [](const PointsAccount& a) { return optional_str(a.tier); })
      .def("__repr__", [](const PointsAccount& a) {
        return "<patron.PointsAccount customer=" + a.customer.str() + " " + a.program +
               " balance=" + std::to_string(a.balance) + " spendable=" + std::to_string(a.spendable) +
               (a.tier ? " tier=" + repr_of(*a.tier) : std::string()) + ">";
      });
  bind_json_value<PointsAccount>(account);

  py::class_<patron::PointsEntry> entry(
      m, "PointsEntry",
      "A read-only snapshot of a points ledger entry: its kind ('earn', 'redeem', 'adjust', 'expire', "
      "'reverse', 'transfer'), signed points and the balance after it; an earn's amount and currency, pending "
      "and expiry dates; the entry a reversal undoes (reverses) and how much of an earn or redemption was "
      "reversed so far; a transfer's other side (counterpart); the reward a redemption names; whether it "
      "counts for tiers (qualifying); the reference, reason, idempotency key, actor and time.");
  entry.def_property_readonly("id", [](const PointsEntry& e) { return e.id; })
      .def_property_readonly("customer", [](const PointsEntry& e) { return str(e.customer.str()); })
      .def_property_readonly("program", [](const PointsEntry& e) { return str(e.program); })
      .def_property_readonly("kind", [](const PointsEntry& e) { return str(to_string(e.kind)); })
      .def_property_readonly("points", [](const PointsEntry& e) { return e.points; })
      .def_property_readonly("balance_after", [](const PointsEntry& e) { return e.balance_after; })
      .def_property_readonly("amount", [](const PointsEntry& e) { return optional_id(e.amount); })
      .def_property_readonly("currency", [](const PointsEntry& e) { return str(e.currency); })
      .def_property_readonly("pending_until", [](const PointsEntry& e) { return datetime(e.pending_until); })
      .def_property_readonly("expires_at", [](const PointsEntry& e) { return datetime(e.expires_at); })
      .def_property_readonly("reverses", [](const PointsEntry& e) { return optional_id(e.reverses); })
      .def_property_readonly("reversed", [](const PointsEntry& e) { return e.reversed; })
      .def_property_readonly("counterpart", [](const PointsEntry& e) { return optional_id(e.counterpart); })
      .def_property_readonly("reward", [](const PointsEntry& e) { return optional_str(e.reward); })
      .def_property_readonly("qualifying", [](const PointsEntry& e) { return e.qualifying; })
      .def_property_readonly("reference", [](const PointsEntry& e) { return str(e.reference); })
      .def_property_readonly("reason", [](const PointsEntry& e) { return str(e.reason); })
      .def_property_readonly("idempotency_key", [](const PointsEntry& e) { return str(e.idempotency_key); })
      .def_property_readonly("actor", [](const PointsEntry& e) { return str(e.actor); })
      .def_property_readonly("at", [](const PointsEntry& e) { return datetime(e.at); })
      .def("__repr__", [](const PointsEntry& e) {
        return "<patron.PointsEntry " + std::to_string(e.id) + " " + std::string(to_string(e.kind)) + " " +
               signed_points(e.points) + " " + e.program + " customer=" + e.customer.str() + ">";
      });
  bind_json_forms<PointsEntry>(entry);

  py::class_<patron::PointsLot> lot(
      m, "PointsLot",
      "A read-only snapshot of what is left of an earn or a + adjustment (or a transfer's received part): the "
      "entry that made it, its points (less reversals), what remains, when it was earned, and its pending and "
      "expiry dates.");
  lot.def_property_readonly("id", [](const PointsLot& l) { return l.id; })
      .def_property_readonly("entry", [](const PointsLot& l) { return l.entry; })
      .def_property_readonly("points", [](const PointsLot& l) { return l.points; })
      .def_property_readonly("remaining", [](const PointsLot& l) { return l.remaining; })
      .def_property_readonly("earned_at", [](const PointsLot& l) { return datetime(l.earned_at); })
      .def_property_readonly("pending_until", [](const PointsLot& l) { return datetime(l.pending_until); })
      .def_property_readonly("expires_at", [](const PointsLot& l) { return datetime(l.expires_at); })
      .def("__repr__", [](const PointsLot& l) {
        return "<patron.PointsLot " + std::to_string(l.id) + " entry=" + std::to_string(l.entry) +
               " remaining=" + std::to_string(l.remaining) + "/" + std::to_string(l.points) + ">";
      });
  bind_json_forms<PointsLot>(lot);

  py::class_<patron::TierChange> change(
      m, "TierChange",
      "A read-only snapshot of a change of a customer's tier: from_ and to (tier ids; None: no tier), the "
      "reason ('qualified' or 'evaluation'), the qualifying points at the change and its time.");
  change.def_property_readonly("id", [](const TierChange& c) { return c.id; })
      .def_property_readonly("customer", [](const TierChange& c) { return str(c.customer.str()); })
      .def_property_readonly("program", [](const TierChange& c) { return str(c.program); })
      .def_property_readonly("from_", [](const TierChange& c) { return optional_str(c.from); })
      .def_property_readonly("to", [](const TierChange& c) { return optional_str(c.to); })
      .def_property_readonly("reason", [](const TierChange& c) { return str(to_string(c.reason)); })
      .def_property_readonly("qualifying_points", [](const TierChange& c) { return c.qualifying_points; })
      .def_property_readonly("at", [](const TierChange& c) { return datetime(c.at); })
      .def("__repr__", [](const TierChange& c) {
        return "<patron.TierChange " + std::to_string(c.id) + " " + c.program + " " +
               (c.from ? repr_of(*c.from) : std::string("None")) + " -> " +
               (c.to ? repr_of(*c.to) : std::string("None")) + " " + std::string(to_string(c.reason)) + ">";
      });
  bind_json_forms<TierChange>(change);

  py::class_<patron::TierProgress> progress(
      m, "TierProgress",
      "Where a customer stands in a program's tiers: the tier held, the tier their qualifying points give now "
      "(qualifies_for), the qualifying points counted from window_start up to now, the next tier above and "
      "the points still needed for it (0 when there is none).");
  progress.def_property_readonly("tier", [](const TierProgress& p) { return optional_str(p.tier); })
      .def_property_readonly("qualifies_for", [](const TierProgress& p) { return optional_str(p.qualifies_for); })
      .def_property_readonly("qualifying_points", [](const TierProgress& p) { return p.qualifying_points; })
      .def_property_readonly("window_start", [](const TierProgress& p) { return datetime(p.window_start); })
      .def_property_readonly("next_tier", [](const TierProgress& p) { return optional_str(p.next_tier); })
      .def_property_readonly("points_to_next", [](const TierProgress& p) { return p.points_to_next; })
      .def("__repr__", [](const TierProgress& p) {
        return "<patron.TierProgress tier=" + (p.tier ? repr_of(*p.tier) : std::string("None")) +
               " qualifying_points=" + std::to_string(p.qualifying_points) +
               " next_tier=" + (p.next_tier ? repr_of(*p.next_tier) : std::string("None")) +
               " points_to_next=" + std::to_string(p.points_to_next) + ">";
      });
  bind_json_value<TierProgress>(progress);

  py::class_<patron::TierEvaluation> evaluation(
      m, "TierEvaluation", "What evaluate_tiers() did: the accounts evaluated, how many moved up and down.");
  evaluation.def_property_readonly("accounts", [](const TierEvaluation& e) { return e.accounts; })
      .def_property_readonly("upgraded", [](const TierEvaluation& e) { return e.upgraded; })
      .def_property_readonly("downgraded", [](const TierEvaluation& e) { return e.downgraded; })
      .def("__repr__", [](const TierEvaluation& e) {
        return "<patron.TierEvaluation accounts=" + std::to_string(e.accounts) +
               " upgraded=" + std::to_string(e.upgraded) + " downgraded=" + std::to_string(e.downgraded) + ">";
      });
  bind_json_value<TierEvaluation>(evaluation);

  py::class_<patron::ExpiryRun> run(
      m, "ExpiryRun",
      "What expire() wrote off: the accounts given an expire entry, the lots and the points.");
  run.def_property_readonly("accounts", [](const ExpiryRun& r) { return r.accounts; })
      .def_property_readonly("lots", [](const ExpiryRun& r) { return r.lots; })
      .def_property_readonly("points", [](const ExpiryRun& r) { return r.points; })
      .def("__repr__", [](const ExpiryRun& r) {
        return "<patron.ExpiryRun accounts=" + std::to_string(r.accounts) + " lots=" + std::to_string(r.lots) +
               " points=" + std::to_string(r.points) + ">";
      });
  bind_json_value<ExpiryRun>(run);
}

void bind_programs(py::class_<PyLoyalty>& cls) {
  using L = PyLoyalty;
  constexpr const char* program_args =
      "(id, name, currency, *, points_name='points', earn_points=1, per_amount=100, rounding='down', "
      "expiry_months=None, redemption_order='soonest_expiring', tier_window_months=12) -> Program";
  const auto def_program = [&cls](const char* name, patron::Program (patron::Loyalty::*call)(const patron::Program&),
                                  const std::string& doc) {
    cls.def(
        name,
        [call](L& self, py::handle id, py::handle program_name, py::handle currency, py::handle points_name,
               py::handle earn_points, py::handle per_amount, py::handle rounding, py::handle expiry_months,
               py::handle redemption_order, py::handle tier_window_months) {
          const patron::Program p = program_def(id, program_name, currency, points_name, earn_points, per_amount,
                                                rounding, expiry_months, redemption_order, tier_window_months);
          return service_call(*self.connection, {}, [&](patron::Database& db) { return (db.loyalty().*call)(p); });
        },
        py::arg("id"), py::arg("name"), py::arg("currency"), py::kw_only(), py::arg("points_name") = "points",
        py::arg("earn_points") = 1, py::arg("per_amount") = 100, py::arg("rounding") = "down",
        py::arg("expiry_months") = py::none(), py::arg("redemption_order") = "soonest_expiring",
        py::arg("tier_window_months") = 12, doc.c_str());
  };
  def_program("create_program", &patron::Loyalty::create_program,
              std::string("create_program") + program_args +
                  ". earn_points points per per_amount minor units of currency; expiry_months None: points never "
                  "expire. Raises AlreadyExistsError (field 'id') when the id is taken.");
  def_program("update_program", &patron::Loyalty::update_program,
              std::string("update_program") + program_args +
                  ". Replaces the definition (everything but the id; omitted keywords take their defaults); rule "
                  "and expiry changes apply to later earns only.");

  cls.def(
      "program",
      [](L& self, py::handle id) {
        const std::string i = program_arg(id, "id");
        return service_call(*self.connection, {{"program", "id"}},
                            [&](patron::Database& db) { return db.loyalty().program(i); });
      },
      py::arg("id"), "The program with that id; raises NotFoundError (field 'id') when there is none.");

  cls.def(
      "programs",
      [](L& self) {
        return object_list(
            service_call(*self.connection, {}, [&](patron::Database& db) { return db.loyalty().programs(); }));
      },
      "Every program, by id.");

  cls.def(
      "save_tier",
      [](L& self, py::handle program, py::handle id, py::handle name, py::handle threshold, py::handle multiplier,
         py::handle benefits) {
        patron::Tier t;
        t.program = program_arg(program);
        t.id = tier_arg(id, "id");
        t.name = optional_text(name, "name");
        t.threshold = points_arg(threshold, "threshold");
        t.earn_multiplier_percent = integer(multiplier, "earn_multiplier_percent");
        t.benefits = optional_text(benefits, "benefits");
        return service_call(*self.connection, {}, [&](patron::Database& db) { return db.loyalty().save_tier(t); });
      },
      py::arg("program"), py::arg("id"), py::arg("name"), py::arg("threshold"), py::kw_only(),
      py::arg("earn_multiplier_percent") = 100, py::arg("benefits") = "",
      "save_tier(program, id, name, threshold, *, earn_multiplier_percent=100, benefits='') -> Tier. Creates or "
      "replaces the tier; threshold is in qualifying points (unique within the program), the multiplier a "
      "percentage (150 = 1.5x).");

  cls.def(
      "remove_tier",
      [](L& self, py::handle program, py::handle id) {
        const std::string p = program_arg(program);
        const std::string i = tier_arg(id, "id");
        service_call(*self.connection, {}, [&](patron::Database& db) { db.loyalty().remove_tier(p, i); });
      },
      py::arg("program"), py::arg("id"),
      "Removes the tier; raises PreconditionError (field 'tier') while accounts hold it.");

  cls.def(
      "tiers",
      [](L& self, py::handle program) {
        const std::string p = program_arg(program);
        return object_list(
            service_call(*self.connection, {}, [&](patron::Database& db) { return db.loyalty().tiers(p); }));
      },
      py::arg("program"), "The program's tiers, by threshold.");
}

void bind_ledger(py::class_<PyLoyalty>& cls) {
  using L = PyLoyalty;

  cls.def(
      "earn",
      [](L& self, py::handle customer, py::handle program, py::handle points, py::handle amount, py::handle currency,
         py::handle pending_until, py::handle reference, py::handle key) {
        py::dict all;
        all["customer"] = customer;
        all["program"] = program;
        all["points"] = points;
        all["amount"] = amount;
        all["currency"] = currency;
        all["pending_until"] = pending_until;
        all["reference"] = reference;
        all["idempotency_key"] = key;
        const patron::EarnRequest r = earn_request(all, "");
        return customer_call(*self.connection, [&](patron::Database& db) { return db.loyalty().earn(r); });
      },
      py::arg("customer"), py::arg("program"), py::kw_only(), py::arg("points") = py::none(),
      py::arg("amount") = py::none(), py::arg("currency") = "", py::arg("pending_until") = py::none(),
      py::arg("reference") = "", py::arg("idempotency_key"),
      "earn(customer, program, *, points=None, amount=None, currency='', pending_until=None, reference='', "
      "idempotency_key) -> PointsEntry. Either points (as given) or amount (int minor units; the program's rule "
      "x tier multiplier x best category multiplier), in the program's currency when currency is empty. "
      "pending_until locks the points until then.");

  cls.def(
      "earn_many",
      [](L& self, py::handle requests) {
        const std::vector<patron::EarnRequest> list = requests_arg<patron::EarnRequest>(requests, earn_request);
        return object_list(
            customer_call(*self.connection, [&](patron::Database& db) { return db.loyalty().earn_many(list); }));
      },
      py::arg("requests"),
      "Earns (dicts with earn()'s keywords, customer and program included) in one transaction: all or none; "
      "errors name '[i].field'.");

  cls.def(
      "redeem",
      [](L& self, py::handle customer, py::handle program, py::handle points, py::handle key, py::handle reference) {
        py::dict all;
        all["customer"] = customer;
        all["program"] = program;
        all["points"] = points;
        all["idempotency_key"] = key;
        all["reference"] = reference;
        const patron::RedeemRequest r = redeem_request(all, "");
        return customer_call(*self.connection, [&](patron::Database& db) { return db.loyalty().redeem(r); });
      },
      py::arg("customer"), py::arg("program"), py::arg("points"), py::kw_only(), py::arg("idempotency_key"),
      py::arg("reference") = "",
      "redeem(customer, program, points, *, idempotency_key, reference='') -> PointsEntry. Takes points from the "
      "spendable lots in the program's order; raises PreconditionError (field 'points') beyond the spendable "
      "points.");

  cls.def(
      "redeem_many",
      [](L& self, py::handle requests) {
        const std::vector<patron::RedeemRequest> list = requests_arg<patron::RedeemRequest>(requests, redeem_request);
        return object_list(
            customer_call(*self.connection, [&](patron::Database& db) { return db.loyalty().redeem_many(list); }));
      },
      py::arg("requests"),
      "Redemptions (dicts with customer, program, points, idempotency_key, reference) in one transaction: all "
      "or none; errors name '[i].field'.");

  cls.def(
      "adjust",
      [](L& self, py::handle customer, py::handle program, py::handle points, py::handle reason, py::handle key,
         py::handle qualifying, py::handle actor) {
        patron::AdjustRequest r;
        r.customer_ref = ref_arg(customer, "customer");
        r.program = program_arg(program);
        r.points = points_arg(points, "points");
        r.reason = optional_text(reason, "reason");
        r.idempotency_key = text(key, "idempotency_key");
        r.qualifying = boolean(qualifying, "qualifying");
        r.actor = optional_text(actor, "actor");
        return customer_call(*self.connection, [&](patron::Database& db) { return db.loyalty().adjust(r); });
      },
      py::arg("customer"), py::arg("program"), py::arg("points"), py::kw_only(), py::arg("reason"),
      py::arg("idempotency_key"), py::arg("qualifying") = false, py::arg("actor") = py::none(),
      "adjust(customer, program, points, *, reason, idempotency_key, qualifying=False, actor=None) -> "
      "PointsEntry. A manual correction: points nonzero (+ grants, - takes away), a reason, and an actor "
      "(acting_as()'s when None; required either way). qualifying: + adjustments count for tiers.");

  cls.def(
      "reverse",
      [](L& self, py::handle entry, py::handle points, py::handle key, py::handle reason) {
        const std::int64_t e = entry_arg(entry, "entry");
        const std::int64_t p = points_arg(points, "points");
        const std::string k = text(key, "idempotency_key");
        const std::string why = optional_text(reason, "reason");
        return service_call(*self.connection, {},
                            [&](patron::Database& db) { return db.loyalty().reverse(e, p, k, why); });
      },
      py::arg("entry"), py::arg("points"), py::kw_only(), py::arg("idempotency_key"), py::arg("reason") = "",
      "reverse(entry, points, *, idempotency_key, reason='') -> PointsEntry. Undoes points of an earn or "
      "redemption (an id or a PointsEntry); never more than the original in total. Raises NotFoundError (field "
      "'entry') for anything else.");

  cls.def(
      "transfer",
      [](L& self, py::handle customer, py::handle to, py::handle program, py::handle points, py::handle key,
         py::handle reason) {
        patron::TransferRequest r;
        r.from_ref = ref_arg(customer, "customer");
        r.to_ref = ref_arg(to, "to");
        r.program = program_arg(program);
        r.points = points_arg(points, "points");
        r.idempotency_key = text(key, "idempotency_key");
        r.reason = optional_text(reason, "reason");
        return customer_call(*self.connection, [&](patron::Database& db) { return db.loyalty().transfer(r); });
      },
      py::arg("customer"), py::arg("to"), py::arg("program"), py::arg("points"), py::kw_only(),
      py::arg("idempotency_key"), py::arg("reason") = "",
      "transfer(customer, to, program, points, *, idempotency_key, reason='') -> PointsEntry. Moves spendable "
      "points to another customer in the same program; returns the giver's entry (its counterpart is the "
      "receiver's).");

  cls.def(
      "expire",
      [](L& self, py::handle program, py::handle at) {
        const std::string p = program_arg(program);
        const std::optional<Timestamp> when = optional_time(at, "at");
        return service_call(*self.connection, {}, [&](patron::Database& db) { return db.loyalty().expire(p, when); });
      },
      py::arg("program"), py::arg("at") = py::none(),
      "Writes off what is left of every lot of the program that expired at or before `at` (now when None): one "
      "expire entry per account. Returns an ExpiryRun.");

  cls.def(
      "account",
      [](L& self, py::handle customer, py::handle program) {
        const std::string r = ref_arg(customer, "customer");
        const std::string p = program_arg(program);
        return customer_call(*self.connection, [&](patron::Database& db) { return db.loyalty().account(r, p); });
      },
      py::arg("customer"), py::arg("program"),
      "The customer's PointsAccount in the program (all zero and no tier when never written).");

  cls.def(
      "accounts",
      [](L& self, py::handle customer) {
        const std::string r = ref_arg(customer, "customer");
        return object_list(
            customer_call(*self.connection, [&](patron::Database& db) { return db.loyalty().accounts(r); }));
      },
      py::arg("customer"), "The customer's points accounts, by program.");

  cls.def(
      "entry",
      [](L& self, py::handle id) {
        const std::int64_t i = entry_arg(id, "id");
        return service_call(*self.connection, {}, [&](patron::Database& db) { return db.loyalty().entry(i); });
      },
      py::arg("id"), "The entry with that id (reversed as it is now); raises NotFoundError (field 'id').");

  cls.def(
      "entries",
      [](L& self, py::handle customer, py::handle program, py::handle limit, py::handle offset) {
        const std::string r = ref_arg(customer, "customer");
        const std::string p = program_arg(program);
        const patron::Page page = page_arg(limit, offset);
        return object_list(
            customer_call(*self.connection, [&](patron::Database& db) { return db.loyalty().entries(r, p, page); }));
      },
      py::arg("customer"), py::arg("program"), py::arg("limit") = 50, py::arg("offset") = 0,
      "The entries of the customer's account in the program, newest first.");

  cls.def(
      "lots",
      [](L& self, py::handle customer, py::handle program) {
        const std::string r = ref_arg(customer, "customer");
        const std::string p = program_arg(program);
        return object_list(
            customer_call(*self.connection, [&](patron::Database& db) { return db.loyalty().lots(r, p); }));
      },
      py::arg("customer"), py::arg("program"),
      "The customer's lots with points left, in the program's redemption order.");
}

void bind_tiers_of_customers(py::class_<PyLoyalty>& cls) {
  using L = PyLoyalty;

  cls.def(
      "tier",
      [](L& self, py::handle customer, py::handle program) {
        const std::string r = ref_arg(customer, "customer");
        const std::string p = program_arg(program);
        return optional_record(
            customer_call(*self.connection, [&](patron::Database& db) { return db.loyalty().tier(r, p); }));
      },
      py::arg("customer"), py::arg("program"), "The Tier the customer holds in the program, or None.");

  cls.def(
      "tier_at",
      [](L& self, py::handle customer, py::handle program, py::handle at) {
        const std::string r = ref_arg(customer, "customer");
        const std::string p = program_arg(program);
        const Timestamp when = timestamp(at, "at");
        return optional_record(
            customer_call(*self.connection, [&](patron::Database& db) { return db.loyalty().tier_at(r, p, when); }));
      },
      py::arg("customer"), py::arg("program"), py::arg("at"),
      "The Tier the customer held in the program at `at`, or None.");

  cls.def(
      "progress",
      [](L& self, py::handle customer, py::handle program) {
        const std::string r = ref_arg(customer, "customer");
        const std::string p = program_arg(program);
        return customer_call(*self.connection, [&](patron::Database& db) { return db.loyalty().progress(r, p); });
      },
      py::arg("customer"), py::arg("program"),
      "The customer's TierProgress: tier held, tier qualified for, qualifying points and what the next tier "
      "needs.");

  cls.def(
      "tier_history",
      [](L& self, py::handle customer, py::handle program) {
        const std::string r = ref_arg(customer, "customer");
        const std::string p = program_arg(program);
        return object_list(
            customer_call(*self.connection, [&](patron::Database& db) { return db.loyalty().tier_history(r, p); }));
      },
      py::arg("customer"), py::arg("program"), "The customer's TierChanges in the program, newest first.");

  cls.def(
      "evaluate_tiers",
      [](L& self, py::handle program, py::handle at) {
        const std::string p = program_arg(program);
        const std::optional<Timestamp> when = optional_time(at, "at");
        return service_call(*self.connection, {},
                            [&](patron::Database& db) { return db.loyalty().evaluate_tiers(p, when); });
      },
      py::arg("program"), py::arg("at") = py::none(),
      "Moves every account of the program to the tier its qualifying points at `at` (now when None) give, up or "
      "down (downgrades happen only here). Returns a TierEvaluation.");
}

void bind_rewards(py::class_<PyLoyalty>& cls) {
  using L = PyLoyalty;

  cls.def(
      "save_reward",
      [](L& self, py::handle id, py::handle program, py::handle name, py::handle cost, py::handle active_from,
         py::handle active_until, py::handle description) {
        patron::Reward r;
        r.id = reward_arg(id, "id");
        r.program = program_arg(program);
        r.name = optional_text(name, "name");
        r.cost = points_arg(cost, "cost");
        r.active_from = optional_time(active_from, "active_from");
        r.active_until = optional_time(active_until, "active_until");
        r.description = optional_text(description, "description");
        return service_call(*self.connection, {}, [&](patron::Database& db) { return db.loyalty().save_reward(r); });
      },
      py::arg("id"), py::arg("program"), py::arg("name"), py::arg("cost"), py::kw_only(),
      py::arg("active_from") = py::none(), py::arg("active_until") = py::none(), py::arg("description") = "",
      "save_reward(id, program, name, cost, *, active_from=None, active_until=None, description='') -> Reward. "
      "Creates or replaces the reward (ids are unique across programs); cost in points; active in "
      "[active_from, active_until), None: unbounded.");

  cls.def(
      "reward",
      [](L& self, py::handle id) {
        const std::string i = reward_arg(id, "id");
        return service_call(*self.connection, {{"reward", "id"}},
                            [&](patron::Database& db) { return db.loyalty().reward(i); });
      },
      py::arg("id"), "The reward with that id; raises NotFoundError (field 'id') when there is none.");

  cls.def(
      "rewards",
      [](L& self, py::handle program, py::handle active_at) {
        const std::string p = program_arg(program);
        const std::optional<Timestamp> when = optional_time(active_at, "active_at");
        return object_list(
            service_call(*self.connection, {}, [&](patron::Database& db) { return db.loyalty().rewards(p, when); }));
      },
      py::arg("program"), py::arg("active_at") = py::none(),
      "The program's rewards by cost then id; only those active at `active_at` when given.");

  cls.def(
      "redeem_reward",
      [](L& self, py::handle customer, py::handle reward, py::handle key) {
        const std::string r = ref_arg(customer, "customer");
        const std::string w = reward_arg(reward, "reward");
        const std::string k = text(key, "idempotency_key");
        return customer_call(*self.connection,
                             [&](patron::Database& db) { return db.loyalty().redeem_reward(r, w, k); });
      },
      py::arg("customer"), py::arg("reward"), py::kw_only(), py::arg("idempotency_key"),
      "redeem_reward(customer, reward, *, idempotency_key) -> PointsEntry. A redemption of the reward's cost "
      "naming it; raises PreconditionError (field 'reward') when it is not active.");

  cls.def(
      "available_rewards",
      [](L& self, py::handle customer, py::handle program) {
        const std::string r = ref_arg(customer, "customer");
        const std::string p = program_arg(program);
        return object_list(customer_call(
            *self.connection, [&](patron::Database& db) { return db.loyalty().available_rewards(r, p); }));
      },
      py::arg("customer"), py::arg("program"),
      "The program's rewards active now that the customer's spendable points afford, by cost then id.");

  cls.def(
      "reward_redemptions",
      [](L& self, py::handle customer, py::handle program, py::handle limit, py::handle offset) {
        const std::string r = ref_arg(customer, "customer");
        const std::string p = program_arg(program);
        const patron::Page page = page_arg(limit, offset);
        return object_list(customer_call(
            *self.connection, [&](patron::Database& db) { return db.loyalty().reward_redemptions(r, p, page); }));
      },
      py::arg("customer"), py::arg("program"), py::arg("limit") = 50, py::arg("offset") = 0,
      "The customer's reward redemptions in the program, newest first.");
}

}  // namespace

void bind_loyalty(py::module_& m) {
  bind_program_values(m);
  bind_ledger_values(m);

  py::class_<PyLoyalty> cls(
      m, "Loyalty",
      "Loyalty programs (db.loyalty): tiers, a points ledger per customer and program with expiring lots, and "
      "rewards. Points are ints. Every ledger write carries an idempotency key: the same key with the same "
      "request returns the original entry; with a different request it raises ConflictError (field "
      "'idempotency_key').");
  bind_programs(cls);
  bind_ledger(cls);
  bind_tiers_of_customers(cls);
  bind_rewards(cls);
  cls.def("__repr__",
          [](const PyLoyalty& self) { return "<patron.Loyalty of " + repr_of(self.connection->path) + ">"; });
}

}  // namespace patron::python
