// Identification tokens through the C ABI: what a till, a door or a booking
// form presents (an id, a customer number, an email, a phone, a card value),
// credential records, kinds, statuses and validity windows, door openings
// and visits by token; consent (grants, double opt-in tokens, withdrawals,
// the suppression list, reachable pages, contact preferences, purposes).
//
// The fixture: Ana ("ANA-01", ana@example.com, 07911 123456) holding a
// smart card "04A1B2C3" (credential 1), a barcode, a phone credential and a
// wallet pass; Bo ("BO-01"); the door "front-gate" Ana may open.
//
// Operations (first byte; arguments separated by '\n'):
//   a token                          patron_identify, _identify_id
//   b token \n at                    patron_identify_credential, _credential_holder
//   c kind \n value                  patron_credential_find
//   d NEW_CREDENTIAL                 patron_credential_issue, _get, _of_customer
//   e REPLACEMENT                    patron_credential_replace (a new card of Bo's)
//   f status \n label \n from \n until   patron_credential_set_status, _set_label, _set_validity (Bo's card)
//   g token \n door \n at            patron_door_open, _door_check (Ana)
//   h token \n place \n at           patron_visit_record_presented, _visit_list (Ana)
//   i ref \n channel \n purpose \n GRANT   patron_consent_grant (then _confirm with its token when
//                                    pending), _withdraw, _can_contact, _state, _history
//   j channel \n address \n purpose \n after   patron_consent_suppress, _is_suppressed,
//                                    _reachable, _confirm (the address as a token)
//   k PREFERENCES \n name \n description   patron_consent_set_preferences (Ana), _preferences,
//                                    _define_purpose, _purposes
//   l name \n REQUEST \n id          patron_privacy_erase of a new customer of that first name,
//                                    _tombstone, _erasures (erasure; the fixture stays)
//   m POLICY \n name                 patron_privacy_set_retention_policy, _retention_policies,
//                                    _preview_retention, _run_retention, _retention_runs,
//                                    _remove_retention_policy (the fixture is new: nothing is old
//                                    enough to go)
#include <cstddef>
#include <cstdint>
#include <string>

#include "harness.hpp"

