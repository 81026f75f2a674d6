// Discovery: every table and view of the configured datasets (all datasets
// of the project when none are listed) becomes a stream named after the
// table, in the namespace of its dataset.
// https://cloud.google.com/bigquery/docs/reference/rest/v2/datasets/list
// https://cloud.google.com/bigquery/docs/reference/rest/v2/tables/list
// https://cloud.google.com/bigquery/docs/reference/rest/v2/tables/get
#pragma once

#include "bigquery_api.hpp"

#include <sluice/sdk.hpp>

#include <vector>

namespace bigquery {

// The catalog stream of one table, from its Table resource (tables.get).
// Views and other non-TABLE types are marked in the description and in the
// schema's "x-bigquery-table-type". No cursor or key is declared: BigQuery
// tables have none, the connection picks them (cursor_field, primary_key).
sluice::Stream stream_for_table(const std::string& dataset, const std::string& table_id,
                                const json::object& table_resource);

std::vector<sluice::Stream> discover_streams(BigQueryApi& api, const std::vector<std::string>& datasets);

}  // namespace bigquery
