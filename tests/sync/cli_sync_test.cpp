// The sync CLI as an operator sees it: summaries and JSON output. (State
// and history commands and the synthetic example run on every target in
// tests/target.)
#include "sync/sync_fixture.hpp"

#include <catch2/catch.hpp>

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
