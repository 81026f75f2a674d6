// The SQLite target (the embedded default). Poco::Data owns the connection
// and runs DDL and metadata statements; the hot insert path binds rows on the
// session's own sqlite3 handle with one prepared statement per stream,
// because Poco 1.11's SQLite connector re-prepares on every execute()
// (shared/reference/limits.md, finding 1).
//
// Namespaces: SQLite has one schema per file, so a table in namespace NS is
// stored as "NS__table" in the same file; the state and the rows it covers
// then always share one file and one transaction (attached databases are not
// atomic across files in WAL mode). See docs/targets.md.
#pragma once

#include "host/target/target.hpp"

#include <Poco/Data/Session.h>

#include <memory>
#include <string>

struct sqlite3;

namespace sluice::host {

class SqliteTarget : public Target {
 public:
  // path: a file name (created if missing) or ":memory:".
  SqliteTarget(std::string url, const std::string& path);

  std::string display_url() const override { return url_; }
  size_t max_identifier_bytes() const override { return 128; }
  std::string default_namespace() const override { return ""; }

  void ensure_metadata() override;
  std::vector<StateRecord> states() override;
  size_t reset_states(const std::optional<TableRef>& table) override;
  void save_sync(const SyncRecord& record) override;
  std::vector<SyncRecord> recent_syncs(size_t limit) override;
  size_t close_abandoned_syncs(const std::string& connection) override;

  std::optional<std::vector<ColumnDef>> table_columns(const TableRef& table) override;
  void create_table(const TableRef& table, const std::vector<ColumnDef>& columns) override;
  void add_column(const TableRef& table, const ColumnDef& column) override;
  void drop_table(const TableRef& table) override;
  void ensure_unique_key(const TableRef& table, const std::vector<std::string>& key_columns) override;

  void begin() override;
  void commit() override;
  void rollback() override;

  std::unique_ptr<TableWriter> writer(const TableRef& table, const std::vector<ColumnDef>& columns,
                                      const WriteOptions& options) override;
  void save_state(const StateRecord& state) override;
  void replace_table(const TableRef& live, const TableRef& staging) override;
  void append_table(const TableRef& into, const TableRef& from,
                    const std::vector<ColumnDef>& columns) override;

  std::vector<std::vector<std::optional<std::string>>> query(
      const std::string& sql, std::vector<std::string>* column_names) override;

  // "ns__name" quoted: the physical table of a logical one.
  static std::string quoted_table(const TableRef& table);
  static std::string quote(const std::string& identifier);
  static std::string physical_name(const TableRef& table);

 private:
  void exec(const std::string& sql);

  std::string url_;
  std::unique_ptr<Poco::Data::Session> session_;
  sqlite3* db_ = nullptr;  // owned by session_
  bool in_transaction_ = false;
};

}  // namespace sluice::host
