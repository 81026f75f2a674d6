// Discovery through Unity Catalog's REST API: the catalog's schemas
// (GET /api/2.1/unity-catalog/schemas, unless the config lists them), then
// each schema's tables with their columns (GET /api/2.1/unity-catalog/tables),
// page by page until next_page_token is absent or empty (a page may be empty
// and still carry one). Namespace CATALOG.SCHEMA, stream = table; views are
// streams too, marked in their description; a primary key constraint, when
// the table declares one, is the stream's primary key.
// https://docs.databricks.com/api/workspace/schemas/list
// https://docs.databricks.com/api/workspace/tables/list
#pragma once

#include "databricks_api.hpp"
#include "settings.hpp"

#include <sluice/sdk.hpp>

#include <string>
#include <vector>

namespace databricks {

// The streams of the configured catalog, only the `selected` ones when not empty.
std::vector<sluice::Stream> discover_streams(DatabricksApi& api, const Settings& settings,
                                             const std::vector<sluice::StreamRef>& selected);

// One Unity Catalog TableInfo as a stream of namespace `ns`.
sluice::Stream stream_of_table(const json::object& table, const std::string& ns);

// The schema of namespace "CATALOG.SCHEMA"; throws sluice::Error(config)
// when it is not in the configured catalog.
std::string schema_of_namespace(const std::string& ns, const Settings& settings);

}  // namespace databricks
