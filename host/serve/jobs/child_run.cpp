#include "host/serve/jobs/child_run.hpp"

#include "host/plugin/signal_name.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <system_error>

extern char** environ;

namespace sluice::host::serve {

namespace {

constexpr int kProgressFd = 3;

[[noreturn]] void throw_errno(const std::string& what, int error = errno) {
  throw std::system_error(error, std::generic_category(), what);
}

// Moves fd to 10 or above (close-on-exec kept), so that none of the
// parent's pipe ends is one of the numbers the child's are dup2'ed to
// (dup2 onto itself would keep close-on-exec set).
int above_standard_fds(int fd) {
  if (fd >= 10) return fd;
  int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, 10);
  int error = errno;
  ::close(fd);
  if (moved < 0) throw_errno("fcntl", error);
  return moved;
}

std::pair<int, int> make_pipe(int extra_flags = 0) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC | extra_flags) != 0) throw_errno("pipe2");
  return {above_standard_fds(fds[0]), above_standard_fds(fds[1])};
}

// The read end of a pipe that already holds `bytes`, its write end closed:
// the reader gets them, then end of file. The pipe is grown to fit first, so
// the write cannot block.
int filled_pipe(const std::string& bytes) {
  if (bytes.size() > kMaxInputBytes) {
    throw std::runtime_error("the child's input is " + std::to_string(bytes.size()) + " bytes, over the " +
                             std::to_string(kMaxInputBytes >> 20) + " MiB a pipe holds");
  }
  auto [read_end, write_end] = make_pipe();
  const int capacity = ::fcntl(write_end, F_SETPIPE_SZ, static_cast<int>(std::max<size_t>(bytes.size(), 4096)));
  size_t written = 0;
  while (capacity >= static_cast<int>(bytes.size()) && written < bytes.size()) {
    const ssize_t n = ::write(write_end, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    written += static_cast<size_t>(n);
  }
  const int error = errno;
  ::close(write_end);
  if (written < bytes.size()) {
    ::close(read_end);
    throw_errno("filling the child's input pipe", capacity < 0 ? error : EMSGSIZE);
  }
  return read_end;
}

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

std::string duration_text(std::chrono::milliseconds d) {
  const auto ms = d.count();
  if (ms % 1000 != 0) return ms < 1000 ? std::to_string(ms) + "ms" : std::to_string(ms / 1000.0).substr(0, 4) + "s";
  return std::to_string(ms / 1000) + "s";
}

std::string bytes_text(uint64_t bytes) {
  constexpr uint64_t kMiB = 1024 * 1024;
  if (bytes % kMiB == 0) return std::to_string(bytes / kMiB) + " MiB";
  return std::to_string(bytes) + " bytes";
}

bool mentions_out_of_memory(std::string_view text) {
  return text.find("bad_alloc") != std::string_view::npos ||
         text.find("out of memory") != std::string_view::npos ||
         text.find("Cannot allocate memory") != std::string_view::npos;
}

// Splits a pipe's bytes into lines, cutting any line at kMaxLineBytes.
class LineSplitter {
 public:
  template <typename OnLine>
  void feed(std::string_view bytes, OnLine&& on_line) {
    while (!bytes.empty()) {
      size_t newline = bytes.find('\n');
      std::string_view piece = bytes.substr(0, newline);
      if (!skipping_) {
        buffer_.append(piece.substr(0, ChildRun::kMaxLineBytes - std::min(buffer_.size(), ChildRun::kMaxLineBytes)));
      }
      if (newline == std::string_view::npos) {
        if (buffer_.size() >= ChildRun::kMaxLineBytes && !skipping_) {
          on_line(std::string_view(buffer_));
          buffer_.clear();
          skipping_ = true;  // the rest of this line is dropped
        }
        return;
      }
      if (!skipping_) on_line(std::string_view(buffer_));
      buffer_.clear();
      skipping_ = false;
      bytes.remove_prefix(newline + 1);
    }
  }
  template <typename OnLine>
  void finish(OnLine&& on_line) {
    if (!buffer_.empty() && !skipping_) on_line(std::string_view(buffer_));
    buffer_.clear();
  }

 private:
  std::string buffer_;
  bool skipping_ = false;
};

}  // namespace

const char* to_string(RunEnd end) {
  switch (end) {
    case RunEnd::succeeded: return "succeeded";
    case RunEnd::failed: return "failed";
    case RunEnd::cancelled: return "cancelled";
    case RunEnd::timed_out: return "timed_out";
    case RunEnd::crashed: return "crashed";
    case RunEnd::out_of_memory: return "out_of_memory";
  }
  return "failed";
}

