// The spec check itself: it must refuse the drifts it exists to catch (a
// member the spec does not declare, a closed envelope with an extra member,
// an undocumented status or path, a wrong type) and accept the documented
// shapes, so a passing conformance test means something.
#include "openapi_check.hpp"

#include <catch2/catch.hpp>

using sluice::testkit::OpenApiSpec;

namespace {

const OpenApiSpec& bigquery() {
  static const OpenApiSpec spec("bigquery-v2.apisguru.json.gz",
                                "84a35e70565d01face776e9dddecb1fc1ffda5bdf60e15fe41b96728c71b2b44",
                                {.closed_objects = true});
  return spec;
}

const OpenApiSpec& management() {
  static const OpenApiSpec spec("auth0-management-v2.json.gz",
                                "3ac17a404d0b2d3acd45b002e4b2e55a70cbf809175187cf9a5bfe604f1335c3");
  return spec;
}

const OpenApiSpec& sheets() {
  static const OpenApiSpec spec("sheets-v4.apisguru.json.gz",
                                "e59763d21310e95afedec5e34cd2c20cd1b8e3eae0e3ccd8ae56788db54259fc",
                                {.closed_objects = true});
  return spec;
}

std::string joined(const std::vector<std::string>& errors) {
  std::string out;
  for (const auto& error : errors) out += error + "\n";
  return out;
}

constexpr const char* kResultsPage =
    R"({"kind":"bigquery#getQueryResultsResponse","etag":"e","jobReference":{"projectId":"p","jobId":"j","location":"US"},)"
    R"("schema":{"fields":[{"name":"id","type":"INTEGER","mode":"REQUIRED"}]},"rows":[{"f":[{"v":"1"}]}],)"
    R"("totalRows":"1","jobComplete":true,"cacheHit":false,"totalBytesProcessed":"0")";

}  // namespace

TEST_CASE("a getQueryResults page in the documented shape passes, one with an undeclared queryId does not") {
  const auto ok = bigquery().check("GET", "/bigquery/v2/projects/p/queries/j", 200, std::string(kResultsPage) + "}");
  CHECK(ok.operation == "GET /projects/{projectId}/queries/{jobId}");
  CHECK(ok.checked);
  CHECK(joined(ok.errors).empty());

  const auto drifted =
      bigquery().check("GET", "/bigquery/v2/projects/p/queries/j", 200, std::string(kResultsPage) + R"(,"queryId":"j"})");
  CHECK(drifted.checked);
  CHECK_THAT(joined(drifted.errors), Catch::Contains("queryId"));
}

TEST_CASE("a member of the wrong type, deep in a row, is reported with its place") {
  const auto verdict = bigquery().check("GET", "/bigquery/v2/projects/p/queries/j", 200,
                                        R"({"jobComplete":"yes","totalRows":1})");
  CHECK(verdict.errors.size() >= 2);
  CHECK_THAT(joined(verdict.errors), Catch::Contains("jobComplete") && Catch::Contains("totalRows"));
}

TEST_CASE("Google's error statuses pass unchecked, but an unknown path or method does not") {
  CHECK(bigquery().check("GET", "/bigquery/v2/projects/p/datasets/d/tables/t", 404, R"({"error":{}})").errors.empty());
  CHECK_THAT(joined(bigquery().check("GET", "/bigquery/v2/projects/p/nothing", 200, "{}").errors),
             Catch::Contains("no path of the spec matches"));
  CHECK_THAT(joined(bigquery().check("PATCH", "/bigquery/v2/projects/p/queries/j", 200, "{}").errors),
             Catch::Contains("the spec has no PATCH on /projects/{projectId}/queries/{jobId}"));
  CHECK_THAT(joined(bigquery().check("GET", "/elsewhere/v2/projects/p", 200, "{}").errors),
             Catch::Contains("not under the spec's server path /bigquery/v2"));
}

