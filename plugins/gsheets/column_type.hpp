// A column's type, decided at discovery from the header row's column of
// sampled cells: their values (UNFORMATTED: number, string or boolean) and
// their number formats (DATE, TIME, DATE_TIME, NUMBER, CURRENCY, PERCENT...).
// https://developers.google.com/workspace/sheets/api/guides/formats
#pragma once

#include <boost/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace gsheets {

enum class ColumnType { string, number, integer, boolean, date, time, date_time };

const char* to_string(ColumnType type);                        // "date-time", ...
std::optional<ColumnType> parse_column_type(std::string_view);  // the names to_string gives

// One sampled cell: what its effectiveValue holds and its number format type.
struct SampleCell {
  enum class Kind { empty, number, string, boolean } kind = Kind::empty;
  double number = 0;
  std::string format;  // effectiveFormat.numberFormat.type; "" when absent
};

// Folds cells into a column's type: the type every non-empty cell agrees on,
// else string. Numbers formatted DATE are dates, DATE_TIME date-times, TIME
// times; other numbers are integers while all are whole (and formatted
// neither PERCENT nor CURRENCY), else numbers. A column of empty cells is string.
class TypeVote {
 public:
  void add(const SampleCell& cell);
  ColumnType result() const;

 private:
  bool any_ = false, mixed_ = false, all_whole_ = true, fractional_format_ = false;
  ColumnType seen_ = ColumnType::string;
};

// The JSON Schema of a column of this type; every column is nullable.
boost::json::object json_schema(ColumnType type);

}  // namespace gsheets
