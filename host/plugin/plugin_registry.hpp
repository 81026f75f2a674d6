// Finds plugin files in plugin directories, loads each one that passes every
// check, and remembers the ones it rejected with a one-line reason. A bad
// plugin never prevents the good ones from being listed and used.
#pragma once

#include "host/plugin/plugin.hpp"

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::host {

struct RejectedPlugin {
  std::filesystem::path path;
  std::string reason;  // one line, without the path
};

class PluginRegistry {
 public:
  // Loads every "*.so" file found directly in `dirs`, in order. Directories
  // that do not exist are skipped. The first plugin with a given name wins;
  // later ones are rejected as duplicates.
  static PluginRegistry scan(const std::vector<std::filesystem::path>& dirs);

  const std::vector<std::filesystem::path>& searched() const { return searched_; }
  const std::vector<std::unique_ptr<Plugin>>& plugins() const { return plugins_; }
  const std::vector<RejectedPlugin>& rejected() const { return rejected_; }

  // The plugin named `name`, or throws PluginLoadError saying why it is not
  // there (rejected, with the reason, or not found in the searched folders).
  const Plugin& require(std::string_view name) const;

 private:
  std::vector<std::filesystem::path> searched_;
  std::vector<std::unique_ptr<Plugin>> plugins_;
  std::vector<RejectedPlugin> rejected_;
};

// Loads one plugin file. Throws PluginLoadError with a one-line reason (no
// path) if any check fails.
std::unique_ptr<Plugin> load_plugin(const std::filesystem::path& file);

}  // namespace sluice::host
