// The crash test: a writer process killed with SIGKILL at random moments,
// then the file checked.
//
// The parent makes a database file (WAL) with two loyalty programs and six
// "ledger" customers. Then, `kills` times, it forks a child that opens the
// file with patron, as a till would, and writes as fast as it can: points
// earns and redemptions (single, earn_many, redeem_many), purse top-ups and
// charges, create_many batches of customers, and merges. After a random delay the
// parent kills it (SIGKILL), then checks the file: integrity and foreign
// keys; every points and purse balance equals its ledger (sum, last
// balance_after, open lots, what patron reads); every idempotency key names
// its entry and every entry its event; every acknowledged write is present
// exactly once and nothing else is (no phantom); the write in flight at the
// kill, and every batch, is wholly present or wholly absent. The next child
// first retries the write that was in flight and one that is known present:
// a retry must never double.
//
// What a child does is decided by the seed: op `i` of kill `k` is a pure
// function of (seed, k, i) — its kind, its items and their keys — so the
// parent knows every op the child may have written from the op's id alone.
// The child reports, through a pipe, "start" before each op and "done" (ok,
// refused or already present) once the call has returned: a done op is
// acknowledged, a started one in flight. Reports are fixed 128-byte records
// (one write() of at most PIPE_BUF bytes is atomic, so none is ever torn).
//
// Replay: PATRON_CRASH_SEED=<the seed printed> reproduces the ops and the
// delays (not the timing of the machine). PATRON_CRASH_KILLS sets the number
// of kills (60 by default).
//
// Merges: the parent also makes kMergePairs pairs of customers (mrg-s-N and
// mrg-a-N, both with purse money and points); a merge op merges pair N with
// its key as the merge's actor, so the customer.merged event names the op. A
// pair merged already refuses a second merge (the op is refused, or, when it
// was this op's own merge that landed before a kill, it already exists).
//
// Adding a writer (imports as they land): a Kind and a row of
// kWriters (its weight, items and values), its call in run(), the rows it
// leaves in expect() and, when it writes tables no reader below reads yet,
// a reader in observe() that turns those rows back into (op id, item) traces
// through the keys or numbers it wrote, plus that table's invariants.
#include <SQLiteCpp/SQLiteCpp.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <boost/test/results_collector.hpp>
#include <boost/test/unit_test.hpp>
#include <cerrno>
#include <chrono>
#include <climits>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <optional>
#include <patron/patron.hpp>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "temp_dir.hpp"

using namespace patron;
using SteadyClock = std::chrono::steady_clock;

