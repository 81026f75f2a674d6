// Runs `sluice sync CONNECTION --quiet` as a child process and measures it:
// wall time and the child's own peak RSS. Header-only, for the benchmarks.
#pragma once

#include <sys/resource.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <spawn.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace sluice::bench {

struct SyncRun {
  double seconds = 0;
  long peak_rss_kb = 0;
};

// `dir` is the child's working directory. Throws if the sync fails.
inline SyncRun run_sync(const std::filesystem::path& dir, const std::string& connection_file) {
  // Linux carries the parent's RSS high-water mark into the child's
  // ru_maxrss across exec (fork and posix_spawn alike), so callers run their
  // syncs before loading baseline rows into this process.
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addchdir_np(&actions, dir.c_str());
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  const char* argv[] = {SLUICE_CLI_PATH, "sync", connection_file.c_str(), "--quiet", nullptr};
  auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  int spawned = posix_spawn(&pid, SLUICE_CLI_PATH, &actions, nullptr, const_cast<char* const*>(argv), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) throw std::runtime_error("cannot start " SLUICE_CLI_PATH);
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  SyncRun run;
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.peak_rss_kb = usage.ru_maxrss;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error("sluice sync failed");
  return run;
}

}  // namespace sluice::bench
