// The everyday commands of issue 18 item 5, through the real sluice binary:
// read, state set, help COMMAND, completion and --log-format json, on the
// scripted test plugin (tests/sync/scripted_plugin.cpp).
#include "common/process.hpp"
#include "common/sqlite_reader.hpp"
#include "common/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <filesystem>
#include <regex>
#include <sstream>

using namespace sluice::test;
namespace json = boost::json;

namespace {

const std::string kSecret = "sk_live_DO_NOT_PRINT_4f9c2e";

json::array numbered_records(int count) {
  json::array records;
  for (int i = 1; i <= count; ++i) records.push_back(json::object{{"id", i}, {"v", "r" + std::to_string(i)}});
  return records;
}

// One stream "items" of `records`, two per batch, each batch checkpointed
// {"offset": N}; `extra` adds stream keys (sync_modes, fail_after_batches...).
std::string items_connection(const TempDir& dir, json::array records, json::object extra = {},
                             json::object config = {}) {
  json::object properties{{"id", {{"type", "integer"}}}, {"v", {{"type", "string"}}}};
  json::object stream{{"name", "items"},
                      {"json_schema", {{"type", "object"}, {"properties", properties}}},
                      {"records", std::move(records)}};
  for (auto& field : extra) stream[field.key()] = field.value();
  config["streams"] = json::array{stream};
  json::object doc{{"source", {{"plugin", "scripted"}, {"config", config}}},
                   {"target", "sqlite://" + dir.file("items.db")}};
  return dir.write("items.json", json::serialize(doc));
}

std::vector<std::string> with_test_plugins(std::vector<std::string> args) {
  args.push_back("--plugin-dir");
  args.push_back(SLUICE_TEST_PLUGIN_DIR);
  return args;
}

std::string lines_of(int from, int to) {
  std::string out;
  for (int i = from; i <= to; ++i) out += R"({"id":)" + std::to_string(i) + R"(,"v":"r)" + std::to_string(i) + "\"}\n";
  return out;
}

const json::object kIncremental{{"sync_modes", json::array{"incremental_append"}}, {"cursor", json::array{"id"}}};

}  // namespace

TEST_CASE("read prints every record as NDJSON on stdout and writes no target") {
  TempDir dir;
  auto result = run_sluice(with_test_plugins({"read", items_connection(dir, numbered_records(5))}));
  INFO(result.all());
  CHECK(result.exit_code == 0);
  CHECK(result.out == lines_of(1, 5));
  CHECK(result.err == "info: scripted: session opened\n");
  CHECK_FALSE(std::filesystem::exists(dir.file("items.db")));
}

TEST_CASE("read --limit stops the plugin's read once N records are out, with exit 0") {
  TempDir dir;
  // The source fails after its third batch: a read that went on past the
  // limit (records 1-3 end in the second batch) would exit 1.
  const std::string file = items_connection(dir, numbered_records(10), {{"fail_after_batches", 3}});
  auto limited = run_sluice(with_test_plugins({"read", file, "--limit", "3"}));
  INFO(limited.all());
  CHECK(limited.exit_code == 0);
  CHECK(limited.out == lines_of(1, 3));
  CHECK(limited.err == "info: scripted: session opened\n");

  auto whole = run_sluice(with_test_plugins({"read", file}));
  CHECK(whole.exit_code == 1);
  CHECK(whole.out == lines_of(1, 6));
  CHECK_THAT(whole.err, Catch::EndsWith("scripted failure after 3 batches [source]\n"));

  auto zero = run_sluice(with_test_plugins({"read", file, "--limit", "0"}));
  CHECK(zero.exit_code == 2);
  CHECK(zero.err == "error: read: --limit expects a whole number of records from 1 on, got \"0\"\n");
}

