// Documents: exact bytes back (NUL and high bytes, across chunk borders),
// files streamed in and out by path, SHA-256, the size limit (from memory
// and from a path), unreadable and unwritable paths, names, media types and
// kinds, newest-first listing, removal, refusals that leave nothing behind,
// and the timeline.
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <fstream>
#include <random>

#include "files.hpp"
#include "fixture.hpp"
#include "row_count.hpp"

using namespace patron;
using namespace std::chrono_literals;
using patron::testing::count_rows;
using patron::testing::DbFixture;
using patron::testing::expect_error;
using patron::testing::read_file;
using patron::testing::write_file;

namespace patron {
inline std::ostream& operator<<(std::ostream& os, DocumentKind v) { return os << to_string(v); }
}  // namespace patron

namespace {

constexpr const char* kNobody = "0190f0c2a1b27c3d8e4f5a6b7c8d9e0f";
constexpr const char* kSha256Abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
constexpr const char* kSha256Empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

std::string random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 gen(seed);
  std::string out(n, '\0');
  for (auto& ch : out) ch = static_cast<char>(gen() & 0xFF);
  return out;
}


struct DocumentsFixture : DbFixture {
  Customer ana = customers().create({.first_name = "Ana", .last_name = "Silva"});
  Customer ben = customers().create({.first_name = "Ben", .last_name = "Okafor"});
  Documents& documents() { return db.documents(); }
  NewDocument doc(const std::string& name, DocumentKind kind = DocumentKind::other, const std::string& type = {}) {
    return {.customer_ref = ana.number, .name = name, .media_type = type, .kind = kind};
  }
  std::filesystem::path file(const std::string& name) const { return dir.path() / name; }
  // Nothing of a refused attach is left behind.
  void expect_no_rows() {
    BOOST_TEST(count_rows(path, "documents") == 0);
    BOOST_TEST(count_rows(path, "document_contents") == 0);
  }
};

