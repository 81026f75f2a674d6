// The connector's validated config, read once per session. The host has
// already checked it against spec.hpp's schema and filled in defaults; what
// the schema cannot say (a cluster's HTTP path, a missing catalog) is
// refused here with one line saying what to set.
#pragma once

#include <sluice/sdk.hpp>
#include <sluice/support/endpoint.hpp>

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace databricks {

struct Settings {
  std::string server_hostname;
  int port = 443;
  std::string warehouse_id;  // from http_path
  std::string catalog;
  std::vector<std::string> schemas;  // empty: all
  // Secrets: never logged or put in a message.
  std::string token;                        // personal access token
  std::string client_id, client_secret;     // or a service principal (token then empty)
  std::chrono::seconds wait_timeout{30};
  std::chrono::seconds statement_timeout{3600};
  size_t concurrency = 4;
  sluice::support::Endpoint endpoint;  // base_url (default from hostname and port), ca_file
};

// The warehouse id of a SQL warehouse's HTTP path: /sql/1.0/warehouses/<id>
// (or the older /sql/1.0/endpoints/<id>), a ?query dropped. Throws
// sluice::Error(config) for a cluster's path (/sql/protocolv1/o/...) or any
// other, saying a SQL warehouse is needed.
// https://docs.databricks.com/aws/en/integrations/compute-details
std::string warehouse_id_of_http_path(std::string_view http_path);

// https://HOST (":PORT" unless 443), the host lower-cased.
std::string default_base_url(const std::string& hostname, int port);

// Throws sluice::Error(config) for a missing catalog, a cluster path, or a
// base_url that breaks the SDK's endpoint rule.
Settings read_settings(const sluice::Config& config);

}  // namespace databricks
