#include "host/cli/cli.hpp"
#include "host/cli/json_pretty.hpp"
#include "host/cli/output.hpp"
#include "host/cli/prepared_connection.hpp"
#include "host/cli/stderr_log.hpp"
#include "host/plugin/plugin_session.hpp"

namespace sluice::host::cli {

int discover_command(const std::vector<std::string>& args) {
  const std::vector<OptionSpec> options = {plugin_dir_option()};
  ParsedArgs parsed = parse_args("discover", args, options, 1, 1);
  if (parsed.help) {
    print("Usage: sluice discover CONNECTION [--plugin-dir DIR]\n\n"
          "Prints the catalog of the connection's source as JSON: each stream with its\n"
          "namespace, JSON Schema, supported sync modes, default cursor and primary key,\n"
          "and whether the source defines the cursor and key (source_defined_cursor,\n"
          "source_defined_primary_key: a connection may then not choose others).\n\n" +
          options_help(options));
    return kExitOk;
  }
  PluginRegistry registry = load_registry(parsed);
  PreparedConnection prepared = prepare_connection(parsed.positionals[0], registry);
  StderrLog log(SLUICE_LOG_INFO);
  PluginSession session(*prepared.plugin, prepared.config, log);
  print(pretty_json(session.discover({}, log)));
  return kExitOk;
}

}  // namespace sluice::host::cli
