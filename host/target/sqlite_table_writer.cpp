#include "host/target/sqlite_table_writer.hpp"

#include "host/target/sqlite_target.hpp"

#include <sqlite3.h>

namespace sluice::host {

std::string sqlite_insert_sql(const std::string& quoted_table, const std::vector<ColumnDef>& columns,
                              const WriteOptions& options) {
  std::string names, params, updates;
  for (size_t i = 0; i < columns.size(); ++i) {
    std::string column = SqliteTarget::quote(columns[i].name);
    names += (i ? ", " : "") + column;
    params += i ? ", ?" : "?";
    updates += (i ? ", " : "") + column + " = excluded." + column;
  }
  std::string sql = "INSERT INTO " + quoted_table + " (" + names + ") VALUES (" + params + ")";
  if (!options.upsert) return sql;
  std::string key;
  for (size_t i = 0; i < options.key_columns.size(); ++i) {
    key += (i ? ", " : "") + SqliteTarget::quote(options.key_columns[i]);
  }
  sql += " ON CONFLICT (" + key + ") DO UPDATE SET " + updates;
  if (!options.cursor_column.empty()) {
    // Newest cursor wins: an older record arriving late never overwrites a
    // newer one; a NULL cursor never beats a known one.
    std::string cursor = SqliteTarget::quote(options.cursor_column);
    sql += " WHERE " + quoted_table + "." + cursor + " IS NULL OR (excluded." + cursor +
           " IS NOT NULL AND excluded." + cursor + " >= " + quoted_table + "." + cursor + ")";
  }
  return sql;
}

SqliteTableWriter::SqliteTableWriter(sqlite3* db, const std::string& quoted_table,
                                     const std::vector<ColumnDef>& columns, const WriteOptions& options)
    : db_(db), width_(columns.size()) {
  std::string sql = sqlite_insert_sql(quoted_table, columns, options);
  if (sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                         &statement_, nullptr) != SQLITE_OK) {
    throw TargetError("sqlite: cannot prepare insert into " + quoted_table + ": " + sqlite3_errmsg(db_));
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
