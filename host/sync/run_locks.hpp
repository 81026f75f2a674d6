// Run locks: two syncs never write the same tables at once.
//
// Contract:
//  1. A sync holds its own lock ("sync:ID") for its whole life, and the lock
//     of every table it writes, taken before any table is touched, in one
//     sorted order (two waiting syncs never deadlock).
//  2. Locks live in the target's session (PostgreSQL advisory locks, MySQL
//     GET_LOCK, OFD file locks beside a SQLite file) and die with it: after a
//     crash or kill -9 the next sync proceeds at once.
//  3. A table already locked fails the sync at once, naming the holder (its
//     sync id, host, pid and start time from _sluice_locks), or, with a wait,
//     is retried until the deadline or a cancel.
//  4. A sync recorded as "running" is "interrupted" only if its own lock is
//     free, i.e. its process is gone; a sync still running is left alone.
#pragma once

#include "host/sync/sync_listener.hpp"
#include "host/target/target.hpp"

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

namespace sluice::host {

struct LockRequest {
  TableRef table;
  std::string stream;  // for messages
};

class RunLocks {
 public:
  // Takes the locks (contract 1-3). Throws TargetError naming the holder
  // when a table stays locked past `wait`, HostError(cancelled) when
  // `cancel` is set while waiting.
  RunLocks(Target& target, const std::string& sync_id, std::vector<LockRequest> tables,
           std::chrono::seconds wait, const std::atomic<bool>& cancel, SyncListener& listener);
  // Releases every lock taken (the session's end would too).
  ~RunLocks();
  RunLocks(const RunLocks&) = delete;
  RunLocks& operator=(const RunLocks&) = delete;

  // Contract 4: marks interrupted every running sync (but `own_sync_id`)
  // whose process is gone; returns how many.
  static size_t close_dead_syncs(Target& target, const std::string& own_sync_id);

 private:
  void release();
  void take(const std::string& key, const LockRequest* table, std::chrono::seconds wait,
            const std::atomic<bool>& cancel, SyncListener& listener);

  Target& target_;
  std::vector<std::string> held_;
};

// "sync:ID": the key of a sync's own lock.
std::string sync_lock_key(const std::string& sync_id);

}  // namespace sluice::host
