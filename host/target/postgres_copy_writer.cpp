#include "host/target/postgres_copy_writer.hpp"

#include "host/target/dialect.hpp"
#include "host/target/tsv_rows.hpp"

#include <algorithm>

namespace sluice::host {

namespace {

constexpr const char* kUpsertTable = "_sluice_upsert";
constexpr int kMaxBackoff = 64;

}  // namespace

PostgresCopyWriter::PostgresCopyWriter(PostgresConnection& connection, WriteSpec spec)
    : connection_(connection), spec_(std::move(spec)),
      copy_sql_("COPY " + spec_.table + " (" + spec_.column_list + ") FROM STDIN") {
  if (!spec_.upsert) return;
  // Shaped like this stream's table plus an arrival ordinal the server
  // numbers; private to the session, emptied after every merge.
  std::string definitions;
  for (const auto& column : spec_.columns) {
    definitions += ", " + PostgresConnection::quote(column.name) + " " + postgres_dialect().type(column);
  }
  connection_.exec(std::string("DROP TABLE IF EXISTS pg_temp.") + kUpsertTable);
  connection_.exec(std::string("CREATE TEMP TABLE ") + kUpsertTable +
                   " (_sluice_ordinal BIGINT GENERATED ALWAYS AS IDENTITY" + definitions + ")");
  std::string order = spec_.key_list;
  if (!spec_.cursor.empty()) order += ", " + spec_.cursor + " DESC NULLS LAST";
  // DISTINCT ON keeps one row per key (newest cursor, then latest arrival):
  // ON CONFLICT may not touch the same row twice in one statement.
  merge_sql_ = spec_.insert_head + " SELECT " + spec_.column_list + " FROM (SELECT DISTINCT ON (" + spec_.key_list +
               ") * FROM " + kUpsertTable + " ORDER BY " + order + ", _sluice_ordinal DESC) newest" +
               spec_.upsert_tail;
  // Keys stored already are skipped and the batch repeats none: no sort.
  if (spec_.keep_existing) {
    merge_sql_ = spec_.insert_head + " SELECT " + spec_.column_list + " FROM " + kUpsertTable + spec_.upsert_tail;
  }
}

void PostgresCopyWriter::write(const RowBatch& batch) {
  if (batch.rows == 0) return;
  buffer_.clear();
  append_tsv_rows(buffer_, batch, spec_.columns, kPostgresTsv);
  if (!spec_.upsert) {
    connection_.copy_in(copy_sql_, buffer_);
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
  bool done = connection_.copy_in(copy_sql_, buffer_, true);
  if (!done) connection_.exec("ROLLBACK TO SAVEPOINT sluice_batch");
  connection_.exec("RELEASE SAVEPOINT sluice_batch");
  return done;
}

void PostgresCopyWriter::merge() {
  connection_.copy_in(std::string("COPY ") + kUpsertTable + " (" + spec_.column_list + ") FROM STDIN", buffer_);
  connection_.exec(merge_sql_);
  // TRUNCATE, not DELETE: temporary tables are never vacuumed, so deleted
  // rows would pile up and every merge would scan them again.
  connection_.exec(std::string("TRUNCATE ") + kUpsertTable);
}

}  // namespace sluice::host
