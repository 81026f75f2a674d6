// One sync run as a child process: the daemon's wall between a bad plugin
// and everything else. The child is the sluice binary itself
// (`sluice sync ... --progress-fd 3`), so a plugin that segfaults, aborts,
// hangs or eats memory takes down only its own process, and the outcome
// says which plugin, which stream and which signal or limit.
//
// Contract:
//  - The child runs in its own process group (signals reach the plugin's
//    own children too), with stdin /dev/null, stdout and stderr merged
//    into one pipe (or, with on_stdout, stdout on a pipe of its own), the
//    progress pipe on fd 3, and every other descriptor of the daemon
//    closed (all are opened close-on-exec).
//  - Output lines are already redacted by the child (its Redactor masks
//    every secret it prints); ChildRun adds nothing and removes nothing,
//    except that a line longer than kMaxLineBytes is cut there.
//  - wait() runs the whole life of the child on the calling thread: it
//    blocks in poll(2) on the output pipe, the progress pipe, a pidfd of the
//    child and a wake-up pipe for cancel(), and calls the callbacks on that
//    thread, in the order the child wrote (per pipe). No sleeping: the only
//    timed wait is poll's timeout, computed from `now` to the run's
//    deadline or the end of the grace period.
//  - Limits: `timeout` counts from start; when it passes, the child gets
//    SIGTERM (a clean cancel: the target keeps its last checkpoint), then
//    SIGKILL once `grace` has passed too. `memory_limit_bytes` is the
//    child's RLIMIT_AS (address space, not RSS: a sluice process with its
//    threads needs a few hundred MiB of it before reading anything),
//    applied with prlimit(2) right after the spawn.
//  - cancel() may be called from any thread, any number of times, before or
//    during wait(): SIGTERM now, SIGKILL after `grace`. It never blocks.
//  - The destructor of a ChildRun whose child still runs (wait() not
//    called, or it threw) kills the group with SIGKILL and reaps it: no
//    orphan, no zombie.
//
// Use (one thread per running job; secrets reach the child by environment,
// with "$env" references in the connection file it reads, never in argv):
//   ChildRunOptions options;
//   options.executable = "/usr/bin/sluice";
//   options.args = {"sync", run_dir + "/conn.json", "--plugin-dir", dir};
//   options.env = {{"SLUICE_SECRET_1", token}};
//   options.plugin = "stripe";
//   options.log_file = run_dir + "/run.log";
//   options.on_progress = [&](const ProgressEvent& e) { store.progress(id, e); };
//   options.timeout = 6h;
//   options.memory_limit_bytes = 2ull << 30;
//   ChildRun run(options);              // registered so an API cancel can reach run.cancel()
//   RunOutcome outcome = run.wait();    // history: to_string(outcome.end), outcome.line
#pragma once

