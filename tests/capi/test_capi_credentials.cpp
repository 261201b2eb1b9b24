// Credentials through the C ABI on a file database: the exact JSON of
// credentials and checks, status moves, replacement, validity windows under
// the injected clock, identification by credential, and every refusal with
// its code and field.
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <string>

#include "capi_fixture.hpp"

using namespace capi_test;
using namespace capi_test::ticks;

namespace {

constexpr const char* kH2mText = "2026-11-22T07:54:45.123455Z";  // a microsecond earlier

// A database holding Ana ("ANA-01") and Bo ("BO-01"), and no credential yet.
struct Cards : AnaAndBo {
  json issue(const std::string& js) {
    return ok([&](char** o) { return patron_credential_issue(db, js.c_str(), o); });
  }
  json credential(std::int64_t id) {
    return ok([&](char** o) { return patron_credential_get(db, id, o); });
  }
  json of_customer(const std::string& ref) {
    return ok([&](char** o) { return patron_credential_of_customer(db, ref.c_str(), o); });
  }
  json find(const char* kind, const std::string& value) {
    return ok([&](char** o) { return patron_credential_find(db, kind, value.c_str(), o); });
  }
  json set_status(std::int64_t id, const char* status) {
    return ok([&](char** o) { return patron_credential_set_status(db, id, status, o); });
  }
  json replace(std::int64_t id, const std::string& js) {
    return ok([&](char** o) { return patron_credential_replace(db, id, js.c_str(), o); });
  }
  json set_validity(std::int64_t id, const char* from, const char* until) {
    return ok([&](char** o) { return patron_credential_set_validity(db, id, from, until, o); });
  }
  json check(const std::string& token, const char* at = nullptr) {
    return ok([&](char** o) { return patron_identify_credential(db, token.c_str(), at, o); });
  }
  json identify(const std::string& token) {
    return ok([&](char** o) { return patron_identify(db, token.c_str(), o); });
  }
};

// A credential as patron.h documents it; wallet, window and links default to null.
json card(std::int64_t id, const std::string& kind, const std::string& value, const std::string& customer,
          const std::string& status = "active", const std::string& label = "", const std::string& created = kT0Text,
          const std::string& updated = kT0Text) {
  return {{"id", id},
          {"kind", kind},
          {"value", value},
          {"customer", customer},
          {"status", status},
          {"valid_from", nullptr},
          {"valid_until", nullptr},
          {"label", label},
          {"wallet", nullptr},
          {"replaces", nullptr},
          {"replaced_by", nullptr},
          {"created_at", created},
          {"updated_at", updated}};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(capi_credentials)

BOOST_AUTO_TEST_CASE(issue_and_read_on_a_file) {
  Cards t;
  BOOST_TEST(t.of_customer("ANA-01") == json::array());
  const json smart = t.issue(R"({"kind":"smart_card","value":"  04A1B2C3 ","customer":"ana-01","label":"front desk"})");
  BOOST_TEST(smart == card(1, "smart_card", "04A1B2C3", t.ana_id, "active", "front desk"), "got " << smart.dump());

  t.now += kMinute;
  // A phone credential is stored in E.164; null is the same as leaving a key out.
  const json phone = t.issue(R"({"kind":"phone","value":"07400 123456","customer":"ANA-01","label":null})");
  BOOST_TEST(phone == card(2, "phone", "+447400123456", t.ana_id, "active", "", kT1Text, kT1Text),
             "got " << phone.dump());

  t.now += kMinute;
  const json pass = t.issue(R"({"kind":"wallet_pass","value":"PASS-1","customer":")" + t.bo_id +
                            R"(","wallet":{"provider":"google","serial":"SER-9","pass_type":"access"},)"
                            R"("valid_from":"2026-11-22T06:54:45.123456Z","valid_until":"2026-11-22T07:54:45.123456Z"})");
  json expected = card(3, "wallet_pass", "PASS-1", t.bo_id, "active", "", "2026-11-22T05:56:45.123456Z",
                       "2026-11-22T05:56:45.123456Z");
  expected["wallet"] = {{"provider", "google"}, {"serial", "SER-9"}, {"pass_type", "access"}};
  expected["valid_from"] = kH1Text;
  expected["valid_until"] = kH2Text;
  BOOST_TEST(pass == expected, "got " << pass.dump());
  // The wallet's provider and pass type have defaults.
  const json apple = t.issue(R"({"kind":"wallet_pass","value":"PASS-2","customer":"BO-01","wallet":{"serial":"S"}})");
  BOOST_TEST(apple["wallet"] == json::parse(R"({"provider":"apple","serial":"S","pass_type":"membership"})"));

