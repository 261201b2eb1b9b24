// The demo the README's first command runs: a customer database in one
// SQLite file, the three ways to create a customer, identification, a
// refused duplicate email, a ban, a profile as JSON, then orders pushed in
// (one naming a new customer by details), what they add up to, RFM, and
// loyalty: points earned with idempotency keys (a till's retry counts once),
// a tier, a staff category's quote, a reward and a visit.
#include <patron/patron.hpp>

#include <filesystem>
#include <iostream>

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : "patron-demo.db";
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);

  auto db = patron::Database::open(path, {.default_region = "GB"});
  auto& customers = db.customers();
  std::cout << "patron " << patron::version() << ", schema " << db.schema_version() << ", file " << path << "\n\n";

  // The three ways to create a customer.
  auto ana = customers.create({.first_name = "Ana", .last_name = "Silva", .email = "Ana.Silva@Example.com"});
  auto guest = customers.create({.email = "guest@bücher.de"});
  auto jose = customers.create({.first_name = "José", .phone = "07911 123456"});
  for (const auto& c : {ana, guest, jose}) {
    std::cout << "created " << c.number << "  " << c.id.str() << "  "
              << (c.first_name.empty() ? "(no name)" : c.first_name + " " + c.last_name) << "\n";
  }

  // Identification by email (any case), phone (any format) and number.
  for (const char* token : {"ANA.SILVA@example.com", "+44 7911 123456", "00002"}) {
    for (const auto& m : db.identify(token)) {
      std::cout << "identify(\"" << token << "\") -> " << m.customer.number << " by " << patron::to_string(m.matched_on)
                << "\n";
    }
  }
  std::cout << "search(\"jose\") -> " << customers.search("jose").size() << " customer(s)\n";

  // An email belongs to one customer only.
  try {
    customers.add_email(jose.number, "ana.silva@example.com");
  } catch (const patron::Error& e) {
    std::cout << "refused: [" << patron::errc_name(e.code()) << "] " << e.what() << "\n";
  }

  customers.ban(guest.id.str(), "chargeback fraud", "manager:kim");
  customers.add_address(ana.number, {.purpose = patron::AddressPurpose::billing,
                                     .line1 = "1 Rua Augusta",
                                     .city = "Lisboa",
                                     .postal_code = "1100-053",
                                     .country = "pt"});
  std::cout << "\nguest is now " << patron::to_string(customers.get(guest.number).status) << "\n";
  std::cout << "\nprofile of " << ana.number << ":\n" << patron::json::encode(customers.get(ana.id.str())) << "\n";

  // Orders from the till: by customer number, or by details from the flow.
  const auto day = std::chrono::days(1);
  const auto now = patron::system_now();
  int ref = 0;
  auto order = [&](patron::CustomerRef who, std::int64_t total, patron::Timestamp at) {
    patron::NewOrder o;
    o.customer = std::move(who);
    o.source = "till-1";
    o.external_ref = "T" + std::to_string(++ref);
    o.placed_at = at;
    o.status = patron::OrderStatus::completed;
    o.currency = "EUR";
    o.total = total;
    o.items = {{.name = "Pastel de nata", .quantity = 2, .unit_price = total / 2, .category = "bakery"}};
    return db.orders().record(o);
  };
  order({.ref = ana.number}, 480, now - 40 * day);
  order({.ref = ana.number}, 620, now - 12 * day);
  const auto walk_in = order({.details = patron::CustomerDetails{.first_name = "Rui", .last_name = "Costa", .phone = "020 7946 0018"}},
                             300,
                             now - 2 * day);
  const auto again = order({.details = patron::CustomerDetails{.first_name = "RUI", .phone = "+44 20 7946 0018"}}, 150,
                           now - day);
  std::cout << "\norder " << walk_in.record.external_ref << ": customer " << patron::to_string(walk_in.customer_match)
            << "; order " << again.record.external_ref << ": customer " << patron::to_string(again.customer_match)
            << "\n";
  const auto stats = db.analytics().stats(ana.number);
  std::cout << "Ana: " << stats.orders << " orders, " << stats.by_currency[0].spend << " " << stats.by_currency[0].currency
            << " cents, average " << stats.by_currency[0].average_order_value << ", last " << *stats.days_since_last_order
            << " days ago\n";
  db.analytics().recompute_rfm("EUR");
  for (const auto& c : {ana, jose}) {
    if (auto rfm = db.analytics().rfm(c.number, "EUR")) {
      std::cout << "RFM " << c.number << ": R" << rfm->recency_score << " F" << rfm->frequency_score << " M"
                << rfm->monetary_score << " -> " << patron::to_string(rfm->segment) << "\n";
    }
  }

  // Loyalty: 1 point per euro, gold at 10 points (double points), staff earn
  // half as much again and get 20% off.
  auto& loyalty = db.loyalty();
  loyalty.create_program({.id = "stars", .name = "Stars", .points_name = "stars", .currency = "EUR",
                          .per_amount = 100, .expiry_months = 24});
  loyalty.save_tier({.program = "stars", .id = "gold", .name = "Gold", .threshold = 10,
                     .earn_multiplier_percent = 200, .benefits = "Free coffee refills"});
  const patron::EarnRequest earn{.customer_ref = ana.number, .program = "stars", .amount = 1250, .reference = "T1",
                                 .idempotency_key = "till-1/T1"};
  const auto first = loyalty.earn(earn);
  const auto retry = loyalty.earn(earn);  // the till lost the answer and asks again
  std::cout << "\nearned " << first.points << " stars (entry " << first.id << "), retry -> entry " << retry.id
            << "; balance " << loyalty.account(ana.number, "stars").balance << ", tier "
            << loyalty.tier(ana.number, "stars").value_or(patron::Tier{.name = "none"}).name << "\n";
  db.promotions().create_category({.id = "staff", .name = "Staff", .discount_basis_points = 2000,
                                   .earn_multiplier_percent = 150});
  db.promotions().assign("staff", ana.number);
  const auto q = db.promotions().quote(ana.number, 1000, "EUR", "stars");
  std::cout << "quote 10.00 EUR: " << q.discount << " cents off, pay " << q.to_pay << ", earns " << q.points
            << " stars (tier x" << q.tier_multiplier_percent << "% x category " << q.category_multiplier_percent
            << "%)\n";
  loyalty.save_reward({.id = "nata", .program = "stars", .name = "Pastel de nata", .cost = 8});
  const auto treat = loyalty.redeem_reward(ana.number, "nata", "till-1/R1");
  std::cout << "redeemed a " << loyalty.reward(*treat.reward).name << " for " << -treat.points << " stars; "
            << loyalty.account(ana.number, "stars").spendable << " left\n";
  db.visits().record(ana.number, "front-desk");
  std::cout << "visits of " << ana.number << ": " << db.visits().count(ana.number) << "\n";
  return 0;
}
