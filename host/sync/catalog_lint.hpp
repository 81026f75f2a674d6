// A plugin's catalog, checked before a sync creates anything from it. A
// stream whose record schema is broken, or that offers a mode its plugin does
// not declare, is a bug in the plugin, not in the operator's connection: it
// fails as a PluginError (exit code 1), not a ConfigError (2).
#pragma once

#include "host/config/connection.hpp"

#include <sluice/plugin.h>

#include <boost/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace sluice::host {

// Checks the catalog streams a sync of `connection` reads (the ones
// selected_catalog_streams() returns for `only`; the others may be broken):
//  - "json_schema" is present and a valid draft-07 schema whose types are
//    all known names (check_record_schema);
//  - "supported_sync_modes" lists only known mode names, each among the modes
//    the plugin declares in its info block (`plugin_modes`, SLUICE_MODE_*);
//  - "source_defined_cursor" and "source_defined_primary_key", when present,
//    are booleans.
// Every catalog stream must have a string "name". Throws PluginError
// (ErrorKind::internal: a plugin bug) with one line for the first problem,
// naming the plugin, the stream and the place:
// `plugin scripted: stream events: json_schema /properties/amount/type: unknown type "strnig"`.
// Call it after discover and before plan_streams, so a broken schema is
// reported as the plugin's bug before any table is created from it.
void lint_catalog(const boost::json::object& catalog, std::string_view plugin_name, sluice_sync_modes plugin_modes,
                  const Connection& connection, const std::vector<std::string>& only);

}  // namespace sluice::host
