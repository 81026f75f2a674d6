// BigQuery table schemas (TableSchema / TableFieldSchema of the REST API) and
// the JSON Schema each one becomes in the catalog.
// https://cloud.google.com/bigquery/docs/reference/rest/v2/tables#TableFieldSchema
#pragma once

#include <boost/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace bigquery {

namespace json = boost::json;

// One type per BigQuery column type; the REST API's legacy names and their
// standard-SQL aliases (INT64, FLOAT64, BOOL, STRUCT, DECIMAL...) map to the same one.
enum class FieldType {
  string, bytes, int64, float64, numeric, bignumeric, boolean,
  timestamp, date, time, datetime, json, geography, record, interval, range, unknown,
};

struct Field {
  std::string name;
  FieldType type = FieldType::unknown;
  std::string type_name;      // as the API wrote it, for messages and docs
  bool repeated = false;      // mode REPEATED: an array, never null
  bool required = false;      // mode REQUIRED: never null
  std::vector<Field> fields;  // RECORD members, in order
};

FieldType parse_field_type(std::string_view name);

// The canonical (standard SQL) name of a type: INT64, FLOAT64, BOOL, STRUCT...
const char* standard_type_name(FieldType type);

// Parses a TableSchema ({"fields": [...]}); a missing schema is no fields.
// Throws sluice::Error(source) when a field has no name.
std::vector<Field> parse_table_schema(const json::value& schema);

// The JSON Schema of a record with these fields ("type": "object"). Every
// property carries "x-bigquery-type" with the column's standard type name.
json::object record_json_schema(const std::vector<Field>& fields);

// A top-level field by name, or nullptr.
const Field* find_field(const std::vector<Field>& fields, std::string_view name);

}  // namespace bigquery
