// Timestamps and dates through the C ABI: two texts `t` and `u` (separated
// by '\n') go wherever patron reads a TIMESTAMP or a date -- an `at_iso`
// argument or a key of a JSON document -- and what was written is read back
// (dates of birth, order times and the days since them, event times and the
// timeline, validity windows, lots and tiers, visits, memberships).
//
// Operations (first byte; then t \n u):
//   a  date_of_birth = t                     patron_customer_create, read back
//   b  date_of_birth = t                     patron_customer_update (Ana)
//   c  placed_at = t, filter from t until u  patron_order_record, _order_list, _analytics_stats
//   d  starts_at = t, ends_at = u            patron_booking_record, _booking_reschedule
//   e  at = t                                patron_event_record, read back
//   f  timeline filter from t until u        patron_timeline (Ana)
//   g  valid_from = t, valid_until = u       patron_credential_set_validity, _identify_credential at t
//   h  at = t                                patron_door_check, _membership_has_active
//   i  at = t, from t to u                   patron_visit_record, _visit_count, _visit_list, _visit_at_place
//   j  at = t                                patron_points_expire, _loyalty_tier_at, _evaluate_tiers, _reward_list
//   k  at = t / cutoff = t                   patron_analytics_recompute_rfm, _summaries, _predict
//   l  starts_at = t, ends_at = u            patron_membership_add, _membership_effective
//   m  pending_until = t; active_from/until  patron_points_earn, patron_reward_save
//   n  starts_at = t, ends_at = u            patron_permission_grant, _door_check
#include <cstddef>
#include <cstdint>
#include <string>

#include "harness.hpp"

