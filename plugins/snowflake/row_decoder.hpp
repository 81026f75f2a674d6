// Decodes result rows of the SQL API's jsonv2 format (every cell a string or
// null, encoded by its rowType) straight into record text for
// ReadContext::emit_serialized: one parse of the partition, no DOM per record.
// Exact: FIXED as written (integers, or decimal strings: never a double),
// DATE from days since the epoch, TIME and TIMESTAMP_* from epoch seconds with
// every fractional digit Snowflake sent (nanoseconds), TIMESTAMP_NTZ never
// shifted, TIMESTAMP_TZ at its own offset, BINARY from hex to base64,
// VARIANT / OBJECT / ARRAY / GEOGRAPHY (GeoJSON) as JSON.
// https://docs.snowflake.com/en/developer-guide/sql-api/handling-responses (data types in the result)
#pragma once

#include "column_type.hpp"

#include "sql_common/row_stream.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace snowflake {

using DecodedRows = sql_common::DecodedRows;

// The jsonv2 rules as sql_common's row decoders use them (row_stream.hpp).
// Holds `columns` by reference.
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

// Appends one cell's JSON value text: the decoded string `cell`, or null
// (nullopt). Throws sluice::Error(source) when the text is not what the
// column's type says. (partition_decoder.hpp decodes with it too.)
void append_cell_value(std::string& out, std::optional<std::string_view> cell, const Column& column);

// Each column's record key, as written before its value: "NAME":
std::vector<std::string> record_keys(const std::vector<Column>& columns);

// The refusals: a row without its rowType's cells; a cell (its text, or
// its JSON when not a string) that is not what its column's type says.
[[noreturn]] void row_shape_error(size_t columns);
[[noreturn]] void bad_cell(const Column& column, std::string_view cell);

// One cell as the JSON value text the record holds (null for null).
std::string decode_cell(const json::value& cell, const Column& column);

// The value of a cell as sent (nullopt: null) as text, as a checkpoint saves
// it: a string's content unquoted, other values as their JSON text; nullopt
// for null.
std::optional<std::string> cell_text(std::optional<std::string_view> cell, const Column& column);

// Days since 1970-01-01 as YYYY-MM-DD (proleptic Gregorian).
std::string civil_date(int64_t days);

}  // namespace snowflake
