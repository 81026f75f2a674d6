#include "host/target/sqlite_target.hpp"

#include "host/target/identifiers.hpp"
#include "host/target/sqlite_table_writer.hpp"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Exception.h>
#include <sqlite3.h>

#include <mutex>

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;

namespace sluice::host {

namespace {

const char* sql_type(ColumnType type) {
  switch (type) {
    case ColumnType::integer: return "INTEGER";
    case ColumnType::number: return "REAL";
    case ColumnType::boolean: return "BOOLEAN";
    case ColumnType::timestamp: return "TIMESTAMP";
    case ColumnType::date: return "DATE";
    // JSON is declared TEXT: a declared type "JSON" would get NUMERIC
    // affinity and turn the document "123" into the integer 123.
    case ColumnType::json:
    case ColumnType::text: return "TEXT";
  }
  return "TEXT";
}

ColumnType type_from_sql(const std::string& declared) {
  if (declared == "INTEGER") return ColumnType::integer;
  if (declared == "REAL") return ColumnType::number;
  if (declared == "BOOLEAN") return ColumnType::boolean;
  if (declared == "TIMESTAMP") return ColumnType::timestamp;
  if (declared == "DATE") return ColumnType::date;
  return ColumnType::text;
}

// Every Poco or SQLite failure leaves this layer as a TargetError.
template <typename Body>
auto guarded(const std::string& what, Body&& body) {
  try {
    return body();
  } catch (const Poco::Exception& e) {
    throw TargetError("sqlite: " + what + ": " + e.displayText());
  }
}

}  // namespace

std::string SqliteTarget::quote(const std::string& identifier) { return quote_identifier(identifier, '"'); }

std::string SqliteTarget::physical_name(const TableRef& table) {
  return table.ns.empty() ? table.name : table.ns + "__" + table.name;
}

std::string SqliteTarget::quoted_table(const TableRef& table) { return quote(physical_name(table)); }

SqliteTarget::SqliteTarget(std::string url, const std::string& path) : url_(std::move(url)) {
  static std::once_flag registered;
  std::call_once(registered, [] { Poco::Data::SQLite::Connector::registerConnector(); });
  guarded("cannot open " + path, [&] {
    session_ = std::make_unique<Poco::Data::Session>("SQLite", path);
    db_ = Poco::Data::SQLite::Utility::dbHandle(*session_);
    return 0;
  });
  // WAL + synchronous=NORMAL: the right trade for many small commits
  // (limits.md, finding 3); durability of a committed checkpoint survives a
  // process crash, which is what exactly-once needs.
  exec("PRAGMA journal_mode=WAL");
  exec("PRAGMA synchronous=NORMAL");
  exec("PRAGMA busy_timeout=10000");
  // 16 MiB of page cache: enough for in-order appends and upserts, and it
  // keeps peak memory flat however many rows a sync writes.
  exec("PRAGMA cache_size=-16384");
}

void SqliteTarget::exec(const std::string& sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message ? message : sqlite3_errmsg(db_);
    sqlite3_free(message);
    throw TargetError("sqlite: " + text + " (in: " + sql.substr(0, 200) + ")");
  }
}

void SqliteTarget::ensure_metadata() {
  exec("CREATE TABLE IF NOT EXISTS _sluice_state ("
       "table_namespace TEXT NOT NULL, table_name TEXT NOT NULL, stream TEXT NOT NULL, "
       "state TEXT NOT NULL, sync_id TEXT NOT NULL, updated_at TEXT NOT NULL, "
       "PRIMARY KEY (table_namespace, table_name))");
  exec("CREATE TABLE IF NOT EXISTS _sluice_syncs ("
       "sync_id TEXT PRIMARY KEY, connection TEXT NOT NULL, plugin TEXT NOT NULL, "
       "started_at TEXT NOT NULL, ended_at TEXT NOT NULL, status TEXT NOT NULL, "
       "streams TEXT NOT NULL, error TEXT NOT NULL)");
}

