// The other records of the C ABI: companies and domains, plans and
// memberships, doors and permissions, connections and referrals, notes
// (Markdown bodies, @mentions, full-text queries) and document metadata.
// What is written is read back.
//
// The fixture: Ana ("ANA-01", ana@acme.co.uk) and Bo ("BO-01"), the company
// Acme (id 1, acme.co.uk), the plan Gold (id 1) with Ana's membership
// (id 1), the door "front-gate", a friend connection and a note.
//
// Operations (first byte; arguments separated by '\n'):
//   a NEW_COMPANY                 patron_company_create, _get, _customers
//   b COMPANY_UPDATE              patron_company_update (Acme)
//   c domain                      patron_company_add_domain, _find_by_domain, patron_registrable_domain,
//                                 _company_remove_domain, _company_search
//   d role                        patron_company_link (Bo), _customer_companies, _company_unlink
//   e NEW_PLAN                    patron_plan_create, _plan_get, _plan_list
//   f NEW_MEMBERSHIP              patron_membership_add, _get, _effective, _of_company
//   g status                      patron_membership_set_status, _renew (Ana's)
//   h NEW_DOOR                    patron_door_create, _get, _list
//   i id \n name \n notes         patron_door_update
//   j NEW_PERMISSION              patron_permission_grant, _of_customer, _of_door
//   k NEW_CONNECTION              patron_connection_connect, _get, _of_customer, _neighbours, _dot
//   l referrer \n referred \n note   patron_referral_record, _referrer_of, _referral_by
//   m INFERENCE_OPTIONS           patron_connections_infer
//   n body \n author              patron_note_add, _edit, _get, _revisions, _of_customer
//   o query                       patron_note_search
//   p META \n bytes               patron_document_attach, _get, _of_customer, _read
//   q type                        patron_connection_of_customer (Ana)
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "harness.hpp"

