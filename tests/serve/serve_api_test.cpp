// The API without running syncs: authentication and roles, plugins and
// config validation, connections (secrets masked, encrypted at rest), errors,
// health, metrics and the OpenAPI document itself.
#include "common/process.hpp"
#include "common/sqlite_reader.hpp"
#include "host/serve/secret_box.hpp"
#include "serve/daemon_fixture.hpp"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <catch2/catch.hpp>

using namespace sluice::test;
namespace json = boost::json;

namespace {

struct Api {
  TempDir dir;
  Daemon daemon{dir.path()};
  std::string admin, operator_, viewer;
  Api() {
    admin = daemon.create_key("admin");
    operator_ = daemon.create_key("operator");
    viewer = daemon.create_key("viewer");
    daemon.start();
  }
};

std::string error_code(const HttpAnswer& answer) { return std::string(answer.json().at("code").as_string()); }
std::string message(const HttpAnswer& answer) { return std::string(answer.json().at("message").as_string()); }

}  // namespace

TEST_CASE("every route but /healthz needs a key: no key or a malformed or unknown one is a 401 JSON error") {
  Api api;
  auto none = api.daemon.get("/v1/connections", "");
  CHECK(none.status == 401);
  CHECK(none.json() == json::parse(R"({"code":"unauthenticated",
      "message":"missing API key: send the header Authorization: Bearer <key>"})"));
  CHECK(api.daemon.get("/metrics", "").status == 401);
  CHECK(api.daemon.get("/readyz", "").status == 401);
  auto malformed = api.daemon.get("/v1/syncs", "not-a-key");
  CHECK(malformed.status == 401);
  CHECK(message(malformed) == "unknown or revoked API key");
  // Right shape, right id, wrong secret.
  std::string forged = api.viewer;
  forged.back() = forged.back() == '0' ? '1' : '0';
  auto unknown = api.daemon.get("/v1/syncs", forged);
  CHECK(unknown.status == 401);
  CHECK(error_code(unknown) == "unauthenticated");
  CHECK(api.daemon.get("/v1/syncs", api.viewer).status == 200);
}

TEST_CASE("roles: a viewer reads and an operator triggers but only an admin manages connections and keys (403 names the role needed)") {
  Api api;
  const auto body = synthetic_connection("roles", api.dir.path());
  auto by_viewer = api.daemon.post("/v1/connections", api.viewer, body);
  CHECK(by_viewer.status == 403);
  CHECK(by_viewer.json() ==
        json::parse(R"({"code":"forbidden","message":"this needs the admin role; the key has viewer"})"));
  auto by_operator = api.daemon.post("/v1/connections", api.operator_, body);
  CHECK(by_operator.status == 403);
  CHECK(message(by_operator) == "this needs the admin role; the key has operator");
  auto by_admin = api.daemon.post("/v1/connections", api.admin, body);
  REQUIRE(by_admin.status == 201);
  const std::string id(by_admin.json().at("id").as_string());
  // A viewer may read it but not trigger a sync; an operator may.
  CHECK(api.daemon.get("/v1/connections/" + id, api.viewer).status == 200);
  auto trigger = api.daemon.post("/v1/connections/" + id + "/syncs", api.viewer, json::object{});
  CHECK(trigger.status == 403);
  CHECK(message(trigger) == "this needs the operator role; the key has viewer");
  CHECK(api.daemon.post("/v1/connections/" + id + "/syncs", api.operator_, json::object{}).status == 201);
  // Keys through the API: admin only, and the new key works at once.
  CHECK(api.daemon.post("/v1/keys", api.operator_, json::object{{"role", "viewer"}}).status == 403);
  auto made = api.daemon.post("/v1/keys", api.admin, json::object{{"role", "viewer"}, {"name", "grafana"}});
  REQUIRE(made.status == 201);
  CHECK(api.daemon.get("/v1/syncs", std::string(made.json().at("key").as_string())).status == 200);
}

