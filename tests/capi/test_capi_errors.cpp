// Every kind of refusal through the C ABI: the exact code, the field named,
// out-parameters set to NULL, and nothing left behind.
#include <boost/test/unit_test.hpp>

#include <functional>
#include <string>
#include <vector>

#include "capi_fixture.hpp"

using namespace capi_test;

namespace {

// A database holding one customer, Ana (number "ANA-01", ana@example.com).
struct WithAna : Db {
  json ana = create(R"({"first_name":"Ana","last_name":"Silva","email":"ana@example.com","number":"ANA-01"})");
  std::string id = ana["id"];
  const char* ref() const { return id.c_str(); }

  // Ana is exactly as created, and nobody else exists.
  void unchanged() {
    BOOST_TEST(get(id) == ana);
    BOOST_TEST(ok([&](char** o) { return patron_customer_search(db, "a", 1000, 0, o); }) ==
               json::array({ana}));
  }
};

void create_fails(WithAna& t, const std::string& js, int code, const std::string& field) {
  BOOST_TEST_CONTEXT("create " << js) {
    fails(code, field, [&](char** o) { return patron_customer_create(t.db, js.c_str(), o); });
    t.unchanged();
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(capi_errors)

BOOST_AUTO_TEST_CASE(misuse_null_handle_arguments_and_out_parameters) {
  WithAna t;
  patron_db* db = t.db;
  const char* r = t.ref();
  // NULL out-parameter: misuse, nothing can be returned.
  struct Case {
    const char* what;
    std::function<int(char**)> call;
    const char* field;
  };
  const std::vector<Case> cases = {
      {"create db", [&](char** o) { return patron_customer_create(nullptr, "{}", o); }, "db"},
      {"create json", [&](char** o) { return patron_customer_create(db, nullptr, o); }, "json"},
      {"create_many db", [&](char** o) { return patron_customer_create_many(nullptr, "[]", o); }, "db"},
      {"create_many json", [&](char** o) { return patron_customer_create_many(db, nullptr, o); }, "json_array"},
      {"get db", [&](char** o) { return patron_customer_get(nullptr, r, o); }, "db"},
      {"get ref", [&](char** o) { return patron_customer_get(db, nullptr, o); }, "ref"},
      {"find db", [&](char** o) { return patron_customer_find(nullptr, r, o); }, "db"},
      {"find ref", [&](char** o) { return patron_customer_find(db, nullptr, o); }, "ref"},
      {"find_by_email db", [&](char** o) { return patron_customer_find_by_email(nullptr, "a@b.cd", o); }, "db"},
      {"find_by_email email", [&](char** o) { return patron_customer_find_by_email(db, nullptr, o); }, "email"},
      {"find_by_phone db", [&](char** o) { return patron_customer_find_by_phone(nullptr, "123", o); }, "db"},
      {"find_by_phone phone", [&](char** o) { return patron_customer_find_by_phone(db, nullptr, o); }, "phone"},
      {"search db", [&](char** o) { return patron_customer_search(nullptr, "a", 10, 0, o); }, "db"},
      {"search text", [&](char** o) { return patron_customer_search(db, nullptr, 10, 0, o); }, "text"},
      {"update db", [&](char** o) { return patron_customer_update(nullptr, r, "{}", o); }, "db"},
      {"update ref", [&](char** o) { return patron_customer_update(db, nullptr, "{}", o); }, "ref"},
      {"update patch", [&](char** o) { return patron_customer_update(db, r, nullptr, o); }, "json_patch"},
      {"set_number db", [&](char** o) { return patron_customer_set_number(nullptr, r, "NEW-01", o); }, "db"},
      {"set_number ref", [&](char** o) { return patron_customer_set_number(db, nullptr, "NEW-01", o); }, "ref"},
      {"set_number number", [&](char** o) { return patron_customer_set_number(db, r, nullptr, o); }, "number"},
      {"add_email db", [&](char** o) { return patron_customer_add_email(nullptr, r, "x@y.zz", 0, o); }, "db"},
      {"add_email ref", [&](char** o) { return patron_customer_add_email(db, nullptr, "x@y.zz", 0, o); }, "ref"},
      {"add_email email", [&](char** o) { return patron_customer_add_email(db, r, nullptr, 0, o); }, "email"},
      {"remove_email db", [&](char** o) { return patron_customer_remove_email(nullptr, r, "x@y.zz", o); }, "db"},
      {"remove_email ref", [&](char** o) { return patron_customer_remove_email(db, nullptr, "x@y.zz", o); }, "ref"},
      {"remove_email email", [&](char** o) { return patron_customer_remove_email(db, r, nullptr, o); }, "email"},
      {"set_primary db", [&](char** o) { return patron_customer_set_primary_email(nullptr, r, "x@y.zz", o); }, "db"},
      {"set_primary ref", [&](char** o) { return patron_customer_set_primary_email(db, nullptr, "x@y.zz", o); }, "ref"},
      {"set_primary email", [&](char** o) { return patron_customer_set_primary_email(db, r, nullptr, o); }, "email"},
      {"add_phone db", [&](char** o) { return patron_customer_add_phone(nullptr, r, "07911 123456", nullptr, o); }, "db"},
      {"add_phone ref", [&](char** o) { return patron_customer_add_phone(db, nullptr, "07911 123456", nullptr, o); }, "ref"},
      {"add_phone phone", [&](char** o) { return patron_customer_add_phone(db, r, nullptr, "work", o); }, "phone"},
      {"remove_phone db", [&](char** o) { return patron_customer_remove_phone(nullptr, r, "07911 123456", o); }, "db"},
      {"remove_phone ref", [&](char** o) { return patron_customer_remove_phone(db, nullptr, "07911 123456", o); }, "ref"},
      {"remove_phone phone", [&](char** o) { return patron_customer_remove_phone(db, r, nullptr, o); }, "phone"},
      {"add_address db", [&](char** o) { return patron_customer_add_address(nullptr, r, "{}", o); }, "db"},
      {"add_address ref", [&](char** o) { return patron_customer_add_address(db, nullptr, "{}", o); }, "ref"},
      {"add_address json", [&](char** o) { return patron_customer_add_address(db, r, nullptr, o); }, "address_json"},
      {"remove_address db", [&](char** o) { return patron_customer_remove_address(nullptr, r, 1, o); }, "db"},
      {"remove_address ref", [&](char** o) { return patron_customer_remove_address(db, nullptr, 1, o); }, "ref"},
      {"ban db", [&](char** o) { return patron_customer_ban(nullptr, r, "x", "y", o); }, "db"},
      {"ban ref", [&](char** o) { return patron_customer_ban(db, nullptr, "x", "y", o); }, "ref"},
      {"ban reason", [&](char** o) { return patron_customer_ban(db, r, nullptr, "y", o); }, "reason"},
      {"ban by", [&](char** o) { return patron_customer_ban(db, r, "x", nullptr, o); }, "by"},
      {"unban db", [&](char** o) { return patron_customer_unban(nullptr, r, o); }, "db"},
      {"unban ref", [&](char** o) { return patron_customer_unban(db, nullptr, o); }, "ref"},
      {"set_online db", [&](char** o) { return patron_customer_set_online(nullptr, r, 60, o); }, "db"},
      {"set_online ref", [&](char** o) { return patron_customer_set_online(db, nullptr, 60, o); }, "ref"},
      {"set_offline db", [&](char** o) { return patron_customer_set_offline(nullptr, r, o); }, "db"},
      {"set_offline ref", [&](char** o) { return patron_customer_set_offline(db, nullptr, o); }, "ref"},
      {"identify db", [&](char** o) { return patron_identify(nullptr, "ana@example.com", o); }, "db"},
      {"identify token", [&](char** o) { return patron_identify(db, nullptr, o); }, "token"},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.what) {
      const Failure f = fails(PATRON_EMISUSE, c.field, c.call);
      BOOST_TEST(f.message.find("must not be NULL") != std::string::npos, f.message);
      BOOST_TEST(f.message.find("patron_") == 0u, f.message);  // names the function
      // The same call with a NULL out-parameter is misuse naming out_json.
      BOOST_TEST(c.call(nullptr) == PATRON_EMISUSE);
      BOOST_TEST(std::string(patron_errfield()) == "out_json");
    }
  }
  BOOST_TEST(patron_schema_version(nullptr) == PATRON_EMISUSE);
  BOOST_TEST(std::string(patron_errfield()) == "db");
  t.unchanged();
}

BOOST_AUTO_TEST_CASE(bad_json_documents) {
  WithAna t;
  create_fails(t, "", PATRON_EINVAL, "json");
  create_fails(t, "{", PATRON_EINVAL, "json");
  create_fails(t, R"({"first_name":"Bo",})", PATRON_EINVAL, "json");
  create_fails(t, "[]", PATRON_EINVAL, "json");
  create_fails(t, "null", PATRON_EINVAL, "json");
  create_fails(t, R"({"first_name":"Bo","last_name":"Li"} trailing)", PATRON_EINVAL, "json");
  // Unknown keys are refused, naming the key.
  create_fails(t, R"({"first_name":"Bo","last_name":"Li","nickname":"B"})", PATRON_EINVAL, "nickname");
  create_fails(t, R"({"first_name":"Bo","last_name":"Li","id":"0190c5a2e4b87c3d9a1b2c3d4e5f6a7b"})", PATRON_EINVAL,
               "id");
  // Wrong types, naming the key.
  create_fails(t, R"({"first_name":5,"last_name":"Li"})", PATRON_EINVAL, "first_name");
  create_fails(t, R"({"first_name":"Bo","last_name":"Li","tags":"vip"})", PATRON_EINVAL, "tags");
  create_fails(t, R"({"first_name":"Bo","last_name":"Li","tags":["vip",3]})", PATRON_EINVAL, "tags[1]");
  create_fails(t, R"({"first_name":"Bo","last_name":"Li","date_of_birth":"01/04/1990"})", PATRON_EINVAL,
               "date_of_birth");
  create_fails(t, R"({"first_name":"Bo","last_name":"Li","phone_label":"pager","phone":"07911 123457"})",
               PATRON_EINVAL, "phone_label");
  create_fails(t, R"({"first_name":"Bo","last_name":"Li","addresses":[{"purpose":"home","city":"Leeds","country":"GB"}]})",
               PATRON_EINVAL, "addresses[0].purpose");
  create_fails(t, R"({"first_name":"Bo","last_name":"Li","addresses":[{"city":"Leeds","country":"GB","id":4}]})",
               PATRON_EINVAL, "addresses[0].id");
  // create_many wants an array of objects.
  fails(PATRON_EINVAL, "json", [&](char** o) { return patron_customer_create_many(t.db, "{}", o); });
  fails(PATRON_EINVAL, "[1]", [&](char** o) {
    return patron_customer_create_many(t.db, R"([{"email":"x@example.com"}, 7])", o);
  });
  t.unchanged();
}

BOOST_AUTO_TEST_CASE(creation_rule) {
  WithAna t;
  create_fails(t, "{}", PATRON_EINVAL, "customer");
  create_fails(t, R"({"first_name":"Bo"})", PATRON_EINVAL, "customer");
  create_fails(t, R"({"last_name":"Li"})", PATRON_EINVAL, "customer");
  create_fails(t, R"({"last_name":"Li","phone":"07911 123457"})", PATRON_EINVAL, "customer");
  create_fails(t, R"({"first_name":"   ","last_name":"Li"})", PATRON_EINVAL, "customer");
  // First name + a phone that libphonenumber does not hold valid: named on the phone.
  const Failure f = fails(PATRON_EINVAL, "phone", [&](char** o) {
    return patron_customer_create(t.db, R"({"first_name":"Bo","phone":"12345"})", o);
  });
  BOOST_TEST(f.message.find("valid phone") != std::string::npos, f.message);
  // 07700 900xxx is Ofcom's drama range: well-formed, not a valid number.
  create_fails(t, R"({"first_name":"Bo","phone":"07700 900123"})", PATRON_EINVAL, "phone");
  // A national number of another region is not valid in the default region (GB).
  create_fails(t, R"({"first_name":"Bo","phone":"(650) 253-0000"})", PATRON_EINVAL, "phone");
  // Too few digits is not a phone at all.
  create_fails(t, R"({"first_name":"Bo","last_name":"Li","phone":"12"})", PATRON_EINVAL, "phone");
  // ...but with a last name, an unverifiable phone is kept as typed.
  const json kept = t.create(R"({"first_name":"Bo","last_name":"Li","phone":"12345"})");
  BOOST_TEST(kept["phones"] == json::parse(R"([{"number":"12345","label":"mobile","verified":false}])"));
}

BOOST_AUTO_TEST_CASE(invalid_emails) {
  WithAna t;
  for (const char* bad : {"not-an-email", "@example.com", "ana@", "ana@@example.com", "ana@example",
                          "a..b@example.com", "ana@exa mple.com", "ana@-example.com"}) {
    create_fails(t, std::string(R"({"email":")") + bad + R"("})", PATRON_EINVAL, "email");
    fails(PATRON_EINVAL, "email", [&](char** o) { return patron_customer_add_email(t.db, t.ref(), bad, 0, o); });
  }
  create_fails(t, R"({"email":""})", PATRON_EINVAL, "customer");  // empty means none
  t.unchanged();
}

BOOST_AUTO_TEST_CASE(duplicate_email_names_the_holder) {
  WithAna t;
  for (const char* dup : {"ana@example.com", "ANA@Example.COM", " ana@example.com "}) {
    const Failure f = fails(PATRON_EEXIST, "email", [&](char** o) {
      const std::string js = std::string(R"({"first_name":"Bo","last_name":"Li","email":")") + dup + R"("})";
      return patron_customer_create(t.db, js.c_str(), o);
    });
    BOOST_TEST(f.message.find(t.id) != std::string::npos, f.message);
  }
  t.unchanged();
  // On an existing customer too.
  const json bo = t.create(R"({"first_name":"Bo","last_name":"Li"})");
  const std::string bo_id = bo["id"];
  const Failure f = fails(PATRON_EEXIST, "email", [&](char** o) {
    return patron_customer_add_email(t.db, bo_id.c_str(), "Ana@example.com", 0, o);
  });
  BOOST_TEST(f.message.find(t.id) != std::string::npos, f.message);
  BOOST_TEST(t.get(bo_id) == bo);
  // Adding one's own email again is refused too.
  fails(PATRON_EEXIST, "email",
        [&](char** o) { return patron_customer_add_email(t.db, t.ref(), "ANA@example.com", 1, o); });
  t.unchanged();
}

BOOST_AUTO_TEST_CASE(customer_numbers) {
  WithAna t;
  auto with_number = [](const std::string& number) {
    return R"({"first_name":"Bo","last_name":"Li","number":")" + number + R"("})";
  };
  create_fails(t, with_number("AB12"), PATRON_EINVAL, "number");                  // too short
  create_fails(t, with_number("   "), PATRON_EINVAL, "number");                   // blank
  create_fails(t, with_number(std::string(33, '7')), PATRON_EINVAL, "number");    // too long
  create_fails(t, with_number("AB 123"), PATRON_EINVAL, "number");                // space
  create_fails(t, with_number("AB#123"), PATRON_EINVAL, "number");                // bad character
  create_fails(t, with_number("ÁB1234"), PATRON_EINVAL, "number");                // not ASCII
  // Taken, compared ignoring case.
  create_fails(t, with_number("ANA-01"), PATRON_EEXIST, "number");
  create_fails(t, with_number("ana-01"), PATRON_EEXIST, "number");
  // The bounds themselves are fine.
  BOOST_TEST(t.create(with_number("A.b_9"))["number"] == "A.b_9");
  const std::string n32 = "Z/" + std::string(30, '0');
  BOOST_TEST(t.create(R"({"email":"z@example.com","number":")" + n32 + R"("})")["number"] == n32);

  // set_number: the same rules.
  const json bo = t.get("A.b_9");
  const std::string bo_id = bo["id"];
  for (const std::string& bad : {std::string("AB12"), std::string(33, 'x'), std::string("AB 123"),
                                 std::string("AB#123"), std::string("AB\xff" "123")}) {
    fails(PATRON_EINVAL, "number",
          [&](char** o) { return patron_customer_set_number(t.db, bo_id.c_str(), bad.c_str(), o); });
  }
  fails(PATRON_EEXIST, "number",
        [&](char** o) { return patron_customer_set_number(t.db, bo_id.c_str(), "Ana-01", o); });
  BOOST_TEST(t.get(bo_id) == bo);
}

BOOST_AUTO_TEST_CASE(generated_numbers_skip_imported_ones) {
  Db t;
  BOOST_TEST(t.create(R"({"email":"a@example.com","number":"00002"})")["number"] == "00002");
  BOOST_TEST(t.create(R"({"email":"b@example.com"})")["number"] == "00001");
  BOOST_TEST(t.create(R"({"email":"c@example.com"})")["number"] == "00003");
}

BOOST_AUTO_TEST_CASE(countries) {
  WithAna t;
  auto with_country = [](const std::string& country) {
    return R"({"first_name":"Bo","last_name":"Li","addresses":[{"purpose":"billing","city":"Leeds","country":")" +
           country + R"("}]})";
  };
  for (const char* bad : {"XX", "UK", "G", "GBR", "", "12", "g b"}) {
    create_fails(t, with_country(bad), PATRON_EINVAL, "addresses[0].country");
    fails(PATRON_EINVAL, "address.country", [&](char** o) {
      const std::string js = std::string(R"({"purpose":"billing","city":"Leeds","country":")") + bad + R"("})";
      return patron_customer_add_address(t.db, t.ref(), js.c_str(), o);
    });
  }
  // The second address is named by its index.
  create_fails(t,
               R"({"first_name":"Bo","last_name":"Li","addresses":[{"city":"Leeds","country":"GB"},{"city":"Oslo","country":"XX"}]})",
               PATRON_EINVAL, "addresses[1].country");
  // An address needs something to deliver to.
  create_fails(t, R"({"first_name":"Bo","last_name":"Li","addresses":[{"country":"GB"}]})", PATRON_EINVAL,
               "addresses[0].line1");
  t.unchanged();
  const json lower = t.create(with_country("pt"));
  BOOST_TEST(lower["addresses"][0]["country"] == "PT");
}

