// sdk.hpp's usage example, compiled from the header itself
// (tests/sdk/CMakeLists.txt), loads, validates its config and syncs.
#include "common/process.hpp"
#include "common/sqlite_reader.hpp"
#include "common/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

using namespace sluice::test;
namespace json = boost::json;

TEST_CASE("the usage example in sdk.hpp builds into a plugin that syncs its stream") {
  TempDir dir;
  json::object connection{{"source", {{"plugin", "my_source"}, {"config", {{"token", "t0ken-not-printed"}}}}},
                          {"target", "sqlite://" + dir.file("out.db")}};
  const std::string file = dir.write("conn.json", json::serialize(connection));
  auto run = run_sluice({"sync", file, "--plugin-dir", SLUICE_EXAMPLE_PLUGIN_DIR});
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK(sqlite_rows(dir.file("out.db"), "SELECT id FROM items") == Rows{{"1"}});
  CHECK_THAT(run.all(), !Catch::Contains("t0ken-not-printed"));

  auto missing = run_sluice({"check", dir.write("bad.json", R"({"source": {"plugin": "my_source", "config": {}}})"),
                             "--plugin-dir", SLUICE_EXAMPLE_PLUGIN_DIR});
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Catch::Contains("token"));
}
