// What differs between the SQL engines, as data: the generic engine
// (sql_target.hpp) reads these fields and writes every statement once. A new
// engine is a Dialect here plus a SqlConnection; nothing else changes.
//
// Each field states the rule it encodes; dialects.cpp holds the three
// engines side by side so their differences read as one table.
#pragma once

#include "host/target/column.hpp"
#include "host/target/sql.hpp"

#include <array>
#include <string>
#include <string_view>

namespace sluice::host {

// Where a namespace lives.
enum class NamespaceMapping {
  table_prefix,  // one schema per file: namespace NS, table T is table "NS__T" (SQLite)
  schema,        // a schema (PostgreSQL)
  database,      // a database (MySQL/MariaDB)
};

// How an upsert names the incoming row's values.
enum class UpsertStyle {
  on_conflict,       // INSERT ... ON CONFLICT (key) DO UPDATE SET c = excluded.c WHERE ...
  on_duplicate_key,  // INSERT ... ON DUPLICATE KEY UPDATE c = IF(cond, VALUES(c), c)
};

// How a full refresh's staging table replaces the live one.
enum class SwapStrategy {
  drop_and_rename,  // DROP live; ALTER TABLE staging RENAME TO live, inside the transaction
  rename_pair,      // RENAME TABLE live TO old, staging TO live (atomic); DROP old
};

struct Dialect {
  const char* engine;           // "sqlite", "postgresql", "mysql": the prefix of its messages
  char quote;                   // identifier quote; a quote inside a name is doubled
  size_t max_identifier_bytes;  // derived names are cut to fit (identifiers.hpp, fit_identifier)
  NamespaceMapping namespaces;
  // The namespace the "destination" rule maps to ("" = the connection's own).
  const char* default_namespace;

  // Column types by ColumnType (column.hpp order), and for _sluice_uncast,
  // which must keep values exactly as written (PostgreSQL: JSON, not JSONB).
  std::array<const char*, 7> types;
  const char* uncast_type;
  // The ColumnType of an existing column from the catalog's type texts.
  ColumnType (*type_from_sql)(std::string_view data_type, std::string_view column_type);
  // Existing columns of table `name` in `schema`, in order: rows of
  // (name, data_type, column_type).
  Sql (*columns_query)(const std::string& schema, const std::string& name);
  // Names of the tables in `schema` whose name starts with `prefix` (no
  // LIKE wildcards in it).
  Sql (*tables_query)(const std::string& schema, const std::string& prefix);
  // Whether an index named `index` exists on `table` in `schema` (one row if
  // so); nullptr when CREATE UNIQUE INDEX IF NOT EXISTS works.
  Sql (*index_query)(const std::string& schema, const std::string& table, const std::string& index);

  const char* table_options;          // after CREATE TABLE (...)
  const char* key_text_type;          // an indexable text column in metadata tables
  const char* long_text_type;         // an unbounded text column in metadata tables
  const char* create_namespace;       // "CREATE SCHEMA IF NOT EXISTS " + name ("" = none)
  const char* create_namespace_tail;  // after the name

  const char* begin;       // opens a transaction
  bool transactional_ddl;  // CREATE/DROP/RENAME roll back with the transaction
  UpsertStyle upsert;
  SwapStrategy swap;
  // One write transaction per database at a time (SQLite): streams synced
  // in parallel take turns to write (sync_engine's write turn), each turn
  // ending in a commit.
  bool single_writer;
  // Appended to a SELECT that must see the latest committed rows, not the
  // transaction's snapshot: after an insert that skipped keys another
  // transaction had just committed (MySQL/MariaDB's REPEATABLE READ reads
  // its snapshot otherwise; PostgreSQL's READ COMMITTED and SQLite's single
  // writer see them anyway). Target::rows_by_key.
  const char* current_read;

  const char* type(const ColumnDef& column) const {
    return column.name == kUncastColumn ? uncast_type : types[static_cast<size_t>(column.type)];
  }
  std::string quoted(const std::string& identifier) const;
};

const Dialect& sqlite_dialect();
const Dialect& postgres_dialect();
const Dialect& mysql_dialect();

}  // namespace sluice::host
