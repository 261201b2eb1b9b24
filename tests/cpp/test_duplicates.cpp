// Duplicate detection: candidates before a customer is created and for a
// profile, scans of the whole base with clusters and pages, dismissals,
// labelled pairs and training, each explanation's arithmetic, the entries
// kept fresh through every kind of change, every refusal; and the quality
// figures on FEBRL 1 and 2 (tests/data/febrl) from the trained model alone.
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "fixture.hpp"

using namespace patron;
using patron::testing::DbFixture;
using patron::testing::expect_error;

BOOST_TEST_DONT_PRINT_LOG_VALUE(MatchLevel)
BOOST_TEST_DONT_PRINT_LOG_VALUE(MatchField)
BOOST_TEST_DONT_PRINT_LOG_VALUE(std::vector<CustomerId>)
BOOST_TEST_DONT_PRINT_LOG_VALUE(std::optional<Timestamp>)
BOOST_TEST_DONT_PRINT_LOG_VALUE(std::optional<double>)
BOOST_TEST_DONT_PRINT_LOG_VALUE(DuplicatePair)
BOOST_TEST_DONT_PRINT_LOG_VALUE(MatchModel)

namespace {

NewCustomer person(std::string first, std::string last, std::string email = {}, std::optional<Date> dob = {}) {
  NewCustomer n;
  n.first_name = std::move(first);
  n.last_name = std::move(last);
  n.email = std::move(email);
  n.date_of_birth = dob;
  return n;
}

Date ymd(int y, unsigned m, unsigned d) { return Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}}; }

Address home(std::string line1, std::string city, std::string postcode) {
  Address a;
  a.line1 = std::move(line1);
  a.city = std::move(city);
  a.postal_code = std::move(postcode);
  a.country = "GB";
  return a;
}

const FieldComparison& field(const MatchExplanation& e, MatchField f) {
  return e.fields.at(static_cast<std::size_t>(f));
}

// ---- FEBRL -----------------------------------------------------------------

struct Febrl {
  std::vector<NewCustomer> people;
  std::vector<std::string> records;  // rec-N-org / rec-N-dup-k, by person
  std::size_t left_out = 0;          // no first or no last name: patron cannot hold them
};

std::string trimmed(std::string s) {
  const auto b = s.find_first_not_of(' ');
  const auto e = s.find_last_not_of(' ');
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

Febrl read_febrl(const std::string& file) {
  std::ifstream in(std::string(PATRON_TEST_DATA_DIR) + "/febrl/" + file);
  BOOST_REQUIRE(in.good());
  Febrl out;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) f.push_back(trimmed(cell));
    f.resize(11);
    // rec_id, given_name, surname, street_number, address_1, address_2,
    // suburb, postcode, state, date_of_birth, soc_sec_id (not used).
    if (f[1].empty() || f[2].empty()) {
      ++out.left_out;
      continue;
    }
    NewCustomer n = person(f[1], f[2]);
    const std::string d = f[9];
    if (d.size() == 8 && std::all_of(d.begin(), d.end(), ::isdigit)) {
      const Date date{std::chrono::year{std::stoi(d.substr(0, 4))},
                      std::chrono::month{static_cast<unsigned>(std::stoi(d.substr(4, 2)))},
                      std::chrono::day{static_cast<unsigned>(std::stoi(d.substr(6, 2)))}};
      if (date.ok() && date.year() >= std::chrono::year{1900} && date.year() <= std::chrono::year{2025}) {
        n.date_of_birth = date;
      }
    }
    const std::string line1 = trimmed(f[3] + " " + f[4]);
    if (!line1.empty() || !f[6].empty() || !f[7].empty()) {
      Address a = home(line1, f[6], f[7]);
      a.line2 = f[5];
      a.region = f[8];
      a.country = "AU";
      n.addresses.push_back(a);
    }
    out.people.push_back(std::move(n));
    out.records.push_back(f[0]);
  }
  return out;
}

