// patron::Duplicates: which customers are probably the same person, and why.
//
// A Fellegi-Sunter record-linkage model (the model of Splink and of the
// field's literature) compares two profiles field by field. Each field's
// comparison lands on one level (exact, close, phonetic, different, ...);
// each level has an m-probability (how often two records of the same person
// land there) and a u-probability (how often two different people do). The
// match weight of a level is log2(m / u), a Bayes factor; the weights of the
// fields and the prior add up to the log2 odds that the pair is a match. An
// exact agreement on a name, city or postcode is weighed by how rare that
// value is in the base (term-frequency adjustment): "Thistlethwaite" counts
// for more than "Smith". A missing value is neutral (weight 0).
//
// train() fits the model on the base itself (u from random pairs, m by
// expectation-maximisation over the candidate pairs, with the pairs a host
// labelled or dismissed held at their known answer) and stores it; until
// then a default model answers. Candidates come from blocking keys kept in
// the store (README: "Duplicates"), never from all pairs. Nothing is merged
// here: a person, or the host's own rule, decides (Customers::merge).
//
// Borrowed from a Database (db.duplicates()); thread-safe like it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "patron/customer.hpp"
#include "patron/ids.hpp"
#include "patron/types.hpp"

namespace patron {

namespace detail {
struct DatabaseState;
}

// The fields compared, in the order explanations list them. Addresses give
// three (postcode, street with number, city); a customer's many emails,
// phones and addresses compare at the best level any two reach.
enum class MatchField : std::uint8_t { first_name, last_name, email, phone, date_of_birth, postcode, street, city, number };
inline constexpr int kMatchFieldCount = 9;

// Where a comparison lands; each field uses some of these, best first:
//  first_name, last_name: exact, swapped (first and last names crossed),
//      close (Jaro-Winkler >= 0.92 or one edit), phonetic (same NYSIIS
//      code), similar (Jaro-Winkler >= 0.8), different, missing;
//  email: exact, same_local_part (at another domain), close (one edit),
//      different, missing;
//  phone (E.164): exact, close (one digit changed, dropped or swapped), different, missing;
//  date_of_birth: exact, transposed (day and month swapped), one_digit
//      (one digit of YYYYMMDD changed), different, missing;
//  postcode: exact, close (one edit), different, missing;
//  street, city: exact, close (Jaro-Winkler >= 0.88), different, missing;
//      moved when they differ and so does the postcode: a move is one piece
//      of evidence, weighed on postcode (street and city weigh 0);
//  number (the customer number, as a host imported it from another
//      system): exact, different, missing. Two profiles of one base never
//      share a number, so it speaks only when a probe names one.
enum class MatchLevel : std::uint8_t {
  exact,
  swapped,
  close,
  phonetic,
  similar,
  same_local_part,
  transposed,
  one_digit,
  moved,
  different,
  missing
};

std::string_view to_string(MatchField v) noexcept;
std::string_view to_string(MatchLevel v) noexcept;
MatchField parse_match_field(std::string_view text, std::string_view field = "field");
MatchLevel parse_match_level(std::string_view text, std::string_view field = "level");

// One field of an explanation: the level found and its weight, log2(m / u),
// with u replaced by the value's frequency when term-frequency adjusted.
struct FieldComparison {
  MatchField field = MatchField::first_name;
  MatchLevel level = MatchLevel::missing;
  double weight = 0;
  double m = 1;
  double u = 1;
  std::optional<double> term_frequency{};  // share of profiles holding the agreed value
  bool operator==(const FieldComparison&) const = default;
};

// Why a pair scores what it does: weight = prior_weight + the fields'
// weights; probability = 2^weight / (1 + 2^weight).
struct MatchExplanation {
  double probability = 0;
  double weight = 0;
  double prior_weight = 0;
  std::vector<FieldComparison> fields{};  // every field, in MatchField order
  bool operator==(const MatchExplanation&) const = default;
};

// "Did you mean Ana Silva, 00017?"
struct DuplicateCandidate {
  CustomerId customer{};
  std::string number{};
  std::string first_name{};
  std::string last_name{};
  MatchExplanation explanation{};
  bool operator==(const DuplicateCandidate&) const = default;
};

// Two profiles of the base that are probably one person; a < b (by id).
struct DuplicatePair {
  CustomerId a{};
  CustomerId b{};
  MatchExplanation explanation{};
  bool operator==(const DuplicatePair&) const = default;
};

// Customers joined by pairs above the threshold (connected components),
// ids in ascending order; the largest cluster first.
struct DuplicateCluster {
  std::vector<CustomerId> customers{};
  bool operator==(const DuplicateCluster&) const = default;
};

struct SimilarOptions {
  double min_probability = 0.5;
  std::size_t limit = 10;  // 1..1000
};

struct ScanOptions {
  double min_probability = 0.95;  // precision and recall of planted pairs >= 0.99 at 1M (README)
  std::size_t offset = 0;    // into the pairs, best first
  std::size_t limit = 1000;  // 1..100000 pairs per page
};

struct ScanResult {
  std::vector<DuplicatePair> pairs{};          // the page asked for, best first
  std::vector<DuplicateCluster> clusters{};    // all of them, not paged
  std::size_t total_pairs = 0;                 // above the threshold, in all pages
  std::size_t candidate_pairs = 0;             // pairs the blocking keys proposed
  std::size_t customers = 0;                   // profiles compared
};

// The model's parameters, readable so a host can show or audit them.
struct LevelParameters {
  MatchLevel level = MatchLevel::missing;
  double m = 1;
  double u = 1;
  bool operator==(const LevelParameters&) const = default;
};
struct FieldParameters {
  MatchField field = MatchField::first_name;
  std::vector<LevelParameters> levels{};  // best first, "missing" left out (always neutral)
  bool operator==(const FieldParameters&) const = default;
};
struct MatchModel {
  double prior = 0;  // probability that two profiles picked at random are one person
  std::vector<FieldParameters> fields{};
  std::optional<Timestamp> trained_at{};  // nothing: the default model
  std::string trained_by{};
  std::size_t profiles = 0;         // in the base when trained
  std::size_t candidate_pairs = 0;  // EM ran over these
  std::size_t random_pairs = 0;     // u was estimated from these
  std::size_t labelled_pairs = 0;   // held at their known answer
  int iterations = 0;
  bool converged = false;
  bool operator==(const MatchModel&) const = default;
};

struct TrainOptions {
  std::string by{};                      // who trained it (required)
  std::size_t random_pairs = 1'000'000;  // for u; 1000..100000000
  int max_iterations = 50;               // of EM; 1..1000
  std::uint64_t seed = 1;                // of the random pairs: training is reproducible
};

class Duplicates {
 public:
  explicit Duplicates(detail::DatabaseState& state) : state_(&state) {}

