// Loyalty through the C ABI: programs, tiers, the points ledger and
// rewards. Definitions and ledger writes are documents in, every answer is
// JSON out.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "capi_internal.hpp"
#include "patron/json.hpp"
#include "patron/loyalty.hpp"

namespace {

using patron::capi::Args;
using patron::capi::c_names;
using patron::capi::guard;
using patron::capi::json_call;
using patron::capi::optional_text;
using patron::capi::optional_time;
namespace json = patron::json;

// A write from a request document (`argument` names it when NULL).
template <class Decode, class Write>
int request_call(patron_db* db, const char* text, const char* argument, char** out_json, const char* function,
                 Decode decode, Write write) {
  return json_call(out_json, function, [&](const Args& a) {
    auto& loyalty = a.db(db).loyalty();
    const auto request = decode(a.text(text, argument));
    return c_names({{"ref", "customer"}}, [&] { return json::encode(write(loyalty, request)); });
  });
}

// The typed hot paths' answer: the entry's id, points and balance after it
// into the out-parameters given.
int typed_entry(const patron::PointsEntry& e, int64_t* out_entry, int64_t* out_points, int64_t* out_balance_after) {
  if (out_entry != nullptr) *out_entry = e.id;
  if (out_points != nullptr) *out_points = e.points;
  if (out_balance_after != nullptr) *out_balance_after = e.balance_after;
  return PATRON_OK;
}

}  // namespace

extern "C" {

// Programs and tiers.

int patron_loyalty_program_create(patron_db* db, const char* json, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& loyalty = a.db(db).loyalty();
    return json::encode(loyalty.create_program(json::decode_program(a.text(json, "json"))));
  });
}

int patron_loyalty_program_update(patron_db* db, const char* json, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& loyalty = a.db(db).loyalty();
    const patron::Program program = json::decode_program(a.text(json, "json"));
    // The program to change is the document's "id".
    return c_names({{"program", "id"}}, [&] { return json::encode(loyalty.update_program(program)); });
  });
}

int patron_loyalty_program_get(patron_db* db, const char* program, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& loyalty = a.db(db).loyalty();
    const std::string_view p = a.text(program, "program");
    return c_names({{"id", "program"}}, [&] { return json::encode(loyalty.program(p)); });
  });
}

int patron_loyalty_program_list(patron_db* db, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) { return json::encode(a.db(db).loyalty().programs()); });
}

int patron_loyalty_tier_save(patron_db* db, const char* json, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& loyalty = a.db(db).loyalty();
    return json::encode(loyalty.save_tier(json::decode_tier(a.text(json, "json"))));
  });
}

int patron_loyalty_tier_remove(patron_db* db, const char* program, const char* tier) {
  const Args args(__func__);
  return guard([&]() -> int {
    auto& loyalty = args.db(db).loyalty();
    const std::string_view p = args.text(program, "program");
    const std::string_view t = args.text(tier, "tier");
    c_names({{"id", "tier"}}, [&] { loyalty.remove_tier(p, t); });
    return PATRON_OK;
  });
}

int patron_loyalty_tier_list(patron_db* db, const char* program, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& loyalty = a.db(db).loyalty();
    return json::encode(loyalty.tiers(a.text(program, "program")));
  });
}

// The ledger.

int patron_points_earn(patron_db* db, const char* request_json, char** out_json) {
  return request_call(db, request_json, "request_json", out_json, __func__, json::decode_earn_request,
                      [](patron::Loyalty& l, const patron::EarnRequest& r) { return l.earn(r); });
}

int patron_points_earn_many(patron_db* db, const char* json_array, char** out_json) {
  return request_call(db, json_array, "json_array", out_json, __func__, json::decode_earn_requests,
                      [](patron::Loyalty& l, const std::vector<patron::EarnRequest>& r) { return l.earn_many(r); });
}

int patron_points_redeem(patron_db* db, const char* request_json, char** out_json) {
  return request_call(db, request_json, "request_json", out_json, __func__, json::decode_redeem_request,
                      [](patron::Loyalty& l, const patron::RedeemRequest& r) { return l.redeem(r); });
}

