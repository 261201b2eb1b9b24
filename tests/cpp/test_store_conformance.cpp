// The behaviour every storage adapter owes the core, written against the
// ports (patron/store). Each adapter registers a factory below; today SQLite
// on a file and in memory.
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include "fixture.hpp"
#include "patron/store/store.hpp"
#include "sqlite/sqlite_store.hpp"

using namespace patron;
using patron::testing::expect_error;
using patron::testing::TempDir;

namespace {

struct Adapter {
  const char* name;
  std::unique_ptr<store::Store> (*open)(const TempDir& dir);
};

const Adapter kAdapters[] = {
    {"sqlite-file", [](const TempDir& dir) { return sqlite::open_store(dir.file("store.db"), Options{}); }},
    {"sqlite-memory", [](const TempDir&) { return sqlite::open_store(":memory:", Options{}); }},
};


const Timestamp kNow = from_micros(patron::testing::kStartMicros);

Customer sample(std::string number, std::string email) {
  Customer c;
  c.id = CustomerId::generate(kNow);
  c.number = std::move(number);
  c.first_name = "Ana";
  c.last_name = "Silva";
  if (!email.empty()) c.emails.push_back(Email{std::move(email), true});
  c.phones.push_back(Phone{"+447911123456", PhoneLabel::mobile, true});
  c.addresses.push_back(Address{.purpose = AddressPurpose::billing, .line1 = "1 High St", .country = "GB", .is_default = true});
  c.created_at = kNow;
  c.updated_at = kNow;
  return c;
}

}  // namespace

BOOST_TEST_DONT_PRINT_LOG_VALUE(Adapter)

BOOST_DATA_TEST_CASE(insert_then_read_back_in_every_way, boost::unit_test::data::make(kAdapters), adapter) {
  TempDir dir;
  auto st = adapter.open(dir);
  Customer c = sample("00042", "ana@example.com");
  st->write([&](store::Transaction& tx) { tx.customers().insert(c, "ana silva"); });
  BOOST_TEST(c.addresses[0].id > 0);
  st->read([&](store::Transaction& tx) {
    auto& repo = tx.customers();
    BOOST_TEST((repo.by_id(c.id, kNow) == c));
    BOOST_TEST((repo.by_number("00042", kNow) == c));
    BOOST_TEST((repo.by_email("ana@example.com", kNow) == c));
    BOOST_TEST(repo.by_phone("+447911123456", kNow).size() == 1u);
    BOOST_TEST(repo.search({"an", "sil"}, {}, kNow).size() == 1u);
    BOOST_TEST(repo.search({"bo"}, {}, kNow).empty());
    BOOST_TEST(repo.has_id(c.id));
    BOOST_TEST((repo.id_by_email("ana@example.com") == c.id));
    BOOST_TEST(repo.ids_by_phone("+447911123456").size() == 1u);
    BOOST_TEST(!repo.id_by_number("00043").has_value());
  });
}

BOOST_DATA_TEST_CASE(uniqueness_is_enforced_by_storage, boost::unit_test::data::make(kAdapters), adapter) {
  TempDir dir;
  auto st = adapter.open(dir);
  Customer a = sample("ABCDE", "ana@example.com");
  st->write([&](store::Transaction& tx) { tx.customers().insert(a, "ana silva"); });
  Customer same_email = sample("FGHIJ", "ana@example.com");
  expect_error([&] { st->write([&](store::Transaction& tx) { tx.customers().insert(same_email, "x"); }); },
               Errc::already_exists, "email", a.id.str());
  Customer same_number = sample("abcde", "");
  expect_error([&] { st->write([&](store::Transaction& tx) { tx.customers().insert(same_number, "x"); }); },
               Errc::already_exists, "number");
  // Neither refused insert left a row behind.
  st->read([&](store::Transaction& tx) {
    BOOST_TEST(!tx.customers().has_id(same_email.id));
    BOOST_TEST(!tx.customers().has_id(same_number.id));
    BOOST_TEST(tx.customers().search({}, {}, kNow).size() == 1u);
  });
}

BOOST_DATA_TEST_CASE(work_that_throws_is_rolled_back, boost::unit_test::data::make(kAdapters), adapter) {
  TempDir dir;
  auto st = adapter.open(dir);
  Customer a = sample("", "ana@example.com");
  BOOST_CHECK_THROW(st->write([&](store::Transaction& tx) {
    a.number = tx.customers().claim_generated_number();
    tx.customers().insert(a, "ana silva");
    throw std::runtime_error("host failure mid-operation");
  }),
                    std::runtime_error);
  st->read([&](store::Transaction& tx) { BOOST_TEST(!tx.customers().has_id(a.id)); });
  std::string number;
  st->write([&](store::Transaction& tx) { number = tx.customers().claim_generated_number(); });
  BOOST_TEST(number == "00001");  // the rolled-back claim is handed out again
  st->write([&](store::Transaction& tx) { number = tx.customers().claim_generated_number(); });
  BOOST_TEST(number == "00002");
}
