// `sluice test-plugin` (issue 18 item 3) through the real sluice binary: it
// passes a well-behaved plugin and fails each deliberately bad one with the
// line that names the check and the fix. The plugins are the scripted test
// plugin (tests/sync/scripted_plugin.cpp) configured to misbehave one way.
#include "common/process.hpp"
#include "common/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <signal.h>

#include <chrono>
#include <filesystem>
#include <thread>

using namespace sluice::test;
namespace json = boost::json;

namespace {

const std::string kSecret = "sk_live_DO_NOT_PRINT_4f9c2e";
const json::array kAllModes{"full_refresh_overwrite", "full_refresh_append", "incremental_append",
                            "incremental_append_dedup"};

json::array numbered_records(int count) {
  json::array records;
  for (int i = 1; i <= count; ++i) records.push_back(json::object{{"id", i}, {"v", "r" + std::to_string(i)}});
  return records;
}

// The scripted plugin's config: one stream "items" {id, v} keyed and
// ordered by id, offering every mode unless `extra` says otherwise, with a
// secret token; `extra` adds stream keys, `config` config keys.
std::string items_config(const TempDir& dir, json::array records, json::object extra = {},
                         json::object config = {}) {
  json::object properties{{"id", {{"type", "integer"}}}, {"v", {{"type", "string"}}}};
  json::object stream{{"name", "items"},
                      {"json_schema", {{"type", "object"}, {"properties", properties}}},
                      {"sync_modes", kAllModes},
                      {"cursor", json::array{"id"}},
                      {"primary_key", json::array{json::array{"id"}}},
                      {"records", std::move(records)}};
  for (auto& field : extra) stream[field.key()] = field.value();
  config["streams"] = json::array{stream};
  if (!config.contains("token")) config["token"] = kSecret;
  return dir.write("items.json", json::serialize(config));
}

ProcessResult test_plugin(const std::string& config, std::vector<std::string> more = {}) {
  std::vector<std::string> args = {"test-plugin", "scripted", "--config", config, "--plugin-dir",
                                   SLUICE_TEST_PLUGIN_DIR};
  args.insert(args.end(), more.begin(), more.end());
  return run_sluice(args);
}

}  // namespace

TEST_CASE("test-plugin passes a well-behaved plugin on every check and exits 0") {
  TempDir dir;
  auto result = test_plugin(items_config(dir, numbered_records(5)));
  INFO(result.all());
  CHECK(result.exit_code == 0);
  CHECK(result.err.empty());
  for (const char* check : {"spec", "config", "check", "discover", "read", "schema", "keys", "checkpoint",
                            "resume", "secrets", "cancel"}) {
    CHECK_THAT(result.out, Catch::Contains(std::string("\nok: ") + check + ": ") ||
                               Catch::StartsWith(std::string("ok: ") + check + ": "));
  }
  CHECK_THAT(result.out, Catch::Contains("ok: read: 4 stream reads (each stream in each mode it offers) to the "
                                         "end, 20 records\n"));
  CHECK_THAT(result.out, Catch::Contains("ok: resume: 2 incremental reads, a second run from each saved state "
                                         "added no new distinct row\n"));
  CHECK_THAT(result.out, Catch::Contains("ok: secrets: 1 secret value looked for: none in any output"));
  CHECK_THAT(result.out, Catch::EndsWith("test-plugin: scripted passed all 11 checks\n"));
}

TEST_CASE("test-plugin fails a record missing its key on the keys check, naming the stream and the fix") {
  TempDir dir;
  json::array records = numbered_records(4);
  records.push_back(json::object{{"v", "no key"}});
  auto result = test_plugin(items_config(dir, records));
  INFO(result.all());
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Catch::StartsWith(
                             "error: keys: stream items (full_refresh_overwrite): 1 of 5 records lack their primary "
                             "key (id); fix: emit every primary key field, non-null, in every record of a stream "
                             "that offers incremental_append_dedup\n"));
  CHECK_THAT(result.err, Catch::EndsWith("error: test-plugin: scripted failed 1 of 11 checks\n"));
  CHECK_THAT(result.out, Catch::Contains("ok: schema: "));
}

TEST_CASE("test-plugin fails records that do not match their schema, naming the fields, not their values") {
  TempDir dir;
  json::array records = numbered_records(2);
  records.push_back(json::object{{"id", 3}, {"v", "r3"}, {"nickname", "Nick"}});
  records.push_back(json::object{{"id", "four"}, {"v", "r4"}});
  auto result = test_plugin(items_config(dir, records, {{"sync_modes", json::array{"full_refresh_overwrite"}}}));
  INFO(result.all());
  CHECK(result.exit_code == 1);
  CHECK(result.err ==
        "error: schema: stream items (full_refresh_overwrite): 2 of 4 records do not match its json_schema (fields "
        "its json_schema does not declare: nickname; values not of their declared type: id); fix: declare every "
        "field the records carry, with the type their values have\n"
        "error: test-plugin: scripted failed 1 of 11 checks\n");
}

