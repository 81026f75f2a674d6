// Appends RowBatches to a MySQL/MariaDB table with LOAD DATA LOCAL INFILE
// streamed from memory on the session's own connection: the engine's bulk
// path (MySQL's COPY), inside the open transaction. Used when the server
// allows local_infile (MariaDB's default); upserts, and servers without it,
// use MysqlInsertWriter.
#pragma once

#include "host/target/mysql_connection.hpp"
#include "host/target/sql_connection.hpp"

#include <string>

namespace sluice::host {

class MysqlLoadWriter : public TableWriter {
 public:
  MysqlLoadWriter(MysqlConnection& connection, const WriteSpec& spec);
  void write(const RowBatch& batch) override;

 private:
  MysqlConnection& connection_;
  std::vector<ColumnDef> columns_;
  std::string load_sql_;
  std::string buffer_;  // reused: no allocation per batch once warm
};

}  // namespace sluice::host