BOOST_AUTO_TEST_CASE(invalid_utf8_is_refused) {
  WithAna t;
  const std::string bad = "Jo\xc3\x28o";  // a broken two-byte sequence
  // Inside JSON documents.
  create_fails(t, R"({"first_name":")" + bad + R"(","last_name":"Li"})", PATRON_EINVAL, "json");
  fails(PATRON_EINVAL, "json", [&](char** o) {
    const std::string js = R"({"last_name":")" + bad + R"("})";
    return patron_customer_update(t.db, t.ref(), js.c_str(), o);
  });
  // As plain arguments, naming the argument.
  const std::string bad_email = "j\xff@example.com";
  fails(PATRON_EINVAL, "email",
        [&](char** o) { return patron_customer_add_email(t.db, t.ref(), bad_email.c_str(), 0, o); });
  fails(PATRON_EINVAL, "email",
        [&](char** o) { return patron_customer_find_by_email(t.db, bad_email.c_str(), o); });
  const std::string bad_phone = "07911\xff" "123456";
  fails(PATRON_EINVAL, "phone",
        [&](char** o) { return patron_customer_add_phone(t.db, t.ref(), bad_phone.c_str(), nullptr, o); });
  fails(PATRON_EINVAL, "text", [&](char** o) { return patron_customer_search(t.db, bad.c_str(), 10, 0, o); });
  fails(PATRON_EINVAL, "reason",
        [&](char** o) { return patron_customer_ban(t.db, t.ref(), bad.c_str(), "staff", o); });
  fails(PATRON_EINVAL, "token", [&](char** o) { return patron_identify(t.db, bad.c_str(), o); });
  char id[PATRON_ID_BUFSIZE] = "garbage";
  BOOST_TEST(patron_identify_id(t.db, bad.c_str(), id) == PATRON_EINVAL);
  BOOST_TEST(std::string(id).empty());
  BOOST_TEST(std::string(patron_errfield()) == "token");
  t.unchanged();
}

