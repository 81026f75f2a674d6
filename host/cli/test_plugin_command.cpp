// `sluice test-plugin PLUGIN --config FILE`: the acceptance suite
// (acceptance/plugin_acceptance.hpp) with its report: one "ok: CHECK: ..."
// line on stdout per check that passed, one "error: CHECK: ...; fix: ..."
// line on stderr per problem, then a summary line.
#include "host/acceptance/plugin_acceptance.hpp"
#include "host/cli/cli.hpp"
#include "host/cli/output.hpp"
#include "host/config/bounded_file.hpp"
#include "host/config/config_error.hpp"
#include "host/config/connection.hpp"
#include "host/config/connection_limits.hpp"
#include "host/config/yaml_document.hpp"

#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <set>

namespace sluice::host::cli {

namespace {

namespace json = boost::json;

constexpr double kDefaultCancelSeconds = 10;

// --cancel-within SECONDS: from 0.1 to 3600, decimals allowed.
std::chrono::milliseconds cancel_bound(const std::optional<std::string>& text) {
  if (!text) return std::chrono::milliseconds(static_cast<int64_t>(kDefaultCancelSeconds * 1000));
  char* end = nullptr;
  const double seconds = text->empty() ? -1 : std::strtod(text->c_str(), &end);
  if (text->empty() || *end != '\0' || !(seconds >= 0.1 && seconds <= 3600)) {
    throw UsageError("test-plugin: --cancel-within expects seconds from 0.1 to 3600, got \"" + *text + "\"");
  }
  return std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
}

// The plugin's config: FILE is either the config object itself (JSON) or a
// connection file naming the plugin (JSON or YAML), whose source.config is
// taken, and whose stream selections become `hints` (cursors and keys).
json::object load_config(const std::filesystem::path& file, const std::string& plugin,
                         std::vector<StreamSelection>& hints) {
  const std::string name = file.filename().string();
  std::string text;
  try {
    text = read_regular_file(file, kMaxConnectionFileBytes);
  } catch (const UnreadableFile& e) {
    throw ConfigError("--config " + file.string() + ": " + e.what());
  }
  json::value root;
  if (is_yaml_file_name(name)) {
    root = yaml_to_json(text, name);
  } else {
    json::error_code ec;
    root = json::parse(text, ec);
    if (ec) throw ConfigError(name + ": not valid JSON (" + ec.message() + ")");
  }
  if (!root.is_object()) throw ConfigError(name + ": expected a JSON object (the plugin's config)");
  const auto* source = root.get_object().if_contains("source");
  if (!source || !source->is_object() || !source->get_object().contains("plugin")) return root.get_object();
  Connection connection = parse_connection(text, file);
  if (connection.plugin != plugin) {
    throw UsageError("test-plugin: " + name + " is a connection of plugin " + connection.plugin + ", not " + plugin);
  }
  hints = connection.streams.value_or(std::vector<StreamSelection>{});
  return connection.config;
}

std::filesystem::path make_scratch() {
  std::string pattern = (std::filesystem::temp_directory_path() / "sluice-test-plugin-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) throw HostError(Failure::internal, "cannot create a scratch folder in " +
                                                                      std::filesystem::temp_directory_path().string());
  return pattern;
}

}  // namespace

int test_plugin_command(const std::vector<std::string>& args) {
  const std::vector<OptionSpec> options = {
      {"config", "FILE", "The plugin's config (a JSON object), or a connection file: its source.config is used, "
                         "and its streams' cursor_field and primary_key where the catalog names none"},
      {"cancel-within", "SECONDS", "The cancel check's bound: a read must stop within SECONDS of the cancel "
                                   "(default 10)"},
      plugin_dir_option()};
  ParsedArgs parsed = parse_args("test-plugin", args, options, 1, 1);
  if (parsed.help) {
    print("Usage: sluice test-plugin PLUGIN --config FILE [--cancel-within SECONDS] [--plugin-dir DIR]\n\n"
          "Runs the acceptance suite against PLUGIN and the source (or fake) its config\n"
          "reaches, through the same code `sluice sync` runs, into scratch SQLite files:\n"
          "  spec        the config schema is valid, with no unknown keyword\n"
          "  config      FILE is valid against it\n"
          "  check       check() accepts it\n"
          "  discover    schemas valid; each stream's modes, cursor and key consistent\n"
          "  read        every stream reads to its end in every mode it offers\n"
          "  schema      every record matches its stream's json_schema (no field left\n"
          "              in _sluice_extra or _sluice_uncast)\n"
          "  keys        every record carries its primary key where dedup is offered\n"
          "  checkpoint  incremental reads save a checkpoint\n"
          "  resume      a second run from the saved state adds no new distinct row\n"
          "  secrets     no secret config value, as is or URL-encoded, base64 or hex,\n"
          "              in the plugin's logs, errors, catalog, stdout/stderr or target\n"
          "  cancel      a read stops within --cancel-within of a cancel\n"
          "Prints \"ok: CHECK: ...\" on stdout for each check that passed and one\n"
          "\"error: CHECK: ...; fix: ...\" line on stderr for each problem.\n\n"
          "Exits 0 only when every check passed; 1 when one failed; 2 for bad usage\n"
          "or an unreadable FILE; 3 when the plugin cannot be found or loaded; 130\n"
          "when cancelled.\n\n" +
          options_help(options));
    return kExitOk;
  }
  const auto config_file = parsed.value("config");
  if (!config_file) {
    throw UsageError("test-plugin: --config FILE is required (the plugin's config, or a connection file)");
  }
  const auto bound = cancel_bound(parsed.value("cancel-within"));
  PluginRegistry registry = load_registry(parsed);
  const Plugin& plugin = registry.require(parsed.positionals[0]);
  set_log_plugin(plugin.name());

  AcceptanceRequest request;
  request.plugin = &plugin;
  request.config = load_config(*config_file, plugin.name(), request.hints);
  request.config_file = std::filesystem::absolute(*config_file);
  request.cancel_within = bound;
  request.scratch = make_scratch();
  AcceptanceResult result;
  // The acceptance run captures descriptors 1 and 2; a Ctrl-C's line still
  // goes to the real stderr.
  set_signal_line_fd(::dup(STDERR_FILENO));
  try {
    result = run_acceptance(request);
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove_all(request.scratch, ignored);
    throw;
  }

  std::set<std::string> checks, failed;
  for (const auto& outcome : result.checks) {
    checks.insert(outcome.check);
    if (outcome.passed) {
      print("ok: " + outcome.check + ": " + outcome.text + "\n");
    } else {
      failed.insert(outcome.check);
      print_error_line("error: " + outcome.check + ": " + outcome.text);
    }
  }
  const std::string name = plugin.name();
  if (failed.empty()) {
    print("test-plugin: " + name + " passed all " + std::to_string(checks.size()) + " checks\n");
  } else {
    print_error_line("error: test-plugin: " + name + " failed " + std::to_string(failed.size()) + " of " +
                     std::to_string(checks.size()) + " checks");
  }
  std::error_code ignored;
  std::filesystem::remove_all(request.scratch, ignored);
  if (result.plugin_still_running) {
    // The plugin ignored the cancel and is still inside read() on another
    // thread: end the process here rather than wait for it.
    std::fflush(nullptr);
    std::_Exit(kExitFailure);
  }
  return failed.empty() ? kExitOk : kExitFailure;
}

}  // namespace sluice::host::cli
