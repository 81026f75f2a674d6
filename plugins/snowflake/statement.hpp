// The body of POST /api/v2/statements: one statement, its bind variables
// (every value is one: never pasted into the SQL text), and the context it
// runs in (database, schema, warehouse, role, timeout, session parameters).
// https://docs.snowflake.com/en/developer-guide/sql-api/submitting-requests
// https://docs.snowflake.com/en/developer-guide/sql-api/submitting-requests#using-bind-variables-in-a-statement
#pragma once

#include "settings.hpp"

#include <sluice/support/http_client.hpp>

#include <boost/json.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace snowflake {

namespace json = boost::json;

// A bind variable: a Snowflake binding type (FIXED, REAL, TEXT, BOOLEAN...)
// and the value as text, as the API wants it.
struct Binding {
  std::string type, value;
};

struct Statement {
  std::string sql;                // '?' for each binding, in order
  std::vector<Binding> bindings;
  std::string schema;             // "" : none (the database's INFORMATION_SCHEMA is reachable without)
  std::chrono::seconds timeout{0};  // Snowflake's "timeout"; 0: statement_timeout_seconds
};

// {"statement", "timeout", "database", "schema", "warehouse", "role",
//  "bindings": {"1": {"type", "value"}...}, "parameters": {"query_tag", "timezone": "UTC"}};
// empty role, warehouse and schema are left out (the user's defaults).
json::object statement_body(const Statement& statement, const Settings& settings);

using sluice::support::random_request_id;  // the requestId of a statement/query

}  // namespace snowflake
