#include "settings.hpp"

#include <algorithm>
#include <cctype>

namespace databricks {

std::string warehouse_id_of_http_path(std::string_view http_path) {
  std::string_view path = http_path.substr(0, http_path.find('?'));
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  for (std::string_view prefix : {"/sql/1.0/warehouses/", "/sql/1.0/endpoints/"}) {
    if (path.size() > prefix.size() && path.substr(0, prefix.size()) == prefix) {
      const std::string_view id = path.substr(prefix.size());
      const bool plain = std::all_of(id.begin(), id.end(), [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '_'; });
      if (plain) return std::string(id);
    }
  }
  const bool cluster = path.find("/sql/protocolv1/") != std::string_view::npos;
  throw sluice::Error(sluice::ErrorKind::config,
                      std::string("config.http_path: ") +
                          (cluster ? "this is an all-purpose cluster's HTTP path; the Statement Execution API needs a SQL warehouse: "
                                   : "not a SQL warehouse's HTTP path; ") +
                          "copy the HTTP path of a SQL warehouse (SQL Warehouses > the warehouse > Connection details), "
                          "/sql/1.0/warehouses/<warehouse id>");
}

std::string default_base_url(const std::string& hostname, int port) {
  std::string host = hostname;
  std::transform(host.begin(), host.end(), host.begin(), [](unsigned char c) { return std::tolower(c); });
  return "https://" + host + (port == 443 ? std::string() : ":" + std::to_string(port));
}

Settings read_settings(const sluice::Config& config) {
  Settings settings;
  settings.server_hostname = config.string("server_hostname");
  settings.port = static_cast<int>(config.optional_integer("port").value_or(443));
  settings.warehouse_id = warehouse_id_of_http_path(config.string("http_path"));
  settings.catalog = config.optional_string("catalog").value_or("");
  if (settings.catalog.empty()) {
    throw sluice::Error(sluice::ErrorKind::config,
                        "config.catalog: required: the connector reads Unity Catalog tables; name the catalog to read "
                        "(Catalog Explorer lists them, e.g. main)");
  }
  settings.schemas = config.optional_strings("schemas");
  const sluice::Config credentials = config.object("credentials");
  if (credentials.string("auth_type") == "oauth_m2m") {
    settings.client_id = credentials.string("client_id");
    settings.client_secret = credentials.string("client_secret");
  } else {
    settings.token = credentials.string("token");
  }
  settings.wait_timeout = std::chrono::seconds(config.optional_integer("wait_timeout_seconds").value_or(30));
  settings.statement_timeout = std::chrono::seconds(config.optional_integer("statement_timeout_seconds").value_or(3600));
  settings.concurrency = static_cast<size_t>(config.optional_integer("concurrency").value_or(4));
  settings.endpoint =
      sluice::support::endpoint_from_config(config.json(), default_base_url(settings.server_hostname, settings.port));
  return settings;
}

}  // namespace databricks
