// Writes RowBatches into a PostgreSQL table with COPY (text format).
//
// Upserts first try the batch as a plain COPY into the table inside a
// savepoint: when no key is already there or repeated in the batch (new
// rows, the usual case for incremental reads) that is the whole job, at COPY
// speed. On a unique-key violation the savepoint is rolled back and the
// batch is COPYed into a temporary table and merged with one INSERT ... ON
// CONFLICT, keeping per key the row with the newest cursor (ties: the later
// one), as the SQLite target does row by row. After a batch that needed the
// merge, the next ones go straight to it, for a number of batches that
// doubles with each further conflict (up to 64), so update-heavy streams do
// not pay for a failed COPY every time. A keep_existing write (push
// ingestion) takes the same two paths with ON CONFLICT DO NOTHING.
#pragma once

#include "host/target/postgres_connection.hpp"
#include "host/target/sql_connection.hpp"

#include <string>

namespace sluice::host {

class PostgresCopyWriter : public TableWriter {
 public:
  PostgresCopyWriter(PostgresConnection& connection, WriteSpec spec);
  void write(const RowBatch& batch) override;

 private:
  // COPYs buffer_ into the table; false if a key was already taken.
  bool try_direct_copy();
  void merge();

  PostgresConnection& connection_;
  WriteSpec spec_;
  std::string copy_sql_;
  std::string merge_sql_;
  std::string buffer_;  // reused: no allocation per batch once warm
  int merges_to_skip_direct_ = 0;
  int backoff_ = 1;
};

}  // namespace sluice::host
