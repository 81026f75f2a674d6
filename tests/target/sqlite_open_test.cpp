// Opening a SQLite target: the daemon's ingest requests and a CLI sync may
// open one file from several connections at the same moment, and every open
// must succeed; a file that is not a database is refused with one line that
// names it, and the handle opened for it is closed (the ASan pass's leak
// check sees a handle that is not).
#include "common/temp_dir.hpp"
#include "host/target/target.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

using namespace sluice::host;

TEST_CASE("connections opening one new SQLite file at the same moment all open it, in WAL mode") {
  sluice::test::TempDir dir;
  constexpr int kRounds = 100;  // a lost race showed in about 1 round in 25 before the fix
  constexpr int kConnections = 4;
  std::vector<std::string> failures;
  for (int round = 0; round < kRounds && failures.empty(); ++round) {
    const std::string url = "sqlite://" + dir.file("fresh-" + std::to_string(round) + ".db");
    std::atomic<int> ready{0};
    std::vector<std::string> errors(kConnections);
    std::vector<std::thread> openers;
    for (int c = 0; c < kConnections; ++c) {
      openers.emplace_back([&, c] {
        ++ready;
        while (ready < kConnections) std::this_thread::yield();  // all open together
        try {
          open_target(url);
        } catch (const std::exception& e) {
          errors[c] = e.what();
        }
      });
    }
    for (auto& t : openers) t.join();
    for (const auto& e : errors) {
      if (!e.empty()) failures.push_back("round " + std::to_string(round) + ": " + e);
    }
    if (failures.empty()) {
      auto target = open_target(url);
      const SqlRows mode = target->connection().query(Sql("PRAGMA journal_mode"));
      REQUIRE(mode.size() == 1);
      CHECK(mode[0].at(0) == "wal");
    }
  }
  INFO((failures.empty() ? std::string() : failures.front()));
  CHECK(failures.empty());
}

TEST_CASE("a file that is not a SQLite database is refused with one line naming the reason") {
  sluice::test::TempDir dir;
  const std::string path = dir.write("notes.db", std::string(4096, 'x'));
  try {
    open_target("sqlite://" + path);
    FAIL("opened a file that is not a database");
  } catch (const TargetError& e) {
    CHECK(std::string(e.what()) == "sqlite: file is not a database (in: PRAGMA journal_mode=WAL)");
  }
}
