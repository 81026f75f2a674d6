// Databricks column types as a result manifest's schema (type_name,
// type_text) and Unity Catalog's ColumnInfo name them, and the JSON Schema
// of each column's values as this connector emits them (row_decoder.hpp).
// type_text is read first: the manifest's type_name has no TIMESTAMP_NTZ or
// VARIANT of its own, and unknown names fall back to it.
// https://docs.databricks.com/api/workspace/statementexecution/getstatement (manifest.schema.columns)
// https://docs.databricks.com/api/workspace/tables/list (columns)
// https://docs.databricks.com/aws/en/sql/language-manual/sql-ref-datatypes
#pragma once

#include <boost/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace databricks {

namespace json = boost::json;

enum class Kind {
  integer,        // TINYINT/BYTE, SMALLINT/SHORT, INT, BIGINT/LONG: exact JSON integers
  decimal,        // DECIMAL(p,s): exact decimal strings
  floating,       // FLOAT, DOUBLE
  string,         // STRING, CHAR, VARCHAR
  boolean,
  date,
  timestamp,      // an instant (shown in UTC)
  timestamp_ntz,  // a civil date and time, never shifted
  binary,         // base64
  json,           // ARRAY, MAP, STRUCT, VARIANT: JSON values
  interval,       // text
  null,           // the NULL type (VOID)
  unknown         // text, as sent
};

struct Column {
  std::string name;
  Kind kind = Kind::unknown;
  std::string type_text;  // as Databricks spelled it, for messages ("decimal(10,2)")
  int64_t precision = 0, scale = 0;
  bool nullable = true;
};

// The kind of a column from its type_name and type_text (any case).
Kind kind_of(std::string_view type_name, std::string_view type_text);

// Whether values of the kind can order rows (cursor and key columns).
bool orderable(Kind kind);

// manifest.schema.columns (or a Unity Catalog table's columns) as columns, in
// position order; throws sluice::Error(source) when it is not an array of
// objects with a name and a type.
std::vector<Column> parse_columns(const json::value& columns);

// The JSON Schema of one column's values (nullable: with "null").
json::object value_schema(const Column& column);

// The type to bind a parameter of this column as ("TIMESTAMP", "DECIMAL(10,2)").
std::string parameter_type(const Column& column);

}  // namespace databricks
