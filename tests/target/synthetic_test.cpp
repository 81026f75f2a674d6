// The synthetic example connector at volume on every target: dedup with
// out-of-order updates, and an incremental run that reads only new events.
#include "target/target_fixture.hpp"

#include <catch2/catch.hpp>

using namespace sluice::test;

TEMPLATE_TEST_CASE("synthetic: dedup keeps one row per event, and the saved cursor is the newest one as the plugin "
                   "wrote it", "[target]", SLUICE_ALL_TARGETS) {
  TargetFixture f(TestType::engine);
  json::array streams{json::object{{"name", "usage_events"}, {"mode", "incremental_append_dedup"}}};
  f.write_synthetic({{"events", 3000}, {"updates", 500}, {"updates_out_of_order", true}, {"seed", 3}}, streams);
  auto first = f.sync();
  INFO(first.all());
  REQUIRE(first.exit_code == 0);
  CHECK(f.count("usage_events") == 3000);
  CHECK(f.value("SELECT COUNT(DISTINCT id) FROM usage_events") == "3000");
  auto state = json::parse(f.value("SELECT state FROM _sluice_state")).as_object();
  CHECK(state.at("ts").is_string());
  // Every event holds the same (newest) version as in SQLite, the reference.
  TargetFixture reference(Engine::sqlite);
  reference.write_synthetic({{"events", 3000}, {"updates", 500}, {"updates_out_of_order", true}, {"seed", 3}},
                            streams);
  REQUIRE(reference.sync().exit_code == 0);
  const std::string versions = "SELECT id, quantity FROM usage_events ORDER BY id";
  CHECK(f.rows(versions) == reference.rows(versions));
}

TEMPLATE_TEST_CASE("synthetic: a second incremental run reads only the events added since the checkpoint",
                   "[target]", SLUICE_ALL_TARGETS) {
  TargetFixture f(TestType::engine);
  json::array streams{json::object{{"name", "usage_events"}, {"mode", "incremental_append"}}};
  f.write_synthetic({{"events", 3000}, {"seed", 3}}, streams);
  REQUIRE(f.sync().exit_code == 0);
  CHECK(f.count("usage_events") == 3000);

  f.write_synthetic({{"events", 4000}, {"seed", 3}}, streams);
  auto second = f.sync({"--json"});
  INFO(second.all());
  REQUIRE(second.exit_code == 0);
  CHECK(json::parse(second.out).at("streams").at(0).at("records").as_int64() == 1000);
  CHECK(f.count("usage_events") == 4000);
  CHECK(f.value("SELECT COUNT(DISTINCT id) FROM usage_events") == "4000");
}

// The plugin's own rule, so one engine is enough: PostgreSQL, where the
// test can rewrite the saved state (the SQLite reader opens read-only).
TEMPLATE_TEST_CASE("synthetic: a saved cursor that is not a timestamp fails the sync instead of starting over",
                   "[target]", Postgres) {
  TargetFixture f(TestType::engine);
  json::array streams{json::object{{"name", "usage_events"}, {"mode", "incremental_append"}}};
  f.write_synthetic({{"events", 100}, {"seed", 3}}, streams);
  REQUIRE(f.sync().exit_code == 0);
  f.db->exec(R"(UPDATE _sluice_state SET state = '{"ts":"2026-01-01T00:00:99Z"}')");
  auto second = f.sync();
  INFO(second.all());
  CHECK(second.exit_code != 0);
  CHECK(second.err.find("saved state is not") != std::string::npos);
  CHECK(f.count("usage_events") == 100);
}
