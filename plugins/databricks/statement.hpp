// The body of POST /api/2.0/sql/statements: one statement, its named
// parameters (every value is one, typed: never pasted into the SQL text), the
// warehouse and catalog it runs on, how long the request waits
// (wait_timeout, on_wait_timeout CONTINUE: the statement keeps running and is
// polled), and how the result comes back (JSON_ARRAY, INLINE or
// EXTERNAL_LINKS).
// https://docs.databricks.com/api/workspace/statementexecution/executestatement
// https://docs.databricks.com/aws/en/dev-tools/sql-execution-tutorial (parameters)
#pragma once

#include "settings.hpp"

#include <boost/json.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace databricks {

namespace json = boost::json;

// A named parameter marker :name, its SQL type ("TIMESTAMP", "DECIMAL(10,2)",
// "STRING"...) and its value as text (nullopt: NULL).
struct Parameter {
  std::string name, type;
  std::optional<std::string> value;
};

enum class Disposition { inline_rows, external_links };

struct Statement {
  std::string sql;  // ':name' for each parameter
  std::vector<Parameter> parameters;
  std::string schema;  // "" : none (names in the SQL qualified)
  Disposition disposition = Disposition::inline_rows;
  std::optional<std::chrono::seconds> wait_timeout;  // the request's wait: 0 or 5-50 s; empty: wait_timeout_seconds
};

// {"statement", "warehouse_id", "catalog", "schema", "parameters": [{"name",
// "value", "type"}], "wait_timeout": "30s", "on_wait_timeout": "CONTINUE",
// "disposition", "format": "JSON_ARRAY"}; an empty schema is left out.
json::object statement_body(const Statement& statement, const Settings& settings);

}  // namespace databricks
