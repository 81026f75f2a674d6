// The daemon as the benchmarks drive it: one `sluice serve` child in its own
// folder, its keys, and the figures they print (percentiles, peak RSS).
// Header-only.
#pragma once

#include "bench/bench_shell.hpp"

#include <boost/json.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace sluice::bench {

namespace fs = std::filesystem;
namespace json = boost::json;

inline double percentile(std::vector<double> values, double p) {
  if (values.empty()) return -1;
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<size_t>(p * static_cast<double>(values.size())))];
}

inline long peak_rss_kb(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

// One `sluice serve` in its own folder (the shared secrets key file and
// store are named in its serve.json).
struct Daemon {
  pid_t pid = -1;
  int port = 0;
  fs::path dir;

  Daemon(const fs::path& folder, const json::object& settings) : dir(folder) {
    fs::create_directories(dir);
    json::object file = settings;
    file["listen"] = json::object{{"port", 0}, {"port_file", (dir / "port").string()}};
    std::ofstream(dir / "serve.json") << json::serialize(file);
  }
  void start() {
    std::vector<std::string> args{SLUICE_CLI_PATH, "serve", "--config", (dir / "serve.json").string()};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addchdir_np(&actions, dir.c_str());
    posix_spawn_file_actions_addopen(&actions, 1, (dir / "daemon.out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, 2, (dir / "daemon.err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (posix_spawn(&pid, SLUICE_CLI_PATH, &actions, nullptr, argv.data(), environ) != 0) {
      throw std::runtime_error("cannot start sluice serve");
    }
    posix_spawn_file_actions_destroy(&actions);
    for (int i = 0; i < 600 && read_all(dir / "daemon.out").find("listening on") == std::string::npos; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    port = std::stoi(read_all(dir / "port"));
  }
  void stop() {
    if (pid <= 0) return;
    ::kill(pid, SIGTERM);
    int status = 0;
    ::waitpid(pid, &status, 0);
    pid = -1;
  }
  ~Daemon() { stop(); }
};

// A new key of `role` for the daemon whose serve.json is in `serve_dir`.
inline std::string make_key(const fs::path& serve_dir, const std::string& role = "admin") {
  const fs::path out = serve_dir / ("key-" + role);
  shell("cd " + serve_dir.string() + " && " + SLUICE_CLI_PATH + " serve keys create --role " + role +
        " --config serve.json > " + out.string() + " 2>/dev/null");
  return read_all(out);
}

}  // namespace sluice::bench
