// Writes RowBatches into a PostgreSQL table with COPY (text format). For
// upserts the batch is COPYed into a temporary table and merged with one
// INSERT ... ON CONFLICT, keeping per key the row with the newest cursor
// (ties: the later one), as the SQLite target does row by row.
#pragma once

#include "host/target/postgres_connection.hpp"
#include "host/target/target.hpp"

#include <string>

namespace sluice::host {

class PostgresCopyWriter : public TableWriter {
 public:
  PostgresCopyWriter(PostgresConnection& connection, std::string qualified_table, std::vector<ColumnDef> columns,
                     WriteOptions options);
  void write(const RowBatch& batch) override;

 private:
  void encode(const RowBatch& batch, bool with_ordinal);

  PostgresConnection& connection_;
  std::string table_;
  std::vector<ColumnDef> columns_;
  WriteOptions options_;
  std::string column_list_;
  std::string buffer_;  // reused: no allocation per batch once warm
  uint64_t ordinal_ = 0;
};

}  // namespace sluice::host
