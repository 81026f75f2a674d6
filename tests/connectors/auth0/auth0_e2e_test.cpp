// The Auth0 connector end to end: the sluice CLI against the fake tenant,
// into SQLite.
#include "auth0_tenant.hpp"

#include <sluice/support/timestamp.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <set>

using namespace sluice::test;
using namespace auth0_test;

namespace {

// The paths of the API requests; each must carry the first token issued.
std::set<std::string> api_paths_with_first_token(const FakeServer& server) {
  std::set<std::string> paths;
  for (const auto& request : server.requests()) {
    if (request.path == "/oauth/token") continue;
    CHECK(request.header("Authorization") == "Bearer fake-mgmt-token-1");
    paths.insert(request.path);
  }
  return paths;
}

}  // namespace

TEST_CASE("every stream syncs end to end in its default mode") {
  Tenant t;
  auto run = run_sluice({"sync", t.connection(t.auth0.client_secret)});
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK(t.db("SELECT COUNT(*) FROM users") == "30");
  CHECK(t.db("SELECT email FROM users WHERE user_id = 'auth0|7'") == "user7@example.com");
  CHECK(t.db("SELECT COUNT(*) FROM clients") == "1");
  CHECK(t.db("SELECT COUNT(*) FROM connections") == "1");
  CHECK(t.db("SELECT COUNT(*) FROM roles") == "2");
  CHECK(t.db("SELECT COUNT(*) FROM organizations") == "2");
  CHECK(t.db("SELECT COUNT(*) FROM organization_members") == "3");
  CHECK(t.db("SELECT COUNT(*) FROM organization_members WHERE organization_id = 'org_a'") == "2");
  CHECK(t.db("SELECT COUNT(*) FROM logs") == "250");
  CHECK(t.db("SELECT COUNT(DISTINCT log_id) FROM logs") == "250");
  CHECK(run.all().find(t.auth0.client_secret) == std::string::npos);
  CHECK(run.all().find("fake-mgmt-token") == std::string::npos);
}

TEST_CASE("a sync of every stream asks the token endpoint once for the whole session") {
  Tenant t;
  auto run = run_sluice({"sync", t.connection(t.auth0.client_secret)});
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK(t.auth0.token_requests == 1);
  const auto paths = api_paths_with_first_token(t.server);
  for (const char* path : {"/api/v2/users", "/api/v2/clients", "/api/v2/connections", "/api/v2/roles",
                           "/api/v2/organizations", "/api/v2/organizations/org_b/members", "/api/v2/logs"}) {
    CHECK(paths.count(path) == 1);
  }
}

TEST_CASE("check asks the token endpoint once for all its scope probes") {
  Tenant t;
  auto check = run_sluice({"check", t.connection(t.auth0.client_secret)});
  INFO(check.all());
  REQUIRE(check.exit_code == 0);
  CHECK(t.auth0.token_requests == 1);
  CHECK(api_paths_with_first_token(t.server).count("/api/v2/organizations/org_a/members") == 1);  // the last probe
}

TEST_CASE("a configured Management API token is sent as is and the token endpoint is never asked") {
  Tenant t;
  const std::string token = t.auth0.issue_token();
  auto run = run_sluice({"sync", t.connection_with({{"auth_type", "api_token"}, {"token", token}}), "--streams", "roles"});
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK(t.db("SELECT COUNT(*) FROM roles") == "2");
  CHECK(t.auth0.token_requests == 0);
  CHECK(t.server.requests().back().header("Authorization") == "Bearer " + token);
  CHECK(run.all().find(token) == std::string::npos);
}

TEST_CASE("a second incremental run reads only users updated since the checkpoint, and only new logs") {
  Tenant t;
  const auto conn = t.connection(t.auth0.client_secret);
  REQUIRE(run_sluice({"sync", conn}).exit_code == 0);
  const size_t first = t.auth0.users_served;
  CHECK(first == 30);
  // Changed at the checkpoint's instant, the first moment the next run reads.
  const std::string changed_at = t.users_checkpoint(conn);
  REQUIRE(changed_at > t.auth0.users().back().updated_at);
  t.auth0.edit_users()[4].updated_at = changed_at;
  t.auth0.edit_users()[4].email = "changed@example.com";
  t.auth0.add_users(2);
  t.auth0.edit_users()[30].updated_at = t.auth0.edit_users()[31].updated_at = changed_at;
  t.auth0.log_ids.push_back("90020099999999999999999999");
  auto second = run_sluice({"sync", conn});
  INFO(second.all());
  REQUIRE(second.exit_code == 0);
  CHECK(t.auth0.users_served - first == 3);
  CHECK(t.db("SELECT COUNT(*) FROM users") == "32");
  CHECK(t.db("SELECT email FROM users WHERE user_id = 'auth0|5'") == "changed@example.com");
  CHECK(t.db("SELECT COUNT(*) FROM logs") == "251");
}

TEST_CASE("a tenant with more users than the page-listing cap syncs completely by splitting updated_at windows") {
  Tenant t;
  t.auth0.edit_users().clear();
  t.auth0.add_users(2600);
  auto run = run_sluice({"sync", t.connection(t.auth0.client_secret),
                         "--streams", "users"});
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK(t.db("SELECT COUNT(*) FROM users") == "2600");
  CHECK(t.db("SELECT COUNT(DISTINCT user_id) FROM users") == "2600");
  // No request ever asked past the cap.
  for (const auto& request : t.server.requests()) {
    if (request.path != "/api/v2/users") continue;
    CHECK((std::stoul(request.query("page")) + 1) * std::stoul(request.query("per_page")) <= 1000);
  }
}

