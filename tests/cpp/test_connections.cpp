// The social graph: connection types and rules, one connection of a type per
// pair whichever way round, referrals as facts, the inference job (colleagues
// from companies, referral connections, never touching manual ones, stale
// removal, big companies skipped, idempotence), neighbours by breadth-first
// search, the Graphviz DOT text, and that a refused call leaves nothing behind.
#include <boost/test/unit_test.hpp>
#include <chrono>

#include "fixture.hpp"

using namespace patron;
using namespace std::chrono_literals;
using patron::testing::DbFixture;
using patron::testing::expect_error;

namespace patron {
inline std::ostream& operator<<(std::ostream& os, ConnectionSource v) { return os << to_string(v); }
inline std::ostream& operator<<(std::ostream& os, const Connection& c) {
  return os << "connection " << c.id << " " << c.from.str() << " -> " << c.to.str() << " " << c.type << " "
            << to_string(c.source) << " '" << c.note << "'";
}
inline std::ostream& operator<<(std::ostream& os, const Referral& r) {
  return os << "referral " << r.referrer.str() << " -> " << r.referred.str() << " '" << r.note << "'";
}
inline std::ostream& operator<<(std::ostream& os, const Neighbour& n) {
  return os << n.id.str() << " at " << n.distance << " via " << n.via.str();
}
inline std::ostream& operator<<(std::ostream& os, const InferenceReport& r) {
  return os << "colleagues +" << r.colleagues_added << " referrals +" << r.referrals_added << " removed "
            << r.removed << " skipped " << r.companies_skipped;
}
}  // namespace patron