std::string person_of(const std::string& rec) {
  // "rec-12-dup-0" -> "12"
  const auto a = rec.find('-');
  const auto b = rec.find('-', a + 1);
  return rec.substr(a + 1, b - a - 1);
}

struct Quality {
  double precision;
  double recall;
  double f1;
  std::size_t true_pairs;
};

Quality febrl_quality(const std::string& file, double min_probability, std::size_t expected_people,
                      std::size_t* left_out = nullptr) {
  DbFixture f;
  const Febrl data = read_febrl(file);
  BOOST_TEST(data.people.size() + data.left_out == expected_people);
  if (left_out) *left_out = data.left_out;
  const auto created = f.db.customers().create_many(data.people);
  std::map<CustomerId, std::string> who;
  std::map<std::string, std::vector<CustomerId>> by_person;
  for (std::size_t i = 0; i < created.size(); ++i) {
    who[created[i].id] = person_of(data.records[i]);
    by_person[person_of(data.records[i])].push_back(created[i].id);
  }
  std::size_t true_pairs = 0;
  for (const auto& [p, ids] : by_person) true_pairs += ids.size() * (ids.size() - 1) / 2;

  TrainOptions t;
  t.by = "test";
  const auto started = std::chrono::steady_clock::now();
  const MatchModel model = f.db.duplicates().train(t);
  BOOST_TEST(model.trained_at.has_value());
  ScanOptions s;
  s.min_probability = min_probability;
  s.limit = 100000;
  const ScanResult r = f.db.duplicates().scan(s);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::size_t right = 0;
  for (const auto& p : r.pairs) right += who.at(p.a) == who.at(p.b);
  // What share of the true pairs the blocking keys reach: every candidate pair, scored or not.
  ScanOptions all;
  all.min_probability = 0;
  all.limit = 100000;
  std::set<std::pair<CustomerId, CustomerId>> candidates;
  for (const auto& p : f.db.duplicates().scan(all).pairs) candidates.emplace(p.a, p.b);
  std::size_t reached = 0;
  for (const auto& [p, ids] : by_person) {
    for (std::size_t x = 0; x < ids.size(); ++x) {
      for (std::size_t y = x + 1; y < ids.size(); ++y) reached += candidates.contains(std::minmax(ids[x], ids[y]));
    }
  }
  // The baseline: the same first name, last name and date of birth, exactly.
  std::map<std::string, std::vector<std::size_t>> same_key;
  for (std::size_t i = 0; i < data.people.size(); ++i) {
    const auto& n = data.people[i];
    if (n.date_of_birth) same_key[n.first_name + "|" + n.last_name + "|" + format_date(*n.date_of_birth)].push_back(i);
  }
  std::size_t baseline_found = 0;
  std::size_t baseline_right = 0;
  for (const auto& [k, members] : same_key) {
    for (std::size_t x = 0; x < members.size(); ++x) {
      for (std::size_t y = x + 1; y < members.size(); ++y) {
        ++baseline_found;
        baseline_right += person_of(data.records[members[x]]) == person_of(data.records[members[y]]);
      }
    }
  }
  BOOST_TEST_MESSAGE(file << ": blocking reaches " << reached << " of " << true_pairs << "; exact-match baseline finds "
                          << baseline_found << ", " << baseline_right << " right");
  BOOST_TEST(static_cast<double>(reached) >= 0.99 * static_cast<double>(true_pairs));
  Quality q{};
  q.true_pairs = true_pairs;
  q.precision = r.pairs.empty() ? 1.0 : static_cast<double>(right) / static_cast<double>(r.pairs.size());
  q.recall = static_cast<double>(right) / static_cast<double>(true_pairs);
  q.f1 = 2 * q.precision * q.recall / (q.precision + q.recall);
  BOOST_TEST_MESSAGE(file << ": " << created.size() << " profiles, " << data.left_out << " left out, "
                          << r.candidate_pairs << " candidate pairs, " << r.pairs.size() << " found, " << right
                          << " right of " << true_pairs << ": precision " << q.precision << ", recall " << q.recall
                          << ", F1 " << q.f1 << "; EM " << model.iterations << " iterations; train and scan "
                          << seconds << " s");
  return q;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(febrl)

BOOST_AUTO_TEST_CASE(febrl_1_f1_at_least_0_99) {
  const Quality q = febrl_quality("dataset1.csv", 0.5, 1000);
  BOOST_TEST(q.f1 >= 0.99);
}

BOOST_AUTO_TEST_CASE(febrl_2_f1_at_least_0_99) {
  const Quality q = febrl_quality("dataset2.csv", 0.5, 5000);
  BOOST_TEST(q.f1 >= 0.99);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(duplicates, DbFixture)

BOOST_AUTO_TEST_CASE(similar_to_finds_the_guest_before_a_till_creates_her_and_explains_why) {
  NewCustomer ana = person("Ana", "Silva", "ana.silva@example.com", ymd(1990, 4, 12));
  ana.addresses.push_back(home("12 Rua Augusta", "Lisboa", "1100-053"));
  const Customer stored = customers().create(ana);
  customers().create(person("Bruno", "Costa", "bruno@example.com", ymd(1985, 1, 2)));

  // The till: a typo in the surname, another email at another domain, the same birthday.
  NewCustomer walk_in = person("Ana", "Sliva", "ana.silva@mail.pt", ymd(1990, 4, 12));
  const auto found = db.duplicates().similar_to(walk_in);
  BOOST_TEST_REQUIRE(found.size() == 1u);
  const DuplicateCandidate& c = found[0];
  BOOST_TEST(c.customer == stored.id);
  BOOST_TEST(c.number == stored.number);
  BOOST_TEST(c.first_name == "Ana");
  BOOST_TEST(c.last_name == "Silva");
  const MatchExplanation& e = c.explanation;
  BOOST_TEST(e.fields.size() == 9u);
  BOOST_TEST(field(e, MatchField::first_name).level == MatchLevel::exact);
  BOOST_TEST(field(e, MatchField::last_name).level == MatchLevel::close);
  BOOST_TEST(field(e, MatchField::email).level == MatchLevel::same_local_part);
  BOOST_TEST(field(e, MatchField::date_of_birth).level == MatchLevel::exact);
  BOOST_TEST(field(e, MatchField::phone).level == MatchLevel::missing);
  BOOST_TEST(field(e, MatchField::phone).weight == 0.0);
  BOOST_TEST(field(e, MatchField::postcode).level == MatchLevel::missing);
  // The arithmetic a UI draws: prior + each field's log2(m/u) = weight; probability from weight.
  double sum = e.prior_weight;
  for (const auto& fc : e.fields) {
    if (fc.level != MatchLevel::missing) BOOST_TEST(std::abs(fc.weight - std::log2(fc.m / fc.u)) < 1e-9);
    sum += fc.weight;
  }
  BOOST_TEST(std::abs(sum - e.weight) < 1e-9);
  BOOST_TEST(std::abs(e.probability - 1.0 / (1.0 + std::exp2(-e.weight))) < 1e-12);
  BOOST_TEST(std::abs(e.prior_weight - std::log2(1e-4 / (1 - 1e-4))) < 1e-9);  // the default model
  BOOST_TEST(e.probability > 0.99);

  // Nobody like this one.
  BOOST_TEST(db.duplicates().similar_to(person("Zeno", "Quartermain")).empty());
  // A last name alone forms no blocking key: the profiles holding the name answer.
  const auto by_name = db.duplicates().similar_to(person("", "SILVA"), SimilarOptions{0, 10});
  BOOST_TEST_REQUIRE(by_name.size() == 1u);
  BOOST_TEST(by_name[0].customer == stored.id);
  BOOST_TEST(field(by_name[0].explanation, MatchField::first_name).level == MatchLevel::missing);
}

BOOST_AUTO_TEST_CASE(swapped_names_transposed_dates_and_phones_are_levels_of_their_own) {
  NewCustomer a = person("Maria", "Lopez", "", ymd(1980, 3, 7));
  a.phone = "+44 7911 123456";
  customers().create(a);
  NewCustomer b = person("Lopez", "Maria", "", ymd(1980, 7, 3));
  b.phone = "07911 123456";
  const auto found = db.duplicates().similar_to(b);
  BOOST_TEST_REQUIRE(found.size() == 1u);
  const auto& e = found[0].explanation;
  BOOST_TEST(field(e, MatchField::first_name).level == MatchLevel::swapped);
  BOOST_TEST(field(e, MatchField::last_name).level == MatchLevel::swapped);
  BOOST_TEST(field(e, MatchField::last_name).weight == 0.0);  // a swap counts once, on first_name
  BOOST_TEST(field(e, MatchField::date_of_birth).level == MatchLevel::transposed);
  BOOST_TEST(field(e, MatchField::phone).level == MatchLevel::exact);

  NewCustomer c = person("Maria", "Lopes", "", ymd(1980, 3, 8));
  const auto one_digit = db.duplicates().similar_to(c);
  BOOST_TEST_REQUIRE(one_digit.size() == 1u);
  BOOST_TEST(field(one_digit[0].explanation, MatchField::date_of_birth).level == MatchLevel::one_digit);
  BOOST_TEST(field(one_digit[0].explanation, MatchField::last_name).level == MatchLevel::close);
}

BOOST_AUTO_TEST_CASE(of_a_profile_excludes_itself_dismissed_and_merged_customers) {
  const Customer a = customers().create(person("Hugo", "Marchetti", "hugo@example.com", ymd(1975, 6, 1)));
  const Customer b = customers().create(person("Hugo", "Marcheti", "hugo.m@example.org", ymd(1975, 6, 1)));
  const Customer c = customers().create(person("Hugo", "Marchetti", "", ymd(1975, 6, 1)));
  auto found = db.duplicates().of(a.number);
  BOOST_TEST_REQUIRE(found.size() == 2u);
  BOOST_TEST(found[0].customer == c.id);  // exact name and birthday beat a typo
  BOOST_TEST(found[1].customer == b.id);

  db.duplicates().dismiss(a.id.str(), b.number, "front desk");
  found = db.duplicates().of(a.id.str());
  BOOST_TEST_REQUIRE(found.size() == 1u);
  BOOST_TEST(found[0].customer == c.id);
  BOOST_TEST(db.duplicates().of(b.id.str()).size() == 1u);  // b still resembles c

  MergeOptions m;
  m.by = "front desk";
  customers().merge(a.id.str(), c.id.str(), m);
  BOOST_TEST(db.duplicates().of(a.id.str()).empty());
  // The merged customer's ref leads to the survivor.
  BOOST_TEST(db.duplicates().of(c.number).empty());
  const auto from_b = db.duplicates().of(b.id.str());
  BOOST_TEST(from_b.empty());  // b resembles only a now, which was dismissed
}

BOOST_AUTO_TEST_CASE(entries_follow_every_change_of_a_profile) {
  const SimilarOptions any{0, 10};
  const Customer a = customers().create(person("Olga", "Petrova"));
  const Customer b = customers().create(person("Ivan", "Sokolov"));
  BOOST_TEST(db.duplicates().of(a.id.str(), any).empty());
  CustomerUpdate u;
  u.first_name = "Olga";
  u.last_name = "Petrov";
  customers().update(b.id.str(), u);
  BOOST_TEST(db.duplicates().of(a.id.str(), any).size() == 1u);
  customers().add_phone(a.id.str(), "+44 7911 123555");
  customers().add_phone(b.id.str(), "+44 7911 123555");
  auto e = db.duplicates().of(a.id.str(), any).at(0).explanation;
  BOOST_TEST(field(e, MatchField::phone).level == MatchLevel::exact);
  customers().remove_phone(b.id.str(), "+44 7911 123555");
  e = db.duplicates().of(a.id.str(), any).at(0).explanation;
  BOOST_TEST(field(e, MatchField::phone).level == MatchLevel::missing);
  customers().add_address(a.id.str(), home("1 High Street", "Leeds", "LS1 1AA"));
  customers().add_address(b.id.str(), home("1 High St", "Leeds", "ls11aa"));
  e = db.duplicates().of(a.id.str(), any).at(0).explanation;
  BOOST_TEST(field(e, MatchField::postcode).level == MatchLevel::exact);
  BOOST_TEST(field(e, MatchField::city).level == MatchLevel::exact);
  BOOST_TEST(field(e, MatchField::street).level == MatchLevel::close);
}

BOOST_AUTO_TEST_CASE(scan_pages_pairs_best_first_and_forms_clusters) {
  const Customer a = customers().create(person("Pedro", "Alvarez", "", ymd(1970, 1, 1)));
  const Customer b = customers().create(person("Pedro", "Alvares", "", ymd(1970, 1, 1)));
  const Customer c = customers().create(person("Pedro", "Alvarez", "", ymd(1970, 1, 1)));
  const Customer d = customers().create(person("Lena", "Fischer", "", ymd(1990, 2, 2)));
  const Customer e = customers().create(person("Lena", "Fischer", "", ymd(1990, 2, 2)));
  customers().create(person("Tom", "Baker", "", ymd(1960, 5, 5)));
  ScanOptions o;
  o.min_probability = 0.5;
  const ScanResult all = db.duplicates().scan(o);
  BOOST_TEST(all.customers == 6u);
  BOOST_TEST(all.total_pairs == 4u);  // a-b, a-c, b-c, d-e
  BOOST_TEST(all.pairs.size() == 4u);
  for (std::size_t i = 1; i < all.pairs.size(); ++i) {
    BOOST_TEST(all.pairs[i - 1].explanation.weight >= all.pairs[i].explanation.weight);
  }
  for (const auto& p : all.pairs) BOOST_TEST(p.a < p.b);
  BOOST_TEST_REQUIRE(all.clusters.size() == 2u);
  std::vector<CustomerId> three{a.id, b.id, c.id};
  std::sort(three.begin(), three.end());
  BOOST_TEST(all.clusters[0].customers == three);
  std::vector<CustomerId> two{d.id, e.id};
  std::sort(two.begin(), two.end());
  BOOST_TEST(all.clusters[1].customers == two);

  o.offset = 1;
  o.limit = 2;
  const ScanResult page = db.duplicates().scan(o);
  BOOST_TEST(page.total_pairs == 4u);
  BOOST_TEST_REQUIRE(page.pairs.size() == 2u);
  BOOST_TEST(page.pairs[0] == all.pairs[1]);
  BOOST_TEST(page.pairs[1] == all.pairs[2]);

  std::size_t streamed = 0;
  const ScanResult totals = db.duplicates().scan(ScanOptions{0.5, 0, 1}, [&](const DuplicatePair&) { ++streamed; });
  BOOST_TEST(streamed == 4u);
  BOOST_TEST(totals.total_pairs == 4u);

  db.duplicates().dismiss(d.id.str(), e.id.str(), "manager");
  BOOST_TEST(db.duplicates().scan(ScanOptions{0.5, 0, 100}).total_pairs == 3u);
  // Both timelines say so, each naming the other, by the manager.
  for (const auto& [self, other] : {std::pair{d.id, e.id}, std::pair{e.id, d.id}}) {
    const auto timeline = db.activity().timeline(self.str());
    BOOST_TEST_REQUIRE(!timeline.events.empty());
    const Event& latest = timeline.events.front();
    BOOST_TEST(latest.action == "customer.duplicate_dismissed");
    BOOST_TEST(latest.actor == "manager");
    BOOST_TEST(latest.details.find(other.str()) != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(training_stores_the_model_with_labels_and_survives_reopening) {
  const MatchModel before = db.duplicates().model();
  BOOST_TEST(!before.trained_at.has_value());
  BOOST_TEST(before.prior == 1e-4);
  BOOST_TEST(before.fields.size() == 9u);
  const Febrl data = read_febrl("dataset1.csv");
  const auto created = customers().create_many(data.people);
  db.duplicates().label(created[0].id.str(), created[1].id.str(), false, "auditor");
  TrainOptions t;
  t.by = "nightly job";
  t.random_pairs = 20000;
  const MatchModel trained = db.duplicates().train(t);
  BOOST_TEST(trained.trained_at == clock.now());
  BOOST_TEST(trained.trained_by == "nightly job");
  BOOST_TEST(trained.profiles == created.size());
  BOOST_TEST(trained.random_pairs == 20000u);
  BOOST_TEST(trained.labelled_pairs == 1u);
  BOOST_TEST(trained.candidate_pairs > 400u);
  BOOST_TEST(trained.converged);
  BOOST_TEST(trained.prior < 1e-2);
  // Agreeing on a date of birth is strong evidence; disagreeing on it counts against.
  const auto& dob = trained.fields[static_cast<std::size_t>(MatchField::date_of_birth)];
  BOOST_TEST(dob.levels[0].level == MatchLevel::exact);
  BOOST_TEST(dob.levels[0].m / dob.levels[0].u > 100.0);
  BOOST_TEST(dob.levels.back().level == MatchLevel::different);
  BOOST_TEST(dob.levels.back().m < dob.levels.back().u);
  BOOST_TEST(db.duplicates().model() == trained);
  const auto feed = db.activity().feed(db.activity().last_event_id() - 1, 10);
  BOOST_TEST_REQUIRE(feed.size() == 1u);
  BOOST_TEST(feed.back().action == "duplicates.trained");
  BOOST_TEST(feed.back().actor == "nightly job");
  BOOST_TEST(!feed.back().customer.has_value());
  // The same seed gives the same model.
  BOOST_TEST(db.duplicates().train(t) == trained);

  Database again = Database::open(path, options());
  BOOST_TEST(again.duplicates().model() == trained);
}

BOOST_AUTO_TEST_CASE(term_frequencies_weigh_a_rare_surname_more_than_a_common_one) {
  std::vector<NewCustomer> many;
  for (int i = 0; i < 600; ++i) {
    many.push_back(person("Guest" + std::to_string(i), i % 3 == 0 ? "Smith" : "Name" + std::to_string(i)));
  }
  many.push_back(person("Jo", "Thistlethwaite"));
  many.push_back(person("Al", "Smith"));
  customers().create_many(many);
  const auto rare = db.duplicates().similar_to(person("Jo", "Thistlethwaite"), SimilarOptions{0, 10});
  const auto common = db.duplicates().similar_to(person("Al", "Smith"), SimilarOptions{0, 10});
  BOOST_TEST_REQUIRE(!rare.empty());
  BOOST_TEST_REQUIRE(!common.empty());
  const auto& r = field(rare[0].explanation, MatchField::last_name);
  const auto& c = field(common[0].explanation, MatchField::last_name);
  BOOST_TEST(r.level == MatchLevel::exact);
  BOOST_TEST(c.level == MatchLevel::exact);
  BOOST_TEST(r.term_frequency.value() == 1.0 / 602);
  BOOST_TEST(c.term_frequency.value() == 201.0 / 602);
  BOOST_TEST(r.weight > c.weight + 7);
}

BOOST_AUTO_TEST_CASE(short_names_one_edit_apart_are_not_close) {
  customers().create(person("Li", "Wu", "", ymd(1980, 1, 1)));
  const auto found = db.duplicates().similar_to(person("Lu", "Xu", "", ymd(1980, 1, 1)), SimilarOptions{0, 10});
  BOOST_TEST_REQUIRE(found.size() == 1u);  // the date of birth with an initial blocks them together
  BOOST_TEST(field(found[0].explanation, MatchField::first_name).level == MatchLevel::phonetic);  // NYSIIS "l"
  BOOST_TEST(field(found[0].explanation, MatchField::last_name).level == MatchLevel::different);
  // Four letters or more, one edit apart: close.
  customers().create(person("Maria", "Lopez", "", ymd(1970, 3, 3)));
  const auto longer = db.duplicates().similar_to(person("Mario", "Lopez", "", ymd(1970, 3, 3)), SimilarOptions{0, 10});
  BOOST_TEST_REQUIRE(longer.size() == 1u);
  BOOST_TEST(field(longer[0].explanation, MatchField::first_name).level == MatchLevel::close);
}

BOOST_AUTO_TEST_CASE(text_that_folds_long_still_gets_its_entry) {
  // 200 Han characters fold to several hundred letters of pinyin: the keys
  // are cut, the refresh goes through, and the customer is found.
  std::string street;
  for (int i = 0; i < 200; ++i) street += "\xe9\x95\xbf";  // 长
  NewCustomer a = person("Wei", "Zhang", "", ymd(1985, 5, 5));
  a.addresses.push_back(home(street, "Beijing", "100000"));
  customers().create(a);
  customers().create(person("Wei", "Zhang", "", ymd(1985, 5, 5)));
  BOOST_TEST(db.duplicates().scan(ScanOptions{0.0, 0, 10}).total_pairs == 1u);
}

BOOST_AUTO_TEST_CASE(each_refusal_names_its_field_and_writes_nothing) {
  const Customer a = customers().create(person("Ana", "Silva"));
  auto& d = db.duplicates();
  expect_error([&] { d.similar_to(NewCustomer{}); }, Errc::invalid_argument, "probe");
  expect_error([&] { d.similar_to(person("Ana", "Silva", "not an email")); }, Errc::invalid_argument, "email");
  NewCustomer bad_phone = person("Ana", "Silva");
  bad_phone.phone = "12";
  expect_error([&] { d.similar_to(bad_phone); }, Errc::invalid_argument, "phone");
  NewCustomer bad_address = person("Ana", "Silva");
  bad_address.addresses.push_back(home("1 Road", "Town", "X"));
  bad_address.addresses[0].country = "ZZ";
  expect_error([&] { d.similar_to(bad_address); }, Errc::invalid_argument, "addresses[0].country");
  expect_error([&] { d.similar_to(person("Ana", "Silva"), SimilarOptions{1.5, 10}); }, Errc::invalid_argument,
               "min_probability");
  expect_error([&] { d.similar_to(person("Ana", "Silva"), SimilarOptions{0.5, 0}); }, Errc::invalid_argument, "limit");
  expect_error([&] { d.of("nobody-99"); }, Errc::not_found, "ref");
  expect_error([&] { d.of("not a ref!"); }, Errc::invalid_argument, "ref");
  expect_error([&] { d.scan(ScanOptions{-0.1, 0, 10}); }, Errc::invalid_argument, "min_probability");
  expect_error([&] { d.scan(ScanOptions{0.5, 0, 100001}); }, Errc::invalid_argument, "limit");
  expect_error([&] { d.dismiss(a.number, a.id.str(), "x"); }, Errc::invalid_argument, "b");
  expect_error([&] { d.dismiss("nobody-99", a.number, "x"); }, Errc::not_found, "a");
  expect_error([&] { d.dismiss(a.number, "nobody-99", "x"); }, Errc::not_found, "b");
  const Customer b = customers().create(person("Ana", "Silvia"));
  expect_error([&] { d.dismiss(a.number, b.number, " "); }, Errc::invalid_argument, "by");
  BOOST_TEST(d.of(a.number, SimilarOptions{0, 10}).size() == 1u);  // nothing was dismissed
  TrainOptions t;
  expect_error([&] { d.train(t); }, Errc::invalid_argument, "by");
  t.by = "x";
  t.random_pairs = 10;
  expect_error([&] { d.train(t); }, Errc::invalid_argument, "random_pairs");
  t.random_pairs = 1000;
  t.max_iterations = 0;
  expect_error([&] { d.train(t); }, Errc::invalid_argument, "max_iterations");
  BOOST_TEST(!d.model().trained_at.has_value());
  DbFixture empty;
  customers();
  TrainOptions ok;
  ok.by = "x";
  empty.customers().create(person("Only", "One"));
  expect_error([&] { empty.db.duplicates().train(ok); }, Errc::failed_precondition, "profiles");
}

BOOST_AUTO_TEST_SUITE_END()
