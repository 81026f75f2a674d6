// Reading one stream: a jobs.query over the table, polled with
// jobs.getQueryResults while the job is not complete (job_wait.hpp). The
// first complete response carries the first page and totalRows; the other
// rows are read by startIndex in pages of page_size rows, up to
// `concurrency` of them fetched at once on a FetchPool (fewer when pages are
// large: at most kRowsInFlight rows in flight, so memory does not grow with
// the page size) and decoded on the read thread in result order. A page
// BigQuery cuts short by size is completed with further requests; one that
// returns no rows, or more than asked, fails the read. Incremental streams
// are bounded and ordered as cursor.hpp says and checkpoint after every
// response, so an interrupted sync resumes after the last row of the last
// page that reached the target; a page that fails leaves every page before
// it committed and none after. A job the read leaves unfinished (cancelled,
// past job_timeout_seconds, a failed poll) is stopped with jobs.cancel.
// startIndex ("Zero-based index of the starting row") and pageToken are
// two ways to name the first row of a page (the client libraries refuse
// both at once: Google.Cloud.BigQuery.V2 ListRowsOptions.StartIndex, "If this
// property is non-null, PageToken must be null"); only startIndex is sent,
// since it lets pages be asked for before the ones ahead of them arrive.
// https://cloud.google.com/bigquery/docs/reference/rest/v2/jobs/query
// https://cloud.google.com/bigquery/docs/reference/rest/v2/jobs/getQueryResults
// https://cloud.google.com/bigquery/docs/reference/rest/v2/jobs/cancel
// https://cloud.google.com/bigquery/docs/paging-results (pages cut by size: "There is no minimum size per page")
#pragma once

#include "bigquery_api.hpp"
#include "query_request.hpp"
#include "table_cache.hpp"

#include <sluice/sdk.hpp>

namespace bigquery {

// Rows fetched at once, at most: concurrency shrinks for large pages.
inline constexpr size_t kRowsInFlight = 50'000;

// The requests in flight for `options`: concurrency, fewer when
// concurrency x page_size would pass kRowsInFlight, at least 1.
size_t fetch_concurrency(const QueryOptions& options);

// Reads `stream` from `table` (its description from tables.get) in `project`.
void read_stream(BigQueryApi& api, const Table& table, const std::string& project, const QueryOptions& options,
                 const sluice::ConfiguredStream& stream, sluice::ReadContext& ctx);

}  // namespace bigquery
