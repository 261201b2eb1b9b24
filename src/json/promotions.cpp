// Promotion categories, applied categories and quotes as JSON.
#include "json/json_internal.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace patron::json {

using namespace internal;

namespace internal {

json to_json(const PromotionCategory& c) {
  return {{"id", c.id},
          {"name", c.name},
          {"discount_basis_points", c.discount_basis_points},
          {"earn_multiplier_percent", c.earn_multiplier_percent},
          {"credit_limit", c.credit_limit},
          {"credit_currency", c.credit_currency},
          {"created_at", format_timestamp(c.created_at)},
          {"updated_at", format_timestamp(c.updated_at)}};
}

json to_json(const AppliedCategory& a) {
  return {{"category", to_json(a.category)}, {"direct", a.direct}, {"companies", a.companies}};
}

}  // namespace internal

std::string encode(const PromotionCategory& category) { return to_json(category).dump(); }
std::string encode(const std::vector<PromotionCategory>& categories) { return encode_list(categories); }
std::string encode(const AppliedCategory& applied) { return to_json(applied).dump(); }
std::string encode(const std::vector<AppliedCategory>& applied) { return encode_list(applied); }

std::string encode(const Quote& q) {
  return json{{"amount", q.amount},
              {"currency", q.currency},
              {"discount_basis_points", q.discount_basis_points},
              {"discount", q.discount},
              {"to_pay", q.to_pay},
              {"program", opt_text(q.program)},
              {"points", q.points},
              {"tier", opt_text(q.tier)},
              {"tier_multiplier_percent", q.tier_multiplier_percent},
              {"category_multiplier_percent", q.category_multiplier_percent},
              {"credit_limit", q.credit_limit},
              {"credit_available", q.credit_available},
              {"categories", q.categories}}
      .dump();
}

PromotionCategory decode_promotion_category(std::string_view text) {
  const json j = parse_json(text);
  require_object(j, "", {"id", "name", "discount_basis_points", "earn_multiplier_percent", "credit_limit",
                         "credit_currency"});
  PromotionCategory c;
  c.id = get_string(j, "id", "id");
  c.name = get_string(j, "name", "name");
  c.discount_basis_points = get_int(j, "discount_basis_points", "discount_basis_points", c.discount_basis_points);
  c.earn_multiplier_percent =
      get_int(j, "earn_multiplier_percent", "earn_multiplier_percent", c.earn_multiplier_percent);
  c.credit_limit = get_int(j, "credit_limit", "credit_limit", c.credit_limit);
  c.credit_currency = get_string(j, "credit_currency", "credit_currency");
  return c;
}

}  // namespace patron::json
