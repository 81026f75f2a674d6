// values.batchGet answers (one ValueRange, majorDimension ROWS,
// UNFORMATTED_VALUE, SERIAL_NUMBER) to records: one JSON object per
// non-empty row, each column converted by its type (column_type.hpp).
// https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets.values/batchGet
// https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets.values#ValueRange
// Trailing empty cells of a row and trailing empty rows are omitted by the
// API, an empty row inside is [], an empty cell before a value is "": every
// one of them is null here; a row with no value at all is no record.
#pragma once

#include "column_type.hpp"

#include <boost/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace gsheets {

struct Column {
  std::string name;
  ColumnType type = ColumnType::string;
};

struct DecodedRows {
  std::string text;              // the records, back to back
  std::vector<size_t> ends;      // record i is text[ends[i-1] .. ends[i])
  std::vector<int64_t> row_numbers;  // record i's 1-based sheet row
  std::vector<boost::json::value> cursors;  // record i's cursor cell as emitted (with a cursor column)
  size_t range_rows = 0;         // rows the answer held, empty ones included

  std::string_view record(size_t i) const {
    const size_t begin = i == 0 ? 0 : ends[i - 1];
    return std::string_view(text).substr(begin, ends[i] - begin);
  }
  void clear() { text.clear(); ends.clear(); row_numbers.clear(); cursors.clear(); range_rows = 0; }
};

// Appends the records of `body`, whose first row is sheet row `first_row`.
// Cell i of a row is columns[i]; cells past the columns are not asked for
// and ignored. `cursor_column` (-1: none) also fills `cursors`. A body that
// is not one ValueRange of rows of scalars, or holds more than `max_rows`
// rows, throws sluice::Error(source) naming `what`, and appends nothing.
void decode_value_range(std::string_view body, const std::vector<Column>& columns, int cursor_column,
                        int64_t first_row, size_t max_rows, const std::string& what, DecodedRows& out);

// One cell of a column, as the JSON text decode_value_range writes for it.
void append_cell(std::string& out, const boost::json::value& cell, ColumnType type);

}  // namespace gsheets
