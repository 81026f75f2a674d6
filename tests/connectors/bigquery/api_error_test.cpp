// What each BigQuery error response becomes: the kind the host acts on and a
// message that says what to fix.
#include "api_error.hpp"

#include <catch2/catch.hpp>

using namespace bigquery;

namespace {

CallContext query_call() {
  return {"jobs.query", "project my-proj", "bigquery.jobs.create", "svc@my-proj.iam.gserviceaccount.com"};
}

std::string google_error(int code, const char* reason, const char* message) {
  return json::serialize(json::object{
      {"error", {{"code", code}, {"message", message}, {"errors", json::array{{{"reason", reason}, {"message", message}}}}}}});
}

}  // namespace

TEST_CASE("the error body's reason and message are read, and foreign bodies are tolerated") {
  auto error = parse_api_error(403, google_error(403, "rateLimitExceeded", "Exceeded rate limits: too many\napi requests"));
  CHECK(error.reason == "rateLimitExceeded");
  CHECK(error.message == "Exceeded rate limits: too many api requests");
  auto bare = parse_api_error(502, "<html>Bad Gateway</html>");
  CHECK(bare.reason.empty());
  CHECK(bare.message.empty());
}

TEST_CASE("rate limits, 429 and 5xx are retryable, access and not-found errors are not") {
  CHECK(is_retryable(parse_api_error(403, google_error(403, "rateLimitExceeded", "slow down"))));
  CHECK(is_retryable(parse_api_error(429, "")));
  CHECK(is_retryable(parse_api_error(503, "")));
  CHECK(is_retryable(parse_api_error(400, google_error(400, "backendError", "try again"))));
  CHECK_FALSE(is_retryable(parse_api_error(403, google_error(403, "accessDenied", "no"))));
  CHECK_FALSE(is_retryable(parse_api_error(403, google_error(403, "quotaExceeded", "daily quota"))));
  CHECK_FALSE(is_retryable(parse_api_error(404, google_error(404, "notFound", "Not found"))));
}

TEST_CASE("403 accessDenied names the service account, the missing permission and the role that grants it") {
  auto error = to_error(parse_api_error(403, google_error(403, "accessDenied",
      "Access Denied: Project my-proj: User does not have bigquery.jobs.create permission in project my-proj.")),
      query_call());
  CHECK(error.kind() == sluice::ErrorKind::auth);
  CHECK_THAT(std::string(error.what()),
             Catch::StartsWith("service account svc@my-proj.iam.gserviceaccount.com lacks permission "
                               "bigquery.jobs.create for jobs.query on project my-proj (grant it BigQuery Job User"));
  // Without a permission in the message, the one the call needs is named.
  auto table = to_error(parse_api_error(403, google_error(403, "accessDenied", "Access Denied: Table p:d.t")),
                        {"tables.get", "table p:d.t", "bigquery.tables.get", "svc@p.iam.gserviceaccount.com"});
  CHECK_THAT(std::string(table.what()), Catch::Contains("lacks permission bigquery.tables.get") &&
                                            Catch::Contains("BigQuery Data Viewer"));
}

TEST_CASE("401, 404, rate limits and server errors each get their kind") {
  auto unauthorized = to_error(parse_api_error(401, google_error(401, "authError", "Request had invalid authentication credentials.")),
                               query_call());
  CHECK(unauthorized.kind() == sluice::ErrorKind::auth);
  CHECK_THAT(std::string(unauthorized.what()), Catch::Contains("svc@my-proj.iam.gserviceaccount.com") && Catch::Contains("HTTP 401"));

  auto missing = to_error(parse_api_error(404, google_error(404, "notFound", "Not found: Dataset my-proj:nope")),
                          {"tables.list", "dataset my-proj:nope", "bigquery.tables.list", "svc@x"});
  CHECK(missing.kind() == sluice::ErrorKind::config);
  CHECK_THAT(std::string(missing.what()), Catch::StartsWith("dataset my-proj:nope not found (tables.list)"));

  CHECK(to_error(parse_api_error(403, google_error(403, "rateLimitExceeded", "x")), query_call()).kind() ==
        sluice::ErrorKind::rate_limited);
  CHECK(to_error(parse_api_error(429, ""), query_call()).kind() == sluice::ErrorKind::rate_limited);
  CHECK(to_error(parse_api_error(500, ""), query_call()).kind() == sluice::ErrorKind::transient);
  auto invalid = to_error(parse_api_error(400, google_error(400, "invalidQuery", "Unrecognized name: x")), query_call());
  CHECK(invalid.kind() == sluice::ErrorKind::source);
  CHECK_THAT(std::string(invalid.what()), Catch::Contains("HTTP 400, invalidQuery") && Catch::Contains("Unrecognized name: x"));
}

TEST_CASE("a 30,000-character error message from the server is scanned for its permission without crashing") {
  std::string hostile(30'000, 'a');
  hostile = "bigquery." + hostile + " and bigquery." + std::string(30'000, 'b') + ".x and bigquery.jobs.create";
  auto error = to_error(parse_api_error(403, google_error(403, "accessDenied", hostile.c_str())), query_call());
  CHECK(error.kind() == sluice::ErrorKind::auth);
  CHECK_THAT(std::string(error.what()), Catch::Contains("lacks permission bigquery."));
  CHECK(std::string(error.what()).size() < 1000);  // the server's text is cut, not echoed whole
}
