// The public factories of <sluice/support/auth.hpp> over the flow classes.
#include "auth_flows.hpp"

namespace sluice::support {

std::shared_ptr<AuthProvider> bearer_token_auth(std::string token) {
  return std::make_shared<StaticBearerAuth>(std::move(token));
}

std::shared_ptr<AuthProvider> client_credentials_auth(std::string token_url, std::string client_id,
                                                      std::string client_secret, std::string audience) {
  return std::make_shared<ClientCredentialsAuth>(std::move(token_url), std::move(client_id), std::move(client_secret),
                                                 std::move(audience));
}

std::shared_ptr<AuthProvider> databricks_m2m_auth(std::string token_url, std::string client_id,
                                                  std::string client_secret) {
  return std::make_shared<DatabricksM2MAuth>(std::move(token_url), std::move(client_id), std::move(client_secret));
}

GoogleServiceAccount google_service_account_auth(const std::string& key_json, std::vector<std::string> scopes,
                                                 std::string token_url) {
  auto auth = std::make_shared<GoogleServiceAccountAuth>(key_json, std::move(scopes), std::move(token_url));
  std::string email = auth->client_email();
  return {std::move(auth), std::move(email)};
}

std::shared_ptr<AuthProvider> snowflake_key_pair_auth(std::string account, std::string user,
                                                      std::string private_key_pem, std::string passphrase) {
  return std::make_shared<SnowflakeKeyPairAuth>(std::move(account), std::move(user), std::move(private_key_pem),
                                                std::move(passphrase));
}

}  // namespace sluice::support
