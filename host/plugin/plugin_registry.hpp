// Finds plugins by file name and loads only the one a command names, so a
// broken file next to it costs nothing: not even its static constructors
// run. The rule that makes this possible: a plugin named NAME lives in a
// file named sluice-NAME.so (cmake/SluicePlugin.cmake names every plugin so),
// and the loader rejects a plugin whose own name differs from its file's.
#pragma once

#include "host/plugin/plugin.hpp"
#include "host/plugin/plugin_paths.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::host {

// "auth0" -> "sluice-auth0.so".
std::string plugin_file_name(std::string_view name);
// "…/sluice-auth0.so" -> "auth0"; nullopt for a file not named
// sluice-NAME.so with NAME of [a-z0-9_]{1,64} (the rule for plugin names).
std::optional<std::string> plugin_name_from_file(const std::filesystem::path& file);

class PluginRegistry {
 public:
  explicit PluginRegistry(PluginSearchPath search_path);

  const PluginSearchPath& search_path() const { return search_path_; }

  // Every "*.so" regular file directly in the search folders, in search
  // order (sorted by name within a folder). Opens none of them.
  std::vector<std::filesystem::path> candidate_files() const;

  // The plugin named `name`, loaded from the first search folder that holds
  // sluice-NAME.so; no other file is opened. Throws PluginLoadError:
  //   "auth0 was found in DIR but rejected: REASON" (a later folder's copy is
  //   not tried: the first one found is the one the operator gets), or
  //   "no plugin named auth0 (looked for sluice-auth0.so in: DIR, DIR)".
  // The plugin stays loaded for the registry's life; asking again returns
  // the same one. Not thread-safe.
  const Plugin& require(std::string_view name) const;

 private:
  PluginSearchPath search_path_;
  mutable std::vector<std::unique_ptr<Plugin>> loaded_;
};

// Loads one plugin file, in this process, under a PluginCallGuard ("NAME
// load"). Throws PluginLoadError with a one-line reason (no path) if any
// check fails, including a file not named sluice-NAME.so (checked before any
// of its code runs) and a plugin whose info name is not that NAME.
std::unique_ptr<Plugin> load_plugin(const std::filesystem::path& file);

}  // namespace sluice::host
