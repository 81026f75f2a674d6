// Where the host looks for plugins.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace sluice::host {

struct PluginSearchPath {
  // The folders to search, in order: each --plugin-dir given on the command
  // line (kept as given: the CLI rejects one that is not a folder before it
  // gets here), then each entry of SLUICE_PLUGIN_PATH (colon-separated), then
  // the defaults next to the executable: <bin>/../plugins (a build tree) and
  // <bin>/../lib/sluice/plugins (an installed tree). A folder named twice
  // is searched once, where it first appears.
  std::vector<std::filesystem::path> dirs;
  // SLUICE_PLUGIN_PATH entries that are not folders. They are skipped, like
  // missing PATH entries, and named only when a plugin is not found (a typo
  // in the variable then shows up where it matters). Default folders that do
  // not exist are skipped silently.
  std::vector<std::filesystem::path> skipped;
};

PluginSearchPath plugin_search_path(const std::vector<std::string>& cli_dirs);

}  // namespace sluice::host
