// The Databricks source connector: the schemas of one Unity Catalog catalog
// are namespaces (CATALOG.SCHEMA), tables and views are streams, reads are
// statements of the SQL Statement Execution API 2.0 on a SQL warehouse; it
// also runs queries in place (query.hpp). See docs/connectors/databricks.md.
#include "databricks_api.hpp"
#include "discovery.hpp"
#include "query.hpp"
#include "settings.hpp"
#include "spec.hpp"
#include "table_reader.hpp"

#include <sluice/sdk.hpp>

namespace databricks {

// One per session: one token (or OAuth client) and one HTTP client for every call.
class DatabricksConnector : public sluice::Connector {
 public:
  static constexpr const char* kQueryDialect = "databricks";

  DatabricksConnector(const sluice::Config& config, const sluice::Logger& log)
      : settings_(read_settings(config)), log_(log), api_(settings_, log) {}

  // Runs one statement on the warehouse and lists the catalog's schemas: the
  // credentials, the warehouse and USE CATALOG all proven.
  void check() override {
    Statement statement;
    statement.sql = "SELECT current_user(), current_catalog()";
    const json::array rows = api_.all_rows(statement, "the check statement");
    std::string user = "(unknown)";
    if (!rows.empty() && rows[0].is_array() && !rows[0].get_array().empty() && rows[0].get_array()[0].is_string()) {
      user = std::string(rows[0].get_array()[0].get_string());
    }
    api_.get("/api/2.1/unity-catalog/schemas?catalog_name=" + sluice::support::url_encode(settings_.catalog) +
                 "&max_results=1",
             "listing the schemas of catalog " + settings_.catalog);
    log_.info("connected to Databricks as " + user + " on warehouse " + settings_.warehouse_id + ", catalog " +
              settings_.catalog);
  }

  std::vector<sluice::Stream> discover(const std::vector<sluice::StreamRef>& selected) override {
    return discover_streams(api_, settings_, selected);
  }

  void read(const sluice::ConfiguredStream& stream, sluice::ReadContext& ctx) override {
    read_stream(api_, settings_, stream, ctx);
  }

  // Query in place: query.hpp.
  void query(const sluice::QueryRequest& request, sluice::QueryContext& ctx) {
    run_query(api_, settings_, request, ctx);
  }

 private:
  Settings settings_;
  const sluice::Logger& log_;
  DatabricksApi api_;
};

}  // namespace databricks

SLUICE_PLUGIN(databricks::DatabricksConnector, "databricks", "1.0.0",
              "https://github.com/sluice-dev/sluice/blob/main/docs/connectors/databricks.md",
              SLUICE_NAMESPACE_SOURCE_DEFINED,
              SLUICE_MODE_FULL_REFRESH_OVERWRITE | SLUICE_MODE_FULL_REFRESH_APPEND |
                  SLUICE_MODE_INCREMENTAL_APPEND | SLUICE_MODE_INCREMENTAL_APPEND_DEDUP,
              databricks::spec_json())
