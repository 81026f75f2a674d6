// The fake itself, called directly: its token endpoint checks the JWT the
// way Google documents (signature, iss, aud, scope, iat/exp), and its API
// answers in BigQuery's shapes. A fake that accepted anything would let a
// broken connector pass.
#include "fake_bigquery.hpp"

#include "sdk/support/jwt.hpp"  // private to the support library: tests sign JWTs with it
#include <testkit/keys.hpp>

#include <catch2/catch.hpp>

#include <chrono>

using namespace bigquery_fake;

namespace {

constexpr const char* kEmail = "svc@my-proj.iam.gserviceaccount.com";
constexpr const char* kTokenUrl = "http://127.0.0.1:1/token";

int64_t now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

json::object good_claims() {
  return {{"iss", kEmail}, {"aud", kTokenUrl}, {"scope", "https://www.googleapis.com/auth/bigquery"},
          {"iat", now()}, {"exp", now() + 3600}};
}

FakeRequest token_request(const std::string& assertion,
                          const std::string& grant = "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer") {
  FakeRequest request;
  request.method = "POST";
  request.path = "/token";
  request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  request.body = "grant_type=" + grant + "&assertion=" + assertion;
  return request;
}

struct Setup {
  sluice::testkit::RsaKeyPair key = sluice::testkit::generate_rsa_key();
  FakeBigQuery fake{"my-proj", kEmail, key.public_pem};
  Setup() { fake.set_token_url(kTokenUrl); }

  FakeResponse exchange(const json::object& claims) {
    return fake.handle(token_request(sluice::support::sign_jwt_rs256(claims, key.private_pem, "test key")));
  }
  std::string token() { return std::string(json::parse(exchange(good_claims()).body).at("access_token").as_string()); }
  FakeResponse get(const std::string& path, const std::string& bearer) {
    FakeRequest request;
    request.method = "GET";
    request.path = path;
    if (!bearer.empty()) request.headers.emplace_back("Authorization", "Bearer " + bearer);
    return fake.handle(request);
  }
};

std::string error_of(const FakeResponse& response) {
  auto body = json::parse(response.body).as_object();
  return std::string(body.at("error").as_string()) + ": " + std::string(body.at("error_description").as_string());
}

}  // namespace

TEST_CASE("the fake token endpoint issues a Bearer token for a correctly signed assertion") {
  Setup s;
  auto response = s.exchange(good_claims());
  REQUIRE(response.status == 200);
  auto body = json::parse(response.body).as_object();
  CHECK(body.at("token_type") == "Bearer");
  CHECK(body.at("expires_in").as_int64() == 3599);
  CHECK_THAT(std::string(body.at("access_token").as_string()), Catch::StartsWith("ya29."));
  // Google's canonical audience is accepted too.
  auto claims = good_claims();
  claims["aud"] = "https://oauth2.googleapis.com/token";
  CHECK(s.exchange(claims).status == 200);
  CHECK(s.fake.tokens_issued() == 2);
}

TEST_CASE("the fake token endpoint refuses bad signatures, issuers, audiences, scopes, lifetimes and grant types") {
  Setup s;
  auto other = sluice::testkit::generate_rsa_key();
  auto forged = s.fake.handle(token_request(sluice::support::sign_jwt_rs256(good_claims(), other.private_pem, "other key")));
  CHECK(forged.status == 400);
  CHECK(error_of(forged) == "invalid_grant: Invalid JWT Signature.");

  auto claims = good_claims();
  claims["iss"] = "intruder@evil.iam.gserviceaccount.com";
  CHECK_THAT(error_of(s.exchange(claims)), Catch::StartsWith("invalid_grant"));
  claims = good_claims();
  claims["aud"] = "https://example.com/token";
  CHECK_THAT(error_of(s.exchange(claims)), Catch::StartsWith("invalid_grant: Invalid JWT: Failed audience check"));
  claims = good_claims();
  claims["scope"] = "https://www.googleapis.com/auth/spreadsheets.readonly";
  CHECK_THAT(error_of(s.exchange(claims)), Catch::StartsWith("invalid_scope"));
  claims = good_claims();
  claims["exp"] = now() + 7200;  // longer than an hour
  CHECK_THAT(error_of(s.exchange(claims)), Catch::Contains("short-lived token"));
  claims = good_claims();
  claims["iat"] = now() - 7200;
  claims["exp"] = now() - 3600;  // expired
  CHECK_THAT(error_of(s.exchange(claims)), Catch::Contains("short-lived token"));
  auto wrong_grant = s.fake.handle(token_request(sluice::support::sign_jwt_rs256(good_claims(), s.key.private_pem, "test key"), "client_credentials"));
  CHECK_THAT(error_of(wrong_grant), Catch::StartsWith("unsupported_grant_type"));
  CHECK(s.fake.tokens_issued() == 0);
}

