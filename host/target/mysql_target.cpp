#include "host/target/mysql_target.hpp"

#include "host/target/identifiers.hpp"
#include "host/target/mysql_insert_writer.hpp"
#include "host/target/mysql_load_writer.hpp"

namespace sluice::host {

namespace {

constexpr const char* kTableOptions = " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";

ColumnType type_from_sql(const std::string& data_type, const std::string& column_type) {
  if (data_type == "bigint") return ColumnType::integer;
  if (data_type == "double") return ColumnType::number;
  if (data_type == "tinyint" && column_type == "tinyint(1)") return ColumnType::boolean;
  if (data_type == "datetime") return ColumnType::timestamp;
  if (data_type == "date") return ColumnType::date;
  if (data_type == "json") return ColumnType::json;
  return ColumnType::text;
}

std::string text_or_empty(const std::optional<std::string>& value) { return value.value_or(""); }

}  // namespace

const char* MysqlTarget::sql_type(ColumnType type) {
  switch (type) {
    case ColumnType::integer: return "BIGINT";
    case ColumnType::number: return "DOUBLE";
    case ColumnType::boolean: return "BOOLEAN";
    case ColumnType::timestamp: return "DATETIME(6)";
    case ColumnType::date: return "DATE";
    case ColumnType::json: return "JSON";
    case ColumnType::text: return "LONGTEXT";
  }
  return "LONGTEXT";
}

MysqlTarget::MysqlTarget(const TargetUrl& url)
    : masked_url_(url.masked()), database_(url.database), connection_(url) {}

std::string MysqlTarget::database_of(const TableRef& table) const { return table.ns.empty() ? database_ : table.ns; }

// MySQL refuses names over 64 characters: derived names like
// "_sluice_tmp_" + name are cut here, the same way everywhere.
std::string MysqlTarget::physical_name(const TableRef& table) const {
  return fit_identifier(table.name, max_identifier_bytes());
}

std::string MysqlTarget::qualified(const TableRef& table) const {
  return MysqlConnection::quote(database_of(table)) + "." + MysqlConnection::quote(physical_name(table));
}

std::string MysqlTarget::metadata_table(const char* name) const {
  return MysqlConnection::quote(database_) + "." + name;
}

void MysqlTarget::ensure_metadata() {
  connection_.exec("CREATE TABLE IF NOT EXISTS " + metadata_table("_sluice_state") +
                   " (table_namespace VARCHAR(255) NOT NULL, table_name VARCHAR(255) NOT NULL, "
                   "stream LONGTEXT NOT NULL, state LONGTEXT NOT NULL, sync_id VARCHAR(255) NOT NULL, "
                   "updated_at VARCHAR(64) NOT NULL, PRIMARY KEY (table_namespace, table_name))" + kTableOptions);
  connection_.exec("CREATE TABLE IF NOT EXISTS " + metadata_table("_sluice_syncs") +
                   " (sync_id VARCHAR(255) NOT NULL PRIMARY KEY, connection LONGTEXT NOT NULL, plugin LONGTEXT "
                   "NOT NULL, started_at VARCHAR(64) NOT NULL, ended_at VARCHAR(64) NOT NULL, status VARCHAR(32) "
                   "NOT NULL, streams LONGTEXT NOT NULL, error LONGTEXT NOT NULL)" + kTableOptions);
}

std::vector<StateRecord> MysqlTarget::states() {
  std::vector<StateRecord> out;
  for (auto& row : connection_.exec("SELECT table_namespace, table_name, stream, state, sync_id, updated_at FROM " +
                                    metadata_table("_sluice_state") + " ORDER BY table_namespace, table_name")) {
    out.push_back({{text_or_empty(row[0]), text_or_empty(row[1])}, text_or_empty(row[2]), text_or_empty(row[3]),
                   text_or_empty(row[4]), text_or_empty(row[5])});
  }
  return out;
}

size_t MysqlTarget::reset_states(const std::optional<TableRef>& table) {
  std::string sql = "DELETE FROM " + metadata_table("_sluice_state");
  if (table) {
    sql += " WHERE table_namespace = " + connection_.literal(table->ns) +
           " AND table_name = " + connection_.literal(table->name);
  }
  connection_.exec(sql);
  return connection_.affected_rows();
}

void MysqlTarget::save_sync(const SyncRecord& r) {
  std::string values;
  for (const auto* field : {&r.sync_id, &r.connection, &r.plugin, &r.started_at, &r.ended_at, &r.status,
                            &r.streams_json, &r.error}) {
    values += (values.empty() ? "" : ", ") + connection_.literal(*field);
  }
  connection_.exec("INSERT INTO " + metadata_table("_sluice_syncs") +
                   " (sync_id, connection, plugin, started_at, ended_at, status, streams, error) VALUES (" + values +
                   ") ON DUPLICATE KEY UPDATE ended_at = VALUES(ended_at), status = VALUES(status), "
                   "streams = VALUES(streams), error = VALUES(error)");
}

std::vector<SyncRecord> MysqlTarget::recent_syncs(size_t limit) {
  std::vector<SyncRecord> out;
  for (auto& row : connection_.exec("SELECT sync_id, connection, plugin, started_at, ended_at, status, streams, "
                                    "error FROM " + metadata_table("_sluice_syncs") +
                                    " ORDER BY started_at DESC, sync_id DESC LIMIT " + std::to_string(limit))) {
    out.push_back({text_or_empty(row[0]), text_or_empty(row[1]), text_or_empty(row[2]), text_or_empty(row[3]),
                   text_or_empty(row[4]), text_or_empty(row[5]), text_or_empty(row[6]), text_or_empty(row[7])});
  }
  return out;
}

size_t MysqlTarget::close_abandoned_syncs(const std::string& connection) {
  connection_.exec("UPDATE " + metadata_table("_sluice_syncs") +
                   " SET status = 'interrupted', error = 'the sync process ended without finishing (killed or "
                   "crashed)' WHERE connection = " + connection_.literal(connection) + " AND status = 'running'");
  return connection_.affected_rows();
}

std::optional<std::vector<ColumnDef>> MysqlTarget::table_columns(const TableRef& table) {
  auto rows = connection_.exec("SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE FROM information_schema.COLUMNS "
                               "WHERE TABLE_SCHEMA = " + connection_.literal(database_of(table)) +
                               " AND TABLE_NAME = " + connection_.literal(physical_name(table)) +
                               " ORDER BY ORDINAL_POSITION");
  if (rows.empty()) return std::nullopt;
  std::vector<ColumnDef> columns;
  for (auto& row : rows) {
    columns.push_back({"", text_or_empty(row[0]), type_from_sql(text_or_empty(row[1]), text_or_empty(row[2]))});
  }
  return columns;
}

void MysqlTarget::create_table(const TableRef& table, const std::vector<ColumnDef>& columns) {
  if (!table.ns.empty()) {
    connection_.exec("CREATE DATABASE IF NOT EXISTS " + MysqlConnection::quote(table.ns) +
                     " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
  }
  std::string sql = "CREATE TABLE " + qualified(table) + " (";
  for (size_t i = 0; i < columns.size(); ++i) {
    sql += (i ? ", " : "") + MysqlConnection::quote(columns[i].name) + " " + sql_type(columns[i].type);
  }
  connection_.exec(sql + ")" + kTableOptions);
  if (in_transaction_) created_in_transaction_.push_back(table);
}

void MysqlTarget::add_column(const TableRef& table, const ColumnDef& column) {
  connection_.exec("ALTER TABLE " + qualified(table) + " ADD COLUMN " + MysqlConnection::quote(column.name) + " " +
                   sql_type(column.type));
}

void MysqlTarget::drop_table(const TableRef& table) { connection_.exec("DROP TABLE IF EXISTS " + qualified(table)); }

void MysqlTarget::ensure_unique_key(const TableRef& table, const std::vector<std::string>& key_columns) {
  std::string index = fit_identifier(table.name + "__sluice_key", max_identifier_bytes());
  auto existing = connection_.exec("SELECT 1 FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = " +
                                   connection_.literal(database_of(table)) + " AND TABLE_NAME = " +
                                   connection_.literal(physical_name(table)) + " AND INDEX_NAME = " +
                                   connection_.literal(index) + " LIMIT 1");
  if (!existing.empty()) return;
  std::string columns;
  for (size_t i = 0; i < key_columns.size(); ++i) columns += (i ? ", " : "") + MysqlConnection::quote(key_columns[i]);
  try {
    // MariaDB 10.4+ enforces UNIQUE on TEXT columns through a hidden hash,
    // so keys of any length deduplicate exactly.
    connection_.exec("CREATE UNIQUE INDEX " + MysqlConnection::quote(index) + " ON " + qualified(table) + " (" +
                     columns + ")");
  } catch (const TargetError& e) {
    throw TargetError("cannot deduplicate " + table.display() + " on (" + columns + "): " + e.what() +
                      "; if existing rows break the key, run a full_refresh_overwrite once or choose another "
                      "primary key");
  }
}

void MysqlTarget::begin() {
  connection_.exec("START TRANSACTION");
  in_transaction_ = true;
  created_in_transaction_.clear();
}

void MysqlTarget::commit() {
  connection_.exec("COMMIT");
  in_transaction_ = false;
  created_in_transaction_.clear();
}

void MysqlTarget::rollback() {
  if (!in_transaction_) return;
  in_transaction_ = false;
  connection_.exec("ROLLBACK");
  // Emulated transactional DDL: what this transaction created goes too.
  auto created = std::move(created_in_transaction_);
  created_in_transaction_.clear();
  for (const auto& table : created) drop_table(table);
}

std::unique_ptr<TableWriter> MysqlTarget::writer(const TableRef& table, const std::vector<ColumnDef>& columns,
                                                 const WriteOptions& options) {
  if (!options.upsert && connection_.local_infile_enabled()) {
    return std::make_unique<MysqlLoadWriter>(connection_, qualified(table), columns);
  }
  return std::make_unique<MysqlInsertWriter>(connection_, qualified(table), columns, options);
}

void MysqlTarget::save_state(const StateRecord& s) {
  std::string values;
  for (const auto* field : {&s.table.ns, &s.table.name, &s.stream, &s.state_json, &s.sync_id, &s.updated_at}) {
    values += (values.empty() ? "" : ", ") + connection_.literal(*field);
  }
  connection_.exec("INSERT INTO " + metadata_table("_sluice_state") +
                       " (table_namespace, table_name, stream, state, sync_id, updated_at) VALUES (" + values +
                       ") ON DUPLICATE KEY UPDATE stream = VALUES(stream), state = VALUES(state), "
                       "sync_id = VALUES(sync_id), updated_at = VALUES(updated_at)",
                   nullptr, false);
}

void MysqlTarget::replace_table(const TableRef& live, const TableRef& staging) {
  // One RENAME TABLE of both names is atomic: readers see the old table or
  // the new one, never neither. It commits the staging rows implicitly.
  TableRef old{live.ns, "_sluice_old_" + live.name};
  connection_.exec("DROP TABLE IF EXISTS " + qualified(old));  // a leftover of a run that died right here
  if (table_columns(live)) {
    connection_.exec("RENAME TABLE " + qualified(live) + " TO " + qualified(old) + ", " + qualified(staging) +
                     " TO " + qualified(live));
    connection_.exec("DROP TABLE " + qualified(old));
  } else {
    connection_.exec("RENAME TABLE " + qualified(staging) + " TO " + qualified(live));
  }
  created_in_transaction_.clear();  // swapped in: a rollback must not drop it
}

void MysqlTarget::append_table(const TableRef& into, const TableRef& from, const std::vector<ColumnDef>& columns) {
  std::string names;
  for (size_t i = 0; i < columns.size(); ++i) names += (i ? ", " : "") + MysqlConnection::quote(columns[i].name);
  connection_.exec("INSERT INTO " + qualified(into) + " (" + names + ") SELECT " + names + " FROM " + qualified(from));
  // DROP commits the INSERT above and the staging table goes with it; a
  // crash between the two leaves a staging table the next run drops.
  connection_.exec("DROP TABLE " + qualified(from));
  created_in_transaction_.clear();
}

std::vector<std::vector<std::optional<std::string>>> MysqlTarget::query(const std::string& sql,
                                                                        std::vector<std::string>* column_names) {
  return connection_.exec(sql, column_names);
}

}  // namespace sluice::host
