// Where the host looks for plugins.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace sluice::host {

// The plugin directories, in search order: each --plugin-dir given on the
// command line, then each entry of SLUICE_PLUGIN_PATH (colon-separated), then
// the defaults next to the executable: <bin>/../plugins (a build tree) and
// <bin>/../lib/sluice/plugins (an installed tree).
std::vector<std::filesystem::path> plugin_search_path(const std::vector<std::string>& cli_dirs);

}  // namespace sluice::host
