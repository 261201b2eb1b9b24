// Orders, bookings, enquiries and analytics through the C ABI: new records
// (with CUSTOMER references or details), payments, statuses, reschedules,
// list filters, model and prediction options. A new record is read back
// with its customer's stats (sums of money) and timeline.
//
// Operations (first byte; arguments separated by '\n'):
//   a NEW_ORDER                   patron_order_record
//   b NEW_BOOKING                 patron_booking_record
//   c NEW_ENQUIRY                 patron_enquiry_record
//   d PAYMENT                     patron_order_add_payment (the fixture's order)
//   e status                      patron_{order,booking,enquiry}_set_status (the fixture's)
//   f starts_at \n ends_at        patron_booking_reschedule (the fixture's booking)
//   g FILTER                      patron_{order,booking,enquiry}_list (Ana)
//   h source \n external_ref      patron_{order,booking,enquiry}_find
//   i MODEL_OPTIONS               patron_analytics_summaries, _fit_model
//   j PREDICTION_OPTIONS          patron_analytics_predict (Ana), _predict_all
//   k currency \n at              patron_analytics_recompute_rfm, _rfm (Ana), _latest_fit
//   l currency \n segment         patron_analytics_rfm_segment
//   m ref                         patron_analytics_stats
#include <cstddef>
#include <cstdint>
#include <string>

#include "harness.hpp"

