#include "mysql_source_fixture.hpp"

#include <stdexcept>

namespace mysql_source_test {

MysqlSourceFixture::MysqlSourceFixture()
    : db(dir.file("out.db")),
      source(sluice::test::TargetDb::create(sluice::test::Engine::mariadb, dir.path().string())),
      server(sluice::test::parse_server_url(source->url())) {}

void MysqlSourceFixture::exec(const std::vector<std::string>& statements) {
  for (const auto& sql : statements) source->exec(sql);
}

std::string MysqlSourceFixture::write_connection(const json::array& streams, const json::object& config_overrides) {
  json::object config{{"host", server.host},
                      {"port", server.port},
                      {"database", server.database},
                      {"user", server.user},
                      {"password", server.password}};
  for (const auto& [name, value] : config_overrides) config[name] = value;
  json::object connection{{"source", {{"plugin", "mysql"}, {"config", std::move(config)}}}, {"target", "sqlite://" + db}};
  if (!streams.empty()) connection["streams"] = streams;
  return dir.write("conn.json", json::serialize(connection));
}

ProcessResult MysqlSourceFixture::sluice(const std::vector<std::string>& args, sluice::test::ProcessOptions options) {
  options.working_dir = dir.path().string();
  return sluice::test::run_sluice(args, options);
}

std::string MysqlSourceFixture::running(const std::string& tag) {
  return source->value("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = '" + database() +
                       "' AND ID <> CONNECTION_ID() AND COMMAND <> 'Sleep' AND INFO LIKE '%" + tag + "%'");
}

json::array MysqlSourceFixture::discover_streams() {
  auto result = sluice({"discover", connection_path()});
  if (result.exit_code != 0) throw std::runtime_error("discover failed: " + result.all());
  return json::parse(result.out).at("streams").as_array();
}

json::object selection(const std::string& ns, const std::string& name, const std::string& mode,
                       const std::string& cursor, const std::string& key) {
  json::object out{{"name", name}, {"namespace", ns}, {"mode", mode}};
  if (!cursor.empty()) out["cursor_field"] = json::array{json::value(cursor)};
  if (!key.empty()) out["primary_key"] = json::array{json::array{json::value(key)}};
  return out;
}

}  // namespace mysql_source_test
