// Every CLI command end to end on the example `synthetic` connector, exit
// codes, help texts, config validation messages, and secret masking.
#include "common/process.hpp"
#include "common/sqlite_reader.hpp"
#include "common/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <filesystem>

using namespace sluice::test;
namespace json = boost::json;

namespace {

const std::string kSecret = "sk_live_DO_NOT_PRINT_4f9c2e";

std::string connection(const TempDir& dir, const json::object& config) {
  json::object doc{{"source", {{"plugin", "synthetic"}, {"config", config}}},
                   {"target", "sqlite://" + dir.file("out.db")}};
  return dir.write("conn.json", json::serialize(doc));
}

// A connection to the scripted test plugin (tests/sync/scripted_plugin.cpp),
// which has the failure and leak knobs synthetic no longer carries.
std::string scripted_connection(const TempDir& dir, json::object config) {
  json::object properties{{"id", {{"type", "integer"}}}, {"v", {{"type", "string"}}}};
  config["streams"] = json::array{json::object{{"name", "items"},
                                               {"json_schema", {{"type", "object"}, {"properties", properties}}},
                                               {"records", json::array{json::object{{"id", 1}, {"v", "a"}}}}}};
  json::object doc{{"source", {{"plugin", "scripted"}, {"config", config}}},
                   {"target", "sqlite://" + dir.file("scripted.db")}};
  return dir.write("scripted.json", json::serialize(doc));
}

std::vector<std::string> with_test_plugins(std::vector<std::string> args) {
  args.push_back("--plugin-dir");
  args.push_back(SLUICE_TEST_PLUGIN_DIR);
  return args;
}

}  // namespace

TEST_CASE("every command has --help, and the top-level help documents the exit codes") {
  auto top = run_sluice({"--help"});
  CHECK(top.exit_code == 0);
  CHECK_THAT(top.out, Catch::Contains("Exit codes:") && Catch::Contains("3  the plugin could not be found"));
  for (const char* command : {"plugins", "spec", "check", "discover", "sync", "state", "new-plugin"}) {
    auto help = run_sluice({command, "--help"});
    INFO(command);
    CHECK(help.exit_code == 0);
    CHECK_THAT(help.out, Catch::StartsWith(std::string("Usage: sluice ") + command));
  }
  auto none = run_sluice({});
  CHECK(none.exit_code == 2);
}

TEST_CASE("usage errors exit 2 with one line") {
  auto unknown = run_sluice({"frobnicate"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err == "error: unknown command frobnicate (run sluice --help)\n");
  auto bad_option = run_sluice({"plugins", "--colour"});
  CHECK(bad_option.exit_code == 2);
  CHECK(bad_option.err == "error: plugins: unknown option --colour (see sluice plugins --help)\n");
  auto bad_format = run_sluice({"spec", "synthetic", "--format", "yaml"});
  CHECK(bad_format.exit_code == 2);
  CHECK_THAT(bad_format.err, Catch::Contains("--format must be json or markdown"));
}

TEST_CASE("spec prints the config schema as JSON and a field table as Markdown") {
  auto as_json = run_sluice({"spec", "synthetic"});
  REQUIRE(as_json.exit_code == 0);
  auto doc = json::parse(as_json.out).as_object();
  CHECK(doc.at("name") == "synthetic");
  CHECK(doc.at("config_schema").at("properties").as_object().contains("events"));
  CHECK(doc.at("config_schema").at("properties").at("api_key").at("secret") == true);

  auto markdown = run_sluice({"spec", "synthetic", "--format", "markdown"});
  REQUIRE(markdown.exit_code == 0);
  CHECK_THAT(markdown.out, Catch::StartsWith("# synthetic 1.0.0") && Catch::Contains("| Field") &&
                               Catch::Contains("`events`"));
}

TEST_CASE("check validates the config with JSON paths, then runs the plugin's own check") {
  TempDir dir;
  auto bad = run_sluice({"check", connection(dir, {{"events", "many"}, {"colour", "red"}})});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("source.config.events: ") && Catch::Contains("source.config.colour: "));

  auto ok = run_sluice({"check", connection(dir, {{"events", 10}})});
  INFO(ok.all());
  CHECK(ok.exit_code == 0);
  CHECK_THAT(ok.out, Catch::StartsWith("ok: conn.json"));

  auto failing = run_sluice(with_test_plugins({"check", scripted_connection(dir, {{"check_fails", true}})}));
  CHECK(failing.exit_code == 1);
  CHECK_THAT(failing.err, Catch::EndsWith("\nerror: scripted check: simulated authentication failure [auth]\n"));
}

TEST_CASE("connection file problems exit 2 and name the file") {
  TempDir dir;
  auto missing = run_sluice({"check", dir.file("nope.json")});
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Catch::Contains("nope.json"));
  auto broken = run_sluice({"check", dir.write("broken.json", "{\"source\": ")});
  CHECK(broken.exit_code == 2);
  CHECK_THAT(broken.err, Catch::Contains("broken.json"));
}

