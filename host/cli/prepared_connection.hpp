// The steps every connection command shares: read the connection file, find
// its plugin, resolve secret references, register secrets for masking,
// validate the config against the plugin's schema and apply its defaults.
#pragma once

#include "host/config/connection.hpp"
#include "host/plugin/plugin_registry.hpp"

#include <boost/json.hpp>

#include <string>

namespace sluice::host::cli {

struct PreparedConnection {
  Connection connection;
  const Plugin* plugin = nullptr;
  boost::json::object config;  // what the plugin receives
};

// Throws ConfigError (exit 2) or PluginLoadError (exit 3).
PreparedConnection prepare_connection(const std::string& file, const PluginRegistry& registry);
// The same for a connection already read (parse_connection).
PreparedConnection prepare_connection(Connection connection, const PluginRegistry& registry);

}  // namespace sluice::host::cli
