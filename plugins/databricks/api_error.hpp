// Databricks' refusals and what each means for a sync. A rejected request is
// a non-2xx answer with {"error_code", "message"}; a statement that failed
// while running is a 200 whose status.state is FAILED with status.error
// {error_code, message} and status.sql_state.
// https://docs.databricks.com/api/workspace/statementexecution (StatementStatus, ServiceError)
// https://docs.databricks.com/aws/en/dev-tools/sql-execution-tutorial
#pragma once

#include <sluice/sdk.hpp>

#include <string>
#include <string_view>

namespace databricks {

struct ApiError {
  int status = 0;           // HTTP status; 200 for a FAILED statement
  std::string error_code;   // e.g. "PERMISSION_DENIED", "BAD_REQUEST"
  std::string sql_state;    // a FAILED statement's, e.g. "42P01"
  std::string message;      // on one line
};

// Reads a request-level error body; a foreign body (a proxy's bare 502)
// leaves the fields empty.
ApiError parse_api_error(int status, std::string_view body);

// The sluice::Error for a rejected call `what` ("the read of main.sales.orders"):
//  401 -> auth: "Databricks refused the credentials (<how>) for <what>: Databricks error <code>: <message>"
//  403 -> auth, naming the privileges a reader needs (USE CATALOG, USE SCHEMA, SELECT)
//  404 and 400 -> config; else source.
// `how` names the credentials without their secret ("personal access token",
// "service principal <client id>").
sluice::Error to_error(const ApiError& error, const std::string& what, const std::string& how);

// The sluice::Error of a statement whose state is FAILED: config when the
// statement is the user's to fix: SQL state class 42 (42P01 a missing table,
// 42501 no privilege, 42P02 an unbound parameter, 42601 syntax),
// ..._NOT_FOUND, INSUFFICIENT_PERMISSIONS; transient when the warehouse stopped it at its
// STATEMENT_TIMEOUT (error_code DEADLINE_EXCEEDED: "WHAT ran past the SQL
// warehouse's STATEMENT_TIMEOUT and was stopped: Databricks error ..."; a
// later sync on a less busy warehouse may finish); else source.
// https://docs.databricks.com/aws/en/sql/language-manual/parameters/statement_timeout
sluice::Error failed_statement_error(const ApiError& error, const std::string& what);

}  // namespace databricks
