// A stored connection as the API shows and accepts it. On the wire:
//   {"name": "stripe-prod",
//    "connection": {<what a connection file holds: source, target, streams, namespace>},
//    "schedule": {"cron": "*/15 * * * *", "time_zone": "UTC", "jitter_seconds": 30}
//              | {"interval_seconds": 3600, "jitter_seconds": 30} | {}}
// At rest the connection object is sealed whole (SecretBox); in every
// answer its secrets (per the plugin's schema) and the target URL's
// password read "********".
#pragma once

#include "host/serve/api_types.hpp"
#include "host/serve/plugin_catalog.hpp"
#include "host/serve/store.hpp"

#include <boost/json.hpp>

namespace sluice::host::serve {

struct ConnectionInput {
  std::string name;
  std::string plugin;
  boost::json::object connection;  // the connection file's object
  boost::json::object schedule;
};

// Checks a create/update body. Throws ApiError 400 (not an object) or 422
// "invalid_connection" with every problem as {path, message}, paths rooted
// at the body ("connection.source.config.domain"). `previous` (an update)
// supplies the values of secrets sent back as "********".
ConnectionInput parse_connection_input(const boost::json::object& body, PluginCatalog& plugins,
                                       const boost::json::object* previous);

// The answer for one connection; `file` is its opened connection object.
boost::json::object connection_json(const ConnectionRow& row, const boost::json::object& file, PluginCatalog& plugins);

}  // namespace sluice::host::serve