TEST_CASE("keys: an admin lists keys without their secrets and a revoked key is refused at once, even after it was used") {
  Api api;
  auto made = api.daemon.post("/v1/keys", api.admin, json::object{{"role", "viewer"}, {"name", "grafana"}});
  REQUIRE(made.status == 201);
  const std::string token(made.json().at("key").as_string());
  const std::string id(made.json().at("id").as_string());
  // Used once: its PBKDF2 check is now cached by this daemon.
  REQUIRE(api.daemon.get("/v1/syncs", token).status == 200);

  CHECK(api.daemon.get("/v1/keys", api.operator_).status == 403);
  auto listed = api.daemon.get("/v1/keys", api.admin);
  REQUIRE(listed.status == 200);
  const json::value listed_json = listed.json();
  const auto& items = listed_json.at("items").as_array();
  REQUIRE(items.size() == 4);  // admin, operator, viewer from the CLI; grafana from the API
  const auto& last = items.back().as_object();
  CHECK(last.at("id") == id.c_str());
  CHECK(last.at("role") == "viewer");
  CHECK(last.at("name") == "grafana");
  CHECK(last.at("revoked_at").is_null());
  CHECK(listed.body.find(token.substr(21)) == std::string::npos);  // never the secret

  CHECK(api.daemon.request("DELETE", "/v1/keys/" + id, api.operator_).status == 403);
  CHECK(api.daemon.request("DELETE", "/v1/keys/" + id, api.admin).status == 204);
  auto refused = api.daemon.get("/v1/syncs", token);
  CHECK(refused.status == 401);
  CHECK(message(refused) == "unknown or revoked API key");
  // Revoking twice, or an unknown id, is a 404; the row stays, marked.
  auto again = api.daemon.request("DELETE", "/v1/keys/" + id, api.admin);
  CHECK(again.status == 404);
  CHECK(message(again) == "no live API key " + id);
  auto after = api.daemon.get("/v1/keys", api.admin).json().at("items").as_array();
  REQUIRE(after.size() == 4);
  CHECK(after.back().at("revoked_at").is_string());
}

TEST_CASE("keys list and keys revoke on the command line act on the store a running daemon reads") {
  Api api;
  const std::string db = (api.dir.path() / "sluice-server.db").string();
  ProcessOptions options;
  options.working_dir = api.dir.path().string();
  auto list = run_sluice({"serve", "keys", "list", "--config", api.daemon.config_file()}, options);
  REQUIRE(list.exit_code == 0);
  const std::string viewer_id = api.viewer.substr(4, 16);
  CHECK(list.out.find(viewer_id + "\tviewer\t") != std::string::npos);
  CHECK(list.out.find("\t-\t") != std::string::npos);
  CHECK(list.out.find(api.viewer.substr(21)) == std::string::npos);
  REQUIRE(api.daemon.get("/v1/syncs", api.viewer).status == 200);

  auto revoke = run_sluice({"serve", "keys", "revoke", viewer_id, "--config", api.daemon.config_file()}, options);
  CHECK(revoke.exit_code == 0);
  CHECK(revoke.err == "revoked key " + viewer_id + " in sqlite://./sluice-server.db\n");
  CHECK(api.daemon.get("/v1/syncs", api.viewer).status == 401);
  CHECK(api.daemon.get("/v1/syncs", api.admin).status == 200);
  auto listed_again = run_sluice({"serve", "keys", "list", "--config", api.daemon.config_file()}, options);
  CHECK(listed_again.out.find(viewer_id + "\tviewer\t") != std::string::npos);
  CHECK(listed_again.out.find("\trevoked ") != std::string::npos);

  auto unknown = run_sluice({"serve", "keys", "revoke", "nosuchkey", "--config", api.daemon.config_file()}, options);
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err ==
        "error: serve keys revoke: no live key nosuchkey in sqlite://./sluice-server.db (`sluice serve keys list` shows them)\n");
}

