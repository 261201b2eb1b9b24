// Companies through the C ABI on a file database: the exact JSON returned,
// domains reduced to their registrable domain, automatic links by email
// domain (new and existing customers, sub-domains), manual links, every
// refusal with its code and field, and free-mail domains from the options.
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "capi_fixture.hpp"

using namespace capi_test;

namespace {

constexpr std::int64_t kMinute = 60LL * 1000000;
constexpr const char* kT1Text = "2026-11-22T05:55:45.123456Z";  // kT0 + 1 minute

std::string text(const char* s) { return s == nullptr ? std::string() : std::string(s); }

// A database holding Ana (number "ANA-01", ana@eu.acme.co.uk) and Bo
// ("BO-01", bo@acme.com), and no company yet.
struct Firms : Db {
  json ana = create(R"({"first_name":"Ana","last_name":"Silva","email":"ana@eu.acme.co.uk","number":"ANA-01"})");
  json bo = create(R"({"first_name":"Bo","last_name":"Berg","email":"bo@acme.com","number":"BO-01"})");
  std::string ana_id = ana["id"];
  std::string bo_id = bo["id"];

  json create_company(const std::string& js) {
    return ok([&](char** o) { return patron_company_create(db, js.c_str(), o); });
  }
  json company(std::int64_t id) {
    return ok([&](char** o) { return patron_company_get(db, id, o); });
  }
  json search(const char* q, size_t limit = 50, size_t offset = 0) {
    return ok([&](char** o) { return patron_company_search(db, q, limit, offset, o); });
  }
  json find(const char* domain) {
    return ok([&](char** o) { return patron_company_find_by_domain(db, domain, o); });
  }
  json members(std::int64_t id, size_t limit = 50, size_t offset = 0) {
    return ok([&](char** o) { return patron_company_customers(db, id, limit, offset, o); });
  }
  json companies_of(const std::string& ref) {
    return ok([&](char** o) { return patron_customer_companies(db, ref.c_str(), o); });
  }
  std::int64_t add_domain(std::int64_t id, const char* domain) {
    std::int64_t linked = -1;
    const int rc = patron_company_add_domain(db, id, domain, &linked);
    BOOST_TEST_REQUIRE(rc == PATRON_OK, "add_domain " << domain << ": " << describe_failure(rc));
    return linked;
  }
  std::int64_t remove_domain(std::int64_t id, const char* domain) {
    std::int64_t removed = -1;
    const int rc = patron_company_remove_domain(db, id, domain, &removed);
    BOOST_TEST_REQUIRE(rc == PATRON_OK, "remove_domain " << domain << ": " << describe_failure(rc));
    return removed;
  }
  json link(std::int64_t id, const char* ref, const char* role, int billing) {
    return ok([&](char** o) { return patron_company_link(db, id, ref, role, billing, o); });
  }
  std::string registrable(const char* domain) {
    return ok([&](char** o) { return patron_registrable_domain(db, domain, o); }).get<std::string>();
  }
};

json domain_link(std::int64_t company, const std::string& customer, const std::string& domain,
                 const std::string& at = kT0Text) {
  return {{"company", company}, {"customer", customer}, {"source", "email_domain"}, {"role", ""},
          {"billing", false},   {"domain", domain},     {"linked_at", at}};
}

json manual_link(std::int64_t company, const std::string& customer, const std::string& role, bool billing,
                 const std::string& at = kT0Text) {
  return {{"company", company}, {"customer", customer}, {"source", "manual"}, {"role", role},
          {"billing", billing}, {"domain", ""},         {"linked_at", at}};
}

// Fails `add_domain` with `code` and `field`, and *out_linked is 0.
void add_domain_fails(patron_db* db, std::int64_t id, const char* domain, int code, const char* field) {
  BOOST_TEST_CONTEXT("add_domain " << text(domain)) {
    std::int64_t linked = 7;
    const int rc = patron_company_add_domain(db, id, domain, &linked);
    BOOST_TEST(rc == code, "expected " << code << ", got " << describe_failure(rc));
    BOOST_TEST(text(patron_errfield()) == field);
    BOOST_TEST(!text(patron_errmsg()).empty());
    BOOST_TEST(linked == 0);
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(capi_companies)

BOOST_AUTO_TEST_CASE(create_get_update_search_on_a_file) {
  Firms t;
  const json acme = t.create_company(R"({
    "name": "Acme Ltd",
    "sector": "hospitality",
    "contact_person": "Rui Costa",
    "notes": "pays late",
    "domains": ["EU.Acme.co.uk", "acme.com", "rui@shop.acme.org"]
  })");
  const json expected = {
      {"id", 1},
      {"name", "Acme Ltd"},
      {"sector", "hospitality"},
      {"contact_person", "Rui Costa"},
      {"notes", "pays late"},
      {"domains", {"acme.co.uk", "acme.com", "acme.org"}},
      {"created_at", kT0Text},
      {"updated_at", kT0Text},
  };
  BOOST_TEST(acme == expected, "got " << acme.dump());
  BOOST_TEST(t.company(1) == acme);

  // Only the name is required; null is the same as leaving a key out.
  const json zeta = t.create_company(R"({"name":"Zeta","sector":null,"domains":null})");
  BOOST_TEST(zeta == json({{"id", 2},
                           {"name", "Zeta"},
                           {"sector", ""},
                           {"contact_person", ""},
                           {"notes", ""},
                           {"domains", json::array()},
                           {"created_at", kT0Text},
                           {"updated_at", kT0Text}}),
             "got " << zeta.dump());

  t.now += kMinute;
  const json changed =
      ok([&](char** o) { return patron_company_update(t.db, 1, R"({"sector":"law","notes":null})", o); });
  json after = acme;
  after["sector"] = "law";
  after["notes"] = "";
  after["updated_at"] = kT1Text;
  BOOST_TEST(changed == after, "got " << changed.dump());
  // An empty update changes nothing but is allowed.
  BOOST_TEST(ok([&](char** o) { return patron_company_update(t.db, 1, "{}", o); })["sector"] == "law");

  // Search: name prefix, accent- and case-insensitive; "" lists all.
  BOOST_TEST(t.search("") == json::array({changed, zeta}));
  BOOST_TEST(t.search("ACM") == json::array({changed}));
  BOOST_TEST(t.search("zé") == json::array({zeta}));
  BOOST_TEST(t.search("cme") == json::array());
  BOOST_TEST(t.search("", 1, 1) == json::array({zeta}));
  fails(PATRON_EINVAL, "limit", [&](char** o) { return patron_company_search(t.db, "", 0, 0, o); });
  fails(PATRON_EINVAL, "limit", [&](char** o) { return patron_company_search(t.db, "", 1001, 0, o); });

  // It is in the file.
  t.reopen();
  BOOST_TEST(t.company(1) == changed);
  BOOST_TEST(t.company(2) == zeta);
}

BOOST_AUTO_TEST_CASE(registrable_domains_and_refusals) {
  Firms t;
  BOOST_TEST(t.registrable("eu.acme.co.uk") == "acme.co.uk");
  BOOST_TEST(t.registrable("acme.co.uk") == "acme.co.uk");
  BOOST_TEST(t.registrable("ana@eu.acme.co.uk") == "acme.co.uk");
  BOOST_TEST(t.registrable("Mail.ACME.com") == "acme.com");
  for (const char* refused : {"co.uk", "uk", "gmail.com", "mail.gmail.com", "ana@gmail.com", "outlook.com",
                              "icloud.com", "yahoo.co.uk", "", "not a domain"}) {
    BOOST_TEST_CONTEXT("registrable_domain " << refused) {
      fails(PATRON_EINVAL, "domain", [&](char** o) { return patron_registrable_domain(t.db, refused, o); });
    }
  }

  const json acme = t.create_company(R"({"name":"Acme","domains":["acme.co.uk"]})");
  add_domain_fails(t.db, 1, "co.uk", PATRON_EINVAL, "domain");
  add_domain_fails(t.db, 1, "gmail.com", PATRON_EINVAL, "domain");
  add_domain_fails(t.db, 1, "bo@hotmail.com", PATRON_EINVAL, "domain");
  // A domain belongs to one company, in any of its forms.
  t.create_company(R"({"name":"Other"})");
  add_domain_fails(t.db, 2, "acme.co.uk", PATRON_EEXIST, "domain");
  add_domain_fails(t.db, 2, "shop.ACME.co.uk", PATRON_EEXIST, "domain");
  add_domain_fails(t.db, 999, "fresh.com", PATRON_ENOTFOUND, "id");
  // Refused domains in a new company: nothing is written.
  const Failure free_mail =
      fails(PATRON_EINVAL, "domains[1]", [&](char** o) {
        return patron_company_create(t.db, R"({"name":"New","domains":["new.com","gmail.com"]})", o);
      });
  BOOST_TEST(free_mail.message.find("gmail.com") != std::string::npos, free_mail.message);
  fails(PATRON_EINVAL, "domains[0]",
        [&](char** o) { return patron_company_create(t.db, R"({"name":"New","domains":["co.uk"]})", o); });
  fails(PATRON_EEXIST, "domains[0]",
        [&](char** o) { return patron_company_create(t.db, R"({"name":"New","domains":["eu.acme.co.uk"]})", o); });
  BOOST_TEST(t.search("").size() == 2u);
  BOOST_TEST(t.company(1) == acme);
  BOOST_TEST(t.company(2)["domains"] == json::array());

  // find_by_domain: any form of the domain, or an email at it; "null" when none.
  BOOST_TEST(t.find("acme.co.uk") == acme);
  BOOST_TEST(t.find("eu.acme.co.uk") == acme);
  BOOST_TEST(t.find("rui@shop.acme.co.uk") == acme);
  Owned none;
  BOOST_TEST(patron_company_find_by_domain(t.db, "acme.com", none.out()) == PATRON_OK);
  BOOST_TEST_REQUIRE(none.get() != nullptr);
  BOOST_TEST(text(none.get()) == "null");
}

BOOST_AUTO_TEST_CASE(emails_link_customers_automatically) {
  Firms t;
  // A company created with domains links the customers already there:
  // Ana's email is at a sub-domain of acme.co.uk.
  t.create_company(R"({"name":"Acme","domains":["acme.co.uk"]})");
  BOOST_TEST(t.companies_of("ANA-01") == json::array({domain_link(1, t.ana_id, "acme.co.uk")}));
  BOOST_TEST(t.companies_of(t.bo_id) == json::array());

  // Adding a domain later links every existing customer with an email at it.
  t.now += kMinute;
  BOOST_TEST(t.add_domain(1, "acme.com") == 1);
  BOOST_TEST(t.companies_of("BO-01") == json::array({domain_link(1, t.bo_id, "acme.com", kT1Text)}));
  BOOST_TEST(t.company(1)["domains"] == json::array({"acme.co.uk", "acme.com"}));
  BOOST_TEST(t.company(1)["updated_at"] == kT1Text);
  // The company has it already.
  add_domain_fails(t.db, 1, "ACME.com", PATRON_EEXIST, "domain");

  // A customer created with a matching email is linked at once...
  const json cy = t.create(R"({"email":"cy@sales.acme.co.uk","number":"CY-01"})");
  const std::string cy_id = cy["id"];
  BOOST_TEST(t.companies_of("CY-01") == json::array({domain_link(1, cy_id, "acme.co.uk", kT1Text)}));
  // ... and so is one who adds one; a free-mail email links nobody.
  const json di = t.create(R"({"email":"di@gmail.com","number":"DI-01"})");
  const std::string di_id = di["id"];
  BOOST_TEST(t.companies_of("DI-01") == json::array());
  ok([&](char** o) { return patron_customer_add_email(t.db, "DI-01", "di@acme.com", 0, o); });
  BOOST_TEST(t.companies_of("DI-01") == json::array({domain_link(1, di_id, "acme.com", kT1Text)}));

  // The company's customers, by customer number, each once per link.
  BOOST_TEST(t.members(1) == json::array({domain_link(1, t.ana_id, "acme.co.uk"),
                                          domain_link(1, t.bo_id, "acme.com", kT1Text),
                                          domain_link(1, cy_id, "acme.co.uk", kT1Text),
                                          domain_link(1, di_id, "acme.com", kT1Text)}));
  BOOST_TEST(t.members(1, 2, 1) == json::array({domain_link(1, t.bo_id, "acme.com", kT1Text),
                                                domain_link(1, cy_id, "acme.co.uk", kT1Text)}));
  fails(PATRON_EINVAL, "limit", [&](char** o) { return patron_company_customers(t.db, 1, 0, 0, o); });

  // Removing the email removes the link it made.
  ok([&](char** o) { return patron_customer_remove_email(t.db, "DI-01", "di@acme.com", o); });
  BOOST_TEST(t.companies_of("DI-01") == json::array());

  // Removing the domain removes its links and says how many.
  BOOST_TEST(t.remove_domain(1, "acme.com") == 1);
  BOOST_TEST(t.companies_of("BO-01") == json::array());
  BOOST_TEST(t.company(1)["domains"] == json::array({"acme.co.uk"}));
  std::int64_t removed = 7;
  BOOST_TEST(patron_company_remove_domain(t.db, 1, "acme.com", &removed) == PATRON_ENOTFOUND);
  BOOST_TEST(text(patron_errfield()) == "domain");
  BOOST_TEST(removed == 0);

  // A customer with emails at two company domains belongs to both.
  t.create_company(R"({"name":"Beta","domains":["beta.org"]})");
  ok([&](char** o) { return patron_customer_add_email(t.db, "ANA-01", "ana@beta.org", 0, o); });
  BOOST_TEST(t.companies_of("ANA-01") ==
             json::array({domain_link(1, t.ana_id, "acme.co.uk"), domain_link(2, t.ana_id, "beta.org", kT1Text)}));

  // It is in the file.
  t.reopen();
  BOOST_TEST(t.members(2) == json::array({domain_link(2, t.ana_id, "beta.org", kT1Text)}));
}

BOOST_AUTO_TEST_CASE(manual_links_have_a_role_and_survive_domains) {
  Firms t;
  t.create_company(R"({"name":"Acme","domains":["acme.com"]})");  // links Bo by email
  const json billing = t.link(1, "bo-01", "billing contact", 1);
  BOOST_TEST(billing == manual_link(1, t.bo_id, "billing contact", true), "got " << billing.dump());
  // A NULL role is "": linking again updates the manual link.
  t.now += kMinute;
  const json employee = t.link(1, t.bo_id.c_str(), nullptr, 0);
  BOOST_TEST(employee["source"] == "manual");
  BOOST_TEST(employee["role"] == "");
  BOOST_TEST(employee["billing"] == false);
  const json links = t.companies_of("BO-01");
  BOOST_TEST(links.size() == 2u, links.dump());
  BOOST_TEST(links.dump().find(R"("source":"email_domain")") != std::string::npos);
  BOOST_TEST(links.dump().find(R"("source":"manual")") != std::string::npos);

  // Removing the domain leaves the manual link.
  BOOST_TEST(t.remove_domain(1, "acme.com") == 1);
  BOOST_TEST(t.companies_of("BO-01") == json::array({employee}));
  BOOST_TEST(t.members(1) == json::array({employee}));

  // Ana is linked by hand only.
  const json ana = t.link(1, "ANA-01", "owner", 0);
  BOOST_TEST(ana == manual_link(1, t.ana_id, "owner", false, kT1Text));
  BOOST_TEST(t.members(1) == json::array({ana, employee}));

  // Unlinking removes the manual link; a link made by an email stays.
  BOOST_TEST(patron_company_unlink(t.db, 1, "ANA-01") == PATRON_OK);
  BOOST_TEST(t.companies_of("ANA-01") == json::array());
  BOOST_TEST(patron_company_unlink(t.db, 1, "ANA-01") == PATRON_ENOTFOUND);
  BOOST_TEST(text(patron_errfield()) == "ref");
  t.add_domain(1, "acme.com");
  t.link(1, "BO-01", "employee", 0);
  BOOST_TEST(patron_company_unlink(t.db, 1, "BO-01") == PATRON_OK);
  BOOST_TEST(t.companies_of("BO-01") == json::array({domain_link(1, t.bo_id, "acme.com", kT1Text)}));

  t.reopen();
  BOOST_TEST(t.members(1) == json::array({domain_link(1, t.bo_id, "acme.com", kT1Text)}));
}

BOOST_AUTO_TEST_CASE(refusals_name_the_field_and_write_nothing) {
  Firms t;
  const json acme = t.create_company(R"({"name":"Acme","domains":["acme.com"]})");

  // Unknown company.
  fails(PATRON_ENOTFOUND, "id", [&](char** o) { return patron_company_get(t.db, 999, o); });
  fails(PATRON_ENOTFOUND, "id", [&](char** o) { return patron_company_update(t.db, 999, R"({"name":"X"})", o); });
  fails(PATRON_ENOTFOUND, "id", [&](char** o) { return patron_company_customers(t.db, 999, 10, 0, o); });
  fails(PATRON_ENOTFOUND, "id", [&](char** o) { return patron_company_link(t.db, 999, "ANA-01", "x", 0, o); });
  BOOST_TEST(patron_company_unlink(t.db, 999, "ANA-01") == PATRON_ENOTFOUND);
  BOOST_TEST(text(patron_errfield()) == "id");
  std::int64_t n = 7;
  BOOST_TEST(patron_company_remove_domain(t.db, 999, "acme.com", &n) == PATRON_ENOTFOUND);
  BOOST_TEST(text(patron_errfield()) == "id");
  BOOST_TEST(n == 0);

  // Unknown customer.
  fails(PATRON_ENOTFOUND, "ref", [&](char** o) { return patron_company_link(t.db, 1, "NOBODY-1", "x", 0, o); });
  fails(PATRON_ENOTFOUND, "ref", [&](char** o) { return patron_customer_companies(t.db, "NOBODY-1", o); });
  fails(PATRON_EINVAL, "ref", [&](char** o) { return patron_company_link(t.db, 1, "", "x", 0, o); });
  fails(PATRON_EINVAL, "ref", [&](char** o) { return patron_customer_companies(t.db, "", o); });
  BOOST_TEST(patron_company_unlink(t.db, 1, "") == PATRON_EINVAL);
  BOOST_TEST(text(patron_errfield()) == "ref");

  // Bad documents.
  fails(PATRON_EINVAL, "website",
        [&](char** o) { return patron_company_create(t.db, R"({"name":"X","website":"x.com"})", o); });
  fails(PATRON_EINVAL, "domains",
        [&](char** o) { return patron_company_create(t.db, R"({"name":"X","domains":"x.com"})", o); });
  fails(PATRON_EINVAL, "domains[0]",
        [&](char** o) { return patron_company_create(t.db, R"({"name":"X","domains":[1]})", o); });
  fails(PATRON_EINVAL, "name", [&](char** o) { return patron_company_create(t.db, R"({"name":7})", o); });
  fails(PATRON_EINVAL, "name", [&](char** o) { return patron_company_create(t.db, R"({"sector":"law"})", o); });
  fails(PATRON_EINVAL, "json", [&](char** o) { return patron_company_create(t.db, "{", o); });
  fails(PATRON_EINVAL, "json", [&](char** o) { return patron_company_create(t.db, "[]", o); });
  fails(PATRON_EINVAL, "domains",
        [&](char** o) { return patron_company_update(t.db, 1, R"({"domains":["b.com"]})", o); });
  fails(PATRON_EINVAL, "name", [&](char** o) { return patron_company_update(t.db, 1, R"({"name":""})", o); });
  fails(PATRON_EINVAL, "json", [&](char** o) { return patron_company_update(t.db, 1, "nope", o); });
  BOOST_TEST(t.search("") == json::array({acme}));
  BOOST_TEST(t.company(1) == acme);
}

BOOST_AUTO_TEST_CASE(null_arguments_are_misuse) {
  Firms t;
  t.create_company(R"({"name":"Acme"})");
  patron_db* db = t.db;
  struct Case {
    const char* what;
    std::function<int(char**)> call;
    const char* field;
  };
  const std::vector<Case> cases = {
      {"create db", [&](char** o) { return patron_company_create(nullptr, "{}", o); }, "db"},
      {"create json", [&](char** o) { return patron_company_create(db, nullptr, o); }, "json"},
      {"get db", [&](char** o) { return patron_company_get(nullptr, 1, o); }, "db"},
      {"update db", [&](char** o) { return patron_company_update(nullptr, 1, "{}", o); }, "db"},
      {"update json", [&](char** o) { return patron_company_update(db, 1, nullptr, o); }, "json_patch"},
      {"search db", [&](char** o) { return patron_company_search(nullptr, "", 10, 0, o); }, "db"},
      {"search text", [&](char** o) { return patron_company_search(db, nullptr, 10, 0, o); }, "text"},
      {"find_by_domain db", [&](char** o) { return patron_company_find_by_domain(nullptr, "a.com", o); }, "db"},
      {"find_by_domain domain", [&](char** o) { return patron_company_find_by_domain(db, nullptr, o); }, "domain"},
      {"link db", [&](char** o) { return patron_company_link(nullptr, 1, "ANA-01", "", 0, o); }, "db"},
      {"link ref", [&](char** o) { return patron_company_link(db, 1, nullptr, "", 0, o); }, "ref"},
      {"customers db", [&](char** o) { return patron_company_customers(nullptr, 1, 10, 0, o); }, "db"},
      {"customer_companies db", [&](char** o) { return patron_customer_companies(nullptr, "ANA-01", o); }, "db"},
      {"customer_companies ref", [&](char** o) { return patron_customer_companies(db, nullptr, o); }, "ref"},
      {"registrable_domain db", [&](char** o) { return patron_registrable_domain(nullptr, "a.com", o); }, "db"},
      {"registrable_domain domain", [&](char** o) { return patron_registrable_domain(db, nullptr, o); },
       "domain"},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.what) {
      const Failure f = fails(PATRON_EMISUSE, c.field, c.call);
      BOOST_TEST(f.message.find("must not be NULL") != std::string::npos, f.message);
      BOOST_TEST(f.message.find("patron_") == 0u, f.message);
      BOOST_TEST(c.call(nullptr) == PATRON_EMISUSE);
      BOOST_TEST(text(patron_errfield()) == "out_json");
    }
  }

  std::int64_t n = 7;
  BOOST_TEST(patron_company_add_domain(nullptr, 1, "acme.com", &n) == PATRON_EMISUSE);
  BOOST_TEST(text(patron_errfield()) == "db");
  BOOST_TEST(n == 0);
  n = 7;
  BOOST_TEST(patron_company_add_domain(db, 1, nullptr, &n) == PATRON_EMISUSE);
  BOOST_TEST(text(patron_errfield()) == "domain");
  BOOST_TEST(n == 0);
  BOOST_TEST(patron_company_add_domain(db, 1, "acme.com", nullptr) == PATRON_EMISUSE);
  BOOST_TEST(text(patron_errfield()) == "out_linked");
  BOOST_TEST(text(patron_errmsg()).find("patron_company_add_domain: out_linked must not be NULL") == 0u);
  n = 7;
  BOOST_TEST(patron_company_remove_domain(db, 1, nullptr, &n) == PATRON_EMISUSE);
  BOOST_TEST(text(patron_errfield()) == "domain");
  BOOST_TEST(n == 0);
  BOOST_TEST(patron_company_remove_domain(db, 1, "acme.com", nullptr) == PATRON_EMISUSE);
  BOOST_TEST(text(patron_errfield()) == "out_removed");
  BOOST_TEST(patron_company_unlink(nullptr, 1, "ANA-01") == PATRON_EMISUSE);
  BOOST_TEST(text(patron_errfield()) == "db");
  BOOST_TEST(patron_company_unlink(db, 1, nullptr) == PATRON_EMISUSE);
  BOOST_TEST(text(patron_errfield()) == "ref");
  // Nothing was written by the refused calls.
  BOOST_TEST(t.company(1)["domains"] == json::array());
}

BOOST_AUTO_TEST_CASE(free_mail_domains_from_the_options) {
  patron::testing::TempDir dir;
  const std::string path = dir.file("firms.db");
  // Reduced to registrable domains: "mail.bigisp.net" refuses bigisp.net.
  const char* const extra[] = {"corpmail.org", "mail.bigisp.net"};
  patron_options opts;
  patron_options_init(&opts);
  BOOST_TEST(opts.free_mail_domains == nullptr);
  BOOST_TEST(opts.free_mail_domain_count == 0u);
  opts.free_mail_domains = extra;
  opts.free_mail_domain_count = 2;
  patron_db* db = nullptr;
  BOOST_TEST_REQUIRE(patron_open(&db, path.c_str(), &opts) == PATRON_OK, describe_failure(-1));
  Owned acme;
  BOOST_TEST_REQUIRE(patron_company_create(db, R"({"name":"Acme"})", acme.out()) == PATRON_OK);
  // The host's domains are refused like the built-in ones.
  for (const char* refused : {"bigisp.net", "ana@eu.bigisp.net", "corpmail.org", "gmail.com"}) {
    add_domain_fails(db, 1, refused, PATRON_EINVAL, "domain");
  }
  {
    Owned out;
    BOOST_TEST(patron_registrable_domain(db, "bigisp.net", out.out()) == PATRON_EINVAL);
    BOOST_TEST(text(patron_errfield()) == "domain");
  }
  patron_close(db);

  // Without them, bigisp.net is an ordinary company domain.
  patron_options_init(&opts);
  BOOST_TEST_REQUIRE(patron_open(&db, path.c_str(), &opts) == PATRON_OK);
  std::int64_t linked = -1;
  BOOST_TEST(patron_company_add_domain(db, 1, "bigisp.net", &linked) == PATRON_OK, describe_failure(-1));
  BOOST_TEST(linked == 0);
  patron_close(db);

  // A NULL array with a count, or a NULL element, is refused.
  opts.free_mail_domains = nullptr;
  opts.free_mail_domain_count = 1;
  db = reinterpret_cast<patron_db*>(&opts);
  BOOST_TEST(patron_open(&db, path.c_str(), &opts) == PATRON_EINVAL);
  BOOST_TEST(text(patron_errfield()) == "free_mail_domains");
  BOOST_TEST(db == nullptr);
  const char* const holes[] = {"bigisp.net", nullptr};
  opts.free_mail_domains = holes;
  opts.free_mail_domain_count = 2;
  BOOST_TEST(patron_open(&db, path.c_str(), &opts) == PATRON_EINVAL);
  BOOST_TEST(text(patron_errfield()) == "free_mail_domains[1]");
  BOOST_TEST(db == nullptr);
  // So is one that is not a domain an organisation can own.
  const char* const suffix[] = {"bigisp.net", "co.uk"};
  opts.free_mail_domains = suffix;
  BOOST_TEST(patron_open(&db, path.c_str(), &opts) == PATRON_EINVAL);
  BOOST_TEST(text(patron_errfield()) == "free_mail_domains[1]");
  BOOST_TEST(db == nullptr);
}

BOOST_AUTO_TEST_SUITE_END()
