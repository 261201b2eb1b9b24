// Custom fields through the C ABI on a file database: the exact JSON of
// definitions and values of every type (each read for its field's type),
// custom fields on new customers, definition changes, finding customers by
// value, visibility by role, and every refusal with its code and field.
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <string>

#include "capi_fixture.hpp"

using namespace capi_test;
using namespace capi_test::ticks;

namespace {

struct Fields : AnaAndBo {
  json define(const std::string& js) {
    return ok([&](char** o) { return patron_field_define(db, js.c_str(), o); });
  }
  json update(const char* key, const std::string& js) {
    return ok([&](char** o) { return patron_field_update(db, key, js.c_str(), o); });
  }
  json values(const std::string& ref, const char* role = nullptr) {
    return ok([&](char** o) { return patron_field_values(db, ref.c_str(), role, o); });
  }
  json set(const std::string& ref, const char* key, const std::string& value) {
    return ok([&](char** o) { return patron_field_set(db, ref.c_str(), key, value.c_str(), o); });
  }
  // The exact text of set()'s answer.
  std::string set_text(const std::string& ref, const char* key, const std::string& value) {
    Owned out;
    const int rc = patron_field_set(db, ref.c_str(), key, value.c_str(), out.out());
    BOOST_TEST_REQUIRE(rc == PATRON_OK, describe_failure(rc));
    return out.get();
  }
  json find(const char* key, const std::string& value) {
    json numbers = json::array();
    for (const auto& c : ok([&](char** o) { return patron_field_find(db, key, value.c_str(), 50, 0, o); })) {
      numbers.push_back(c["number"]);
    }
    return numbers;
  }
};

json definition(const std::string& key, const std::string& label, const std::string& type, bool required = false,
                const json& default_value = nullptr, const json& options = json::array(),
                const json& visible_to = json::array(), const std::string& created = kT0Text,
                const std::string& updated = kT0Text) {
  return {{"key", key},         {"label", label},         {"type", type},
          {"required", required}, {"default", default_value}, {"options", options},
          {"visible_to", visible_to}, {"created_at", created}, {"updated_at", updated}};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(capi_custom_fields)

BOOST_AUTO_TEST_CASE(definitions_on_a_file) {
  Fields t;
  BOOST_TEST(ok([&](char** o) { return patron_field_list(t.db, o); }) == json::array());
  const json vip = t.define(R"({"key":"vip_level","label":"VIP level","type":"select","required":true,)"
                            R"("default":"silver","options":["silver","gold"],"visible_to":["manager"]})");
  BOOST_TEST(vip == definition("vip_level", "VIP level", "select", true, "silver", json::array({"silver", "gold"}),
                               json::array({"manager"})),
             "got " << vip.dump());
  const json notes = t.define(R"({"key":"notes","label":"Notes"})");  // "type" defaults to text
  BOOST_TEST(notes == definition("notes", "Notes", "text"), "got " << notes.dump());
  const json since = t.define(R"({"key":"since","label":"Member since","type":"date","default":"2024-05-01",)"
                              R"("options":null,"visible_to":null})");
  BOOST_TEST(since == definition("since", "Member since", "date", false, "2024-05-01"), "got " << since.dump());
  const json score = t.define(R"({"key":"score","label":"Score","type":"number","default":3})");
  BOOST_TEST(score["default"] == 3.0);

  t.reopen();
  BOOST_TEST(ok([&](char** o) { return patron_field_get(t.db, "vip_level", o); }) == vip);
  json keys = json::array();
  for (const auto& d : ok([&](char** o) { return patron_field_list(t.db, o); })) keys.push_back(d["key"]);
  BOOST_TEST(keys == json::array({"notes", "score", "since", "vip_level"}));

  t.now += kMinute;
  const json relabelled = t.update("vip_level", R"({"label":"VIP tier","options":["silver","gold","platinum"],)"
                                                R"("visible_to":null,"default":"gold"})");
  BOOST_TEST(relabelled == definition("vip_level", "VIP tier", "select", true, "gold",
                                      json::array({"silver", "gold", "platinum"}), json::array(), kT0Text, kT1Text),
             "got " << relabelled.dump());
  // "default": null clears; read for the new type when the type changes.
  BOOST_TEST(t.update("since", R"({"default":null})")["default"].is_null());
  BOOST_TEST(t.update("notes", R"({"type":"date","default":"2025-01-02"})")["default"] == "2025-01-02");
  BOOST_TEST(t.update("notes", R"({})")["label"] == "Notes");

  BOOST_TEST(patron_field_remove(t.db, "notes") == PATRON_OK);
  fails(PATRON_ENOTFOUND, "key", [&](char** o) { return patron_field_get(t.db, "notes", o); });
}

BOOST_AUTO_TEST_CASE(values_of_every_type) {
  Fields t;
  t.define(R"({"key":"a_text","label":"Text"})");
  t.define(R"({"key":"b_number","label":"Number","type":"number"})");
  t.define(R"({"key":"c_date","label":"Date","type":"date"})");
  t.define(R"({"key":"d_select","label":"Select","type":"select","options":["x","y"]})");
  t.define(R"({"key":"e_multi","label":"Multi","type":"multi_select","options":["red","green","blue"]})");
  t.define(R"({"key":"f_check","label":"Check","type":"checkbox"})");
  t.define(R"({"key":"g_url","label":"URL","type":"url"})");
  t.define(R"({"key":"h_file","label":"File","type":"file"})");
  const json doc = ok([&](char** o) {
    return patron_document_attach(t.db, R"({"customer":"ANA-01","name":"id.png","kind":"image"})", "png", 3, o);
  });

  BOOST_TEST(t.values("ANA-01") == json::object());
  // The same JSON is text for a text field and a date for a date field.
  BOOST_TEST(t.set_text("ANA-01", "a_text", R"("2024-05-01")") == R"({"a_text":"2024-05-01"})");
  BOOST_TEST(t.set_text("ANA-01", "c_date", R"("2024-05-01")") == R"({"a_text":"2024-05-01","c_date":"2024-05-01"})");
  // 3 is a number for a number field, and reads back as one.
  BOOST_TEST(t.set_text("ANA-01", "b_number", "3") ==
             R"({"a_text":"2024-05-01","b_number":3.0,"c_date":"2024-05-01"})");
  t.set("ANA-01", "b_number", "2.5");
  t.set("ANA-01", "d_select", R"("y")");
  t.set("ANA-01", "e_multi", R"(["blue","red"])");
  t.set("ANA-01", "f_check", "true");
  t.set("ANA-01", "g_url", R"("https://example.com/ana")");
  const json all = t.set("ANA-01", "h_file", std::to_string(doc["id"].get<std::int64_t>()));
  BOOST_TEST(all == json({{"a_text", "2024-05-01"},
                          {"b_number", 2.5},
                          {"c_date", "2024-05-01"},
                          {"d_select", "y"},
                          {"e_multi", {"red", "blue"}},  // in the order of the options
                          {"f_check", true},
                          {"g_url", "https://example.com/ana"},
                          {"h_file", doc["id"]}}),
             "got " << all.dump());

  t.reopen();
  BOOST_TEST(t.values(t.ana_id) == all);
  BOOST_TEST(t.values("BO-01") == json::object());
  json cleared = ok([&](char** o) { return patron_field_clear(t.db, "ANA-01", "a_text", o); });
  BOOST_TEST(!cleared.contains("a_text"));
  BOOST_TEST(cleared.size() == 7U);

  // The edit history and the timeline know.
  const json history = ok([&](char** o) { return patron_history(t.db, "ANA-01", "custom.d_select", 50, 0, o); });
  BOOST_TEST_REQUIRE(history.size() == 1U, "got " << history.dump());
  BOOST_TEST(history[0]["old"].is_null());
  BOOST_TEST(history[0]["new"] == "y");
}

BOOST_AUTO_TEST_CASE(custom_fields_of_new_customers_and_find) {
  Fields t;
  t.define(R"({"key":"tier","label":"Tier","type":"select","required":true,"default":"silver","options":["silver","gold"]})");
  t.define(R"({"key":"since","label":"Since","type":"date"})");
  t.define(R"({"key":"visits","label":"Visits","type":"number"})");
  t.define(R"({"key":"secret","label":"Secret","visible_to":["manager"]})");

  const json cy = t.create(R"({"first_name":"Cy","last_name":"Cole","number":"CY-01",)"
                           R"("custom_fields":{"since":"2024-05-01","visits":4,"tier":"gold","secret":"s"}})");
  BOOST_TEST(t.values("CY-01") == json({{"secret", "s"}, {"since", "2024-05-01"}, {"tier", "gold"}, {"visits", 4.0}}));
  // A required field with a default is filled in.
  t.create(R"({"first_name":"Di","last_name":"Dunn","number":"DI-01","custom_fields":{}})");
  BOOST_TEST(t.values("DI-01") == json({{"tier", "silver"}}));
  const json many = ok([&](char** o) {
    return patron_customer_create_many(
        t.db, R"([{"first_name":"Ed","last_name":"Eng","number":"ED-01"},)"
              R"({"first_name":"Flo","last_name":"Fox","number":"FLO-01","custom_fields":{"since":"2023-01-31","tier":"gold"}}])",
        o);
  });
  BOOST_TEST(many.size() == 2U);
  BOOST_TEST(t.values("FLO-01") == json({{"since", "2023-01-31"}, {"tier", "gold"}}));

  // Visibility by role.
  BOOST_TEST(t.values("CY-01", "manager").contains("secret"));
  BOOST_TEST(!t.values("CY-01", "waiter").contains("secret"));
  BOOST_TEST(t.values("CY-01", "waiter").contains("tier"));

  BOOST_TEST(t.find("tier", R"("gold")") == json::array({"CY-01", "FLO-01"}));
  BOOST_TEST(t.find("since", R"("2024-05-01")") == json::array({"CY-01"}));
  BOOST_TEST(t.find("visits", "4") == json::array({"CY-01"}));
  BOOST_TEST(t.find("visits", "5") == json::array());

  // Values existing customers hold keep a definition from changing under them.
  const Failure f = fails(PATRON_EPRECONDITION, "options", [&](char** o) {
    return patron_field_update(t.db, "tier", R"({"options":["silver"]})", o);
  });
  BOOST_TEST(f.message.find('2') != std::string::npos, f.message);  // CY-01 and FLO-01
  fails(PATRON_EPRECONDITION, "type", [&](char** o) {
    return patron_field_update(t.db, "since", R"({"type":"checkbox"})", o);
  });
  fails(PATRON_EPRECONDITION, "required", [&](char** o) {
    return patron_field_clear(t.db, "CY-01", "tier", o);
  });
}

BOOST_AUTO_TEST_CASE(refusals) {
  Fields t;
  const auto define_refused = [&](int code, const char* field, const std::string& js) {
    fails(code, field, [&](char** o) { return patron_field_define(t.db, js.c_str(), o); });
  };
  define_refused(PATRON_EINVAL, "json", "[");
  define_refused(PATRON_EINVAL, "colour", R"({"key":"a","label":"A","colour":"red"})");
  define_refused(PATRON_EINVAL, "key", R"({"key":"1abc","label":"A"})");
  define_refused(PATRON_EINVAL, "key", R"({"key":"Abc","label":"A"})");
  define_refused(PATRON_EINVAL, "label", R"({"key":"a","label":""})");
  define_refused(PATRON_EINVAL, "type", R"({"key":"a","label":"A","type":"colour"})");
  define_refused(PATRON_EINVAL, "required", R"({"key":"a","label":"A","required":"yes"})");
  define_refused(PATRON_EINVAL, "default", R"({"key":"a","label":"A","type":"number","default":"3"})");
  define_refused(PATRON_EINVAL, "default", R"({"key":"a","label":"A","type":"date","default":"May 1st"})");
  define_refused(PATRON_EINVAL, "default", R"({"key":"a","label":"A","type":"file","default":3.0})");
  define_refused(PATRON_EINVAL, "default", R"({"key":"a","label":"A","type":"checkbox","default":{}})");
  define_refused(PATRON_EINVAL, "options", R"({"key":"a","label":"A","type":"select","options":[]})");
  define_refused(PATRON_EINVAL, "options[1]", R"({"key":"a","label":"A","type":"select","options":["x",1]})");
  define_refused(PATRON_EINVAL, "visible_to[0]", R"({"key":"a","label":"A","visible_to":[""]})");
  t.define(R"({"key":"tier","label":"Tier","type":"select","options":["silver","gold"]})");
  define_refused(PATRON_EEXIST, "key", R"({"key":"tier","label":"Again"})");

  fails(PATRON_ENOTFOUND, "key", [&](char** o) { return patron_field_get(t.db, "nope", o); });
  fails(PATRON_ENOTFOUND, "key", [&](char** o) { return patron_field_update(t.db, "nope", "{}", o); });
  fails(PATRON_EINVAL, "colour", [&](char** o) { return patron_field_update(t.db, "tier", R"({"colour":1})", o); });
  fails(PATRON_EINVAL, "key", [&](char** o) { return patron_field_update(t.db, "tier", R"({"key":"t2"})", o); });
  fails(PATRON_EINVAL, "default", [&](char** o) { return patron_field_update(t.db, "tier", R"({"default":7})", o); });
  BOOST_TEST(patron_field_remove(t.db, "nope") == PATRON_ENOTFOUND);
  BOOST_TEST(std::string(patron_errfield()) == "key");

  const auto set_refused = [&](int code, const char* field, const char* ref, const char* key, const char* value) {
    fails(code, field, [&](char** o) { return patron_field_set(t.db, ref, key, value, o); });
  };
  set_refused(PATRON_EINVAL, "custom_fields.tier", "ANA-01", "tier", R"("bronze")");
  set_refused(PATRON_EINVAL, "custom_fields.tier", "ANA-01", "tier", "3");
  set_refused(PATRON_EINVAL, "custom_fields.tier", "ANA-01", "tier", "null");
  set_refused(PATRON_ENOTFOUND, "key", "ANA-01", "nope", R"("x")");
  set_refused(PATRON_EINVAL, "json", "ANA-01", "tier", "gold");
  set_refused(PATRON_ENOTFOUND, "ref", "NOBODY-1", "tier", R"("gold")");
  set_refused(PATRON_EMISUSE, "value_json", "ANA-01", "tier", nullptr);
  BOOST_TEST(t.values("ANA-01") == json::object());

  fails(PATRON_EINVAL, "custom_fields.tier", [&](char** o) {
    return patron_customer_create(t.db, R"({"first_name":"Cy","last_name":"Cole","custom_fields":{"tier":"bronze"}})", o);
  });
  fails(PATRON_EINVAL, "custom_fields.nope", [&](char** o) {
    return patron_customer_create(t.db, R"({"first_name":"Cy","last_name":"Cole","custom_fields":{"nope":1}})", o);
  });
  fails(PATRON_EINVAL, "custom_fields", [&](char** o) {
    return patron_customer_create(t.db, R"({"first_name":"Cy","last_name":"Cole","custom_fields":["tier"]})", o);
  });
  fails(PATRON_EINVAL, "[1].custom_fields.tier", [&](char** o) {
    return patron_customer_create_many(t.db, R"([{"first_name":"Cy","last_name":"Cole"},)"
                                             R"({"first_name":"Di","last_name":"Dunn","custom_fields":{"tier":true}}])",
                                       o);
  });
  fails(PATRON_EINVAL, "limit", [&](char** o) { return patron_field_find(t.db, "tier", R"("gold")", 0, 0, o); });
  fails(PATRON_ENOTFOUND, "ref", [&](char** o) { return patron_field_values(t.db, "NOBODY-1", nullptr, o); });
  fails(PATRON_ENOTFOUND, "ref", [&](char** o) { return patron_field_clear(t.db, "NOBODY-1", "tier", o); });
}

BOOST_AUTO_TEST_SUITE_END()
