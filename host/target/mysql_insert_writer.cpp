#include "host/target/mysql_insert_writer.hpp"

#include "host/target/number_text.hpp"
#include "host/target/sql_datetime.hpp"

namespace sluice::host {

namespace {

constexpr size_t kStatementBytes = 4 << 20;

}  // namespace

MysqlInsertWriter::MysqlInsertWriter(MysqlConnection& connection, const WriteSpec& spec)
    : connection_(connection), columns_(spec.columns),
      prefix_((spec.upsert ? spec.insert_head : "INSERT INTO " + spec.table + " (" + spec.column_list + ")") +
              " VALUES "),
      suffix_(spec.upsert_tail) {}

void MysqlInsertWriter::append_row(const RowBatch& batch, size_t row) {
  statement_ += rows_in_statement_ ? ",(" : "(";
  for (size_t column = 0; column < columns_.size(); ++column) {
    if (column) statement_ += ',';
    const Cell& cell = batch.at(row, column);
    switch (cell.kind) {
      case Cell::Kind::null: statement_ += "NULL"; break;
      case Cell::Kind::integer: append_number(statement_, cell.integer); break;
      case Cell::Kind::real: append_number(statement_, cell.real); break;
      case Cell::Kind::timestamp:
        // DATETIME has no zone: the instant goes in as UTC.
        statement_ += '\'';
        append_sql_datetime(statement_, support::Timestamp{cell.integer});
        statement_ += '\'';
        break;
      case Cell::Kind::text: connection_.append_literal(statement_, batch.text(cell)); break;
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
