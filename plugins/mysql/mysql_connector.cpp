// The MySQL / MariaDB source connector: the configured database is the
// namespace, its tables and views are streams, a full refresh reads one
// consistent snapshot (in key ranges, in parallel when asked), an
// incremental read follows a cursor column and the primary key; a query in
// place runs read-only at the source. See docs/connectors/mysql.md.
#include "catalog.hpp"
#include "query.hpp"
#include "session.hpp"
#include "settings.hpp"
#include "spec.hpp"
#include "table_reader.hpp"

#include <sluice/sdk.hpp>

namespace mysql_source {

// One per session; a connection is opened per call.
class MysqlConnector : public sluice::Connector {
 public:
  static constexpr const char* kQueryDialect = "mysql";

  MysqlConnector(const sluice::Config& config, const sluice::Logger& log)
      : settings_(read_settings(config)), log_(log) {}

  void check() override {
    Session session(settings_, log_);
    log_.info(std::string("connected to ") + (session.flavor() == Flavor::mariadb ? "MariaDB " : "MySQL ") +
              session.server_version() + " at " + settings_.where() + " as " + settings_.user);
  }

  std::vector<sluice::Stream> discover(const std::vector<sluice::StreamRef>& selected) override {
    Session session(settings_, log_);
    std::vector<sluice::Stream> streams;
    for (const auto& table : list_tables(session, settings_, selected)) streams.push_back(to_stream(table));
    return streams;
  }

  void read(const sluice::ConfiguredStream& stream, sluice::ReadContext& ctx) override {
    if (!stream.ns.empty() && stream.ns != settings_.database) {
      throw sluice::Error(sluice::ErrorKind::config, "namespace " + stream.ns + " is not the configured database " +
                                                         settings_.database + "; rerun discover");
    }
    Session session(settings_, log_);
    const Table table = find_table(session, settings_, stream.name);
    if (stream.incremental()) {
      read_incremental(session, table, settings_, ctx);
    } else {
      read_full_refresh(session, settings_, log_, table, ctx);
    }
  }

  // Query in place (query.hpp): read-only transaction, statement timeout,
  // bound parameters, rows streamed, KILL QUERY on cancel.
  void query(const sluice::QueryRequest& request, sluice::QueryContext& ctx) { run_query(settings_, log_, request, ctx); }

 private:
  Settings settings_;
  const sluice::Logger& log_;
};

}  // namespace mysql_source

SLUICE_PLUGIN(mysql_source::MysqlConnector, "mysql", "1.0.0",
              "https://github.com/sluice-dev/sluice/blob/main/docs/connectors/mysql.md",
              SLUICE_NAMESPACE_SOURCE_DEFINED,
              SLUICE_MODE_FULL_REFRESH_OVERWRITE | SLUICE_MODE_FULL_REFRESH_APPEND |
                  SLUICE_MODE_INCREMENTAL_APPEND | SLUICE_MODE_INCREMENTAL_APPEND_DEDUP,
              mysql_source::kSpecJson)
