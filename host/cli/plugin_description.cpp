#include "host/cli/plugin_description.hpp"

namespace sluice::host::cli {

namespace {

constexpr std::pair<sluice_sync_modes, const char*> kModes[] = {
    {SLUICE_MODE_FULL_REFRESH_OVERWRITE, "full_refresh_overwrite"},
    {SLUICE_MODE_FULL_REFRESH_APPEND, "full_refresh_append"},
    {SLUICE_MODE_INCREMENTAL_APPEND, "incremental_append"},
    {SLUICE_MODE_INCREMENTAL_APPEND_DEDUP, "incremental_append_dedup"},
};

}  // namespace

boost::json::array sync_modes_json(sluice_sync_modes modes) {
  boost::json::array out;
  for (const auto& [bit, name] : kModes) {
    if (modes & bit) out.emplace_back(name);
  }
  return out;
}

std::string sync_modes_text(sluice_sync_modes modes) {
  std::string out;
  for (const auto& [bit, name] : kModes) {
    if (modes & bit) out += (out.empty() ? "" : ", ") + std::string(name);
  }
  return out.empty() ? "none" : out;
}

boost::json::object describe_plugin(const Plugin& plugin, bool with_schema) {
  boost::json::object out{{"name", plugin.name()},
                          {"version", plugin.version()},
                          {"abi_version", plugin.abi_version()},
                          {"sync_modes", sync_modes_json(plugin.sync_modes())},
                          {"namespace_support", plugin.source_defined_namespaces() ? "source_defined" : "none"},
                          {"documentation_url", plugin.documentation_url()},
                          {"path", plugin.path().string()}};
  if (with_schema) out["config_schema"] = plugin.config_schema();
  return out;
}

}  // namespace sluice::host::cli
