#include "host/target/postgres_copy_writer.hpp"

#include "host/target/postgres_target.hpp"
#include "host/target/tsv_rows.hpp"

#include <algorithm>

namespace sluice::host {

namespace {

constexpr const char* kUpsertTable = "_sluice_upsert";
constexpr int kMaxBackoff = 64;

}  // namespace

PostgresCopyWriter::PostgresCopyWriter(PostgresConnection& connection, std::string qualified_table,
                                       std::vector<ColumnDef> columns, WriteOptions options)
    : connection_(connection), table_(std::move(qualified_table)), columns_(std::move(columns)),
      options_(std::move(options)) {
  std::string definitions;
  for (size_t i = 0; i < columns_.size(); ++i) {
    column_list_ += (i ? ", " : "") + PostgresConnection::quote(columns_[i].name);
    definitions += ", " + PostgresConnection::quote(columns_[i].name) + " " + PostgresTarget::sql_type(columns_[i]);
  }
  if (!options_.upsert) return;
  // Shaped like this stream's table plus an arrival ordinal the server
  // numbers; private to the session, emptied after every merge.
  connection_.exec(std::string("DROP TABLE IF EXISTS pg_temp.") + kUpsertTable);
  connection_.exec(std::string("CREATE TEMP TABLE ") + kUpsertTable +
                   " (_sluice_ordinal BIGINT GENERATED ALWAYS AS IDENTITY" + definitions + ")");

  std::string key, updates;
  for (size_t i = 0; i < options_.key_columns.size(); ++i) {
    key += (i ? ", " : "") + PostgresConnection::quote(options_.key_columns[i]);
  }
  for (size_t i = 0; i < columns_.size(); ++i) {
    std::string column = PostgresConnection::quote(columns_[i].name);
    updates += (i ? ", " : "") + column + " = excluded." + column;
  }
  std::string order = key;
  std::string where;
  if (!options_.cursor_column.empty()) {
    std::string cursor = PostgresConnection::quote(options_.cursor_column);
    order += ", " + cursor + " DESC NULLS LAST";
    where = " WHERE t." + cursor + " IS NULL OR (excluded." + cursor + " IS NOT NULL AND excluded." + cursor +
            " >= t." + cursor + ")";
  }
  // DISTINCT ON keeps one row per key (newest cursor, then latest arrival):
  // ON CONFLICT may not touch the same row twice in one statement.
  merge_sql_ = "INSERT INTO " + table_ + " AS t (" + column_list_ + ") SELECT " + column_list_ +
               " FROM (SELECT DISTINCT ON (" + key + ") * FROM " + kUpsertTable + " ORDER BY " + order +
               ", _sluice_ordinal DESC) newest ON CONFLICT (" + key + ") DO UPDATE SET " + updates + where;
}

void PostgresCopyWriter::write(const RowBatch& batch) {
  if (batch.rows == 0) return;
  buffer_.clear();
  append_tsv_rows(buffer_, batch, columns_, kPostgresTsv);
  if (!options_.upsert) {
    connection_.copy_in("COPY " + table_ + " (" + column_list_ + ") FROM STDIN", buffer_);
    return;
  }
  if (merges_to_skip_direct_ > 0) {
    --merges_to_skip_direct_;
  } else if (try_direct_copy()) {
    backoff_ = 1;
    return;
  } else {
    merges_to_skip_direct_ = backoff_;
    backoff_ = std::min(backoff_ * 2, kMaxBackoff);
  }
  merge();
}

bool PostgresCopyWriter::try_direct_copy() {
  connection_.exec("SAVEPOINT sluice_batch");
  bool done = connection_.copy_in("COPY " + table_ + " (" + column_list_ + ") FROM STDIN", buffer_, true);
  if (!done) connection_.exec("ROLLBACK TO SAVEPOINT sluice_batch");
  connection_.exec("RELEASE SAVEPOINT sluice_batch");
  return done;
}

void PostgresCopyWriter::merge() {
  connection_.copy_in(std::string("COPY ") + kUpsertTable + " (" + column_list_ + ") FROM STDIN", buffer_);
  connection_.exec(merge_sql_);
  // TRUNCATE, not DELETE: temporary tables are never vacuumed, so deleted
  // rows would pile up and every merge would scan them again.
  connection_.exec(std::string("TRUNCATE ") + kUpsertTable);
}

}  // namespace sluice::host
