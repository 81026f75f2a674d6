// Errors raised on the host side of the plugin boundary.
#pragma once

#include "host/common/vocabulary.hpp"

#include <stdexcept>
#include <string>

namespace sluice::host {

// A plugin call failed: the plugin's own message and error kind, or a host
// failure it was told about. The CLI maps it to exit code 1.
class PluginError : public std::runtime_error {
 public:
  PluginError(ErrorKind kind, const std::string& message)
      : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const noexcept { return kind_; }

 private:
  ErrorKind kind_;
};

// A plugin could not be loaded or is unknown. The CLI maps it to exit code 3.
class PluginLoadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace sluice::host
