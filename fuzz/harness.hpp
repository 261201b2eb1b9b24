// Shared by the C ABI fuzz targets (fuzz/fuzz_*.cpp): how an input is cut
// into the arguments of one call, the database each process opens, and the
// oracle. patron.h promises that no input makes a call fail with
// PATRON_EINTERNAL ("a bug in patron"), that a failure hands nothing out and
// leaves a message, and that what a call hands out is JSON; and an in-memory
// database never fails with PATRON_ESTORAGE (no I/O, no other process), so
// that code means a value patron let in broke SQLite (an integer overflow in
// a sum, say). Anything else aborts, so libFuzzer reports it with the input.
// Every other return code is a fine answer to a bad input.
//
// Input format (see fuzz/README.md): the first byte picks the operation ('a'
// is the first, 'b' the second, ... modulo their number), the rest is the
// operation's text arguments separated by '\n'; the last argument takes what
// is left, newlines included, so an operation of one argument gets the whole
// document.
#pragma once

#include <patron.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace fuzz {

using nlohmann::json;

[[noreturn]] inline void bug(std::string_view call, std::string_view what) {
  std::fprintf(stderr, "\n==patron-fuzz== %.*s: %.*s\n", static_cast<int>(call.size()), call.data(),
               static_cast<int>(what.size()), what.data());
  std::fflush(stderr);
  std::abort();
}

inline bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) { ++i; continue; }
    if ((c & 0xE0) == 0xC0) { n = 1; cp = c & 0x1Fu; }
    else if ((c & 0xF0) == 0xE0) { n = 2; cp = c & 0x0Fu; }
    else if ((c & 0xF8) == 0xF0) { n = 3; cp = c & 0x07u; }
    else return false;
    if (i + n >= s.size()) return false;  // truncated sequence
    for (std::size_t k = 1; k <= n; ++k) {
      const auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3Fu);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += n + 1;
  }
  return true;
}

// The oracle for a call with a char** out-parameter: returns `rc` after
// checking it against the contract, and frees `out`. With `doc`, the parsed
// document is stored there (only when rc is PATRON_OK).
inline int check(std::string_view call, int rc, char* out, json* doc = nullptr) {
  if (rc == PATRON_EINTERNAL)
    bug(call, std::string("PATRON_EINTERNAL: ") + patron_errmsg() + " [errfield '" + patron_errfield() + "']");
  if (rc == PATRON_ESTORAGE)
    bug(call, std::string("PATRON_ESTORAGE on an in-memory database: ") + patron_errmsg());
  if (rc < PATRON_EMISUSE) bug(call, "undocumented return code " + std::to_string(rc));
  if (rc < 0) {
    if (out != nullptr) bug(call, "a failure handed a document out");
    const char* msg = patron_errmsg();
    const char* field = patron_errfield();
    if (msg == nullptr || *msg == '\0') bug(call, "a failure without a message");
    if (field == nullptr) bug(call, "errfield is NULL");
    if (!valid_utf8(msg)) bug(call, "errmsg is not UTF-8");
    if (!valid_utf8(field)) bug(call, "errfield is not UTF-8");
    return rc;
  }
  if (out == nullptr) bug(call, "success without a document");
  if (doc != nullptr) {
    *doc = json::parse(out, nullptr, /*allow_exceptions=*/false);
    if (doc->is_discarded()) bug(call, std::string("the document is not JSON: ") + out);
  } else if (!json::accept(out)) {
    bug(call, std::string("the document is not JSON: ") + out);
  }
  patron_free(out);
  return rc;
}

// The oracle for a call that hands out text that is not JSON (a DOT graph):
// as check(), but the text need only be UTF-8.
inline int check_text(std::string_view call, int rc, char* out) {
  if (rc == PATRON_OK && out != nullptr) {
    if (!valid_utf8(out)) bug(call, "the text handed out is not UTF-8");
    patron_free(out);
    return rc;
  }
  return check(call, rc, out);
}

