// Decodes result rows from the REST API's {"f":[{"v":...}]} form into JSON
// records, exactly: INT64 from its string encoding, NUMERIC and BIGNUMERIC
// kept as decimal strings (never through a double), TIMESTAMP as UTC
// ISO-8601 with microseconds, JSON columns parsed, RECORD and REPEATED
// values nested.
// https://cloud.google.com/bigquery/docs/reference/rest/v2/tabledata/list (TableRow / TableCell)
#pragma once

#include "field_schema.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bigquery {

// One row ({"f": [...]}, cells in schema order) as a record. Throws
// sluice::Error(source) when the row does not have the schema's shape.
json::object decode_row(const json::value& row, const std::vector<Field>& fields);

// One cell's "v" for a field (mode included).
json::value decode_cell(const json::value& v, const Field& field);

// A TIMESTAMP as the API sends it: integer microseconds (useInt64Timestamp),
// or float seconds in E-notation ("1.714550000123456E9", the default
// encoding), read as a decimal so no digit is lost. nullopt if neither.
std::optional<int64_t> parse_timestamp_micros(std::string_view text);

}  // namespace bigquery