namespace {

std::int64_t order = 0, booking = 0, enquiry = 0;  // the fixture's records

std::int64_t id_in(const fuzz::json& pushed, const char* kind) {
  return pushed.at(kind).at("id").get<std::int64_t>();
}

void setup(patron_db* db) {
  PATRON_FUZZ_MUST(patron_customer_create, db,
                   R"({"number":"ANA-01","first_name":"Ana","last_name":"Silva","email":"ana@example.com","phone":"07911 123456"})");
  order = id_in(PATRON_FUZZ_MUST(patron_order_record, db,
      R"({"customer":"ANA-01","source":"pos","external_ref":"R-1","placed_at":"2026-10-01T12:00:00Z",)"
      R"("currency":"GBP","total":5400,"items":[{"name":"Espresso","quantity":2,"unit_price":250}],)"
      R"("payments":[{"amount":400,"method":"card","at":"2026-10-01T12:01:00Z"}]})"), "order");
  PATRON_FUZZ_MUST(patron_order_record, db,
      R"({"customer":"ANA-01","source":"pos","external_ref":"R-0","placed_at":"2026-06-01T12:00:00Z",)"
      R"("currency":"GBP","total":1200,"status":"completed"})");
  booking = id_in(PATRON_FUZZ_MUST(patron_booking_record, db,
      R"({"customer":"ANA-01","source":"spa","external_ref":"B-1","service":"massage 60",)"
      R"("starts_at":"2026-12-01T10:00:00Z","ends_at":"2026-12-01T11:00:00Z","party_size":2,"order_external_ref":""})"),
      "booking");
  enquiry = id_in(PATRON_FUZZ_MUST(patron_enquiry_record, db,
      R"({"customer":{"first_name":"Bo","last_name":"Berg","email":"bo@example.org"},"source":"web",)"
      R"("external_ref":"Q-1","channel":"web form","subject":"Wedding","body":"Hello,\nwe are 80."})"),
      "enquiry");
}

fuzz::Db database(setup);

// A pushed record's customer: its stats, its lists and its timeline.
void read_pushed(patron_db* db, const fuzz::json& pushed, const char* kind) {
  if (!pushed.contains(kind) || !pushed[kind].contains("customer") || !pushed[kind]["customer"].is_string())
    fuzz::bug(kind, "a pushed record without its customer");
  const std::string customer = pushed[kind]["customer"].get<std::string>();
  const std::int64_t id = id_in(pushed, kind);
  if (std::string(kind) == "order") PATRON_FUZZ_CALL(patron_order_get, db, id);
  if (std::string(kind) == "booking") PATRON_FUZZ_CALL(patron_booking_get, db, id);
  if (std::string(kind) == "enquiry") PATRON_FUZZ_CALL(patron_enquiry_get, db, id);
  PATRON_FUZZ_CALL(patron_analytics_stats, db, customer.c_str());
  PATRON_FUZZ_CALL(patron_order_list, db, customer.c_str(), nullptr, 20, 0);
  fuzz::read_back(db, customer.c_str());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  patron_db* db = database.get();
  const fuzz::Input in = fuzz::split(data, size, {1, 1, 1, 1, 1, 2, 1, 2, 1, 1, 2, 2, 1});
  const char* a0 = in.arg(0);
  const char* a1 = in.arg(1);
  fuzz::json doc;
  switch (in.op) {
    case 0:
      if (PATRON_FUZZ_CALL_DOC(doc, patron_order_record, db, a0) == PATRON_OK) read_pushed(db, doc, "order");
      break;
    case 1:
      if (PATRON_FUZZ_CALL_DOC(doc, patron_booking_record, db, a0) == PATRON_OK) read_pushed(db, doc, "booking");
      break;
    case 2:
      if (PATRON_FUZZ_CALL_DOC(doc, patron_enquiry_record, db, a0) == PATRON_OK) read_pushed(db, doc, "enquiry");
      break;
    case 3:
      PATRON_FUZZ_CALL(patron_order_add_payment, db, order, a0);
      PATRON_FUZZ_CALL(patron_order_get, db, order);
      PATRON_FUZZ_CALL(patron_analytics_stats, db, "ANA-01");
      break;
    case 4:
      PATRON_FUZZ_CALL(patron_order_set_status, db, order, a0);
      PATRON_FUZZ_CALL(patron_booking_set_status, db, booking, a0);
      PATRON_FUZZ_CALL(patron_enquiry_set_status, db, enquiry, a0);
      fuzz::read_back(db, "ANA-01");
      break;
    case 5:
      PATRON_FUZZ_CALL(patron_booking_reschedule, db, booking, a0, a1);
      PATRON_FUZZ_CALL(patron_booking_get, db, booking);
      fuzz::read_back(db, "ANA-01");
      break;
    case 6:
      PATRON_FUZZ_CALL(patron_order_list, db, "ANA-01", a0, 20, 0);
      PATRON_FUZZ_CALL(patron_booking_list, db, "ANA-01", a0, 20, 0);
      PATRON_FUZZ_CALL(patron_enquiry_list, db, "ANA-01", a0, 20, 0);
      break;
    case 7:
      PATRON_FUZZ_CALL(patron_order_find, db, a0, a1);
      PATRON_FUZZ_CALL(patron_booking_find, db, a0, a1);
      PATRON_FUZZ_CALL(patron_enquiry_find, db, a0, a1);
      break;
    case 8:
      PATRON_FUZZ_CALL(patron_analytics_summaries, db, a0);
      PATRON_FUZZ_CALL(patron_analytics_fit_model, db, a0);
      break;
    case 9:
      PATRON_FUZZ_CALL(patron_analytics_predict, db, "ANA-01", a0);
      PATRON_FUZZ_CALL(patron_analytics_predict_all, db, a0);
      break;
    case 10: {
      std::int64_t count = 0;
      fuzz::check_rc("patron_analytics_recompute_rfm", patron_analytics_recompute_rfm(db, a0, in.opt(1), &count));
      PATRON_FUZZ_CALL(patron_analytics_rfm, db, "ANA-01", a0);
      PATRON_FUZZ_CALL(patron_analytics_latest_fit, db, a0);
      break;
    }
    case 11:
      PATRON_FUZZ_CALL(patron_analytics_rfm_segment, db, a0, a1, 20, 0);
      break;
    case 12:
      PATRON_FUZZ_CALL(patron_analytics_stats, db, a0);
      break;
  }
  return 0;
}