  t.reopen();
  BOOST_TEST(t.credential(1) == smart);
  BOOST_TEST(t.credential(3) == pass);
  // Newest first.
  BOOST_TEST(t.of_customer(t.ana_id) == json::array({phone, smart}));
  BOOST_TEST(t.find("smart_card", "04A1B2C3") == json::array({smart}));
  BOOST_TEST(t.find("phone", "+44 7400 123456") == json::array({phone}));  // normalised as on issue
  BOOST_TEST(t.find("barcode", "04A1B2C3") == json::array());
  BOOST_TEST(t.find("smart_card", "04a1b2c3") == json::array());  // case matters
}

BOOST_AUTO_TEST_CASE(issue_refusals_write_nothing) {
  Cards t;
  const auto refused = [&](int code, const char* field, const std::string& js) {
    fails(code, field, [&](char** o) { return patron_credential_issue(t.db, js.c_str(), o); });
  };
  refused(PATRON_EINVAL, "kind", R"({"value":"X1","customer":"ANA-01"})");
  refused(PATRON_EINVAL, "kind", R"({"kind":"card","value":"X1","customer":"ANA-01"})");
  refused(PATRON_EINVAL, "kind", R"({"kind":3,"value":"X1","customer":"ANA-01"})");
  refused(PATRON_EINVAL, "value", R"({"kind":"barcode","value":"   ","customer":"ANA-01"})");
  refused(PATRON_EINVAL, "value", R"({"kind":"barcode","value":"a\u0001b","customer":"ANA-01"})");
  refused(PATRON_EINVAL, "value", R"({"kind":"barcode","value":")" + std::string(257, 'x') + R"(","customer":"ANA-01"})");
  refused(PATRON_EINVAL, "value", R"({"kind":"phone","value":"07700 900123","customer":"ANA-01"})");
  refused(PATRON_ENOTFOUND, "customer", R"({"kind":"barcode","value":"X1","customer":"NOBODY-1"})");
  refused(PATRON_EINVAL, "customer", R"({"kind":"barcode","value":"X1","customer":"!!"})");
  refused(PATRON_EINVAL, "label", R"({"kind":"barcode","value":"X1","customer":"ANA-01","label":")" +
                                      std::string(201, 'x') + R"("})");
  refused(PATRON_EINVAL, "valid_until",
          R"({"kind":"barcode","value":"X1","customer":"ANA-01","valid_from":"2026-11-22T06:54:45.123456Z",)"
          R"("valid_until":"2026-11-22T06:54:45.123456Z"})");
  refused(PATRON_EINVAL, "valid_from", R"({"kind":"barcode","value":"X1","customer":"ANA-01","valid_from":"today"})");
  refused(PATRON_EINVAL, "wallet",
          R"({"kind":"barcode","value":"X1","customer":"ANA-01","wallet":{"serial":"S"}})");
  refused(PATRON_EINVAL, "wallet", R"({"kind":"wallet_pass","value":"X1","customer":"ANA-01"})");
  refused(PATRON_EINVAL, "wallet.serial",
          R"({"kind":"wallet_pass","value":"X1","customer":"ANA-01","wallet":{"serial":""}})");
  refused(PATRON_EINVAL, "wallet.provider",
          R"({"kind":"wallet_pass","value":"X1","customer":"ANA-01","wallet":{"provider":"samsung","serial":"S"}})");
  refused(PATRON_EINVAL, "wallet.pass_type",
          R"({"kind":"wallet_pass","value":"X1","customer":"ANA-01","wallet":{"serial":"S","pass_type":"vip"}})");
  refused(PATRON_EINVAL, "wallet.colour",
          R"({"kind":"wallet_pass","value":"X1","customer":"ANA-01","wallet":{"serial":"S","colour":1}})");
  refused(PATRON_EINVAL, "wallet", R"({"kind":"wallet_pass","value":"X1","customer":"ANA-01","wallet":[]})");
  refused(PATRON_EINVAL, "colour", R"({"kind":"barcode","value":"X1","customer":"ANA-01","colour":1})");
  refused(PATRON_EINVAL, "json", "{");
  refused(PATRON_EINVAL, "json", "[]");
  BOOST_TEST(t.of_customer("ANA-01") == json::array());

  // An active value is unique per kind; another kind may hold it.
  t.issue(R"({"kind":"barcode","value":"X1","customer":"ANA-01"})");
  refused(PATRON_EEXIST, "value", R"({"kind":"barcode","value":"X1","customer":"BO-01"})");
  t.issue(R"({"kind":"qr_code","value":"X1","customer":"BO-01"})");
  BOOST_TEST(t.of_customer("BO-01").size() == 1u);

  fails(PATRON_EMISUSE, "db", [&](char** o) { return patron_credential_issue(nullptr, "{}", o); });
  fails(PATRON_EMISUSE, "json", [&](char** o) { return patron_credential_issue(t.db, nullptr, o); });
  BOOST_TEST(patron_credential_issue(t.db, R"({"kind":"barcode","value":"X2","customer":"ANA-01"})", nullptr) ==
             PATRON_EMISUSE);
  BOOST_TEST(std::string(patron_errfield()) == "out_json");
  fails(PATRON_ENOTFOUND, "id", [&](char** o) { return patron_credential_get(t.db, 99, o); });
  fails(PATRON_ENOTFOUND, "ref", [&](char** o) { return patron_credential_of_customer(t.db, "NOBODY-1", o); });
  fails(PATRON_EMISUSE, "ref", [&](char** o) { return patron_credential_of_customer(t.db, nullptr, o); });
  fails(PATRON_EINVAL, "kind", [&](char** o) { return patron_credential_find(t.db, "card", "X1", o); });
  fails(PATRON_EMISUSE, "value", [&](char** o) { return patron_credential_find(t.db, "barcode", nullptr, o); });
}

