// Loyalty, purses and promotions through the C ABI: program, tier, reward
// and category definitions; earn, redeem, adjust and transfer requests and
// their batches; purse requests; quotes. After a write every customer the
// answer names is read back: points and purse accounts, entries, lots, tier
// progress, categories (the sums of the ledgers).
//
// The fixture: Ana ("ANA-01") and Bo ("BO-01"), the program "stars" (GBP,
// 1 point per 100), tier "gold" (1000 points), reward "coffee" (100 points),
// Ana with 500 points, a GBP purse of 5000 and the category "staff".
//
// Operations (first byte; arguments separated by '\n'):
//   a PROGRAM                       patron_loyalty_program_create, _update
//   b TIER                          patron_loyalty_tier_save, _tier_list
//   c REWARD                        patron_reward_save, _get, _list, _available
//   d EARN                          patron_points_earn
//   e [EARN, ...]                   patron_points_earn_many
//   f REDEEM                        patron_points_redeem
//   g [REDEEM, ...]                 patron_points_redeem_many
//   h ADJUST                        patron_points_adjust
//   i TRANSFER                      patron_points_transfer
//   j PURSE_REQUEST                 patron_purse_top_up, _charge
//   k CATEGORY                      patron_category_create, _update
//   l amount \n currency \n program patron_promotion_quote (Ana)
//   m currency \n limit             patron_purse_set_credit_limit, _account (Ana)
//   n points \n key \n reason       patron_points_reverse (Ana's first earn), patron_purse_refund
//   o reward \n key                 patron_reward_redeem (Ana)
//   p points \n amount \n currency \n key   patron_points_earn_typed, _redeem_typed (Ana)
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "harness.hpp"

