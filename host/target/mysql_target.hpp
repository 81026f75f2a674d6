// The MySQL/MariaDB target. A namespace is a database (default: the URL's);
// types are BIGINT, DOUBLE, BOOLEAN, DATETIME(6) in UTC, DATE, LONGTEXT and
// JSON, in utf8mb4 with a binary collation so text compares (and keys
// deduplicate) exactly as in SQLite and PostgreSQL. Rows go in on the
// session's own connection (Poco binds one row per round trip): appends with
// LOAD DATA LOCAL from memory where the server allows it, else multi-row
// INSERTs; upserts as INSERT ... ON DUPLICATE KEY UPDATE.
//
// DDL is not transactional in MySQL (each statement commits implicitly), so:
//  - a full refresh fills its staging table in one transaction and swaps it
//    in with one RENAME TABLE of both names, which is atomic;
//  - a table created inside a transaction is dropped again on rollback, so a
//    failed run leaves no staging table behind, as on the other engines.
#pragma once

#include "host/target/mysql_connection.hpp"
#include "host/target/target.hpp"

namespace sluice::host {

class MysqlTarget : public Target {
 public:
  explicit MysqlTarget(const TargetUrl& url);

  std::string display_url() const override { return masked_url_; }
  size_t max_identifier_bytes() const override { return 64; }
  // "": tables without a namespace go to the URL's database.
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
  void append_table(const TableRef& into, const TableRef& from, const std::vector<ColumnDef>& columns) override;

  std::vector<std::vector<std::optional<std::string>>> query(const std::string& sql,
                                                             std::vector<std::string>* column_names) override;

  static const char* sql_type(ColumnType type);

 private:
  std::string database_of(const TableRef& table) const;
  std::string physical_name(const TableRef& table) const;
  std::string qualified(const TableRef& table) const;
  std::string metadata_table(const char* name) const;

  std::string masked_url_;
  std::string database_;
  MysqlConnection connection_;
  bool in_transaction_ = false;
  std::vector<TableRef> created_in_transaction_;
};

}  // namespace sluice::host
