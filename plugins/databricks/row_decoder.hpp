// Decodes JSON_ARRAY result rows (every cell the string form of its value,
// or null; typed by the manifest's schema) straight into record text for
// ReadContext::emit_serialized: one parse of the chunk, no DOM per record.
// Exact: integers (BIGINT included) as written, DECIMAL as decimal strings
// with every digit (never a double; an exponent written out), TIMESTAMP as
// the UTC instant and TIMESTAMP_NTZ as the civil time, both with their
// microseconds, DATE checked, BINARY as base64, ARRAY / MAP / STRUCT /
// VARIANT as JSON, INTERVAL as text.
// https://docs.databricks.com/api/workspace/statementexecution (format JSON_ARRAY)
// https://docs.databricks.com/aws/en/dev-tools/sql-execution-tutorial
#pragma once

#include "column_type.hpp"

#include "sql_common/row_stream.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace databricks {

using DecodedRows = sql_common::DecodedRows;

// The JSON_ARRAY rules as sql_common's row decoders use them
// (row_stream.hpp). Holds `columns` by reference.
class RowFormat final : public sql_common::RowFormat {
 public:
  explicit RowFormat(const std::vector<Column>& columns, sql_common::RowShape shape = sql_common::RowShape::record);
  void append_cell(std::string& out, std::optional<std::string_view> cell, size_t column) const override;
  [[noreturn]] void refuse_cell(size_t column, std::string_view json) const override;
  [[noreturn]] void refuse_row() const override;

 private:
  const std::vector<Column>& columns_;
};

// Every row of `data` ([[cell, ...], ...]) as a record keyed by the column
// names. Throws sluice::Error(source) when a row does not have the columns'
// shape or a cell is not what its type says.
// RowShape::array: each row as the array of its values (query in place).
void decode_rows(const json::array& data, const std::vector<Column>& columns, DecodedRows& out,
                 sql_common::RowShape shape = sql_common::RowShape::record);

// A chunk as downloaded from an external link (a JSON array of rows),
// decoded as above while it is parsed (no DOM of the chunk: a chunk of
// 100,000 rows is ~10 MB of text), with its last row as sent (for the
// checkpoint). Same records and refusals as decode_rows: the fuzz target
// databricks_rows checks the two agree. Throws sluice::Error(source) naming
// `what`: "WHAT: the answer is not a JSON array of rows", "... not one JSON
// document (...)", or decode_rows's refusals.
sql_common::RowBatch decode_chunk(std::string_view body, const std::vector<Column>& columns, const std::string& what,
                                  sql_common::RowShape shape = sql_common::RowShape::record);

// Appends one cell's JSON value text: the string `cell`, or null (nullopt).
// Throws sluice::Error(source) when the text is not what the column's type says.
void append_cell_value(std::string& out, std::optional<std::string_view> cell, const Column& column);

// The refusals: a row without its schema's cells; a cell (its text, or its
// JSON when not a string) that is not what its column's type says.
[[noreturn]] void row_shape_error(size_t columns);
[[noreturn]] void bad_cell(const Column& column, std::string_view cell);

// One cell as the JSON value text the record holds (null for null).
std::string decode_cell(const json::value& cell, const Column& column);

// The value of a cell as sent (nullopt: null) as a checkpoint saves it and a
// parameter binds it: the decoded text, a string's content unquoted;
// nullopt for null.
std::optional<std::string> cell_text(std::optional<std::string_view> cell, const Column& column);

}  // namespace databricks
