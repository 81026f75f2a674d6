// TLS against a real PostgreSQL server: a private test server started with
// ssl=on and a certificate made by the test kit (for 127.0.0.1 and
// localhost). verify-full with that certificate as the CA file connects and
// reads; a CA that did not sign it fails in one config line.
#include "pg_source_fixture.hpp"

#include "target/private_server.hpp"

#include <testkit/keys.hpp>

#include <catch2/catch.hpp>

using namespace pg_source_test;
using sluice::test::Engine;

namespace {

std::string connection(const std::string& url, const std::string& ca_file, const std::string& target) {
  json::object config{{"url", url}, {"sslmode", "verify-full"}, {"ca_file", ca_file}};
  return json::serialize(json::object{{"source", {{"plugin", "postgres"}, {"config", std::move(config)}}},
                                      {"target", target},
                                      {"streams", json::array{selection("public", "t", "full_refresh_overwrite")}}});
}

}  // namespace

TEST_CASE("TLS: verify-full with the server's CA file connects and reads, and a CA that did not sign it fails in one config line") {
  sluice::test::TempDir dir;
  const auto identity = sluice::testkit::generate_localhost_certificate();
  const auto stranger = sluice::testkit::generate_localhost_certificate();
  const std::string cert = dir.write("server.crt", identity.cert_pem);
  const std::string key = dir.write("server.key", identity.key_pem);
  const std::string wrong_ca = dir.write("other-ca.crt", stranger.cert_pem);
  sluice::test::PrivateServer server(Engine::postgres, {{"SLUICE_PG_TLS_CERT", cert}, {"SLUICE_PG_TLS_KEY", key}});
  auto source = sluice::test::TargetDb::create(Engine::postgres, dir.path().string(), server.url());
  source->exec("CREATE TABLE t (id int PRIMARY KEY, name text); INSERT INTO t VALUES (1, 'over TLS')");
  // The server really speaks TLS: the test's own view of its sessions.
  CHECK(source->value("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()") == "t");

  sluice::test::ProcessOptions options;
  options.working_dir = dir.path().string();
  const std::string out = dir.file("out.db");
  dir.write("conn.json", connection(source->url(), cert, "sqlite://" + out));
  auto check = sluice::test::run_sluice({"check", dir.file("conn.json")}, options);
  INFO(check.all());
  CHECK(check.exit_code == 0);
  auto sync = sluice::test::run_sluice({"sync", dir.file("conn.json")}, options);
  INFO(sync.all());
  REQUIRE(sync.exit_code == 0);
  CHECK(sluice::test::sqlite_rows(out, "SELECT id, name FROM public__t") == Rows{{"1", "over TLS"}});

  dir.write("conn.json", connection(source->url(), wrong_ca, "sqlite://" + out));
  auto refused = sluice::test::run_sluice({"check", dir.file("conn.json")}, options);
  INFO(refused.all());
  CHECK(refused.exit_code != 0);
  CHECK_THAT(refused.out, !Catch::Contains("source: the config is valid"));
  // One line: where, libpq's reason, the kind; nothing of the password.
  CHECK_THAT(refused.err, Catch::Matches("error: [^\n]*cannot connect to 127\\.0\\.0\\.1:[0-9]+/[^ ]+: [^\n]*"
                                         "certificate verify failed[^\n]* \\[config\\]\n"));
  CHECK_THAT(refused.err, !Catch::Contains(sluice::test::parse_server_url(server.url()).password));
}
