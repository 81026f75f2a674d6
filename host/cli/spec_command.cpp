#include "host/cli/cli.hpp"
#include "host/cli/json_pretty.hpp"
#include "host/cli/output.hpp"
#include "host/cli/plugin_description.hpp"
#include "host/config/spec_markdown.hpp"

namespace sluice::host::cli {

namespace {

std::string markdown(const Plugin& plugin) {
  std::string out = "# " + plugin.name() + " " + plugin.version() + "\n\n";
  if (!plugin.documentation_url().empty()) out += "Documentation: " + plugin.documentation_url() + "\n\n";
  out += "Sync modes: " + sync_modes_text(plugin.sync_modes()) + "\n\n";
  out += "Namespaces: " +
         std::string(plugin.source_defined_namespaces() ? "source-defined (each stream has its own)" : "none") +
         "\n\n";
  out += "Query in place: " +
         (plugin.query_dialect().empty() ? std::string("no")
                                         : "yes, in the " + plugin.query_dialect() + " dialect (sluice query)") +
         "\n\n";
  out += "## Configuration\n\n" + render_config_table_markdown(plugin.config_schema());
  return out;
}

}  // namespace

int spec_command(const std::vector<std::string>& args) {
  const std::vector<OptionSpec> options = {
      {"format", "json|markdown", "Output format (default: json)"}, plugin_dir_option()};
  ParsedArgs parsed = parse_args("spec", args, options, 1, 1);
  if (parsed.help) {
    print("Usage: sluice spec PLUGIN [--format json|markdown] [--plugin-dir DIR]\n\n"
          "Shows a plugin's config schema and capabilities without running it: as JSON\n"
          "for tools, or as a Markdown table of config fields (path, type, required,\n"
          "default, secret, description) for documentation.\n\n" +
          options_help(options));
    return kExitOk;
  }
  std::string format = parsed.value("format").value_or("json");
  if (format != "json" && format != "markdown") {
    throw UsageError("spec: --format must be json or markdown (got " + format + ")");
  }
  PluginRegistry registry = load_registry(parsed);
  const Plugin& plugin = registry.require(parsed.positionals[0]);
  print(format == "json" ? pretty_json(describe_plugin(plugin, true)) : markdown(plugin));
  return kExitOk;
}

}  // namespace sluice::host::cli