BOOST_AUTO_TEST_CASE(status_moves_and_reuse_of_a_value) {
  Cards t;
  t.issue(R"({"kind":"key_fob","value":"FOB-7","customer":"ANA-01"})");
  t.now += kMinute;
  const json blocked = t.set_status(1, "blocked");
  BOOST_TEST(blocked == card(1, "key_fob", "FOB-7", t.ana_id, "blocked", "", kT0Text, kT1Text),
             "got " << blocked.dump());
  BOOST_TEST(t.set_status(1, "blocked") == blocked);  // no change
  BOOST_TEST(t.set_status(1, "lost")["status"] == "lost");
  BOOST_TEST(t.set_status(1, "active")["status"] == "active");  // a found fob works again
  t.set_status(1, "lost");

  // Once no longer active, the value may be issued again; reactivating the
  // old one is then refused.
  const json again = t.issue(R"({"kind":"key_fob","value":"FOB-7","customer":"BO-01"})");
  BOOST_TEST(again["id"] == 2);
  fails(PATRON_EEXIST, "value", [&](char** o) { return patron_credential_set_status(t.db, 1, "active", o); });
  BOOST_TEST(t.credential(1)["status"] == "lost");
  // Both, newest first.
  const json both = t.find("key_fob", "FOB-7");
  BOOST_TEST_REQUIRE(both.size() == 2u);
  BOOST_TEST(both[0]["id"] == 2);
  BOOST_TEST(both[1]["id"] == 1);

  fails(PATRON_EINVAL, "status", [&](char** o) { return patron_credential_set_status(t.db, 1, "replaced", o); });
  fails(PATRON_EINVAL, "status", [&](char** o) { return patron_credential_set_status(t.db, 1, "gone", o); });
  fails(PATRON_EMISUSE, "status", [&](char** o) { return patron_credential_set_status(t.db, 1, nullptr, o); });
  fails(PATRON_ENOTFOUND, "id", [&](char** o) { return patron_credential_set_status(t.db, 99, "lost", o); });

  const json labelled = ok([&](char** o) { return patron_credential_set_label(t.db, 2, "Bo's fob", o); });
  BOOST_TEST(labelled["label"] == "Bo's fob");
  fails(PATRON_EINVAL, "label",
        [&](char** o) { return patron_credential_set_label(t.db, 2, std::string(201, 'x').c_str(), o); });
  fails(PATRON_EMISUSE, "label", [&](char** o) { return patron_credential_set_label(t.db, 2, nullptr, o); });
  fails(PATRON_ENOTFOUND, "id", [&](char** o) { return patron_credential_set_label(t.db, 99, "x", o); });
  BOOST_TEST(t.credential(2) == labelled);
}