#include "host/serve/jobs/progress_event.hpp"

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::host::serve {

inline constexpr size_t kMaxInputBytes = size_t{1} << 20;  // fs.pipe-max-size's default

struct ChildRunOptions {
  std::string executable;         // the sluice binary (absolute path)
  // Arguments after argv[0], e.g. {"sync", "/runs/42/conn.json",
  // "--plugin-dir", DIR}; ChildRun appends "--progress-fd", "3".
  std::vector<std::string> args;
  std::map<std::string, std::string> env;  // added to (or overriding) the daemon's environment
  std::string working_dir;        // "" = the daemon's
  // The child's standard input, then end of file ("" = /dev/null): how the
  // daemon hands a child its connection with secrets in clear, which must
  // never touch the disk. Written whole into a pipe before the child starts
  // (so no writer thread, and no SIGPIPE if the child never reads it); at
  // most kMaxInputBytes, what an unprivileged pipe holds by default.
  std::string input;
  std::string plugin;             // named in the outcome line
  std::string log_file;           // "" = none; each output line appended, with its newline
  std::function<void(std::string_view line)> on_output;  // each output line, without newline
  // Set: the child's stdout is a pipe of its own (its stderr alone makes the
  // output lines), and its bytes are handed over as they arrive, unsplit
  // and uncut (a query's result: the caller frames it). The callback runs on
  // wait()'s thread, so a slow consumer holds the child back (the pipe
  // fills): memory stays bounded. It must not throw.
  std::function<void(std::string_view bytes)> on_stdout;
  // A descriptor whose peer hanging up (POLLRDHUP, POLLHUP, POLLERR) cancels
  // the run as cancel() would: the socket of a client streaming the result,
  // so a client that goes away stops the statement at the source. -1: none.
  int hangup_fd = -1;
  std::function<void(const ProgressEvent&)> on_progress;
  std::chrono::milliseconds timeout{0};    // 0 = no run timeout
  std::chrono::milliseconds grace{10000};  // SIGTERM -> SIGKILL
  uint64_t memory_limit_bytes = 0;         // 0 = no limit
  // A crashing plugin dumps core only if this is set (RLIMIT_CORE 0
  // otherwise): a daemon's working directory must not fill with cores.
  bool core_dumps = false;
  // The clock deadlines are measured on; tests inject one to make a run
  // time out without waiting for it.
  std::function<std::chrono::steady_clock::time_point()> now = [] { return std::chrono::steady_clock::now(); };
};

// How a run ended, in the daemon's words.
enum class RunEnd {
  succeeded,      // exit 0
  failed,         // the sync failed by itself (exit 1, 2, 3): failure, error_kind say why
  cancelled,      // cancel() was called and the child ended
  timed_out,      // the run timeout passed
  crashed,        // a signal the daemon did not send ended it
  // With a memory limit set, it failed or died saying so in its own words:
  // an allocation failing under RLIMIT_AS throws std::bad_alloc, which the
  // plugin's or the engine's error reports ("bad_alloc", "out of memory",
  // "Cannot allocate memory" in a stream's error or an output line).
  out_of_memory,
};
const char* to_string(RunEnd end);

struct RunOutcome {
  RunEnd end = RunEnd::failed;
  int exit_code = -1;      // the child's exit status, or -1 when a signal ended it
  int signal = 0;          // the signal that ended it, or 0
  std::string failure;     // sync_done's failure class ("stream", "config", ...), "" if none
  std::string error_kind;  // sync_done's error_kind: retry only "transient" / "rate_limited"
  std::string sync_id;     // from sync_done, "" if it never came
  // One line for history and the API, naming plugin, stream(s) and
  // signal or limit (the streams of `streams` below):
  //   succeeded      "sync SYNC_ID succeeded"
  //   failed         sync_done's message ("stream items failed: ...")
  //   cancelled      "cancelled; the target keeps everything up to the last checkpoint"
  //                  (+ "; killed with SIGKILL after the grace period of 10s" if it came to that)
  //   timed_out      "plugin P timed out in stream S after the run timeout of 2s; stopped with SIGTERM"
  //                  (or "...; killed with SIGKILL after the grace period of 10s")
  //   crashed        "plugin P crashed in stream S: killed by SIGSEGV"
  //   out_of_memory  "plugin P ran out of memory in stream S: over the memory limit of 512 MiB"
  // where "in stream S" is "in streams A, B" or "before any stream started".
  std::string line;
  // The streams the line names: running when the SIGTERM of a timeout went
  // out, failed for lack of memory, or running when it crashed.
  std::vector<std::string> streams;
};

class ChildRun {
 public:
  static constexpr size_t kMaxLineBytes = 64 * 1024;

  // Spawns the child (posix_spawn). Throws std::system_error if it cannot
  // (no such executable, no more processes or descriptors).
  explicit ChildRun(ChildRunOptions options);
  ~ChildRun();
  ChildRun(const ChildRun&) = delete;
  ChildRun& operator=(const ChildRun&) = delete;

  pid_t pid() const noexcept { return pid_; }

  // Runs until the child has ended and both pipes are drained, then reaps
  // it. Call once. Throws std::system_error only for a failing poll or read
  // (the child is then killed by the destructor).
  RunOutcome wait();

  // SIGTERM now, SIGKILL after the grace period. Thread-safe, non-blocking.
  void cancel() noexcept;

 private:
  struct Io;
  ChildRunOptions options_;
  pid_t pid_ = -1;
  std::unique_ptr<Io> io_;
  std::atomic<bool> cancel_requested_{false};
  bool reaped_ = false;
};

}  // namespace sluice::host::serve
