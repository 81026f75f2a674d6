#include "host/cli/args.hpp"

#include <algorithm>

namespace sluice::host::cli {

namespace {
thread_local bool collecting_options = false;
}

CollectOptions::CollectOptions() { collecting_options = true; }
CollectOptions::~CollectOptions() { collecting_options = false; }

ParsedArgs parse_args(const std::string& command, const std::vector<std::string>& args,
                      const std::vector<OptionSpec>& options, size_t min_positionals,
                      size_t max_positionals) {
  if (collecting_options) throw OptionTable{options};
  ParsedArgs parsed;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      parsed.help = true;
      continue;
    }
    if (arg.rfind("--", 0) != 0 || arg == "--") {
      parsed.positionals.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2);
    std::optional<std::string> inline_value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    auto spec = std::find_if(options.begin(), options.end(), [&](const auto& o) { return o.name == name; });
    if (spec == options.end()) {
      throw UsageError(command + ": unknown option --" + name + " (see sluice " + command + " --help)");
    }
    if (spec->value_name.empty()) {
      if (inline_value) throw UsageError(command + ": option --" + name + " takes no value");
      parsed.values[name];
      continue;
    }
    if (!inline_value) {
      if (i + 1 >= args.size()) throw UsageError(command + ": option --" + name + " needs a value " + spec->value_name);
      inline_value = args[++i];
    }
    parsed.values[name].push_back(*inline_value);
  }
  if (!parsed.help) {
    if (parsed.positionals.size() < min_positionals) {
      throw UsageError(command + ": missing argument (see sluice " + command + " --help)");
    }
    if (parsed.positionals.size() > max_positionals) {
      throw UsageError(command + ": unexpected argument " + parsed.positionals[max_positionals] +
                       " (see sluice " + command + " --help)");
    }
  }
  return parsed;
}

std::string options_help(const std::vector<OptionSpec>& options) {
  std::string out = "Options:\n";
  for (const auto& option : options) {
    std::string left = "  --" + option.name + (option.value_name.empty() ? "" : " " + option.value_name);
    if (left.size() < 26) left.resize(26, ' ');
    else left += "  ";
    out += left + option.help + "\n";
  }
  out += "  --help                  Show this help\n";
  return out;
}

}  // namespace sluice::host::cli
