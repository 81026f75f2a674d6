// Runs `sluice sync CONNECTION --quiet` as a child process and measures it:
// wall time, the child's own peak RSS and CPU time (wait4), and the CPU
// time of each of its threads (sampled from /proc while it runs).
// Header-only, for the benchmarks.
#pragma once

#include <sys/resource.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <spawn.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace sluice::bench {

struct SyncRun {
  double seconds = 0;
  long peak_rss_kb = 0;
  double cpu_seconds = 0;  // user + system, every thread of the child
  // CPU seconds per thread id, in thread creation order (ids grow), as last
  // sampled: a thread's final few milliseconds may be missing.
  std::map<long, double> thread_cpu;
};

// The load average over the last minute, as /proc/loadavg prints it.
inline std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one;
  in >> one;
  return one.empty() ? "?" : one;
}

namespace detail {

// utime + stime of one thread, from /proc/PID/task/TID/stat.
inline double thread_cpu_seconds(const std::filesystem::path& stat_file) {
  int fd = ::open(stat_file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  char buffer[1024];
  ssize_t got = ::read(fd, buffer, sizeof buffer - 1);
  ::close(fd);
  if (got <= 0) return -1;
  std::string text(buffer, static_cast<size_t>(got));
  auto close = text.rfind(')');  // the command name may hold spaces
  if (close == std::string::npos) return -1;
  std::istringstream fields(text.substr(close + 2));
  std::string field;
  long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14) utime = std::stol(field);
    if (i == 15) stime = std::stol(field);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

inline void sample_threads(pid_t pid, std::map<long, double>& out) {
  std::error_code ec;
  for (const auto& task : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
    double seconds = thread_cpu_seconds(task.path() / "stat");
    if (seconds >= 0) out[std::stol(task.path().filename().string())] = seconds;
  }
}

}  // namespace detail

// `dir` is the child's working directory; `cli` the sluice executable (its
// plugins are found next to it). Throws if the sync fails.
inline SyncRun run_sync(const std::filesystem::path& dir, const std::string& connection_file,
                        const std::string& cli = SLUICE_CLI_PATH) {
  // Linux carries the parent's RSS high-water mark into the child's
  // ru_maxrss across exec (fork and posix_spawn alike), so callers run their
  // syncs before loading baseline rows into this process.
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addchdir_np(&actions, dir.c_str());
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  const char* argv[] = {cli.c_str(), "sync", connection_file.c_str(), "--quiet", nullptr};
  auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  int spawned = posix_spawn(&pid, cli.c_str(), &actions, nullptr, const_cast<char* const*>(argv), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) throw std::runtime_error("cannot start " + cli);
  SyncRun run;
  int status = 0;
  rusage usage{};
  // Polls every 10 ms (a few syscalls: no measurable load) to read the
  // per-thread times before each thread exits.
  for (;;) {
    const pid_t done = wait4(pid, &status, WNOHANG, &usage);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) throw std::runtime_error("wait4 failed for " + cli);
    detail::sample_threads(pid, run.thread_cpu);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.peak_rss_kb = usage.ru_maxrss;
  run.cpu_seconds = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                    static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error("sluice sync failed");
  return run;
}

// A child whose standard output the benchmark reads (and drops) as it
// comes: when its first byte arrived, how many, its wall time and its own
// peak RSS (wait4).
struct ReadingRun {
  double first_byte_seconds = -1;
  double seconds = 0;
  long bytes = 0;
  long lines = 0;
  long peak_rss_kb = 0;
};

// Runs argv (argv[0] a path) in `dir`; throws if it cannot start or exits
// non-zero.
inline ReadingRun run_reading(const std::filesystem::path& dir, const std::vector<std::string>& argv) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addchdir_np(&actions, dir.c_str());
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  std::vector<char*> raw;
  for (const auto& arg : argv) raw.push_back(const_cast<char*>(arg.c_str()));
  raw.push_back(nullptr);
  const auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, argv[0].c_str(), &actions, nullptr, raw.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  if (spawned != 0) {
    ::close(pipe_fds[0]);
    throw std::runtime_error("cannot start " + argv[0]);
  }
  ReadingRun run;
  std::vector<char> buffer(1 << 16);
  for (;;) {
    const ssize_t got = ::read(pipe_fds[0], buffer.data(), buffer.size());
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    if (run.first_byte_seconds < 0) {
      run.first_byte_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
    run.bytes += got;
    run.lines += std::count(buffer.data(), buffer.data() + got, '\n');
  }
  ::close(pipe_fds[0]);
  int status = 0;
  rusage usage{};
  while (wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
  }
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.peak_rss_kb = usage.ru_maxrss;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error(argv[0] + " failed");
  return run;
}

// "1.52+1.31": CPU seconds per million rows of each thread that used at
// least 10 ms, in creation order (the main thread first).
inline std::string thread_cpu_text(const SyncRun& run, long rows) {
  std::string out;
  for (const auto& [tid, seconds] : run.thread_cpu) {
    if (seconds < 0.01) continue;
    char text[32];
    std::snprintf(text, sizeof text, "%s%.2f", out.empty() ? "" : "+", seconds * 1e6 / static_cast<double>(rows));
    out += text;
  }
  return out.empty() ? "-" : out;
}

}  // namespace sluice::bench
