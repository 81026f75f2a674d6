// The target interface: everything the sync engine needs from a database.
// One implementation per engine (SQLite, PostgreSQL, MySQL/MariaDB); dialect
// details (quoting, types, upsert, table swap, namespaces) stay inside each
// implementation.
//
// Transactions: begin()/commit()/rollback() bracket the writes of a stream.
// Rows written through a TableWriter, save_state(), replace_table() and
// append_table() all happen inside the open transaction, so the rows and the
// state that covers them become visible together or not at all.
//
// Threading: a Target is used by one thread at a time (the engine hands it
// from the main thread to its writer thread and back, never concurrently).
#pragma once

#include "host/common/host_error.hpp"
#include "host/target/column.hpp"
#include "host/target/row_batch.hpp"

#include <map>
#include <memory>
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

struct WriteOptions {
  bool upsert = false;                   // incremental_append_dedup
  std::vector<std::string> key_columns;  // upsert key (normalised names)
  std::string cursor_column;             // newest cursor wins; "" = last write wins
};

class TableWriter {
 public:
  virtual ~TableWriter() = default;
  // Writes every row of the batch inside the open transaction.
  virtual void write(const RowBatch& batch) = 0;
};

class Target {
 public:
  virtual ~Target() = default;

  // The URL with any password masked, for messages.
  virtual std::string display_url() const = 0;
  // Longest identifier the engine accepts, in bytes.
  virtual size_t max_identifier_bytes() const = 0;
  // The namespace the "destination" rule maps to ("" when none).
  virtual std::string default_namespace() const = 0;

  // Creates _sluice_state and _sluice_syncs if missing.
  virtual void ensure_metadata() = 0;
  virtual std::vector<StateRecord> states() = 0;
  // Deletes the state of one table, or of every table when nullopt.
  virtual size_t reset_states(const std::optional<TableRef>& table) = 0;
  virtual void save_sync(const SyncRecord& record) = 0;  // insert or update, own transaction
  virtual std::vector<SyncRecord> recent_syncs(size_t limit) = 0;
  // Marks syncs of `connection` still "running" (their process died) as
  // "interrupted". Returns how many.
  virtual size_t close_abandoned_syncs(const std::string& connection) = 0;

  // Existing columns of a table in order, or nullopt if it does not exist.
  virtual std::optional<std::vector<ColumnDef>> table_columns(const TableRef& table) = 0;
  virtual void create_table(const TableRef& table, const std::vector<ColumnDef>& columns) = 0;
  virtual void add_column(const TableRef& table, const ColumnDef& column) = 0;
  virtual void drop_table(const TableRef& table) = 0;
  // A unique index on key_columns, needed by upserts. Throws if existing
  // rows violate it.
  virtual void ensure_unique_key(const TableRef& table, const std::vector<std::string>& key_columns) = 0;

  virtual void begin() = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;  // no-op when no transaction is open

  virtual std::unique_ptr<TableWriter> writer(const TableRef& table,
                                              const std::vector<ColumnDef>& columns,
                                              const WriteOptions& options) = 0;
  // In the open transaction: upserts the state row of `table`.
  virtual void save_state(const StateRecord& state) = 0;
  // In the open transaction: `staging` becomes `live`, replacing it.
  virtual void replace_table(const TableRef& live, const TableRef& staging) = 0;
  // In the open transaction: appends every row of `from` to `into` (same
  // columns) and drops `from`.
  virtual void append_table(const TableRef& into, const TableRef& from,
                            const std::vector<ColumnDef>& columns) = 0;

  // Runs a read-only query and returns rows as text (NULL as nullopt); for
  // `sluice query` and tests.
  virtual std::vector<std::vector<std::optional<std::string>>> query(const std::string& sql,
                                                                     std::vector<std::string>* column_names) = 0;
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
