// Companies: domain rules (public suffix list, free mail), automatic links by
// email domain for new and existing customers, manual links, lists, search,
// and that a refused call leaves nothing behind.
#include <sqlite3.h>

#include <boost/test/unit_test.hpp>

#include "fixture.hpp"

using namespace patron;
using patron::testing::DbFixture;
using patron::testing::expect_error;
using patron::testing::TempDir;

namespace patron {
inline std::ostream& operator<<(std::ostream& os, LinkSource v) { return os << to_string(v); }
}  // namespace patron

namespace {

int raw_exec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
  sqlite3_close(db);
  return rc;
}

struct CoFixture : DbFixture {
  Companies& companies() { return db.companies(); }
  Customer person(const std::string& first, const std::string& email) {
    return customers().create({.first_name = first, .last_name = "Test", .email = email});
  }
  // (company, source, domain) of each of a customer's links.
  std::vector<std::string> links_of(const Customer& c) {
    std::vector<std::string> out;
    for (const auto& l : companies().companies_of(c.number)) {
      out.push_back(std::to_string(l.company) + " " + std::string(to_string(l.source)) + " " + l.domain);
    }
    return out;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(domains, CoFixture)

BOOST_AUTO_TEST_CASE(domains_reduce_to_the_registrable_domain) {
  BOOST_TEST(companies().registrable_domain("eu.acme.co.uk") == "acme.co.uk");
  BOOST_TEST(companies().registrable_domain(" Ana@EU.Acme.CO.UK ") == "acme.co.uk");
  BOOST_TEST(companies().registrable_domain("acme.co.uk.") == "acme.co.uk");
  BOOST_TEST(companies().registrable_domain("shop.Bücher.de") == "xn--bcher-kva.de");
  BOOST_TEST(companies().registrable_domain("a.b.example.com") == "example.com");
}

BOOST_AUTO_TEST_CASE(public_suffixes_and_invalid_domains_are_refused) {
  expect_error([&] { companies().registrable_domain("co.uk"); }, Errc::invalid_argument, "domain",
               "domain: co.uk is a public suffix");
  expect_error([&] { companies().registrable_domain("ana@co.uk"); }, Errc::invalid_argument, "domain",
               "public suffix");
  expect_error([&] { companies().registrable_domain("com"); }, Errc::invalid_argument, "domain", "needs a dot");
  expect_error([&] { companies().registrable_domain(""); }, Errc::invalid_argument, "domain", "must not be empty");
  expect_error([&] { companies().registrable_domain("acme..com"); }, Errc::invalid_argument, "domain",
               "not a valid domain (the domain has an empty label)");
  expect_error([&] { companies().registrable_domain("acme corp.com"); }, Errc::invalid_argument, "domain",
               "not a valid domain");
  expect_error([&] { companies().registrable_domain("ana@@acme.com"); }, Errc::invalid_argument, "domain",
               "not a valid email address");
}

BOOST_AUTO_TEST_CASE(free_mail_domains_are_refused) {
  expect_error([&] { companies().registrable_domain("gmail.com"); }, Errc::invalid_argument, "domain",
               "domain: gmail.com is a free-mail domain and cannot identify a company");
  expect_error([&] { companies().registrable_domain("ana@Hotmail.co.uk"); }, Errc::invalid_argument, "domain",
               "hotmail.co.uk is a free-mail domain");
  expect_error([&] { companies().registrable_domain("mail.yahoo.fr"); }, Errc::invalid_argument, "domain",
               "yahoo.fr is a free-mail domain");
  expect_error([&] { companies().registrable_domain("yahoo.co.jp"); }, Errc::invalid_argument, "domain",
               "free-mail");
  const auto c = companies().create({.name = "Acme"});
  expect_error([&] { companies().add_domain(c.id, "outlook.com"); }, Errc::invalid_argument, "domain",
               "domain: outlook.com is a free-mail domain and cannot identify a company");
  BOOST_TEST(companies().get(c.id).domains.empty());
  BOOST_TEST(companies().registrable_domain("yahoofan.com") == "yahoofan.com");
}

BOOST_AUTO_TEST_CASE(a_host_can_add_free_mail_domains) {
  Options o = options();
  o.free_mail_domains = {"Mail.Example.NET", "isp.de"};
  auto host = Database::open(dir.file("host.db"), o);
  BOOST_TEST(host.options().free_mail_domains == (std::vector<std::string>{"example.net", "isp.de"}));
  expect_error([&] { host.companies().registrable_domain("example.net"); }, Errc::invalid_argument, "domain",
               "domain: example.net is a free-mail domain and cannot identify a company");
  expect_error([&] { host.companies().create({.name = "X", .domains = {"acme.com", "x.isp.de"}}); },
               Errc::invalid_argument, "domains[1]", "domains[1]: isp.de is a free-mail domain");
  BOOST_TEST(host.companies().search("").empty());
  // Built-ins still apply; a plain database does not know the host's list.
  expect_error([&] { host.companies().registrable_domain("gmail.com"); }, Errc::invalid_argument, "domain");
  BOOST_TEST(companies().registrable_domain("example.net") == "example.net");

  Options bad = options();
  bad.free_mail_domains = {"ok.com", "co.uk"};
  expect_error([&] { Database::open(dir.file("bad.db"), bad); }, Errc::invalid_argument, "free_mail_domains[1]",
               "public suffix");
}

BOOST_AUTO_TEST_CASE(a_domain_belongs_to_one_company) {
  const auto acme = companies().create({.name = "Acme Ltd", .domains = {"acme.co.uk"}});
  expect_error([&] { companies().create({.name = "Copycat", .domains = {"beta.com", "uk.acme.co.uk"}}); },
               Errc::already_exists, "domains[1]",
               "domains[1]: acme.co.uk already belongs to company " + std::to_string(acme.id) + " (Acme Ltd)");
  BOOST_TEST(companies().search("").size() == 1u);  // the refused company was not kept
  BOOST_TEST(!companies().find_by_domain("beta.com"));
  const auto other = companies().create({.name = "Other"});
  expect_error([&] { companies().add_domain(other.id, "ACME.co.uk"); }, Errc::already_exists, "domain",
               "already belongs to company " + std::to_string(acme.id) + " (Acme Ltd)");
  expect_error([&] { companies().add_domain(acme.id, "www.acme.co.uk"); }, Errc::already_exists, "domain",
               "already has acme.co.uk");
  // Sub-domains listed in one request are one domain.
  const auto beta = companies().create({.name = "Beta", .domains = {"eu.beta.com", "beta.com", "zeta.org"}});
  BOOST_TEST(beta.domains == (std::vector<std::string>{"beta.com", "zeta.org"}));
}

BOOST_AUTO_TEST_CASE(find_by_domain_and_email) {
  const auto acme = companies().create({.name = "Acme", .domains = {"acme.co.uk"}});
  BOOST_TEST(companies().find_by_domain("ana@eu.acme.co.uk")->id == acme.id);
  BOOST_TEST(companies().find_by_domain("acme.co.uk")->name == "Acme");
  BOOST_TEST(!companies().find_by_domain("acme.com"));
  BOOST_TEST(!companies().find_by_domain("gmail.com"));  // a lookup, not a refusal
  expect_error([&] { companies().find_by_domain("co.uk"); }, Errc::invalid_argument, "domain");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(records, CoFixture)

BOOST_AUTO_TEST_CASE(create_get_update) {
  const auto c = companies().create({.name = "  Société Générale ",
                                     .sector = "banking",
                                     .contact_person = "Marie Curie",
                                     .notes = "HQ in Paris",
                                     .domains = {"socgen.fr", "eu.SOCGEN.com"}});
  BOOST_TEST(c.id > 0);
  BOOST_TEST(c.name == "Société Générale");
  BOOST_TEST(c.sector == "banking");
  BOOST_TEST(c.contact_person == "Marie Curie");
  BOOST_TEST(c.notes == "HQ in Paris");
  BOOST_TEST(c.domains == (std::vector<std::string>{"socgen.com", "socgen.fr"}));
  BOOST_TEST(c.created_at == clock.now());
  BOOST_TEST(c.updated_at == clock.now());
  BOOST_TEST((companies().get(c.id) == c));

  clock.advance(std::chrono::seconds(5));
  const auto u = companies().update(c.id, {.sector = "", .notes = "moved"});
  BOOST_TEST(u.name == "Société Générale");
  BOOST_TEST(u.sector == "");
  BOOST_TEST(u.notes == "moved");
  BOOST_TEST(u.contact_person == "Marie Curie");
  BOOST_TEST(u.created_at == c.created_at);
  BOOST_TEST(u.updated_at == clock.now());
  BOOST_TEST((companies().get(c.id) == u));

  expect_error([&] { companies().update(c.id, {.name = "  "}); }, Errc::invalid_argument, "name");
  expect_error([&] { companies().update(999, {.notes = "x"}); }, Errc::not_found, "id", "id: no company 999");
  expect_error([&] { companies().get(999); }, Errc::not_found, "id");
}

BOOST_AUTO_TEST_CASE(bad_input_is_refused_and_leaves_nothing) {
  expect_error([&] { companies().create({.name = ""}); }, Errc::invalid_argument, "name");
  expect_error([&] { companies().create({.name = "A", .sector = std::string(101, 'x')}); }, Errc::invalid_argument,
               "sector");
  expect_error([&] { companies().create({.name = "A", .notes = "bad\x01"}); }, Errc::invalid_argument, "notes");
  expect_error([&] { companies().create({.name = "A", .contact_person = std::string(201, 'c')}); },
               Errc::invalid_argument, "contact_person");
  expect_error([&] { companies().create({.name = std::string(201, 'n')}); }, Errc::invalid_argument, "name");
  expect_error([&] { companies().create({.name = "A", .domains = {"acme.com", "co.uk"}}); }, Errc::invalid_argument,
               "domains[1]", "domains[1]: co.uk is a public suffix");
  BOOST_TEST(companies().search("").empty());
  BOOST_TEST(!companies().find_by_domain("acme.com"));
}

BOOST_AUTO_TEST_CASE(search_by_name_prefix) {
  const auto a = companies().create({.name = "Société Générale"});
  const auto b = companies().create({.name = "Soho House"});
  const auto c = companies().create({.name = "Acme & Sons"});
  auto names = [&](std::string_view text, Page page = {}) {
    std::vector<std::string> out;
    for (const auto& co : companies().search(text, page)) out.push_back(co.name);
    return out;
  };
  BOOST_TEST(names("so") == (std::vector<std::string>{"Société Générale", "Soho House"}));
  BOOST_TEST(names("SOCIETE g") == (std::vector<std::string>{"Société Générale"}));
  BOOST_TEST(names("acme sons") == (std::vector<std::string>{"Acme & Sons"}));
  BOOST_TEST(names("sons").empty());  // a prefix of the name, not of any word
  BOOST_TEST(names("") == (std::vector<std::string>{"Acme & Sons", "Société Générale", "Soho House"}));
  BOOST_TEST(names("", {.limit = 1, .offset = 1}) == (std::vector<std::string>{"Société Générale"}));
  expect_error([&] { companies().search("", {.limit = 0}); }, Errc::invalid_argument, "limit");
  (void)a;
  (void)b;
  (void)c;
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(links, CoFixture)

BOOST_AUTO_TEST_CASE(new_customers_and_new_emails_are_linked) {
  const auto acme = companies().create({.name = "Acme", .domains = {"acme.co.uk"}});
  const auto ana = person("Ana", "ana@eu.acme.co.uk");  // a sub-domain matches
  auto l = companies().companies_of(ana.number);
  BOOST_TEST_REQUIRE(l.size() == 1u);
  BOOST_TEST(l[0].company == acme.id);
  BOOST_TEST(l[0].customer == ana.id);
  BOOST_TEST(l[0].source == LinkSource::email_domain);
  BOOST_TEST(l[0].domain == "acme.co.uk");
  BOOST_TEST(l[0].role == "");
  BOOST_TEST(!l[0].billing);
  BOOST_TEST(l[0].linked_at == clock.now());

  const auto bo = person("Bo", "bo@gmail.com");
  BOOST_TEST(companies().companies_of(bo.number).empty());
  customers().add_email(bo.number, "Bo@ACME.co.uk");
  BOOST_TEST(links_of(bo) == (std::vector<std::string>{std::to_string(acme.id) + " email_domain acme.co.uk"}));

  const auto many = customers().create_many({{.email = "cy@acme.co.uk"}, {.email = "di@acme.com"}});
  BOOST_TEST(links_of(many[0]).size() == 1u);
  BOOST_TEST(links_of(many[1]).empty());
  BOOST_TEST(companies().customers_of(acme.id).size() == 3u);
}

BOOST_AUTO_TEST_CASE(adding_a_domain_links_existing_customers) {
  const auto ana = person("Ana", "ana@eu.acme.co.uk");
  const auto bo = person("Bo", "bo@acme.co.uk");
  customers().add_email(bo.number, "bo@uk.acme.co.uk");  // two emails, one link
  const auto cy = person("Cy", "cy@acme.com");
  const auto di = person("Di", "di@gmail.com");
  const auto acme = companies().create({.name = "Acme"});
  clock.advance(std::chrono::seconds(1));
  BOOST_TEST(companies().add_domain(acme.id, "acme.co.uk") == 2);
  BOOST_TEST(companies().get(acme.id).domains == (std::vector<std::string>{"acme.co.uk"}));
  BOOST_TEST(companies().get(acme.id).updated_at == clock.now());
  const auto members = companies().customers_of(acme.id);
  BOOST_TEST_REQUIRE(members.size() == 2u);
  BOOST_TEST(members[0].customer == ana.id);  // by customer number
  BOOST_TEST(members[1].customer == bo.id);
  BOOST_TEST(members[1].linked_at == clock.now());
  BOOST_TEST(links_of(cy).empty());
  BOOST_TEST(links_of(di).empty());
  // Creating a company with the domain links at once, too.
  const auto other = companies().create({.name = "Acme US", .domains = {"acme.com"}});
  BOOST_TEST(links_of(cy) == (std::vector<std::string>{std::to_string(other.id) + " email_domain acme.com"}));
  expect_error([&] { companies().add_domain(999, "new.com"); }, Errc::not_found, "company", "company: no company 999");
}

BOOST_AUTO_TEST_CASE(removing_an_email_removes_only_the_links_it_made) {
  const auto acme = companies().create({.name = "Acme", .domains = {"acme.co.uk"}});
  const auto ana = person("Ana", "ana@acme.co.uk");
  customers().add_email(ana.number, "ana@eu.acme.co.uk");
  customers().add_email(ana.number, "ana@gmail.com");
  companies().link(acme.id, ana.number, "employee");
  customers().remove_email(ana.number, "ana@acme.co.uk");  // eu.acme.co.uk still matches
  BOOST_TEST(links_of(ana) == (std::vector<std::string>{std::to_string(acme.id) + " email_domain acme.co.uk",
                                                        std::to_string(acme.id) + " manual "}));
  customers().remove_email(ana.number, "ana@eu.acme.co.uk");
  BOOST_TEST(links_of(ana) == (std::vector<std::string>{std::to_string(acme.id) + " manual "}));
  // Adding it back links again.
  customers().add_email(ana.number, "ana@acme.co.uk");
  BOOST_TEST(links_of(ana).size() == 2u);
}

BOOST_AUTO_TEST_CASE(removing_a_domain_keeps_manual_links) {
  const auto acme = companies().create({.name = "Acme", .domains = {"acme.co.uk", "acme.com"}});
  const auto ana = person("Ana", "ana@acme.co.uk");
  const auto bo = person("Bo", "bo@acme.co.uk");
  customers().add_email(bo.number, "bo@acme.com");
  companies().link(acme.id, bo.number, "billing contact", true);
  BOOST_TEST(companies().remove_domain(acme.id, "EU.acme.co.uk") == 2);
  BOOST_TEST(companies().get(acme.id).domains == (std::vector<std::string>{"acme.com"}));
  BOOST_TEST(links_of(ana).empty());
  BOOST_TEST(links_of(bo) == (std::vector<std::string>{std::to_string(acme.id) + " email_domain acme.com",
                                                       std::to_string(acme.id) + " manual "}));
  expect_error([&] { companies().remove_domain(acme.id, "acme.co.uk"); }, Errc::not_found, "domain",
               "has no domain acme.co.uk");
  expect_error([&] { companies().remove_domain(999, "acme.com"); }, Errc::not_found, "company");
  expect_error([&] { companies().remove_domain(acme.id, "co.uk"); }, Errc::invalid_argument, "domain");
  BOOST_TEST(companies().get(acme.id).domains == (std::vector<std::string>{"acme.com"}));
  // A new customer at the removed domain is not linked; the domain is free again.
  const auto cy = person("Cy", "cy@acme.co.uk");
  BOOST_TEST(links_of(cy).empty());
  const auto beta = companies().create({.name = "Beta", .domains = {"acme.co.uk"}});
  BOOST_TEST(companies().customers_of(beta.id).size() == 3u);  // Ana, Bo and Cy
}

BOOST_AUTO_TEST_CASE(manual_links_with_role_and_billing) {
  const auto acme = companies().create({.name = "Acme"});
  const auto ana = person("Ana", "ana@example.com");
  const auto l = companies().link(acme.id, ana.id.str(), " employee ");
  BOOST_TEST(l.company == acme.id);
  BOOST_TEST(l.customer == ana.id);
  BOOST_TEST(l.source == LinkSource::manual);
  BOOST_TEST(l.role == "employee");
  BOOST_TEST(!l.billing);
  BOOST_TEST(l.domain == "");
  BOOST_TEST(l.linked_at == clock.now());
  clock.advance(std::chrono::seconds(1));
  const auto again = companies().link(acme.id, ana.number, "billing contact", true);
  BOOST_TEST(again.role == "billing contact");
  BOOST_TEST(again.billing);
  BOOST_TEST(again.linked_at == l.linked_at);  // one manual link, updated
  const auto all = companies().companies_of(ana.number);
  BOOST_TEST_REQUIRE(all.size() == 1u);
  BOOST_TEST((all[0] == again));

  expect_error([&] { companies().link(999, ana.number); }, Errc::not_found, "company");
  expect_error([&] { companies().link(acme.id, "99999"); }, Errc::not_found, "customer", "customer: no customer");
  expect_error([&] { companies().link(acme.id, "?"); }, Errc::invalid_argument, "customer");
  expect_error([&] { companies().link(acme.id, ana.number, std::string(101, 'r')); }, Errc::invalid_argument, "role");

  companies().unlink(acme.id, ana.number);
  BOOST_TEST(companies().companies_of(ana.number).empty());
  expect_error([&] { companies().unlink(acme.id, ana.number); }, Errc::not_found, "customer",
               "has no manual link to company");
  expect_error([&] { companies().companies_of("99999"); }, Errc::not_found, "customer");
}

BOOST_AUTO_TEST_CASE(unlink_leaves_email_domain_links) {
  const auto acme = companies().create({.name = "Acme", .domains = {"acme.com"}});
  const auto ana = person("Ana", "ana@acme.com");
  companies().link(acme.id, ana.number, "employee");
  companies().unlink(acme.id, ana.number);
  BOOST_TEST(links_of(ana) == (std::vector<std::string>{std::to_string(acme.id) + " email_domain acme.com"}));
  expect_error([&] { companies().unlink(acme.id, ana.number); }, Errc::not_found, "customer");
}

BOOST_AUTO_TEST_CASE(a_customer_belongs_to_several_companies) {
  const auto acme = companies().create({.name = "Acme", .domains = {"acme.com"}});
  const auto beta = companies().create({.name = "Beta", .domains = {"beta.org"}});
  const auto gamma = companies().create({.name = "Gamma"});
  const auto ana = person("Ana", "ana@acme.com");
  customers().add_email(ana.number, "ana@mail.beta.org");
  companies().link(gamma.id, ana.number, "advisor");
  companies().link(acme.id, ana.number, "employee");
  BOOST_TEST(links_of(ana) == (std::vector<std::string>{std::to_string(acme.id) + " email_domain acme.com",
                                                        std::to_string(acme.id) + " manual ",
                                                        std::to_string(beta.id) + " email_domain beta.org",
                                                        std::to_string(gamma.id) + " manual "}));
  const auto members = companies().customers_of(acme.id);
  BOOST_TEST(members.size() == 2u);  // once per link
}

BOOST_AUTO_TEST_CASE(customers_of_is_paged_by_customer_number) {
  const auto acme = companies().create({.name = "Acme", .domains = {"acme.com"}});
  std::vector<NewCustomer> batch;
  for (int i = 0; i < 5; ++i) {
    batch.push_back({.number = "C-000" + std::to_string(5 - i), .email = "p" + std::to_string(i) + "@acme.com"});
  }
  customers().create_many(batch);
  const auto page = companies().customers_of(acme.id, {.limit = 2, .offset = 1});
  BOOST_TEST_REQUIRE(page.size() == 2u);
  BOOST_TEST(customers().get(page[0].customer.str()).number == "C-0002");
  BOOST_TEST(customers().get(page[1].customer.str()).number == "C-0003");
  expect_error([&] { companies().customers_of(acme.id, {.limit = 1001}); }, Errc::invalid_argument, "limit");
  expect_error([&] { companies().customers_of(77); }, Errc::not_found, "company");
}

BOOST_AUTO_TEST_CASE(a_refused_customer_batch_links_nobody) {
  const auto acme = companies().create({.name = "Acme", .domains = {"acme.com"}});
  person("Ana", "ana@acme.com");
  expect_error([&] { customers().create_many({{.email = "bo@acme.com"}, {.email = "ana@acme.com"}}); },
               Errc::already_exists, "[1].email");
  BOOST_TEST(companies().customers_of(acme.id).size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_customer_created_by_a_pushed_order_is_linked) {
  const auto acme = companies().create({.name = "Acme", .domains = {"acme.com"}});
  NewOrder n;
  n.customer.details = CustomerDetails{.first_name = "Eve", .email = "eve@shop.acme.com"};
  n.source = "till";
  n.external_ref = "R-1";
  n.currency = "GBP";
  n.total = 1000;
  const auto pushed = db.orders().record(n);
  BOOST_TEST(to_string(pushed.customer_match) == "created");
  const auto members = companies().customers_of(acme.id);
  BOOST_TEST_REQUIRE(members.size() == 1u);
  BOOST_TEST(members[0].customer == pushed.record.customer);
}

BOOST_AUTO_TEST_CASE(emails_stored_before_companies_are_indexed_on_open) {
  // As a file from schema 3 would be: emails without their domain index.
  const auto ana = person("Ana", "ana@eu.acme.co.uk");
  const std::string file = path;
  db = Database::open(dir.file("other.db"));  // close the fixture's file
  BOOST_TEST(raw_exec(file,
                      "DELETE FROM customer_email_domains; "
                      "UPDATE patron_meta SET value = 1 WHERE key = 'email_domains_pending'") == SQLITE_OK);
  auto reopened = Database::open(file, options());
  const auto acme = reopened.companies().create({.name = "Acme", .domains = {"acme.co.uk"}});
  const auto members = reopened.companies().customers_of(acme.id);
  BOOST_TEST_REQUIRE(members.size() == 1u);
  BOOST_TEST(members[0].customer == ana.id);
}

BOOST_AUTO_TEST_SUITE_END()
