// Purses through the C ABI on a file database: the exact JSON of entries
// and accounts, idempotent replays and conflicting reuse of a key, credit
// limits and the refusals of charges and refunds beyond what is there, and
// every refusal with its code and field.
#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "capi_fixture.hpp"

using namespace capi_test;
using namespace capi_test::ticks;

namespace {

// A database holding Ana ("ANA-01") and Bo ("BO-01"), and no purse yet.
struct Purses : AnaAndBo {
  json top_up(const std::string& request) {
    return ok([&](char** o) { return patron_purse_top_up(db, request.c_str(), o); });
  }
  json charge(const std::string& request) {
    return ok([&](char** o) { return patron_purse_charge(db, request.c_str(), o); });
  }
  json refund(std::int64_t charge, std::int64_t amount, const char* key, const char* reference = nullptr) {
    return ok([&](char** o) { return patron_purse_refund(db, charge, amount, key, reference, o); });
  }
  json account(const char* ref, const char* currency) {
    return ok([&](char** o) { return patron_purse_account(db, ref, currency, o); });
  }
  json accounts(const char* ref) {
    return ok([&](char** o) { return patron_purse_accounts(db, ref, o); });
  }
  json set_credit_limit(const char* ref, const char* currency, std::int64_t limit) {
    return ok([&](char** o) { return patron_purse_set_credit_limit(db, ref, currency, limit, o); });
  }
  json entry(std::int64_t id) {
    return ok([&](char** o) { return patron_purse_entry(db, id, o); });
  }
  json entries(const char* ref, const char* currency, std::size_t limit = 50, std::size_t offset = 0) {
    return ok([&](char** o) { return patron_purse_entries(db, ref, currency, limit, offset, o); });
  }
};

// A purse request document.
std::string request(const std::string& customer, const std::string& currency, std::int64_t amount,
                    const std::string& key, const std::string& reference = "") {
  return json{{"customer", customer},
              {"currency", currency},
              {"amount", amount},
              {"idempotency_key", key},
              {"reference", reference}}
      .dump();
}

// An entry as patron.h documents it.
json entry_json(std::int64_t id, const std::string& customer, const std::string& kind, std::int64_t amount,
                std::int64_t balance_after, const std::string& key, const std::string& reference = "",
                const std::string& at = kT0Text) {
  return {{"id", id},
          {"customer", customer},
          {"currency", "GBP"},
          {"kind", kind},
          {"amount", amount},
          {"balance_after", balance_after},
          {"refund_of", nullptr},
          {"refunded", 0},
          {"reference", reference},
          {"idempotency_key", key},
          {"actor", ""},
          {"at", at}};
}

json account_json(const std::string& customer, const std::string& currency, std::int64_t balance,
                  std::int64_t credit_limit = 0) {
  return {{"customer", customer},
          {"currency", currency},
          {"balance", balance},
          {"credit_limit", credit_limit},
          {"category_credit_limit", 0},  // no promotion category applies
          {"available", balance + credit_limit}};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(capi_purses)

BOOST_AUTO_TEST_CASE(top_up_charge_refund_on_a_file) {
  Purses t;
  BOOST_TEST(t.account("ANA-01", "GBP") == account_json(t.ana_id, "GBP", 0));
  BOOST_TEST(t.accounts("ANA-01") == json::array());
  BOOST_TEST(t.entries("ANA-01", "GBP") == json::array());

  const json top = t.top_up(request("ana-01", "gbp", 5000, "till-1/1", "R-1"));
  BOOST_TEST(top == entry_json(1, t.ana_id, "top_up", 5000, 5000, "till-1/1", "R-1"), "got " << top.dump());

  t.now += kMinute;
  // null is the same as leaving a key out.
  const json charged = t.charge(R"({"customer":")" + t.ana_id +
                                R"(","currency":"GBP","amount":1200,"idempotency_key":"till-1/2","reference":null})");
  BOOST_TEST(charged == entry_json(2, t.ana_id, "charge", 1200, 3800, "till-1/2", "", kT1Text),
             "got " << charged.dump());

