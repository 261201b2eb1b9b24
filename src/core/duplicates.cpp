#include "patron/duplicates.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <random>
#include <set>
#include <thread>
#include <unordered_map>

#include "core/customer_ops.hpp"
#include "core/duplicate_ops.hpp"
#include "core/event_builders.hpp"
#include "core/match.hpp"
#include "core/rules.hpp"
#include "core/state.hpp"
#include "patron/error.hpp"
#include "text/text.hpp"

namespace patron {
namespace {

constexpr std::size_t kStaleBatch = 5000;
// A blocking key shared by more profiles than this proposes no pairs (a
// postcode of a tower block, "info@", the commonest names): other keys,
// more telling, still reach the profiles holding it.
constexpr std::size_t kMaxBlock = 100;
// EM learns from the pairs the training sessions' blocking keys propose:
// both names alike, or an email, phone or date of birth shared. The
// place-based keys (postcode, street, city) reach more true pairs for a scan
// but bring whole households, which EM would take for one more kind of match.
// One EM session per family of keys, leaving out the fields the keys are
// made of (match.hpp): names; the date of birth (with an initial); the
// email's local part and the phone.
struct TrainingSession {
  std::string_view kinds;
  std::vector<MatchField> excluded;
};
const TrainingSession kTrainingSessions[] = {
    {"nl", {MatchField::first_name, MatchField::last_name}},
    {"d", {MatchField::date_of_birth}},
    {"ep", {MatchField::email, MatchField::phone}},
};

using Pair = std::uint64_t;  // two record indexes, the smaller high
Pair pair_of(std::uint32_t i, std::uint32_t j) {
  if (i > j) std::swap(i, j);
  return (static_cast<std::uint64_t>(i) << 32) | j;
}
std::uint32_t first_of(Pair p) { return static_cast<std::uint32_t>(p >> 32); }
std::uint32_t second_of(Pair p) { return static_cast<std::uint32_t>(p & 0xffffffffu); }

}  // namespace

namespace detail {

store::MatchEntry match_entry_of(const Customer& c) {
  const auto r = match::record_of(c);
  return store::MatchEntry{match::encode(r), match::keys_of(r)};
}

bool refresh_match_entries(store::Transaction& tx, Timestamp now) {
  auto& dup = tx.duplicates();
  auto& customers = tx.customers();
  {
    const auto ids = dup.stale(kStaleBatch);
    if (ids.empty()) return false;
    std::vector<store::DuplicateRepository::Put> batch;
    batch.reserve(ids.size());
    for (const auto& id : ids) {
      const auto c = customers.by_id(id, now);
      if (!c || c->id != id) {  // merged away: its profile is the survivor's now
        batch.emplace_back(id, std::nullopt);
        continue;
      }
      batch.emplace_back(id, match_entry_of(*c));
    }
    dup.put(batch);
  }
  return true;
}

}  // namespace detail

namespace {

using detail::refresh_match_entries;

// Runs `f` in a read transaction on up-to-date entries, refreshing the
// stale ones first (a short write) when there are any. Writers are never
// held up by a long read: a till may change a profile meanwhile, and the
// next call sees it.
template <typename F>
auto on_fresh(const detail::DatabaseState& state, F&& f) {
  using R = std::invoke_result_t<F&, store::Transaction&>;
  auto answer = state.read([&](store::Transaction& tx) -> std::optional<R> {
    if (tx.duplicates().any_stale()) return std::nullopt;
    return f(tx);
  });
  if (answer) return std::move(*answer);
  // A batch per transaction: a backlog (after a bulk load, or the upgrade
  // that introduced the entries) never holds the writer for long.
  const Timestamp now = state.now();
  while (state.write([&](store::Transaction& tx) { return refresh_match_entries(tx, now); })) {
  }
  return state.read([&](store::Transaction& tx) { return f(tx); });
}

match::Parameters parameters(store::Transaction& tx) {
  const auto stored = tx.duplicates().model();
  return stored ? match::parameters_of(match::model_from_json(*stored)) : match::default_parameters();
}

// Term frequencies from the store's key counts, cached for one call.
class StoreTerms {
 public:
  explicit StoreTerms(store::DuplicateRepository& dup) : dup_(dup) {}
  std::optional<double> operator()(MatchField f, const std::string& value) {
    const char letter = match::term_letter(f);
    if (letter == 0 || value.empty()) return std::nullopt;
    const std::string total_key = std::string("t") + letter;
    auto total = totals_.find(letter);
    if (total == totals_.end()) total = totals_.emplace(letter, dup_.key_count(total_key)).first;
    if (static_cast<double>(total->second) < 500) return std::nullopt;
    const std::int64_t n = std::max<std::int64_t>(dup_.key_count(total_key + "=" + value), 1);
    return static_cast<double>(n) / static_cast<double>(total->second);
  }