TEST_CASE("plugins: list and spec and config validation with a JSON path per problem") {
  Api api;
  auto list = api.daemon.get("/v1/plugins", api.viewer);
  REQUIRE(list.status == 200);
  const json::value listed = list.json();
  bool synthetic = false;
  for (const auto& p : listed.at("plugins").as_array()) synthetic |= p.at("name") == "synthetic";
  CHECK(synthetic);
  // The deliberately broken test plugins are listed as rejected, not fatal.
  bool crash_rejected = false;
  for (const auto& r : listed.at("rejected").as_array()) {
    crash_rejected |= std::string(r.at("file").as_string()).find("sluice-crash_static.so") != std::string::npos;
  }
  CHECK(crash_rejected);

  auto spec = api.daemon.get("/v1/plugins/synthetic", api.viewer);
  REQUIRE(spec.status == 200);
  CHECK(spec.json().at("config_schema").at("properties").at("api_key").at("secret") == true);
  auto missing = api.daemon.get("/v1/plugins/nosuch", api.viewer);
  CHECK(missing.status == 404);
  CHECK(missing.json() == json::parse(R"({"code":"plugin_not_found","message":"no plugin named nosuch"})"));
  // A plugin whose spec() aborts fails in its child, not in the daemon.
  auto aborting = api.daemon.get("/v1/plugins/abort_spec", api.viewer);
  CHECK(aborting.status == 422);
  CHECK(message(aborting) == "plugin abort_spec could not be loaded (sluice spec: killed by SIGABRT)");
  CHECK(api.daemon.get("/healthz", "").status == 200);

  auto invalid = api.daemon.request("PUT", "/v1/plugins/synthetic/config/validate", api.viewer,
                                    R"({"customers": "many", "events": -1, "colour": "blue"})");
  REQUIRE(invalid.status == 200);
  const auto result = invalid.json().as_object();
  CHECK(result.at("valid") == false);
  std::vector<std::string> paths;
  for (const auto& e : result.at("errors").as_array()) paths.emplace_back(e.at("path").as_string());
  CHECK(paths == std::vector<std::string>{"config.customers", "config.events", "config.colour"});
  CHECK(result.at("errors").as_array()[0].at("message") == "expected integer, got string");
  CHECK(result.at("errors").as_array()[1].at("message") == "must be at least 0 (got -1)");
  auto valid = api.daemon.request("PUT", "/v1/plugins/synthetic/config/validate", api.viewer, R"({"customers": 2})");
  CHECK(valid.json() == json::parse(R"({"plugin":"synthetic","valid":true,"errors":[]})"));
  auto not_object = api.daemon.request("PUT", "/v1/plugins/synthetic/config/validate", api.viewer, "[1]");
  CHECK(not_object.status == 400);
  CHECK(error_code(not_object) == "invalid_json");
}

