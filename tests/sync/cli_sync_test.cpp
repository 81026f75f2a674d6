// The sync CLI as an operator sees it: summaries and JSON output. (State
// and history commands and the synthetic example run on every target in
// tests/target.)
#include "sync/sync_fixture.hpp"

#include <catch2/catch.hpp>

#include <signal.h>

#include <chrono>
#include <filesystem>
#include <thread>

using namespace sluice::test;

TEST_CASE("sync prints a summary table and --json prints a machine-readable summary") {
  SyncFixture f;
  f.write_scripted({scripted_stream("items", numbered_properties(), numbered_records(1, 5))},
                   {mode("items", "incremental_append")});
  auto table = f.sync();
  INFO(table.all());
  REQUIRE(table.exit_code == 0);
  CHECK_THAT(table.out, Catch::Contains("STREAM") && Catch::Contains("items") &&
                            Catch::Contains("incremental_append") && Catch::Contains("succeeded"));

  f.sluice({"state", "reset", f.dir.file("conn.json")});
  auto as_json = f.sync({"--json"});
  REQUIRE(as_json.exit_code == 0);
  auto summary = json::parse(as_json.out).as_object();
  CHECK(summary.at("status") == "succeeded");
  auto stream = summary.at("streams").as_array().at(0).as_object();
  CHECK(stream.at("stream") == "items");
  CHECK(stream.at("records").as_int64() == 5);
  CHECK(stream.at("status") == "succeeded");
}

TEST_CASE("sync --quiet prints nothing on success and the error on failure") {
  SyncFixture f;
  f.write_scripted({scripted_stream("items", numbered_properties(), numbered_records(1, 5))},
                   {mode("items", "incremental_append")});
  auto ok = f.sync({"--quiet"});
  CHECK(ok.exit_code == 0);
  CHECK(ok.out.empty());
  CHECK(ok.err.empty());

  auto failing = scripted_stream("items", numbered_properties(), numbered_records(1, 9));  // resumes at 6
  failing["fail_after_batches"] = 1;
  f.write_scripted({failing}, {mode("items", "incremental_append")});
  auto failed = f.sync({"--quiet"});
  CHECK(failed.exit_code == 1);
  CHECK(failed.out.empty());
  CHECK_THAT(failed.err, Catch::Contains("error: stream items failed"));
}

TEST_CASE("a failed stream shows its error kind in the summary, the error line and sync --json, with the warnings") {
  SyncFixture f;
  auto failing = scripted_stream("items", numbered_properties(), numbered_records(1, 9));
  failing["fail_after_batches"] = 1;
  f.write_scripted({failing, scripted_stream("other", numbered_properties(), numbered_records(1, 3))},
                   {mode("items", "incremental_append"), mode("other", "full_refresh_overwrite")});
  auto table = f.sync();
  INFO(table.all());
  CHECK(table.exit_code == 1);
  CHECK_THAT(table.out, Catch::Contains("failed (source)"));
  // Each layer says its part once: the stream, the plugin and call, the plugin's message, the kind.
  CHECK_THAT(table.err, Catch::Contains("error: stream items failed: scripted read: scripted failure after 1 batches "
                                        "[source]"));

  f.sluice({"state", "reset", f.dir.file("conn.json")});
  auto as_json = f.sync({"--json"});
  INFO(as_json.all());
  auto summary = json::parse(as_json.out).as_object();
  CHECK(summary.at("status") == "failed");
  auto items = summary.at("streams").as_array().at(0).as_object();
  CHECK(items.at("status") == "failed");
  CHECK(items.at("error_kind") == "source");
  auto other = summary.at("streams").as_array().at(1).as_object();
  CHECK(other.at("status") == "succeeded");
  CHECK(other.at("error_kind") == "");
  CHECK(summary.at("warnings").as_array().empty());
}

TEST_CASE("warnings the run logs are listed in sync --json") {
  SyncFixture f;
  auto padded = scripted_stream("items", numbered_properties(), numbered_records(1, 4));
  padded["state_padding"] = 2 * 1024 * 1024;  // past the 1 MiB a checkpoint should need
  f.write_scripted({padded}, {mode("items", "incremental_append")});
  auto run = f.sync({"--json"});
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  auto warnings = json::parse(run.out).as_object().at("warnings").as_array();
  REQUIRE(warnings.size() == 1);
  CHECK_THAT(std::string(warnings.at(0).as_string()), Catch::Contains("stream items: state is"));
}

TEST_CASE("Ctrl-C cancels the sync cleanly: exit 130, committed checkpoints kept, and the next run resumes") {
  SyncFixture f;
  auto interrupted = scripted_stream("items", numbered_properties(), numbered_records(1, 10));
  interrupted["sigint_after_batches"] = 2;  // the plugin raises SIGINT in the sync process
  f.write_scripted({interrupted}, {mode("items", "incremental_append")});
  auto cancelled = f.sync();
  INFO(cancelled.all());
  CHECK(cancelled.exit_code == 130);
  CHECK_THAT(cancelled.out, Catch::Contains("cancelled"));
  CHECK(f.count("items") == 4);  // the two checkpointed batches

  f.write_scripted({scripted_stream("items", numbered_properties(), numbered_records(1, 10))},
                   {mode("items", "incremental_append")});
  auto resumed = f.sync();
  INFO(resumed.all());
  REQUIRE(resumed.exit_code == 0);
  CHECK(f.rows("SELECT COUNT(*), COUNT(DISTINCT id) FROM items") == Rows{{"10", "10"}});
}

TEST_CASE("a catalog stream with an unknown type name fails the sync before any table is created") {
  SyncFixture f;
  json::object properties = numbered_properties();
  properties["v"] = json::object{{"type", "strnig"}};
  f.write_scripted({scripted_stream("items", properties, numbered_records(1, 3))});
  auto run = f.sync();
  INFO(run.all());
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.err, Catch::Contains("error: plugin scripted: stream items: json_schema /properties/v/type: "
                                      "unknown type \"strnig\""));
  CHECK_FALSE(sqlite_has_table(f.db, "items"));
}

TEST_CASE("SIGTERM while the plugin is stuck in discovery cancels the sync (exit 130) and creates nothing") {
  SyncFixture f;
  const std::string waiting = f.dir.file("discover-waiting");
  json::object connection{{"source", {{"plugin", "scripted"},
                                      {"config", {{"streams", json::array{scripted_stream("a", numbered_properties(),
                                                                                         numbered_records(1, 3))}},
                                                  {"discover_waits_file", waiting}}}}},
                          {"target", "sqlite://" + f.db}};
  f.write_connection(connection);
  ProcessOptions options;
  options.working_dir = f.dir.path().string();
  options.while_running = [&](int pid) {
    // The plugin says, through a file, that it is waiting in discover().
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!std::filesystem::exists(waiting) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    kill(pid, SIGTERM);
  };
  auto run = run_sluice({"sync", f.dir.file("conn.json"), "--plugin-dir", SLUICE_TEST_PLUGIN_DIR}, options);
  INFO(run.all());
  REQUIRE(std::filesystem::exists(waiting));
  CHECK(run.exit_code == 130);
  CHECK_THAT(run.err, Catch::Contains("scripted discover: cancelled"));
  CHECK(f.value("SELECT COUNT(*) FROM sqlite_master WHERE name = 'a'") == "0");
}
