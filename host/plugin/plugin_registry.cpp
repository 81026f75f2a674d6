#include "host/plugin/plugin_registry.hpp"

#include "host/plugin/plugin_error.hpp"

#include <algorithm>

namespace sluice::host {

namespace {

std::vector<std::filesystem::path> plugin_files(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".so" && entry.is_regular_file(ec)) files.push_back(entry.path());
  }
  // Directory order is arbitrary; a sorted scan makes "first wins" stable.
  std::sort(files.begin(), files.end());
  return files;
}

// "sluice-auth0.so" -> "auth0": lets us name a rejected plugin in errors.
std::string name_from_file(const std::filesystem::path& file) {
  std::string stem = file.stem().string();
  return stem.rfind("sluice-", 0) == 0 ? stem.substr(7) : stem;
}

}  // namespace

PluginRegistry PluginRegistry::scan(const std::vector<std::filesystem::path>& dirs) {
  PluginRegistry registry;
  for (const auto& dir : dirs) {
    registry.searched_.push_back(dir);
    for (const auto& file : plugin_files(dir)) {
      try {
        auto plugin = load_plugin(file);
        auto same = std::find_if(registry.plugins_.begin(), registry.plugins_.end(),
                                 [&](const auto& p) { return p->name() == plugin->name(); });
        if (same != registry.plugins_.end()) {
          registry.rejected_.push_back(
              {file, "duplicate plugin name " + plugin->name() + " (already loaded from " +
                         (*same)->path().string() + ")"});
          continue;
        }
        registry.plugins_.push_back(std::move(plugin));
      } catch (const PluginLoadError& e) {
        registry.rejected_.push_back({file, e.what()});
      } catch (const std::exception& e) {
        registry.rejected_.push_back({file, std::string("unexpected load failure: ") + e.what()});
      }
    }
  }
  return registry;
}

const Plugin& PluginRegistry::require(std::string_view name) const {
  for (const auto& plugin : plugins_) {
    if (plugin->name() == name) return *plugin;
  }
  for (const auto& rejected : rejected_) {
    if (name_from_file(rejected.path) == name) {
      throw PluginLoadError("plugin " + std::string(name) + " was rejected: " +
                            rejected.path.string() + ": " + rejected.reason);
    }
  }
  std::string searched;
  for (const auto& dir : searched_) searched += (searched.empty() ? "" : ", ") + dir.string();
  throw PluginLoadError("no plugin named " + std::string(name) + " (searched: " +
                        (searched.empty() ? "no plugin directories" : searched) + ")");
}

}  // namespace sluice::host