  t.now += kMinute;
  BOOST_TEST_REQUIRE(patron_actor_push("jane", nullptr) == PATRON_OK);
  const json refunded = t.refund(2, 200, "till-1/3", "R-2");
  BOOST_TEST_REQUIRE(patron_actor_pop() == PATRON_OK);
  json expected = entry_json(3, t.ana_id, "refund", 200, 4000, "till-1/3", "R-2", "2026-11-22T05:56:45.123456Z");
  expected["refund_of"] = 2;
  expected["actor"] = "jane";
  BOOST_TEST(refunded == expected, "got " << refunded.dump());

  t.reopen();
  json charge_now = charged;
  charge_now["refunded"] = 200;  // as read
  BOOST_TEST(t.entry(1) == top);
  BOOST_TEST(t.entry(2) == charge_now, "got " << t.entry(2).dump());
  BOOST_TEST(t.entry(3) == refunded);
  BOOST_TEST(t.account("ANA-01", "gbp") == account_json(t.ana_id, "GBP", 4000));
  BOOST_TEST(t.accounts(t.ana_id.c_str()) == json::array({account_json(t.ana_id, "GBP", 4000)}));
  // Newest first, paged.
  BOOST_TEST(t.entries("ANA-01", "GBP") == json::array({refunded, charge_now, top}));
  BOOST_TEST(t.entries("ANA-01", "GBP", 1, 1) == json::array({charge_now}));
  BOOST_TEST(t.entries("ANA-01", "GBP", 10, 3) == json::array());
  // Other accounts are untouched.
  BOOST_TEST(t.entries("ANA-01", "EUR") == json::array());
  BOOST_TEST(t.account("BO-01", "GBP") == account_json(t.bo_id, "GBP", 0));
  BOOST_TEST(t.accounts("BO-01") == json::array());

