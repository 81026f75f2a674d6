// Crash safety on every target: a process that aborts, or is SIGKILLed, in
// the middle of a stream leaves the target as of its last checkpoint; the
// re-run ends with exactly the rows of an uninterrupted run, in every mode.
#include "target/target_fixture.hpp"

#include <catch2/catch.hpp>

#include <csignal>

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

      // Killed once its fifth batch is written but not committed: mid-stream,
      // four checkpointed batches in the target (incremental) or in staging
      // (full refresh).
      f.write_scripted({scripted_stream("items", numbered_properties(), records)}, {mode("items", sync_mode)});
      ProcessOptions options;
      options.working_dir = f.dir.path().string();
      options.env["SLUICE_FAULT_POINT"] = "batch-written:5";
      auto killed = run_sluice({"sync", f.dir.file("conn.json"), "--plugin-dir", SLUICE_TEST_PLUGIN_DIR}, options);
      REQUIRE(killed.signal == SIGKILL);
      long during = std::stol(f.value("SELECT COUNT(*) FROM items WHERE id < 100"));
      if (sync_mode == "full_refresh_overwrite") {
        CHECK(during == 0);  // the old table is still the live one
        CHECK(f.count("items") == 2);
      } else {
        CHECK(during == 8);  // the four checkpointed batches of two, no more, no less
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

TEMPLATE_TEST_CASE("SIGKILL during parallel streams leaves each stream at its own last checkpoint and the re-run "
                   "completes them all",
                   "[target]", SLUICE_ALL_TARGETS) {
  TargetFixture f(TestType::engine);
  const json::array selection{mode("alpha", "incremental_append"), mode("beta", "incremental_append_dedup"),
                              mode("gamma", "full_refresh_overwrite")};
  auto streams_of = [](const json::array& records) {
    return json::array{scripted_stream("alpha", numbered_properties(), records),
                       scripted_stream("beta", numbered_properties(), records),
                       scripted_stream("gamma", numbered_properties(), records)};
  };
  f.write_scripted(streams_of(numbered_records(100, 101)), selection);
  REQUIRE(f.sync({"--parallel", "3"}).exit_code == 0);
  f.sluice({"state", "reset", f.dir.file("conn.json")});

  // Killed at the ninth batch written by any of the three streams: the
  // streams interleave, each in the middle of its own transactions.
  const auto records = numbered_records(1, 40);
  f.write_scripted(streams_of(records), selection);
  ProcessOptions options;
  options.working_dir = f.dir.path().string();
  options.env["SLUICE_FAULT_POINT"] = "batch-written:9";
  auto killed = run_sluice({"sync", f.dir.file("conn.json"), "--parallel", "3", "--plugin-dir",
                            SLUICE_TEST_PLUGIN_DIR},
                           options);
  REQUIRE(killed.signal == SIGKILL);
  for (const std::string table : {"alpha", "beta"}) {
    INFO(table);
    // Whole checkpointed batches of two only, and the stream's own state
    // covers exactly them.
    const long committed = std::stol(f.value("SELECT COUNT(*) FROM " + table + " WHERE id < 100"));
    CHECK(committed % 2 == 0);
    CHECK(committed < 40);
    const std::string state = f.value("SELECT COUNT(*) FROM _sluice_state WHERE table_name = '" + table + "'") == "0"
                                  ? ""
                                  : f.value("SELECT state FROM _sluice_state WHERE table_name = '" + table + "'");
    CHECK(state == (committed ? "{\"offset\":" + std::to_string(committed) + "}" : ""));
  }
  CHECK(f.rows("SELECT id FROM gamma ORDER BY id") == Rows{{"100"}, {"101"}});  // the old table is still live

  auto rerun = f.sync({"--parallel", "3"});
  INFO("signal " << rerun.signal << "\n" << rerun.all());
  REQUIRE(rerun.exit_code == 0);
  for (const std::string table : {"alpha", "beta"}) {
    INFO(table);
    CHECK(f.value("SELECT COUNT(*) FROM " + table + " WHERE id < 100") == "40");
    CHECK(f.value("SELECT COUNT(DISTINCT id) FROM " + table + " WHERE id < 100") == "40");
    CHECK(f.value("SELECT COUNT(*) FROM " + table + " WHERE id >= 100") == "2");  // the first run's rows stay
  }
  CHECK(f.value("SELECT COUNT(*) FROM gamma") == "40");
  CHECK(f.db->tables() == std::vector<std::string>{"alpha", "beta", "gamma"});
}
