// Result rows sent as JSON arrays of cells, each the text of its value or
// null ([["1", "x", null], ...]: Snowflake's jsonv2 partitions, Databricks'
// JSON_ARRAY chunks), decoded into record text for
// ReadContext::emit_serialized (RowShape::record: {"NAME":value,...}), or
// into row text for QueryContext::row_serialized (RowShape::array:
// [value,...]), with the connector's cell rules (RowFormat): one value rule
// for sync and query. Two decoders, same records and refusals on the same rows:
//  - decode_row_array: rows already parsed (an answer that also holds a
//    manifest or status, parsed whole anyway);
//  - decode_rows_text: rows decoded while the body is parsed, no DOM of it (a
//    chunk of 100,000 rows is ~10 MB of text whose DOM took ~17 MB more
//    while it was decoded; with several chunks decoding at once that was most
//    of a sync's heap). The fuzz targets snowflake_rows and databricks_rows
//    check the two agree.
#pragma once

#include <boost/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sql_common {

// Records back to back in `text`; record i ends at ends[i].
struct DecodedRows {
  std::string text;
  std::vector<size_t> ends;
  size_t size() const { return ends.size(); }
  std::string_view record(size_t i) const {
    const size_t begin = i == 0 ? 0 : ends[i - 1];
    return std::string_view(text).substr(begin, ends[i] - begin);
  }
};

// A row's cells as sent: their text, nullopt for null.
using SentRow = std::vector<std::optional<std::string>>;

// A chunk (partition) decoded: its records and its last row as sent (empty
// without rows), which a checkpoint is taken from.
struct RowBatch {
  DecodedRows rows;
  SentRow last;
};

// A decoded row: a record keyed by column names (sync), or the bare array
// of its values in column order (query in place).
enum class RowShape { record, array };

// How a connector writes a row: the record key of each column and the
// value text of each cell. The refusals throw sluice::Error(source).
class RowFormat {
 public:
  RowFormat(const std::vector<std::string>& column_names, RowShape shape);
  virtual ~RowFormat() = default;

  size_t columns() const { return keys_.size(); }
  // Column i's key as written before its value: "NAME": (empty for arrays).
  const std::string& key(size_t column) const { return keys_[column]; }
  char open() const { return open_; }    // '{' or '['
  char close() const { return close_; }  // '}' or ']'

  // Appends the value text of `cell` (nullopt: null) of column `column`;
  // throws when the text is not what the column's type says.
  virtual void append_cell(std::string& out, std::optional<std::string_view> cell, size_t column) const = 0;
  // A cell that is neither a string nor null (`json`: its JSON text).
  [[noreturn]] virtual void refuse_cell(size_t column, std::string_view json) const = 0;
  // A row that is not an array of columns() cells.
  [[noreturn]] virtual void refuse_row() const = 0;

 private:
  std::vector<std::string> keys_;
  char open_, close_;
};

// Appends a record for each row of `rows`.
void decode_row_array(const boost::json::array& rows, const RowFormat& format, DecodedRows& out);

// A parsed row as sent (cells that are not strings as their JSON text).
SentRow sent_row(const boost::json::array& row);

// The rows of `body`, decoded while it is parsed: the body is the array of
// rows itself when `member` is empty, else an object whose member `member`
// is (its other members skipped). Throws sluice::Error(source) naming
// `what`: "WHAT: the answer is not a JSON array of rows", "WHAT: the answer
// holds no data array" (or two), "WHAT: the answer is not one JSON document
// (...)", or the format's refusals.
RowBatch decode_rows_text(std::string_view body, const RowFormat& format, std::string_view member,
                          const std::string& what);

}  // namespace sql_common
