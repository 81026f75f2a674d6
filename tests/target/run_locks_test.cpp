// Run locks on every target: two syncs never write the same table at once,
// a lock dies with its process, and only a sync whose process is gone is
// counted as "ended without finishing". Also the last kill point of a run:
// killed just before its final commit, a sync adds nothing (issue 12 item 8).
//
// Syncs are held open at a known point by the scripted plugin
// ("pause_after_batches" until "resume_file" exists); every wait below is
// for an observable event (rows committed, a line printed), bounded only as
// a failure guard.
#include "target/target_fixture.hpp"

#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <functional>
#include <thread>

using namespace sluice::test;

namespace {

void eventually(const std::function<bool()>& condition, const std::string& what) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    try {
      if (condition()) return;
    } catch (const std::exception&) {
      // Not there yet (a table the sync has not created, say).
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  FAIL("timed out waiting until " + what);
}

// A stream of ten records that pauses after its first checkpoint until
// `resume_file` exists.
json::object held_stream(const std::string& name, const std::string& resume_file) {
  auto stream = scripted_stream(name, numbered_properties(), numbered_records(1, 10));
  stream["pause_after_batches"] = 1;
  stream["resume_file"] = resume_file;
  return stream;
}

int spawn_sync(TargetFixture& f, const std::vector<std::string>& extra, const std::string& log) {
  std::vector<std::string> args{"sync", f.dir.file("conn.json"), "--plugin-dir", SLUICE_TEST_PLUGIN_DIR};
  args.insert(args.end(), extra.begin(), extra.end());
  return spawn_sluice(args, f.dir.path().string(), f.dir.file(log));
}

void touch(const std::string& path) { std::ofstream(path) << "go"; }

// Blocks until the held sync has committed its first checkpoint (2 rows):
// it then holds every lock of its tables.
std::string wait_until_held(TargetFixture& f, const std::string& table = "items") {
  eventually([&] { return f.count(table) == 2; }, "the first sync has committed its first checkpoint");
  return f.value("SELECT sync_id FROM _sluice_syncs WHERE status = 'running'");
}

// Blocks until a sync is recorded as running (it takes its locks first) and
// returns its id.
std::string wait_until_running(TargetFixture& f) {
  eventually([&] { return f.value("SELECT COUNT(*) FROM _sluice_syncs WHERE status = 'running'") == "1"; },
             "the first sync is running");
  return f.value("SELECT sync_id FROM _sluice_syncs WHERE status = 'running'");
}

}  // namespace

TEMPLATE_TEST_CASE("a sync of a table another sync is writing fails at once naming it, and together they leave the "
                   "rows of one run",
                   "[target][locks]", SLUICE_ALL_TARGETS) {
  TargetFixture f(TestType::engine);
  const std::string resume = f.dir.file("resume");
  f.write_scripted({held_stream("items", resume)}, {mode("items", "incremental_append")});
  int first = spawn_sync(f, {}, "first.log");
  const std::string running_id = wait_until_held(f);

  auto second = f.sync();
  INFO(second.all());
  CHECK(second.exit_code == 1);
  // The table is "items", or "public.items" where the namespace is named.
  CHECK_THAT(second.err, Catch::Contains("stream items: table ") &&
                             Catch::Contains("items is being written by sync " + running_id + " (") &&
                             Catch::Contains("pid ") && Catch::Contains("running since ") &&
                             Catch::Contains("or use --wait SECONDS"));

  touch(resume);
  int status = wait_for_exit(first);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(f.count("items") == 10);
  CHECK(f.value("SELECT COUNT(DISTINCT id) FROM items") == "10");
  CHECK(f.rows("SELECT status FROM _sluice_syncs") == Rows{{"succeeded"}});
}

TEMPLATE_TEST_CASE("a sync killed with kill -9 frees its locks: the next sync proceeds at once and counts it as "
                   "ended without finishing",
                   "[target][locks]", SLUICE_ALL_TARGETS) {
  TargetFixture f(TestType::engine);
  f.write_scripted({held_stream("items", f.dir.file("never"))}, {mode("items", "incremental_append")});
  int first = spawn_sync(f, {}, "first.log");
  const std::string killed_id = wait_until_held(f);
  REQUIRE(WIFSIGNALED(kill_and_wait(first, SIGKILL)));

  f.write_scripted({scripted_stream("items", numbered_properties(), numbered_records(1, 10))},
                   {mode("items", "incremental_append")});
  auto next = f.sync();
  INFO(next.all());
  REQUIRE(next.exit_code == 0);
  CHECK_THAT(next.err, Catch::Contains("1 earlier sync(s) into this target ended without finishing"));
  CHECK(f.value("SELECT status FROM _sluice_syncs WHERE sync_id = '" + killed_id + "'") == "interrupted");
  CHECK(f.count("items") == 10);
  CHECK(f.value("SELECT COUNT(DISTINCT id) FROM items") == "10");
}

TEMPLATE_TEST_CASE("with --wait a sync waits for the one writing its table, then runs", "[target][locks]",
                   SLUICE_ALL_TARGETS) {
  TargetFixture f(TestType::engine);
  const std::string resume = f.dir.file("resume");
  f.write_scripted({held_stream("items", resume)}, {mode("items", "full_refresh_append")});
  int first = spawn_sync(f, {}, "first.log");
  const std::string running_id = wait_until_running(f);
  int second = spawn_sync(f, {"--wait", "120"}, "second.log");
  eventually([&] { return read_file(f.dir.file("second.log")).find("waiting up to 120 s") != std::string::npos; },
             "the second sync says it is waiting");
  CHECK_THAT(read_file(f.dir.file("second.log")), Catch::Contains("is being written by sync " + running_id));

  touch(resume);
  int first_status = wait_for_exit(first);
  int second_status = wait_for_exit(second);
  INFO(read_file(f.dir.file("second.log")));
  REQUIRE(WIFEXITED(first_status));
  REQUIRE(WIFEXITED(second_status));
  CHECK(WEXITSTATUS(first_status) == 0);
  CHECK(WEXITSTATUS(second_status) == 0);
  // Two whole appends, one after the other: each record exactly twice.
  CHECK(f.count("items") == 20);
  CHECK(f.value("SELECT COUNT(DISTINCT id) FROM items") == "10");
  CHECK(f.rows("SELECT status FROM _sluice_syncs ORDER BY started_at") == Rows{{"succeeded"}, {"succeeded"}});
}

