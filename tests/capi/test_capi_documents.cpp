// Documents through the C ABI on a file database: the exact JSON of
// documents, binary bytes in and out (every byte value, empty documents),
// files streamed by path, the size limit of patron_options, the timeline
// events, and every refusal with its code and field.
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <string>

#include "capi_fixture.hpp"
#include "files.hpp"

using namespace capi_test;
using namespace capi_test::ticks;

using patron::testing::read_file;
using patron::testing::write_file;

namespace {

constexpr const char* kAllBytesSha = "40aff2e9d2d8922e47afd4648e6967497158785fbd1da870e7110266bf944880";
constexpr const char* kEmptySha = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr const char* kWaiver = "%PDF-1.7 waiver\n";
constexpr const char* kWaiverSha = "76db45c6c0b7ebde681c284264def45c1c42dec28b24b8cb42d4d0b7a440e56f";

std::string all_bytes() {
  std::string out;
  for (int i = 0; i < 256; ++i) out.push_back(static_cast<char>(i));
  return out;
}


struct Cabinet : AnaAndBo {
  json attach(const std::string& meta, const std::string& bytes, patron_db* on = nullptr) {
    return ok([&](char** o) { return patron_document_attach(on ? on : db, meta.c_str(), bytes.data(), bytes.size(), o); });
  }
  json attach_file(const std::string& meta, const std::string& file) {
    return ok([&](char** o) { return patron_document_attach_file(db, meta.c_str(), file.c_str(), o); });
  }
  json document(std::int64_t id) {
    return ok([&](char** o) { return patron_document_get(db, id, o); });
  }
  json of_customer(const std::string& ref) {
    return ok([&](char** o) { return patron_document_of_customer(db, ref.c_str(), o); });
  }
  std::string read(std::int64_t id) {
    void* data = nullptr;
    std::size_t size = 99;
    const int rc = patron_document_read(db, id, &data, &size);
    BOOST_TEST_REQUIRE(rc == PATRON_OK, describe_failure(rc));
    BOOST_TEST_REQUIRE(data != nullptr);
    std::string out(static_cast<const char*>(data), size);
    patron_free(data);
    return out;
  }
};

json document_json(std::int64_t id, const std::string& customer, const std::string& name, const std::string& media_type,
                   const std::string& kind, std::int64_t size, const std::string& sha256,
                   const std::string& created = kT0Text) {
  return {{"id", id},     {"customer", customer}, {"name", name},     {"media_type", media_type},
          {"kind", kind}, {"size", size},         {"sha256", sha256}, {"created_at", created}};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(capi_documents)

BOOST_AUTO_TEST_CASE(bytes_in_and_out_on_a_file) {
  Cabinet t;
  BOOST_TEST(t.of_customer("ANA-01") == json::array());
  const json scan = t.attach(R"({"customer":"ana-01","name":"scan.bin"})", all_bytes());
  BOOST_TEST(scan == document_json(1, t.ana_id, "scan.bin", "application/octet-stream", "other", 256, kAllBytesSha),
             "got " << scan.dump());

  t.now += kMinute;
  const json empty = ok([&](char** o) {
    return patron_document_attach(t.db, R"({"customer":"ANA-01","name":"empty.txt","media_type":"Text/Plain; charset=utf-8","kind":"consent_form"})",
                                  nullptr, 0, o);
  });
  BOOST_TEST(empty == document_json(2, t.ana_id, "empty.txt", "text/plain; charset=utf-8", "consent_form", 0,
                                    kEmptySha, kT1Text),
             "got " << empty.dump());

  t.reopen();
  BOOST_TEST(t.document(1) == scan);
  BOOST_TEST(t.read(1) == all_bytes());
  BOOST_TEST(t.read(2).empty());  // a non-NULL block of 0 bytes
  BOOST_TEST(t.of_customer(t.ana_id) == json::array({empty, scan}));  // newest first
  BOOST_TEST(t.of_customer("BO-01") == json::array());

  BOOST_TEST(patron_document_remove(t.db, 1) == PATRON_OK);
  fails(PATRON_ENOTFOUND, "id", [&](char** o) { return patron_document_get(t.db, 1, o); });
  BOOST_TEST(t.of_customer("ANA-01") == json::array({empty}));

  const json page = ok([&](char** o) {
    return patron_timeline(t.db, "ANA-01", R"({"text":"document."})", nullptr, 50, o);
  });
  json actions = json::array();
  for (const auto& e : page["events"]) actions.push_back(e["action"]);
  BOOST_TEST(actions == json::array({"document.removed", "document.attached", "document.attached"}),
             "got " << actions.dump());
  BOOST_TEST(page["events"][0]["details"]["sha256"] == kAllBytesSha, "got " << page["events"][0].dump());
}

BOOST_AUTO_TEST_CASE(files_by_path) {
  Cabinet t;
  const std::string in = t.dir.file("waiver.pdf");
  write_file(in, kWaiver);
  const json waiver =
      t.attach_file(R"({"customer":"BO-01","name":"waiver.pdf","media_type":"application/pdf","kind":"waiver"})", in);
  BOOST_TEST(waiver == document_json(1, t.bo_id, "waiver.pdf", "application/pdf", "waiver",
                                     static_cast<std::int64_t>(std::strlen(kWaiver)), kWaiverSha),
             "got " << waiver.dump());
  BOOST_TEST(t.read(1) == kWaiver);

  const std::string out = t.dir.file("copy.pdf");
  write_file(out, "old content that is longer than the waiver");  // truncated
  std::int64_t size = -1;
  BOOST_TEST_REQUIRE(patron_document_read_to_file(t.db, 1, out.c_str(), &size) == PATRON_OK, patron_errmsg());
  BOOST_TEST(size == static_cast<std::int64_t>(std::strlen(kWaiver)));
  BOOST_TEST(read_file(out) == kWaiver);
}

BOOST_AUTO_TEST_CASE(size_limit) {
  Cabinet t;
  patron_options opts;
  patron_options_init(&opts);
  BOOST_TEST(opts.max_document_bytes == 25 * 1024 * 1024);
  opts.max_document_bytes = 16;
  patron_db* small = nullptr;
  BOOST_TEST_REQUIRE(patron_open(&small, t.path.c_str(), &opts) == PATRON_OK, patron_errmsg());

  const char* meta = R"({"customer":"ANA-01","name":"a.bin"})";
  const json sixteen = t.attach(meta, std::string(16, 'x'), small);
  BOOST_TEST(sixteen["size"] == 16);
  const std::string seventeen(17, 'x');
  const Failure f = fails(PATRON_EINVAL, "bytes", [&](char** o) {
    return patron_document_attach(small, meta, seventeen.data(), seventeen.size(), o);
  });
  BOOST_TEST(f.message.find("16") != std::string::npos, f.message);
  const std::string big = t.dir.file("big.bin");
  write_file(big, seventeen);
  fails(PATRON_EINVAL, "path", [&](char** o) { return patron_document_attach_file(small, meta, big.c_str(), o); });
  // The default limit of the fixture's handle takes it.
  BOOST_TEST(t.attach(meta, seventeen)["size"] == 17);
  patron_close(small);

  // A version-1 caller's options have no max_document_bytes: never read.
  opts.version = 1;
  opts.max_document_bytes = -5;
  patron_db* v1 = nullptr;
  BOOST_TEST(patron_open(&v1, t.path.c_str(), &opts) == PATRON_OK, patron_errmsg());
  patron_close(v1);
  opts.version = PATRON_OPTIONS_VERSION;
  for (const std::int64_t bad : {std::int64_t{0}, std::int64_t{-1}}) {
    opts.max_document_bytes = bad;
    patron_db* none = nullptr;
    BOOST_TEST(patron_open(&none, t.path.c_str(), &opts) == PATRON_EINVAL);
    BOOST_TEST(std::string(patron_errfield()) == "max_document_bytes");
    BOOST_TEST(none == nullptr);
  }
}

BOOST_AUTO_TEST_CASE(refusals) {
  Cabinet t;
  const auto refused = [&](int code, const char* field, const std::string& meta) {
    fails(code, field, [&](char** o) { return patron_document_attach(t.db, meta.c_str(), "abc", 3, o); });
  };
  refused(PATRON_EINVAL, "json", "{");
  refused(PATRON_EINVAL, "colour", R"({"customer":"ANA-01","name":"a.txt","colour":"red"})");
  refused(PATRON_EINVAL, "name", R"({"customer":"ANA-01"})");
  refused(PATRON_EINVAL, "name", R"({"customer":"ANA-01","name":"../etc/passwd"})");
  refused(PATRON_EINVAL, "name", R"({"customer":"ANA-01","name":"a\\b.txt"})");
  refused(PATRON_EINVAL, "name", R"({"customer":"ANA-01","name":"a\u0007.txt"})");
  refused(PATRON_EINVAL, "name", R"({"customer":"ANA-01","name":")" + std::string(256, 'x') + R"("})");
  refused(PATRON_EINVAL, "media_type", R"({"customer":"ANA-01","name":"a.pdf","media_type":"pdf"})");
  refused(PATRON_EINVAL, "kind", R"({"customer":"ANA-01","name":"a.pdf","kind":"passport"})");
  refused(PATRON_ENOTFOUND, "customer", R"({"customer":"NOBODY-1","name":"a.pdf"})");
  refused(PATRON_EINVAL, "customer", R"({"customer":"","name":"a.pdf"})");
  fails(PATRON_EMISUSE, "data", [&](char** o) {
    return patron_document_attach(t.db, R"({"customer":"ANA-01","name":"a"})", nullptr, 3, o);
  });
  fails(PATRON_EMISUSE, "meta_json", [&](char** o) { return patron_document_attach(t.db, nullptr, "abc", 3, o); });
  const Failure missing = fails(PATRON_EINVAL, "path", [&](char** o) {
    return patron_document_attach_file(t.db, R"({"customer":"ANA-01","name":"a"})", t.dir.file("missing").c_str(), o);
  });
  BOOST_TEST(missing.message.find("missing") != std::string::npos, missing.message);
  fails(PATRON_EMISUSE, "path", [&](char** o) {
    return patron_document_attach_file(t.db, R"({"customer":"ANA-01","name":"a"})", nullptr, o);
  });
  BOOST_TEST(t.of_customer("ANA-01") == json::array());  // nothing written

  void* data = &t;
  std::size_t size = 5;
  BOOST_TEST(patron_document_read(t.db, 1, &data, &size) == PATRON_ENOTFOUND);
  BOOST_TEST(std::string(patron_errfield()) == "id");
  BOOST_TEST(data == nullptr);
  BOOST_TEST(size == 0U);
  BOOST_TEST(patron_document_read(t.db, 1, nullptr, &size) == PATRON_EMISUSE);
  BOOST_TEST(std::string(patron_errfield()) == "out_data");
  BOOST_TEST(patron_document_read(t.db, 1, &data, nullptr) == PATRON_EMISUSE);
  BOOST_TEST(std::string(patron_errfield()) == "out_size");

  t.attach(R"({"customer":"ANA-01","name":"a"})", "abc");
  std::int64_t written = 7;
  BOOST_TEST(patron_document_read_to_file(t.db, 1, t.dir.file("no/such/dir/a").c_str(), &written) == PATRON_EINVAL);
  BOOST_TEST(std::string(patron_errfield()) == "path");
  BOOST_TEST(written == 0);
  BOOST_TEST(patron_document_read_to_file(t.db, 9, t.dir.file("a").c_str(), &written) == PATRON_ENOTFOUND);
  BOOST_TEST(std::string(patron_errfield()) == "id");
  BOOST_TEST(patron_document_read_to_file(t.db, 1, t.dir.file("a").c_str(), nullptr) == PATRON_EMISUSE);
  BOOST_TEST(std::string(patron_errfield()) == "out_size");
  BOOST_TEST(patron_document_remove(t.db, 9) == PATRON_ENOTFOUND);
  BOOST_TEST(std::string(patron_errfield()) == "id");
  fails(PATRON_ENOTFOUND, "ref", [&](char** o) { return patron_document_of_customer(t.db, "NOBODY-1", o); });
}

BOOST_AUTO_TEST_SUITE_END()