BOOST_AUTO_TEST_CASE(text_limits_and_other_value_rules) {
  WithAna t;
  create_fails(t, R"({"first_name":")" + std::string(101, 'a') + R"(","last_name":"Li"})", PATRON_EINVAL,
               "first_name");
  create_fails(t, R"({"first_name":"Bo","last_name":"L\u0007i"})", PATRON_EINVAL, "last_name");
  create_fails(t, R"({"first_name":"Bo","last_name":"Li","tags":["vip","VIP"]})", PATRON_EINVAL, "tags[1]");
  create_fails(t, R"({"first_name":"Bo","last_name":"Li","tags":[""]})", PATRON_EINVAL, "tags[0]");
  create_fails(t, R"({"first_name":"Bo","last_name":"Li","date_of_birth":"2030-01-01"})", PATRON_EINVAL,
               "date_of_birth");
  create_fails(t, R"({"first_name":"Bo","last_name":"Li","date_of_birth":"1990-02-30"})", PATRON_EINVAL,
               "date_of_birth");
  create_fails(t, R"({"first_name":"Bo","last_name":"Li","emergency_contact":{"name":"","phone":"07911 123456"}})",
               PATRON_EINVAL, "emergency_contact.name");
  // A name of exactly 100 characters is fine.
  const json ok100 = t.create(R"({"first_name":")" + std::string(100, 'a') + R"(","last_name":"Li"})");
  BOOST_TEST(ok100["first_name"].get<std::string>().size() == 100u);
}