TEMPLATE_TEST_CASE("a sync of other tables runs beside a running sync and does not count it as ended",
                   "[target][locks]", SLUICE_ALL_TARGETS) {
  TargetFixture f(TestType::engine);
  const std::string resume = f.dir.file("resume");
  f.write_scripted({held_stream("items", resume),
                    scripted_stream("other", numbered_properties(), numbered_records(1, 4))},
                   {mode("items", "incremental_append"), mode("other", "incremental_append")});
  int first = spawn_sync(f, {"--streams", "items"}, "first.log");
  const std::string running_id = wait_until_held(f);

  auto beside = f.sync({"--streams", "other"});
  INFO(beside.all());
  CHECK(beside.exit_code == 0);
  CHECK_THAT(beside.all(), !Catch::Contains("ended without finishing"));
  CHECK(f.count("other") == 4);
  CHECK(f.value("SELECT status FROM _sluice_syncs WHERE sync_id = '" + running_id + "'") == "running");

  touch(resume);
  int status = wait_for_exit(first);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(f.value("SELECT status FROM _sluice_syncs WHERE sync_id = '" + running_id + "'") == "succeeded");
}

TEMPLATE_TEST_CASE("a sync killed just before its final commit adds nothing, in every mode, and the re-run "
                   "completes it",
                   "[target][crash]", SLUICE_ALL_TARGETS) {
  for (std::string sync_mode : {"full_refresh_overwrite", "full_refresh_append", "incremental_append",
                                "incremental_append_dedup"}) {
    DYNAMIC_SECTION(sync_mode) {
      TargetFixture f(TestType::engine);
      f.write_scripted({scripted_stream("items", numbered_properties(), numbered_records(100, 101))},
                       {mode("items", sync_mode)});
      REQUIRE(f.sync().exit_code == 0);
      f.sluice({"state", "reset", f.dir.file("conn.json")});

      // Records 1-6 arrive in three checkpointed batches; the process dies
      // after the copy / swap and before the commit that would publish it.
      f.write_scripted({scripted_stream("items", numbered_properties(), numbered_records(1, 6))},
                       {mode("items", sync_mode)});
      ProcessOptions options;
      options.working_dir = f.dir.path().string();
      options.env["SLUICE_FAULT_POINT"] = "before-final-commit";
      auto killed = run_sluice({"sync", f.dir.file("conn.json"), "--plugin-dir", SLUICE_TEST_PLUGIN_DIR}, options);
      REQUIRE(killed.signal == SIGKILL);
      if (sync_mode == "full_refresh_overwrite" && TestType::engine == Engine::mariadb) {
        // MySQL's one RENAME TABLE of both names is the swap and its own
        // commit (DDL is not transactional there): the refresh is wholly in.
        CHECK(f.rows("SELECT id FROM items ORDER BY id") == Rows{{"1"}, {"2"}, {"3"}, {"4"}, {"5"}, {"6"}});
      } else if (sync_mode.rfind("full_refresh", 0) == 0) {
        CHECK(f.rows("SELECT id FROM items ORDER BY id") == Rows{{"100"}, {"101"}});
      }

      auto rerun = f.sync();
      INFO(rerun.all());
      REQUIRE(rerun.exit_code == 0);
      const long expected = sync_mode == "full_refresh_overwrite" ? 6 : 8;
      CHECK(f.count("items") == expected);
      CHECK(std::stol(f.value("SELECT COUNT(DISTINCT id) FROM items")) == expected);
      CHECK(f.db->tables() == std::vector<std::string>{"items"});
    }
  }
}

TEMPLATE_TEST_CASE("in a parallel sync, a stream paused between checkpoints holds up no other stream, and Ctrl-C "
                   "keeps each at its own last checkpoint",
                   "[target][locks]", SLUICE_ALL_TARGETS) {
  // On SQLite the streams take turns to write; a turn ends with a commit and
  // the next opens with the next work, so a paused stream holds none.
  TargetFixture f(TestType::engine);
  const std::string resume = f.dir.file("resume");
  f.write_scripted({held_stream("held", resume), scripted_stream("free", numbered_properties(), numbered_records(1, 10))},
                   {mode("held", "incremental_append"), mode("free", "full_refresh_overwrite")});
  int sync = spawn_sync(f, {"--parallel", "2"}, "sync.log");
  // Both events are waited on: the free stream may well finish before the
  // held one has committed its first checkpoint, and Ctrl-C before that
  // checkpoint would rightly leave the held table empty.
  eventually([&] { return f.count("held") == 2; }, "the held stream has committed its first checkpoint");
  eventually([&] { return f.count("free") == 10; }, "the free stream has swapped in all its rows");
  CHECK(f.count("held") == 2);  // still paused after its first checkpoint

  const int status = kill_and_wait(sync, SIGINT);
  CHECK(WEXITSTATUS(status) == 130);
  CHECK(f.count("held") == 2);
  CHECK(f.value("SELECT state FROM _sluice_state WHERE table_name = 'held'") == R"({"offset":2})");
  CHECK(f.count("free") == 10);
}
