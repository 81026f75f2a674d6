// The fake tenant's answers against Auth0's official OpenAPI documents
// (tests/connectors/openapi/specs): every answer it gives while the CLI
// checks and syncs (page-based and checkpoint listings, envelopes, errors,
// the token endpoint) must have a status the operation documents and a body
// of the documented shape.
#include "auth0_tenant.hpp"
#include "openapi_check.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace sluice::test;
using namespace auth0_test;
using sluice::testkit::OpenApiSpec;

namespace {

const OpenApiSpec& management_spec() {
  static const OpenApiSpec spec("auth0-management-v2.json.gz",
                                "3ac17a404d0b2d3acd45b002e4b2e55a70cbf809175187cf9a5bfe604f1335c3");
  return spec;
}

const OpenApiSpec& authentication_spec() {
  static const OpenApiSpec spec("auth0-authentication.json.gz",
                                "deeeebd503a87784dececbbaea229be1f0591af79e57872a2c854f3a02b2be51");
  return spec;
}

// Checks every answer the fake gave; returns the operations whose bodies
// were checked, "<operation> <status>".
std::set<std::string> check_answers(const Tenant& t) {
  std::set<std::string> checked;
  for (const auto& [request, response] : t.fake_exchanges) {
    const auto& spec = request.path == "/oauth/token" ? authentication_spec() : management_spec();
    const auto verdict = spec.check(request.method, request.raw_path, response.status, response.body);
    INFO(request.method << " " << request.raw_path << "?" << request.query_string << " -> " << response.status << " "
                        << response.body.substr(0, 600));
    for (const auto& error : verdict.errors) FAIL_CHECK(error);
    if (verdict.checked) checked.insert(verdict.operation + " " + std::to_string(response.status));
  }
  return checked;
}

}  // namespace

TEST_CASE("the Auth0 fake answers check and a sync of every stream in the shapes of the official spec") {
  Tenant t;
  t.auth0.add_organizations(150, 2);  // checkpoint pages with and without next
  t.auth0.add_connections(120);
  REQUIRE(run_sluice({"check", t.connection(t.auth0.client_secret)}).exit_code == 0);
  auto run = run_sluice({"sync", t.connection(t.auth0.client_secret)});
  INFO(run.all());
  REQUIRE(run.exit_code == 0);
  // Users in mode incremental again, from the checkpoint; roles page-listed.
  REQUIRE(run_sluice({"sync", t.connection(t.auth0.client_secret)}).exit_code == 0);

  const auto checked = check_answers(t);
  CHECK(checked == std::set<std::string>{
                       "POST /oauth/token 200",
                       "GET /users 200",
                       "GET /clients 200",
                       "GET /connections 200",
                       "GET /roles 200",
                       "GET /organizations 200",
                       "GET /organizations/{id}/members 200",
                       "GET /logs 200",
                   });
}

TEST_CASE("the Auth0 fake's refusals use statuses the spec documents, its token errors the documented body") {
  Tenant t;
  CHECK(run_sluice({"check", t.connection("wrong-secret")}).exit_code == 1);  // 401 from /oauth/token
  t.auth0.scopes.erase("read:roles");
  CHECK(run_sluice({"check", t.connection(t.auth0.client_secret)}).exit_code == 1);  // 403 insufficient_scope
  const auto checked = check_answers(t);
  std::set<int> statuses;
  for (const auto& exchange : t.fake_exchanges) statuses.insert(exchange.response.status);
  CHECK(statuses.count(401) == 1);
  CHECK(statuses.count(403) == 1);
  CHECK(checked.count("POST /oauth/token 401") == 1);

  // A page past the 1,000-result cap, asked of the fake directly.
  FakeRequest past_cap;
  past_cap.method = "GET";
  past_cap.path = past_cap.raw_path = "/api/v2/users";
  past_cap.query_params = {{"page", "10"}, {"per_page", "100"}, {"include_totals", "true"}};
  past_cap.headers = {{"Authorization", "Bearer " + t.auth0.issue_token()}};
  const FakeResponse refused = t.auth0(past_cap);
  CHECK(refused.status == 400);
  const auto verdict = management_spec().check("GET", "/api/v2/users", refused.status, refused.body);
  for (const auto& error : verdict.errors) FAIL_CHECK(error);
}
