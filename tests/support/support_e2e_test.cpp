// The support library end to end: the support_echo test connector, loaded by
// the real sluice CLI, reads a paginated API from a FakeServer over verified
// TLS, survives injected faults and lands every row in SQLite.
#include "common/process.hpp"
#include "common/sqlite_reader.hpp"
#include "common/temp_dir.hpp"
#include "testkit/fake_server.hpp"

#include <catch2/catch.hpp>

#include <atomic>

using namespace sluice::test;
using sluice::testkit::FakeRequest;
using sluice::testkit::FakeResponse;
using sluice::testkit::FakeServer;
namespace json = boost::json;

namespace {

const std::string kSecret = "echo-SECRET-7731";

// 25 items, listed page by page; only the token it issued is accepted.
struct EchoApi {
  std::atomic<int> tokens{0};
  bool pretty = false;  // pages laid out over many lines, as some APIs and proxies send them
  FakeResponse operator()(const FakeRequest& r) {
    if (r.path == "/oauth/token") {
      auto form = r.form();
      if (form["client_secret"] != kSecret) {
        return FakeResponse::json(401, json::object{{"error", "access_denied"}, {"error_description", "Unauthorized"}});
      }
      ++tokens;
      return FakeResponse::json(200, json::object{{"access_token", "issued-token"}, {"expires_in", 86400}});
    }
    if (r.header("Authorization") != "Bearer issued-token") {
      return FakeResponse::json(401, json::object{{"message", "Invalid token"}});
    }
    const int page = std::stoi(r.query("page", "0"));
    const int per_page = std::stoi(r.query("per_page", "10"));
    json::array items;
    for (int id = page * per_page + 1; id <= std::min(25, (page + 1) * per_page); ++id) {
      items.push_back(json::object{{"id", id}, {"name", "item " + std::to_string(id)}});
    }
    FakeResponse response = FakeResponse::json(200, json::object{{"items", items}, {"total", 25}});
    if (pretty) {
      for (const char* token : {"{", "[", ","}) {
        for (size_t at = 0; (at = response.body.find(token, at)) != std::string::npos; at += 3) response.body.insert(at + 1, "\n  ");
      }
    }
    return response;
  }
};

std::string write_connection(TempDir& dir, const FakeServer& server, const std::string& secret) {
  json::object connection{
      {"source",
       {{"plugin", "support_echo"},
        {"config",
         {{"client_id", "c1"}, {"client_secret", secret}, {"page_size", 10}, {"base_url", server.base_url()},
          {"ca_file", server.ca_file()}}}}},
      {"target", "sqlite://" + dir.file("out.db")}};
  return dir.write("echo.json", json::serialize(connection));
}

ProcessResult sluice_cmd(const std::vector<std::string>& args) {
  std::vector<std::string> all = args;
  all.push_back("--plugin-dir");
  all.push_back(SLUICE_TEST_PLUGIN_DIR);
  return run_sluice(all);
}

}  // namespace

TEST_CASE("a connector on the support library syncs a paginated API through faults into SQLite") {
  EchoApi api;
  FakeServer server([&](const FakeRequest& r) { return api(r); });
  FakeResponse busy = FakeResponse::json(503, json::object{{"message", "busy"}});
  server.inject(busy);  // the token request
  TempDir dir;
  const auto connection = write_connection(dir, server, kSecret);

  auto run = sluice_cmd({"sync", connection});
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  const std::string db = dir.file("out.db");
  CHECK(sqlite_value(db, "SELECT COUNT(*) FROM items") == "25");
  CHECK(sqlite_value(db, "SELECT COUNT(DISTINCT id) FROM items") == "25");
  CHECK(sqlite_value(db, "SELECT name FROM items WHERE id = 25") == "item 25");
  CHECK(api.tokens == 1);
  // token (503, then 200), then pages 0, 1, 2.
  CHECK(server.request_count() == 5);
  CHECK(run.all().find("HTTP 503") != std::string::npos);  // the retry was logged
  CHECK(run.all().find(kSecret) == std::string::npos);
  CHECK(run.all().find("issued-token") == std::string::npos);
}

TEST_CASE("records of a pretty-printed page cross to the host one per line and land whole") {
  EchoApi api;
  api.pretty = true;
  FakeServer server([&](const FakeRequest& r) { return api(r); });
  TempDir dir;
  auto run = sluice_cmd({"sync", write_connection(dir, server, kSecret)});
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK(sqlite_value(dir.file("out.db"), "SELECT COUNT(*) FROM items") == "25");
  CHECK(sqlite_value(dir.file("out.db"), "SELECT name FROM items WHERE id = 12") == "item 12");
}

TEST_CASE("wrong credentials fail check with one auth line naming the client, not the secret") {
  EchoApi api;
  FakeServer server([&](const FakeRequest& r) { return api(r); });
  TempDir dir;
  const auto connection = write_connection(dir, server, "not-the-" + kSecret);
  auto check = sluice_cmd({"check", connection});
  INFO(check.all());
  CHECK(check.exit_code == 1);
  CHECK(check.all().find("client c1: the token endpoint " + server.base_url() +
                         "/oauth/token refused the credentials: access_denied: Unauthorized") != std::string::npos);
  CHECK(check.all().find(kSecret) == std::string::npos);
}

TEST_CASE("plain http to a non-loopback base_url is refused before anything is sent") {
  TempDir dir;
  json::object connection{{"source",
                           {{"plugin", "support_echo"},
                            {"config", {{"client_id", "c1"}, {"client_secret", kSecret}, {"base_url", "http://api.example.com"}}}}},
                          {"target", "sqlite://" + dir.file("out.db")}};
  auto check = sluice_cmd({"check", dir.write("echo.json", json::serialize(connection))});
  INFO(check.all());
  CHECK(check.exit_code == 1);  // the plugin's check failed (with a config-kind error)
  CHECK(check.all().find("base_url: plain http:// is allowed only for loopback hosts") != std::string::npos);
}
