#include "host/target/sql_state_store.hpp"

#include "host/target/upsert_sql.hpp"

namespace sluice::host {

namespace {

constexpr const char* kSyncColumns = "sync_id, connection, plugin, started_at, ended_at, status, streams, error";

std::string text(const std::optional<std::string>& value) { return value.value_or(""); }

}  // namespace

SqlStateStore::SqlStateStore(const Dialect& dialect, SqlConnection& connection, std::string state_table,
                             std::string syncs_table, std::string locks_table)
    : dialect_(dialect), connection_(connection), state_table_(std::move(state_table)),
      syncs_table_(std::move(syncs_table)), locks_table_(std::move(locks_table)) {}

void SqlStateStore::ensure_metadata() {
  const std::string key = std::string(" ") + dialect_.key_text_type + " NOT NULL";
  const std::string text = std::string(" ") + dialect_.long_text_type + " NOT NULL";
  connection_.execute(Sql("CREATE TABLE IF NOT EXISTS " + state_table_ + " (table_namespace" + key + ", table_name" +
                          key + ", stream" + text + ", state" + text + ", sync_id" + key + ", updated_at" + key +
                          ", PRIMARY KEY (table_namespace, table_name))" + dialect_.table_options));
  connection_.execute(Sql("CREATE TABLE IF NOT EXISTS " + syncs_table_ + " (sync_id" + key +
                          " PRIMARY KEY, connection" + text + ", plugin" + text + ", started_at" + key +
                          ", ended_at" + key + ", status" + key + ", streams" + text + ", error" + text + ")" +
                          dialect_.table_options));
  connection_.execute(Sql("CREATE TABLE IF NOT EXISTS " + locks_table_ + " (lock_key" + key +
                          " PRIMARY KEY, sync_id" + key + ", host" + text + ", since" + key + ")" +
                          dialect_.table_options));
}

void SqlStateStore::upsert(const std::string& table, const std::vector<std::string>& columns, size_t key_size,
                           const std::vector<std::string>& values) {
  std::vector<std::string> key(columns.begin(), columns.begin() + static_cast<std::ptrdiff_t>(key_size));
  std::vector<std::string> rest(columns.begin() + static_cast<std::ptrdiff_t>(key_size), columns.end());
  Sql sql(insert_head(dialect_, table, quoted_list(dialect_, columns)) + " VALUES (");
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) sql << ", ";
    sql.bind(values[i]);
  }
  sql << ")" << upsert_tail(dialect_, quoted_list(dialect_, key), rest);
  connection_.execute(sql);
}

std::vector<StateRecord> SqlStateStore::states() {
  std::vector<StateRecord> out;
  for (auto& row : connection_.query(Sql("SELECT table_namespace, table_name, stream, state, sync_id, updated_at "
                                         "FROM " + state_table_ + " ORDER BY table_namespace, table_name"))) {
    out.push_back({{text(row[0]), text(row[1])}, text(row[2]), text(row[3]), text(row[4]), text(row[5])});
  }
  return out;
}

size_t SqlStateStore::reset_states(const std::optional<TableRef>& table) {
  Sql sql("DELETE FROM " + state_table_);
  if (table) {
    sql << " WHERE table_namespace = ";
    sql.bind(table->ns) << " AND table_name = ";
    sql.bind(table->name);
  }
  return connection_.execute(sql);
}

void SqlStateStore::save_state(const StateRecord& s) {
  upsert(state_table_, {"table_namespace", "table_name", "stream", "state", "sync_id", "updated_at"}, 2,
         {s.table.ns, s.table.name, s.stream, s.state_json, s.sync_id, s.updated_at});
}

void SqlStateStore::save_sync(const SyncRecord& r) {
  // Only the fields that change after the insert are updated.
  Sql sql(insert_head(dialect_, syncs_table_, kSyncColumns) + " VALUES (");
  const std::string* values[] = {&r.sync_id, &r.connection, &r.plugin, &r.started_at,
                                 &r.ended_at, &r.status,     &r.streams_json, &r.error};
  for (size_t i = 0; i < std::size(values); ++i) {
    if (i) sql << ", ";
    sql.bind(*values[i]);
  }
  sql << ")" << upsert_tail(dialect_, "sync_id", {"ended_at", "status", "streams", "error"});
  connection_.execute(sql);
}

std::vector<SyncRecord> SqlStateStore::syncs(Sql sql) {
  std::vector<SyncRecord> out;
  for (auto& row : connection_.query(sql)) {
    out.push_back({text(row[0]), text(row[1]), text(row[2]), text(row[3]), text(row[4]), text(row[5]), text(row[6]),
                   text(row[7])});
  }
  return out;
}

std::vector<SyncRecord> SqlStateStore::recent_syncs(size_t limit) {
  return syncs(Sql(std::string("SELECT ") + kSyncColumns + " FROM " + syncs_table_ +
                   " ORDER BY started_at DESC, sync_id DESC LIMIT " + std::to_string(limit)));
}

std::vector<SyncRecord> SqlStateStore::running_syncs() {
  return syncs(Sql(std::string("SELECT ") + kSyncColumns + " FROM " + syncs_table_ +
                   " WHERE status = 'running' ORDER BY started_at, sync_id"));
}

void SqlStateStore::mark_interrupted(const std::string& sync_id) {
  Sql sql("UPDATE " + syncs_table_ +
          " SET status = 'interrupted', error = 'the sync process ended without finishing (killed or crashed)' "
          "WHERE status = 'running' AND sync_id = ");
  sql.bind(sync_id);
  connection_.execute(sql);
}

void SqlStateStore::save_lock_holder(const LockHolder& h) {
  upsert(locks_table_, {"lock_key", "sync_id", "host", "since"}, 1, {h.key, h.sync_id, h.host, h.since});
}

std::optional<LockHolder> SqlStateStore::lock_holder(const std::string& key) {
  Sql sql("SELECT lock_key, sync_id, host, since FROM " + locks_table_ + " WHERE lock_key = ");
  sql.bind(key);
  auto rows = connection_.query(sql);
  if (rows.empty()) return std::nullopt;
  return LockHolder{text(rows[0][0]), text(rows[0][1]), text(rows[0][2]), text(rows[0][3])};
}

}  // namespace sluice::host