TEST_CASE("read --stream reads one stream, and a stream the catalog lacks is one line and exit 2") {
  TempDir dir;
  const std::string file = items_connection(dir, numbered_records(2));
  auto one = run_sluice(with_test_plugins({"read", file, "--stream", "items"}));
  CHECK(one.exit_code == 0);
  CHECK(one.out == lines_of(1, 2));
  auto missing = run_sluice(with_test_plugins({"read", file, "--stream", "itmes"}));
  CHECK(missing.exit_code == 2);
  CHECK(missing.out.empty());
  CHECK(missing.err == "info: scripted: session opened\n"
                       "error: items.json: --stream itmes: no such stream in the connection's catalog "
                       "(see sluice discover)\n");
}

TEST_CASE("read masks secrets in records and in the plugin's logs, as every output") {
  TempDir dir;
  json::array records{json::object{{"id", 1}, {"v", kSecret}}};
  const std::string file =
      items_connection(dir, records, {}, {{"token", kSecret}, {"log_token", true}});
  auto result = run_sluice(with_test_plugins({"read", file}));
  INFO(result.all());
  CHECK(result.exit_code == 0);
  CHECK(result.out == "{\"id\":1,\"v\":\"********\"}\n");
  CHECK_THAT(result.err, Catch::Contains("deliberately logging the token: ********"));
  CHECK(result.all().find(kSecret) == std::string::npos);
}

TEST_CASE("state set saves a stream's state, records it in the history, and the next sync reads from it") {
  TempDir dir;
  const std::string file = items_connection(dir, numbered_records(6), kIncremental);
  // No saved state yet: the stream is found in the plugin's catalog.
  auto set = run_sluice(with_test_plugins({"state", "set", file, "--stream", "items", R"({"offset": 4})"}));
  INFO(set.all());
  REQUIRE(set.exit_code == 0);
  CHECK(set.out == "set the state of stream items (table items); the next sync reads it from there\n");

  auto shown = run_sluice(with_test_plugins({"state", file, "--json"}));
  REQUIRE(shown.exit_code == 0);
  auto doc = json::parse(shown.out);
  REQUIRE(doc.at("state").as_array().size() == 1);
  CHECK(doc.at("state").at(0).at("state_text") == R"({"offset": 4})");
  const auto& history = doc.at("syncs").as_array();
  REQUIRE(history.size() == 1);
  CHECK(history[0].at("status") == "succeeded");
  CHECK(history[0].at("streams") ==
        json::parse(R"([{"stream": "items", "action": "state set", "table": "items"}])"));

  auto sync = run_sluice(with_test_plugins({"sync", file}));
  INFO(sync.all());
  REQUIRE(sync.exit_code == 0);
  CHECK(sqlite_value(dir.file("items.db"), "SELECT group_concat(id) FROM items") == "5,6");

  // Saved state now exists: set it again (from there, without the plugin).
  auto again = run_sluice({"state", "set", file, "--stream", "items", R"({"offset": 5})"});
  INFO(again.all());
  CHECK(again.exit_code == 0);
  auto after = json::parse(run_sluice({"state", file, "--json"}).out);
  CHECK(after.at("state").at(0).at("state_text") == R"({"offset": 5})");
  const auto& syncs = after.at("syncs").as_array();
  REQUIRE(syncs.size() == 3);  // newest first: set, the sync, set
  CHECK(syncs[0].at("streams").at(0).at("action") == "state set");
  CHECK(syncs[1].at("streams").at(0).at("mode") == "incremental_append");
}