int patron_points_redeem_many(patron_db* db, const char* json_array, char** out_json) {
  return request_call(db, json_array, "json_array", out_json, __func__, json::decode_redeem_requests,
                      [](patron::Loyalty& l, const std::vector<patron::RedeemRequest>& r) { return l.redeem_many(r); });
}

int patron_points_earn_typed(patron_db* db, const char* customer, const char* program, int64_t points,
                             int64_t amount, const char* currency, const char* reference, const char* idempotency_key,
                             int64_t* out_entry, int64_t* out_points, int64_t* out_balance_after) {
  const Args args(__func__);
  return guard([&]() -> int {
    auto& loyalty = args.db(db).loyalty();
    patron::EarnRequest r{.customer_ref = std::string(args.text(customer, "customer")),
                          .program = std::string(args.text(program, "program"))};
    if (points != 0) r.points = points;
    if (amount != 0) r.amount = amount;
    r.currency = std::string(optional_text(currency));
    r.reference = std::string(optional_text(reference));
    r.idempotency_key = std::string(args.text(idempotency_key, "idempotency_key"));
    return typed_entry(c_names({{"ref", "customer"}}, [&] { return loyalty.earn(r); }), out_entry, out_points,
                       out_balance_after);
  });
}

int patron_points_redeem_typed(patron_db* db, const char* customer, const char* program, int64_t points,
                               const char* reference, const char* idempotency_key, int64_t* out_entry,
                               int64_t* out_points, int64_t* out_balance_after) {
  const Args args(__func__);
  return guard([&]() -> int {
    auto& loyalty = args.db(db).loyalty();
    const patron::RedeemRequest r{.customer_ref = std::string(args.text(customer, "customer")),
                                  .program = std::string(args.text(program, "program")),
                                  .points = points,
                                  .reference = std::string(optional_text(reference)),
                                  .idempotency_key = std::string(args.text(idempotency_key, "idempotency_key"))};
    return typed_entry(c_names({{"ref", "customer"}}, [&] { return loyalty.redeem(r); }), out_entry, out_points,
                       out_balance_after);
  });
}

int patron_points_adjust(patron_db* db, const char* request_json, char** out_json) {
  return request_call(db, request_json, "request_json", out_json, __func__, json::decode_adjust_request,
                      [](patron::Loyalty& l, const patron::AdjustRequest& r) { return l.adjust(r); });
}

int patron_points_reverse(patron_db* db, int64_t entry, int64_t points, const char* idempotency_key, const char* reason,
                          char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& loyalty = a.db(db).loyalty();
    const std::string_view key = a.text(idempotency_key, "idempotency_key");
    return json::encode(loyalty.reverse(entry, points, key, optional_text(reason)));
  });
}

int patron_points_transfer(patron_db* db, const char* request_json, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& loyalty = a.db(db).loyalty();
    const patron::TransferRequest request = json::decode_transfer_request(a.text(request_json, "request_json"));
    // The giver is the document's "from", the receiver its "to".
    return c_names({{"ref", "from"}}, [&] { return json::encode(loyalty.transfer(request)); });
  });
}

int patron_points_expire(patron_db* db, const char* program, const char* at_iso, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& loyalty = a.db(db).loyalty();
    const std::string_view p = a.text(program, "program");
    return json::encode(loyalty.expire(p, optional_time(at_iso, "at")));
  });
}

int patron_points_account(patron_db* db, const char* ref, const char* program, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& loyalty = a.db(db).loyalty();
    const std::string_view r = a.text(ref, "ref");
    return json::encode(loyalty.account(r, a.text(program, "program")));
  });
}

int patron_points_accounts(patron_db* db, const char* ref, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& loyalty = a.db(db).loyalty();
    return json::encode(loyalty.accounts(a.text(ref, "ref")));
  });
}

int patron_points_entry(patron_db* db, int64_t id, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) { return json::encode(a.db(db).loyalty().entry(id)); });
}

