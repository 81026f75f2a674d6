// Google error bodies to sluice errors: kind and one line saying what to fix.
#include "api_error.hpp"

#include <catch2/catch.hpp>

using namespace gsheets;

namespace {
CallContext call(bool api_key = false, int attempts = 1) {
  return {"values.batchGet", "sheet 'Orders' rows 2-101 (Orders!A2:C101)", "SHEET_ID",
          api_key ? "an API key" : "service account a@p.iam.gserviceaccount.com", api_key, attempts};
}
std::string body(int code, const std::string& status, const std::string& message) {
  return R"({"error":{"code":)" + std::to_string(code) + R"(,"message":")" + message + R"(","status":")" + status + R"("}})";
}
}  // namespace

TEST_CASE("the error body's status and message are read - a foreign body leaves them empty") {
  const auto parsed = parse_api_error(429, body(429, "RESOURCE_EXHAUSTED", "Quota exceeded"));
  CHECK(parsed.from_api);
  CHECK(parsed.code_name == "RESOURCE_EXHAUSTED");
  CHECK(parsed.message == "Quota exceeded");
  const auto foreign = parse_api_error(502, "<html>Bad Gateway</html>");
  CHECK_FALSE(foreign.from_api);
  CHECK(foreign.message.empty());
}

TEST_CASE("each status maps to its kind and message") {
  auto error = [](int status, const std::string& name, const std::string& message, CallContext c = call()) {
    return to_error(parse_api_error(status, body(status, name, message)), c);
  };
  const auto quota = error(429, "RESOURCE_EXHAUSTED", "Quota exceeded", call(false, 6));
  CHECK(quota.kind() == sluice::ErrorKind::rate_limited);
  CHECK(std::string(quota.what()) ==
        "values.batchGet of sheet 'Orders' rows 2-101 (Orders!A2:C101) failed after 6 attempts: HTTP 429 RESOURCE_EXHAUSTED: Quota exceeded");
  CHECK(error(503, "UNAVAILABLE", "down").kind() == sluice::ErrorKind::transient);
  CHECK(error(404, "NOT_FOUND", "Requested entity was not found.").kind() == sluice::ErrorKind::config);
  CHECK(error(400, "INVALID_ARGUMENT", "Unable to parse range: x").kind() == sluice::ErrorKind::source);
  const auto key = error(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", call(true));
  CHECK(key.kind() == sluice::ErrorKind::auth);
  CHECK_THAT(key.what(), Catch::StartsWith("an API key was not accepted by Google"));
  const auto denied = error(403, "PERMISSION_DENIED", "The caller does not have permission");
  CHECK(denied.kind() == sluice::ErrorKind::auth);
  CHECK_THAT(denied.what(), Catch::StartsWith("spreadsheet SHEET_ID is not shared with service account a@p.iam.gserviceaccount.com"));
  CHECK_THAT(error(403, "PERMISSION_DENIED", "x", call(true)).what(), Catch::StartsWith("spreadsheet SHEET_ID is not public"));
  CHECK(error(401, "UNAUTHENTICATED", "bad token").kind() == sluice::ErrorKind::auth);
}