TEST_CASE("test-plugin fails an incremental stream that never checkpoints on the checkpoint check") {
  TempDir dir;
  auto result = test_plugin(items_config(
      dir, numbered_records(5), {{"sync_modes", json::array{"incremental_append"}}, {"no_checkpoints", true}}));
  INFO(result.all());
  CHECK(result.exit_code == 1);
  CHECK(result.err ==
        "error: checkpoint: stream items (incremental_append): 5 records read but no checkpoint saved; fix: call "
        "checkpoint() after each page with what the next run needs to resume (its cursor)\n"
        "error: test-plugin: scripted failed 1 of 11 checks\n");
}

TEST_CASE("test-plugin fails a plugin that logs a secret, as is or base64-encoded, and prints neither") {
  TempDir dir;
  for (const char* how : {"log_token", "log_token_base64"}) {
    INFO(how);
    auto result = test_plugin(items_config(dir, numbered_records(2), {}, {{how, true}}));
    INFO(result.all());
    CHECK(result.exit_code == 1);
    const std::string form = std::string(how) == "log_token" ? "" : " base64-encoded";
    CHECK(result.err == "error: secrets: config.token appears" + form +
                            " in a plugin log line; fix: never log, print, emit or checkpoint a secret config "
                            "value, in any encoding\n"
                            "error: test-plugin: scripted failed 1 of 11 checks\n");
    CHECK(result.all().find(kSecret) == std::string::npos);
    CHECK(result.all().find("c2tfbGl2ZV9ET19OT1RfUFJJTlRfNGY5YzJl") == std::string::npos);  // base64 of it
  }
}

TEST_CASE("test-plugin fails a plugin that ignores the cancel once the bound has passed, and exits 1") {
  TempDir dir;
  auto result = test_plugin(items_config(dir, numbered_records(4), {{"ignore_cancel", true}}),
                            {"--cancel-within", "0.3"});
  INFO(result.all());
  CHECK(result.exit_code == 1);
  CHECK(result.err ==
        "error: cancel: stream items (full_refresh_overwrite): still reading 300 ms after the cancel; fix: stop "
        "read() when the SDK says the run is cancelled (ctx.cancelled(), or let the Cancelled an emit throws "
        "propagate); wait with the support library's HTTP client, which returns on cancel\n"
        "error: test-plugin: scripted failed 1 of 11 checks\n");
}

TEST_CASE("test-plugin reports an invalid config on the config check, and usage errors exit 2") {
  TempDir dir;
  const std::string bad = dir.write("bad.json", R"({"streams": "none", "token": 5})");
  auto invalid = test_plugin(bad);
  INFO(invalid.all());
  CHECK(invalid.exit_code == 1);
  CHECK_THAT(invalid.err, Catch::StartsWith("error: config: config.streams: expected array, got string; fix: "));
  CHECK_THAT(invalid.out, Catch::StartsWith("ok: spec: "));

  auto no_config = run_sluice({"test-plugin", "scripted", "--plugin-dir", SLUICE_TEST_PLUGIN_DIR});
  CHECK(no_config.exit_code == 2);
  CHECK(no_config.err ==
        "error: test-plugin: --config FILE is required (the plugin's config, or a connection file)\n");
  auto bound = test_plugin(bad, {"--cancel-within", "soon"});
  CHECK(bound.exit_code == 2);
  CHECK(bound.err == "error: test-plugin: --cancel-within expects seconds from 0.1 to 3600, got \"soon\"\n");
  auto missing = run_sluice({"test-plugin", "nosuch", "--config", bad});
  CHECK(missing.exit_code == 3);
}

TEST_CASE("test-plugin takes a connection file as its config and refuses one of another plugin") {
  TempDir dir;
  json::object config = json::parse(read_file(items_config(dir, numbered_records(2)))).as_object();
  const std::string connection =
      dir.write("conn.json", json::serialize(json::object{{"source", {{"plugin", "scripted"}, {"config", config}}}}));
  auto result = test_plugin(connection);
  INFO(result.all());
  CHECK(result.exit_code == 0);
  const std::string other =
      dir.write("other.json", json::serialize(json::object{{"source", {{"plugin", "auth0"}, {"config", config}}}}));
  auto refused = test_plugin(other);
  CHECK(refused.exit_code == 2);
  CHECK(refused.err == "error: test-plugin: other.json is a connection of plugin auth0, not scripted\n");
}

TEST_CASE("a SIGTERM while test-plugin runs the plugin cancels with exit 130 and its line on the real stderr") {
  TempDir dir;
  const std::string waiting = dir.file("discovering");
  const std::string config = items_config(dir, numbered_records(2), {}, {{"discover_waits_file", waiting}});
  ProcessOptions options;
  options.while_running = [&](int pid) {
    // Observable progress, not a timer: the plugin's discover() is running
    // (it wrote the file), while test-plugin captures descriptors 1 and 2.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!std::filesystem::exists(waiting) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ::kill(pid, std::filesystem::exists(waiting) ? SIGTERM : SIGKILL);
  };
  auto run = run_sluice({"test-plugin", "scripted", "--config", config, "--plugin-dir", SLUICE_TEST_PLUGIN_DIR},
                        options);
  CHECK(run.signal == 0);
  CHECK(run.exit_code == 130);
  CHECK(run.err == "error: cancelled (SIGTERM)\n");
}