int patron_points_entries(patron_db* db, const char* ref, const char* program, size_t limit, size_t offset,
                          char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& loyalty = a.db(db).loyalty();
    const std::string_view r = a.text(ref, "ref");
    return json::encode(loyalty.entries(r, a.text(program, "program"), patron::Page{limit, offset}));
  });
}

int patron_points_lots(patron_db* db, const char* ref, const char* program, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& loyalty = a.db(db).loyalty();
    const std::string_view r = a.text(ref, "ref");
    return json::encode(loyalty.lots(r, a.text(program, "program")));
  });
}

// Tiers of customers.

int patron_loyalty_tier_of(patron_db* db, const char* ref, const char* program, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& loyalty = a.db(db).loyalty();
    const std::string_view r = a.text(ref, "ref");
    return json::encode(loyalty.tier(r, a.text(program, "program")));
  });
}

int patron_loyalty_tier_at(patron_db* db, const char* ref, const char* program, const char* at, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& loyalty = a.db(db).loyalty();
    const std::string_view r = a.text(ref, "ref");
    const std::string_view p = a.text(program, "program");
    const patron::Timestamp t = patron::parse_timestamp(a.text(at, "at"), "at");
    return json::encode(loyalty.tier_at(r, p, t));
  });
}

int patron_loyalty_progress(patron_db* db, const char* ref, const char* program, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& loyalty = a.db(db).loyalty();
    const std::string_view r = a.text(ref, "ref");
    return json::encode(loyalty.progress(r, a.text(program, "program")));
  });
}

int patron_loyalty_tier_history(patron_db* db, const char* ref, const char* program, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& loyalty = a.db(db).loyalty();
    const std::string_view r = a.text(ref, "ref");
    return json::encode(loyalty.tier_history(r, a.text(program, "program")));
  });
}

int patron_loyalty_evaluate_tiers(patron_db* db, const char* program, const char* at_iso, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& loyalty = a.db(db).loyalty();
    const std::string_view p = a.text(program, "program");
    return json::encode(loyalty.evaluate_tiers(p, optional_time(at_iso, "at")));
  });
}

// Rewards.

int patron_reward_save(patron_db* db, const char* json, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& loyalty = a.db(db).loyalty();
    return json::encode(loyalty.save_reward(json::decode_reward(a.text(json, "json"))));
  });
}

int patron_reward_get(patron_db* db, const char* reward, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& loyalty = a.db(db).loyalty();
    const std::string_view r = a.text(reward, "reward");
    return c_names({{"id", "reward"}}, [&] { return json::encode(loyalty.reward(r)); });
  });
}

int patron_reward_list(patron_db* db, const char* program, const char* active_at_iso, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& loyalty = a.db(db).loyalty();
    const std::string_view p = a.text(program, "program");
    return json::encode(loyalty.rewards(p, optional_time(active_at_iso, "active_at")));
  });
}

int patron_reward_redeem(patron_db* db, const char* ref, const char* reward, const char* idempotency_key,
                         char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    auto& loyalty = a.db(db).loyalty();
    const std::string_view r = a.text(ref, "ref");
    const std::string_view w = a.text(reward, "reward");
    return json::encode(loyalty.redeem_reward(r, w, a.text(idempotency_key, "idempotency_key")));
  });
}

int patron_reward_available(patron_db* db, const char* ref, const char* program, char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& loyalty = a.db(db).loyalty();
    const std::string_view r = a.text(ref, "ref");
    return json::encode(loyalty.available_rewards(r, a.text(program, "program")));
  });
}

int patron_reward_redemptions(patron_db* db, const char* ref, const char* program, size_t limit, size_t offset,
                              char** out_json) {
  return json_call(out_json, __func__, [&](const Args& a) {
    const auto& loyalty = a.db(db).loyalty();
    const std::string_view r = a.text(ref, "ref");
    return json::encode(loyalty.reward_redemptions(r, a.text(program, "program"), patron::Page{limit, offset}));
  });
}

}  // extern "C"
