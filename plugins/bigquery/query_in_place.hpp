// Query in place (`sluice query`, docs/connectors/bigquery.md "Query in
// place"): one read-only statement the host has checked, with its :name
// parameters already rewritten to @name, run as a BigQuery query job:
//  1. a dry run (jobs.insert, configuration.dryRun): the statement must be
//     a SELECT (statistics.query.statementType), whatever reached the
//     connector; its estimated bytes (totalBytesProcessed) go to the facts
//     and the log;
//  2. the job (jobs.insert, a jobId of its own so a retried POST meets its
//     first attempt's job): standard SQL, NAMED typed queryParameters,
//     maximumBytesBilled (the request's, else the connection's
//     max_bytes_billed) and jobTimeoutMs (the request's timeout);
//  3. its result by jobs.getQueryResults, polled until complete (cancelled
//     or past the timeout: jobs.cancel), the first page then the rest by
//     startIndex (result_pages.hpp), decoded by page_decoder.hpp as arrays
//     with the type mapping discover and read use; memory does not grow
//     with the result;
//  4. jobs.get for the facts: job_id, location, estimated_bytes,
//     bytes_processed, bytes_billed, cache_hit.
// The host's Cancelled (a row limit, Ctrl-C) cancels the job (jobs.cancel)
// and propagates.
// https://cloud.google.com/bigquery/docs/reference/rest/v2/jobs/insert
// https://cloud.google.com/bigquery/docs/reference/rest/v2/Job (JobConfiguration: dryRun, jobTimeoutMs;
//   JobConfigurationQuery: maximumBytesBilled, parameterMode, queryParameters; JobStatistics2: statementType,
//   totalBytesProcessed, totalBytesBilled, cacheHit)
// https://cloud.google.com/bigquery/docs/parameterized-queries
// https://cloud.google.com/bigquery/docs/best-practices-costs (dry runs, maximum bytes billed)
#pragma once

#include "bigquery_api.hpp"
#include "field_schema.hpp"
#include "job_wait.hpp"
#include "query_request.hpp"
#include "settings.hpp"

#include <sluice/sdk.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace bigquery {

// The host's typed parameters as BigQuery's: string STRING, integer INT64,
// number FLOAT64, boolean BOOL, date DATE (YYYY-MM-DD), timestamp TIMESTAMP
// (sent in UTC as YYYY-MM-DDTHH:MM:SS.ffffffZ). Throws sluice::Error(config)
// naming a parameter whose value is not of its type.
std::vector<QueryParameter> bigquery_parameters(const std::vector<sluice::QueryParameter>& parameters);

// The result's columns: each field's JSON Schema as discover gives it
// (field_schema.hpp), its standard type name (ARRAY<T> when REPEATED).
std::vector<sluice::QueryColumn> query_columns(const std::vector<Field>& fields);

// The jobs.insert bodies: the dry run, and the job itself.
json::object dry_run_job(const std::string& sql, const std::vector<QueryParameter>& parameters,
                         const std::string& project, const QueryOptions& options);
json::object query_job(const std::string& sql, const std::vector<QueryParameter>& parameters, const JobRef& job,
                       int64_t max_bytes_billed, int64_t timeout_seconds);

struct QuerySettings {
  std::string project;
  QueryOptions options;  // location, page size, concurrency
  int64_t max_bytes_billed = kDefaultMaxBytesBilled;  // the connection's, when the request names none
};

// Runs `request` as above. Time (the timeout) comes from `clock`.
void run_query(BigQueryApi& api, const QuerySettings& settings, const sluice::QueryRequest& request,
               sluice::QueryContext& ctx, const WaitClock& clock);

}  // namespace bigquery
