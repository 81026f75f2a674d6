#include "auth_flows.hpp"
#include "jwt.hpp"

#include "token_response.hpp"

namespace sluice::support {

namespace json = boost::json;

namespace {

std::string field(const json::object& key, const char* name, bool required) {
  const auto* value = key.if_contains(name);
  if (value && value->is_string() && !value->get_string().empty()) return std::string(value->get_string());
  if (required) {
    throw Error(ErrorKind::config, std::string("credentials_json: the service-account key has no \"") + name + "\"");
  }
  return {};
}

}  // namespace

GoogleServiceAccountAuth::GoogleServiceAccountAuth(const std::string& key_json, std::vector<std::string> scopes,
                                                   std::string token_url)
    : token_url_(std::move(token_url)), scopes_(std::move(scopes)) {
  json::error_code ec;
  auto parsed = json::parse(key_json, ec);
  if (ec || !parsed.is_object()) {
    throw Error(ErrorKind::config, "credentials_json: not a service-account key file (not a JSON object)");
  }
  const auto& key = parsed.get_object();
  if (field(key, "type", false) != "service_account") {
    throw Error(ErrorKind::config, "credentials_json: not a service-account key (\"type\" must be \"service_account\")");
  }
  client_email_ = field(key, "client_email", true);
  private_key_ = field(key, "private_key", true);
  private_key_id_ = field(key, "private_key_id", false);
  token_uri_ = field(key, "token_uri", false);
  if (token_uri_.empty()) token_uri_ = "https://oauth2.googleapis.com/token";
  if (token_url_.empty()) token_url_ = token_uri_;
  std::string scope;
  for (const auto& s : scopes_) scope += s + " ";
  share_tokens_as({"google_service_account", token_url_, client_email_, private_key_, scope});
}

CachedTokenAuth::Token GoogleServiceAccountAuth::fetch(HttpClient& client) {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       client.options().now().time_since_epoch()).count();
  std::string scope;
  for (const auto& s : scopes_) scope += (scope.empty() ? "" : " ") + s;
  // aud is the key's token_uri even when posting elsewhere (a proxy forwards
  // the assertion to Google, which checks aud against itself).
  json::object claims{{"iss", client_email_}, {"scope", scope}, {"aud", token_uri_}, {"iat", now}, {"exp", now + 3600}};
  json::object header;
  if (!private_key_id_.empty()) header["kid"] = private_key_id_;
  const std::string assertion = sign_jwt_rs256(claims, private_key_, "credentials_json.private_key", header);
  auto answer = detail::request_token(
      client, token_url_, {{"grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"}, {"assertion", assertion}},
      "service account " + client_email_);
  return {std::move(answer.access_token), answer.expires_in};
}

}  // namespace sluice::support
