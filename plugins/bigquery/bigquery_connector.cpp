// The BigQuery source connector: datasets are namespaces, tables and views
// are streams, reads are standard-SQL query jobs. See
// docs/connectors/bigquery.md.
#include "bigquery_api.hpp"
#include "discovery.hpp"
#include "settings.hpp"
#include "spec.hpp"
#include "table_reader.hpp"

#include <sluice/sdk.hpp>

namespace bigquery {

class BigQueryConnector : public sluice::Connector {
 public:
  // Reaches BigQuery with the key (a token is fetched on the first call) and
  // lists what discovery would read: the configured datasets' tables, or the
  // project's datasets. Runs no query, so it costs nothing.
  void check(const sluice::Config& config, sluice::Logger& log) override {
    const Settings settings = read_settings(config);
    BigQueryApi api(settings, log);
    if (settings.datasets.empty()) {
      log.info("bigquery: project " + settings.project_id + " has " + std::to_string(api.list_datasets().size()) +
               " datasets");
    }
    for (const auto& dataset : settings.datasets) {
      log.info("bigquery: dataset " + dataset + " has " + std::to_string(api.list_tables(dataset).size()) + " tables");
    }
  }

  std::vector<sluice::Stream> discover(const sluice::Config& config, sluice::Logger& log) override {
    const Settings settings = read_settings(config);
    BigQueryApi api(settings, log);
    return discover_streams(api, settings.datasets);
  }

  void read(const sluice::Config& config, const std::vector<sluice::ConfiguredStream>& streams,
            sluice::ReadContext& ctx) override {
    const Settings settings = read_settings(config);
    BigQueryApi api(settings, ctx);
    for (const auto& stream : streams) {
      if (stream.ns.empty()) {
        throw sluice::Error(sluice::ErrorKind::config,
                            "bigquery: stream " + stream.name + " has no namespace (its dataset); rerun discover");
      }
      read_stream(api, settings.project_id, settings.query, stream, ctx);
    }
  }
};

}  // namespace bigquery

SLUICE_PLUGIN(bigquery::BigQueryConnector, "bigquery", "1.0.0",
              "https://github.com/sluice-dev/sluice/blob/main/docs/connectors/bigquery.md",
              SLUICE_NAMESPACE_SOURCE_DEFINED,
              SLUICE_MODE_FULL_REFRESH_OVERWRITE | SLUICE_MODE_FULL_REFRESH_APPEND |
                  SLUICE_MODE_INCREMENTAL_APPEND | SLUICE_MODE_INCREMENTAL_APPEND_DEDUP,
              bigquery::spec_json())
