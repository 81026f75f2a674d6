// What the daemon knows of its plugins. Plugin code never runs in the
// daemon: listing probes each file in a child (host/plugin/plugin_probe),
// and a spec is the output of a child `sluice spec NAME`, cached per name
// for the daemon's life (a plugin file replaced on disk needs a restart).
#pragma once

#include <boost/json.hpp>

#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace sluice::host::serve {

class PluginCatalog {
 public:
  explicit PluginCatalog(std::vector<std::string> plugin_dirs) : dirs_(std::move(plugin_dirs)) {}

  const std::vector<std::string>& dirs() const { return dirs_; }

  // {"plugins": [describe_plugin ...], "rejected": [{"file", "reason"}]}.
  boost::json::object list() const;
  // `sluice spec NAME` as JSON (name, version, sync_modes, config_schema...).
  // Throws ApiError 404 plugin_not_found when no file sluice-NAME.so exists
  // (or NAME is not a plugin name), 422 plugin_rejected when its child
  // fails (with the exit status or signal).
  boost::json::object spec(const std::string& name);
  // spec(name)["config_schema"].
  boost::json::object schema(const std::string& name);

 private:
  std::vector<std::string> dirs_;
  std::mutex mutex_;
  std::map<std::string, boost::json::object> specs_;
};

}  // namespace sluice::host::serve
