// The fake Databricks' data: one Unity Catalog catalog whose schemas are
// SQLite in-memory databases ATTACHed under the schema's name. Statements
// run on SQLite as sent (SQLite reads `backquoted` names and :named
// parameters as Databricks SQL does), with their named parameters bound
// after the conversion their declared type asks for, so what the connector
// writes is really executed; results come back as JSON_ARRAY cells (every
// value's string form, or null) with the manifest columns of each result
// column's declared Databricks type (an expression's by its first value:
// BIGINT, DOUBLE, else STRING).
//
// Values are stored in these forms (tests insert them so):
//   TINYINT..BIGINT: INTEGER; DECIMAL(p,s): TEXT with s digits ("12.50");
//   FLOAT/DOUBLE: REAL; STRING: TEXT; BOOLEAN: 0 / 1; BINARY: BLOB (given as hex);
//   DATE 'YYYY-MM-DD'; TIMESTAMP and TIMESTAMP_NTZ 'YYYY-MM-DD HH:MM:SS.ffffff'
//   (TIMESTAMP in UTC: text order is instant order); ARRAY/MAP/STRUCT/VARIANT:
//   JSON text; INTERVAL: its text.
// JSON_ARRAY cells, as the Statement Execution reference describes the
// format ("each value is the string representation"; the exact spellings are
// [verify] in apis.md 4.3): integers and decimals as digits, booleans
// true/false, DATE as stored, TIMESTAMP as ISO 8601 in UTC with 'Z' and
// TIMESTAMP_NTZ without, their fractions trimmed of trailing zeros, BINARY as
// base64, complex values as JSON text.
// https://docs.databricks.com/api/workspace/statementexecution/executestatement
#pragma once

#include <boost/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace databricks_fake {

namespace json = boost::json;

struct FakeColumn {
  std::string name;
  std::string type;  // Databricks DDL type: BIGINT, DECIMAL(10,2), TIMESTAMP_NTZ, ARRAY<STRING>...
  bool nullable = true;
};

using Cell = std::optional<std::string>;  // null, or the value in its stored form as text
using Row = std::vector<Cell>;

struct FakeTable {
  std::string schema, name;
  std::vector<FakeColumn> columns;
  std::vector<std::string> primary_key;
  bool view = false;
};

// A statement's outcome: manifest columns and JSON_ARRAY rows, or the error
// a FAILED statement carries.
struct StatementOutcome {
  json::array columns;
  std::vector<json::array> rows;
  std::string error_code, sql_state, message;  // error_code empty: success
};

class FakeWarehouse {
 public:
  explicit FakeWarehouse(std::string catalog);
  ~FakeWarehouse();

  const std::string& catalog() const { return catalog_; }
  void create_schema(const std::string& schema);
  void create_table(const std::string& schema, const std::string& table, const std::vector<FakeColumn>& columns,
                    const std::vector<std::string>& primary_key = {}, bool view = false);
  void insert(const std::string& schema, const std::string& table, const std::vector<Row>& rows);
  // SELECT on this table fails as Databricks does without the privilege.
  void deny(const std::string& schema, const std::string& table);
  void set_user(std::string user);

  std::vector<std::string> schemas() const;
  std::vector<FakeTable> tables(const std::string& schema) const;

  // Runs one statement with named parameters ([{"name", "value", "type"}]).
  StatementOutcome run(const std::string& sql, const json::array& parameters);

 private:
  struct Impl;
  std::string catalog_;
  std::unique_ptr<Impl> impl_;
};

// The manifest / Unity Catalog ColumnInfo fields of a DDL type:
// {"type_name", "type_text", "type_precision", "type_scale"}.
json::object column_type_info(const std::string& ddl_type, bool unity_catalog);

}  // namespace databricks_fake