  // Profiles resembling a customer about to be created (the fields of
  // NewCustomer that the model compares; the rest is ignored), best first.
  // Refused: invalid_argument naming the field of `probe` that does not
  // pass the same rules as Customers::create, or "min_probability"
  // (outside 0..1), "limit" (outside 1..1000).
  std::vector<DuplicateCandidate> similar_to(const NewCustomer& probe, const SimilarOptions& options = {}) const;
  // Profiles resembling customer `ref`, best first. not_found ("ref").
  std::vector<DuplicateCandidate> of(std::string_view ref, const SimilarOptions& options = {}) const;
  // The whole base: pairs above the threshold and their clusters.
  ScanResult scan(const ScanOptions& options = {}) const;
  // The same, every pair above the threshold handed to `visit` as found
  // (not sorted); returns the totals (pairs and clusters left empty).
  ScanResult scan(const ScanOptions& options, const std::function<void(const DuplicatePair&)>& visit) const;

  // "Not the same person": never suggested again; remembered with who and
  // when, and held as a non-match when training. Both customers' timelines
  // get a "customer.duplicate_dismissed" event naming the other
  // ("customer.duplicate_confirmed" for a label that says the same). Refused:
  // invalid_argument ("b": the same customer; "by" missing), not_found ("a", "b").
  void dismiss(std::string_view a, std::string_view b, std::string_view by);
  // A labelled pair for training; `same` false is dismiss().
  void label(std::string_view a, std::string_view b, bool same, std::string_view by);

  // Fits the model on the base and stores it, with a "duplicates.trained"
  // event (category system, no customer) by options.by. Refused:
  // invalid_argument ("by", "random_pairs", "max_iterations");
  // failed_precondition ("profiles") with fewer than 2 profiles to compare.
  MatchModel train(const TrainOptions& options);
  // The model in use: the trained one, else the default.
  MatchModel model() const;

 private:
  detail::DatabaseState* state_;
};

}  // namespace patron
