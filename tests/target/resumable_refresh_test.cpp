// Resumable full refresh on every target (host/sync/kept_staging.hpp): a
// full refresh whose plugin declares resume points keeps its staging table
// and last checkpoint when it is killed, and the next run continues there
// and swaps once; a changed schema, a reset state or another mode discards
// them and starts over.
#include "target/target_fixture.hpp"

#include <catch2/catch.hpp>

#include <csignal>

using namespace sluice::test;

namespace {

json::object resumable_items(const json::object& properties = numbered_properties()) {
  auto stream = scripted_stream("items", properties, numbered_records(1, 20));
  stream["resumable_full_refresh"] = true;
  return stream;
}

// A first complete run (ids 100, 101), then a resumable full refresh of ids
// 1..20 in batches of two, SIGKILLed right after its third checkpoint
// (six rows) committed.
void kill_after_third_checkpoint(TargetFixture& f, const std::string& sync_mode) {
  f.write_scripted({scripted_stream("items", numbered_properties(), numbered_records(100, 101))},
                   {mode("items", sync_mode)});
  REQUIRE(f.sync().exit_code == 0);
  f.write_scripted({resumable_items()}, {mode("items", sync_mode)});
  ProcessOptions options;
  options.working_dir = f.dir.path().string();
  options.env["SLUICE_FAULT_POINT"] = "checkpoint-committed:3";
  auto killed = run_sluice({"sync", f.dir.file("conn.json"), "--plugin-dir", SLUICE_TEST_PLUGIN_DIR}, options);
  INFO(killed.all());
  REQUIRE(killed.signal == SIGKILL);
}

}  // namespace

TEMPLATE_TEST_CASE("a killed full refresh that declares resume points continues at its last checkpoint in the same "
                   "staging table and swaps once at the end",
                   "[target]", SLUICE_ALL_TARGETS) {
  for (std::string sync_mode : {"full_refresh_overwrite", "full_refresh_append"}) {
    DYNAMIC_SECTION(sync_mode) {
      TargetFixture f(TestType::engine);
      kill_after_third_checkpoint(f, sync_mode);
      // The live table is untouched; the staging table and its resume point stay.
      CHECK(f.rows("SELECT id FROM items ORDER BY id") == Rows{{"100"}, {"101"}});
      auto tables = f.db->tables();
      REQUIRE(tables.size() == 2);
      CHECK(tables[0].rfind("_sluice_tmp_", 0) == 0);
      CHECK(f.count(tables[0]) == 6);
      CHECK(f.rows("SELECT stream, state FROM _sluice_state") == Rows{{"items", R"({"offset":6,"resumable":true})"}});

      auto resumed = f.sync();
      INFO(resumed.all());
      REQUIRE(resumed.exit_code == 0);
      CHECK_THAT(resumed.err, Catch::Contains("resuming the full refresh that sync") &&
                                  Catch::Contains("scripted: reading items from offset 6"));
      Rows expected;
      if (sync_mode == "full_refresh_append") expected = {{"100"}, {"101"}};
      Rows all;
      for (int id = 1; id <= 20; ++id) all.push_back({std::to_string(id)});
      expected.insert(expected.begin(), all.begin(), all.end());
      CHECK(f.rows("SELECT id FROM items ORDER BY id") == expected);
      // Six rows of the killed run, fourteen of the resumed one: nothing read twice.
      CHECK(f.rows("SELECT COUNT(*) FROM items WHERE id < 100 GROUP BY _sluice_sync_id ORDER BY COUNT(*)") ==
            Rows{{"6"}, {"14"}});
      CHECK(f.db->tables() == std::vector<std::string>{"items"});
      CHECK(f.value("SELECT COUNT(*) FROM _sluice_state") == "0");
    }
  }
}

TEMPLATE_TEST_CASE("a kept staging table is discarded and the full refresh starts over when the stream's columns "
                   "changed, its state was reset or it is now incremental",
                   "[target]", SLUICE_ALL_TARGETS) {
  for (std::string change : {"columns", "reset", "incremental"}) {
    DYNAMIC_SECTION(change) {
      TargetFixture f(TestType::engine);
      kill_after_third_checkpoint(f, "full_refresh_overwrite");
      REQUIRE(f.db->tables().size() == 2);
      std::string sync_mode = "full_refresh_overwrite";
      auto properties = numbered_properties();
      if (change == "columns") properties["note"] = {{"type", "string"}};
      if (change == "reset") {
        auto reset = f.sluice({"state", "reset", f.dir.file("conn.json"), "--stream", "items"});
        INFO(reset.all());
        REQUIRE(reset.exit_code == 0);
      }
      if (change == "incremental") sync_mode = "incremental_append";
      f.write_scripted({resumable_items(properties)}, {mode("items", sync_mode)});
      auto rerun = f.sync();
      INFO(rerun.all());
      REQUIRE(rerun.exit_code == 0);
      CHECK_THAT(rerun.err, !Catch::Contains("resuming"));
      if (change == "columns") {
        CHECK_THAT(rerun.err, Catch::Contains("is discarded (the stream's columns changed); starting over"));
      }
      if (change == "incremental") {
        CHECK_THAT(rerun.err, Catch::Contains("is discarded (the stream is now incremental)"));
      } else {
        CHECK_THAT(rerun.err, Catch::Contains("scripted: reading items from offset 0"));
      }
      // Every record once, all from the new run; nothing of the old run is left.
      CHECK(f.value("SELECT COUNT(*) FROM items WHERE id < 100") == "20");
      CHECK(f.value("SELECT COUNT(DISTINCT id) FROM items WHERE id < 100") == "20");
      CHECK(f.value("SELECT COUNT(DISTINCT _sluice_sync_id) FROM items WHERE id < 100") == "1");
      CHECK(f.db->tables() == std::vector<std::string>{"items"});
      if (change == "incremental") {
        CHECK(f.rows("SELECT stream, state FROM _sluice_state") == Rows{{"items", R"({"offset":20})"}});
      } else {
        CHECK(f.value("SELECT COUNT(*) FROM _sluice_state") == "0");
      }
    }
  }
}
