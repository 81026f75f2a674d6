// Writes RowBatches into one SQLite table with a single prepared INSERT (or
// upsert) reused for every row of the stream.
#pragma once

#include "host/target/sql_connection.hpp"

#include <cstdint>
#include <string>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace sluice::host {

class SqliteTableWriter : public TableWriter {
 public:
  SqliteTableWriter(sqlite3* db, const WriteSpec& spec);
  ~SqliteTableWriter() override;
  SqliteTableWriter(const SqliteTableWriter&) = delete;
  SqliteTableWriter& operator=(const SqliteTableWriter&) = delete;

  void write(const RowBatch& batch) override;

 private:
  sqlite3* db_;
  sqlite3_stmt* statement_ = nullptr;
  size_t width_;
  // Per column: the last timestamp written and its text, alive until the
  // row's step. Reused while the instant repeats (the extraction time is the
  // same for a whole batch).
  struct TimestampText {
    int64_t micros = 0;
    std::string text;
  };
  std::vector<TimestampText> timestamps_;
};

}  // namespace sluice::host
