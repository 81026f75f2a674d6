#include "google_token_endpoint.hpp"

#include "jwt_verify.hpp"

namespace sluice::testkit {

namespace {

namespace json = boost::json;

constexpr const char* kGoogleTokenUrl = "https://oauth2.googleapis.com/token";
constexpr const char* kJwtBearer = "urn:ietf:params:oauth:grant-type:jwt-bearer";

FakeResponse oauth_error(const std::string& error, const std::string& description) {
  return FakeResponse::json(400, json::object{{"error", error}, {"error_description", description}});
}

std::string unverified_issuer(const std::string& jwt) {
  const size_t first = jwt.find('.'), second = first == std::string::npos ? first : jwt.find('.', first + 1);
  if (second == std::string::npos) return {};
  json::error_code ec;
  const json::value claims = json::parse(base64url_decode(jwt.substr(first + 1, second - first - 1)), ec);
  const auto* iss = !ec && claims.is_object() ? claims.get_object().if_contains("iss") : nullptr;
  return iss && iss->is_string() ? std::string(iss->get_string()) : std::string();
}

}  // namespace

GoogleTokenEndpoint::GoogleTokenEndpoint(std::vector<std::string> scopes, std::string token_prefix)
    : scopes_(std::move(scopes)), token_prefix_(std::move(token_prefix)) {}

void GoogleTokenEndpoint::add_account(std::string client_email, std::string public_key_pem) {
  public_keys_[std::move(client_email)] = std::move(public_key_pem);
}

// https://developers.google.com/identity/protocols/oauth2/service-account#authorizingrequests
// ("Making the access token request", "Handling the response").
FakeResponse GoogleTokenEndpoint::exchange(const FakeRequest& request) {
  const auto form = request.form();
  auto grant = form.find("grant_type");
  if (grant == form.end() || grant->second != kJwtBearer) {
    return oauth_error("unsupported_grant_type", "Invalid grant_type: " + (grant == form.end() ? "" : grant->second));
  }
  auto assertion = form.find("assertion");
  if (assertion == form.end()) return oauth_error("invalid_request", "Missing required parameter: assertion");
  // The key that must have signed it is the one of the account it claims to be.
  const std::string issuer = unverified_issuer(assertion->second);
  auto key = public_keys_.find(issuer);
  if (key == public_keys_.end()) return oauth_error("invalid_grant", "Invalid grant: account not found");
  auto verified = verify_rs256_jwt(assertion->second, key->second);
  if (!verified) return oauth_error("invalid_grant", "Invalid JWT Signature.");
  const json::object& claims = verified->claims;
  auto claim = [&](const char* name) {
    const auto* value = claims.if_contains(name);
    return value && value->is_string() ? std::string(value->get_string()) : std::string();
  };
  if (claim("aud") != token_url_ && claim("aud") != kGoogleTokenUrl) {
    return oauth_error("invalid_grant", "Invalid JWT: Failed audience check. The right audience is " + token_url_);
  }
  const std::string scope = " " + claim("scope") + " ";
  bool granted = false;
  for (const auto& allowed : scopes_) granted = granted || scope.find(" " + allowed + " ") != std::string::npos;
  if (!granted) return oauth_error("invalid_scope", "The scope does not grant this API: " + claim("scope"));
  const auto* iat = claims.if_contains("iat");
  const auto* exp = claims.if_contains("exp");
  const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(now_().time_since_epoch()).count();
  if (!iat || !exp || !iat->is_number() || !exp->is_number() ||
      exp->to_number<int64_t>() - iat->to_number<int64_t>() > 3600 || exp->to_number<int64_t>() <= now ||
      iat->to_number<int64_t>() > now + 300) {
    return oauth_error("invalid_grant",
                       "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. "
                       "Check your iat and exp values in the JWT claim.");
  }
  const std::string access_token = token_prefix_ + std::to_string(++issued_);
  tokens_[access_token] = issuer;
  return FakeResponse::json(200, json::object{{"access_token", access_token}, {"expires_in", 3599}, {"token_type", "Bearer"}});
}

std::optional<std::string> GoogleTokenEndpoint::account_of(const std::string& access_token) const {
  auto found = tokens_.find(access_token);
  if (found == tokens_.end()) return std::nullopt;
  return found->second;
}

}  // namespace sluice::testkit