// The oracle for a call without an out-parameter (or with typed ones).
inline int check_rc(std::string_view call, int rc) {
  if (rc == PATRON_EINTERNAL)
    bug(call, std::string("PATRON_EINTERNAL: ") + patron_errmsg() + " [errfield '" + patron_errfield() + "']");
  if (rc == PATRON_ESTORAGE)
    bug(call, std::string("PATRON_ESTORAGE on an in-memory database: ") + patron_errmsg());
  if (rc < PATRON_EMISUSE) bug(call, "undocumented return code " + std::to_string(rc));
  if (rc < 0) {
    const char* msg = patron_errmsg();
    if (msg == nullptr || *msg == '\0') bug(call, "a failure without a message");
    if (!valid_utf8(msg)) bug(call, "errmsg is not UTF-8");
  }
  return rc;
}

// A call the fixture needs: it must succeed. Returns its document.
inline json must(std::string_view call, int rc, char* out) {
  if (rc != PATRON_OK)
    bug(call, std::string("fixture call failed: ") + patron_errname(rc) + ": " + patron_errmsg() + " [" +
                  patron_errfield() + "]");
  json doc;
  check(call, rc, out, &doc);
  return doc;
}

// Calls `fn(&out)` and checks it: CALL(patron_x, db, a, b) is
// check("patron_x", patron_x(db, a, b, &out), out).
#define PATRON_FUZZ_CALL(fn, ...)                    \
  ([&]() -> int {                                    \
    char* out_ = nullptr;                            \
    const int rc_ = fn(__VA_ARGS__, &out_);          \
    return ::fuzz::check(#fn, rc_, out_);            \
  }())
// The same, keeping the document in `doc` (a fuzz::json) on success.
#define PATRON_FUZZ_CALL_DOC(doc, fn, ...)           \
  ([&]() -> int {                                    \
    char* out_ = nullptr;                            \
    const int rc_ = fn(__VA_ARGS__, &out_);          \
    return ::fuzz::check(#fn, rc_, out_, &(doc));    \
  }())
#define PATRON_FUZZ_MUST(fn, ...)                    \
  ([&]() -> ::fuzz::json {                           \
    char* out_ = nullptr;                            \
    const int rc_ = fn(__VA_ARGS__, &out_);          \
    return ::fuzz::must(#fn, rc_, out_);             \
  }())

// One input cut into an operation and its arguments.
struct Input {
  unsigned op = 0;
  std::vector<std::string> args;
  // The i-th argument ("" when there is none).
  const char* arg(std::size_t i) const { return i < args.size() ? args[i].c_str() : ""; }
  // The same, NULL when empty: for the arguments where NULL means "now" or "none".
  const char* opt(std::size_t i) const { return i < args.size() && !args[i].empty() ? args[i].c_str() : nullptr; }
};

// `arity` has one entry per operation: how many arguments it takes.
inline Input split(const std::uint8_t* data, std::size_t size, std::initializer_list<std::size_t> arity) {
  Input in;
  const auto ops = static_cast<unsigned>(arity.size());
  if (size > 0) in.op = static_cast<unsigned char>(data[0] - 'a') % ops;
  const std::size_t fields = arity.begin()[in.op];
  in.args.resize(fields);
  if (size == 0 || fields == 0) return in;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  for (std::size_t i = 0; i + 1 < fields && !rest.empty(); ++i) {
    const auto nl = rest.find('\n');
    if (nl == std::string_view::npos) {
      in.args[i] = std::string(rest);
      rest = {};
      break;
    }
    in.args[i] = std::string(rest.substr(0, nl));
    rest.remove_prefix(nl + 1);
  }
  if (!rest.empty()) in.args[fields - 1] = std::string(rest);
  return in;
}

// A number argument: decimal, saturating; 0 when it is not one.
inline std::int64_t number(const std::string& s) {
  errno = 0;
  char* end = nullptr;
  const long long v = std::strtoll(s.c_str(), &end, 10);
  return end == s.c_str() ? 0 : static_cast<std::int64_t>(v);
}

// A JSON value nested `depth` levels deep around `inner` (arrays, or
// objects {"a": ...} when `objects`): the depth patron must bound, which
// mutating short inputs never reaches. The depth is an argument's number,
// at most 200,000.
inline std::string nest(const std::string& depth_arg, bool objects, std::string_view inner) {
  const auto depth = static_cast<std::size_t>(std::clamp<std::int64_t>(number(depth_arg), 0, 200000));
  std::string s;
  s.reserve(depth * (objects ? 6 : 2) + inner.size() + 1);
  for (std::size_t i = 0; i < depth; ++i) s += objects ? "{\"a\":" : "[";
  s += inner.empty() ? std::string_view("0") : inner;
  for (std::size_t i = 0; i < depth; ++i) s += objects ? '}' : ']';
  return s;
}

// "now" for every database: from 2026-11-22T05:54:45.123456Z, one
// millisecond later at each call, so that times are distinct and increasing.
inline std::int64_t clock(void*) {
  static std::atomic<std::int64_t> now{1795326885123456};
  return now.fetch_add(1000);
}

// The database of a target: opened (":memory:", region GB, the clock above)
// and set up on first use, then reopened fresh every `reopen_every` inputs so
// that it stays small and what a crash needs is in the last inputs.
class Db {
 public:
  using Setup = std::function<void(patron_db*)>;
  explicit Db(Setup setup, unsigned reopen_every = 500) : setup_(std::move(setup)), reopen_every_(reopen_every) {}
  ~Db() { patron_close(db_); }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  patron_db* get() {
    if (db_ == nullptr || ++uses_ >= reopen_every_) reopen();
    return db_;
  }

 private:
  void reopen() {
    patron_close(db_);
    db_ = nullptr;
    uses_ = 0;
    patron_options opts;
    patron_options_init(&opts);
    opts.default_region = "GB";
    opts.clock = &clock;
    if (patron_open(&db_, ":memory:", &opts) != PATRON_OK) bug("patron_open", patron_errmsg());
    setup_(db_);
  }

  Setup setup_;
  unsigned reopen_every_;
  unsigned uses_ = 0;
  patron_db* db_ = nullptr;
};

}  // namespace fuzz

namespace fuzz {

// Reads back what the database holds about a customer: the profile, the
// first two pages of its timeline (with the details of its events) and its
// edit history. Written data must read back: a record that is stored fine
// and breaks every later read is the worst kind of bug.
inline void read_back(patron_db* db, const char* ref) {
  PATRON_FUZZ_CALL(patron_customer_get, db, ref);
  json page;
  if (PATRON_FUZZ_CALL_DOC(page, patron_timeline, db, ref, nullptr, nullptr, 20) == PATRON_OK &&
      page.contains("next") && page["next"].is_string()) {
    const std::string next = page["next"].get<std::string>();
    PATRON_FUZZ_CALL(patron_timeline, db, ref, nullptr, next.c_str(), 20);
  }
  PATRON_FUZZ_CALL(patron_history, db, ref, nullptr, 20, 0);
}

// The "id" of a document, or "" when it has none.
inline std::string id_of(const json& doc) {
  if (doc.is_object() && doc.contains("id") && doc["id"].is_string()) return doc["id"].get<std::string>();
  return {};
}

}  // namespace fuzz

namespace fuzz {

// Every customer id (the string under a "customer" key) anywhere in `doc`,
// at most `max` of them, each once.
inline void customers_in(const json& doc, std::vector<std::string>& ids, std::size_t max = 4, int depth = 0) {
  if (depth > 8 || ids.size() >= max) return;
  if (doc.is_object()) {
    for (auto it = doc.begin(); it != doc.end(); ++it) {
      if (it.key() == "customer" && it.value().is_string()) {
        const std::string id = it.value().get<std::string>();
        bool known = false;
        for (const auto& i : ids) known = known || i == id;
        if (!known && ids.size() < max) ids.push_back(id);
      } else {
        customers_in(it.value(), ids, max, depth + 1);
      }
    }
  } else if (doc.is_array()) {
    for (const auto& e : doc) customers_in(e, ids, max, depth + 1);
  }
}

}  // namespace fuzz
