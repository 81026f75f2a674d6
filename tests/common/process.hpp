// Runs a child process (usually the sluice CLI) and captures what it printed,
// so tests can assert on exit codes and on every byte of stdout/stderr.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace sluice::test {

struct ProcessResult {
  int exit_code = -1;     // -1 when killed by a signal
  int signal = 0;         // the signal that ended it, or 0
  std::string out;        // everything written to stdout
  std::string err;        // everything written to stderr
  std::string all() const { return out + err; }
};

struct ProcessOptions {
  std::string working_dir;                   // empty: current directory
  std::map<std::string, std::string> env;    // added to (or overriding) the environment
  std::vector<std::string> unset_env;        // removed from the environment
  std::string stdin_text;                    // written to the child's stdin
  // Nonzero: this signal is blocked and raised in the child before exec, so
  // the program starts with it pending, as if it had arrived before main().
  int pending_signal = 0;
  // Called with the child's pid on a thread of its own while the output is
  // collected (to signal it at a chosen moment); joined before returning.
  std::function<void(int pid)> while_running;
};

// Runs argv[0] with argv and waits for it. Throws std::runtime_error if it
// cannot be started.
ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options = {});

// Runs the sluice CLI built in this tree with the given arguments.
ProcessResult run_sluice(const std::vector<std::string>& args, const ProcessOptions& options = {});

// Starts the sluice CLI without waiting, its output discarded. Returns the
// pid; pair with kill_and_wait().
int spawn_sluice(const std::vector<std::string>& args, const std::string& working_dir = "");
// Starts the sluice CLI without waiting, appending its stdout and stderr to
// `output_file` ("" = discarded), with `env` added to its environment.
int spawn_sluice(const std::vector<std::string>& args, const std::string& working_dir,
                 const std::string& output_file, const std::map<std::string, std::string>& env = {});
// Sends `signal_number` to pid and reaps it. Returns the wait status.
int kill_and_wait(int pid, int signal_number);
// Reaps pid once it ends by itself. Returns the wait status.
int wait_for_exit(int pid);

}  // namespace sluice::test
