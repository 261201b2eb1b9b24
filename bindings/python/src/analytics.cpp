// Analytics and the pure customer model, bound for Python:
//   db.analytics.stats(ref)                          -> CustomerStats
//   db.analytics.recompute_rfm(currency), .rfm(ref, currency) -> RfmScore
//   db.analytics.fit_model(currency), .predict(ref, currency) -> ModelFit, Prediction
//   fit_bg_nbd(summaries), probability_alive(model, summary), score(...)
//                                                    -> the pure model (patron.clv)
// The rules of module.cpp hold here too (binding.hpp).
#include <pybind11/pybind11.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "binding.hpp"
#include "convert.hpp"
#include "patron/analytics.hpp"
#include "patron/clv.hpp"
#include "patron/json.hpp"

namespace patron::python {
namespace {

// ---------------------------------------------------------------------------
// Analytics (db.analytics) and the pure customer model (patron.clv).

// A float as Python writes it (shortest round-trip form).
std::string num(double v) { return py::repr(py::float_(v)).cast<std::string>(); }

std::string element(std::string_view name, std::size_t index) {
  return patron::indexed_field(name, index);
}

// A bound object of type T (a model, a summary): TypeError naming `field`
// otherwise, rather than pybind11's generic "incompatible function arguments".
template <class T>
const T& instance(py::handle value, const std::string& field, const char* type_name) {
  if (!py::isinstance<T>(value)) {
    throw py::type_error(field + " must be a " + type_name + ", not " + Py_TYPE(value.ptr())->tp_name);
  }
  return value.cast<const T&>();
}

// A purchase summary: a patron.clv.Summary, or a (frequency, recency, age[,
// monetary]) tuple, list or other sequence of numbers.
clv::Summary summary_arg(py::handle value, const std::string& field) {
  if (py::isinstance<clv::Summary>(value)) return value.cast<clv::Summary>();
  PyObject* p = value.ptr();
  if (PyUnicode_Check(p) || PyBytes_Check(p) || PyDict_Check(p) || PySequence_Check(p) == 0) {
    throw py::type_error(field + " must be a patron.clv.Summary or a (frequency, recency, age, monetary) tuple, not " +
                         Py_TYPE(p)->tp_name);
  }
  const Py_ssize_t n = PySequence_Size(p);
  if (n < 0) throw py::error_already_set();
  if (n != 3 && n != 4) {
    throw py::type_error(field + " must have 3 or 4 items (frequency, recency, age[, monetary]), not " +
                         std::to_string(n));
  }
  const auto item = [&](Py_ssize_t i) {
    PyObject* o = PySequence_GetItem(p, i);
    if (o == nullptr) throw py::error_already_set();
    return py::reinterpret_steal<py::object>(o);
  };
  clv::Summary s;
  s.frequency = number(item(0), field + ".frequency");
  s.recency = number(item(1), field + ".recency");
  s.age = number(item(2), field + ".age");
  if (n == 4) s.monetary = number(item(3), field + ".monetary");
  return s;
}

std::vector<clv::Summary> summary_list(py::handle value) {
  PyObject* p = value.ptr();
  if (PyUnicode_Check(p) || PyBytes_Check(p) || PyDict_Check(p) || py::isinstance<clv::Summary>(value) ||
      !py::isinstance<py::iterable>(value)) {
    throw py::type_error(std::string("summaries must be an iterable of patron.clv.Summary or (frequency, recency, "
                                     "age, monetary) tuples, not ") +
                         Py_TYPE(p)->tp_name);
  }
  std::vector<clv::Summary> out;
  if (PySequence_Check(p) != 0) {
    const Py_ssize_t n = PySequence_Size(p);
    if (n > 0) out.reserve(static_cast<std::size_t>(n));
    if (n < 0) PyErr_Clear();
  }
  for (py::handle item : value) out.push_back(summary_arg(item, element("summaries", out.size())));
  return out;
}

int int_arg(py::handle value, std::string_view field, std::int64_t low, std::int64_t high) {
  const std::int64_t v = integer(value, field);
  if (v < low || v > high) {
    throw patron::Error(Errc::invalid_argument,
                        std::string(field) + ": must be between " + std::to_string(low) + " and " + std::to_string(high),
                        std::string(field));
  }
  return static_cast<int>(v);
}

// The model functions take keyword arguments where the C++ API takes an
// options struct: "options.tolerance" is the keyword "tolerance" here.
template <class F>
auto with_keywords(F&& f) {
  try {
    return std::forward<F>(f)();
  } catch (const patron::Error& e) {
    constexpr std::string_view prefix = "options.";
    if (e.field().rfind(prefix, 0) != 0) throw;
    std::string message = e.what();
    if (message.rfind(prefix, 0) == 0) message.erase(0, prefix.size());
    throw patron::Error(e.code(), std::move(message), e.field().substr(prefix.size()));
  }
}

clv::FitOptions fit_options(py::handle tolerance, py::handle max_evaluations, py::handle threads) {
  clv::FitOptions o;
  o.tolerance = number(tolerance, "tolerance");
  o.max_evaluations = int_arg(max_evaluations, "max_evaluations", 0, 1'000'000'000);
  o.threads = static_cast<unsigned>(int_arg(threads, "threads", 0, 1024));
  return o;
}

patron::TimeUnit unit_arg(py::handle unit) { return patron::parse_time_unit(text(unit, "unit"), "unit"); }

patron::ModelOptions model_options(py::handle currency, py::handle cutoff, py::handle unit) {
  patron::ModelOptions o;
  o.currency = text(currency, "currency");
  o.cutoff = optional_time(cutoff, "cutoff");
  o.unit = unit_arg(unit);
  return o;
}

patron::PredictionOptions prediction_options(py::handle currency, py::handle at, py::handle horizon,
                                             py::handle period, py::handle discount_rate, py::handle coverage) {
  patron::PredictionOptions o;
  o.currency = text(currency, "currency");
  o.at = optional_time(at, "at");
  o.horizon = whole_days(horizon, "horizon");
  o.period = whole_days(period, "period");
  o.discount_rate = number(discount_rate, "discount_rate");
  o.coverage = number(coverage, "coverage");
  return o;
}

// Immutable model values hash by their fields.
template <class T, class Cls, class Fields>
void bind_value_hash(Cls& cls, Fields fields) {
  cls.def("__hash__", [fields](const T& v) { return py::hash(fields(v)); });
}

py::dict summary_dict(const clv::Summary& s) {
  py::dict d;
  d["frequency"] = s.frequency;
  d["recency"] = s.recency;
  d["age"] = s.age;
  d["monetary"] = s.monetary;
  return d;
}

std::string summary_repr(const clv::Summary& s) {
  return "Summary(frequency=" + num(s.frequency) + ", recency=" + num(s.recency) + ", age=" + num(s.age) +
         ", monetary=" + num(s.monetary) + ")";
}

std::string bg_repr(const clv::BgNbd& m) {
  return "BgNbd(r=" + num(m.r) + ", alpha=" + num(m.alpha) + ", a=" + num(m.a) + ", b=" + num(m.b) +
         ", log_likelihood=" + num(m.log_likelihood) + ")";
}

std::string gg_repr(const clv::GammaGamma& m) {
  return "GammaGamma(p=" + num(m.p) + ", q=" + num(m.q) + ", gamma=" + num(m.gamma) +
         ", log_likelihood=" + num(m.log_likelihood) + ")";
}

void bind_clv_values(py::module_& m) {
  py::class_<clv::Summary> summary(
      m, "Summary",
      "One customer's purchase history as the model sees it: frequency (repeat purchase occasions), recency "
      "(first to last occasion), age (first occasion to the cut-off), in one time unit, and monetary (mean spend "
      "of the repeat occasions).");
  summary
      .def(py::init([](py::handle frequency, py::handle recency, py::handle age, py::handle monetary) {
             return clv::Summary{number(frequency, "frequency"), number(recency, "recency"), number(age, "age"),
                                 number(monetary, "monetary")};
           }),
           py::arg("frequency") = 0.0, py::arg("recency") = 0.0, py::arg("age") = 0.0, py::arg("monetary") = 0.0)
      .def_property_readonly("frequency", [](const clv::Summary& s) { return s.frequency; })
      .def_property_readonly("recency", [](const clv::Summary& s) { return s.recency; })
      .def_property_readonly("age", [](const clv::Summary& s) { return s.age; })
      .def_property_readonly("monetary", [](const clv::Summary& s) { return s.monetary; })
      .def("to_dict", &summary_dict)
      .def("__repr__", &summary_repr);
  bind_eq<clv::Summary>(summary);
  bind_value_hash<clv::Summary>(summary, [](const clv::Summary& s) {
    return py::make_tuple(s.frequency, s.recency, s.age, s.monetary);
  });

  py::class_<clv::BgNbd> bg(m, "BgNbd",
                            "BG/NBD parameters: purchase rate ~ Gamma(r, alpha), drop-out probability after each "
                            "purchase ~ Beta(a, b); alpha is in the summaries' time unit.");
  bg.def(py::init([](py::handle r, py::handle alpha, py::handle a, py::handle b, py::handle ll) {
           return clv::BgNbd{number(r, "r"), number(alpha, "alpha"), number(a, "a"), number(b, "b"),
                             number(ll, "log_likelihood")};
         }),
         py::arg("r"), py::arg("alpha"), py::arg("a"), py::arg("b"), py::arg("log_likelihood") = 0.0)
      .def_property_readonly("r", [](const clv::BgNbd& v) { return v.r; })
      .def_property_readonly("alpha", [](const clv::BgNbd& v) { return v.alpha; })
      .def_property_readonly("a", [](const clv::BgNbd& v) { return v.a; })
      .def_property_readonly("b", [](const clv::BgNbd& v) { return v.b; })
      .def_property_readonly("log_likelihood", [](const clv::BgNbd& v) { return v.log_likelihood; })
      .def("to_dict",
           [](const clv::BgNbd& v) {
             py::dict d;
             d["r"] = v.r;
             d["alpha"] = v.alpha;
             d["a"] = v.a;
             d["b"] = v.b;
             d["log_likelihood"] = v.log_likelihood;
             return d;
           })
      .def("__repr__", &bg_repr);
  bind_eq<clv::BgNbd>(bg);
  bind_value_hash<clv::BgNbd>(bg, [](const clv::BgNbd& v) {
    return py::make_tuple(v.r, v.alpha, v.a, v.b, v.log_likelihood);
  });

  py::class_<clv::GammaGamma> gg(m, "GammaGamma",
                                 "Gamma-Gamma parameters: an order's value ~ Gamma(p, nu), nu ~ Gamma(q, gamma) per "
                                 "customer.");
  gg.def(py::init([](py::handle p, py::handle q, py::handle gamma, py::handle ll) {
           return clv::GammaGamma{number(p, "p"), number(q, "q"), number(gamma, "gamma"),
                                  number(ll, "log_likelihood")};
         }),
         py::arg("p"), py::arg("q"), py::arg("gamma"), py::arg("log_likelihood") = 0.0)
      .def_property_readonly("p", [](const clv::GammaGamma& v) { return v.p; })
      .def_property_readonly("q", [](const clv::GammaGamma& v) { return v.q; })
      .def_property_readonly("gamma", [](const clv::GammaGamma& v) { return v.gamma; })
      .def_property_readonly("log_likelihood", [](const clv::GammaGamma& v) { return v.log_likelihood; })
      .def("to_dict",
           [](const clv::GammaGamma& v) {
             py::dict d;
             d["p"] = v.p;
             d["q"] = v.q;
             d["gamma"] = v.gamma;
             d["log_likelihood"] = v.log_likelihood;
             return d;
           })
      .def("__repr__", &gg_repr);
  bind_eq<clv::GammaGamma>(gg);
  bind_value_hash<clv::GammaGamma>(gg, [](const clv::GammaGamma& v) {
    return py::make_tuple(v.p, v.q, v.gamma, v.log_likelihood);
  });

  py::class_<clv::Interval> interval(m, "Interval", "A central interval [low, high] of the time to the next order.");
  interval.def_property_readonly("low", [](const clv::Interval& v) { return v.low; })
      .def_property_readonly("high", [](const clv::Interval& v) { return v.high; })
      .def("__iter__", [](const clv::Interval& v) { return py::iter(py::make_tuple(v.low, v.high)); })
      .def("__repr__", [](const clv::Interval& v) { return "Interval(low=" + num(v.low) + ", high=" + num(v.high) + ")"; });
  bind_eq<clv::Interval>(interval);
  bind_value_hash<clv::Interval>(interval, [](const clv::Interval& v) { return py::make_tuple(v.low, v.high); });

  py::class_<clv::Score> score(m, "Score", "Everything the model says about one customer (patron.clv.score()).");
  score.def_property_readonly("probability_alive", [](const clv::Score& s) { return s.probability_alive; })
      .def_property_readonly("expected_orders", [](const clv::Score& s) { return s.expected_orders; })
      .def_property_readonly("expected_order_value", [](const clv::Score& s) { return s.expected_order_value; })
      .def_property_readonly("lifetime_value", [](const clv::Score& s) { return s.lifetime_value; })
      .def_property_readonly("next_order", [](const clv::Score& s) { return s.next_order; })
      .def("__repr__", [](const clv::Score& s) {
        return "Score(probability_alive=" + num(s.probability_alive) + ", expected_orders=" +
               num(s.expected_orders) + ", expected_order_value=" + num(s.expected_order_value) +
               ", lifetime_value=" + num(s.lifetime_value) + ", next_order=Interval(low=" + num(s.next_order.low) +
               ", high=" + num(s.next_order.high) + "))";
      });
  bind_eq<clv::Score>(score);
}

// The pure model, exposed to Python as patron.clv. Arguments are converted
// with the GIL held; the numerical work runs without it.
void bind_clv_functions(py::module_& m) {
  m.def(
      "fit_bg_nbd",
      [](py::handle summaries, py::handle tolerance, py::handle max_evaluations, py::handle threads) {
        const std::vector<clv::Summary> rows = summary_list(summaries);
        const clv::FitOptions options = fit_options(tolerance, max_evaluations, threads);
        return with_keywords([&] {
          py::gil_scoped_release release;
          return clv::fit_bg_nbd(rows, options);
        });
      },
      py::arg("summaries"), py::kw_only(), py::arg("tolerance") = 1e-10, py::arg("max_evaluations") = 1000,
      py::arg("threads") = 0, "Maximum-likelihood BG/NBD fit over every summary.");
  m.def(
      "fit_gamma_gamma",
      [](py::handle summaries, py::handle tolerance, py::handle max_evaluations, py::handle threads) {
        const std::vector<clv::Summary> rows = summary_list(summaries);
        const clv::FitOptions options = fit_options(tolerance, max_evaluations, threads);
        return with_keywords([&] {
          py::gil_scoped_release release;
          return clv::fit_gamma_gamma(rows, options);
        });
      },
      py::arg("summaries"), py::kw_only(), py::arg("tolerance") = 1e-10, py::arg("max_evaluations") = 1000,
      py::arg("threads") = 0, "Maximum-likelihood Gamma-Gamma fit on the summaries with frequency > 0.");
  m.def(
      "probability_alive",
      [](py::handle model, py::handle summary) {
        const clv::BgNbd bg = instance<clv::BgNbd>(model, "model", "patron.clv.BgNbd");
        const clv::Summary s = summary_arg(summary, "summary");
        return clv::probability_alive(bg, s);
      },
      py::arg("model"), py::arg("summary"), "P(alive at the cut-off | summary); 1 when frequency is 0.");
  m.def(
      "expected_orders",
      [](py::handle model, py::handle summary, py::handle t) {
        const clv::BgNbd bg = instance<clv::BgNbd>(model, "model", "patron.clv.BgNbd");
        const clv::Summary s = summary_arg(summary, "summary");
        const double horizon = number(t, "t");
        py::gil_scoped_release release;
        return clv::expected_orders(bg, s, horizon);
      },
      py::arg("model"), py::arg("summary"), py::arg("t"),
      "Expected number of orders in (age, age + t], in the summary's time unit.");
  m.def(
      "expected_order_value",
      [](py::handle model, py::handle summary) {
        const clv::GammaGamma gg = instance<clv::GammaGamma>(model, "model", "patron.clv.GammaGamma");
        const clv::Summary s = summary_arg(summary, "summary");
        return clv::expected_order_value(gg, s);
      },
      py::arg("model"), py::arg("summary"), "Expected mean order value given the customer's own mean (needs q > 1).");
  m.def(
      "customer_lifetime_value",
      [](py::handle bg_nbd, py::handle gamma_gamma, py::handle summary, py::handle periods, py::handle period_length,
         py::handle discount_rate) {
        const clv::BgNbd bg = instance<clv::BgNbd>(bg_nbd, "bg_nbd", "patron.clv.BgNbd");
        const clv::GammaGamma gg = instance<clv::GammaGamma>(gamma_gamma, "gamma_gamma", "patron.clv.GammaGamma");
        const clv::Summary s = summary_arg(summary, "summary");
        const int n = int_arg(periods, "periods", 0, 100'000);
        const double length = number(period_length, "period_length");
        const double rate = number(discount_rate, "discount_rate");
        py::gil_scoped_release release;
        return clv::customer_lifetime_value(bg, gg, s, n, length, rate);
      },
      py::arg("bg_nbd"), py::arg("gamma_gamma"), py::arg("summary"), py::arg("periods"), py::arg("period_length"),
      py::arg("discount_rate"),
      "Discounted lifetime value over `periods` periods of `period_length` time units each.");
  m.def(
      "next_order_interval",
      [](py::handle model, py::handle summary, py::handle coverage) {
        const clv::BgNbd bg = instance<clv::BgNbd>(model, "model", "patron.clv.BgNbd");
        const clv::Summary s = summary_arg(summary, "summary");
        return clv::next_order_interval(bg, s, number(coverage, "coverage"));
      },
      py::arg("model"), py::arg("summary"), py::arg("coverage") = 0.8,
      "Central interval of the time from the cut-off to the next order, given the customer is alive.");
  m.def(
      "score",
      [](py::handle bg_nbd, py::handle gamma_gamma, py::handle summaries, py::handle horizon, py::handle periods,
         py::handle period_length, py::handle discount_rate, py::handle coverage, py::handle threads) {
        const clv::BgNbd bg = instance<clv::BgNbd>(bg_nbd, "bg_nbd", "patron.clv.BgNbd");
        const clv::GammaGamma gg = instance<clv::GammaGamma>(gamma_gamma, "gamma_gamma", "patron.clv.GammaGamma");
        const std::vector<clv::Summary> rows = summary_list(summaries);
        clv::ScoreOptions o;
        o.horizon = number(horizon, "horizon");
        o.periods = int_arg(periods, "periods", 0, 100'000);
        o.period_length = number(period_length, "period_length");
        o.discount_rate = number(discount_rate, "discount_rate");
        o.coverage = number(coverage, "coverage");
        o.threads = static_cast<unsigned>(int_arg(threads, "threads", 0, 1024));
        std::vector<clv::Score> scores = with_keywords([&] {
          py::gil_scoped_release release;
          return clv::score(bg, gg, rows, o);
        });
        return object_list(std::move(scores));
      },
      py::arg("bg_nbd"), py::arg("gamma_gamma"), py::arg("summaries"), py::kw_only(), py::arg("horizon") = 0.0,
      py::arg("periods") = 0, py::arg("period_length") = 1.0, py::arg("discount_rate") = 0.0,
      py::arg("coverage") = 0.8, py::arg("threads") = 0,
      "Scores every summary in bulk: the single-customer figures, computed once per distinct (frequency, age).");
}

void bind_analytics_values(py::module_& m) {
  py::class_<patron::CurrencyTotals> totals(m, "CurrencyTotals",
                                            "A customer's orders in one currency: count, spend and average order "
                                            "value (minor units; cancelled orders excluded).");
  totals.def_property_readonly("currency", [](const CurrencyTotals& t) { return str(t.currency); })
      .def_property_readonly("orders", [](const CurrencyTotals& t) { return t.orders; })
      .def_property_readonly("spend", [](const CurrencyTotals& t) { return t.spend; })
      .def_property_readonly("average_order_value", [](const CurrencyTotals& t) { return t.average_order_value; })
      .def("to_dict",
           [](const CurrencyTotals& t) {
             py::dict d;
             d["currency"] = str(t.currency);
             d["orders"] = t.orders;
             d["spend"] = t.spend;
             d["average_order_value"] = t.average_order_value;
             return d;
           })
      .def("__repr__", [](const CurrencyTotals& t) {
        return "CurrencyTotals(currency=" + repr_of(t.currency) + ", orders=" + std::to_string(t.orders) +
               ", spend=" + std::to_string(t.spend) + ", average_order_value=" +
               std::to_string(t.average_order_value) + ")";
      });
  bind_eq<CurrencyTotals>(totals);

  py::class_<patron::CustomerStats> stats(m, "CustomerStats",
                                          "What a customer's orders add up to (db.analytics.stats()).");
  stats.def_property_readonly("customer", [](const CustomerStats& s) { return str(s.customer.str()); })
      .def_property_readonly("orders", [](const CustomerStats& s) { return s.orders; })
      .def_property_readonly("by_currency", [](const CustomerStats& s) { return object_list(s.by_currency); })
      .def_property_readonly("first_order_at", [](const CustomerStats& s) { return datetime(s.first_order_at); })
      .def_property_readonly("last_order_at", [](const CustomerStats& s) { return datetime(s.last_order_at); })
      .def_property_readonly("days_since_last_order",
                             [](const CustomerStats& s) -> py::object {
                               if (!s.days_since_last_order) return py::none();
                               return py::int_(*s.days_since_last_order);
                             })
      .def("__repr__", [](const CustomerStats& s) {
        std::string out = "<patron.CustomerStats " + s.customer.str() + " orders=" + std::to_string(s.orders);
        for (const auto& t : s.by_currency) out += " " + t.currency + "=" + std::to_string(t.spend);
        return out + ">";
      });
  bind_json_value<CustomerStats>(stats);

  py::class_<patron::RfmScore> rfm(m, "RfmScore",
                                   "A customer's stored RFM scores in one currency (quintiles 1-5) and segment.");
  rfm.def_property_readonly("customer", [](const RfmScore& s) { return str(s.customer.str()); })
      .def_property_readonly("currency", [](const RfmScore& s) { return str(s.currency); })
      .def_property_readonly("recency_days", [](const RfmScore& s) { return s.recency_days; })
      .def_property_readonly("frequency", [](const RfmScore& s) { return s.frequency; })
      .def_property_readonly("monetary", [](const RfmScore& s) { return s.monetary; })
      .def_property_readonly("recency_score", [](const RfmScore& s) { return s.recency_score; })
      .def_property_readonly("frequency_score", [](const RfmScore& s) { return s.frequency_score; })
      .def_property_readonly("monetary_score", [](const RfmScore& s) { return s.monetary_score; })
      .def_property_readonly("segment", [](const RfmScore& s) { return str(to_string(s.segment)); })
      .def_property_readonly("computed_at", [](const RfmScore& s) { return datetime(s.computed_at); })
      .def("__repr__", [](const RfmScore& s) {
        return "<patron.RfmScore " + s.customer.str() + " " + s.currency + " R" + std::to_string(s.recency_score) +
               " F" + std::to_string(s.frequency_score) + " M" + std::to_string(s.monetary_score) + " " +
               std::string(to_string(s.segment)) + ">";
      });
  bind_json_value<RfmScore>(rfm);

  py::class_<patron::ModelFit> fit(m, "ModelFit",
                                   "A stored fit of the predictive model (BG/NBD + Gamma-Gamma) for one currency.");
  fit.def_property_readonly("id", [](const ModelFit& f) { return f.id; })
      .def_property_readonly("currency", [](const ModelFit& f) { return str(f.currency); })
      .def_property_readonly("unit", [](const ModelFit& f) { return str(to_string(f.unit)); })
      .def_property_readonly("cutoff", [](const ModelFit& f) { return datetime(f.cutoff); })
      .def_property_readonly("fitted_at", [](const ModelFit& f) { return datetime(f.fitted_at); })
      .def_property_readonly("customers", [](const ModelFit& f) { return f.customers; })
      .def_property_readonly("bg_nbd", [](const ModelFit& f) { return f.bg_nbd; })
      .def_property_readonly("gamma_gamma", [](const ModelFit& f) { return f.gamma_gamma; })
      .def("__repr__", [](const ModelFit& f) {
        return "<patron.ModelFit " + std::to_string(f.id) + " " + f.currency + " unit=" +
               std::string(to_string(f.unit)) + " cutoff=" + format_timestamp(f.cutoff) +
               " customers=" + std::to_string(f.customers) + " " + bg_repr(f.bg_nbd) + " " + gg_repr(f.gamma_gamma) +
               ">";
      });
  bind_json_forms<ModelFit>(fit);

  py::class_<patron::Prediction> prediction(m, "Prediction",
                                            "What the latest model fit says about one customer "
                                            "(db.analytics.predict()). Money in minor units.");
  prediction.def_property_readonly("customer", [](const Prediction& p) { return str(p.customer.str()); })
      .def_property_readonly("summary", [](const Prediction& p) { return p.summary; })
      .def_property_readonly("probability_alive", [](const Prediction& p) { return p.probability_alive; })
      .def_property_readonly("expected_orders", [](const Prediction& p) { return p.expected_orders; })
      .def_property_readonly("expected_order_value", [](const Prediction& p) { return p.expected_order_value; })
      .def_property_readonly("lifetime_value", [](const Prediction& p) { return p.lifetime_value; })
      .def_property_readonly("next_order_from", [](const Prediction& p) { return datetime(p.next_order_from); })
      .def_property_readonly("next_order_until", [](const Prediction& p) { return datetime(p.next_order_until); })
      .def("__repr__", [](const Prediction& p) {
        return "<patron.Prediction " + p.customer.str() + " probability_alive=" + num(p.probability_alive) +
               " expected_orders=" + num(p.expected_orders) + " lifetime_value=" + num(p.lifetime_value) + ">";
      });
  bind_json_value<Prediction>(prediction);
}

void bind_analytics_service(py::module_& m) {
  py::class_<PyAnalytics> cls(m, "Analytics",
                              "What customers' orders say about them (db.analytics): totals, RFM scores and the "
                              "predictive model. Cancelled orders never count.");
  using A = PyAnalytics;

  cls.def(
      "stats",
      [](A& self, py::handle ref) {
        std::string r = ref_arg(ref);
        return without_gil(*self.connection, [&](patron::Database& db) { return db.analytics().stats(r); });
      },
      py::arg("ref"), "Orders, spend and average order value per currency, first and last order.");

  cls.def(
      "recompute_rfm",
      [](A& self, py::handle currency, py::handle at) {
        std::string c = text(currency, "currency");
        const std::optional<Timestamp> when = optional_time(at, "at");
        return without_gil(*self.connection,
                           [&](patron::Database& db) { return db.analytics().recompute_rfm(c, when); });
      },
      py::arg("currency"), py::arg("at") = py::none(),
      "Scores every customer with an order in the currency before `at` (now when None), replacing the stored "
      "scores of that currency; returns how many were scored.");

  cls.def(
      "rfm",
      [](A& self, py::handle ref, py::handle currency) {
        std::string r = ref_arg(ref);
        std::string c = text(currency, "currency");
        return optional_record(
            without_gil(*self.connection, [&](patron::Database& db) { return db.analytics().rfm(r, c); }));
      },
      py::arg("ref"), py::arg("currency"), "The customer's stored RFM score in the currency, or None.");

  cls.def(
      "rfm_segment",
      [](A& self, py::handle currency, py::handle segment, py::handle limit, py::handle offset) {
        std::string c = text(currency, "currency");
        const patron::RfmSegment s = patron::parse_rfm_segment(text(segment, "segment"), "segment");
        const patron::Page page = page_arg(limit, offset);
        return object_list(without_gil(*self.connection,
                                       [&](patron::Database& db) { return db.analytics().rfm_segment(c, s, page); }));
      },
      py::arg("currency"), py::arg("segment"), py::arg("limit") = 50, py::arg("offset") = 0,
      "The stored scores of one segment, in customer-number order.");

  cls.def(
      "summaries",
      [](A& self, py::handle currency, py::handle cutoff, py::handle unit) {
        const patron::ModelOptions o = model_options(currency, cutoff, unit);
        const auto rows =
            without_gil(*self.connection, [&](patron::Database& db) { return db.analytics().summaries(o); });
        py::list out(rows.size());
        for (std::size_t i = 0; i < rows.size(); ++i) {
          out[i] = py::make_tuple(str(rows[i].first.str()), py::cast(rows[i].second));
        }
        return out;
      },
      py::arg("currency"), py::arg("cutoff") = py::none(), py::arg("unit") = "weeks",
      "(customer id, patron.clv.Summary) for every customer with an order in the currency before the cut-off, "
      "in customer-number order.");

  cls.def(
      "fit_model",
      [](A& self, py::handle currency, py::handle cutoff, py::handle unit) {
        const patron::ModelOptions o = model_options(currency, cutoff, unit);
        return without_gil(*self.connection, [&](patron::Database& db) { return db.analytics().fit_model(o); });
      },
      py::arg("currency"), py::arg("cutoff") = py::none(), py::arg("unit") = "weeks",
      "Fits BG/NBD and Gamma-Gamma on every customer's summary and stores the fit.");

  cls.def(
      "latest_fit",
      [](A& self, py::handle currency) {
        std::string c = text(currency, "currency");
        return optional_record(
            without_gil(*self.connection, [&](patron::Database& db) { return db.analytics().latest_fit(c); }));
      },
      py::arg("currency"), "The latest stored fit of the currency, or None.");

  const py::object timedelta = py::module_::import("datetime").attr("timedelta");
  const py::object year = timedelta(py::arg("days") = 365);
  const py::object month = timedelta(py::arg("days") = 30);

  cls.def(
      "predict",
      [](A& self, py::handle ref, py::handle currency, py::handle at, py::handle horizon, py::handle period,
         py::handle discount_rate, py::handle coverage) {
        std::string r = ref_arg(ref);
        const patron::PredictionOptions o =
            prediction_options(currency, at, horizon, period, discount_rate, coverage);
        return without_gil(*self.connection, [&](patron::Database& db) { return db.analytics().predict(r, o); });
      },
      py::arg("ref"), py::arg("currency"), py::kw_only(), py::arg("at") = py::none(), py::arg("horizon") = year,
      py::arg("period") = month, py::arg("discount_rate") = 0.01, py::arg("coverage") = 0.8,
      "The latest fit's prediction for the customer from their history up to `at` (now when None).");

  cls.def(
      "predict_all",
      [](A& self, py::handle currency, py::handle at, py::handle horizon, py::handle period, py::handle discount_rate,
         py::handle coverage) {
        const patron::PredictionOptions o =
            prediction_options(currency, at, horizon, period, discount_rate, coverage);
        return object_list(
            without_gil(*self.connection, [&](patron::Database& db) { return db.analytics().predict_all(o); }));
      },
      py::arg("currency"), py::kw_only(), py::arg("at") = py::none(), py::arg("horizon") = year,
      py::arg("period") = month, py::arg("discount_rate") = 0.01, py::arg("coverage") = 0.8,
      "predict() for every customer with an order in the currency before `at`, in customer-number order.");

  cls.def("__repr__", [](const A& self) { return "<patron.Analytics of " + repr_of(self.connection->path) + ">"; });
}

}  // namespace

void bind_analytics(py::module_& m) {
  bind_clv_values(m);
  bind_clv_functions(m);
  bind_analytics_values(m);
  bind_analytics_service(m);
}

}  // namespace patron::python
