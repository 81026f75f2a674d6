#include "host/target/sqlite_table_writer.hpp"

#include "host/target/target.hpp"

#include <sluice/support/timestamp.hpp>
#include <sqlite3.h>

namespace sluice::host {

SqliteTableWriter::SqliteTableWriter(sqlite3* db, const WriteSpec& spec)
    : db_(db), width_(spec.columns.size()), timestamps_(spec.columns.size()) {
  std::string params;
  for (size_t i = 0; i < width_; ++i) params += i ? ", ?" : "?";
  std::string sql = spec.upsert ? spec.insert_head + " VALUES (" + params + ")" + spec.upsert_tail
                                : "INSERT INTO " + spec.table + " (" + spec.column_list + ") VALUES (" + params + ")";
  if (sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                         &statement_, nullptr) != SQLITE_OK) {
    throw TargetError("sqlite: cannot prepare insert into " + spec.table + ": " + sqlite3_errmsg(db_));
  }
}

SqliteTableWriter::~SqliteTableWriter() { sqlite3_finalize(statement_); }

void SqliteTableWriter::write(const RowBatch& batch) {
  if (batch.width != width_) throw TargetError("sqlite: row width does not match the table");
  for (size_t row = 0; row < batch.rows; ++row) {
    for (size_t column = 0; column < width_; ++column) {
      const Cell& cell = batch.at(row, column);
      int index = static_cast<int>(column) + 1;
      switch (cell.kind) {
        case Cell::Kind::null: sqlite3_bind_null(statement_, index); break;
        case Cell::Kind::integer: sqlite3_bind_int64(statement_, index, cell.integer); break;
        case Cell::Kind::real: sqlite3_bind_double(statement_, index, cell.real); break;
        case Cell::Kind::timestamp: {
          // The canonical UTC text (microseconds, Z): its text order is its
          // time order, so comparisons in SQL compare instants.
          TimestampText& last = timestamps_[column];
          if (last.text.empty() || last.micros != cell.integer) {
            last.text.clear();
            support::append_rfc3339(last.text, support::Timestamp{cell.integer}, 6);
            last.micros = cell.integer;
          }
          sqlite3_bind_text(statement_, index, last.text.data(), static_cast<int>(last.text.size()),
                            SQLITE_STATIC);
          break;
        }
        case Cell::Kind::text: {
          // SQLITE_STATIC: the arena outlives the step below.
          auto text = batch.text(cell);
          sqlite3_bind_text(statement_, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
          break;
        }
      }
    }
    int rc = sqlite3_step(statement_);
    sqlite3_reset(statement_);
    if (rc != SQLITE_DONE) throw TargetError(std::string("sqlite: insert failed: ") + sqlite3_errmsg(db_));
  }
}

}  // namespace sluice::host
