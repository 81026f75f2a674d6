// Selections the engine refuses before anything runs (target-independent:
// the behaviour every target shares is in tests/target, the conformance
// suite).
#include "sync/sync_fixture.hpp"

#include <catch2/catch.hpp>

using namespace sluice::test;

TEST_CASE("a mode the plugin does not declare for a stream is refused before anything runs") {
  SyncFixture f;
  auto stream = scripted_stream("items", numbered_properties(), numbered_records(1, 2));
  stream["sync_modes"] = json::array{"full_refresh_overwrite"};
  f.write_scripted({stream}, {mode("items", "incremental_append")});
  auto run = f.sync();
  CHECK(run.exit_code == 2);
  CHECK_THAT(run.err, Catch::Contains("stream items: sync mode incremental_append is not supported by the "
                                      "plugin (supported: full_refresh_overwrite)"));
  CHECK_FALSE(sqlite_has_table(f.db, "items"));
}

TEST_CASE("dedup without a primary key is refused with the stream named") {
  SyncFixture f;
  auto stream = scripted_stream("items", numbered_properties(), numbered_records(1, 2));
  stream.erase("primary_key");
  f.write_scripted({stream}, {mode("items", "incremental_append_dedup")});
  auto run = f.sync();
  CHECK(run.exit_code == 2);
  CHECK_THAT(run.err, Catch::Contains("stream items: incremental_append_dedup needs a primary_key"));
}

TEST_CASE("sync --streams with a stream that is not selected is refused") {
  SyncFixture f;
  f.write_scripted({scripted_stream("alpha", numbered_properties(), numbered_records(1, 4))},
                   {mode("alpha", "incremental_append")});
  auto unknown = f.sync({"--streams", "gamma"});
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.err, Catch::Contains("--streams: gamma is not a selected stream"));
}
