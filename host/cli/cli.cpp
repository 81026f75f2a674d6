#include "host/cli/cli.hpp"

#include "host/cli/output.hpp"
#include "host/config/config_error.hpp"
#include "host/plugin/plugin_error.hpp"
#include "host/plugin/plugin_paths.hpp"
#include "host/target/target.hpp"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>

namespace sluice::host::cli {

namespace {

const char* kUsage = R"(Usage: sluice COMMAND [OPTIONS] [ARGS]

Sluice copies data from source connectors (plugins) into a SQL target.

Commands:
  plugins              List the plugins found, and the ones rejected with why
  spec PLUGIN          Show a plugin's config schema and capabilities
  check CONNECTION     Validate a connection file, then test the source and the target
  discover CONNECTION  Print the catalog of streams the source offers, as JSON
  sync CONNECTION      Copy the connection's streams into its target
  state CONNECTION     Show saved state and sync history; `state reset` clears state
  new-plugin NAME      Write a connector skeleton that builds against the installed SDK
  serve                Run the daemon: REST API, stored connections, scheduled syncs

Run `sluice COMMAND --help` for a command's options.

Plugins are searched in each --plugin-dir, then in SLUICE_PLUGIN_PATH
(colon-separated), then next to the sluice executable. A plugin named NAME
is the file sluice-NAME.so; commands load only the plugin they name.

Exit codes:
  0  success
  1  the source or the sync failed (a stream did not complete, or the
     plugin called exit())
  2  usage error, or an invalid connection file or config
  3  the plugin could not be found or loaded
  130  cancelled (Ctrl-C or SIGTERM); the target keeps every committed checkpoint
A plugin that crashes ends sluice with its signal, after one line naming
the plugin and the call.
)";

}  // namespace

OptionSpec plugin_dir_option() {
  return {"plugin-dir", "DIR", "Also look for plugins in DIR (repeatable; searched first)"};
}

PluginRegistry load_registry(const ParsedArgs& args) {
  std::vector<std::string> dirs = args.all("plugin-dir");
  for (const auto& dir : dirs) {
    std::error_code ec;
    auto status = std::filesystem::status(dir, ec);
    if (!std::filesystem::exists(status)) throw UsageError("--plugin-dir " + dir + ": no such directory");
    if (!std::filesystem::is_directory(status)) throw UsageError("--plugin-dir " + dir + ": not a directory");
  }
  return PluginRegistry(plugin_search_path(dirs));
}

int exit_code(Failure failure) {
  switch (failure) {
    case Failure::usage:
    case Failure::config: return kExitUsage;
    case Failure::plugin_load: return kExitPluginLoad;
    case Failure::cancelled: return kExitCancelled;
    case Failure::plugin:
    case Failure::target:
    case Failure::internal: break;
  }
  return kExitFailure;
}

int report(const HostError& e) {
  const std::string suffix = e.failure() == Failure::plugin ? std::string(" [") + to_string(e.kind()) + "]" : "";
  const std::string prefix = e.failure() == Failure::target ? "error: target: " : "error: ";
  const auto& lines = e.lines();
  const size_t shown = std::min(lines.size(), kMaxErrorLines);
  for (size_t i = 0; i < shown; ++i) print_error_line(prefix + lines[i] + suffix);
  if (lines.size() > shown) print_error_line(prefix + "... and " + std::to_string(lines.size() - shown) + " more");
  return exit_code(e.failure());
}

int run(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    print(kUsage);
    return args.empty() ? kExitUsage : kExitOk;
  }
  if (args[0] == "--version") {
    print(std::string("sluice ") + SLUICE_VERSION + " (plugin ABI " + std::to_string(SLUICE_ABI_MAJOR) + "." +
          std::to_string(SLUICE_ABI_MINOR) + ")\n");
    return kExitOk;
  }
  static const std::map<std::string, std::function<int(const std::vector<std::string>&)>> commands = {
      {"plugins", plugins_command}, {"spec", spec_command},   {"check", check_command},
      {"discover", discover_command}, {"sync", sync_command}, {"state", state_command},
      {"new-plugin", new_plugin_command}, {"serve", serve_command}};
  auto command = commands.find(args[0]);
  try {
    if (command == commands.end()) {
      throw UsageError("unknown command " + args[0] + " (run sluice --help)");
    }
    return command->second(std::vector<std::string>(args.begin() + 1, args.end()));
  } catch (const HostError& e) {
    return report(e);
  } catch (const std::exception& e) {
    print_error_line(std::string("error: ") + e.what());
    return kExitFailure;
  }
}

}  // namespace sluice::host::cli
