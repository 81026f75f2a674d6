// The BigQuery source connector: datasets are namespaces, tables and views
// are streams, reads are standard-SQL query jobs. See
// docs/connectors/bigquery.md.
#include "bigquery_api.hpp"
#include "discovery.hpp"
#include "query_in_place.hpp"
#include "settings.hpp"
#include "spec.hpp"
#include "table_cache.hpp"
#include "table_reader.hpp"

#include <sluice/sdk.hpp>

namespace bigquery {

// One per session: one access token and one HTTP client for every call, and
// each table described once.
class BigQueryConnector : public sluice::Connector {
 public:
  static constexpr const char* kQueryDialect = "bigquery";

  BigQueryConnector(const sluice::Config& config, const sluice::Logger& log)
      : settings_(read_settings(config)), log_(log), api_(settings_, log), tables_(api_) {}

  // Reaches BigQuery with the key (a token is fetched on the first call) and
  // lists what discovery would read: the configured datasets' tables, or the
  // project's datasets. Runs no query, so it costs nothing.
  void check() override {
    if (settings_.datasets.empty()) {
      log_.info("project " + settings_.project_id + " has " + std::to_string(api_.list_datasets().size()) +
                " datasets");
    }
    for (const auto& dataset : settings_.datasets) {
      log_.info("dataset " + dataset + " has " + std::to_string(api_.list_tables(dataset).size()) + " tables");
    }
  }

  std::vector<sluice::Stream> discover(const std::vector<sluice::StreamRef>& selected) override {
    return discover_streams(api_, tables_, settings_.datasets, selected);
  }

  void read(const sluice::ConfiguredStream& stream, sluice::ReadContext& ctx) override {
    if (stream.ns.empty()) {
      throw sluice::Error(sluice::ErrorKind::config,
                          "the stream has no namespace (its dataset); rerun discover");
    }
    read_stream(api_, tables_.get(stream.ns, stream.name), settings_.project_id, settings_.query, stream, ctx);
  }

  // Query in place: a dry run, then the job (query_in_place.hpp).
  void query(const sluice::QueryRequest& request, sluice::QueryContext& ctx) {
    run_query(api_, QuerySettings{settings_.project_id, settings_.query, settings_.max_bytes_billed}, request, ctx,
              system_wait_clock());
  }

 private:
  Settings settings_;
  const sluice::Logger& log_;
  BigQueryApi api_;
  TableCache tables_;
};

}  // namespace bigquery

SLUICE_PLUGIN(bigquery::BigQueryConnector, "bigquery", "1.0.0",
              "https://github.com/sluice-dev/sluice/blob/main/docs/connectors/bigquery.md",
              SLUICE_NAMESPACE_SOURCE_DEFINED,
              SLUICE_MODE_FULL_REFRESH_OVERWRITE | SLUICE_MODE_FULL_REFRESH_APPEND |
                  SLUICE_MODE_INCREMENTAL_APPEND | SLUICE_MODE_INCREMENTAL_APPEND_DEDUP,
              bigquery::spec_json())
