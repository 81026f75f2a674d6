// Writes RowBatches into one SQLite table with a single prepared INSERT (or
// upsert) reused for every row of the stream.
#pragma once

#include "host/target/target.hpp"

#include <string>

struct sqlite3;
struct sqlite3_stmt;

namespace sluice::host {

class SqliteTableWriter : public TableWriter {
 public:
  SqliteTableWriter(sqlite3* db, const std::string& quoted_table, const std::vector<ColumnDef>& columns,
                    const WriteOptions& options);
  ~SqliteTableWriter() override;
  SqliteTableWriter(const SqliteTableWriter&) = delete;
  SqliteTableWriter& operator=(const SqliteTableWriter&) = delete;

  void write(const RowBatch& batch) override;

 private:
  sqlite3* db_;
  sqlite3_stmt* statement_ = nullptr;
  size_t width_;
};

// The INSERT or upsert statement text, exposed for tests.
std::string sqlite_insert_sql(const std::string& quoted_table, const std::vector<ColumnDef>& columns,
                              const WriteOptions& options);

}  // namespace sluice::host
