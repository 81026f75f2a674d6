// ABI 1.1 sessions as an operator sees them: one plugin session per command,
// every stream of a sync read on it, and a plugin built against the frozen
// ABI 1.0 header still syncing through the per-call functions.
#include "sync/sync_fixture.hpp"

#include <catch2/catch.hpp>

using namespace sluice::test;

namespace {

size_t occurrences(const std::string& text, const std::string& needle) {
  size_t count = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++count;
  return count;
}

}  // namespace

TEST_CASE("a sync with --parallel 1 opens one plugin session and reads every stream on it") {
  SyncFixture f;
  f.write_scripted({scripted_stream("a", numbered_properties(), numbered_records(1, 3)),
                    scripted_stream("b", numbered_properties(), numbered_records(1, 4))});
  auto run = f.sync({"--verbose", "--parallel", "1"});
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK(f.count("a") == 3);
  CHECK(f.count("b") == 4);
  CHECK(occurrences(run.err, "scripted: session opened") == 1);
}

TEST_CASE("a parallel sync opens one session per worker, never more than there are streams") {
  SyncFixture f;
  f.write_scripted({scripted_stream("a", numbered_properties(), numbered_records(1, 3)),
                    scripted_stream("b", numbered_properties(), numbered_records(1, 4)),
                    scripted_stream("c", numbered_properties(), numbered_records(1, 5))});
  auto two = f.sync({"--verbose", "--parallel", "2"});
  INFO(two.all());
  REQUIRE(two.exit_code == 0);
  CHECK(occurrences(two.err, "scripted: session opened") == 2);
  auto many = f.sync({"--verbose", "--parallel", "8"});
  REQUIRE(many.exit_code == 0);
  CHECK(occurrences(many.err, "scripted: session opened") == 3);
  CHECK(f.count("a") == 3);  // full refresh: each run replaces the tables
  CHECK(f.count("b") == 4);
  CHECK(f.count("c") == 5);
}

TEST_CASE("check and discover each open exactly one session") {
  SyncFixture f;
  f.write_scripted({scripted_stream("a", numbered_properties(), numbered_records(1, 3))});
  for (const char* command : {"check", "discover"}) {
    auto run = f.sluice({command, f.dir.file("conn.json")});
    INFO(command << ": " << run.all());
    REQUIRE(run.exit_code == 0);
    CHECK(occurrences(run.err, "scripted: session opened") == 1);
  }
}

TEST_CASE("a plugin built against the frozen ABI 1.0 header syncs through the per-call functions and resumes") {
  SyncFixture f;
  f.write_connection({{"source", {{"plugin", "old_minor"}, {"config", json::object{}}}},
                      {"target", "sqlite://" + f.db},
                      {"streams", json::array{mode("items", "incremental_append")}}});
  auto first = f.sync();
  INFO(first.all());
  REQUIRE(first.exit_code == 0);
  CHECK_THAT(first.err, Catch::Contains("old_minor: discover through the 1.0 per-call function"));
  CHECK(f.rows("SELECT id, name FROM items ORDER BY id") == Rows{{"1", "a"}, {"2", "b"}, {"3", "c"}});

  // The saved checkpoint reaches the 1.0 read(), which then emits nothing.
  auto second = f.sync();
  INFO(second.all());
  REQUIRE(second.exit_code == 0);
  CHECK(f.count("items") == 3);
}