TEST_CASE("429 with X-RateLimit-Reset and a 503 are retried and the sync completes") {
  Tenant t;
  // A reset instant already reached: the retry goes out after the minimum
  // back-off. How long a future reset is waited for is tested on a fake
  // clock (tests/support/http_client_test.cpp); this test sleeps no second.
  const auto reset = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch()).count();
  t.server.inject(FakeResponse::json(429, json::object{{"statusCode", 429}, {"error", "Too Many Requests"},
                                                       {"message", "Global limit has been reached"},
                                                       {"errorCode", "too_many_requests"}})
                      .with_header("X-RateLimit-Limit", "50")
                      .with_header("X-RateLimit-Remaining", "0")
                      .with_header("X-RateLimit-Reset", std::to_string(reset)));
  t.server.inject(FakeResponse::json(503, json::object{{"statusCode", 503}, {"error", "Service Unavailable"}}));
  auto run = run_sluice({"sync", t.connection(t.auth0.client_secret), "--streams", "roles"});
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  CHECK(t.db("SELECT COUNT(*) FROM roles") == "2");
  CHECK(run.all().find("HTTP 429") != std::string::npos);
}

TEST_CASE("an answer without its records array fails the stream, naming the request once") {
  Tenant t;
  t.intercept = [](const FakeRequest& r) -> std::optional<FakeResponse> {
    if (r.path != "/api/v2/roles") return std::nullopt;
    return FakeResponse::json(200, json::object{{"start", 0}, {"limit", 100}, {"total", 2}});
  };
  auto run = run_sluice({"sync", t.connection(t.auth0.client_secret), "--streams", "roles"});
  INFO(run.all());
  CHECK(run.exit_code == 1);
  CHECK(run.all().find("stream roles failed: auth0 read: GET /api/v2/roles: the response has no \"roles\" array") !=
        std::string::npos);
}

TEST_CASE("wrong credentials fail check with Auth0's error, never the secret") {
  Tenant t;
  auto check = run_sluice({"check", t.connection("wrong-SECRET-1")});
  INFO(check.all());
  CHECK(check.exit_code == 1);
  CHECK(check.all().find("client m2m-client: the token endpoint " + t.server.base_url() +
                         "/oauth/token refused the credentials: access_denied: Unauthorized") != std::string::npos);
  CHECK(check.all().find("wrong-SECRET-1") == std::string::npos);
}

TEST_CASE("a missing scope fails check naming the scope and the stream") {
  Tenant t;
  t.auth0.scopes.erase("read:logs");
  auto check = run_sluice({"check", t.connection(t.auth0.client_secret)});
  INFO(check.all());
  CHECK(check.exit_code == 1);
  // Said once: the host names plugin and call, the message the rest.
  CHECK(check.all().find("error: auth0 check: the token lacks the scope read:logs (needed by stream logs); grant it") !=
        std::string::npos);
  t.auth0.scopes.insert("read:logs");
  t.auth0.scopes.erase("read:organization_members");
  auto members = run_sluice({"check", t.connection(t.auth0.client_secret)});
  CHECK(members.all().find("error: auth0 check: the token lacks the scope read:organization_members (needed by "
                           "stream organization_members)") != std::string::npos);
  t.auth0.scopes.insert("read:organization_members");
  auto ok = run_sluice({"check", t.connection(t.auth0.client_secret)});
  INFO(ok.all());
  CHECK(ok.exit_code == 0);
}

TEST_CASE("every stream runs in every mode it declares") {
  const std::vector<std::pair<std::string, std::vector<std::string>>> modes{
      {"users", {"full_refresh_overwrite", "full_refresh_append", "incremental_append", "incremental_append_dedup"}},
      {"logs", {"full_refresh_overwrite", "full_refresh_append", "incremental_append"}},
      {"clients", {"full_refresh_overwrite", "full_refresh_append"}},
      {"connections", {"full_refresh_overwrite", "full_refresh_append"}},
      {"roles", {"full_refresh_overwrite", "full_refresh_append"}},
      {"organizations", {"full_refresh_overwrite", "full_refresh_append"}},
      {"organization_members", {"full_refresh_overwrite", "full_refresh_append"}},
  };
  const std::map<std::string, int> rows{{"users", 30}, {"logs", 250}, {"clients", 1}, {"connections", 1},
                                        {"roles", 2}, {"organizations", 2}, {"organization_members", 3}};
  for (const auto& [stream, stream_modes] : modes) {
    for (const auto& mode : stream_modes) {
      Tenant t;
      INFO(stream << " in " << mode);
      const auto conn = t.connection(t.auth0.client_secret, json::array{json::object{{"name", stream}, {"mode", mode}}});
      auto first = run_sluice({"sync", conn});
      INFO(first.all());
      REQUIRE(first.exit_code == 0);
      CHECK(t.db("SELECT COUNT(*) FROM " + stream) == std::to_string(rows.at(stream)));
      // A second run with nothing new: overwrite and dedup keep the count,
      // append doubles it, incremental append adds nothing.
      REQUIRE(run_sluice({"sync", conn}).exit_code == 0);
      const int expected = mode == "full_refresh_append" ? 2 * rows.at(stream) : rows.at(stream);
      CHECK(t.db("SELECT COUNT(*) FROM " + stream) == std::to_string(expected));
    }
  }
}