namespace {

std::int64_t company = 0, membership = 0, note = 0;

void setup(patron_db* db) {
  PATRON_FUZZ_MUST(patron_customer_create, db,
                   R"({"number":"ANA-01","first_name":"Ana","last_name":"Silva","email":"ana@acme.co.uk"})");
  PATRON_FUZZ_MUST(patron_customer_create, db, R"({"number":"BO-01","first_name":"Bo","last_name":"Berg"})");
  company = PATRON_FUZZ_MUST(patron_company_create, db, R"({"name":"Acme Ltd","domains":["acme.co.uk"]})")
                .at("id").get<std::int64_t>();
  PATRON_FUZZ_MUST(patron_plan_create, db, R"({"name":"Gold","kind":"personal","benefits":"coffee"})");
  membership = PATRON_FUZZ_MUST(patron_membership_add, db, R"({"plan":1,"customer":"ANA-01"})").at("id").get<std::int64_t>();
  PATRON_FUZZ_MUST(patron_door_create, db, R"({"id":"front-gate","name":"Front gate"})");
  PATRON_FUZZ_MUST(patron_connection_connect, db, R"({"from":"ANA-01","to":"BO-01","type":"friend"})");
  char* out = nullptr;
  note = fuzz::must("patron_note_add", patron_note_add(db, "ANA-01", "Prefers the @jane table", "jane", 0, &out), out)
             .at("id").get<std::int64_t>();
}

fuzz::Db database(setup);

std::int64_t int_id(const fuzz::json& doc) { return doc.at("id").get<std::int64_t>(); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  patron_db* db = database.get();
  const fuzz::Input in = fuzz::split(data, size, {1, 1, 1, 1, 1, 1, 1, 1, 3, 1, 1, 3, 1, 2, 1, 2, 1});
  const char* a0 = in.arg(0);
  fuzz::json doc;
  switch (in.op) {
    case 0:
      if (PATRON_FUZZ_CALL_DOC(doc, patron_company_create, db, a0) == PATRON_OK) {
        PATRON_FUZZ_CALL(patron_company_get, db, int_id(doc));
        PATRON_FUZZ_CALL(patron_company_customers, db, int_id(doc), 20, 0);
        PATRON_FUZZ_CALL(patron_customer_companies, db, "ANA-01");
      }
      break;
    case 1:
      PATRON_FUZZ_CALL(patron_company_update, db, company, a0);
      PATRON_FUZZ_CALL(patron_company_get, db, company);
      break;
    case 2: {
      std::int64_t n = 0;
      fuzz::check_rc("patron_company_add_domain", patron_company_add_domain(db, company, a0, &n));
      PATRON_FUZZ_CALL(patron_company_find_by_domain, db, a0);
      PATRON_FUZZ_CALL(patron_registrable_domain, db, a0);
      PATRON_FUZZ_CALL(patron_company_get, db, company);
      fuzz::check_rc("patron_company_remove_domain", patron_company_remove_domain(db, company, a0, &n));
      PATRON_FUZZ_CALL(patron_company_search, db, a0, 20, 0);
      break;
    }
    case 3:
      PATRON_FUZZ_CALL(patron_company_link, db, company, "BO-01", a0, 1);
      PATRON_FUZZ_CALL(patron_customer_companies, db, "BO-01");
      PATRON_FUZZ_CALL(patron_company_customers, db, company, 20, 0);
      fuzz::check_rc("patron_company_unlink", patron_company_unlink(db, company, "BO-01"));
      break;
    case 4:
      if (PATRON_FUZZ_CALL_DOC(doc, patron_plan_create, db, a0) == PATRON_OK)
        PATRON_FUZZ_CALL(patron_plan_get, db, int_id(doc));
      PATRON_FUZZ_CALL(patron_plan_list, db);
      break;
    case 5:
      if (PATRON_FUZZ_CALL_DOC(doc, patron_membership_add, db, a0) == PATRON_OK) {
        PATRON_FUZZ_CALL(patron_membership_get, db, int_id(doc));
        if (doc.contains("customer") && doc["customer"].is_string()) {
          const std::string customer = doc["customer"].get<std::string>();
          PATRON_FUZZ_CALL(patron_membership_effective, db, customer.c_str());
          fuzz::read_back(db, customer.c_str());
        }
        if (doc.contains("company") && doc["company"].is_number_integer())
          PATRON_FUZZ_CALL(patron_membership_of_company, db, doc["company"].get<std::int64_t>());
      }
      break;
    case 6:
      PATRON_FUZZ_CALL(patron_membership_set_status, db, membership, a0);
      PATRON_FUZZ_CALL(patron_membership_renew, db, membership);
      PATRON_FUZZ_CALL(patron_membership_effective, db, "ANA-01");
      break;
    case 7:
      if (PATRON_FUZZ_CALL_DOC(doc, patron_door_create, db, a0) == PATRON_OK) {
        const std::string id = doc.at("id").get<std::string>();
        PATRON_FUZZ_CALL(patron_door_get, db, id.c_str());
      }
      PATRON_FUZZ_CALL(patron_door_list, db);
      break;
    case 8:
      PATRON_FUZZ_CALL(patron_door_update, db, a0, in.arg(1), in.opt(2));
      PATRON_FUZZ_CALL(patron_door_get, db, a0);
      break;
    case 9:
      if (PATRON_FUZZ_CALL_DOC(doc, patron_permission_grant, db, a0) == PATRON_OK) {
        const std::string customer = doc.at("customer").get<std::string>();
        const std::string door = doc.at("door").get<std::string>();
        PATRON_FUZZ_CALL(patron_permission_of_customer, db, customer.c_str());
        PATRON_FUZZ_CALL(patron_permission_of_door, db, door.c_str(), 20, 0);
        PATRON_FUZZ_CALL(patron_door_check, db, customer.c_str(), door.c_str(), nullptr);
      }
      break;
    case 10:
      if (PATRON_FUZZ_CALL_DOC(doc, patron_connection_connect, db, a0) == PATRON_OK) {
        const std::string from = doc.at("from").get<std::string>();
        PATRON_FUZZ_CALL(patron_connection_get, db, int_id(doc));
        PATRON_FUZZ_CALL(patron_connection_of_customer, db, from.c_str(), nullptr);
        PATRON_FUZZ_CALL(patron_connections_neighbours, db, from.c_str(), 2, 20);
        char* dot = nullptr;
        fuzz::check_text("patron_connections_dot", patron_connections_dot(db, from.c_str(), 2, 20, &dot), dot);
      }
      break;
    case 11:
      PATRON_FUZZ_CALL(patron_referral_record, db, a0, in.arg(1), in.opt(2));
      PATRON_FUZZ_CALL(patron_referral_referrer_of, db, in.arg(1));
      PATRON_FUZZ_CALL(patron_referral_by, db, a0);
      break;
    case 12:
      PATRON_FUZZ_CALL(patron_connections_infer, db, a0);
      break;
    case 13:
      if (PATRON_FUZZ_CALL_DOC(doc, patron_note_add, db, "ANA-01", a0, in.arg(1), 1) == PATRON_OK) {
        PATRON_FUZZ_CALL(patron_note_get, db, int_id(doc));
        PATRON_FUZZ_CALL(patron_note_search, db, a0, "ANA-01", 10, 0);
      }
      PATRON_FUZZ_CALL(patron_note_edit, db, note, a0, in.arg(1));
      PATRON_FUZZ_CALL(patron_note_revisions, db, note);
      PATRON_FUZZ_CALL(patron_note_of_customer, db, "ANA-01", 20, 0);
      break;
    case 14:
      PATRON_FUZZ_CALL(patron_note_search, db, a0, nullptr, 10, 0);
      break;
    case 15:
      if (PATRON_FUZZ_CALL_DOC(doc, patron_document_attach, db, a0, in.args[1].data(), in.args[1].size()) ==
          PATRON_OK) {
        const auto id = int_id(doc);
        const std::string customer = doc.at("customer").get<std::string>();
        PATRON_FUZZ_CALL(patron_document_get, db, id);
        PATRON_FUZZ_CALL(patron_document_of_customer, db, customer.c_str());
        void* bytes = nullptr;
        std::size_t n = 0;
        if (fuzz::check_rc("patron_document_read", patron_document_read(db, id, &bytes, &n)) == PATRON_OK) {
          if (n != in.args[1].size() || (n > 0 && std::memcmp(bytes, in.args[1].data(), n) != 0))
            fuzz::bug("patron_document_read", "the bytes read back differ from those attached");
          patron_free(bytes);
        }
      }
      break;
    case 16:
      PATRON_FUZZ_CALL(patron_connection_of_customer, db, "ANA-01", a0);
      break;
  }
  return 0;
}
