#include "pg_source_fixture.hpp"

#include <libpq-fe.h>

#include <stdexcept>

namespace pg_source_test {

PgSourceFixture::PgSourceFixture()
    : db(dir.file("out.db")), source(sluice::test::TargetDb::create(sluice::test::Engine::postgres, dir.path().string())) {}

std::string PgSourceFixture::write_connection(const json::array& streams, const json::object& config_overrides,
                                              const std::string& target) {
  json::object config{{"url", source->url()}};
  for (const auto& [name, value] : config_overrides) config[name] = value;
  json::object connection{{"source", {{"plugin", "postgres"}, {"config", std::move(config)}}},
                          {"target", target.empty() ? "sqlite://" + db : target}};
  if (!streams.empty()) connection["streams"] = streams;
  return dir.write("conn.json", json::serialize(connection));
}

ProcessResult PgSourceFixture::sluice(const std::vector<std::string>& args, sluice::test::ProcessOptions options) {
  options.working_dir = dir.path().string();
  return sluice::test::run_sluice(args, options);
}

std::string PgSourceFixture::running(const std::string& tag) {
  return source->value("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' "
                       "AND pid <> pg_backend_pid() AND query LIKE '%" + tag + "%'");
}

json::array PgSourceFixture::discover_streams() {
  auto result = sluice({"discover", connection_path()});
  if (result.exit_code != 0) throw std::runtime_error("discover failed: " + result.all());
  return json::parse(result.out).at("streams").as_array();
}

std::string PgSourceFixture::url_as(const std::string& user, const std::string& password) const {
  auto parts = sluice::test::parse_server_url(source->url());
  return "postgresql://" + user + ":" + password + "@" + parts.host + ":" + std::to_string(parts.port) + "/" +
         parts.database;
}

json::object selection(const std::string& schema, const std::string& name, const std::string& mode,
                       const std::string& cursor, const std::string& key) {
  json::object out{{"name", name}, {"namespace", schema}, {"mode", mode}};
  if (!cursor.empty()) out["cursor_field"] = json::array{json::value(cursor)};
  if (!key.empty()) out["primary_key"] = json::array{json::array{json::value(key)}};
  return out;
}

void admin_exec(const std::string& sql) {
  auto url = sluice::test::parse_server_url(sluice::test::test_server_url("postgres"));
  const std::string conninfo = "host=" + url.host + " port=" + std::to_string(url.port) + " user=" + url.user +
                               " password=" + url.password + " dbname=" + url.database;
  PGconn* conn = PQconnectdb(conninfo.c_str());
  PGresult* result = PQexec(conn, sql.c_str());
  const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK || PQresultStatus(result) == PGRES_TUPLES_OK;
  std::string message = PQerrorMessage(conn);
  PQclear(result);
  PQfinish(conn);
  if (!ok) throw std::runtime_error("admin statement failed: " + message);
}

}  // namespace pg_source_test
