// StateStore on a target's own SQL connection: _sluice_state, _sluice_syncs
// and _sluice_locks, written once for every engine from its Dialect.
#pragma once

#include "host/target/dialect.hpp"
#include "host/target/sql_connection.hpp"
#include "host/target/state_store.hpp"

namespace sluice::host {

class SqlStateStore : public StateStore {
 public:
  // The three names are qualified and quoted for this connection.
  SqlStateStore(const Dialect& dialect, SqlConnection& connection, std::string state_table, std::string syncs_table,
                std::string locks_table);

  void ensure_metadata() override;
  std::vector<StateRecord> states() override;
  size_t reset_states(const std::optional<TableRef>& table) override;
  void save_state(const StateRecord& state) override;
  void save_sync(const SyncRecord& record) override;
  std::vector<SyncRecord> recent_syncs(size_t limit) override;
  std::vector<SyncRecord> running_syncs() override;
  void mark_interrupted(const std::string& sync_id) override;
  void save_lock_holder(const LockHolder& holder) override;
  std::optional<LockHolder> lock_holder(const std::string& key) override;

 private:
  // INSERT ... VALUES (the values bound) as an upsert on the first
  // `key_size` columns.
  void upsert(const std::string& table, const std::vector<std::string>& columns, size_t key_size,
              const std::vector<std::string>& values);
  std::vector<SyncRecord> syncs(Sql sql);

  const Dialect& dialect_;
  SqlConnection& connection_;
  std::string state_table_, syncs_table_, locks_table_;
};

}  // namespace sluice::host
