// The error of a bad connection file or config: one or more single-line
// messages that each say what is wrong and where (file, JSON path). The CLI
// prints one line each and exits with code 2.
#pragma once

#include "host/common/host_error.hpp"

namespace sluice::host {

class ConfigError : public HostError {
 public:
  explicit ConfigError(const std::string& line) : HostError(Failure::config, line) {}
  explicit ConfigError(std::vector<std::string> lines) : HostError(Failure::config, std::move(lines)) {}
};

}  // namespace sluice::host
