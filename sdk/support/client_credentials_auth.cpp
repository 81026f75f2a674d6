#include "auth_flows.hpp"

#include "token_response.hpp"

namespace sluice::support {

CachedTokenAuth::Token ClientCredentialsAuth::fetch(HttpClient& client) {
  Headers fields{{"grant_type", "client_credentials"}, {"client_id", client_id_}, {"client_secret", client_secret_}};
  if (!audience_.empty()) fields.emplace_back("audience", audience_);
  auto answer = detail::request_token(client, token_url_, fields, "client " + client_id_);
  return {std::move(answer.access_token), answer.expires_in};
}

}  // namespace sluice::support
