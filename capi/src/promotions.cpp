// Promotion categories through the C ABI: definitions and quotes as JSON,
// assignments as plain calls.
#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "capi_internal.hpp"
#include "patron/json.hpp"
#include "patron/promotions.hpp"

namespace {

using patron::capi::Args;
using patron::capi::c_names;
using patron::capi::guard;
using patron::capi::json_call;
namespace json = patron::json;

}  // namespace

extern "C" {

int patron_category_create(patron_db* db, const char* json, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& promotions = a.db(db).promotions();
    return json::encode(promotions.create_category(json::decode_promotion_category(a.text(json, "json"))));
  });
}

int patron_category_update(patron_db* db, const char* json, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& promotions = a.db(db).promotions();
    const patron::PromotionCategory category = json::decode_promotion_category(a.text(json, "json"));
    // The category to change is the document's "id".
    return c_names({{"category", "id"}}, [&] { return json::encode(promotions.update_category(category)); });
  });
}

int patron_category_remove(patron_db* db, const char* category) {
  const Args args(__func__);
  return guard([&]() -> int {
    auto& promotions = args.db(db).promotions();
    const std::string_view c = args.text(category, "category");
    // Lookups name the category "category", the C argument.
    c_names({{"id", "category"}}, [&] { promotions.remove_category(c); });
    return PATRON_OK;
  });
}

int patron_category_get(patron_db* db, const char* category, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& promotions = a.db(db).promotions();
    const std::string_view c = a.text(category, "category");
    return c_names({{"id", "category"}}, [&] { return json::encode(promotions.category(c)); });
  });
}

int patron_category_list(patron_db* db, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) { return json::encode(a.db(db).promotions().categories()); });
}

int patron_category_assign(patron_db* db, const char* category, const char* ref) {
  const Args args(__func__);
  return guard([&]() -> int {
    auto& promotions = args.db(db).promotions();
    const std::string_view c = args.text(category, "category");
    promotions.assign(c, args.text(ref, "ref"));
    return PATRON_OK;
  });
}

int patron_category_unassign(patron_db* db, const char* category, const char* ref) {
  const Args args(__func__);
  return guard([&]() -> int {
    auto& promotions = args.db(db).promotions();
    const std::string_view c = args.text(category, "category");
    promotions.unassign(c, args.text(ref, "ref"));
    return PATRON_OK;
  });
}

int patron_category_assign_company(patron_db* db, const char* category, int64_t company) {
  const Args args(__func__);
  return guard([&]() -> int {
    auto& promotions = args.db(db).promotions();
    promotions.assign_to_company(args.text(category, "category"), company);
    return PATRON_OK;
  });
}

int patron_category_unassign_company(patron_db* db, const char* category, int64_t company) {
  const Args args(__func__);
  return guard([&]() -> int {
    auto& promotions = args.db(db).promotions();
    promotions.unassign_from_company(args.text(category, "category"), company);
    return PATRON_OK;
  });
}

int patron_category_of_customer(patron_db* db, const char* ref, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& promotions = a.db(db).promotions();
    return json::encode(promotions.categories_of(a.text(ref, "ref")));
  });
}

int patron_category_customers(patron_db* db, const char* category, size_t limit, size_t offset, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& promotions = a.db(db).promotions();
    nlohmann::json ids = nlohmann::json::array();
    for (const auto& id : promotions.customers_in(a.text(category, "category"), patron::Page{limit, offset})) {
      ids.push_back(id.str());
    }
    return ids.dump();
  });
}

int patron_category_companies(patron_db* db, const char* category, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& promotions = a.db(db).promotions();
    return nlohmann::json(promotions.companies_in(a.text(category, "category"))).dump();
  });
}

int patron_promotion_quote(patron_db* db, const char* ref, int64_t amount, const char* currency, const char* program,
                           char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& promotions = a.db(db).promotions();
    const std::string_view r = a.text(ref, "ref");
    const std::string_view c = a.text(currency, "currency");
    std::optional<std::string_view> p;
    if (program != nullptr) p = program;
    return json::encode(promotions.quote(r, amount, c, p));
  });
}

}  // extern "C"
