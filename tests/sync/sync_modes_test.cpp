// Every sync mode end to end through the CLI into SQLite, including what a
// failure in the middle of a stream leaves behind.
#include "sync/sync_fixture.hpp"

#include <catch2/catch.hpp>

using namespace sluice::test;

TEST_CASE("full_refresh_overwrite replaces the table only when the stream completes") {
  SyncFixture f;
  f.write_scripted({scripted_stream("items", numbered_properties(), numbered_records(1, 3))},
                   {mode("items", "full_refresh_overwrite")});
  auto first = f.sync();
  INFO(first.all());
  REQUIRE(first.exit_code == 0);
  REQUIRE(f.count("items") == 3);

  auto failing = scripted_stream("items", numbered_properties(), numbered_records(10, 19));
  failing["fail_after_batches"] = 2;
  f.write_scripted({failing}, {mode("items", "full_refresh_overwrite")});
  auto failed = f.sync();
  CHECK(failed.exit_code == 1);
  CHECK_THAT(failed.err, Catch::Contains("stream items failed") && Catch::Contains("scripted failure after 2 batches"));
  // The previous table is intact and readable; no staging table is left.
  CHECK(f.value("SELECT group_concat(id) FROM (SELECT id FROM items ORDER BY id)") == "1,2,3");
  CHECK_FALSE(sqlite_has_table(f.db, "_sluice_tmp_items"));

  f.write_scripted({scripted_stream("items", numbered_properties(), numbered_records(10, 14))},
                   {mode("items", "full_refresh_overwrite")});
  REQUIRE(f.sync().exit_code == 0);
  CHECK(f.value("SELECT group_concat(id) FROM (SELECT id FROM items ORDER BY id)") == "10,11,12,13,14");
}

TEST_CASE("full_refresh_append adds every completed run, told apart by _sluice_sync_id") {
  SyncFixture f;
  f.write_scripted({scripted_stream("items", numbered_properties(), numbered_records(1, 3))},
                   {mode("items", "full_refresh_append")});
  REQUIRE(f.sync().exit_code == 0);

  auto failing = scripted_stream("items", numbered_properties(), numbered_records(1, 3));
  failing["fail_after_batches"] = 1;
  f.write_scripted({failing}, {mode("items", "full_refresh_append")});
  REQUIRE(f.sync().exit_code == 1);
  CHECK(f.count("items") == 3);  // a failed append run adds nothing

  f.write_scripted({scripted_stream("items", numbered_properties(), numbered_records(1, 3))},
                   {mode("items", "full_refresh_append")});
  REQUIRE(f.sync().exit_code == 0);
  CHECK(f.count("items") == 6);
  CHECK(f.value("SELECT COUNT(DISTINCT _sluice_sync_id) FROM items") == "2");
  CHECK(f.value("SELECT COUNT(*) FROM items WHERE _sluice_extracted_at LIKE '____-__-__T__:__:__.______Z'") == "6");
}

TEST_CASE("incremental_append resumes from the last committed checkpoint after a source failure") {
  SyncFixture f;
  auto failing = scripted_stream("items", numbered_properties(), numbered_records(1, 10));
  failing["fail_after_batches"] = 3;
  f.write_scripted({failing}, {mode("items", "incremental_append")});
  auto failed = f.sync();
  CHECK(failed.exit_code == 1);
  CHECK(f.count("items") == 6);  // three committed batches of two
  CHECK(f.value("SELECT state FROM _sluice_state WHERE table_name = 'items'") == R"({"offset":6})");

  f.write_scripted({scripted_stream("items", numbered_properties(), numbered_records(1, 10))},
                   {mode("items", "incremental_append")});
  auto resumed = f.sync();
  INFO(resumed.all());
  REQUIRE(resumed.exit_code == 0);
  CHECK(f.count("items") == 10);
  CHECK(f.value("SELECT COUNT(DISTINCT id) FROM items") == "10");

  // A third run finds nothing new.
  REQUIRE(f.sync().exit_code == 0);
  CHECK(f.count("items") == 10);
}

