// The incremental cursor: which column orders a table's rows, the query
// parameter that bounds a read, and the checkpoint that records progress.
//
// A read asks for `cursor >= @cursor` (inclusive), so rows that share the
// checkpoint's cursor value are read again rather than missed: an
// incremental_append_dedup table replaces them (same key, same cursor), an
// incremental_append table holds them twice (documented in bigquery.md).
#pragma once

#include "field_schema.hpp"

#include <optional>
#include <string>

namespace bigquery {

// A typed query parameter value, in the REST API's QueryParameterValue form.
// https://cloud.google.com/bigquery/docs/reference/rest/v2/QueryParameter
struct CursorBound {
  std::string type;   // QueryParameterType.type: INT64, TIMESTAMP, ...
  std::string value;  // QueryParameterValue.value
};

// The parameter type of a cursor column. Throws sluice::Error(config) naming
// the stream when the column cannot order rows (REPEATED, STRUCT, JSON,
// GEOGRAPHY, BOOL, INTERVAL, RANGE).
std::string cursor_parameter_type(const Field& field, const std::string& stream);

// The parameter value for a cursor value as decode_cell() produced it
// (TIMESTAMP "…T…Z" becomes "YYYY-MM-DD HH:MM:SS.ffffff+00:00"); nullopt for null.
std::optional<std::string> cursor_parameter_value(const json::value& decoded, FieldType type);

// The checkpoint of a stream whose rows up to `bound` are all emitted:
// {"cursor_field": "...", "cursor_type": "...", "cursor": "..."}.
json::object cursor_state(const std::string& field, const CursorBound& bound);

// The bound saved in `state` (null or empty state: none). Throws
// sluice::Error(config) when the state is for another column or type, or is
// not one this connector wrote.
std::optional<CursorBound> cursor_from_state(const json::value& state, const std::string& field,
                                             const std::string& type, const std::string& stream);

}  // namespace bigquery
