#include "settings.hpp"

#include <algorithm>
#include <cctype>

namespace snowflake {

std::string default_base_url(const std::string& account) {
  std::string host = account;
  std::transform(host.begin(), host.end(), host.begin(), [](unsigned char c) { return std::tolower(c); });
  // Host names take no '_': Snowflake's own drivers write ACCOUNT_NAME as account-name there.
  std::replace(host.begin(), host.end(), '_', '-');
  return "https://" + host + ".snowflakecomputing.com";
}

Settings read_settings(const sluice::Config& config) {
  Settings settings;
  settings.account = config.string("account");
  settings.user = config.string("user");
  settings.role = config.optional_string("role").value_or("");
  settings.warehouse = config.optional_string("warehouse").value_or("");
  settings.database = config.string("database");
  settings.schemas = config.optional_strings("schemas");
  const sluice::Config credentials = config.object("credentials");
  if (credentials.string("auth_type") == "oauth") {
    settings.oauth_token = credentials.string("token");
  } else {
    settings.private_key = credentials.string("private_key");
    settings.passphrase = credentials.optional_string("passphrase").value_or("");
  }
  settings.statement_timeout =
      std::chrono::seconds(config.optional_integer("statement_timeout_seconds").value_or(3600));
  settings.query_tag = config.optional_string("query_tag").value_or("sluice");
  settings.concurrency = static_cast<size_t>(config.optional_integer("concurrency").value_or(4));
  settings.endpoint = sluice::support::endpoint_from_config(config.json(), default_base_url(settings.account));
  return settings;
}

}  // namespace snowflake
