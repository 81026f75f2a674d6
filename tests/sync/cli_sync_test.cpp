// The sync CLI as an operator sees it: summaries, JSON output, state and
// history commands, and the synthetic example end to end.
#include "sync/sync_fixture.hpp"

#include <catch2/catch.hpp>

using namespace sluice::test;

namespace {

json::object synthetic_connection(const std::string& db, json::object config, const json::array& streams = {}) {
  json::object connection{{"source", {{"plugin", "synthetic"}, {"config", std::move(config)}}},
                          {"target", "sqlite://" + db}};
  if (!streams.empty()) connection["streams"] = streams;
  return connection;
}

}  // namespace

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

TEST_CASE("state shows checkpoints and history, and state reset --stream clears only that stream") {
  SyncFixture f;
  f.write_scripted({scripted_stream("alpha", numbered_properties(), numbered_records(1, 3)),
                    scripted_stream("beta", numbered_properties(), numbered_records(1, 3))},
                   {mode("alpha", "incremental_append"), mode("beta", "incremental_append")});
  REQUIRE(f.sync().exit_code == 0);
  auto shown = f.sluice({"state", f.dir.file("conn.json")});
  REQUIRE(shown.exit_code == 0);
  CHECK_THAT(shown.out, Catch::Contains(R"(alpha (stream alpha)") && Catch::Contains(R"({"offset":3})") &&
                            Catch::Contains("succeeded"));

  auto reset = f.sluice({"state", "reset", f.dir.file("conn.json"), "--stream", "alpha"});
  REQUIRE(reset.exit_code == 0);
  CHECK(f.rows("SELECT table_name FROM _sluice_state") == Rows{{"beta"}});

  auto as_json = f.sluice({"state", f.dir.file("conn.json"), "--json"});
  auto doc = json::parse(as_json.out).as_object();
  CHECK(doc.at("state").as_array().size() == 1);
  CHECK(doc.at("syncs").as_array().at(0).at("streams").as_array().size() == 2);
}

TEST_CASE("synthetic: dedup keeps one row per event, and the saved cursor is the newest one as the plugin wrote it") {
  SyncFixture f;
  json::array streams{json::object{{"name", "usage_events"}, {"mode", "incremental_append_dedup"}}};
  f.write_connection(synthetic_connection(
      f.db, {{"events", 3000}, {"updates", 500}, {"updates_out_of_order", true}, {"seed", 3}}, streams));
  auto first = f.sync();
  INFO(first.all());
  REQUIRE(first.exit_code == 0);
  CHECK(f.count("usage_events") == 3000);
  std::string max_ts = f.value("SELECT MAX(ts) FROM usage_events");
  // The cursor is saved exactly as the plugin wrote it.
  CHECK(f.value("SELECT state FROM _sluice_state") == "{\"ts\":\"" + max_ts + "\"}");

}

TEST_CASE("synthetic: a second incremental run reads only the events added since the checkpoint") {
  SyncFixture f;
  json::array streams{json::object{{"name", "usage_events"}, {"mode", "incremental_append"}}};
  f.write_connection(synthetic_connection(f.db, {{"events", 3000}, {"seed", 3}}, streams));
  REQUIRE(f.sync().exit_code == 0);
  CHECK(f.count("usage_events") == 3000);

  f.write_connection(synthetic_connection(f.db, {{"events", 4000}, {"seed", 3}}, streams));
  auto second = f.sync({"--json"});
  INFO(second.all());
  REQUIRE(second.exit_code == 0);
  CHECK(json::parse(second.out).at("streams").at(0).at("records").as_int64() == 1000);
  CHECK(f.count("usage_events") == 4000);
  CHECK(f.value("SELECT COUNT(DISTINCT id) FROM usage_events") == "4000");
}
