// Where Sluice keeps what it knows about its own runs: the checkpoint of
// each table (_sluice_state), the history of syncs (_sluice_syncs) and who
// holds each run lock (_sluice_locks). The target implements it on its own
// connection, because a table's rows and its checkpoint must commit in one
// transaction (save_state runs inside the target's open transaction); the
// daemon can implement it again on its own store.
#pragma once

#include "host/target/column.hpp"

#include <optional>
#include <string>
#include <vector>

namespace sluice::host {

// One row of _sluice_syncs.
struct SyncRecord {
  std::string sync_id;
  std::string connection;   // the connection file's name
  std::string plugin;
  std::string started_at;   // ISO-8601 UTC
  std::string ended_at;     // "" while running
  std::string status;       // running | succeeded | failed | cancelled | interrupted
  std::string streams_json; // [{"stream":..,"table":..,"mode":..,"records":..,"status":..}]
  std::string error;
};

// One row of _sluice_state.
struct StateRecord {
  TableRef table;
  std::string stream;
  std::string state_json;  // exactly as the plugin emitted it
  std::string sync_id;
  std::string updated_at;
};

// One row of _sluice_locks: who took a run lock last. The lock itself lives
// in the database session (Target::try_lock); this row only names its
// holder for the message of a sync that finds it taken.
struct LockHolder {
  std::string key;
  std::string sync_id;
  std::string host;   // "hostname (pid N)"
  std::string since;  // ISO-8601 UTC
};

class StateStore {
 public:
  virtual ~StateStore() = default;

  // Creates the metadata tables if missing (own transaction).
  virtual void ensure_metadata() = 0;

  virtual std::vector<StateRecord> states() = 0;
  // Deletes the state of one table, or of every table when nullopt.
  virtual size_t reset_states(const std::optional<TableRef>& table) = 0;
  // Inside the target's open transaction: upserts the state row of a table.
  virtual void save_state(const StateRecord& state) = 0;

  virtual void save_sync(const SyncRecord& record) = 0;  // insert or update, own transaction
  virtual std::vector<SyncRecord> recent_syncs(size_t limit) = 0;
  virtual std::vector<SyncRecord> running_syncs() = 0;
  // Marks one sync "interrupted": its process ended without finishing.
  virtual void mark_interrupted(const std::string& sync_id) = 0;

  virtual void save_lock_holder(const LockHolder& holder) = 0;  // own transaction
  virtual std::optional<LockHolder> lock_holder(const std::string& key) = 0;
};

}  // namespace sluice::host
