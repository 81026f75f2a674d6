// Query in place (docs/connectors/snowflake.md "Query in place"): one
// read-only statement the host has checked (host/query/read_only_sql.hpp),
// its :name parameters already turned into '?' (one per use, in bind order).
//  - Every parameter is a typed binding ("1", "2", ... in order), never
//    pasted into the SQL: string TEXT, integer FIXED, number REAL, boolean
//    BOOLEAN, date DATE and timestamp TIMESTAMP_TZ, their values in the form
//    Snowflake's own driver binds them (DATE as epoch milliseconds,
//    TIMESTAMP_TZ as epoch nanoseconds, a space, the offset in minutes plus
//    1440: snowflakedb/snowflake-connector-python, converter.py
//    _date_to_snowflake_bindings / _datetime_to_snowflake_bindings).
//    https://docs.snowflake.com/en/developer-guide/sql-api/submitting-requests#using-bind-variables-in-a-statement
//  - The statement's "timeout" is the request's: Snowflake cancels it there
//    (408); Sluice waits as long, polling a 202, then cancels it
//    (POST .../cancel) itself, as it does when the host cancels (Ctrl-C) or
//    has what it wants (a row limit: an emit throws Cancelled).
//    https://docs.snowflake.com/en/developer-guide/sql-api/reference#post-api-v2-statements-statementhandle-cancel
//  - Its columns come from resultSetMetaData.rowType with the types and
//    values discover and read give them (column_type.hpp, row_decoder.hpp),
//    its rows partition by partition, at most `concurrency` partitions
//    fetched ahead of the rows handed over.
// Snowflake has no read-only session: Sluice's read-only rule and a role
// with SELECT grants only are the guards. Facts: statement_handle, rows.
#pragma once

#include "settings.hpp"
#include "snowflake_api.hpp"
#include "statement.hpp"

#include <sluice/sdk.hpp>

namespace snowflake {

// The binding of one parameter; throws sluice::Error(config) naming it for a
// value that is not of its type.
Binding query_binding(const sluice::QueryParameter& parameter);

// The statement of a query: its SQL, a binding per '?', its timeout.
Statement query_statement(const sluice::QueryRequest& request);

void run_query(SnowflakeApi& api, const Settings& settings, const sluice::QueryRequest& request,
               sluice::QueryContext& ctx);

}  // namespace snowflake
