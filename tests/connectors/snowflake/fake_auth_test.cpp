// The fake's key-pair JWT check, claim by claim, as Snowflake documents it:
// https://docs.snowflake.com/en/developer-guide/sql-api/authenticating#using-key-pair-authentication
#include "fake_snowflake.hpp"

#include "sdk/support/jwt.hpp"

#include <testkit/keys.hpp>

#include <catch2/catch.hpp>

using namespace snowflake_fake;

namespace {

struct Signed {
  sluice::testkit::RsaKeyPair key = sluice::testkit::generate_rsa_key();
  FakeSnowflake fake{"MYORG-MYACCOUNT", "SLUICE_READER", key.public_pem, "SALES"};

  // The fake's answer to a statement sent with a JWT of these claims.
  FakeResponse answer(const json::object& claims, const std::string& type = "KEYPAIR_JWT") {
    FakeRequest request;
    request.method = "POST";
    request.path = request.raw_path = "/api/v2/statements";
    request.headers = {{"Authorization", "Bearer " + sluice::support::sign_jwt_rs256(claims, key.private_pem, "key")},
                       {"X-Snowflake-Authorization-Token-Type", type}};
    request.body = R"({"statement": "SELECT 1", "database": "SALES"})";
    return fake.handle(request);
  }

  json::object claims(int64_t lifetime = 3600, int64_t age = 0, std::string fingerprint = "") {
    const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch()).count() - age;
    if (fingerprint.empty()) fingerprint = public_key_fingerprint(key.public_pem);
    return {{"iss", "myorg-myaccount.sluice_reader." + fingerprint},
            {"sub", "MYORG-MYACCOUNT.SLUICE_READER"},
            {"iat", now},
            {"exp", now + lifetime}};
  }
};

std::string reason(const FakeResponse& response) {
  for (const auto& [name, value] : response.headers) {
    if (name == "X-Fake-Reason") return value;
  }
  return "";
}

}  // namespace

TEST_CASE("the fake accepts a JWT naming ACCOUNT.USER (any case) and the registered key's fingerprint") {
  Signed s;
  CHECK(s.answer(s.claims()).status == 200);
}

TEST_CASE("the fake refuses a JWT whose iss names another key's fingerprint, even signed by the registered key") {
  Signed s;
  const auto other = public_key_fingerprint(sluice::testkit::generate_rsa_key().public_pem);
  auto response = s.answer(s.claims(3600, 0, other));
  CHECK(response.status == 401);
  CHECK(json::parse(response.body) == json::parse(R"({"code": "390144", "message": "JWT token is invalid."})"));
  CHECK(reason(response) == "iss has another key's fingerprint");
}

TEST_CASE("the fake refuses an expired JWT, one living over an hour, one for another user, and a wrong token type") {
  Signed s;
  CHECK(reason(s.answer(s.claims(3600, 3601))) == "expired");
  CHECK(reason(s.answer(s.claims(3601))) == "lifetime over an hour");
  auto claims = s.claims();
  claims["sub"] = "MYORG-MYACCOUNT.SOMEONE";
  CHECK(reason(s.answer(claims)) == "sub is not ACCOUNT.USER");
  CHECK(s.answer(s.claims(), "OAUTH").status == 401);
}
