// Writes RowBatches into a MySQL/MariaDB table as multi-row INSERTs of up to
// ~4 MiB each (well under the 16 MiB default max_allowed_packet). Upserts
// add ON DUPLICATE KEY UPDATE, applied row by row in order by the server,
// so the newest cursor wins (ties: the later row) exactly as in SQLite.
#pragma once

#include "host/target/mysql_connection.hpp"
#include "host/target/sql_connection.hpp"

#include <string>

namespace sluice::host {

class MysqlInsertWriter : public TableWriter {
 public:
  MysqlInsertWriter(MysqlConnection& connection, const WriteSpec& spec);
  void write(const RowBatch& batch) override;

 private:
  void append_row(const RowBatch& batch, size_t row);
  void flush();

  MysqlConnection& connection_;
  std::vector<ColumnDef> columns_;
  std::string prefix_;  // INSERT INTO t (...) VALUES
  std::string suffix_;  // ON DUPLICATE KEY UPDATE ..., or ""
  std::string statement_;  // reused: no allocation per batch once warm
  size_t rows_in_statement_ = 0;
};

}  // namespace sluice::host