  // Each write is on the customer's timeline.
  const json page = ok([&](char** o) { return patron_timeline(t.db, "ANA-01", nullptr, nullptr, 10, o); });
  std::vector<std::string> actions;
  for (const auto& e : page["events"]) {
    if (e["category"] == "payments") actions.push_back(e["action"]);
  }
  BOOST_TEST(actions == (std::vector<std::string>{"purse.refunded", "purse.charged", "purse.topped_up"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(accounts_by_currency) {
  Purses t;
  t.top_up(request("ANA-01", "GBP", 100, "a"));
  t.top_up(request("ANA-01", "EUR", 250, "b"));
  t.set_credit_limit("ANA-01", "USD", 1000);  // a credit limit alone makes an account
  BOOST_TEST(t.accounts("ANA-01") == json::array({account_json(t.ana_id, "EUR", 250),
                                                  account_json(t.ana_id, "GBP", 100),
                                                  account_json(t.ana_id, "USD", 0, 1000)}),
             "got " << t.accounts("ANA-01").dump());
}

BOOST_AUTO_TEST_CASE(idempotent_replay_and_conflict) {
  Purses t;
  const json top = t.top_up(request("ANA-01", "GBP", 5000, "k-1", "R-1"));
  t.now += kMinute;
  // The same key and request: the original entry, nothing written.
  BOOST_TEST(t.top_up(request("ANA-01", "GBP", 5000, "k-1", "R-1")) == top);
  BOOST_TEST(t.top_up(request(t.ana_id, "gbp", 5000, "k-1", "R-1")) == top);  // the same request, written otherwise
  BOOST_TEST(t.account("ANA-01", "GBP")["balance"] == 5000);
  BOOST_TEST(t.entries("ANA-01", "GBP").size() == 1U);

  const json charged = t.charge(request("ANA-01", "GBP", 1000, "k-2"));
  BOOST_TEST(t.charge(request("ANA-01", "GBP", 1000, "k-2")) == charged);
  const json refunded = t.refund(charged["id"], 300, "k-3");
  BOOST_TEST(t.refund(charged["id"], 300, "k-3") == refunded);
  BOOST_TEST(t.account("ANA-01", "GBP")["balance"] == 4300);
  BOOST_TEST(t.entries("ANA-01", "GBP").size() == 3U);

  // The same key with a different request.
  const auto conflict = [&](const std::function<int(char**)>& call) {
    fails(PATRON_ECONFLICT, "idempotency_key", call);
  };
  const auto top_up_conflict = [&](const std::string& js) {
    conflict([&](char** o) { return patron_purse_top_up(t.db, js.c_str(), o); });
  };
  top_up_conflict(request("ANA-01", "GBP", 5001, "k-1", "R-1"));
  top_up_conflict(request("ANA-01", "GBP", 5000, "k-1", "R-9"));
  top_up_conflict(request("BO-01", "GBP", 5000, "k-1", "R-1"));
  top_up_conflict(request("ANA-01", "EUR", 5000, "k-1", "R-1"));
  top_up_conflict(request("ANA-01", "GBP", 1000, "k-2"));
  const std::string as_charge = request("ANA-01", "GBP", 5000, "k-1", "R-1");
  conflict([&](char** o) { return patron_purse_charge(t.db, as_charge.c_str(), o); });
  conflict([&](char** o) { return patron_purse_refund(t.db, charged["id"], 301, "k-3", nullptr, o); });
  conflict([&](char** o) { return patron_purse_refund(t.db, charged["id"], 300, "k-2", nullptr, o); });
  BOOST_TEST(t.account("ANA-01", "GBP")["balance"] == 4300);
  BOOST_TEST(t.entries("ANA-01", "GBP").size() == 3U);
  BOOST_TEST(t.accounts("BO-01") == json::array());
}

BOOST_AUTO_TEST_CASE(credit_limits) {
  Purses t;
  t.top_up(request("ANA-01", "GBP", 1000, "t1"));
  // Beyond the balance without credit: refused, nothing written.
  const Failure f = fails(PATRON_EPRECONDITION, "amount", [&](char** o) {
    return patron_purse_charge(t.db, request("ANA-01", "GBP", 1001, "c1").c_str(), o);
  });
  BOOST_TEST(f.message.find("1000") != std::string::npos, f.message);  // the available amount
  BOOST_TEST(t.entries("ANA-01", "GBP").size() == 1U);

  BOOST_TEST(t.set_credit_limit("ANA-01", "gbp", 500) == account_json(t.ana_id, "GBP", 1000, 500));
  const json on_credit = t.charge(request("ANA-01", "GBP", 1500, "c1"));  // the refused key is free to use
  BOOST_TEST(on_credit["balance_after"] == -500);
  BOOST_TEST(t.account("ANA-01", "GBP") == account_json(t.ana_id, "GBP", -500, 500));
  fails(PATRON_EPRECONDITION, "amount", [&](char** o) {
    return patron_purse_charge(t.db, request("ANA-01", "GBP", 1, "c2").c_str(), o);
  });
  // A limit the balance is already below is refused; one it meets is fine.
  fails(PATRON_EPRECONDITION, "credit_limit",
        [&](char** o) { return patron_purse_set_credit_limit(t.db, "ANA-01", "GBP", 499, o); });
  BOOST_TEST(t.set_credit_limit("ANA-01", "GBP", 2000) == account_json(t.ana_id, "GBP", -500, 2000));
  fails(PATRON_EINVAL, "credit_limit",
        [&](char** o) { return patron_purse_set_credit_limit(t.db, "ANA-01", "GBP", -1, o); });
  fails(PATRON_EINVAL, "credit_limit", [&](char** o) {
    return patron_purse_set_credit_limit(t.db, "ANA-01", "GBP", 1000000000000001, o);
  });
  BOOST_TEST(t.account("ANA-01", "GBP") == account_json(t.ana_id, "GBP", -500, 2000));
}

BOOST_AUTO_TEST_CASE(refunds_never_exceed_the_charge) {
  Purses t;
  const json top = t.top_up(request("ANA-01", "GBP", 5000, "t1"));
  const json charged = t.charge(request("ANA-01", "GBP", 1000, "c1"));
  const std::int64_t id = charged["id"];
  t.refund(id, 400, "r1");
  t.refund(id, 500, "r2");
  const Failure f = fails(PATRON_EPRECONDITION, "amount",
                          [&](char** o) { return patron_purse_refund(t.db, id, 101, "r3", nullptr, o); });
  BOOST_TEST(f.message.find("100") != std::string::npos, f.message);
  const json last = t.refund(id, 100, "r3");  // the refused key is free to use
  BOOST_TEST(last["balance_after"] == 5000);
  BOOST_TEST(t.entry(id)["refunded"] == 1000);
  fails(PATRON_EPRECONDITION, "amount",
        [&](char** o) { return patron_purse_refund(t.db, id, 1, "r4", nullptr, o); });
  // Only a charge can be refunded.
  fails(PATRON_ENOTFOUND, "charge",
        [&](char** o) { return patron_purse_refund(t.db, top["id"], 1, "r5", nullptr, o); });
  fails(PATRON_ENOTFOUND, "charge",
        [&](char** o) { return patron_purse_refund(t.db, last["id"], 1, "r5", nullptr, o); });
  fails(PATRON_ENOTFOUND, "charge", [&](char** o) { return patron_purse_refund(t.db, 999, 1, "r5", nullptr, o); });
  BOOST_TEST(t.account("ANA-01", "GBP")["balance"] == 5000);
}

BOOST_AUTO_TEST_CASE(request_refusals_write_nothing) {
  Purses t;
  const auto refused = [&](int code, const char* field, const std::string& js) {
    fails(code, field, [&](char** o) { return patron_purse_top_up(t.db, js.c_str(), o); });
    fails(code, field, [&](char** o) { return patron_purse_charge(t.db, js.c_str(), o); });
  };
  refused(PATRON_EINVAL, "json", "{");
  refused(PATRON_EINVAL, "json", "[]");
  refused(PATRON_EINVAL, "tip",
          R"({"customer":"ANA-01","currency":"GBP","amount":1,"idempotency_key":"k","tip":5})");
  refused(PATRON_ENOTFOUND, "customer", request("NOBODY", "GBP", 100, "k"));
  refused(PATRON_EINVAL, "customer", R"({"currency":"GBP","amount":1,"idempotency_key":"k"})");
  refused(PATRON_EINVAL, "currency", request("ANA-01", "XX", 100, "k"));
  refused(PATRON_EINVAL, "currency", request("ANA-01", "", 100, "k"));
  refused(PATRON_EINVAL, "amount", request("ANA-01", "GBP", 0, "k"));
  refused(PATRON_EINVAL, "amount", request("ANA-01", "GBP", -5, "k"));
  refused(PATRON_EINVAL, "amount", request("ANA-01", "GBP", 1000000000000001, "k"));
  refused(PATRON_EINVAL, "amount", R"({"customer":"ANA-01","currency":"GBP","idempotency_key":"k"})");
  // Money is never floating point.
  refused(PATRON_EINVAL, "amount", R"({"customer":"ANA-01","currency":"GBP","amount":1.5,"idempotency_key":"k"})");
  refused(PATRON_EINVAL, "amount", R"({"customer":"ANA-01","currency":"GBP","amount":"100","idempotency_key":"k"})");
  refused(PATRON_EINVAL, "idempotency_key", request("ANA-01", "GBP", 100, ""));
  refused(PATRON_EINVAL, "idempotency_key", request("ANA-01", "GBP", 100, std::string(201, 'k')));
  refused(PATRON_EINVAL, "idempotency_key", R"({"customer":"ANA-01","currency":"GBP","amount":1,"idempotency_key":7})");
  refused(PATRON_EINVAL, "reference", request("ANA-01", "GBP", 100, "k", std::string(201, 'r')));
  BOOST_TEST(t.accounts("ANA-01") == json::array());

  // The bounds themselves are allowed.
  BOOST_TEST(t.top_up(request("ANA-01", "GBP", 1000000000000000, std::string(200, 'k'), std::string(200, 'r')))
                 ["balance_after"] == 1000000000000000);
  BOOST_TEST(t.charge(request("ANA-01", "GBP", 1, "one"))["amount"] == 1);
}

BOOST_AUTO_TEST_CASE(argument_refusals) {
  Purses t;
  const json charged = [&] {
    t.top_up(request("ANA-01", "GBP", 100, "t1"));
    return t.charge(request("ANA-01", "GBP", 50, "c1"));
  }();
  const std::int64_t id = charged["id"];
  fails(PATRON_EINVAL, "amount", [&](char** o) { return patron_purse_refund(t.db, id, 0, "r", nullptr, o); });
  fails(PATRON_EINVAL, "amount", [&](char** o) { return patron_purse_refund(t.db, id, -1, "r", nullptr, o); });
  fails(PATRON_EINVAL, "idempotency_key", [&](char** o) { return patron_purse_refund(t.db, id, 1, "", nullptr, o); });
  const std::string long_reference(201, 'r');
  fails(PATRON_EINVAL, "reference",
        [&](char** o) { return patron_purse_refund(t.db, id, 1, "r", long_reference.c_str(), o); });

  fails(PATRON_ENOTFOUND, "ref", [&](char** o) { return patron_purse_account(t.db, "NOBODY", "GBP", o); });
  fails(PATRON_EINVAL, "currency", [&](char** o) { return patron_purse_account(t.db, "ANA-01", "pounds", o); });
  fails(PATRON_ENOTFOUND, "ref", [&](char** o) { return patron_purse_accounts(t.db, "NOBODY", o); });
  fails(PATRON_ENOTFOUND, "ref",
        [&](char** o) { return patron_purse_set_credit_limit(t.db, "NOBODY", "GBP", 1, o); });
  fails(PATRON_EINVAL, "currency",
        [&](char** o) { return patron_purse_set_credit_limit(t.db, "ANA-01", "G", 1, o); });
  fails(PATRON_ENOTFOUND, "ref", [&](char** o) { return patron_purse_entries(t.db, "NOBODY", "GBP", 10, 0, o); });
  fails(PATRON_EINVAL, "currency", [&](char** o) { return patron_purse_entries(t.db, "ANA-01", "", 10, 0, o); });
  fails(PATRON_EINVAL, "limit", [&](char** o) { return patron_purse_entries(t.db, "ANA-01", "GBP", 0, 0, o); });
  fails(PATRON_EINVAL, "limit", [&](char** o) { return patron_purse_entries(t.db, "ANA-01", "GBP", 1001, 0, o); });
  fails(PATRON_ENOTFOUND, "id", [&](char** o) { return patron_purse_entry(t.db, 999, o); });

  // NULL handles, arguments and out-parameters.
  const std::string req = request("ANA-01", "GBP", 1, "k");
  fails(PATRON_EMISUSE, "db", [&](char** o) { return patron_purse_top_up(nullptr, req.c_str(), o); });
  fails(PATRON_EMISUSE, "request_json", [&](char** o) { return patron_purse_top_up(t.db, nullptr, o); });
  fails(PATRON_EMISUSE, "request_json", [&](char** o) { return patron_purse_charge(t.db, nullptr, o); });
  fails(PATRON_EMISUSE, "idempotency_key",
        [&](char** o) { return patron_purse_refund(t.db, id, 1, nullptr, nullptr, o); });
  fails(PATRON_EMISUSE, "ref", [&](char** o) { return patron_purse_account(t.db, nullptr, "GBP", o); });
  fails(PATRON_EMISUSE, "currency", [&](char** o) { return patron_purse_account(t.db, "ANA-01", nullptr, o); });
  fails(PATRON_EMISUSE, "ref", [&](char** o) { return patron_purse_accounts(t.db, nullptr, o); });
  fails(PATRON_EMISUSE, "currency",
        [&](char** o) { return patron_purse_set_credit_limit(t.db, "ANA-01", nullptr, 1, o); });
  fails(PATRON_EMISUSE, "db", [&](char** o) { return patron_purse_entry(nullptr, id, o); });
  fails(PATRON_EMISUSE, "ref", [&](char** o) { return patron_purse_entries(t.db, nullptr, "GBP", 10, 0, o); });
  BOOST_TEST(patron_purse_entry(t.db, id, nullptr) == PATRON_EMISUSE);
  BOOST_TEST(patron_errfield() == std::string("out_json"));

  BOOST_TEST(t.account("ANA-01", "GBP") == account_json(t.ana_id, "GBP", 50));
  BOOST_TEST(t.entries("ANA-01", "GBP").size() == 2U);
}

BOOST_AUTO_TEST_SUITE_END()
