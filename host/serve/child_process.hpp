// Short runs of the sluice binary as a child of the daemon (`sluice spec`
// for the plugin catalog): a plugin runs only in children, so one that
// crashes or hangs never takes the daemon down. Syncs run through ChildRun
// (host/serve/jobs/child_run.hpp).
// Children start with an empty signal mask and default handlers (the
// daemon blocks SIGTERM in its own threads to wait for it).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace sluice::host::serve {

// The running sluice binary.
inline const char* kSelfExecutable = "/proc/self/exe";

struct CapturedRun {
  int status = -1;          // waitpid status
  bool timed_out = false;   // killed by us after the timeout
  std::string out;          // stdout
};

// Runs argv to its end (stdin and stderr on /dev/null), killing it after
// `timeout`. Throws std::runtime_error when it cannot start.
CapturedRun run_captured(const std::vector<std::string>& argv, std::chrono::milliseconds timeout);

// "exit 3", "killed by SIGSEGV": a wait status in words.
std::string status_text(int status);

}  // namespace sluice::host::serve
