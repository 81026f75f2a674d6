// A query job's result as both a stream read (table_reader.hpp) and a query
// in place (query_in_place.hpp) read it: the job named by the first
// response, its totalRows, and the pages after the first, by startIndex,
// several fetched at once on a FetchPool and decoded on the caller's thread
// in result order (FetchPlan bounds the bytes in flight, so memory does not
// grow with the result). A page BigQuery cuts short by size is completed
// with further requests; one that returns no rows, or more than asked,
// fails the read.
// https://cloud.google.com/bigquery/docs/reference/rest/v2/jobs/getQueryResults
#pragma once

#include "bigquery_api.hpp"
#include "page_decoder.hpp"
#include "query_request.hpp"

#include <sluice/sdk.hpp>

#include <functional>
#include <string>

namespace bigquery {

// A page's bytes, about, and the bytes of the pages in flight, about.
inline constexpr size_t kRequestBytes = 2 << 20, kBytesInFlight = 8 << 20;

struct FetchPlan {
  size_t rows_per_page;  // maxResults of each request: page_size, or fewer
  size_t concurrency;    // requests at once: concurrency, or fewer; at least 1
};

// The pages after the first, for rows of about `bytes_per_row` bytes.
FetchPlan plan_fetch(const QueryOptions& options, double bytes_per_row);

// The job a QueryResponse, GetQueryResultsResponse or Job names
// (jobReference), in `project` and options.location unless it says otherwise.
JobRef job_of(const json::object& response, const std::string& project, const QueryOptions& options);

// totalRows of a complete response (an int64 string on the wire), or -1.
int64_t total_rows(const json::object& response);

// Stops a job left unfinished (cancelled, past its deadline, a poll
// failed), so it is not left running and billed. Best effort: the caller's
// own error is what the host reports, a failed jobs.cancel only a warning.
void cancel_unfinished(BigQueryApi& api, const JobRef& job, const sluice::Logger& log);

// Rows [from, rows) of a complete job: `decode` turns a page's body into
// its rows (handing them on as it goes), `commit` runs after each page.
// `bytes_per_row` sizes the pages (from the first page).
void read_rest_of_result(BigQueryApi& api, const JobRef& job, const QueryOptions& options, size_t from, size_t rows,
                         double bytes_per_row, const std::function<DecodedPage(std::string body)>& decode,
                         const std::function<void(const DecodedPage&)>& commit);

}  // namespace bigquery
