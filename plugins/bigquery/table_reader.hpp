// Reading one stream: a jobs.query over the table, then its result pages
// through jobs.getQueryResults (pageToken), polling while the job is not
// complete. Incremental streams are bounded and ordered as cursor.hpp says
// and checkpoint after every page, so an interrupted sync resumes after the
// last row of the last page that reached the target.
// https://cloud.google.com/bigquery/docs/reference/rest/v2/jobs/query
// https://cloud.google.com/bigquery/docs/reference/rest/v2/jobs/getQueryResults
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
