// Customers through the C ABI: new-customer records and batches, updates,
// addresses, contacts, numbers, search, lookups and history filters, each
// read back (profile, timeline, history) after a write.
//
// Operations (first byte; arguments separated by '\n'):
//   a NEW_CUSTOMER            patron_customer_create
//   b [NEW_CUSTOMER, ...]     patron_customer_create_many
//   c UPDATE                  patron_customer_update (Ana)
//   d ADDRESS                 patron_customer_add_address (Ana)
//   e email \n primary        patron_customer_add_email, _set_primary_email, _remove_email (Ana)
//   f phone \n label          patron_customer_add_phone, _remove_phone (Ana)
//   g number                  patron_customer_set_number (Bo)
//   h text                    patron_customer_search
//   i ref                     patron_customer_get, _find
//   j email-or-phone          patron_customer_find_by_email, _find_by_phone
//   k FILTER                  patron_customer_history (Ana)
//   l reason \n by            patron_customer_ban, _unban (Bo)
//   m ttl-seconds             patron_customer_set_online, _set_offline (Bo)
//   n key \n depth \n inner   patron_customer_create and _update with `key` holding inner nested
//                             depth arrays deep
//   o survivor \n absorbed \n MERGE_OPTIONS
//                             patron_customer_merge, then _resolve of both refs and both read back
//   p PROBE \n ref \n OPTIONS  patron_duplicates_similar_to (PROBE, OPTIONS), _of (ref, OPTIONS),
//                             _scan (OPTIONS)
#include <cstddef>
#include <cstdint>
#include <string>

#include "harness.hpp"

namespace {

std::string ana, bo;  // the fixture's customer ids

void setup(patron_db* db) {
  ana = fuzz::id_of(PATRON_FUZZ_MUST(patron_customer_create, db,
      R"({"number":"ANA-01","first_name":"Ana","last_name":"Silva","email":"ana@example.com",)"
      R"("phone":"07911 123456","tags":["vip"],"date_of_birth":"1990-04-01",)"
      R"("addresses":[{"purpose":"billing","line1":"1 High St","city":"London","country":"GB"}]})"));
  bo = fuzz::id_of(PATRON_FUZZ_MUST(patron_customer_create, db,
      R"({"number":"BO-01","first_name":"Bo","last_name":"Berg","email":"bo@example.org"})"));
}

fuzz::Db database(setup);

void read_created(patron_db* db, const fuzz::json& customer) {
  const std::string id = fuzz::id_of(customer);
  if (id.empty()) fuzz::bug("patron_customer_create", "a customer without an id");
  fuzz::read_back(db, id.c_str());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  patron_db* db = database.get();
  const fuzz::Input in = fuzz::split(data, size, {1, 1, 1, 1, 2, 2, 1, 1, 1, 1, 1, 2, 1, 3, 3, 3});
  const char* a0 = in.arg(0);
  fuzz::json doc;
  switch (in.op) {
    case 0:
      if (PATRON_FUZZ_CALL_DOC(doc, patron_customer_create, db, a0) == PATRON_OK) read_created(db, doc);
      break;
    case 1:
      if (PATRON_FUZZ_CALL_DOC(doc, patron_customer_create_many, db, a0) == PATRON_OK) {
        if (!doc.is_array()) fuzz::bug("patron_customer_create_many", "not an array");
        for (const auto& c : doc) read_created(db, c);
      }
      break;
    case 2:
      PATRON_FUZZ_CALL(patron_customer_update, db, ana.c_str(), a0);
      fuzz::read_back(db, ana.c_str());
      break;
    case 3:
      PATRON_FUZZ_CALL(patron_customer_add_address, db, ana.c_str(), a0);
      fuzz::read_back(db, ana.c_str());
      break;
    case 4:
      PATRON_FUZZ_CALL(patron_customer_add_email, db, ana.c_str(), a0, in.opt(1) != nullptr ? 1 : 0);
      PATRON_FUZZ_CALL(patron_customer_set_primary_email, db, ana.c_str(), a0);
      fuzz::read_back(db, ana.c_str());
      PATRON_FUZZ_CALL(patron_customer_remove_email, db, ana.c_str(), a0);
      break;
    case 5:
      PATRON_FUZZ_CALL(patron_customer_add_phone, db, ana.c_str(), a0, in.arg(1));
      fuzz::read_back(db, ana.c_str());
      PATRON_FUZZ_CALL(patron_customer_remove_phone, db, ana.c_str(), a0);
      break;
    case 6:
      PATRON_FUZZ_CALL(patron_customer_set_number, db, bo.c_str(), a0);
      fuzz::read_back(db, bo.c_str());
      PATRON_FUZZ_CALL(patron_customer_find, db, a0);
      break;
    case 7:
      PATRON_FUZZ_CALL(patron_customer_search, db, a0, 10, 0);
      break;
    case 8:
      PATRON_FUZZ_CALL(patron_customer_get, db, a0);
      PATRON_FUZZ_CALL(patron_customer_find, db, a0);
      break;
    case 9:
      PATRON_FUZZ_CALL(patron_customer_find_by_email, db, a0);
      PATRON_FUZZ_CALL(patron_customer_find_by_phone, db, a0);
      break;
    case 10:
      PATRON_FUZZ_CALL(patron_customer_history, db, ana.c_str(), a0, 20, 0);
      break;
    case 11:
      PATRON_FUZZ_CALL(patron_customer_ban, db, bo.c_str(), a0, in.arg(1));
      fuzz::read_back(db, bo.c_str());
      PATRON_FUZZ_CALL(patron_customer_unban, db, bo.c_str());
      break;
    case 12:
      PATRON_FUZZ_CALL(patron_customer_set_online, db, bo.c_str(), static_cast<long long>(fuzz::number(a0)));
      fuzz::read_back(db, bo.c_str());
      PATRON_FUZZ_CALL(patron_customer_set_offline, db, bo.c_str());
      break;
    case 13: {
      const std::string value = fuzz::nest(in.args[1], false, in.args[2]);
      const fuzz::json key = in.args[0];
      const std::string key_text = key.dump(-1, ' ', false, fuzz::json::error_handler_t::replace);
      const std::string create = R"({"first_name":"Deep","last_name":"Nest",)" + key_text + ":" + value + "}";
      if (PATRON_FUZZ_CALL_DOC(doc, patron_customer_create, db, create.c_str()) == PATRON_OK) read_created(db, doc);
      PATRON_FUZZ_CALL(patron_customer_update, db, ana.c_str(), ("{" + key_text + ":" + value + "}").c_str());
      break;
    }
    case 14:
      PATRON_FUZZ_CALL(patron_customer_merge, db, a0, in.arg(1), in.arg(2));
      PATRON_FUZZ_CALL(patron_customer_resolve, db, a0);
      PATRON_FUZZ_CALL(patron_customer_resolve, db, in.arg(1));
      fuzz::read_back(db, ana.c_str());
      fuzz::read_back(db, bo.c_str());
      break;
    case 15:
      PATRON_FUZZ_CALL(patron_duplicates_similar_to, db, a0, in.opt(2));
      PATRON_FUZZ_CALL(patron_duplicates_of, db, in.arg(1), in.opt(2));
      PATRON_FUZZ_CALL(patron_duplicates_scan, db, in.opt(2));
      break;
  }
  return 0;
}
