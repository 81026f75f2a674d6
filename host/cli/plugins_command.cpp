#include "host/cli/cli.hpp"
#include "host/cli/json_pretty.hpp"
#include "host/cli/output.hpp"
#include "host/plugin/plugin_probe.hpp"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <thread>

namespace sluice::host::cli {

namespace {

// Seconds > 0 from --probe-timeout or SLUICE_PROBE_TIMEOUT; `where` names
// the source in the usage error.
std::chrono::milliseconds parse_timeout(const std::string& text, const std::string& where) {
  char* end = nullptr;
  double seconds = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !(seconds > 0) || seconds > 86400) {
    throw UsageError(where + ": expected a number of seconds between 0 and 86400 (got " + text + ")");
  }
  return std::chrono::milliseconds(std::max<long long>(1, static_cast<long long>(seconds * 1000)));
}

ProbeOptions probe_options(const ParsedArgs& parsed) {
  ProbeOptions options;
  if (auto value = parsed.value("probe-timeout")) {
    options.timeout = parse_timeout(*value, "--probe-timeout");
  } else if (const char* env = std::getenv("SLUICE_PROBE_TIMEOUT")) {
    options.timeout = parse_timeout(env, "SLUICE_PROBE_TIMEOUT");
  }
  options.parallel = std::clamp<size_t>(std::thread::hardware_concurrency(), 2, 8);
  return options;
}

struct Listing {
  std::vector<boost::json::object> plugins;
  std::vector<std::pair<std::filesystem::path, std::string>> rejected;
};

// Probes every candidate file but those shadowed by an earlier file of the
// same name: the first sluice-NAME.so in the search path is the one commands
// load, so a later one is listed as unused without running it.
Listing list_plugins(const PluginRegistry& registry, const ProbeOptions& options) {
  std::vector<std::filesystem::path> files = registry.candidate_files();
  std::map<std::filesystem::path, std::filesystem::path> first_by_name;
  std::vector<std::filesystem::path> to_probe;
  std::map<std::filesystem::path, std::filesystem::path> shadowed;  // file -> the one used instead
  for (const auto& file : files) {
    auto [first, inserted] = first_by_name.emplace(file.filename(), file);
    if (inserted) {
      to_probe.push_back(file);
    } else {
      shadowed[file] = first->second;
    }
  }
  std::vector<ProbeAnswer> answers = probe_plugin_files(to_probe, options);
  Listing listing;
  size_t next_answer = 0;
  for (const auto& file : files) {
    if (auto found = shadowed.find(file); found != shadowed.end()) {
      listing.rejected.emplace_back(file, "not used: " + found->second.string() + " comes first in the search path");
      continue;
    }
    ProbeAnswer& answer = answers[next_answer++];
    if (answer.plugin) {
      listing.plugins.push_back(std::move(*answer.plugin));
    } else {
      listing.rejected.emplace_back(file, answer.rejected);
    }
  }
  return listing;
}

std::string text_of(const boost::json::value& value) {
  return value.is_string() ? std::string(value.as_string()) : "";
}

std::string modes_text(const boost::json::object& plugin) {
  std::string out;
  if (const auto* modes = plugin.if_contains("sync_modes"); modes && modes->is_array()) {
    for (const auto& mode : modes->as_array()) out += (out.empty() ? "" : ", ") + text_of(mode);
  }
  return out.empty() ? "none" : out;
}

std::string table(const Listing& listing) {
  std::string out;
  if (listing.plugins.empty()) out += "No plugins found.\n";
  for (const auto& plugin : listing.plugins) {
    out += text_of(plugin.at("name")) + " " + text_of(plugin.at("version")) + "\n";
    out += "  abi:        " + text_of(plugin.at("abi_version")) + "\n";
    out += "  modes:      " + modes_text(plugin) + "\n";
    out += "  namespaces: " +
           std::string(text_of(plugin.at("namespace_support")) == "source_defined" ? "source-defined" : "none") +
           "\n";
    const auto& dialect = plugin.at("query_dialect");
    out += "  query:      " + (dialect.is_string() ? "yes, " + text_of(dialect) + " dialect" : std::string("no")) + "\n";
    out += "  path:       " + text_of(plugin.at("path")) + "\n";
  }
  if (!listing.rejected.empty()) {
    out += "\nRejected:\n";
    for (const auto& [file, reason] : listing.rejected) out += "  " + file.string() + ": " + reason + "\n";
  }
  return out;
}

boost::json::object document(const Listing& listing) {
  boost::json::array plugins, rejected;
  for (const auto& plugin : listing.plugins) plugins.push_back(plugin);
  for (const auto& [file, reason] : listing.rejected) {
    rejected.push_back(boost::json::object{{"path", file.string()}, {"reason", reason}});
  }
  return boost::json::object{{"plugins", plugins}, {"rejected", rejected}};
}

}  // namespace

int plugins_command(const std::vector<std::string>& args) {
  const std::vector<OptionSpec> options = {
      {"json", "", "Print JSON instead of a table"},
      {"probe-timeout", "SECONDS", "Time each plugin may take to load (default 10, or SLUICE_PROBE_TIMEOUT)"},
      plugin_dir_option()};
  ParsedArgs parsed = parse_args("plugins", args, options, 0, 0);
  if (parsed.help) {
    print("Usage: sluice plugins [--json] [--probe-timeout SECONDS] [--plugin-dir DIR]\n\n"
          "Lists every plugin found in the plugin directories: name, version, ABI\n"
          "version, sync modes, namespace support and file. Files that are not valid\n"
          "plugins are listed as rejected, each with the reason. Each file is loaded\n"
          "in a child process, so one that crashes, exits or hangs while loading is\n"
          "listed as rejected (with the signal, or the timeout) and the others still\n"
          "are listed.\n\n" +
          options_help(options));
    return kExitOk;
  }
  ProbeOptions probe = probe_options(parsed);
  Listing listing = list_plugins(load_registry(parsed), probe);
  print(parsed.flag("json") ? pretty_json(document(listing)) : table(listing));
  return kExitOk;
}

}  // namespace sluice::host::cli