TEST_CASE("connections: a secret is masked in every answer and sealed at rest and kept when sent back masked") {
  Api api;
  const std::string secret = "s3cr3t-synthetic-key";
  auto body = synthetic_connection("billing", api.dir.path(), secret);
  body["connection"].as_object()["target"] = "postgresql://loader:pg-pass-123@127.0.0.1:1/db";
  body["schedule"] = json::object{{"cron", "*/15 * * * *"}, {"time_zone", "Europe/Paris"}, {"jitter_seconds", 30}};
  auto created = api.daemon.post("/v1/connections", api.admin, body);
  REQUIRE(created.status == 201);
  CHECK(created.body.find(secret) == std::string::npos);
  CHECK(created.body.find("pg-pass-123") == std::string::npos);
  const auto shown = created.json().as_object();
  const std::string id(shown.at("id").as_string());
  CHECK(shown.at("connection").at("source").at("config").at("api_key") == "********");
  CHECK(shown.at("connection").at("source").at("config").at("customers") == 3);
  CHECK(shown.at("connection").at("target") == "postgresql://loader:********@127.0.0.1:1/db");
  CHECK(shown.at("schedule") == body["schedule"]);

  auto read = api.daemon.get("/v1/connections/" + id, api.viewer);
  CHECK(read.json() == created.json());
  auto list = api.daemon.get("/v1/connections", api.viewer);
  REQUIRE(list.json().at("connections").as_array().size() == 1);
  CHECK(list.body.find(secret) == std::string::npos);

  // At rest: nothing of the connection in clear; the key file opens it.
  const std::string db = (api.dir.path() / "sluice-server.db").string();
  const std::string sealed = sqlite_value(db, "SELECT sealed FROM sluice_connections");
  CHECK_THAT(sealed, Catch::StartsWith("v1:"));
  CHECK(read_file(db).find(secret) == std::string::npos);
  CHECK(read_file(db).find("pg-pass-123") == std::string::npos);
  sluice::host::serve::ServeConfig config;
  config.secrets_key_env = "";
  config.secrets_key_file = api.dir.path() / "sluice-server.key";
  auto box = sluice::host::serve::SecretBox::from_config(config);
  CHECK(json::parse(box.open(sealed)).at("source").at("config").at("api_key") == json::value(secret));

  // An update that sends the masked answer back keeps the secrets.
  auto update = json::object{{"name", "billing-eu"}, {"connection", shown.at("connection")}};
  update["connection"].as_object()["source"].as_object()["config"].as_object()["customers"] = 5;
  auto updated = api.daemon.request("PUT", "/v1/connections/" + id, api.admin, json::serialize(update));
  REQUIRE(updated.status == 200);
  CHECK(updated.json().at("name") == "billing-eu");
  CHECK(updated.json().at("schedule") == json::object{});
  const auto opened = json::parse(box.open(sqlite_value(db, "SELECT sealed FROM sluice_connections")));
  CHECK(opened.at("source").at("config").at("api_key") == json::value(secret));
  CHECK(opened.at("source").at("config").at("customers") == 5);
  CHECK(opened.at("target") == "postgresql://loader:pg-pass-123@127.0.0.1:1/db");

  // Neither the daemon's log nor its metrics ever saw them.
  auto metrics = api.daemon.get("/metrics", api.viewer);
  CHECK(metrics.body.find(secret) == std::string::npos);
  CHECK(api.daemon.log().find(secret) == std::string::npos);
}

TEST_CASE("connections: an invalid body is 422 with each problem's JSON path and a taken name 409 and delete 204 then 404") {
  Api api;
  auto body = synthetic_connection("dup", api.dir.path());
  body["connection"].as_object()["source"].as_object()["config"].as_object()["customers"] = 0;
  body["connection"].as_object()["streams"] = "all";
  body["schedule"] = json::object{{"cron", "61 * * * *"}};
  auto invalid = api.daemon.post("/v1/connections", api.admin, body);
  REQUIRE(invalid.status == 422);
  const auto error = invalid.json().as_object();
  CHECK(error.at("code") == "invalid_connection");
  std::vector<std::string> paths;
  for (const auto& e : error.at("errors").as_array()) paths.emplace_back(e.at("path").as_string());
  CHECK(paths == std::vector<std::string>{"schedule.cron", "connection.streams"});
  // Five fields, but not a cron expression: the scheduler's own reader says so.
  CHECK(error.at("message") == "schedule.cron: cron \"61 * * * *\": field 1 (minute) at position 1: 61 is out of range 0-59");
  auto too_often = synthetic_connection("often", api.dir.path());
  too_often["schedule"] = json::object{{"interval_seconds", 30}, {"jitter_seconds", 5}};
  auto often = api.daemon.post("/v1/connections", api.admin, too_often);
  REQUIRE(often.status == 422);
  CHECK(often.json().at("errors").as_array()[0].at("path") == "schedule.interval_seconds");
  CHECK(often.json().at("message") == "schedule.interval_seconds: interval 30s: must be from 1 minute to 31 days");
  // One schedule shape: the scheduler's own "15m" strings are not a second one.
  auto other_shape = synthetic_connection("shape", api.dir.path());
  other_shape["schedule"] = json::object{{"every", "15m"}};
  auto shape = api.daemon.post("/v1/connections", api.admin, other_shape);
  REQUIRE(shape.status == 422);
  CHECK(shape.json().at("message") ==
        "schedule.every: unknown key (expected cron, interval_seconds, time_zone or jitter_seconds)");
  other_shape["schedule"] = json::object{{"interval_seconds", 900}, {"jitter_seconds", "1m"}};
  CHECK(api.daemon.post("/v1/connections", api.admin, other_shape).json().at("message") ==
        "schedule.jitter_seconds: expected whole seconds (an integer, 0 or more)");

  auto bad_config = synthetic_connection("dup", api.dir.path());
  bad_config["connection"].as_object()["source"].as_object()["config"].as_object()["customers"] = 0;
  auto config_error = api.daemon.post("/v1/connections", api.admin, bad_config);
  REQUIRE(config_error.status == 422);
  CHECK(config_error.json().at("errors").as_array()[0] ==
        json::parse(R"j({"path":"connection.source.config.customers","message":"must be at least 1 (got 0)"})j"));

  auto unknown_plugin = synthetic_connection("dup", api.dir.path());
  unknown_plugin["connection"].as_object()["source"].as_object()["plugin"] = "nosuch";
  auto plugin_error = api.daemon.post("/v1/connections", api.admin, unknown_plugin);
  CHECK(plugin_error.status == 422);
  CHECK(message(plugin_error) == "connection.source.plugin: no plugin named nosuch");

  auto first = api.daemon.post("/v1/connections", api.admin, synthetic_connection("dup", api.dir.path()));
  REQUIRE(first.status == 201);
  auto second = api.daemon.post("/v1/connections", api.admin, synthetic_connection("dup", api.dir.path()));
  CHECK(second.status == 409);
  CHECK(second.json() == json::parse(R"({"code":"name_taken","message":"a connection named dup exists already"})"));
  auto not_json = api.daemon.request("POST", "/v1/connections", api.admin, "{not json");
  CHECK(not_json.status == 400);

  const std::string id(first.json().at("id").as_string());
  CHECK(api.daemon.request("DELETE", "/v1/connections/" + id, api.admin).status == 204);
  auto gone = api.daemon.get("/v1/connections/" + id, api.viewer);
  CHECK(gone.status == 404);
  CHECK(error_code(gone) == "connection_not_found");
  CHECK(api.daemon.request("DELETE", "/v1/connections/" + id, api.admin).status == 404);
}