BOOST_AUTO_TEST_CASE(create_many_is_all_or_nothing) {
  WithAna t;
  auto many_fails = [&](const std::string& js, int code, const std::string& field) {
    BOOST_TEST_CONTEXT("create_many " << js) {
      fails(code, field, [&](char** o) { return patron_customer_create_many(t.db, js.c_str(), o); });
      t.unchanged();
      BOOST_TEST(t.find_by_email("good@example.com").is_null());
    }
  };
  many_fails(R"([{"email":"good@example.com"},{"email":"bad"}])", PATRON_EINVAL, "[1].email");
  many_fails(R"([{"email":"good@example.com"},{"first_name":"Bo"}])", PATRON_EINVAL, "[1].customer");
  many_fails(R"([{"email":"good@example.com"},{"email":"x@example.com","nick":"x"}])", PATRON_EINVAL, "[1].nick");
  // Duplicates: against the database, and inside the batch.
  many_fails(R"([{"email":"good@example.com"},{"email":"ANA@example.com"}])", PATRON_EEXIST, "[1].email");
  many_fails(R"([{"email":"good@example.com"},{"email":"Good@Example.com"}])", PATRON_EEXIST, "[1].email");
  many_fails(R"([{"email":"good@example.com","number":"BATCH-1"},{"email":"o@example.com","number":"batch-1"}])",
             PATRON_EEXIST, "[1].number");
  // Nothing was consumed: the next generated number is still the first.
  BOOST_TEST(t.create(R"({"email":"next@example.com"})")["number"] == "00001");
}

