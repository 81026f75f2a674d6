// Ctrl-C and SIGTERM are the documented cancel (exit 130, one line) however
// early they come (issue 20): a SIGTERM in the first ~10 ms used to kill the
// process by signal, with no message.
#include "common/process.hpp"
#include "common/sqlite_reader.hpp"
#include "common/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <signal.h>

#include <chrono>
#include <regex>
#include <fstream>
#include <sstream>
#include <thread>

using namespace sluice::test;
namespace json = boost::json;

namespace {

std::string connection(const TempDir& dir, const std::string& plugin) {
  json::object doc{{"source", {{"plugin", plugin}, {"config", {{"events", 3}}}}},
                   {"target", "sqlite://" + dir.file("out.db")}};
  return dir.write("conn.json", json::serialize(doc));
}

// True once the process has mapped a file whose path contains `name`.
bool has_mapped(int pid, const std::string& name) {
  std::ifstream maps("/proc/" + std::to_string(pid) + "/maps");
  std::stringstream text;
  text << maps.rdbuf();
  return text.str().find(name) != std::string::npos;
}

}  // namespace

TEST_CASE("a SIGTERM or SIGINT that arrives before main() runs cancels with exit 130 and one line") {
  TempDir dir;
  struct Case {
    const char* command;
    int signal_number;
    const char* line;
  };
  for (const Case& c : {Case{"sync", SIGTERM, "error: cancelled (SIGTERM)\n"},
                        Case{"check", SIGINT, "error: cancelled (SIGINT)\n"}}) {
    ProcessOptions options;
    options.pending_signal = c.signal_number;
    auto run = run_sluice({c.command, connection(dir, "synthetic")}, options);
    INFO(c.command);
    CHECK(run.signal == 0);
    CHECK(run.exit_code == 130);
    CHECK(run.err == c.line);
    CHECK(run.out.empty());
  }
  CHECK_FALSE(sqlite_has_table(dir.file("out.db"), "usage_events"));
}

TEST_CASE("a SIGTERM while the plugin is loading cancels with exit 130 and one line") {
  TempDir dir;
  const std::string file = connection(dir, "hang_spec");  // its spec() never returns
  ProcessOptions options;
  options.while_running = [](int pid) {
    // Observable progress, not a timer: the plugin is mapped, so the host is
    // inside loading it (spec() hangs right after).
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!has_mapped(pid, "sluice-hang_spec.so") && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ::kill(pid, has_mapped(pid, "sluice-hang_spec.so") ? SIGTERM : SIGKILL);
  };
  auto run = run_sluice({"check", file, "--plugin-dir", std::string(SLUICE_TEST_PLUGIN_DIR) + "/slow"}, options);
  CHECK(run.signal == 0);
  CHECK(run.exit_code == 130);
  CHECK(run.err == "error: cancelled (SIGTERM)\n");
}

TEST_CASE("with --log-format json the cancel line written by the signal handler is one JSON line too") {
  TempDir dir;
  const std::string file = connection(dir, "hang_spec");  // its spec() never returns
  ProcessOptions options;
  options.while_running = [](int pid) {
    // Observable progress, not a timer, as above.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!has_mapped(pid, "sluice-hang_spec.so") && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ::kill(pid, has_mapped(pid, "sluice-hang_spec.so") ? SIGTERM : SIGKILL);
  };
  auto run = run_sluice({"--log-format", "json", "check", file, "--plugin-dir",
                         std::string(SLUICE_TEST_PLUGIN_DIR) + "/slow"},
                        options);
  CHECK(run.signal == 0);
  CHECK(run.exit_code == 130);
  INFO(run.err);
  const std::regex line(
      R"re(\{"timestamp":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z","level":"error","message":"cancelled \(SIGTERM\)"\}
)re");
  CHECK(std::regex_match(run.err, line));
}
