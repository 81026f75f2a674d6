#include "auth_flows.hpp"

#include "jwt.hpp"
#include "token_response.hpp"

namespace sluice::support {

CachedTokenAuth::Token ClientCredentialsAuth::fetch(HttpClient& client) {
  Headers fields{{"grant_type", "client_credentials"}, {"client_id", client_id_}, {"client_secret", client_secret_}};
  if (!audience_.empty()) fields.emplace_back("audience", audience_);
  auto answer = detail::request_token(client, token_url_, fields, "client " + client_id_);
  return {std::move(answer.access_token), answer.expires_in};
}

CachedTokenAuth::Token DatabricksM2MAuth::fetch(HttpClient& client) {
  // RFC 6749 2.3.1: the id and secret form-encoded, then joined by ':'.
  const Headers basic{{"Authorization", "Basic " + base64_encode(url_encode(client_id_) + ":" + url_encode(client_secret_))}};
  auto answer = detail::request_token(client, token_url_, {{"grant_type", "client_credentials"}, {"scope", "all-apis"}},
                                      "service principal " + client_id_, basic);
  return {std::move(answer.access_token), answer.expires_in};
}

}  // namespace sluice::support
