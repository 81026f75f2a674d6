// Query in place on PostgreSQL (`sluice query`, docs/connectors/postgres.md
// "Query in place"). The host has checked that the statement only reads and
// written each :name parameter as $1..$n. Here the source's own guards are
// pushed into the session: standard_conforming_strings on (the host's lexer
// read '\' as an ordinary character in '...'), a read-only transaction (a
// write the host missed, in a function or a data-modifying CTE, fails
// there), statement_timeout, the statement prepared over the extended
// protocol with typed parameters (bound, never pasted; one statement per
// call), rows streamed one at a time (single-row mode) and the statement
// cancelled on the server (PQcancel) when the host stops.
//
// Columns and values use discover's type map (column_type.hpp) and value
// code (record_text.hpp): the result's type OIDs are looked up in
// pg_type once (a domain as its base type), and a result holding arrays or
// money is read through select_expression() as a sync reads them
// (to_json, ::numeric) by wrapping the statement.
#pragma once

#include "column_type.hpp"
#include "flavor.hpp"
#include "settings.hpp"

#include <sluice/sdk.hpp>

#include <libpq-fe.h>

#include <string>
#include <vector>

namespace postgres {

// The transaction a query runs in: read-only (begin_read_sql), the
// request's timeout as a local statement_timeout (ms), standard strings.
std::string query_setup_sql(Flavor flavor, int64_t timeout_seconds);

// The type OID a parameter of `type` is bound as: integer int8, number
// numeric (the exact digits given), boolean bool, date date, timestamp
// timestamptz; string 0, typed by the server from where it is used, as a
// quoted literal is (a uuid, an enum, a varchar), or text when that cannot
// be decided (string_oid). Throws sluice::Error(config) for another type.
Oid parameter_type(const sluice::QueryParameter& parameter, Oid string_oid = 0);

// The catalog query giving, for $1 (oids) and $2 (typmods) as arrays, one
// row per result column in order: format_type, and the base type's typname,
// typtype and typcategory (catalog.cpp's columns).
std::string result_types_sql();

// The statement to run for a result of `columns` (their names c1..cn):
// `sql` itself when every column reads as it is, else
//   SELECT <select_expression of each> FROM (\n<sql>\n) AS sluice_query(c1, ...)
// with trailing ';' and white space cut off `sql` (a ';' followed by a
// comment there is left, and the server refuses the statement).
std::string result_sql(const std::string& sql, const std::vector<Column>& columns);

// Runs `request` on a new connection and streams its result into `ctx`.
void run_query(const Settings& settings, const sluice::Logger& log, const sluice::QueryRequest& request,
               sluice::QueryContext& ctx);

}  // namespace postgres
