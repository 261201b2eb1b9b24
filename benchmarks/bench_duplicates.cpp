// bench_duplicates: duplicate detection on a synthetic base with planted
// duplicates, against an exact-match baseline in raw SQLite in the same run.
//
// The generator (seeded, reproducible): PATRON_BENCH_DUPLICATE_CUSTOMERS
// (default 1,000,000) profiles, of which 10% are planted duplicates of
// distinct originals. Originals: first and last names drawn from lists
// (70% and 40%, the head more common) or coined from syllables (the tail), a date of birth (80%), a unique
// email (80%), a valid UK mobile (60%), an address with street, city and
// postcode (70%). A duplicate copies its original, always with another
// email or none (emails are unique in patron), then suffers what a front desk
// does to a guest: a typo in a name (35%), names swapped (8%), a date of
// birth with day and month transposed or one digit changed (15%) or dropped
// (10%), a phone retyped in national form or dropped, a move to a new
// address (5%), a postcode typo (10%) or no address (15%); it keeps at
// least two of its original's facts besides the names (date of birth,
// phone, address, the email's local part).
//
// Measured, each once on the whole base (wall time, peak memory of the
// process so far):
//  - index: the first duplicates call computes every profile's match entry;
//  - train: Duplicates::train on the base (1,000,000 random pairs);
//  - scan: Duplicates::scan(min_probability 0.5), the first page, and its
//    recall and precision of the planted pairs (every pair, streamed);
//  - raw/exact: the baseline a host would write: an index on (last name,
//    first name, date of birth) and a self-join for equal triples.
// Under Google Benchmark, per call: similar_to for 1,000 new corrupted
// copies of originals, of() for 1,000 profiles, against raw/lookup, an
// indexed exact lookup of (last name, first name) on the same file.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <benchmark/benchmark.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <random>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "bench_support.hpp"
#include "patron/patron.hpp"