namespace {

constexpr int kDefaultKills = 60;
constexpr int kLedgerCustomers = 6;
constexpr std::array<const char*, 2> kPrograms{"stars", "coins"};
constexpr std::array<const char*, 2> kCurrencies{"GBP", "EUR"};
constexpr std::int64_t kCreditLimit = 2000;  // led-0 in GBP
constexpr int kMergePairs = 150;
// Each pair's money and points before its merge: the survivor's, the absorbed's.
constexpr std::int64_t kPairMoney[2] = {200, 500};
constexpr std::int64_t kPairPoints[2] = {10, 30};
// When the kill lands: mostly 0 to 40 ms after the child reports the file
// open (up to a few dozen writes); one kill in six 0 to 15 ms after the fork
// (while the child opens the file and recovers from the kill before); one in
// eight 0 to 400 ms after the open (enough writes for SQLite to checkpoint
// the WAL into the database file on the way).
enum class Moment { writing, opening, long_run };
constexpr std::chrono::microseconds kMaxDelay{40'000};
constexpr std::chrono::microseconds kMaxOpeningDelay{15'000};
constexpr std::chrono::microseconds kMaxLongDelay{400'000};
constexpr std::uint32_t kMaxOps = 1'000'000;  // a child that outlives this is a failure

std::uint64_t mix(std::uint64_t x) {  // splitmix64
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::int64_t between(std::mt19937_64& rng, std::int64_t lo, std::int64_t hi) {
  return lo + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(hi - lo + 1));
}

std::string ledger_number(int customer) { return "led-" + std::to_string(customer); }
// Pair `n`'s survivor (side 0) or absorbed customer (side 1).
std::string pair_number(std::int64_t n, int side) { return (side == 0 ? "mrg-s-" : "mrg-a-") + std::to_string(n); }

// ---- ops: what a child writes ----

struct OpId {
  std::uint32_t kill = 0;   // the child that first wrote it
  std::uint32_t index = 0;  // its place in that child's run
  friend auto operator<=>(const OpId&, const OpId&) = default;
};

std::ostream& operator<<(std::ostream& os, const OpId& id) { return os << id.kill << "." << id.index; }

enum class Kind : std::uint8_t { earn, redeem, earn_many, redeem_many, top_up, charge, create_many, merge };

struct Writer {
  Kind kind;
  const char* name;
  int weight;                         // how often, against the others
  int min_items, max_items;           // a batch's size
  std::int64_t min_value, max_value;  // points or minor units of each item (merge: the pair)
  char key_prefix;                    // of its idempotency keys or customer numbers
};

// The writers: ledger writes of both ledgers, customer batches, merges.
constexpr std::array<Writer, 8> kWriters{{
    {Kind::earn, "earn", 24, 1, 1, 1, 400, 'p'},
    {Kind::redeem, "redeem", 14, 1, 1, 1, 80, 'p'},
    {Kind::earn_many, "earn_many", 10, 2, 8, 1, 400, 'p'},
    {Kind::redeem_many, "redeem_many", 8, 2, 5, 1, 60, 'p'},
    {Kind::top_up, "top_up", 16, 1, 1, 100, 5000, 'm'},
    {Kind::charge, "charge", 14, 1, 1, 1, 1500, 'm'},
    {Kind::create_many, "create_many", 14, 1, 12, 0, 0, 'c'},
    {Kind::merge, "merge", 8, 1, 1, 0, kMergePairs - 1, 'g'},
}};

static_assert(
    [] {
      for (std::size_t i = 0; i < kWriters.size(); ++i) {
        if (static_cast<std::size_t>(kWriters[i].kind) != i) return false;
      }
      return true;
    }(),
    "kWriters is in the order of Kind");

const Writer& writer(Kind k) { return kWriters[static_cast<std::size_t>(k)]; }

struct Item {
  int customer = 0;  // a ledger customer (led-N)
  std::size_t which = 0;  // the program or the currency
  std::int64_t value = 0;
};

struct Op {
  OpId id;
  Kind kind = Kind::earn;
  std::vector<Item> items;
};

// Op `id` of the run seeded `seed`: the same in the child and the parent.
Op plan(std::uint64_t seed, OpId id) {
  std::mt19937_64 rng(mix(seed ^ mix((std::uint64_t{id.kill} << 32) | id.index)));
  int total = 0;
  for (const auto& w : kWriters) total += w.weight;
  std::int64_t pick = between(rng, 0, total - 1);
  const Writer* w = &kWriters[0];
  for (const auto& candidate : kWriters) {
    if (pick < candidate.weight) {
      w = &candidate;
      break;
    }
    pick -= candidate.weight;
  }
  Op op{id, w->kind, {}};
  op.items.resize(static_cast<std::size_t>(between(rng, w->min_items, w->max_items)));
  for (auto& item : op.items) {
    item.customer = static_cast<int>(between(rng, 0, kLedgerCustomers - 1));
    item.which = static_cast<std::size_t>(between(rng, 0, 1));
    item.value = between(rng, w->min_value, w->max_value);
  }
  return op;
}

// Item `i`'s idempotency key (ledgers) or customer number (create_many).
std::string key(const Op& op, std::size_t i) {
  std::ostringstream s;
  s << writer(op.kind).key_prefix << op.id.kill << "." << op.id.index << "." << i;
  return s.str();
}

// The op id and item a key or number names; none when it is not one of ours.
std::optional<std::pair<OpId, std::uint32_t>> parse_key(const std::string& text) {
  unsigned long nth = 0, index = 0, item = 0;
  int used = 0;
  if (text.size() < 6 || std::sscanf(text.c_str() + 1, "%lu.%lu.%lu%n", &nth, &index, &item, &used) != 3 ||
      static_cast<std::size_t>(used) + 1 != text.size()) {
    return std::nullopt;
  }
  return std::pair{OpId{static_cast<std::uint32_t>(nth), static_cast<std::uint32_t>(index)},
                   static_cast<std::uint32_t>(item)};
}

std::string email_of(const std::string& number) { return number + "@example.com"; }
std::string last_name_of(const Op& op) { return "R" + std::to_string(op.id.kill); }

// What item `i` of `op` leaves in the file, as the readers in observe() print it.
std::string expect(const Op& op, std::size_t i) {
  const Item& it = op.items[i];
  std::ostringstream s;
  switch (op.kind) {
    case Kind::earn:
    case Kind::earn_many:
      s << "earn " << kPrograms[it.which] << " " << ledger_number(it.customer) << " " << it.value;
      break;
    case Kind::redeem:
    case Kind::redeem_many:
      s << "redeem " << kPrograms[it.which] << " " << ledger_number(it.customer) << " " << -it.value;
      break;
    case Kind::top_up:
      s << "top_up " << kCurrencies[it.which] << " " << ledger_number(it.customer) << " " << it.value;
      break;
    case Kind::charge:
      s << "charge " << kCurrencies[it.which] << " " << ledger_number(it.customer) << " " << it.value;
      break;
    case Kind::create_many: {
      const std::string number = key(op, i);
      s << number << " Crash " << last_name_of(op) << " " << email_of(number) << " created=1 named=1";
      break;
    }
    case Kind::merge:
      s << "merge " << pair_number(it.value, 1) << " into " << pair_number(it.value, 0);
      break;
  }
  return s.str();
}

// ---- the child ----

enum class Phase : std::uint8_t { ready = 1, start, done, error };
enum class Outcome : std::uint8_t { none = 0, ok, refused, exists };

struct Report {
  std::uint32_t kill = 0;
  std::uint32_t index = 0;
  Phase phase = Phase::ready;
  Outcome outcome = Outcome::none;
  char what[118] = {};
};
static_assert(sizeof(Report) == 128 && sizeof(Report) <= PIPE_BUF, "a report is one atomic pipe write");

void send(int fd, OpId id, Phase phase, Outcome outcome = Outcome::none, const std::string& what = {}) {
  Report r;
  r.kill = id.kill;
  r.index = id.index;
  r.phase = phase;
  r.outcome = outcome;
  std::strncpy(r.what, what.c_str(), sizeof r.what - 1);
  while (write(fd, &r, sizeof r) < 0 && errno == EINTR) {
  }
}

// A call returned something other than what was asked.
struct Mismatch : std::runtime_error {
  using std::runtime_error::runtime_error;
};

void require(bool ok, const Op& op, const char* what) {
  if (!ok) {
    std::ostringstream s;
    s << "op " << op.id << " (" << writer(op.kind).name << "): " << what;
    throw Mismatch(s.str());
  }
}

void check_points(const Op& op, const std::vector<PointsEntry>& got) {
  require(got.size() == op.items.size(), op, "entry count");
  for (std::size_t i = 0; i < got.size(); ++i) {
    const bool earn = op.kind == Kind::earn || op.kind == Kind::earn_many;
    require(got[i].idempotency_key == key(op, i), op, "entry key");
    require(got[i].points == (earn ? op.items[i].value : -op.items[i].value), op, "entry points");
  }
}

// Performs `op` through the public API, as a till does.
Outcome run(Database& db, const Op& op) {
  const auto earn_request = [&](std::size_t i) {
    const Item& it = op.items[i];
    return EarnRequest{.customer_ref = ledger_number(it.customer),
                       .program = kPrograms[it.which],
                       .points = it.value,
                       .idempotency_key = key(op, i)};
  };
  const auto redeem_request = [&](std::size_t i) {
    const Item& it = op.items[i];
    return RedeemRequest{ledger_number(it.customer), kPrograms[it.which], it.value, "", key(op, i)};
  };
  const auto purse_request = [&]() {
    const Item& it = op.items[0];
    return PurseRequest{ledger_number(it.customer), kCurrencies[it.which], it.value, key(op, 0), ""};
  };
  // Not enough points or money: refused, nothing written.
  const auto refused = [](const Error& e, const char* field) {
    const std::string& f = e.field();
    return e.code() == Errc::failed_precondition && f.size() >= std::strlen(field) &&
           f.compare(f.size() - std::strlen(field), std::string::npos, field) == 0;
  };
  switch (op.kind) {
    case Kind::earn:
      check_points(op, {db.loyalty().earn(earn_request(0))});
      return Outcome::ok;
    case Kind::earn_many: {
      std::vector<EarnRequest> rs;
      for (std::size_t i = 0; i < op.items.size(); ++i) rs.push_back(earn_request(i));
      check_points(op, db.loyalty().earn_many(rs));
      return Outcome::ok;
    }
    case Kind::redeem:
    case Kind::redeem_many: {
      std::vector<RedeemRequest> rs;
      for (std::size_t i = 0; i < op.items.size(); ++i) rs.push_back(redeem_request(i));
      try {
        check_points(op, op.kind == Kind::redeem ? std::vector<PointsEntry>{db.loyalty().redeem(rs[0])}
                                                 : db.loyalty().redeem_many(rs));
      } catch (const Error& e) {
        if (!refused(e, "points")) throw;
        return Outcome::refused;
      }
      return Outcome::ok;
    }
    case Kind::top_up:
    case Kind::charge: {
      PurseEntry e;
      try {
        e = op.kind == Kind::top_up ? db.purses().top_up(purse_request()) : db.purses().charge(purse_request());
      } catch (const Error& err) {
        if (op.kind != Kind::charge || !refused(err, "amount")) throw;
        return Outcome::refused;
      }
      require(e.idempotency_key == key(op, 0) && e.amount == op.items[0].value, op, "purse entry");
      return Outcome::ok;
    }
    case Kind::create_many: {
      std::vector<NewCustomer> rs;
      for (std::size_t i = 0; i < op.items.size(); ++i) {
        const std::string number = key(op, i);
        rs.push_back(
            {.number = number, .first_name = "Crash", .last_name = last_name_of(op), .email = email_of(number)});
      }
      std::vector<Customer> made;
      try {
        made = db.customers().create_many(rs);
      } catch (const Error& e) {
        // A retry of a batch that was written: its numbers are taken.
        if (e.code() != Errc::already_exists) throw;
        return Outcome::exists;
      }
      require(made.size() == rs.size(), op, "customer count");
      for (std::size_t i = 0; i < made.size(); ++i) require(made[i].number == rs[i].number, op, "customer number");
      return Outcome::ok;
    }
    case Kind::merge: {
      const std::int64_t n = op.items[0].value;
      try {
        const MergeResult r = db.customers().merge(pair_number(n, 0), pair_number(n, 1), {.by = key(op, 0)});
        require(r.customer.number == pair_number(n, 0) && r.absorbed_number == pair_number(n, 1), op, "merge result");
      } catch (const Error& e) {
        if (e.code() != Errc::failed_precondition || e.field() != "absorbed") throw;
        // Merged already: by this op (a retry after its merge landed), or by another.
        TimelineFilter mine;
        mine.actor = key(op, 0);
        const EventPage page = db.activity().timeline(pair_number(n, 0), mine, {}, 10);
        for (const Event& ev : page.events) {
          if (ev.action == "customer.merged") return Outcome::exists;
        }
        return Outcome::refused;
      }
      return Outcome::ok;
    }
  }
  return Outcome::none;
}

// The child: opens the file, retries `retries`, then writes op after op
// until it is killed. Never returns.
[[noreturn]] void writer_process(const std::string& path, std::uint64_t seed, std::uint32_t nth,
                                 const std::vector<OpId>& retries, int fd) {
  // Boost.Test's handlers belong to the parent: a real crash here must stay one.
  for (const int sig : {SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL}) std::signal(sig, SIG_DFL);
  OpId current{nth, 0};
  try {
    Database db = Database::open(path);
    send(fd, current, Phase::ready);
    const auto perform = [&](OpId id) {
      current = id;
      const Op op = plan(seed, id);
      send(fd, id, Phase::start);
      send(fd, id, Phase::done, run(db, op));
    };
    for (const OpId& id : retries) perform(id);
    for (std::uint32_t i = 0; i < kMaxOps; ++i) perform({nth, i});
    send(fd, current, Phase::error, Outcome::none, "ran out of ops before the kill");
  } catch (const Error& e) {
    send(fd, current, Phase::error, Outcome::none,
         std::string(errc_name(e.code())) + " [" + e.field() + "] " + e.what());
  } catch (const std::exception& e) {
    send(fd, current, Phase::error, Outcome::none, e.what());
  }
  _exit(3);
}

// ---- the parent ----

// Reads the child's reports, whole records only, until a deadline, a
// condition or the end of the pipe.
class ReportReader {
 public:
  explicit ReportReader(int fd) : fd_(fd) {}

  template <typename Stop>
  void read_until(SteadyClock::time_point deadline, Stop stop) {
    while (!eof_ && !stop()) {
      const auto left = deadline - SteadyClock::now();
      if (left <= SteadyClock::duration::zero()) return;
      const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(left).count();
      const timespec ts{static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
      pollfd p{fd_, POLLIN, 0};
      const int ready = ppoll(&p, 1, &ts, nullptr);
      if (ready < 0 && errno != EINTR) throw std::runtime_error("poll failed");
      if (ready <= 0) continue;
      char chunk[64 * sizeof(Report)];
      const ssize_t n = read(fd_, chunk, sizeof chunk);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw std::runtime_error("read failed");
      if (n == 0) {
        eof_ = true;
        break;
      }
      pending_.append(chunk, static_cast<std::size_t>(n));
      std::size_t at = 0;
      for (; pending_.size() - at >= sizeof(Report); at += sizeof(Report)) {
        Report r;
        std::memcpy(&r, pending_.data() + at, sizeof r);
        reports_.push_back(r);
      }
      pending_.erase(0, at);
    }
  }
  void read_to_end() {
    read_until(SteadyClock::now() + std::chrono::seconds(30), [] { return false; });
  }

  bool eof() const { return eof_; }
  std::size_t torn_bytes() const { return pending_.size(); }
  const std::vector<Report>& reports() const { return reports_; }

 private:
  int fd_;
  bool eof_ = false;
  std::string pending_;
  std::vector<Report> reports_;
};

enum class State { in_flight, present, absent };

struct Known {
  Op op;
  std::vector<std::string> traces;  // expect() of each item
  State state = State::in_flight;
  bool ever_present = false;  // entries are permanent: once present, always
};

struct Stats {
  int kills = 0;
  int early_kills = 0;
  int long_kills = 0;
  std::int64_t largest_wal = 0;   // bytes, at a kill
  std::int64_t acknowledged = 0;  // done reports
  std::int64_t refused = 0;
  std::int64_t retries = 0;
  std::int64_t in_flight = 0;  // ops started and not done at a kill
  std::int64_t in_flight_present = 0;
  std::int64_t ops_checked = 0;    // op footprints compared with the file, all kills
  std::int64_t items_checked = 0;  // rows among them
};

// Traces of the rows our ops left, read straight from the file, by op id:
// (item, text as expect() prints it). Keys or numbers that look like ours
// but name no op are phantoms.
struct Observed {
  std::map<OpId, std::vector<std::pair<std::uint32_t, std::string>>> ops;
  std::vector<std::string> strays;  // rows no op of ours can have written
};

Observed observe(SQLite::Database& file) {
  Observed out;
  // A merge's hand-over entries (keyed "merge:…") follow from its event,
  // read below; "setup:…" are the parent's.
  const auto not_an_op = [](const std::string& k) { return k.rfind("merge:", 0) == 0 || k.rfind("setup:", 0) == 0; };
  const auto add = [&](const std::string& k, std::string text) {
    if (not_an_op(k)) return;
    const auto parsed = parse_key(k);
    if (!parsed) {
      out.strays.push_back(k + ": " + text);
      return;
    }
    out.ops[parsed->first].emplace_back(parsed->second, std::move(text));
  };
  {  // points ledger: every entry is one of ours
    SQLite::Statement st(file,
                         "SELECT coalesce(e.idempotency_key, ''), e.kind, a.program, c.number, e.points "
                         "FROM points_entries e JOIN points_accounts a ON a.id = e.account "
                         "JOIN customers c ON c.seq = a.customer ORDER BY e.id");
    while (st.executeStep()) {
      add(st.getColumn(0).getString(), st.getColumn(1).getString() + " " + st.getColumn(2).getString() + " " +
                                           st.getColumn(3).getString() + " " +
                                           std::to_string(st.getColumn(4).getInt64()));
    }
  }
  {  // purse ledger
    SQLite::Statement st(file,
                         "SELECT e.idempotency_key, e.kind, e.currency, c.number, e.amount "
                         "FROM purse_entries e JOIN customers c ON c.seq = e.customer ORDER BY e.id");
    while (st.executeStep()) {
      add(st.getColumn(0).getString(), st.getColumn(1).getString() + " " + st.getColumn(2).getString() + " " +
                                           st.getColumn(3).getString() + " " +
                                           std::to_string(st.getColumn(4).getInt64()));
    }
  }
  {  // customers: all but the ledger customers are ours, each with its email, its created event and
     // its row in the name search
    SQLite::Statement st(file,
                         "SELECT c.number, c.first_name, c.last_name, "
                         "(SELECT coalesce(group_concat(address, ','), '') FROM customer_emails m "
                         " WHERE m.customer = c.seq), "
                         "(SELECT count(*) FROM events v WHERE v.customer = c.id AND v.action = 'customer.created'), "
                         "(SELECT count(*) FROM customer_names n WHERE n.rowid = c.seq) "
                         "FROM customers c WHERE c.number NOT LIKE 'led-%' AND c.number NOT LIKE 'mrg-%' ORDER BY c.seq");
    while (st.executeStep()) {
      add(st.getColumn(0).getString(), st.getColumn(0).getString() + " " + st.getColumn(1).getString() + " " +
                                           st.getColumn(2).getString() + " " + st.getColumn(3).getString() +
                                           " created=" + std::to_string(st.getColumn(4).getInt64()) +
                                           " named=" + std::to_string(st.getColumn(5).getInt64()));
    }
  }
  {  // merges: each merged pair by the actor (the op's key) of its customer.merged event
    SQLite::Statement st(file,
                         "SELECT e.actor, a.number, s.number FROM customers a JOIN customers s ON s.seq = a.merged_into "
                         "JOIN events e ON e.customer = s.id AND e.action = 'customer.merged' ORDER BY e.id");
    while (st.executeStep()) {
      add(st.getColumn(0).getString(),
          "merge " + st.getColumn(1).getString() + " into " + st.getColumn(2).getString());
    }
  }
  for (auto& [id, traces] : out.ops) std::sort(traces.begin(), traces.end());
  return out;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) s += l + "\n";
  return s;
}

std::int64_t one(SQLite::Database& file, const std::string& sql) { return file.execAndGet(sql).getInt64(); }

// The file's own rules: SQLite's, then the ledgers'.
void check_invariants(SQLite::Database& file) {
  std::vector<std::string> integrity;
  {
    SQLite::Statement st(file, "PRAGMA integrity_check");
    while (st.executeStep()) integrity.push_back(st.getColumn(0).getString());
  }
  BOOST_TEST(joined(integrity) == "ok\n");
  {
    SQLite::Statement st(file, "PRAGMA foreign_key_check");
    int violations = 0;
    while (st.executeStep()) ++violations;
    BOOST_TEST(violations == 0);
  }
  BOOST_TEST(file.execAndGet("PRAGMA journal_mode").getString() == "wal");

  // Points: each account's checkpoint is the sum of its ledger, the last
  // balance_after and what its open lots hold (nothing pending or expired);
  // each balance_after follows the one before; each redemption drew exactly
  // its points and each earn made one lot of its points.
  {
    SQLite::Statement st(
        file,
        "SELECT c.number, a.program, a.balance, "
        "(SELECT coalesce(sum(points), 0) FROM points_entries e WHERE e.account = a.id), "
        "(SELECT balance_after FROM points_entries e WHERE e.account = a.id ORDER BY id DESC LIMIT 1), "
        "(SELECT coalesce(sum(remaining), 0) FROM points_lots l WHERE l.account = a.id AND remaining > 0) "
        "FROM points_accounts a JOIN customers c ON c.seq = a.customer");
    while (st.executeStep()) {
      const std::string what = st.getColumn(0).getString() + " " + st.getColumn(1).getString();
      const std::int64_t balance = st.getColumn(2).getInt64();
      BOOST_TEST(balance == st.getColumn(3).getInt64(), what);
      BOOST_TEST(!st.getColumn(4).isNull(), what << ": an account without entries");
      BOOST_TEST(balance == st.getColumn(4).getInt64(), what);
      BOOST_TEST(balance == st.getColumn(5).getInt64(), what);
    }
  }
  {
    SQLite::Statement st(file, "SELECT account, points, balance_after FROM points_entries ORDER BY account, id");
    std::int64_t account = -1, running = 0, breaks = 0;
    while (st.executeStep()) {
      if (st.getColumn(0).getInt64() != account) account = st.getColumn(0).getInt64(), running = 0;
      running += st.getColumn(1).getInt64();
      if (st.getColumn(2).getInt64() != running || running < 0) ++breaks;
    }
    BOOST_TEST(breaks == 0);
  }
  BOOST_TEST(one(file,
                 "SELECT count(*) FROM points_entries e WHERE e.points < 0 AND "
                 "(SELECT coalesce(sum(points), 0) FROM points_draws d WHERE d.entry = e.id) <> -e.points") == 0);
  BOOST_TEST(one(file,
                 "SELECT count(*) FROM points_entries e WHERE e.kind = 'earn' AND "
                 "(SELECT count(*) FROM points_lots l WHERE l.entry = e.id AND l.points = e.points) <> 1") == 0);
  BOOST_TEST(one(file,
                 "SELECT count(*) FROM points_lots l LEFT JOIN "
                 "(SELECT lot, sum(points) AS drawn FROM points_draws GROUP BY lot) d ON d.lot = l.id "
                 "WHERE l.remaining <> l.points - coalesce(d.drawn, 0)") == 0);
  BOOST_TEST(one(file, "SELECT count(*) FROM points_lots WHERE pending_until IS NOT NULL") == 0);

  // Purses: the checkpoint is the ledger, within the credit limit.
  {
    SQLite::Statement st(file,
                         "SELECT c.number, a.currency, a.balance, "
                         "(SELECT coalesce(sum(CASE kind WHEN 'charge' THEN -amount ELSE amount END), 0) "
                         " FROM purse_entries e WHERE e.customer = a.customer AND e.currency = a.currency), "
                         "(SELECT balance_after FROM purse_entries e WHERE e.customer = a.customer AND "
                         " e.currency = a.currency ORDER BY id DESC LIMIT 1), "
                         "max(a.credit_limit, a.category_credit_limit) "
                         "FROM purse_accounts a JOIN customers c ON c.seq = a.customer");
    while (st.executeStep()) {
      const std::string what = st.getColumn(0).getString() + " " + st.getColumn(1).getString();
      const std::int64_t balance = st.getColumn(2).getInt64();
      BOOST_TEST(balance == st.getColumn(3).getInt64(), what);
      BOOST_TEST(balance == (st.getColumn(4).isNull() ? 0 : st.getColumn(4).getInt64()), what);
      BOOST_TEST(balance >= -st.getColumn(5).getInt64(), what);
    }
  }

  // The name search: one row per customer, and FTS5's own check of its index.
  BOOST_TEST(one(file, "SELECT count(*) FROM customer_names") ==
             one(file, "SELECT count(*) FROM customers WHERE merged_into IS NULL"));
  // A merge is whole: each merged customer has its event; nothing else is merged.
  BOOST_TEST(one(file, "SELECT count(*) FROM customers WHERE merged_into IS NOT NULL") ==
             one(file, "SELECT count(*) FROM events WHERE action = 'customer.merged'"));
  BOOST_TEST(one(file, "SELECT count(*) FROM customers WHERE merged_into IS NOT NULL AND number NOT LIKE 'mrg-a-%'") ==
             0);
  BOOST_CHECK_NO_THROW(file.exec("INSERT INTO customer_names (customer_names) VALUES ('integrity-check')"));

  // Idempotency keys: one per entry, naming it (a merge's hand-over entries
  // are keyed by the merge, which has no request to replay: no registry row).
  for (const auto& [scope, table] : {std::pair{"points", "points_entries"}, std::pair{"purse", "purse_entries"}}) {
    BOOST_TEST(one(file, std::string("SELECT count(*) FROM idempotency_keys WHERE scope = '") + scope + "'") ==
                   one(file, std::string("SELECT count(*) FROM ") + table +
                                 " WHERE idempotency_key IS NOT NULL AND idempotency_key NOT LIKE 'merge:%'"),
               scope);
    BOOST_TEST(one(file, std::string("SELECT count(*) FROM idempotency_keys k WHERE scope = '") + scope +
                             "' AND NOT EXISTS (SELECT 1 FROM " + table +
                             " e WHERE e.id = k.entry AND e.idempotency_key = k.key)") == 0,
               scope);
  }

  // Events: each ledger entry wrote its event in its transaction.
  const std::array<std::array<const char*, 3>, 4> events{{
      {"points.earned", "earn",
       "SELECT count(*) FROM points_entries e JOIN points_accounts a ON a.id = e.account "
       "WHERE a.customer = c.seq AND e.kind = ?2"},
      {"points.redeemed", "redeem",
       "SELECT count(*) FROM points_entries e JOIN points_accounts a ON a.id = e.account "
       "WHERE a.customer = c.seq AND e.kind = ?2"},
      {"purse.topped_up", "top_up", "SELECT count(*) FROM purse_entries e WHERE e.customer = c.seq AND e.kind = ?2"},
      {"purse.charged", "charge", "SELECT count(*) FROM purse_entries e WHERE e.customer = c.seq AND e.kind = ?2"},
  }};
  for (const auto& [action, kind, entries] : events) {
    SQLite::Statement st(file, std::string("SELECT count(*) FROM customers c WHERE c.number LIKE 'led-%' AND "
                                           "(SELECT count(*) FROM events v WHERE v.customer = c.id AND v.action = ?1)"
                                           " <> (") +
                                   entries + ")");
    st.bind(1, action);
    st.bind(2, kind);
    st.executeStep();
    BOOST_TEST(st.getColumn(0).getInt64() == 0, action);
  }
}

// Compares every op the children may have written with the file; settles
// the ops in flight (present or absent, never half). Returns them.
std::vector<OpId> check_ops(SQLite::Database& file, std::map<OpId, Known>& known, Stats& stats) {
  Observed seen = observe(file);
  for (const auto& s : seen.strays) BOOST_ERROR("a row no op wrote: " << s);
  for (const auto& [id, traces] : seen.ops) {
    BOOST_TEST(known.count(id) == 1u, "rows of op " << id << ", which never started");
  }
  std::vector<OpId> settled;
  for (auto& [id, k] : known) {
    std::vector<std::string> got;
    if (const auto it = seen.ops.find(id); it != seen.ops.end()) {
      for (const auto& [item, text] : it->second) got.push_back("#" + std::to_string(item) + " " + text);
    }
    std::vector<std::string> want;
    for (std::size_t i = 0; i < k.traces.size(); ++i) want.push_back("#" + std::to_string(i) + " " + k.traces[i]);
    const char* name = writer(k.op.kind).name;
    if (k.state == State::in_flight) {
      settled.push_back(id);
      ++stats.in_flight;
      BOOST_TEST((got.empty() || got == want), "op " << id << " (" << name << ") half-present:\n"
                                                     << joined(got) << "of\n"
                                                     << joined(want));
      k.state = got.empty() ? State::absent : State::present;
      if (!got.empty()) ++stats.in_flight_present;
      BOOST_TEST(!(k.ever_present && got.empty()), "op " << id << " (" << name << ") was present and is gone");
    } else if (k.state == State::present) {
      BOOST_TEST(joined(got) == joined(want), "acknowledged op " << id << " (" << name << ")");
    } else {
      BOOST_TEST(got.empty(), "refused op " << id << " (" << name << ") left rows:\n" << joined(got));
    }
    if (k.state == State::present) k.ever_present = true;
    ++stats.ops_checked;
    stats.items_checked += static_cast<std::int64_t>(got.size());
  }
  return settled;
}

// What patron reads: the balances the acknowledged ops add up to, the
// customers of the batches this kill touched (or their absence), and a name
// search for this kill's batches.
void check_through_patron(const std::string& path, std::uint32_t nth, const std::map<OpId, Known>& known,
                          const std::set<OpId>& touched) {
  std::map<std::pair<int, std::size_t>, std::int64_t> points, money;
  for (const auto& [id, k] : known) {
    if (k.state != State::present) continue;
    for (const Item& it : k.op.items) {
      switch (k.op.kind) {
        case Kind::earn:
        case Kind::earn_many:
          points[{it.customer, it.which}] += it.value;
          break;
        case Kind::redeem:
        case Kind::redeem_many:
          points[{it.customer, it.which}] -= it.value;
          break;
        case Kind::top_up:
          money[{it.customer, it.which}] += it.value;
          break;
        case Kind::charge:
          money[{it.customer, it.which}] -= it.value;
          break;
        case Kind::create_many:
        case Kind::merge:
          break;
      }
    }
  }
  Database db = Database::open(path);
  for (int c = 0; c < kLedgerCustomers; ++c) {
    const std::string who = ledger_number(c);
    for (std::size_t p = 0; p < kPrograms.size(); ++p) {
      const PointsAccount a = db.loyalty().account(who, kPrograms[p]);
      const std::int64_t want = points[{c, p}];
      BOOST_TEST(a.balance == want, who << " " << kPrograms[p]);
      BOOST_TEST(a.spendable == want, who << " " << kPrograms[p]);
      BOOST_TEST(a.pending == 0);
      BOOST_TEST(a.expired == 0);
      const auto newest = db.loyalty().entries(who, kPrograms[p], {1, 0});
      BOOST_TEST((newest.empty() ? 0 : newest[0].balance_after) == want, who << " " << kPrograms[p]);
    }
    for (std::size_t m = 0; m < kCurrencies.size(); ++m) {
      const PurseAccount a = db.purses().account(who, kCurrencies[m]);
      const std::int64_t want = money[{c, m}];
      BOOST_TEST(a.balance == want, who << " " << kCurrencies[m]);
      const std::int64_t limit = c == 0 && m == 0 ? kCreditLimit : 0;
      BOOST_TEST(a.available == want + limit, who << " " << kCurrencies[m]);
    }
  }
  for (const OpId& id : touched) {
    const Known& k = known.at(id);
    if (k.op.kind != Kind::create_many) continue;
    for (std::size_t i = 0; i < k.op.items.size(); ++i) {
      const std::string number = key(k.op, i);
      const std::optional<Customer> c = db.customers().find(number);
      BOOST_TEST(c.has_value() == (k.state == State::present), number);
      if (c && k.state == State::present) {
        BOOST_TEST(c->last_name == last_name_of(k.op));
        BOOST_TEST((c->emails.size() == 1u && c->emails[0].address == email_of(number)), number);
        BOOST_TEST(db.customers().find_by_email(email_of(number)).has_value(), number);
      }
    }
  }
  // Merge pairs: merged exactly when an acknowledged (or landed) merge op
  // merged them, the money and points of both then the survivor's.
  std::set<std::int64_t> merged;
  for (const auto& [id, k] : known) {
    if (k.op.kind == Kind::merge && k.state == State::present) merged.insert(k.op.items[0].value);
  }
  for (std::int64_t n = 0; n < kMergePairs; ++n) {
    const std::string s = pair_number(n, 0), a = pair_number(n, 1);
    const std::optional<CustomerResolution> r = db.customers().resolve(a);
    BOOST_TEST_REQUIRE(r.has_value());
    const bool is_merged = merged.count(n) != 0;
    BOOST_TEST((r->number == (is_merged ? s : a)), a);
    BOOST_TEST(r->merged_from.has_value() == is_merged, a);
    if (is_merged) {
      BOOST_TEST(db.purses().account(s, "GBP").balance == kPairMoney[0] + kPairMoney[1], s);
      BOOST_TEST(db.loyalty().account(s, "stars").balance == kPairPoints[0] + kPairPoints[1], s);
      BOOST_TEST(db.customers().get(s).emails.size() == 2u, s);
    } else {
      for (int side = 0; side < 2; ++side) {
        BOOST_TEST(db.purses().account(pair_number(n, side), "GBP").balance == kPairMoney[side], pair_number(n, side));
        BOOST_TEST(db.loyalty().account(pair_number(n, side), "stars").balance == kPairPoints[side],
                   pair_number(n, side));
      }
    }
  }
  std::int64_t named = 0;
  for (const auto& [id, k] : known) {
    if (id.kill == nth && k.op.kind == Kind::create_many && k.state == State::present) {
      named += static_cast<std::int64_t>(k.op.items.size());
    }
  }
  std::int64_t found = 0;
  const std::string last_name = "R" + std::to_string(nth);  // a prefix of R<nth>0 ... too
  for (std::size_t offset = 0;; offset += 1000) {
    const std::vector<Customer> page = db.customers().search("crash " + last_name, {1000, offset});
    for (const Customer& c : page) found += c.last_name == last_name;
    if (page.size() < 1000) break;
  }
  BOOST_TEST(found == named);
}

std::uint64_t env_or(const char* name, std::uint64_t fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::strtoull(v, nullptr, 10) : fallback;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(crash)

BOOST_AUTO_TEST_CASE(writers_killed_at_random_moments_leave_a_whole_file) {
  std::random_device entropy;
  const std::uint64_t seed = env_or("PATRON_CRASH_SEED", (std::uint64_t{entropy()} << 32) | std::uint64_t{entropy()});
  const int kills = static_cast<int>(env_or("PATRON_CRASH_KILLS", kDefaultKills));
  BOOST_TEST_MESSAGE("crash test: seed " << seed << " (replay with PATRON_CRASH_SEED=" << seed << "), " << kills
                                         << " kills");
  const auto began = SteadyClock::now();

  patron::testing::TempDir dir;
  const std::string path = dir.file("till.db");
  {
    Database db = Database::open(path);
    for (int c = 0; c < kLedgerCustomers; ++c) {
      db.customers().create({.number = ledger_number(c), .first_name = "Ledger", .last_name = std::to_string(c)});
    }
    db.loyalty().create_program({.id = "stars", .name = "Stars", .currency = "GBP", .expiry_months = 12});
    db.loyalty().create_program(
        {.id = "coins", .name = "Coins", .currency = "EUR", .redemption_order = RedemptionOrder::oldest_earned});
    db.purses().set_credit_limit(ledger_number(0), "GBP", kCreditLimit);
    for (std::int64_t n = 0; n < kMergePairs; ++n) {
      for (int side = 0; side < 2; ++side) {
        const std::string number = pair_number(n, side);
        db.customers().create({.number = number, .first_name = "Mara", .last_name = "Pair " + std::to_string(n),
                               .email = number + "@example.com"});
        db.purses().top_up({number, "GBP", kPairMoney[side], "setup:purse:" + number, ""});
        db.loyalty().earn({.customer_ref = number, .program = "stars", .points = kPairPoints[side],
                           .idempotency_key = "setup:points:" + number});
      }
    }
  }

  std::mt19937_64 rng(mix(seed));
  std::map<OpId, Known> known;
  Stats stats;
  std::vector<OpId> in_flight;  // at the last kill: the next child retries them
  for (std::uint32_t nth = 0; nth < static_cast<std::uint32_t>(kills); ++nth) {
    BOOST_TEST_CONTEXT("seed " << seed << ", kill " << nth) {
      std::vector<OpId> retries = in_flight;
      std::vector<OpId> present;
      for (const auto& [id, k] : known) {
        if (k.state == State::present) present.push_back(id);
      }
      if (!present.empty()) retries.push_back(present[rng() % present.size()]);
      const std::uint64_t dice = rng() % 24;
      const Moment moment = dice < 4 ? Moment::opening : dice < 7 ? Moment::long_run : Moment::writing;
      const std::chrono::microseconds most = moment == Moment::opening    ? kMaxOpeningDelay
                                             : moment == Moment::long_run ? kMaxLongDelay
                                                                          : kMaxDelay;
      const auto delay =
          std::chrono::microseconds(static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(most.count() + 1)));
      const bool early = moment == Moment::opening;

      int fds[2];
      BOOST_REQUIRE(pipe(fds) == 0);
      const auto forked = SteadyClock::now();
      const pid_t pid = fork();
      BOOST_REQUIRE(pid >= 0);
      if (pid == 0) {
        close(fds[0]);
        writer_process(path, seed, nth, retries, fds[1]);
      }
      close(fds[1]);
      ReportReader reader(fds[0]);
      if (early) {
        reader.read_until(forked + delay, [] { return false; });
      } else {
        const auto is_ready = [&] { return !reader.reports().empty(); };
        reader.read_until(forked + std::chrono::seconds(30), is_ready);
        BOOST_TEST(is_ready(), "the writer never opened the file");
        reader.read_until(SteadyClock::now() + delay, [] { return false; });
      }
      ::kill(pid, SIGKILL);
      int status = 0;
      BOOST_REQUIRE(waitpid(pid, &status, 0) == pid);
      reader.read_to_end();
      close(fds[0]);
      BOOST_TEST(reader.eof());
      BOOST_TEST(reader.torn_bytes() == 0u);
      BOOST_TEST((WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL),
                 "the writer ended by itself (status " << status << ") before the kill");
      ++stats.kills;
      if (early) ++stats.early_kills;
      if (moment == Moment::long_run) ++stats.long_kills;
      std::error_code no_wal;
      const auto wal = std::filesystem::file_size(path + "-wal", no_wal);
      if (!no_wal) stats.largest_wal = std::max(stats.largest_wal, static_cast<std::int64_t>(wal));

      // What the child said it did.
      std::set<OpId> touched;
      for (const Report& r : reader.reports()) {
        const OpId id{r.kill, r.index};
        switch (r.phase) {
          case Phase::ready:
            break;
          case Phase::start: {
            auto [it, fresh] = known.try_emplace(id);
            if (fresh) {
              it->second.op = plan(seed, id);
              for (std::size_t i = 0; i < it->second.op.items.size(); ++i) {
                it->second.traces.push_back(expect(it->second.op, i));
              }
            } else {
              ++stats.retries;
            }
            it->second.state = State::in_flight;
            touched.insert(id);
            break;
          }
          case Phase::done: {
            auto it = known.find(id);
            BOOST_REQUIRE(it != known.end());
            BOOST_TEST((it->second.state == State::in_flight), "op " << id << " done twice");
            ++stats.acknowledged;
            if (r.outcome == Outcome::refused) ++stats.refused;
            BOOST_TEST((r.outcome != Outcome::exists || it->second.op.kind == Kind::create_many ||
                        it->second.op.kind == Kind::merge));
            BOOST_TEST((r.outcome != Outcome::exists || it->second.ever_present),
                       "op " << id << ": numbers taken, but the batch was never written");
            it->second.state = r.outcome == Outcome::refused ? State::absent : State::present;
            break;
          }
          case Phase::error:
            BOOST_ERROR("the writer failed at op " << id << ": " << r.what);
            break;
        }
      }

      // The file, behind patron's back, then through patron.
      {
        SQLite::Database file(path, SQLite::OPEN_READWRITE);
        check_invariants(file);
        in_flight = check_ops(file, known, stats);
      }
      check_through_patron(path, nth, known, touched);
    }
    // One broken file is enough: every kill after it would report it again.
    const auto& results =
        boost::unit_test::results_collector.results(boost::unit_test::framework::current_test_case().p_id);
    if (!results.passed()) {
      BOOST_TEST_MESSAGE("crash test: stopped after kill " << nth << " (seed " << seed << ")");
      break;
    }
  }

  const double seconds = std::chrono::duration<double>(SteadyClock::now() - began).count();
  std::int64_t present = 0, merges = 0;
  for (const auto& [id, k] : known) {
    present += k.state == State::present;
    merges += k.state == State::present && k.op.kind == Kind::merge;
  }
  BOOST_TEST_MESSAGE("crash test: seed " << seed << ": " << stats.kills << " kills (" << stats.early_kills
                                         << " while opening, " << stats.long_kills << " after a long run; largest WAL "
                                         << stats.largest_wal / 1024 << " KiB), " << known.size() << " ops started, "
                                         << stats.acknowledged << " acknowledged (" << stats.refused << " refused), "
                                         << stats.retries << " retried, " << stats.in_flight << " in flight at a kill ("
                                         << stats.in_flight_present << " of them had landed), " << present
                                         << " present at the end (" << merges << " of the " << kMergePairs
                                         << " merge pairs merged); " << stats.ops_checked << " op checks over "
                                         << stats.items_checked << " rows; " << seconds << " s");
  // The test tested something: writes were acknowledged and kills landed mid-write.
  if (stats.kills == kills) {
    BOOST_TEST(stats.acknowledged >= kills);
    BOOST_TEST(stats.in_flight > 0);
    BOOST_TEST(merges > 0);
  }
}

BOOST_AUTO_TEST_SUITE_END()
