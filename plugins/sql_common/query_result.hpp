// What the SQL sources share in answering a query in place (`sluice query`,
// docs/query.md): the result's columns built from the connector's own type
// map (the schema its discover gives the same type), each row as the JSON
// array QueryContext::row_serialized takes, with the values written by the
// connector's own value code, and the checks of the parameters the host
// sends (type and JSON value must agree).
#pragma once

#include <sluice/sdk.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sql_common {

// A QueryColumn per column: its .name, `schema(column)` (the connector's
// column_schema, as discover) and `type(column)` as the source type (by
// default its .type).
template <typename Column, typename Schema, typename Type>
std::vector<sluice::QueryColumn> query_columns(const std::vector<Column>& columns, Schema&& schema, Type&& type) {
  std::vector<sluice::QueryColumn> out;
  out.reserve(columns.size());
  for (const auto& column : columns) out.push_back({column.name, schema(column), type(column)});
  return out;
}
template <typename Column, typename Schema>
std::vector<sluice::QueryColumn> query_columns(const std::vector<Column>& columns, Schema&& schema) {
  return query_columns(columns, schema, [](const Column& column) { return column.type; });
}

// Appends [v1,v2,...] for one row: value(out, i, text) appends column i's
// value (the connector's record value code); nullopt is null.
template <typename Value>
void append_row_array(std::string& out, const std::vector<std::optional<std::string_view>>& values, Value&& value) {
  out += '[';
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    if (values[i]) {
      value(out, i, *values[i]);
    } else {
      out += "null";
    }
  }
  out += ']';
}

// A parameter's value as its type says, or sluice::Error(config)
// "parameter NAME: TYPE wants WHAT" (the host parses --param by its type,
// so this is a second check, at the boundary). A JSON null is SQL NULL:
// nullopt from each.
std::optional<int64_t> integer_parameter(const sluice::QueryParameter& parameter);
std::optional<double> number_parameter(const sluice::QueryParameter& parameter);  // an integer value too
std::optional<bool> boolean_parameter(const sluice::QueryParameter& parameter);
// string, date (YYYY-MM-DD, a real day) or timestamp (RFC 3339): the text.
std::optional<std::string> text_parameter(const sluice::QueryParameter& parameter);

// The parameter's value as text a server reads back as the same value:
// digits, the shortest text of the double, true / false, the text itself.
std::optional<std::string> parameter_text(const sluice::QueryParameter& parameter);

// parameter_text for a source that binds no NULL parameter: a JSON null
// (which the host never sends) is refused with sluice::Error(config).
std::string required_parameter_text(const sluice::QueryParameter& parameter);

// Throws sluice::Error(config) "parameter NAME: unknown type TYPE (...)".
[[noreturn]] void unknown_parameter_type(const sluice::QueryParameter& parameter);

}  // namespace sql_common