TEST_CASE("a state past 1 MB is kept whole but warned about, once per stream") {
  SyncFixture f;
  auto stream = scripted_stream("items", numbered_properties(), numbered_records(1, 6));
  stream["state_padding"] = 1100 * 1024;
  f.write_scripted({stream}, {mode("items", "incremental_append")});
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  const std::string warning = "stream items: state is 1100 KiB";
  const auto first = run.all().find(warning);
  CHECK(first != std::string::npos);
  CHECK(run.all().find(warning, first + 1) == std::string::npos);  // three checkpoints, one warning
  const std::string empty_padded = R"({"offset":6,"pad":""})";
  CHECK(f.value("SELECT length(state) FROM _sluice_state WHERE table_name = 'items'") ==
        std::to_string(empty_padded.size() + 1100 * 1024));
}

TEST_CASE("incremental_append_dedup keeps the record with the newest cursor, across batches and runs") {
  SyncFixture f;
  json::object properties{{"a", {{"type", "string"}}}, {"b", {{"type", "integer"}}},
                          {"ts", {{"type", "string"}, {"format", "date-time"}}}, {"v", {{"type", "string"}}}};
  // Composite key (a, b); the newer version of (x,1) arrives first, the stale
  // one after it, in a later batch.
  json::array records{
      json::object{{"a", "x"}, {"b", 1}, {"ts", "2026-01-03T00:00:00Z"}, {"v", "newest"}},
      json::object{{"a", "x"}, {"b", 2}, {"ts", "2026-01-01T00:00:00Z"}, {"v", "only"}},
      json::object{{"a", "x"}, {"b", 1}, {"ts", "2026-01-01T00:00:00Z"}, {"v", "stale"}},
      json::object{{"a", "y"}, {"b", 1}, {"ts", "2026-01-02T00:00:00Z"}, {"v", "first"}},
  };
  auto stream = scripted_stream("items", properties, records);
  stream["primary_key"] = json::array{json::array{"a"}, json::array{"b"}};
  f.write_scripted({stream}, {mode("items", "incremental_append_dedup")});
  auto run = f.sync();
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK(f.rows("SELECT a, b, v FROM items ORDER BY a, b") ==
        Rows{{"x", "1", "newest"}, {"x", "2", "only"}, {"y", "1", "first"}});

  // Next run (state reset so the script replays): an update of (y,1) and a
  // stale copy of (x,1) from an older cursor.
  json::array later{
      json::object{{"a", "y"}, {"b", 1}, {"ts", "2026-01-05T00:00:00Z"}, {"v", "updated"}},
      json::object{{"a", "x"}, {"b", 1}, {"ts", "2026-01-02T00:00:00Z"}, {"v", "stale again"}},
  };
  auto stream2 = scripted_stream("items", properties, later);
  stream2["primary_key"] = json::array{json::array{"a"}, json::array{"b"}};
  f.write_scripted({stream2}, {mode("items", "incremental_append_dedup")});
  REQUIRE(f.sluice({"state", "reset", f.dir.file("conn.json")}).exit_code == 0);
  REQUIRE(f.sync().exit_code == 0);
  CHECK(f.rows("SELECT a, b, v FROM items ORDER BY a, b") ==
        Rows{{"x", "1", "newest"}, {"x", "2", "only"}, {"y", "1", "updated"}});
}

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

TEST_CASE("sync --streams syncs only the named streams and leaves the others' tables and state alone") {
  SyncFixture f;
  f.write_scripted({scripted_stream("alpha", numbered_properties(), numbered_records(1, 4)),
                    scripted_stream("beta", numbered_properties(), numbered_records(1, 4))},
                   {mode("alpha", "incremental_append"), mode("beta", "incremental_append")});
  REQUIRE(f.sync({"--streams", "alpha"}).exit_code == 0);
  CHECK(f.count("alpha") == 4);
  CHECK_FALSE(sqlite_has_table(f.db, "beta"));
  CHECK(f.value("SELECT COUNT(*) FROM _sluice_state") == "1");

  auto unknown = f.sync({"--streams", "gamma"});
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.err, Catch::Contains("--streams: gamma is not a selected stream"));
}

TEST_CASE("a record that is not JSON fails its stream, and committed rows stay") {
  SyncFixture f;
  auto stream = scripted_stream("items", numbered_properties(), numbered_records(1, 6));
  stream["bad_line_after_batches"] = 2;
  f.write_scripted({stream}, {mode("items", "incremental_append")});
  auto run = f.sync();
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.err, Catch::Contains("stream items") && Catch::Contains("not valid JSON"));
  CHECK(f.count("items") == 2);  // batch one committed; batch two shared the bad batch's transaction
}