TEST_CASE("the fake API needs an issued token and answers 401 in Google's error shape") {
  Setup s;
  s.fake.add_dataset("sales");
  auto anonymous = s.get("/bigquery/v2/projects/my-proj/datasets", "");
  CHECK(anonymous.status == 401);
  auto error = json::parse(anonymous.body).at("error").as_object();
  CHECK(error.at("status") == "UNAUTHENTICATED");
  CHECK(error.at("errors").at(0).at("reason") == "authError");
  CHECK(error.at("errors").at(0).at("location") == "Authorization");
  CHECK(s.get("/bigquery/v2/projects/my-proj/datasets", "ya29.made-up").status == 401);
  const std::string token = s.token();
  auto listed = s.get("/bigquery/v2/projects/my-proj/datasets", token);
  REQUIRE(listed.status == 200);
  CHECK(json::parse(listed.body).at("datasets").at(0).at("datasetReference") ==
        json::parse(R"({"projectId":"my-proj","datasetId":"sales"})"));
  s.fake.revoke_tokens();
  CHECK(s.get("/bigquery/v2/projects/my-proj/datasets", token).status == 401);
}

TEST_CASE("the fake's tables.get returns the Table resource and unknown tables are 404 notFound") {
  Setup s;
  FakeTable table;
  table.fields = {field("id", "INTEGER", "REQUIRED")};
  table.rows = {row({cell("1")}), row({cell("2")})};
  s.fake.add_table("sales", "order lines", table);
  const std::string token = s.token();
  auto found = s.get("/bigquery/v2/projects/my-proj/datasets/sales/tables/order lines", token);  // decoded, as the test kit passes paths
  REQUIRE(found.status == 200);
  auto body = json::parse(found.body).as_object();
  CHECK(body.at("kind") == "bigquery#table");
  CHECK(body.at("id") == "my-proj:sales.order lines");
  CHECK(body.at("numRows") == "2");  // int64 as a string, as the API sends it
  CHECK(body.at("schema").at("fields").at(0).at("type") == "INTEGER");
  auto missing = s.get("/bigquery/v2/projects/my-proj/datasets/sales/tables/nope", token);
  CHECK(missing.status == 404);
  CHECK(json::parse(missing.body).at("error").at("errors").at(0).at("reason") == "notFound");
  CHECK(json::parse(missing.body).at("error").at("message") == "Not found: Table my-proj:sales.nope");
}

TEST_CASE("the fake sends TIMESTAMP as float seconds unless int64 timestamps are asked for") {
  Setup s;
  FakeTable table;
  table.fields = {field("at", "TIMESTAMP")};
  table.rows = {row({cell("1714550000123456")})};
  s.fake.add_table("sales", "t", table);
  FakeRequest query;
  query.method = "POST";
  query.path = "/bigquery/v2/projects/my-proj/queries";
  query.headers.emplace_back("Authorization", "Bearer " + s.token());
  query.body = R"({"query":"SELECT * FROM `my-proj`.`sales`.`t`","useLegacySql":false})";
  auto plain = json::parse(s.fake.handle(query).body);
  CHECK(plain.at("rows").at(0).at("f").at(0).at("v") == "1.714550000123456E9");
  query.body = R"({"query":"SELECT * FROM `my-proj`.`sales`.`t`","useLegacySql":false,"formatOptions":{"useInt64Timestamp":true}})";
  auto exact = json::parse(s.fake.handle(query).body);
  CHECK(exact.at("rows").at(0).at("f").at(0).at("v") == "1714550000123456");
  CHECK(exact.at("totalRows") == "1");
  CHECK(exact.at("jobComplete") == true);
  // Legacy SQL (the API's default) cannot read backtick paths.
  query.body = R"({"query":"SELECT * FROM `my-proj`.`sales`.`t`"})";
  CHECK(s.fake.handle(query).status == 400);
}