 private:
  store::DuplicateRepository& dup_;
  std::map<char, std::int64_t> totals_;
};

// Term frequencies of a whole scan, in memory.
class MemoryTerms {
 public:
  explicit MemoryTerms(store::DuplicateRepository& dup) {
    for (const char letter : {'f', 'l', 'z', 'c'}) {
      const std::string total_key = std::string("t") + letter;
      const double total = static_cast<double>(dup.key_count(total_key));
      if (total < 500) continue;
      auto& shares = shares_[letter];
      dup.each_key_count(total_key + "=", [&](std::string_view key, std::int64_t n) {
        shares.emplace(std::string(key.substr(3)), static_cast<double>(n) / total);
      });
      floor_[letter] = 1.0 / total;
    }
  }
  std::optional<double> operator()(MatchField f, const std::string& value) const {
    const char letter = match::term_letter(f);
    const auto table = shares_.find(letter);
    if (table == shares_.end() || value.empty()) return std::nullopt;
    const auto it = table->second.find(value);
    return it == table->second.end() ? floor_.at(letter) : it->second;
  }

 private:
  std::map<char, std::unordered_map<std::string, double>> shares_;
  std::map<char, double> floor_;
};

// The comparable fields of a probe, by the rules Customers::create applies.
match::Record probe_record(const NewCustomer& in, Timestamp now, std::string_view region) {
  Customer c;
  if (!in.number.empty()) c.number = rules::customer_number(in.number, "number");
  c.first_name = rules::name(in.first_name, "first_name");
  c.last_name = rules::name(in.last_name, "last_name");
  if (!in.email.empty()) c.emails.push_back(Email{rules::email(in.email, "email"), true});
  if (!in.phone.empty()) c.phones.push_back(rules::phone(in.phone, in.phone_label, region, "phone"));
  if (in.date_of_birth) c.date_of_birth = rules::date_of_birth(*in.date_of_birth, now, "date_of_birth");
  for (std::size_t i = 0; i < in.addresses.size(); ++i) {
    c.addresses.push_back(rules::address(in.addresses[i], indexed_field("addresses", i)));
  }
  match::Record r = match::record_of(c);
  if (r.first.empty() && r.last.empty() && r.emails.empty() && r.phones.empty() && r.birth.empty() &&
      r.addresses.empty() && r.number.empty()) {
    throw Error(Errc::invalid_argument,
                "probe: give at least one of number, first_name, last_name, email, phone (a valid number), "
                "date_of_birth or addresses",
                "probe");
  }
  return r;
}

// A threshold in 0..1 (NaN refused) and a limit in 1..max_limit.
void check(double min_probability, std::size_t limit, std::size_t max_limit) {
  if (!(min_probability >= 0 && min_probability <= 1)) {
    throw Error(Errc::invalid_argument, "min_probability: must be 0 to 1", "min_probability");
  }
  if (limit < 1 || limit > max_limit) {
    throw Error(Errc::invalid_argument, "limit: must be 1 to " + std::to_string(max_limit), "limit");
  }
}
void check(const SimilarOptions& o) { check(o.min_probability, o.limit, 1000); }
void check(const ScanOptions& o) { check(o.min_probability, o.limit, 100000); }

}  // namespace

std::vector<DuplicateCandidate> detail::candidates_of(store::Transaction& tx, const match::Record& probe,
                                              const std::optional<CustomerId>& self, const SimilarOptions& options) {
  auto& dup = tx.duplicates();
  std::set<CustomerId> excluded;
  if (self) {
    excluded.insert(*self);
    for (auto& id : dup.dismissed_with(*self)) excluded.insert(std::move(id));
  }
  std::map<CustomerId, std::string> found;
  // A probe too thin for any blocking key (a last name alone) looks up
  // the profiles holding the same name, city or postcode instead.
  std::vector<std::string> keys = match::blocking_keys(probe);
  if (keys.empty()) {
    for (auto& k : match::keys_of(probe)) {
      if (k.find('=') != std::string::npos) keys.push_back(std::move(k));
    }
  }
  for (const auto& key : keys) {
    for (auto& [id, record] : dup.with_key(key, kMaxBlock)) {
      if (!excluded.contains(id)) found.emplace(std::move(id), std::move(record));
    }
  }
  // A number names at most one profile: looked up directly, no key needed.
  if (!probe.number.empty()) {
    if (const auto id = tx.customers().id_by_number(probe.number); id && !excluded.contains(*id)) {
      if (auto record = dup.record(*id)) found.emplace(*id, std::move(*record));
    }
  }
  const match::Parameters p = parameters(tx);
  StoreTerms terms(dup);
  const match::TermFrequency tf = [&](MatchField f, const std::string& v) { return terms(f, v); };
  std::vector<DuplicateCandidate> out;
  for (const auto& [id, text] : found) {
    const match::Record r = match::decode(text);
    MatchExplanation e = match::explain(p, match::compare(probe, r), probe, r, tf);
    if (e.probability < options.min_probability) continue;
    out.push_back(DuplicateCandidate{id, r.shown_number, r.shown_first, r.shown_last, std::move(e)});
  }
  std::sort(out.begin(), out.end(), [](const DuplicateCandidate& x, const DuplicateCandidate& y) {
    if (x.explanation.weight != y.explanation.weight) return x.explanation.weight > y.explanation.weight;
    return x.customer < y.customer;
  });
  if (out.size() > options.limit) out.resize(options.limit);
  return out;
}

namespace {

using detail::candidates_of;

// Every stored entry, by index, with the store's handles (ascending).
struct Base {
  std::vector<std::int64_t> handles;
  std::vector<CustomerId> ids;
  std::vector<match::Record> records;

