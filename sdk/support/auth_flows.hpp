// PRIVATE to the support library: the classes behind the factories of
// <sluice/support/auth.hpp> (tests use them to inspect a flow's JWT).
#pragma once

#include <sluice/support/auth.hpp>

#include <chrono>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <string_view>
#include <string>
#include <vector>

namespace sluice::support {

// A token that never changes: "Authorization: Bearer <token>".
class StaticBearerAuth : public AuthProvider {
 public:
  explicit StaticBearerAuth(std::string token) : token_(std::move(token)) {}
  void authorize(HttpRequest& request, HttpClient& client) override;

 private:
  std::string token_;
};

// Common to the flows that fetch an access token and reuse it. Shared by the
// clients of a FetchPool's workers: one of them fetches a token while the
// others wait for it.
//
// Sessions read in parallel (sync --parallel) each build their own provider;
// providers of the same credentials (share_tokens_as) share one cached
// token, so a sync asks the token endpoint once, however many streams it
// reads at once (Auth0 counts machine-to-machine tokens against a quota).
class CachedTokenAuth : public AuthProvider {
 public:
  CachedTokenAuth();
  void authorize(HttpRequest& request, HttpClient& client) override;
  void invalidate() override;

 protected:
  struct Token {
    std::string access_token;
    std::chrono::seconds expires_in{3600};
  };
  virtual Token fetch(HttpClient& client) = 0;
  // Shares the cached token with every live provider of the process built
  // with the same `parts` (what names the credentials: endpoint, client,
  // secret, audience or scopes). Only a SHA-256 of them is kept.
  void share_tokens_as(std::initializer_list<std::string_view> parts);

 public:
  struct Cached;  // token_auth.cpp: the token, its renewal time, a mutex held while fetching

 private:
  std::shared_ptr<Cached> cached_;
};

// OAuth2 client credentials grant (RFC 6749 4.4) as Auth0 documents it:
// POST token_url, form body grant_type=client_credentials, client_id,
// client_secret, audience.
// https://auth0.com/docs/get-started/authentication-and-authorization-flow/client-credentials-flow/call-your-api-using-the-client-credentials-flow
class ClientCredentialsAuth : public CachedTokenAuth {
 public:
  ClientCredentialsAuth(std::string token_url, std::string client_id, std::string client_secret,
                        std::string audience)
      : token_url_(std::move(token_url)), client_id_(std::move(client_id)),
        client_secret_(std::move(client_secret)), audience_(std::move(audience)) {
    share_tokens_as({"client_credentials", token_url_, client_id_, client_secret_, audience_});
  }

 protected:
  Token fetch(HttpClient& client) override;

 private:
  std::string token_url_, client_id_, client_secret_, audience_;
};

// Databricks OAuth machine-to-machine: client_secret_basic (the id and secret
// in an HTTP Basic header, as Databricks' own curl example sends them) and
// scope=all-apis; the answer is an hour-long bearer token.
// https://docs.databricks.com/aws/en/dev-tools/auth/oauth-m2m
class DatabricksM2MAuth : public CachedTokenAuth {
 public:
  DatabricksM2MAuth(std::string token_url, std::string client_id, std::string client_secret)
      : token_url_(std::move(token_url)), client_id_(std::move(client_id)), client_secret_(std::move(client_secret)) {
    share_tokens_as({"databricks_m2m", token_url_, client_id_, client_secret_});
  }

 protected:
  Token fetch(HttpClient& client) override;

 private:
  std::string token_url_, client_id_, client_secret_;
};

// Google service-account JWT bearer grant (RFC 7523):
// https://developers.google.com/identity/protocols/oauth2/service-account#httprest
// The assertion is signed with the key file's private_key; iss is its
// client_email, aud its token_uri, scope the given scopes, one hour long.
class GoogleServiceAccountAuth : public CachedTokenAuth {
 public:
  // `key_json`: the key file's text. `token_url`: where to post (empty: the
  // key's token_uri). Throws sluice::Error(config) for a malformed key file.
  GoogleServiceAccountAuth(const std::string& key_json, std::vector<std::string> scopes,
                           std::string token_url = {});
  const std::string& client_email() const { return client_email_; }

 protected:
  Token fetch(HttpClient& client) override;

 private:
  std::string client_email_, private_key_, private_key_id_, token_uri_, token_url_;
  std::vector<std::string> scopes_;
};

// Snowflake key-pair authentication: a JWT with iss ACCOUNT.USER.SHA256:<fp>,
// sub ACCOUNT.USER, one hour long, sent as a bearer token with
// X-Snowflake-Authorization-Token-Type: KEYPAIR_JWT.
// https://docs.snowflake.com/en/developer-guide/sql-api/authenticating
class SnowflakeKeyPairAuth : public AuthProvider {
 public:
  // `account`: the account identifier (upper-cased; a locator's region
  // suffix after the first '.' is dropped). PKCS#8 key, encrypted when
  // `passphrase` is not empty.
  SnowflakeKeyPairAuth(std::string account, std::string user, std::string private_key_pem,
                       std::string passphrase = {});
  void authorize(HttpRequest& request, HttpClient& client) override;
  void invalidate() override {
    std::lock_guard lock(mutex_);
    jwt_.clear();
  }
  // The JWT for `now` (exposed for tests and diagnostics).
  std::string make_jwt(std::chrono::system_clock::time_point now) const;

 private:
  std::string qualified_user_, fingerprint_, private_key_, passphrase_;
  std::mutex mutex_;  // guards jwt_ and renew_at_ (clients on several threads share this)
  std::string jwt_;
  std::chrono::system_clock::time_point renew_at_{};  // by the client's clock
};

}  // namespace sluice::support
