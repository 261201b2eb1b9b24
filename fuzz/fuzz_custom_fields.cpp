// Custom fields through the C ABI: definitions and their updates, VALUEs
// read for each FIELD TYPE (text, number, date, select, multi_select,
// checkbox, url, file), lookups by value and new customers with
// "custom_fields". Values are read back (values, profile, history).
//
// The fixture defines one field of every type: t_text, t_number, t_date,
// t_select (options a, b), t_multi (a, b, c), t_check, t_url, t_file
// (Ana holds document 1), and t_req (required text, default "x").
//
// Operations (first byte; arguments separated by '\n'):
//   a DEFINITION             patron_field_define, _get, _list
//   b key \n UPDATE          patron_field_update, _values (Ana)
//   c key \n VALUE           patron_field_set (Ana), _values, read back, _clear
//   d key \n VALUE           patron_field_find
//   e NEW_CUSTOMER           patron_customer_create (with custom_fields)
//   f role                   patron_field_values (Ana)
//   g key                    patron_field_remove, _list
//   h key \n depth \n inner  patron_field_set (Ana) and patron_field_find with inner
//                            nested depth arrays deep
#include <cstddef>
#include <cstdint>
#include <string>

#include "harness.hpp"

namespace {

void setup(patron_db* db) {
  PATRON_FUZZ_MUST(patron_customer_create, db,
                   R"({"number":"ANA-01","first_name":"Ana","last_name":"Silva","email":"ana@example.com"})");
  const char* defs[] = {
      R"({"key":"t_text","label":"Text","type":"text"})",
      R"({"key":"t_number","label":"Number","type":"number","visible_to":["manager"]})",
      R"({"key":"t_date","label":"Date","type":"date"})",
      R"({"key":"t_select","label":"Select","type":"select","options":["a","b"]})",
      R"({"key":"t_multi","label":"Multi","type":"multi_select","options":["a","b","c"]})",
      R"({"key":"t_check","label":"Check","type":"checkbox"})",
      R"({"key":"t_url","label":"URL","type":"url"})",
      R"({"key":"t_file","label":"File","type":"file"})",
      R"({"key":"t_req","label":"Required","type":"text","required":true,"default":"x"})",
  };
  for (const char* d : defs) PATRON_FUZZ_MUST(patron_field_define, db, d);
  char* out = nullptr;
  const char bytes[] = "%PDF-1.4";
  fuzz::must("patron_document_attach",
             patron_document_attach(db, R"({"customer":"ANA-01","name":"w.pdf","media_type":"application/pdf"})",
                                    bytes, sizeof bytes - 1, &out),
             out);
  PATRON_FUZZ_MUST(patron_field_set, db, "ANA-01", "t_multi", R"(["a","c"])");
}

fuzz::Db database(setup);

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  patron_db* db = database.get();
  const fuzz::Input in = fuzz::split(data, size, {1, 2, 2, 2, 1, 1, 1, 3});
  const char* a0 = in.arg(0);
  const char* a1 = in.arg(1);
  fuzz::json doc;
  switch (in.op) {
    case 0:
      if (PATRON_FUZZ_CALL_DOC(doc, patron_field_define, db, a0) == PATRON_OK) {
        const std::string key = doc.at("key").get<std::string>();
        PATRON_FUZZ_CALL(patron_field_get, db, key.c_str());
      }
      PATRON_FUZZ_CALL(patron_field_list, db);
      break;
    case 1:
      PATRON_FUZZ_CALL(patron_field_update, db, a0, a1);
      PATRON_FUZZ_CALL(patron_field_list, db);
      PATRON_FUZZ_CALL(patron_field_values, db, "ANA-01", nullptr);
      break;
    case 2:
      PATRON_FUZZ_CALL(patron_field_set, db, "ANA-01", a0, a1);
      PATRON_FUZZ_CALL(patron_field_values, db, "ANA-01", "manager");
      fuzz::read_back(db, "ANA-01");
      PATRON_FUZZ_CALL(patron_field_clear, db, "ANA-01", a0);
      break;
    case 3:
      PATRON_FUZZ_CALL(patron_field_find, db, a0, a1, 20, 0);
      break;
    case 4:
      if (PATRON_FUZZ_CALL_DOC(doc, patron_customer_create, db, a0) == PATRON_OK) {
        const std::string id = fuzz::id_of(doc);
        PATRON_FUZZ_CALL(patron_field_values, db, id.c_str(), nullptr);
        fuzz::read_back(db, id.c_str());
      }
      break;
    case 5:
      PATRON_FUZZ_CALL(patron_field_values, db, "ANA-01", a0);
      break;
    case 6:
      fuzz::check_rc("patron_field_remove", patron_field_remove(db, a0));
      PATRON_FUZZ_CALL(patron_field_list, db);
      PATRON_FUZZ_CALL(patron_field_values, db, "ANA-01", nullptr);
      break;
    case 7: {
      const std::string value = fuzz::nest(in.args[1], false, in.args[2]);
      PATRON_FUZZ_CALL(patron_field_set, db, "ANA-01", a0, value.c_str());
      PATRON_FUZZ_CALL(patron_field_find, db, a0, value.c_str(), 20, 0);
      PATRON_FUZZ_CALL(patron_field_values, db, "ANA-01", nullptr);
      break;
    }
  }
  return 0;
}
