#include "host/target/postgres_target.hpp"

#include "host/target/identifiers.hpp"
#include "host/target/postgres_copy_writer.hpp"

namespace sluice::host {

namespace {

std::string schema_of(const TableRef& table) { return table.ns.empty() ? "public" : table.ns; }

// PostgreSQL would truncate a longer name silently (and then not find it in
// information_schema): derived names like "_sluice_tmp_" + name are cut here.
std::string physical_name(const TableRef& table) { return fit_identifier(table.name, 63); }

ColumnType type_from_sql(const std::string& type) {
  if (type == "bigint") return ColumnType::integer;
  if (type == "numeric" || type == "double precision") return ColumnType::number;
  if (type == "boolean") return ColumnType::boolean;
  if (type == "timestamp with time zone") return ColumnType::timestamp;
  if (type == "date") return ColumnType::date;
  if (type == "jsonb" || type == "json") return ColumnType::json;
  return ColumnType::text;
}

std::string text_or_empty(const std::optional<std::string>& value) { return value.value_or(""); }

}  // namespace

const char* PostgresTarget::sql_type(const ColumnDef& column) {
  // _sluice_uncast is kept verbatim (JSON, not JSONB): it exists to hold
  // values exactly as the source wrote them, 1e400 included.
  return column.name == kUncastColumn ? "JSON" : sql_type(column.type);
}

const char* PostgresTarget::sql_type(ColumnType type) {
  switch (type) {
    case ColumnType::integer: return "BIGINT";
    case ColumnType::number: return "NUMERIC";  // holds every JSON number's digits exactly
    case ColumnType::boolean: return "BOOLEAN";
    case ColumnType::timestamp: return "TIMESTAMPTZ";
    case ColumnType::date: return "DATE";
    case ColumnType::json: return "JSONB";
    case ColumnType::text: return "TEXT";
  }
  return "TEXT";
}

std::string PostgresTarget::qualified(const TableRef& table) {
  return PostgresConnection::quote(schema_of(table)) + "." + PostgresConnection::quote(physical_name(table));
}

PostgresTarget::PostgresTarget(const TargetUrl& url) : masked_url_(url.masked()), connection_(url) {}

void PostgresTarget::ensure_metadata() {
  connection_.exec("CREATE TABLE IF NOT EXISTS public._sluice_state ("
                   "table_namespace TEXT NOT NULL, table_name TEXT NOT NULL, stream TEXT NOT NULL, "
                   "state TEXT NOT NULL, sync_id TEXT NOT NULL, updated_at TEXT NOT NULL, "
                   "PRIMARY KEY (table_namespace, table_name))");
  connection_.exec("CREATE TABLE IF NOT EXISTS public._sluice_syncs ("
                   "sync_id TEXT PRIMARY KEY, connection TEXT NOT NULL, plugin TEXT NOT NULL, "
                   "started_at TEXT NOT NULL, ended_at TEXT NOT NULL, status TEXT NOT NULL, "
                   "streams TEXT NOT NULL, error TEXT NOT NULL)");
}

std::vector<StateRecord> PostgresTarget::states() {
  std::vector<StateRecord> out;
  for (auto& row : connection_.exec("SELECT table_namespace, table_name, stream, state, sync_id, updated_at "
                                    "FROM public._sluice_state ORDER BY table_namespace, table_name")) {
    out.push_back({{text_or_empty(row[0]), text_or_empty(row[1])}, text_or_empty(row[2]), text_or_empty(row[3]),
                   text_or_empty(row[4]), text_or_empty(row[5])});
  }
  return out;
}

size_t PostgresTarget::reset_states(const std::optional<TableRef>& table) {
  auto rows = table ? connection_.exec("DELETE FROM public._sluice_state WHERE table_namespace = $1 AND "
                                       "table_name = $2 RETURNING 1", {table->ns, table->name})
                    : connection_.exec("DELETE FROM public._sluice_state RETURNING 1");
  return rows.size();
}

void PostgresTarget::save_sync(const SyncRecord& r) {
  connection_.exec("INSERT INTO public._sluice_syncs (sync_id, connection, plugin, started_at, ended_at, status, "
                   "streams, error) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (sync_id) DO UPDATE SET "
                   "ended_at = excluded.ended_at, status = excluded.status, streams = excluded.streams, "
                   "error = excluded.error",
                   {r.sync_id, r.connection, r.plugin, r.started_at, r.ended_at, r.status, r.streams_json, r.error});
}

std::vector<SyncRecord> PostgresTarget::recent_syncs(size_t limit) {
  std::vector<SyncRecord> out;
  for (auto& row : connection_.exec("SELECT sync_id, connection, plugin, started_at, ended_at, status, streams, "
                                    "error FROM public._sluice_syncs ORDER BY started_at DESC, sync_id DESC "
                                    "LIMIT $1", {std::to_string(limit)})) {
    out.push_back({text_or_empty(row[0]), text_or_empty(row[1]), text_or_empty(row[2]), text_or_empty(row[3]),
                   text_or_empty(row[4]), text_or_empty(row[5]), text_or_empty(row[6]), text_or_empty(row[7])});
  }
  return out;
}

size_t PostgresTarget::close_abandoned_syncs(const std::string& connection) {
  return connection_.exec("UPDATE public._sluice_syncs SET status = 'interrupted', error = 'the sync process "
                          "ended without finishing (killed or crashed)' WHERE connection = $1 AND "
                          "status = 'running' RETURNING 1", {connection}).size();
}

std::optional<std::vector<ColumnDef>> PostgresTarget::table_columns(const TableRef& table) {
  auto rows = connection_.exec("SELECT column_name, data_type FROM information_schema.columns "
                               "WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position",
                               {schema_of(table), physical_name(table)});
  if (rows.empty()) return std::nullopt;
  std::vector<ColumnDef> columns;
  for (auto& row : rows) columns.push_back({"", text_or_empty(row[0]), type_from_sql(text_or_empty(row[1]))});
  return columns;
}

void PostgresTarget::create_table(const TableRef& table, const std::vector<ColumnDef>& columns) {
  connection_.exec("CREATE SCHEMA IF NOT EXISTS " + PostgresConnection::quote(schema_of(table)));
  std::string sql = "CREATE TABLE " + qualified(table) + " (";
  for (size_t i = 0; i < columns.size(); ++i) {
    sql += (i ? ", " : "") + PostgresConnection::quote(columns[i].name) + " " + sql_type(columns[i]);
  }
  connection_.exec(sql + ")");
}

void PostgresTarget::add_column(const TableRef& table, const ColumnDef& column) {
  connection_.exec("ALTER TABLE " + qualified(table) + " ADD COLUMN " + PostgresConnection::quote(column.name) + " " +
                   sql_type(column));
}

void PostgresTarget::drop_table(const TableRef& table) { connection_.exec("DROP TABLE IF EXISTS " + qualified(table)); }

void PostgresTarget::ensure_unique_key(const TableRef& table, const std::vector<std::string>& key_columns) {
  std::string columns;
  for (size_t i = 0; i < key_columns.size(); ++i) columns += (i ? ", " : "") + PostgresConnection::quote(key_columns[i]);
  std::string index = fit_identifier(table.name + "__sluice_key", max_identifier_bytes());
  try {
    connection_.exec("CREATE UNIQUE INDEX IF NOT EXISTS " + PostgresConnection::quote(index) + " ON " +
                     qualified(table) + " (" + columns + ")");
  } catch (const TargetError& e) {
    throw TargetError("cannot deduplicate " + table.display() + " on (" + columns +
                      "): existing rows break the key (" + e.what() +
                      "); run a full_refresh_overwrite once or choose another primary key");
  }
}

void PostgresTarget::begin() {
  connection_.exec("BEGIN");
  in_transaction_ = true;
}

void PostgresTarget::commit() {
  connection_.exec("COMMIT");
  in_transaction_ = false;
}

void PostgresTarget::rollback() {
  if (!in_transaction_) return;
  in_transaction_ = false;
  connection_.exec("ROLLBACK");
}

std::unique_ptr<TableWriter> PostgresTarget::writer(const TableRef& table, const std::vector<ColumnDef>& columns,
                                                    const WriteOptions& options) {
  return std::make_unique<PostgresCopyWriter>(connection_, qualified(table), columns, options);
}

void PostgresTarget::save_state(const StateRecord& s) {
  connection_.exec("INSERT INTO public._sluice_state (table_namespace, table_name, stream, state, sync_id, "
                   "updated_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (table_namespace, table_name) DO "
                   "UPDATE SET stream = excluded.stream, state = excluded.state, sync_id = excluded.sync_id, "
                   "updated_at = excluded.updated_at",
                   {s.table.ns, s.table.name, s.stream, s.state_json, s.sync_id, s.updated_at});
}

void PostgresTarget::replace_table(const TableRef& live, const TableRef& staging) {
  // Transactional DDL: readers keep seeing the old table until COMMIT.
  connection_.exec("DROP TABLE IF EXISTS " + qualified(live));
  connection_.exec("ALTER TABLE " + qualified(staging) + " RENAME TO " +
                   PostgresConnection::quote(physical_name(live)));
}

void PostgresTarget::append_table(const TableRef& into, const TableRef& from, const std::vector<ColumnDef>& columns) {
  std::string names;
  for (size_t i = 0; i < columns.size(); ++i) names += (i ? ", " : "") + PostgresConnection::quote(columns[i].name);
  connection_.exec("INSERT INTO " + qualified(into) + " (" + names + ") SELECT " + names + " FROM " + qualified(from));
  connection_.exec("DROP TABLE " + qualified(from));
}

std::vector<std::vector<std::optional<std::string>>> PostgresTarget::query(const std::string& sql,
                                                                           std::vector<std::string>* column_names) {
  return connection_.exec(sql, {}, column_names);
}

}  // namespace sluice::host