BOOST_AUTO_TEST_CASE(not_found_and_bad_refs) {
  WithAna t;
  const char* nobody = "0190c5a2e4b87c3d9a1b2c3d4e5f6a7b";
  struct Case {
    const char* what;
    std::function<int(const char*, char**)> call;
  };
  patron_db* db = t.db;
  const std::vector<Case> cases = {
      {"get", [&](const char* r, char** o) { return patron_customer_get(db, r, o); }},
      {"update", [&](const char* r, char** o) { return patron_customer_update(db, r, R"({"title":"Dr"})", o); }},
      {"set_number", [&](const char* r, char** o) { return patron_customer_set_number(db, r, "NEW-00", o); }},
      {"add_email", [&](const char* r, char** o) { return patron_customer_add_email(db, r, "n@example.com", 0, o); }},
      {"remove_email", [&](const char* r, char** o) { return patron_customer_remove_email(db, r, "ana@example.com", o); }},
      {"set_primary_email",
       [&](const char* r, char** o) { return patron_customer_set_primary_email(db, r, "ana@example.com", o); }},
      {"add_phone", [&](const char* r, char** o) { return patron_customer_add_phone(db, r, "07911 123456", "home", o); }},
      {"remove_phone", [&](const char* r, char** o) { return patron_customer_remove_phone(db, r, "07911 123456", o); }},
      {"add_address",
       [&](const char* r, char** o) { return patron_customer_add_address(db, r, R"({"city":"Leeds","country":"GB"})", o); }},
      {"remove_address", [&](const char* r, char** o) { return patron_customer_remove_address(db, r, 1, o); }},
      {"ban", [&](const char* r, char** o) { return patron_customer_ban(db, r, "why", "who", o); }},
      {"unban", [&](const char* r, char** o) { return patron_customer_unban(db, r, o); }},
      {"set_online", [&](const char* r, char** o) { return patron_customer_set_online(db, r, 60, o); }},
      {"set_offline", [&](const char* r, char** o) { return patron_customer_set_offline(db, r, o); }},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.what) {
      fails(PATRON_ENOTFOUND, "ref", [&](char** o) { return c.call(nobody, o); });
      fails(PATRON_ENOTFOUND, "ref", [&](char** o) { return c.call("NOBODY-1", o); });
      fails(PATRON_EINVAL, "ref", [&](char** o) { return c.call("no", o); });
    }
  }
  t.unchanged();
}