  std::optional<std::uint32_t> index_of(std::int64_t handle) const {
    const auto it = std::lower_bound(handles.begin(), handles.end(), handle);
    if (it == handles.end() || *it != handle) return std::nullopt;
    return static_cast<std::uint32_t>(it - handles.begin());
  }
  double all_pairs() const {
    const double n = static_cast<double>(records.size());
    return n * (n - 1) / 2;
  }
};

Base load_base(store::DuplicateRepository& dup) {
  Base b;
  dup.each_record([&](std::int64_t handle, const CustomerId& id, std::string_view record) {
    b.handles.push_back(handle);
    b.ids.push_back(id);
    b.records.push_back(match::decode(record));
  });
  return b;
}

// The blocked pairs, without those decided "not the same" (or, with
// `skip_decided`, any decided pair), sorted and distinct.
std::vector<Pair> candidate_pairs(store::DuplicateRepository& dup, const Base& base,
                                  const std::vector<store::MatchDecision>& decisions, bool skip_decided,
                                  std::string_view kinds = {}) {
  std::vector<Pair> pairs;
  std::vector<std::uint32_t> members;
  dup.each_block(kinds, kMaxBlock, [&](std::span<const std::int64_t> handles) {
    members.clear();
    for (auto h : handles) {
      if (const auto i = base.index_of(h)) members.push_back(*i);
    }
    for (std::size_t x = 0; x < members.size(); ++x) {
      for (std::size_t y = x + 1; y < members.size(); ++y) pairs.push_back(pair_of(members[x], members[y]));
    }
  });
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  std::vector<Pair> drop;
  for (const auto& d : decisions) {
    if (d.same && !skip_decided) continue;
    const auto i = base.index_of(d.a_handle);
    const auto j = base.index_of(d.b_handle);
    if (i && j) drop.push_back(pair_of(*i, *j));
  }
  std::sort(drop.begin(), drop.end());
  std::vector<Pair> kept;
  kept.reserve(pairs.size());
  std::set_difference(pairs.begin(), pairs.end(), drop.begin(), drop.end(), std::back_inserter(kept));
  return kept;
}

// Runs `f(begin, end, worker)` over [0, n) on up to two threads (this
// machine class has two cores; more would only queue).
template <typename F>
void in_parallel(std::size_t n, F&& f) {
  const std::size_t workers = n < 20000 ? 1 : 2;
  if (workers == 1) {
    f(std::size_t{0}, n, std::size_t{0});
    return;
  }
  const std::size_t half = n / 2;
  std::exception_ptr failure;
  std::thread other([&] {
    try {
      f(half, n, std::size_t{1});
    } catch (...) {
      failure = std::current_exception();
    }
  });
  std::exception_ptr mine;
  try {
    f(std::size_t{0}, half, std::size_t{0});
  } catch (...) {
    mine = std::current_exception();
  }
  other.join();
  if (mine) std::rethrow_exception(mine);
  if (failure) std::rethrow_exception(failure);
}

struct Scored {
  Pair pair;
  double weight;
};

// A scored base: its profiles, the model and term frequencies it was
// scored with (an explanation reuses them), and the pairs kept.
struct ScanWork {
  Base base;
  match::Parameters parameters;
  MemoryTerms terms;
  std::vector<Scored> kept;  // above the threshold
  std::size_t candidates = 0;

