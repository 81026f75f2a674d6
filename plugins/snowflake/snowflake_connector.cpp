// The Snowflake source connector: the schemas of one database are
// namespaces (DATABASE.SCHEMA), tables and views are streams, reads are
// statements of the SQL API v2; it also runs queries in place (query.hpp).
// See docs/connectors/snowflake.md.
#include "discovery.hpp"
#include "query.hpp"
#include "settings.hpp"
#include "snowflake_api.hpp"
#include "spec.hpp"
#include "table_reader.hpp"

#include <sluice/sdk.hpp>

namespace snowflake {

// One per session: one JWT (or token) and one HTTP client for every call.
class SnowflakeConnector : public sluice::Connector {
 public:
  static constexpr const char* kQueryDialect = "snowflake";

  SnowflakeConnector(const sluice::Config& config, const sluice::Logger& log)
      : settings_(read_settings(config)), log_(log), api_(settings_, log) {}

  // Runs one statement in the configured context (user, role, warehouse,
  // database): the cheapest proof that all of them work.
  void check() override {
    Statement statement;
    statement.sql = "SELECT CURRENT_USER(), CURRENT_ROLE(), CURRENT_WAREHOUSE(), CURRENT_DATABASE()";
    const json::array rows = api_.all_rows(statement, "the check statement");
    std::string said;
    if (!rows.empty() && rows[0].is_array()) {
      const char* names[] = {"user", "role", "warehouse", "database"};
      const auto& row = rows[0].get_array();
      for (size_t i = 0; i < row.size() && i < 4; ++i) {
        said += std::string(i ? ", " : "") + names[i] + " " + (row[i].is_string() ? std::string(row[i].get_string()) : "(none)");
      }
    }
    log_.info("connected to Snowflake as " + said);
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
  SnowflakeApi api_;
};

}  // namespace snowflake

SLUICE_PLUGIN(snowflake::SnowflakeConnector, "snowflake", "1.0.0",
              "https://github.com/sluice-dev/sluice/blob/main/docs/connectors/snowflake.md",
              SLUICE_NAMESPACE_SOURCE_DEFINED,
              SLUICE_MODE_FULL_REFRESH_OVERWRITE | SLUICE_MODE_FULL_REFRESH_APPEND |
                  SLUICE_MODE_INCREMENTAL_APPEND | SLUICE_MODE_INCREMENTAL_APPEND_DEDUP,
              snowflake::spec_json())
