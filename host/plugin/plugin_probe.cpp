#include "host/plugin/plugin_probe.hpp"

#include "host/plugin/signal_name.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace sluice::host {

namespace {

using Clock = std::chrono::steady_clock;

// One child at work.
struct Child {
  size_t index = 0;  // into the files and answers
  pid_t pid = -1;
  int pidfd = -1;    // readable once the child has exited; -1 on kernels before 5.3
  int out = -1;      // the read end of the child's stdout, until EOF
  std::string text;  // what it wrote
  Clock::time_point deadline;
};

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

// Starts `executable __probe file`. On failure returns a child with pid -1
// and fills `error`.
Child start(const ProbeOptions& options, const std::filesystem::path& file, size_t index, std::string& error) {
  Child child;
  child.index = index;
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    error = std::string("pipe: ") + std::strerror(errno);
    return child;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  std::string exe = options.executable.string();
  std::string path = file.string();
  char name[] = "sluice";
  std::string command = kProbeCommand;
  char* argv[] = {name, command.data(), path.data(), nullptr};
  int rc = posix_spawn(&child.pid, exe.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  if (rc != 0) {
    ::close(pipe_fds[0]);
    child.pid = -1;
    error = exe + ": " + std::strerror(rc);
    return child;
  }
  child.out = pipe_fds[0];
  ::fcntl(child.out, F_SETFL, ::fcntl(child.out, F_GETFL) | O_NONBLOCK);
  child.pidfd = static_cast<int>(::syscall(SYS_pidfd_open, child.pid, 0));
  child.deadline = Clock::now() + options.timeout;
  return child;
}

// Reads what is there without blocking; closes the pipe at EOF.
void drain(Child& child) {
  char buffer[4096];
  while (child.out >= 0) {
    ssize_t n = ::read(child.out, buffer, sizeof buffer);
    if (n > 0) {
      child.text.append(buffer, static_cast<size_t>(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      if (n == 0 || errno != EAGAIN) close_fd(child.out);
      return;
    }
  }
}

bool has_exited(const Child& child, const pollfd* pid_poll) {
  // Without a pidfd, EOF on stdout stands for the exit (the child writes its
  // answer, then _exit()s).
  if (child.pidfd < 0) return child.out < 0;
  return pid_poll && (pid_poll->revents & (POLLIN | POLLHUP | POLLERR));
}

int reap(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

// The child's answer, or why there is none.
void conclude(Child& child, int status, ProbeAnswer& answer) {
  if (WIFSIGNALED(status)) {
    answer.rejected = std::string("crashed with ") + signal_name(WTERMSIG(status)) + " while loading";
    return;
  }
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  boost::json::error_code ec;
  boost::json::value doc = boost::json::parse(child.text, ec);
  if (code == 0 && !ec && doc.is_object()) {
    const auto& object = doc.as_object();
    if (const auto* plugin = object.if_contains("plugin"); plugin && plugin->is_object()) {
      answer.plugin = plugin->as_object();
      return;
    }
    if (const auto* rejected = object.if_contains("rejected"); rejected && rejected->is_string()) {
      answer.rejected = std::string(rejected->as_string());
      return;
    }
  }
  answer.rejected = "exited with status " + std::to_string(code) + " while loading";
}

}  // namespace

std::string seconds_text(std::chrono::milliseconds duration) {
  std::ostringstream out;
  out << static_cast<double>(duration.count()) / 1000.0 << " s";
  return out.str();
}

std::vector<ProbeAnswer> probe_plugin_files(const std::vector<std::filesystem::path>& files,
                                            const ProbeOptions& options) {
  std::vector<ProbeAnswer> answers(files.size());
  for (size_t i = 0; i < files.size(); ++i) answers[i].file = files[i];
  std::vector<Child> running;
  size_t next = 0;
  const size_t parallel = std::max<size_t>(options.parallel, 1);

  while (next < files.size() || !running.empty()) {
    while (running.size() < parallel && next < files.size()) {
      std::string error;
      Child child = start(options, files[next], next, error);
      if (child.pid < 0) {
        answers[next].rejected = "cannot probe: " + error;
      } else {
        running.push_back(child);
      }
      ++next;
    }
    if (running.empty()) continue;

    // Wait for output, an exit, or the nearest deadline.
    std::vector<pollfd> fds;
    std::vector<std::pair<int, int>> slots(running.size(), {-1, -1});  // child -> (out, pidfd) in fds
    auto nearest = running.front().deadline;
    for (size_t i = 0; i < running.size(); ++i) {
      nearest = std::min(nearest, running[i].deadline);
      if (running[i].out >= 0) {
        slots[i].first = static_cast<int>(fds.size());
        fds.push_back({running[i].out, POLLIN, 0});
      }
      if (running[i].pidfd >= 0) {
        slots[i].second = static_cast<int>(fds.size());
        fds.push_back({running[i].pidfd, POLLIN, 0});
      }
    }
    long long wait = std::chrono::ceil<std::chrono::milliseconds>(nearest - Clock::now()).count();
    wait = std::clamp<long long>(wait, 0, std::numeric_limits<int>::max());
    if (::poll(fds.data(), fds.size(), static_cast<int>(wait)) < 0 && errno != EINTR) {
      throw std::runtime_error(std::string("poll: ") + std::strerror(errno));
    }

    const auto now = Clock::now();
    for (size_t i = running.size(); i-- > 0;) {
      Child& child = running[i];
      drain(child);
      const pollfd* pid_poll = slots[i].second >= 0 ? &fds[static_cast<size_t>(slots[i].second)] : nullptr;
      ProbeAnswer& answer = answers[child.index];
      if (has_exited(child, pid_poll)) {
        int status = reap(child.pid);
        drain(child);  // whatever came between the last read and the exit
        conclude(child, status, answer);
      } else if (now >= child.deadline) {
        ::kill(child.pid, SIGKILL);
        reap(child.pid);
        answer.rejected = "did not answer within " + seconds_text(options.timeout);
      } else {
        continue;
      }
      close_fd(child.out);
      close_fd(child.pidfd);
      running.erase(running.begin() + static_cast<std::ptrdiff_t>(i));
    }
  }
  return answers;
}

}  // namespace sluice::host
