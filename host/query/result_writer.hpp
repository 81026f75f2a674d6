// How `sluice query` prints a result (--format), in bounded memory: each
// writer gets the columns once, then the rows one by one, and hands its text
// to `out` as it goes. Only `table` holds rows back, at most
// kTableSampleRows, to size its columns.
//   table   aligned columns for a terminal (the default there): NULL for a
//           null, a cell longer than kTableCellWidth cut with "…", newlines
//           shown as \n, "(N rows)" after the last
//   csv     RFC 4180: a header of column names, then a record per row;
//           quoted when a cell holds a comma, quote, CR or LF; a null is an
//           empty cell; objects and arrays as their JSON text
//   ndjson  one JSON object per row, {"column": value} in column order (the
//           default when stdout is not a terminal); a name that repeats gets
//           _2, _3...
//   json    one document: {"columns": [...], "rows": [[...], ...],
//           "row_count": N, "truncated": false, "facts": {...}}
// Numbers keep their digits exactly (a DECIMAL(38) is never rounded).
#pragma once

#include <boost/json.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::host {

struct ResultColumn {
  std::string name;
  boost::json::object schema;
  std::string source_type;
};

// What a finished query says about itself (query_run.hpp fills it).
struct QueryOutcome {
  uint64_t rows = 0;
  uint64_t bytes = 0;            // the rows' JSON text as the source sent it
  bool truncated = false;        // a limit cut the result
  std::string truncated_by;      // "--limit-rows 100" / "--limit-bytes 1000"
  boost::json::object facts;     // the plugin's (statement id, bytes billed...)
};

class ResultWriter {
 public:
  virtual ~ResultWriter() = default;
  virtual void begin(const std::vector<ResultColumn>& columns) = 0;
  // `values`: the row parsed with exact numbers (number_literals.hpp marks);
  // `text`: its JSON text as the source sent it.
  virtual void row(const boost::json::array& values, std::string_view text) = 0;
  // After the last row (also after a limit cut the result).
  virtual void end(const QueryOutcome& outcome) = 0;
};

inline constexpr size_t kTableSampleRows = 100;
inline constexpr size_t kTableCellWidth = 48;

enum class ResultFormat { table, csv, ndjson, json };

// "table", "csv", "ndjson" or "json"; throws HostError (usage) otherwise.
ResultFormat parse_result_format(std::string_view name);

std::unique_ptr<ResultWriter> make_result_writer(ResultFormat format, std::function<void(std::string_view)> out);

// The parsed columns of emit_columns (plugin.h); throws std::runtime_error
// naming what is wrong.
std::vector<ResultColumn> parse_result_columns(std::string_view columns_json);

}  // namespace sluice::host
