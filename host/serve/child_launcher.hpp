// A minimal SyncLauncher until the job runner of host/serve/jobs/ lands:
// each job is `sluice sync connection.json --json` in a child process, its
// stderr kept as the job's log (read when it ends) and its --json summary
// giving the per-stream outcome. No live progress, memory limit or run
// timeout: those are the runner's.
#pragma once

#include "host/serve/sync_launcher.hpp"

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

namespace sluice::host::serve {

class ChildLauncher : public SyncLauncher {
 public:
  explicit ChildLauncher(std::chrono::milliseconds cancel_grace = std::chrono::seconds(10))
      : grace_(cancel_grace) {}
  ~ChildLauncher() override;

  void start(const LaunchSpec& spec, LaunchListener& listener) override;
  void cancel(const std::string& job_id) override;
  void stop_all() override;
  size_t running() const override;

 private:
  struct Child {
    pid_t pid = 0;
    bool ended = false;
    std::thread waiter;
  };
  void wait_for(std::string job_id, pid_t pid, LaunchSpec spec, LaunchListener* listener);
  void kill_after_grace(const std::string& job_id);

  std::chrono::milliseconds grace_;
  mutable std::mutex mutex_;
  std::condition_variable ended_;
  std::map<std::string, Child> children_;
  std::vector<std::thread> finished_;  // waiter threads to join
  std::vector<std::thread> graces_;    // kill_after_grace threads, joined by stop_all
};

}  // namespace sluice::host::serve