namespace {

using patron::bench::seconds_since;
using patron::bench::CapturingReporter;
using patron::bench::env_count;
using patron::bench::fixed;
using patron::bench::grouped;
using Clock = std::chrono::steady_clock;

const char* kFirst[] = {
    "oliver", "george", "harry", "jack", "jacob", "noah", "charlie", "muhammad", "thomas", "oscar", "william",
    "james", "henry", "leo", "alfie", "joshua", "freddie", "ethan", "archie", "isaac", "joseph", "alexander",
    "samuel", "daniel", "logan", "edward", "lucas", "max", "mohammed", "benjamin", "mason", "theo", "arthur",
    "adam", "harrison", "teddy", "finley", "sebastian", "dylan", "zachary", "olivia", "amelia", "isla", "ava",
    "emily", "isabella", "mia", "poppy", "ella", "lily", "evie", "grace", "sophia", "sophie", "freya", "chloe",
    "charlotte", "isabelle", "daisy", "phoebe", "scarlett", "ruby", "matilda", "alice", "florence", "evelyn",
    "jessica", "ana", "maria", "sofia", "ines", "beatriz", "leonor", "carolina", "joao", "rodrigo", "martim",
    "tiago", "pedro", "miguel", "francisco", "duarte", "lucia", "elena", "paula", "marta", "javier", "pablo",
    "carlos", "luis", "hugo", "mateo", "lena", "hannah", "anna", "lea", "lukas", "felix", "paul", "jonas",
    "giulia", "chiara", "marco", "luca", "matteo", "andrea", "priya", "aarav", "ananya", "rohan", "wei", "mei",
    "yuki", "haruto", "fatima", "aisha", "omar", "yusuf", "zara", "nina", "eva", "clara", "julia", "emma"};
const char* kLast[] = {
    "smith", "jones", "williams", "taylor", "brown", "davies", "evans", "wilson", "thomas", "johnson", "roberts",
    "robinson", "thompson", "wright", "walker", "white", "edwards", "hughes", "green", "hall", "lewis", "harris",
    "clarke", "patel", "jackson", "wood", "turner", "martin", "cooper", "hill", "ward", "morris", "moore", "clark",
    "lee", "king", "baker", "harrison", "morgan", "allen", "james", "scott", "phillips", "watson", "davis",
    "parker", "price", "bennett", "young", "griffiths", "mitchell", "kelly", "cook", "carter", "richardson",
    "bailey", "collins", "bell", "shaw", "murphy", "miller", "cox", "richards", "khan", "marshall", "anderson",
    "simpson", "ellis", "adams", "singh", "begum", "wilkinson", "foster", "chapman", "powell", "webb", "rogers",
    "gray", "mason", "ali", "hunt", "hussain", "campbell", "matthews", "owen", "palmer", "holmes", "mills",
    "barnes", "knight", "lloyd", "butler", "russell", "barker", "fisher", "stevens", "jenkins", "murray", "dixon",
    "harvey", "silva", "santos", "ferreira", "pereira", "oliveira", "costa", "rodrigues", "martins", "jesus",
    "sousa", "fernandes", "goncalves", "gomes", "lopes", "marques", "alves", "almeida", "ribeiro", "pinto",
    "garcia", "gonzalez", "rodriguez", "fernandez", "lopez", "martinez", "sanchez", "perez", "muller", "schmidt",
    "schneider", "fischer", "weber", "meyer", "wagner", "becker", "rossi", "russo", "ferrari", "esposito",
    "bianchi", "romano", "colombo", "kowalski", "nowak", "novak", "horvat", "kim", "nguyen", "tanaka", "wang"};
const char* kSyllables[] = {"ka", "ren", "dor", "mi", "lan", "vel", "tor", "shi", "bra", "no", "fen", "gar",
                            "lis", "mor", "ta", "quin", "bel", "dra", "kov", "sen", "ul", "wick", "ham", "ley",
                            "ton", "by", "ford", "stead", "worth", "ridge", "ash", "el"};
const char* kStreetKinds[] = {"street", "road", "lane", "avenue", "close", "way", "place", "crescent"};
const char* kDomains[] = {"gmail.com", "outlook.com", "yahoo.co.uk", "icloud.com", "hotmail.com",
                          "btinternet.com", "sky.com", "proton.me", "example.pt", "example.de"};

template <std::size_t N>
const char* pick(std::mt19937_64& rng, const char* const (&list)[N]) {
  return list[std::uniform_int_distribution<std::size_t>(0, N - 1)(rng)];
}

bool chance(std::mt19937_64& rng, double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; }

std::string coined(std::mt19937_64& rng, int syllables) {
  std::string out;
  for (int i = 0; i < syllables; ++i) out += pick(rng, kSyllables);
  return out;
}

std::string lower_ascii(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

std::string capital(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

// A name: from the list (earlier entries more common), else coined from
// syllables (the long tail of a real base's names). With the shares used
// below the commonest first name is held by about 3% of profiles and the
// commonest last name by about 1.5%, as in a British base (Smith ~1.2%).
std::string name_from(std::mt19937_64& rng, const char* const* list, std::size_t n, double coined_share) {
  if (chance(rng, coined_share)) return capital(coined(rng, 3 + static_cast<int>(rng() % 2)));
  const double u = std::uniform_real_distribution<double>(0, 1)(rng);
  return capital(list[static_cast<std::size_t>(std::pow(u, 1.5) * static_cast<double>(n))]);
}

struct Town {
  std::string city;
  std::string postcode_area;
};

std::string typo(std::mt19937_64& rng, std::string s) {
  if (s.size() < 3) return s + "e";
  const std::size_t i = 1 + rng() % (s.size() - 2);
  switch (rng() % 4) {
    case 0:
      std::swap(s[i], s[i + 1]);
      break;
    case 1:
      s.erase(i, 1);
      break;
    case 2:
      s.insert(i, 1, s[i]);
      break;
    default:
      s[i] = static_cast<char>('a' + rng() % 26);
  }
  return s;
}

struct Base {
  std::vector<patron::NewCustomer> people;
  std::vector<std::size_t> original_of;  // for a duplicate: its original's index; else its own
};

patron::NewCustomer corrupted(std::mt19937_64& rng, const patron::NewCustomer& o, const std::vector<Town>& towns,
                              std::size_t serial) {
  patron::NewCustomer d = o;
  d.number.clear();
  // Another email, or none: the same local part elsewhere, or a new address.
  if (chance(rng, 0.3)) {
    d.email.clear();
  } else if (!o.email.empty() && chance(rng, 0.5)) {
    d.email = o.email.substr(0, o.email.find('@')) + "@" + pick(rng, kDomains);
    if (d.email == o.email) d.email = o.email.substr(0, o.email.find('@')) + "@alt.example";
  } else {
    d.email = lower_ascii(d.first_name.substr(0, 1) + d.last_name) + "." + std::to_string(serial) + "@" +
              pick(rng, kDomains);
  }
  if (chance(rng, 0.35)) {
    if (chance(rng, 0.5)) {
      d.first_name = capital(typo(rng, lower_ascii(d.first_name)));
    } else {
      d.last_name = capital(typo(rng, lower_ascii(d.last_name)));
    }
  }
  if (chance(rng, 0.08)) std::swap(d.first_name, d.last_name);
  if (d.date_of_birth) {
    const double r = std::uniform_real_distribution<double>(0, 1)(rng);
    const auto y = static_cast<int>(d.date_of_birth->year());
    const auto m = static_cast<unsigned>(d.date_of_birth->month());
    const auto dd = static_cast<unsigned>(d.date_of_birth->day());
    if (r < 0.075 && dd <= 12 && dd != m) {
      d.date_of_birth = patron::Date{std::chrono::year{y}, std::chrono::month{dd}, std::chrono::day{m}};
    } else if (r < 0.15) {
      const unsigned day = dd >= 20 ? dd - 10 : (dd % 10 == 9 ? dd - 1 : dd + 1);
      d.date_of_birth = patron::Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{day}};
    } else if (r < 0.25) {
      d.date_of_birth.reset();
    }
  }
  if (!d.phone.empty()) {
    if (chance(rng, 0.3)) {
      d.phone.clear();
    } else if (chance(rng, 0.5)) {
      d.phone = "0" + d.phone.substr(3);  // +447400123456 -> 07400123456
    }
  }
  const double a = std::uniform_real_distribution<double>(0, 1)(rng);
  if (a < 0.05) {
    const Town& t = towns[rng() % towns.size()];
    patron::Address addr;
    addr.line1 = std::to_string(1 + rng() % 200) + " " + capital(coined(rng, 2)) + " " + pick(rng, kStreetKinds);
    addr.city = t.city;
    addr.postal_code = t.postcode_area + std::to_string(rng() % 10) + " " + std::to_string(rng() % 10) + "AB";
    addr.country = "GB";
    d.addresses = {addr};
  } else if (a < 0.15 && !d.addresses.empty()) {
    d.addresses[0].postal_code = typo(rng, d.addresses[0].postal_code);
  } else if (a < 0.30) {
    d.addresses.clear();
  }
  if (d.first_name.empty() || d.last_name.empty()) d.first_name = o.first_name;
  // A planted duplicate keeps at least two of its original's other facts
  // (date of birth, phone, address, email's local part), as a second
  // profile made at a till or by a booking site does: one that shares only
  // a name with its original is a guess for anyone, not a duplicate to plant.
  const auto facts = [&] {
    return int(d.date_of_birth.has_value()) + int(!d.phone.empty()) + int(!d.addresses.empty()) +
           int(!d.email.empty() && !o.email.empty() &&
               d.email.substr(0, d.email.find('@')) == o.email.substr(0, o.email.find('@')));
  };
  if (facts() < 2 && o.date_of_birth && !d.date_of_birth) d.date_of_birth = o.date_of_birth;
  if (facts() < 2 && !o.phone.empty() && d.phone.empty()) d.phone = o.phone;
  if (facts() < 2 && !o.addresses.empty() && d.addresses.empty()) d.addresses = o.addresses;
  if (facts() < 2 && !o.email.empty()) d.email = o.email.substr(0, o.email.find('@')) + "@alt.example";
  return d;
}

Base generate(std::size_t total, std::uint64_t seed, std::vector<Town>& towns) {
  std::mt19937_64 rng(seed);
  for (int i = 0; i < 400; ++i) {
    towns.push_back(Town{capital(coined(rng, 2 + i % 2)) + (i % 5 == 0 ? " " + capital(coined(rng, 1)) : ""),
                         std::string(1, static_cast<char>('A' + i % 26)) + static_cast<char>('A' + (i / 26) % 26) +
                             std::to_string(1 + i % 30)});
  }
  const std::size_t duplicates = total / 10;
  const std::size_t originals = total - duplicates;
  Base b;
  b.people.reserve(total);
  for (std::size_t i = 0; i < originals; ++i) {
    patron::NewCustomer n;
    n.first_name = name_from(rng, kFirst, std::size(kFirst), 0.3);
    n.last_name = name_from(rng, kLast, std::size(kLast), 0.6);
    if (chance(rng, 0.8)) {
      n.date_of_birth = patron::Date{std::chrono::year{1940 + static_cast<int>(rng() % 66)},
                                     std::chrono::month{1 + static_cast<unsigned>(rng() % 12)},
                                     std::chrono::day{1 + static_cast<unsigned>(rng() % 28)}};
    }
    if (chance(rng, 0.8)) {
      n.email = lower_ascii(n.first_name + "." + n.last_name) + "." + std::to_string(i) + "@" +
                pick(rng, kDomains);
    }
    if (chance(rng, 0.6)) {
      char phone[32];
      std::snprintf(phone, sizeof phone, "+447400%06zu", i % 1000000);
      n.phone = phone;
    }
    if (chance(rng, 0.7)) {
      const Town& t = towns[rng() % towns.size()];
      patron::Address a;
      a.line1 = std::to_string(1 + rng() % 200) + " " + capital(coined(rng, 2)) + " " + pick(rng, kStreetKinds);
      a.city = t.city;
      a.postal_code = t.postcode_area + std::to_string(rng() % 10) + " " + std::to_string(rng() % 10) +
                      static_cast<char>('A' + rng() % 26) + static_cast<char>('A' + rng() % 26);
      a.country = "GB";
      n.addresses.push_back(a);
    }
    b.people.push_back(std::move(n));
    b.original_of.push_back(i);
  }
  // Distinct originals get one duplicate each: originals with at least two
  // facts besides their names (a profile that is a name alone cannot be
  // told from a namesake by anyone).
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < originals; ++i) {
    const auto& n = b.people[i];
    if (int(n.date_of_birth.has_value()) + int(!n.phone.empty()) + int(!n.addresses.empty()) + int(!n.email.empty()) >= 2) {
      order.push_back(i);
    }
  }
  std::shuffle(order.begin(), order.end(), rng);
  for (std::size_t k = 0; k < duplicates; ++k) {
    const std::size_t o = order[k];
    b.people.push_back(corrupted(rng, b.people[o], towns, originals + k));
    b.original_of.push_back(o);
  }
  return b;
}


double peak_mib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;  // Linux: KiB
}

