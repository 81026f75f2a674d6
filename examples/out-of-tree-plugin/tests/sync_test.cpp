// The usage_api plugin through the installed `sluice`: check, an incremental
// sync and its resumption, and a refused key, against the fake API.
#define CATCH_CONFIG_MAIN
#include "fake_usage_api.hpp"

#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/wait.h>

namespace json = boost::json;
using sluice::testkit::FakeServer;

namespace {

const std::string kKey = "uk_live_8d1f-SECRET";

struct Run {
  int exit_code;
  std::string output;  // stdout and stderr
};

// `sluice ARGS --plugin-dir PLUGIN_DIR`, its output captured.
Run run_sluice(const std::string& args) {
  const std::string command = std::string(SLUICE_CLI) + " " + args + " --plugin-dir " + PLUGIN_DIR + " 2>&1";
  Run run{-1, ""};
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe);
  char buffer[4096];
  for (size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) run.output.append(buffer, n);
  const int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

struct Scratch {
  std::filesystem::path dir;
  Scratch() {
    char name[] = "/tmp/usage-api-test-XXXXXX";
    dir = mkdtemp(name);
  }
  ~Scratch() { std::filesystem::remove_all(dir); }

  std::string connection(const FakeServer& server, const std::string& key) const {
    const json::object file{
        {"source",
         {{"plugin", "usage_api"},
          {"config", {{"api_key", key}, {"page_size", 4}, {"base_url", server.base_url()}, {"ca_file", server.ca_file()}}}}},
        {"target", "sqlite://" + (dir / "usage.db").string()},
        {"streams", json::array{{{"name", "usage_events"}, {"mode", "incremental_append_dedup"}}}}};
    const auto path = dir / "usage.json";
    std::ofstream(path) << json::serialize(file);
    return path.string();
  }

  std::string query(const std::string& sql) const {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open((dir / "usage.db").c_str(), &db) == SQLITE_OK);
    std::string result;
    sqlite3_exec(db, sql.c_str(), [](void* out, int columns, char** values, char**) {
      auto& text = *static_cast<std::string*>(out);
      for (int i = 0; i < columns; ++i) text += std::string(i ? "," : "") + (values[i] ? values[i] : "NULL");
      text += ";";
      return 0;
    }, &result, nullptr);
    sqlite3_close(db);
    return result;
  }
};

}  // namespace

TEST_CASE("check passes, a sync lands every event, and the next sync reads only new ones") {
  FakeUsageApi api(kKey);
  api.add_events(10);
  FakeServer server([&](const auto& request) { return api(request); });
  Scratch scratch;
  const std::string connection = scratch.connection(server, kKey);

  const Run check = run_sluice("check " + connection);
  INFO(check.output);
  REQUIRE(check.exit_code == 0);

  const Run first = run_sluice("sync " + connection);
  INFO(first.output);
  REQUIRE(first.exit_code == 0);
  CHECK(scratch.query("SELECT count(*), sum(quantity), max(id) FROM usage_events") == "10,55,10;");

  api.add_events(3);
  const Run second = run_sluice("sync " + connection);
  INFO(second.output);
  REQUIRE(second.exit_code == 0);
  CHECK(scratch.query("SELECT count(*), count(DISTINCT id), max(id) FROM usage_events") == "13,13,13;");
  // check's request, the first sync's pages of 4, then the second sync from the first's checkpoint.
  CHECK(api.afters() == std::vector<long>{0, 0, 4, 8, 10});
  CHECK(first.output.find(kKey) == std::string::npos);
}

TEST_CASE("a refused API key fails check with the API's answer and never prints the key") {
  FakeUsageApi api("another-key");
  FakeServer server([&](const auto& request) { return api(request); });
  Scratch scratch;
  const Run check = run_sluice("check " + scratch.connection(server, kKey));
  CHECK(check.exit_code != 0);
  CHECK(check.output.find("HTTP 401") != std::string::npos);
  CHECK(check.output.find("The API key is not valid.") != std::string::npos);
  CHECK(check.output.find(kKey) == std::string::npos);
}
