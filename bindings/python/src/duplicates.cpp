// Duplicate detection, bound for Python:
//   db.duplicates.similar_to(first_name=..., last_name=..., email=..., ...,
//                            min_probability=0.5, limit=10)   -> [DuplicateCandidate]
//   db.duplicates.of(ref, min_probability=0.5, limit=10)      -> [DuplicateCandidate]
//   db.duplicates.scan(min_probability=0.95, offset=0, limit=1000) -> ScanResult
//   db.duplicates.dismiss(a, b, by=...); db.duplicates.label(a, b, same=..., by=...)
//   db.duplicates.train(by=..., random_pairs=..., max_iterations=..., seed=...) -> MatchModel
//   db.duplicates.model()                                     -> MatchModel
// The rules of module.cpp hold here too (binding.hpp).
#include <pybind11/pybind11.h>

#include <string>

#include "binding.hpp"
#include "convert.hpp"
#include "patron/duplicates.hpp"

namespace patron::python {
namespace {

std::size_t count_arg(py::handle value, const char* field) {
  const std::int64_t n = integer(value, field);
  if (n < 0) throw patron::Error(patron::Errc::invalid_argument, std::string(field) + ": must not be negative", field);
  return static_cast<std::size_t>(n);
}

patron::SimilarOptions similar_options(py::handle min_probability, py::handle limit) {
  patron::SimilarOptions o;
  o.min_probability = number(min_probability, "min_probability");
  o.limit = count_arg(limit, "limit");
  return o;
}

// The explanation's members on a candidate or a pair.
template <class T, class Cls>
void explained(Cls& cls) {
  cls.def_property_readonly("probability", [](const T& t) { return t.explanation.probability; })
      .def_property_readonly("weight", [](const T& t) { return t.explanation.weight; })
      .def_property_readonly("prior_weight", [](const T& t) { return t.explanation.prior_weight; })
      .def_property_readonly("fields", [](const T& t) { return object_list(t.explanation.fields); });
}

void bind_values(py::module_& m) {
  py::class_<FieldComparison> field(
      m, "FieldComparison",
      "One field of an explanation: the level the comparison found ('exact', 'close', 'phonetic', "
      "'same_local_part', 'transposed', 'missing', ...) and its weight, log2(m / u); u is replaced by "
      "term_frequency (the share of profiles holding the agreed value) when that is set.");
  field.def_property_readonly("field", [](const FieldComparison& f) { return str(to_string(f.field)); })
      .def_property_readonly("level", [](const FieldComparison& f) { return str(to_string(f.level)); })
      .def_readonly("weight", &FieldComparison::weight)
      .def_readonly("m", &FieldComparison::m)
      .def_readonly("u", &FieldComparison::u)
      .def_property_readonly("term_frequency",
                             [](const FieldComparison& f) {
                               return f.term_frequency ? py::object(py::float_(*f.term_frequency)) : py::none();
                             })
      .def("__repr__", [](const FieldComparison& f) {
        return "<patron.FieldComparison " + std::string(to_string(f.field)) + "=" + std::string(to_string(f.level)) +
               " weight=" + std::to_string(f.weight) + ">";
      });
  bind_eq<FieldComparison>(field);

  py::class_<DuplicateCandidate> candidate(
      m, "DuplicateCandidate",
      "A profile that probably is the person asked about: its id (customer), number and names, the match "
      "probability, the total match weight (prior_weight plus the fields' weights) and every field's comparison.");
  candidate.def_property_readonly("customer", [](const DuplicateCandidate& c) { return str(c.customer.str()); })
      .def_property_readonly("number", [](const DuplicateCandidate& c) { return str(c.number); })
      .def_property_readonly("first_name", [](const DuplicateCandidate& c) { return str(c.first_name); })
      .def_property_readonly("last_name", [](const DuplicateCandidate& c) { return str(c.last_name); })
      .def("__repr__", [](const DuplicateCandidate& c) {
        return "<patron.DuplicateCandidate " + repr_of(c.number) + " " + repr_of(c.first_name + " " + c.last_name) +
               " probability=" + std::to_string(c.explanation.probability) + ">";
      });
  explained<DuplicateCandidate>(candidate);
  bind_eq<DuplicateCandidate>(candidate);

  py::class_<DuplicatePair> pair(m, "DuplicatePair",
                                 "Two profiles of the base that are probably one person (a < b, by id), with the "
                                 "probability, weight and every field's comparison.");
  pair.def_property_readonly("a", [](const DuplicatePair& p) { return str(p.a.str()); })
      .def_property_readonly("b", [](const DuplicatePair& p) { return str(p.b.str()); })
      .def("__repr__", [](const DuplicatePair& p) {
        return "<patron.DuplicatePair " + p.a.str() + " " + p.b.str() +
               " probability=" + std::to_string(p.explanation.probability) + ">";
      });
  explained<DuplicatePair>(pair);
  bind_eq<DuplicatePair>(pair);

  py::class_<ScanResult> scan(m, "ScanResult",
                              "A page of the pairs above the threshold, best first; the clusters they all form "
                              "(lists of ids, the largest first); how many pairs there are in all pages, how many "
                              "the blocking keys proposed, and how many profiles were compared.");
  scan.def_property_readonly("pairs", [](const ScanResult& r) { return object_list(r.pairs); })
      .def_property_readonly("clusters",
                             [](const ScanResult& r) {
                               py::list out;
                               for (const auto& c : r.clusters) {
                                 py::list ids;
                                 for (const auto& id : c.customers) ids.append(str(id.str()));
                                 out.append(ids);
                               }
                               return out;
                             })
      .def_readonly("total_pairs", &ScanResult::total_pairs)
      .def_readonly("candidate_pairs", &ScanResult::candidate_pairs)
      .def_readonly("customers", &ScanResult::customers)
      .def("__repr__", [](const ScanResult& r) {
        return "<patron.ScanResult total_pairs=" + std::to_string(r.total_pairs) +
               " clusters=" + std::to_string(r.clusters.size()) + ">";
      });

  py::class_<MatchModel> model(
      m, "MatchModel",
      "The duplicate model's parameters: the prior (that two profiles picked at random are one person) and, per "
      "field and level, m and u (parameters[field][level] = (m, u)); trained_at is None for the default model.");
  model.def_readonly("prior", &MatchModel::prior)
      .def_property_readonly("parameters",
                             [](const MatchModel& mm) {
                               py::dict out;
                               for (const auto& f : mm.fields) {
                                 py::dict levels;
                                 for (const auto& l : f.levels) levels[str(to_string(l.level))] = py::make_tuple(l.m, l.u);
                                 out[str(to_string(f.field))] = levels;
                               }
                               return out;
                             })
      .def_property_readonly("trained_at", [](const MatchModel& mm) { return datetime(mm.trained_at); })
      .def_property_readonly("trained_by", [](const MatchModel& mm) { return str(mm.trained_by); })
      .def_readonly("profiles", &MatchModel::profiles)
      .def_readonly("candidate_pairs", &MatchModel::candidate_pairs)
      .def_readonly("random_pairs", &MatchModel::random_pairs)
      .def_readonly("labelled_pairs", &MatchModel::labelled_pairs)
      .def_readonly("iterations", &MatchModel::iterations)
      .def_readonly("converged", &MatchModel::converged)
      .def("__repr__", [](const MatchModel& mm) {
        return std::string("<patron.MatchModel ") + (mm.trained_at ? "trained by " + repr_of(mm.trained_by) : "default") +
               " prior=" + std::to_string(mm.prior) + ">";
      });
  bind_eq<MatchModel>(model);
}

}  // namespace

void bind_duplicates(py::module_& m) {
  bind_values(m);
  py::class_<PyDuplicates> cls(m, "Duplicates",
                               "Which customers are probably the same person, and why (db.duplicates). Nothing "
                               "is merged here: see db.customers.merge().");
  cls.def(
         "similar_to",
         [](PyDuplicates& self, const py::kwargs& kwargs) {
           py::dict fields;
           py::object min_probability = py::float_(0.5);
           py::object limit = py::int_(10);
           for (auto item : kwargs) {
             const std::string key = py::str(item.first);
             if (key == "min_probability") {
               min_probability = py::reinterpret_borrow<py::object>(item.second);
             } else if (key == "limit") {
               limit = py::reinterpret_borrow<py::object>(item.second);
             } else {
               fields[item.first] = item.second;
             }
           }
           const patron::NewCustomer probe = new_customer_arg(fields, "");
           const patron::SimilarOptions options = similar_options(min_probability, limit);
           return object_list(without_gil(
               *self.connection, [&](patron::Database& db) { return db.duplicates().similar_to(probe, options); }));
         },
         "similar_to(*, first_name=..., last_name=..., email=..., phone=..., date_of_birth=..., addresses=..., "
         "number=..., min_probability=0.5, limit=10) -> [DuplicateCandidate]: the profiles resembling a customer "
         "about to be created, best first.")
      .def(
          "of",
          [](PyDuplicates& self, py::handle ref, py::handle min_probability, py::handle limit) {
            const std::string r = ref_arg(ref);
            const patron::SimilarOptions options = similar_options(min_probability, limit);
            return object_list(
                without_gil(*self.connection, [&](patron::Database& db) { return db.duplicates().of(r, options); }));
          },
          py::arg("ref"), py::kw_only(), py::arg("min_probability") = 0.5, py::arg("limit") = 10,
          "The profiles resembling customer ref (not itself, nor those dismissed with it), best first.")
      .def(
          "scan",
          [](PyDuplicates& self, py::handle min_probability, py::handle offset, py::handle limit) {
            patron::ScanOptions o;
            o.min_probability = number(min_probability, "min_probability");
            o.offset = count_arg(offset, "offset");
            o.limit = count_arg(limit, "limit");
            return without_gil(*self.connection, [&](patron::Database& db) { return db.duplicates().scan(o); });
          },
          py::kw_only(), py::arg("min_probability") = 0.95, py::arg("offset") = 0, py::arg("limit") = 1000,
          "The whole base: a page of the pairs above min_probability, best first, and the clusters they form.")
      .def(
          "dismiss",
          [](PyDuplicates& self, py::handle a, py::handle b, py::handle by) {
            const std::string x = ref_arg(a, "a");
            const std::string y = ref_arg(b, "b");
            const std::string who = text(by, "by");
            without_gil(*self.connection, [&](patron::Database& db) { db.duplicates().dismiss(x, y, who); });
          },
          py::arg("a"), py::arg("b"), py::kw_only(), py::arg("by"),
          "'Not the same person': the pair is never suggested again; remembered with by and the time.")
      .def(
          "label",
          [](PyDuplicates& self, py::handle a, py::handle b, py::handle same, py::handle by) {
            const std::string x = ref_arg(a, "a");
            const std::string y = ref_arg(b, "b");
            const bool s = boolean(same, "same");
            const std::string who = text(by, "by");
            without_gil(*self.connection, [&](patron::Database& db) { db.duplicates().label(x, y, s, who); });
          },
          py::arg("a"), py::arg("b"), py::kw_only(), py::arg("same"), py::arg("by"),
          "A labelled pair for training (same=False is dismiss()).")
      .def(
          "train",
          [](PyDuplicates& self, py::handle by, py::handle random_pairs, py::handle max_iterations, py::handle seed) {
            patron::TrainOptions o;
            o.by = text(by, "by");
            o.random_pairs = count_arg(random_pairs, "random_pairs");
            o.max_iterations =
                static_cast<int>(std::min<std::size_t>(count_arg(max_iterations, "max_iterations"), 1 << 30));
            o.seed = static_cast<std::uint64_t>(count_arg(seed, "seed"));
            return without_gil(*self.connection, [&](patron::Database& db) { return db.duplicates().train(o); });
          },
          py::kw_only(), py::arg("by"), py::arg("random_pairs") = 1'000'000, py::arg("max_iterations") = 50,
          py::arg("seed") = 1,
          "Fits the model on the base (u from random pairs, m by EM over the blocked pairs, labelled pairs held "
          "at their answer) and stores it.")
      .def(
          "model",
          [](PyDuplicates& self) {
            return without_gil(*self.connection, [&](patron::Database& db) { return db.duplicates().model(); });
          },
          "The model in use: the trained one, else the default.")
      .def("__repr__",
           [](const PyDuplicates& self) { return "<patron.Duplicates of " + repr_of(self.connection->path) + ">"; });
}

}  // namespace patron::python
