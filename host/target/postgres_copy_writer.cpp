#include "host/target/postgres_copy_writer.hpp"

#include "host/target/postgres_target.hpp"

#include <charconv>

namespace sluice::host {

namespace {

constexpr const char* kUpsertTable = "_sluice_upsert";

// COPY text format: backslash escapes for the four characters that would
// end a field or a row.
void append_escaped(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: out += c;
    }
  }
}

template <typename T>
void append_number(std::string& out, T value) {
  char text[40];
  auto result = std::to_chars(text, text + sizeof text, value);
  out.append(text, result.ptr);
}

}  // namespace

PostgresCopyWriter::PostgresCopyWriter(PostgresConnection& connection, std::string qualified_table,
                                       std::vector<ColumnDef> columns, WriteOptions options)
    : connection_(connection), table_(std::move(qualified_table)), columns_(std::move(columns)),
      options_(std::move(options)) {
  std::string definitions;
  for (size_t i = 0; i < columns_.size(); ++i) {
    column_list_ += (i ? ", " : "") + PostgresConnection::quote(columns_[i].name);
    definitions += ", " + PostgresConnection::quote(columns_[i].name) + " " + PostgresTarget::sql_type(columns_[i].type);
  }
  if (options_.upsert) {
    // Shaped like this stream's table plus an arrival ordinal; private to
    // the session, emptied after every merge.
    connection_.exec(std::string("DROP TABLE IF EXISTS pg_temp.") + kUpsertTable);
    connection_.exec(std::string("CREATE TEMP TABLE ") + kUpsertTable + " (_sluice_ordinal BIGINT" + definitions + ")");
  }
}

void PostgresCopyWriter::encode(const RowBatch& batch, bool with_ordinal) {
  buffer_.clear();
  for (size_t row = 0; row < batch.rows; ++row) {
    if (with_ordinal) {
      append_number(buffer_, ++ordinal_);
      buffer_ += '\t';
    }
    for (size_t column = 0; column < columns_.size(); ++column) {
      if (column) buffer_ += '\t';
      const Cell& cell = batch.at(row, column);
      switch (cell.kind) {
        case Cell::Kind::null: buffer_ += "\\N"; break;
        case Cell::Kind::integer:
          if (columns_[column].type == ColumnType::boolean) buffer_ += cell.integer ? 't' : 'f';
          else append_number(buffer_, cell.integer);
          break;
        case Cell::Kind::real: append_number(buffer_, cell.real); break;
        case Cell::Kind::text: append_escaped(buffer_, batch.text(cell)); break;
      }
    }
    buffer_ += '\n';
  }
}

void PostgresCopyWriter::write(const RowBatch& batch) {
  if (batch.rows == 0) return;
  if (!options_.upsert) {
    encode(batch, false);
    connection_.copy_in("COPY " + table_ + " (" + column_list_ + ") FROM STDIN", buffer_);
    return;
  }
  encode(batch, true);
  connection_.copy_in(std::string("COPY ") + kUpsertTable + " (_sluice_ordinal, " + column_list_ + ") FROM STDIN",
                      buffer_);

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
  connection_.exec("INSERT INTO " + table_ + " AS t (" + column_list_ + ") SELECT " + column_list_ +
                   " FROM (SELECT DISTINCT ON (" + key + ") * FROM " + kUpsertTable + " ORDER BY " + order +
                   ", _sluice_ordinal DESC) newest ON CONFLICT (" + key + ") DO UPDATE SET " + updates + where);
  connection_.exec(std::string("TRUNCATE ") + kUpsertTable);
}

}  // namespace sluice::host
