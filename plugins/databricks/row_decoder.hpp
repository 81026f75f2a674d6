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

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace databricks {

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

// Every row of `data` ([[cell, ...], ...]) as a record keyed by the column
// names. Throws sluice::Error(source) when a row does not have the columns'
// shape or a cell is not what its type says.
void decode_rows(const json::array& data, const std::vector<Column>& columns, DecodedRows& out);

// A chunk as downloaded from an external link (a JSON array of rows),
// decoded as above; `last` gets its last row (for the checkpoint). Throws
// sluice::Error(source) naming `what` when the body is not such an array.
void decode_chunk(std::string_view body, const std::vector<Column>& columns, DecodedRows& out, json::array& last,
                  const std::string& what);

// One cell as the JSON value text the record holds (null for null).
std::string decode_cell(const json::value& cell, const Column& column);

// The value as a checkpoint saves it and a parameter binds it: the decoded
// text, a string's content unquoted; nullopt for null.
std::optional<std::string> cell_text(const json::value& cell, const Column& column);

}  // namespace databricks
