// The daemon's SyncLauncher over ChildRun (host/serve/jobs/child_run.hpp):
// each job is `sluice sync - --progress-fd 3` (the connection on its stdin) in a child
// process of its own, on a thread of its own that waits for it. Its output
// lines are the job's log, its progress events fold into a RunProgress (the
// live per-stream view GET /v1/syncs/{id} shows, and the totals kept when it
// ends), and its outcome maps onto the daemon's statuses: timed_out,
// crashed and out_of_memory are "failed" with the outcome's line as error.
#pragma once

#include "host/serve/jobs/child_run.hpp"
#include "host/serve/jobs/run_progress.hpp"
#include "host/serve/sync_launcher.hpp"

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

namespace sluice::host::serve {

struct ChildLauncherOptions {
  std::string executable;  // "" = the running sluice binary
  std::chrono::milliseconds grace{10000};  // SIGTERM -> SIGKILL on cancel
  std::chrono::milliseconds timeout{0};    // 0 = no run timeout
  uint64_t memory_limit_bytes = 0;         // 0 = no limit
};

class ChildLauncher : public SyncLauncher {
 public:
  explicit ChildLauncher(ChildLauncherOptions options = {});
  ~ChildLauncher() override;

  void start(const LaunchSpec& spec, LaunchListener& listener) override;
  void cancel(const std::string& job_id) override;
  void stop_all() override;
  size_t running() const override;
  std::optional<LaunchProgress> progress(const std::string& job_id) const override;

 private:
  struct Job {
    std::unique_ptr<ChildRun> run;
    std::shared_ptr<RunProgress> progress;
    std::thread waiter;
  };
  void wait_for(std::string job_id, LaunchListener* listener);

  ChildLauncherOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable ended_;
  std::map<std::string, Job> jobs_;
  std::vector<std::thread> finished_;  // waiter threads to join
};

}  // namespace sluice::host::serve
