// Authentication flows for HttpClient::set_auth. Tokens are cached until just
// before they expire and refetched after a 401; a token endpoint's refusal is
// HttpError(auth) naming the client or account, never the secret.
#pragma once

#include <sluice/support/http_client.hpp>

#include <memory>
#include <string>
#include <vector>

namespace sluice::support {

// "Authorization: Bearer <token>", never refreshed.
std::shared_ptr<AuthProvider> bearer_token_auth(std::string token);

// OAuth2 client credentials grant (RFC 6749 4.4) as Auth0 documents it: POST
// token_url with grant_type, client_id, client_secret and audience.
std::shared_ptr<AuthProvider> client_credentials_auth(std::string token_url, std::string client_id,
                                                      std::string client_secret, std::string audience);

// Databricks OAuth M2M (a service principal's secret): POST token_url, HTTP
// Basic client_id:client_secret, grant_type=client_credentials, scope=all-apis.
std::shared_ptr<AuthProvider> databricks_m2m_auth(std::string token_url, std::string client_id, std::string client_secret);

// Google's service-account JWT grant (RFC 7523) for `scopes`, signed with the
// key file's text `key_json`, posted to `token_url` (empty: the key's
// token_uri). Throws Error(config) for a malformed key file.
struct GoogleServiceAccount {
  std::shared_ptr<AuthProvider> auth;
  std::string client_email;  // names the account in messages
};
GoogleServiceAccount google_service_account_auth(const std::string& key_json, std::vector<std::string> scopes,
                                                 std::string token_url = {});

// Snowflake key pair: an hour-long JWT (iss ACCOUNT.USER.SHA256:<fingerprint>,
// sub ACCOUNT.USER) as a KEYPAIR_JWT bearer token; `account` upper-cased, a
// locator's region dropped; the PKCS#8 key encrypted when `passphrase` is set.
// Throws Error(config) for a key it cannot read.
std::shared_ptr<AuthProvider> snowflake_key_pair_auth(std::string account, std::string user,
                                                      std::string private_key_pem, std::string passphrase = {});

}  // namespace sluice::support