std::vector<StateRecord> SqliteTarget::states() {
  return guarded("reading _sluice_state", [&] {
    std::vector<std::string> ns, name, stream, state, sync_id, updated;
    *session_ << "SELECT table_namespace, table_name, stream, state, sync_id, updated_at "
                 "FROM _sluice_state ORDER BY table_namespace, table_name",
        into(ns), into(name), into(stream), into(state), into(sync_id), into(updated), now;
    std::vector<StateRecord> out;
    for (size_t i = 0; i < ns.size(); ++i) {
      out.push_back({{ns[i], name[i]}, stream[i], state[i], sync_id[i], updated[i]});
    }
    return out;
  });
}

size_t SqliteTarget::reset_states(const std::optional<TableRef>& table) {
  return guarded("resetting state", [&] {
    if (!table) {
      Poco::Data::Statement statement = (*session_ << "DELETE FROM _sluice_state");
      return statement.execute();
    }
    std::string ns = table->ns, name = table->name;
    Poco::Data::Statement statement =
        (*session_ << "DELETE FROM _sluice_state WHERE table_namespace = ? AND table_name = ?",
         use(ns), use(name));
    return statement.execute();
  });
}

void SqliteTarget::save_sync(const SyncRecord& r) {
  guarded("writing _sluice_syncs", [&] {
    SyncRecord copy = r;  // Poco binds by non-const reference
    *session_ << "INSERT INTO _sluice_syncs (sync_id, connection, plugin, started_at, ended_at, "
                 "status, streams, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                 "ON CONFLICT (sync_id) DO UPDATE SET ended_at = excluded.ended_at, "
                 "status = excluded.status, streams = excluded.streams, error = excluded.error",
        use(copy.sync_id), use(copy.connection), use(copy.plugin), use(copy.started_at),
        use(copy.ended_at), use(copy.status), use(copy.streams_json), use(copy.error), now;
    return 0;
  });
}

std::vector<SyncRecord> SqliteTarget::recent_syncs(size_t limit) {
  return guarded("reading _sluice_syncs", [&] {
    std::vector<std::string> id, connection, plugin, started, ended, status, streams, error;
    int max_rows = static_cast<int>(limit);
    *session_ << "SELECT sync_id, connection, plugin, started_at, ended_at, status, streams, error "
                 "FROM _sluice_syncs ORDER BY started_at DESC, sync_id DESC LIMIT ?",
        into(id), into(connection), into(plugin), into(started), into(ended), into(status),
        into(streams), into(error), use(max_rows), now;
    std::vector<SyncRecord> out;
    for (size_t i = 0; i < id.size(); ++i) {
      out.push_back({id[i], connection[i], plugin[i], started[i], ended[i], status[i], streams[i], error[i]});
    }
    return out;
  });
}

size_t SqliteTarget::close_abandoned_syncs(const std::string& connection) {
  return guarded("updating _sluice_syncs", [&] {
    std::string name = connection;
    Poco::Data::Statement statement =
        (*session_ << "UPDATE _sluice_syncs SET status = 'interrupted', "
                      "error = 'the sync process ended without finishing (killed or crashed)' "
                      "WHERE connection = ? AND status = 'running'",
         use(name));
    return statement.execute();
  });
}

std::optional<std::vector<ColumnDef>> SqliteTarget::table_columns(const TableRef& table) {
  std::vector<std::string> names;
  auto rows = query("PRAGMA table_info(" + quoted_table(table) + ")", &names);
  if (rows.empty()) return std::nullopt;
  std::vector<ColumnDef> columns;
  for (const auto& row : rows) {
    // table_info: cid, name, type, notnull, dflt_value, pk
    columns.push_back({"", row[1].value_or(""), type_from_sql(row[2].value_or(""))});
  }
  return columns;
}

void SqliteTarget::create_table(const TableRef& table, const std::vector<ColumnDef>& columns) {
  std::string sql = "CREATE TABLE " + quoted_table(table) + " (";
  for (size_t i = 0; i < columns.size(); ++i) {
    sql += (i ? ", " : "") + quote(columns[i].name) + " " + sql_type(columns[i].type);
  }
  exec(sql + ")");
}

void SqliteTarget::add_column(const TableRef& table, const ColumnDef& column) {
  exec("ALTER TABLE " + quoted_table(table) + " ADD COLUMN " + quote(column.name) + " " +
       sql_type(column.type));
}