TEST_CASE("state set refuses what is not a JSON object, unknown streams and streams that keep no state") {
  TempDir dir;
  const std::string file = items_connection(dir, numbered_records(2), kIncremental);
  auto list = run_sluice(with_test_plugins({"state", "set", file, "--stream", "items", "[1]"}));
  CHECK(list.exit_code == 2);
  CHECK(list.err == "error: state set: the state must be a JSON object, e.g. '{\"cursor\": \"2026-01-01\"}'\n");
  auto broken = run_sluice(with_test_plugins({"state", "set", file, "--stream", "items", "{\"offset\":"}));
  CHECK(broken.exit_code == 2);
  CHECK_THAT(broken.err, Catch::StartsWith("error: state set: the state must be a JSON object") &&
                             Catch::Contains("(not valid JSON: "));
  auto unknown = run_sluice(with_test_plugins({"state", "set", file, "--stream", "itmes", "{}"}));
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err ==
        "info: scripted: session opened\nerror: state set: the connection has no stream itmes (see sluice discover)\n");
  auto no_stream = run_sluice(with_test_plugins({"state", "set", file, "{}"}));
  CHECK(no_stream.exit_code == 2);
  CHECK(no_stream.err == "error: state set: --stream S is required (the stream whose state to set)\n");

  TempDir other;
  const std::string full = items_connection(other, numbered_records(2));
  auto keeps_none = run_sluice(with_test_plugins({"state", "set", full, "--stream", "items", "{}"}));
  CHECK(keeps_none.exit_code == 2);
  CHECK(keeps_none.err == "info: scripted: session opened\n"
                          "error: state set: stream items syncs in mode full_refresh_overwrite, which keeps no "
                          "state (only incremental streams do)\n");
  CHECK(sqlite_value(other.file("items.db"), "SELECT count(*) FROM _sluice_state") == "0");
}

