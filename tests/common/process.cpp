#include "common/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <thread>

namespace sluice::test {

namespace {

void set_nonblocking(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }

// What a child execs, built before fork(). Between fork() and exec only
// async-signal-safe calls are allowed: another thread of the test (a fake
// server's) may hold the allocator's lock at the fork, and a child that
// allocates then waits on it forever. ASan's allocator is not reset in the
// child; a databricks_e2e test hung that way in the ASan pass.
class ExecImage {
 public:
  ExecImage(const std::vector<std::string>& argv, const std::vector<std::string>& unset,
            const std::map<std::string, std::string>& set)
      : args_(argv) {
    for (char** entry = environ; *entry; ++entry) {
      const std::string text = *entry;
      const std::string name = text.substr(0, text.find('='));
      if (set.count(name) || std::find(unset.begin(), unset.end(), name) != unset.end()) continue;
      env_.push_back(text);
    }
    for (const auto& [name, value] : set) env_.push_back(name + "=" + value);
    for (auto& arg : args_) argv_.push_back(arg.data());
    argv_.push_back(nullptr);
    for (auto& entry : env_) envp_.push_back(entry.data());
    envp_.push_back(nullptr);
  }
  ExecImage(const ExecImage&) = delete;  // argv_ and envp_ point into args_ and env_
  ExecImage& operator=(const ExecImage&) = delete;
  // Async-signal-safe.
  [[noreturn]] void exec() const {
    execve(argv_[0], argv_.data(), envp_.data());
    _exit(127);
  }

 private:
  std::vector<std::string> args_, env_;
  std::vector<char*> argv_, envp_;
};

}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options) {
  int out_pipe[2], err_pipe[2], in_pipe[2];
  if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0 || pipe(in_pipe) != 0) {
    throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  }
  const ExecImage image(argv, options.unset_env, options.env);
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) close(fd);
    if (!options.working_dir.empty() && chdir(options.working_dir.c_str()) != 0) _exit(126);
    if (options.pending_signal != 0) {
      // The mask and pending signals survive exec.
      sigset_t blocked;
      sigemptyset(&blocked);
      sigaddset(&blocked, options.pending_signal);
      sigprocmask(SIG_BLOCK, &blocked, nullptr);
      raise(options.pending_signal);
    }
    image.exec();
  }
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (!options.stdin_text.empty()) {
    const char* data = options.stdin_text.data();
    size_t left = options.stdin_text.size();
    while (left > 0) {
      ssize_t n = write(in_pipe[1], data, left);
      if (n <= 0) break;
      data += n;
      left -= static_cast<size_t>(n);
    }
  }
  close(in_pipe[1]);
  std::thread watcher;
  if (options.while_running) watcher = std::thread(options.while_running, static_cast<int>(pid));
  set_nonblocking(out_pipe[0]);
  set_nonblocking(err_pipe[0]);

  ProcessResult result;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_count = 2;
  char buffer[65536];
  while (open_count > 0) {
    if (poll(fds, 2, -1) < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<size_t>(n));
      } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_count;
      }
    }
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (watcher.joinable()) watcher.join();
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  return result;
}

ProcessResult run_sluice(const std::vector<std::string>& args, const ProcessOptions& options) {
  std::vector<std::string> argv{SLUICE_CLI_PATH};
  argv.insert(argv.end(), args.begin(), args.end());
  ProcessOptions with_env = options;
  // Tests must not depend on the developer's environment.
  with_env.unset_env.push_back("SLUICE_PLUGIN_PATH");
  return run_process(argv, with_env);
}

int spawn_sluice(const std::vector<std::string>& args, const std::string& working_dir) {
  return spawn_sluice(args, working_dir, "");
}

int spawn_sluice(const std::vector<std::string>& args, const std::string& working_dir,
                 const std::string& output_file, const std::map<std::string, std::string>& env) {
  std::vector<std::string> argv{SLUICE_CLI_PATH};
  argv.insert(argv.end(), args.begin(), args.end());
  const ExecImage image(argv, {"SLUICE_PLUGIN_PATH"}, env);
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    int null_fd = open("/dev/null", O_RDWR);
    int out_fd = output_file.empty() ? null_fd : open(output_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (out_fd < 0) _exit(125);
    dup2(null_fd, 0);
    dup2(out_fd, 1);
    dup2(out_fd, 2);
    if (!working_dir.empty() && chdir(working_dir.c_str()) != 0) _exit(126);
    image.exec();
  }
  return pid;
}

int wait_for_exit(int pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

int kill_and_wait(int pid, int signal_number) {
  kill(pid, signal_number);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

}  // namespace sluice::test
