// The PostgreSQL source connector (and its wire family: CockroachDB,
// Redshift): schemas are namespaces, tables and views are streams, a full
// refresh reads one exported snapshot in parallel ranges, an incremental read
// follows a cursor column and the primary key, and a query in place runs
// read-only at the source. See docs/connectors/postgres.md.
#include "catalog.hpp"
#include "query.hpp"
#include "session.hpp"
#include "settings.hpp"
#include "spec.hpp"
#include "table_reader.hpp"

#include <sluice/sdk.hpp>

#include <memory>

namespace postgres {

// One per session; a connection is opened per call (discover and read may
// come long apart, and an idle connection must not pin a snapshot).
class PostgresConnector : public sluice::Connector {
 public:
  static constexpr const char* kQueryDialect = "postgresql";

  PostgresConnector(const sluice::Config& config, const sluice::Logger& log)
      : settings_(read_settings(config)), log_(log) {}

  void check() override {
    Session session(settings_, log_);
    Result who = session.exec("SELECT current_user, current_database(), current_setting('server_version')",
                              "checking the connection");
    log_.info(std::string("connected to ") + to_string(session.flavor()) + " " + PQgetvalue(who.get(), 0, 2) +
              " at " + settings_.where + " as " + PQgetvalue(who.get(), 0, 0));
  }

  std::vector<sluice::Stream> discover(const std::vector<sluice::StreamRef>& selected) override {
    Session session(settings_, log_);
    std::vector<sluice::Stream> streams;
    for (const auto& table : list_tables(session, settings_, selected)) streams.push_back(to_stream(table));
    return streams;
  }

  void read(const sluice::ConfiguredStream& stream, sluice::ReadContext& ctx) override {
    if (stream.ns.empty()) throw sluice::Error(sluice::ErrorKind::config, "the stream has no schema; rerun discover");
    Session session(settings_, log_);
    const Table table = find_table(session, settings_, stream.ns, stream.name);
    if (stream.incremental()) {
      read_incremental(session, table, settings_, ctx);
    } else {
      read_full_refresh(session, settings_, log_, table, ctx);
    }
  }

  // Query in place (query.hpp): read-only transaction, statement_timeout,
  // typed bound parameters, rows streamed, PQcancel on cancel.
  void query(const sluice::QueryRequest& request, sluice::QueryContext& ctx) { run_query(settings_, log_, request, ctx); }

 private:
  Settings settings_;
  const sluice::Logger& log_;
};

}  // namespace postgres

SLUICE_PLUGIN(postgres::PostgresConnector, "postgres", "1.0.0",
              "https://github.com/sluice-dev/sluice/blob/main/docs/connectors/postgres.md",
              SLUICE_NAMESPACE_SOURCE_DEFINED,
              SLUICE_MODE_FULL_REFRESH_OVERWRITE | SLUICE_MODE_FULL_REFRESH_APPEND |
                  SLUICE_MODE_INCREMENTAL_APPEND | SLUICE_MODE_INCREMENTAL_APPEND_DEDUP,
              postgres::kSpecJson)
