// Starting and stopping `sluice serve`: where it listens, its store and
// schema migrations, API keys, TLS, bad settings, SIGTERM.
#include "common/process.hpp"
#include "common/sqlite_reader.hpp"
#include "serve/daemon_fixture.hpp"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/StreamCopier.h>
#include <catch2/catch.hpp>

#include <sqlite3.h>
#include <sys/wait.h>

using namespace sluice::test;
namespace json = boost::json;

TEST_CASE("sluice serve prints the port it picked and answers /healthz without a key and exits 0 on SIGTERM") {
  TempDir dir;
  Daemon daemon(dir.path());
  daemon.start();
  CHECK_THAT(daemon.first_line(), Catch::StartsWith("sluice serve: listening on http://127.0.0.1:"));
  CHECK_THAT(daemon.first_line(), Catch::Contains("store sqlite://./sluice-server.db, schema version 5"));
  CHECK(daemon.port() > 0);
  auto health = daemon.get("/healthz", "");
  CHECK(health.status == 200);
  CHECK(health.json() == json::parse(R"({"status":"ok"})"));
  // The default store and key file land in the working folder.
  CHECK(std::filesystem::exists(dir.path() / "sluice-server.db"));
  CHECK(std::filesystem::exists(dir.path() / "sluice-server.key"));
  CHECK((std::filesystem::status(dir.path() / "sluice-server.key").permissions() & std::filesystem::perms::group_read) ==
        std::filesystem::perms::none);
  const int status = daemon.stop();
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK_THAT(daemon.log(), Catch::Contains("sluice serve: SIGTERM: stopping"));
  CHECK_THAT(daemon.log(), Catch::Contains("sluice serve: stopped"));
}

TEST_CASE("the store is migrated on start and a store with a newer schema is refused with one line") {
  TempDir dir;
  Daemon daemon(dir.path());
  daemon.start();
  daemon.stop();
  const std::string db = (dir.path() / "sluice-server.db").string();
  CHECK(sqlite_value(db, "SELECT MAX(version) FROM sluice_serve_schema") == "5");
  CHECK(sqlite_has_table(db, "sluice_jobs"));
  CHECK(sqlite_has_table(db, "sluice_ingest_streams"));
  CHECK(sqlite_has_table(db, "sluice_queries"));
  CHECK(sqlite_has_table(db, "sluice_ingest_backfills"));
  // A later sluice migrated this store further.
  sqlite3* handle = nullptr;
  REQUIRE(sqlite3_open(db.c_str(), &handle) == SQLITE_OK);
  CHECK(sqlite3_exec(handle, "INSERT INTO sluice_serve_schema (version, applied_at) VALUES (6, 'later')", nullptr,
                     nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(handle);
  ProcessOptions options;
  options.working_dir = dir.path().string();
  auto run = run_sluice({"serve", "--config", daemon.config_file()}, options);
  CHECK(run.exit_code == 2);
  CHECK(run.out.empty());
  CHECK(run.err == "error: store sqlite://./sluice-server.db: schema version 6 is newer than this sluice knows (5); "
                   "run a newer sluice or restore a matching backup\n");
}

TEST_CASE("keys create prints the key once on stdout and the store keeps only a salted hash") {
  TempDir dir;
  Daemon daemon(dir.path());
  const std::string key = daemon.create_key("operator");
  REQUIRE(key.size() == 4 + 16 + 1 + 64);
  CHECK_THAT(key, Catch::StartsWith("slk_"));
  const std::string secret = key.substr(21);
  const std::string db = (dir.path() / "sluice-server.db").string();
  auto rows = sqlite_rows(db, "SELECT id, role, salt, hash FROM sluice_api_keys");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0][0] == key.substr(4, 16));
  CHECK(rows[0][1] == "operator");
  CHECK(rows[0][2].size() == 32);
  CHECK(rows[0][3].size() == 64);
  CHECK(rows[0][3] != secret);
  CHECK(read_file(db).find(secret) == std::string::npos);
  // Two keys never share a salt.
  daemon.create_key("operator");
  CHECK(sqlite_value(db, "SELECT COUNT(DISTINCT salt) FROM sluice_api_keys") == "2");
}

TEST_CASE("keys create refuses an unknown role with one line") {
  TempDir dir;
  ProcessOptions options;
  options.working_dir = dir.path().string();
  auto run = run_sluice({"serve", "keys", "create", "--role", "root"}, options);
  CHECK(run.exit_code == 2);
  CHECK(run.err == "error: serve keys create: --role must be admin, operator, viewer or ingest (got root)\n");
  CHECK_FALSE(std::filesystem::exists(dir.path() / "sluice-server.db"));
}

TEST_CASE("a bad serve.json is refused with one line per problem naming the file and the field") {
  TempDir dir;
  const std::string config = dir.write("serve.json", R"({"listen": {"port": 70000}, "tls": {"certificate": "c.pem"},
                                                        "colour": "blue"})");
  ProcessOptions options;
  options.working_dir = dir.path().string();
  auto run = run_sluice({"serve", "--config", config}, options);
  CHECK(run.exit_code == 2);
  CHECK(run.err == "error: " + config + ": colour: unknown setting\n" + "error: " + config +
                       ": listen.port: expected an integer from 0 to 65535\n" + "error: " + config +
                       ": tls: certificate and private_key go together\n");
}

TEST_CASE("with a certificate and a key the daemon serves HTTPS") {
  TempDir dir;
  auto made = run_process({"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                           "ec_paramgen_curve:prime256v1", "-nodes", "-subj", "/CN=127.0.0.1", "-days", "1",
                           "-keyout", dir.file("key.pem"), "-out", dir.file("cert.pem")});
  REQUIRE(made.exit_code == 0);
  Daemon daemon(dir.path(), {{"tls", {{"certificate", dir.file("cert.pem")}, {"private_key", dir.file("key.pem")}}}});
  daemon.start();
  CHECK_THAT(daemon.first_line(), Catch::StartsWith("sluice serve: listening on https://127.0.0.1:"));
  // The client trusts exactly this certificate.
  Poco::Net::Context::Ptr context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", dir.file("cert.pem"),
                                                           Poco::Net::Context::VERIFY_RELAXED);
  Poco::Net::HTTPSClientSession session("127.0.0.1", static_cast<Poco::UInt16>(daemon.port()), context);
  Poco::Net::HTTPRequest request("GET", "/healthz", Poco::Net::HTTPMessage::HTTP_1_1);
  session.sendRequest(request);
  Poco::Net::HTTPResponse response;
  std::string body;
  Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
  CHECK(response.getStatus() == 200);
  CHECK(body == R"({"status":"ok"})");
}
