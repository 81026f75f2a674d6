// Reading one stream: a jobs.query over the table, then its result pages
// through jobs.getQueryResults (pageToken), polling while the job is not
// complete (job_wait.hpp). Incremental streams are bounded and ordered as
// cursor.hpp says and checkpoint after every page, so an interrupted sync
// resumes after the last row of the last page that reached the target. A
// page token that comes back again fails the read before its page is asked
// for twice, so no page is emitted twice. A job the read leaves unfinished
// (cancelled, past job_timeout_seconds, a failed poll) is stopped with
// jobs.cancel.
// https://cloud.google.com/bigquery/docs/reference/rest/v2/jobs/query
// https://cloud.google.com/bigquery/docs/reference/rest/v2/jobs/getQueryResults
// https://cloud.google.com/bigquery/docs/reference/rest/v2/jobs/cancel
#pragma once

#include "bigquery_api.hpp"
#include "query_request.hpp"
#include "table_cache.hpp"

#include <sluice/sdk.hpp>

namespace bigquery {

// Reads `stream` from `table` (its description from tables.get) in `project`.
void read_stream(BigQueryApi& api, const Table& table, const std::string& project, const QueryOptions& options,
                 const sluice::ConfiguredStream& stream, sluice::ReadContext& ctx);

}  // namespace bigquery
