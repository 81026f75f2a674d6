// The sluice command line. Exit codes (documented in `sluice --help` and
// docs/cli.md) are a contract scripts rely on.
#pragma once

#include "host/cli/args.hpp"
#include "host/plugin/plugin_registry.hpp"

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace sluice::host::cli {

enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,     // the source or the sync failed
  kExitUsage = 2,       // bad usage, connection file or config
  kExitPluginLoad = 3,  // the plugin could not be found or loaded
  kExitCancelled = 130, // Ctrl-C or SIGTERM (128 + SIGINT, as shells report it)
};

// The exit code of a host failure: the one table behind the list in
// `sluice --help`.
int exit_code(Failure failure);
// A list of problems longer than this prints its first kMaxErrorLines lines
// and "error: ... and N more": a connection file with 600,000 unknown streams
// printed 600,000 lines (55 MB), burying the first, which is usually the fix.
inline constexpr std::size_t kMaxErrorLines = 20;

// Prints `e` as the CLI prints every error (one "error: " line per problem,
// at most kMaxErrorLines of them, the plugin's kind in brackets) and returns
// its exit code.
int report(const HostError& e);

int run(int argc, char** argv);

// Commands: each takes the arguments after its name and returns an exit
// code; errors are thrown and mapped to exit codes by run().
int plugins_command(const std::vector<std::string>& args);
int spec_command(const std::vector<std::string>& args);
int check_command(const std::vector<std::string>& args);
int discover_command(const std::vector<std::string>& args);
int sync_command(const std::vector<std::string>& args);
int state_command(const std::vector<std::string>& args);
int new_plugin_command(const std::vector<std::string>& args);

// new-plugin's renaming of the example's text and paths to NAME (the
// contract is at the top of new_plugin_command.cpp).
std::string rename_template(std::string_view text, const std::string& name);
int serve_command(const std::vector<std::string>& args);
int read_command(const std::vector<std::string>& args);
int query_command(const std::vector<std::string>& args);
int ingest_command(const std::vector<std::string>& args);
int completion_command(const std::vector<std::string>& args);
int test_plugin_command(const std::vector<std::string>& args);

// The command table `run` dispatches on, `sluice help COMMAND` looks up and
// `sluice completion` lists. `words`: the fixed words a command takes first
// (subcommands, shell names), for completion.
struct CommandEntry {
  std::function<int(const std::vector<std::string>&)> run;
  std::vector<std::string> words;
};
const std::map<std::string, CommandEntry>& commands();

// The --plugin-dir option every command takes, and the registry it selects.
// load_registry opens no plugin (PluginRegistry::require loads the one a
// command names); it throws UsageError for a --plugin-dir that is not a
// folder.
OptionSpec plugin_dir_option();
PluginRegistry load_registry(const ParsedArgs& args);

}  // namespace sluice::host::cli