struct ChildRun::Io {
  int output = -1;    // the child's stdout and stderr (only stderr with on_stdout)
  int stdout_pipe = -1;  // with on_stdout: the child's stdout
  int progress = -1;  // the child's fd 3
  int pidfd = -1;     // readable once the child has ended
  int wake_read = -1, wake_write = -1;  // cancel() -> wait()
  int log = -1;
  int input = -1;     // the read end of the child's stdin, until it starts
  LineSplitter output_lines, progress_lines;

  ~Io() {
    for (int* fd : {&output, &stdout_pipe, &progress, &pidfd, &wake_read, &wake_write, &log, &input}) close_fd(*fd);
  }
};

ChildRun::ChildRun(ChildRunOptions options) : options_(std::move(options)), io_(std::make_unique<Io>()) {
  if (!options_.log_file.empty()) {
    io_->log = ::open(options_.log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (io_->log < 0) throw_errno("cannot open the run's log file " + options_.log_file);
  }
  if (!options_.input.empty()) io_->input = filled_pipe(options_.input);
  auto [output_read, output_write] = make_pipe();
  io_->output = output_read;
  auto [progress_read, progress_write] = make_pipe();
  io_->progress = progress_read;
  int stdout_write = output_write;
  if (options_.on_stdout) {
    auto [stdout_read, write_end] = make_pipe();
    io_->stdout_pipe = stdout_read;
    stdout_write = write_end;
  }
  auto [wake_read, wake_write] = make_pipe(O_NONBLOCK);
  io_->wake_read = wake_read;
  io_->wake_write = wake_write;

  std::vector<std::string> argv_text{options_.executable};
  argv_text.insert(argv_text.end(), options_.args.begin(), options_.args.end());
  argv_text.push_back("--progress-fd");
  argv_text.push_back(std::to_string(kProgressFd));
  std::vector<char*> argv;
  for (auto& arg : argv_text) argv.push_back(arg.data());
  argv.push_back(nullptr);

  std::vector<std::string> env_text;
  for (char** e = environ; *e; ++e) {
    std::string_view entry(*e);
    if (!options_.env.count(std::string(entry.substr(0, entry.find('='))))) env_text.emplace_back(entry);
  }
  for (const auto& [name, value] : options_.env) env_text.push_back(name + "=" + value);
  std::vector<char*> envp;
  for (auto& entry : env_text) envp.push_back(entry.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (io_->input >= 0) {
    posix_spawn_file_actions_adddup2(&actions, io_->input, 0);
  } else {
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  }
  posix_spawn_file_actions_adddup2(&actions, stdout_write, 1);
  posix_spawn_file_actions_adddup2(&actions, output_write, 2);
  posix_spawn_file_actions_adddup2(&actions, progress_write, kProgressFd);
  if (!options_.working_dir.empty()) {
    posix_spawn_file_actions_addchdir_np(&actions, options_.working_dir.c_str());
  }
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  // Its own process group, every signal at its default and none blocked:
  // a daemon that ignores SIGPIPE or blocks SIGTERM must not pass that on.
  sigset_t all, none;
  sigfillset(&all);
  sigemptyset(&none);
  posix_spawnattr_setsigdefault(&attributes, &all);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setpgroup(&attributes, 0);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

  const int spawned = ::posix_spawn(&pid_, options_.executable.c_str(), &actions, &attributes, argv.data(),
                                    envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  ::close(output_write);
  ::close(progress_write);
  if (stdout_write != output_write) ::close(stdout_write);
  close_fd(io_->input);  // the child's now
  if (spawned != 0) {
    pid_ = -1;
    throw_errno("cannot start " + options_.executable, spawned);
  }
  try {
    io_->pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0));
    if (io_->pidfd < 0) throw_errno("pidfd_open");
    // Limits apply from here on; what the child mapped before (microseconds
    // of exec and start-up) counts against them too.
    auto limit = [&](__rlimit_resource resource, uint64_t value, const char* name) {
      const rlimit bounds{value, value};
      if (::prlimit(pid_, resource, &bounds, nullptr) != 0 && errno != ESRCH) throw_errno(name);
    };
    if (options_.memory_limit_bytes > 0) limit(RLIMIT_AS, options_.memory_limit_bytes, "prlimit(RLIMIT_AS)");
    if (!options_.core_dumps) limit(RLIMIT_CORE, 0, "prlimit(RLIMIT_CORE)");
  } catch (...) {
    ::kill(-pid_, SIGKILL);  // no destructor runs for a constructor that throws
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    throw;
  }
}

ChildRun::~ChildRun() {
  if (pid_ > 0 && !reaped_) {
    ::kill(-pid_, SIGKILL);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
}

void ChildRun::cancel() noexcept {
  cancel_requested_.store(true);
  const char byte = 'c';
  [[maybe_unused]] ssize_t n = ::write(io_->wake_write, &byte, 1);  // a full pipe already wakes it
}

RunOutcome ChildRun::wait() {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point start = options_.now();
  // Plain values, not optionals: GCC 12 at -O2 warns that an optional
  // time_point "may be used uninitialized" (the CI's -Werror build).
  const bool has_deadline = options_.timeout.count() > 0;
  const Clock::time_point deadline = has_deadline ? start + options_.timeout : Clock::time_point::max();
  Clock::time_point kill_at{};
  bool stopping = false;  // SIGTERM sent; SIGKILL due at kill_at
  bool timed_out = false, killed = false, exited = false, oom_text = false;
  int status = 0;
  std::optional<ProgressEvent> done;
  std::vector<std::string> streams;  // started and not done, in start order
  std::vector<std::string> at_stop;  // streams running when the SIGTERM went out
  std::vector<std::string> out_of_memory_streams;  // streams that failed for lack of memory
  std::string last_error_line;

  auto on_output = [&](std::string_view line) {
    if (io_->log >= 0) {
      std::string with_newline = std::string(line) + "\n";
      [[maybe_unused]] ssize_t n = ::write(io_->log, with_newline.data(), with_newline.size());
    }
    if (line.substr(0, 7) == "error: ") last_error_line = std::string(line.substr(7));
    oom_text = oom_text || mentions_out_of_memory(line);
    if (options_.on_output) options_.on_output(line);
  };
  auto on_progress = [&](std::string_view line) {
    auto event = parse_progress_event(line);
    if (!event) return;
    using Kind = ProgressEvent::Kind;
    if (event->kind == Kind::stream_started) {
      streams.push_back(event->stream);
    } else if (event->kind == Kind::stream_done) {
      streams.erase(std::remove(streams.begin(), streams.end(), event->stream), streams.end());
      if (mentions_out_of_memory(event->error)) {
        oom_text = true;
        out_of_memory_streams.push_back(event->stream);
      }
    } else if (is_final(*event)) {
      done = event;
      oom_text = oom_text || mentions_out_of_memory(event->message);
    }
    if (options_.on_progress) options_.on_progress(*event);
  };

  char buffer[65536];
  auto drain = [&](int& fd, LineSplitter& lines, auto& on_line) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
    if (n < 0) throw_errno("reading the child's output");
    if (n == 0) {
      lines.finish(on_line);
      close_fd(fd);
      return;
    }
    lines.feed(std::string_view(buffer, static_cast<size_t>(n)), on_line);
  };

  auto drain_stdout = [&] {
    const ssize_t n = ::read(io_->stdout_pipe, buffer, sizeof buffer);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
    if (n < 0) throw_errno("reading the child's stdout");
    if (n == 0) return close_fd(io_->stdout_pipe);
    options_.on_stdout(std::string_view(buffer, static_cast<size_t>(n)));
  };
  bool watch_hangup = options_.hangup_fd >= 0;

  while (!exited || io_->output >= 0 || io_->progress >= 0 || io_->stdout_pipe >= 0) {
    const Clock::time_point now = options_.now();
    if (!exited) {
      if (!stopping && (cancel_requested_.load() || (has_deadline && now >= deadline))) {
        timed_out = !cancel_requested_.load();
        at_stop = streams;
        ::kill(-pid_, SIGTERM);
        stopping = true;
        kill_at = now + options_.grace;
      }
      if (stopping && !killed && now >= kill_at) {
        ::kill(-pid_, SIGKILL);
        killed = true;
      }
    }
    int timeout_ms = -1;
    auto until = [&](Clock::time_point when) {
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(when - now).count();
      const int ms = static_cast<int>(std::clamp<int64_t>(left, 0, 60 * 60 * 1000));
      timeout_ms = timeout_ms < 0 ? ms : std::min(timeout_ms, ms);
    };
    if (!exited && !stopping && has_deadline) until(deadline);
    if (!exited && stopping && !killed) until(kill_at);

    pollfd fds[6];
    nfds_t count = 0;
    auto watch = [&](int fd) {
      if (fd >= 0) fds[count++] = pollfd{fd, POLLIN, 0};
    };
    watch(io_->output);
    // Progress before stdout: an event the child wrote before a result's
    // bytes (its columns) is handed over first when both are ready.
    watch(io_->progress);
    watch(io_->stdout_pipe);
    watch(exited ? -1 : io_->pidfd);
    watch(io_->wake_read);
    if (watch_hangup && !exited) fds[count++] = pollfd{options_.hangup_fd, POLLRDHUP, 0};
    const int ready = ::poll(fds, count, timeout_ms);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) throw_errno("poll");
    for (nfds_t i = 0; i < count; ++i) {
      if (fds[i].revents == 0) continue;
      const int fd = fds[i].fd;
      if (watch_hangup && fd == options_.hangup_fd && i == count - 1) {
        // The client went away: stop as a cancel does (only once).
        if (fds[i].revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL)) {
          watch_hangup = false;
          cancel_requested_.store(true);
        }
      } else if (fd == io_->output) {
        drain(io_->output, io_->output_lines, on_output);
      } else if (fd == io_->stdout_pipe) {
        drain_stdout();
      } else if (fd == io_->progress) {
        drain(io_->progress, io_->progress_lines, on_progress);
      } else if (fd == io_->wake_read) {
        while (::read(io_->wake_read, buffer, sizeof buffer) > 0) {
        }
      } else if (fd == io_->pidfd) {
        // Ended (a zombie until reaped, so its pid and group stay ours):
        // whatever it left in its group goes too, so no pipe stays open.
        ::kill(-pid_, SIGKILL);
        while (::waitpid(pid_, &status, 0) < 0) {
          if (errno != EINTR) throw_errno("waitpid");
        }
        exited = true;
        reaped_ = true;
      }
    }
  }

  RunOutcome outcome;
  if (WIFSIGNALED(status)) outcome.signal = WTERMSIG(status);
  if (WIFEXITED(status)) outcome.exit_code = WEXITSTATUS(status);
  if (done) {
    outcome.failure = done->failure;
    outcome.error_kind = done->error_kind;
    outcome.sync_id = done->sync_id;
  } else if (outcome.exit_code > 0) {
    outcome.failure = outcome.exit_code == 2 ? "config" : outcome.exit_code == 3 ? "plugin_load" : "internal";
  }
  const bool oom = options_.memory_limit_bytes > 0 && oom_text;
  // The streams the line names: stopped ones for a timeout, starved ones
  // for the memory limit, else those running at the end (a crash).
  outcome.streams = timed_out ? at_stop : oom && !out_of_memory_streams.empty() ? out_of_memory_streams : streams;
  std::string where = "before any stream started";
  if (!outcome.streams.empty()) {
    where = outcome.streams.size() == 1 ? "in stream " : "in streams ";
    for (size_t i = 0; i < outcome.streams.size(); ++i) where += (i ? ", " : "") + outcome.streams[i];
  }
  const std::string plugin = "plugin " + (options_.plugin.empty() ? std::string("?") : options_.plugin);
  const std::string stop = killed ? "killed with SIGKILL after the grace period of " + duration_text(options_.grace)
                                  : std::string("stopped with SIGTERM");

  if (outcome.exit_code == 0) {
    outcome.end = RunEnd::succeeded;
    outcome.line = "sync " + outcome.sync_id + " succeeded";
  } else if (cancel_requested_.load() && stopping) {
    outcome.end = RunEnd::cancelled;
    outcome.line = "cancelled; the target keeps everything up to the last checkpoint";
    if (killed) outcome.line += "; " + stop;
  } else if (timed_out) {
    outcome.end = RunEnd::timed_out;
    outcome.line = plugin + " timed out " + where + " after the run timeout of " + duration_text(options_.timeout) +
                   "; " + stop;
  } else if (oom) {
    outcome.end = RunEnd::out_of_memory;
    outcome.line = plugin + " ran out of memory " + where + ": over the memory limit of " +
                   bytes_text(options_.memory_limit_bytes);
  } else if (outcome.signal != 0) {
    outcome.end = RunEnd::crashed;
    outcome.line = plugin + " crashed " + where + ": killed by " + signal_name(outcome.signal);
  } else {
    outcome.end = RunEnd::failed;
    outcome.line = done && !done->message.empty() ? done->message
                   : !last_error_line.empty()     ? last_error_line
                                                  : "sluice exited with status " + std::to_string(outcome.exit_code);
  }
  return outcome;
}

}  // namespace sluice::host::serve