BOOST_AUTO_TEST_CASE(contact_rules_on_existing_customers) {
  Db t;
  const json only_email = t.create(R"({"email":"solo@example.com"})");
  const std::string id = only_email["id"];
  // Removing the only way to recognise a customer is refused.
  fails(PATRON_EPRECONDITION, "customer",
        [&](char** o) { return patron_customer_remove_email(t.db, id.c_str(), "solo@example.com", o); });
  fails(PATRON_ENOTFOUND, "email",
        [&](char** o) { return patron_customer_remove_email(t.db, id.c_str(), "other@example.com", o); });
  fails(PATRON_ENOTFOUND, "email",
        [&](char** o) { return patron_customer_set_primary_email(t.db, id.c_str(), "other@example.com", o); });
  fails(PATRON_ENOTFOUND, "phone",
        [&](char** o) { return patron_customer_remove_phone(t.db, id.c_str(), "07911 123456", o); });
  fails(PATRON_ENOTFOUND, "address_id",
        [&](char** o) { return patron_customer_remove_address(t.db, id.c_str(), 424242, o); });
  fails(PATRON_EINVAL, "label",
        [&](char** o) { return patron_customer_add_phone(t.db, id.c_str(), "07911 123456", "fax", o); });
  fails(PATRON_EINVAL, "phone",
        [&](char** o) { return patron_customer_add_phone(t.db, id.c_str(), "", nullptr, o); });
  ok([&](char** o) { return patron_customer_add_phone(t.db, id.c_str(), "07911 123456", nullptr, o); });
  fails(PATRON_EEXIST, "phone",
        [&](char** o) { return patron_customer_add_phone(t.db, id.c_str(), "+44 7911 123456", "work", o); });
  // Update: clearing what makes the customer recognisable.
  const json named = t.create(R"({"first_name":"Bo","last_name":"Li"})");
  const std::string named_id = named["id"];
  fails(PATRON_EPRECONDITION, "customer",
        [&](char** o) { return patron_customer_update(t.db, named_id.c_str(), R"({"last_name":""})", o); });
  fails(PATRON_EINVAL, "nickname",
        [&](char** o) { return patron_customer_update(t.db, named_id.c_str(), R"({"nickname":"B"})", o); });
  fails(PATRON_EINVAL, "email",
        [&](char** o) { return patron_customer_update(t.db, named_id.c_str(), R"({"email":"b@example.com"})", o); });
  fails(PATRON_EINVAL, "first_name",
        [&](char** o) { return patron_customer_update(t.db, named_id.c_str(), R"({"first_name":5})", o); });
  fails(PATRON_EINVAL, "json",
        [&](char** o) { return patron_customer_update(t.db, named_id.c_str(), R"(["title"])", o); });
  fails(PATRON_EINVAL, "address.id", [&](char** o) {
    return patron_customer_add_address(t.db, named_id.c_str(), R"({"id":3,"city":"Leeds","country":"GB"})", o);
  });
  fails(PATRON_EINVAL, "address.purpose", [&](char** o) {
    return patron_customer_add_address(t.db, named_id.c_str(), R"({"purpose":"home","city":"Leeds","country":"GB"})", o);
  });
  fails(PATRON_EINVAL, "json",
        [&](char** o) { return patron_customer_add_address(t.db, named_id.c_str(), "{city:1}", o); });
  BOOST_TEST(t.get(named_id) == named);
  // Lookups validate their input.
  fails(PATRON_EINVAL, "email", [&](char** o) { return patron_customer_find_by_email(t.db, "nope", o); });
  fails(PATRON_EINVAL, "phone", [&](char** o) { return patron_customer_find_by_phone(t.db, "x", o); });
  fails(PATRON_EINVAL, "limit", [&](char** o) { return patron_customer_search(t.db, "bo", 0, 0, o); });
  fails(PATRON_EINVAL, "limit", [&](char** o) { return patron_customer_search(t.db, "bo", 1001, 0, o); });
}

