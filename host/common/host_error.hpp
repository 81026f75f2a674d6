// The host's one error type. Every layer throws a HostError whose failure
// says what went wrong; the CLI maps failures to exit codes in one table
// (host/cli/exit_codes.cpp). The subclasses below only name the common
// failures at their throw sites.
//
// Context rule: each layer adds its own context once, as a prefix of the
// message (the plugin layer "PLUGIN CALL: ", the sync layer "stream S
// failed: "); no layer repeats what an inner one said.
#pragma once

#include "host/common/vocabulary.hpp"

#include <stdexcept>
#include <string>
#include <vector>

namespace sluice::host {

enum class Failure {
  usage,        // bad command line
  config,       // a connection file, config or selection that cannot work
  plugin_load,  // the plugin cannot be found or loaded
  plugin,       // a plugin call failed (kind() says how)
  target,       // the target refused or failed
  cancelled,    // the operator cancelled the run
  internal,     // a bug in the host
};

class HostError : public std::runtime_error {
 public:
  HostError(Failure failure, const std::string& line, ErrorKind kind = ErrorKind::unknown)
      : HostError(failure, std::vector<std::string>{line}, kind) {}
  // Several independent problems, each one line (config errors list them all).
  HostError(Failure failure, std::vector<std::string> lines, ErrorKind kind = ErrorKind::unknown)
      : std::runtime_error(join(lines)), failure_(failure), kind_(kind), lines_(std::move(lines)) {}

  Failure failure() const noexcept { return failure_; }
  // The plugin's error kind for Failure::plugin; unknown otherwise.
  ErrorKind kind() const noexcept { return kind_; }
  const std::vector<std::string>& lines() const noexcept { return lines_; }

 private:
  static std::string join(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& line : lines) out += (out.empty() ? "" : "\n") + line;
    return out;
  }
  Failure failure_;
  ErrorKind kind_;
  std::vector<std::string> lines_;
};

}  // namespace sluice::host
