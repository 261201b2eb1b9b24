// Every customer operation of the C ABI on a file database: success paths
// with the exact JSON the library returns.
#include <boost/test/unit_test.hpp>

#include <string>

#include "capi_fixture.hpp"

using namespace capi_test;

namespace {

bool is_hex32(const std::string& s) {
  if (s.size() != 32) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(capi_customers)

BOOST_AUTO_TEST_CASE(create_with_names_returns_the_full_record) {
  Db t;
  const json c = t.create(R"({"first_name":"Ana","last_name":"Silva"})");
  BOOST_TEST(is_hex32(c["id"].get<std::string>()));
  const json expected = {
      {"id", c["id"]},
      {"number", "00001"},
      {"title", ""},
      {"first_name", "Ana"},
      {"last_name", "Silva"},
      {"date_of_birth", nullptr},
      {"lifecycle_stage", ""},
      {"tags", json::array()},
      {"emails", json::array()},
      {"phones", json::array()},
      {"addresses", json::array()},
      {"emergency_contact", nullptr},
      {"status", "active"},
      {"ban", nullptr},
      {"presence", "offline"},
      {"online_until", nullptr},
      {"created_at", kT0Text},
      {"updated_at", kT0Text},
      {"first_active_at", nullptr},
      {"last_active_at", nullptr},
  };
  BOOST_TEST(c == expected, "got " << c.dump());
}

BOOST_AUTO_TEST_CASE(create_with_every_field) {
  Db t;
  const json c = t.create(R"({
    "number": "A-1001/x_y.z",
    "title": "Dr",
    "first_name": " José ",
    "last_name": "Müller",
    "email": "  Ana@Bücher.DE ",
    "phone": "07911 123456",
    "phone_label": "work",
    "date_of_birth": "1990-04-01",
    "lifecycle_stage": "lead",
    "tags": ["vip", "regular"],
    "addresses": [
      {"purpose": "billing", "line1": "1 High St", "line2": "Flat 2", "city": "London",
       "region": "Greater London", "postal_code": "N1 1AA", "country": "gb"},
      {"purpose": "shipping", "line1": "2 Low St", "city": "Leeds", "country": "GB", "is_default": true}
    ],
    "emergency_contact": {"name": "Rui", "phone": "+1 650-253-0000"}
  })");
  BOOST_TEST(c["number"] == "A-1001/x_y.z");
  BOOST_TEST(c["title"] == "Dr");
  BOOST_TEST(c["first_name"] == "José");
  BOOST_TEST(c["last_name"] == "Müller");
  BOOST_TEST(c["emails"] == json::parse(R"([{"address":"ana@xn--bcher-kva.de","primary":true}])"));
  BOOST_TEST(c["phones"] ==
             json::parse(R"([{"number":"+447911123456","label":"work","verified":true}])"));
  BOOST_TEST(c["date_of_birth"] == "1990-04-01");
  BOOST_TEST(c["lifecycle_stage"] == "lead");
  BOOST_TEST(c["tags"] == json::parse(R"(["vip","regular"])"));
  BOOST_TEST_REQUIRE(c["addresses"].size() == 2u);
  const json& billing = c["addresses"][0];
  BOOST_TEST(billing["id"].is_number_integer());
  BOOST_TEST(billing["id"].get<long long>() > 0);
  BOOST_TEST(billing["purpose"] == "billing");
  BOOST_TEST(billing["line1"] == "1 High St");
  BOOST_TEST(billing["line2"] == "Flat 2");
  BOOST_TEST(billing["city"] == "London");
  BOOST_TEST(billing["region"] == "Greater London");
  BOOST_TEST(billing["postal_code"] == "N1 1AA");
  BOOST_TEST(billing["country"] == "GB");
  BOOST_TEST(billing["is_default"] == true);  // first of its purpose
  const json& shipping = c["addresses"][1];
  BOOST_TEST(shipping["purpose"] == "shipping");
  BOOST_TEST(shipping["line2"] == "");
  BOOST_TEST(shipping["country"] == "GB");
  BOOST_TEST(shipping["is_default"] == true);
  BOOST_TEST(c["emergency_contact"] == json::parse(R"({"name":"Rui","phone":"+16502530000"})"));
  BOOST_TEST(t.get(c["id"]) == c);
}

BOOST_AUTO_TEST_CASE(create_with_email_only) {
  Db t;
  const json c = t.create(R"({"email":"ana@example.com"})");
  BOOST_TEST(c["first_name"] == "");
  BOOST_TEST(c["last_name"] == "");
  BOOST_TEST(c["emails"] == json::parse(R"([{"address":"ana@example.com","primary":true}])"));
  BOOST_TEST(c["number"] == "00001");
}

BOOST_AUTO_TEST_CASE(create_with_first_name_and_valid_phone) {
  Db t;
  const json gb = t.create(R"({"first_name":"Ana","phone":"07911 123456"})");
  BOOST_TEST(gb["phones"] ==
             json::parse(R"([{"number":"+447911123456","label":"mobile","verified":true}])"));
  const json us = t.create(R"({"first_name":"Sam","phone":"+1 650-253-0000"})");
  BOOST_TEST(us["phones"][0]["number"] == "+16502530000");
  BOOST_TEST(us["number"] == "00002");
}

BOOST_AUTO_TEST_CASE(generated_numbers_are_sequential) {
  Db t;
  BOOST_TEST(t.create(R"({"email":"a@example.com"})")["number"] == "00001");
  BOOST_TEST(t.create(R"({"email":"b@example.com","number":"IMPORT-77"})")["number"] == "IMPORT-77");
  BOOST_TEST(t.create(R"({"email":"c@example.com"})")["number"] == "00002");
}

BOOST_AUTO_TEST_CASE(create_many_all_in_order) {
  Db t;
  const json out = ok([&](char** o) {
    return patron_customer_create_many(
        t.db,
        R"([{"first_name":"Ana","last_name":"Silva"},{"email":"bo@example.com"},{"first_name":"Cy","phone":"07911 123457"}])",
        o);
  });
  BOOST_TEST_REQUIRE(out.is_array());
  BOOST_TEST_REQUIRE(out.size() == 3u);
  BOOST_TEST(out[0]["first_name"] == "Ana");
  BOOST_TEST(out[0]["number"] == "00001");
  BOOST_TEST(out[1]["emails"][0]["address"] == "bo@example.com");
  BOOST_TEST(out[1]["number"] == "00002");
  BOOST_TEST(out[2]["phones"][0]["number"] == "+447911123457");
  BOOST_TEST(out[2]["number"] == "00003");
  for (const auto& c : out) BOOST_TEST(t.get(c["id"]) == c);

  const json none = ok([&](char** o) { return patron_customer_create_many(t.db, "[]", o); });
  BOOST_TEST(none == json::array());
}

BOOST_AUTO_TEST_CASE(get_by_id_any_form_and_by_number_any_case) {
  Db t;
  const json c = t.create(R"({"first_name":"Ana","last_name":"Silva","number":"AbC-123"})");
  const std::string id = c["id"];
  std::string upper = id;
  for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  const std::string hyphenated = id.substr(0, 8) + "-" + id.substr(8, 4) + "-" + id.substr(12, 4) +
                                 "-" + id.substr(16, 4) + "-" + id.substr(20);
  BOOST_TEST(t.get(id) == c);
  BOOST_TEST(t.get(upper) == c);
  BOOST_TEST(t.get(hyphenated) == c);
  BOOST_TEST(t.get("AbC-123") == c);
  BOOST_TEST(t.get("abc-123") == c);
}

BOOST_AUTO_TEST_CASE(find_returns_null_when_absent) {
  Db t;
  const json c = t.create(R"({"email":"ana@example.com","number":"FIND-1"})");
  BOOST_TEST(ok([&](char** o) { return patron_customer_find(t.db, "find-1", o); }) == c);
  BOOST_TEST(ok([&](char** o) { return patron_customer_find(t.db, "NOBODY-9", o); }).is_null());
}

BOOST_AUTO_TEST_CASE(find_by_email_any_case_and_idn_form) {
  Db t;
  const json c = t.create(R"({"email":"ana@bücher.de"})");
  BOOST_TEST(c["emails"][0]["address"] == "ana@xn--bcher-kva.de");
  BOOST_TEST(t.find_by_email("ana@xn--bcher-kva.de") == c);
  BOOST_TEST(t.find_by_email("ANA@BÜCHER.DE") == c);
  BOOST_TEST(t.find_by_email(" Ana@Bücher.de ") == c);
  // Absence is not an error: PATRON_OK and "null".
  Owned out;
  BOOST_TEST(patron_customer_find_by_email(t.db, "nobody@example.com", out.out()) == PATRON_OK);
  BOOST_TEST_REQUIRE(out.get() != nullptr);
  BOOST_TEST(std::string(out.get()) == "null");
}

BOOST_AUTO_TEST_CASE(find_by_phone_any_format_finds_every_holder) {
  Db t;
  const json a = t.create(R"({"first_name":"Ana","phone":"07911 123456"})");
  const json b = t.create(R"({"first_name":"Bo","last_name":"Lind","phone":"+44 7911 123456"})");
  t.create(R"({"first_name":"Cy","phone":"07911 123458"})");
  for (const char* form : {"07911123456", "+447911123456", "+44 (0)7911 123 456", "0044 7911 123456"}) {
    const json found = ok([&](char** o) { return patron_customer_find_by_phone(t.db, form, o); });
    BOOST_TEST_REQUIRE(found.size() == 2u, form << ": " << found.dump());
    BOOST_TEST(((found[0] == a && found[1] == b) || (found[0] == b && found[1] == a)));
  }
  BOOST_TEST(ok([&](char** o) { return patron_customer_find_by_phone(t.db, "07911 123459", o); }) ==
             json::array());
}

BOOST_AUTO_TEST_CASE(search_names_accent_and_case_insensitive_prefix_paged) {
  Db t;
  const json jose = t.create(R"({"first_name":"José","last_name":"Álvarez"})");
  const json muller = t.create(R"({"first_name":"Jürgen","last_name":"Müller"})");
  const json ana = t.create(R"({"first_name":"Ana","last_name":"Silva"})");
  auto search = [&](const char* text, size_t limit, size_t offset) {
    return ok([&](char** o) { return patron_customer_search(t.db, text, limit, offset, o); });
  };
  BOOST_TEST(search("jose", 50, 0) == json::array({jose}));
  BOOST_TEST(search("muller", 50, 0) == json::array({muller}));
  BOOST_TEST(search("MÜLL", 50, 0) == json::array({muller}));
  BOOST_TEST(search("jo alv", 50, 0) == json::array({jose}));
  BOOST_TEST(search("zzz", 50, 0) == json::array());
  // Ordered by last name: Álvarez, Müller (J... prefix matches both first names).
  BOOST_TEST(search("j", 50, 0) == json::array({jose, muller}));
  BOOST_TEST(search("j", 1, 0) == json::array({jose}));
  BOOST_TEST(search("j", 1, 1) == json::array({muller}));
  BOOST_TEST(search("j", 1, 2) == json::array());
  BOOST_TEST(search("silva", 50, 0) == json::array({ana}));
  // Empty text lists everyone, in the same order (Álvarez, Müller, Silva).
  BOOST_TEST(search("", 50, 0) == json::array({jose, muller, ana}));
  BOOST_TEST(search("", 2, 1) == json::array({muller, ana}));
}

BOOST_AUTO_TEST_CASE(update_is_partial_and_null_clears) {
  Db t;
  const json c = t.create(
      R"({"first_name":"Ana","last_name":"Silva","email":"ana@example.com","title":"Ms",)"
      R"("date_of_birth":"1990-04-01","tags":["vip"],"emergency_contact":{"name":"Rui","phone":"07911 123400"}})");
  BOOST_TEST(c["emergency_contact"]["phone"] == "+447911123400");
  const std::string id = c["id"];
  t.now = kT0 + 5'000'000;
  const json u = ok([&](char** o) {
    return patron_customer_update(
        t.db, id.c_str(),
        R"({"last_name":"Costa","lifecycle_stage":"customer","tags":["vip","regular"],"date_of_birth":null})",
        o);
  });
  BOOST_TEST(u["first_name"] == "Ana");  // untouched
  BOOST_TEST(u["title"] == "Ms");        // untouched
  BOOST_TEST(u["last_name"] == "Costa");
  BOOST_TEST(u["lifecycle_stage"] == "customer");
  BOOST_TEST(u["tags"] == json::parse(R"(["vip","regular"])"));
  BOOST_TEST(u["date_of_birth"].is_null());
  BOOST_TEST(u["emergency_contact"] == c["emergency_contact"]);
  BOOST_TEST(u["updated_at"] == "2026-11-22T05:54:50.123456Z");
  BOOST_TEST(u["created_at"] == kT0Text);

  const json v = ok([&](char** o) {
    return patron_customer_update(t.db, id.c_str(),
                                  R"({"emergency_contact":null,"title":"","date_of_birth":"1991-02-03"})", o);
  });
  BOOST_TEST(v["emergency_contact"].is_null());
  BOOST_TEST(v["title"] == "");
  BOOST_TEST(v["date_of_birth"] == "1991-02-03");
  BOOST_TEST(t.get(id) == v);
}

BOOST_AUTO_TEST_CASE(set_number_renames) {
  Db t;
  const json c = t.create(R"({"email":"ana@example.com"})");
  const std::string id = c["id"];
  const json r = ok([&](char** o) { return patron_customer_set_number(t.db, id.c_str(), "VIP-0001", o); });
  BOOST_TEST(r["number"] == "VIP-0001");
  BOOST_TEST(t.get("vip-0001")["id"] == id);
  // The old number no longer resolves.
  fails(PATRON_ENOTFOUND, "ref", [&](char** o) { return patron_customer_get(t.db, "00001", o); });
  // Renaming to a different case of its own number is allowed.
  const json same = ok([&](char** o) { return patron_customer_set_number(t.db, "VIP-0001", "vip-0001", o); });
  BOOST_TEST(same["number"] == "vip-0001");
}

BOOST_AUTO_TEST_CASE(emails_add_remove_and_primary) {
  Db t;
  const json c = t.create(R"({"first_name":"Ana","last_name":"Silva"})");
  const std::string id = c["id"];
  json r = ok([&](char** o) { return patron_customer_add_email(t.db, id.c_str(), "Ana@Example.com", 0, o); });
  BOOST_TEST(r["emails"] == json::parse(R"([{"address":"ana@example.com","primary":true}])"));
  r = ok([&](char** o) { return patron_customer_add_email(t.db, id.c_str(), "work@example.com", 0, o); });
  BOOST_TEST(r["emails"] == json::parse(
                                R"([{"address":"ana@example.com","primary":true},{"address":"work@example.com","primary":false}])"));
  r = ok([&](char** o) { return patron_customer_add_email(t.db, id.c_str(), "new@example.com", 1, o); });
  BOOST_TEST(r["emails"][0] == json::parse(R"({"address":"new@example.com","primary":true})"));
  BOOST_TEST(r["emails"].size() == 3u);
  r = ok([&](char** o) { return patron_customer_set_primary_email(t.db, id.c_str(), "WORK@example.com", o); });
  BOOST_TEST(r["emails"][0] == json::parse(R"({"address":"work@example.com","primary":true})"));
  BOOST_TEST(r["emails"][1]["primary"] == false);
  BOOST_TEST(r["emails"][2]["primary"] == false);
  r = ok([&](char** o) { return patron_customer_remove_email(t.db, id.c_str(), "new@EXAMPLE.com", o); });
  BOOST_TEST(r["emails"].size() == 2u);
  BOOST_TEST(t.find_by_email("new@example.com").is_null());
  BOOST_TEST(t.find_by_email("ana@example.com")["id"] == id);
}

BOOST_AUTO_TEST_CASE(phones_add_with_labels_and_remove) {
  Db t;
  const json c = t.create(R"({"email":"ana@example.com"})");
  const std::string id = c["id"];
  json r = ok([&](char** o) { return patron_customer_add_phone(t.db, id.c_str(), "07911 123456", nullptr, o); });
  BOOST_TEST(r["phones"] ==
             json::parse(R"([{"number":"+447911123456","label":"mobile","verified":true}])"));
  r = ok([&](char** o) { return patron_customer_add_phone(t.db, id.c_str(), "020 7946 0018", "work", o); });
  BOOST_TEST(r["phones"][1] == json::parse(R"({"number":"+442079460018","label":"work","verified":true})"));
  // Unparseable numbers are kept as typed and unverified.
  r = ok([&](char** o) { return patron_customer_add_phone(t.db, id.c_str(), " ext. 1234 ", "other", o); });
  BOOST_TEST(r["phones"][2] == json::parse(R"({"number":"ext. 1234","label":"other","verified":false})"));
  r = ok([&](char** o) { return patron_customer_remove_phone(t.db, id.c_str(), "+44 7911 123456", o); });
  BOOST_TEST(r["phones"].size() == 2u);
  BOOST_TEST(r["phones"][0]["number"] == "+442079460018");
  BOOST_TEST(ok([&](char** o) { return patron_customer_find_by_phone(t.db, "07911 123456", o); }) ==
             json::array());
}

BOOST_AUTO_TEST_CASE(addresses_add_default_and_remove) {
  Db t;
  const json c = t.create(R"({"email":"ana@example.com"})");
  const std::string id = c["id"];
  json r = ok([&](char** o) {
    return patron_customer_add_address(
        t.db, id.c_str(),
        R"({"purpose":"billing","line1":"1 High St","city":"London","postal_code":"N1 1AA","country":"gb"})", o);
  });
  BOOST_TEST_REQUIRE(r["addresses"].size() == 1u);
  const json first = r["addresses"][0];
  BOOST_TEST(first["is_default"] == true);
  BOOST_TEST(first["country"] == "GB");
  BOOST_TEST(first["line2"] == "");
  BOOST_TEST(first["region"] == "");
  r = ok([&](char** o) {
    return patron_customer_add_address(
        t.db, id.c_str(), R"({"purpose":"billing","line1":"9 Rue X","city":"Paris","country":"FR","is_default":true})",
        o);
  });
  BOOST_TEST_REQUIRE(r["addresses"].size() == 2u);
  BOOST_TEST(r["addresses"][0]["is_default"] == false);
  BOOST_TEST(r["addresses"][1]["is_default"] == true);
  BOOST_TEST(r["addresses"][1]["country"] == "FR");
  const std::int64_t second_id = r["addresses"][1]["id"];
  BOOST_TEST(second_id != first["id"].get<std::int64_t>());
  r = ok([&](char** o) { return patron_customer_remove_address(t.db, id.c_str(), second_id, o); });
  BOOST_TEST_REQUIRE(r["addresses"].size() == 1u);
  BOOST_TEST(r["addresses"][0]["id"] == first["id"]);
  BOOST_TEST(r["addresses"][0]["is_default"] == true);  // the default passes back
}

BOOST_AUTO_TEST_CASE(ban_and_unban) {
  Db t;
  const json c = t.create(R"({"email":"ana@example.com"})");
  const std::string id = c["id"];
  t.now = kT0 + 60'000'000;
  json r = ok([&](char** o) { return patron_customer_ban(t.db, id.c_str(), "chargeback fraud", "staff:42", o); });
  BOOST_TEST(r["status"] == "banned");
  BOOST_TEST(r["ban"] == json::parse(
                             R"({"reason":"chargeback fraud","by":"staff:42","at":"2026-11-22T05:55:45.123456Z"})"));
  BOOST_TEST(t.get(id) == r);
  r = ok([&](char** o) { return patron_customer_unban(t.db, id.c_str(), o); });
  BOOST_TEST(r["status"] == "active");
  BOOST_TEST(r["ban"].is_null());
  BOOST_TEST(t.get(id) == r);
}

BOOST_AUTO_TEST_CASE(presence_online_with_expiry_and_offline) {
  Db t;
  const json c = t.create(R"({"email":"ana@example.com"})");
  const std::string id = c["id"];
  json r = ok([&](char** o) { return patron_customer_set_online(t.db, id.c_str(), 600, o); });
  BOOST_TEST(r["presence"] == "online");
  BOOST_TEST(r["online_until"] == "2026-11-22T06:04:45.123456Z");
  BOOST_TEST(r["first_active_at"] == kT0Text);
  BOOST_TEST(r["last_active_at"] == kT0Text);

  t.now = kT0 + 601'000'000;  // past the expiry: read as offline
  r = t.get(id);
  BOOST_TEST(r["presence"] == "offline");

  r = ok([&](char** o) { return patron_customer_set_online(t.db, id.c_str(), 60, o); });
  BOOST_TEST(r["presence"] == "online");
  BOOST_TEST(r["first_active_at"] == kT0Text);
  BOOST_TEST(r["last_active_at"] == "2026-11-22T06:04:46.123456Z");
  r = ok([&](char** o) { return patron_customer_set_offline(t.db, id.c_str(), o); });
  BOOST_TEST(r["presence"] == "offline");
  BOOST_TEST(r["online_until"].is_null());
}

BOOST_AUTO_TEST_SUITE_END()
