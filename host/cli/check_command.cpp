#include "host/cli/cli.hpp"
#include "host/cli/output.hpp"
#include "host/cli/prepared_connection.hpp"
#include "host/cli/stderr_log.hpp"
#include "host/plugin/plugin_session.hpp"

namespace sluice::host::cli {

int check_command(const std::vector<std::string>& args) {
  const std::vector<OptionSpec> options = {plugin_dir_option()};
  ParsedArgs parsed = parse_args("check", args, options, 1, 1);
  if (parsed.help) {
    print("Usage: sluice check CONNECTION [--plugin-dir DIR]\n\n"
          "Validates the connection file and its source config against the plugin's\n"
          "schema (every problem on its own line, with its JSON path), then asks the\n"
          "plugin to reach the source with it (credentials, permissions).\n\n" +
          options_help(options));
    return kExitOk;
  }
  PluginRegistry registry = load_registry(parsed);
  PreparedConnection prepared = prepare_connection(parsed.positionals[0], registry);
  StderrLog log(SLUICE_LOG_INFO);
  PluginSession session(*prepared.plugin, prepared.config, log);
  session.check(log);
  print("ok: " + prepared.connection.file.filename().string() + ": the config is valid and " +
        prepared.plugin->name() + " reached the source\n");
  return kExitOk;
}

}  // namespace sluice::host::cli