TEST_CASE("unknown routes are 404 and wrong methods 405 as JSON errors") {
  Api api;
  auto missing = api.daemon.request("GET", "/v1/nothing", api.viewer, "", {}, false);
  CHECK(missing.status == 404);
  CHECK(missing.json() == json::parse(R"({"code":"not_found","message":"no such route: /v1/nothing"})"));
  auto method = api.daemon.request("PATCH", "/v1/connections", api.admin, "{}", {}, false);
  CHECK(method.status == 405);
  CHECK(error_code(method) == "method_not_allowed");
}

TEST_CASE("/readyz and /metrics in Prometheus text and /v1/openapi.json is the document in the repo") {
  Api api;
  auto ready = api.daemon.get("/readyz", api.viewer);
  CHECK(ready.status == 200);
  CHECK(ready.json() == json::parse(R"({"status":"ready"})"));
  auto metrics = api.daemon.get("/metrics", api.viewer);
  CHECK(metrics.status == 200);
  CHECK_THAT(metrics.content_type, Catch::StartsWith("text/plain; version=0.0.4"));
  for (const char* series : {"# TYPE sluice_syncs gauge", "sluice_records_synced_total 0", "sluice_bytes_synced_total 0",
                             "sluice_sync_duration_seconds_count 0", "sluice_queue_depth 0",
                             "sluice_running_children 0", "sluice_http_requests_total{class=\"4xx\"} 0"}) {
    CHECK_THAT(metrics.body, Catch::Contains(series));
  }
  auto document = api.daemon.get("/v1/openapi.json", api.viewer);
  CHECK(document.status == 200);
  CHECK(document.body == read_file(std::string(SLUICE_SOURCE_DIR) + "/docs/api/sluice-v1.json"));
}

