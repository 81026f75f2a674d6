// How plugins and their capabilities are shown (plugins, spec).
#pragma once

#include "host/plugin/plugin.hpp"

#include <boost/json.hpp>

#include <string>

namespace sluice::host::cli {

// "full_refresh_overwrite, incremental_append, ..." for a mode bit set.
std::string sync_modes_text(sluice_sync_modes modes);
boost::json::array sync_modes_json(sluice_sync_modes modes);
// name, version, abi_version, sync_modes, namespace_support,
// documentation_url, path; plus config_schema when with_schema.
boost::json::object describe_plugin(const Plugin& plugin, bool with_schema);

}  // namespace sluice::host::cli
