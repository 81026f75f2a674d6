// A loaded, validated plugin and the C++ calls the host makes into it. The
// library stays loaded for the life of the process (plugin.h: never unloaded),
// so everything the plugin returned by pointer stays valid.
#pragma once

#include "host/plugin/host_callbacks.hpp"

#include <sluice/plugin.h>

#include <boost/dll/shared_library.hpp>
#include <boost/json.hpp>

#include <filesystem>
#include <memory>
#include <string>

namespace sluice::host {

class Plugin {
 public:
  Plugin(std::filesystem::path path, std::shared_ptr<boost::dll::shared_library> library,
         const sluice_plugin_api& api, boost::json::object spec);

  const std::filesystem::path& path() const { return path_; }
  std::string name() const { return info().name; }
  std::string version() const { return info().version; }
  std::string documentation_url() const;
  const sluice_plugin_info& info() const { return *api_.info; }
  sluice_sync_modes sync_modes() const { return info().sync_modes; }
  bool source_defined_namespaces() const {
    return info().namespace_support == SLUICE_NAMESPACE_SOURCE_DEFINED;
  }
  // "1.0": the ABI version the plugin was built against.
  std::string abi_version() const;
  // The spec object returned by the plugin ({"config_schema": ..., ...}).
  const boost::json::object& spec() const { return spec_; }
  const boost::json::object& config_schema() const { return spec_.at("config_schema").as_object(); }

  // Each call throws PluginError with the plugin's message and kind on failure.
  void check(const boost::json::object& config, HostCallbacks& callbacks) const;
  boost::json::object discover(const boost::json::object& config, HostCallbacks& callbacks) const;
  // Returns normally on success; throws RunCancelled if the plugin reported
  // SLUICE_CANCELLED, PluginError otherwise.
  void read(const boost::json::object& config, const std::string& configured_catalog_json,
            const std::string& state_json, HostCallbacks& callbacks) const;

 private:
  std::filesystem::path path_;
  std::shared_ptr<boost::dll::shared_library> library_;
  sluice_plugin_api api_;  // a full-size copy; fields the plugin lacks are zero
  boost::json::object spec_;
};

}  // namespace sluice::host
