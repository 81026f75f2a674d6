// The fake Google OAuth 2.0 token endpoint for service accounts: POST /token
// with grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer and an RS256
// assertion, checked as Google documents it: the signature against the test
// service account's public key, iss (the client_email), aud (this endpoint
// or Google's canonical URL), scope (BigQuery or cloud-platform), and a
// lifetime of at most an hour around now. Errors are 400
// {"error": "invalid_grant", "error_description": "..."}.
// https://developers.google.com/identity/protocols/oauth2/service-account
// Not thread-safe: FakeBigQuery serialises calls.
#pragma once

#include <testkit/fake_server.hpp>

#include <set>
#include <string>
#include <string_view>

namespace bigquery_fake {

namespace json = boost::json;

using sluice::testkit::FakeRequest;
using sluice::testkit::FakeResponse;

class FakeTokenEndpoint {
 public:
  FakeTokenEndpoint(std::string client_email, std::string public_key_pem);
  void set_token_url(std::string url) { token_url_ = std::move(url); }

  FakeResponse exchange(const FakeRequest& request);
  bool accepts(const std::string& access_token) const { return tokens_.contains(access_token); }
  void revoke_all() { tokens_.clear(); }
  int issued() const { return issued_; }

 private:
  std::string client_email_, public_key_pem_, token_url_;
  std::set<std::string> tokens_;
  int issued_ = 0;
};

}  // namespace bigquery_fake
