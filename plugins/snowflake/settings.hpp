// The connector's validated config, read once per session. The host has
// already checked it against spec.hpp's schema and filled in defaults.
#pragma once

#include <sluice/sdk.hpp>
#include <sluice/support/endpoint.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace snowflake {

struct Settings {
  std::string account;  // as configured: org-account or locator.region[.cloud]
  std::string user;
  std::string role, warehouse;  // "" : the user's defaults
  std::string database;
  std::vector<std::string> schemas;  // empty: all
  // Secrets: never logged or put in a message.
  std::string private_key, passphrase;  // key pair
  std::string oauth_token;              // or an OAuth token (private_key then empty)
  std::chrono::seconds statement_timeout{3600};
  std::string query_tag = "sluice";
  size_t concurrency = 4;
  sluice::support::Endpoint endpoint;  // base_url (default from the account), ca_file
};

// https://ACCOUNT.snowflakecomputing.com, the account lower-cased.
// https://docs.snowflake.com/en/user-guide/admin-account-identifier
std::string default_base_url(const std::string& account);

// Throws sluice::Error(config) for a base_url that breaks the SDK's endpoint rule.
Settings read_settings(const sluice::Config& config);

}  // namespace snowflake