int run(benchmark::ConsoleReporter::OutputOptions console) {
  const std::size_t total = env_count("PATRON_BENCH_DUPLICATE_CUSTOMERS", 1'000'000);
  const std::string dir = "/tmp/patron-bench-duplicates-" + std::to_string(getpid());
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/crm.db";

  std::vector<Town> towns;
  Base base = generate(total, 20261207, towns);
  patron::Database db = patron::Database::open(path);
  auto t0 = Clock::now();
  std::vector<patron::CustomerId> ids;
  ids.reserve(total);
  for (std::size_t i = 0; i < total; i += 1000) {
    const std::vector<patron::NewCustomer> batch(base.people.begin() + static_cast<std::ptrdiff_t>(i),
                                                 base.people.begin() + static_cast<std::ptrdiff_t>(std::min(total, i + 1000)));
    for (const auto& c : db.customers().create_many(batch)) ids.push_back(c.id);
  }
  const double create_s = seconds_since(t0);
  std::fprintf(stderr, "created %zu customers in %.1f s\n", total, create_s);
  // The probes of the per-call benchmarks: new corrupted copies of
  // originals (never inserted). Then the generator's profiles go, so that
  // the peak memory below is patron's, not the generator's.
  const std::size_t planted = total / 10;
  std::mt19937_64 rng(7);
  std::vector<patron::NewCustomer> probes;
  for (std::size_t i = 0; i < 1000; ++i) {
    probes.push_back(corrupted(rng, base.people[rng() % (total - planted)], towns, total + i));
  }
  const std::vector<std::size_t> original_of = base.original_of;
  std::vector<patron::NewCustomer> people_for_show;
  if (std::getenv("PATRON_BENCH_SHOW")) people_for_show = base.people;
  base = Base{};

  patron::Duplicates& dup = db.duplicates();
  t0 = Clock::now();
  dup.of(ids[0].str());  // computes every entry
  const double index_s = seconds_since(t0);
  const double index_mib = peak_mib();
  std::fprintf(stderr, "indexed in %.1f s\n", index_s);

  t0 = Clock::now();
  const patron::MatchModel model = dup.train({.by = "bench"});
  const double train_s = seconds_since(t0);
  const double train_mib = peak_mib();
  std::fprintf(stderr, "trained in %.1f s (%d iterations, %zu candidate pairs)\n", train_s, model.iterations,
               model.candidate_pairs);

  const double threshold = 0.5;
  t0 = Clock::now();
  const patron::ScanResult page = dup.scan({.min_probability = threshold, .offset = 0, .limit = 1000});
  const double scan_s = seconds_since(t0);
  const double scan_mib = peak_mib();
  std::fprintf(stderr, "scanned in %.1f s: %zu pairs, %zu clusters\n", scan_s, page.total_pairs, page.clusters.size());

  // Quality: every pair above the threshold, against the planted ones.
  std::unordered_map<std::string, std::size_t> index_of;
  for (std::size_t i = 0; i < ids.size(); ++i) index_of.emplace(ids[i].str(), i);
  // Found and right pairs at each threshold.
  const double thresholds[] = {0.5, 0.8, 0.9, 0.95};
  std::size_t found_at[4] = {};
  std::size_t right_at[4] = {};
  std::size_t found = 0;
  std::size_t right = 0;
  t0 = Clock::now();
  dup.scan({.min_probability = threshold, .offset = 0, .limit = 1}, [&](const patron::DuplicatePair& p) {
    ++found;
    const std::size_t a = index_of.at(p.a.str());
    const std::size_t b = index_of.at(p.b.str());
    right += original_of[a] == original_of[b];
    for (std::size_t t = 0; t < 4; ++t) {
      if (p.explanation.probability >= thresholds[t]) {
        ++found_at[t];
        right_at[t] += original_of[a] == original_of[b];
      }
    }
    static int shown = 0;
    if (std::getenv("PATRON_BENCH_SHOW") && original_of[a] != original_of[b] && shown++ < 12) {
      std::string line = "WRONG p=" + fixed(p.explanation.probability, 3) + ":";
      for (const auto& f : p.explanation.fields) {
        line += " " + std::string(patron::to_string(f.field)) + "=" + std::string(patron::to_string(f.level)) + "(" +
                fixed(f.weight, 1) + ")";
      }
      for (std::size_t k : {a, b}) {
        const auto& n = people_for_show[k];
        line += "\n    " + n.first_name + " " + n.last_name + " | " + n.email + " | " + n.phone + " | " +
                (n.date_of_birth ? patron::format_date(*n.date_of_birth) : "-") + " | " +
                (n.addresses.empty() ? "-" : n.addresses[0].line1 + ", " + n.addresses[0].city + ", " + n.addresses[0].postal_code);
      }
      std::fprintf(stderr, "%s\n", line.c_str());
    }
  });
  const double stream_s = seconds_since(t0);
  if (std::getenv("PATRON_BENCH_SHOW")) {
    int shown = 0;
    for (std::size_t k = total - total / 10; k < total && shown < 12; ++k) {
      const std::string& original = ids[original_of[k]].str();
      const auto found_k = dup.of(ids[k].str(), {.min_probability = 0, .limit = 1000});
      const auto it = std::find_if(found_k.begin(), found_k.end(),
                                   [&](const patron::DuplicateCandidate& c) { return c.customer.str() == original; });
      if (it != found_k.end() && it->explanation.probability >= threshold) continue;
      ++shown;
      std::string line = it == found_k.end() ? "UNBLOCKED" : "MISSED p=" + fixed(it->explanation.probability, 3) + ":";
      if (it != found_k.end()) {
        for (const auto& f : it->explanation.fields) {
          line += " " + std::string(patron::to_string(f.field)) + "=" + std::string(patron::to_string(f.level)) + "(" +
                  fixed(f.weight, 1) + ")";
        }
      }
      for (std::size_t j : {original_of[k], k}) {
        const auto& n = people_for_show[j];
        line += "\n    " + n.first_name + " " + n.last_name + " | " + n.email + " | " + n.phone + " | " +
                (n.date_of_birth ? patron::format_date(*n.date_of_birth) : "-") + " | " +
                (n.addresses.empty() ? "-" : n.addresses[0].line1 + ", " + n.addresses[0].city + ", " + n.addresses[0].postal_code);
      }
      std::fprintf(stderr, "%s\n", line.c_str());
    }
  }
  const double recall = static_cast<double>(right) / static_cast<double>(planted);
  const double precision = found ? static_cast<double>(right) / static_cast<double>(found) : 1.0;

  // The baseline: equal (last name, first name, date of birth), raw SQLite.
  SQLite::Database raw(path, SQLite::OPEN_READWRITE);
  t0 = Clock::now();
  raw.exec("CREATE INDEX bench_exact ON customers (last_name, first_name, date_of_birth)");
  std::size_t exact_found = 0;
  std::size_t exact_right = 0;
  {
    std::unordered_map<std::int64_t, std::size_t> by_seq;
    SQLite::Statement seqs(raw, "SELECT seq, id FROM customers");
    while (seqs.executeStep()) by_seq.emplace(seqs.getColumn(0).getInt64(), index_of.at(seqs.getColumn(1).getString()));
    SQLite::Statement join(raw,
                           "SELECT a.seq, b.seq FROM customers a JOIN customers b ON b.last_name = a.last_name "
                           "AND b.first_name = a.first_name AND b.date_of_birth = a.date_of_birth AND b.seq > a.seq");
    while (join.executeStep()) {
      ++exact_found;
      exact_right += original_of[by_seq.at(join.getColumn(0).getInt64())] ==
                     original_of[by_seq.at(join.getColumn(1).getInt64())];
    }
  }
  const double exact_s = seconds_since(t0);

  std::size_t next_probe = 0;
  std::size_t next_of = 0;
  std::size_t next_raw = 0;
  benchmark::RegisterBenchmark("patron/similar_to", [&](benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(dup.similar_to(probes[next_probe++ % probes.size()]));
  })->Unit(benchmark::kMicrosecond)->UseRealTime();
  benchmark::RegisterBenchmark("patron/of", [&](benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(dup.of(ids[(next_of++ * 7919) % ids.size()].str()));
  })->Unit(benchmark::kMicrosecond)->UseRealTime();
  SQLite::Statement lookup(raw, "SELECT seq FROM customers WHERE last_name = ? AND first_name = ?");
  benchmark::RegisterBenchmark("raw/lookup", [&](benchmark::State& state) {
    for (auto _ : state) {
      const auto& p = probes[next_raw++ % probes.size()];
      lookup.bind(1, p.last_name);
      lookup.bind(2, p.first_name);
      std::size_t n = 0;
      while (lookup.executeStep()) ++n;
      lookup.reset();
      benchmark::DoNotOptimize(n);
    }
  })->Unit(benchmark::kMicrosecond)->UseRealTime();
  CapturingReporter reporter(console);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();

  const auto similar = reporter.timing("patron/similar_to");
  const auto of = reporter.timing("patron/of");
  const auto raw_lookup = reporter.timing("raw/lookup");
  std::printf("\n| %s profiles, 10%% planted duplicates (SQLite %s) | patron | exact-match baseline (raw SQLite) | goal |\n",
              grouped(double(total)).c_str(), sqlite3_libversion());
  std::printf("|---|---:|---:|---|\n");
  std::printf("| computing every match entry (once, after a bulk load) | %s s | — | |\n", fixed(index_s, 1).c_str());
  std::printf("| train (EM over %s candidate pairs, %s random pairs) | %s s | — | |\n",
              grouped(double(model.candidate_pairs)).c_str(), grouped(double(model.random_pairs)).c_str(),
              fixed(train_s, 1).c_str());
  std::printf("| scan, min_probability %.1f (%s pairs, %s clusters) | %s s | %s s (index + self-join) | < 60 s |\n",
              threshold, grouped(double(page.total_pairs)).c_str(), grouped(double(page.clusters.size())).c_str(),
              fixed(scan_s, 1).c_str(), fixed(exact_s, 1).c_str());
  std::printf("| scan streamed with every explanation | %s s | | |\n", fixed(stream_s, 1).c_str());
  std::printf("| peak memory of the process after index / train / scan | %s / %s / %s MiB | | < 2 GiB |\n",
              fixed(index_mib, 0).c_str(), fixed(train_mib, 0).c_str(), fixed(scan_mib, 0).c_str());
  const double exact_recall = static_cast<double>(exact_right) / static_cast<double>(planted);
  const double exact_precision = exact_found ? static_cast<double>(exact_right) / static_cast<double>(exact_found) : 1.0;
  for (std::size_t t = 0; t < 4; ++t) {
    const double r = static_cast<double>(right_at[t]) / static_cast<double>(planted);
    const double p = found_at[t] ? static_cast<double>(right_at[t]) / static_cast<double>(found_at[t]) : 1.0;
    std::printf("| recall / precision of the planted pairs at min_probability %.2f | %s / %s | %s / %s | ≥ 0.99 / ≥ 0.99 |\n",
                thresholds[t], fixed(r, 4).c_str(), fixed(p, 4).c_str(), fixed(exact_recall, 4).c_str(),
                fixed(exact_precision, 4).c_str());
  }
  (void)recall;
  (void)precision;
  if (similar && of && raw_lookup) {
    std::printf("| similar_to, one new guest (median) | %s ms | %s ms (exact name lookup) | < 1 ms |\n",
                fixed(similar->wall_ns / 1e6, 3).c_str(), fixed(raw_lookup->wall_ns / 1e6, 3).c_str());
    std::printf("| of, one profile (median) | %s ms | | < 1 ms |\n", fixed(of->wall_ns / 1e6, 3).c_str());
  }
  std::printf("\n(creating the %s customers took %s s)\n", grouped(double(total)).c_str(), fixed(create_s, 1).c_str());
  std::filesystem::remove_all(dir);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return patron::bench::benchmark_main(argc, argv, "bench_duplicates",
                                       {"--benchmark_repetitions=5", "--benchmark_report_aggregates_only=true"}, run);
}