namespace {

std::int64_t first_earn = 0, first_charge = 0;

void setup(patron_db* db) {
  PATRON_FUZZ_MUST(patron_customer_create, db,
                   R"({"number":"ANA-01","first_name":"Ana","last_name":"Silva","email":"ana@example.com"})");
  PATRON_FUZZ_MUST(patron_customer_create, db, R"({"number":"BO-01","first_name":"Bo","last_name":"Berg"})");
  PATRON_FUZZ_MUST(patron_loyalty_program_create, db,
                   R"({"id":"stars","name":"Stars","currency":"GBP","earn_points":1,"per_amount":100,"expiry_months":12})");
  PATRON_FUZZ_MUST(patron_loyalty_tier_save, db,
                   R"({"program":"stars","id":"gold","name":"Gold","threshold":1000,"earn_multiplier_percent":150})");
  PATRON_FUZZ_MUST(patron_reward_save, db, R"({"id":"coffee","program":"stars","name":"Coffee","cost":100})");
  first_earn = PATRON_FUZZ_MUST(patron_points_earn, db,
                                R"({"customer":"ANA-01","program":"stars","points":500,"idempotency_key":"e-1"})")
                   .at("id")
                   .get<std::int64_t>();
  PATRON_FUZZ_MUST(patron_purse_top_up, db,
                   R"({"customer":"ANA-01","currency":"GBP","amount":5000,"idempotency_key":"t-1"})");
  first_charge = PATRON_FUZZ_MUST(patron_purse_charge, db,
                                  R"({"customer":"ANA-01","currency":"GBP","amount":1000,"idempotency_key":"c-1"})")
                     .at("id")
                     .get<std::int64_t>();
  PATRON_FUZZ_MUST(patron_category_create, db,
                   R"({"id":"staff","name":"Staff","discount_basis_points":1250,"earn_multiplier_percent":200,)"
                   R"("credit_limit":5000,"credit_currency":"GBP"})");
  fuzz::check_rc("patron_category_assign", patron_category_assign(db, "staff", "ANA-01"));
}

fuzz::Db database(setup);

void read_accounts(patron_db* db, const char* ref) {
  PATRON_FUZZ_CALL(patron_points_accounts, db, ref);
  PATRON_FUZZ_CALL(patron_points_entries, db, ref, "stars", 20, 0);
  PATRON_FUZZ_CALL(patron_points_lots, db, ref, "stars");
  PATRON_FUZZ_CALL(patron_loyalty_progress, db, ref, "stars");
  PATRON_FUZZ_CALL(patron_loyalty_tier_history, db, ref, "stars");
  PATRON_FUZZ_CALL(patron_reward_available, db, ref, "stars");
  PATRON_FUZZ_CALL(patron_purse_accounts, db, ref);
  PATRON_FUZZ_CALL(patron_purse_entries, db, ref, "GBP", 20, 0);
  PATRON_FUZZ_CALL(patron_category_of_customer, db, ref);
  PATRON_FUZZ_CALL(patron_promotion_quote, db, ref, 10000, "GBP", "stars");
}

// Reads back every customer a successful answer names (Ana when none).
void read_named(patron_db* db, int rc, const fuzz::json& doc) {
  if (rc != PATRON_OK) return;
  std::vector<std::string> ids;
  fuzz::customers_in(doc, ids);
  if (ids.empty()) ids.emplace_back("ANA-01");
  for (const auto& id : ids) read_accounts(db, id.c_str());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  patron_db* db = database.get();
  const fuzz::Input in = fuzz::split(data, size, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3, 2, 3, 2, 4});
  const char* a0 = in.arg(0);
  fuzz::json doc;
  int rc = 0;
  switch (in.op) {
    case 0:
      if (PATRON_FUZZ_CALL_DOC(doc, patron_loyalty_program_create, db, a0) == PATRON_OK) {
        const std::string id = doc.at("id").get<std::string>();
        PATRON_FUZZ_CALL(patron_loyalty_program_get, db, id.c_str());
      }
      PATRON_FUZZ_CALL(patron_loyalty_program_update, db, a0);
      PATRON_FUZZ_CALL(patron_loyalty_program_list, db);
      read_accounts(db, "ANA-01");
      break;
    case 1:
      PATRON_FUZZ_CALL(patron_loyalty_tier_save, db, a0);
      PATRON_FUZZ_CALL(patron_loyalty_tier_list, db, "stars");
      read_accounts(db, "ANA-01");
      break;
    case 2:
      if (PATRON_FUZZ_CALL_DOC(doc, patron_reward_save, db, a0) == PATRON_OK) {
        const std::string id = doc.at("id").get<std::string>();
        PATRON_FUZZ_CALL(patron_reward_get, db, id.c_str());
      }
      PATRON_FUZZ_CALL(patron_reward_list, db, "stars", nullptr);
      PATRON_FUZZ_CALL(patron_reward_available, db, "ANA-01", "stars");
      break;
    case 3:
      rc = PATRON_FUZZ_CALL_DOC(doc, patron_points_earn, db, a0);
      read_named(db, rc, doc);
      break;
    case 4:
      rc = PATRON_FUZZ_CALL_DOC(doc, patron_points_earn_many, db, a0);
      read_named(db, rc, doc);
      break;
    case 5:
      rc = PATRON_FUZZ_CALL_DOC(doc, patron_points_redeem, db, a0);
      read_named(db, rc, doc);
      break;
    case 6:
      rc = PATRON_FUZZ_CALL_DOC(doc, patron_points_redeem_many, db, a0);
      read_named(db, rc, doc);
      break;
    case 7:
      rc = PATRON_FUZZ_CALL_DOC(doc, patron_points_adjust, db, a0);
      read_named(db, rc, doc);
      break;
    case 8:
      rc = PATRON_FUZZ_CALL_DOC(doc, patron_points_transfer, db, a0);
      read_named(db, rc, doc);
      break;
    case 9:
      rc = PATRON_FUZZ_CALL_DOC(doc, patron_purse_top_up, db, a0);
      read_named(db, rc, doc);
      rc = PATRON_FUZZ_CALL_DOC(doc, patron_purse_charge, db, a0);
      read_named(db, rc, doc);
      break;
    case 10:
      if (PATRON_FUZZ_CALL_DOC(doc, patron_category_create, db, a0) == PATRON_OK) {
        const std::string id = doc.at("id").get<std::string>();
        PATRON_FUZZ_CALL(patron_category_get, db, id.c_str());
        fuzz::check_rc("patron_category_assign", patron_category_assign(db, id.c_str(), "BO-01"));
        read_accounts(db, "BO-01");
      }
      PATRON_FUZZ_CALL(patron_category_update, db, a0);
      PATRON_FUZZ_CALL(patron_category_list, db);
      read_accounts(db, "ANA-01");
      break;
    case 11:
      PATRON_FUZZ_CALL(patron_promotion_quote, db, "ANA-01", fuzz::number(a0), in.arg(1), in.arg(2));
      break;
    case 12:
      PATRON_FUZZ_CALL(patron_purse_set_credit_limit, db, "ANA-01", a0, fuzz::number(in.arg(1)));
      PATRON_FUZZ_CALL(patron_purse_account, db, "ANA-01", a0);
      read_accounts(db, "ANA-01");
      break;
    case 13:
      PATRON_FUZZ_CALL(patron_points_reverse, db, first_earn, fuzz::number(a0), in.arg(1), in.arg(2));
      PATRON_FUZZ_CALL(patron_purse_refund, db, first_charge, fuzz::number(a0), in.arg(1), in.arg(2));
      read_accounts(db, "ANA-01");
      break;
    case 14:
      PATRON_FUZZ_CALL(patron_reward_redeem, db, "ANA-01", a0, in.arg(1));
      read_accounts(db, "ANA-01");
      break;
    case 15: {
      std::int64_t entry = 0, points = 0, balance = 0;
      fuzz::check_rc("patron_points_earn_typed",
                     patron_points_earn_typed(db, "ANA-01", "stars", fuzz::number(a0), fuzz::number(in.arg(1)), in.arg(2),
                                              "", in.arg(3), &entry, &points, &balance));
      fuzz::check_rc("patron_points_redeem_typed",
                     patron_points_redeem_typed(db, "ANA-01", "stars", fuzz::number(a0), "", in.arg(3), &entry, &points,
                                                &balance));
      read_accounts(db, "ANA-01");
      break;
    }
  }
  return 0;
}
