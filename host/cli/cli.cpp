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
#include <optional>

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
  state CONNECTION     Show saved state and sync history; `state reset` clears state,
                       `state set` writes one stream's state
  read CONNECTION      Print the source's records as NDJSON, without a target
  query CONNECTION SQL Run one read-only statement at the source and print its result
  ingest csv FILE      Store a CSV file's events in an ingest stream, via the daemon or
                       straight into its target
  completion SHELL     Print a bash or zsh completion script
  help COMMAND         Show a command's help (the same as COMMAND --help)
  new-plugin NAME      Write a connector skeleton that builds against the installed SDK
  test-plugin PLUGIN   Run the acceptance suite against a plugin and its source (--config FILE)
  serve                Run the daemon: REST API, stored connections, scheduled syncs

Run `sluice COMMAND --help` for a command's options. CONNECTION is a
connection file (JSON or YAML), or - to read it (JSON) from standard input.

Global options (anywhere on the line):
  --log-format FORMAT  text (default) or json: every stderr line as one JSON
                       object {"timestamp", "level", "message", "plugin", "stream"}

Plugins are searched in each --plugin-dir, then in SLUICE_PLUGIN_PATH
(colon-separated), then next to the sluice executable. A plugin named NAME
is the file sluice-NAME.so; commands load only the plugin they name.

Exit codes:
  0  success
  1  the source or the sync failed (a stream did not complete, or the
     plugin called exit()); test-plugin: a check failed
  2  usage error, or an invalid connection file or config
  3  the plugin could not be found or loaded
  130  cancelled (Ctrl-C or SIGTERM); the target keeps every committed checkpoint
A plugin that crashes ends sluice with its signal, after one line naming
the plugin and the call.
)";

}  // namespace

const std::map<std::string, CommandEntry>& commands() {
  static const std::map<std::string, CommandEntry> table = {
      {"plugins", {plugins_command, {}}},
      {"spec", {spec_command, {}}},
      {"check", {check_command, {}}},
      {"discover", {discover_command, {}}},
      {"sync", {sync_command, {}}},
      {"state", {state_command, {"reset", "set"}}},
      {"read", {read_command, {}}},
      {"query", {query_command, {}}},
      {"ingest", {ingest_command, {"csv"}}},
      {"completion", {completion_command, {"bash", "zsh"}}},
      {"new-plugin", {new_plugin_command, {}}},
      {"test-plugin", {test_plugin_command, {}}},
      {"serve", {serve_command, {"keys"}}}};
  return table;
}

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

// Removes the global --log-format FORMAT (or --log-format=FORMAT) from
// `args`, wherever it is, and applies it.
void take_log_format(std::vector<std::string>& args) {
  for (size_t i = 0; i < args.size();) {
    std::optional<std::string> value;
    size_t width = 1;
    if (args[i] == "--log-format") {
      if (i + 1 >= args.size()) throw UsageError("option --log-format needs a value FORMAT (text or json)");
      value = args[i + 1];
      width = 2;
    } else if (args[i].rfind("--log-format=", 0) == 0) {
      value = args[i].substr(std::string("--log-format=").size());
    }
    if (!value) {
      ++i;
      continue;
    }
    if (*value == "json") set_log_format(LogFormat::json);
    else if (*value == "text") set_log_format(LogFormat::text);
    else throw UsageError("--log-format must be text or json, got \"" + *value + "\"");
    args.erase(args.begin() + static_cast<std::ptrdiff_t>(i), args.begin() + static_cast<std::ptrdiff_t>(i + width));
  }
}

int run(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    take_log_format(args);
  } catch (const HostError& e) {
    return report(e);
  }
  if (args.size() >= 2 && args[0] == "help") {
    auto command = commands().find(args[1]);
    if (command == commands().end() || args.size() > 2) {
      return report(UsageError(command == commands().end()
                                   ? "help: unknown command " + args[1] + " (run sluice --help)"
                                   : "help: unexpected argument " + args[2]));
    }
    return command->second.run({"--help"});
  }
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    print(kUsage);
    return args.empty() ? kExitUsage : kExitOk;
  }
  if (args[0] == "--version") {
    print(std::string("sluice ") + SLUICE_VERSION + " (plugin ABI " + std::to_string(SLUICE_ABI_MAJOR) + "." +
          std::to_string(SLUICE_ABI_MINOR) + ")\n");
    return kExitOk;
  }
  auto command = commands().find(args[0]);
  try {
    if (command == commands().end()) {
      throw UsageError("unknown command " + args[0] + " (run sluice --help)");
    }
    return command->second.run(std::vector<std::string>(args.begin() + 1, args.end()));
  } catch (const HostError& e) {
    return report(e);
  } catch (const std::exception& e) {
    print_error_line(std::string("error: ") + e.what());
    return kExitFailure;
  }
}

}  // namespace sluice::host::cli