BOOST_AUTO_TEST_CASE(status_and_presence_rules) {
  WithAna t;
  fails(PATRON_EPRECONDITION, "status", [&](char** o) { return patron_customer_unban(t.db, t.ref(), o); });
  fails(PATRON_EINVAL, "reason", [&](char** o) { return patron_customer_ban(t.db, t.ref(), "  ", "staff", o); });
  fails(PATRON_EINVAL, "by", [&](char** o) { return patron_customer_ban(t.db, t.ref(), "why", "", o); });
  t.unchanged();
  const json banned = ok([&](char** o) { return patron_customer_ban(t.db, t.ref(), "why", "staff", o); });
  fails(PATRON_EPRECONDITION, "status",
        [&](char** o) { return patron_customer_ban(t.db, t.ref(), "again", "staff", o); });
  BOOST_TEST(t.get(t.id) == banned);
  for (long long ttl : {0LL, -5LL, 7LL * 24 * 3600 + 1}) {
    fails(PATRON_EINVAL, "ttl", [&](char** o) { return patron_customer_set_online(t.db, t.ref(), ttl, o); });
  }
  BOOST_TEST(ok([&](char** o) { return patron_customer_set_online(t.db, t.ref(), 7LL * 24 * 3600, o); })["presence"] ==
             "online");
}

BOOST_AUTO_TEST_SUITE_END()
