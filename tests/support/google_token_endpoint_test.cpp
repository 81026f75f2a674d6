// The test kit's Google token endpoint (testkit/google_token_endpoint.hpp),
// called directly: each assertion is verified with the key of the account
// it names, lifetimes are checked on its clock, and every answer has the
// shape of the hand-written spec of Google's endpoint (200: access_token,
// expires_in, token_type Bearer; 400: error, error_description).
#include "testkit/google_token_endpoint.hpp"
#include "testkit/keys.hpp"

#include "sdk/support/jwt.hpp"  // private to the support library: tests sign JWTs with it

#include <catch2/catch.hpp>

using sluice::testkit::FakeRequest;
using sluice::testkit::FakeResponse;
using sluice::testkit::GoogleTokenEndpoint;
namespace json = boost::json;
using namespace std::chrono;

namespace {

constexpr const char* kScope = "https://www.googleapis.com/auth/spreadsheets.readonly";
constexpr const char* kTokenUrl = "https://127.0.0.1:1/token";

const sluice::testkit::RsaKeyPair& key(int which) {
  static const sluice::testkit::RsaKeyPair first = sluice::testkit::generate_rsa_key(),
                                           second = sluice::testkit::generate_rsa_key();
  return which == 0 ? first : second;
}

FakeRequest token_request(const std::string& assertion) {
  FakeRequest request;
  request.method = "POST";
  request.path = "/token";
  request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  request.body = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=" + assertion;
  return request;
}

FakeResponse exchange(GoogleTokenEndpoint& endpoint, const std::string& iss, int signer, int64_t iat) {
  const json::object claims{{"iss", iss}, {"aud", kTokenUrl}, {"scope", kScope}, {"iat", iat}, {"exp", iat + 3600}};
  return endpoint.exchange(token_request(sluice::support::sign_jwt_rs256(claims, key(signer).private_pem, "k")));
}

std::string error_of(const FakeResponse& response) {
  const auto body = json::parse(response.body).as_object();
  CHECK(body.size() == 2);
  return std::string(body.at("error").as_string()) + ": " + std::string(body.at("error_description").as_string());
}

}  // namespace

TEST_CASE("the kit's Google token endpoint verifies each assertion with its own account's key and knows whose token it issued") {
  GoogleTokenEndpoint endpoint({kScope}, "ya29.kit-");
  endpoint.set_token_url(kTokenUrl);
  endpoint.add_account("a@p.iam.gserviceaccount.com", key(0).public_pem);
  endpoint.add_account("b@p.iam.gserviceaccount.com", key(1).public_pem);
  const int64_t now = duration_cast<seconds>(system_clock::now().time_since_epoch()).count();

  const auto granted = exchange(endpoint, "b@p.iam.gserviceaccount.com", 1, now);
  REQUIRE(granted.status == 200);
  const auto body = json::parse(granted.body).as_object();
  CHECK(body.size() == 3);
  CHECK(body.at("token_type") == "Bearer");
  CHECK(body.at("expires_in").as_int64() == 3599);
  const std::string token(body.at("access_token").as_string());
  CHECK(token == "ya29.kit-1");
  CHECK(endpoint.account_of(token) == "b@p.iam.gserviceaccount.com");

  const auto signed_by_other = exchange(endpoint, "a@p.iam.gserviceaccount.com", 1, now);
  CHECK(signed_by_other.status == 400);
  CHECK(error_of(signed_by_other) == "invalid_grant: Invalid JWT Signature.");
  CHECK(error_of(exchange(endpoint, "c@p.iam.gserviceaccount.com", 0, now)) ==
        "invalid_grant: Invalid grant: account not found");
  CHECK(endpoint.issued() == 1);
  endpoint.revoke_all();
  CHECK_FALSE(endpoint.account_of(token));
}

TEST_CASE("the kit's Google token endpoint checks iat and exp on its own clock") {
  GoogleTokenEndpoint endpoint({kScope});
  endpoint.set_token_url(kTokenUrl);
  endpoint.add_account("a@p.iam.gserviceaccount.com", key(0).public_pem);
  const auto fixed = system_clock::time_point{} + hours(24 * 365 * 30);
  endpoint.set_clock([fixed] { return fixed; });
  const int64_t then = duration_cast<seconds>(fixed.time_since_epoch()).count();
  CHECK(exchange(endpoint, "a@p.iam.gserviceaccount.com", 0, then).status == 200);
  CHECK_THAT(error_of(exchange(endpoint, "a@p.iam.gserviceaccount.com", 0, then - 4000)),
             Catch::Contains("Token must be a short-lived token (60 minutes) and in a reasonable timeframe"));
}
