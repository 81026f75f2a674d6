// Crash safety on every target: a process that aborts, or is SIGKILLed, in
// the middle of a stream leaves the target as of its last checkpoint; the
// re-run ends with exactly the rows of an uninterrupted run, in every mode.
#include "target/target_fixture.hpp"

#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <chrono>
#include <csignal>
#include <thread>

using namespace sluice::test;

namespace {

// The rows an uninterrupted run of `records` leaves, for comparison.
Rows expected_rows(Engine engine, const std::string& sync_mode, const json::array& records) {
  TargetFixture clean(engine);
  clean.write_scripted({scripted_stream("items", numbered_properties(), records)}, {mode("items", sync_mode)});
  REQUIRE(clean.sync().exit_code == 0);
  return clean.rows("SELECT id, ts, v FROM items ORDER BY id");
}

}  // namespace

TEMPLATE_TEST_CASE("a plugin that aborts mid-stream loses nothing and duplicates nothing on re-run, in every mode",
                   "[target]", SLUICE_ALL_TARGETS) {
  const auto records = numbered_records(1, 12);
  for (std::string sync_mode : {"full_refresh_overwrite", "full_refresh_append", "incremental_append",
                                "incremental_append_dedup"}) {
    DYNAMIC_SECTION(sync_mode) {
      TargetFixture f(TestType::engine);
      // A first complete run, so overwrite/append have a previous table to keep.
      f.write_scripted({scripted_stream("items", numbered_properties(), numbered_records(100, 101))},
                       {mode("items", sync_mode)});
      REQUIRE(f.sync().exit_code == 0);
      f.sluice({"state", "reset", f.dir.file("conn.json")});

      auto crashing = scripted_stream("items", numbered_properties(), records);
      crashing["abort_after_batches"] = 3;
      f.write_scripted({crashing}, {mode("items", sync_mode)});
      auto crashed = f.sync();
      REQUIRE(crashed.signal == SIGABRT);
      if (sync_mode.rfind("full_refresh", 0) == 0) {
        // The previous table is intact: same two rows.
        CHECK(f.rows("SELECT id FROM items ORDER BY id") == Rows{{"100"}, {"101"}});
      } else {
        // Whole checkpointed batches only (the abort may beat the writer
        // thread to some commits), and the saved state covers exactly them.
        long committed = std::stol(f.value("SELECT COUNT(*) FROM items WHERE id < 100"));
        CHECK(committed % 2 == 0);
        CHECK(committed <= 6);
        if (committed > 0) {
          CHECK(f.value("SELECT state FROM _sluice_state") == "{\"offset\":" + std::to_string(committed) + "}");
        }
      }

      f.write_scripted({scripted_stream("items", numbered_properties(), records)}, {mode("items", sync_mode)});
      auto rerun = f.sync();
      INFO(rerun.all());
      REQUIRE(rerun.exit_code == 0);
      auto expected = expected_rows(TestType::engine, sync_mode, records);
      auto first_run = f.rows("SELECT id, ts, v FROM items WHERE id >= 100 ORDER BY id");
      if (sync_mode == "full_refresh_append" || sync_mode.rfind("incremental", 0) == 0) {
        // The first run's two rows stay, plus exactly one copy of each record.
        REQUIRE(first_run.size() == 2);
        expected.insert(expected.end(), first_run.begin(), first_run.end());
      } else {
        CHECK(first_run.empty());
      }
      CHECK(f.rows("SELECT id, ts, v FROM items ORDER BY id") == expected);
      CHECK(f.value("SELECT status FROM _sluice_syncs ORDER BY started_at LIMIT 1 OFFSET 1") == "interrupted");
      CHECK(f.db->tables() == std::vector<std::string>{"items"});
    }
  }
}

TEMPLATE_TEST_CASE("SIGKILL during a sync leaves the target at its last checkpoint and the re-run completes it",
                   "[target]", SLUICE_ALL_TARGETS) {
  for (std::string sync_mode : {"full_refresh_overwrite", "incremental_append"}) {
    DYNAMIC_SECTION(sync_mode) {
      TargetFixture f(TestType::engine);
      auto records = numbered_records(1, 40);
      f.write_scripted({scripted_stream("items", numbered_properties(), numbered_records(100, 101))},
                       {mode("items", sync_mode)});
      REQUIRE(f.sync().exit_code == 0);
      f.sluice({"state", "reset", f.dir.file("conn.json")});

      auto slow = scripted_stream("items", numbered_properties(), records);
      slow["delay_ms"] = 100;
      f.write_scripted({slow}, {mode("items", sync_mode)});
      int pid = spawn_sluice({"sync", f.dir.file("conn.json"), "--plugin-dir", SLUICE_TEST_PLUGIN_DIR},
                             f.dir.path().string());
      // Kill once the run is well under way (mid-stream, after checkpoints).
      auto started = std::chrono::steady_clock::now();
      while (std::chrono::steady_clock::now() - started < std::chrono::seconds(20)) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        if (sync_mode == "incremental_append" && std::stol(f.value("SELECT COUNT(*) FROM items")) >= 8) break;
        // The full refresh takes ~2 s; 0.7 s in, it is mid-stream.
        if (sync_mode == "full_refresh_overwrite" &&
            std::chrono::steady_clock::now() - started > std::chrono::milliseconds(700)) break;
      }
      int status = kill_and_wait(pid, SIGKILL);
      REQUIRE(WIFSIGNALED(status));
      long during = std::stol(f.value("SELECT COUNT(*) FROM items WHERE id < 100"));
      if (sync_mode == "full_refresh_overwrite") {
        CHECK(during == 0);  // the old table is still the live one
        CHECK(f.count("items") == 2);
      } else {
        CHECK(during % 2 == 0);  // whole checkpointed batches only
        CHECK(during < 40);
      }

      f.write_scripted({scripted_stream("items", numbered_properties(), records)}, {mode("items", sync_mode)});
      auto rerun = f.sync();
      INFO(rerun.all());
      REQUIRE(rerun.exit_code == 0);
      CHECK(f.value("SELECT COUNT(*) FROM items WHERE id < 100") == "40");
      CHECK(f.value("SELECT COUNT(DISTINCT id) FROM items WHERE id < 100") == "40");
    }
  }
}
