// Companies through the C ABI: JSON in, JSON out.
#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "capi_internal.hpp"
#include "patron/companies.hpp"
#include "patron/json.hpp"

namespace {

using patron::capi::Args;
using patron::capi::guard;
using patron::capi::json_call;
namespace json = patron::json;

// The core names the arguments of a companies call as the C++ API does:
// "company" for the company's id, "customer" for the customer reference.
// Through the C ABI they are the arguments `id` and `ref`, and errfield
// names those.
template <class Body>
decltype(auto) c_names(Body&& body) {
  return patron::capi::c_names({{"company", "id"}, {"customer", "ref"}}, std::forward<Body>(body));
}

std::string encode(const std::optional<patron::Company>& company) {
  return company ? json::encode(*company) : std::string("null");
}

}  // namespace

extern "C" {

int patron_company_create(patron_db* db, const char* json, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& companies = a.db(db).companies();
    return json::encode(companies.create(json::decode_new_company(a.text(json, "json"))));
  });
}

int patron_company_get(patron_db* db, int64_t id, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& companies = a.db(db).companies();
    return c_names([&] { return json::encode(companies.get(id)); });
  });
}

int patron_company_update(patron_db* db, int64_t id, const char* json_patch, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& companies = a.db(db).companies();
    const patron::CompanyUpdate changes = json::decode_company_update(a.text(json_patch, "json_patch"));
    return c_names([&] { return json::encode(companies.update(id, changes)); });
  });
}

int patron_company_search(patron_db* db, const char* text, size_t limit, size_t offset, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& companies = a.db(db).companies();
    return json::encode(companies.search(a.text(text, "text"), patron::Page{limit, offset}));
  });
}

int patron_company_find_by_domain(patron_db* db, const char* domain, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& companies = a.db(db).companies();
    return encode(companies.find_by_domain(a.text(domain, "domain")));
  });
}

int patron_company_add_domain(patron_db* db, int64_t id, const char* domain, int64_t* out_linked) {
  const Args args(__func__);
  return guard([&]() -> int {
    args.need(out_linked, "out_linked");
    *out_linked = 0;
    auto& companies = args.db(db).companies();
    const std::string_view d = args.text(domain, "domain");
    *out_linked = c_names([&] { return companies.add_domain(id, d); });
    return PATRON_OK;
  });
}

int patron_company_remove_domain(patron_db* db, int64_t id, const char* domain, int64_t* out_removed) {
  const Args args(__func__);
  return guard([&]() -> int {
    args.need(out_removed, "out_removed");
    *out_removed = 0;
    auto& companies = args.db(db).companies();
    const std::string_view d = args.text(domain, "domain");
    *out_removed = c_names([&] { return companies.remove_domain(id, d); });
    return PATRON_OK;
  });
}

int patron_company_link(patron_db* db, int64_t id, const char* ref, const char* role, int billing,
                        char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& companies = a.db(db).companies();
    const std::string_view r = a.text(ref, "ref");
    const std::string_view how = role == nullptr ? std::string_view{} : std::string_view(role);
    return c_names([&] { return json::encode(companies.link(id, r, how, billing != 0)); });
  });
}

int patron_company_unlink(patron_db* db, int64_t id, const char* ref) {
  const Args args(__func__);
  return guard([&]() -> int {
    auto& companies = args.db(db).companies();
    const std::string_view r = args.text(ref, "ref");
    c_names([&] { companies.unlink(id, r); });
    return PATRON_OK;
  });
}

int patron_company_customers(patron_db* db, int64_t id, size_t limit, size_t offset, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& companies = a.db(db).companies();
    return c_names([&] { return json::encode(companies.customers_of(id, patron::Page{limit, offset})); });
  });
}

int patron_customer_companies(patron_db* db, const char* ref, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& companies = a.db(db).companies();
    const std::string_view r = a.text(ref, "ref");
    return c_names([&] { return json::encode(companies.companies_of(r)); });
  });
}

int patron_registrable_domain(patron_db* db, const char* domain, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& companies = a.db(db).companies();
    return nlohmann::json(companies.registrable_domain(a.text(domain, "domain"))).dump();
  });
}

}  // extern "C"