namespace {

using fuzz::json;

std::int64_t card = 0, booking = 0, plan = 0;
unsigned serial = 0;

void setup(patron_db* db) {
  PATRON_FUZZ_MUST(patron_customer_create, db,
                   R"({"number":"ANA-01","first_name":"Ana","last_name":"Silva","email":"ana@example.com","date_of_birth":"1990-04-01"})");
  card = PATRON_FUZZ_MUST(patron_credential_issue, db, R"({"kind":"smart_card","value":"04A1B2C3","customer":"ANA-01"})")
             .at("id").get<std::int64_t>();
  PATRON_FUZZ_MUST(patron_door_create, db, R"({"id":"front-gate","name":"Front gate"})");
  PATRON_FUZZ_MUST(patron_permission_grant, db, R"({"customer":"ANA-01","door":"front-gate"})");
  plan = PATRON_FUZZ_MUST(patron_plan_create, db, R"({"name":"Gold","kind":"subscription","billing_period":"monthly"})")
             .at("id").get<std::int64_t>();
  PATRON_FUZZ_MUST(patron_membership_add, db, R"({"plan":1,"customer":"ANA-01"})");
  PATRON_FUZZ_MUST(patron_loyalty_program_create, db,
                   R"({"id":"stars","name":"Stars","currency":"GBP","expiry_months":12})");
  PATRON_FUZZ_MUST(patron_loyalty_tier_save, db, R"({"program":"stars","id":"gold","name":"Gold","threshold":100})");
  PATRON_FUZZ_MUST(patron_points_earn, db, R"({"customer":"ANA-01","program":"stars","points":500,"idempotency_key":"e-1"})");
  PATRON_FUZZ_MUST(patron_order_record, db,
                   R"({"customer":"ANA-01","source":"pos","external_ref":"R-1","currency":"GBP","total":1200,)"
                   R"("placed_at":"2026-01-02T03:04:05Z"})");
  booking = PATRON_FUZZ_MUST(patron_booking_record, db,
                             R"({"customer":"ANA-01","source":"spa","external_ref":"B-1","service":"massage",)"
                             R"("starts_at":"2026-12-01T10:00:00Z","ends_at":"2026-12-01T11:00:00Z"})")
                .at("booking").at("id").get<std::int64_t>();
}

fuzz::Db database(setup);

// `doc` as JSON text; text that is not UTF-8 becomes U+FFFD (the raw bytes
// go to the at_iso arguments).
std::string text(const json& doc) { return doc.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string next_ref(const char* prefix) { return prefix + std::to_string(++serial); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  patron_db* db = database.get();
  const fuzz::Input in = fuzz::split(data, size, {2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2});
  const std::string& t = in.args[0];
  const std::string& u = in.args[1];
  const char* ts = t.c_str();
  const char* us = in.opt(1);
  json doc;
  switch (in.op) {
    case 0: {
      const std::string js = text({{"first_name", "Ty"}, {"last_name", "Moe"}, {"date_of_birth", t}});
      if (PATRON_FUZZ_CALL_DOC(doc, patron_customer_create, db, js.c_str()) == PATRON_OK)
        fuzz::read_back(db, fuzz::id_of(doc).c_str());
      break;
    }
    case 1:
      PATRON_FUZZ_CALL(patron_customer_update, db, "ANA-01", text({{"date_of_birth", t}}).c_str());
      fuzz::read_back(db, "ANA-01");
      break;
    case 2: {
      json order = {{"customer", "ANA-01"}, {"source", "pos"}, {"external_ref", next_ref("R-")},
                    {"currency", "GBP"}, {"total", 100}, {"placed_at", t}};
      if (us != nullptr) order["payments"] = {{{"amount", 100}, {"method", "card"}, {"at", u}}};
      PATRON_FUZZ_CALL(patron_order_record, db, text(order).c_str());
      PATRON_FUZZ_CALL(patron_order_list, db, "ANA-01", text({{"from", t}, {"until", u}}).c_str(), 20, 0);
      PATRON_FUZZ_CALL(patron_order_list, db, "ANA-01", text({{"from", t}}).c_str(), 20, 0);
      PATRON_FUZZ_CALL(patron_analytics_stats, db, "ANA-01");
      fuzz::read_back(db, "ANA-01");
      break;
    }
    case 3: {
      const std::string js = text({{"customer", "ANA-01"}, {"source", "spa"}, {"external_ref", next_ref("B-")},
                                   {"service", "massage"}, {"starts_at", t}, {"ends_at", u}});
      PATRON_FUZZ_CALL(patron_booking_record, db, js.c_str());
      PATRON_FUZZ_CALL(patron_booking_reschedule, db, booking, ts, us == nullptr ? "" : us);
      PATRON_FUZZ_CALL(patron_booking_list, db, "ANA-01", text({{"from", t}}).c_str(), 20, 0);
      fuzz::read_back(db, "ANA-01");
      break;
    }
    case 4: {
      const std::string js = text({{"customer", "ANA-01"}, {"action", "visit.scan"}, {"summary", "Scan"}, {"at", t}});
      PATRON_FUZZ_CALL(patron_event_record, db, js.c_str());
      fuzz::read_back(db, "ANA-01");
      PATRON_FUZZ_CALL(patron_feed, db, 0, 5);
      break;
    }
    case 5:
      PATRON_FUZZ_CALL(patron_timeline, db, "ANA-01", text({{"from", t}, {"until", u}}).c_str(), nullptr, 20);
      PATRON_FUZZ_CALL(patron_timeline, db, "ANA-01", text({{"until", t}}).c_str(), nullptr, 20);
      break;
    case 6:
      PATRON_FUZZ_CALL(patron_credential_set_validity, db, card, ts, us);
      PATRON_FUZZ_CALL(patron_credential_get, db, card);
      PATRON_FUZZ_CALL(patron_identify_credential, db, "04A1B2C3", ts);
      break;
    case 7:
      PATRON_FUZZ_CALL(patron_door_check, db, "ANA-01", "front-gate", ts);
      fuzz::check_rc("patron_membership_has_active", patron_membership_has_active(db, "ANA-01", plan, ts));
      break;
    case 8: {
      std::int64_t count = 0;
      PATRON_FUZZ_CALL(patron_visit_record, db, "ANA-01", "spa", card, ts);
      fuzz::check_rc("patron_visit_count", patron_visit_count(db, "ANA-01", "spa", ts, us, &count));
      PATRON_FUZZ_CALL(patron_visit_list, db, "ANA-01", nullptr, ts, us, 20, 0);
      PATRON_FUZZ_CALL(patron_visit_at_place, db, "spa", nullptr, ts, 20, 0);
      break;
    }
    case 9:
      PATRON_FUZZ_CALL(patron_points_expire, db, "stars", ts);
      PATRON_FUZZ_CALL(patron_loyalty_tier_at, db, "ANA-01", "stars", ts);
      PATRON_FUZZ_CALL(patron_loyalty_evaluate_tiers, db, "stars", ts);
      PATRON_FUZZ_CALL(patron_reward_list, db, "stars", ts);
      PATRON_FUZZ_CALL(patron_points_lots, db, "ANA-01", "stars");
      PATRON_FUZZ_CALL(patron_loyalty_progress, db, "ANA-01", "stars");
      break;
    case 10: {
      std::int64_t count = 0;
      fuzz::check_rc("patron_analytics_recompute_rfm", patron_analytics_recompute_rfm(db, "GBP", ts, &count));
      PATRON_FUZZ_CALL(patron_analytics_rfm, db, "ANA-01", "GBP");
      PATRON_FUZZ_CALL(patron_analytics_summaries, db, text({{"currency", "GBP"}, {"cutoff", t}}).c_str());
      PATRON_FUZZ_CALL(patron_analytics_predict, db, "ANA-01", text({{"currency", "GBP"}, {"at", t}}).c_str());
      break;
    }
    case 11: {
      json m = {{"plan", plan}, {"customer", "ANA-01"}, {"starts_at", t}};
      if (us != nullptr) m["ends_at"] = u;
      PATRON_FUZZ_CALL(patron_membership_add, db, text(m).c_str());
      PATRON_FUZZ_CALL(patron_membership_effective, db, "ANA-01");
      fuzz::check_rc("patron_membership_has_active", patron_membership_has_active(db, "ANA-01", plan, us));
      break;
    }
    case 12: {
      const std::string earn = text({{"customer", "ANA-01"}, {"program", "stars"}, {"points", 10},
                                     {"pending_until", t}, {"idempotency_key", next_ref("k-")}});
      PATRON_FUZZ_CALL(patron_points_earn, db, earn.c_str());
      PATRON_FUZZ_CALL(patron_points_accounts, db, "ANA-01");
      PATRON_FUZZ_CALL(patron_points_lots, db, "ANA-01", "stars");
      json reward = {{"id", "r"}, {"program", "stars"}, {"name", "R"}, {"cost", 1}, {"active_from", t}};
      if (us != nullptr) reward["active_until"] = u;
      PATRON_FUZZ_CALL(patron_reward_save, db, text(reward).c_str());
      PATRON_FUZZ_CALL(patron_reward_available, db, "ANA-01", "stars");
      break;
    }
    case 13: {
      json p = {{"customer", "ANA-01"}, {"door", "front-gate"}, {"starts_at", t}};
      if (us != nullptr) p["ends_at"] = u;
      PATRON_FUZZ_CALL(patron_permission_grant, db, text(p).c_str());
      PATRON_FUZZ_CALL(patron_permission_of_customer, db, "ANA-01");
      PATRON_FUZZ_CALL(patron_door_check, db, "ANA-01", "front-gate", nullptr);
      break;
    }
  }
  return 0;
}
