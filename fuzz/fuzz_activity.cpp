// Activity through the C ABI: new events and batches of them (details are a
// free JSON object, sealed under the customer's key), timeline filters and
// cursors, history fields, the thread's actor. Every recorded event is read
// back: its customer's timeline and history, or the feed for events about
// the organisation.
//
// Operations (first byte; arguments separated by '\n'):
//   a NEW_EVENT              patron_event_record
//   b [NEW_EVENT, ...]       patron_event_record_many
//   c TIMELINE_FILTER        patron_timeline (Ana)
//   d cursor                 patron_timeline (Ana, before = cursor)
//   e field                  patron_history (Ana)
//   f actor \n source        patron_actor_push, an event, patron_actor_pop
//   g after                  patron_feed
//   h depth \n kind \n inner  patron_event_record with details {"d": inner nested depth
//                            levels deep (arrays; objects when kind is not empty)}, read back
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>

#include "harness.hpp"

namespace {

void setup(patron_db* db) {
  PATRON_FUZZ_MUST(patron_customer_create, db,
                   R"({"number":"ANA-01","first_name":"Ana","last_name":"Silva","email":"ana@example.com"})");
  PATRON_FUZZ_MUST(patron_customer_update, db, "ANA-01", R"({"first_name":"Anna","tags":["vip"]})");
  PATRON_FUZZ_MUST(patron_event_record, db,
                   R"({"customer":"ANA-01","action":"email.sent","summary":"Welcome email sent",)"
                   R"("category":"customers","type":"communication","source":"integration","actor":"mailer",)"
                   R"("details":{"campaign":"welcome","opens":[1,2,{"at":"2026-01-01"}]}})");
}

fuzz::Db database(setup);

// What an event (as patron_event_record returns it) is visible through.
void read_event(patron_db* db, const fuzz::json& event, std::set<std::string>& seen) {
  if (!event.is_object() || !event.contains("id") || !event["id"].is_number_integer())
    fuzz::bug("patron_event_record", "an event without an id");
  const auto id = event["id"].get<std::int64_t>();
  PATRON_FUZZ_CALL(patron_feed, db, id - 1, 5);
  if (event.contains("customer") && event["customer"].is_string()) {
    const std::string customer = event["customer"].get<std::string>();
    if (seen.insert(customer).second) fuzz::read_back(db, customer.c_str());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  patron_db* db = database.get();
  const fuzz::Input in = fuzz::split(data, size, {1, 1, 1, 1, 1, 2, 1, 3});
  const char* a0 = in.arg(0);
  fuzz::json doc;
  std::set<std::string> seen;
  switch (in.op) {
    case 0:
      if (PATRON_FUZZ_CALL_DOC(doc, patron_event_record, db, a0) == PATRON_OK) read_event(db, doc, seen);
      break;
    case 1:
      if (PATRON_FUZZ_CALL_DOC(doc, patron_event_record_many, db, a0) == PATRON_OK) {
        if (!doc.is_array()) fuzz::bug("patron_event_record_many", "not an array");
        for (const auto& e : doc) read_event(db, e, seen);
      }
      break;
    case 2:
      PATRON_FUZZ_CALL(patron_timeline, db, "ANA-01", a0, nullptr, 20);
      break;
    case 3:
      PATRON_FUZZ_CALL(patron_timeline, db, "ANA-01", nullptr, a0, 20);
      break;
    case 4:
      PATRON_FUZZ_CALL(patron_history, db, "ANA-01", a0, 20, 0);
      break;
    case 5:
      if (fuzz::check_rc("patron_actor_push", patron_actor_push(a0, in.arg(1))) == PATRON_OK) {
        if (PATRON_FUZZ_CALL_DOC(doc, patron_event_record, db,
                                 R"({"customer":"ANA-01","action":"visit.scan","summary":"Scanned"})") == PATRON_OK)
          read_event(db, doc, seen);
        fuzz::check_rc("patron_actor_pop", patron_actor_pop());
      }
      break;
    case 6:
      PATRON_FUZZ_CALL(patron_feed, db, fuzz::number(a0), 20);
      break;
    case 7: {
      const std::string event = R"({"customer":"ANA-01","action":"deep","summary":"Deep","details":{"d":)" +
                                fuzz::nest(in.args[0], in.opt(1) != nullptr, in.args[2]) + "}}";
      if (PATRON_FUZZ_CALL_DOC(doc, patron_event_record, db, event.c_str()) == PATRON_OK) read_event(db, doc, seen);
      break;
    }
  }
  return 0;
}
