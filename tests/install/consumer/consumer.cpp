#include <patron/patron.hpp>

#include <iostream>

int main(int argc, char** argv) {
  auto db = patron::Database::open(argc > 1 ? argv[1] : "consumer.db");
  auto c = db.customers().create({.first_name = "Ana", .last_name = "Silva", .email = "ana@example.com"});
  if (db.identify_ids("ANA@example.com").front() != c.id) return 1;
  std::cout << "c++ ok " << c.number << " (patron " << patron::version() << ")\n";
  return 0;
}
