// The record-linkage model behind Duplicates (src/core/match.cpp): what a
// profile looks like to the comparison, its blocking and term keys, the
// comparison levels, the Fellegi-Sunter weights and their fitting (random
// pairs for u, expectation-maximisation for m).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "patron/customer.hpp"
#include "patron/duplicates.hpp"

namespace patron::match {

inline constexpr std::size_t kFields = kMatchFieldCount;
inline constexpr std::size_t kLevels = static_cast<std::size_t>(MatchLevel::missing) + 1;

struct AddressKey {
  std::string postcode{};  // folded, without spaces
  std::string street{};    // folded words of line 1 ("6 tullaroop street")
  std::string city{};      // folded words
};

// A profile as compared: folded text, so comparing never folds again.
struct Record {
  std::string first{};
  std::string last{};
  std::string first_code{};  // NYSIIS of the folded name's letters
  std::string last_code{};
  std::vector<std::string> emails{};  // normalised
  std::vector<std::string> phones{};  // E.164, verified numbers only
  std::string birth{};                // YYYYMMDD, or empty
  std::vector<AddressKey> addresses{};
  std::string number{};  // lower case
  // Shown with a candidate.
  std::string shown_number{};
  std::string shown_first{};
  std::string shown_last{};
};

Record record_of(const Customer& c);

// The stored form (one line of separated fields) and back.
std::string encode(const Record& r);
Record decode(std::string_view text);

// Blocking keys start with 'b' (a kind letter, ':', the value); term keys
// with 't' ("tl=smith", and "tl" once per profile that has a last name).
std::vector<std::string> keys_of(const Record& r);
std::vector<std::string> blocking_keys(const Record& r);

// The level each field lands on.
using Levels = std::array<MatchLevel, kFields>;
Levels compare(const Record& a, const Record& b);

// The levels each field may land on, best first, "missing" last.
const std::vector<MatchLevel>& levels_of(MatchField f);
// Fields whose exact agreement is weighed by term frequency, and the
// term-key letter of each ('f', 'l', 'z', 'c'); 0 for the others.
char term_letter(MatchField f) noexcept;
// The value two records agree on exactly for a term-frequency field.
std::string agreed_value(MatchField f, const Record& a, const Record& b);

// Parameters by field and level; "missing" is always m = u = 1.
struct Parameters {
  double prior = 0;
  std::array<std::array<double, kLevels>, kFields> m{};
  std::array<std::array<double, kLevels>, kFields> u{};
};

Parameters default_parameters();
Parameters parameters_of(const MatchModel& model);
// The public form; `meta` gives what training recorded.
MatchModel model_of(const Parameters& p, const MatchModel& meta = {});

std::string model_to_json(const MatchModel& model);
MatchModel model_from_json(std::string_view text);

// How often a value is held: profiles holding it / profiles holding the field.
using TermFrequency = std::function<std::optional<double>(MatchField field, const std::string& value)>;

// The whole explanation of a pair.
MatchExplanation explain(const Parameters& p, const Levels& levels, const Record& a, const Record& b,
                         const TermFrequency& tf);
// Only the total weight of a pair (the scan's inner loop), with term
// frequencies from `tf` too.
double weight_of(const Parameters& p, const Levels& levels, const Record& a, const Record& b,
                 const TermFrequency& tf);
double probability_of(double weight) noexcept;
double weight_for(double probability) noexcept;

// Fitting, as Splink does it: u from random pairs; m by EM in sessions,
// each over the pairs one family of blocking keys proposes, with the fields
// those keys are made of left out (pairs that share a name say nothing about
// how often one person's names agree, but much about their birthdays). A
// field's m is the mean over the sessions that estimated it; then the prior
// is fitted on the union of the sessions' pairs with m and u held.
using Patterns = std::map<Levels, double>;  // distinct levels -> how many pairs
struct Session {
  Patterns patterns;
  double pairs = 0;
  std::array<bool, kFields> excluded{};
};
struct Fit {
  Parameters parameters;
  int iterations = 0;  // the most any session took
  bool converged = false;
};
// `labelled` pairs keep their known answer in every session; `all` holds
// the union of the sessions' pairs, `all_share` its share of every pair of
// the base.
Fit fit(const std::vector<Session>& sessions, const std::vector<std::pair<Levels, bool>>& labelled,
        const std::vector<Levels>& random, const Patterns& all, double all_pairs, double all_share,
        int max_iterations);

}  // namespace patron::match
