#include "host/cli/cli.hpp"
#include "host/cli/json_pretty.hpp"
#include "host/cli/output.hpp"
#include "host/cli/plugin_description.hpp"

namespace sluice::host::cli {

int plugins_command(const std::vector<std::string>& args) {
  const std::vector<OptionSpec> options = {{"json", "", "Print JSON instead of a table"}, plugin_dir_option()};
  ParsedArgs parsed = parse_args("plugins", args, options, 0, 0);
  if (parsed.help) {
    print("Usage: sluice plugins [--json] [--plugin-dir DIR]\n\n"
          "Lists every plugin found in the plugin directories: name, version, ABI\n"
          "version, sync modes, namespace support and file. Files that are not valid\n"
          "plugins are listed as rejected, each with the reason.\n\n" +
          options_help(options));
    return kExitOk;
  }
  PluginRegistry registry = load_registry(parsed);
  if (parsed.flag("json")) {
    boost::json::array plugins, rejected;
    for (const auto& plugin : registry.plugins()) plugins.push_back(describe_plugin(*plugin, false));
    for (const auto& bad : registry.rejected()) {
      rejected.push_back(boost::json::object{{"path", bad.path.string()}, {"reason", bad.reason}});
    }
    print(pretty_json(boost::json::object{{"plugins", plugins}, {"rejected", rejected}}));
    return kExitOk;
  }
  std::string out;
  if (registry.plugins().empty()) out += "No plugins found.\n";
  for (const auto& plugin : registry.plugins()) {
    out += plugin->name() + " " + plugin->version() + "\n";
    out += "  abi:        " + plugin->abi_version() + "\n";
    out += "  modes:      " + sync_modes_text(plugin->sync_modes()) + "\n";
    out += "  namespaces: " + std::string(plugin->source_defined_namespaces() ? "source-defined" : "none") + "\n";
    out += "  path:       " + plugin->path().string() + "\n";
  }
  if (!registry.rejected().empty()) {
    out += "\nRejected:\n";
    for (const auto& bad : registry.rejected()) out += "  " + bad.path.string() + ": " + bad.reason + "\n";
  }
  print(out);
  return kExitOk;
}

}  // namespace sluice::host::cli
