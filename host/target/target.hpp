// The target: the one SQL engine the sync engine writes through. It writes
// every statement (DDL, staging tables, the atomic swap, appends, metadata)
// once, from the engine's Dialect, and runs them on the engine's
// SqlConnection. Engines differ only in those two (docs/architecture.md).
//
// Transactions: begin()/commit()/rollback() bracket the writes of a stream.
// Rows written through a TableWriter, store().save_state(), replace_table()
// and append_table() all happen inside the open transaction, so the rows and
// the state that covers them become visible together or not at all. Where
// DDL is not transactional (MySQL), the engine keeps that promise itself: a
// DDL statement's implicit commit is followed by a new transaction, the copy
// of an append commits with the transaction, tables created in a transaction
// are dropped by its rollback, and staging tables are dropped after commit.
//
// Threading: a Target is used by one thread at a time (the sync engine hands
// it from the main thread to its writer thread and back, never concurrently).
#pragma once

#include "host/common/host_error.hpp"
#include "host/target/column.hpp"
#include "host/target/dialect.hpp"
#include "host/target/sql_connection.hpp"
#include "host/target/state_store.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sluice::host {

struct WriteOptions {
  bool upsert = false;                   // incremental_append_dedup
  std::vector<std::string> key_columns;  // upsert key (normalised names)
  std::string cursor_column;             // newest cursor wins; "" = last write wins
  // Instead of an upsert: a row whose key is stored already is skipped and
  // the stored one kept (upsert_sql.hpp, keep_existing_tail). The batch
  // must not repeat a key. Which rows were skipped: rows_by_key.
  bool keep_existing = false;
};

class Target {
 public:
  Target(const Dialect& dialect, std::unique_ptr<SqlConnection> connection);
  ~Target();

  // The URL with any password masked, for messages.
  std::string display_url() const { return connection_->display_url(); }
  // Longest identifier the engine accepts, in bytes.
  size_t max_identifier_bytes() const { return dialect_.max_identifier_bytes; }
  // The namespace the "destination" rule maps to ("" when none).
  std::string default_namespace() const { return dialect_.default_namespace; }
  const Dialect& dialect() const { return dialect_; }

  // Checkpoints, sync history and lock holders, on this target's connection.
  StateStore& store() { return *store_; }

  // Existing columns of a table in order, or nullopt if it does not exist.
  std::optional<std::vector<ColumnDef>> table_columns(const TableRef& table);
  // Creates the table (and its namespace if missing).
  void create_table(const TableRef& table, const std::vector<ColumnDef>& columns);
  void add_column(const TableRef& table, const ColumnDef& column);
  void drop_table(const TableRef& table);
  // A unique index on key_columns, needed by upserts. Throws if existing
  // rows break it, saying how to recover.
  void ensure_unique_key(const TableRef& table, const std::vector<std::string>& key_columns);

  // The staging table of one run's full refresh of `live`: named after the
  // sync, so two refreshes of one table never share one.
  TableRef staging_table(const TableRef& live, const std::string& sync_id) const;
  // The staging tables earlier runs left for `live`: a process killed where
  // DDL is not transactional, or a resumable full refresh that was
  // interrupted (sync/kept_staging.hpp decides which one is reused). Call
  // only while holding live's run lock: no other run can be using them then.
  // Includes the single staging name of Sluice <= 0.3.
  std::vector<TableRef> staging_leftovers(const TableRef& live);

  void begin();
  void commit();
  void rollback();  // no-op when no transaction is open

  std::unique_ptr<TableWriter> writer(const TableRef& table, const std::vector<ColumnDef>& columns,
                                      const WriteOptions& options);
  // In the open transaction: `staging` becomes `live`, replacing it.
  void replace_table(const TableRef& live, const TableRef& staging);
  // In the open transaction: appends every row of `from` to `into` (same
  // columns); `from` is dropped with the commit.
  void append_table(const TableRef& into, const TableRef& from, const std::vector<ColumnDef>& columns);

  // The stored rows of `table` whose `key_column` holds one of `keys`
  // (texts; an integer column compares them as numbers): for each, the key
  // as text and then each of `columns`, as text. Reads the latest committed
  // rows and this transaction's own (Dialect::current_read), so after a
  // keep_existing write it tells the rows this transaction stored (by a
  // column the write set, e.g. _sluice_sync_id) from those that were there
  // first, whichever transaction on whichever host stored them.
  SqlRows rows_by_key(const TableRef& table, const std::string& key_column, const std::vector<std::string>& keys,
                      const std::vector<std::string>& columns);

  // Run locks (sync/run_locks.hpp decides what to lock): the key of a
  // table's lock, the same for every process writing this database.
  std::string lock_key(const TableRef& table) const;
  bool try_lock(const std::string& key) { return connection_->try_lock(key); }
  void unlock(const std::string& key) { connection_->unlock(key); }

  SqlConnection& connection() { return *connection_; }
  // `table` as statements name it: quoted, with its schema (kept_rows.hpp).
  std::string qualified_name(const TableRef& table) const { return qualified(table); }

 private:
  std::string schema_of(const TableRef& table) const;
  std::string physical_name(const TableRef& table) const;
  std::string qualified(const TableRef& table) const;
  void exec(const Sql& sql) { connection_->execute(sql); }
  // After DDL inside a transaction where DDL commits implicitly: a new
  // transaction, so what follows is atomic again.
  void reopen_after_ddl();

  const Dialect& dialect_;
  std::unique_ptr<SqlConnection> connection_;
  std::unique_ptr<StateStore> store_;
  bool in_transaction_ = false;
  std::vector<TableRef> created_in_transaction_;  // dropped on rollback (non-transactional DDL)
  std::vector<TableRef> drop_after_commit_;
};

// Opens the target named by `url` (sqlite://PATH, postgresql://...,
// mysql://...; docs/targets.md). Registers a URL's password with the
// Redactor. Throws ConfigError for an unknown or malformed URL, TargetError
// (masked URL and the server's reason, one line) if the database cannot be
// opened.
std::unique_ptr<Target> open_target(const std::string& url);

// A failure of the target database itself (down, refused, disk full). The
// CLI maps it to exit code 1.
class TargetError : public HostError {
 public:
  explicit TargetError(const std::string& message) : HostError(Failure::target, message) {}
};

}  // namespace sluice::host
