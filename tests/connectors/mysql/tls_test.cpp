// TLS against a real MariaDB server: a private test server started with a
// certificate made by the test kit (for 127.0.0.1 and localhost).
// verify_identity with that certificate as the CA file connects and reads;
// a CA that did not sign it fails in one config line.
#include "mysql_source_fixture.hpp"

#include "target/private_server.hpp"

#include <testkit/keys.hpp>

#include <catch2/catch.hpp>

#include <filesystem>

using namespace mysql_source_test;
using sluice::test::Engine;

namespace {

std::string connection(const sluice::test::ServerUrl& server, const std::string& database, const std::string& ca_file,
                       const std::string& target) {
  json::object config{{"host", server.host},         {"port", server.port},
                      {"user", server.user},         {"password", server.password},
                      {"database", database},        {"ssl_mode", "verify_identity"},
                      {"ca_file", ca_file}};
  return json::serialize(json::object{{"source", {{"plugin", "mysql"}, {"config", std::move(config)}}},
                                      {"target", target},
                                      {"streams", json::array{selection(database, "t", "full_refresh_overwrite")}}});
}

}  // namespace

TEST_CASE("MySQL TLS: verify_identity with the server's CA file connects and reads, and a CA that did not sign it fails in one config line") {
  sluice::test::TempDir dir;
  const auto identity = sluice::testkit::generate_localhost_certificate();
  const auto stranger = sluice::testkit::generate_localhost_certificate();
  // The server runs as another user: its certificate and (test) key are readable.
  namespace fs = std::filesystem;
  fs::permissions(dir.path(), fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                  fs::perms::others_read | fs::perms::others_exec);
  const std::string cert = dir.write("server.crt", identity.cert_pem);
  const std::string key = dir.write("server.key", identity.key_pem);
  fs::permissions(key, fs::perms::owner_read | fs::perms::owner_write | fs::perms::others_read);
  const std::string wrong_ca = dir.write("other-ca.crt", stranger.cert_pem);
  sluice::test::PrivateServer server(Engine::mariadb,
                                     {{"SLUICE_MARIADB_ARGS", "--ssl-cert=" + cert + " --ssl-key=" + key}});
  auto source = sluice::test::TargetDb::create(Engine::mariadb, dir.path().string(), server.url());
  source->exec("CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(20))");
  source->exec("INSERT INTO t VALUES (1, 'over TLS')");
  const auto url = sluice::test::parse_server_url(source->url());

  sluice::test::ProcessOptions options;
  options.working_dir = dir.path().string();
  const std::string out = dir.file("out.db");
  dir.write("conn.json", connection(url, url.database, cert, "sqlite://" + out));
  auto check = sluice::test::run_sluice({"check", dir.file("conn.json")}, options);
  INFO(check.all());
  CHECK(check.exit_code == 0);
  auto sync = sluice::test::run_sluice({"sync", dir.file("conn.json")}, options);
  INFO(sync.all());
  REQUIRE(sync.exit_code == 0);
  CHECK(sluice::test::sqlite_rows(out, "SELECT id, name FROM " + url.database + "__t") == Rows{{"1", "over TLS"}});

  dir.write("conn.json", connection(url, url.database, wrong_ca, "sqlite://" + out));
  auto refused = sluice::test::run_sluice({"check", dir.file("conn.json")}, options);
  INFO(refused.all());
  CHECK(refused.exit_code != 0);
  CHECK_THAT(refused.out, !Catch::Contains("source: the config is valid"));
  CHECK_THAT(refused.err, Catch::Matches("error: [^\n]*cannot connect to 127\\.0\\.0\\.1:[0-9]+/[^ ]+: [^\n]*"
                                         "\\[config\\]\n"));
  CHECK_THAT(refused.err, !Catch::Contains(url.password));
}