TEST_CASE("the router and the OpenAPI document agree: every documented operation is routed with its documented role") {
  Api api;
  const json::value document = json::parse(read_file(std::string(SLUICE_SOURCE_DIR) + "/docs/api/sluice-v1.json"));
  const std::string ingest = api.daemon.create_key("ingest");
  size_t operations = 0;
  for (const auto& [path, item] : document.at("paths").as_object()) {
    for (const auto& [method, operation] : item.as_object()) {
      ++operations;
      std::string concrete(path);
      for (size_t open; (open = concrete.find('{')) != std::string::npos;) {
        concrete.replace(open, concrete.find('}', open) - open + 1, "x");
      }
      std::string upper(method);
      for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      INFO(upper << " " << path);
      const auto* role = operation.as_object().if_contains("x-sluice-role");
      // Each answer is itself checked against the document by the fixture.
      auto as_admin = api.daemon.request(upper, concrete, api.admin, upper == "GET" ? "" : "{}");
      CHECK(as_admin.status != 405);
      if (as_admin.status == 404) CHECK(error_code(as_admin) != "not_found");
      if (!role || role->is_null()) continue;
      CHECK(api.daemon.request(upper, concrete, "", upper == "GET" ? "" : "{}").status == 401);
      const std::string needs(role->as_string());
      const std::string words = needs == "ingest" ? "the ingest, operator or admin role" : "the " + needs + " role";
      if (needs != "viewer") {
        auto as_viewer = api.daemon.request(upper, concrete, api.viewer, upper == "GET" ? "" : "{}");
        CHECK(as_viewer.status == 403);
        CHECK(message(as_viewer) == "this needs " + words + "; the key has viewer");
      }
      // An ingest key may post events and nothing else, not even read.
      auto as_ingest = api.daemon.request(upper, concrete, ingest, upper == "GET" ? "" : "{}");
      if (needs == "ingest") {
        CHECK(as_ingest.status != 403);
      } else {
        CHECK(as_ingest.status == 403);
        CHECK(message(as_ingest) == "this needs " + words + "; the key has ingest");
      }
    }
  }
  CHECK(operations == 35);  // as many as add_routes registers
}

TEST_CASE("a refused request's body is consumed so the next request on the same kept-alive connection is read right") {
  Api api;
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(api.daemon.port()));
  session.setKeepAlive(true);
  auto send = [&](const std::string& method, const std::string& path, const std::string& key, const std::string& body) {
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    request.setKeepAlive(true);
    if (!key.empty()) request.set("Authorization", "Bearer " + key);
    request.setContentLength(static_cast<std::streamsize>(body.size()));
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::string text;
    Poco::StreamCopier::copyToString(session.receiveResponse(response), text);
    return std::make_pair(static_cast<int>(response.getStatus()), text);
  };
  // Refused before any handler reads it: no key.
  const std::string body = json::serialize(synthetic_connection("kept", api.dir.path()));
  CHECK(send("POST", "/v1/connections", "", body).first == 401);
  auto next = send("GET", "/v1/connections", api.viewer, "");
  CHECK(next.first == 200);
  CHECK(next.second == R"({"connections":[]})");
}

TEST_CASE("a POST with neither Content-Length nor a chunked body has an empty body and is answered at once, as `curl -X POST` sends it") {
  Api api;
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(api.daemon.port()));
  // Only a failure bound: a server waiting for the body to end would answer
  // after its own 60 s receive timeout, if at all.
  session.setTimeout(Poco::Timespan(20, 0));
  Poco::Net::HTTPRequest request("POST", "/v1/keys", Poco::Net::HTTPMessage::HTTP_1_1);
  request.set("Authorization", "Bearer " + api.admin);
  REQUIRE_FALSE(request.hasContentLength());
  session.sendRequest(request);  // the connection stays open: no end of stream tells the server
  Poco::Net::HTTPResponse response;
  std::string text;
  Poco::StreamCopier::copyToString(session.receiveResponse(response), text);
  // The empty body is not a JSON object: refused as such, not as a timeout.
  CHECK(static_cast<int>(response.getStatus()) == 400);
  CHECK(json::parse(text) == json::parse(R"({"code":"invalid_json",
      "message":"the request body is empty; this route expects a JSON object"})"));
}