BOOST_AUTO_TEST_CASE(replace_links_old_and_new) {
  Cards t;
  t.issue(R"({"kind":"smart_card","value":"OLD-1","customer":"ANA-01","label":"desk",)"
          R"("valid_until":"2026-11-22T07:54:45.123456Z"})");
  t.issue(R"({"kind":"smart_card","value":"TAKEN","customer":"BO-01"})");
  t.now += kMinute;
  const json successor = t.replace(1, R"({"value":"NEW-1"})");
  json expected = card(3, "smart_card", "NEW-1", t.ana_id, "active", "desk", kT1Text, kT1Text);
  expected["valid_from"] = kT1Text;  // valid from now
  expected["valid_until"] = kH2Text;  // the old window's end
  expected["replaces"] = 1;
  BOOST_TEST(successor == expected, "got " << successor.dump());
  const json old = t.credential(1);
  BOOST_TEST(old["status"] == "replaced");
  BOOST_TEST(old["replaced_by"] == 3);
  BOOST_TEST(old["updated_at"] == kT1Text);

  // The old value now names a replaced credential; the new one its holder.
  const json check = t.check("OLD-1");
  BOOST_TEST(check == json({{"verdict", "replaced"}, {"credential", old}, {"customer", nullptr}}),
             "got " << check.dump());
  BOOST_TEST(t.check("NEW-1")["verdict"] == "accepted");

  // A replaced credential is final.
  fails(PATRON_EPRECONDITION, "status", [&](char** o) { return patron_credential_replace(t.db, 1, R"({"value":"N2"})", o); });
  fails(PATRON_EPRECONDITION, "status", [&](char** o) { return patron_credential_set_status(t.db, 1, "active", o); });
  fails(PATRON_EPRECONDITION, "status", [&](char** o) { return patron_credential_set_label(t.db, 1, "x", o); });
  fails(PATRON_EPRECONDITION, "status",
        [&](char** o) { return patron_credential_set_validity(t.db, 1, nullptr, nullptr, o); });

  // The label and end can be given; a value held by another active card is refused.
  const json second = t.replace(3, R"({"value":"NEW-2","label":"","valid_until":null})");
  BOOST_TEST(second["label"] == "");
  BOOST_TEST(second["valid_until"] == kH2Text);
  BOOST_TEST(second["replaces"] == 3);
  fails(PATRON_EEXIST, "value", [&](char** o) { return patron_credential_replace(t.db, 4, R"({"value":"TAKEN"})", o); });
  fails(PATRON_EINVAL, "value", [&](char** o) { return patron_credential_replace(t.db, 4, R"({"value":""})", o); });
  fails(PATRON_EINVAL, "colour",
        [&](char** o) { return patron_credential_replace(t.db, 4, R"({"value":"N3","colour":1})", o); });
  fails(PATRON_EINVAL, "wallet",
        [&](char** o) { return patron_credential_replace(t.db, 4, R"({"value":"N3","wallet":{"serial":"S"}})", o); });
  fails(PATRON_ENOTFOUND, "id", [&](char** o) { return patron_credential_replace(t.db, 99, R"({"value":"N3"})", o); });
  BOOST_TEST(t.credential(4)["status"] == "active");
  BOOST_TEST(t.of_customer("ANA-01").size() == 3u);
}