namespace {

std::int64_t bo_card = 0;
unsigned serial = 0;

void setup(patron_db* db) {
  PATRON_FUZZ_MUST(patron_customer_create, db,
                   R"({"number":"ANA-01","first_name":"Ana","last_name":"Silva","email":"ana@example.com","phone":"07911 123456"})");
  PATRON_FUZZ_MUST(patron_customer_create, db,
                   R"({"number":"BO-01","first_name":"Bo","last_name":"Berg","email":"bo@example.org"})");
  PATRON_FUZZ_MUST(patron_credential_issue, db, R"({"kind":"smart_card","value":"04A1B2C3","customer":"ANA-01"})");
  PATRON_FUZZ_MUST(patron_credential_issue, db,
                   R"({"kind":"barcode","value":"9780201379624","customer":"ANA-01","valid_from":"2026-01-01T00:00:00Z",)"
                   R"("valid_until":"2027-01-01T00:00:00Z","label":"printed"})");
  PATRON_FUZZ_MUST(patron_credential_issue, db, R"({"kind":"phone","value":"07911 123456","customer":"ANA-01"})");
  PATRON_FUZZ_MUST(patron_credential_issue, db,
                   R"({"kind":"wallet_pass","value":"PASS-1","customer":"ANA-01",)"
                   R"("wallet":{"provider":"google","serial":"S-1","pass_type":"access"}})");
  PATRON_FUZZ_MUST(patron_door_create, db, R"({"id":"front-gate","name":"Front gate"})");
  PATRON_FUZZ_MUST(patron_permission_grant, db, R"({"customer":"ANA-01","door":"front-gate"})");
}

fuzz::Db database(setup);

// A fresh card of Bo's for the operations that change a credential.
std::int64_t new_bo_card(patron_db* db) {
  const std::string js = R"({"kind":"key_fob","value":"FOB-)" + std::to_string(++serial) + R"(","customer":"BO-01"})";
  return PATRON_FUZZ_MUST(patron_credential_issue, db, js.c_str()).at("id").get<std::int64_t>();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  patron_db* db = database.get();
  const fuzz::Input in = fuzz::split(data, size, {1, 2, 2, 1, 1, 4, 3, 3, 4, 4, 3, 3, 2});
  const char* a0 = in.arg(0);
  fuzz::json doc;
  switch (in.op) {
    case 0: {
      PATRON_FUZZ_CALL(patron_identify, db, a0);
      char id[PATRON_ID_BUFSIZE] = {};
      const int n = fuzz::check_rc("patron_identify_id", patron_identify_id(db, a0, id));
      if (n > 0 && std::string(id).size() != 32) fuzz::bug("patron_identify_id", "not a customer id");
      break;
    }
    case 1: {
      PATRON_FUZZ_CALL(patron_identify_credential, db, a0, in.opt(1));
      char id[PATRON_ID_BUFSIZE] = {};
      fuzz::check_rc("patron_credential_holder", patron_credential_holder(db, a0, in.opt(1), id));
      break;
    }
    case 2:
      PATRON_FUZZ_CALL(patron_credential_find, db, a0, in.arg(1));
      break;
    case 3:
      if (PATRON_FUZZ_CALL_DOC(doc, patron_credential_issue, db, a0) == PATRON_OK) {
        const auto id = doc.at("id").get<std::int64_t>();
        const std::string value = doc.at("value").get<std::string>();
        const std::string customer = doc.at("customer").get<std::string>();
        PATRON_FUZZ_CALL(patron_credential_get, db, id);
        PATRON_FUZZ_CALL(patron_credential_of_customer, db, customer.c_str());
        PATRON_FUZZ_CALL(patron_identify_credential, db, value.c_str(), nullptr);
        PATRON_FUZZ_CALL(patron_identify, db, value.c_str());
        fuzz::read_back(db, customer.c_str());
      }
      break;
    case 4:
      if (bo_card == 0) bo_card = new_bo_card(db);
      if (PATRON_FUZZ_CALL_DOC(doc, patron_credential_replace, db, bo_card, a0) == PATRON_OK) {
        PATRON_FUZZ_CALL(patron_credential_of_customer, db, "BO-01");
        const std::string value = doc.at("value").get<std::string>();
        PATRON_FUZZ_CALL(patron_identify_credential, db, value.c_str(), nullptr);
        bo_card = 0;
      }
      break;
    case 5: {
      const std::int64_t card = new_bo_card(db);
      PATRON_FUZZ_CALL(patron_credential_set_status, db, card, a0);
      PATRON_FUZZ_CALL(patron_credential_set_label, db, card, in.arg(1));
      PATRON_FUZZ_CALL(patron_credential_set_validity, db, card, in.opt(2), in.opt(3));
      PATRON_FUZZ_CALL(patron_credential_get, db, card);
      fuzz::read_back(db, "BO-01");
      break;
    }
    case 6:
      PATRON_FUZZ_CALL(patron_door_open, db, a0, in.arg(1), in.opt(2));
      PATRON_FUZZ_CALL(patron_door_check, db, "ANA-01", in.arg(1), in.opt(2));
      fuzz::check_rc("patron_door_can_open", patron_door_can_open(db, "ANA-01", in.arg(1), in.opt(2)));
      break;
    case 7:
      PATRON_FUZZ_CALL(patron_visit_record_presented, db, a0, in.arg(1), in.opt(2));
      PATRON_FUZZ_CALL(patron_visit_list, db, "ANA-01", nullptr, nullptr, nullptr, 20, 0);
      break;
    case 8: {
      if (PATRON_FUZZ_CALL_DOC(doc, patron_consent_grant, db, a0, in.arg(1), in.arg(2), in.opt(3)) == PATRON_OK &&
          doc.contains("token")) {
        const std::string token = doc.at("token").get<std::string>();
        PATRON_FUZZ_CALL(patron_consent_confirm, db, token.c_str());
      }
      PATRON_FUZZ_CALL(patron_consent_withdraw, db, a0, in.arg(1), in.arg(2), in.opt(3));
      int allowed = 0;
      fuzz::check_rc("patron_consent_can_contact",
                     patron_consent_can_contact(db, a0, in.arg(1), in.arg(2), &allowed));
      PATRON_FUZZ_CALL(patron_consent_state, db, a0);
      PATRON_FUZZ_CALL(patron_consent_history, db, a0, 20, 0);
      break;
    }
    case 9: {
      fuzz::check_rc("patron_consent_suppress", patron_consent_suppress(db, a0, in.arg(1), in.opt(2)));
      int suppressed = 0;
      fuzz::check_rc("patron_consent_is_suppressed",
                     patron_consent_is_suppressed(db, a0, in.arg(1), in.opt(2), &suppressed));
      PATRON_FUZZ_CALL(patron_consent_reachable, db, a0, in.opt(2) ? in.arg(2) : "service", in.opt(3), 50);
      PATRON_FUZZ_CALL(patron_consent_confirm, db, in.arg(1));
      break;
    }
    case 10:
      PATRON_FUZZ_CALL(patron_consent_set_preferences, db, "ANA-01", a0);
      PATRON_FUZZ_CALL(patron_consent_preferences, db, "ANA-01");
      PATRON_FUZZ_CALL(patron_consent_define_purpose, db, in.arg(1), in.arg(2), 0);
      PATRON_FUZZ_CALL(patron_consent_purposes, db);
      break;
    case 11: {
      // The name goes in as JSON text: bytes that are not UTF-8 are replaced
      // here (the customer document's own fuzzing is fuzz_customers').
      const fuzz::json c{{"number", "T-" + std::to_string(++serial)}, {"first_name", a0}, {"last_name", "Temp"}};
      const std::string text = c.dump(-1, ' ', false, fuzz::json::error_handler_t::replace);
      if (PATRON_FUZZ_CALL_DOC(doc, patron_customer_create, db, text.c_str()) == PATRON_OK) {
        PATRON_FUZZ_CALL(patron_privacy_erase, db, doc.at("number").get<std::string>().c_str(), in.arg(1));
      }
      PATRON_FUZZ_CALL(patron_privacy_tombstone, db, in.arg(2));
      PATRON_FUZZ_CALL(patron_privacy_erasures, db, 10, 0);
      break;
    }
    case 12:
      PATRON_FUZZ_CALL(patron_privacy_set_retention_policy, db, a0);
      PATRON_FUZZ_CALL(patron_privacy_retention_policies, db);
      PATRON_FUZZ_CALL(patron_privacy_preview_retention, db);
      PATRON_FUZZ_CALL(patron_privacy_run_retention, db);
      PATRON_FUZZ_CALL(patron_privacy_retention_runs, db, 1, 0);
      fuzz::check_rc("patron_privacy_remove_retention_policy", patron_privacy_remove_retention_policy(db, in.arg(1)));
      break;
  }
  return 0;
}
