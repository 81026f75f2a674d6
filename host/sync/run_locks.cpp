#include "host/sync/run_locks.hpp"

#include "host/sync/clock.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <optional>
#include <thread>

namespace sluice::host {

namespace {

// How often a waiting sync tries again: locks give no wake-up across
// processes and engines, and a quarter second is short next to a sync.
constexpr auto kRetryEvery = std::chrono::milliseconds(250);

std::string host_name() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) name[0] = '\0';
  return *name ? name : "unknown host";
}

std::string this_host() { return host_name() + " (pid " + std::to_string(getpid()) + ")"; }

// How long a lock whose holder is known dead may take to be freed: the
// server notices a closed connection on its own schedule (milliseconds).
constexpr auto kDeadHolderGrace = std::chrono::seconds(10);

std::string holder_text(const std::optional<LockHolder>& holder) {
  if (!holder) return "another sync";
  return "sync " + holder->sync_id + " (" + holder->host + ", running since " + holder->since + ")";
}

// Whether the holder ran on this machine and its process is gone: its lock
// is about to be freed by the server, so waiting for it is not waiting for
// a running sync.
bool holder_is_gone(const std::optional<LockHolder>& holder, const std::string& this_host_name) {
  if (!holder) return false;
  const std::string prefix = this_host_name + " (pid ";
  if (holder->host.rfind(prefix, 0) != 0) return false;
  const pid_t pid = static_cast<pid_t>(std::atol(holder->host.c_str() + prefix.size()));
  return pid > 0 && ::kill(pid, 0) != 0 && errno == ESRCH;
}

}  // namespace

std::string sync_lock_key(const std::string& sync_id) { return "sync:" + sync_id; }

RunLocks::RunLocks(Target& target, const std::string& sync_id, std::vector<LockRequest> tables,
                   std::chrono::seconds wait, const std::atomic<bool>& cancel, SyncListener& listener)
    : target_(target) {
  std::sort(tables.begin(), tables.end(), [&](const LockRequest& a, const LockRequest& b) {
    return target.lock_key(a.table) < target.lock_key(b.table);
  });
  try {
    take(sync_lock_key(sync_id), nullptr, wait, cancel, listener);
    const std::string host = this_host(), since = utc_now_iso();
    for (const auto& table : tables) {
      const std::string key = target.lock_key(table.table);
      if (std::find(held_.begin(), held_.end(), key) != held_.end()) continue;
      take(key, &table, wait, cancel, listener);
      target.store().save_lock_holder({key, sync_id, host, since});
    }
  } catch (...) {
    release();
    throw;
  }
}

RunLocks::~RunLocks() { release(); }

void RunLocks::release() {
  for (auto it = held_.rbegin(); it != held_.rend(); ++it) {
    try {
      target_.unlock(*it);
    } catch (...) {
      // The session is gone, and its locks with it.
    }
  }
  held_.clear();
}

void RunLocks::take(const std::string& key, const LockRequest* table, std::chrono::seconds wait,
                    const std::atomic<bool>& cancel, SyncListener& listener) {
  const auto started = std::chrono::steady_clock::now();
  const auto deadline = started + wait;
  bool announced = false;
  while (!target_.try_lock(key)) {
    const std::string what = table ? "stream " + table->stream + ": table " + table->table.display() : "this sync";
    const auto recorded = target_.store().lock_holder(key);
    const std::string holder = holder_text(recorded);
    const auto now = std::chrono::steady_clock::now();
    if (holder_is_gone(recorded, host_name()) && now < started + kDeadHolderGrace) {
      if (cancel) throw HostError(Failure::cancelled, "cancelled while waiting for a lock to be freed");
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      continue;
    }
    if (now >= deadline) {
      throw TargetError(what + " is being written by " + holder + "; wait for it to finish" +
                        (wait.count() ? " (waited " + std::to_string(wait.count()) + " s)" : " or use --wait SECONDS"));
    }
    if (!announced) {
      announced = true;
      listener.log(SLUICE_LOG_INFO, what + " is being written by " + holder + "; waiting up to " +
                                        std::to_string(wait.count()) + " s");
    }
    if (cancel) throw HostError(Failure::cancelled, "cancelled while waiting for " + holder + " to finish");
    std::this_thread::sleep_for(kRetryEvery);
  }
  held_.push_back(key);
}

size_t RunLocks::close_dead_syncs(Target& target, const std::string& own_sync_id) {
  size_t closed = 0;
  for (const auto& sync : target.store().running_syncs()) {
    if (sync.sync_id == own_sync_id) continue;
    const std::string key = sync_lock_key(sync.sync_id);
    if (!target.try_lock(key)) continue;  // its process still holds it: running
    target.unlock(key);
    target.store().mark_interrupted(sync.sync_id);
    ++closed;
  }
  return closed;
}

}  // namespace sluice::host
