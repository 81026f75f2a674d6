#include "host/target/mysql_insert_writer.hpp"

#include "host/target/number_text.hpp"
#include "host/target/sql_datetime.hpp"

namespace sluice::host {

namespace {

constexpr size_t kStatementBytes = 4 << 20;

}  // namespace

MysqlInsertWriter::MysqlInsertWriter(MysqlConnection& connection, const std::string& qualified_table,
                                     std::vector<ColumnDef> columns, const WriteOptions& options)
    : connection_(connection), columns_(std::move(columns)) {
  std::string names;
  for (size_t i = 0; i < columns_.size(); ++i) names += (i ? ", " : "") + MysqlConnection::quote(columns_[i].name);
  prefix_ = "INSERT INTO " + qualified_table + " (" + names + ") VALUES ";
  if (!options.upsert) return;
  // Assignments run left to right and later ones see earlier results, so
  // the cursor column is assigned last: every condition reads the old one.
  std::string condition = "TRUE";
  std::string cursor;
  if (!options.cursor_column.empty()) {
    cursor = MysqlConnection::quote(options.cursor_column);
    condition = "(" + cursor + " IS NULL OR (VALUES(" + cursor + ") IS NOT NULL AND VALUES(" + cursor + ") >= " +
                cursor + "))";
  }
  std::string updates;
  for (const auto& column : columns_) {
    std::string name = MysqlConnection::quote(column.name);
    if (name == cursor) continue;
    updates += (updates.empty() ? "" : ", ") + name + " = IF(" + condition + ", VALUES(" + name + "), " + name + ")";
  }
  if (!cursor.empty()) updates += ", " + cursor + " = IF(" + condition + ", VALUES(" + cursor + "), " + cursor + ")";
  suffix_ = " ON DUPLICATE KEY UPDATE " + updates;
}

void MysqlInsertWriter::append_row(const RowBatch& batch, size_t row) {
  statement_ += rows_in_statement_ ? ",(" : "(";
  for (size_t column = 0; column < columns_.size(); ++column) {
    if (column) statement_ += ',';
    const Cell& cell = batch.at(row, column);
    switch (cell.kind) {
      case Cell::Kind::null: statement_ += "NULL"; break;
      case Cell::Kind::integer: append_number(statement_, cell.integer); break;
      case Cell::Kind::real: append_number(statement_, cell.real); break;
      case Cell::Kind::text: {
        auto text = batch.text(cell);
        if (columns_[column].type == ColumnType::timestamp) {
          // DATETIME has no zone: the instant goes in as UTC.
          auto time = support::parse_rfc3339(text);
          if (!time) throw TargetError("mysql: not an ISO-8601 timestamp in column " + columns_[column].name);
          statement_ += '\'';
          append_sql_datetime(statement_, *time);
          statement_ += '\'';
        } else {
          connection_.append_literal(statement_, text);
        }
        break;
      }
    }
  }
  statement_ += ')';
  ++rows_in_statement_;
}

void MysqlInsertWriter::flush() {
  if (rows_in_statement_ == 0) return;
  statement_ += suffix_;
  connection_.exec(statement_, nullptr, false);  // the text is data: never in a message
  statement_.clear();
  rows_in_statement_ = 0;
}

void MysqlInsertWriter::write(const RowBatch& batch) {
  for (size_t row = 0; row < batch.rows; ++row) {
    if (rows_in_statement_ == 0) statement_ = prefix_;
    append_row(batch, row);
    if (statement_.size() >= kStatementBytes) flush();
  }
  flush();
}

}  // namespace sluice::host