// A database whose documents may have at most 10 bytes.
struct SmallLimitFixture : DocumentsFixture {
  Database small = [this] {
    Options o = options();
    o.max_document_bytes = 10;
    return Database::open(dir.file("small.db"), o);
  }();
  Customer cara = small.customers().create({.first_name = "Cara", .last_name = "Lim"});
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(documents, DocumentsFixture)

BOOST_AUTO_TEST_CASE(kind_names_round_trip) {
  const std::vector<std::pair<DocumentKind, std::string>> kinds{
      {DocumentKind::agreement, "agreement"}, {DocumentKind::contract, "contract"},
      {DocumentKind::identification, "identification"}, {DocumentKind::waiver, "waiver"},
      {DocumentKind::consent_form, "consent_form"}, {DocumentKind::image, "image"}, {DocumentKind::other, "other"}};
  for (const auto& [kind, name] : kinds) {
    BOOST_TEST(to_string(kind) == name);
    BOOST_TEST(parse_document_kind(name) == kind);
  }
  expect_error([] { parse_document_kind("Waiver"); }, Errc::invalid_argument, "kind",
               "kind: must be one of agreement, contract, identification, waiver, consent_form, image, other");
  expect_error([] { parse_document_kind("x", "[0].kind"); }, Errc::invalid_argument, "[0].kind");
}

BOOST_AUTO_TEST_CASE(exact_bytes_round_trip) {
  const std::string tricky("\0\x01\x7f\x80\xfe\xff NUL\0 in the middle\0", 24);
  const Document d = documents().attach(doc("blob.bin", DocumentKind::other, "application/octet-stream"), tricky);
  BOOST_TEST(d.id > 0);
  BOOST_TEST(d.customer == ana.id);
  BOOST_TEST(d.name == "blob.bin");
  BOOST_TEST(d.size == 24);
  BOOST_TEST(d.created_at == clock.now());
  BOOST_TEST(d.sha256.size() == 64u);
  BOOST_TEST((documents().get(d.id) == d));
  BOOST_TEST(documents().read(d.id) == tricky);

  // Bigger than one chunk, not a multiple of it.
  const std::string big = random_bytes(3 * 64 * 1024 + 17, 7);
  const Document b = documents().attach(doc("big.bin"), big);
  BOOST_TEST(b.size == static_cast<std::int64_t>(big.size()));
  BOOST_TEST(documents().read(b.id) == big);
}

BOOST_AUTO_TEST_CASE(sha256_of_known_vectors) {
  BOOST_TEST(documents().attach(doc("abc.txt", DocumentKind::other, "text/plain"), "abc").sha256 == kSha256Abc);
  const Document empty = documents().attach(doc("empty.txt"), "");
  BOOST_TEST(empty.sha256 == kSha256Empty);
  BOOST_TEST(empty.size == 0);
  BOOST_TEST(documents().read(empty.id).empty());
  BOOST_TEST(documents().read_to_file(empty.id, file("empty.out")) == 0);
  BOOST_TEST(std::filesystem::file_size(file("empty.out")) == 0u);
}

BOOST_AUTO_TEST_CASE(a_multi_mib_file_streams_in_and_out) {
  const std::string bytes = random_bytes(5 * 1024 * 1024 + 321, 42);
  write_file(file("scan.pdf"), bytes);
  const Document d = documents().attach_file(doc("scan.pdf", DocumentKind::identification, "application/pdf"),
                                             file("scan.pdf"));
  BOOST_TEST(d.size == static_cast<std::int64_t>(bytes.size()));
  BOOST_TEST(d.kind == DocumentKind::identification);
  BOOST_TEST(d.media_type == "application/pdf");
  // The same bytes from memory hash the same.
  BOOST_TEST(documents().attach(doc("copy.pdf"), bytes).sha256 == d.sha256);

  BOOST_TEST(documents().read_to_file(d.id, file("out.pdf")) == d.size);
  BOOST_TEST((read_file(file("out.pdf")) == bytes));
  // An existing file is truncated.
  write_file(file("small.out"), std::string(100, 'x'));
  const Document abc = documents().attach(doc("abc.txt"), "abc");
  BOOST_TEST(documents().read_to_file(abc.id, file("small.out")) == 3);
  BOOST_TEST(read_file(file("small.out")) == "abc");
}

BOOST_AUTO_TEST_CASE(names_media_types_and_kinds_are_checked) {
  const auto attach = [&](NewDocument d) { return [&, d] { documents().attach(d, "x"); }; };
  expect_error(attach(doc("")), Errc::invalid_argument, "name", "name: must not be empty");
  expect_error(attach(doc("  ")), Errc::invalid_argument, "name");
  expect_error(attach(doc("a/b.pdf")), Errc::invalid_argument, "name", "\"/\"");
  expect_error(attach(doc("a\\b.pdf")), Errc::invalid_argument, "name");
  expect_error(attach(doc("..")), Errc::invalid_argument, "name");
  expect_error(attach(doc("tab\there.pdf")), Errc::invalid_argument, "name", "control characters");
  expect_error(attach(doc(std::string(256, 'a'))), Errc::invalid_argument, "name");
  for (const char* bad : {"pdf", "application/", "/pdf", "appli cation/pdf", "application/pdf/x", "text/plain; charset",
                          "text/plain; =x", "text/plain; charset=", "-text/plain", "tëxt/plain"}) {
    BOOST_TEST_CONTEXT("media type " << bad) {
      expect_error(attach(doc("a.txt", DocumentKind::other, bad)), Errc::invalid_argument, "media_type", "RFC 6838");
    }
  }
  expect_error(attach(doc("a.txt", static_cast<DocumentKind>(99))), Errc::invalid_argument, "kind");
  expect_error([&] { documents().attach({.customer_ref = kNobody, .name = "a.txt"}, "x"); }, Errc::not_found, "ref");
  expect_error([&] { documents().attach({.customer_ref = "?", .name = "a.txt"}, "x"); }, Errc::invalid_argument,
               "ref");
  expect_no_rows();

  BOOST_TEST(documents().attach(doc(std::string(255, 'a')), "x").name.size() == 255u);
  BOOST_TEST(documents().attach(doc(" Überweisung (1).PDF "), "x").name == "Überweisung (1).PDF");
  BOOST_TEST(documents().attach(doc("a"), "x").media_type == "application/octet-stream");
  BOOST_TEST(documents().attach(doc("a", DocumentKind::other, " Application/PDF "), "x").media_type ==
             "application/pdf");
  BOOST_TEST(documents().attach(doc("a", DocumentKind::other, "text/plain;Charset=utf-8"), "x").media_type ==
             "text/plain; charset=utf-8");
  BOOST_TEST(documents().attach(doc("a", DocumentKind::other, "application/vnd.ms-excel"), "x").media_type ==
             "application/vnd.ms-excel");
  BOOST_TEST(documents().attach(doc("a", DocumentKind::waiver), "x").kind == DocumentKind::waiver);
}

BOOST_FIXTURE_TEST_CASE(the_size_limit_holds_from_memory_and_from_a_path, SmallLimitFixture) {
  auto& docs = small.documents();
  const NewDocument d{.customer_ref = cara.number, .name = "a.bin"};
  expect_error([&] { docs.attach(d, std::string(11, 'x')); }, Errc::invalid_argument, "bytes",
               "bytes: the document is 11 bytes, over the limit of 10 bytes");
  write_file(file("eleven.bin"), std::string(11, 'x'));
  expect_error([&] { docs.attach_file(d, file("eleven.bin")); }, Errc::invalid_argument, "path",
               "eleven.bin' is 11 bytes, over the limit of 10 bytes");
  BOOST_TEST(count_rows(dir.file("small.db"), "documents") == 0);
  BOOST_TEST(count_rows(dir.file("small.db"), "document_contents") == 0);
  BOOST_TEST(docs.attach(d, std::string(10, 'x')).size == 10);
  write_file(file("ten.bin"), std::string(10, 'y'));
  BOOST_TEST(docs.attach_file(d, file("ten.bin")).size == 10);
  // The default limit is 25 MiB.
  BOOST_TEST(Options{}.max_document_bytes == 25 * 1024 * 1024);
}

BOOST_AUTO_TEST_CASE(unreadable_and_unwritable_paths_are_refused) {
  expect_error([&] { documents().attach_file(doc("a.pdf"), file("missing.pdf")); }, Errc::invalid_argument, "path",
               "missing.pdf': No such file or directory");
  std::filesystem::create_directory(file("folder"));
  expect_error([&] { documents().attach_file(doc("a.pdf"), file("folder")); }, Errc::invalid_argument, "path",
               "folder");
  expect_no_rows();
  const Document d = documents().attach(doc("a.txt"), "abc");
  expect_error([&] { documents().read_to_file(d.id, file("no/such/dir/a.txt")); }, Errc::invalid_argument, "path",
               "No such file or directory");
  // A missing document creates no file.
  expect_error([&] { documents().read_to_file(d.id + 100, file("x.txt")); }, Errc::not_found, "id");
  BOOST_TEST(!std::filesystem::exists(file("x.txt")));
}

BOOST_AUTO_TEST_CASE(listed_newest_first_and_removed) {
  const Document a = documents().attach(doc("a.txt"), "a");
  clock.advance(1min);
  const Document b = documents().attach(doc("b.txt"), "b");
  const Document c = documents().attach(doc("c.txt"), "c");  // same time as b: the later id first
  documents().attach({.customer_ref = ben.number, .name = "ben.txt"}, "ben");
  const auto listed = documents().of_customer(ana.id.str());
  BOOST_TEST_REQUIRE(listed.size() == 3u);
  BOOST_TEST((listed[0] == c));
  BOOST_TEST((listed[1] == b));
  BOOST_TEST((listed[2] == a));
  BOOST_TEST(documents().of_customer(ben.number).size() == 1u);
  expect_error([&] { documents().of_customer(kNobody); }, Errc::not_found, "ref");

  documents().remove(b.id);
  BOOST_TEST(documents().of_customer(ana.number).size() == 2u);
  BOOST_TEST(count_rows(path, "document_contents") == 3);
  expect_error([&] { documents().get(b.id); }, Errc::not_found, "id", "no document");
  expect_error([&] { documents().read(b.id); }, Errc::not_found, "id");
  expect_error([&] { documents().remove(b.id); }, Errc::not_found, "id");
  BOOST_TEST(documents().read(a.id) == "a");
  BOOST_TEST(documents().attach(doc("d.txt"), "d").id > c.id);
}

BOOST_AUTO_TEST_CASE(attaching_and_removing_record_events) {
  const Document d = documents().attach(doc("abc.txt", DocumentKind::waiver, "text/plain"), "abc");
  documents().remove(d.id);
  std::vector<Event> events;
  for (auto& e : db.activity().timeline(ana.number).events) {
    if (e.action.starts_with("document.")) events.push_back(e);
  }
  BOOST_TEST_REQUIRE(events.size() == 2u);
  BOOST_TEST(events[0].action == "document.removed");
  BOOST_TEST(events[0].summary == "Document removed");
  BOOST_TEST(events[1].action == "document.attached");
  BOOST_TEST(events[1].summary == "Document attached");
  for (const auto& e : events) {
    for (const std::string& part : {"\"document\":" + std::to_string(d.id), std::string("\"name\":\"abc.txt\""),
                                   std::string("\"kind\":\"waiver\""), std::string("\"size\":3"),
                                   "\"sha256\":\"" + std::string(kSha256Abc) + "\""}) {
      BOOST_TEST(e.details.find(part) != std::string::npos, e.details << " should have " << part);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
