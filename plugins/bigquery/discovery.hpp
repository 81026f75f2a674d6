// Discovery: every table and view of the configured datasets (all datasets
// of the project when none are listed) becomes a stream named after the
// table, in the namespace of its dataset. When the host names the streams
// it will read, only those tables are described.
// https://cloud.google.com/bigquery/docs/reference/rest/v2/datasets/list
// https://cloud.google.com/bigquery/docs/reference/rest/v2/tables/list
// https://cloud.google.com/bigquery/docs/reference/rest/v2/tables/get
#pragma once

#include "bigquery_api.hpp"
#include "table_cache.hpp"

#include <sluice/sdk.hpp>

#include <vector>

namespace bigquery {

// The catalog stream of one table. Views and other non-TABLE types are
// marked in the description and in the schema's "x-bigquery-table-type". No
// cursor or key is declared: BigQuery tables have none, the connection picks
// them (cursor_field, primary_key).
sluice::Stream stream_for_table(const std::string& dataset, const std::string& table_id, const Table& table);

// The streams of `datasets` (empty: every dataset of the project). With a
// `selected` list, only those tables: a selection with a namespace names one
// table (skipped when its dataset is not one of `datasets`), one without
// names a table of that name in any of them (found with tables.list).
// tables.get goes through `tables`, only for the tables returned.
std::vector<sluice::Stream> discover_streams(BigQueryApi& api, TableCache& tables,
                                             const std::vector<std::string>& datasets,
                                             const std::vector<sluice::StreamRef>& selected);

}  // namespace bigquery
