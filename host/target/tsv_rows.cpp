#include "host/target/tsv_rows.hpp"

#include "host/target/number_text.hpp"
#include "host/target/sql_datetime.hpp"

namespace sluice::host {

namespace {

// The characters that would end a field or a line, and the escape itself.
void append_escaped(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\0': out += "\\0"; break;
      default: out += c;
    }
  }
}

}  // namespace

void append_tsv_rows(std::string& out, const RowBatch& batch, const std::vector<ColumnDef>& columns,
                     const TsvDialect& dialect) {
  for (size_t row = 0; row < batch.rows; ++row) {
    for (size_t column = 0; column < columns.size(); ++column) {
      if (column) out += '\t';
      const Cell& cell = batch.at(row, column);
      switch (cell.kind) {
        case Cell::Kind::null: out += "\\N"; break;
        case Cell::Kind::integer:
          if (columns[column].type == ColumnType::boolean) out += cell.integer ? dialect.true_text : dialect.false_text;
          else append_number(out, cell.integer);
          break;
        case Cell::Kind::real: append_number(out, cell.real); break;
        case Cell::Kind::timestamp:
          append_sql_datetime(out, support::Timestamp{cell.integer});
          out += dialect.timestamp_zone;
          break;
        case Cell::Kind::text: append_escaped(out, batch.text(cell)); break;
      }
    }
    out += '\n';
  }
}

}  // namespace sluice::host
