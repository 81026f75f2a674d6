#include "host/sync/run_locks.hpp"

#include "host/sync/clock.hpp"

#include <unistd.h>

#include <algorithm>
#include <thread>

namespace sluice::host {

namespace {

// How often a waiting sync tries again: locks give no wake-up across
// processes and engines, and a quarter second is short next to a sync.
constexpr auto kRetryEvery = std::chrono::milliseconds(250);

std::string this_host() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) name[0] = '\0';
  return std::string(*name ? name : "unknown host") + " (pid " + std::to_string(getpid()) + ")";
}

std::string holder_text(Target& target, const std::string& key) {
  auto holder = target.store().lock_holder(key);
  if (!holder) return "another sync";
  return "sync " + holder->sync_id + " (" + holder->host + ", running since " + holder->since + ")";
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
  const auto deadline = std::chrono::steady_clock::now() + wait;
  bool announced = false;
  while (!target_.try_lock(key)) {
    const std::string what = table ? "stream " + table->stream + ": table " + table->table.display() : "this sync";
    const std::string holder = holder_text(target_, key);
    if (std::chrono::steady_clock::now() >= deadline) {
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