namespace {

// A well-formed id nobody has.
constexpr const char* kNobody = "0190f0c2a1b27c3d8e4f5a6b7c8d9e0f";

struct GraphFixture : DbFixture {
  Connections& graph() { return db.connections(); }
  Customer person(const std::string& first, const std::string& last = "Test", const std::string& email = {}) {
    return customers().create({.first_name = first, .last_name = last, .email = email});
  }
  Connection connect(const Customer& a, const Customer& b, const std::string& type, const std::string& note = {}) {
    return graph().connect({.from_ref = a.number, .to_ref = b.number, .type = type, .note = note});
  }
  void link(const Company& company, std::initializer_list<const Customer*> people) {
    for (const auto* c : people) db.companies().link(company.id, c->number);
  }
  // "number-number type source" of each of a customer's connections, in order.
  std::vector<std::string> listed(const Customer& c, std::string_view type = {}) {
    std::vector<std::string> out;
    for (const auto& k : graph().of_customer(c.number, type)) {
      out.push_back(customers().get(k.from.str()).number + "-" + customers().get(k.to.str()).number + " " + k.type +
                    " " + std::string(to_string(k.source)));
    }
    return out;
  }
  using Strings = std::vector<std::string>;
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(connections, GraphFixture)

BOOST_AUTO_TEST_CASE(source_names_round_trip) {
  BOOST_TEST(to_string(ConnectionSource::manual) == "manual");
  BOOST_TEST(to_string(ConnectionSource::inferred) == "inferred");
  BOOST_TEST(parse_connection_source("inferred") == ConnectionSource::inferred);
  expect_error([] { parse_connection_source("Manual"); }, Errc::invalid_argument, "source",
               "source: must be one of manual, inferred");
  expect_error([] { parse_connection_source("x", "kind"); }, Errc::invalid_argument, "kind");
}

BOOST_AUTO_TEST_CASE(connect_and_read_back_from_both_ends) {
  const Customer ana = person("Ana", "Silva");
  const Customer ben = person("Ben", "Okafor");
  const Connection k = graph().connect({.from_ref = ana.id.str(), .to_ref = ben.number, .type = "  Friend ",
                                        .note = " met at the bar "});
  BOOST_TEST(k.id > 0);
  BOOST_TEST(k.from == ana.id);
  BOOST_TEST(k.to == ben.id);
  BOOST_TEST(k.type == "friend");
  BOOST_TEST(k.source == ConnectionSource::manual);
  BOOST_TEST(k.note == "met at the bar");
  BOOST_TEST(k.created_at == clock.now());
  BOOST_TEST(!k.directed());
  BOOST_TEST(k.other(ana.id) == ben.id);
  BOOST_TEST(k.other(ben.id) == ana.id);
  BOOST_TEST(graph().get(k.id) == k);
  BOOST_TEST(graph().of_customer(ana.number) == std::vector<Connection>{k});
  BOOST_TEST(graph().of_customer(ben.id.str()) == std::vector<Connection>{k});
  BOOST_TEST(graph().of_customer(ben.number, " FRIEND") == std::vector<Connection>{k});
  BOOST_TEST(graph().of_customer(ben.number, "relative").empty());
}

BOOST_AUTO_TEST_CASE(types_are_trimmed_and_lower_cased_in_unicode) {
  const Customer ana = person("Ana");
  const Customer ben = person("Ben");
  BOOST_TEST(connect(ana, ben, " ÉTÉ Partner ").type == "été partner");
  BOOST_TEST(connect(ana, ben, "ΣΥΝΕΡΓΆΤΗΣ").type == "συνεργάτης");
  BOOST_TEST(connect(ana, ben, std::string(64, 'X')).type == std::string(64, 'x'));
  BOOST_TEST(graph().of_customer(ana.number, "été PARTNER").size() == 1u);
}

BOOST_AUTO_TEST_CASE(one_connection_of_a_type_per_pair_whichever_way_round) {
  const Customer ana = person("Ana");
  const Customer ben = person("Ben");
  const Connection k = connect(ana, ben, "friend");
  expect_error([&] { connect(ana, ben, "Friend "); }, Errc::already_exists, "type",
               "type: customers " + ana.number + " and " + ben.number + " already have a friend connection (" +
                   std::to_string(k.id) + ")");
  expect_error([&] { connect(ben, ana, "friend"); }, Errc::already_exists, "type");
  // Another type is another connection.
  const Connection r = connect(ben, ana, "relative");
  BOOST_TEST(r.id != k.id);
  BOOST_TEST((listed(ana) == Strings{"00001-00002 friend manual", "00002-00001 relative manual"}));
}

BOOST_AUTO_TEST_CASE(every_bad_connect_input_names_its_field) {
  const Customer ana = person("Ana");
  const Customer ben = person("Ben");
  auto attempt = [&](std::string from, std::string to, std::string type, std::string note = {}) {
    graph().connect({.from_ref = from, .to_ref = to, .type = type, .note = note});
  };
  expect_error([&] { attempt("not a ref!", ben.number, "friend"); }, Errc::invalid_argument, "from");
  expect_error([&] { attempt(ana.number, "not a ref!", "friend"); }, Errc::invalid_argument, "to");
  expect_error([&] { attempt("99999", ben.number, "friend"); }, Errc::not_found, "from");
  expect_error([&] { attempt(ana.number, kNobody, "friend"); }, Errc::not_found, "to");
  // The same customer by number and by id.
  expect_error([&] { attempt(ana.number, ana.id.str(), "friend"); }, Errc::invalid_argument, "to", "itself");
  expect_error([&] { attempt(ana.number, ben.number, ""); }, Errc::invalid_argument, "type", "empty");
  expect_error([&] { attempt(ana.number, ben.number, "   "); }, Errc::invalid_argument, "type", "empty");
  expect_error([&] { attempt(ana.number, ben.number, std::string(65, 'x')); }, Errc::invalid_argument, "type",
               "longer than 64");
  expect_error([&] { attempt(ana.number, ben.number, "best\tfriend"); }, Errc::invalid_argument, "type",
               "control");
  expect_error([&] { attempt(ana.number, ben.number, "\xff"); }, Errc::invalid_argument, "type", "UTF-8");
  expect_error([&] { attempt(ana.number, ben.number, "friend", std::string(2001, 'n')); }, Errc::invalid_argument,
               "note", "longer than 2000");
  attempt(ana.number, ben.number, "friend", std::string(2000, 'n'));  // the limit itself is fine
  expect_error([&] { graph().get(999); }, Errc::not_found, "id", "id: no connection 999");
  expect_error([&] { graph().disconnect(999); }, Errc::not_found, "id");
  expect_error([&] { graph().of_customer("not a ref!"); }, Errc::invalid_argument, "ref");
  expect_error([&] { graph().of_customer("99999"); }, Errc::not_found, "ref");
  expect_error([&] { graph().of_customer(ana.number, "a\x01"); }, Errc::invalid_argument, "type");
  // Nothing but the one good connection was stored.
  BOOST_TEST(graph().of_customer(ana.number).size() == 1u);
}

BOOST_AUTO_TEST_CASE(disconnect_removes_from_both_ends) {
  const Customer ana = person("Ana");
  const Customer ben = person("Ben");
  const Connection k = connect(ana, ben, "friend");
  graph().disconnect(k.id);
  BOOST_TEST(graph().of_customer(ana.number).empty());
  BOOST_TEST(graph().of_customer(ben.number).empty());
  expect_error([&] { graph().get(k.id); }, Errc::not_found, "id");
  expect_error([&] { graph().disconnect(k.id); }, Errc::not_found, "id");
  // The pair may connect again; ids are never reused.
  BOOST_TEST(connect(ben, ana, "friend").id > k.id);
}

BOOST_AUTO_TEST_CASE(a_customers_connections_by_type_then_other_number_then_id) {
  const Customer a = person("A");  // 00001
  const Customer b = person("B");  // 00002
  const Customer c = person("C");  // 00003
  const Customer d = person("D");  // 00004
  connect(a, d, "friend");
  connect(c, a, "friend");
  connect(b, a, "relative");
  connect(a, b, "acquaintance");
  connect(a, c, "colleague");
  BOOST_TEST((listed(a) == Strings{"00001-00002 acquaintance manual", "00001-00003 colleague manual",
                                   "00003-00001 friend manual", "00001-00004 friend manual",
                                   "00002-00001 relative manual"}));
  BOOST_TEST((listed(a, "friend") == Strings{"00003-00001 friend manual", "00001-00004 friend manual"}));
  BOOST_TEST((listed(d) == Strings{"00001-00004 friend manual"}));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(referrals, GraphFixture)

BOOST_AUTO_TEST_CASE(record_and_read_referrals) {
  const Customer ana = person("Ana");
  const Customer ben = person("Ben");
  const Customer cy = person("Cy");
  const Customer dee = person("Dee");
  const Referral r1 = graph().record_referral(ana.number, cy.id.str(), " at the spa ");
  BOOST_TEST(r1.referrer == ana.id);
  BOOST_TEST(r1.referred == cy.id);
  BOOST_TEST(r1.note == "at the spa");
  BOOST_TEST(r1.at == clock.now());
  clock.advance(1h);
  const Referral r2 = graph().record_referral(ana.number, ben.number);
  clock.advance(1h);
  const Referral r3 = graph().record_referral(ben.number, dee.number);
  BOOST_TEST((graph().referrer_of(cy.number) == std::optional<Referral>(r1)));
  BOOST_TEST(!graph().referrer_of(ana.number).has_value());
  // By time (Cy was referred first though numbered after Ben).
  BOOST_TEST(graph().referrals_by(ana.number) == (std::vector<Referral>{r1, r2}));
  BOOST_TEST(graph().referrals_by(ben.number) == std::vector<Referral>{r3});
  BOOST_TEST(graph().referrals_by(dee.number).empty());
  // A fact, not a connection, until the job runs.
  BOOST_TEST(graph().of_customer(ana.number).empty());
}

BOOST_AUTO_TEST_CASE(every_bad_referral_input_names_its_field) {
  const Customer ana = person("Ana");
  const Customer ben = person("Ben");
  const Customer cy = person("Cy");
  graph().record_referral(ana.number, ben.number);
  expect_error([&] { graph().record_referral(cy.number, ben.number); }, Errc::already_exists, "referred",
               "referred: customer 00002 was already referred by customer 00001");
  expect_error([&] { graph().record_referral(ana.number, ben.number); }, Errc::already_exists, "referred");
  expect_error([&] { graph().record_referral(cy.number, cy.id.str()); }, Errc::invalid_argument, "referred",
               "itself");
  expect_error([&] { graph().record_referral("not a ref!", cy.number); }, Errc::invalid_argument, "referrer");
  expect_error([&] { graph().record_referral(ana.number, "not a ref!"); }, Errc::invalid_argument, "referred");
  expect_error([&] { graph().record_referral(kNobody, cy.number); }, Errc::not_found, "referrer");
  expect_error([&] { graph().record_referral(ana.number, "99999"); }, Errc::not_found, "referred");
  expect_error([&] { graph().record_referral(ana.number, cy.number, std::string(2001, 'n')); },
               Errc::invalid_argument, "note");
  expect_error([&] { graph().referrer_of("not a ref!"); }, Errc::invalid_argument, "ref");
  expect_error([&] { graph().referrer_of("99999"); }, Errc::not_found, "ref");
  expect_error([&] { graph().referrals_by("not a ref!"); }, Errc::invalid_argument, "ref");
  expect_error([&] { graph().referrals_by(kNobody); }, Errc::not_found, "ref");
  BOOST_TEST(!graph().referrer_of(cy.number).has_value());
  BOOST_TEST(graph().referrals_by(ana.number).size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(inference, GraphFixture)

BOOST_AUTO_TEST_CASE(colleagues_and_referrals_are_inferred_once) {
  const Company acme = db.companies().create({.name = "Acme", .domains = {"acme.co.uk"}});
  const Customer ana = person("Ana", "Test", "ana@acme.co.uk");   // 00001
  const Customer ben = person("Ben", "Test", "ben@eu.acme.co.uk");  // 00002
  const Customer cy = person("Cy", "Test", "cy@acme.co.uk");       // 00003
  const Customer dee = person("Dee", "Test", "dee@example.com");   // 00004
  db.companies().link(acme.id, cy.number, "chef");  // linked twice: pairs once
  graph().record_referral(dee.number, ana.number, "brought her in");
  const Timestamp run_at = clock.now() + 1h;
  clock.advance(1h);
  BOOST_TEST(graph().infer() == (InferenceReport{.colleagues_added = 3, .referrals_added = 1}));
  BOOST_TEST((listed(ana) == Strings{"00001-00002 colleague inferred", "00001-00003 colleague inferred",
                                     "00004-00001 referral inferred"}));
  BOOST_TEST((listed(cy) == Strings{"00001-00003 colleague inferred", "00002-00003 colleague inferred"}));
  const auto referral = graph().of_customer(dee.number);
  BOOST_TEST_REQUIRE(referral.size() == 1u);
  BOOST_TEST(referral[0].from == dee.id);
  BOOST_TEST(referral[0].to == ana.id);
  BOOST_TEST(referral[0].directed());
  BOOST_TEST(referral[0].note == "brought her in");
  BOOST_TEST(referral[0].created_at == run_at);
  // A second run finds nothing new.
  BOOST_TEST(graph().infer() == InferenceReport{});
  BOOST_TEST(listed(ana).size() == 3u);
}

BOOST_AUTO_TEST_CASE(inference_never_touches_manual_connections) {
  const Company acme = db.companies().create({.name = "Acme", .domains = {"acme.co.uk"}});
  const Customer ana = person("Ana", "Test", "ana@acme.co.uk");
  const Customer ben = person("Ben", "Test", "ben@acme.co.uk");
  const Customer cy = person("Cy");
  const Connection manual = connect(ben, ana, "colleague", "same desk");
  // A manual referral the other way round stands for the recorded one.
  const Connection back = connect(ana, cy, "referral");
  graph().record_referral(cy.number, ana.number);
  BOOST_TEST(graph().infer() == InferenceReport{});
  BOOST_TEST(graph().get(manual.id) == manual);
  BOOST_TEST(graph().get(back.id) == back);
  // A manual colleague whose pair no longer shares a company stays.
  customers().remove_email(ana.number, "ana@acme.co.uk");
  BOOST_TEST(db.companies().companies_of(ana.number).empty());
  BOOST_TEST(graph().infer() == InferenceReport{});
  BOOST_TEST(graph().get(manual.id) == manual);
  (void)acme;
}

BOOST_AUTO_TEST_CASE(connecting_by_hand_makes_an_inferred_connection_manual) {
  const Company beta = db.companies().create({.name = "Beta"});
  const Customer ana = person("Ana");
  const Customer ben = person("Ben");
  link(beta, {&ana, &ben});
  const Timestamp inferred_at = clock.now();
  BOOST_TEST(graph().infer().colleagues_added == 1);
  const auto inferred = graph().of_customer(ana.number);
  BOOST_TEST_REQUIRE(inferred.size() == 1u);
  BOOST_TEST(inferred[0].source == ConnectionSource::inferred);
  clock.advance(24h);
  const Connection manual = connect(ben, ana, " Colleague", "desk mate");
  BOOST_TEST(manual.id == inferred[0].id);
  BOOST_TEST(manual.source == ConnectionSource::manual);
  BOOST_TEST(manual.note == "desk mate");
  BOOST_TEST(manual.created_at == inferred_at);
  BOOST_TEST(manual.from == inferred[0].from);
  BOOST_TEST(graph().get(manual.id) == manual);
  // Now manual: a second manual connect is refused, and losing the company
  // does not remove it.
  expect_error([&] { connect(ana, ben, "colleague"); }, Errc::already_exists, "type");
  db.companies().unlink(beta.id, ben.number);
  BOOST_TEST(graph().infer() == InferenceReport{});
  BOOST_TEST(graph().get(manual.id) == manual);
}

BOOST_AUTO_TEST_CASE(stale_inferred_colleagues_are_removed) {
  const Company beta = db.companies().create({.name = "Beta"});
  const Company gamma = db.companies().create({.name = "Gamma"});
  const Customer ana = person("Ana");
  const Customer ben = person("Ben");
  const Customer cy = person("Cy");
  link(beta, {&ana, &ben, &cy});
  link(gamma, {&ana, &ben});
  BOOST_TEST(graph().infer().colleagues_added == 3);
  // Ana and Ben still share Gamma; Cy shares nothing with either any more.
  db.companies().unlink(beta.id, ben.number);
  db.companies().unlink(beta.id, cy.number);
  BOOST_TEST(graph().infer() == (InferenceReport{.removed = 2}));
  BOOST_TEST((listed(ana) == Strings{"00001-00002 colleague inferred"}));
  BOOST_TEST((listed(ana) == listed(ben)));
  BOOST_TEST(graph().of_customer(cy.number).empty());
  // A disconnected inferred connection comes back on the next run.
  graph().disconnect(graph().of_customer(ana.number)[0].id);
  BOOST_TEST(graph().infer() == (InferenceReport{.colleagues_added = 1}));
}

BOOST_AUTO_TEST_CASE(companies_over_the_size_limit_are_skipped) {
  const Company big = db.companies().create({.name = "Big"});
  const Company small = db.companies().create({.name = "Small"});
  const Customer ana = person("Ana");
  const Customer ben = person("Ben");
  const Customer cy = person("Cy");
  link(big, {&ana, &ben, &cy});
  link(small, {&ana, &ben});
  expect_error([&] { graph().infer({.max_company_size = 1}); }, Errc::invalid_argument, "max_company_size");
  expect_error([&] { graph().infer({.max_company_size = 0}); }, Errc::invalid_argument, "max_company_size");
  BOOST_TEST(graph().infer({.max_company_size = 2}) ==
             (InferenceReport{.colleagues_added = 1, .companies_skipped = 1}));
  BOOST_TEST((listed(ana) == Strings{"00001-00002 colleague inferred"}));
  BOOST_TEST(graph().of_customer(cy.number).empty());
  // Within the limit the big company pairs too; the existing pair is not added again.
  BOOST_TEST(graph().infer({.max_company_size = 3}) == (InferenceReport{.colleagues_added = 2}));
  BOOST_TEST(graph().of_customer(cy.number).size() == 2u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(neighbourhood, GraphFixture)

// a - b - c - d, a - e, e - c, b - f (numbers 00001.. in that order).
struct Chain : GraphFixture {
  Customer a = person("A");
  Customer b = person("B");
  Customer c = person("C");
  Customer d = person("D");
  Customer e = person("E");
  Customer f = person("F");
  Chain() {
    connect(a, b, "friend");
    connect(b, a, "colleague");  // a second connection: b once
    connect(b, c, "friend");
    connect(c, d, "friend");
    connect(e, a, "relative");
    connect(e, c, "friend");
    connect(b, f, "friend");
  }
  Neighbour n(const Customer& who, unsigned distance, const Customer& via) { return {who.id, distance, via.id}; }
};

BOOST_FIXTURE_TEST_CASE(neighbours_nearest_first_then_by_number, Chain) {
  using V = std::vector<Neighbour>;
  BOOST_TEST(graph().neighbours(a.number) == (V{n(b, 1, a), n(e, 1, a)}));
  // c is reached through b and e: b comes first by number.
  BOOST_TEST(graph().neighbours(a.number, 2) == (V{n(b, 1, a), n(e, 1, a), n(c, 2, b), n(f, 2, b)}));
  BOOST_TEST(graph().neighbours(a.id.str(), 3) ==
             (V{n(b, 1, a), n(e, 1, a), n(c, 2, b), n(f, 2, b), n(d, 3, c)}));
  BOOST_TEST(graph().neighbours(a.number, 6) == graph().neighbours(a.number, 3));
  BOOST_TEST(graph().neighbours(a.number, 6, 3) == (V{n(b, 1, a), n(e, 1, a), n(c, 2, b)}));
  BOOST_TEST(graph().neighbours(a.number, 2, 1) == (V{n(b, 1, a)}));
  BOOST_TEST(graph().neighbours(d.number, 2) == (V{n(c, 1, d), n(b, 2, c), n(e, 2, c)}));
  const Customer loner = person("Lone");
  BOOST_TEST(graph().neighbours(loner.number, 6).empty());
}

BOOST_FIXTURE_TEST_CASE(neighbour_bounds_name_their_field, Chain) {
  expect_error([&] { graph().neighbours(a.number, 0); }, Errc::invalid_argument, "hops", "hops: must be 1 to 6");
  expect_error([&] { graph().neighbours(a.number, 7); }, Errc::invalid_argument, "hops");
  expect_error([&] { graph().neighbours(a.number, 1, 0); }, Errc::invalid_argument, "limit");
  expect_error([&] { graph().neighbours(a.number, 1, 10001); }, Errc::invalid_argument, "limit",
               "limit: must be 1 to 10000");
  BOOST_TEST(graph().neighbours(a.number, 6, 10000).size() == 5u);
  expect_error([&] { graph().neighbours("not a ref!"); }, Errc::invalid_argument, "ref");
  expect_error([&] { graph().neighbours(kNobody); }, Errc::not_found, "ref");
  expect_error([&] { graph().to_dot(a.number, 0); }, Errc::invalid_argument, "hops");
  expect_error([&] { graph().to_dot(a.number, 1, 10001); }, Errc::invalid_argument, "limit");
  expect_error([&] { graph().to_dot("not a ref!"); }, Errc::invalid_argument, "ref");
  expect_error([&] { graph().to_dot("99999"); }, Errc::not_found, "ref");
}

BOOST_AUTO_TEST_CASE(dot_text_of_a_small_neighbourhood) {
  const Customer ana = person("Ana", "O\"Neil\\");
  const Customer ben = customers().create({.first_name = "Ben", .phone = "+447911123456"});  // first name alone
  const Customer nameless = customers().create({.email = "x@example.com"});
  const Customer far = person("Far", "Away");
  connect(ana, ben, "friend");
  connect(ben, nameless, "say \"hi\"");
  graph().record_referral(nameless.number, ana.number);
  graph().infer();                  // nameless -> ana, inferred referral
  connect(nameless, far, "friend");  // three hops from ana
  const std::string a = ana.id.str(), b = ben.id.str(), x = nameless.id.str();
  BOOST_TEST(graph().to_dot(ana.number) ==
             "graph patron {\n"
             "  \"" + a + "\" [label=\"Ana O\\\"Neil\\\\\"];\n"
             "  \"" + b + "\" [label=\"Ben\"];\n"
             "  \"" + x + "\" [label=\"" + nameless.number + "\"];\n"
             "  \"" + a + "\" -- \"" + b + "\" [label=\"friend\", dir=none];\n"
             "  \"" + b + "\" -- \"" + x + "\" [label=\"say \\\"hi\\\"\", dir=none];\n"
             "  \"" + x + "\" -- \"" + a + "\" [label=\"referral\", dir=forward, style=dashed];\n"
             "}\n");
  // One hop, one neighbour: only the edge between the two drawn.
  BOOST_TEST(graph().to_dot(ana.number, 1, 1) ==
             "graph patron {\n"
             "  \"" + a + "\" [label=\"Ana O\\\"Neil\\\\\"];\n"
             "  \"" + b + "\" [label=\"Ben\"];\n"
             "  \"" + a + "\" -- \"" + b + "\" [label=\"friend\", dir=none];\n"
             "}\n");
  const Customer alone = person("Solo");
  BOOST_TEST(graph().to_dot(alone.id.str(), 6) ==
             "graph patron {\n  \"" + alone.id.str() + "\" [label=\"Solo Test\"];\n}\n");
}

BOOST_AUTO_TEST_SUITE_END()
