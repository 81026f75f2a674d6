// The per-engine part of a target: one database session that runs
// statements with bound values, bulk-loads rows, and holds locks that die
// with it. Everything else (DDL, staging, swaps, metadata) is written once by
// the generic engine (sql_target.hpp) from the engine's Dialect.
//
// Threads: a connection and its writers are used by one thread at a time;
// a caller that hands one to another thread does it through a join, a
// queue or a mutex (the daemon's store holds one mutex for every call).
// Engines rely on it (SQLite opens its handle without a mutex).
//
// Errors: every method throws TargetError with one line: the engine's name,
// its message (never a password) and, for statements, their shape with
// values shown as '?'. A lost connection says "lost the connection to URL".
#pragma once

#include "host/target/column.hpp"
#include "host/target/row_batch.hpp"
#include "host/target/sql.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace sluice::host {

class TableWriter {
 public:
  virtual ~TableWriter() = default;
  // Writes every row of the batch inside the open transaction.
  virtual void write(const RowBatch& batch) = 0;
};

// What a bulk writer writes, with every statement fragment already built by
// the generic engine from the dialect.
struct WriteSpec {
  std::string table;                // qualified and quoted
  std::vector<ColumnDef> columns;   // the batch's columns, in order
  std::string column_list;          // quoted column names, comma-separated
  bool upsert = false;              // incremental_append_dedup, or keep_existing
  bool keep_existing = false;       // upsert_tail skips stored keys; the batch repeats no key
  std::string key_list;             // quoted key columns (upserts)
  std::string cursor;               // quoted cursor column; "" = the latest row wins
  // An upsert is insert_head + VALUES (...) or SELECT ... + upsert_tail; the
  // head names the live table "t" where the dialect allows an alias.
  std::string insert_head;
  std::string upsert_tail;
};

class SqlConnection {
 public:
  virtual ~SqlConnection() = default;

  // The URL with any password masked, for messages.
  virtual std::string display_url() const = 0;
  // Where tables without a namespace go: "" (SQLite's one schema),
  // "public", or the URL's database.
  virtual std::string default_schema() const = 0;

  // Runs one statement and returns its rows (none without a result set).
  virtual SqlRows query(const Sql& sql, std::vector<std::string>* column_names = nullptr) = 0;
  // Runs one statement and returns the number of rows it changed.
  virtual uint64_t execute(const Sql& sql) = 0;

  // A bulk writer into the open transaction.
  virtual std::unique_ptr<TableWriter> writer(const WriteSpec& spec) = 0;

  // Session-level advisory locks, independent of transactions and released
  // when the session ends, however it ends (a killed process included).
  // try_lock never waits; a session may take a key it already holds.
  virtual bool try_lock(const std::string& key) = 0;
  virtual void unlock(const std::string& key) = 0;
};

}  // namespace sluice::host
