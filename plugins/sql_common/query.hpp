// Query in place (docs/query.md) for the connectors that read a statement's
// result in chunks (Snowflake partitions, Databricks chunks), the same way
// for each: parameter values (query_result.hpp) written as the text the
// source binds; the result's columns (query_result.hpp), then the rows, decoded as arrays of values
// (RowShape::array) by the connector's own cell rules, handed to the host in
// result order with at most `concurrency` chunks fetched ahead: memory holds
// a bounded number of chunks whatever the result's size.
#pragma once

#include "sql_common/query_result.hpp"  // columns and parameters, shared with the SQL servers
#include "sql_common/row_stream.hpp"

#include <sluice/sdk.hpp>
#include <sluice/support/fetcher.hpp>

#include <functional>
#include <string>
#include <vector>

namespace sql_common {

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
