// A small command-line parser: options with or without a value (long form
// only, "--name VALUE" or "--name=VALUE"), repeatable options and
// positionals. Usage errors are thrown as UsageError (exit code 2).
#pragma once

#include "host/common/host_error.hpp"

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace sluice::host::cli {

class UsageError : public HostError {
 public:
  explicit UsageError(const std::string& message) : HostError(Failure::usage, message) {}
};

struct OptionSpec {
  std::string name;        // without the leading "--"
  std::string value_name;  // "" for a flag
  std::string help;
};

struct ParsedArgs {
  std::map<std::string, std::vector<std::string>> values;  // option -> every value given
  std::vector<std::string> positionals;
  bool help = false;

  bool flag(const std::string& name) const { return values.count(name) > 0; }
  std::optional<std::string> value(const std::string& name) const {
    auto found = values.find(name);
    if (found == values.end() || found->second.empty()) return std::nullopt;
    return found->second.back();
  }
  std::vector<std::string> all(const std::string& name) const {
    auto found = values.find(name);
    return found == values.end() ? std::vector<std::string>{} : found->second;
  }
};

// `command` names the command in error messages. "--help"/"-h" set help.
ParsedArgs parse_args(const std::string& command, const std::vector<std::string>& args,
                      const std::vector<OptionSpec>& options, size_t min_positionals,
                      size_t max_positionals);

// While a CollectOptions lives (on this thread), parse_args parses nothing:
// it throws OptionTable with the options it was given. This is how `sluice
// completion` reads each command's own option table (the one its --help
// prints) without running the command or keeping a second list.
struct OptionTable {
  std::vector<OptionSpec> options;
};
class CollectOptions {
 public:
  CollectOptions();
  ~CollectOptions();
  CollectOptions(const CollectOptions&) = delete;
  CollectOptions& operator=(const CollectOptions&) = delete;
};

// The "Options:" block of a help text.
std::string options_help(const std::vector<OptionSpec>& options);

}  // namespace sluice::host::cli
