// The Auth0 connector's record handling without a network: listing pages
// split into the records' JSON text, the envelope's total, ids read from a
// record, and organization_id added to a member's text.
#include "auth0_api.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using auth0::Auth0Api;
namespace json = boost::json;

namespace {

std::vector<std::string> listed(std::string_view body, const std::string& array_key) {
  std::vector<std::string> out;
  Auth0Api::items(body, "/users", array_key, [&](std::string_view item) { out.emplace_back(item); });
  return out;
}

std::string member_row(std::string_view member, const std::string& organization_id) {
  std::string row = "left over from the last record";
  auth0::with_last_member(row, member, "organization_id", json::serialize(json::value(organization_id)));
  return row;
}

}  // namespace

TEST_CASE("a listing page's records go on as the text Auth0 sent") {
  const std::string body =
      R"({"start":0,"limit":2,"length":2,"users":[{"user_id":"auth0|1","app_metadata":{"plan":"pro"}},)"
      R"( {"user_id" : "auth0|2", "logins_count": 1.50}],"total":2})";
  CHECK(listed(body, "users") == std::vector<std::string>{R"({"user_id":"auth0|1","app_metadata":{"plan":"pro"}})",
                                                          R"({"user_id" : "auth0|2", "logins_count": 1.50})"});
  CHECK(listed(R"([{"log_id":"1"}])", "") == std::vector<std::string>{R"({"log_id":"1"})"});
}

TEST_CASE("a listing answer without its array, or not JSON, is a source error naming the request") {
  CHECK_THROWS_WITH(listed(R"({"total":0})", "users"), R"(GET /api/v2/users: the response has no "users" array)");
  CHECK_THROWS_WITH(listed(R"({"users":[{"a":1})", "users"),
                    Catch::StartsWith("GET /api/v2/users: the response is not valid JSON"));
  CHECK_THROWS_WITH(listed(R"({"users":[{"a":1},"x"]})", "users"),
                    "GET /api/v2/users: a listed element is not an object");
}

TEST_CASE("an error from the record handler passes through unchanged") {
  CHECK_THROWS_WITH(Auth0Api::items(R"({"users":[{"a":1}]})", "/users", "users",
                                    [](std::string_view) { throw sluice::Error(sluice::ErrorKind::source, "stop"); }),
                    "stop");
}

TEST_CASE("the include_totals total is read from the envelope, and is none when absent or not a count") {
  CHECK(Auth0Api::total(R"({"users":[{"total":7}],"total":1234})") == 1234u);
  CHECK(Auth0Api::total(R"({"users":[]})") == std::nullopt);
  CHECK(Auth0Api::total(R"({"total":"12"})") == std::nullopt);
  CHECK(Auth0Api::total(R"({"total":-1})") == std::nullopt);
  CHECK(Auth0Api::total(R"({"total":1.5})") == std::nullopt);
  CHECK(Auth0Api::total("[1,2]") == std::nullopt);
}

TEST_CASE("a record's string member is read unescaped, and other kinds are none") {
  CHECK(auth0::string_member(R"({"id":"org_\"q\u00e9"})", "id") == "org_\"q\u00e9");
  CHECK(auth0::string_member(R"({"nested":{"id":"x"}})", "id") == std::nullopt);
  CHECK(auth0::string_member(R"({"id":12})", "id") == std::nullopt);
}

TEST_CASE("organization_id is added to a member's text escaped, to an empty one too, and wins over a sent one") {
  const std::string odd = "org_\"back\\slash\" \u00e9\n";
  const std::string row = member_row(R"({"user_id":"auth0|1","email":"a@example.com"})", odd);
  CHECK(row == R"({"user_id":"auth0|1","email":"a@example.com","organization_id":"org_\"back\\slash\" )"
               "\u00e9\\n\"}");
  CHECK(json::parse(row).at("organization_id").as_string() == odd);
  CHECK(json::parse(member_row("{ \n}", "org_1")) == json::parse(R"({"organization_id":"org_1"})"));
  CHECK(json::parse(member_row("{}", "org_1")) == json::parse(R"({"organization_id":"org_1"})"));
  CHECK(json::parse(member_row(R"({"organization_id":"sent","n":1 })", "org_1")).at("organization_id") == "org_1");
}
