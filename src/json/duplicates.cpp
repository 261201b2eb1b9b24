// Duplicate detection as JSON: the options its calls take, candidates,
// scans with their explanations, and the model.
#include "json/json_internal.hpp"

#include <string>

namespace patron::json {

using namespace internal;

namespace {

json to_json(const MatchExplanation& e) {
  json fields = json::array();
  for (const auto& f : e.fields) {
    fields.push_back({{"field", to_string(f.field)},
                      {"level", to_string(f.level)},
                      {"weight", f.weight},
                      {"m", f.m},
                      {"u", f.u},
                      {"term_frequency", f.term_frequency ? json(*f.term_frequency) : json()}});
  }
  return {{"probability", e.probability}, {"weight", e.weight}, {"prior_weight", e.prior_weight}, {"fields", fields}};
}

json to_json(const DuplicateCandidate& c) {
  json j = to_json(c.explanation);
  j["customer"] = c.customer.str();
  j["number"] = c.number;
  j["first_name"] = c.first_name;
  j["last_name"] = c.last_name;
  return j;
}

json to_json(const DuplicatePair& p) {
  json j = to_json(p.explanation);
  j["a"] = p.a.str();
  j["b"] = p.b.str();
  return j;
}

json to_json(const DuplicateCluster& c) {
  json ids = json::array();
  for (const auto& id : c.customers) ids.push_back(id.str());
  return ids;
}

}  // namespace

SimilarOptions decode_similar_options(std::string_view text) {
  SimilarOptions o;
  if (text.empty()) return o;
  const json j = parse_json(text);
  require_object(j, "", {"min_probability", "limit"});
  o.min_probability = get_number(j, "min_probability", "min_probability", o.min_probability);
  o.limit = get_count(j, "limit", o.limit);
  return o;
}

ScanOptions decode_scan_options(std::string_view text) {
  ScanOptions o;
  if (text.empty()) return o;
  const json j = parse_json(text);
  require_object(j, "", {"min_probability", "offset", "limit"});
  o.min_probability = get_number(j, "min_probability", "min_probability", o.min_probability);
  o.offset = get_count(j, "offset", o.offset);
  o.limit = get_count(j, "limit", o.limit);
  return o;
}

TrainOptions decode_train_options(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"by", "random_pairs", "max_iterations", "seed"});
  TrainOptions o;
  o.by = get_string(j, "by", "by");
  o.random_pairs = get_count(j, "random_pairs", o.random_pairs);
  o.max_iterations = static_cast<int>(std::min<std::size_t>(get_count(j, "max_iterations", 50), 1'000'000));
  o.seed = static_cast<std::uint64_t>(get_count(j, "seed", 1));
  return o;
}

std::string encode(const std::vector<DuplicateCandidate>& candidates) {
  json out = json::array();
  for (const auto& c : candidates) out.push_back(to_json(c));
  return out.dump();
}

std::string encode(const ScanResult& r) {
  json pairs = json::array();
  for (const auto& p : r.pairs) pairs.push_back(to_json(p));
  json clusters = json::array();
  for (const auto& c : r.clusters) clusters.push_back(to_json(c));
  return json{{"pairs", pairs},
              {"clusters", clusters},
              {"total_pairs", r.total_pairs},
              {"candidate_pairs", r.candidate_pairs},
              {"customers", r.customers}}
      .dump();
}

std::string encode(const MatchModel& m) {
  json fields = json::array();
  for (const auto& f : m.fields) {
    json levels = json::array();
    for (const auto& l : f.levels) levels.push_back({{"level", to_string(l.level)}, {"m", l.m}, {"u", l.u}});
    fields.push_back({{"field", to_string(f.field)}, {"levels", levels}});
  }
  return json{{"prior", m.prior},
              {"fields", fields},
              {"trained_at", opt_time(m.trained_at)},
              {"trained_by", m.trained_by},
              {"profiles", m.profiles},
              {"candidate_pairs", m.candidate_pairs},
              {"random_pairs", m.random_pairs},
              {"labelled_pairs", m.labelled_pairs},
              {"iterations", m.iterations},
              {"converged", m.converged}}
      .dump();
}

}  // namespace patron::json
