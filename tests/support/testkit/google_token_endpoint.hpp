// For fakes of Google APIs (BigQuery, Sheets): Google's OAuth 2.0 token
// endpoint for service accounts, POST /token with
// grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer and an RS256
// assertion (RFC 7523 section 2.1), checked as Google documents it: the
// signature against the public key of the account named by iss, aud (this
// endpoint's URL or Google's canonical https://oauth2.googleapis.com/token),
// a scope granting the API, and a lifetime of at most an hour around now.
// Answers 200 {access_token, expires_in, token_type: Bearer} or 400
// {error, error_description} (RFC 6749 sections 5.1, 5.2), the shapes of
// the project's hand-written spec of the endpoint
// (reference/api-specs/handwritten/google-oauth2-token.yaml).
// https://developers.google.com/identity/protocols/oauth2/service-account
// Not thread-safe: the fake that owns it serialises calls.
#pragma once

#include "fake_server.hpp"

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sluice::testkit {

class GoogleTokenEndpoint {
 public:
  // `scopes`: any one of them in the assertion's scope claim grants the API
  // (BigQuery: bigquery, cloud-platform; Sheets: spreadsheets.readonly, ...).
  // Issued tokens are `token_prefix` plus a counter ("ya29.fake-1").
  explicit GoogleTokenEndpoint(std::vector<std::string> scopes, std::string token_prefix = "ya29.fake-");

  // A service account whose assertions verify with `public_key_pem`.
  void add_account(std::string client_email, std::string public_key_pem);
  // This endpoint's own URL, accepted as the assertion's aud.
  void set_token_url(std::string url) { token_url_ = std::move(url); }
  // The clock iat and exp are checked against (default: the system clock).
  void set_clock(std::function<std::chrono::system_clock::time_point()> now) { now_ = std::move(now); }

  // Answers one POST /token.
  FakeResponse exchange(const FakeRequest& request);

  // The account `access_token` was issued to; nullopt for a token never
  // issued or revoked.
  std::optional<std::string> account_of(const std::string& access_token) const;
  bool accepts(const std::string& access_token) const { return tokens_.contains(access_token); }
  void revoke_all() { tokens_.clear(); }
  int issued() const { return issued_; }

 private:
  std::vector<std::string> scopes_;
  std::string token_prefix_, token_url_;
  std::map<std::string, std::string> public_keys_;  // client_email -> PEM
  std::function<std::chrono::system_clock::time_point()> now_ = std::chrono::system_clock::now;
  std::map<std::string, std::string> tokens_;  // access token -> client_email
  int issued_ = 0;
};

}  // namespace sluice::testkit
