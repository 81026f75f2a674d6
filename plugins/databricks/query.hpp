// Query in place (docs/connectors/databricks.md "Query in place"): one
// read-only statement the host has checked (host/query/read_only_sql.hpp),
// its :name parameter markers kept (one parameter per name).
//  - Every parameter is a named, typed parameter {name, value, type}, never
//    pasted into the SQL: string STRING, integer BIGINT, number DOUBLE,
//    boolean BOOLEAN, date DATE, timestamp TIMESTAMP (RFC 3339 text).
//    https://docs.databricks.com/api/workspace/statementexecution/executestatement (parameters)
//  - The request waits wait_timeout (the query's timeout, at most 50 s; 0 s
//    below 5 s, the API taking 0 or 5-50) with on_wait_timeout CONTINUE,
//    then Sluice polls the statement until the query's timeout and cancels
//    it (POST .../cancel), as it does when the host cancels (Ctrl-C) or has
//    what it wants (a row limit: an emit throws Cancelled).
//    https://docs.databricks.com/api/workspace/statementexecution/cancelexecution
//  - Its columns come from manifest.schema with the types and values
//    discover and read give them (column_type.hpp, row_decoder.hpp), its
//    rows chunk by chunk as reads get them (result_chunks.hpp:
//    EXTERNAL_LINKS, since INLINE results stop at 25 MiB), at most
//    `concurrency` chunks fetched ahead of the rows handed over.
// Databricks has no read-only session: Sluice's read-only rule and a
// principal with SELECT (and USE) grants only are the guards. Facts:
// statement_id, rows.
#pragma once

#include "databricks_api.hpp"
#include "settings.hpp"
#include "statement.hpp"

#include <sluice/sdk.hpp>

namespace databricks {

// The named parameter of one query parameter; throws sluice::Error(config)
// naming it for a value that is not of its type.
Parameter query_parameter(const sluice::QueryParameter& parameter);

// The statement of a query: its SQL, its parameters, the request's wait.
Statement query_statement(const sluice::QueryRequest& request);

void run_query(DatabricksApi& api, const Settings& settings, const sluice::QueryRequest& request,
               sluice::QueryContext& ctx);

}  // namespace databricks
