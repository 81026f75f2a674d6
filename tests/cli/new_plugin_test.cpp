// `sluice new-plugin`: the example, renamed, written where asked and
// nowhere else. (That the skeleton builds against the installed SDK and its
// tests pass is tests/install's: it needs the packages.)
#include "common/process.hpp"
#include "common/temp_dir.hpp"
#include "host/cli/cli.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace sluice::test;
namespace fs = std::filesystem;

namespace {

ProcessOptions in(const fs::path& dir) {
  ProcessOptions options;
  options.working_dir = dir.string();
  return options;
}

}  // namespace

TEST_CASE("new-plugin renames usage_api, UsageApi and usage-api in text and paths, CamelCase by underscores") {
  using sluice::host::cli::rename_template;
  CHECK(rename_template("class UsageApiConnector; // usage_api, usage-api", "s3_usage") ==
        "class S3UsageConnector; // s3_usage, s3-usage");
  CHECK(rename_template("src/usage_api_connector.cpp", "meter") == "src/meter_connector.cpp");
  CHECK(rename_template("fake_usage_api.hpp", "a_b_c") == "fake_a_b_c.hpp");
}

TEST_CASE("new-plugin writes every file of the example, renamed, and names each") {
  TempDir dir;
  auto run = run_sluice({"new-plugin", "meter_events"}, in(dir.path()));
  INFO(run.out << run.err);
  REQUIRE(run.exit_code == 0);
  const fs::path example = fs::path(SLUICE_SOURCE_DIR) / "examples" / "out-of-tree-plugin";
  size_t files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(example)) {
    if (!entry.is_regular_file()) continue;
    const std::string relative = fs::relative(entry.path(), example).string();
    const std::string renamed = sluice::host::cli::rename_template(relative, "meter_events");
    INFO(relative);
    const fs::path written = dir.path() / "meter_events" / renamed;
    REQUIRE(fs::exists(written));
    CHECK(read_file(written) == sluice::host::cli::rename_template(read_file(entry.path()), "meter_events"));
    CHECK(read_file(written).find("usage_api") == std::string::npos);
    CHECK_THAT(run.out, Catch::Contains("wrote meter_events/" + renamed));
    ++files;
  }
  CHECK(files == 7);
  CHECK(fs::exists(dir.path() / "meter_events" / "src" / "meter_events_connector.cpp"));
  CHECK_THAT(read_file(dir.path() / "meter_events" / "src" / "meter_events_connector.cpp"),
             Catch::Contains("class MeterEventsConnector") && Catch::Contains("SLUICE_PLUGIN(meter_events::"));
}

TEST_CASE("new-plugin refuses a name that is not a plugin name, and a folder that is not empty, writing nothing") {
  TempDir dir;
  for (const char* name : {"Meter", "9lives", "my-meter", ""}) {
    auto run = run_sluice({"new-plugin", name}, in(dir.path()));
    INFO(name);
    CHECK(run.exit_code == 2);
    CHECK_THAT(run.err, Catch::Contains("is not a plugin name") || Catch::Contains("the name is empty"));
  }
  CHECK(fs::is_empty(dir.path()));
  dir.write("taken/keep.txt", "mine");
  auto taken = run_sluice({"new-plugin", "meter", "--dir", dir.file("taken")});
  CHECK(taken.exit_code == 2);
  CHECK(taken.err == "error: new-plugin: " + dir.file("taken") + " already exists and is not an empty folder; nothing written\n");
  CHECK(read_file(dir.path() / "taken" / "keep.txt") == "mine");
  CHECK(!fs::exists(dir.path() / "taken" / "CMakeLists.txt"));
}
