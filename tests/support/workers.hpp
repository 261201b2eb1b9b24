// Many writers on one database file at once: forked processes (each opening
// the file itself) and threads sharing one Database, started together, each
// reporting what it wrote. For the ledgers' "never double, never lose"
// tests (purses, points).
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "files.hpp"
#include "patron/database.hpp"
#include "temp_dir.hpp"

namespace patron::testing {

// What the workers reported: the keys written, each with its entry id, and
// the keys refused.
struct WorkerReports {
  std::map<std::string, std::int64_t> written;
  std::set<std::string> refused;
};

// Runs `work(db, name, out)` in `processes` processes ("proc0", ...) and
// `threads` threads ("thread0", ...) on the database at `path`. A worker
// writes a line "<key> <entry id>" or "<key> refused" per key, "error <what>"
// on failure, and returns whether it succeeded. Asserts that every worker
// succeeded and no key was written twice.
template <typename Work>
WorkerReports run_workers(const TempDir& dir, const std::string& path, int processes, int threads, Work work) {
  // Processes first, while this one holds no database open (SQLite
  // connections must not cross a fork). They start together on a signal.
  int go[2];
  BOOST_REQUIRE(pipe(go) == 0);
  std::vector<pid_t> children;
  for (int p = 0; p < processes; ++p) {
    const pid_t pid = fork();
    BOOST_REQUIRE(pid >= 0);
    if (pid == 0) {
      close(go[1]);
      char c;
      const bool started = read(go[0], &c, 1) == 0;  // the parent closes its end
      std::ofstream out(dir.file("proc-" + std::to_string(p) + ".txt"));
      bool ok = started;
      {
        Database db = Database::open(path);
        ok = work(db, "proc" + std::to_string(p), out) && ok;
      }
      out.close();
      _exit(ok ? 0 : 1);
    }
    children.push_back(pid);
  }
  close(go[0]);

  std::string reports;
  {
    Database db = Database::open(path);
    std::vector<std::ostringstream> outs(static_cast<std::size_t>(threads));
    std::vector<int> ok(static_cast<std::size_t>(threads), 0);
    std::vector<std::thread> running;
    close(go[1]);  // go
    for (std::size_t t = 0; t < outs.size(); ++t) {
      running.emplace_back([&, t] { ok[t] = work(db, "thread" + std::to_string(t), outs[t]) ? 1 : 0; });
    }
    for (auto& t : running) t.join();
    for (std::size_t t = 0; t < outs.size(); ++t) {
      BOOST_TEST(ok[t] == 1, outs[t].str());
      reports += outs[t].str();
    }
  }
  for (const pid_t pid : children) {
    int status = 0;
    BOOST_REQUIRE(waitpid(pid, &status, 0) == pid);
    BOOST_TEST((WIFEXITED(status) && WEXITSTATUS(status) == 0));
  }
  for (int p = 0; p < processes; ++p) reports += read_file(dir.file("proc-" + std::to_string(p) + ".txt"));

  WorkerReports out;
  std::istringstream lines(reports);
  std::string key, what;
  while (lines >> key >> what) {
    BOOST_TEST_REQUIRE(key != "error", what);
    if (what == "refused") {
      out.refused.insert(key);
    } else {
      BOOST_TEST(out.written.emplace(key, std::stoll(what)).second);
    }
  }
  return out;
}

}  // namespace patron::testing