  double weight(const match::Record& a, const match::Record& b, const match::TermFrequency& tf) const {
    return match::weight_of(parameters, match::compare(a, b), a, b, tf);
  }
  DuplicatePair explained(const Scored& s) const {
    const match::TermFrequency tf = [&](MatchField f, const std::string& v) { return terms(f, v); };
    const auto i = first_of(s.pair);
    const auto j = second_of(s.pair);
    const auto& a = base.records[i];
    const auto& b = base.records[j];
    DuplicatePair out{base.ids[i], base.ids[j], match::explain(parameters, match::compare(a, b), a, b, tf)};
    if (out.b < out.a) std::swap(out.a, out.b);
    return out;
  }
  ScanResult totals() const {
    ScanResult out;
    out.total_pairs = kept.size();
    out.candidate_pairs = candidates;
    out.customers = base.records.size();
    return out;
  }
};

ScanWork score_base(store::Transaction& tx, double min_probability) {
  auto& dup = tx.duplicates();
  ScanWork w{load_base(dup), parameters(tx), MemoryTerms(dup), {}, 0};
  const auto pairs = candidate_pairs(dup, w.base, dup.decisions(), false);
  w.candidates = pairs.size();
  const match::TermFrequency tf = [&](MatchField f, const std::string& v) { return w.terms(f, v); };
  const double threshold = match::weight_for(min_probability);
  std::vector<std::vector<Scored>> found(2);
  in_parallel(pairs.size(), [&](std::size_t begin, std::size_t end, std::size_t worker) {
    for (std::size_t k = begin; k < end; ++k) {
      const double weight = w.weight(w.base.records[first_of(pairs[k])], w.base.records[second_of(pairs[k])], tf);
      if (min_probability <= 0 || weight >= threshold) found[worker].push_back(Scored{pairs[k], weight});
    }
  });
  w.kept = std::move(found[0]);
  w.kept.insert(w.kept.end(), found[1].begin(), found[1].end());
  return w;
}

std::vector<DuplicateCluster> clusters_of(const ScanWork& w) {
  std::vector<std::uint32_t> parent(w.base.records.size());
  std::iota(parent.begin(), parent.end(), 0u);
  const auto find = [&](std::uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  for (const auto& s : w.kept) {
    const auto x = find(first_of(s.pair));
    const auto y = find(second_of(s.pair));
    if (x != y) parent[std::max(x, y)] = std::min(x, y);
  }
  std::map<std::uint32_t, std::vector<CustomerId>> groups;
  for (const auto& s : w.kept) {
    for (const auto i : {first_of(s.pair), second_of(s.pair)}) groups[find(i)].push_back(w.base.ids[i]);
  }
  std::vector<DuplicateCluster> out;
  for (auto& [root, ids] : groups) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    out.push_back(DuplicateCluster{std::move(ids)});
  }
  std::stable_sort(out.begin(), out.end(), [](const DuplicateCluster& x, const DuplicateCluster& y) {
    if (x.customers.size() != y.customers.size()) return x.customers.size() > y.customers.size();
    return x.customers.front() < y.customers.front();
  });
  return out;
}

// The two customers of a decision, live and distinct.
std::pair<CustomerId, CustomerId> decided_pair(store::Transaction& tx, std::string_view a, std::string_view b) {
  const CustomerId x = detail::require_customer_id(tx.customers(), a, "a");
  const CustomerId y = detail::require_customer_id(tx.customers(), b, "b");
  if (x == y) throw Error(Errc::invalid_argument, "b: the same customer as a", "b");
  return {x, y};
}

}  // namespace

std::vector<DuplicateCandidate> Duplicates::similar_to(const NewCustomer& probe, const SimilarOptions& options) const {
  check(options);
  const match::Record r = probe_record(probe, state_->now(), state_->options.default_region);
  return on_fresh(*state_, [&](store::Transaction& tx) { return candidates_of(tx, r, std::nullopt, options); });
}

std::vector<DuplicateCandidate> Duplicates::of(std::string_view ref, const SimilarOptions& options) const {
  check(options);
  return on_fresh(*state_, [&](store::Transaction& tx) {
    const CustomerId id = detail::require_customer_id(tx.customers(), ref);
    if (const auto text = tx.duplicates().record(id)) return candidates_of(tx, match::decode(*text), id, options);
    // Created since the refresh: its record from its profile.
    const auto c = tx.customers().by_id(id, state_->now());
    if (!c) throw Error(Errc::not_found, "ref: no customer " + std::string(ref), "ref");
    return candidates_of(tx, match::record_of(*c), id, options);
  });
}

ScanResult Duplicates::scan(const ScanOptions& options) const {
  check(options);
  return on_fresh(*state_, [&](store::Transaction& tx) {
    ScanWork w = score_base(tx, options.min_probability);
    std::sort(w.kept.begin(), w.kept.end(), [&](const Scored& x, const Scored& y) {
      if (x.weight != y.weight) return x.weight > y.weight;
      return x.pair < y.pair;
    });
    ScanResult out = w.totals();
    out.clusters = clusters_of(w);
    for (std::size_t k = options.offset; k < w.kept.size() && out.pairs.size() < options.limit; ++k) {
      out.pairs.push_back(w.explained(w.kept[k]));
    }
    return out;
  });
}

ScanResult Duplicates::scan(const ScanOptions& options, const std::function<void(const DuplicatePair&)>& visit) const {
  check(options);
  return on_fresh(*state_, [&](store::Transaction& tx) {
    const ScanWork w = score_base(tx, options.min_probability);
    for (const auto& s : w.kept) visit(w.explained(s));
    return w.totals();
  });
}

void Duplicates::dismiss(std::string_view a, std::string_view b, std::string_view by) {
  label(a, b, false, by);
}

void Duplicates::label(std::string_view a, std::string_view b, bool same, std::string_view by) {
  const std::string actor = text::clean_required(by, "by", rules::kMaxActor);
  const Timestamp now = state_->now();
  const ActorScope scope(actor, ActorScope::current_source());
  state_->write([&](store::Transaction& tx) {
    const auto [x, y] = decided_pair(tx, a, b);
    tx.duplicates().decide(x, y, same, actor, now);
    // On both timelines: each names the other.
    for (const auto& [self, other] : {std::pair{x, y}, std::pair{y, x}}) {
      detail::record(tx, now,
                     detail::make_change(self, EventCategory::customers, EventType::data,
                                         same ? "customer.duplicate_confirmed" : "customer.duplicate_dismissed",
                                         same ? "Marked the same person as another profile"
                                              : "Marked not the same person as another profile",
                                         detail::EventJson{{"other", other.str()}}));
    }
  });
}

MatchModel Duplicates::train(const TrainOptions& options) {
  const std::string by = text::clean_required(options.by, "by", rules::kMaxActor);
  if (options.random_pairs < 1000 || options.random_pairs > 100'000'000) {
    throw Error(Errc::invalid_argument, "random_pairs: must be 1000 to 100000000", "random_pairs");
  }
  if (options.max_iterations < 1 || options.max_iterations > 1000) {
    throw Error(Errc::invalid_argument, "max_iterations: must be 1 to 1000", "max_iterations");
  }
  const Timestamp now = state_->now();
  // Fitting reads the whole base: in a read transaction, so tills keep
  // writing meanwhile; only storing the result writes.
  const MatchModel trained = on_fresh(*state_, [&](store::Transaction& tx) {
    auto& dup = tx.duplicates();
    const Base base = load_base(dup);
    const std::size_t n = base.records.size();
    if (n < 2) {
      throw Error(Errc::failed_precondition, "profiles: training needs at least 2 customers to compare", "profiles");
    }
    const auto decisions = dup.decisions();
    // Each pair's levels, counted by pattern as they come (two workers,
    // merged): memory grows with the patterns, not with the pairs.
    const auto patterns_of = [&](const std::vector<Pair>& pairs) {
      std::array<match::Patterns, 2> found;
      in_parallel(pairs.size(), [&](std::size_t begin, std::size_t end, std::size_t worker) {
        for (std::size_t k = begin; k < end; ++k) {
          found[worker][match::compare(base.records[first_of(pairs[k])], base.records[second_of(pairs[k])])] += 1;
        }
      });
      for (const auto& [levels, count] : found[1]) found[0][levels] += count;
      return std::move(found[0]);
    };
    std::vector<match::Session> sessions;
    std::vector<Pair> pairs;  // the union of the sessions' pairs (each list is sorted and distinct)
    for (const auto& [kinds, excluded] : kTrainingSessions) {
      match::Session session;
      const auto session_pairs = candidate_pairs(dup, base, decisions, true, kinds);
      session.patterns = patterns_of(session_pairs);
      session.pairs = static_cast<double>(session_pairs.size());
      for (const MatchField f : excluded) session.excluded[static_cast<std::size_t>(f)] = true;
      sessions.push_back(std::move(session));
      std::vector<Pair> merged;
      merged.reserve(pairs.size() + session_pairs.size());
      std::set_union(pairs.begin(), pairs.end(), session_pairs.begin(), session_pairs.end(),
                     std::back_inserter(merged));
      pairs = std::move(merged);
    }
    const match::Patterns candidates = patterns_of(pairs);
    std::vector<std::pair<match::Levels, bool>> labelled;
    for (const auto& d : decisions) {
      const auto i = base.index_of(d.a_handle);
      const auto j = base.index_of(d.b_handle);
      if (i && j) labelled.emplace_back(match::compare(base.records[*i], base.records[*j]), d.same);
    }
    const double all = base.all_pairs();
    const std::size_t random_count =
        static_cast<std::size_t>(std::min(static_cast<double>(options.random_pairs), all));
    std::mt19937_64 rng(options.seed);
    std::uniform_int_distribution<std::size_t> pick(0, n - 1);
    std::vector<match::Levels> random(random_count);
    for (auto& levels : random) {
      const std::size_t i = pick(rng);
      std::size_t j = pick(rng);
      while (j == i) j = pick(rng);
      levels = match::compare(base.records[i], base.records[j]);
    }
    const double share = std::min(1.0, static_cast<double>(std::max<std::size_t>(pairs.size(), 1)) / all);
    const match::Fit fit = match::fit(sessions, labelled, random, candidates, static_cast<double>(pairs.size()), share,
                                      options.max_iterations);
    MatchModel meta;
    meta.trained_at = now;
    meta.trained_by = by;
    meta.profiles = n;
    meta.candidate_pairs = pairs.size();
    meta.random_pairs = random_count;
    meta.labelled_pairs = labelled.size();
    meta.iterations = fit.iterations;
    meta.converged = fit.converged;
    return match::model_of(fit.parameters, meta);
  });
  const ActorScope scope(by, ActorScope::current_source());
  state_->write([&](store::Transaction& tx) {
    tx.duplicates().store_model(match::model_to_json(trained));
    detail::record(tx, now,
                   detail::make_change(std::nullopt, EventCategory::system, EventType::data, "duplicates.trained",
                                       "Duplicate model trained",
                                       detail::EventJson{{"profiles", trained.profiles},
                                                         {"candidate_pairs", trained.candidate_pairs},
                                                         {"random_pairs", trained.random_pairs},
                                                         {"labelled_pairs", trained.labelled_pairs},
                                                         {"iterations", trained.iterations},
                                                         {"converged", trained.converged},
                                                         {"prior", trained.prior}}));
  });
  return trained;
}

MatchModel Duplicates::model() const {
  return state_->read([&](store::Transaction& tx) {
    const auto stored = tx.duplicates().model();
    return stored ? match::model_from_json(*stored) : match::model_of(match::default_parameters());
  });
}

}  // namespace patron
