// Query in place (docs/query.md) for the connectors that read a statement's
// result in chunks (Snowflake partitions, Databricks chunks), the same way
// for each: parameter values checked against their declared type and
// written as the text the source binds; the result's columns with the JSON Schema the connector's
// discover gives their types, then the rows, decoded as arrays of values
// (RowShape::array) by the connector's own cell rules, handed to the host in
// result order with at most `concurrency` chunks fetched ahead: memory holds
// a bounded number of chunks whatever the result's size.
#pragma once

#include "sql_common/row_stream.hpp"

#include <sluice/sdk.hpp>
#include <sluice/support/fetcher.hpp>

#include <functional>
#include <string>
#include <vector>

namespace sql_common {

// The value of a query parameter as text, checked against its type:
//   string     the text as is            integer  its digits ("-42")
//   number     the shortest text that reads back as the same double ("0.1")
//   boolean    "true" or "false"         date     YYYY-MM-DD, a real day
//   timestamp  RFC 3339 as given (sluice/support/timestamp.hpp reads it)
// Throws sluice::Error(config) "parameter NAME: ..." for a value that is not
// its type's, or a type not in the list.
std::string parameter_text(const sluice::QueryParameter& parameter);

// The columns for QueryContext::columns: each column's `name`, schema(column)
// (the connector's value_schema, as discover uses it) and type(column) (the
// source's own type name).
template <class Column, class Schema, class Type>
std::vector<sluice::QueryColumn> query_columns(const std::vector<Column>& columns, Schema schema, Type type) {
  std::vector<sluice::QueryColumn> out;
  out.reserve(columns.size());
  for (const Column& column : columns) out.push_back({column.name, schema(column), type(column)});
  return out;
}

// Hands each row of `rows` (decoded with RowShape::array) to the host.
// Throws sluice::Cancelled once the host has what it wants.
void emit_query_rows(sluice::QueryContext& ctx, const DecodedRows& rows);

// Chunks 0 .. chunks-1 of a result: fetch(client, i) fetches and decodes
// chunk i on `pool` (at most pool.concurrency() ahead of the rows handed
// over), and its rows reach `ctx` here, in chunk order.
void stream_query_chunks(sluice::support::FetchPool& pool, size_t chunks,
                         const std::function<RowBatch(sluice::support::HttpClient&, size_t)>& fetch,
                         sluice::QueryContext& ctx);

}  // namespace sql_common
