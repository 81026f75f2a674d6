// Reading one stream: a jobs.query over the table, polled with
// jobs.getQueryResults while the job is not complete (job_wait.hpp). The
// first complete response carries the first page (at most kFirstPageRows
// rows) and totalRows; the other rows are read by startIndex in pages of
// page_size rows, or fewer so that a page stays near kRequestBytes, up to
// `concurrency` of them fetched at once on a FetchPool (fewer so that about
// kBytesInFlight are in flight) and decoded on the read thread in result
// order: memory depends on these bounds, not on page_size. A page
// BigQuery cuts short by size is completed with further requests; one that
// returns no rows, or more than asked, fails the read. Incremental streams
// are bounded and ordered as cursor.hpp says and checkpoint after every
// response, so an interrupted sync resumes after the last row of the last
// page that reached the target; a page that fails leaves every page before
// it committed and none after. A job the read leaves unfinished (cancelled,
// past job_timeout_seconds, a failed poll) is stopped with jobs.cancel.
// startIndex ("Zero-based index of the starting row") and pageToken are
// two ways to name the first row of a page (the client libraries refuse
// both at once: "If this property is non-null, PageToken must be null",
// https://cloud.google.com/dotnet/docs/reference/Google.Cloud.BigQuery.V2/latest/Google.Cloud.BigQuery.V2.ListRowsOptions);
// only startIndex is sent, since it lets pages be asked for before the ones
// ahead of them arrive.
// https://cloud.google.com/bigquery/docs/reference/rest/v2/jobs/query
// https://cloud.google.com/bigquery/docs/reference/rest/v2/jobs/getQueryResults
// https://cloud.google.com/bigquery/docs/reference/rest/v2/jobs/cancel
// https://cloud.google.com/bigquery/docs/paging-results (pages cut by size: "There is no minimum size per page")
#pragma once

#include "bigquery_api.hpp"
#include "query_request.hpp"
#include "result_pages.hpp"
#include "table_cache.hpp"

#include <sluice/sdk.hpp>

namespace bigquery {

// The first page's rows (jobs.query and the polls), at most: it also tells
// how large a row is.
inline constexpr int64_t kFirstPageRows = 1000;
// Reads `stream` from `table` (its description from tables.get) in `project`.
void read_stream(BigQueryApi& api, const Table& table, const std::string& project, const QueryOptions& options,
                 const sluice::ConfiguredStream& stream, sluice::ReadContext& ctx);

}  // namespace bigquery