TEST_CASE("discover prints the catalog with schemas, modes, cursors and keys") {
  TempDir dir;
  auto result = run_sluice({"discover", connection(dir, {{"events", 10}})});
  REQUIRE(result.exit_code == 0);
  auto streams = json::parse(result.out).at("streams").as_array();
  REQUIRE(streams.size() == 2);
  for (const auto& s : streams) {
    if (s.at("name") == "usage_events") {
      CHECK(s.at("default_cursor_field") == json::array{"ts"});
      CHECK(s.at("primary_key") == json::array{json::array{"id"}});
      CHECK(s.at("supported_sync_modes").as_array().size() == 4);
      CHECK(s.at("json_schema").at("properties").as_object().size() == 10);
    } else {
      CHECK(s.at("name") == "customers");
      CHECK(s.at("supported_sync_modes") == json::array{"full_refresh_overwrite", "full_refresh_append"});
    }
  }
}

TEST_CASE("a plugin that throws gets its exception reported as an error, not a crash") {
  TempDir dir;
  json::object doc{{"source", {{"plugin", "throws"}, {"config", json::object{}}}},
                   {"target", "sqlite://" + dir.file("out.db")}};
  std::string file = dir.write("conn.json", json::serialize(doc));
  auto check = run_sluice({"check", file, "--plugin-dir", SLUICE_TEST_PLUGIN_DIR});
  CHECK(check.exit_code == 1);
  CHECK_THAT(check.err, Catch::Contains("boom from plugin") && Catch::Contains("[internal]"));
  auto discover = run_sluice({"discover", file, "--plugin-dir", SLUICE_TEST_PLUGIN_DIR});
  CHECK(discover.exit_code == 1);
  CHECK_THAT(discover.err, Catch::Contains("boom from plugin"));
}

TEST_CASE("a secret never appears in any output of any command, even when the plugin leaks it") {
  TempDir dir;
  std::string file = scripted_connection(dir, {{"token", kSecret}, {"log_token", true}});
  std::vector<std::vector<std::string>> commands = {
      {"check", file}, {"discover", file}, {"sync", file}, {"sync", file, "--json"}, {"state", file},
      {"state", file, "--json"}, {"spec", "scripted"}, {"plugins"}};
  for (const auto& args : commands) {
    auto result = run_sluice(with_test_plugins(args));
    INFO(args[0] << " -> " << result.all());
    CHECK(result.all().find(kSecret) == std::string::npos);
  }
  // The leak really happened and was masked (so the test can fail).
  auto check = run_sluice(with_test_plugins({"check", file}));
  CHECK_THAT(check.all(), Catch::Contains("deliberately logging the token: ********"));

  // Secrets given by reference are masked too, and a bad config does not echo them.
  ProcessOptions env;
  env.env["SYNTH_KEY"] = kSecret;
  json::object by_ref{{"source", {{"plugin", "scripted"},
                                  {"config", {{"token", {{"$env", "SYNTH_KEY"}}}, {"log_token", true},
                                              {"streams", -5}}}}}};
  std::string ref_file = dir.write("ref.json", json::serialize(by_ref));
  auto invalid = run_sluice(with_test_plugins({"check", ref_file}), env);
  CHECK(invalid.exit_code == 2);
  CHECK(invalid.all().find(kSecret) == std::string::npos);
  auto unset = run_sluice(with_test_plugins({"check", ref_file}));
  CHECK(unset.exit_code == 2);
  CHECK_THAT(unset.err, Catch::Contains("SYNTH_KEY"));
}

TEST_CASE("a target URL with a typo in its scheme is refused without echoing its password") {
  TempDir dir;
  const std::string file = connection(dir, {{"events", 3}});
  for (const std::string url : {"postgresql:/u:Pa55-w0rd@h/db", "postgresql//u:Pa55-w0rd@h/db"}) {
    auto run = run_sluice({"sync", file, "--target", url});
    INFO(url << ": " << run.all());
    CHECK(run.exit_code == 2);
    CHECK_THAT(run.err, Catch::Contains("unsupported URL scheme") && Catch::Contains("u:********@h/db"));
    CHECK(run.all().find("Pa55-w0rd") == std::string::npos);
  }
}

TEST_CASE("state only reads: on a target no sync has written it says none and creates no metadata tables") {
  TempDir dir;
  const std::string file = connection(dir, {{"events", 5}});
  auto result = run_sluice({"state", file});
  INFO(result.all());
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("none saved"));
  CHECK_FALSE(sqlite_has_table(dir.file("out.db"), "_sluice_state"));
  CHECK_FALSE(sqlite_has_table(dir.file("out.db"), "_sluice_syncs"));
}

TEST_CASE("a sqlite:// target naming a folder is refused at once with exit 2 and one line") {
  TempDir dir;
  std::filesystem::create_directories(dir.path() / "a-folder");
  json::object doc{{"source", {{"plugin", "synthetic"}, {"config", {{"events", 5}}}}},
                   {"target", "sqlite://" + dir.file("a-folder")}};
  const std::string file = dir.write("folder.json", json::serialize(doc));
  // Refused before opening: the SQLite connector alone retries for a
  // minute, then fails with exit 1.
  auto result = run_sluice({"sync", file});
  INFO(result.all());
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Catch::Contains(dir.file("a-folder") + " is a folder, not a database file"));
}
