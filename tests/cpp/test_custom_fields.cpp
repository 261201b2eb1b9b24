// Custom fields: definitions (keys, options, defaults, visibility), values
// of every type valid and refused with their field, defaults and required
// fields on create (not for customers a pushed order creates), definition
// changes refused with the count of offending customers, find by value,
// visibility by role, and the edit history of values.
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <cmath>
#include <limits>

#include "fixture.hpp"

using namespace patron;
using namespace std::chrono_literals;
using patron::testing::DbFixture;
using patron::testing::expect_error;

namespace {

using Values = std::map<std::string, CustomValue>;
using Choices = std::vector<std::string>;

constexpr Date kDay{std::chrono::year{2026}, std::chrono::month{3}, std::chrono::day{14}};

struct Fields : DbFixture {
  CustomFields& fields() { return db.custom_fields(); }
  Customer ana = customers().create({.first_name = "Ana", .last_name = "Silva", .email = "ana@example.com"});
  Customer bob = customers().create({.first_name = "Bob", .last_name = "Jones", .email = "bob@example.com"});

  FieldDefinition define(std::string key, FieldType type, Choices options = {}) {
    return fields().define({.key = std::move(key), .label = "A field", .type = type, .options = std::move(options)});
  }
  // One field of each type.
  void define_all() {
    define("note", FieldType::text);
    define("score", FieldType::number);
    define("since", FieldType::date);
    define("tier", FieldType::select, {"bronze", "silver", "gold"});
    define("diet", FieldType::multi_select, {"vegan", "halal", "nut_free"});
    define("vip", FieldType::checkbox);
    define("site", FieldType::url);
    define("scan", FieldType::file);
  }
  Values set(const Customer& c, std::string_view key, const CustomValue& v) { return fields().set(c.number, key, v); }
  void refused(const Customer& c, std::string_view key, const CustomValue& v) {
    expect_error([&] { set(c, key, v); }, Errc::invalid_argument, "custom_fields." + std::string(key));
  }
  std::vector<std::string> numbers(const std::vector<Customer>& found) {
    std::vector<std::string> out;
    for (const auto& c : found) out.push_back(c.number);
    return out;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(definitions, Fields)

BOOST_AUTO_TEST_CASE(defined_got_listed_and_updated) {
  const auto tier = fields().define({.key = "tier",
                                     .label = " Tier ",
                                     .type = FieldType::select,
                                     .default_value = CustomValue(std::string("silver")),
                                     .options = {"bronze", " silver ", "gold"},
                                     .visible_to = {"manager"}});
  BOOST_TEST(tier.label == "Tier");
  BOOST_TEST((tier.options == Choices{"bronze", "silver", "gold"}));
  BOOST_TEST(tier.created_at == clock.now());
  BOOST_TEST((fields().get("tier") == tier));
  define("allergies", FieldType::multi_select, {"nuts", "gluten"});
  const auto all = fields().list();
  BOOST_TEST_REQUIRE(all.size() == 2u);
  BOOST_TEST(all[0].key == "allergies");
  BOOST_TEST(all[1].key == "tier");

  clock.advance(1min);
  const auto renamed = fields().update("tier", {.label = "Level", .visible_to = Choices{}});
  BOOST_TEST(renamed.label == "Level");
  BOOST_TEST(renamed.visible_to.empty());
  BOOST_TEST(renamed.updated_at == clock.now());
  BOOST_TEST(renamed.created_at == tier.created_at);
  BOOST_TEST((renamed.default_value == tier.default_value));
  const auto cleared = fields().update("tier", {.default_value = std::optional<CustomValue>{}});
  BOOST_TEST(!cleared.default_value.has_value());
  BOOST_TEST((fields().get("tier") == cleared));
  const auto multi = fields().update("allergies", {.default_value = CustomValue(Choices{"gluten", "nuts"})});
  BOOST_TEST((multi.default_value == CustomValue(Choices{"nuts", "gluten"})));  // the options' order
  BOOST_TEST((fields().get("allergies").default_value == multi.default_value));
}

BOOST_AUTO_TEST_CASE(bad_definitions_name_their_field) {
  auto bad = [&](NewFieldDefinition d, const std::string& field) {
    expect_error([&] { fields().define(d); }, Errc::invalid_argument, field);
  };
  bad({.key = "", .label = "L"}, "key");
  bad({.key = "9lives", .label = "L"}, "key");
  bad({.key = "Upper", .label = "L"}, "key");
  bad({.key = "has-dash", .label = "L"}, "key");
  bad({.key = std::string(65, 'k'), .label = "L"}, "key");
  bad({.key = "ok", .label = " "}, "label");
  bad({.key = "ok", .label = std::string(201, 'l')}, "label");
  bad({.key = "ok", .label = "L", .type = FieldType::select}, "options");
  bad({.key = "ok", .label = "L", .type = FieldType::text, .options = {"a"}}, "options");
  bad({.key = "ok", .label = "L", .type = FieldType::select, .options = Choices(201, "x")}, "options");
  bad({.key = "ok", .label = "L", .type = FieldType::select, .options = {"a", ""}}, "options[1]");
  bad({.key = "ok", .label = "L", .type = FieldType::select, .options = {"a", "b", "a"}}, "options[2]");
  bad({.key = "ok", .label = "L", .type = FieldType::select, .options = {std::string(201, 'o')}}, "options[0]");
  bad({.key = "ok", .label = "L", .visible_to = {"staff", ""}}, "visible_to[1]");
  bad({.key = "ok", .label = "L", .visible_to = {std::string(65, 'r')}}, "visible_to[0]");
  bad({.key = "ok", .label = "L", .type = FieldType::number, .default_value = CustomValue(std::string("1"))},
      "default");
  bad({.key = "ok",
       .label = "L",
       .type = FieldType::select,
       .default_value = CustomValue(std::string("z")),
       .options = {"a"}},
      "default");
  bad({.key = "ok", .label = "L", .type = FieldType::file, .default_value = CustomValue(std::int64_t{1})}, "default");
  BOOST_TEST(fields().list().empty());

  fields().define({.key = std::string(64, 'k'), .label = "L"});
  define("taken", FieldType::text);
  expect_error([&] { define("taken", FieldType::number); }, Errc::already_exists, "key");
  expect_error([&] { fields().get("missing"); }, Errc::not_found, "key");
  expect_error([&] { fields().update("missing", {.label = "x"}); }, Errc::not_found, "key");
  expect_error([&] { fields().remove("missing"); }, Errc::not_found, "key");
  expect_error([&] { parse_field_type("colour"); }, Errc::invalid_argument, "type");
  BOOST_TEST((parse_field_type("multi_select") == FieldType::multi_select));
  BOOST_TEST(to_string(FieldType::url) == "url");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(values, Fields)

BOOST_AUTO_TEST_CASE(each_type_takes_its_values) {
  define_all();
  set(ana, "note", std::string("Likes the window table\nand jazz"));
  set(ana, "score", 4.5);
  set(ana, "since", kDay);
  set(ana, "tier", std::string("gold"));
  set(ana, "diet", Choices{"nut_free", "vegan"});
  set(ana, "vip", true);
  set(ana, "site", std::string("https://ana.example.com/about?x=1"));
  const Document doc = db.documents().attach({.customer_ref = ana.number, .name = "id.pdf"}, "%PDF");
  const auto all = set(ana, "scan", doc.id);
  const Values expected{{"note", std::string("Likes the window table\nand jazz")},
                        {"score", 4.5},
                        {"since", kDay},
                        {"tier", std::string("gold")},
                        {"diet", Choices{"vegan", "nut_free"}},  // the options' order
                        {"vip", true},
                        {"site", std::string("https://ana.example.com/about?x=1")},
                        {"scan", doc.id}};
  BOOST_TEST((all == expected));
  BOOST_TEST((fields().values(ana.id.str()) == expected));
  BOOST_TEST(fields().values(bob.number).empty());
  // Replacing a value.
  set(ana, "diet", Choices{"halal"});
  set(ana, "vip", false);
  BOOST_TEST((fields().values(ana.number).at("diet") == CustomValue(Choices{"halal"})));
  BOOST_TEST((fields().values(ana.number).at("vip") == CustomValue(false)));
  // Edge values.
  set(ana, "note", std::string(10000, 'n'));
  set(ana, "site", std::string("HTTP://user@host:8080"));
  set(ana, "site", std::string("http://[::1]/x"));
  set(ana, "score", -0.25);
}

BOOST_AUTO_TEST_CASE(bad_values_are_refused_naming_the_field) {
  define_all();
  // The wrong alternative, for each type.
  refused(ana, "note", 1.0);
  refused(ana, "score", std::string("4"));
  refused(ana, "since", std::string("2026-03-14"));
  refused(ana, "tier", Choices{"gold"});
  refused(ana, "diet", std::string("vegan"));
  refused(ana, "vip", std::int64_t{1});
  refused(ana, "site", true);
  refused(ana, "scan", 3.0);
  // Contents.
  refused(ana, "note", std::string(10001, 'n'));
  refused(ana, "note", std::string("\xff\xfe"));
  refused(ana, "score", std::numeric_limits<double>::infinity());
  refused(ana, "score", std::nan(""));
  refused(ana, "since", Date{std::chrono::year{2026}, std::chrono::month{2}, std::chrono::day{30}});
  refused(ana, "tier", std::string("platinum"));
  refused(ana, "tier", std::string("Gold"));
  refused(ana, "diet", Choices{});
  refused(ana, "diet", Choices{"vegan", "vegan"});
  refused(ana, "diet", Choices{"vegan", "paleo"});
  for (const char* url : {"ftp://example.com", "https://", "https:///path", "example.com", "https://exa mple.com",
                          "mailto:ana@example.com", "https://user@/x", ""}) {
    refused(ana, "site", std::string(url));
  }
  refused(ana, "scan", std::int64_t{0});
  refused(ana, "scan", std::int64_t{999});
  const Document bobs = db.documents().attach({.customer_ref = bob.number, .name = "bob.pdf"}, "x");
  refused(ana, "scan", bobs.id);  // a document of another customer
  BOOST_TEST(fields().values(ana.number).empty());

  expect_error([&] { set(ana, "nope", true); }, Errc::not_found, "key");
  expect_error([&] { fields().set("NOBODY-1", "vip", true); }, Errc::not_found, "ref");
  expect_error([&] { fields().values("NOBODY-1"); }, Errc::not_found, "ref");
}

BOOST_AUTO_TEST_CASE(clear_removes_a_value_but_not_a_required_one) {
  define("note", FieldType::text);
  fields().define({.key = "member_type",
                   .label = "Member type",
                   .type = FieldType::select,
                   .required = true,
                   .default_value = CustomValue(std::string("guest")),
                   .options = {"guest", "member"}});
  set(ana, "note", std::string("hi"));
  set(ana, "member_type", std::string("member"));
  BOOST_TEST(fields().clear(ana.number, "note").count("note") == 0u);
  BOOST_TEST(fields().clear(ana.number, "note").size() == 1u);  // clearing nothing is fine
  expect_error([&] { fields().clear(ana.number, "member_type"); }, Errc::failed_precondition, "required");
  BOOST_TEST((fields().values(ana.number).at("member_type") == CustomValue(std::string("member"))));
}

BOOST_AUTO_TEST_CASE(values_by_role) {
  define("note", FieldType::text);
  fields().define({.key = "margin", .label = "Margin", .type = FieldType::number, .visible_to = {"manager", "owner"}});
  set(ana, "note", std::string("hello"));
  set(ana, "margin", 0.3);
  BOOST_TEST(fields().values(ana.number).size() == 2u);
  BOOST_TEST(fields().values(ana.number, "manager").size() == 2u);
  BOOST_TEST(fields().values(ana.number, "owner").size() == 2u);
  const auto waiter = fields().values(ana.number, "waiter");
  BOOST_TEST_REQUIRE(waiter.size() == 1u);
  BOOST_TEST(waiter.count("note") == 1u);
  BOOST_TEST(fields().values(ana.number, "Manager").size() == 1u);  // roles match exactly
}

BOOST_AUTO_TEST_CASE(value_changes_are_in_the_edit_history_and_timeline) {
  define("diet", FieldType::multi_select, {"vegan", "halal"});
  define("since", FieldType::date);
  set(ana, "diet", Choices{"halal", "vegan"});
  clock.advance(1s);
  set(ana, "diet", Choices{"halal"});
  set(ana, "diet", Choices{"halal"});  // unchanged: nothing recorded
  set(ana, "since", kDay);
  fields().clear(ana.number, "diet");
  const auto diet = db.activity().history(ana.number, "custom.diet");
  BOOST_TEST_REQUIRE(diet.size() == 3u);
  BOOST_TEST(diet[0].old_value == R"(["halal"])");
  BOOST_TEST(diet[0].new_value == "null");
  BOOST_TEST(diet[1].old_value == R"(["vegan","halal"])");
  BOOST_TEST(diet[1].new_value == R"(["halal"])");
  BOOST_TEST(diet[2].old_value == "null");
  BOOST_TEST(diet[2].new_value == R"(["vegan","halal"])");
  const auto since = db.activity().history(ana.number, "custom.since");
  BOOST_TEST_REQUIRE(since.size() == 1u);
  BOOST_TEST(since[0].new_value == R"("2026-03-14")");
  const auto events = db.activity().timeline(ana.number, {.text = "custom_field"}).events;
  BOOST_TEST_REQUIRE(events.size() == 4u);
  BOOST_TEST(events[0].action == "custom_field.cleared");
  BOOST_TEST(events[1].action == "custom_field.set");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(on_create, Fields)

BOOST_AUTO_TEST_CASE(defaults_are_filled_and_given_values_checked) {
  fields().define({.key = "tier",
                   .label = "Tier",
                   .type = FieldType::select,
                   .default_value = CustomValue(std::string("bronze")),
                   .options = {"bronze", "gold"}});
  fields().define(
      {.key = "newsletter", .label = "Newsletter", .type = FieldType::checkbox, .default_value = CustomValue(true)});
  define("note", FieldType::text);
  const auto cara = customers().create({.first_name = "Cara",
                                        .last_name = "Lee",
                                        .custom_fields = {{"tier", std::string("gold")}, {"note", std::string("x")}}});
  BOOST_TEST((fields().values(cara.number) ==
              Values{{"tier", std::string("gold")}, {"newsletter", true}, {"note", std::string("x")}}));
  const auto dan = customers().create({.first_name = "Dan", .last_name = "Ray"});
  BOOST_TEST((fields().values(dan.number) == Values{{"tier", std::string("bronze")}, {"newsletter", true}}));
  BOOST_TEST(db.activity().history(dan.number, "custom.tier").size() == 1u);

  expect_error(
      [&] {
        customers().create({.first_name = "E", .last_name = "F", .custom_fields = {{"tier", 1.0}}});
      },
      Errc::invalid_argument, "custom_fields.tier");
  expect_error(
      [&] {
        customers().create({.first_name = "E", .last_name = "F", .custom_fields = {{"nope", true}}});
      },
      Errc::invalid_argument, "custom_fields.nope");
  expect_error(
      [&] {
        customers().create({.first_name = "E", .last_name = "F", .custom_fields = {{"tier", std::string("x")}}});
      },
      Errc::invalid_argument, "custom_fields.tier");
  BOOST_TEST(customers().search("E F").empty());
}

BOOST_AUTO_TEST_CASE(required_fields_are_demanded_on_create_only) {
  fields().define({.key = "diet",
                   .label = "Diet",
                   .type = FieldType::multi_select,
                   .required = true,
                   .options = {"vegan", "none"}});
  expect_error([&] { customers().create({.first_name = "Cara", .last_name = "Lee"}); }, Errc::invalid_argument,
               "custom_fields.diet", "required");
  const auto cara =
      customers().create({.first_name = "Cara", .last_name = "Lee", .custom_fields = {{"diet", Choices{"none"}}}});
  BOOST_TEST((fields().values(cara.number).at("diet") == CustomValue(Choices{"none"})));

  // create_many: all or none, the refusal names its index.
  std::vector<NewCustomer> batch{
      {.first_name = "Dan", .last_name = "Ray", .custom_fields = {{"diet", Choices{"vegan"}}}},
      {.first_name = "Eve", .last_name = "Moss"}};
  expect_error([&] { customers().create_many(batch); }, Errc::invalid_argument, "[1].custom_fields.diet");
  BOOST_TEST(customers().search("dan").empty());
  batch[1].custom_fields = {{"diet", Choices{"vegan", "vegan"}}};
  expect_error([&] { customers().create_many(batch); }, Errc::invalid_argument, "[1].custom_fields.diet");
  batch[1].custom_fields = {{"diet", Choices{"none"}}};
  BOOST_TEST(customers().create_many(batch).size() == 2u);

  // A pushed order's new customer is not refused for the missing value.
  NewOrder o;
  o.customer = CustomerRef{.details = CustomerDetails{.first_name = "Nova", .last_name = "Guest"}};
  o.source = "pos";
  o.external_ref = "R-1";
  o.currency = "GBP";
  o.total = 1200;
  const auto pushed = db.orders().record(o);
  BOOST_TEST(to_string(pushed.customer_match) == "created");
  BOOST_TEST(fields().values(pushed.record.customer.str()).empty());
}

BOOST_AUTO_TEST_CASE(a_pushed_orders_new_customer_gets_the_defaults) {
  fields().define({.key = "tier",
                   .label = "Tier",
                   .type = FieldType::select,
                   .required = true,
                   .default_value = CustomValue(std::string("bronze")),
                   .options = {"bronze", "gold"}});
  NewOrder o;
  o.customer = CustomerRef{.details = CustomerDetails{.email = "walk.in@example.org"}};
  o.source = "pos";
  o.external_ref = "R-2";
  o.currency = "GBP";
  o.total = 500;
  const auto pushed = db.orders().record(o);
  BOOST_TEST((fields().values(pushed.record.customer.str()) == Values{{"tier", std::string("bronze")}}));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(definition_changes, Fields)

BOOST_AUTO_TEST_CASE(a_type_change_existing_values_break_is_refused_with_the_count) {
  define("code", FieldType::text);
  set(ana, "code", std::string("https://a.example"));
  set(bob, "code", std::string("not a url"));
  expect_error([&] { fields().update("code", {.type = FieldType::url}); }, Errc::failed_precondition, "type",
               "1 customer ");
  expect_error([&] { fields().update("code", {.type = FieldType::number}); }, Errc::failed_precondition, "type",
               "2 customers");
  fields().clear(bob.number, "code");
  BOOST_TEST((fields().update("code", {.type = FieldType::url}).type == FieldType::url));
  BOOST_TEST((fields().values(ana.number).at("code") == CustomValue(std::string("https://a.example"))));
  // A select turned into text keeps its values (and drops its options).
  define("tier", FieldType::select, {"a", "b"});
  set(ana, "tier", std::string("b"));
  const auto text = fields().update("tier", {.type = FieldType::text});
  BOOST_TEST(text.options.empty());
  BOOST_TEST((fields().values(ana.number).at("tier") == CustomValue(std::string("b"))));
  // A type with no values yet changes freely.
  define("empty", FieldType::text);
  BOOST_TEST((fields().update("empty", {.type = FieldType::checkbox}).type == FieldType::checkbox));
}

BOOST_AUTO_TEST_CASE(removing_an_option_in_use_is_refused_with_the_count) {
  define("diet", FieldType::multi_select, {"vegan", "halal", "kosher"});
  set(ana, "diet", Choices{"vegan", "halal"});
  set(bob, "diet", Choices{"halal"});
  expect_error(
      [&] {
        fields().update("diet", {.options = Choices{"vegan", "kosher"}});
      },
      Errc::failed_precondition, "options", "2 customers");
  expect_error(
      [&] {
        fields().update("diet", {.options = Choices{"halal", "kosher"}});
      },
      Errc::failed_precondition, "options", "1 customer ");
  // Removing an unused option and reordering are fine; values follow the new order.
  const auto d = fields().update("diet", {.options = Choices{"halal", "vegan"}});
  BOOST_TEST((d.options == Choices{"halal", "vegan"}));
  BOOST_TEST((fields().values(ana.number).at("diet") == CustomValue(Choices{"halal", "vegan"})));
  expect_error([&] { fields().update("diet", {.options = Choices{}}); }, Errc::invalid_argument, "options");
}

BOOST_AUTO_TEST_CASE(required_without_default_is_refused_while_customers_lack_a_value) {
  define("badge", FieldType::text);
  set(ana, "badge", std::string("A1"));
  expect_error([&] { fields().update("badge", {.required = true}); }, Errc::failed_precondition, "required",
               "1 customer ");
  // With a default it is fine, and the default may not be removed while bob lacks a value.
  fields().update("badge", {.required = true, .default_value = CustomValue(std::string("none"))});
  expect_error([&] { fields().update("badge", {.default_value = std::optional<CustomValue>{}}); },
               Errc::failed_precondition, "required", "1 customer ");
  set(bob, "badge", std::string("B2"));
  BOOST_TEST(!fields().update("badge", {.default_value = std::optional<CustomValue>{}}).default_value.has_value());
  // Other changes to a required field are not refused.
  BOOST_TEST(fields().update("badge", {.label = "Badge"}).label == "Badge");
  // A new required field is not refused for the customers that exist.
  BOOST_TEST(fields().define({.key = "pin", .label = "PIN", .required = true}).required);
}

BOOST_AUTO_TEST_CASE(removing_a_definition_removes_its_values) {
  define("note", FieldType::text);
  define("vip", FieldType::checkbox);
  set(ana, "note", std::string("x"));
  set(ana, "vip", true);
  set(bob, "note", std::string("y"));
  fields().remove("note");
  BOOST_TEST((fields().values(ana.number) == Values{{"vip", true}}));
  BOOST_TEST(fields().values(bob.number).empty());
  define("note", FieldType::number);  // the key is free again, with no old values
  BOOST_TEST(fields().find("note", 1.0).empty());
  const auto events = db.activity().feed();
  BOOST_TEST(std::any_of(events.begin(), events.end(),
                         [](const Event& e) { return e.action == "custom_field.removed" && !e.customer.has_value(); }));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(find, Fields)

BOOST_AUTO_TEST_CASE(finds_customers_by_value_of_each_type) {
  define_all();
  const auto cara = customers().create({.first_name = "Cara", .last_name = "Lee"});
  const Document doc = db.documents().attach({.customer_ref = bob.number, .name = "b.pdf"}, "x");
  for (const auto* c : {&ana, &bob}) {
    set(*c, "note", std::string("hello"));
    set(*c, "score", 3.0);
    set(*c, "since", kDay);
    set(*c, "tier", std::string("gold"));
    set(*c, "vip", true);
    set(*c, "site", std::string("https://x.example"));
  }
  set(cara, "note", std::string("Hello"));
  set(cara, "score", 3.5);
  set(cara, "vip", false);
  set(bob, "scan", doc.id);
  set(ana, "diet", Choices{"vegan", "halal"});
  set(bob, "diet", Choices{"halal"});
  set(cara, "diet", Choices{"vegan", "nut_free", "halal"});
  const std::vector<std::string> both{ana.number, bob.number};
  BOOST_TEST(numbers(fields().find("note", std::string("hello"))) == both);
  BOOST_TEST(numbers(fields().find("note", std::string("Hello"))) == std::vector<std::string>{cara.number});
  BOOST_TEST(numbers(fields().find("score", 3.0)) == both);
  BOOST_TEST(numbers(fields().find("since", kDay)) == both);
  BOOST_TEST(numbers(fields().find("tier", std::string("gold"))) == both);
  BOOST_TEST(numbers(fields().find("vip", true)) == both);
  BOOST_TEST(numbers(fields().find("vip", false)) == std::vector<std::string>{cara.number});
  BOOST_TEST(numbers(fields().find("site", std::string("https://x.example"))) == both);
  BOOST_TEST(numbers(fields().find("scan", doc.id)) == std::vector<std::string>{bob.number});
  BOOST_TEST(numbers(fields().find("diet", Choices{"halal"})) ==
             (std::vector<std::string>{ana.number, bob.number, cara.number}));
  BOOST_TEST(numbers(fields().find("diet", Choices{"halal", "vegan"})) ==
             (std::vector<std::string>{ana.number, cara.number}));
  BOOST_TEST(numbers(fields().find("diet", Choices{"nut_free", "vegan"})) == std::vector<std::string>{cara.number});
  BOOST_TEST(numbers(fields().find("score", 3.0, {.limit = 1, .offset = 1})) == std::vector<std::string>{bob.number});
  BOOST_TEST(fields().find("score", 7.0).empty());

  expect_error([&] { fields().find("tier", std::string("platinum")); }, Errc::invalid_argument, "custom_fields.tier");
  expect_error([&] { fields().find("score", std::string("3")); }, Errc::invalid_argument, "custom_fields.score");
  expect_error([&] { fields().find("missing", true); }, Errc::not_found, "key");
  expect_error([&] { fields().find("vip", true, {.limit = 0}); }, Errc::invalid_argument, "limit");
}

BOOST_AUTO_TEST_SUITE_END()