TEST_CASE("a Sheets batchGet answer in the documented shape passes, a ValueRange with an undeclared member does not") {
  const std::string range = R"({"range":"'My Data'!A2:B3","majorDimension":"ROWS","values":[[1,"a"],[],["",true]])";
  const auto ok = sheets().check("GET", "/v4/spreadsheets/s1/values:batchGet", 200,
                                 R"({"spreadsheetId":"s1","valueRanges":[)" + range + "}]}");
  CHECK(ok.operation == "GET /v4/spreadsheets/{spreadsheetId}/values:batchGet");
  CHECK(ok.checked);
  CHECK(joined(ok.errors).empty());
  const auto drifted = sheets().check("GET", "/v4/spreadsheets/s1/values:batchGet", 200,
                                      R"({"spreadsheetId":"s1","valueRanges":[)" + range + R"(,"rowCount":3}]})");
  CHECK_THAT(joined(drifted.errors), Catch::Contains("rowCount"));
}

TEST_CASE("Auth0 envelopes are closed: length is refused for roles and allowed for users") {
  const std::string roles = R"({"start":0,"limit":50,"total":1,"roles":[{"id":"rol_1","name":"admin","description":"A"}]})";
  CHECK(joined(management().check("GET", "/api/v2/roles", 200, roles).errors).empty());
  const std::string with_length =
      R"({"start":0,"limit":50,"length":1,"total":1,"roles":[{"id":"rol_1","name":"admin","description":"A"}]})";
  const auto refused = management().check("GET", "/api/v2/roles", 200, with_length);
  CHECK_FALSE(refused.errors.empty());
  const std::string users = R"({"start":0,"limit":50,"length":1,"total":1,"users":[{"user_id":"auth0|1"}]})";
  CHECK(joined(management().check("GET", "/api/v2/users", 200, users).errors).empty());
}

TEST_CASE("an Auth0 checkpoint page passes, even the last one without next that fits both envelopes") {
  CHECK(joined(management().check("GET", "/api/v2/organizations", 200,
                                  R"({"organizations":[{"id":"org_1","name":"a"}],"next":"x"})").errors).empty());
  CHECK(joined(management().check("GET", "/api/v2/organizations", 200, R"({"organizations":[]})").errors).empty());
  CHECK(joined(management().check("GET", "/api/v2/organizations/org_1/members", 200,
                                  R"({"members":[{"user_id":"auth0|1","email":"a@example.com"}]})").errors).empty());
}

TEST_CASE("an Auth0 status the operation does not document is refused, a documented one without a schema passes") {
  CHECK(management().check("GET", "/api/v2/roles", 403, R"({"statusCode":403})").errors.empty());
  CHECK_THAT(joined(management().check("GET", "/api/v2/roles", 418, "{}").errors),
             Catch::Contains("status 418 is not documented for GET /roles"));
}

TEST_CASE("a spec file whose digest is not the published one is refused") {
  CHECK_THROWS_WITH(OpenApiSpec("bigquery-v2.apisguru.json.gz", std::string(64, '0')),
                    Catch::Contains("not the published file's"));
}

TEST_CASE("a jobs.insert request in the documented shape passes, one with a member JobConfiguration lacks does not") {
  const std::string job = R"({"jobReference":{"projectId":"p","jobId":"j"},"configuration":{"jobTimeoutMs":"60000",)"
                          R"("query":{"query":"SELECT @n","useLegacySql":false,"parameterMode":"NAMED",)"
                          R"("queryParameters":[{"name":"n","parameterType":{"type":"INT64"},)"
                          R"("parameterValue":{"value":"1"}}],"maximumBytesBilled":"1000"}}})";
  const auto ok = bigquery().check_request("POST", "/bigquery/v2/projects/p/jobs", job);
  CHECK(ok.operation == "POST /projects/{projectId}/jobs");
  CHECK(ok.checked);
  CHECK(joined(ok.errors).empty());

  // jobTimeoutMs belongs to JobConfiguration, not to JobConfigurationQuery.
  std::string misplaced = job;
  misplaced.replace(misplaced.find(R"("useLegacySql")"), 0, R"("jobTimeoutMs":"1",)");
  const auto drifted = bigquery().check_request("POST", "/bigquery/v2/projects/p/jobs", misplaced);
  CHECK(drifted.checked);
  CHECK_THAT(joined(drifted.errors), Catch::Contains("jobTimeoutMs"));

  CHECK_THAT(joined(bigquery().check_request("PUT", "/bigquery/v2/projects/p/jobs", job).errors),
             Catch::Contains("the spec has no PUT on /projects/{projectId}/jobs"));
}
