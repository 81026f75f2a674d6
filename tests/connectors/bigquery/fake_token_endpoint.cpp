#include "fake_token_endpoint.hpp"

#include <testkit/jwt_verify.hpp>

#include <chrono>
#include <cstdio>
#include <map>

namespace bigquery_fake {

namespace {

constexpr const char* kGoogleTokenUrl = "https://oauth2.googleapis.com/token";
constexpr const char* kBigQueryScope = "https://www.googleapis.com/auth/bigquery";
constexpr const char* kCloudPlatformScope = "https://www.googleapis.com/auth/cloud-platform";
constexpr const char* kJwtBearer = "urn:ietf:params:oauth:grant-type:jwt-bearer";

FakeResponse oauth_error(const std::string& error, const std::string& description) {
  return FakeResponse::json(400, json::object{{"error", error}, {"error_description", description}});
}

int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

FakeTokenEndpoint::FakeTokenEndpoint(std::string client_email, std::string public_key_pem)
    : client_email_(std::move(client_email)), public_key_pem_(std::move(public_key_pem)) {}

// RFC 7523 JWT bearer grant, checked as Google documents it.
FakeResponse FakeTokenEndpoint::exchange(const FakeRequest& request) {
  const auto form = request.form();
  auto grant = form.find("grant_type");
  if (grant == form.end() || grant->second != kJwtBearer) {
    return oauth_error("unsupported_grant_type", "Invalid grant_type: " + (grant == form.end() ? "" : grant->second));
  }
  auto assertion = form.find("assertion");
  if (assertion == form.end()) return oauth_error("invalid_request", "Missing required parameter: assertion");
  auto verified = sluice::testkit::verify_rs256_jwt(assertion->second, public_key_pem_);
  if (!verified) return oauth_error("invalid_grant", "Invalid JWT Signature.");
  const json::object& claims = verified->claims;
  auto claim = [&](const char* name) {
    const auto* value = claims.if_contains(name);
    return value && value->is_string() ? std::string(value->get_string()) : std::string();
  };
  if (claim("iss") != client_email_) return oauth_error("invalid_grant", "Invalid JWT: Failed audience check."
                                                                          " Unknown issuer " + claim("iss"));
  if (claim("aud") != token_url_ && claim("aud") != kGoogleTokenUrl) {
    return oauth_error("invalid_grant", "Invalid JWT: Failed audience check. The right audience is " + token_url_);
  }
  const std::string scope = " " + claim("scope") + " ";
  if (scope.find(std::string(" ") + kBigQueryScope + " ") == std::string::npos &&
      scope.find(std::string(" ") + kCloudPlatformScope + " ") == std::string::npos) {
    return oauth_error("invalid_scope", "The scope does not grant BigQuery access: " + claim("scope"));
  }
  const auto* iat = claims.if_contains("iat");
  const auto* exp = claims.if_contains("exp");
  const int64_t now = now_seconds();
  if (!iat || !exp || !iat->is_number() || !exp->is_number() || exp->to_number<int64_t>() - iat->to_number<int64_t>() > 3600 ||
      exp->to_number<int64_t>() <= now || iat->to_number<int64_t>() > now + 300) {
    return oauth_error("invalid_grant",
                       "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. "
                       "Check your iat and exp values in the JWT claim.");
  }
  const std::string access_token = "ya29.fake-" + std::to_string(++issued_);
  tokens_.insert(access_token);
  return FakeResponse::json(200, json::object{{"access_token", access_token}, {"expires_in", 3599}, {"token_type", "Bearer"}});
}

}  // namespace bigquery_fake
