// A loaded, validated plugin: its identity, capabilities and spec, and the
// table of functions PluginSession calls. The library stays loaded for the
// life of the process (plugin.h: never unloaded), so everything the plugin
// returned by pointer stays valid.
#pragma once

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
  // "1.1": the ABI version the plugin was built against.
  std::string abi_version() const;
  // True when the plugin offers ABI 1.1 sessions (the loader checked that it
  // offers all five functions or none).
  bool has_sessions() const { return api_.open != nullptr; }
  // True when distinct sessions may be used at once from different threads
  // (ABI 1.2 concurrent_sessions; the copy reads 0 for older plugins).
  bool concurrent_sessions() const { return has_sessions() && api_.concurrent_sessions != 0; }
  // The SQL dialect of ABI 1.3 query in place ("postgresql", ...), or ""
  // when the plugin cannot query (the loader checked the pair).
  std::string query_dialect() const { return api_.query_dialect ? api_.query_dialect : ""; }
  // The spec object returned by the plugin ({"config_schema": ..., ...}).
  const boost::json::object& spec() const { return spec_; }
  const boost::json::object& config_schema() const { return spec_.at("config_schema").as_object(); }
  // A full-size copy of the plugin's table; fields it lacks are null.
  const sluice_plugin_api& api() const { return api_; }

 private:
  std::filesystem::path path_;
  std::shared_ptr<boost::dll::shared_library> library_;
  sluice_plugin_api api_;
  boost::json::object spec_;
};

}  // namespace sluice::host
