#include "host/cli/cli.hpp"
#include "host/cli/output.hpp"
#include "host/cli/prepared_connection.hpp"
#include "host/cli/stderr_log.hpp"
#include "host/cli/target_url.hpp"
#include "host/plugin/plugin_session.hpp"
#include "host/target/target_check.hpp"

#include <algorithm>

namespace sluice::host::cli {

namespace {

// The namespace a sync would surely write to without asking the source: the
// custom one when it does not depend on the source's, else the target's
// default.
std::string fixed_namespace(const NamespaceRule& rule) {
  if (rule.definition != NamespaceDefinition::custom) return "";
  return rule.format.find("${SOURCE_NAMESPACE}") == std::string::npos ? rule.format : "";
}

}  // namespace

int check_command(const std::vector<std::string>& args) {
  const std::vector<OptionSpec> options = {
      {"target", "URL", "Check URL instead of the connection's target (default sqlite://./sluice.db)"},
      plugin_dir_option()};
  ParsedArgs parsed = parse_args("check", args, options, 1, 1);
  if (parsed.help) {
    print("Usage: sluice check CONNECTION [--target URL] [--plugin-dir DIR]\n\n"
          "Validates the connection file and its source config against the plugin's\n"
          "schema (every problem on its own line, with its JSON path), then asks the\n"
          "plugin to reach the source with it (credentials, permissions), and checks\n"
          "the target: reachable, credentials accepted, allowed to create a table in\n"
          "the namespace a sync would use (a throwaway _sluice_check_N table, dropped\n"
          "at once). Source and target each get their own line; exits non-zero if\n"
          "either fails.\n\n" +
          options_help(options));
    return kExitOk;
  }
  PluginRegistry registry = load_registry(parsed);
  PreparedConnection prepared = prepare_connection(parsed.positionals[0], registry);
  const std::string file = prepared.connection.file.filename().string();
  StderrLog log(SLUICE_LOG_INFO);
  int source_code = kExitOk;
  try {
    PluginSession session(*prepared.plugin, prepared.config, log);
    session.check(log);
    print("ok: " + file + ": source: the config is valid and " + prepared.plugin->name() + " reached the source\n");
  } catch (const HostError& e) {
    source_code = report(e);
  }
  int target_code = kExitOk;
  try {
    const std::string url = choose_target_url(parsed.value("target"), prepared.connection.target);
    print("ok: " + file + ": target: " + check_target(url, fixed_namespace(prepared.connection.namespace_rule)) +
          "\n");
  } catch (const HostError& e) {
    target_code = report(e);
  }
  return std::max(source_code, target_code);
}

}  // namespace sluice::host::cli
