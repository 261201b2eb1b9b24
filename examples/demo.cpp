// The demo the README's first command runs: a customer database in one
// SQLite file, the three ways to create a customer, identification, a
// refused duplicate email, a ban, and a profile as JSON.
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
  return 0;
}