void SqliteTarget::drop_table(const TableRef& table) { exec("DROP TABLE IF EXISTS " + quoted_table(table)); }

void SqliteTarget::ensure_unique_key(const TableRef& table, const std::vector<std::string>& key_columns) {
  std::string columns;
  for (size_t i = 0; i < key_columns.size(); ++i) columns += (i ? ", " : "") + quote(key_columns[i]);
  try {
    exec("CREATE UNIQUE INDEX IF NOT EXISTS " + quote(physical_name(table) + "__sluice_key") + " ON " +
         quoted_table(table) + " (" + columns + ")");
  } catch (const TargetError& e) {
    throw TargetError("cannot deduplicate " + table.display() + " on (" + columns +
                      "): existing rows break the key (" + e.what() +
                      "); run a full_refresh_overwrite once or choose another primary key");
  }
}

void SqliteTarget::begin() {
  // IMMEDIATE takes the write lock now, so a concurrent writer makes us wait
  // (busy_timeout) at the start instead of failing half-way through.
  exec("BEGIN IMMEDIATE");
  in_transaction_ = true;
}

void SqliteTarget::commit() {
  exec("COMMIT");
  in_transaction_ = false;
}

void SqliteTarget::rollback() {
  if (!in_transaction_ && sqlite3_get_autocommit(db_)) return;
  in_transaction_ = false;
  sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

std::unique_ptr<TableWriter> SqliteTarget::writer(const TableRef& table, const std::vector<ColumnDef>& columns,
                                                  const WriteOptions& options) {
  return std::make_unique<SqliteTableWriter>(db_, quoted_table(table), columns, options);
}

void SqliteTarget::save_state(const StateRecord& state) {
  guarded("writing _sluice_state", [&] {
    StateRecord copy = state;
    *session_ << "INSERT INTO _sluice_state (table_namespace, table_name, stream, state, sync_id, "
                 "updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (table_namespace, table_name) "
                 "DO UPDATE SET stream = excluded.stream, state = excluded.state, "
                 "sync_id = excluded.sync_id, updated_at = excluded.updated_at",
        use(copy.table.ns), use(copy.table.name), use(copy.stream), use(copy.state_json),
        use(copy.sync_id), use(copy.updated_at), now;
    return 0;
  });
}

void SqliteTarget::replace_table(const TableRef& live, const TableRef& staging) {
  // SQLite DDL is transactional: readers see the old table until COMMIT.
  exec("DROP TABLE IF EXISTS " + quoted_table(live));
  exec("ALTER TABLE " + quoted_table(staging) + " RENAME TO " + quoted_table(live));
}

void SqliteTarget::append_table(const TableRef& into_table, const TableRef& from,
                                const std::vector<ColumnDef>& columns) {
  std::string names;
  for (size_t i = 0; i < columns.size(); ++i) names += (i ? ", " : "") + quote(columns[i].name);
  exec("INSERT INTO " + quoted_table(into_table) + " (" + names + ") SELECT " + names + " FROM " +
       quoted_table(from));
  exec("DROP TABLE " + quoted_table(from));
}

std::vector<std::vector<std::optional<std::string>>> SqliteTarget::query(
    const std::string& sql, std::vector<std::string>* column_names) {
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
    throw TargetError(std::string("sqlite: ") + sqlite3_errmsg(db_));
  }
  std::vector<std::vector<std::optional<std::string>>> rows;
  int width = sqlite3_column_count(statement);
  if (column_names) {
    column_names->clear();
    for (int i = 0; i < width; ++i) column_names->push_back(sqlite3_column_name(statement, i));
  }
  int rc;
  while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
    auto& row = rows.emplace_back();
    for (int i = 0; i < width; ++i) {
      if (sqlite3_column_type(statement, i) == SQLITE_NULL) {
        row.emplace_back(std::nullopt);
      } else {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, i));
        row.emplace_back(std::string(text, static_cast<size_t>(sqlite3_column_bytes(statement, i))));
      }
    }
  }
  std::string error = rc == SQLITE_DONE ? "" : sqlite3_errmsg(db_);
  sqlite3_finalize(statement);
  if (!error.empty()) throw TargetError("sqlite: " + error);
  return rows;
}

}  // namespace sluice::host