TEST_CASE("help COMMAND prints the command's own help, and an unknown command is one line and exit 2") {
  for (const char* command :
       {"plugins", "spec", "check", "discover", "sync", "state", "read", "ingest", "completion", "new-plugin",
        "test-plugin"}) {
    INFO(command);
    auto via_help = run_sluice({"help", command});
    auto direct = run_sluice({command, "--help"});
    CHECK(via_help.exit_code == 0);
    CHECK(via_help.out == direct.out);
    CHECK_THAT(via_help.out, Catch::StartsWith(std::string("Usage: sluice ") + command));
  }
  auto unknown = run_sluice({"help", "frobnicate"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.out.empty());
  CHECK(unknown.err == "error: help: unknown command frobnicate (run sluice --help)\n");
  auto top = run_sluice({"help"});
  CHECK(top.exit_code == 0);
  CHECK_THAT(top.out, Catch::Contains("  read CONNECTION") && Catch::Contains("  help COMMAND") &&
                          Catch::Contains("--log-format FORMAT"));
}

TEST_CASE("the bash completion script completes commands, their options and subcommands") {
  TempDir dir;
  auto script = run_sluice({"completion", "bash"});
  REQUIRE(script.exit_code == 0);
  const std::string file = dir.write("sluice.bash", script.out);
  // Completes the words of a command line whose last word is being typed.
  auto complete = [&](const std::string& line) {
    auto result = run_process({"/bin/bash", "-c",
                               "source " + file + " && COMP_WORDS=(" + line +
                                   ") && COMP_CWORD=$((${#COMP_WORDS[@]} - 1)) && _sluice && "
                                   "printf '%s\\n' \"${COMPREPLY[@]}\""});
    INFO(result.all());
    CHECK(result.exit_code == 0);
    return result.out;
  };
  CHECK(complete("sluice s") == "serve\nspec\nstate\nsync\n");
  CHECK(complete("sluice new") == "new-plugin\n");
  CHECK(complete("sluice te") == "test-plugin\n");
  CHECK(complete("sluice test-plugin x --") == "--help\n--config\n--cancel-within\n--plugin-dir\n--log-format\n");
  CHECK(complete("sluice serve k") == "keys\n");
  CHECK(complete("sluice sync c.json --st") == "--streams\n");
  CHECK(complete("sluice read c.json --") ==
        "--help\n--stream\n--limit\n--verbose\n--plugin-dir\n--log-format\n");
  CHECK(complete("sluice state s") == "set\n");
  CHECK(complete("sluice ingest c") == "csv\n");
  CHECK(complete("sluice completion ''") == "bash\nzsh\n");
  CHECK(complete("sluice help re") == "read\n");
  CHECK(complete("sluice --log-format j") == "json\n");
  CHECK(complete("sluice sync --target ''") == "\n");  // a value: left to file completion

  auto zsh = run_sluice({"completion", "zsh"});
  CHECK(zsh.exit_code == 0);
  CHECK_THAT(zsh.out, Catch::Contains("bashcompinit") && Catch::EndsWith(script.out));
  auto fish = run_sluice({"completion", "fish"});
  CHECK(fish.exit_code == 2);
  CHECK(fish.err == "error: completion: unknown shell fish (expected bash or zsh)\n");
}

TEST_CASE("the zsh completion script loads in zsh itself and completes through bashcompinit") {
  INFO("zsh is missing: scripts/install-deps.sh installs it");
  REQUIRE(std::filesystem::exists("/usr/bin/zsh"));
  TempDir dir;
  auto script = run_sluice({"completion", "zsh"});
  REQUIRE(script.exit_code == 0);
  const std::string file = dir.write("sluice.zsh", script.out);
  // zsh -f: no user start-up files; HOME in the scratch folder, where
  // compinit writes its dump. ksharrays is what bashcompinit's own wrapper
  // sets before it calls a bash completion function.
  auto complete = [&](const std::string& line) {
    ProcessOptions options;
    options.env = {{"HOME", dir.path().string()}};
    auto result = run_process({"/usr/bin/zsh", "-f", "-c",
                               "source " + file + " && print -r -- \"$_comps[sluice]\" && setopt ksharrays && "
                               "COMP_WORDS=(" + line + ") && COMP_CWORD=$((${#COMP_WORDS[@]} - 1)) && _sluice && "
                               "print -l -- \"${COMPREPLY[@]}\""},
                              options);
    INFO(result.all());
    CHECK(result.exit_code == 0);
    CHECK(result.err.empty());
    return result.out;
  };
  // zsh's compgen (bashcompinit) returns every candidate of the context and
  // leaves matching the typed prefix to compadd: what the script decides is
  // the context (command, option, subcommand), which these lines show.
  const std::string registered = "_bash_complete -o default -F _sluice\n";
  CHECK(complete("sluice s") == registered +
                                    "check\ncompletion\ndiscover\ningest\nnew-plugin\nplugins\nquery\nread\nserve\nspec\nstate\n"
                                    "sync\ntest-plugin\nhelp\n--help\n--version\n--log-format\n");
  CHECK(complete("sluice test-plugin x --can") ==
        registered + "--help\n--config\n--cancel-within\n--plugin-dir\n--log-format\n");
  CHECK(complete("sluice state s") == registered + "reset\nset\n");
  CHECK(complete("sluice --log-format j") == registered + "text\njson\n");
}

TEST_CASE("the global option --log-format json writes each stderr line as one JSON object, secrets masked") {
  TempDir dir;
  const std::string file = items_connection(dir, numbered_records(2), {}, {{"token", kSecret}, {"log_token", true}});
  auto result = run_sluice(with_test_plugins({"--log-format", "json", "read", file}));
  INFO(result.all());
  REQUIRE(result.exit_code == 0);
  CHECK(result.out == lines_of(1, 2));
  CHECK(result.err.find(kSecret) == std::string::npos);
  std::istringstream lines(result.err);
  std::string line;
  std::vector<json::object> logs;
  while (std::getline(lines, line)) logs.push_back(json::parse(line).as_object());
  REQUIRE(logs.size() == 3);  // session opened; the token leak at discover and at read
  const std::regex rfc3339_ms(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)");
  for (const auto& log : logs) {
    CHECK(std::regex_match(std::string(log.at("timestamp").as_string()), rfc3339_ms));
    CHECK(log.at("level") == "info");
    CHECK(log.at("plugin") == "scripted");
  }
  CHECK(logs[0].at("message") == "scripted: session opened");
  CHECK(logs[1].at("message") == "deliberately logging the token: ********");

  // Errors too, on every command, as a global option anywhere on the line.
  auto failing = run_sluice(with_test_plugins({"state", "set", file, "--stream", "items", "[]", "--log-format=json"}));
  CHECK(failing.exit_code == 2);
  auto error = json::parse(failing.err).as_object();
  CHECK(error.at("level") == "error");
  CHECK(error.at("message") == "state set: the state must be a JSON object, e.g. '{\"cursor\": \"2026-01-01\"}'");

  auto bad = run_sluice({"--log-format", "xml", "plugins"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err == "error: --log-format must be text or json, got \"xml\"\n");
}
