// The three engines side by side. Every difference between them the
// generic engine needs is a field below; see dialect.hpp for what each means.
#include "host/target/dialect.hpp"

#include "host/target/identifiers.hpp"

namespace sluice::host {

std::string Dialect::quoted(const std::string& identifier) const { return quote_identifier(identifier, quote); }

namespace {

// --- SQLite -----------------------------------------------------------------

ColumnType sqlite_type(std::string_view declared, std::string_view) {
  if (declared == "INTEGER") return ColumnType::integer;
  if (declared == "REAL") return ColumnType::number;
  if (declared == "BOOLEAN") return ColumnType::boolean;
  if (declared == "TIMESTAMP") return ColumnType::timestamp;
  if (declared == "DATE") return ColumnType::date;
  return ColumnType::text;
}

// SQLite keeps every table in the one schema of its file ("" below).
Sql sqlite_columns(const std::string&, const std::string& name) {
  return std::move(Sql("SELECT name, type, type FROM pragma_table_info(").bind(name) << ") ORDER BY cid");
}

Sql sqlite_tables(const std::string&, const std::string& prefix) {
  return Sql("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE ").bind(prefix + "%");
}

// --- PostgreSQL ---------------------------------------------------------------

ColumnType postgres_type(std::string_view type, std::string_view) {
  if (type == "bigint") return ColumnType::integer;
  if (type == "numeric" || type == "double precision") return ColumnType::number;
  if (type == "boolean") return ColumnType::boolean;
  if (type == "timestamp with time zone") return ColumnType::timestamp;
  if (type == "date") return ColumnType::date;
  if (type == "jsonb" || type == "json") return ColumnType::json;
  return ColumnType::text;
}

Sql postgres_columns(const std::string& schema, const std::string& name) {
  Sql sql("SELECT column_name, data_type, data_type FROM information_schema.columns WHERE table_schema = ");
  sql.bind(schema) << " AND table_name = ";
  sql.bind(name) << " ORDER BY ordinal_position";
  return sql;
}

Sql postgres_tables(const std::string& schema, const std::string& prefix) {
  Sql sql("SELECT table_name FROM information_schema.tables WHERE table_schema = ");
  sql.bind(schema) << " AND table_name LIKE ";
  sql.bind(prefix + "%");
  return sql;
}

// --- MySQL / MariaDB ----------------------------------------------------------

ColumnType mysql_type(std::string_view data_type, std::string_view column_type) {
  if (data_type == "bigint") return ColumnType::integer;
  if (data_type == "double") return ColumnType::number;
  if (data_type == "tinyint" && column_type == "tinyint(1)") return ColumnType::boolean;
  if (data_type == "datetime") return ColumnType::timestamp;
  if (data_type == "date") return ColumnType::date;
  if (data_type == "json") return ColumnType::json;  // MySQL; MariaDB's JSON reads as longtext
  return ColumnType::text;
}

Sql mysql_columns(const std::string& schema, const std::string& name) {
  Sql sql("SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ");
  sql.bind(schema) << " AND TABLE_NAME = ";
  sql.bind(name) << " ORDER BY ORDINAL_POSITION";
  return sql;
}

Sql mysql_tables(const std::string& schema, const std::string& prefix) {
  Sql sql("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ");
  sql.bind(schema) << " AND TABLE_NAME LIKE ";
  sql.bind(prefix + "%");
  return sql;
}

// MySQL has no CREATE INDEX IF NOT EXISTS (MariaDB has).
Sql mysql_index(const std::string& schema, const std::string& table, const std::string& index) {
  Sql sql("SELECT 1 FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ");
  sql.bind(schema) << " AND TABLE_NAME = ";
  sql.bind(table) << " AND INDEX_NAME = ";
  sql.bind(index) << " LIMIT 1";
  return sql;
}

}  // namespace

//                                  text        integer    number     boolean    timestamp      date    json
const Dialect& sqlite_dialect() {
  // JSON is declared TEXT: a declared type "JSON" would get NUMERIC
  // affinity and turn the document "123" into the integer 123.
  static const Dialect dialect{
      "sqlite", '"', 128, NamespaceMapping::table_prefix, "",
      {"TEXT", "INTEGER", "REAL", "BOOLEAN", "TIMESTAMP", "DATE", "TEXT"}, "TEXT",
      sqlite_type, sqlite_columns, sqlite_tables, nullptr,
      "", "TEXT", "TEXT", "", "",
      // IMMEDIATE takes the write lock now, so a concurrent writer makes us
      // wait (busy_timeout) at the start instead of failing half-way.
      "BEGIN IMMEDIATE", true, UpsertStyle::on_conflict, SwapStrategy::drop_and_rename, true, ""};
  return dialect;
}

const Dialect& postgres_dialect() {
  // NUMERIC holds every JSON number's digits exactly.
  static const Dialect dialect{
      "postgresql", '"', 63, NamespaceMapping::schema, "public",
      {"TEXT", "BIGINT", "NUMERIC", "BOOLEAN", "TIMESTAMPTZ", "DATE", "JSONB"}, "JSON",
      postgres_type, postgres_columns, postgres_tables, nullptr,
      "", "TEXT", "TEXT", "CREATE SCHEMA IF NOT EXISTS ", "",
      "BEGIN", true, UpsertStyle::on_conflict, SwapStrategy::drop_and_rename, false, ""};
  return dialect;
}

const Dialect& mysql_dialect() {
  // utf8mb4 with a binary collation: text compares (and keys deduplicate)
  // exactly as on the other engines. DATETIME(6) holds UTC (the session's
  // time_zone is +00:00).
  static const Dialect dialect{
      "mysql", '`', 64, NamespaceMapping::database, "",
      {"LONGTEXT", "BIGINT", "DOUBLE", "BOOLEAN", "DATETIME(6)", "DATE", "JSON"}, "JSON",
      mysql_type, mysql_columns, mysql_tables, mysql_index,
      " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin", "VARCHAR(255)", "LONGTEXT",
      "CREATE DATABASE IF NOT EXISTS ", " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin",
      "START TRANSACTION", false, UpsertStyle::on_duplicate_key, SwapStrategy::rename_pair, false,
      " LOCK IN SHARE MODE"};
  return dialect;
}

}  // namespace sluice::host