BOOST_AUTO_TEST_CASE(validity_windows_and_identification) {
  Cards t;
  t.issue(R"({"kind":"barcode","value":"BC-1","customer":"ANA-01"})");
  const json accepted = t.check("BC-1");
  BOOST_TEST(accepted["verdict"] == "accepted");
  BOOST_TEST(accepted["credential"] == t.credential(1));
  BOOST_TEST(accepted["customer"] == t.get("ANA-01"));

  // identify() finds the holder by an active, valid credential and says which.
  BOOST_TEST(t.identify("BC-1") ==
             json::array({{{"matched_on", "credential"}, {"credential", 1}, {"customer", t.get("ANA-01")}}}));
  BOOST_TEST(t.identify("ANA-01")[0]["credential"] == nullptr);
  char id[PATRON_ID_BUFSIZE];
  BOOST_TEST(patron_identify_id(t.db, "BC-1", id) == 1);
  BOOST_TEST(std::string(id) == t.ana_id);

  const json windowed = t.set_validity(1, kH1Text, kH2Text);
  BOOST_TEST(windowed["valid_from"] == kH1Text);
  BOOST_TEST(windowed["valid_until"] == kH2Text);
  BOOST_TEST(t.check("BC-1")["verdict"] == "not_yet_valid");
  BOOST_TEST(t.check("BC-1")["customer"] == nullptr);
  BOOST_TEST(t.identify("BC-1") == json::array());
  BOOST_TEST(t.check("BC-1", kH1Text)["verdict"] == "accepted");  // from is inclusive
  BOOST_TEST(t.check("BC-1", kH2mText)["verdict"] == "accepted");
  BOOST_TEST(t.check("BC-1", kH2Text)["verdict"] == "expired");  // until is exclusive
  t.now += kHour;
  BOOST_TEST(t.identify("BC-1").size() == 1u);
  t.now += kHour;
  BOOST_TEST(t.check("BC-1")["verdict"] == "expired");

  // NULL is unbounded on that side.
  const json open = t.set_validity(1, nullptr, nullptr);
  BOOST_TEST(open["valid_from"] == nullptr);
  BOOST_TEST(open["valid_until"] == nullptr);
  BOOST_TEST(t.check("BC-1")["verdict"] == "accepted");

  t.set_status(1, "blocked");
  BOOST_TEST(t.check("BC-1")["verdict"] == "blocked");
  t.set_status(1, "lost");
  BOOST_TEST(t.check("BC-1")["verdict"] == "lost");
  BOOST_TEST(t.check("BC-1")["credential"]["id"] == 1);
  BOOST_TEST(t.identify("BC-1") == json::array());
  BOOST_TEST(t.check("NO-SUCH-CARD") == json({{"verdict", "unknown"}, {"credential", nullptr}, {"customer", nullptr}}));

  fails(PATRON_EINVAL, "valid_until",
        [&](char** o) { return patron_credential_set_validity(t.db, 1, kH2Text, kH1Text, o); });
  fails(PATRON_EINVAL, "valid_from", [&](char** o) { return patron_credential_set_validity(t.db, 1, "soon", nullptr, o); });
  fails(PATRON_EINVAL, "valid_until", [&](char** o) { return patron_credential_set_validity(t.db, 1, nullptr, "x", o); });
  fails(PATRON_ENOTFOUND, "id", [&](char** o) { return patron_credential_set_validity(t.db, 99, nullptr, nullptr, o); });
  fails(PATRON_EINVAL, "token", [&](char** o) { return patron_identify_credential(t.db, "", nullptr, o); });
  fails(PATRON_EINVAL, "at", [&](char** o) { return patron_identify_credential(t.db, "BC-1", "noon", o); });
  fails(PATRON_EMISUSE, "token", [&](char** o) { return patron_identify_credential(t.db, nullptr, nullptr, o); });
}

BOOST_AUTO_TEST_CASE(credential_holder_hot_path) {
  Cards t;
  char id[PATRON_ID_BUFSIZE] = "untouched";
  BOOST_TEST(patron_credential_holder(t.db, "BC-1", nullptr, id) == 0);
  BOOST_TEST(std::string(id).empty());
  t.issue(R"({"kind":"barcode","value":"BC-1","customer":"ANA-01","valid_until":")" + std::string(kH2Text) + "\"}");
  BOOST_TEST(patron_credential_holder(t.db, " BC-1 ", nullptr, id) == 1);
  BOOST_TEST(std::string(id) == t.ana_id);
  // Only credentials count: a customer number finds nobody here.
  BOOST_TEST(patron_credential_holder(t.db, "ANA-01", nullptr, id) == 0);
  BOOST_TEST(std::string(id).empty());
  // At a given time: expired at the end of its window.
  BOOST_TEST(patron_credential_holder(t.db, "BC-1", kH2mText, id) == 1);
  BOOST_TEST(patron_credential_holder(t.db, "BC-1", kH2Text, id) == 0);
  t.set_status(1, "lost");
  BOOST_TEST(patron_credential_holder(t.db, "BC-1", nullptr, id) == 0);

  BOOST_TEST(patron_credential_holder(t.db, "", nullptr, id) == PATRON_EINVAL);
  BOOST_TEST(std::string(patron_errfield()) == "token");
  BOOST_TEST(patron_credential_holder(t.db, "BC-1", "noon", id) == PATRON_EINVAL);
  BOOST_TEST(std::string(patron_errfield()) == "at");
  BOOST_TEST(patron_credential_holder(nullptr, "BC-1", nullptr, id) == PATRON_EMISUSE);
  BOOST_TEST(std::string(patron_errfield()) == "db");
  BOOST_TEST(patron_credential_holder(t.db, nullptr, nullptr, id) == PATRON_EMISUSE);
  BOOST_TEST(std::string(patron_errfield()) == "token");
  BOOST_TEST(patron_credential_holder(t.db, "BC-1", nullptr, nullptr) == PATRON_EMISUSE);
  BOOST_TEST(std::string(patron_errfield()) == "out_id");
}

BOOST_AUTO_TEST_SUITE_END()
