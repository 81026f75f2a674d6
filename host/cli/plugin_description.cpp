#include "host/cli/plugin_description.hpp"

#include "host/common/vocabulary.hpp"

namespace sluice::host::cli {

namespace {

// The modes of a plugin's info block bitmask, in the vocabulary's order.
std::vector<SyncMode> declared_modes(sluice_sync_modes modes) {
  std::vector<SyncMode> out;
  for (SyncMode mode : all_sync_modes()) {
    if (modes & mode_bit(mode)) out.push_back(mode);
  }
  return out;
}

}  // namespace

boost::json::array sync_modes_json(sluice_sync_modes modes) {
  boost::json::array out;
  for (SyncMode mode : declared_modes(modes)) out.emplace_back(to_string(mode));
  return out;
}

std::string sync_modes_text(sluice_sync_modes modes) { return mode_list(declared_modes(modes)); }

boost::json::object describe_plugin(const Plugin& plugin, bool with_schema) {
  boost::json::object out{{"name", plugin.name()},
                          {"version", plugin.version()},
                          {"abi_version", plugin.abi_version()},
                          {"sync_modes", sync_modes_json(plugin.sync_modes())},
                          {"namespace_support", plugin.source_defined_namespaces() ? "source_defined" : "none"},
                          // Whether sync --parallel reads several of its streams at once.
                          {"parallel_streams", plugin.concurrent_sessions()},
                          // The dialect `sluice query` checks statements in; null: the plugin cannot query.
                          {"query_dialect", plugin.query_dialect().empty() ? boost::json::value(nullptr)
                                                                           : boost::json::value(plugin.query_dialect())},
                          {"documentation_url", plugin.documentation_url()},
                          {"path", plugin.path().string()}};
  if (with_schema) out["config_schema"] = plugin.config_schema();
  return out;
}

}  // namespace sluice::host::cli
